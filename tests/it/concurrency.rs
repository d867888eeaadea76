//! The concurrent exercises through the real binary: races found under the judge's
//! scheduler and shown as an interleaving, replayed exactly by seed; deadlocks, spinning
//! and sleeping threads and thread bombs end as verdicts; throughput on real threads.

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

const RACY_COUNTER: &str = r#"
use std::sync::atomic::{AtomicU64, Ordering};
pub struct AtomicCounter { value: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self { AtomicCounter { value: AtomicU64::new(0) } }
    pub fn increment_and_get(&self) -> u64 {
        let next = self.value.load(Ordering::SeqCst) + 1;
        self.value.store(next, Ordering::SeqCst);
        next
    }
    pub fn add_and_get(&self, delta: u64) -> u64 { self.value.fetch_add(delta, Ordering::SeqCst) + delta }
    pub fn get(&self) -> u64 { self.value.load(Ordering::SeqCst) }
}
"#;

#[test]
fn a_lost_update_is_a_race_shown_as_an_interleaving_and_replayed_exactly_by_seed() {
    let file = temp_solution(RACY_COUNTER);
    let path = file.path().to_str().unwrap();
    let (code, json, all) = run_json(&["run", "atomic-counter", path, "--json", "--seed", "7"]);
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "race_detected"),
        "{all}"
    );
    let call = json["failure"]["call"].as_str().unwrap();
    assert!(
        call.starts_with("let shared = AtomicCounter::new();"),
        "{call}"
    );
    assert!(call.contains("thread 2:"), "two threads at least: {call}");
    let actual = json["failure"]["actual"].as_str().unwrap();
    for needle in [
        "the interleaving",
        "> increment_and_get()",
        "atomic load",
        "atomic store",
        "schedule seed",
    ] {
        assert!(
            actual.contains(needle),
            "{needle:?} missing from:\n{actual}"
        );
    }
    // Shrunk to the essence: a handful of calls on two threads.
    assert!(call.matches("shared.").count() <= 5, "{call}");
    // The same seed gives the same report, byte for byte.
    let (_, again, _) = run_json(&["run", "atomic-counter", path, "--json", "--seed", "7"]);
    assert_eq!(again["failure"], json["failure"]);
}

#[test]
fn every_reference_is_accepted_under_the_scheduler_and_on_real_threads() {
    for (id, file) in [
        ("atomic-counter", "exercises/atomic-counter/reference.rs"),
        (
            "concurrent-lru-cache",
            "exercises/concurrent-lru-cache/reference.rs",
        ),
        ("striped-counter", "exercises/striped-counter/reference.rs"),
    ] {
        let (code, json, all) = run_json(&["run", id, file, "--json"]);
        assert_eq!(
            (code, json["verdict"].as_str().unwrap()),
            (0, "accepted"),
            "{id}: {all}"
        );
    }
}

#[test]
fn a_self_deadlock_ends_as_a_time_limit_naming_the_deadlock() {
    let (code, json, all) = run_json(&[
        "run",
        "concurrent-lru-cache",
        "exercises/concurrent-lru-cache/submissions/time_limit_exceeded/self_deadlock.rs",
        "--json",
    ]);
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "time_limit_exceeded"),
        "{all}"
    );
    assert!(
        json["summary"].as_str().unwrap().contains("deadlock"),
        "{all}"
    );
}

#[test]
fn spinning_sleeping_and_spawning_threads_end_as_verdicts() {
    let cases = [
        // A thread that spins forever on an atomic the others never set.
        (
            r#"
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
pub struct AtomicCounter { v: AtomicU64, gate: AtomicBool }
impl AtomicCounter {
    pub fn new() -> Self { AtomicCounter { v: AtomicU64::new(0), gate: AtomicBool::new(false) } }
    pub fn increment_and_get(&self) -> u64 { while !self.gate.load(Ordering::SeqCst) {} 0 }
    pub fn add_and_get(&self, d: u64) -> u64 { self.v.fetch_add(d, Ordering::SeqCst) + d }
    pub fn get(&self) -> u64 { self.v.load(Ordering::SeqCst) }
}
"#,
            "time_limit_exceeded",
        ),
        // A background thread that sleeps for an hour and is never joined, and calls that
        // sleep: virtual time, so the run still ends quickly; but the sleeper is still alive
        // after the call returned, which is work left running (issue #13).
        (
            r#"
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
pub struct AtomicCounter { v: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self {
        std::thread::spawn(|| std::thread::sleep(Duration::from_secs(3600)));
        AtomicCounter { v: AtomicU64::new(0) }
    }
    pub fn increment_and_get(&self) -> u64 { std::thread::sleep(Duration::from_millis(5)); self.v.fetch_add(1, Ordering::SeqCst) + 1 }
    pub fn add_and_get(&self, d: u64) -> u64 { self.v.fetch_add(d, Ordering::SeqCst) + d }
    pub fn get(&self) -> u64 { self.v.load(Ordering::SeqCst) }
}
"#,
            "time_limit_exceeded",
        ),
        // A thread bomb: every call tries to start a thousand threads.
        (
            r#"
use std::sync::atomic::{AtomicU64, Ordering};
pub struct AtomicCounter { v: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self {
        let handles: Vec<_> = (0..1000).map(|_| std::thread::spawn(|| loop { std::hint::spin_loop() })).collect();
        std::mem::forget(handles);
        AtomicCounter { v: AtomicU64::new(0) }
    }
    pub fn increment_and_get(&self) -> u64 { self.v.fetch_add(1, Ordering::SeqCst) + 1 }
    pub fn add_and_get(&self, d: u64) -> u64 { self.v.fetch_add(d, Ordering::SeqCst) + d }
    pub fn get(&self) -> u64 { self.v.load(Ordering::SeqCst) }
}
"#,
            "runtime_error",
        ),
    ];
    for (source, verdict) in cases {
        let file = temp_solution(source);
        let started = std::time::Instant::now();
        let (_, json, all) = run_json(&[
            "run",
            "atomic-counter",
            file.path().to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(
            json["verdict"].as_str().unwrap(),
            verdict,
            "{source}\n{all}"
        );
        assert!(
            started.elapsed().as_secs() < 60,
            "{source}: took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_striped_counter_that_scans_every_stripe_is_too_slow_on_real_threads() {
    let (code, json, all) = run_json(&[
        "run",
        "striped-counter",
        "exercises/striped-counter/submissions/too_slow/scan_all_stripes.rs",
        "--json",
    ]);
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "too_slow"),
        "{all}"
    );
    let throughput = &json["performance"]["throughput"];
    assert!(throughput["ratio"].as_f64().unwrap() > 8.0, "{all}");
}

#[test]
fn a_foreign_import_in_a_threaded_submission_does_not_build() {
    let file = temp_solution(
        r#"
use std::sync::atomic::{AtomicU64, Ordering};
extern "C" { fn host_secret() -> u64; }
pub struct AtomicCounter { v: AtomicU64 }
impl AtomicCounter {
    pub fn new() -> Self { AtomicCounter { v: AtomicU64::new(unsafe { host_secret() }) } }
    pub fn increment_and_get(&self) -> u64 { self.v.fetch_add(1, Ordering::SeqCst) + 1 }
    pub fn add_and_get(&self, d: u64) -> u64 { self.v.fetch_add(d, Ordering::SeqCst) + d }
    pub fn get(&self) -> u64 { self.v.load(Ordering::SeqCst) }
}
"#,
    );
    let (code, json, all) = run_json(&[
        "run",
        "atomic-counter",
        file.path().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        (code, json["verdict"].as_str().unwrap()),
        (1, "compile_error"),
        "{all}"
    );
    assert!(all.contains("host_secret"), "{all}");
}
