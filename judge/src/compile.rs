//! The build step: one submission plus the exercise's harness, compiled by rustc to a
//! `wasm32-wasip1` module under time, memory and file-size limits, cached by content hash.

use crate::glue::GLUE;
use crate::scan;
use crate::verdict::Diagnostic;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The target submissions are built for unless the exercise says otherwise.
pub const TARGET: &str = "wasm32-wasip1";
/// The target of concurrent exercises (guest threads over a shared memory).
pub const THREADS_TARGET: &str = judge_exercises::THREADS_TARGET;
/// Bumped whenever the glue or flags change, so old cached builds are not reused.
const BUILD_VERSION: &str = "judge-build-4";
/// Largest submission accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;
/// Largest module rustc may write (a huge static table shows up here).
const MAX_MODULE_BYTES: u64 = 64 << 20;
/// How much of rustc's diagnostics output is kept.
const MAX_DIAGNOSTIC_BYTES: u64 = 4 << 20;
/// Name of the crate root inside the build directory; diagnostics quote only this file.
pub(crate) const ROOT: &str = "solution.rs";

/// The compile step's own limits.
#[derive(Clone, Copy, Debug)]
pub struct CompileLimits {
    pub time: Duration,
    pub memory_bytes: u64,
}

/// Why a submission did not build: every case is the `compile_error` verdict.
#[derive(Clone, Debug)]
pub struct CompileFailure {
    pub summary: String,
    pub hint: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A built module.
#[derive(Clone, Debug)]
pub struct Built {
    pub wasm: PathBuf,
    pub cached: bool,
}

/// The judge's own failures in the build step.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("failed to run rustc: {0}; install Rust with rustup (https://rustup.rs)")]
    NoRustc(String),
    #[error("the {target} target is not installed; run: rustup target add {target}")]
    MissingTarget { target: String },
    #[error("failed to install the {target} target with `rustup target add {target}`: {message}")]
    InstallTarget { target: String, message: String },
    #[error("failed to use the build cache at {path}: {message}")]
    Cache { path: String, message: String },
    #[error("rustc failed without a diagnostic ({0})")]
    Rustc(String),
}

/// The stable toolchain the judge builds with.
#[derive(Clone, Debug)]
pub struct Toolchain {
    rustc: PathBuf,
    sysroot: PathBuf,
    /// `rustc -vV`: part of every cache key.
    version: String,
}

impl Toolchain {
    /// Finds rustc on PATH and resolves the real compiler behind the rustup proxy, so the
    /// compile runs with an empty environment.
    pub fn detect() -> Result<Self, BuildError> {
        let output = |args: &[&str]| -> Result<String, BuildError> {
            let out = Command::new("rustc")
                .args(args)
                .output()
                .map_err(|e| BuildError::NoRustc(e.to_string()))?;
            if !out.status.success() {
                return Err(BuildError::NoRustc(
                    String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                ));
            }
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        };
        let sysroot = PathBuf::from(output(&["--print", "sysroot"])?);
        let version = output(&["-vV"])?;
        let rustc = sysroot.join("bin").join("rustc");
        let rustc = if rustc.exists() {
            rustc
        } else {
            PathBuf::from("rustc")
        };
        Ok(Toolchain {
            rustc,
            sysroot,
            version,
        })
    }

    fn has_target(&self, target: &str) -> bool {
        self.sysroot
            .join("lib/rustlib")
            .join(target)
            .join("lib")
            .is_dir()
    }

    /// Makes sure `target` is installed; `installing` is told before rustup runs.
    pub fn ensure_target(
        &self,
        target: &str,
        installing: &mut dyn FnMut(&str),
    ) -> Result<(), BuildError> {
        if self.has_target(target) {
            return Ok(());
        }
        if Command::new("rustup").arg("--version").output().is_err() {
            return Err(BuildError::MissingTarget {
                target: target.into(),
            });
        }
        installing(&format!("rustup target add {target}"));
        let out = Command::new("rustup")
            .args(["target", "add", target])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| BuildError::InstallTarget {
                target: target.into(),
                message: e.to_string(),
            })?;
        if !out.status.success() || !self.has_target(target) {
            return Err(BuildError::InstallTarget {
                target: target.into(),
                message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
        }
        Ok(())
    }
}

/// Checks a submission's bytes before anything else: size, UTF-8, forbidden constructs.
pub fn precheck(bytes: &[u8], display: &str) -> Result<String, CompileFailure> {
    let fail = |summary: String, hint: &str, diagnostics| CompileFailure {
        summary,
        hint: Some(hint.to_owned()),
        diagnostics,
    };
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(fail(
            format!(
                "{display} is {:.1} MB; a submission may be at most {} KiB",
                bytes.len() as f64 / 1e6,
                MAX_SOURCE_BYTES >> 10
            ),
            "submit the solution itself; generated tables do not belong in it",
            Vec::new(),
        ));
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(fail(
                format!("{display} is not UTF-8 text (invalid byte at line {line})"),
                "save the file as UTF-8",
                Vec::new(),
            ));
        }
    };
    let found = scan::scan(&source).map_err(|e| {
        fail(
            format!("{display} could not be read as Rust: {e}"),
            "fix the syntax error",
            Vec::new(),
        )
    })?;
    if !found.is_empty() {
        let diagnostics = found
            .iter()
            .map(|f| Diagnostic {
                message: format!("`{}` is not allowed: {}", f.construct, f.reason),
                code: None,
                line: Some(f.line),
                column: Some(f.column),
                rendered: format!(
                    "error: `{}` is not allowed: {}\n  --> {display}:{}:{}\n",
                    f.construct, f.reason, f.line, f.column
                ),
            })
            .collect();
        return Err(fail(
            format!(
                "{display} uses {} construct(s) the judge does not allow",
                found.len()
            ),
            "a submission is one self-contained file of plain Rust with std only",
            diagnostics,
        ));
    }
    Ok(source)
}

/// Builds `source` with `harness`, or returns the cached module from an earlier build.
pub fn build(
    toolchain: &Toolchain,
    cache_dir: &Path,
    source: &str,
    harness: &str,
    display: &str,
    target: &str,
    limits: CompileLimits,
) -> Result<Result<Built, CompileFailure>, BuildError> {
    let root = format!("{source}\n{GLUE}\n{harness}\n");
    let flags = rustc_flags(target);
    let mut key = Sha256::new();
    for part in [
        BUILD_VERSION,
        &toolchain.version,
        target,
        &flags.join(" "),
        &root,
    ] {
        key.update(part.as_bytes());
        key.update([0]);
    }
    let key = hex::encode(&key.finalize()[..16]);
    let cache = crate::cache::Builds::open(cache_dir)?;
    let builds = cache.path().to_owned();
    if let Some(wasm) = cache.cached(&key)? {
        return Ok(Ok(Built { wasm, cached: true }));
    }
    let cache_err = |e: &dyn std::fmt::Display| BuildError::Cache {
        path: builds.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(&builds).map_err(|e| cache_err(&e))?;
    let dir = tempfile::Builder::new()
        .prefix("build-")
        .tempdir_in(&builds)
        .map_err(|e| cache_err(&e))?;
    std::fs::write(dir.path().join(ROOT), &root).map_err(|e| cache_err(&e))?;

    let run = run_rustc(toolchain, dir.path(), &flags, limits).map_err(|e| cache_err(&e))?;
    let solution_lines = source.lines().count().max(1);
    let diagnostics = parse_diagnostics(&run.stderr, solution_lines, display);
    let out = dir.path().join("solution.wasm");
    if run.timed_out {
        return Ok(Err(CompileFailure {
            summary: format!("compilation took longer than {} s", limits.time.as_secs()),
            hint: Some("look for constant evaluation that never ends (a `const` or `static` computed by a loop)".into()),
            diagnostics,
        }));
    }
    match run.status.signal() {
        Some(libc::SIGXFSZ) => {
            return Ok(Err(CompileFailure {
                summary: format!(
                    "the compiled module would exceed {} MiB",
                    MAX_MODULE_BYTES >> 20
                ),
                hint: Some("large tables must be computed at run time, not embedded".into()),
                diagnostics,
            }))
        }
        Some(signal) if out_of_memory(signal, diagnostics.is_empty()) => {
            return Ok(Err(CompileFailure {
                summary: format!(
                    "compilation ran out of its {} MiB memory limit",
                    limits.memory_bytes >> 20
                ),
                hint: Some(
                    "large constants or deeply nested generics make rustc use a lot of memory"
                        .into(),
                ),
                diagnostics,
            }))
        }
        _ => {}
    }
    if !run.status.success() || !out.is_file() {
        if diagnostics.is_empty() {
            return Err(BuildError::Rustc(format!("{}", run.status)));
        }
        let n = diagnostics.len();
        return Ok(Err(CompileFailure {
            summary: format!(
                "{display} does not compile ({n} error{})",
                if n == 1 { "" } else { "s" }
            ),
            hint: None,
            diagnostics,
        }));
    }
    let wasm = cache.seal(&key, &out)?;
    Ok(Ok(Built {
        wasm,
        cached: false,
    }))
}

fn rustc_flags(target: &str) -> Vec<String> {
    let mut flags = vec![
        "--edition=2021".to_owned(),
        "--crate-type=cdylib".to_owned(),
        format!("--crate-name={}", judge_exercises::SOLUTION_CRATE),
        format!("--target={target}"),
    ];
    // The two targets have the same cfgs; the glue needs to know which one it is on.
    if target == THREADS_TARGET {
        flags.push("--cfg=judge_threads".to_owned());
    }
    flags.extend(
        [
            "-Cpanic=abort",
            "-Copt-level=3",
            "-Cdebuginfo=0",
            "-Cstrip=debuginfo",
            // Room for recursive solutions on deep inputs (the default is 1 MiB).
            "-Clink-arg=-zstack-size=8388608",
            "--error-format=json",
            "-o",
            "solution.wasm",
            ROOT,
        ]
        .map(str::to_owned),
    );
    flags
}

struct RustcRun {
    status: std::process::ExitStatus,
    stderr: Vec<u8>,
    timed_out: bool,
}

/// Whether rustc, killed by `signal`, ran out of its memory limit: decided from the signal
/// alone (rustc runs under `RLIMIT_AS`), never from what it printed. Under that limit an
/// allocation fails instead of the kernel killing rustc: std's allocation-failure handler
/// and LLVM's both abort (`SIGABRT`), and a stack or guard page that cannot be mapped
/// faults (`SIGSEGV`, `SIGBUS`). Another signal counts when rustc said nothing first.
fn out_of_memory(signal: i32, said_nothing: bool) -> bool {
    matches!(signal, libc::SIGABRT | libc::SIGSEGV | libc::SIGBUS) || said_nothing
}

/// Runs rustc in its own process group with an empty environment, rlimits on memory and
/// file size, and a wall-clock limit enforced by killing the group.
fn run_rustc(
    toolchain: &Toolchain,
    dir: &Path,
    flags: &[String],
    limits: CompileLimits,
) -> std::io::Result<RustcRun> {
    let memory = limits.memory_bytes;
    let mut cmd = Command::new(&toolchain.rustc);
    cmd.args(flags)
        .current_dir(dir)
        .env_clear()
        .env("TMPDIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls (setpgid, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            let set = |resource, value: u64| {
                let lim = libc::rlimit {
                    rlim_cur: value as libc::rlim_t,
                    rlim_max: value as libc::rlim_t,
                };
                libc::setrlimit(resource, &lim)
            };
            set(libc::RLIMIT_AS, memory);
            set(libc::RLIMIT_FSIZE, MAX_MODULE_BYTES);
            set(libc::RLIMIT_CORE, 0);
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.take(MAX_DIAGNOSTIC_BYTES).read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + limits.time;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            // SAFETY: plain syscall; the group is the one rustc was started in.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Linker processes of a killed group are gone too, so the pipe closes.
    let stderr = reader.join().unwrap_or_default();
    Ok(RustcRun {
        status,
        stderr,
        timed_out,
    })
}

#[derive(Deserialize)]
struct RawDiagnostic {
    message: String,
    code: Option<RawCode>,
    level: String,
    spans: Vec<RawSpan>,
    children: Vec<RawDiagnostic>,
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct RawCode {
    code: String,
}

#[derive(Deserialize)]
struct RawSpan {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
    label: Option<String>,
    expansion: Option<Box<RawExpansion>>,
}

#[derive(Deserialize)]
struct RawExpansion {
    span: RawSpan,
}

/// Turns rustc's JSON errors into diagnostics that quote nothing but the submission.
fn parse_diagnostics(stderr: &[u8], solution_lines: usize, display: &str) -> Vec<Diagnostic> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|line| serde_json::from_str::<RawDiagnostic>(line).ok())
        .filter(|d| d.level.starts_with("error") && !d.message.starts_with("aborting due to"))
        .map(|d| to_diagnostic(d, solution_lines, display))
        .collect()
}

fn in_solution(span: &RawSpan, solution_lines: usize) -> bool {
    span.file_name == ROOT
        && span.line_start <= solution_lines
        && span
            .expansion
            .as_ref()
            .is_none_or(|e| in_solution(&e.span, solution_lines))
}

fn all_in_solution(d: &RawDiagnostic, solution_lines: usize) -> bool {
    d.spans.iter().all(|s| in_solution(s, solution_lines))
        && d.children
            .iter()
            .all(|c| all_in_solution(c, solution_lines))
}

fn to_diagnostic(d: RawDiagnostic, solution_lines: usize, display: &str) -> Diagnostic {
    let code = d.code.as_ref().map(|c| c.code.clone());
    let primary = d
        .spans
        .iter()
        .find(|s| s.is_primary && in_solution(s, solution_lines));
    let (line, column) = (
        primary.map(|s| s.line_start),
        primary.map(|s| s.column_start),
    );
    let head = match &code {
        Some(c) => format!("{}[{c}]: {}", d.level, d.message),
        None => format!("{}: {}", d.level, d.message),
    };
    let rendered = match d.rendered.as_deref() {
        Some(r) if all_in_solution(&d, solution_lines) => {
            r.replace(&format!("{ROOT}:"), &format!("{display}:"))
        }
        _ => {
            // Some span points outside the submission (the harness, std's sources):
            // keep the messages and the submission's own locations, quote no other file.
            let mut out = format!("{head}\n");
            for s in d.spans.iter().filter(|s| in_solution(s, solution_lines)) {
                let label = s
                    .label
                    .as_deref()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  --> {display}:{}:{}{label}\n",
                    s.line_start, s.column_start
                ));
            }
            // Labels are rustc's own words about types and names, never quoted source.
            for s in d.spans.iter().filter(|s| !in_solution(s, solution_lines)) {
                if let Some(label) = &s.label {
                    out.push_str(&format!(
                        "  = note: where the judge calls your code: {label}\n"
                    ));
                }
            }
            if !d.spans.is_empty() && !d.spans.iter().any(|s| in_solution(s, solution_lines)) {
                out.push_str("  = note: reported in the judge's harness, which calls your code: check that your public API matches the statement exactly (names, parameter and return types)\n");
            }
            for c in &d.children {
                out.push_str(&format!("  = {}: {}\n", c.level, c.message));
            }
            out
        }
    };
    Diagnostic {
        message: d.message,
        code,
        line,
        column,
        rendered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precheck_refuses_size_encoding_and_forbidden_constructs() {
        let big = vec![b' '; MAX_SOURCE_BYTES + 1];
        assert!(precheck(&big, "s.rs")
            .unwrap_err()
            .summary
            .contains("at most 1024 KiB"));
        let bad = b"fn main() {}\n\xff\xfe";
        assert!(precheck(bad, "s.rs")
            .unwrap_err()
            .summary
            .contains("line 2"));
        let f = precheck(b"const P: &str = include_str!(\"/etc/passwd\");", "s.rs").unwrap_err();
        assert_eq!(f.diagnostics[0].line, Some(1));
        assert!(f.diagnostics[0].rendered.contains("s.rs:1:17"));
        assert!(precheck(b"pub fn f() {}", "s.rs").is_ok());
    }

    #[test]
    fn a_rustc_killed_by_an_abort_or_a_fault_ran_out_of_memory_whatever_it_printed() {
        for signal in [libc::SIGABRT, libc::SIGSEGV, libc::SIGBUS] {
            assert!(out_of_memory(signal, false), "{signal}");
            assert!(out_of_memory(signal, true), "{signal}");
        }
        assert!(out_of_memory(libc::SIGKILL, true));
        assert!(!out_of_memory(libc::SIGKILL, false));
        assert!(!out_of_memory(libc::SIGTERM, false));
    }

    #[test]
    fn diagnostics_outside_the_submission_quote_nothing_of_it() {
        let line = r#"{"message":"mismatched types","code":{"code":"E0308"},"level":"error","spans":[{"file_name":"solution.rs","line_start":40,"column_start":3,"is_primary":true,"label":"expected `usize`","expansion":null}],"children":[{"message":"secret text","code":null,"level":"note","spans":[{"file_name":"/etc/passwd","line_start":1,"column_start":1,"is_primary":true,"label":null,"expansion":null}],"children":[],"rendered":null}],"rendered":"error[E0308]: mismatched types\n --> solution.rs:40:3\n   |\n40 |   harness text\n"}"#;
        let d = parse_diagnostics(line.as_bytes(), 10, "mine.rs");
        assert_eq!(d.len(), 1);
        assert!(!d[0].rendered.contains("harness text"), "{}", d[0].rendered);
        assert!(d[0].rendered.contains("error[E0308]: mismatched types"));
        assert!(d[0].rendered.contains("judge's harness"));
        assert_eq!(d[0].line, None);
    }

    #[test]
    fn diagnostics_inside_the_submission_keep_rustcs_rendering() {
        let line = r#"{"message":"oops","code":null,"level":"error","spans":[{"file_name":"solution.rs","line_start":2,"column_start":5,"is_primary":true,"label":null,"expansion":null}],"children":[],"rendered":"error: oops\n --> solution.rs:2:5\n  |\n2 |     x\n"}"#;
        let d = parse_diagnostics(line.as_bytes(), 10, "mine.rs");
        assert_eq!(
            d[0].rendered,
            "error: oops\n --> mine.rs:2:5\n  |\n2 |     x\n"
        );
        assert_eq!((d[0].line, d[0].column), (Some(2), Some(5)));
    }
}
