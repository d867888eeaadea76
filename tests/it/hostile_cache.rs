//! A cache that cannot lie: a broken, altered or swapped artifact is rebuilt and never
//! decides a verdict; a cache others can write is refused; what killed runs left is removed.

use judge_tests::{assert_no_host_data, judge_bin, root, Run};
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const EXERCISE: &str = "k-distinct-substring";
const REFERENCE: &str = "exercises/k-distinct-substring/reference.rs";
const WRONG: &str = "exercises/k-distinct-substring/submissions/wrong_answer/k_zero_off_by_one.rs";

/// Judges `file` with `--json` and the cache at `cache`.
fn judge_in(cache: &Path, file: &str) -> Run {
    let started = Instant::now();
    let out = Command::new(judge_bin())
        .args(["run", EXERCISE, file, "--json"])
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", cache)
        .env_remove("JUDGE_EXERCISES")
        .output()
        .expect("failed to run judge");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    };
    assert_no_host_data(&run);
    run
}

fn verdict(run: &Run) -> String {
    run.json()["verdict"].as_str().unwrap().to_owned()
}

fn cached_build(run: &Run) -> bool {
    run.json()["stats"]["cached_build"].as_bool().unwrap()
}

/// The artifacts in `dir` whose names end with `ext` (tags excluded).
fn artifacts(dir: &Path, ext: &str) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect()
}

fn tag(artifact: &Path) -> PathBuf {
    PathBuf::from(format!("{}.tag", artifact.display()))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A fresh cache (not yet created: the judge creates it).
fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("judge-cache");
    (dir, cache)
}

#[test]
fn a_truncated_cached_module_is_rebuilt_and_the_reference_still_accepted() {
    let (_tmp, cache) = fresh();
    let first = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&first), "accepted", "{}", first.all());
    assert!(!cached_build(&first));
    let builds = artifacts(&cache.join("builds"), ".wasm");
    assert_eq!(builds.len(), 1, "{builds:?}");
    let wasm = builds.first().unwrap();
    assert!(cached_build(&judge_in(&cache, REFERENCE)));

    // Truncated: once this was a permanent compile_error blamed on the candidate.
    let bytes = std::fs::read(wasm).unwrap();
    std::fs::write(wasm, &bytes[..bytes.len() / 2]).unwrap();
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted", "{}", run.all());
    assert!(!cached_build(&run), "a broken entry is rebuilt");
    // Sealed anew: the next run uses it.
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted");
    assert!(cached_build(&run));

    // Emptied, or its tag gone: rebuilt too.
    std::fs::write(wasm, b"").unwrap();
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted", "{}", run.all());
    assert!(!cached_build(&run));
    std::fs::remove_file(tag(wasm)).unwrap();
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted", "{}", run.all());
    assert!(!cached_build(&run));
}

#[test]
fn a_modified_compiled_module_is_compiled_again_and_never_run() {
    let (_tmp, cache) = fresh();
    assert_eq!(verdict(&judge_in(&cache, REFERENCE)), "accepted");
    let modules = artifacts(&cache.join("modules"), ".cwasm");
    assert_eq!(modules.len(), 1, "{modules:?}");
    let cwasm = modules.first().unwrap();
    let sealed = std::fs::read(cwasm).unwrap();

    // One flipped byte in the machine code wasmtime would run as it is: the tag no longer
    // verifies, so the judge compiles the module again and writes the same bytes back.
    let mut flipped = sealed.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    std::fs::write(cwasm, &flipped).unwrap();
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted", "{}", run.all());
    assert_eq!(
        std::fs::read(cwasm).unwrap(),
        sealed,
        "recompiled and sealed anew"
    );

    // Garbage of the right length, and a truncation: the same.
    std::fs::write(cwasm, vec![0xcc; sealed.len()]).unwrap();
    assert_eq!(verdict(&judge_in(&cache, REFERENCE)), "accepted");
    assert_eq!(std::fs::read(cwasm).unwrap(), sealed);
    std::fs::write(cwasm, &sealed[..100]).unwrap();
    assert_eq!(verdict(&judge_in(&cache, REFERENCE)), "accepted");
    assert_eq!(std::fs::read(cwasm).unwrap(), sealed);
}

#[test]
fn a_correct_build_copied_over_a_wrong_submissions_entries_is_still_wrong() {
    let (_tmp, cache) = fresh();
    assert_eq!(verdict(&judge_in(&cache, REFERENCE)), "accepted");
    let (builds, modules) = (cache.join("builds"), cache.join("modules"));
    let (right_wasm, right_cwasm) = (artifacts(&builds, ".wasm"), artifacts(&modules, ".cwasm"));
    assert_eq!(verdict(&judge_in(&cache, WRONG)), "wrong_answer");
    let wrong_wasm: Vec<_> = artifacts(&builds, ".wasm")
        .difference(&right_wasm)
        .cloned()
        .collect();
    let wrong_cwasm: Vec<_> = artifacts(&modules, ".cwasm")
        .difference(&right_cwasm)
        .cloned()
        .collect();
    assert_eq!((wrong_wasm.len(), wrong_cwasm.len()), (1, 1));
    let pairs = [
        (right_wasm.first().unwrap(), &wrong_wasm[0]),
        (right_cwasm.first().unwrap(), &wrong_cwasm[0]),
    ];

    // The accepted build and compiled module, with their tags, over the wrong one's: the
    // tags are bound to the entries' names, so neither verifies there.
    for (from, to) in pairs {
        std::fs::copy(from, to).unwrap();
        std::fs::copy(tag(from), tag(to)).unwrap();
    }
    let run = judge_in(&cache, WRONG);
    assert_eq!(verdict(&run), "wrong_answer", "{}", run.all());
    assert!(!cached_build(&run));

    // The artifacts alone (old tags kept): the same.
    for (from, to) in pairs {
        std::fs::copy(from, to).unwrap();
    }
    let run = judge_in(&cache, WRONG);
    assert_eq!(verdict(&run), "wrong_answer", "{}", run.all());

    // And the reference is still accepted from its own, untouched entries.
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted");
    assert!(cached_build(&run));
}

#[test]
fn a_new_cache_is_private() {
    let (_tmp, cache) = fresh();
    assert_eq!(verdict(&judge_in(&cache, WRONG)), "wrong_answer");
    for dir in ["", "builds", "modules"] {
        assert_eq!(mode(&cache.join(dir)), 0o700, "{dir}");
    }
    for key in ["builds/.key", "modules/.key"] {
        assert_eq!(mode(&cache.join(key)), 0o600, "{key}");
    }
    let wasm = artifacts(&cache.join("builds"), ".wasm");
    assert_eq!(mode(wasm.first().unwrap()), 0o600);
}

#[test]
fn a_cache_others_can_write_or_own_is_refused_with_the_fix() {
    let (_tmp, cache) = fresh();
    std::fs::create_dir(&cache).unwrap();
    for (dir, bad) in [
        ("", 0o777),
        ("", 0o770),
        ("builds", 0o777),
        ("modules", 0o722),
    ] {
        let path = if dir.is_empty() {
            cache.clone()
        } else {
            cache.join(dir)
        };
        std::fs::create_dir_all(&path).unwrap();
        chmod(&path, bad);
        let run = judge_in(&cache, REFERENCE);
        assert_eq!(run.code, 2, "{dir} {bad:o}: {}", run.all());
        let json = run.json();
        assert_eq!(json["verdict"], "judge_error");
        let error = json["error"].as_str().unwrap();
        assert!(error.contains("writable by"), "{error}");
        assert!(
            error.contains(&format!("chmod 700 {}", path.display())),
            "{error}"
        );
        assert!(run.elapsed.as_secs() < 5, "refused before any work");
        chmod(&path, 0o700);
    }
    // Owned by another user (only root can arrange that).
    let root_user = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if root_user {
        let builds = cache.join("builds");
        assert!(Command::new("chown")
            .args(["65534", builds.to_str().unwrap()])
            .status()
            .unwrap()
            .success());
        let run = judge_in(&cache, REFERENCE);
        assert_eq!(run.code, 2, "{}", run.all());
        let error = run.json()["error"].as_str().unwrap().to_owned();
        assert!(error.contains("belongs to another user"), "{error}");
        assert!(Command::new("chown")
            .args(["0", builds.to_str().unwrap()])
            .status()
            .unwrap()
            .success());
    }
    // Private again: used.
    let run = judge_in(&cache, REFERENCE);
    assert_eq!(verdict(&run), "accepted", "{}", run.all());
}

#[test]
fn what_killed_runs_left_is_removed_and_a_live_build_is_not() {
    let (_tmp, cache) = fresh();
    assert_eq!(verdict(&judge_in(&cache, WRONG)), "wrong_answer");
    let builds = cache.join("builds");
    let stale = builds.join("build-killed");
    let live = builds.join("build-running");
    let stale_tmp = cache.join("modules/.tmpKILLED");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("solution.rs"), "fn main() {}").unwrap();
    std::fs::create_dir(&live).unwrap();
    std::fs::write(&stale_tmp, b"half a module").unwrap();
    for old in [&stale, &stale_tmp] {
        assert!(Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(old)
            .status()
            .unwrap()
            .success());
    }
    // A new submission: a build (and a compile) happens.
    let run = judge_in(
        &cache,
        "exercises/k-distinct-substring/submissions/wrong_answer/counts_bytes.rs",
    );
    assert_eq!(verdict(&run), "wrong_answer", "{}", run.all());
    assert!(
        !stale.exists(),
        "the killed run's build directory is removed"
    );
    assert!(
        !stale_tmp.exists(),
        "the killed run's temporary module is removed"
    );
    assert!(
        live.exists(),
        "a build directory younger than an hour may be a live run's"
    );
}

#[test]
fn judges_sharing_a_fresh_cache_never_pull_an_entry_from_under_each_other() {
    // Each builds, seals and loads the same entries at the same moment: one seeing another's
    // artifact before its tag is a miss that rebuilds, never a deletion the other trips on.
    let (_tmp, cache) = fresh();
    let runs: Vec<Run> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| judge_in(&cache, REFERENCE)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in &runs {
        assert_eq!(verdict(run), "accepted", "{}", run.all());
    }
    let run = judge_in(&cache, REFERENCE);
    assert!(cached_build(&run));
}
