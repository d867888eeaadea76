//! Judging one submission, as typed stages, each a function with its own input and output:
//!
//! ```text
//! precheck   Submission              -> Source   (or a build failure)
//! build      Source                  -> Built    (or a build failure)
//! load       Built                   -> Worker   (a module the sandbox refuses: a build failure)
//! run_suite  Suite, Subject, Plan    -> Tested   (the hidden tests' outcome, calls counted)
//! gates      Tested's outcome        -> Gated    (what they measured, and any verdict of theirs)
//! replay     Counterexample          -> Printed  (what the reported case printed)
//! classify   Tested, Gated, Printed  -> Report   (the verdict and everything shown)
//! memory_model  Report, Source       -> Report   (Miri on small cases: judge/src/miri.rs)
//! ```
//!
//! `Judge::judge` strings them together. Only build, load, gates and replay reach rustc or
//! the sandbox, and memory_model Miri; run_suite calls whatever [`Subject`] it is given, and classify is pure, so
//! the suite runner, the verdicts and the report are tested with "submissions" written on
//! the host.

use crate::compile::{self, Built, CompileFailure, CompileLimits, Toolchain};
use crate::gates::{self, ComplexityReport, GateFailure, Performance};
use crate::miri;
use crate::verdict::{
    Diagnostic, FailedCall, FailureDetail, FailureReport, Report, Stats, Verdict,
};
use judge_exercises::{
    Actual, CallFailure, Complexity, Counterexample, Detail, Exercise, Outcome, Plan, Subject,
    Suite, Threaded,
};
use judge_sandbox::worker::{Worker, WorkerCommand};
use judge_sandbox::{
    CallReport, Fault, Limits, LoadError, Location, Mode, SandboxError, ThreadedReport,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Most of a failing call's output shown in a report (and most of a panic's text).
const SHOWN_OUTPUT: usize = 2_000;
/// Most of a panic's text in a report's one-line summary.
const SUMMARY_CHARS: usize = 200;

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

/// Where the stages before the hidden tests stop: the submission does not build (or cannot
/// run in the sandbox, which is reported the same way), or the judge failed.
enum Stop {
    Rejected(CompileFailure),
    Failed(JudgeError),
}

impl<E: Into<JudgeError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// The submission's text, once it passed the precheck.
struct Source(String);

/// What the hidden suite found.
#[derive(Debug)]
struct Tested {
    outcome: Outcome,
    /// What the suite says about a failing case beyond it (`Suite::run_detailed`).
    detail: Detail,
    /// Calls into the submission, generated, pinned and shrinking cases together.
    cases: u32,
    test_ms: u64,
}

/// What the performance gates found.
#[derive(Debug, Default)]
struct Gated {
    /// What they measured; absent when a gate's call failed.
    performance: Option<Performance>,
    /// The verdict they decided, if they decided one.
    rejection: Option<Rejection>,
}

/// A verdict decided outside the hidden tests (by a performance gate).
#[derive(Debug)]
struct Rejection {
    verdict: Verdict,
    summary: String,
    failure: FailureReport,
}

/// What the reported case printed, as shown.
#[derive(Debug, Default, PartialEq, Eq)]
struct Printed {
    stdout: String,
    stderr: String,
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
        let mut report = blank_report(&exercise.id, display, seed);
        report.notes.extend(exercise.flavour_note());

        let started = Instant::now();
        let source = match precheck(submission) {
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
        let compile_limits = compile_limits(exercise);
        let built = self.build(exercise, &source, toolchain, compile_limits, display);
        report.stats.build_ms = started.elapsed().as_millis() as u64;
        let built = match built {
            Ok(built) => built,
            Err(Stop::Rejected(failure)) => return Ok(compile_failed(report, failure)),
            Err(Stop::Failed(e)) => return Err(e),
        };
        report.stats.cached_build = built.cached;
        report.notes.extend(build_notes(&built));
        let loaded = self.load(&built);
        report.stats.build_ms = started.elapsed().as_millis() as u64;
        let worker = match loaded {
            Ok(worker) => worker,
            Err(Stop::Rejected(failure)) => return Ok(compile_failed(report, failure)),
            Err(Stop::Failed(e)) => return Err(e),
        };

        let mut subject = SandboxSubject::new(worker, case_limits(exercise), seed, display);
        let total = exercise.meta.tests.cases;
        let progress = |done: u32| events(Event::Testing { done, total });
        let tested = run_suite(suite, &mut subject, &plan(exercise, seed, &progress));
        if let Some(e) = subject.error.take() {
            return Err(e.into());
        }
        let gated = match gates_apply(exercise, &tested.outcome) {
            Some(after_time_out) => {
                let gating = Instant::now();
                let gated = self.gates(
                    exercise,
                    suite,
                    toolchain,
                    compile_limits,
                    &mut subject,
                    after_time_out,
                    gates::workload_seed(seed, &source.0),
                );
                report.stats.gates_ms = gating.elapsed().as_millis() as u64;
                Some(gated?)
            }
            None => None,
        };
        let decided_by_gates = gated.as_ref().is_some_and(|g| g.rejection.is_some());
        let printed = match &tested.outcome {
            Outcome::Failed(c) if !decided_by_gates => subject.replay(c),
            _ => None,
        };
        let crashed = match &tested.outcome {
            Outcome::Failed(c) if crashed(&c.actual, &subject.panics) => Some(c.encoded.clone()),
            _ => None,
        };
        let report = classify(report, tested, gated, printed, &subject.panics)?;
        Ok(self.memory_model(report, exercise, suite, &source, seed, crashed, events))
    }

    /// Stage 7: the memory-model tier (judge/src/miri.rs), when it applies: on a submission
    /// every earlier stage accepted, and on one with `unsafe` that crashed in the sandbox
    /// (`crashed`: the failing input), where undefined behaviour found on that input
    /// replaces the crash's verdict.
    #[allow(clippy::too_many_arguments)]
    fn memory_model(
        &self,
        mut report: Report,
        exercise: &Exercise,
        suite: &dyn Suite,
        source: &Source,
        seed: u64,
        crashed: Option<Vec<u8>>,
        events: &dyn Fn(Event),
    ) -> Report {
        let on_workload = report.failure.as_ref().is_some_and(|f| f.on_workload);
        let unsafe_code = miri::mentions_unsafe(&source.0);
        let which = match (report.verdict, &crashed) {
            (Verdict::Accepted, _) if miri::applies(exercise, &source.0) => miri::Cases::Small,
            (Verdict::RuntimeError, Some(input))
                if unsafe_code && input.len() <= miri::MAX_CRASH_INPUT =>
            {
                miri::Cases::Crash(input)
            }
            // A crash on an input too large for Miri (a workload): the small cases.
            (Verdict::RuntimeError, Some(_)) if unsafe_code => miri::Cases::Small,
            (Verdict::RuntimeError, None) if on_workload && unsafe_code => miri::Cases::Small,
            _ => return report,
        };
        let accepted = report.verdict == Verdict::Accepted;
        let display = report.submission.clone();
        let tier = miri::run(
            &self.config.cache_dir,
            exercise,
            suite,
            &source.0,
            &display,
            seed,
            which,
            events,
        );
        // After a crash, only undefined behaviour explains it better.
        if let Some(r) = tier
            .rejection
            .filter(|r| accepted || r.verdict == Verdict::UndefinedBehavior)
        {
            report.verdict = r.verdict;
            report.summary = r.summary;
            report.hint = Some(r.hint);
            report.diagnostics.extend(r.diagnostics);
            match (&mut report.failure, which, r.failure) {
                // The crash's report keeps its case; Miri says what went wrong in it.
                (Some(failure), miri::Cases::Crash(_), Some(found)) => {
                    failure.actual = found.actual
                }
                (failure, _, found) => *failure = found,
            }
        }
        report.memory_model = Some(tier.report);
        report
    }

    /// Stage 2: the build (cached by content). A failure is the submission's, with a hint
    /// when it defines a type the exercise provides.
    fn build(
        &self,
        exercise: &Exercise,
        source: &Source,
        toolchain: &Toolchain,
        limits: CompileLimits,
        display: &str,
    ) -> Result<Built, Stop> {
        let built = compile::build(
            toolchain,
            &self.config.cache_dir,
            &source.0,
            &exercise.harness,
            display,
            &exercise.meta.target,
            limits,
        )?;
        built.map_err(|failure| {
            let mut failure = compile::for_another_exercise(failure, &source.0, exercise, display);
            if let Some(name) = redefined_provided_type(&source.0, &exercise.harness) {
                failure.hint = Some(format!(
                    "`{name}` is provided by the judge and already in scope; your file defines its own, which replaces it and must match the statement exactly (`judge show {}`): delete your definition, or make it identical",
                    exercise.id
                ));
            }
            Stop::Rejected(failure)
        })
    }

    /// Stage 3: the module in a fresh sandbox worker. A module the sandbox refuses (an
    /// import it does not provide, a module it cannot compile) is a build failure.
    fn load(&self, built: &Built) -> Result<Worker, Stop> {
        let mut worker = Worker::new(
            self.config.worker.clone(),
            Some(self.config.cache_dir.join("modules")),
        );
        match worker.load(&built.wasm) {
            Ok(()) => Ok(worker),
            Err(SandboxError::Refused(refusal)) => Err(Stop::Rejected(cannot_run(&refusal))),
            Err(e) => Err(e.into()),
        }
    }

    /// Stage 5: the exercise's performance gates, on a submission that passed or that ran
    /// out of time computing (`after_time_out`: then only measured growth decides).
    #[allow(clippy::too_many_arguments)]
    fn gates(
        &self,
        exercise: &Exercise,
        suite: &dyn Suite,
        toolchain: &Toolchain,
        compile_limits: CompileLimits,
        subject: &mut SandboxSubject<Worker>,
        after_time_out: bool,
        workload_seed: u64,
    ) -> Result<Gated, JudgeError> {
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
            .runner
            .load_slot(gates::REFERENCE, &reference.wasm)?;
        let (seed, limits) = (subject.seed, subject.limits);
        let failed = |failure| {
            gate_failed(
                &exercise.id,
                suite,
                failure,
                &limits,
                &subject.display,
                after_time_out,
            )
        };
        let mut performance = Performance::default();
        let mut verdict_by = None;
        if let Some(gate) = &exercise.meta.complexity {
            match gates::complexity(
                suite,
                gate,
                &mut subject.runner,
                &limits,
                (seed, workload_seed),
                !after_time_out,
            ) {
                Ok(c) => {
                    // After a time-out, only measured growth explains it: a budget that
                    // ran out at every size (a loop that never ends) keeps the time-out.
                    let decides = if after_time_out {
                        c.shows_growth_over_bound()
                    } else {
                        !c.passes()
                    };
                    if decides {
                        verdict_by = Some(too_slow_by_complexity(suite, gate, &c));
                    }
                    performance.complexity = Some(c);
                }
                Err(failure) => return failed(failure),
            }
        }
        if verdict_by.is_none() && !after_time_out {
            if let Some(gate) = &exercise.meta.throughput {
                match gates::throughput(
                    suite,
                    gate,
                    &mut subject.runner,
                    &limits,
                    (seed, workload_seed),
                ) {
                    Ok(t) => {
                        if !t.passed {
                            verdict_by = Some(OnWorkload {
                                summary: t.summary(),
                                call: suite.describe_workload(t.size),
                                expected: format!("at most {}x the reference's time", t.tolerance),
                                actual: format!("{:.2}x the reference's time", t.ratio),
                            });
                        }
                        performance.throughput = Some(t);
                    }
                    Err(failure) => return failed(failure),
                }
            }
        }
        // After throughput: a design that times out under the scheduler (work per update
        // proportional to its stripes) is the throughput gate's to reject.
        if verdict_by.is_none() && !after_time_out {
            if let Some(gate) = &exercise.meta.contention {
                let seeds = (seed, workload_seed);
                match gates::contention(suite, gate, &mut subject.runner, &limits, seeds) {
                    Ok(c) => {
                        if !c.passed {
                            verdict_by = Some(OnWorkload {
                                summary: c.summary(),
                                call: suite.describe_workload(c.size),
                                expected: format!(
                                    "at most {:.2} contended atomic updates per update (the reference's {:.2} plus {:.2})",
                                    c.reference_figure + c.tolerance, c.reference_figure, c.tolerance
                                ),
                                actual: format!("{:.2} per update", c.figure),
                            });
                        }
                        performance.contention = Some(c);
                    }
                    Err(failure) => return failed(failure),
                }
            }
        }
        let rejection = verdict_by.map(|w| {
            let summary = if after_time_out {
                format!("{} (a hidden test also ran out of time)", w.summary)
            } else {
                w.summary.clone()
            };
            w.rejection(Verdict::TooSlow, summary)
        });
        Ok(Gated {
            performance: Some(performance),
            rejection,
        })
    }
}

/// The report every stage starts from: the submission accepted, nothing found yet.
fn blank_report(exercise: &str, display: &str, seed: u64) -> Report {
    Report {
        verdict: Verdict::Accepted,
        exercise: exercise.to_owned(),
        submission: display.to_owned(),
        summary: String::new(),
        hint: None,
        seed,
        replay: format!(
            "judge run {exercise} {} --seed {seed}",
            shell_quote(display)
        ),
        failure: None,
        diagnostics: Vec::new(),
        performance: None,
        memory_model: None,
        notes: Vec::new(),
        stats: Stats::default(),
    }
}

/// What the report says about how the module was built, when it is not the usual.
fn build_notes(built: &Built) -> Vec<String> {
    let mut notes = Vec::new();
    if built.edition != compile::Edition::E2024 {
        notes.push(format!(
            "built as Rust edition {}: the file does not compile as edition 2024",
            built.edition
        ));
    }
    if let judge_sandbox::confine::Enforcement::Unconfined { reason } = compile::build_enforcement()
    {
        notes.push(format!(
            "rustc ran without kernel confinement ({reason}); a build that read anything but the submission is still refused, from rustc's dep-info"
        ));
    }
    notes
}

/// Stage 1: size, encoding and forbidden constructs, before anything runs.
fn precheck(submission: &Submission<'_>) -> Result<Source, CompileFailure> {
    compile::precheck(submission.bytes, &submission.display).map(Source)
}

fn compile_limits(exercise: &Exercise) -> CompileLimits {
    let meta = &exercise.meta.limits;
    CompileLimits {
        time: Duration::from_secs(meta.compile_seconds),
        memory_bytes: meta.compile_memory_mib << 20,
    }
}

/// The limits of one hidden test's call.
fn case_limits(exercise: &Exercise) -> Limits {
    let meta = &exercise.meta.limits;
    Limits {
        memory_bytes: meta.memory_mib << 20,
        fuel: meta.case_fuel,
        output_bytes: meta.output_kib << 10,
        wall: Duration::from_millis(meta.case_wall_ms),
    }
}

fn plan<'a>(exercise: &Exercise, seed: u64, progress: &'a dyn Fn(u32)) -> Plan<'a> {
    let tests = &exercise.meta.tests;
    Plan {
        cases: tests.cases,
        seed,
        max_shrink_iters: tests.max_shrink_iters,
        max_shrink_time: Duration::from_secs(tests.max_shrink_seconds),
        budget: Duration::from_secs(exercise.meta.limits.suite_seconds),
        budget_verdict: Verdict::TimeLimitExceeded,
        progress,
    }
}

/// The build failure of a module the sandbox refuses to load.
fn cannot_run(refusal: &LoadError) -> CompileFailure {
    let message = refusal.to_string();
    CompileFailure {
        summary: "the compiled module cannot run in the sandbox".into(),
        hint: Some("a submission may use std only: no `extern` functions or `#[link]`".into()),
        diagnostics: vec![Diagnostic {
            rendered: format!("error: {message}\n"),
            message,
            code: None,
            line: None,
            column: None,
        }],
    }
}

/// Stage 4: the hidden suite against `subject`, counting the calls it makes.
fn run_suite(suite: &dyn Suite, subject: &mut dyn Subject, plan: &Plan<'_>) -> Tested {
    let mut counted = Counted { subject, calls: 0 };
    let started = Instant::now();
    let (outcome, detail) = suite.run_detailed(&mut counted, plan);
    Tested {
        outcome,
        detail,
        cases: counted.calls,
        test_ms: started.elapsed().as_millis() as u64,
    }
}

/// A subject that counts the calls made to it.
struct Counted<'a> {
    subject: &'a mut dyn Subject,
    calls: u32,
}

impl Subject for Counted<'_> {
    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.calls += 1;
        self.subject.call(input)
    }

    fn call_threads(&mut self, input: &[u8], run: &Mode) -> Result<Threaded, CallFailure> {
        self.calls += 1;
        self.subject.call_threads(input, run)
    }

    fn open_nodes(&mut self, count: u16) -> Result<(), CallFailure> {
        self.subject.open_nodes(count)
    }

    fn call_nodes(
        &mut self,
        calls: &[(u16, Vec<u8>)],
    ) -> Result<Vec<Vec<u8>>, (usize, CallFailure)> {
        self.calls += calls.len() as u32;
        self.subject.call_nodes(calls)
    }

    fn probe(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.calls += 1;
        self.subject.probe(input)
    }

    fn failed_how(&self, failure: &CallFailure) -> String {
        self.subject.failed_how(failure)
    }
}

/// Whether the performance gates run after the hidden tests: on a submission that passed,
/// and on one that ran out of time computing on a hidden test (if its work grows faster
/// than the bound, `too_slow` says more than `time_limit_exceeded`), never on one that
/// sleeps or blocks (it has no growth). `Some(after_time_out)` when they run.
fn gates_apply(exercise: &Exercise, outcome: &Outcome) -> Option<bool> {
    let timed_out = matches!(outcome, Outcome::Failed(c) if matches!(&c.actual, Actual::Failed(f) if f.computing));
    let has_gates = exercise.meta.complexity.is_some() || exercise.meta.throughput.is_some();
    (has_gates && (matches!(outcome, Outcome::Passed { .. }) || timed_out)).then_some(timed_out)
}

/// A verdict found on a performance workload, before it becomes a [`Rejection`].
struct OnWorkload {
    summary: String,
    call: String,
    expected: String,
    actual: String,
}

impl OnWorkload {
    fn rejection(self, verdict: Verdict, summary: String) -> Rejection {
        Rejection {
            verdict,
            summary,
            failure: FailureReport {
                call: self.call,
                expected: self.expected,
                actual: self.actual,
                passed_before: 0,
                on_workload: true,
                shrink_steps: 0,
                stdout: String::new(),
                stderr: String::new(),
                detail: FailureDetail::default(),
            },
        }
    }
}

/// The complexity gate's `too_slow`: the fuel it measured against the bound.
fn too_slow_by_complexity(
    suite: &dyn Suite,
    gate: &Complexity,
    c: &ComplexityReport,
) -> OnWorkload {
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
    OnWorkload {
        summary: c.summary(),
        call: format!(
            "{} (and the same workload at smaller n)",
            suite.describe_workload(last)
        ),
        expected: format!(
            "fuel growing at most as n^{} ({}); the reference's grows as n^{:.2}",
            c.max_exponent, c.bound, c.reference_exponent
        ),
        actual,
    }
}

/// A gate's call failed: a wrong answer or a crash on a workload is a verdict like any
/// other; a failing reference is the package's fault; after a time-out on a hidden test,
/// the time-out stands.
fn gate_failed(
    exercise: &str,
    suite: &dyn Suite,
    failure: GateFailure,
    limits: &Limits,
    display: &str,
    after_time_out: bool,
) -> Result<Gated, JudgeError> {
    let (verdict, found) = match failure {
        GateFailure::Reference(message) => {
            return Err(JudgeError::Suite {
                exercise: exercise.to_owned(),
                message,
            })
        }
        GateFailure::Sandbox(e) => return Err(e.into()),
        _ if after_time_out => return Ok(Gated::default()),
        GateFailure::Wrong { size, mismatch } => (
            mismatch.verdict,
            OnWorkload {
                summary: format!("on a performance workload: {}", mismatch.summary),
                call: suite.describe_workload(size),
                expected: mismatch.expected,
                actual: mismatch.actual,
            },
        ),
        GateFailure::Failed { size, report: call } => {
            let Err(fault) = call.result else {
                unreachable!("a failed gate call has a fault")
            };
            let (f, _) = call_failure(fault, limits, display);
            (
                f.verdict,
                OnWorkload {
                    summary: format!(
                        "on a performance workload: {}",
                        f.message.lines().next().unwrap_or_default()
                    ),
                    call: suite.describe_workload(size),
                    expected: "an answer".to_owned(),
                    actual: f.message,
                },
            )
        }
    };
    let summary = found.summary.clone();
    Ok(Gated {
        performance: None,
        rejection: Some(found.rejection(verdict, summary)),
    })
}

/// Stage 6: the verdict and the report, from what the hidden tests and the gates found and
/// what the reported case printed. `panics` holds the one-line summary of each panic's
/// message (see [`SandboxSubject::panics`]).
fn classify(
    mut report: Report,
    tested: Tested,
    gated: Option<Gated>,
    printed: Option<Printed>,
    panics: &HashMap<String, String>,
) -> Result<Report, JudgeError> {
    report.stats.test_ms = tested.test_ms;
    report.stats.cases = tested.cases;
    if let Some(gated) = gated {
        if gated.performance.is_some() {
            report.performance = gated.performance;
        }
        if let Some(rejection) = gated.rejection {
            report.verdict = rejection.verdict;
            report.summary = rejection.summary;
            let contended = report
                .performance
                .as_ref()
                .and_then(|p| p.contention.as_ref());
            report.hint = Some(match contended {
                Some(c) if !c.passed => gates::CONTENTION_HINT.to_owned(),
                _ => hint(rejection.verdict).to_owned(),
            });
            report.failure = Some(rejection.failure);
            return Ok(report);
        }
    }
    match tested.outcome {
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
                // Far less work than the reference: said, never a rejection (gates.rs).
                if let Some(note) = p.notes().into_iter().next() {
                    report.hint = Some(note);
                }
            }
        }
        Outcome::Aborted(message) => {
            return Err(JudgeError::Suite {
                exercise: report.exercise.clone(),
                message,
            });
        }
        Outcome::Failed(c) => {
            report.stats.first_failure_ms = Some(c.found_after_ms);
            let detail = tested.detail;
            let shrunk = detail.shrunk.unwrap_or_else(|| c.actual.shrinks());
            let located = detail.located;
            let (verdict, actual, summary) = match c.actual {
                Actual::Returned {
                    verdict,
                    summary,
                    shown,
                } => (verdict, shown, summary),
                Actual::Failed(f) => {
                    let summary = failed_summary(&f, panics, located.as_ref());
                    (f.verdict, f.message, summary)
                }
            };
            let Printed { stdout, stderr } = printed.unwrap_or_default();
            report.verdict = verdict;
            report.summary = summary;
            report.hint = Some(
                detail
                    .hint
                    .unwrap_or_else(|| failed_hint(verdict, located.as_ref())),
            );
            report.failure = Some(FailureReport {
                call: c.call,
                expected: c.expected,
                actual,
                passed_before: c.passed_before,
                on_workload: false,
                shrink_steps: c.shrink_steps,
                stdout,
                stderr,
                detail: FailureDetail {
                    shrunk,
                    failed_call: located.map(|l| FailedCall {
                        index: l.index,
                        of: l.of,
                        call: l.call,
                        how: l.how,
                    }),
                    notes: detail.notes,
                },
            });
        }
    }
    Ok(report)
}

/// The one-line summary of a failed call: for a panic where it happened (its message is
/// shown once, in full, as what happened instead), for a case of several calls which call
/// failed and how, else the failure's own message.
fn failed_summary(
    f: &CallFailure,
    panics: &HashMap<String, String>,
    located: Option<&judge_exercises::Located>,
) -> String {
    let what = match panics.get(&f.message) {
        Some(_) => f
            .message
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches(':')
            .to_owned(),
        None => f.message.lines().next().unwrap_or_default().to_owned(),
    };
    match located {
        Some(l) if l.index == 0 => format!("the constructor {}: {}", l.how, l.call),
        Some(l) => format!(
            "call {} of {} {}: {} ({what})",
            l.index, l.of, l.how, l.call
        ),
        None => what,
    }
}

/// The hint of a failure that has none of its own: the verdict's, pointing at the marked
/// call when the failure was located.
fn failed_hint(verdict: Verdict, located: Option<&judge_exercises::Located>) -> String {
    match (verdict, located) {
        (Verdict::TimeLimitExceeded, Some(l)) => format!(
            "the calls before call {} returned; look for a loop in that call that never ends on this state, or a wait for something that never happens",
            l.index
        ),
        (Verdict::RuntimeError, Some(l)) => format!(
            "the calls before call {} returned; the message above says where call {} failed: check indexing, unwraps and arithmetic on this state",
            l.index, l.index
        ),
        _ => hint(verdict).to_owned(),
    }
}

/// Whether the case failed by crashing (a trap: an out-of-bounds access, `unreachable`),
/// not by a panic the judge's hook reported or by a wrong answer.
fn crashed(actual: &Actual, panics: &HashMap<String, String>) -> bool {
    matches!(actual, Actual::Failed(f)
        if f.verdict == Verdict::RuntimeError && !panics.contains_key(&f.message))
}

/// The verdict of the smallest failing case.
fn case_verdict(actual: &Actual) -> Verdict {
    match actual {
        Actual::Returned { verdict, .. } => *verdict,
        Actual::Failed(f) => f.verdict,
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
        Verdict::RaceDetected => "two threads interleaved inside your calls (the interleaving is shown above when the judge could replay one): make each call one atomic step (one atomic read-modify-write, or the whole call under one lock acquisition)",
        Verdict::UndefinedBehavior => "the memory-model report above names the operation and your line: keep every pointer to memory that is still allocated, in bounds and initialised, or use safe code (Box, Vec, indices into a Vec) instead of raw pointers",
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

/// What a [`SandboxSubject`] runs its calls on: the sandbox worker (its program slot 0), or
/// a stand-in in tests.
trait Runner {
    fn call(
        &mut self,
        input: &[u8],
        limits: &Limits,
        seed: u64,
    ) -> Result<CallReport, SandboxError>;
    fn call_threaded(
        &mut self,
        input: &[u8],
        limits: &Limits,
        mode: Mode,
    ) -> Result<ThreadedReport, SandboxError>;
    fn open_nodes(
        &mut self,
        _count: u16,
        _limits: &Limits,
        _seed: u64,
    ) -> Result<(), SandboxError> {
        Err(SandboxError::NotLoaded)
    }
    fn call_nodes(
        &mut self,
        _calls: &[(u16, Vec<u8>)],
        _limits: &Limits,
    ) -> Result<Vec<CallReport>, SandboxError> {
        Err(SandboxError::NotLoaded)
    }
}

impl Runner for Worker {
    fn call(
        &mut self,
        input: &[u8],
        limits: &Limits,
        seed: u64,
    ) -> Result<CallReport, SandboxError> {
        Worker::call(self, input, limits, seed)
    }

    fn call_threaded(
        &mut self,
        input: &[u8],
        limits: &Limits,
        mode: Mode,
    ) -> Result<ThreadedReport, SandboxError> {
        Worker::call_threaded(self, gates::SUBMISSION, input, limits, mode)
    }

    fn open_nodes(&mut self, count: u16, limits: &Limits, seed: u64) -> Result<(), SandboxError> {
        Worker::open_nodes(self, gates::SUBMISSION, count, limits, seed)
    }

    fn call_nodes(
        &mut self,
        calls: &[(u16, Vec<u8>)],
        limits: &Limits,
    ) -> Result<Vec<CallReport>, SandboxError> {
        Worker::call_nodes(self, calls, limits)
    }
}

/// The submission, running in a sandbox worker, as the hidden suite sees it: each call's
/// fault becomes the suite's [`CallFailure`].
struct SandboxSubject<R: Runner = Worker> {
    runner: R,
    limits: Limits,
    seed: u64,
    /// How the submission is named in reports (a panic in its own file names it so).
    display: String,
    /// The first failure of the sandbox itself: it ends the run as a judge error.
    error: Option<SandboxError>,
    /// The latest call that ran out of time, with what it printed: the report shows that
    /// output instead of replaying a call that would take its whole time limit again.
    timed_out: Option<TimedOut>,
    /// The one-line summary of each panic this subject reported, by the failure's message:
    /// the suite hands back only the message, and the report needs to know it was a panic
    /// (a fault, never read from the text).
    panics: HashMap<String, String>,
    /// The messages of failures that were traps (a crash without a panic), likewise.
    traps: std::collections::HashSet<String>,
    /// The most fuel a call that returned has spent: what a probe's budget is derived
    /// from (see [`probe_limits`]).
    most_fuel_returned: u64,
}

struct TimedOut {
    input: Vec<u8>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl<R: Runner> SandboxSubject<R> {
    fn new(runner: R, limits: Limits, seed: u64, display: &str) -> Self {
        SandboxSubject {
            runner,
            limits,
            seed,
            display: display.to_owned(),
            error: None,
            timed_out: None,
            panics: HashMap::new(),
            traps: Default::default(),
            most_fuel_returned: 0,
        }
    }

    fn remember_time_out(&mut self, input: &[u8], report: &CallReport) {
        if let Err(
            Fault::OutOfFuel
            | Fault::WallClock
            | Fault::Blocked
            | Fault::StepLimit { .. }
            | Fault::Deadlock { .. }
            | Fault::LeftRunning { .. },
        ) = report.result
        {
            self.timed_out = Some(TimedOut {
                input: input.to_vec(),
                stdout: report.stdout.clone(),
                stderr: report.stderr.clone(),
            });
        }
    }

    /// The call's output, or its fault as the suite sees it (under `limits`, which the
    /// call ran with).
    fn classify(&mut self, report: CallReport, limits: &Limits) -> Result<Vec<u8>, CallFailure> {
        let fault = match report.result {
            Ok(output) => return Ok(output),
            Err(fault) => fault,
        };
        let trap = matches!(fault, Fault::Trap { .. });
        let (failure, summary) = call_failure(fault, limits, &self.display);
        if let Some(summary) = summary {
            self.panics.insert(failure.message.clone(), summary);
        }
        if trap {
            self.traps.insert(failure.message.clone());
        }
        Err(failure)
    }

    /// A plain call under `limits`: a time-out is shrinkable, since the suite shrinks it on
    /// probes ([`Subject::probe`]).
    fn plain_call(&mut self, input: &[u8], limits: &Limits) -> Result<Vec<u8>, CallFailure> {
        if self.error.is_some() {
            return Err(judge_failure());
        }
        match self.runner.call(input, limits, self.seed) {
            Ok(report) => {
                self.remember_time_out(input, &report);
                if report.result.is_ok() {
                    self.most_fuel_returned = self.most_fuel_returned.max(report.fuel);
                }
                self.classify(report, limits).map_err(|mut f| {
                    if f.verdict == Verdict::TimeLimitExceeded {
                        f.shrinkable = true;
                    }
                    f
                })
            }
            Err(e) => {
                self.error = Some(e);
                Err(judge_failure())
            }
        }
    }

    /// What the reported case printed: replayed once, except a time-out, which would take
    /// its whole time limit again; its output was kept from the call itself.
    fn replay(&mut self, c: &Counterexample) -> Option<Printed> {
        let (stdout, stderr) = match case_verdict(&c.actual) {
            Verdict::TimeLimitExceeded => self
                .timed_out
                .take()
                .filter(|t| t.input == c.encoded)
                .map(|t| (t.stdout, t.stderr)),
            _ => self
                .runner
                .call(&c.encoded, &self.limits, self.seed)
                .ok()
                .map(|r| (r.stdout, r.stderr)),
        }?;
        Some(Printed {
            stdout: shown(&stdout),
            stderr: shown(&stderr),
        })
    }
}

impl<R: Runner> Subject for SandboxSubject<R> {
    fn call_threads(&mut self, input: &[u8], mode: &Mode) -> Result<Threaded, CallFailure> {
        if self.error.is_some() {
            return Err(judge_failure());
        }
        let report = match self.runner.call_threaded(input, &self.limits, *mode) {
            Ok(report) => report,
            Err(e) => {
                self.error = Some(e);
                return Err(judge_failure());
            }
        };
        self.remember_time_out(input, &report.call);
        let nanos = report.call.nanos;
        let limits = self.limits;
        let output = self.classify(report.call, &limits)?;
        Ok(Threaded {
            output,
            trace: report.trace,
            sites: report.sites,
            nanos,
        })
    }

    fn open_nodes(&mut self, count: u16) -> Result<(), CallFailure> {
        if self.error.is_some() {
            return Err(judge_failure());
        }
        self.runner
            .open_nodes(count, &self.limits, self.seed)
            .map_err(|e| {
                self.error = Some(e);
                judge_failure()
            })
    }

    fn call_nodes(
        &mut self,
        calls: &[(u16, Vec<u8>)],
    ) -> Result<Vec<Vec<u8>>, (usize, CallFailure)> {
        if self.error.is_some() {
            return Err((0, judge_failure()));
        }
        let reports = match self.runner.call_nodes(calls, &self.limits) {
            Ok(reports) => reports,
            Err(e) => {
                self.error = Some(e);
                return Err((0, judge_failure()));
            }
        };
        let limits = self.limits;
        let mut outputs = Vec::with_capacity(reports.len());
        for (i, report) in reports.into_iter().enumerate() {
            outputs.push(self.classify(report, &limits).map_err(|f| (i, f))?);
        }
        Ok(outputs)
    }

    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        let limits = self.limits;
        self.plain_call(input, &limits)
    }

    fn probe(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        let limits = probe_limits(&self.limits, self.most_fuel_returned);
        self.plain_call(input, &limits)
    }

    fn failed_how(&self, failure: &CallFailure) -> String {
        if self.panics.contains_key(&failure.message) {
            return "panicked".into();
        }
        if self.traps.contains(&failure.message) {
            return "crashed (a trap)".into();
        }
        match failure.verdict {
            Verdict::TimeLimitExceeded => "did not return",
            Verdict::MemoryLimitExceeded => "ran out of memory",
            Verdict::OutputLimitExceeded => "printed past the output limit",
            _ => "failed",
        }
        .to_owned()
    }
}

/// The budget of a probe ([`Subject::probe`]): a hang found under it costs little. Fuel
/// 16 times the most any call that returned has spent (the submission's own work on
/// cases of this size), at least 1/64 of a hidden test's (so a case far larger than any
/// seen so far is not taken to hang too early), never more; an eighth of the wall clock,
/// at least 250 ms. A probe that runs out of it only suggests a hang: the suite confirms
/// the case it reports with a full call.
fn probe_limits(limits: &Limits, most_fuel_returned: u64) -> Limits {
    let fuel = most_fuel_returned
        .saturating_mul(16)
        .max(limits.fuel / 64)
        .min(limits.fuel);
    let wall = (limits.wall / 8)
        .max(Duration::from_millis(250))
        .min(limits.wall);
    Limits {
        fuel,
        wall,
        ..*limits
    }
}

fn judge_failure() -> CallFailure {
    CallFailure {
        verdict: Verdict::JudgeError,
        message: "the sandbox failed".into(),
        shrinkable: false,
        computing: false,
    }
}

/// A panic as a report shows it: where (in the candidate's own file for the submission's
/// lines: the build names it `solution.rs`) and the message, at most [`SHOWN_OUTPUT`] chars.
fn panic_text(message: &str, location: Option<&Location>, display: &str) -> String {
    // A real panic is located in the crate root or in std's sources; the hook's import can
    // also be called by the submission itself, with any location (`judge/src/..`, say).
    let from_rust = |file: &str| {
        file == compile::ROOT || (file.starts_with("/rustc/") && file.contains("/library/"))
    };
    let text = match location {
        Some(l) if from_rust(&l.file) => {
            let file = if l.file == compile::ROOT {
                display
            } else {
                &l.file
            };
            format!("panicked at {file}:{}:{}:\n{message}", l.line, l.column)
        }
        Some(l) => format!(
            "panicked, naming its own location ({}:{}:{}):\n{message}",
            l.file, l.line, l.column
        ),
        None => format!("panicked:\n{message}"),
    };
    let text: String = text.chars().take(SHOWN_OUTPUT).collect();
    text.trim_end().to_owned()
}

/// What a failed call is to the suite, from its fault alone; and, for a panic, the report's
/// one-line summary (where, and the message's first line).
fn call_failure(fault: Fault, limits: &Limits, display: &str) -> (CallFailure, Option<String>) {
    let computing = fault.computing();
    let fail = |verdict: Verdict, message: String, shrinkable| CallFailure {
        verdict,
        message,
        shrinkable,
        computing,
    };
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    let failure = match fault {
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
        Fault::Panic { message, location } => {
            let text = panic_text(&message, location.as_ref(), display);
            let summary: String = text.lines().take(2).collect::<Vec<_>>().join(" ");
            let summary = summary.chars().take(SUMMARY_CHARS).collect();
            return (fail(Verdict::RuntimeError, text, true), Some(summary));
        }
        Fault::Trap { message } => fail(Verdict::RuntimeError, message, true),
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
        // Like a deadlock, work that never ends: the time-limit family, although the call
        // itself returned.
        Fault::LeftRunning { threads } => fail(
            Verdict::TimeLimitExceeded,
            format!(
                "threads still running after the call returned: {threads} {} the call started \
                 never finished (every thread a call starts must end before it returns)",
                if threads == 1 { "thread" } else { "threads" }
            ),
            true,
        ),
        // What waits for what, and the lock steps that led there (concurrent.rs renders it).
        Fault::Deadlock { threads, locks } => fail(
            Verdict::TimeLimitExceeded,
            judge_exercises::concurrent::describe_deadlock(&threads, locks.as_deref()),
            true,
        ),
    };
    (failure, None)
}

#[cfg(test)]
mod tests {
    //! The stages after the sandbox, driven by "submissions" written in Rust on the host:
    //! the real hidden suite of k-distinct-substring calls them through the same
    //! [`SandboxSubject`] the sandbox worker sits behind, so faults, verdicts, shrinking and
    //! the report are exercised in milliseconds.

    use super::*;
    use judge_exercises::{wire, Catalog, Mismatch};

    const EXERCISE: &str = "k-distinct-substring";
    const SEED: u64 = 20261121;

    /// A k-distinct-substring "submission" on the host: `answer` decides each call (an
    /// answer or a fault); every call prints `k = <k>` to stdout.
    struct Host {
        answer: fn(&str, usize) -> Result<usize, Fault>,
        calls: u32,
    }

    impl Runner for Host {
        fn call(
            &mut self,
            input: &[u8],
            _limits: &Limits,
            _seed: u64,
        ) -> Result<CallReport, SandboxError> {
            self.calls += 1;
            let (k, s) = wire::from_bytes::<(usize, String)>(input).expect("a k-distinct call");
            Ok(CallReport {
                result: (self.answer)(&s, k).map(|n| wire::to_bytes(&n)),
                fuel: 1,
                nanos: 1,
                stdout: format!("k = {k}\n").into_bytes(),
                stderr: Vec::new(),
            })
        }

        fn call_threaded(
            &mut self,
            _input: &[u8],
            _limits: &Limits,
            _mode: Mode,
        ) -> Result<ThreadedReport, SandboxError> {
            Err(SandboxError::WrongKind { threaded: false })
        }
    }

    /// The statement's function, right: a sliding window over chars.
    fn right(s: &str, k: usize) -> usize {
        let chars: Vec<char> = s.chars().collect();
        let mut counts: HashMap<char, usize> = HashMap::new();
        let (mut left, mut best) = (0, 0);
        for (i, &c) in chars.iter().enumerate() {
            *counts.entry(c).or_default() += 1;
            while counts.len() > k {
                let n = counts.get_mut(&chars[left]).expect("in the window");
                *n -= 1;
                if *n == 0 {
                    counts.remove(&chars[left]);
                }
                left += 1;
            }
            best = best.max(i + 1 - left);
        }
        best
    }

    fn wrong_for_k_zero(s: &str, k: usize) -> Result<usize, Fault> {
        Ok(if k == 0 {
            s.chars().count().min(1)
        } else {
            right(s, k)
        })
    }

    fn unwrap_on_empty(s: &str, k: usize) -> Result<usize, Fault> {
        if s.is_empty() && k > 0 {
            return Err(Fault::Panic {
                message: "called `Option::unwrap()` on a `None` value".into(),
                location: Some(Location {
                    file: "solution.rs".into(),
                    line: 12,
                    column: 34,
                }),
            });
        }
        Ok(right(s, k))
    }

    fn spins_on_long_strings(s: &str, k: usize) -> Result<usize, Fault> {
        if s.chars().count() > 100 {
            return Err(Fault::OutOfFuel);
        }
        Ok(right(s, k))
    }

    fn limits() -> Limits {
        Limits::default()
    }

    fn plan(cases: u32) -> Plan<'static> {
        Plan {
            cases,
            seed: SEED,
            max_shrink_iters: 4_096,
            max_shrink_time: Duration::from_secs(10),
            budget: Duration::from_secs(60),
            budget_verdict: Verdict::TimeLimitExceeded,
            progress: &|_| {},
        }
    }

    fn suite() -> &'static dyn Suite {
        judge_exercises::suite_for(EXERCISE).expect("the suite")
    }

    /// Judges `answer` as the stages after the sandbox do: the report, and how many calls
    /// the "submission" received (the suite's and the replay's).
    fn judged(answer: fn(&str, usize) -> Result<usize, Fault>) -> (Report, u32) {
        let host = Host { answer, calls: 0 };
        let mut subject = SandboxSubject::new(host, limits(), SEED, "mine.rs");
        let tested = run_suite(suite(), &mut subject, &plan(80));
        assert!(subject.error.is_none());
        let printed = match &tested.outcome {
            Outcome::Failed(c) => subject.replay(c),
            _ => None,
        };
        let blank = blank_report(EXERCISE, "mine.rs", SEED);
        let report = classify(blank, tested, None, printed, &subject.panics).expect("a report");
        (report, subject.runner.calls)
    }

    fn failure_of(report: &Report) -> &FailureReport {
        report.failure.as_ref().expect("a failure")
    }

    #[test]
    fn a_right_submission_passes_every_hidden_test() {
        let (report, calls) = judged(|s, k| Ok(right(s, k)));
        assert_eq!(report.verdict, Verdict::Accepted);
        // 80 generated cases and the pinned one (the statement's largest input).
        assert_eq!(report.summary, "passed all 81 hidden tests");
        assert_eq!(report.stats.cases, 81);
        assert_eq!(calls, 81);
        assert!(report.failure.is_none() && report.hint.is_none());
    }

    #[test]
    fn a_wrong_answer_is_shrunk_to_the_smallest_case_and_replayed_for_its_output() {
        let (report, calls) = judged(wrong_for_k_zero);
        assert_eq!(report.verdict, Verdict::WrongAnswer);
        assert_eq!(report.summary, "returned a wrong answer");
        assert_eq!(report.hint.as_deref(), Some(hint(Verdict::WrongAnswer)));
        let failure = failure_of(&report);
        assert_eq!(failure.call, "longest_substring_k_distinct(\"a\", 0)");
        assert_eq!((&*failure.expected, &*failure.actual), ("0", "1"));
        assert!(failure.shrink_steps > 0, "{failure:?}");
        assert!(!failure.on_workload);
        // Replayed once more for what it printed.
        assert_eq!(failure.stdout, "k = 0\n");
        assert_eq!(calls, report.stats.cases + 1);
        assert!(report.stats.first_failure_ms.is_some());
    }

    #[test]
    fn a_panic_names_the_candidates_file_in_the_summary_and_its_message_once() {
        let (report, _) = judged(unwrap_on_empty);
        assert_eq!(report.verdict, Verdict::RuntimeError);
        // The message is shown once, in full, as what happened instead.
        assert_eq!(report.summary, "panicked at mine.rs:12:34");
        let failure = failure_of(&report);
        assert_eq!(failure.call, "longest_substring_k_distinct(\"\", 1)");
        assert_eq!(
            failure.actual,
            "panicked at mine.rs:12:34:\ncalled `Option::unwrap()` on a `None` value"
        );
        assert_eq!(failure.expected, "0");
        assert_eq!(failure.stdout, "k = 1\n");
    }

    #[test]
    fn a_time_out_is_shrunk_on_probes_confirmed_in_full_and_not_replayed() {
        let (report, calls) = judged(spins_on_long_strings);
        assert_eq!(report.verdict, Verdict::TimeLimitExceeded);
        // The case reported ran out of a hidden test's own budget, not a probe's.
        assert_eq!(
            report.summary,
            "used up its budget of 5000000000 instructions without returning"
        );
        let failure = failure_of(&report);
        assert!(failure.shrink_steps > 0, "{failure:?}");
        assert!(failure.detail.shrunk);
        // The shortest string that still hangs: 101 chars.
        let shown = failure.call.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(
            failure.call.starts_with("longest_substring_k_distinct(\""),
            "{}",
            failure.call
        );
        assert!((101..=140).contains(&shown), "{}", failure.call);
        assert!(failure.stdout.starts_with("k = "), "{failure:?}");
        assert_eq!(calls, report.stats.cases, "no replay");
    }

    #[test]
    fn a_probe_has_a_tighter_budget_derived_from_the_work_of_calls_that_returned() {
        let full = limits();
        let probe = probe_limits(&full, 1_000_000);
        assert_eq!(probe.fuel, full.fuel / 64, "the floor");
        assert_eq!(probe_limits(&full, 100_000_000).fuel, 1_600_000_000);
        assert_eq!(probe_limits(&full, u64::MAX).fuel, full.fuel, "never more");
        assert!(probe.wall < full.wall && probe.wall >= Duration::from_millis(250));
        assert_eq!(probe.memory_bytes, full.memory_bytes);
    }

    #[test]
    fn the_gates_run_after_a_pass_or_a_time_out_while_computing_only() {
        let exercise = Catalog::embedded().load(EXERCISE).expect("the exercise");
        let failed = |fault: Fault| {
            let (f, _) = call_failure(fault, &limits(), "mine.rs");
            Outcome::Failed(Box::new(Counterexample {
                call: String::new(),
                encoded: Vec::new(),
                expected: String::new(),
                actual: Actual::Failed(f),
                passed_before: 0,
                shrink_steps: 0,
                found_after_ms: 0,
            }))
        };
        let passed = Outcome::Passed { cases: 1 };
        assert_eq!(gates_apply(&exercise, &passed), Some(false));
        assert_eq!(
            gates_apply(&exercise, &failed(Fault::OutOfFuel)),
            Some(true)
        );
        assert_eq!(
            gates_apply(&exercise, &failed(Fault::WallClock)),
            Some(true)
        );
        assert_eq!(gates_apply(&exercise, &failed(Fault::Blocked)), None);
        assert_eq!(gates_apply(&exercise, &failed(Fault::OutputLimit)), None);
        let mut without = exercise.clone();
        without.meta.complexity = None;
        without.meta.throughput = None;
        assert_eq!(gates_apply(&without, &passed), None);
    }

    #[test]
    fn each_fault_is_its_verdict_and_only_computing_faults_may_be_measured() {
        use Verdict::*;
        let limits = limits();
        let cases = [
            (Fault::OutOfFuel, TimeLimitExceeded, false, true),
            (Fault::WallClock, TimeLimitExceeded, false, true),
            (Fault::Blocked, TimeLimitExceeded, false, false),
            (
                Fault::MemoryLimit {
                    requested_bytes: 300 << 20,
                },
                MemoryLimitExceeded,
                false,
                false,
            ),
            (Fault::OutputLimit, OutputLimitExceeded, false, false),
            (Fault::Exit { code: 0 }, RuntimeError, true, false),
            (
                Fault::Trap {
                    message: "stack overflow".into(),
                },
                RuntimeError,
                true,
                false,
            ),
            (
                Fault::Panic {
                    message: "boom".into(),
                    location: None,
                },
                RuntimeError,
                true,
                false,
            ),
            (
                Fault::Abi {
                    message: "no memory".into(),
                },
                RuntimeError,
                true,
                false,
            ),
            (
                Fault::StepLimit { steps: 4_000_000 },
                TimeLimitExceeded,
                false,
                false,
            ),
            (
                Fault::Deadlock {
                    threads: vec![(0, None), (2, Some(7))],
                    locks: None,
                },
                TimeLimitExceeded,
                true,
                false,
            ),
        ];
        for (fault, verdict, shrinkable, computing) in cases {
            let shown = format!("{fault:?}");
            let (f, _) = call_failure(fault, &limits, "mine.rs");
            assert_eq!(
                (f.verdict, f.shrinkable, f.computing),
                (verdict, shrinkable, computing),
                "{shown}"
            );
        }
        let message = |fault| call_failure(fault, &limits, "mine.rs").0.message;
        assert_eq!(
            message(Fault::MemoryLimit {
                requested_bytes: 300 << 20
            }),
            "asked for 300.0 MiB of memory; the limit is 256 MiB"
        );
        assert_eq!(message(Fault::OutputLimit), "printed more than 64 KiB");
        assert_eq!(
            message(Fault::Deadlock {
                threads: vec![(0, None), (2, Some(7))],
                locks: None,
            }),
            "deadlock: every thread is blocked waiting (the main thread, thread 2) and nothing can wake them"
        );
        assert_eq!(
            message(Fault::Blocked),
            "did not return within 3000 ms (sleeping or blocked)"
        );
    }

    #[test]
    fn a_panic_outside_the_submission_keeps_its_file_and_a_long_one_is_cut() {
        let panic = |message: &str, file: &str| {
            call_failure(
                Fault::Panic {
                    message: message.into(),
                    location: Some(Location {
                        file: file.into(),
                        line: 9,
                        column: 1,
                    }),
                },
                &limits(),
                "mine.rs",
            )
        };
        let (f, summary) = panic("one\ntwo\nthree", "/rustc/abc/library/core/src/str/mod.rs");
        assert_eq!(
            f.message,
            "panicked at /rustc/abc/library/core/src/str/mod.rs:9:1:\none\ntwo\nthree"
        );
        assert_eq!(
            summary.as_deref(),
            Some("panicked at /rustc/abc/library/core/src/str/mod.rs:9:1: one")
        );
        let (f, summary) = panic(&"x".repeat(5_000), "solution.rs");
        assert_eq!(f.message.chars().count(), SHOWN_OUTPUT);
        assert_eq!(summary.map(|s| s.chars().count()), Some(SUMMARY_CHARS));
        // Only a panic has a summary of its own; any other failure's is its message.
        assert_eq!(call_failure(Fault::OutputLimit, &limits(), "m.rs").1, None);
    }

    #[test]
    fn a_sandbox_failure_ends_the_run_as_the_judges_own() {
        struct Dead;
        impl Runner for Dead {
            fn call(&mut self, _: &[u8], _: &Limits, _: u64) -> Result<CallReport, SandboxError> {
                Err(SandboxError::Worker("it died".into()))
            }
            fn call_threaded(
                &mut self,
                _: &[u8],
                _: &Limits,
                _: Mode,
            ) -> Result<ThreadedReport, SandboxError> {
                Err(SandboxError::Worker("it died".into()))
            }
        }
        let mut subject = SandboxSubject::new(Dead, limits(), SEED, "mine.rs");
        let tested = run_suite(suite(), &mut subject, &plan(5));
        assert!(matches!(subject.error, Some(SandboxError::Worker(_))));
        let Outcome::Failed(c) = tested.outcome else {
            panic!("{:?}", tested.outcome)
        };
        assert!(matches!(
            c.actual,
            Actual::Failed(CallFailure {
                verdict: Verdict::JudgeError,
                shrinkable: false,
                ..
            })
        ));
    }

    #[test]
    fn calls_are_counted_plain_and_threaded() {
        struct Refusing;
        impl Subject for Refusing {
            fn call(&mut self, _: &[u8]) -> Result<Vec<u8>, CallFailure> {
                Ok(Vec::new())
            }
            fn call_threads(&mut self, _: &[u8], _: &Mode) -> Result<Threaded, CallFailure> {
                Err(CallFailure {
                    verdict: Verdict::RaceDetected,
                    message: "raced".into(),
                    shrinkable: true,
                    computing: false,
                })
            }
        }
        let mut inner = Refusing;
        let mut counted = Counted {
            subject: &mut inner,
            calls: 0,
        };
        let _ = counted.call(b"");
        let run = Mode::Free { seed: 1 };
        assert_eq!(
            counted.call_threads(b"", &run).unwrap_err().verdict,
            Verdict::RaceDetected,
            "forwarded to the subject"
        );
        assert_eq!(counted.calls, 2);
    }

    #[test]
    fn an_aborted_suite_is_the_judges_failure() {
        let tested = Tested {
            outcome: Outcome::Aborted("the generator gave up".into()),
            cases: 3,
            test_ms: 1,
            detail: Detail::default(),
        };
        let blank = blank_report(EXERCISE, "mine.rs", SEED);
        let error = classify(blank, tested, None, None, &HashMap::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the hidden tests of k-distinct-substring could not run: the generator gave up"
        );
    }

    fn workload_panic() -> GateFailure {
        GateFailure::Failed {
            size: 2_000,
            report: CallReport {
                result: Err(Fault::Panic {
                    message: "attempt to add with overflow".into(),
                    location: Some(Location {
                        file: "solution.rs".into(),
                        line: 3,
                        column: 5,
                    }),
                }),
                fuel: 0,
                nanos: 0,
                stdout: Vec::new(),
                stderr: Vec::new(),
            },
        }
    }

    #[test]
    fn a_failure_on_a_workload_is_a_verdict_unless_a_time_out_stands() {
        let limits = limits();
        let gated = gate_failed(
            EXERCISE,
            suite(),
            workload_panic(),
            &limits,
            "mine.rs",
            false,
        )
        .expect("a verdict");
        assert!(gated.performance.is_none());
        let rejection = gated.rejection.expect("rejected");
        assert_eq!(rejection.verdict, Verdict::RuntimeError);
        assert_eq!(
            rejection.summary,
            "on a performance workload: panicked at mine.rs:3:5:"
        );
        assert_eq!(rejection.failure.call, suite().describe_workload(2_000));
        assert_eq!(rejection.failure.expected, "an answer");
        assert!(rejection.failure.on_workload);

        let wrong = GateFailure::Wrong {
            size: 4_000,
            mismatch: Mismatch::wrong_answer("7".into(), "8".into()),
        };
        let rejection = gate_failed(EXERCISE, suite(), wrong, &limits, "mine.rs", false)
            .expect("a verdict")
            .rejection
            .expect("rejected");
        assert_eq!(rejection.verdict, Verdict::WrongAnswer);
        assert_eq!(
            rejection.summary,
            "on a performance workload: returned a wrong answer"
        );
        assert_eq!(
            (&*rejection.failure.expected, &*rejection.failure.actual),
            ("7", "8")
        );

        let stands = gate_failed(
            EXERCISE,
            suite(),
            workload_panic(),
            &limits,
            "mine.rs",
            true,
        )
        .expect("no verdict");
        assert!(stands.rejection.is_none() && stands.performance.is_none());

        let broken = GateFailure::Reference("the reference failed".into());
        assert!(matches!(
            gate_failed(EXERCISE, suite(), broken, &limits, "mine.rs", false),
            Err(JudgeError::Suite { .. })
        ));
    }

    #[test]
    fn a_verdict_from_the_gates_replaces_the_hidden_tests_outcome() {
        let tested = Tested {
            outcome: Outcome::Passed { cases: 80 },
            cases: 80,
            test_ms: 5,
            detail: Detail::default(),
        };
        let rejection = gate_failed(
            EXERCISE,
            suite(),
            workload_panic(),
            &limits(),
            "m.rs",
            false,
        )
        .expect("a verdict");
        let blank = blank_report(EXERCISE, "m.rs", SEED);
        let report =
            classify(blank, tested, Some(rejection), None, &HashMap::new()).expect("a report");
        assert_eq!(report.verdict, Verdict::RuntimeError);
        assert_eq!(
            report.summary,
            "on a performance workload: panicked at m.rs:3:5:"
        );
        assert_eq!(report.hint.as_deref(), Some(hint(Verdict::RuntimeError)));
        assert!(failure_of(&report).on_workload);
        assert_eq!((report.stats.cases, report.stats.test_ms), (80, 5));

        // Gates that measured and passed: the summary says what they measured.
        let tested = Tested {
            outcome: Outcome::Passed { cases: 80 },
            cases: 80,
            test_ms: 5,
            detail: Detail::default(),
        };
        let gated = Gated {
            performance: Some(Performance {
                complexity: None,
                contention: None,
                throughput: Some(gates::ThroughputReport {
                    size: 200_000,
                    ratio: 1.234,
                    tolerance: 8.0,
                    submission_ns: Vec::new(),
                    reference_ns: Vec::new(),
                    passed: true,
                    timed_out: false,
                }),
            }),
            rejection: None,
        };
        let blank = blank_report(EXERCISE, "m.rs", SEED);
        let report = classify(blank, tested, Some(gated), None, &HashMap::new()).expect("a report");
        assert_eq!(report.verdict, Verdict::Accepted);
        assert_eq!(
            report.summary,
            "passed all 80 hidden tests; 1.23x the reference's time (tolerance 8x)"
        );
        assert!(report.performance.is_some());
    }

    #[test]
    fn a_module_the_sandbox_refuses_is_a_build_failure_naming_the_import() {
        let failure = cannot_run(&LoadError::UnknownImport {
            module: "env".into(),
            name: "host_secret".into(),
        });
        assert_eq!(
            failure.summary,
            "the compiled module cannot run in the sandbox"
        );
        assert_eq!(
            failure.diagnostics[0].rendered,
            "error: failed to prepare the module for instantiation: unknown import: `env::host_secret` has not been defined\n"
        );
        let report = compile_failed(blank_report(EXERCISE, "m.rs", SEED), failure);
        assert_eq!(report.verdict, Verdict::CompileError);
    }

    #[test]
    fn the_blank_report_replays_with_a_quoted_name_and_the_precheck_refuses_early() {
        let report = blank_report(EXERCISE, "my file.rs", 3);
        assert_eq!(
            report.replay,
            "judge run k-distinct-substring 'my file.rs' --seed 3"
        );
        let submission = Submission {
            bytes: b"pub fn f() {}\n\xff",
            display: "m.rs".into(),
            seed: None,
        };
        assert!(precheck(&submission)
            .err()
            .is_some_and(|f| f.summary.contains("not UTF-8")));
    }
}
