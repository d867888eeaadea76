//! Reference solutions: ordinary Rust, tested natively, and judged in the sandbox as the
//! baseline. Each lives in its exercise's folder (`exercises/<id>/reference.rs`, with its
//! native tests in `tests.rs`); build.rs makes one module of each, named after the id
//! (`lru-cache` -> `lru_cache`), with the exercise's provided types in scope as a submission
//! has them.

include!(concat!(env!("OUT_DIR"), "/references.rs"));

#[cfg(all(test, not(loom)))]
mod testing;

#[cfg(all(test, loom))]
mod loom_support;
