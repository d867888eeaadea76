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
    for s in &exercise.submissions {
        if let Err(e) = s.verdict.parse::<Verdict>() {
            v.problems.push(format!("{}: folder name {e}", s.path));
        }
    }
    let wrong = exercise
        .submissions
        .iter()
        .filter(|s| s.verdict != "accepted")
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
        subjects.push((s.path.clone(), s.source.clone(), s.verdict.parse().ok()));
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
    let (got, detail) = match judge.judge(exercise, &submission, events) {
        Ok(r) => {
            let detail = match &r.failure {
                Some(f) => format!(
                    "{}: {} (expected {}, got {})",
                    r.summary, f.call, f.expected, f.actual
                ),
                None => r.summary.clone(),
            };
            (r.verdict, detail)
        }
        Err(e) => (Verdict::JudgeError, e.to_string()),
    };
    let ok = match expected {
        Some(v) => v == got,
        None => got != Verdict::Accepted && got != Verdict::JudgeError,
    };
    let fix = (!ok).then(|| match (expected, got) {
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
    });
    Check {
        subject: path.to_owned(),
        expected: expected.map_or("not accepted".to_owned(), |v| v.as_str().to_owned()),
        got,
        ok,
        detail,
        fix,
    }
}
