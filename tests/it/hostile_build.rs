//! The build is sealed: whatever a macro assembles, a build that would read anything but the
//! submission is a compile_error in the judge's own words with nothing of the host shown, and
//! rustc neither outlives the judge nor fails a correct file for what it prints. (The scan
//! usually answers first, as the friendly message; the boundary behind it, Landlock and the
//! dep-info check, is proven without the scan by `judge::compile`'s unit tests.)

use judge_tests::{assert_no_host_data, judge, judge_bin, root, Run};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXERCISE: &str = "k-distinct-substring";

/// Judges `path` and checks the verdict and that nothing of the host shows.
fn judged(path: &str, verdict: &str) -> Run {
    let run = judge(&["run", EXERCISE, path, "--json"]);
    assert_no_host_data(&run);
    assert_eq!(run.json()["verdict"], verdict, "{path}: {}", run.all());
    run
}

/// A refused build: compile_error, exit 1, and none of rustc's words about the file.
fn refused(path: &str) -> Run {
    let run = judged(path, "compile_error");
    assert_eq!(run.code, 1, "{}", run.all());
    for rustc_words in [
        "couldn't read",
        "os error",
        "Permission denied",
        "No such file",
    ] {
        assert!(
            !run.all().contains(rustc_words),
            "{path} shows rustc's `{rustc_words}`:\n{}",
            run.all()
        );
    }
    run
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}.rs")
}

#[test]
fn a_macro_that_reorders_tokens_into_include_of_a_host_file_is_refused() {
    refused(&fixture("build_macro_include_passwd"));
}

#[test]
fn a_macro_built_include_of_the_reference_solution_is_refused() {
    // The reference would pass every hidden test if rustc could read it.
    let reference = root().join("exercises/k-distinct-substring/reference.rs");
    let reference = reference.display().to_string();
    let template =
        std::fs::read_to_string(root().join(fixture("build_macro_include_host_file"))).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.rs");
    std::fs::write(&file, template.replace("HOST_PATH", &reference)).unwrap();
    let run = refused(&file.display().to_string());
    let shown = run
        .all()
        .replace(&file.display().to_string(), "<submission>");
    assert!(!shown.contains(&reference), "{shown}");
    assert!(!shown.contains("CharCounts"), "{shown}");
    // The same file with a path that does not exist reads the same (no existence oracle).
    std::fs::write(
        &file,
        template.replace("HOST_PATH", &format!("{reference}.missing")),
    )
    .unwrap();
    let missing = refused(&file.display().to_string());
    assert_eq!(run.json()["summary"], missing.json()["summary"]);
    assert_eq!(run.json()["diagnostics"], missing.json()["diagnostics"]);
}

#[test]
fn a_macro_built_path_module_is_refused() {
    refused(&fixture("build_macro_path_module"));
}

#[test]
fn a_macro_built_env_read_is_refused() {
    let run = refused(&fixture("build_macro_env"));
    assert!(!run.all().contains("tmp"), "{}", run.all());
}

#[test]
fn a_macro_built_debugger_visualizer_is_refused() {
    refused(&fixture("build_macro_debugger_visualizer"));
}

#[test]
fn an_edition_2024_let_chain_is_accepted() {
    let run = judged(&fixture("build_let_chain"), "accepted");
    assert_eq!(run.code, 0);
}

#[test]
fn a_file_that_compiles_only_as_edition_2021_is_built_as_2021_and_says_so() {
    let run = judged(&fixture("build_edition_2021"), "accepted");
    assert_eq!(
        run.json()["notes"][0],
        "built as Rust edition 2021: the file does not compile as edition 2024",
        "{}",
        run.all()
    );
    // A 2024 build carries no note.
    let run = judged(&fixture("build_let_chain"), "accepted");
    assert!(run.json().get("notes").is_none(), "{}", run.all());
}

#[test]
fn a_flood_of_warnings_on_a_correct_solution_is_accepted() {
    // Over 5 MiB of rustc's JSON warnings without --cap-lints (12 KB a line per 10 lines);
    // rustc once died of SIGPIPE when the judge stopped reading at 4 MiB.
    let mut source =
        std::fs::read_to_string(root().join("exercises/k-distinct-substring/reference.rs"))
            .unwrap();
    source.push_str("\npub fn flood() {\n");
    for i in 0..5000 {
        source.push_str(&format!("    let w{i} = {i};\n"));
    }
    source.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flood.rs");
    std::fs::write(&file, source).unwrap();
    let run = judged(&file.display().to_string(), "accepted");
    assert_eq!(run.code, 0);
}

/// pid, parent pid and process group of every process (from /proc/<pid>/stat).
fn processes() -> Vec<(u32, u32, u32, String, char)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_owned();
        let rest: Vec<&str> = stat[close + 2..].split(' ').collect();
        let state = rest[0].chars().next().unwrap_or('?');
        let (Ok(ppid), Ok(pgrp)) = (rest[1].parse(), rest[2].parse()) else {
            continue;
        };
        all.push((pid, ppid, pgrp, comm, state));
    }
    all
}

fn alive(pid: u32) -> bool {
    processes()
        .iter()
        .any(|&(p, _, _, _, state)| p == pid && state != 'Z' && state != 'X')
}

#[test]
fn rustc_dies_with_the_judge() {
    let cache = tempfile::tempdir().unwrap();
    let mut judge = Command::new(judge_bin())
        .args(["run", EXERCISE, &fixture("const_eval_forever")])
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", cache.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let judge_pid = judge.id();
    // The confined rustc: the judge's child that leads its own process group.
    let started = Instant::now();
    let rustc = loop {
        let found = processes().into_iter().find(|(pid, ppid, pgrp, comm, _)| {
            *ppid == judge_pid && pgrp == pid && comm.starts_with("rustc")
        });
        if let Some((pid, ..)) = found {
            break pid;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no confined rustc appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    judge.kill().unwrap();
    judge.wait().unwrap();
    let killed = Instant::now();
    while alive(rustc) || processes().iter().any(|p| p.2 == rustc && p.4 != 'Z') {
        assert!(
            killed.elapsed() < Duration::from_secs(1),
            "rustc ({rustc}) outlived the judge by a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The fallback for kernels without Landlock (`JUDGE_CONFINEMENT=namespace` forces it here):
/// rustc, the worker and Miri run in a user + mount namespace that shows only their trees,
/// a correct solution is still accepted (a plain one and a concurrent one, which also runs
/// under Miri), a macro-built `env!` is still refused, and no report says the build was
/// unconfined.
#[test]
fn the_namespace_fallback_builds_and_judges() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let env = [
        ("JUDGE_CONFINEMENT", "namespace"),
        ("JUDGE_CACHE_DIR", cache_dir),
    ];
    for (exercise, path, verdict) in [
        (
            "k-distinct-substring",
            "exercises/k-distinct-substring/reference.rs",
            "accepted",
        ),
        (
            "atomic-counter",
            "exercises/atomic-counter/reference.rs",
            "accepted",
        ),
        (
            "k-distinct-substring",
            "tests/fixtures/hostile/build_macro_env.rs",
            "compile_error",
        ),
    ] {
        let run = judge_tests::judge_with_env(&["run", exercise, path, "--json"], &env);
        assert_eq!(run.json()["verdict"], verdict, "{path}: {}", run.all());
        assert!(
            !run.all().contains("without kernel confinement"),
            "{}",
            run.all()
        );
    }
}
