//! Hostile submissions are ordinary inputs: each ends within its limits with the right
//! verdict, and nothing of the host shows in the output.

use judge_tests::{assert_no_host_data, judge, Run};
use std::time::Duration;

const EXERCISE: &str = "k-distinct-substring";

/// Judges a fixture from tests/fixtures/hostile and checks verdict, time and leaks.
fn hostile(name: &str, verdict: &str, within: Duration) -> Run {
    let path = format!("tests/fixtures/hostile/{name}.rs");
    let run = judge(&["run", EXERCISE, &path, "--json"]);
    assert_no_host_data(&run);
    let json = run.json();
    assert_eq!(json["verdict"], verdict, "{name}: {}", run.all());
    assert_eq!(run.code, 1, "{name}: a rejection exits 1");
    // The allowance covers building the submission on a cold cache.
    assert!(
        run.elapsed < within + Duration::from_secs(10),
        "{name} took {:?}",
        run.elapsed
    );
    run
}

#[test]
fn infinite_loop_runs_out_of_fuel() {
    let run = hostile(
        "infinite_loop",
        "time_limit_exceeded",
        Duration::from_secs(3),
    );
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("instructions"));
    assert_eq!(
        run.json()["failure"]["stdout"],
        "about to spin\n",
        "{}",
        run.all()
    );
}

#[test]
fn an_hour_of_sleep_is_stopped_by_the_wall_clock() {
    // A time-out is shrunk on short probes and its case confirmed with the full limit once
    // more: two limits (3 s each) and up to 3 s of probes.
    let run = hostile("sleep_hour", "time_limit_exceeded", Duration::from_secs(12));
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("did not return within 3000 ms (sleeping or blocked)"));
    // Captured by the worker's watchdog while the guest slept.
    assert_eq!(
        run.json()["failure"]["stderr"],
        "going to sleep\n",
        "{}",
        run.all()
    );
}

#[test]
fn computing_past_the_wall_clock_on_little_fuel_is_still_running() {
    let run = hostile(
        "cache_miss_forever",
        "time_limit_exceeded",
        Duration::from_secs(12), // two limits and the probes, as above
    );
    assert!(
        run.json()["summary"]
            .as_str()
            .unwrap()
            .contains("did not return within 3000 ms (still running"),
        "{}",
        run.all()
    );
}

#[test]
fn a_wait_that_never_returns_ends() {
    // Two limits, and up to 3 s shrinking the hang on probes.
    hostile("lock_wait", "time_limit_exceeded", Duration::from_secs(12));
}

#[test]
fn taking_a_lock_twice_is_a_runtime_error() {
    hostile("self_deadlock", "runtime_error", Duration::from_secs(4));
}

#[test]
fn unbounded_allocation_hits_the_memory_cap() {
    let run = hostile(
        "alloc_forever",
        "memory_limit_exceeded",
        Duration::from_secs(3),
    );
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("the limit is 256 MiB"));
}

#[test]
fn unbounded_recursion_overflows_the_stack() {
    let run = hostile("recursion", "runtime_error", Duration::from_secs(4));
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("stack overflow"));
}

#[test]
fn gigabytes_of_stdout_hit_the_output_cap() {
    hostile(
        "stdout_flood",
        "output_limit_exceeded",
        Duration::from_secs(3),
    );
}

#[test]
fn host_files_and_directories_are_not_there_at_run_time() {
    let run = hostile("read_host_files", "runtime_error", Duration::from_secs(4));
    assert!(run.all().contains("NotFound"), "{}", run.all());
}

#[test]
fn environment_and_arguments_are_empty_at_run_time() {
    let run = hostile("env_at_runtime", "runtime_error", Duration::from_secs(4));
    assert!(
        run.all().contains(r#"vars [] args [\"solution\"]"#),
        "{}",
        run.all()
    );
}

#[test]
fn spawning_a_process_is_unsupported() {
    let run = hostile("spawn_process", "runtime_error", Duration::from_secs(4));
    assert!(run.all().contains("Unsupported"), "{}", run.all());
}

#[test]
fn exit_and_abort_mid_test_are_runtime_errors() {
    let run = hostile("exit_zero", "runtime_error", Duration::from_secs(3));
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("exited the process with status 0"));
    hostile("abort", "runtime_error", Duration::from_secs(3));
}

#[test]
fn compile_time_reads_of_the_host_are_refused_before_compiling() {
    for (name, construct) in [
        ("include_str_passwd", "include_str!"),
        ("include_passwd", "include!"),
        ("path_attr", "#[path]"),
        ("env_macro", "env!"),
        ("macro_env", "`env`"),
    ] {
        let run = hostile(name, "compile_error", Duration::from_secs(1));
        let json = run.json();
        let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
        assert!(
            diagnostics
                .iter()
                .any(|d| d["message"].as_str().unwrap().contains(construct)),
            "{name}: {}",
            run.all()
        );
        assert!(
            diagnostics.iter().all(|d| d["line"].as_u64().is_some()),
            "{name}: every diagnostic is located"
        );
    }
}

#[test]
fn const_evaluation_that_never_ends_hits_the_compile_time_limit() {
    // The limit is 10 s of rustc's CPU time (a loaded machine stretches the wall time, so
    // the wall clock only backs it up): allow for sharing the cores with other tests.
    let run = hostile(
        "const_eval_forever",
        "compile_error",
        Duration::from_secs(30),
    );
    assert!(
        run.json()["summary"]
            .as_str()
            .unwrap()
            .contains("compilation took longer than 10 s"),
        "{}",
        run.all()
    );
    // rustc's own lint catches the plain form sooner.
    hostile("const_eval_loop", "compile_error", Duration::from_secs(10));
}

#[test]
fn huge_static_tables_are_refused_at_compile_time() {
    let run = hostile(
        "static_filled_256mib",
        "compile_error",
        Duration::from_secs(10),
    );
    let summary = run.json()["summary"].as_str().unwrap().to_owned();
    assert!(
        summary.contains("memory limit") || summary.contains("would exceed"),
        "{summary}"
    );
    let run = hostile(
        "static_zeroed_256mib",
        "compile_error",
        Duration::from_secs(10),
    );
    assert!(
        run.json()["summary"]
            .as_str()
            .unwrap()
            .contains("would exceed 64 MiB"),
        "{}",
        run.all()
    );
}

#[test]
fn redefining_the_harness_entry_points_does_not_build() {
    hostile("forge_exports", "compile_error", Duration::from_secs(2));
}

#[test]
fn non_utf8_and_oversized_sources_are_compile_errors() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.rs");
    std::fs::write(
        &latin1,
        b"// caf\xe9\npub fn longest_substring_k_distinct(s: &str, k: usize) -> usize { 0 }\n",
    )
    .unwrap();
    let run = judge(&["run", EXERCISE, latin1.to_str().unwrap(), "--json"]);
    assert_eq!(
        (run.code, run.json()["verdict"].as_str().unwrap()),
        (1, "compile_error"),
        "{}",
        run.all()
    );
    assert!(run.json()["summary"]
        .as_str()
        .unwrap()
        .contains("not UTF-8 text (invalid byte at line 1)"));

    let big = dir.path().join("big.rs");
    let mut text =
        String::from("pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize { 0 }\n");
    while text.len() < 10_000_000 {
        text.push_str(
            "// padding padding padding padding padding padding padding padding padding\n",
        );
    }
    std::fs::write(&big, text).unwrap();
    let run = judge(&["run", EXERCISE, big.to_str().unwrap(), "--json"]);
    assert_eq!(run.json()["verdict"], "compile_error", "{}", run.all());
    assert!(
        run.json()["summary"].as_str().unwrap().contains("10.0 MB"),
        "{}",
        run.all()
    );
    assert!(run.elapsed < Duration::from_secs(5));
}
