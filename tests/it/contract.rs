//! Statements that hold: `judge validate` proves every boundary a statement promises is
//! generated, and `judge show` states the limits from the metadata.

use judge_tests::{judge, judge_with_env, root};
use std::path::Path;

/// A checkout holding only k-distinct-substring, with one known-wrong submission (enough
/// for a package) and `edit` applied to its exercise.toml.
pub(crate) fn checkout(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("exercises/k-distinct-substring");
    let to = dir.path().join("exercises/k-distinct-substring");
    for file in [
        "exercise.toml",
        "README.md",
        "starter.rs",
        "harness.rs",
        "reference.rs",
    ] {
        copy(&from.join(file), &to.join(file));
    }
    let wrong = "submissions/wrong_answer/off_by_one_length.rs";
    copy(&from.join(wrong), &to.join(wrong));
    let meta = std::fs::read_to_string(to.join("exercise.toml")).unwrap();
    std::fs::write(to.join("exercise.toml"), edit(&meta)).unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn a_declared_boundary_the_tests_never_generate_fails_validate() {
    // Three cases never pass k = usize::MAX (the pinned 10^6 chars have k = 3).
    let dir = checkout(|meta| {
        meta.replace("cases = 500", "cases = 3")
            + "\n[[boundary]]\nid = \"no_such_boundary\"\nkind = \"edge\"\npromise = \"what no test can see\"\n"
    });
    let run = judge(&[
        "--exercises",
        dir.path().to_str().unwrap(),
        "validate",
        "k-distinct-substring",
    ]);
    assert_eq!(run.code, 1, "{}", run.all());
    let out = run.all();
    assert!(out.contains("✗ invalid  k-distinct-substring"), "{out}");
    assert!(
        out.contains("FAIL k_usize_max") && out.contains("(up to usize::MAX)"),
        "{out}"
    );
    assert!(
        out.contains("no case of the 3 generated under seed 20261121 (nor a pinned one) reaches `k_usize_max`"),
        "{out}"
    );
    assert!(
        out.contains("FAIL no_such_boundary") && out.contains("tag it in `hits`"),
        "{out}"
    );
    // The same package with its full run reaches every boundary it declares.
    let dir = checkout(str::to_owned);
    let run = judge(&[
        "--exercises",
        dir.path().to_str().unwrap(),
        "validate",
        "k-distinct-substring",
        "--json",
    ]);
    let json = run.json();
    let coverage = json["exercises"][0]["coverage"].as_array().unwrap().clone();
    assert!(coverage.len() >= 7, "{coverage:?}");
    assert!(
        coverage.iter().all(|b| b["first_case"].is_u64()),
        "{coverage:?}"
    );
}

#[test]
fn show_appends_the_limits_from_the_metadata_and_validate_refuses_them_by_hand() {
    let run = judge(&["show", "bst-iterator"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("## Limits and terms"), "{}", run.stdout);
    assert!(
        run.stdout.contains("3,000 ms of wall-clock time"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("**fuel**"), "{}", run.stdout);
    let dir = checkout(str::to_owned);
    let readme = dir.path().join("exercises/k-distinct-substring/README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(
        &readme,
        format!("{text}\n## Limits and terms\n\n- 2 s per test\n"),
    )
    .unwrap();
    let run = judge_with_env(
        &[
            "--exercises",
            dir.path().to_str().unwrap(),
            "validate",
            "k-distinct-substring",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.all().contains("generates it from exercise.toml"),
        "{}",
        run.all()
    );
}
