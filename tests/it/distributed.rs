//! distributed-cache (issue #14): nodes are separate sandbox instances on a simulated
//! network; the reference passes every fault level, and known-wrong protocols are caught at
//! the level that exposes them, with the run shown as a message-sequence diagram that the
//! same seed replays exactly.

use judge_tests::judge;

fn run_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let run = judge(args);
    let all = run.all();
    (run.code, run.json(), all)
}

fn verdict(json: &serde_json::Value) -> &str {
    json["verdict"].as_str().unwrap_or_default()
}

fn wrong(name: &str) -> String {
    format!("exercises/distributed-cache/submissions/wrong_answer/{name}.rs")
}

#[test]
fn the_quorum_reference_passes_every_fault_level() {
    let (code, json, all) = run_json(&[
        "run",
        "distributed-cache",
        "exercises/distributed-cache/reference.rs",
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (0, "accepted"), "{all}");
}

#[test]
fn a_static_shared_by_the_nodes_is_not_shared_they_are_separate_instances() {
    // The same file passes if every node ran in one memory: each would see every put.
    let (code, json, all) = run_json(&[
        "run",
        "distributed-cache",
        &wrong("shared_static"),
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (1, "wrong_answer"), "{all}");
    let actual = json["failure"]["actual"].as_str().unwrap();
    assert!(
        actual.contains("answered Missing after a put of the key was Stored"),
        "{actual}"
    );
    assert!(all.contains("fails at fault level `none`"), "{all}");
}

#[test]
fn no_retry_passes_a_lossless_network_and_fails_under_loss() {
    let (code, json, all) = run_json(&[
        "run",
        "distributed-cache",
        &wrong("no_retry_on_loss"),
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (1, "wrong_answer"), "{all}");
    assert!(
        all.contains("passes fault level `none`, fails `loss`"),
        "{all}"
    );
}

#[test]
fn a_stale_read_is_shown_as_a_diagram_and_replays_with_its_seed() {
    let file = wrong("wall_clock_last_writer_wins");
    let (code, json, all) = run_json(&["run", "distributed-cache", &file, "--json", "--seed", "5"]);
    assert_eq!((code, verdict(&json)), (1, "wrong_answer"), "{all}");
    let call = json["failure"]["call"].as_str().unwrap();
    for needle in [
        "message-sequence diagram",
        "●",
        "<== no order explains this answer",
        "none of these",
    ] {
        assert!(call.contains(needle), "{needle:?} missing from:\n{call}");
    }
    let (_, again, _) = run_json(&["run", "distributed-cache", &file, "--json", "--seed", "5"]);
    assert_eq!(
        again["failure"], json["failure"],
        "the same seed replays the same run"
    );
}

#[test]
fn modulo_placement_is_caught_by_adding_a_node() {
    let (code, json, all) = run_json(&[
        "run",
        "distributed-cache",
        &wrong("modulo_placement"),
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (1, "wrong_answer"), "{all}");
    assert!(all.contains("adding a node moved key"), "{all}");
}
