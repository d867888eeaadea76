//! Reference solutions: ordinary Rust, tested natively, and judged in the sandbox as the baseline.

// One module per exercise. Each module file is also compiled on its own as a submission, so it
// must follow the submission rules: std only, no inner attributes or `//!` comments, no
// `include!`-style macros, its entry points `pub` at the top level.
pub mod k_distinct_substring;

// Types the judge provides to candidates (`TreeNode`, `FsError`): the same files the judge
// compiles with each submission, so the references name them exactly as candidates do.
include!("../../exercises/bst-iterator/provided.rs");
include!("../../exercises/in-memory-fs/provided.rs");

pub mod atomic_counter;
pub mod bst_iterator;
pub mod concurrent_lru_cache;
pub mod hash_ring;
pub mod in_memory_fs;
pub mod lru_cache;
pub mod striped_counter;
