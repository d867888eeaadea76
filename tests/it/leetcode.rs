//! LeetCode-format files and whole editor files, judged unchanged through the real binary:
//! the format is recognised from the file's items, LeetCode numbers are aliases, every
//! `judge init --leetcode` template compiles, and lint attributes at the top are accepted.

use judge_tests::{judge, root};

/// Judges `path` as `exercise` and returns the JSON report, checking the exit status agrees.
fn run(exercise: &str, path: &str) -> serde_json::Value {
    let run = judge(&["run", exercise, path, "--json"]);
    let json = run.json();
    let accepted = json["verdict"] == "accepted";
    assert_eq!(run.code, if accepted { 0 } else { 1 }, "{}", run.all());
    json
}

fn notes(json: &serde_json::Value) -> String {
    json["notes"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(|n| n.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn a_leetcode_146_file_is_recognised_under_the_exercise_id_or_its_number() {
    let path = "exercises/lru-cache/flavours/leetcode-146/submissions/accepted/refcell_self.rs";
    for name in ["lru-cache", "146"] {
        let json = run(name, path);
        assert_eq!(json["verdict"], "accepted", "{json:#}");
        assert_eq!(json["exercise"], "lru-cache/leetcode-146");
        assert!(
            notes(&json).contains("judged as LeetCode 146 format"),
            "{json:#}"
        );
        assert!(json["replay"]
            .as_str()
            .unwrap()
            .starts_with("judge run lru-cache/leetcode-146 "));
    }
    // The exercise's own API under the LeetCode number: judged as the exercise.
    let json = run("146", "exercises/lru-cache/reference.rs");
    assert_eq!(json["exercise"], "lru-cache", "{json:#}");
    assert!(!notes(&json).contains("LeetCode"), "{json:#}");
    // A wrong LeetCode file: shown as LeetCode calls.
    let json = run(
        "146",
        "exercises/lru-cache/flavours/leetcode-146/submissions/wrong_answer/miss_returns_zero.rs",
    );
    assert_eq!(json["verdict"], "wrong_answer", "{json:#}");
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(call.starts_with("let obj = LRUCache::new("), "{call}");
    assert_eq!(json["failure"]["expected"], "-1", "{json:#}");
}

#[test]
fn k_distinct_files_in_leetcode_340_and_159_formats_with_or_without_solution_declared() {
    let dir = "exercises/k-distinct-substring/flavours";
    for (name, path, exercise) in [
        (
            "340",
            "leetcode-340/submissions/accepted/solution_declared_with_main.rs",
            "leetcode-340",
        ),
        (
            "k-distinct-substring",
            "leetcode-340/submissions/accepted/last_index_map.rs",
            "leetcode-340",
        ),
        (
            "159",
            "leetcode-159/submissions/accepted/solution_declared_two_pointers.rs",
            "leetcode-159",
        ),
        ("159", "leetcode-159/reference.rs", "leetcode-159"),
    ] {
        let json = run(name, &format!("{dir}/{path}"));
        assert_eq!(json["verdict"], "accepted", "{path}: {json:#}");
        assert_eq!(json["exercise"], format!("k-distinct-substring/{exercise}"));
    }
    let json = run(
        "340",
        &format!("{dir}/leetcode-340/submissions/wrong_answer/case_insensitive.rs"),
    );
    assert_eq!(json["verdict"], "wrong_answer", "{json:#}");
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(
        call.starts_with("Solution::length_of_longest_substring_k_distinct(\""),
        "{call}"
    );
}

#[test]
fn every_leetcode_template_compiles_and_is_not_accepted() {
    let dir = tempfile::tempdir().unwrap();
    for (exercise, leetcode) in [
        ("lru-cache", None),
        ("k-distinct-substring", Some("340")),
        ("k-distinct-substring", Some("159")),
        ("bst-iterator", None),
        ("in-memory-fs", Some("588")),
    ] {
        let file = dir
            .path()
            .join(format!("{exercise}-{}.rs", leetcode.unwrap_or("x")));
        let file = file.to_str().unwrap();
        let mut args = vec!["init", exercise, file, "--leetcode"];
        args.extend(leetcode);
        let init = judge(&args);
        assert_eq!(init.code, 0, "{}", init.all());
        let template = std::fs::read_to_string(file).unwrap();
        assert!(template.contains("impl "), "{template}");
        let json = run(exercise, file);
        // `todo!()` bodies: built, recognised, and a panic when called.
        assert_eq!(json["verdict"], "runtime_error", "{exercise}: {json:#}");
        assert!(notes(&json).contains("LeetCode"), "{json:#}");
    }
    // Several LeetCode problems: the number is needed.
    let init = judge(&["init", "k-distinct-substring", "x.rs", "--leetcode"]);
    assert_eq!(init.code, 2, "{}", init.all());
    assert!(init.stderr.contains("--leetcode 159"), "{}", init.stderr);
}

#[test]
fn bst_iterator_173_keeps_the_memory_gate_and_588_is_told_from_the_exercise_by_its_signature() {
    let dir = "exercises/bst-iterator/flavours/leetcode-173/submissions";
    let json = run(
        "173",
        &format!("{dir}/too_much_memory/collect_all_in_new.rs"),
    );
    assert_eq!(json["verdict"], "too_much_memory", "{json:#}");
    assert_eq!(json["exercise"], "bst-iterator/leetcode-173");
    let json = run(
        "bst-iterator",
        &format!("{dir}/accepted/pasted_tree_node_refcell_self.rs"),
    );
    assert_eq!(json["verdict"], "accepted", "{json:#}");

    // Both define `struct FileSystem`: only LeetCode's `ls(&self, path: String)` is 588's.
    let json = run("588", "exercises/in-memory-fs/reference.rs");
    assert_eq!(
        (json["exercise"].as_str(), json["verdict"].as_str()),
        (Some("in-memory-fs"), Some("accepted")),
        "{json:#}"
    );
    let json = run(
        "in-memory-fs",
        "exercises/in-memory-fs/flavours/leetcode-588/submissions/accepted/refcell_self_hashmap.rs",
    );
    assert_eq!(json["exercise"], "in-memory-fs/leetcode-588", "{json:#}");
    assert_eq!(json["verdict"], "accepted", "{json:#}");
}

#[test]
fn show_gives_both_apis() {
    let show = judge(&["show", "lru-cache"]);
    assert_eq!(show.code, 0, "{}", show.all());
    assert!(
        show.stdout
            .contains("pub fn get(&mut self, key: &K) -> Option<V>"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("fn get(&self, key: i32) -> i32"),
        "{}",
        show.stdout
    );
    let by_number = judge(&["show", "146"]);
    assert_eq!(by_number.stdout, show.stdout);
}

/// An editor file: lint attributes at the top (`forbid(unsafe_code)` too, although the
/// judge's own glue uses `unsafe`), a `fn main` and a test module.
#[test]
fn inner_lint_attributes_are_accepted_and_other_crate_attributes_named() {
    let reference =
        std::fs::read_to_string(root().join("exercises/k-distinct-substring/reference.rs"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let editor = dir.path().join("editor.rs");
    std::fs::write(
        &editor,
        format!(
            "#![allow(dead_code, unused_imports)]\n#![forbid(unsafe_code)]\n#![deny(warnings)]\n{reference}\nfn main() {{ println!(\"{{}}\", longest_substring_k_distinct(\"eceba\", 2)); }}\n#[cfg(test)]\nmod tests {{ #[test] fn t() {{ assert_eq!(super::longest_substring_k_distinct(\"aa\", 1), 2); }} }}\n"
        ),
    )
    .unwrap();
    let json = run("k-distinct-substring", editor.to_str().unwrap());
    assert_eq!(json["verdict"], "accepted", "{json:#}");

    let no_std = dir.path().join("no_std.rs");
    std::fs::write(
        &no_std,
        format!("#![allow(dead_code)]\n#![no_std]\n{reference}"),
    )
    .unwrap();
    let run = judge(&["run", "k-distinct-substring", no_std.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.all());
    let all = run.all();
    assert!(
        all.contains("#![no_std]") && all.contains("compile error"),
        "{all}"
    );
}
