//! Judging one submission: build, load into a sandbox worker, run the hidden suite,
//! turn what happened into a verdict report.

use crate::compile::{self, CompileFailure, CompileLimits, Toolchain};
use crate::gates::{self, GateFailure, Performance};
use crate::verdict::{FailureReport, Report, Stats, Verdict};
use judge_exercises::{Actual, CallFailure, Exercise, Outcome, Plan, Subject, Suite, Threaded};
use judge_sandbox::worker::{Worker, WorkerCommand};
use judge_sandbox::{CallReport, Fault, Limits, Mode, SandboxError};
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
            performance: None,
            stats: Stats::default(),
        };

        let started = Instant::now();
        let source = match compile::precheck(submission.bytes, display) {
            Ok(source) => source,
            Err(failure) => return Ok(compile_failed(report, failure)),
        };
        let toolchain = self.toolchain(events)?;
        let target = exercise.meta.target.as_str();
        if target != compile::TARGET {
            toolchain
                .ensure_target(target, &mut |cmd| events(Event::Installing(cmd.to_owned())))?;
        }
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
            target,
            compile_limits,
        )?;
        report.stats.build_ms = started.elapsed().as_millis() as u64;
        let built = match built {
            Ok(built) => built,
            Err(mut failure) => {
                if let Some(name) = redefined_provided_type(&source, &exercise.harness) {
                    failure.hint = Some(format!(
                        "`{name}` is provided by the judge and already in scope; your file defines its own, which replaces it and must match the statement exactly (`judge show {}`): delete your definition, or make it identical",
                        exercise.id
                    ));
                }
                return Ok(compile_failed(report, failure));
            }
        };
        report.stats.cached_build = built.cached;

        let mut worker = Worker::new(
            self.config.worker.clone(),
            Some(self.config.cache_dir.join("modules")),
        );
        match worker.load(&built.wasm) {
            Ok(()) => {}
            Err(SandboxError::Refused(refusal)) => {
                let message = refusal.to_string();
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
            timed_out: None,
        };
        let total = exercise.meta.tests.cases;
        let progress = |done: u32| events(Event::Testing { done, total });
        let plan = Plan {
            cases: total,
            seed,
            max_shrink_iters: exercise.meta.tests.max_shrink_iters,
            max_shrink_time: Duration::from_secs(exercise.meta.tests.max_shrink_seconds),
            budget: Duration::from_secs(meta.suite_seconds),
            budget_verdict: Verdict::TimeLimitExceeded,
            progress: &progress,
        };
        let testing = Instant::now();
        let outcome = suite.run(&mut subject, &plan);
        report.stats.test_ms = testing.elapsed().as_millis() as u64;
        report.stats.cases = subject.calls;
        if let Some(e) = subject.error.take() {
            return Err(e.into());
        }
        // The performance gates run on a submission that passed, and on one that ran out
        // of time on a hidden test: if its work grows faster than the bound, `too_slow`
        // says more than `time_limit_exceeded`.
        // Only a time-out while computing: a guest that sleeps or blocks has no growth.
        let timed_out = matches!(&outcome, Outcome::Failed(c) if matches!(&c.actual, Actual::Failed(f) if f.computing));
        let has_gates = exercise.meta.complexity.is_some() || exercise.meta.throughput.is_some();
        if has_gates && (matches!(outcome, Outcome::Passed { .. }) || timed_out) {
            let gating = Instant::now();
            let gated = self.gates(
                exercise,
                suite,
                toolchain,
                compile_limits,
                &mut subject,
                &mut report,
                timed_out,
            );
            report.stats.gates_ms = gating.elapsed().as_millis() as u64;
            if gated? {
                return Ok(report);
            }
        }
        match outcome {
            Outcome::Passed { cases } => {
                report.summary = format!("passed all {cases} hidden tests");
                if let Some(p) = &report.performance {
                    let mut parts = Vec::new();
                    if let Some(c) = &p.complexity {
                        parts.push(format!(
                            "fuel n^{:.2} (bound n^{})",
                            c.exponent.unwrap_or(0.0),
                            c.max_exponent
                        ));
                    }
                    if let Some(t) = &p.throughput {
                        parts.push(format!(
                            "{:.2}x the reference's time (tolerance {}x)",
                            t.ratio, t.tolerance
                        ));
                    }
                    report.summary = format!("{}; {}", report.summary, parts.join(", "));
                }
            }
            Outcome::Aborted(message) => {
                return Err(JudgeError::Suite {
                    exercise: exercise.id.clone(),
                    message,
                });
            }
            Outcome::Failed(c) => {
                report.stats.first_failure_ms = Some(c.found_after_ms);
                let (verdict, actual, returned_summary) = match &c.actual {
                    Actual::Returned {
                        verdict,
                        summary,
                        shown,
                    } => (*verdict, shown.clone(), Some(summary.clone())),
                    Actual::Failed(f) => (f.verdict, f.message.clone(), None),
                };
                // Replay the smallest case once more for what it printed; a time-out is not
                // replayed (it would take its whole time limit again): its output was kept.
                let printed = match verdict {
                    Verdict::TimeLimitExceeded => subject
                        .timed_out
                        .take()
                        .filter(|t| t.input == c.encoded)
                        .map(|t| (t.stdout, t.stderr)),
                    _ => subject
                        .worker
                        .call(&c.encoded, &subject.limits, seed)
                        .ok()
                        .map(|r| (r.stdout, r.stderr)),
                };
                let (stdout, stderr) = printed
                    .map(|(out, err)| (shown(&out), shown(before_panic(&err))))
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
                    on_workload: false,
                    shrink_steps: c.shrink_steps,
                    stdout,
                    stderr,
                });
            }
        }
        Ok(report)
    }
}

impl Judge {
    /// Runs the exercise's performance gates. `Ok(true)` when they decided the verdict
    /// (written to `report`); `Ok(false)` when the submission passed them (or, having
    /// timed out on a hidden test, was not shown to be too slow).
    #[allow(clippy::too_many_arguments)]
    fn gates(
        &self,
        exercise: &Exercise,
        suite: &dyn Suite,
        toolchain: &Toolchain,
        compile_limits: CompileLimits,
        subject: &mut SandboxSubject,
        report: &mut Report,
        timed_out: bool,
    ) -> Result<bool, JudgeError> {
        let reference = compile::build(
            toolchain,
            &self.config.cache_dir,
            &exercise.reference,
            &exercise.harness,
            &exercise.reference_path,
            &exercise.meta.target,
            compile_limits,
        )?
        .map_err(|f| JudgeError::Suite {
            exercise: exercise.id.clone(),
            message: format!("the reference does not compile: {}", f.summary),
        })?;
        subject
            .worker
            .load_slot(gates::REFERENCE, &reference.wasm)?;
        let seed = subject.seed;
        let limits = subject.limits;
        let mut performance = Performance::default();
        let mut verdict_by = None;
        if let Some(gate) = &exercise.meta.complexity {
            match gates::complexity(suite, gate, &mut subject.worker, &limits, seed, !timed_out) {
                Ok(c) => {
                    // After a time-out, only measured growth explains it: a budget that
                    // ran out at every size (a loop that never ends) keeps the time-out.
                    let decides = if timed_out {
                        c.shows_growth_over_bound()
                    } else {
                        !c.passes()
                    };
                    if decides {
                        let last = c
                            .budget_exhausted_at
                            .or(c.sizes.last().copied())
                            .unwrap_or(0);
                        let measured = c
                            .sizes
                            .iter()
                            .zip(&c.fuel)
                            .map(|(n, f)| {
                                format!(
                                    "{}: {}",
                                    gates::thousands(u64::from(*n)),
                                    gates::thousands(*f)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        let mut actual = match c.exponent {
                            Some(e) => format!("fuel grows as n^{e:.2} (fuel at n = {measured})"),
                            None => String::new(),
                        };
                        if let Some(at) = c.budget_exhausted_at {
                            if !actual.is_empty() {
                                actual.push_str("; then ");
                            }
                            actual.push_str(&format!(
                                "ran out of its budget of {} instructions ({}x the reference's) at n = {}",
                                gates::thousands(c.budget.unwrap_or(0)),
                                gate.budget_factor,
                                gates::thousands(u64::from(at))
                            ));
                        }
                        verdict_by = Some((
                            c.summary(),
                            format!("{} (and the same workload at smaller n)", suite.describe_workload(last)),
                            format!(
                                "fuel growing at most as n^{} ({}); the reference's grows as n^{:.2}",
                                c.max_exponent, c.bound, c.reference_exponent
                            ),
                            actual,
                        ));
                    }
                    performance.complexity = Some(c);
                }
                Err(failure) => {
                    return self.gate_failed(exercise, suite, failure, subject, report, timed_out)
                }
            }
        }
        if verdict_by.is_none() && !timed_out {
            if let Some(gate) = &exercise.meta.throughput {
                match gates::throughput(suite, gate, &mut subject.worker, &limits, seed) {
                    Ok(t) => {
                        if !t.passed {
                            verdict_by = Some((
                                t.summary(),
                                suite.describe_workload(t.size),
                                format!("at most {}x the reference's time", t.tolerance),
                                format!("{:.2}x the reference's time", t.ratio),
                            ));
                        }
                        performance.throughput = Some(t);
                    }
                    Err(failure) => {
                        return self
                            .gate_failed(exercise, suite, failure, subject, report, timed_out)
                    }
                }
            }
        }
        report.performance = Some(performance);
        let Some((summary, call, expected, actual)) = verdict_by else {
            return Ok(false);
        };
        report.verdict = Verdict::TooSlow;
        report.summary = if timed_out {
            format!("{summary} (a hidden test also ran out of time)")
        } else {
            summary
        };
        report.hint = Some(hint(Verdict::TooSlow).to_owned());
        report.failure = Some(FailureReport {
            call,
            expected,
            actual,
            passed_before: 0,
            on_workload: true,
            shrink_steps: 0,
            stdout: String::new(),
            stderr: String::new(),
        });
        Ok(true)
    }

    /// A gate's call failed: a wrong answer or a crash on a workload is a verdict like any
    /// other; a failing reference is the package's fault.
    fn gate_failed(
        &self,
        exercise: &Exercise,
        suite: &dyn Suite,
        failure: GateFailure,
        subject: &SandboxSubject,
        report: &mut Report,
        timed_out: bool,
    ) -> Result<bool, JudgeError> {
        let (verdict, summary, call, expected, actual) = match failure {
            GateFailure::Reference(message) => {
                return Err(JudgeError::Suite {
                    exercise: exercise.id.clone(),
                    message,
                })
            }
            GateFailure::Sandbox(e) => return Err(e.into()),
            // The hidden test's time-out stands.
            _ if timed_out => return Ok(false),
            GateFailure::Wrong { size, mismatch } => (
                mismatch.verdict,
                format!("on a performance workload: {}", mismatch.summary),
                suite.describe_workload(size),
                mismatch.expected,
                mismatch.actual,
            ),
            GateFailure::Failed { size, report: call } => {
                let Err(fault) = call.result else {
                    unreachable!("a failed gate call has a fault")
                };
                let f = self::failure(fault, &call.stderr, &subject.limits);
                (
                    f.verdict,
                    format!(
                        "on a performance workload: {}",
                        f.message.lines().next().unwrap_or_default()
                    ),
                    suite.describe_workload(size),
                    "an answer".to_owned(),
                    f.message,
                )
            }
        };
        report.verdict = verdict;
        report.summary = summary;
        report.hint = Some(hint(verdict).to_owned());
        report.failure = Some(FailureReport {
            call,
            expected,
            actual,
            passed_before: 0,
            on_workload: true,
            shrink_steps: 0,
            stdout: String::new(),
            stderr: String::new(),
        });
        Ok(true)
    }
}

/// A type the exercise provides that the failed submission defines itself: its definition
/// replaces the judge's, so it must match the statement's exactly.
fn redefined_provided_type(source: &str, harness: &str) -> Option<String> {
    let provided = harness.split("pub use __judge_provided::*;").next()?;
    ["struct", "enum"].iter().find_map(|kw| {
        provided.lines().find_map(|line| {
            let name = line
                .trim_start()
                .strip_prefix(&format!("pub {kw} "))?
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()?;
            let defined = source.lines().any(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix("pub ").unwrap_or(l);
                l.strip_prefix(&format!("{kw} ")).is_some_and(|rest| {
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        == Some(name)
                })
            });
            defined.then(|| name.to_owned())
        })
    })
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
        Verdict::TooSlow => "the answers are right, but the work grows faster than the statement allows: look for a scan, a copy or a nested loop per step that the bound rules out",
        Verdict::RaceDetected => "two threads interleaved inside your calls as the table shows: make each call one atomic step (one atomic read-modify-write, or the whole call under one lock acquisition)",
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
    /// The latest call that ran out of time, with what it printed: the report shows that
    /// output instead of replaying a call that would take its whole time limit again.
    timed_out: Option<TimedOut>,
}

struct TimedOut {
    input: Vec<u8>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl SandboxSubject {
    fn remember_time_out(&mut self, input: &[u8], report: &CallReport) {
        if let Err(
            Fault::OutOfFuel
            | Fault::WallClock
            | Fault::Blocked
            | Fault::StepLimit { .. }
            | Fault::Deadlock { .. },
        ) = report.result
        {
            self.timed_out = Some(TimedOut {
                input: input.to_vec(),
                stdout: report.stdout.clone(),
                stderr: report.stderr.clone(),
            });
        }
    }
}

impl Subject for SandboxSubject {
    fn call_threads(&mut self, input: &[u8], mode: &Mode) -> Result<Threaded, CallFailure> {
        self.calls += 1;
        if self.error.is_some() {
            return Err(judge_failure());
        }
        let mode = *mode;
        let report = match self.worker.call_threaded(0, input, &self.limits, mode) {
            Ok(report) => report,
            Err(e) => {
                self.error = Some(e);
                return Err(judge_failure());
            }
        };
        self.remember_time_out(input, &report.call);
        let nanos = report.call.nanos;
        let output = classify(report.call, &self.limits)?;
        Ok(Threaded {
            output,
            trace: report.trace,
            sites: report.sites,
            nanos,
        })
    }

    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.calls += 1;
        if self.error.is_some() {
            return Err(judge_failure());
        }
        match self.worker.call(input, &self.limits, self.seed) {
            Ok(report) => {
                self.remember_time_out(input, &report);
                classify(report, &self.limits)
            }
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
        verdict: Verdict::JudgeError,
        message: "the sandbox failed".into(),
        shrinkable: false,
        computing: false,
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
    let computing = matches!(fault, Fault::OutOfFuel | Fault::WallClock);
    let fail = |verdict: Verdict, message: String, shrinkable| CallFailure {
        verdict,
        message,
        shrinkable,
        computing,
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
        // The worker's watchdog tells the two apart by the CPU time the call spent: a
        // loop that spends little fuel (bulk memory fills, say) still computes.
        Fault::WallClock => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "did not return within {} ms (still running)",
                limits.wall.as_millis()
            ),
            false,
        ),
        Fault::Blocked => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "did not return within {} ms (sleeping or blocked)",
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
        Fault::Panic { message, location } => {
            let text = match location {
                Some(l) => format!("panicked at {}:{}:{}:\n{message}", l.file, l.line, l.column),
                None => format!("panicked:\n{message}"),
            };
            let text: String = text.chars().take(SHOWN_OUTPUT).collect();
            fail(Verdict::RuntimeError, text.trim_end().to_owned(), true)
        }
        Fault::Trap { message } => {
            let message = panic_message(stderr).unwrap_or(message);
            fail(Verdict::RuntimeError, message, true)
        }
        Fault::Abi { message } => fail(
            Verdict::RuntimeError,
            format!("broke the judge's calling convention: {message}"),
            true,
        ),
        Fault::StepLimit { steps } => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "did not return within {} scheduling steps (threads spinning without end?)",
                gates::thousands(steps)
            ),
            false,
        ),
        Fault::Deadlock { threads } => {
            let waiting: Vec<String> = threads
                .iter()
                .map(|(t, _)| match t {
                    0 => "the main thread".to_string(),
                    t => format!("thread {t}"),
                })
                .collect();
            fail(
                Verdict::TimeLimitExceeded,
                format!(
                    "deadlock: every thread is blocked waiting ({}) and nothing can wake them",
                    waiting.join(", ")
                ),
                true,
            )
        }
    }
}
