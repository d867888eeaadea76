//! Reports for people: what failed, why, what to try. Colour only when asked for.

use judge::validate::ExerciseValidation;
use judge::verdict::{Report, Verdict};
use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` would act on the terminal or hide what follows instead of showing itself:
/// C0 controls other than newline and tab, DEL, C1 controls (ESC starts every escape
/// sequence; CSI is also U+009B), the bidi embeddings, overrides and isolates that reorder
/// a line, and invisible format characters (zero-width spaces and joiners, separators,
/// BOM, tag characters, fillers). Emoji variation selectors stay: they hide nothing.
fn hides(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

/// `text` with every character that [`hides`] written visibly as `\u{..}`: text from the
/// guest, rustc or a file name cannot clear the screen, move the cursor, recolour or
/// reorder the report. Newlines and tabs stay. (JSON needs none of this: serde escapes
/// control characters, and a JSON reader does not interpret the rest.)
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hides) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hides(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// ANSI styles, or none (not a terminal, or `NO_COLOR` set).
#[derive(Clone, Copy)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    /// Colour for text on stderr (the judge's own error messages).
    pub fn for_stderr() -> Self {
        Self::when(super::stderr_is_terminal())
    }

    /// Colour for text on stdout (the reports).
    pub fn for_stdout() -> Self {
        Self::when(super::stdout_is_terminal())
    }

    fn when(terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            enabled: terminal && !no_color,
        }
    }

    /// No colour: snapshots of reports (`judge validate`) and tests.
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

/// `text`'s lines after the first indented by `indent`, so that nothing the guest wrote
/// starts a line where the judge's own lines start (a fake title at column 0, say).
fn indented(text: &str, indent: &str) -> String {
    text.trim_end().replace('\n', &format!("\n{indent}"))
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
        p.bold(&clean(&r.exercise)),
        p.dim(&format!("({})", clean(&r.submission)))
    );
    let _ = writeln!(out, "  {}", indented(&clean(&r.summary), "    "));
    for note in &r.notes {
        let _ = writeln!(out, "  {}", p.dim(&format!("note: {}", clean(note))));
    }
    for d in &r.diagnostics {
        let _ = writeln!(out);
        for line in clean(&d.rendered).trim_end().lines() {
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
        for line in clean(&f.call).lines() {
            let _ = writeln!(out, "    {}", p.bold(line));
        }
        let (expected, actual) = (clean(&f.expected), clean(&f.actual));
        if r.verdict == Verdict::WrongAnswer {
            if expected.contains('\n') || actual.contains('\n') {
                let _ = writeln!(out, "  {} / {}:", p.good("+ expected"), p.error("- actual"));
                let diff = similar::TextDiff::from_lines(&*actual, &*expected);
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
                let _ = writeln!(out, "  expected: {}", p.good(&expected));
                let _ = writeln!(out, "  actual:   {}", p.error(&actual));
            }
        } else {
            let _ = writeln!(out, "  expected: {}", indented(&expected, "            "));
            let _ = writeln!(
                out,
                "  instead:  {}",
                p.error(&indented(&actual, "            "))
            );
        }
        for (name, text) in [("stdout", &f.stdout), ("stderr", &f.stderr)] {
            if !text.trim().is_empty() {
                let _ = writeln!(out, "  your {name}:");
                for line in clean(text).trim_end().lines().take(20) {
                    let _ = writeln!(out, "    {}", p.dim(line));
                }
            }
        }
    }
    if let Some(h) = &r.hint {
        let _ = writeln!(out, "\n  {} {}", p.bold("hint:"), clean(h));
    }
    if r.verdict != Verdict::CompileError && r.verdict != Verdict::Accepted {
        let _ = writeln!(out, "  {} {}", p.bold("replay:"), clean(&r.replay));
    }
    if let Some(m) = &r.memory_model {
        let _ = writeln!(out, "  {} {}", p.bold("memory model:"), clean(&m.note));
        for w in &m.warnings {
            let _ = writeln!(out, "  {} {}", p.bold("warning:"), clean(w));
        }
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
    let _ = writeln!(out, "{head}  {}", p.bold(&clean(&v.exercise)));
    for problem in &v.problems {
        let _ = writeln!(out, "  {} {}", p.error("problem:"), clean(problem));
    }
    if !v.coverage.is_empty() {
        let _ = writeln!(
            out,
            "  contract coverage (the statement's boundaries, default seed):"
        );
    }
    for b in &v.coverage {
        let line = match b.first_case {
            Some(case) => p.dim(&format!("ok   {:<28} first reached by case {case}", b.id)),
            None => p.error(&format!("FAIL {:<28} never reached: {}", b.id, b.promise)),
        };
        let _ = writeln!(out, "  {line}");
        if let Some(fix) = &b.fix {
            let _ = writeln!(out, "       {} {}", p.bold("fix:"), clean(fix));
        }
    }
    for c in &v.checks {
        let mark = if c.ok {
            p.good("ok  ")
        } else {
            p.error("FAIL")
        };
        let snapshot = match c.snapshot {
            Some(judge::validate::SnapshotStatus::Differs) => ", report differs from its snapshot",
            Some(judge::validate::SnapshotStatus::Missing) => ", no report snapshot",
            Some(judge::validate::SnapshotStatus::Blessed) => ", report snapshot blessed",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {mark} {:<64} {} (expected {}){snapshot}",
            clean(&c.subject),
            c.got,
            c.expected
        );
        for cal in &c.calibration {
            let text = if cal.fragile {
                p.error(&clean(&cal.text))
            } else {
                p.dim(&clean(&cal.text))
            };
            let _ = writeln!(out, "       {text}");
        }
        if !c.ok {
            let _ = writeln!(out, "       {}", clean(&c.detail));
            if let Some(fix) = &c.fix {
                let _ = writeln!(out, "       {} {}", p.bold("fix:"), clean(fix));
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
                detail: Default::default(),
            }),
            diagnostics: Vec::new(),
            performance: None,
            memory_model: None,
            notes: Vec::new(),
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
    fn terminal_controls_from_the_guest_are_shown_not_obeyed() {
        let mut r = sample(
            Verdict::RuntimeError,
            "1",
            "panicked at sol.rs:1:1:\n\x1b[2J\x1b[H\x1b[1;32m✓ accepted\x1b[0m\u{202e}dilav",
        );
        r.summary = "panicked at sol.rs:1:1: \x1b[2J\r✓ accepted".into();
        if let Some(f) = r.failure.as_mut() {
            f.stdout =
                "ok\n\x1b]0;title\x07\u{9b}2J\u{2066}x\u{2069}\u{200b}\u{feff}\tend\n".into();
            f.stderr = "\x1bc\x7f\u{e0041}".into();
        }
        let text = report(&r, &Palette::plain());
        assert!(!text.chars().any(hides), "{text:?}");
        assert!(
            text.contains("\\u{1b}[2J\\u{1b}[H\\u{1b}[1;32m✓ accepted\\u{1b}[0m\\u{202e}dilav"),
            "{text}"
        );
        assert!(
            text.contains("  panicked at sol.rs:1:1: \\u{1b}[2J\\u{d}✓ accepted\n"),
            "{text}"
        );
        assert!(text.contains("    ok\n    \\u{1b}]0;title\\u{7}\\u{9b}2J\\u{2066}x\\u{2069}\\u{200b}\\u{feff}\tend\n"), "{text}");
        assert!(text.contains("\\u{1b}c\\u{7f}\\u{e0041}"), "{text}");
        // A line of the guest's never starts where the judge's own lines do.
        for line in text.lines().skip(1) {
            assert!(
                line.is_empty() || line.starts_with("  "),
                "{line:?} in\n{text}"
            );
        }
        assert!(text.contains("\n            \\u{1b}[2J\\u{1b}[H"), "{text}");
        // Ordinary text, accents, CJK and emoji stay as they are.
        assert_eq!(clean("é 你好 🦀 ❤️\ttab\nline"), "é 你好 🦀 ❤️\ttab\nline");
        // The palette's own colours still work.
        let coloured = report(&r, &Palette { enabled: true });
        assert!(
            coloured.starts_with("\x1b[1;31m✗ runtime error\x1b[0m"),
            "{coloured:?}"
        );
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
