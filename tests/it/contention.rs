//! The contention gate (striped-counter's `[contention]`) and deadlock reports: what the
//! judge's scheduler counts of the threads' atomic updates and locks, through the binary.

use judge_tests::judge;

fn run_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let run = judge(args);
    let all = run.all();
    (run.code, run.json(), all)
}

fn striped(file: &str) -> (i32, serde_json::Value, String) {
    let path = format!("exercises/striped-counter/submissions/{file}");
    run_json(&["run", "striped-counter", &path, "--json"])
}

fn figure(json: &serde_json::Value, key: &str) -> f64 {
    json["performance"]["contention"][key]
        .as_f64()
        .unwrap_or(f64::NAN)
}

#[test]
fn one_shared_atomic_and_one_lock_are_too_slow_with_the_figure() {
    for (file, at_least) in [
        ("too_slow/single_atomic.rs", 0.7),
        ("too_slow/global_mutex.rs", 1.0),
    ] {
        let (code, json, all) = striped(file);
        assert_eq!(
            (code, json["verdict"].as_str()),
            (1, Some("too_slow")),
            "{all}"
        );
        let c = &json["performance"]["contention"];
        assert_eq!(c["passed"], false, "{c}");
        let measured = figure(&json, "figure");
        let reference = figure(&json, "reference_figure");
        assert!(measured >= at_least, "{file}: {c}");
        assert!(
            reference < 0.1,
            "the striped reference barely contends: {c}"
        );
        let summary = json["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("contention: ") && summary.contains(&format!("{measured:.2}")),
            "{summary}"
        );
        assert!(json["hint"].as_str().unwrap().contains("stripe"), "{all}");
        assert_eq!(
            json["failure"]["actual"].as_str().unwrap(),
            format!("{measured:.2} per update")
        );
    }
}

#[test]
fn the_contention_figure_is_the_same_on_every_run() {
    let (_, first, all) = striped("too_slow/single_atomic.rs");
    let (_, second, _) = striped("too_slow/single_atomic.rs");
    assert!(first["performance"]["contention"].is_object(), "{all}");
    assert_eq!(
        first["performance"]["contention"],
        second["performance"]["contention"]
    );
}

#[test]
fn striped_designs_pass_the_contention_gate() {
    // Two stripes shared by two writers each count about half an update; a LongAdder-style
    // counter contends only until its first collision turns its cells on.
    for (file, below) in [
        ("accepted/striped.rs", 0.1),
        ("accepted/few_stripes.rs", 0.6),
        ("accepted/long_adder.rs", 0.1),
    ] {
        let (code, json, all) = striped(file);
        assert_eq!(
            (code, json["verdict"].as_str()),
            (0, Some("accepted")),
            "{all}"
        );
        let c = &json["performance"]["contention"];
        assert_eq!(c["passed"], true, "{file}: {c}");
        assert!(figure(&json, "figure") < below, "{file}: {c}");
    }
}

#[test]
fn a_deadlock_names_each_threads_locks_the_steps_and_the_fix() {
    let file =
        "exercises/concurrent-lru-cache/submissions/time_limit_exceeded/two_locks_opposite_order.rs";
    let (code, json, all) = run_json(&["run", "concurrent-lru-cache", file, "--json"]);
    assert_eq!(
        (code, json["verdict"].as_str()),
        (1, Some("time_limit_exceeded")),
        "{all}"
    );
    let summary = json["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("deadlock: thread ")
            && summary.contains("each wait for a lock the other holds"),
        "{summary}"
    );
    let actual = json["failure"]["actual"].as_str().unwrap();
    for needle in [
        // Each thread: the lock it took in the candidate's method, the one it waits for, and
        // who holds that.
        "holds lock ",
        "(taken in ConcurrentLruCache<K,V>::get)",
        "(taken in ConcurrentLruCache<K,V>::put)",
        "and waits for lock ",
        "which thread 1 holds",
        "which thread 2 holds",
        // The steps that led there, and the fix.
        "the lock steps that led there",
        "starts call 1",
        "to fix it: the threads took the same locks in different orders",
    ] {
        assert!(
            actual.contains(needle),
            "{needle:?} missing from:\n{actual}"
        );
    }
    // The steps end with the two waits, after each thread took its first lock.
    let steps: Vec<&str> = actual
        .lines()
        .skip_while(|l| !l.starts_with("the lock steps"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let waits: Vec<&&str> = steps.iter().filter(|l| l.contains(" waits for ")).collect();
    assert!(waits.len() >= 2, "{steps:#?}");
    assert!(steps.iter().any(|l| l.contains(" locks ")), "{steps:#?}");
}

#[test]
fn two_locks_taken_in_one_order_are_accepted() {
    let file = "exercises/concurrent-lru-cache/submissions/accepted/two_locks_one_order.rs";
    let (code, json, all) = run_json(&["run", "concurrent-lru-cache", file, "--json"]);
    assert_eq!(
        (code, json["verdict"].as_str()),
        (0, Some("accepted")),
        "{all}"
    );
}
