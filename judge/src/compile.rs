//! The build step: one submission plus the exercise's harness, compiled by rustc to a
//! `wasm32-wasip1` module under time, memory and file-size limits, cached by content hash.

use crate::glue::GLUE;
use crate::scan;
use crate::verdict::Diagnostic;
use judge_sandbox::confine::{Confinement, Enforcement, Rlimits};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
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
    /// The edition it was compiled as: 2024, or 2021 when only that compiles.
    pub edition: Edition,
}

/// What kind of failure a build was, which decides whether the other edition is tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FailureKind {
    /// rustc's errors: the file may compile as the other edition.
    Errors,
    /// A compile limit (time, memory, module size): the same as either edition.
    Limit,
    /// The build read something besides the submission: refused as either edition.
    Sealed,
}

/// A failed build and its kind.
struct Failed {
    failure: CompileFailure,
    kind: FailureKind,
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
    #[error("failed to confine rustc: {0}")]
    Confine(String),
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

/// The Rust edition a submission is compiled as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Edition {
    #[serde(rename = "2024")]
    E2024,
    #[serde(rename = "2021")]
    E2021,
}

impl Edition {
    fn flag(self) -> &'static str {
        match self {
            Edition::E2024 => "--edition=2024",
            Edition::E2021 => "--edition=2021",
        }
    }
}

impl std::fmt::Display for Edition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Edition::E2024 => "2024",
            Edition::E2021 => "2021",
        })
    }
}

/// Builds `source` with `harness` as edition 2024, or as 2021 when only that compiles; or
/// returns the cached module from an earlier build. A 2021 build is cached only after 2024
/// failed, so a cached 2021 module means 2024 fails and neither is rebuilt.
pub fn build(
    toolchain: &Toolchain,
    cache_dir: &Path,
    source: &str,
    harness: &str,
    display: &str,
    target: &str,
    limits: CompileLimits,
) -> Result<Result<Built, CompileFailure>, BuildError> {
    let job = Job {
        toolchain,
        cache_dir,
        source,
        harness,
        display,
        target,
        limits,
    };
    for edition in [Edition::E2024, Edition::E2021] {
        if let Some(Ok(built)) = job.build_as(edition, true)? {
            return Ok(Ok(built));
        }
    }
    let built = |b: Option<Result<Built, Failed>>| {
        b.ok_or_else(|| BuildError::Rustc("a build that runs rustc gave no answer".into()))
    };
    match built(job.build_as(Edition::E2024, false)?)? {
        Ok(b) => Ok(Ok(b)),
        Err(first) if first.kind == FailureKind::Errors => {
            match built(job.build_as(Edition::E2021, false)?)? {
                Ok(b) => Ok(Ok(b)),
                // The 2024 errors are the ones to fix.
                Err(_) => Ok(Err(first.failure)),
            }
        }
        Err(first) => Ok(Err(first.failure)),
    }
}

/// One submission's build, as either edition.
struct Job<'a> {
    toolchain: &'a Toolchain,
    cache_dir: &'a Path,
    source: &'a str,
    harness: &'a str,
    display: &'a str,
    target: &'a str,
    limits: CompileLimits,
}

impl Job<'_> {
    /// Builds as `edition`; with `lookup_only`, answers only from the cache (`None` on a
    /// miss).
    fn build_as(
        &self,
        edition: Edition,
        lookup_only: bool,
    ) -> Result<Option<Result<Built, Failed>>, BuildError> {
        let Job {
            toolchain,
            cache_dir,
            source,
            harness,
            display,
            target,
            limits,
        } = *self;
        let root = format!("{source}\n{GLUE}\n{harness}\n");
        let flags = rustc_flags(target, edition);
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
            return Ok(Some(Ok(Built {
                wasm,
                cached: true,
                edition,
            })));
        }
        if lookup_only {
            return Ok(None);
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
        std::fs::create_dir(dir.path().join(PRIVATE_TMP)).map_err(|e| cache_err(&e))?;

        let run = run_rustc(toolchain, dir.path(), &flags, limits)?;
        let layout = Layout::of(source, harness);
        let out = dir.path().join(OUTPUT);
        let failure = match judge_run(&run, dir.path(), &layout, display, limits) {
            Ok(()) if out.is_file() => None,
            Ok(()) => {
                return Err(BuildError::Rustc(
                    "rustc reported success but wrote no module".into(),
                ))
            }
            Err(Judged::Failure(f)) => Some(f),
            Err(Judged::JudgeFailure(e)) => return Err(e),
        };
        if let Some(failure) = failure {
            return Ok(Some(Err(failure)));
        }
        let wasm = cache.seal(&key, &out)?;
        Ok(Some(Ok(Built {
            wasm,
            cached: false,
            edition,
        })))
    }
}

/// What a finished rustc run comes to, when it is not a module.
enum Judged {
    Failure(Failed),
    JudgeFailure(BuildError),
}

/// Judges a finished rustc run from what the kernel and rustc's dep-info say it did (exit
/// status, signal, the files and variables it read), never from its wording; the
/// diagnostics shown quote nothing but the submission.
fn judge_run(
    run: &RustcRun,
    dir: &Path,
    layout: &Layout,
    display: &str,
    limits: CompileLimits,
) -> Result<(), Judged> {
    let fail = |kind, summary: String, hint: &str, diagnostics| {
        Err(Judged::Failure(Failed {
            failure: CompileFailure {
                summary,
                hint: Some(hint.to_owned()),
                diagnostics,
            },
            kind,
        }))
    };
    // What rustc read decides first: a build that touched anything but the submission is
    // refused whatever else happened, and its diagnostics (which may name the file, or
    // say whether it exists) are not shown.
    let deps = read_dep_info(&dir.join(DEP_INFO));
    let (diagnostics, read_outside) = parse_diagnostics(&run.stderr, layout, display);
    match deps.as_ref().map(|d| d.verdict()) {
        Some(DepVerdict::OutsideFile) => {
            return fail(
                FailureKind::Sealed,
                format!("{display} reads a file outside the submission"),
                SEALED_HINT,
                vec![sealed_diagnostic(OUTSIDE_FILE)],
            )
        }
        Some(DepVerdict::Environment) => {
            return fail(
                FailureKind::Sealed,
                format!("{display} reads the build environment"),
                "`env!` and `option_env!` see nothing of the judge's machine; use constants",
                vec![sealed_diagnostic(ENVIRONMENT)],
            )
        }
        _ => {}
    }
    if read_outside {
        return fail(
            FailureKind::Sealed,
            format!("{display} reads a file outside the submission"),
            SEALED_HINT,
            vec![sealed_diagnostic(OUTSIDE_FILE)],
        );
    }
    if run.timed_out {
        return fail(
            FailureKind::Limit,
            format!("compilation took longer than {} s", limits.time.as_secs()),
            "look for constant evaluation that never ends (a `const` or `static` computed by a loop)",
            diagnostics,
        );
    }
    match run.status.signal() {
        Some(libc::SIGXFSZ) => {
            return fail(
                FailureKind::Limit,
                format!(
                    "the compiled module would exceed {} MiB",
                    MAX_MODULE_BYTES >> 20
                ),
                "large tables must be computed at run time, not embedded",
                diagnostics,
            )
        }
        Some(libc::SIGXCPU) => {
            return fail(
                FailureKind::Limit,
                format!(
                    "compilation used more than its {} s of CPU time (SIGXCPU)",
                    cpu_seconds(limits)
                ),
                "look for constant evaluation that never ends (a `const` or `static` computed by a loop)",
                diagnostics,
            )
        }
        Some(signal) if out_of_memory(signal, diagnostics.is_empty()) => {
            return fail(
                FailureKind::Limit,
                format!(
                    "compilation ran out of its {} MiB memory limit ({})",
                    limits.memory_bytes >> 20,
                    signal_name(signal)
                ),
                "large constants or deeply nested generics make rustc use a lot of memory",
                diagnostics,
            )
        }
        _ => {}
    }
    if run.status.success() {
        if deps.is_none() {
            return Err(Judged::JudgeFailure(BuildError::Rustc(
                "rustc wrote no dep-info, so what it read cannot be checked".into(),
            )));
        }
        return Ok(());
    }
    if diagnostics.is_empty() {
        return Err(Judged::JudgeFailure(BuildError::Rustc(
            match run.status.signal() {
                Some(signal) => format!("rustc was killed by {}", signal_name(signal)),
                None => format!("{}", run.status),
            },
        )));
    }
    let n = diagnostics.len();
    Err(Judged::Failure(Failed {
        failure: CompileFailure {
            summary: format!(
                "{display} does not compile ({n} error{})",
                if n == 1 { "" } else { "s" }
            ),
            hint: None,
            diagnostics,
        },
        kind: FailureKind::Errors,
    }))
}

const SEALED_HINT: &str =
    "a submission is one self-contained file: the build reads nothing else (no include!, #[path], #[debugger_visualizer], also when a macro writes them)";
const OUTSIDE_FILE: &str = "the build reads a file outside the submission";
const ENVIRONMENT: &str = "the build reads the build environment (`env!` or `option_env!`)";

fn sealed_diagnostic(message: &str) -> Diagnostic {
    Diagnostic {
        message: message.to_owned(),
        code: None,
        line: None,
        column: None,
        rendered: format!("error: {message}\n"),
    }
}

/// The conventional name of `signal` (`SIGXCPU`), or its number.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGHUP => "SIGHUP",
        libc::SIGILL => "SIGILL",
        libc::SIGINT => "SIGINT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGSYS => "SIGSYS",
        libc::SIGTERM => "SIGTERM",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        _ => return format!("signal {signal}"),
    };
    name.to_owned()
}

/// What rustc's dep-info says it read.
#[derive(Debug, PartialEq, Eq)]
struct DepInfo {
    /// Every file named as a target or a dependency.
    files: Vec<String>,
    /// Variables read by `env!`/`option_env!` (`# env-dep:` lines).
    env: Vec<String>,
    /// Lines the judge does not know (treated as reads outside the submission).
    unknown: usize,
}

#[derive(Debug, PartialEq, Eq)]
enum DepVerdict {
    Sealed,
    OutsideFile,
    Environment,
}

impl DepInfo {
    fn parse(text: &str) -> DepInfo {
        let mut info = DepInfo {
            files: Vec::new(),
            env: Vec::new(),
            unknown: 0,
        };
        for line in text.lines() {
            if let Some(var) = line.strip_prefix("# env-dep:") {
                info.env.push(var.to_owned());
            } else if line.starts_with('#') {
                info.unknown += 1;
            } else {
                info.files.extend(make_words(line));
            }
        }
        info
    }

    fn verdict(&self) -> DepVerdict {
        let ours = [ROOT, OUTPUT, DEP_INFO];
        if self.unknown > 0 || self.files.iter().any(|f| !ours.contains(&f.as_str())) {
            DepVerdict::OutsideFile
        } else if !self.env.is_empty() {
            DepVerdict::Environment
        } else {
            DepVerdict::Sealed
        }
    }
}

/// The words of a make rule line (`target: dep dep`), with `\ ` unescaped and the colon
/// after a target dropped. A path with a colon inside comes out changed, which still
/// differs from the judge's own names.
fn make_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some() => word.push(chars.next().expect("peeked")),
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .into_iter()
        .map(|w| w.strip_suffix(':').map(str::to_owned).unwrap_or(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The dep-info rustc wrote, `None` when there is none (or it is larger than a build of one
/// file can make: then it is certainly not only the submission).
fn read_dep_info(path: &Path) -> Option<DepInfo> {
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    file.take(1 << 20).read_to_string(&mut text).ok()?;
    Some(DepInfo::parse(&text))
}

fn rustc_flags(target: &str, edition: Edition) -> Vec<String> {
    let mut flags = vec![
        edition.flag().to_owned(),
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
            // Warnings are not shown (only errors are), so rustc need not produce them: a
            // file that makes millions of warnings costs nothing.
            "--cap-lints=allow",
            "--error-format=json",
            // The dep-info says which files and variables the build read.
            &format!("--emit=dep-info={DEP_INFO},link={OUTPUT}"),
            ROOT,
        ]
        .map(str::to_owned),
    );
    flags
}

/// The module rustc writes, inside the build directory.
const OUTPUT: &str = "solution.wasm";
/// rustc's list of what it read, inside the build directory.
const DEP_INFO: &str = "solution.d";
/// rustc's TMPDIR, relative to the build directory (so it names nothing of the host), empty.
const PRIVATE_TMP: &str = "tmp";

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

/// The compile limit is CPU time, which the machine's load does not change: a correct
/// file must not fail to compile because other work shares the cores. The kernel stops
/// rustc a second past the limit (`RLIMIT_CPU`); [`run_rustc`] reads the CPU time rustc
/// and the linker it waited for used, and that decides whether the limit was hit.
fn cpu_seconds(limits: CompileLimits) -> u64 {
    limits.time.as_secs().saturating_add(1)
}

/// The wall-clock backstop: far past the CPU limit, for a rustc that neither computes nor
/// ends (stopped, say); a loaded machine stretches wall time, so it is not the limit.
fn wall_backstop(limits: CompileLimits) -> Duration {
    limits.time.saturating_mul(4) + Duration::from_secs(10)
}

/// How rustc is confined: it reads the toolchain and the system libraries, reads and writes
/// its build directory, and nothing else.
pub fn rustc_confinement(toolchain: &Toolchain, dir: &Path, limits: CompileLimits) -> Confinement {
    let mut read_only = vec![toolchain.sysroot.clone()];
    read_only.extend(Confinement::system_libraries());
    Confinement {
        read_only,
        read_write: vec![dir.to_path_buf()],
        limits: Rlimits {
            address_space: Some(limits.memory_bytes),
            file_size: Some(MAX_MODULE_BYTES),
            cpu_seconds: Some(cpu_seconds(limits)),
        },
        own_process_group: true,
    }
}

/// How this machine confines rustc: Landlock, else a user + mount namespace showing only
/// the toolchain and the build directory, or why neither. Without either the build still
/// checks rustc's dep-info (a build that read anything but the submission is refused).
pub fn build_enforcement() -> Enforcement {
    judge_sandbox::confine::available()
}

/// Runs rustc confined ([`rustc_confinement`]) with an environment that names nothing of
/// the host, a CPU-time limit ([`cpu_seconds`]) and a wall-clock backstop enforced by
/// killing its process group. stderr is read
/// to the end (rustc never blocks on a full pipe) and kept up to a cap.
fn run_rustc(
    toolchain: &Toolchain,
    dir: &Path,
    flags: &[String],
    limits: CompileLimits,
) -> Result<RustcRun, BuildError> {
    let mut cmd = Command::new(&toolchain.rustc);
    cmd.args(flags)
        .current_dir(dir)
        .env_clear()
        .env("TMPDIR", PRIVATE_TMP)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let enforcement = rustc_confinement(toolchain, dir, limits)
        .apply_to(&mut cmd)
        .map_err(|e| BuildError::Confine(e.to_string()))?;
    if enforcement == Enforcement::Namespace {
        // No /proc in the namespace's root, so the loader cannot resolve rustc's
        // `$ORIGIN/../lib` run path: name the toolchain's libraries directly.
        cmd.env("LD_LIBRARY_PATH", toolchain.sysroot.join("lib"));
    }
    let spawn_err = |e: std::io::Error| BuildError::Rustc(format!("failed to start rustc: {e}"));
    let mut child = cmd.spawn().map_err(spawn_err)?;
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || drain(stderr, MAX_DIAGNOSTIC_BYTES));
    let deadline = Instant::now() + wall_backstop(limits);
    let mut past_backstop = false;
    let wait_err = |e: std::io::Error| BuildError::Rustc(format!("failed to wait for rustc: {e}"));
    let (status, cpu) = loop {
        if let Some(done) = reap(pid, false).map_err(wait_err)? {
            break done;
        }
        if Instant::now() >= deadline {
            past_backstop = true;
            // SAFETY: plain syscall; the group is the one rustc was started in.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            break reap(pid, true)
                .map_err(wait_err)?
                .expect("a blocking wait returns");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Reaped here, not by `child`: its own wait would find nothing left.
    drop(child);
    let timed_out = past_backstop || cpu >= limits.time;
    // The linker of a killed group is gone too, so the pipe closes.
    let stderr = reader.join().unwrap_or_default();
    Ok(RustcRun {
        status,
        stderr,
        timed_out,
    })
}

/// Waits for process `pid` (blocking or not): its status and the CPU time (user and
/// system) it and the children it waited for used.
fn reap(
    pid: libc::pid_t,
    block: bool,
) -> std::io::Result<Option<(std::process::ExitStatus, Duration)>> {
    let mut status = 0;
    // SAFETY: all-zero is a valid rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let flags = if block { 0 } else { libc::WNOHANG };
    loop {
        // SAFETY: plain syscall with pointers to locals; `pid` is our unreaped child.
        let got = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        match got {
            0 => return Ok(None),
            p if p == pid => break,
            _ => {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    Ok(Some((std::process::ExitStatus::from_raw(status), cpu)))
}

/// Reads `from` to its end, keeping the first `cap` bytes.
fn drain(mut from: impl Read, cap: u64) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = vec![0; 64 << 10];
    loop {
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = (cap as usize).saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    kept
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
    #[serde(default)]
    byte_start: usize,
    line_start: usize,
    #[serde(default)]
    line_end: usize,
    column_start: usize,
    is_primary: bool,
    #[serde(default)]
    text: Vec<RawLine>,
    label: Option<String>,
    #[serde(default)]
    suggested_replacement: Option<String>,
    expansion: Option<Box<RawExpansion>>,
}

/// One source line of a span, with the span's columns on it (1-based, in chars).
#[derive(Deserialize)]
struct RawLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

#[derive(Deserialize)]
struct RawExpansion {
    span: RawSpan,
}

/// Where the parts of the crate root lie: the submission's lines first, then the judge's
/// glue and harness, which holds the provided types (public: the statement shows them).
#[derive(Clone, Debug, Default)]
struct Layout {
    solution_lines: usize,
    /// Byte range of the provided types' module body in the crate root, if any.
    provided: Option<std::ops::Range<usize>>,
}

impl Layout {
    /// The layout of `{source}\n{GLUE}\n{harness}\n`.
    fn of(source: &str, harness: &str) -> Layout {
        let harness_start = source.len() + 1 + GLUE.len() + 1;
        let provided =
            Self::provided_in(harness).map(|r| harness_start + r.start..harness_start + r.end);
        Layout {
            solution_lines: source.lines().count().max(1),
            provided,
        }
    }

    /// The byte range of the provided types' module body in an exercise's harness (the
    /// catalog writes it as `mod __judge_provided { .. }` re-exported by a glob).
    fn provided_in(harness: &str) -> Option<std::ops::Range<usize>> {
        let open = "mod __judge_provided {\n";
        let close = "}\npub use __judge_provided::*;";
        let start = harness.find(open)? + open.len();
        let end = harness[start..].find(close)? + start;
        Some(start..end)
    }

    #[cfg(test)]
    fn lines(solution_lines: usize) -> Layout {
        Layout {
            solution_lines,
            provided: None,
        }
    }
}

/// Where one span lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// In the submission (and, if it comes from a macro, so does the macro's call).
    Solution,
    /// In the provided types, which the statement shows.
    Provided,
    /// Anywhere else: the judge's harness and glue, std's sources.
    Elsewhere,
}

fn place(span: &RawSpan, layout: &Layout) -> Place {
    if in_solution(span, layout.solution_lines) {
        Place::Solution
    } else if span.file_name == ROOT
        && span.expansion.is_none()
        && layout
            .provided
            .as_ref()
            .is_some_and(|p| p.contains(&span.byte_start))
    {
        Place::Provided
    } else {
        Place::Elsewhere
    }
}

/// Turns rustc's JSON errors into diagnostics that quote nothing but the submission, and
/// says whether any was about a file rustc failed to read. Such a diagnostic names the path
/// and says whether the file exists (Landlock's "Permission denied" against "No such file"),
/// so none of them is shown: the caller reports the read in the judge's own words. They are
/// recognised by structure, not by rustc's wording: an I/O error rustc quotes carries std's
/// `(os error N)`, and a missing module file is E0583.
fn parse_diagnostics(stderr: &[u8], layout: &Layout, display: &str) -> (Vec<Diagnostic>, bool) {
    let mut read_outside = false;
    let diagnostics = String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|line| serde_json::from_str::<RawDiagnostic>(line).ok())
        .filter(|d| d.level.starts_with("error") && !d.message.starts_with("aborting due to"))
        .filter(|d| {
            let failed_read = is_failed_read(d);
            read_outside |= failed_read;
            !failed_read
        })
        .map(|d| to_diagnostic(d, layout, display))
        .collect();
    (diagnostics, read_outside)
}

fn is_failed_read(d: &RawDiagnostic) -> bool {
    d.code.as_ref().is_some_and(|c| c.code == "E0583")
        || d.message.contains("(os error ")
        || d.rendered
            .as_deref()
            .is_some_and(|r| r.contains("(os error "))
        || d.children.iter().any(is_failed_read)
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

/// rustc's words with the harness's module paths taken out: the candidate wrote `FsError`
/// and `LruCache`, not `__judge_provided::FsError`, and no name of the judge's own modules
/// is shown. With `from_harness` (a diagnostic with a span in the harness), also
/// `super::LruCache`: the harness, a module below the file, names the file's items so.
fn harness_names_hidden(text: &str, from_harness: bool) -> String {
    let mut out = text.to_owned();
    for prefix in [
        "crate::__judge_provided::",
        "super::__judge_provided::",
        "__judge_provided::",
        "crate::__judge_harness::",
        "__judge_harness::",
        "__judge_wire::",
        "__judge_abi::",
    ] {
        out = out.replace(prefix, "");
    }
    if from_harness {
        out = out.replace("`super::", "`");
        out = out.replace(" in module `super`", " in your file");
    }
    out = out.replace("module `__judge_harness`", "the judge's harness");
    out
}

fn to_diagnostic(d: RawDiagnostic, layout: &Layout, display: &str) -> Diagnostic {
    let code = d.code.as_ref().map(|c| c.code.clone());
    let primary = d
        .spans
        .iter()
        .find(|s| s.is_primary && in_solution(s, layout.solution_lines));
    let (line, column) = (
        primary.map(|s| s.line_start),
        primary.map(|s| s.column_start),
    );
    let own = all_in_solution(&d, layout.solution_lines);
    let rendered = match d.rendered.as_deref() {
        Some(r) if own => harness_names_hidden(
            &r.replace(&format!("{ROOT}:"), &format!("{display}:")),
            false,
        ),
        // Some span points outside the submission (the harness, std's sources): rendered
        // from the spans, quoting the submission and the provided types, no other file.
        _ => render(&d, layout, display),
    };
    Diagnostic {
        message: harness_names_hidden(&d.message, !own),
        code,
        line,
        column,
        rendered,
    }
}

/// A diagnostic in rustc's layout, drawn from its spans: the submission's lines with their
/// marks and labels, the provided types' lines, rustc's notes and help with the
/// replacements it suggests in the submission applied to its lines; of the harness and
/// std, only rustc's labels (its words about types and names), never their text.
fn render(d: &RawDiagnostic, layout: &Layout, display: &str) -> String {
    let hide = |text: &str| harness_names_hidden(text, true);
    let head = match &d.code {
        Some(c) => format!("{}[{}]: {}", d.level, c.code, hide(&d.message)),
        None => format!("{}: {}", d.level, hide(&d.message)),
    };
    let lines_of = |d: &RawDiagnostic| {
        let own = d
            .spans
            .iter()
            .filter(|s| place(s, layout) == Place::Solution);
        own.flat_map(|s| [s.line_start, s.line_end.max(s.line_start)])
            .max()
            .unwrap_or(1)
    };
    let widest = std::iter::once(d)
        .chain(d.children.iter())
        .map(lines_of)
        .max()
        .unwrap_or(1);
    let w = widest.to_string().len();
    let mut out = format!("{head}\n");
    let mine: Vec<&RawSpan> = d
        .spans
        .iter()
        .filter(|s| place(s, layout) == Place::Solution)
        .collect();
    let provided: Vec<&RawSpan> = d
        .spans
        .iter()
        .filter(|s| place(s, layout) == Place::Provided)
        .collect();
    if let Some(first) = mine.iter().find(|s| s.is_primary).or(mine.first()) {
        out.push_str(&format!(
            "{:w$}--> {display}:{}:{}\n",
            "", first.line_start, first.column_start
        ));
        excerpt(&mut out, &mine, w, true);
    }
    if !provided.is_empty() {
        out.push_str(&format!("{:w$}::: provided by the judge\n", ""));
        excerpt(&mut out, &provided, w, false);
    }
    for s in d
        .spans
        .iter()
        .filter(|s| place(s, layout) == Place::Elsewhere)
    {
        if let Some(label) = s.label.as_deref().filter(|l| !l.is_empty()) {
            out.push_str(&format!(
                "{:w$} = note: where the judge calls your code: {}\n",
                "",
                hide(label)
            ));
        }
    }
    if !d.spans.is_empty() && mine.is_empty() {
        out.push_str(&format!("{:w$} = note: reported in the judge's harness, which calls your code: check that your public API matches the statement exactly (names, parameter and return types)\n", ""));
    }
    for c in &d.children {
        let own: Vec<&RawSpan> = c
            .spans
            .iter()
            .filter(|s| place(s, layout) == Place::Solution)
            .collect();
        let suggests = own.iter().any(|s| s.suggested_replacement.is_some());
        if suggests {
            out.push_str(&format!("{}: {}\n", c.level, hide(&c.message)));
            suggestion(&mut out, &own, w);
        } else if !own.is_empty() {
            out.push_str(&format!("{}: {}\n", c.level, hide(&c.message)));
            out.push_str(&format!(
                "{:w$}--> {display}:{}:{}\n",
                "", own[0].line_start, own[0].column_start
            ));
            excerpt(&mut out, &own, w, true);
        } else {
            out.push_str(&format!("{:w$} = {}: {}\n", "", c.level, hide(&c.message)));
        }
    }
    out
}

/// A line of source as shown: tabs as four spaces, as rustc does.
fn shown_line(text: &str) -> String {
    text.trim_end_matches(['\n', '\r']).replace('\t', "    ")
}

/// The display column (0-based) of 1-based char column `col` of `text`.
fn display_col(text: &str, col: usize) -> usize {
    text.chars()
        .take(col.saturating_sub(1))
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The spans' lines, each followed by its marks (`^` primary, `-` secondary) and label;
/// with line numbers (`numbered`) or without (the provided types, whose numbers would be
/// the judge's).
fn excerpt(out: &mut String, spans: &[&RawSpan], w: usize, numbered: bool) {
    let mut spans: Vec<&RawSpan> = spans.to_vec();
    spans.sort_by_key(|s| (s.line_start, s.column_start));
    out.push_str(&format!("{:w$} |\n", ""));
    let mut last_line = None;
    for s in spans {
        let count = s.text.len();
        for (i, l) in s.text.iter().enumerate() {
            // A long multi-line span: its first two lines and its last.
            if count > 3 && i >= 2 && i + 1 < count {
                if i == 2 {
                    out.push_str(&format!("{:w$}...\n", ""));
                }
                continue;
            }
            let number = s.line_start + i;
            if last_line != Some(number) {
                let gutter = if numbered {
                    format!("{number:>w$}")
                } else {
                    " ".repeat(w)
                };
                out.push_str(&format!("{gutter} | {}\n", shown_line(&l.text)));
                last_line = Some(number);
            }
            let from = display_col(&l.text, l.highlight_start);
            let to = display_col(&l.text, l.highlight_end).max(from + 1);
            let mark = if s.is_primary { "^" } else { "-" };
            let label = match (&s.label, i + 1 == count) {
                (Some(label), true) if !label.is_empty() => {
                    format!(" {}", harness_names_hidden(label, true))
                }
                _ => String::new(),
            };
            out.push_str(&format!(
                "{:w$} | {}{}{label}\n",
                "",
                " ".repeat(from),
                mark.repeat(to - from)
            ));
        }
    }
}

/// rustc's suggested replacements applied to the submission's lines, shown as rustc shows
/// them: the changed line, `~` under replaced text, `+` under inserted text, `-` under
/// text to remove (shown on the line as it was).
fn suggestion(out: &mut String, spans: &[&RawSpan], w: usize) {
    let mut by_line: std::collections::BTreeMap<usize, Vec<&RawSpan>> = Default::default();
    for s in spans.iter().filter(|s| s.suggested_replacement.is_some()) {
        by_line.entry(s.line_start).or_default().push(s);
    }
    out.push_str(&format!("{:w$} |\n", ""));
    for (number, mut edits) in by_line {
        let Some(original) = edits[0].text.first().map(|l| l.text.clone()) else {
            continue;
        };
        // Edits applied from the right, so earlier columns stay valid.
        edits.sort_by_key(|s| std::cmp::Reverse(s.column_start));
        let multi_line = edits.iter().any(|s| s.line_end > s.line_start);
        let removing = edits
            .iter()
            .all(|s| s.suggested_replacement.as_deref() == Some(""));
        let mut chars: Vec<char> = original.chars().collect();
        // (start, end, mark) in chars of the line shown.
        let mut marks: Vec<(usize, usize, char)> = Vec::new();
        for s in &edits {
            let Some(l) = s.text.first() else { continue };
            let replacement = s.suggested_replacement.as_deref().unwrap_or_default();
            if multi_line || replacement.contains('\n') {
                continue;
            }
            let from = l.highlight_start.saturating_sub(1).min(chars.len());
            let to = l.highlight_end.saturating_sub(1).clamp(from, chars.len());
            if removing {
                marks.push((from, to, '-'));
                continue;
            }
            let added = replacement.chars().count();
            chars.splice(from..to, replacement.chars());
            // The marks right of this edit (applied earlier) move with the text.
            for m in &mut marks {
                m.0 = m.0 + added - (to - from);
                m.1 = m.1 + added - (to - from);
            }
            if added > 0 {
                marks.push((from, from + added, if from == to { '+' } else { '~' }));
            }
        }
        if multi_line {
            for s in &edits {
                let replacement = s.suggested_replacement.as_deref().unwrap_or_default();
                out.push_str(&format!("{:w$} = suggested: `{}`\n", "", replacement));
            }
            continue;
        }
        let line: String = chars.iter().collect();
        out.push_str(&format!("{number:>w$} | {}\n", shown_line(&line)));
        let mut under: Vec<char> = Vec::new();
        for (from, to, mark) in marks {
            let from = display_col(&line, from + 1);
            let to = display_col(&line, to + 1).max(from + 1);
            if under.len() < to {
                under.resize(to, ' ');
            }
            for c in &mut under[from..to] {
                *c = mark;
            }
        }
        let under: String = under.into_iter().collect();
        out.push_str(&format!("{:w$} | {}\n", "", under.trim_end()));
    }
}

/// The names a file defines at its top level (structs, enums, unions, traits, type aliases,
/// functions), each with its line; with `pub_only`, only those declared `pub`. Read from
/// tokens, so comments and strings never count; a file that does not lex defines nothing.
pub fn top_level_names(source: &str, pub_only: bool) -> Vec<(String, usize)> {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    use std::str::FromStr;
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut public = false;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ';' => public = false,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => public = false,
            TokenTree::Ident(i) if i == "pub" => public = true,
            TokenTree::Ident(i)
                if ["struct", "enum", "union", "trait", "type", "fn"]
                    .iter()
                    .any(|k| i == k) =>
            {
                if let Some(TokenTree::Ident(name)) = tokens.peek() {
                    if public || !pub_only {
                        names.push((name.to_string(), name.span().start().line));
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// A build that failed because the file is a solution to another exercise: it defines
/// every name of that exercise's API (its starter's `pub` items) and not all of this
/// one's, and rustc's errors lie in the harness. The many errors of the harness's calls
/// become one message naming the exercise it was written for; errors located in the file
/// itself stay. Decided from the file's items and the errors' locations, never from
/// rustc's wording.
pub fn for_another_exercise(
    failure: CompileFailure,
    source: &str,
    exercise: &judge_exercises::Exercise,
    display: &str,
) -> CompileFailure {
    if !failure.diagnostics.iter().any(|d| d.line.is_none()) {
        return failure;
    }
    let catalog = judge_exercises::Catalog::embedded();
    let others: Vec<Api> = catalog
        .ids()
        .into_iter()
        .filter(|id| *id != exercise.id)
        .filter_map(|id| catalog.load(&id).ok())
        .map(|e| Api::of(&e))
        .collect();
    let here = Api::of(exercise);
    match written_for(source, &here, &others) {
        Some(other) => another_exercise(failure, source, &here, &other, display),
        None => failure,
    }
}

/// What an exercise's candidate-facing API is made of, by name.
struct Api {
    id: String,
    /// The names its starter declares `pub` at the top level.
    names: Vec<String>,
    /// The types it provides (in scope in a solution without an import).
    provided: Vec<String>,
}

impl Api {
    fn of(exercise: &judge_exercises::Exercise) -> Api {
        let public = |text: &str| -> Vec<String> {
            top_level_names(text, true)
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        };
        let provided = Layout::provided_in(&exercise.harness)
            .map(|range| public(&exercise.harness[range]))
            .unwrap_or_default();
        Api {
            id: exercise.id.clone(),
            names: public(&exercise.starter),
            provided,
        }
    }
}

/// The exercise a file was written for instead.
struct Other<'a> {
    api: &'a Api,
    /// Its API's names as the file defines them, with their lines.
    defined: Vec<(String, usize)>,
    /// This exercise's names the file does not define.
    missing: Vec<String>,
}

/// The exercise whose API names `source` all defines while missing some name of `api`;
/// the one with the most names when several fit.
fn written_for<'a>(source: &str, api: &Api, others: &'a [Api]) -> Option<Other<'a>> {
    let defined = top_level_names(source, false);
    let has = |name: &String| defined.iter().any(|(n, _)| n == name);
    let missing: Vec<String> = api.names.iter().filter(|n| !has(n)).cloned().collect();
    if api.names.is_empty() || missing.is_empty() {
        return None;
    }
    others
        .iter()
        .filter(|o| !o.names.is_empty() && o.names.iter().all(has))
        .max_by_key(|o| o.names.len())
        .map(|o| Other {
            api: o,
            defined: defined
                .iter()
                .filter(|(n, _)| o.names.contains(n))
                .cloned()
                .collect(),
            missing,
        })
}

/// Every identifier in `source`'s tokens (comments and strings hold none), walked with
/// an explicit stack; none for a file that does not lex.
fn identifiers(source: &str) -> std::collections::BTreeSet<String> {
    use proc_macro2::{TokenStream, TokenTree};
    use std::str::FromStr;
    let mut found = std::collections::BTreeSet::new();
    let Ok(tokens) = TokenStream::from_str(source) else {
        return found;
    };
    let mut stack = vec![tokens];
    while let Some(stream) = stack.pop() {
        for token in stream {
            match token {
                TokenTree::Ident(i) => {
                    found.insert(i.to_string());
                }
                TokenTree::Group(g) => stack.push(g.stream()),
                _ => {}
            }
        }
    }
    found
}

fn another_exercise(
    failure: CompileFailure,
    source: &str,
    here: &Api,
    other: &Other<'_>,
    display: &str,
) -> CompileFailure {
    let (id, provided_here) = (&here.id, &here.provided);
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let theirs: Vec<String> = other.defined.iter().map(|(n, _)| n.clone()).collect();
    let oid = &other.api.id;
    let message = format!(
        "this file defines {}, the API of {oid}, and not {}, which {id} calls",
        quoted(&theirs),
        quoted(&other.missing)
    );
    let line = other.defined.first().map(|(_, l)| *l).unwrap_or(1);
    let mut diagnostics = vec![Diagnostic {
        rendered: format!("error: {message}\n  --> {display}:{line}:1\n"),
        message,
        code: None,
        line: Some(line),
        column: Some(1),
    }];
    // The file's own errors stay, but for the harness's (all about the missing API). A
    // file that names a type only the other exercise provides (`FsError` outside
    // in-memory-fs) has errors that follow from its absence (a type not found, then
    // mismatches around it): they say nothing about the file, so they go too.
    let leaned: Vec<&String> = other
        .api
        .provided
        .iter()
        .filter(|p| !provided_here.contains(p) && identifiers(source).contains(p.as_str()))
        .collect();
    if leaned.is_empty() {
        diagnostics.extend(failure.diagnostics.into_iter().filter(|d| d.line.is_some()));
    } else {
        let names: Vec<String> = leaned.into_iter().cloned().collect();
        diagnostics[0].rendered.push_str(&format!(
            "   = note: it uses {}, which {oid} provides; errors that follow from building it without {} are not shown\n",
            quoted(&names),
            if names.len() == 1 { "it" } else { "them" }
        ));
    }
    CompileFailure {
        summary: format!("{display} is a solution to {oid}, not {id}"),
        hint: Some(format!(
            "judge it as {oid} with `judge run {oid} {display}`, or start {id} from its starter with `judge init {id}`"
        )),
        diagnostics,
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
        let (d, _) = parse_diagnostics(line.as_bytes(), &Layout::lines(10), "mine.rs");
        assert_eq!(d.len(), 1);
        assert!(!d[0].rendered.contains("harness text"), "{}", d[0].rendered);
        assert!(d[0].rendered.contains("error[E0308]: mismatched types"));
        assert!(d[0].rendered.contains("judge's harness"));
        assert_eq!(d[0].line, None);
    }

    #[test]
    fn diagnostics_inside_the_submission_keep_rustcs_rendering() {
        let line = r#"{"message":"oops","code":null,"level":"error","spans":[{"file_name":"solution.rs","line_start":2,"column_start":5,"is_primary":true,"label":null,"expansion":null}],"children":[],"rendered":"error: oops\n --> solution.rs:2:5\n  |\n2 |     x\n"}"#;
        let (d, _) = parse_diagnostics(line.as_bytes(), &Layout::lines(10), "mine.rs");
        assert_eq!(
            d[0].rendered,
            "error: oops\n --> mine.rs:2:5\n  |\n2 |     x\n"
        );
        assert_eq!((d[0].line, d[0].column), (Some(2), Some(5)));
    }

    fn limits() -> CompileLimits {
        CompileLimits {
            time: Duration::from_secs(60),
            memory_bytes: 4 << 30,
        }
    }

    /// Builds `source` with no harness, skipping the scan: what rustc itself may do.
    fn build_raw(source: &str) -> Result<Built, CompileFailure> {
        let cache = tempfile::tempdir().unwrap();
        let toolchain = Toolchain::detect().unwrap();
        build(
            &toolchain,
            cache.path(),
            source,
            "",
            "mine.rs",
            TARGET,
            limits(),
        )
        .unwrap()
    }

    /// A failure's whole text, as a report would show it.
    fn shown(f: &CompileFailure) -> String {
        let mut all = format!("{}\n{:?}\n", f.summary, f.hint);
        for d in &f.diagnostics {
            all.push_str(&format!("{}\n{}\n", d.message, d.rendered));
        }
        all
    }

    /// A file outside the build, with a secret in it, and the path of a missing one.
    fn host_file() -> (tempfile::TempDir, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.rs");
        std::fs::write(&file, "pub const SECRET: &str = \"host-secret-7d1e\";\n").unwrap();
        let missing = dir.path().join("missing.rs");
        (
            dir,
            file.display().to_string(),
            missing.display().to_string(),
        )
    }

    const SWAP: &str = "macro_rules! sw { ($a:tt $b:tt $c:tt) => { $b $a $c } }\n";

    #[test]
    fn a_macro_built_read_of_a_host_file_is_refused_in_the_judges_words() {
        let (_dir, file, missing) = host_file();
        let mut seen = Vec::new();
        for path in [&file, &missing] {
            for read in [
                format!("{SWAP}pub const P: &str = sw!(! include_str (\"{path}\"));"),
                format!("{SWAP}sw!(! include (\"{path}\"));"),
                format!("macro_rules! m {{ ($a:ident $n:ident $p:literal) => {{ #[$a = $p] mod $n; }} }}\nm!(path x \"{path}\");"),
                format!("macro_rules! m {{ ($a:ident $p:literal) => {{ #[$a(natvis_file = $p)] pub mod x {{}} }} }}\nm!(debugger_visualizer \"{path}\");"),
            ] {
                let f = build_raw(&read).unwrap_err();
                let text = shown(&f);
                assert!(f.summary.ends_with("reads a file outside the submission"), "{read}\n{text}");
                for leak in [path.as_str(), "host-secret", "denied", "No such", "os error"] {
                    assert!(!text.contains(leak), "{read} shows `{leak}`:\n{text}");
                }
                seen.push(text);
            }
        }
        // The existing file and the missing one read the same: no existence oracle.
        let (existing, absent) = seen.split_at(seen.len() / 2);
        assert_eq!(existing, absent);
    }

    #[test]
    fn landlock_stops_rustc_reading_a_readable_host_file() {
        if judge_sandbox::confine::kernel_abi().is_none() {
            // Nothing to prove without Landlock (the dep-info check is tested apart).
            return;
        }
        let (_dir, file, _) = host_file();
        let toolchain = Toolchain::detect().unwrap();
        let run = |source: &str| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(ROOT), source).unwrap();
            std::fs::create_dir(dir.path().join(PRIVATE_TMP)).unwrap();
            let flags = rustc_flags(TARGET, Edition::E2024);
            let run = run_rustc(&toolchain, dir.path(), &flags, limits()).unwrap();
            let deps = read_dep_info(&dir.path().join(DEP_INFO));
            (run, deps)
        };
        // This process can read the file; rustc, confined, cannot: its build fails (it would
        // succeed and name the file in its dep-info if it could read it).
        assert!(std::fs::read_to_string(&file)
            .unwrap()
            .contains("host-secret"));
        let (denied, deps) = run(&format!("pub const P: &str = include_str!(\"{file}\");"));
        assert!(!denied.status.success());
        assert!(parse_diagnostics(&denied.stderr, &Layout::lines(1), "mine.rs").1);
        assert!(deps.is_none_or(|d| !d.files.contains(&file)));
        // The same build of a file inside the build directory succeeds, and says so.
        let (allowed, deps) = run("pub const P: &str = include_str!(\"solution.rs\");");
        assert!(
            allowed.status.success(),
            "{}",
            String::from_utf8_lossy(&allowed.stderr)
        );
        assert_eq!(deps.unwrap().verdict(), DepVerdict::Sealed);
    }

    #[test]
    fn a_read_of_the_environment_through_a_macro_is_refused() {
        for read in [
            "macro_rules! e { ($($p:ident)::+) => { $($p)::+ !(\"TMPDIR\") } }\npub const T: &str = e!(core::env);",
            "macro_rules! e { ($m:ident) => { $m!(\"HOME\") } }\npub const T: Option<&str> = e!(option_env);",
        ] {
            let f = build_raw(read).unwrap_err();
            let text = shown(&f);
            assert!(f.summary.ends_with("reads the build environment"), "{read}\n{text}");
            assert!(!text.contains("tmp"), "{text}");
        }
    }

    #[test]
    fn editions_2024_first_and_2021_only_when_that_alone_compiles() {
        let let_chain =
            "pub fn f(a: Option<i32>) -> i32 { if let Some(b) = a && b > 1 { b } else { 0 } }";
        assert_eq!(build_raw(let_chain).unwrap().edition, Edition::E2024);
        // `gen` is a reserved keyword from 2024 on.
        let gen = "pub fn gen() -> i32 { 1 }";
        assert_eq!(build_raw(gen).unwrap().edition, Edition::E2021);
        // Neither compiles: the 2024 errors are reported.
        let both = "pub fn gen() -> i32 { if let Some(b) = Some(1) && b > 0 { b } else { 0 } }";
        let f = build_raw(both).unwrap_err();
        assert!(f.summary.contains("does not compile"), "{}", shown(&f));
    }

    #[test]
    fn a_cached_2021_build_is_used_without_rebuilding() {
        let cache = tempfile::tempdir().unwrap();
        let toolchain = Toolchain::detect().unwrap();
        let b = |s: &str| {
            build(&toolchain, cache.path(), s, "", "mine.rs", TARGET, limits())
                .unwrap()
                .unwrap()
        };
        let first = b("pub fn gen() -> i32 { 1 }");
        assert!(!first.cached);
        let again = b("pub fn gen() -> i32 { 1 }");
        assert!(again.cached);
        assert_eq!(again.edition, Edition::E2021);
        assert_eq!(again.wasm, first.wasm);
    }

    /// Builds `source` against exercise `id`'s real harness, as a submission is built, and
    /// returns the failure as the judge reports it (after the other-exercise check).
    fn build_for(id: &str, source: &str) -> CompileFailure {
        let cache = tempfile::tempdir().unwrap();
        let exercise = judge_exercises::Catalog::embedded().load(id).unwrap();
        let failure = build(
            &Toolchain::detect().unwrap(),
            cache.path(),
            source,
            &exercise.harness,
            "mine.rs",
            &exercise.meta.target,
            limits(),
        )
        .unwrap()
        .expect_err("the build fails");
        for_another_exercise(failure, source, &exercise, "mine.rs")
    }

    #[test]
    fn an_error_touching_a_provided_type_keeps_rustcs_excerpt_and_suggestion() {
        // The enum's definition (a secondary span) lies in the provided types: rustc's own
        // rendering would quote the harness, so the judge draws it from the spans.
        let source = include_str!("../../tests/fixtures/reports/fs_variant_typo.rs");
        let f = build_for("in-memory-fs", source);
        assert_eq!(f.diagnostics.len(), 1, "{}", shown(&f));
        let d = &f.diagnostics[0];
        let r = &d.rendered;
        assert_eq!((d.line, d.column), (Some(14), Some(22)), "{r}");
        // rustc's layout: the gutter as wide as the largest line number.
        assert!(r.contains("\n  --> mine.rs:14:22\n   |\n"), "{r}");
        assert!(r.contains("\n14 |         Err(FsError::NotFond)\n"), "{r}");
        let under = |marks: &str| format!("\n   | {}{marks}", " ".repeat(21));
        assert!(r.contains(&under("^^^^^^^ ")), "{r}");
        assert!(
            r.contains("help: there is a variant with a similar name"),
            "{r}"
        );
        assert!(r.contains("\n14 |         Err(FsError::NotFound)\n"), "{r}");
        assert!(r.contains(&under("~~~~~~~~\n")), "{r}");
        assert!(r.contains("::: provided by the judge"), "{r}");
        assert!(r.contains("| pub enum FsError {"), "{r}");
        assert!(
            d.message.contains("found for enum `FsError`"),
            "{}",
            d.message
        );
        let all = shown(&f);
        assert!(!all.contains("__judge"), "{all}");
        assert!(!all.contains("solution.rs"), "{all}");
        // Nothing of the harness proper is quoted.
        assert!(!all.contains("fn apply"), "{all}");
    }

    #[test]
    fn a_note_in_the_submission_keeps_its_excerpt_when_the_error_is_in_the_harness() {
        // The harness builds `LruCache<String, Vec<u8>>`; a `Copy` bound refuses it. The
        // error is the harness's, its cause (the bound) the file's.
        let source = "use std::collections::HashMap;\nuse std::hash::Hash;\n\npub struct LruCache<K, V> {\n    map: HashMap<K, V>,\n}\n\nimpl<K: Hash + Eq + Copy, V: Clone> LruCache<K, V> {\n    pub fn new(_capacity: usize) -> Self {\n        LruCache { map: HashMap::new() }\n    }\n    pub fn get(&mut self, key: &K) -> Option<V> {\n        self.map.get(key).cloned()\n    }\n    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {\n        self.map.insert(key, value);\n        None\n    }\n    pub fn len(&self) -> usize {\n        self.map.len()\n    }\n}\n";
        let f = build_for("lru-cache", source);
        let all = shown(&f);
        assert!(
            all.contains("note: trait bound `String: Copy` was not satisfied\n --> mine.rs:8:21\n"),
            "{all}"
        );
        assert!(
            all.contains("\n8 | impl<K: Hash + Eq + Copy, V: Clone> LruCache<K, V> {\n"),
            "{all}"
        );
        assert!(
            all.contains(&format!("\n  | {}^^^^", " ".repeat(20))),
            "{all}"
        );
        assert!(!all.contains("__judge"), "{all}");
        assert!(!all.contains("super::"), "{all}");
        assert!(!all.contains("solution.rs"), "{all}");
    }

    #[test]
    fn a_solution_to_another_exercise_is_named_in_one_message() {
        let lru = judge_exercises::Catalog::embedded()
            .load("lru-cache")
            .unwrap()
            .reference;
        let f = build_for("in-memory-fs", &lru);
        assert_eq!(f.diagnostics.len(), 1, "{}", shown(&f));
        assert_eq!(
            f.summary,
            "mine.rs is a solution to lru-cache, not in-memory-fs"
        );
        let d = &f.diagnostics[0];
        assert!(d.message.contains("defines `LruCache`"), "{}", d.message);
        assert!(d.message.contains("not `FileSystem`"), "{}", d.message);
        assert!(d.line.is_some());
        assert!(f
            .hint
            .as_deref()
            .unwrap()
            .contains("judge run lru-cache mine.rs"));
        // The file's own errors stay beside it.
        let broken = format!("{lru}\npub fn broken() -> u32 {{ \"x\" }}\n");
        let f = build_for("in-memory-fs", &broken);
        assert_eq!(f.diagnostics.len(), 2, "{}", shown(&f));
        assert!(f.diagnostics[1].message.contains("mismatched types"));
        // Errors at a type only the other exercise provides (`FsError`) go with the rest.
        let fs = judge_exercises::Catalog::embedded()
            .load("in-memory-fs")
            .unwrap()
            .reference;
        let f = build_for("hash-ring", &fs);
        assert_eq!(f.diagnostics.len(), 1, "{}", shown(&f));
        assert!(
            f.summary.contains("a solution to in-memory-fs"),
            "{}",
            f.summary
        );
        assert!(f.diagnostics[0]
            .rendered
            .contains("it uses `FsError`, which in-memory-fs provides"));
        let ids = identifiers("// Comment\nfn f() -> Result<(), FsError> { \"Str\"; }");
        assert!(ids.contains("FsError") && ids.contains("f"));
        assert!(!ids.contains("Comment") && !ids.contains("Str"));
        // A file for this exercise with an error is not taken for another one.
        let fs = "pub struct FileSystem;\nimpl FileSystem { pub fn new() -> Self { FileSystem } }\npub struct LruCache;\n";
        let f = build_for("in-memory-fs", fs);
        assert!(!f.summary.contains("solution to"), "{}", f.summary);
        assert!(f.diagnostics.len() > 1, "{}", shown(&f));
    }

    #[test]
    fn top_level_names_come_from_tokens() {
        let names = top_level_names(
            "// pub struct Comment;\nuse x as Alias;\n#[derive(Debug)]\npub struct A<T>(T);\nfn private() {}\nimpl A<u8> { pub fn method() {} }\npub(crate) enum B { X }\nconst S: &str = \"pub struct InString;\";\npub const fn c() {}\n",
            false,
        );
        let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["A", "private", "B", "c"]);
        let public = top_level_names("pub struct A;\nstruct B;\npub fn f() {}\nfn g() {}\n", true);
        assert_eq!(public, [("A".to_owned(), 1), ("f".to_owned(), 3)]);
        assert!(top_level_names("pub struct {", false).is_empty());
    }

    #[test]
    fn a_flood_of_warnings_does_not_stop_a_correct_build() {
        // Without --cap-lints each line is an unused-variable warning (over 4 MiB of JSON).
        let mut source = String::from("pub fn f() {\n");
        for i in 0..30_000 {
            source.push_str(&format!("    let unused_variable_{i} = {i};\n"));
        }
        source.push_str("}\n");
        let built = build_raw(&source).unwrap();
        assert_eq!(built.edition, Edition::E2024);
    }

    #[test]
    fn dep_info_names_only_the_submission_or_the_build_is_refused() {
        let ours = "solution.wasm: solution.rs\n\nsolution.d: solution.rs\n\nsolution.rs:\n";
        assert_eq!(DepInfo::parse(ours).verdict(), DepVerdict::Sealed);
        let file = "solution.wasm: solution.rs /etc/passwd\n\nsolution.rs:\n/etc/passwd:\n";
        assert_eq!(DepInfo::parse(file).verdict(), DepVerdict::OutsideFile);
        let spaced = "solution.wasm: solution.rs a\\ b.rs\n";
        assert_eq!(
            DepInfo::parse(spaced).files,
            ["solution.wasm", "solution.rs", "a b.rs"]
        );
        assert_eq!(DepInfo::parse(spaced).verdict(), DepVerdict::OutsideFile);
        let env = format!("{ours}\n# env-dep:TMPDIR=tmp\n");
        assert_eq!(DepInfo::parse(&env).verdict(), DepVerdict::Environment);
        let unknown = format!("{ours}# checksum:abc\n");
        assert_eq!(DepInfo::parse(&unknown).verdict(), DepVerdict::OutsideFile);
    }

    #[test]
    fn stderr_is_read_to_its_end_and_kept_up_to_the_cap() {
        let data = vec![b'x'; 300 << 10];
        let kept = drain(&data[..], 100 << 10);
        assert_eq!(kept.len(), 100 << 10);
        assert_eq!(drain(&data[..10], 100).len(), 10);
    }

    /// Judges a synthetic rustc run in a build directory holding `dep_info`, if any.
    fn judged(raw_status: i32, dep_info: Option<&str>, stderr: &str) -> Result<(), Judged> {
        let dir = tempfile::tempdir().unwrap();
        if let Some(d) = dep_info {
            std::fs::write(dir.path().join(DEP_INFO), d).unwrap();
        }
        let run = RustcRun {
            status: std::process::ExitStatus::from_raw(raw_status),
            stderr: stderr.as_bytes().to_vec(),
            timed_out: false,
        };
        judge_run(&run, dir.path(), &Layout::lines(10), "mine.rs", limits())
    }

    fn failed(result: Result<(), Judged>) -> Failed {
        match result {
            Err(Judged::Failure(f)) => f,
            Err(Judged::JudgeFailure(e)) => panic!("a judge failure: {e}"),
            Ok(()) => panic!("built"),
        }
    }

    const SEALED: &str = "solution.wasm: solution.rs\n\nsolution.rs:\n";

    #[test]
    fn a_run_is_judged_by_its_status_signal_and_dep_info_not_its_words() {
        assert!(judged(0, Some(SEALED), "").is_ok());
        // Success, but it read a variable or a file: refused; its diagnostics are not shown.
        let env = format!("{SEALED}# env-dep:HOME=/root\n");
        let f = failed(judged(0, Some(&env), ""));
        assert_eq!(f.kind, FailureKind::Sealed);
        assert!(f.failure.summary.ends_with("reads the build environment"));
        assert!(!format!("{:?}", f.failure).contains("/root"));
        let f = failed(judged(1 << 8, Some("solution.wasm: solution.rs /x\n"), ""));
        assert_eq!(f.kind, FailureKind::Sealed);
        // Success without dep-info cannot be checked: the judge's own failure.
        assert!(matches!(
            judged(0, None, ""),
            Err(Judged::JudgeFailure(BuildError::Rustc(_)))
        ));
        // The CPU backstop is named as such, and is a limit (no retry as 2021).
        let f = failed(judged(libc::SIGXCPU, Some(SEALED), ""));
        assert_eq!(f.kind, FailureKind::Limit);
        assert!(
            f.failure.summary.contains("SIGXCPU"),
            "{}",
            f.failure.summary
        );
        let f = failed(judged(libc::SIGABRT, None, ""));
        assert!(f.failure.summary.contains("memory limit (SIGABRT)"));
        // Ordinary errors may compile as the other edition.
        let error = r#"{"message":"oops","code":null,"level":"error","spans":[],"children":[],"rendered":"error: oops\n"}"#;
        let f = failed(judged(1 << 8, Some(SEALED), error));
        assert_eq!(f.kind, FailureKind::Errors);
        // A failed read is reported in the judge's words, whatever else rustc said.
        let read = r#"{"message":"couldn't read `/etc/shadow`: Permission denied (os error 13)","code":null,"level":"error","spans":[],"children":[],"rendered":null}"#;
        let f = failed(judged(1 << 8, Some(SEALED), &format!("{error}\n{read}")));
        assert_eq!(f.kind, FailureKind::Sealed);
        assert!(!format!("{:?}", f.failure).contains("shadow"));
    }

    #[test]
    fn a_rustc_killed_by_a_signal_is_named_by_it() {
        assert_eq!(signal_name(libc::SIGXCPU), "SIGXCPU");
        assert_eq!(signal_name(libc::SIGPIPE), "SIGPIPE");
        assert_eq!(signal_name(64), "signal 64");
    }
}

#[cfg(test)]
mod cpu_time_tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    /// The compile limit counts CPU time: a child that sleeps uses almost none of it
    /// however long it takes, one that spins is charged for its spinning, and the kernel
    /// stops it at `RLIMIT_CPU`.
    #[test]
    #[allow(clippy::zombie_processes)] // reaped by `reap`, not by `Child::wait`
    fn reaping_charges_cpu_time_not_wall_time() {
        let sleeper = Command::new("sleep").arg("0.5").spawn().unwrap();
        let started = Instant::now();
        let (status, cpu) = reap(sleeper.id() as libc::pid_t, true).unwrap().unwrap();
        assert!(status.success());
        assert!(started.elapsed() >= Duration::from_millis(400));
        assert!(cpu < Duration::from_millis(200), "{cpu:?}");

        let mut spin = Command::new("sh");
        spin.args(["-c", "while :; do :; done"]);
        // SAFETY: only setrlimit between fork and exec.
        unsafe {
            spin.pre_exec(|| {
                let lim = libc::rlimit {
                    rlim_cur: 1,
                    rlim_max: 1,
                };
                if libc::setrlimit(libc::RLIMIT_CPU, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let spinner = spin.spawn().unwrap();
        let (status, cpu) = reap(spinner.id() as libc::pid_t, true).unwrap().unwrap();
        assert!(
            status.signal().is_some(),
            "stopped by the kernel: {status:?}"
        );
        assert!(cpu >= Duration::from_millis(900), "{cpu:?}");
        let none = reap(spinner.id() as libc::pid_t, false);
        assert!(none.is_err(), "reaped once only");
    }
}
