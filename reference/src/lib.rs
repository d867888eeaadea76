//! Reference solutions: ordinary Rust, tested natively, and judged in the sandbox as the baseline.

// One module per exercise. Each module file is also compiled on its own as a submission, so it
// must follow the submission rules: std only, no inner attributes or `//!` comments, no
// `include!`-style macros, its entry points `pub` at the top level.
pub mod k_distinct_substring;
