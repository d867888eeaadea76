//! Verdicts and the report of one judged submission: data, rendered by the CLI.

use serde::Serialize;

pub use judge_core::Verdict;

/// Everything the judge found out about one submission.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub exercise: String,
    pub submission: String,
    /// One sentence: what happened.
    pub summary: String,
    /// What to try next, when the judge has a suggestion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub seed: u64,
    /// The command that replays this run exactly.
    pub replay: String,
    /// The smallest failing case, for a rejection found by the hidden tests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureReport>,
    /// Compiler errors or forbidden constructs, for `compile_error`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// What the performance gates measured, when they ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance: Option<crate::gates::Performance>,
    pub stats: Stats,
}

/// The smallest failing case found.
#[derive(Clone, Debug, Serialize)]
pub struct FailureReport {
    /// The call, as the candidate would write it.
    pub call: String,
    pub expected: String,
    /// What came back, or what went wrong instead.
    pub actual: String,
    /// Cases that passed before the first failure.
    pub passed_before: u32,
    /// The call is a performance gate's workload, not a hidden test (absent when false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub on_workload: bool,
    pub shrink_steps: u32,
    /// What the submission printed during that call (capped).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stdout: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stderr: String,
}

/// A compiler error or a forbidden construct, located in the submission.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 1-based line and column in the submission, if the error is located there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Rendered for people, quoting nothing but the submission.
    pub rendered: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub cases: u32,
    pub build_ms: u64,
    pub test_ms: u64,
    /// Time the performance gates took.
    pub gates_ms: u64,
    /// Time from the start of the hidden tests to the first failing case (before shrinking).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failure_ms: Option<u64>,
    pub cached_build: bool,
}
