//! Where the scheduler was blind (issue #13): plain read-then-write updates split by tiny
//! slices, stripes shared in crowds of threads, contracts broken only on real threads (said
//! to be unreplayable, then searched for under the scheduler), and threads left running after
//! a call returned.

use judge_tests::judge;
use std::io::Write;

fn run_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let run = judge(args);
    let all = run.all();
    (run.code, run.json(), all)
}

fn temp_solution(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".rs").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn verdict(json: &serde_json::Value) -> &str {
    json["verdict"].as_str().unwrap_or_default()
}

#[test]
fn a_plain_read_then_write_counter_is_split_by_a_tiny_slice_and_replays() {
    let file = "exercises/atomic-counter/submissions/race_detected/unsafe_cell_counter.rs";
    let (code, json, all) = run_json(&["run", "atomic-counter", file, "--json", "--seed", "3"]);
    assert_eq!((code, verdict(&json)), (1, "race_detected"), "{all}");
    let actual = json["failure"]["actual"].as_str().unwrap();
    for needle in ["preempted", "preempting every 1-", "schedule seed"] {
        assert!(
            actual.contains(needle),
            "{needle:?} missing from:\n{actual}"
        );
    }
    let (_, again, _) = run_json(&["run", "atomic-counter", file, "--json", "--seed", "3"]);
    assert_eq!(
        again["failure"], json["failure"],
        "the same seed replays the same race"
    );
}

#[test]
fn a_crowd_of_threads_shares_a_stripe_and_loses_an_update() {
    let (code, json, all) = run_json(&[
        "run",
        "striped-counter",
        "exercises/striped-counter/submissions/race_detected/own_cell_load_then_store.rs",
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (1, "race_detected"), "{all}");
    // More threads than the submission's eight cells.
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(call.contains("thread 9:"), "{call}");
}

/// Correct for its first 3,000 calls, then one too many: no scenario reaches 3,000 calls,
/// the workload on real threads (4 x 25,000 calls, unstamped) always does, so the contract
/// breaks there whatever the machine's timing, and no scheduled run can show it.
const WRONG_LATE: &str = r#"
use std::sync::atomic::{AtomicU64, Ordering};
pub struct AtomicCounter { value: AtomicU64, calls: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self { AtomicCounter { value: AtomicU64::new(0), calls: AtomicU64::new(0) } }
    pub fn increment_and_get(&self) -> u64 { self.add_and_get(1) }
    pub fn add_and_get(&self, delta: u64) -> u64 {
        let late = self.calls.fetch_add(1, Ordering::SeqCst) >= 3000;
        self.value.fetch_add(delta, Ordering::SeqCst) + delta + u64::from(late)
    }
    pub fn get(&self) -> u64 { self.value.load(Ordering::SeqCst) }
}
"#;

#[test]
fn a_contract_broken_on_real_threads_is_a_race_that_says_it_cannot_be_replayed() {
    let file = temp_solution(WRONG_LATE);
    let path = file.path().to_str().unwrap();
    let (code, json, all) = run_json(&["run", "atomic-counter", path, "--json"]);
    assert_eq!((code, verdict(&json)), (1, "race_detected"), "{all}");
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(call.starts_with("4 threads, 25000 calls each"), "{call}");
    let actual = json["failure"]["actual"].as_str().unwrap();
    for needle in [
        "on real threads",
        "real threads cannot be replayed",
        "scheduled runs after it found no interleaving that replays",
    ] {
        assert!(
            actual.contains(needle),
            "{needle:?} missing from:\n{actual}"
        );
    }
}

#[test]
fn a_thread_left_running_after_a_call_is_a_time_limit_and_a_joined_helper_is_not() {
    let (code, json, all) = run_json(&[
        "run",
        "atomic-counter",
        "exercises/atomic-counter/submissions/time_limit_exceeded/leaves_thread_spinning.rs",
        "--json",
    ]);
    assert_eq!((code, verdict(&json)), (1, "time_limit_exceeded"), "{all}");
    assert!(
        json["summary"]
            .as_str()
            .unwrap()
            .starts_with("threads still running after the call returned"),
        "{all}"
    );
    // The same helper thread, joined before the call returns: accepted.
    let joined = temp_solution(
        r#"
use std::sync::atomic::{AtomicU64, Ordering};
pub struct AtomicCounter { value: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self { AtomicCounter { value: AtomicU64::new(0) } }
    fn add(&self, delta: u64) -> u64 {
        std::thread::scope(|s| s.spawn(|| self.value.fetch_add(delta, Ordering::SeqCst) + delta).join().unwrap())
    }
    pub fn increment_and_get(&self) -> u64 { self.add(1) }
    pub fn add_and_get(&self, delta: u64) -> u64 { self.add(delta) }
    pub fn get(&self) -> u64 { self.value.load(Ordering::SeqCst) }
}
"#,
    );
    let path = joined.path().to_str().unwrap();
    let (code, json, all) = run_json(&["run", "atomic-counter", path, "--json"]);
    assert_eq!((code, verdict(&json)), (0, "accepted"), "{all}");
}
