//! The judge: builds a submission to WebAssembly, runs an exercise's hidden tests against
//! it in the sandbox, and returns a verdict report. The library never prints; the binary's
//! CLI (`judge/src/cli/`, a module of `main.rs`) renders its reports.

pub mod cache;
pub mod compile;
pub mod exit_codes;
pub mod gates;
mod glue;
pub mod judging;
pub mod miri;
pub mod scaffold;
pub mod scan;
pub mod validate;
pub mod verdict;

pub use judging::{Event, Judge, JudgeConfig, JudgeError, Submission};
pub use verdict::{Report, Verdict};
