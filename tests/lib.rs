//! Support for the integration tests in `it/`: builds the real `judge` binary once and
//! runs it with an isolated cache.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `judge` binary, built by cargo in this profile the first time it is asked for, so
/// the tests never run a stale binary.
pub fn judge_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "build",
                "-p",
                "judge",
                "--bin",
                "judge",
                "--message-format=json",
            ])
            .current_dir(root())
            .output()
            .expect("failed to run cargo build");
        assert!(
            out.status.success(),
            "cargo build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["reason"] == "compiler-artifact" && v["target"]["name"] == "judge")
            .filter_map(|v| v["executable"].as_str().map(PathBuf::from))
            .next_back()
            .expect("cargo reported no judge executable")
    })
}

/// A cache directory shared by every test of this run (builds are reused).
pub fn cache_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("judge-it-cache-")
            .tempdir()
            .unwrap()
    })
    .path()
}

/// A secret the judge's environment holds; no submission may ever show it.
pub const CANARY: &str = "canary-5f1d2c9e-judge-secret";

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `judge ARGS` from the workspace root with the shared cache and the canary set.
pub fn judge(args: &[&str]) -> Run {
    judge_with_env(args, &[])
}

/// [`judge`] with more environment variables (set after the defaults, so they win).
pub fn judge_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    let out: Output = Command::new(judge_bin())
        .args(args)
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", cache_dir())
        .env("JUDGE_TEST_CANARY", CANARY)
        .env_remove("JUDGE_EXERCISES")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .output()
        .expect("failed to run judge");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// Fails if the output holds anything of the host: a line of /etc/passwd, the canary, the
/// home directory, the user's name or the cache directory.
pub fn assert_no_host_data(run: &Run) {
    let all = run.all();
    let mut secrets = vec![CANARY.to_owned(), cache_dir().display().to_string()];
    if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
        secrets.extend(passwd.lines().filter(|l| l.len() > 8).map(str::to_owned));
    }
    for var in ["HOME", "USER"] {
        if let Ok(v) = std::env::var(var) {
            if v.len() > 3 {
                secrets.push(v);
            }
        }
    }
    for s in secrets {
        assert!(
            !all.contains(&s),
            "the output leaks host data `{s}`:\n{all}"
        );
    }
}
