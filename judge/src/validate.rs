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
    /// The bound it is compared with.
    pub bound: f64,
    /// Distance from the bound: exponent difference, or ratio factor.
    pub margin: f64,
    /// The margin the exercise requires.
    pub required: f64,
    /// The verdict would flip within the required margin.
    pub fragile: bool,
    pub text: String,
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
        let margin = if t.ratio <= t.tolerance {
            t.tolerance / t.ratio.max(f64::MIN_POSITIVE)
        } else {
            t.ratio / t.tolerance
        };
        let fragile = margin < gate.margin;
        out.push(Calibration {
            gate: "throughput",
            measured: t.ratio,
            bound: t.tolerance,
            margin,
            required: gate.margin,
            fragile,
            text: format!(
                "throughput: {:.2}x the reference's time against the tolerance {}x ({} by a factor {margin:.1}; {} margin {}x){}",
                t.ratio,
                t.tolerance,
                if t.ratio <= t.tolerance { "under" } else { "over" },
                if fragile { "below the required" } else { "required" },
                gate.margin,
                if fragile { ": FRAGILE" } else { "" }
            ),
        });
    }
    out
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
            "no hidden-test suite is registered for `{id}`: add one in exercises/src and list it in `suite_for`"
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
