//! The command line's contract: commands, usage errors and exit statuses.

use judge_tests::{judge, root};

#[test]
fn list_show_and_init() {
    let run = judge(&["list"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("k-distinct-substring"),
        "{}",
        run.stdout
    );
    let json: serde_json::Value = serde_json::from_str(&judge(&["list", "--json"]).stdout).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "k-distinct-substring"));

    let run = judge(&["show", "k-distinct-substring"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .contains("pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("solution.rs");
    let p = path.to_str().unwrap();
    let run = judge(&["init", "k-distinct-substring", p]);
    assert_eq!(run.code, 0, "{}", run.all());
    let starter = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        starter,
        std::fs::read_to_string(root().join("exercises/k-distinct-substring/starter.rs")).unwrap()
    );
    let again = judge(&["init", "k-distinct-substring", p]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already exists; pass --force"),
        "{}",
        again.stderr
    );
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let run = judge(&[
        "run",
        "k-distinct",
        "exercises/k-distinct-substring/reference.rs",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown exercise `k-distinct` (did you mean `k-distinct-substring`?)"),
        "{}",
        run.stderr
    );

    let run = judge(&["run", "no-such-thing", "x.rs", "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["verdict"], "judge_error");

    let run = judge(&["run", "k-distinct-substring", "does/not/exist.rs"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("failed to read does/not/exist.rs"),
        "{}",
        run.stderr
    );

    let run = judge(&["run", "k-distinct-substring", "reference"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);

    let run = judge(&[
        "run",
        "k-distinct-substring",
        "exercises/k-distinct-substring/reference.rs",
        "--seed",
        "x",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(judge(&["frobnicate"]).code, 2);
    assert_eq!(judge(&["--help"]).code, 0);
}

#[test]
fn validate_accepts_the_shipped_exercises() {
    let run = judge(&["validate", "--json"]);
    let json = run.json();
    // Name the failing checks (and their calibration) rather than dump every report.
    let failing: Vec<String> = json["exercises"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["checks"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["ok"] != true)
        .map(|c| {
            format!(
                "{} got {}: {} {}",
                c["subject"], c["got"], c["detail"], c["calibration"]
            )
        })
        .collect();
    assert_eq!(run.code, 0, "failing checks: {failing:#?}\n{}", run.stderr);
    assert_eq!(json["ok"], true);
    let checks = json["exercises"][0]["checks"].as_array().unwrap();
    assert!(checks.len() >= 10);
    assert!(checks.iter().all(|c| c["ok"] == true));
}

/// A copy of the packages where one known-wrong submission is in fact correct: validation
/// must fail, name it, and say how to fix it.
#[test]
fn validate_reports_a_known_wrong_submission_the_tests_do_not_catch() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |rel: &str| {
        let from = root().join(rel);
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    for rel in [
        "exercises/k-distinct-substring/exercise.toml",
        "exercises/k-distinct-substring/README.md",
        "exercises/k-distinct-substring/starter.rs",
        "exercises/k-distinct-substring/harness.rs",
        "exercises/k-distinct-substring/reference.rs",
    ] {
        copy(rel);
    }
    let wrong = dir
        .path()
        .join("exercises/k-distinct-substring/submissions/wrong_answer/not_wrong.rs");
    std::fs::create_dir_all(wrong.parent().unwrap()).unwrap();
    std::fs::copy(
        root().join("exercises/k-distinct-substring/reference.rs"),
        &wrong,
    )
    .unwrap();

    let run = judge(&[
        "validate",
        "k-distinct-substring",
        "--exercises",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains("✗ invalid  k-distinct-substring"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("FAIL exercises/k-distinct-substring/submissions/wrong_answer/not_wrong.rs"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the hidden tests do not catch this wrong_answer submission"),
        "{}",
        run.stdout
    );

    // A package without known-wrong submissions is refused outright.
    std::fs::remove_file(&wrong).unwrap();
    let run = judge(&[
        "validate",
        "k-distinct-substring",
        "--exercises",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("has no known-wrong submission"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_scaffolds_a_package_that_loads_from_a_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let exercises = dir.path().join("exercises");
    std::fs::create_dir(&exercises).unwrap();
    let ex = exercises.to_str().unwrap();

    let bad = judge(&["new", "Two_Sum", "--in", ex]);
    assert_eq!(bad.code, 2, "{}", bad.all());
    assert!(
        bad.stderr.contains("is not an exercise id"),
        "{}",
        bad.stderr
    );

    let run = judge(&["new", "two-sum", "--in", ex, "--title", "Two sum"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr.contains("judge validate two-sum"),
        "{}",
        run.stderr
    );
    // The new package's data loads from the checkout (its suite needs a rebuild:
    // scripts/scaffold-check.sh covers that in CI).
    let root = dir.path().to_str().unwrap();
    let show = judge(&["--exercises", root, "show", "two-sum"]);
    assert_eq!(show.code, 0, "{}", show.all());
    assert!(show.stdout.starts_with("# Two sum"), "{}", show.stdout);

    let again = judge(&["new", "two-sum", "--in", ex]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}
