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
/// Most diagnostics a report carries; the rest are counted in one last line.
pub const SHOWN_DIAGNOSTICS: usize = 50;

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
            ]
            .into_iter()
            .chain(f.detail.failed_call.as_mut().map(|c| &mut c.call))
            .chain(&mut f.detail.notes)
            {
                cap(text, SHOWN_BYTES);
            }
        }
        if self.diagnostics.len() > SHOWN_DIAGNOSTICS {
            let more = self.diagnostics.len() - SHOWN_DIAGNOSTICS;
            self.diagnostics.truncate(SHOWN_DIAGNOSTICS);
            let message = format!("… and {more} more not shown");
            self.diagnostics.push(Diagnostic {
                rendered: format!("{message}\n"),
                message,
                code: None,
                line: None,
                column: None,
            });
        }
        for d in &mut self.diagnostics {
            cap(&mut d.message, SHOWN_BYTES);
            cap(&mut d.rendered, SHOWN_BYTES);
        }
        cap(&mut self.summary, SHOWN_BYTES);
        self
    }
}

/// Cuts `text` to about `max` bytes, saying how long it was: the first three quarters
/// and the last quarter are kept (at line boundaries near the cut, at character boundaries
/// always), since what matters is often at the end (a transcript's marked call, the end
/// of a panic).
pub fn cap(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let total = text.len();
    let mut head = max / 4 * 3;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    // A newline byte is never inside a character: cutting after one is on a boundary.
    let bytes = text.as_bytes();
    if let Some(nl) = bytes[head / 2..head].iter().rposition(|&b| b == b'\n') {
        head = head / 2 + nl + 1;
    }
    let mut tail = total - max / 4;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    let quarter = (total - tail) / 2;
    if let Some(nl) = bytes[tail..tail + quarter].iter().position(|&b| b == b'\n') {
        tail += nl + 1;
    }
    let marker = format!(
        "… ({} bytes in all, {} left out) …",
        crate::gates::thousands(total as u64),
        crate::gates::thousands((tail - head) as u64)
    );
    let marker = if text[..head].ends_with('\n') {
        format!("{marker}\n")
    } else {
        marker
    };
    *text = format!("{}{marker}{}", &text[..head], &text[tail..]);
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
    /// Where the case failed and what else a reader should know about it.
    #[serde(flatten)]
    pub detail: FailureDetail,
}

/// What a report says about a failing case beyond the call and the answers (flattened
/// into the failure's JSON object).
#[derive(Clone, Debug, Default, Serialize)]
pub struct FailureDetail {
    /// The case was shrunk: the smallest the judge found that fails the same way. A case
    /// shown as it was found (a memory limit, each retry of which fills the cap again; a
    /// suite out of time) is not called the smallest.
    pub shrunk: bool,
    /// For a case of several calls that failed without returning (a panic, a time-out):
    /// the call it failed in, found by running the case's prefixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_call: Option<FailedCall>,
    /// Facts about the case's values a reader could miss (a 32-bit `usize` wrap).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The call of a case that failed without returning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailedCall {
    /// 1-based; 0 is the setup (the constructor) before the first call.
    pub index: usize,
    /// Calls in the case.
    pub of: usize,
    /// The call as the candidate would write it.
    pub call: String,
    /// What happened in it: "panicked", "did not return", ...
    pub how: String,
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
    fn a_report_keeps_fifty_diagnostics_and_counts_the_rest() {
        let diagnostic = |i: usize| Diagnostic {
            message: format!("error {i}"),
            code: None,
            line: Some(i),
            column: Some(1),
            rendered: "x".repeat(10_000),
        };
        let report = Report {
            verdict: Verdict::CompileError,
            exercise: "e".into(),
            submission: "s.rs".into(),
            summary: "s.rs does not compile (1000 errors)".into(),
            hint: None,
            seed: 1,
            replay: String::new(),
            failure: None,
            diagnostics: (1..=1000).map(diagnostic).collect(),
            performance: None,
            memory_model: None,
            notes: Vec::new(),
            stats: Stats::default(),
        }
        .bounded();
        assert_eq!(report.diagnostics.len(), SHOWN_DIAGNOSTICS + 1);
        assert_eq!(report.diagnostics[49].message, "error 50");
        assert_eq!(report.diagnostics[50].message, "… and 950 more not shown");
        assert!(report
            .diagnostics
            .iter()
            .all(|d| d.rendered.len() < SHOWN_BYTES + 64));
        // Within the limits, nothing changes.
        let small = Report {
            diagnostics: (1..=3)
                .map(|i| Diagnostic {
                    rendered: "r".into(),
                    ..diagnostic(i)
                })
                .collect(),
            ..report
        }
        .bounded();
        assert_eq!(small.diagnostics.len(), 3);
        assert_eq!(small.diagnostics[2].rendered, "r");
    }

    #[test]
    fn a_long_text_keeps_its_start_and_end_and_says_how_long_it_was() {
        let mut short = "é".repeat(10);
        cap(&mut short, 20);
        assert_eq!(short, "é".repeat(10));
        let mut long = "é".repeat(10);
        cap(&mut long, 8);
        assert_eq!(long, "ééé… (20 bytes in all, 12 left out) …é");
        let mut huge = "x".repeat(61_234_567);
        cap(&mut huge, SHOWN_BYTES);
        assert!(huge.starts_with(&"x".repeat(3072)), "{}", &huge[..100]);
        assert!(huge.ends_with(&"x".repeat(1024)));
        assert!(
            huge.contains("x… (61,234,567 bytes in all, 61,230,471 left out) …x"),
            "{}",
            &huge[3000..3200]
        );
        assert!(huge.len() < SHOWN_BYTES + 64);
        // Lines: cut between them, and the last line (a transcript's marked call) kept.
        let mut transcript: String = (0..1000).map(|i| format!("fs.ls(\"/{i}\")\n")).collect();
        transcript.push_str("fs.mv(\"/a\", \"/b\")    <- call 1001: the first result that differs");
        cap(&mut transcript, SHOWN_BYTES);
        assert!(transcript.len() < SHOWN_BYTES + 64);
        assert!(transcript.ends_with("<- call 1001: the first result that differs"));
        let marker = transcript
            .lines()
            .find(|l| l.starts_with('…'))
            .expect("the marker on a line of its own");
        assert!(marker.ends_with("left out) …"), "{marker}");
        assert!(
            transcript
                .lines()
                .all(|l| l.starts_with("fs.") || l == marker),
            "{transcript}"
        );
    }
}
