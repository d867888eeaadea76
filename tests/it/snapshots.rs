//! Reports tested like compiler diagnostics: each known submission carries the report it
//! must produce (`<name>.report`), and `judge validate` fails when a report changes.

use crate::contract::checkout;
use judge_tests::{judge, judge_with_env, root};

#[test]
fn every_known_submission_carries_its_report() {
    // Their smallest case depends on how far shrinking gets within its wall-clock budget
    // (`[tests] max_shrink_seconds`), so the report depends on the machine's load: a
    // snapshot would fail at random. (The judge's own nondeterminism, not the snapshot's.)
    let shrink_bound_by_time = [
        "bst-iterator/submissions/runtime_error/recursive_descent.rs",
        "bst-iterator/submissions/too_much_memory/ctor_primes_system.rs",
        "bst-iterator/submissions/too_much_memory/system_alloc.rs",
    ];
    let mut missing = Vec::new();
    let mut seen = 0;
    for exercise in std::fs::read_dir(root().join("exercises")).unwrap() {
        let submissions = exercise.unwrap().path().join("submissions");
        let Ok(verdicts) = std::fs::read_dir(&submissions) else {
            continue;
        };
        for verdict in verdicts {
            for file in std::fs::read_dir(verdict.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    seen += 1;
                    let known_flaky = shrink_bound_by_time.iter().any(|f| path.ends_with(f));
                    if !known_flaky && !path.with_extension("report").exists() {
                        missing.push(path.display().to_string());
                    }
                }
            }
        }
    }
    assert!(seen > 80, "{seen} known submissions");
    assert!(
        missing.is_empty(),
        "no snapshot (bless with `JUDGE_BLESS=1 judge --exercises . validate`): {missing:#?}"
    );
}

#[test]
fn a_changed_report_fails_validate_and_bless_rewrites_it() {
    let dir = checkout(str::to_owned);
    let root = dir.path().to_str().unwrap();
    let snapshot = dir
        .path()
        .join("exercises/k-distinct-substring/submissions/wrong_answer/off_by_one_length.report");
    // A report that blames another call than the one the judge finds.
    std::fs::write(
        &snapshot,
        "✗ wrong answer  k-distinct-substring\n  longest(\"\", 0)\n",
    )
    .unwrap();
    let args = ["--exercises", root, "validate", "k-distinct-substring"];
    // Strict, as authors compare (CI shows differences only: see .ci/run).
    let run = judge_with_env(&args, &[("JUDGE_SNAPSHOTS", "strict")]);
    assert_eq!(run.code, 1, "{}", run.all());
    let out = run.all();
    assert!(out.contains("report differs from its snapshot"), "{out}");
    assert!(
        out.contains("-  longest(\"\", 0)"),
        "the diff shows the old line: {out}"
    );
    assert!(out.contains("JUDGE_BLESS=1"), "{out}");

    let blessed = judge_with_env(&args, &[("JUDGE_BLESS", "1")]);
    assert_eq!(blessed.code, 0, "{}", blessed.all());
    assert!(
        blessed.all().contains("report snapshot blessed"),
        "{}",
        blessed.all()
    );
    let report = std::fs::read_to_string(&snapshot).unwrap();
    assert!(report.starts_with("✗ wrong answer"), "{report}");
    assert!(report.contains("replay:"), "{report}");
    assert!(
        !report.contains(" ms,") || report.contains("<N> ms"),
        "timings masked: {report}"
    );

    // The blessed report is what the next run produces: the same on every run.
    let again = judge(&args);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(!again.all().contains("differs"), "{}", again.all());
}
