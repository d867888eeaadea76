//! Verdicts, reports and replay through the real binary.

use judge_tests::{judge, root};

const EXERCISE: &str = "k-distinct-substring";
const SUBMISSIONS: &str = "exercises/k-distinct-substring/submissions";

#[test]
fn the_reference_is_accepted_with_exit_0() {
    let run = judge(&[
        "run",
        EXERCISE,
        "exercises/k-distinct-substring/reference.rs",
        "--json",
    ]);
    let json = run.json();
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (0, "accepted"),
        "{}",
        run.all()
    );
    // 500 generated cases and the pinned longest input the statement promises.
    assert_eq!(json["stats"]["cases"], 501);
    assert_eq!(json["seed"], 20261121);
    assert!(json.get("failure").is_none());
}

#[test]
fn a_wrong_answer_shows_the_smallest_case_and_replays_exactly() {
    let path = format!("{SUBMISSIONS}/wrong_answer/counts_bytes.rs");
    let first = judge(&["run", EXERCISE, &path, "--json", "--seed", "42"]);
    let json = first.json();
    assert_eq!(
        (first.code, json["verdict"].as_str().unwrap()),
        (1, "wrong_answer"),
        "{}",
        first.all()
    );
    let failure = &json["failure"];
    let call = failure["call"].as_str().unwrap();
    // Shrunk to one multi-byte char: the smallest input on which bytes and chars differ.
    assert!(
        call.starts_with("longest_substring_k_distinct(\"") && call.chars().count() < 40,
        "{call}"
    );
    assert_ne!(failure["expected"], failure["actual"]);
    assert_eq!(
        json["replay"],
        format!("judge run {EXERCISE} {path} --seed 42")
    );

    let again = judge(&["run", EXERCISE, &path, "--json", "--seed", "42"]);
    assert_eq!(
        again.json()["failure"],
        json["failure"],
        "the same seed replays the same case"
    );
}

#[test]
fn runtime_errors_show_the_panic_at_the_candidates_file() {
    let path = format!("{SUBMISSIONS}/runtime_error/unwrap_on_empty.rs");
    let run = judge(&["run", EXERCISE, &path, "--json"]);
    let json = run.json();
    assert_eq!(json["verdict"], "runtime_error", "{}", run.all());
    let summary = json["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!("panicked at {path}:")),
        "{summary}"
    );
    assert!(
        !run.all().contains("RUST_BACKTRACE"),
        "no advice about backtraces the sandbox cannot give"
    );
}

#[test]
fn compile_errors_point_at_the_candidates_file_only() {
    let path = format!("{SUBMISSIONS}/compile_error/syntax_error.rs");
    let run = judge(&["run", EXERCISE, &path, "--json"]);
    let json = run.json();
    assert_eq!(json["verdict"], "compile_error", "{}", run.all());
    let rendered = json["diagnostics"][0]["rendered"].as_str().unwrap();
    assert!(rendered.contains(&format!("--> {path}:")), "{rendered}");
    assert!(!rendered.contains("solution.rs"), "{rendered}");
    assert!(
        !rendered.contains("__judge"),
        "the harness is never quoted: {rendered}"
    );

    let path = format!("{SUBMISSIONS}/compile_error/wrong_return_type.rs");
    let run = judge(&["run", EXERCISE, &path]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("expected `usize`, found `i32`"),
        "{}",
        run.stdout
    );
    assert!(!run.all().contains("__judge"), "{}", run.all());
}

#[test]
fn the_starter_is_not_accepted() {
    let run = judge(&[
        "run",
        EXERCISE,
        "exercises/k-distinct-substring/starter.rs",
        "--json",
    ]);
    assert_eq!(run.json()["verdict"], "runtime_error", "{}", run.all());
}

#[test]
fn the_human_report_has_no_colour_off_a_terminal_and_masks_nothing_needed() {
    let path = format!("{SUBMISSIONS}/wrong_answer/k_zero_off_by_one.rs");
    let run = judge(&["run", EXERCISE, &path]);
    assert_eq!(run.code, 1);
    assert!(
        !run.stderr.contains("wrong answer"),
        "the report for people goes to stdout"
    );
    assert!(!run.stdout.contains('\x1b'), "{}", run.stdout);
    let masked: String = run
        .stdout
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("seed ") {
                "  <stats>"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let expected = format!(
        "✗ wrong answer  {EXERCISE} ({path})
  returned a wrong answer

  smallest failing case (after PASSED passing cases, shrunk in STEPS steps):
    longest_substring_k_distinct(\"a\", 0)
  expected: 0
  actual:   1

  hint: call your function with exactly this input and compare with the expected value
  replay: judge run {EXERCISE} {path} --seed 20261121
  <stats>"
    );
    let re_passed = masked
        .split("(after ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .to_owned();
    let re_steps = masked
        .split("shrunk in ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .to_owned();
    assert_eq!(
        masked,
        expected
            .replace("PASSED", &re_passed)
            .replace("STEPS", &re_steps)
    );
    assert!(root().join(&path).exists());
}
