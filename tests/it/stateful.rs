//! The stateful exercises and the performance gates through the real binary: operation
//! sequences shown as calls, properties named with witnesses, the memory gate, provided
//! types, and the complexity gate's `too_slow`.

use judge_tests::judge;
use std::io::Write;

fn run_json(exercise: &str, path: &str) -> (i32, serde_json::Value, String) {
    let run = judge(&["run", exercise, path, "--json"]);
    let all = run.all();
    (run.code, run.json(), all)
}

fn temp_solution(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".rs").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn an_lru_bug_is_shown_as_the_shortest_sequence_with_the_divergent_call_marked() {
    let (code, json, all) = run_json(
        "lru-cache",
        "exercises/lru-cache/submissions/wrong_answer/get_does_not_refresh.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "wrong_answer"),
        "{all}"
    );
    let call = json["failure"]["call"].as_str().unwrap();
    let lines: Vec<&str> = call.lines().collect();
    assert!(
        lines[0].starts_with("let mut cache = LruCache::new("),
        "{call}"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("the first result that differs"),
        "{call}"
    );
    // The smallest sequence showing a stale recency: fill, hit, insert (evicting).
    assert!(lines.len() <= 6, "not shrunk: {call}");
    assert!(call.contains("cache.get(&"), "{call}");
    assert_ne!(json["failure"]["expected"], json["failure"]["actual"]);
    let summary = json["summary"].as_str().unwrap();
    assert!(summary.starts_with("call "), "{summary}");
}

#[test]
fn a_file_system_error_precedence_bug_is_caught_and_shown_as_calls() {
    let (code, json, all) = run_json(
        "in-memory-fs",
        "exercises/in-memory-fs/submissions/wrong_answer/mv_into_own_subtree.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "wrong_answer"),
        "{all}"
    );
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(
        call.starts_with("let mut fs = FileSystem::new();"),
        "{call}"
    );
    assert!(call.contains("fs.mv("), "{call}");
    assert_eq!(json["failure"]["expected"], "Err(InvalidPath)", "{call}");
}

#[test]
fn a_hash_ring_property_failure_names_the_property_and_a_witness() {
    let (code, json, all) = run_json(
        "hash-ring",
        "exercises/hash-ring/submissions/wrong_answer/modulo_hashing.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "wrong_answer"),
        "{all}"
    );
    assert!(
        json["summary"]
            .as_str()
            .unwrap()
            .contains("moves only the keys"),
        "{all}"
    );
    let witness = json["failure"]["actual"].as_str().unwrap();
    assert!(witness.contains("moved from"), "{witness}");
}

#[test]
fn collecting_a_whole_tree_is_too_much_memory_naming_the_bound() {
    let (code, json, all) = run_json(
        "bst-iterator",
        "exercises/bst-iterator/submissions/too_much_memory/collect_all_in_new.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "too_much_memory"),
        "{all}"
    );
    let summary = json["summary"].as_str().unwrap();
    assert!(summary.contains("the O(h) bound is"), "{summary}");
    assert!(
        json["failure"]["expected"]
            .as_str()
            .unwrap()
            .contains("64 per level of height"),
        "{all}"
    );
}

#[test]
fn provided_types_can_be_named_bare_imported_or_by_path() {
    let solution = r#"
use crate::TreeNode;

pub struct BstIterator<'a> {
    stack: Vec<&'a crate::TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut it = BstIterator { stack: Vec::new() };
        it.descend(root);
        it
    }
    fn descend(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(n) = node {
            self.stack.push(n);
            node = n.left.as_deref();
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        let n = self.stack.pop()?;
        self.descend(n.right.as_deref());
        Some(n.val)
    }
}
"#;
    let file = temp_solution(solution);
    let (code, json, all) = run_json("bst-iterator", file.path().to_str().unwrap());
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (0, "accepted"),
        "{all}"
    );
}

#[test]
fn a_pasted_provided_type_that_differs_gets_a_hint() {
    let (code, json, all) = run_json(
        "bst-iterator",
        "exercises/bst-iterator/submissions/compile_error/tree_node_with_i64.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "compile_error"),
        "{all}"
    );
    assert!(
        json["hint"]
            .as_str()
            .unwrap()
            .contains("`TreeNode` is provided by the judge"),
        "{all}"
    );
}

#[test]
fn a_quadratic_lru_is_too_slow_with_the_measured_exponent_and_the_same_fuel_every_run() {
    let path = "exercises/lru-cache/submissions/too_slow/linear_scan.rs";
    let (code, json, all) = run_json("lru-cache", path);
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "too_slow"),
        "{all}"
    );
    let c = &json["performance"]["complexity"];
    let exponent = c["exponent"].as_f64().unwrap();
    assert!(exponent > 1.8, "{all}");
    assert!(c["reference_exponent"].as_f64().unwrap() < 1.1, "{all}");
    let summary = json["summary"].as_str().unwrap();
    assert!(summary.starts_with("fuel grows as n^1.9"), "{summary}");
    let (_, again, _) = run_json("lru-cache", path);
    assert_eq!(
        again["performance"]["complexity"]["fuel"], c["fuel"],
        "fuel is bit-identical across runs"
    );
}

#[test]
fn the_reference_passes_the_gates_and_the_report_says_by_how_much() {
    let (code, json, all) = run_json("hash-ring", "exercises/hash-ring/reference.rs");
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (0, "accepted"),
        "{all}"
    );
    let p = &json["performance"];
    assert!(p["complexity"]["passed"].as_bool().unwrap(), "{all}");
    // The throughput gate timed the reference against itself: every round of each, each a
    // real run of the workload, and the median ratio of the two near 1.
    let t = &p["throughput"];
    let times = |key: &str| -> Vec<f64> {
        t[key]
            .as_array()
            .unwrap_or_else(|| panic!("no {key}: {all}"))
            .iter()
            .map(|ns| ns.as_f64().unwrap())
            .collect()
    };
    let (submission, reference) = (times("submission_ns"), times("reference_ns"));
    let toml =
        std::fs::read_to_string(judge_tests::root().join("exercises/hash-ring/exercise.toml"))
            .unwrap();
    let rounds: usize = toml
        .split("[throughput]")
        .nth(1)
        .and_then(|gate| gate.lines().find_map(|l| l.strip_prefix("rounds = ")))
        .and_then(|n| n.trim().parse().ok())
        .expect("hash-ring declares [throughput] rounds");
    assert_eq!(
        (submission.len(), reference.len()),
        (rounds, rounds),
        "{all}"
    );
    // The workload takes tens of milliseconds here; a broken timer reads next to nothing.
    assert!(
        submission.iter().chain(&reference).all(|&ns| ns > 1e6),
        "{all}"
    );
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        (v[(n - 1) / 2] + v[n / 2]) / 2.0
    };
    let ratio = t["ratio"].as_f64().unwrap();
    let recomputed = median(&submission) / median(&reference);
    assert!((ratio - recomputed).abs() <= 1e-9 * recomputed, "{all}");
    assert!((0.5..2.0).contains(&ratio), "{all}");
    assert!(
        json["summary"].as_str().unwrap().contains("fuel n^"),
        "{all}"
    );
}

#[test]
fn a_time_out_on_a_large_hidden_test_becomes_too_slow_when_the_gate_shows_it() {
    let (code, json, all) = run_json(
        "k-distinct-substring",
        "exercises/k-distinct-substring/submissions/too_slow/brute_force_all_windows.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "too_slow"),
        "{all}"
    );
    assert!(
        json["summary"]
            .as_str()
            .unwrap()
            .ends_with("(a hidden test also ran out of time)"),
        "{all}"
    );
}

#[test]
fn a_time_out_that_is_not_about_growth_stays_a_time_out() {
    let (code, json, all) = run_json(
        "k-distinct-substring",
        "exercises/k-distinct-substring/submissions/time_limit_exceeded/loops_on_empty.rs",
    );
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "time_limit_exceeded"),
        "{all}"
    );
    assert!(
        json["performance"]["complexity"]["passed"]
            .as_bool()
            .unwrap(),
        "{all}"
    );
}
