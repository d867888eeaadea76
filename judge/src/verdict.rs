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
    /// What the memory-model tier (Miri) did, when it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_model: Option<crate::miri::MemoryModel>,
    /// How the submission was judged, when that is not the usual (built as edition 2021
    /// because it does not compile as 2024; rustc not confined by the kernel).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub stats: Stats,
}

/// Most of each text a submission controls that a report carries (`call`, `expected`,
/// `actual`, printed output, each diagnostic), in bytes.
pub const SHOWN_BYTES: usize = 4096;

impl Report {
    /// The report with every text the submission controls capped at [`SHOWN_BYTES`], the
    /// full size stated after the cut, so that a 60 MB return value makes a small report
    /// (for people and in JSON alike).
    pub fn bounded(mut self) -> Self {
        if let Some(f) = &mut self.failure {
            for text in [
                &mut f.call,
                &mut f.expected,
                &mut f.actual,
                &mut f.stdout,
                &mut f.stderr,
            ] {
                cap(text, SHOWN_BYTES);
            }
        }
        for d in &mut self.diagnostics {
            cap(&mut d.message, SHOWN_BYTES);
            cap(&mut d.rendered, SHOWN_BYTES);
        }
        cap(&mut self.summary, SHOWN_BYTES);
        self
    }
}

/// Cuts `text` to at most `max` bytes (at a character boundary) and says how long it was.
pub fn cap(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let total = text.len();
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!(
        "… ({} bytes in all)",
        crate::gates::thousands(total as u64)
    ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_at_a_character_boundary_with_its_size() {
        let mut short = "é".repeat(10);
        cap(&mut short, 20);
        assert_eq!(short, "é".repeat(10));
        let mut long = "é".repeat(10);
        cap(&mut long, 5);
        assert_eq!(long, "éé… (20 bytes in all)");
        let mut huge = "x".repeat(61_234_567);
        cap(&mut huge, SHOWN_BYTES);
        assert!(huge.starts_with(&"x".repeat(SHOWN_BYTES)));
        assert!(
            huge.ends_with("x… (61,234,567 bytes in all)"),
            "{}",
            &huge[4000..]
        );
        assert!(huge.len() < SHOWN_BYTES + 40);
    }
}
