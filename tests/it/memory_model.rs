//! The memory-model tier (Miri) through the real binary: data races under Rust's memory
//! model that WebAssembly's sequentially consistent atomics hide, undefined behaviour with
//! right answers, the reports' lines, replay, and a machine without the pinned toolchain.

use judge_tests::{assert_no_host_data, judge, judge_bin, root, Run};
use std::process::Command;
use std::time::Instant;

fn json_run(exercise: &str, path: &str, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec!["run", exercise, path, "--json"];
    args.extend_from_slice(extra);
    let run = judge(&args);
    let json = run.json();
    (run, json)
}

/// The line of `path` (1-based) holding `needle`.
fn line_of(path: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_relaxed_spin_lock_is_a_data_race_located_in_the_candidates_lines() {
    let path = "exercises/atomic-counter/submissions/race_detected/relaxed_spin_lock.rs";
    let (run, json) = json_run("atomic-counter", path, &[]);
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (1, "race_detected"),
        "{}",
        run.all()
    );
    let tier = &json["memory_model"];
    assert_eq!(tier["status"], "rejected", "{tier}");
    assert!(tier["miri_seed"].is_u64());
    let actual = json["failure"]["actual"].as_str().unwrap();
    assert!(actual.contains("Data race detected"), "{actual}");
    // The accesses are the candidate's: the UnsafeCell's read or write inside the lock.
    let cell = line_of(path, "*v += delta");
    let read = line_of(path, "self.with_lock(|v| *v)");
    assert!(
        actual.contains(&format!("{path}:{cell}:")) || actual.contains(&format!("{path}:{read}:")),
        "{actual}"
    );
    assert!(actual.contains("thread `thread "), "{actual}");
    // The shown call is the scenario, thread by thread.
    assert!(json["failure"]["call"]
        .as_str()
        .unwrap()
        .contains("thread 1:"));
    assert!(json["hint"].as_str().unwrap().contains("Ordering::Acquire"));
    assert!(
        !actual.contains("__judge") && !actual.contains("alloc"),
        "{actual}"
    );
    assert_no_host_data(&run);
}

#[test]
fn the_same_lock_with_acquire_and_release_is_accepted_by_the_tier() {
    let path = "exercises/atomic-counter/submissions/accepted/acquire_release_spin_lock.rs";
    let (run, json) = json_run("atomic-counter", path, &[]);
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (0, "accepted"),
        "{}",
        run.all()
    );
    assert_eq!(json["memory_model"]["status"], "passed", "{}", run.all());
    assert!(json["memory_model"]["cases"].as_u64().unwrap() >= 2);
}

#[test]
fn a_relaxed_spin_lock_around_an_lru_is_a_data_race() {
    let path = "exercises/concurrent-lru-cache/submissions/race_detected/relaxed_spin_lock.rs";
    let (run, json) = json_run("concurrent-lru-cache", path, &[]);
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (1, "race_detected"),
        "{}",
        run.all()
    );
    assert_eq!(json["memory_model"]["status"], "rejected");
    assert_no_host_data(&run);
}

#[test]
fn a_use_after_free_with_right_answers_is_undefined_behavior_at_its_line() {
    let path = "exercises/lru-cache/submissions/undefined_behavior/use_after_free.rs";
    let (run, json) = json_run("lru-cache", path, &[]);
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (1, "undefined_behavior"),
        "{}",
        run.all()
    );
    let actual = json["failure"]["actual"].as_str().unwrap();
    let line = line_of(path, "black_box((*tail).prev)");
    assert!(actual.contains(&format!("{path}:{line}:")), "{actual}");
    assert!(
        json["summary"].as_str().unwrap().contains("freed"),
        "{}",
        json["summary"]
    );
    // The case is a sequence of calls the candidate can run.
    assert!(json["failure"]["call"]
        .as_str()
        .unwrap()
        .contains("LruCache::new("));
    assert_no_host_data(&run);
}

#[test]
fn a_double_free_that_crashes_the_sandbox_is_named_undefined_behavior() {
    let path = "exercises/lru-cache/submissions/undefined_behavior/double_free.rs";
    let (run, json) = json_run("lru-cache", path, &[]);
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (1, "undefined_behavior"),
        "{}",
        run.all()
    );
    let actual = json["failure"]["actual"].as_str().unwrap();
    assert!(
        actual.contains("use-after-free") || actual.contains("freed"),
        "{actual}"
    );
    let drop_line = line_of(path, "drop(unsafe { Box::from_raw(self.last_evicted) })");
    assert!(actual.contains(&format!("{path}:{drop_line}:")), "{actual}");
    assert_no_host_data(&run);
}

#[test]
fn correct_raw_pointers_stay_accepted_and_safe_sequences_skip_the_tier() {
    let (run, json) = json_run(
        "lru-cache",
        "exercises/lru-cache/submissions/accepted/raw_pointer_list.rs",
        &[],
    );
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (0, "accepted"),
        "{}",
        run.all()
    );
    assert_eq!(json["memory_model"]["status"], "passed", "{}", run.all());
    // No `unsafe` and not concurrent: the tier does not run.
    let (run, json) = json_run("lru-cache", "exercises/lru-cache/reference.rs", &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(json.get("memory_model").is_none(), "{json}");
}

#[test]
fn the_seed_replays_the_same_miri_seed() {
    let path = "exercises/atomic-counter/submissions/race_detected/relaxed_spin_lock.rs";
    let (_, a) = json_run("atomic-counter", path, &["--seed", "11"]);
    let (_, b) = json_run("atomic-counter", path, &["--seed", "11"]);
    let (_, c) = json_run("atomic-counter", path, &["--seed", "12"]);
    assert_eq!(
        a["memory_model"]["miri_seed"],
        b["memory_model"]["miri_seed"]
    );
    assert_ne!(
        a["memory_model"]["miri_seed"],
        c["memory_model"]["miri_seed"]
    );
    assert_eq!(a["verdict"], b["verdict"]);
    assert_eq!(a["failure"]["call"], b["failure"]["call"]);
    assert!(a["replay"].as_str().unwrap().ends_with("--seed 11"));
}

#[test]
fn people_read_the_tiers_line() {
    let run = judge(&[
        "run",
        "atomic-counter",
        "exercises/atomic-counter/submissions/accepted/relaxed_fetch_add.rs",
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.all().contains("memory model:"), "{}", run.all());
}

#[test]
fn without_rustup_the_tier_is_skipped_and_says_so() {
    // A PATH with rustc (the rustup proxy, to build the wasm) but no rustup: the pinned
    // nightly can be neither found nor installed.
    let dir = tempfile::tempdir().unwrap();
    let rustc = which("rustc");
    std::os::unix::fs::symlink(&rustc, dir.path().join("rustc")).unwrap();
    // A cache of its own: a shared one remembers where the toolchain is.
    let cache = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = Command::new(judge_bin())
        .args([
            "run",
            "atomic-counter",
            "exercises/atomic-counter/submissions/accepted/fetch_add.rs",
            "--json",
        ])
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", cache.path())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(json["verdict"], "accepted", "{json}");
    assert_eq!(out.status.code(), Some(0));
    let tier = &json["memory_model"];
    assert_eq!(tier["status"], "skipped", "{tier}");
    assert!(
        tier["note"]
            .as_str()
            .unwrap()
            .contains("rustup toolchain install nightly-2026-05-20"),
        "{tier}"
    );
    assert!(started.elapsed().as_secs() < 60);
}

fn which(program: &str) -> std::path::PathBuf {
    let path = std::env::var_os("PATH").unwrap();
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

#[test]
fn a_submission_cannot_dodge_the_tier() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(
        root().join("exercises/atomic-counter/submissions/race_detected/relaxed_spin_lock.rs"),
    )
    .unwrap();
    // Code that behaves differently under Miri is refused where it names Miri's cfg.
    let path = dir.path().join("cfg.rs");
    std::fs::write(
        &path,
        format!("{base}\n#[cfg(not(miri))]\npub fn quiet() {{}}\n"),
    )
    .unwrap();
    let run = judge(&["run", "atomic-counter", path.to_str().unwrap(), "--json"]);
    let json = run.json();
    assert_eq!(
        (run.code, json["verdict"].as_str().unwrap()),
        (1, "compile_error"),
        "{}",
        run.all()
    );
    let line = base.lines().count() + 2;
    assert_eq!(json["diagnostics"][0]["line"], line, "{json}");
    assert_no_host_data(&run);
    // An entry point of its own under the tier's name does not replace the judge's.
    let path = dir.path().join("entry.rs");
    let entry = "#[unsafe(export_name = \"miri_start\")]\npub fn start(_: isize, _: *const *const u8) -> isize { 0 }";
    std::fs::write(&path, format!("{base}\n{entry}\n")).unwrap();
    let run = judge(&["run", "atomic-counter", path.to_str().unwrap(), "--json"]);
    let verdict = run.json()["verdict"].as_str().unwrap().to_owned();
    assert!(
        run.code == 1 && (verdict == "race_detected" || verdict == "compile_error"),
        "{}",
        run.all()
    );
    assert_no_host_data(&run);
}
