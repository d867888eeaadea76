//! Reports of the build and of tree cases: rustc's excerpts and suggestions kept with the
//! harness hidden, a solution to another exercise named in one message, bst-iterator cases
//! as code that builds the tree, and the report for people on stdout.

use judge_tests::{judge, judge_bin, root};
use std::process::{Command, Stdio};

const TYPO: &str = "tests/fixtures/reports/fs_variant_typo.rs";

#[test]
fn a_compile_error_keeps_rustcs_excerpt_and_help_and_hides_the_harness() {
    let run = judge(&["run", "in-memory-fs", TYPO]);
    assert_eq!(run.code, 1, "{}", run.all());
    let report = &run.stdout;
    assert!(
        report.starts_with("✗ compile error  in-memory-fs"),
        "{report}"
    );
    assert!(
        report.contains(&format!("--> {TYPO}:14:22")),
        "the candidate's line: {report}"
    );
    assert!(
        report.contains("|         Err(FsError::NotFond)"),
        "the excerpt: {report}"
    );
    assert!(
        report.contains("help: there is a variant with a similar name"),
        "rustc's help: {report}"
    );
    assert!(
        report.contains("|         Err(FsError::NotFound)"),
        "rustc's suggestion applied: {report}"
    );
    assert!(
        report.contains("found for enum `FsError`"),
        "the type as the candidate names it: {report}"
    );
    assert!(!run.all().contains("__judge"), "{}", run.all());
    assert!(!run.all().contains("solution.rs"), "{}", run.all());
    assert!(!run.all().contains("/.rustup/"), "{}", run.all());

    let json = judge(&["run", "in-memory-fs", TYPO, "--json"]).json();
    assert_eq!(json["verdict"], "compile_error");
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(14), Some(22))
    );
    assert!(d["rendered"].as_str().unwrap().contains("help: "), "{d}");
    assert!(!json.to_string().contains("__judge"), "{json}");
}

#[test]
fn a_solution_to_another_exercise_is_named_in_one_message() {
    let lru = "exercises/lru-cache/reference.rs";
    let run = judge(&["run", "in-memory-fs", lru, "--json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let json = run.json();
    assert_eq!(json["verdict"], "compile_error");
    assert_eq!(
        json["summary"],
        format!("{lru} is a solution to lru-cache, not in-memory-fs")
    );
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{json:#}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("`LruCache`"), "{message}");
    assert!(message.contains("`FileSystem`"), "{message}");
    assert!(json["hint"]
        .as_str()
        .unwrap()
        .contains(&format!("judge run lru-cache {lru}")));

    // Its own exercise accepts it; a file for this exercise with an error is reported as
    // rustc's errors, not as another exercise's.
    let run = judge(&["run", "in-memory-fs", TYPO, "--json"]);
    assert!(
        !run.json()["summary"]
            .as_str()
            .unwrap()
            .contains("solution to"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_report_for_people_is_on_stdout_so_a_redirect_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    let wrong = "exercises/k-distinct-substring/submissions/wrong_answer/k_zero_off_by_one.rs";
    let out = Command::new(judge_bin())
        .args(["run", "k-distinct-substring", wrong])
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", judge_tests::cache_dir())
        .env_remove("JUDGE_EXERCISES")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&file).unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = std::fs::read_to_string(&file).unwrap();
    assert!(
        report.starts_with("✗ wrong answer  k-distinct-substring"),
        "{report}"
    );
    assert!(report.contains("replay: judge run"), "{report}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("wrong answer"),
        "the report is not on stderr too"
    );

    // Accepted, and a compile error: the same.
    let run = judge(&[
        "run",
        "k-distinct-substring",
        "exercises/k-distinct-substring/reference.rs",
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.starts_with("✓ accepted"), "{}", run.all());
    assert!(!run.stderr.contains("accepted"), "{}", run.stderr);
    let run = judge(&["run", "in-memory-fs", TYPO]);
    assert!(run.stdout.starts_with("✗ compile error"), "{}", run.all());
    assert!(!run.stderr.contains("compile error"), "{}", run.stderr);

    // The judge's own failure is a message on stderr, and nothing on stdout; with --json,
    // one object on stdout.
    let run = judge(&["run", "k-distinct-substring", "does/not/exist.rs"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("error: failed to read"),
        "{}",
        run.stderr
    );
    let run = judge(&["run", "k-distinct-substring", "does/not/exist.rs", "--json"]);
    assert_eq!(run.json()["verdict"], "judge_error");
}

#[test]
fn a_bst_case_is_code_that_builds_the_tree_and_replays_natively() {
    let wrong = "exercises/bst-iterator/submissions/wrong_answer/reverse_order.rs";
    let run = judge(&["run", "bst-iterator", wrong, "--json"]);
    let json = run.json();
    assert_eq!(json["verdict"], "wrong_answer", "{}", run.all());
    let call = json["failure"]["call"].as_str().unwrap().to_owned();
    assert!(call.contains("TreeNode"), "{call}");
    assert!(!call.contains(", _"), "no tree notation: {call}");
    assert!(call.ends_with(".collect();"), "{call}");

    // Pasted into a program with the provided `TreeNode`: the reference yields the values
    // in order, the wrong submission something else, as the report says.
    let native = |solution: &str| -> String {
        let dir = tempfile::tempdir().unwrap();
        let program = format!(
            "{}\n{}\nfn main() {{\n{call}\nprintln!(\"{{values:?}}\");\n}}\n",
            std::fs::read_to_string(root().join("exercises/bst-iterator/provided.rs")).unwrap(),
            std::fs::read_to_string(root().join(solution)).unwrap(),
        );
        let src = dir.path().join("main.rs");
        std::fs::write(&src, program).unwrap();
        let bin = dir.path().join("main");
        let built = Command::new("rustc")
            .args(["--edition", "2021", "-o"])
            .arg(&bin)
            .arg(&src)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "the case does not compile:\n{call}\n{}",
            String::from_utf8_lossy(&built.stderr)
        );
        let out = Command::new(&bin).stdin(Stdio::null()).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let expected = native("exercises/bst-iterator/reference.rs");
    let actual = native(wrong);
    let values: Vec<i64> = expected
        .trim_matches(['[', ']'])
        .split(", ")
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] < w[1]), "{expected}");
    assert_ne!(expected, actual, "the case shown fails natively too");
    let report_expected = json["failure"]["expected"].as_str().unwrap();
    assert!(
        report_expected.contains(&expected),
        "the report's expected values {report_expected} are the reference's {expected}"
    );
}
