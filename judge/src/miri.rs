//! The memory-model tier: the exercise's small cases run by Miri (interpreted under Rust's
//! memory model, with a data-race detector and weak-memory emulation, and checks for use
//! after free, out-of-bounds, uninitialised and invalid values), their answers checked on
//! the host as the hidden tests check them.
//!
//! It runs for every concurrent exercise and for any submission with the `unsafe` keyword
//! (see [`applies`]). The program Miri interprets is the submission, the exercise's harness
//! (the text the wasm build gets, with `--cfg judge_miri`: the concurrent runner's clock
//! is then an atomic counter) and a native entry point ([`MAIN`]) that takes the cases as
//! hex-encoded arguments and prints each answer on a line tagged with a per-run nonce.
//!
//! What decides the verdict, and from what:
//! - Miri's exit status says whether the interpretation ended in an error; the answers it
//!   printed (our own framing) say which case it reached.
//! - A data race is told from other undefined behaviour by running the same cases with the
//!   same Miri seed and the race detector and weak-memory emulation off: an error that goes
//!   away was a race (`race_detected`).
//! - What remains is classified by the title of Miri's error diagnostic (`Undefined
//!   Behavior`, `deadlock`, `unsupported operation`, `resource exhaustion`): the only
//!   structured kind Miri gives (its exit status is 1 for all of them). Only undefined
//!   behaviour rejects (`undefined_behavior`); a deadlock is `time_limit_exceeded` as in
//!   the scheduler; anything Miri cannot interpret leaves the tier without a verdict,
//!   said in the report.
//! - Answers go through [`Suite::run_small`]: linearizability or the model, so a
//!   weak-memory outcome that breaks the contract is `race_detected` like any other.
//!
//! - A run that ends early without an error is the program's own `process::exit`
//!   (`runtime_error`); a panic is `runtime_error` at its line.
//!
//! Aliasing models (Stacked/Tree Borrows) do not decide verdicts: the model is not settled.
//! Safe code runs without one. Code with `unsafe` runs under Tree Borrows first (one run
//! when it is clean); on an error, the same run without it decides, and an error only Tree
//! Borrows found is shown as a warning.
//!
//! Also sent here: a crash in the sandbox (a trap) of code with `unsafe`, replayed on its
//! failing input ([`Cases::Crash`]), where only undefined behaviour replaces the verdict.
//! A submission cannot tell the tier apart: naming `miri`/`judge_miri` is refused
//! ([`names_miri`]), `std::env::args` is empty under `miri_start`, and the answers' nonce
//! reaches only the entry point.
//!
//! Known limits: the SeqCst clock stamps order every call that returned before another
//! started (as a shared clock would), so only overlapping calls can race in Miri's eyes;
//! a program slow under the interpreter (about a thousand times slower than native) runs
//! out of the time limit, which leaves the tier without a verdict, said in the report.

use crate::judging::Event;
use crate::verdict::{Diagnostic, FailureReport};
use judge_core::Verdict;
use judge_exercises::{Actual, CallFailure, Counterexample, Exercise, Outcome, Subject, Suite};
use judge_sandbox::confine::{Confinement, Rlimits};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned nightly whose Miri the tier runs (with its `miri` and `rust-src` components).
pub const TOOLCHAIN: &str = "nightly-2026-05-20";
/// The command that installs it (run by the judge on first need, saying so).
pub const INSTALL: &str =
    "rustup toolchain install nightly-2026-05-20 --profile minimal -c miri -c rust-src";
/// The command that builds Miri's standard library once per machine.
pub const SETUP: &str = "cargo +nightly-2026-05-20 miri setup";
/// The crate root's file name; spans in it up to the submission's last line are the
/// candidate's.
const ROOT: &str = "solution.rs";
/// Wall-clock limit of one Miri run (the process group is killed past it).
const TIME_LIMIT: Duration = Duration::from_secs(30);
/// Largest failing input replayed under Miri after a crash (a larger one, a performance
/// workload's, would only run out of the time limit: the small cases run instead).
pub const MAX_CRASH_INPUT: usize = 16 << 10;
/// Address-space limit of one Miri run.
const MEMORY_LIMIT: u64 = 4 << 30;
/// How much of Miri's stdout (the answers) and stderr (diagnostics) is kept.
const MAX_STDOUT: u64 = 8 << 20;
const MAX_STDERR: u64 = 4 << 20;

/// The native entry point, placed between the submission and the harness as the wasm
/// build's ABI glue is. `miri_start` (Miri's entry point for a
/// `no_main` crate) rather than `main`, so a submission's own `fn main` neither clashes
/// with it nor runs. Answers are printed as `<nonce> <case> ok <hex>`; a panic as
/// `<nonce> <case> panic <line>` (line 0: not in the submission), and the run stops there.
pub(crate) const MAIN: &str = r#"
#[doc(hidden)] const _: () = ();
// Expanded by the harness module (`__judge_entry!();`, its last item), as its child, the
// only place that can reach its private `call` (see judge/src/glue.rs).
macro_rules! __judge_entry { () => {
#[doc(hidden)]
mod __judge_miri {
    fn unhex(s: &[u8]) -> ::std::vec::Vec<u8> {
        let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        s.chunks(2).map(|p| digit(p[0]) << 4 | digit(*p.get(1).unwrap_or(&b'0'))).collect()
    }
    // Not `format!` per byte: interpreted, that costs more than a small scenario.
    fn hex(bytes: &[u8]) -> ::std::string::String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = ::std::string::String::with_capacity(bytes.len() * 2);
        for b in bytes {
            out.push(DIGITS[(b >> 4) as usize] as char);
            out.push(DIGITS[(b & 15) as usize] as char);
        }
        out
    }
    static PANIC_LINE: ::std::sync::atomic::AtomicU32 = ::std::sync::atomic::AtomicU32::new(0);
    #[unsafe(no_mangle)]
    fn miri_start(argc: isize, argv: *const *const u8) -> isize {
        // SAFETY: Miri passes `argc` NUL-terminated arguments in `argv`, live for the run.
        let args: ::std::vec::Vec<::std::vec::Vec<u8>> = (0..argc)
            .map(|i| unsafe {
                ::std::ffi::CStr::from_ptr(*argv.offset(i) as *const ::std::ffi::c_char)
                    .to_bytes()
                    .to_vec()
            })
            .collect();
        let nonce = ::std::string::String::from_utf8_lossy(&args[1]).into_owned();
        ::std::panic::set_hook(::std::boxed::Box::new(|info: &::std::panic::PanicHookInfo<'_>| {
            let line = info.location().filter(|l| l.file() == "solution.rs").map_or(0, |l| l.line());
            PANIC_LINE.store(line, ::std::sync::atomic::Ordering::SeqCst);
        }));
        println!("{nonce} start");
        for (i, arg) in args[2..].iter().enumerate() {
            let input = unhex(arg);
            match ::std::panic::catch_unwind(|| super::call(&input)) {
                Ok(output) => println!("{nonce} {i} ok {}", hex(&output)),
                Err(_) => {
                    let line = PANIC_LINE.load(::std::sync::atomic::Ordering::SeqCst);
                    println!("{nonce} {i} panic {line}");
                    return 0;
                }
            }
        }
        0
    }
}
} }
"#;

/// What the tier did, shown in the report (`memory_model` in `--json`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MemoryModel {
    pub status: Status,
    /// One sentence: what ran, or why it did not.
    pub note: String,
    /// Cases Miri ran to the end (a rejected run counts the failing one).
    pub cases: u32,
    /// The seed of Miri's scheduler and weak-memory choices (derived from the run's seed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miri_seed: Option<u64>,
    pub ms: u64,
    /// Aliasing-model (Tree Borrows) findings: shown, never a rejection.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Rejected,
    /// The tier could not run or could not decide (no toolchain, a run past its limit,
    /// something Miri cannot interpret): no verdict of its own, said in `note`.
    Skipped,
}

/// A verdict of the tier, with what the report shows.
#[derive(Clone, Debug)]
pub struct Rejection {
    pub verdict: Verdict,
    pub summary: String,
    pub hint: String,
    /// The case and what Miri found in it (none for a refusal before any case ran).
    pub failure: Option<FailureReport>,
    /// Where a refused construct is (`compile_error`).
    pub diagnostics: Vec<Diagnostic>,
}

/// The tier's outcome.
#[derive(Clone, Debug)]
pub struct Tiered {
    pub report: MemoryModel,
    pub rejection: Option<Rejection>,
}

/// Whether the tier runs: every concurrent exercise, and any submission with the `unsafe`
/// keyword.
pub fn applies(exercise: &Exercise, source: &str) -> bool {
    exercise.meta.target == judge_exercises::THREADS_TARGET || mentions_unsafe(source)
}

/// Whether `source` has the `unsafe` keyword as a token (not in a string, a comment or as
/// `r#unsafe`). Sound: no macro can produce the keyword from other tokens. Iterative, so
/// deep nesting cannot overflow the stack. Text that does not lex counts as unsafe.
pub fn mentions_unsafe(source: &str) -> bool {
    use proc_macro2::{TokenStream, TokenTree};
    let Ok(stream) = source.parse::<TokenStream>() else {
        return true;
    };
    let mut stack = vec![stream.into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            None => {
                stack.pop();
            }
            Some(TokenTree::Ident(i)) if i == "unsafe" => return true,
            Some(TokenTree::Group(g)) => stack.push(g.stream().into_iter()),
            Some(_) => {}
        }
    }
    false
}

/// Where `source` names the cfg that tells Miri or this tier apart (`miri`, `judge_miri`),
/// as a token: code that behaves differently under Miri would dodge the tier. Sound for the
/// same reason as [`mentions_unsafe`]: no macro can make an identifier from other tokens.
pub fn names_miri(source: &str) -> Option<(usize, usize)> {
    use proc_macro2::{TokenStream, TokenTree};
    let stream = source.parse::<TokenStream>().ok()?;
    let mut stack = vec![stream.into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            None => {
                stack.pop();
            }
            Some(TokenTree::Ident(i)) if i == "miri" || i == "judge_miri" => {
                let start = i.span().start();
                return Some((start.line, start.column + 1));
            }
            Some(TokenTree::Group(g)) => stack.push(g.stream().into_iter()),
            Some(_) => {}
        }
    }
    None
}

/// Why the tier could not get its toolchain.
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error("rustup is not installed, so the pinned nightly cannot be installed; run: {INSTALL}")]
    NoRustup,
    #[error("`{INSTALL}` failed: {0}")]
    Install(String),
    #[error("`{SETUP}` failed: {0}")]
    Setup(String),
    #[error("the tier's cache at {path} cannot be used: {message}")]
    Cache { path: String, message: String },
}

/// The pinned Miri and the sysroot it interprets against.
#[derive(Clone, Debug)]
pub struct Miri {
    miri: PathBuf,
    sysroot: PathBuf,
}

impl Miri {
    /// Finds the pinned toolchain, installing it (and building Miri's sysroot) on first
    /// need; `installing` is told each command before it runs. The sysroot is cargo-miri's
    /// own (one per machine, as the toolchain is), its path remembered in `cache_dir`.
    pub fn ensure(cache_dir: &Path, installing: &mut dyn FnMut(&str)) -> Result<Miri, Unavailable> {
        let dir = cache_dir.join("miri");
        // Both remembered and still there: no rustup process on the way.
        let remembered_miri = std::fs::read_to_string(dir.join(format!("{TOOLCHAIN}.miri")))
            .ok()
            .map(|p| PathBuf::from(p.trim()))
            .filter(|p| p.is_absolute() && miri_ok(p));
        let remembered_sysroot = std::fs::read_to_string(dir.join(format!("{TOOLCHAIN}.sysroot")))
            .ok()
            .map(|p| PathBuf::from(p.trim()))
            .filter(|p| sysroot_ok(p));
        if let (Some(miri), Some(sysroot)) = (remembered_miri, remembered_sysroot) {
            return Ok(Miri { miri, sysroot });
        }
        let miri = match installed_miri() {
            Some(miri) => miri,
            None => {
                if Command::new("rustup").arg("--version").output().is_err() {
                    return Err(Unavailable::NoRustup);
                }
                installing(INSTALL);
                let out = Command::new("rustup")
                    .args(["toolchain", "install", TOOLCHAIN, "--profile", "minimal"])
                    .args(["-c", "miri", "-c", "rust-src"])
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| Unavailable::Install(e.to_string()))?;
                match installed_miri() {
                    Some(miri) if out.status.success() => miri,
                    _ => return Err(Unavailable::Install(last_line(&out.stderr))),
                }
            }
        };
        let cache_err = |e: &dyn std::fmt::Display| Unavailable::Cache {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(&dir).map_err(|e| cache_err(&e))?;
        std::fs::write(
            dir.join(format!("{TOOLCHAIN}.miri")),
            miri.display().to_string(),
        )
        .map_err(|e| cache_err(&e))?;
        let memo = dir.join(format!("{TOOLCHAIN}.sysroot"));
        let remembered = |memo: &Path| {
            let path = PathBuf::from(std::fs::read_to_string(memo).ok()?.trim());
            sysroot_ok(&path).then_some(path)
        };
        if let Some(sysroot) = remembered(&memo) {
            return Ok(Miri { miri, sysroot });
        }
        // One judge builds the sysroot; the others wait for it.
        let lock = std::fs::File::create(dir.join("setup.lock")).map_err(|e| cache_err(&e))?;
        // SAFETY: flock on a descriptor this function owns; released when `lock` drops.
        unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX) };
        if let Some(sysroot) = remembered(&memo) {
            return Ok(Miri { miri, sysroot });
        }
        installing(SETUP);
        let out = Command::new("cargo")
            .args([&format!("+{TOOLCHAIN}"), "miri", "setup", "--print-sysroot"])
            .env_remove("MIRI_SYSROOT")
            .env_remove("RUSTFLAGS")
            .env_remove("MIRIFLAGS")
            .current_dir(&dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Unavailable::Setup(e.to_string()))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !out.status.success() || !sysroot_ok(&sysroot) {
            return Err(Unavailable::Setup(last_line(&out.stderr)));
        }
        std::fs::write(&memo, sysroot.display().to_string()).map_err(|e| cache_err(&e))?;
        Ok(Miri { miri, sysroot })
    }
}

fn last_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned()
}

/// The pinned toolchain's `miri`, if the toolchain and both components are installed.
fn installed_miri() -> Option<PathBuf> {
    let out = Command::new("rustup")
        .args(["which", "--toolchain", TOOLCHAIN, "miri"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let miri = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && miri_ok(&miri)).then_some(miri)
}

/// `miri` is a file in a toolchain that has the standard library's source.
fn miri_ok(miri: &Path) -> bool {
    let source = miri
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join("lib/rustlib/src/rust/library"));
    miri.is_file() && source.is_some_and(|s| s.is_dir())
}

fn sysroot_ok(path: &Path) -> bool {
    path.is_absolute() && path.join("lib/rustlib").is_dir()
}

/// The edition the program is interpreted as: 2024, or 2021 for a file that builds only
/// as 2021 (as the wasm build does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edition {
    E2024,
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

/// Which checks a run has on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    /// The verdict's pass: data races and weak memory on, aliasing model off.
    Verdict,
    /// The same, with the race detector and weak-memory emulation off.
    NoRaces,
    /// Tree Borrows on (warnings only).
    TreeBorrows,
}

fn miri_flags(pass: Pass, miri_seed: u64, edition: Edition) -> Vec<String> {
    let mut flags: Vec<String> = [
        edition.flag(),
        "--crate-name=solution",
        "--cfg=judge_miri",
        "-Zcrate-attr=no_main",
        // The wasm build's semantics: optimised code wraps on overflow.
        "-Coverflow-checks=off",
        "-Cdebug-assertions=off",
        "--cap-lints=allow",
        "--error-format=json",
        "-Zmiri-ignore-leaks",
    ]
    .map(str::to_owned)
    .to_vec();
    flags.push(format!("-Zmiri-seed={miri_seed}"));
    match pass {
        Pass::Verdict => flags.push("-Zmiri-disable-stacked-borrows".into()),
        Pass::NoRaces => flags.extend(
            [
                "-Zmiri-disable-stacked-borrows",
                "-Zmiri-disable-data-race-detector",
                "-Zmiri-disable-weak-memory-emulation",
            ]
            .map(str::to_owned),
        ),
        Pass::TreeBorrows => flags.push("-Zmiri-tree-borrows".into()),
    }
    flags
}

/// The Miri seed of a run seeded with `seed` (the same for every run of that seed).
pub fn miri_seed(seed: u64) -> u64 {
    judge_core::SplitMix64::new(seed ^ 0x4D49_5249_5345_4544).next_u64() >> 32
}

/// What one Miri run did.
struct Run {
    /// The program started (it compiled).
    started: bool,
    /// Each case's answer, in order, as far as the run got.
    answers: Vec<Answer>,
    /// The interpretation ended in an error (exit status 1 after the program started).
    error: Option<MiriDiagnostic>,
    /// Killed at the time limit, or by a signal (out of memory).
    killed: Option<String>,
    /// rustc's first error, when the program did not compile.
    compile_error: Option<MiriDiagnostic>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Answer {
    Returned(Vec<u8>),
    /// A panic, at this line of the submission (0: elsewhere).
    Panicked(u32),
}

/// The kind of an error Miri reported, from its diagnostic's title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    UndefinedBehavior,
    Deadlock,
    Unsupported,
    Exhausted,
    Other,
}

#[derive(Deserialize)]
struct RawDiagnostic {
    message: String,
    level: String,
    #[serde(default)]
    spans: Vec<RawSpan>,
    #[serde(default)]
    children: Vec<RawDiagnostic>,
}

#[derive(Deserialize)]
struct RawSpan {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
    label: Option<String>,
}

/// Miri's error, reduced to what may be shown: its message, the submission's lines it
/// names, and the submission's frames of its backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
struct MiriDiagnostic {
    kind: Kind,
    message: String,
    /// (label, line, column) in the submission.
    spans: Vec<(String, usize, usize)>,
    /// The thread it happened on, as Miri says.
    thread: Option<String>,
    /// (function, line, column) of the submission's frames, innermost first.
    frames: Vec<(String, usize, usize)>,
}

fn kind_of(message: &str) -> Kind {
    if message.starts_with("Undefined Behavior") {
        Kind::UndefinedBehavior
    } else if message.starts_with("deadlock") {
        Kind::Deadlock
    } else if message.starts_with("unsupported operation") {
        Kind::Unsupported
    } else if message.starts_with("resource exhaustion") {
        Kind::Exhausted
    } else {
        Kind::Other
    }
}

/// Miri's first error from its JSON diagnostics, keeping only the submission's locations.
fn parse_error(stderr: &[u8], candidate_lines: usize) -> Option<MiriDiagnostic> {
    let in_candidate = |s: &RawSpan| s.file_name == ROOT && s.line_start <= candidate_lines;
    let d = String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<RawDiagnostic>(l).ok())
        .find(|d| d.level == "error" && !d.message.starts_with("aborting due to"))?;
    let mut spans = Vec::new();
    for s in d.spans.iter().filter(|s| s.is_primary && in_candidate(s)) {
        let label = s.label.clone().unwrap_or_else(|| "here".into());
        spans.push((label, s.line_start, s.column_start));
    }
    let mut thread = None;
    let mut frames = Vec::new();
    for c in &d.children {
        for s in c.spans.iter().filter(|s| in_candidate(s)) {
            if c.message.starts_with("and (1)") || c.message.contains("occurred earlier") {
                spans.push((c.message.clone(), s.line_start, s.column_start));
            }
        }
        if let Some(t) = c.message.strip_prefix("this is on thread ") {
            thread = Some(t.trim_matches('`').to_owned());
        }
        if c.message.contains("backtrace:") {
            frames = candidate_frames(&c.message, candidate_lines);
        }
    }
    let message = d.message.lines().next().unwrap_or_default().to_owned();
    Some(MiriDiagnostic {
        kind: kind_of(&message),
        message,
        spans,
        thread,
        frames,
    })
}

/// The frames of a Miri backtrace (`N: function` then `    at file:line:col: ...`) that
/// lie in the submission.
fn candidate_frames(text: &str, candidate_lines: usize) -> Vec<(String, usize, usize)> {
    let mut frames = Vec::new();
    let mut function = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(at) = t.strip_prefix("at ") {
            let Some(rest) = at.strip_prefix(&format!("{ROOT}:")) else {
                continue;
            };
            let mut parts = rest.split(|c: char| !c.is_ascii_digit());
            let line_no = parts.next().and_then(|p| p.parse::<usize>().ok());
            let column = parts.next().and_then(|p| p.parse::<usize>().ok());
            if let (Some(l), Some(c), Some(f)) = (line_no, column, function.take()) {
                if l <= candidate_lines {
                    frames.push((f, l, c));
                }
            }
        } else if let Some((n, f)) = t.split_once(": ") {
            if n.chars().all(|c| c.is_ascii_digit()) {
                function = Some(f.to_owned());
            }
        }
    }
    frames
}

/// One confined Miri process over `cases`, with the checks of `pass`.
fn run_miri(
    miri: &Miri,
    dir: &Path,
    pass: Pass,
    edition: Edition,
    miri_seed: u64,
    cases: &[Vec<u8>],
    candidate_lines: usize,
) -> Result<Run, String> {
    let nonce = hex::encode(rand_bytes());
    let mut cmd = Command::new(&miri.miri);
    cmd.arg(format!("--sysroot={}", miri.sysroot.display()))
        .args(miri_flags(pass, miri_seed, edition))
        .arg(ROOT)
        .arg("--")
        .arg(&nonce)
        .args(cases.iter().map(hex::encode));
    let (status, stdout, stderr, timed_out) =
        confined(cmd, miri, dir, TIME_LIMIT).map_err(|e| e.to_string())?;
    let prefix = format!("{nonce} ");
    let mut started = false;
    let mut answers = Vec::new();
    for line in String::from_utf8_lossy(&stdout).lines() {
        let Some(rest) = line.strip_prefix(&prefix) else {
            continue;
        };
        if rest == "start" {
            started = true;
            continue;
        }
        let mut parts = rest.splitn(3, ' ');
        let (Some(index), Some(what), arg) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if index.parse::<usize>().ok() != Some(answers.len()) {
            continue;
        }
        match what {
            "ok" => match hex::decode(arg.unwrap_or_default()) {
                Ok(bytes) => answers.push(Answer::Returned(bytes)),
                Err(_) => break,
            },
            "panic" => answers.push(Answer::Panicked(
                arg.and_then(|a| a.parse().ok()).unwrap_or(0),
            )),
            _ => break,
        }
    }
    let killed = if timed_out {
        Some(format!(
            "Miri did not finish within {} s",
            TIME_LIMIT.as_secs()
        ))
    } else {
        status
            .signal()
            .map(|s| format!("Miri was ended by signal {s} (out of its memory limit?)"))
    };
    let error = if started && !status.success() && killed.is_none() {
        parse_error(&stderr, candidate_lines)
    } else {
        None
    };
    let compile_error = if started || killed.is_some() {
        None
    } else {
        parse_error(&stderr, candidate_lines)
    };
    Ok(Run {
        started,
        answers,
        error,
        killed,
        compile_error,
    })
}

fn rand_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = f.read_exact(&mut bytes);
    }
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    for (b, t) in bytes.iter_mut().zip(t.to_le_bytes()) {
        *b ^= t;
    }
    bytes
}

/// Runs `cmd` confined as rustc is (judge_sandbox::confine: Landlock where the kernel has
/// it, reading only the toolchain, Miri's sysroot and the system libraries, writing only
/// `dir`; no TCP; killed with the judge; its own process group, killed at `limit`;
/// resource limits) with an empty environment. The one place the tier starts a process.
fn confined(
    mut cmd: Command,
    miri: &Miri,
    dir: &Path,
    limit: Duration,
) -> std::io::Result<(std::process::ExitStatus, Vec<u8>, Vec<u8>, bool)> {
    cmd.current_dir(dir)
        .env_clear()
        .env("TMPDIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let toolchain = miri
        .miri
        .parent()
        .and_then(Path::parent)
        .unwrap_or(&miri.miri)
        .to_path_buf();
    let mut read_only = vec![toolchain.clone(), miri.sysroot.clone()];
    read_only.extend(Confinement::system_libraries());
    let enforcement = Confinement {
        read_only,
        read_write: vec![dir.to_path_buf()],
        limits: Rlimits {
            address_space: Some(MEMORY_LIMIT),
            file_size: Some(1 << 20),
            cpu_seconds: Some(limit.as_secs() + 5),
        },
        own_process_group: true,
    }
    .apply_to(&mut cmd)
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    if enforcement == judge_sandbox::confine::Enforcement::Namespace {
        // No /proc in the namespace's root: the loader cannot resolve `$ORIGIN` run paths.
        cmd.env("LD_LIBRARY_PATH", toolchain.join("lib"));
    }
    let mut child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let reader = |pipe: Option<Box<dyn Read + Send>>, cap: u64| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = (&mut pipe).take(cap).read_to_end(&mut buf);
                // Past the cap, drained and dropped: a full pipe must not stall Miri.
                let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            }
            buf
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        MAX_STDOUT,
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        MAX_STDERR,
    );
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            // SAFETY: plain syscall on the group Miri was started in.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // SAFETY: as above; anything left in the group (nothing, normally) goes too, so the
    // pipes close.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok((status, stdout, stderr, timed_out))
}

/// The answers of a finished run, served to the suite's checks by input.
struct Answers {
    by_input: HashMap<Vec<u8>, Result<Vec<u8>, CallFailure>>,
}

impl Answers {
    fn get(&self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.by_input.get(input).cloned().unwrap_or_else(|| {
            Err(CallFailure {
                verdict: Verdict::JudgeError,
                message: "the memory-model tier has no answer for this case".into(),
                shrinkable: false,
                computing: false,
            })
        })
    }
}

impl Subject for Answers {
    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.get(input)
    }

    fn call_threads(
        &mut self,
        input: &[u8],
        _run: &judge_core::Mode,
    ) -> Result<judge_exercises::Threaded, CallFailure> {
        self.get(input).map(|output| judge_exercises::Threaded {
            output,
            trace: Vec::new(),
            sites: Default::default(),
            nanos: 0,
        })
    }
}

/// What the tier runs.
#[derive(Clone, Copy)]
pub enum Cases<'a> {
    /// The suite's small cases ([`Suite::small_cases`]), checked by [`Suite::run_small`]:
    /// for a submission every earlier stage accepted.
    Small,
    /// The one case on which the submission crashed in the sandbox (a trap, not a panic),
    /// to tell whether undefined behaviour explains it: only that verdict is reported.
    Crash(&'a [u8]),
}

/// Runs the tier for `source` on `exercise`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    cache_dir: &Path,
    exercise: &Exercise,
    suite: &dyn Suite,
    source: &str,
    display: &str,
    seed: u64,
    which: Cases<'_>,
    events: &dyn Fn(Event),
) -> Tiered {
    let started = Instant::now();
    let skipped = |note: String, miri_seed: Option<u64>| Tiered {
        report: MemoryModel {
            status: Status::Skipped,
            note,
            cases: 0,
            miri_seed,
            ms: started.elapsed().as_millis() as u64,
            warnings: Vec::new(),
        },
        rejection: None,
    };
    let cases = match which {
        Cases::Small => suite.small_cases(seed),
        Cases::Crash(input) => vec![input.to_vec()],
    };
    if let Some((line, column)) = names_miri(source) {
        let message = "`miri` is not allowed: the judge also runs your code under Miri, and it must behave the same there".to_owned();
        return Tiered {
            report: MemoryModel {
                status: Status::Rejected,
                note: "not run: the submission names Miri's cfg".into(),
                cases: 0,
                miri_seed: None,
                ms: 0,
                warnings: Vec::new(),
            },
            rejection: Some(Rejection {
                verdict: Verdict::CompileError,
                summary: format!("{display} names `miri`, which the judge does not allow"),
                hint: "remove `cfg(miri)` (and `judge_miri`): a submission is judged as it is"
                    .into(),
                failure: None,
                diagnostics: vec![Diagnostic {
                    rendered: format!("error: {message}\n  --> {display}:{line}:{column}\n"),
                    message,
                    code: None,
                    line: Some(line),
                    column: Some(column),
                }],
            }),
        };
    }
    if cases.is_empty() {
        return skipped(
            format!(
                "not run: {} has no cases small enough for Miri",
                exercise.id
            ),
            None,
        );
    }
    let miri = match Miri::ensure(cache_dir, &mut |cmd| {
        events(Event::Installing(cmd.to_owned()))
    }) {
        Ok(miri) => miri,
        Err(e) => return skipped(format!("not run: {e}"), None),
    };
    let miri_seed = miri_seed(seed);
    let runs = cache_dir.join("miri").join("runs");
    let dir = match std::fs::create_dir_all(&runs)
        .and_then(|()| tempfile::Builder::new().prefix("run-").tempdir_in(&runs))
    {
        Ok(dir) => dir,
        Err(e) => return skipped(format!("not run: the cache cannot be used: {e}"), None),
    };
    let program = format!("{source}\n{MAIN}\n{}\n", exercise.harness);
    if let Err(e) = std::fs::write(dir.path().join(ROOT), &program) {
        return skipped(format!("not run: the cache cannot be used: {e}"), None);
    }
    let candidate_lines = source.lines().count().max(1);
    let mut edition = Edition::E2024;
    let go = |pass, edition, cases: &[Vec<u8>]| {
        run_miri(
            &miri,
            dir.path(),
            pass,
            edition,
            miri_seed,
            cases,
            candidate_lines,
        )
    };
    // Code with `unsafe` runs under Tree Borrows too; an error only that model finds (gone
    // when the same run has it off) is a warning, and the run without it decides.
    let aliasing = mentions_unsafe(source) && matches!(which, Cases::Small);
    let pass = if aliasing {
        Pass::TreeBorrows
    } else {
        Pass::Verdict
    };
    let mut first = go(pass, edition, &cases);
    if first
        .as_ref()
        .is_ok_and(|r| !r.started && r.killed.is_none())
    {
        edition = Edition::E2021;
        first = go(pass, edition, &cases);
    }
    let mut warnings = Vec::new();
    if aliasing && first.as_ref().is_ok_and(|r| r.error.is_some()) {
        let plain = go(Pass::Verdict, edition, &cases);
        if let (Ok(tb), Ok(p)) = (&first, &plain) {
            if let (Some(e), None) = (&tb.error, &p.error) {
                warnings.push(render(
                    e,
                    display,
                    "Tree Borrows (an aliasing model that is not settled): a warning, not a verdict",
                ));
            }
        }
        first = plain;
    }
    let first = match first {
        Ok(run) => run,
        Err(e) => {
            return skipped(
                format!("not run: Miri could not be started: {e}"),
                Some(miri_seed),
            )
        }
    };
    if let Some(why) = &first.killed {
        return skipped(format!("no verdict: {why}"), Some(miri_seed));
    }
    if !first.started {
        // It built for WebAssembly, so what stops it here is the submission's: code for
        // one target only, or a symbol that clashes with the tier's entry point.
        let Some(error) = &first.compile_error else {
            return skipped(
                "not run: Miri did not start the program and said nothing".into(),
                Some(miri_seed),
            );
        };
        let message = format!(
            "{} (building for the memory-model tier, natively under Miri)",
            scrub(&error.message)
        );
        let at = error.spans.first().map(|&(_, l, c)| (l, c));
        let location = at
            .map(|(l, c)| format!("\n  --> {display}:{l}:{c}"))
            .unwrap_or_default();
        return Tiered {
            report: MemoryModel {
                status: Status::Rejected,
                note: "the submission does not build for Miri".into(),
                cases: 0,
                miri_seed: Some(miri_seed),
                ms: started.elapsed().as_millis() as u64,
                warnings: Vec::new(),
            },
            rejection: Some(Rejection {
                verdict: Verdict::CompileError,
                summary: format!("{display} does not build for the memory-model tier"),
                hint: "a submission is portable Rust: no code for one target only, no exported symbols of its own".into(),
                failure: None,
                diagnostics: vec![Diagnostic {
                    rendered: format!("error: {message}{location}\n"),
                    message,
                    code: None,
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                }],
            }),
        };
    }
    // Every case's answer, as far as the run got; the case it stopped in gets Miri's error.
    let mut by_input = HashMap::new();
    for (input, answer) in cases.iter().zip(&first.answers) {
        let result = match answer {
            Answer::Returned(bytes) => Ok(bytes.clone()),
            // A panic past the submission's lines is the harness's: located nowhere.
            Answer::Panicked(line) => Err(panicked(
                Some(*line)
                    .filter(|&l| l as usize <= candidate_lines)
                    .unwrap_or(0),
                display,
            )),
        };
        by_input.insert(input.clone(), result);
    }
    let reached = first.answers.len();
    if let Some(error) = &first.error {
        let Some(input) = cases.get(reached) else {
            return skipped(
                format!(
                    "no verdict: Miri reported an error after the last case: {}",
                    error.message
                ),
                Some(miri_seed),
            );
        };
        let failure = match error.kind {
            Kind::UndefinedBehavior => {
                // Race or not: the same cases and seed without the race detector.
                let again = match go(Pass::NoRaces, edition, &cases[..=reached]) {
                    Ok(run) => run,
                    Err(e) => {
                        return skipped(
                            format!("no verdict: Miri could not be started again: {e}"),
                            Some(miri_seed),
                        )
                    }
                };
                match (&again.error, again.answers.len() > reached) {
                    (None, true) => race_failure(error, display),
                    (Some(e), _) if e.kind == Kind::UndefinedBehavior => ub_failure(e, display),
                    // The error went away without an answer (killed, ...): still a race.
                    (None, false) if again.killed.is_none() => race_failure(error, display),
                    _ => ub_failure(error, display),
                }
            }
            Kind::Deadlock => CallFailure {
                verdict: Verdict::TimeLimitExceeded,
                message: render(
                    error,
                    display,
                    "deadlock under Miri: every thread is blocked and nothing can wake them",
                ),
                shrinkable: false,
                computing: false,
            },
            Kind::Unsupported | Kind::Exhausted | Kind::Other => {
                return skipped(
                    format!(
                        "no verdict: Miri cannot interpret this program ({})",
                        error.message
                    ),
                    Some(miri_seed),
                );
            }
        };
        by_input.insert(input.clone(), Err(failure));
    } else if reached < cases.len() && !matches!(first.answers.last(), Some(Answer::Panicked(_))) {
        // Only the program itself ends a run early without an error: `process::exit`.
        by_input.insert(
            cases[reached].clone(),
            Err(CallFailure {
                verdict: Verdict::RuntimeError,
                message: "exited (std::process::exit) during a call under Miri".into(),
                shrinkable: false,
                computing: false,
            }),
        );
    }
    let ran = (reached + usize::from(first.error.is_some())).min(cases.len()) as u32;
    if let Cases::Crash(input) = which {
        let report = |status, note: String| MemoryModel {
            status,
            note,
            cases: ran,
            miri_seed: Some(miri_seed),
            ms: started.elapsed().as_millis() as u64,
            warnings: Vec::new(),
        };
        return match by_input.remove(input) {
            Some(Err(f)) if f.verdict == Verdict::UndefinedBehavior => {
                let rejection = rejection(Counterexample {
                    call: String::new(),
                    encoded: input.to_vec(),
                    expected: String::new(),
                    actual: Actual::Failed(f),
                    passed_before: 0,
                    shrink_steps: 0,
                    found_after_ms: 0,
                });
                Tiered {
                    report: report(Status::Rejected, rejection.summary.clone()),
                    rejection: Some(rejection),
                }
            }
            _ => Tiered {
                report: report(
                    Status::Passed,
                    "the failing case under Miri: no undefined behaviour explains the crash".into(),
                ),
                rejection: None,
            },
        };
    }
    let mut answers = Answers { by_input };
    let outcome = suite.run_small(&mut answers, seed);
    let ms = started.elapsed().as_millis() as u64;
    let report = |status, note: String| MemoryModel {
        status,
        note,
        cases: ran,
        miri_seed: Some(miri_seed),
        ms,
        warnings: warnings.clone(),
    };
    match outcome {
        Outcome::Passed { cases } => Tiered {
            report: report(
                Status::Passed,
                format!("{cases} small cases under Miri: no data race, no undefined behaviour, every answer within the contract"),
            ),
            rejection: None,
        },
        Outcome::Aborted(reason) => Tiered {
            report: report(Status::Skipped, format!("no verdict: {reason}")),
            rejection: None,
        },
        Outcome::Failed(c) => {
            let rejection = rejection(*c);
            Tiered {
                report: report(Status::Rejected, rejection.summary.clone()),
                rejection: Some(rejection),
            }
        }
    }
}

fn panicked(line: u32, display: &str) -> CallFailure {
    let at = if line > 0 {
        format!(" at {display}:{line}")
    } else {
        String::new()
    };
    CallFailure {
        verdict: Verdict::RuntimeError,
        message: format!("panicked under Miri{at}"),
        shrinkable: false,
        computing: false,
    }
}

fn race_failure(error: &MiriDiagnostic, display: &str) -> CallFailure {
    CallFailure {
        verdict: Verdict::RaceDetected,
        message: render(
            error,
            display,
            "a data race: two threads access the same memory, at least one writes, and nothing orders the accesses (the same run without Miri's race detector has no error)",
        ),
        shrinkable: false,
        computing: false,
    }
}

fn ub_failure(error: &MiriDiagnostic, display: &str) -> CallFailure {
    CallFailure {
        verdict: Verdict::UndefinedBehavior,
        message: render(error, display, "undefined behaviour"),
        shrinkable: false,
        computing: false,
    }
}

/// Miri's finding for people: what it is, Miri's message, the submission's lines and
/// frames; nothing of the host or the harness.
fn render(error: &MiriDiagnostic, display: &str, what: &str) -> String {
    let scrub = |text: &str| scrub(text).replace(&format!("{ROOT}:"), &format!("{display}:"));
    let mut out = format!("{what}\nMiri: {}", scrub(&error.message));
    if let Some(t) = &error.thread {
        out.push_str(&format!(" (on thread `{}`)", scrub(t)));
    }
    for (label, line, column) in &error.spans {
        out.push_str(&format!(
            "\n  --> {display}:{line}:{column}: {}",
            scrub(label)
        ));
    }
    for (function, line, column) in &error.frames {
        out.push_str(&format!(
            "\n  in `{}` at {display}:{line}:{column}",
            scrub(function)
        ));
    }
    if error.spans.is_empty() && error.frames.is_empty() {
        out.push_str("\n  (in the standard library, called from the judge's harness)");
    }
    out
}

/// Removes anything that looks like a path (Miri names only allocations and threads, but
/// a message quoting a file must not show the host's).
/// Allocation ids (`at alloc123+0x8`) mean nothing to the candidate and are dropped.
fn scrub(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<&str> = Vec::new();
    let alloc = |w: &str| {
        w.strip_prefix("alloc")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    let mut skip = false;
    for (i, w) in words.iter().enumerate() {
        if std::mem::take(&mut skip) {
            continue;
        }
        if *w == "at" && words.get(i + 1).is_some_and(|n| alloc(n)) {
            skip = true;
            continue;
        }
        if alloc(w) {
            out.push("an allocation");
        } else if w.contains('/')
            && (w.contains(".rs") || w.starts_with('/') || w.starts_with("`/"))
        {
            out.push("<path>");
        } else {
            out.push(w);
        }
    }
    out.join(" ")
}

fn rejection(c: Counterexample) -> Rejection {
    let (verdict, summary, actual) = match c.actual {
        Actual::Returned {
            verdict,
            summary,
            shown,
        } => (verdict, format!("under Miri: {summary}"), shown),
        Actual::Failed(f) => {
            // The finding's first line, and Miri's message (the second) when it has one.
            let mut lines = f.message.lines();
            let what = lines.next().unwrap_or_default();
            let summary = match lines.next().and_then(|l| l.strip_prefix("Miri: ")) {
                Some(m) => format!(
                    "under Miri: {}",
                    m.strip_prefix("Undefined Behavior: ").unwrap_or(m)
                ),
                None => format!("under Miri: {what}"),
            };
            (f.verdict, summary, f.message)
        }
    };
    let expected = match verdict {
        Verdict::RaceDetected | Verdict::UndefinedBehavior => {
            "no data race and no undefined behaviour under Rust's memory model".to_owned()
        }
        _ => c.expected,
    };
    Rejection {
        verdict,
        summary,
        hint: hint(verdict).to_owned(),
        diagnostics: Vec::new(),
        failure: Some(FailureReport {
            call: c.call,
            expected,
            actual,
            passed_before: c.passed_before,
            on_workload: false,
            shrink_steps: 0,
            stdout: String::new(),
            stderr: String::new(),
            detail: Default::default(),
        }),
    }
}

fn hint(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::RaceDetected => "order the two accesses shown: a lock built on atomics must take it with `Ordering::Acquire` (the `compare_exchange` that succeeds) and free it with `Ordering::Release` (the `store`), or use `std::sync::Mutex`; a value several threads update without a lock must itself be atomic (`fetch_add`, `compare_exchange`)",
        Verdict::UndefinedBehavior => "check the assumptions of each `unsafe` block at the lines shown: a pointer used after its memory was freed, memory freed twice, an access out of bounds, or a read of memory never written; Box, Vec and indices into a Vec cannot do this",
        Verdict::TimeLimitExceeded => "every thread waits for another: take locks in one fixed order, and never wait while holding a lock another thread needs",
        Verdict::WrongAnswer => "Miri interprets your code under Rust's memory model: an answer that differs there reads memory that was not written, or relies on what the compiled code happened to do",
        _ => "see the statement: `judge show <exercise>`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unsafe_keyword_counts_only_as_a_token() {
        for yes in [
            "fn f() { unsafe { g() } }",
            "unsafe impl Sync for X {}",
            "#[unsafe(no_mangle)] pub extern \"C\" fn f() {}",
            "macro_rules! m { () => { unsafe { 1 } } }",
            "fn f() { [(((x, {unsafe fn g() {}})))]; }",
        ] {
            assert!(mentions_unsafe(yes), "{yes}");
        }
        for no in [
            "fn f() -> &'static str { \"unsafe\" }",
            "// unsafe\nfn f() {}",
            "/* unsafe { } */ fn f() {}",
            "fn r#unsafe() {}",
            "fn unsafe_ish() { let unsafely = 1; }",
            "/// Safety: no unsafe here\nfn f() {}",
        ] {
            assert!(!mentions_unsafe(no), "{no}");
        }
        // Text that does not lex is not vouched for.
        assert!(mentions_unsafe("fn f() { \"unterminated }"));
    }

    #[test]
    fn naming_miris_cfg_is_found_wherever_it_is() {
        assert_eq!(
            names_miri("fn f() {}\n#[cfg(not(miri))]\nfn g() {}"),
            Some((2, 11))
        );
        assert!(names_miri("fn f() -> bool { cfg!(judge_miri) }").is_some());
        assert!(names_miri("macro_rules! m { ($c:ident) => {} } m!(miri);").is_some());
        assert!(names_miri("fn f() -> &'static str { \"miri\" } // miri").is_none());
        assert!(names_miri("fn miri_ish() {}").is_none());
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 200_000;
        let deep = format!("{}unsafe{}", "(".repeat(depth), ")".repeat(depth));
        let shallow = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
        // On a thread with a small stack, so recursion would fail loudly.
        let (a, b) = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || (mentions_unsafe(&deep), mentions_unsafe(&shallow)))
            .unwrap()
            .join()
            .unwrap();
        assert!(a);
        assert!(!b);
    }

    #[test]
    fn the_verdict_pass_detects_races_without_an_aliasing_model() {
        let verdict = miri_flags(Pass::Verdict, 7, Edition::E2024);
        assert!(verdict.contains(&"-Zmiri-disable-stacked-borrows".to_string()));
        assert!(verdict.contains(&"-Zmiri-seed=7".to_string()));
        assert!(verdict.contains(&"-Zmiri-ignore-leaks".to_string()));
        assert!(!verdict
            .iter()
            .any(|f| f.contains("data-race") || f.contains("isolation")));
        let no_races = miri_flags(Pass::NoRaces, 7, Edition::E2021);
        assert!(no_races.contains(&"-Zmiri-disable-data-race-detector".to_string()));
        assert!(no_races.contains(&"-Zmiri-disable-weak-memory-emulation".to_string()));
        assert!(no_races.contains(&"--edition=2021".to_string()));
        let tree = miri_flags(Pass::TreeBorrows, 7, Edition::E2024);
        assert!(tree.contains(&"-Zmiri-tree-borrows".to_string()));
        assert!(!tree.iter().any(|f| f.contains("disable")));
        assert_eq!(miri_seed(5), miri_seed(5));
        assert_ne!(miri_seed(5), miri_seed(6));
    }

    // Miri's diagnostic for a Relaxed spin lock, as `--error-format=json` wrote it (the
    // harness's frame at line 40 lies past the 30 lines of the submission).
    const RACE: &str = r#"{"$message_type":"diagnostic","message":"Undefined Behavior: Data race detected between (1) non-atomic write on thread `thread 1` and (2) non-atomic read on thread `thread 2` at alloc807","code":null,"level":"error","spans":[{"file_name":"solution.rs","byte_start":487,"byte_end":505,"line_start":9,"line_end":9,"column_start":22,"column_end":40,"is_primary":true,"text":[],"label":"(2) just happened here","suggested_replacement":null,"suggestion_applicability":null,"expansion":null}],"children":[{"message":"and (1) occurred earlier here","code":null,"level":"help","spans":[{"file_name":"solution.rs","byte_start":487,"byte_end":505,"line_start":12,"line_end":12,"column_start":5,"column_end":40,"is_primary":true,"text":[],"label":null,"suggested_replacement":null,"suggestion_applicability":null,"expansion":null}],"children":[],"rendered":null},{"message":"this is on thread `thread 2`","code":null,"level":"note","spans":[],"children":[],"rendered":null},{"message":"stack backtrace:\n0: AtomicCounter::add\n    at solution.rs:9:22: 9:40\n1: __judge_harness::apply\n    at solution.rs:40:3: 40:9\n2: std::thread::scope\n    at /home/someone/.rustup/toolchains/x/lib/rustlib/src/rust/library/std/src/thread/scoped.rs:1:1: 1:2","code":null,"level":"note","spans":[],"children":[],"rendered":null}]}
{"$message_type":"diagnostic","message":"aborting due to 1 previous error","code":null,"level":"error","spans":[],"children":[]}"#;

    #[test]
    fn miris_error_keeps_only_the_submissions_lines() {
        let d = parse_error(RACE.as_bytes(), 30).unwrap();
        assert_eq!(d.kind, Kind::UndefinedBehavior);
        assert_eq!(d.thread.as_deref(), Some("thread 2"));
        assert_eq!(
            d.spans,
            vec![
                ("(2) just happened here".to_string(), 9, 22),
                ("and (1) occurred earlier here".to_string(), 12, 5),
            ]
        );
        assert_eq!(d.frames, vec![("AtomicCounter::add".to_string(), 9, 22)]);
        let shown = render(&d, "mine.rs", "a data race");
        assert!(
            shown.contains("mine.rs:9:22: (2) just happened here"),
            "{shown}"
        );
        assert!(shown.contains("mine.rs:12:5"), "{shown}");
        assert!(!shown.contains("alloc807"), "{shown}");
        assert!(
            !shown.contains("home") && !shown.contains("__judge"),
            "{shown}"
        );
        // Past the submission's lines, nothing is located.
        let d = parse_error(RACE.as_bytes(), 5).unwrap();
        assert!(d.spans.is_empty() && d.frames.is_empty());
        assert!(render(&d, "mine.rs", "x").contains("standard library"));
    }

    #[test]
    fn error_kinds_come_from_the_diagnostics_title() {
        assert_eq!(
            kind_of("Undefined Behavior: memory access failed: alloc1 has been freed"),
            Kind::UndefinedBehavior
        );
        assert_eq!(
            kind_of("deadlock: the evaluated program deadlocked"),
            Kind::Deadlock
        );
        assert_eq!(
            kind_of("unsupported operation: can't call foreign function"),
            Kind::Unsupported
        );
        assert_eq!(
            kind_of("resource exhaustion: tried to allocate"),
            Kind::Exhausted
        );
        assert_eq!(kind_of("the program aborted execution"), Kind::Other);
        // A warning or the closing line is not the error.
        let lines = "{\"message\":\"unused\",\"level\":\"warning\",\"spans\":[],\"children\":[]}\n{\"message\":\"aborting due to 1 previous error\",\"level\":\"error\",\"spans\":[],\"children\":[]}";
        assert!(parse_error(lines.as_bytes(), 10).is_none());
    }

    #[test]
    fn scrubbing_drops_allocation_ids_and_paths() {
        assert_eq!(
            scrub("read on thread `t` at alloc4934+0x18"),
            "read on thread `t`"
        );
        assert_eq!(
            scrub("alloc5513 has been freed"),
            "an allocation has been freed"
        );
        assert_eq!(scrub("see /root/x/lib.rs:1:2 now"), "see <path> now");
        assert_eq!(scrub("allocator is fine"), "allocator is fine");
    }

    #[test]
    fn a_case_without_an_answer_is_the_judges_failure_not_a_verdict() {
        let mut answers = Answers {
            by_input: HashMap::from([(vec![1], Ok(vec![2]))]),
        };
        assert_eq!(answers.call(&[1]), Ok(vec![2]));
        assert_eq!(answers.call(&[3]).unwrap_err().verdict, Verdict::JudgeError);
    }

    #[test]
    fn a_rejections_summary_is_miris_finding() {
        let r = rejection(Counterexample {
            call: "c".into(),
            encoded: vec![],
            expected: "e".into(),
            actual: Actual::Failed(CallFailure {
                verdict: Verdict::UndefinedBehavior,
                message:
                    "undefined behaviour\nMiri: Undefined Behavior: an allocation has been freed"
                        .into(),
                shrinkable: false,
                computing: false,
            }),
            passed_before: 0,
            shrink_steps: 0,
            found_after_ms: 0,
        });
        assert_eq!(r.verdict, Verdict::UndefinedBehavior);
        assert_eq!(r.summary, "under Miri: an allocation has been freed");
        assert!(r
            .failure
            .unwrap()
            .actual
            .starts_with("undefined behaviour\n"));
    }
}
