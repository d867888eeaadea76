//! Reports for people: what failed, why, what to try. Colour only when asked for.

use judge::validate::ExerciseValidation;
use judge::verdict::{Report, Verdict};
use std::fmt::Write;

/// ANSI styles, or none (not a terminal, or `NO_COLOR` set).
#[derive(Clone, Copy)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn for_stderr() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            enabled: super::stderr_is_terminal() && !no_color,
        }
    }

    #[cfg(test)]
    pub fn plain() -> Self {
        Palette { enabled: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    fn good(&self, text: &str) -> String {
        self.paint("1;32", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// The report of `judge run`.
pub fn report(r: &Report, p: &Palette) -> String {
    let mut out = String::new();
    let title = match r.verdict {
        Verdict::Accepted => p.good(&format!("✓ {}", r.verdict.title())),
        v => p.error(&format!("✗ {}", v.title())),
    };
    let _ = writeln!(
        out,
        "{title}  {} {}",
        p.bold(&r.exercise),
        p.dim(&format!("({})", r.submission))
    );
    let _ = writeln!(out, "  {}", r.summary);
    for d in &r.diagnostics {
        let _ = writeln!(out);
        for line in d.rendered.trim_end().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(f) = &r.failure {
        let shrunk = match f.shrink_steps {
            0 => String::new(),
            n => format!(", shrunk in {n} step{}", if n == 1 { "" } else { "s" }),
        };
        if f.on_workload {
            let _ = writeln!(out, "\n  measured on:");
        } else {
            let _ = writeln!(
                out,
                "\n  smallest failing case (after {} passing case{}{shrunk}):",
                f.passed_before,
                if f.passed_before == 1 { "" } else { "s" }
            );
        }
        for line in f.call.lines() {
            let _ = writeln!(out, "    {}", p.bold(line));
        }
        if r.verdict == Verdict::WrongAnswer {
            if f.expected.contains('\n') || f.actual.contains('\n') {
                let _ = writeln!(out, "  {} / {}:", p.good("+ expected"), p.error("- actual"));
                let diff = similar::TextDiff::from_lines(&f.actual, &f.expected);
                for change in diff.iter_all_changes() {
                    let line = change.to_string_lossy();
                    let line = line.trim_end_matches('\n');
                    let _ = match change.tag() {
                        similar::ChangeTag::Insert => {
                            writeln!(out, "    {}", p.good(&format!("+{line}")))
                        }
                        similar::ChangeTag::Delete => {
                            writeln!(out, "    {}", p.error(&format!("-{line}")))
                        }
                        similar::ChangeTag::Equal => writeln!(out, "     {line}"),
                    };
                }
            } else {
                let _ = writeln!(out, "  expected: {}", p.good(&f.expected));
                let _ = writeln!(out, "  actual:   {}", p.error(&f.actual));
            }
        } else {
            let _ = writeln!(out, "  expected: {}", f.expected);
            let _ = writeln!(out, "  instead:  {}", p.error(&f.actual));
        }
        for (name, text) in [("stdout", &f.stdout), ("stderr", &f.stderr)] {
            if !text.trim().is_empty() {
                let _ = writeln!(out, "  your {name}:");
                for line in text.trim_end().lines().take(20) {
                    let _ = writeln!(out, "    {}", p.dim(line));
                }
            }
        }
    }
    if let Some(h) = &r.hint {
        let _ = writeln!(out, "\n  {} {h}", p.bold("hint:"));
    }
    if r.verdict != Verdict::CompileError && r.verdict != Verdict::Accepted {
        let _ = writeln!(out, "  {} {}", p.bold("replay:"), r.replay);
    }
    let s = &r.stats;
    let cached = if s.cached_build { ", cached build" } else { "" };
    let _ = writeln!(
        out,
        "  {}",
        p.dim(&format!(
            "seed {}, {} calls, build {} ms{cached}, tests {} ms{}",
            r.seed,
            s.cases,
            s.build_ms,
            s.test_ms,
            if s.gates_ms > 0 {
                format!(", performance gates {} ms", s.gates_ms)
            } else {
                String::new()
            }
        ))
    );
    out
}

/// The report of `judge validate` for one exercise.
pub fn validation(v: &ExerciseValidation, p: &Palette) -> String {
    let mut out = String::new();
    let head = if v.ok {
        p.good("✓ valid")
    } else {
        p.error("✗ invalid")
    };
    let _ = writeln!(out, "{head}  {}", p.bold(&v.exercise));
    for problem in &v.problems {
        let _ = writeln!(out, "  {} {problem}", p.error("problem:"));
    }
    for c in &v.checks {
        let mark = if c.ok {
            p.good("ok  ")
        } else {
            p.error("FAIL")
        };
        let _ = writeln!(
            out,
            "  {mark} {:<64} {} (expected {})",
            c.subject, c.got, c.expected
        );
        for cal in &c.calibration {
            let text = if cal.fragile {
                p.error(&cal.text)
            } else {
                p.dim(&cal.text)
            };
            let _ = writeln!(out, "       {text}");
        }
        if !c.ok {
            let _ = writeln!(out, "       {}", c.detail);
            if let Some(fix) = &c.fix {
                let _ = writeln!(out, "       {} {fix}", p.bold("fix:"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge::verdict::{FailureReport, Stats};

    fn sample(verdict: Verdict, expected: &str, actual: &str) -> Report {
        Report {
            verdict,
            exercise: "k-distinct-substring".into(),
            submission: "sol.rs".into(),
            summary: "returned a wrong answer".into(),
            hint: Some("try it".into()),
            seed: 7,
            replay: "judge run k-distinct-substring sol.rs --seed 7".into(),
            failure: Some(FailureReport {
                call: "f(\"é\", 1)".into(),
                expected: expected.into(),
                actual: actual.into(),
                passed_before: 3,
                on_workload: false,
                shrink_steps: 2,
                stdout: String::new(),
                stderr: String::new(),
            }),
            diagnostics: Vec::new(),
            performance: None,
            stats: Stats::default(),
        }
    }

    #[test]
    fn wrong_answer_shows_case_expected_actual_and_replay() {
        let text = report(&sample(Verdict::WrongAnswer, "1", "2"), &Palette::plain());
        assert!(
            text.starts_with("✗ wrong answer  k-distinct-substring (sol.rs)\n"),
            "{text}"
        );
        assert!(
            text.contains("after 3 passing cases, shrunk in 2 steps"),
            "{text}"
        );
        assert!(
            text.contains("    f(\"é\", 1)\n  expected: 1\n  actual:   2\n"),
            "{text}"
        );
        assert!(
            text.contains("replay: judge run k-distinct-substring sol.rs --seed 7"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn multi_line_answers_are_diffed() {
        let text = report(
            &sample(Verdict::WrongAnswer, "a\nb\nc", "a\nx\nc"),
            &Palette::plain(),
        );
        assert!(text.contains("    -x\n    +b\n"), "{text}");
    }

    #[test]
    fn a_failure_on_a_performance_workload_is_not_called_a_smallest_case() {
        let mut r = sample(Verdict::WrongAnswer, "1", "2");
        r.summary = "on a performance workload: returned a wrong answer".into();
        if let Some(f) = r.failure.as_mut() {
            f.on_workload = true;
        }
        let text = report(&r, &Palette::plain());
        assert!(text.contains("\n  measured on:\n"), "{text}");
        assert!(!text.contains("smallest failing case"), "{text}");
    }
}
