//! `judge validate`: proves an exercise's hidden tests accept its reference, reject its
//! starter, and give every known-verdict submission its verdict.

use crate::judging::{Event, Judge, Submission};
use crate::verdict::Verdict;
use judge_exercises::{Catalog, Exercise};
use serde::Serialize;

/// One check of one exercise.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What was judged: `reference`, `starter` or the submission's path.
    pub subject: String,
    /// The verdict it must get (`not accepted` for the starter).
    pub expected: String,
    /// The verdict it got, or `judge_error`.
    pub got: Verdict,
    pub ok: bool,
    /// What the judge said about it.
    pub detail: String,
    /// How to fix a failed check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// What the performance gates measured and how far each is from flipping.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calibration: Vec<Calibration>,
}

/// One gate's measurement against its bound, as problem-package tools report it.
#[derive(Clone, Debug, Serialize)]
pub struct Calibration {
    /// `complexity` or `throughput`.
    pub gate: &'static str,
    /// The measured exponent or time ratio.
    pub measured: f64,
    /// For a time ratio, how far the spread of its rounds says it could be
    /// ([`crate::gates::ThroughputReport::ratio_interval`]); the upper end is `null` for a
    /// time-out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
    /// The bound it is compared with.
    pub bound: f64,
    /// Distance from the bound: exponent difference, or for a time ratio the factor between
    /// the tolerance and the end of `interval` nearest to it (below 1 when the tolerance
    /// lies inside the interval).
    pub margin: f64,
    /// The margin the exercise requires: its `margin`, or 1 for a time ratio whose verdict
    /// the complexity gate carries (see [`complexity_carries`]).
    pub required: f64,
    /// The verdict would flip within the required margin.
    pub fragile: bool,
    pub text: String,
}

/// Whether the complexity gate carries the performance verdict of a submission whose time
/// ratio is within the tolerance: it fitted the submission's growth within its bound.
///
/// Then fuel (deterministic, with its own margin) decides the asymptotic verdict and the
/// generous throughput tolerance only backs it up, so a time ratio is fragile only if the
/// tolerance lies within the interval its rounds measured: when running the gate again
/// could flip it. Where the throughput gate alone carries the verdict (no complexity gate,
/// or a ratio over the tolerance), the verdict must also hold with the ratio the
/// exercise's `[throughput] margin` times further off, as on another machine.
pub fn complexity_carries(performance: &crate::gates::Performance) -> bool {
    performance.throughput.as_ref().is_some_and(|t| {
        t.ratio <= t.tolerance
            && performance
                .complexity
                .as_ref()
                .is_some_and(|c| c.passes() && c.exponent.is_some())
    })
}

/// The margins of a report's gates (none when the gates did not run).
pub fn calibrate(report: &crate::Report, exercise: &Exercise) -> Vec<Calibration> {
    let mut out = Vec::new();
    let Some(p) = &report.performance else {
        return out;
    };
    if let (Some(c), Some(gate)) = (&p.complexity, &exercise.meta.complexity) {
        match (c.budget_exhausted_at, c.exponent) {
            (Some(at), _) => out.push(Calibration {
                gate: "complexity",
                measured: c.exponent.unwrap_or(f64::INFINITY),
                interval: None,
                bound: c.max_exponent,
                margin: f64::INFINITY,
                required: gate.margin,
                fragile: false,
                text: format!(
                    "complexity: ran out of {}x the reference's fuel at n = {at}",
                    gate.budget_factor
                ),
            }),
            (None, Some(e)) => {
                let margin = (c.max_exponent - e).abs();
                let fragile = margin < gate.margin;
                out.push(Calibration {
                    gate: "complexity",
                    measured: e,
                    interval: None,
                    bound: c.max_exponent,
                    margin,
                    required: gate.margin,
                    fragile,
                    text: format!(
                        "complexity: fuel n^{e:.2} against the bound n^{} ({} by {margin:.2}; {} margin {}){}",
                        c.max_exponent,
                        if e <= c.max_exponent { "under" } else { "over" },
                        if fragile { "below the required" } else { "required" },
                        gate.margin,
                        if fragile { ": FRAGILE" } else { "" }
                    ),
                })
            }
            (None, None) => {}
        }
    }
    if let (Some(t), Some(gate)) = (&p.throughput, &exercise.meta.throughput) {
        out.push(throughput_calibration(
            t,
            gate.margin,
            complexity_carries(p),
        ));
    }
    out
}

/// A time ratio against its tolerance: fragile when the tolerance lies within the ratio's
/// interval widened by the required margin (`gate_margin`, or 1 when the complexity gate
/// carries the verdict).
fn throughput_calibration(
    t: &crate::gates::ThroughputReport,
    gate_margin: f64,
    complexity_carries: bool,
) -> Calibration {
    let required = if complexity_carries { 1.0 } else { gate_margin };
    let (lo, hi) = t.ratio_interval();
    let under = t.ratio <= t.tolerance;
    let margin = if under {
        t.tolerance / hi.max(f64::MIN_POSITIVE)
    } else {
        lo / t.tolerance
    };
    let fragile = margin <= required;
    let spread = if hi.is_finite() {
        format!("rounds say {lo:.2}x to {hi:.2}x")
    } else {
        format!("timed out: {lo:.2}x or more")
    };
    Calibration {
        gate: "throughput",
        measured: t.ratio,
        interval: Some([lo, hi]),
        bound: t.tolerance,
        margin,
        required,
        fragile,
        text: format!(
            "throughput: {:.2}x the reference's time ({spread}) against the tolerance {}x ({} by a factor {margin:.2} from the interval's end; {} {required}x{}){}",
            t.ratio,
            t.tolerance,
            if under { "under" } else { "over" },
            if fragile { "at most the required" } else { "required" },
            if complexity_carries {
                ": the complexity gate carries the verdict"
            } else {
                ""
            },
            if fragile { ": FRAGILE" } else { "" }
        ),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ExerciseValidation {
    pub exercise: String,
    pub ok: bool,
    /// Problems with the package itself (it could not be loaded or is incomplete).
    pub problems: Vec<String>,
    pub checks: Vec<Check>,
}

/// Validates one exercise. `events` is told which subject is being judged.
pub fn validate(
    judge: &Judge,
    catalog: &Catalog,
    id: &str,
    events: &dyn Fn(&str, Event),
) -> ExerciseValidation {
    let mut v = ExerciseValidation {
        exercise: id.to_owned(),
        ok: true,
        problems: Vec::new(),
        checks: Vec::new(),
    };
    let exercise = match catalog.load(id) {
        Ok(e) => e,
        Err(e) => {
            v.problems.push(e.to_string());
            v.ok = false;
            return v;
        }
    };
    if judge_exercises::suite_for(id).is_none() {
        v.problems.push(format!(
            "no hidden-test suite for `{id}` is built into this judge: its exercises/{id}/suite.rs is compiled in, so rebuild the judge (`cargo build -p judge`) after adding or renaming the folder"
        ));
    }
    let wrong = exercise
        .submissions
        .iter()
        .filter(|s| s.verdict != Verdict::Accepted)
        .count();
    if wrong == 0 {
        v.problems.push(format!(
            "exercises/{id}/submissions has no known-wrong submission: add at least one under a folder named after the verdict it must get"
        ));
    }
    if !v.problems.is_empty() {
        v.ok = false;
        return v;
    }

    let mut subjects: Vec<(String, Vec<u8>, Option<Verdict>)> = vec![
        (
            exercise.reference_path.clone(),
            exercise.reference.clone().into_bytes(),
            Some(Verdict::Accepted),
        ),
        (
            format!("exercises/{id}/starter.rs"),
            exercise.starter.clone().into_bytes(),
            None,
        ),
    ];
    for s in &exercise.submissions {
        subjects.push((s.path.clone(), s.source.clone(), Some(s.verdict)));
    }
    for (path, bytes, expected) in subjects {
        events(&path, Event::Building);
        let check = check_one(judge, &exercise, &path, &bytes, expected, &|e| {
            events(&path, e)
        });
        v.ok &= check.ok;
        v.checks.push(check);
    }
    v
}

fn check_one(
    judge: &Judge,
    exercise: &Exercise,
    path: &str,
    bytes: &[u8],
    expected: Option<Verdict>,
    events: &dyn Fn(Event),
) -> Check {
    let submission = Submission {
        bytes,
        display: path.to_owned(),
        seed: None,
    };
    let (got, detail, calibration) = match judge.judge(exercise, &submission, events) {
        Ok(r) => {
            let detail = match &r.failure {
                Some(f) => format!(
                    "{}: {} (expected {}, got {})",
                    r.summary, f.call, f.expected, f.actual
                ),
                None => r.summary.clone(),
            };
            (r.verdict, detail, calibrate(&r, exercise))
        }
        Err(e) => (Verdict::JudgeError, e.to_string(), Vec::new()),
    };
    let right = match expected {
        Some(v) => v == got,
        None => got != Verdict::Accepted && got != Verdict::JudgeError,
    };
    // A right verdict that would flip within the exercise's margin is not good enough.
    let fragile = right && expected.is_some() && calibration.iter().any(|c| c.fragile);
    let ok = right && !fragile;
    let fix = fragile.then(|| {
        "the verdict is fragile: move the gate's bound (or tolerance) away from this measurement, or change the workload so that it separates this submission more clearly".to_owned()
    });
    let fix = fix.or_else(|| (!ok).then(|| match (expected, got) {
        (Some(Verdict::Accepted), _) if path.starts_with("reference/") => {
            "the reference must pass its own hidden tests: fix the reference, or the model and generators if they are wrong".to_owned()
        }
        (None, _) => "the starter must not pass: leave the function body as `todo!()`".to_owned(),
        (Some(Verdict::Accepted), _) => {
            "a correct alternative was rejected: the model or a generator is too strict, or the submission is not correct after all".to_owned()
        }
        (Some(want), Verdict::Accepted) => format!(
            "the hidden tests do not catch this {want} submission: add a generator case that exposes it, or raise the number of cases"
        ),
        (Some(want), _) => format!(
            "it must get {want}; move it to submissions/{got}/ if that verdict is right, or fix it so that it shows the intended bug"
        ),
    }));
    Check {
        subject: path.to_owned(),
        expected: expected.map_or("not accepted".to_owned(), |v| v.as_str().to_owned()),
        got,
        ok,
        detail,
        fix,
        calibration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::{ComplexityReport, Performance, ThroughputReport};

    /// Nine interleaved rounds whose per-round ratios are `ratios` (the reference takes
    /// 1 ms each round), as the throughput gate reports them.
    fn rounds(ratios: &[f64]) -> ThroughputReport {
        let reference_ns = vec![1_000_000; ratios.len()];
        let submission_ns: Vec<u64> = ratios.iter().map(|r| (r * 1e6).round() as u64).collect();
        let mut sorted = submission_ns.clone();
        sorted.sort_unstable();
        let ratio = sorted[sorted.len() / 2] as f64 / 1e6;
        ThroughputReport {
            size: 200_000,
            ratio,
            tolerance: 8.0,
            submission_ns,
            reference_ns,
            passed: ratio <= 8.0,
            timed_out: false,
        }
    }

    /// A complexity gate that fitted linear growth under its bound.
    fn linear() -> ComplexityReport {
        ComplexityReport {
            sizes: vec![2_000, 4_000, 8_000],
            fuel: vec![20_000, 40_000, 80_000],
            reference_fuel: vec![20_000, 40_000, 80_000],
            exponent: Some(1.0),
            reference_exponent: 1.0,
            max_exponent: 1.4,
            bound: "O(n)".into(),
            budget_exhausted_at: None,
            budget: None,
            inconclusive_at: None,
        }
    }

    fn calibrated(t: ThroughputReport, complexity: Option<ComplexityReport>) -> Calibration {
        let p = Performance {
            complexity,
            throughput: Some(t),
            contention: None,
        };
        throughput_calibration(p.throughput.as_ref().unwrap(), 1.5, complexity_carries(&p))
    }

    #[test]
    fn a_ratio_right_at_the_tolerance_is_fragile() {
        let at = [7.6, 8.3, 7.9, 8.1, 7.7, 8.0, 8.4, 7.8, 8.2];
        let c = calibrated(rounds(&at), Some(linear()));
        assert_eq!(c.measured, 8.0);
        assert_eq!(c.required, 1.0, "the complexity gate carries it");
        assert!(c.fragile, "{}", c.text);
        assert!(c.margin < 1.0, "the tolerance is inside the interval");
        // No spread at all: the tolerance is still an end of the interval.
        let c = calibrated(rounds(&[8.0; 9]), Some(linear()));
        assert!(c.fragile, "{}", c.text);
        // Just under the tolerance, with the interval reaching over it.
        let under = [7.0, 7.2, 7.5, 8.2, 7.1, 7.4, 8.1, 7.6, 7.35];
        let c = calibrated(rounds(&under), Some(linear()));
        assert!(c.measured < 8.0 && c.fragile, "{}", c.text);
    }

    #[test]
    fn a_widely_spread_ratio_well_inside_the_tolerance_is_not_fragile() {
        // Median 5.6x: within the old rule's 8 / 1.5 = 5.33 line, which flipped from run
        // to run; its interval (rounds 2 and 8 of 9) stays well under 8.
        let wide = [3.0, 6.6, 4.1, 5.6, 7.9, 3.9, 6.0, 5.0, 6.9];
        let c = calibrated(rounds(&wide), Some(linear()));
        assert_eq!(c.measured, 5.6);
        assert_eq!(c.interval, Some([3.9, 6.9]));
        assert!(!c.fragile, "{}", c.text);
        assert!(c.text.contains("the complexity gate carries the verdict"));
        // A measured btree_window run of k-distinct-substring (per-round ratios).
        let measured = [3.39, 4.83, 3.63, 4.46, 5.15, 3.49, 4.6, 3.71, 4.55];
        assert!(!calibrated(rounds(&measured), Some(linear())).fragile);
    }

    #[test]
    fn where_the_time_ratio_alone_carries_the_verdict_it_keeps_the_margin() {
        let wide = [3.0, 6.6, 4.1, 5.6, 7.9, 3.9, 6.0, 5.0, 6.9];
        // No complexity gate (or one that fitted nothing): 6.9 x 1.5 reaches 8.
        for complexity in [
            None,
            Some(ComplexityReport {
                exponent: None,
                inconclusive_at: Some(4_000),
                ..linear()
            }),
        ] {
            let c = calibrated(rounds(&wide), complexity);
            assert_eq!(c.required, 1.5);
            assert!(c.fragile, "{}", c.text);
        }
        // Far inside: not fragile either way.
        let fast = [1.1, 0.9, 1.0, 1.3, 0.8, 1.0, 1.2, 0.95, 1.05];
        assert!(!calibrated(rounds(&fast), None).fragile);
        // A rejection by the time ratio: 9x is within 1.5x of 8x even with no spread,
        // and so is one whose rounds reach down to the tolerance.
        let over = [9.0, 9.2, 8.8, 9.1, 8.9, 9.0, 9.3, 8.7, 9.0];
        let c = calibrated(rounds(&over), Some(linear()));
        assert_eq!(
            c.required, 1.5,
            "over the tolerance: the time ratio decides"
        );
        assert!(c.fragile, "{}", c.text);
        let clear = [14.0, 15.0, 13.0, 16.0, 14.5, 15.5, 13.5, 14.2, 14.8];
        assert!(!calibrated(rounds(&clear), Some(linear())).fragile);
        // A time-out is ten times over the tolerance, a lower bound.
        let mut timed_out = rounds(&[80.0]);
        timed_out.timed_out = true;
        let c = calibrated(timed_out, None);
        assert!(!c.fragile, "{}", c.text);
        assert_eq!(c.interval, Some([80.0, f64::INFINITY]));
    }
}
