//! Exercise packages: metadata, statements, starters, harnesses, known-verdict submissions
//! (data, embedded from `exercises/<id>/`), and the host side of each hidden-test suite
//! (models and generators). Knows nothing of wasmtime: a suite drives any [`Subject`].

pub mod atomic_counter;
pub mod bst_iterator;
mod catalog;
pub mod concurrent;
pub mod concurrent_lru_cache;
pub mod hash_ring;
pub mod in_memory_fs;
pub mod k_distinct_substring;
pub mod linearizability;
pub mod lru_cache;
pub mod sequence;
pub mod striped_counter;
mod suite;

pub use catalog::{
    Catalog, CatalogError, Complexity, Exercise, KnownSubmission, Limits, Metadata, Tests,
    Throughput, FORMAT_VERSION, SOLUTION_CRATE, THREADS_TARGET,
};
pub use suite::{
    Actual, CallFailure, Counterexample, FunctionSpec, FunctionSuite, Mismatch, Outcome, Plan,
    ScheduleStrategy, Subject, Suite, ThreadRun, Threaded, TraceEvent, TraceStep,
};

/// The hidden-test suite of each exercise id that has one.
pub fn suite_for(id: &str) -> Option<&'static dyn Suite> {
    match id {
        "k-distinct-substring" => Some(&k_distinct_substring::SUITE),
        "lru-cache" => Some(&lru_cache::SUITE),
        "hash-ring" => Some(&hash_ring::SUITE),
        "bst-iterator" => Some(&bst_iterator::SUITE),
        "in-memory-fs" => Some(&in_memory_fs::SUITE),
        "atomic-counter" => Some(&atomic_counter::SUITE),
        "striped-counter" => Some(&striped_counter::SUITE),
        "concurrent-lru-cache" => Some(&concurrent_lru_cache::SUITE),
        _ => None,
    }
}
