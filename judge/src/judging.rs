//! Judging one submission: build, load into a sandbox worker, run the hidden suite,
//! turn what happened into a verdict report.

use crate::compile::{self, CompileFailure, CompileLimits, Toolchain};
use crate::verdict::{FailureReport, Report, Stats, Verdict};
use judge_exercises::{Actual, CallFailure, Exercise, Outcome, Plan, Subject};
use judge_sandbox::worker::{Worker, WorkerCommand};
use judge_sandbox::{CallReport, Fault, Limits, SandboxError};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Most of a failing call's output shown in a report.
const SHOWN_OUTPUT: usize = 2_000;

/// What the judge tells its caller while it works.
#[derive(Clone, Debug)]
pub enum Event {
    /// rustup is installing a target: the command it runs.
    Installing(String),
    Building,
    Testing {
        done: u32,
        total: u32,
    },
}

/// The judge's own failures: never the submission's fault.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error(transparent)]
    Build(#[from] compile::BuildError),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("the hidden tests of {exercise} could not run: {message}")]
    Suite { exercise: String, message: String },
    #[error("{0} has no hidden-test suite in this build of the judge")]
    NoSuite(String),
}

/// Settings shared by every judged submission.
#[derive(Clone, Debug)]
pub struct JudgeConfig {
    pub cache_dir: PathBuf,
    pub worker: WorkerCommand,
}

/// One submission to judge.
pub struct Submission<'a> {
    pub bytes: &'a [u8],
    /// How the submission is named in reports and replay commands.
    pub display: String,
    pub seed: Option<u64>,
}

pub struct Judge {
    config: JudgeConfig,
    toolchain: OnceLock<Toolchain>,
}

impl Judge {
    pub fn new(config: JudgeConfig) -> Self {
        Judge {
            config,
            toolchain: OnceLock::new(),
        }
    }

    fn toolchain(&self, events: &dyn Fn(Event)) -> Result<&Toolchain, JudgeError> {
        if let Some(t) = self.toolchain.get() {
            return Ok(t);
        }
        let t = Toolchain::detect()?;
        t.ensure_target(compile::TARGET, &mut |cmd| {
            events(Event::Installing(cmd.to_owned()))
        })?;
        Ok(self.toolchain.get_or_init(|| t))
    }

    /// Judges `submission` against `exercise`. A rejected submission is `Ok`.
    pub fn judge(
        &self,
        exercise: &Exercise,
        submission: &Submission<'_>,
        events: &dyn Fn(Event),
    ) -> Result<Report, JudgeError> {
        let suite = judge_exercises::suite_for(&exercise.id)
            .ok_or_else(|| JudgeError::NoSuite(exercise.id.clone()))?;
        let seed = submission.seed.unwrap_or(exercise.meta.tests.seed);
        let display = &submission.display;
        let mut report = Report {
            verdict: Verdict::Accepted,
            exercise: exercise.id.clone(),
            submission: display.clone(),
            summary: String::new(),
            hint: None,
            seed,
            replay: format!(
                "judge run {} {} --seed {seed}",
                exercise.id,
                shell_quote(display)
            ),
            failure: None,
            diagnostics: Vec::new(),
            stats: Stats::default(),
        };

        let started = Instant::now();
        let source = match compile::precheck(submission.bytes, display) {
            Ok(source) => source,
            Err(failure) => return Ok(compile_failed(report, failure)),
        };
        let toolchain = self.toolchain(events)?;
        events(Event::Building);
        let meta = &exercise.meta.limits;
        let compile_limits = CompileLimits {
            time: Duration::from_secs(meta.compile_seconds),
            memory_bytes: meta.compile_memory_mib << 20,
        };
        let built = compile::build(
            toolchain,
            &self.config.cache_dir,
            &source,
            &exercise.harness,
            display,
            compile_limits,
        )?;
        report.stats.build_ms = started.elapsed().as_millis() as u64;
        let built = match built {
            Ok(built) => built,
            Err(failure) => return Ok(compile_failed(report, failure)),
        };
        report.stats.cached_build = built.cached;

        let mut worker = Worker::new(
            self.config.worker.clone(),
            Some(self.config.cache_dir.join("modules")),
        );
        match worker.load(&built.wasm) {
            Ok(()) => {}
            Err(SandboxError::Worker(message))
                if message.contains("unknown import") || message.contains("failed to compile") =>
            {
                let failure = CompileFailure {
                    summary: "the compiled module cannot run in the sandbox".into(),
                    hint: Some(
                        "a submission may use std only: no `extern` functions or `#[link]`".into(),
                    ),
                    diagnostics: vec![crate::verdict::Diagnostic {
                        rendered: format!("error: {message}\n"),
                        message,
                        code: None,
                        line: None,
                        column: None,
                    }],
                };
                report.stats.build_ms = started.elapsed().as_millis() as u64;
                return Ok(compile_failed(report, failure));
            }
            Err(e) => return Err(e.into()),
        }
        report.stats.build_ms = started.elapsed().as_millis() as u64;

        let limits = Limits {
            memory_bytes: meta.memory_mib << 20,
            fuel: meta.case_fuel,
            output_bytes: meta.output_kib << 10,
            wall: Duration::from_millis(meta.case_wall_ms),
        };
        let mut subject = SandboxSubject {
            worker,
            limits,
            seed,
            error: None,
            calls: 0,
        };
        let total = exercise.meta.tests.cases;
        let progress = |done: u32| events(Event::Testing { done, total });
        let plan = Plan {
            cases: total,
            seed,
            max_shrink_iters: exercise.meta.tests.max_shrink_iters,
            max_shrink_time: Duration::from_secs(exercise.meta.tests.max_shrink_seconds),
            budget: Duration::from_secs(meta.suite_seconds),
            budget_verdict: Verdict::TimeLimitExceeded.as_str(),
            progress: &progress,
        };
        let testing = Instant::now();
        let outcome = suite.run(&mut subject, &plan);
        report.stats.test_ms = testing.elapsed().as_millis() as u64;
        report.stats.cases = subject.calls;
        if let Some(e) = subject.error.take() {
            return Err(e.into());
        }
        match outcome {
            Outcome::Passed { cases } => {
                report.summary = format!("passed all {cases} hidden tests");
            }
            Outcome::Aborted(message) => {
                return Err(JudgeError::Suite {
                    exercise: exercise.id.clone(),
                    message,
                });
            }
            Outcome::Failed(c) => {
                let (verdict, actual, returned_summary) = match &c.actual {
                    Actual::Returned {
                        verdict,
                        summary,
                        shown,
                    } => (
                        verdict.parse().unwrap_or(Verdict::WrongAnswer),
                        shown.clone(),
                        Some(summary.clone()),
                    ),
                    Actual::Failed(f) => (
                        f.verdict.parse().unwrap_or(Verdict::RuntimeError),
                        f.message.clone(),
                        None,
                    ),
                };
                // Replay the smallest case once more for what it printed (not for a case
                // that may take its whole time limit again).
                let replayed = match verdict {
                    Verdict::TimeLimitExceeded => None,
                    _ => subject.worker.call(&c.encoded, &subject.limits, seed).ok(),
                };
                let (stdout, stderr) = replayed
                    .map(|r| (shown(&r.stdout), shown(before_panic(&r.stderr))))
                    .unwrap_or_default();
                // The guest's file is `solution.rs` inside the build: name the candidate's.
                let actual = actual.replace(
                    "panicked at solution.rs:",
                    &format!("panicked at {display}:"),
                );
                report.verdict = verdict;
                report.summary = match verdict {
                    _ if returned_summary.is_some() => returned_summary.unwrap_or_default(),
                    Verdict::RuntimeError if actual.starts_with("panicked at") => {
                        let first: String = actual.lines().take(2).collect::<Vec<_>>().join(" ");
                        first.chars().take(200).collect()
                    }
                    _ => actual.clone(),
                };
                report.hint = Some(hint(verdict).to_owned());
                report.failure = Some(FailureReport {
                    call: c.call,
                    expected: c.expected,
                    actual,
                    passed_before: c.passed_before,
                    shrink_steps: c.shrink_steps,
                    stdout,
                    stderr,
                });
            }
        }
        Ok(report)
    }
}

fn compile_failed(mut report: Report, failure: CompileFailure) -> Report {
    report.verdict = Verdict::CompileError;
    report.summary = failure.summary;
    report.hint = failure.hint;
    report.diagnostics = failure.diagnostics;
    report
}

fn hint(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::WrongAnswer => "call your function with exactly this input and compare with the expected value",
        Verdict::RuntimeError => "the message above says where it failed; check indexing, unwraps and arithmetic on this input",
        Verdict::TimeLimitExceeded => "look for a loop that never ends on this input, or an approach far slower than the statement's bound",
        Verdict::MemoryLimitExceeded => "look for a collection that grows without bound, or a copy of the whole input per step",
        Verdict::OutputLimitExceeded => "remove debugging output: the judge reads return values, not what you print",
        Verdict::TooMuchMemory => "keep only what the bound allows alive at once: produce results as they are asked for instead of collecting them up front",
        _ => "see the statement: `judge show <exercise>`",
    }
}

fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(SHOWN_OUTPUT) {
        Some((i, _)) => format!("{}… ({} bytes in all)", &text[..i], bytes.len()),
        None => text.into_owned(),
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+=:@".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The submission, running in a sandbox worker, as the hidden suite sees it.
struct SandboxSubject {
    worker: Worker,
    limits: Limits,
    seed: u64,
    /// The first failure of the sandbox itself: it ends the run as a judge error.
    error: Option<SandboxError>,
    calls: u32,
}

impl Subject for SandboxSubject {
    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.calls += 1;
        if self.error.is_some() {
            return Err(judge_failure());
        }
        match self.worker.call(input, &self.limits, self.seed) {
            Ok(report) => classify(report, &self.limits),
            Err(e) => {
                self.error = Some(e);
                Err(judge_failure())
            }
        }
    }
}

/// The panic's location and message from what a panicking guest printed, without the
/// thread name and the backtrace advice (there is no backtrace in the sandbox).
fn panic_message(stderr: &[u8]) -> Option<String> {
    let stderr = String::from_utf8_lossy(stderr);
    let at = stderr.find("panicked at ")?;
    let text: String = stderr[at..].chars().take(SHOWN_OUTPUT).collect();
    let text = text
        .split("\nnote: run with `RUST_BACKTRACE")
        .next()
        .unwrap_or_default();
    Some(text.trim_end().to_owned())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a guest printed before it panicked, without the panic itself.
fn before_panic(stderr: &[u8]) -> &[u8] {
    let Some(at) = stderr.windows(12).position(|w| w == b"panicked at ") else {
        return stderr;
    };
    let line_start = stderr[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    &stderr[..line_start]
}

fn judge_failure() -> CallFailure {
    CallFailure {
        verdict: Verdict::JudgeError.as_str(),
        message: "the sandbox failed".into(),
        shrinkable: false,
    }
}

fn classify(report: CallReport, limits: &Limits) -> Result<Vec<u8>, CallFailure> {
    let fault = match report.result {
        Ok(output) => return Ok(output),
        Err(fault) => fault,
    };
    Err(failure(fault, &report.stderr, limits))
}

fn failure(fault: Fault, stderr: &[u8], limits: &Limits) -> CallFailure {
    let fail = |verdict: Verdict, message: String, shrinkable| CallFailure {
        verdict: verdict.as_str(),
        message,
        shrinkable,
    };
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    match fault {
        Fault::OutOfFuel => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "used up its budget of {} instructions without returning",
                limits.fuel
            ),
            false,
        ),
        Fault::WallClock => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "did not return within {} ms (looping, sleeping or blocked)",
                limits.wall.as_millis()
            ),
            false,
        ),
        Fault::MemoryLimit { requested_bytes } => fail(
            Verdict::MemoryLimitExceeded,
            format!(
                "asked for {:.1} MiB of memory; the limit is {:.0} MiB",
                mib(requested_bytes),
                mib(limits.memory_bytes)
            ),
            // Each retry fills the whole cap again: report the first case as found.
            false,
        ),
        Fault::OutputLimit => fail(
            Verdict::OutputLimitExceeded,
            format!("printed more than {} KiB", limits.output_bytes >> 10),
            false,
        ),
        Fault::Exit { code } => fail(
            Verdict::RuntimeError,
            format!("exited the process with status {code} in the middle of a call"),
            true,
        ),
        // A full capture pipe refuses the write; std's print macros then panic with this.
        Fault::Trap { .. } if contains(stderr, b"failed printing to std") => fail(
            Verdict::OutputLimitExceeded,
            format!("printed more than {} KiB", limits.output_bytes >> 10),
            false,
        ),
        Fault::Trap { message } => {
            let message = panic_message(stderr).unwrap_or(message);
            fail(Verdict::RuntimeError, message, true)
        }
        Fault::Abi { message } => fail(
            Verdict::RuntimeError,
            format!("broke the judge's calling convention: {message}"),
            true,
        ),
    }
}
