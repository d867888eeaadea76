//! Concurrent exercises: scenarios of calls on one shared object from several guest threads,
//! run under schedules the judge controls (and on real threads), each history checked against
//! the exercise's contract (linearizability against a sequential model, or a weaker one).
//!
//! On the wire (exercises/src/wire.rs, the same code on both sides): a scenario is
//! `(stamped: bool, Setup, Vec<Vec<Op>>, Vec<Op>)`: whether to stamp calls with the clock
//! (not for the throughput workload), the setup, each thread's calls, and the calls the main
//! thread makes after joining every thread. The guest runner (concurrent_runner.rs) stamps
//! each call with the judge's logical clock as it starts and as it returns, and answers per
//! call, thread by thread, then the calls after joining: `invoke: u64, response: u64` (when
//! stamped), then the call's `Ret`.

use crate::linearizability::{self, Model, Operation, Verdict};
use crate::suite::{Actual, Counterexample, Coverage, Outcome, Plan, Subject, Suite, Threaded};
use crate::wire::{self, Wire};
use judge_core::{Event, Mode, Schedule, Strategy};
use std::collections::BTreeMap;
use std::fmt::{Debug, Write as _};
use std::time::Instant;

/// Search steps the linearizability checker may take on one history.
const CHECK_BUDGET: u64 = 5_000_000;
/// Schedules tried per candidate while shrinking a failing scenario; fewer for a candidate
/// with more than `LARGE_CANDIDATE` calls (a crowd: each run costs more, and there are many
/// candidates).
const SHRINK_SCHEDULES: u64 = 24;
const LARGE_SHRINK_SCHEDULES: u64 = 6;
const LARGE_CANDIDATE: usize = 24;
/// Shrinking a concurrent failure stops after this long (or the plan's limit, if shorter),
/// reporting the smallest scenario found by then.
const SHRINK_TIME: std::time::Duration = std::time::Duration::from_secs(3);
/// Rows of the interleaving table shown in a report.
const MAX_ROWS: usize = 80;
/// The size of the workload the hidden tests run on real threads, unstamped: long enough
/// that the threads' runs overlap on a busy machine (at 20,000 calls they sometimes did not).
const REAL_THREAD_WORKLOAD: u32 = 100_000;
/// Scheduled runs, and the time, the search for a replayable interleaving may take after a
/// contract broken on real threads.
const SEARCH_RUNS: u64 = 600;
const SEARCH_TIME: std::time::Duration = std::time::Duration::from_secs(4);
/// Said of a failure found on real threads.
const NOT_REPLAYABLE: &str = "real threads cannot be replayed: `--seed` gives the same calls, \
                              not the same interleaving";

/// The scenarios' PRNG: the judge's one SplitMix64, so a seed's scenarios never change.
pub type Rng = judge_core::SplitMix64;

/// Calls on one shared object from several threads.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario<Setup, Op> {
    pub setup: Setup,
    /// One list of calls per spawned thread.
    pub threads: Vec<Vec<Op>>,
    /// Calls the main thread makes after joining them all (quiescent).
    pub after: Vec<Op>,
}

/// How a history broke the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// One line.
    pub summary: String,
    /// What the contract allows here.
    pub expected: String,
    /// The outcome, explained.
    pub actual: String,
}

/// The host side of a concurrent exercise.
pub trait ConcurrentSpec: Send + Sync + 'static {
    type Setup: Clone + Debug + PartialEq + Wire;
    type Op: Clone + Debug + PartialEq + Wire;
    type Ret: Clone + Debug + PartialEq + Wire;
    type Model: Model<Op = Self::Op, Ret = Self::Ret>;

    fn gen_setup(&self, rng: &mut Rng) -> Self::Setup;
    fn gen_op(&self, setup: &Self::Setup, rng: &mut Rng) -> Self::Op;
    /// Calls the main thread makes once every thread is joined (a final `get`, `sum` ...).
    fn after(&self, setup: &Self::Setup) -> Vec<Self::Op>;
    fn model(&self, setup: &Self::Setup) -> Self::Model;
    /// The line that creates the shared object, as the candidate would write it.
    fn show_setup(&self, setup: &Self::Setup) -> String;
    fn show_op(&self, op: &Self::Op) -> String;
    fn show_ret(&self, ret: &Self::Ret) -> String;
    fn simpler_op(&self, _op: &Self::Op) -> Vec<Self::Op> {
        Vec::new()
    }
    fn simpler_setup(&self, _setup: &Self::Setup) -> Vec<Self::Setup> {
        Vec::new()
    }
    /// Checks one history. The default is linearizability against [`Self::model`].
    fn check(
        &self,
        setup: &Self::Setup,
        history: &[Operation<Self::Op, Self::Ret>],
    ) -> Result<(), Checked> {
        linearizable(self, setup, history)
    }
    /// The workload of size `n` for the run's `seed` (real threads, calls unstamped), if the
    /// exercise has one: the throughput gate's, and checked on real threads by the hidden
    /// tests. Its content comes from the seed, its shape and cost do not.
    fn workload(&self, _n: u32, _seed: u64) -> Option<Scenario<Self::Setup, Self::Op>> {
        None
    }
    fn describe_workload(&self, n: u32) -> String {
        format!("the workload of size {n}")
    }
    /// The statement's boundaries this suite recognises (see
    /// `FunctionSpec::boundaries`).
    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Which of [`ConcurrentSpec::boundaries`] a scenario reaches.
    fn hits(&self, _scenario: &Scenario<Self::Setup, Self::Op>) -> Vec<&'static str> {
        Vec::new()
    }
}

/// What checking a history found, besides a pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    Violated(Violation),
    /// The checker ran out of budget: neither a pass nor a failure.
    Undecided(String),
}

/// The default contract: some order of the calls, consistent with real time, explains every
/// result (linearizability), decided by [`linearizability::check`].
pub fn linearizable<S: ConcurrentSpec + ?Sized>(
    spec: &S,
    setup: &S::Setup,
    history: &[Operation<S::Op, S::Ret>],
) -> Result<(), Checked> {
    match linearizability::check(&spec.model(setup), history, CHECK_BUDGET) {
        Verdict::Linearizable { .. } => Ok(()),
        Verdict::Exhausted { steps } => Err(Checked::Undecided(format!(
            "the linearizability checker used up its budget of {steps} steps on a history \
             of {} calls without deciding",
            history.len()
        ))),
        Verdict::NotLinearizable { prefix, stuck } => {
            let show = |i: usize| {
                let o = &history[i];
                format!(
                    "{} -> {} (thread {})",
                    spec.show_op(&o.op),
                    spec.show_ret(&o.ret),
                    thread_label(o.thread)
                )
            };
            let mut actual = String::new();
            if prefix.is_empty() {
                actual.push_str("no call can be the first one:\n");
            } else {
                actual.push_str("the results fit this order up to a point:\n");
                for &i in &prefix {
                    let _ = writeln!(actual, "  {}", show(i));
                }
                actual.push_str("but then none of the calls that could come next fits:\n");
            }
            for &i in &stuck {
                let _ = writeln!(actual, "  {}", show(i));
            }
            Err(Checked::Violated(Violation {
                summary: "not linearizable: no order of the calls explains these results".into(),
                expected: "every call takes effect at one instant between its start and its \
                           return, so some order of the calls that respects real time gives \
                           every result; none does"
                    .into(),
                actual: actual.trim_end().to_string(),
            }))
        }
    }
}

fn thread_label(thread: usize) -> String {
    if thread == usize::MAX {
        "main, after join".into()
    } else {
        format!("{}", thread + 1)
    }
}

/// Runs a [`ConcurrentSpec`] as a [`Suite`].
pub struct Concurrent<S>(pub S);

/// Sizes of the generated scenarios.
#[derive(Clone, Copy)]
struct Shape {
    threads: (u64, u64),
    calls: (u64, u64),
}

/// Small concurrent scenarios.
const SMALL: Shape = Shape {
    threads: (2, 3),
    calls: (1, 3),
};
/// Stress-sized scenarios.
const STRESS: Shape = Shape {
    threads: (3, 4),
    calls: (10, 25),
};
/// Crowds: more threads than a handful of stripes or shards, so that two threads' updates
/// land on the same stripe whichever way a design spreads them; enough calls each that the
/// first threads out of the start barrier (which lets them go one at a time) are still
/// calling when the last ones arrive.
const CROWD: Shape = Shape {
    threads: (9, 12),
    calls: (4, 8),
};

/// The scheduled search's schedule `index`: every other one has tiny slices.
fn search_schedule(seed: u64, index: u64) -> Mode {
    let salted = seed ^ 0x5345_4152_4348;
    if index.is_multiple_of(2) {
        // Index 4k + 2 is a tiny-slice schedule in `schedule`.
        schedule(salted, 4 * index + 2)
    } else {
        schedule(salted, index)
    }
}

/// The schedule of run `index` of a suite seeded with `seed`: uniform random schedules
/// with slices of 300-3,000 instructions, PCT ones of depth 2 and 3, and (one in four)
/// uniform random schedules with tiny slices of 1-64 instructions, which also preempt
/// between plain loads and stores (`judge_sandbox::threads::TINY_SLICE`), so an update
/// made of a plain read and a plain write can be split.
fn schedule(seed: u64, index: u64) -> Mode {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let seed = rng.next_u64();
    let strategy = match index % 4 {
        1 => Strategy::Pct {
            depth: 2,
            expected_steps: 400,
        },
        3 => Strategy::Pct {
            depth: 3,
            expected_steps: 400,
        },
        _ => Strategy::Random,
    };
    let fuel_slice = if index % 4 == 2 {
        rng.range(1, TINY_SLICE)
    } else {
        rng.range(300, 3_000)
    };
    Mode::Scheduled(Schedule {
        seed,
        strategy,
        fuel_slice,
    })
}

/// The longest slice of a tiny-slice schedule: `judge_sandbox::threads::TINY_SLICE`, the
/// bound under which the sandbox also preempts at plain accesses (this crate does not link
/// the sandbox; tests/it/races.rs checks that such schedules split plain updates).
const TINY_SLICE: u64 = 64;

/// A failed run: the verdict, the report's parts.
struct Failure {
    verdict: judge_core::Verdict,
    call: String,
    encoded: Vec<u8>,
    expected: String,
    actual: Actual,
}

impl<S: ConcurrentSpec> Concurrent<S> {
    fn generate(&self, rng: &mut Rng, shape: Shape) -> Scenario<S::Setup, S::Op> {
        let spec = &self.0;
        let setup = spec.gen_setup(rng);
        let threads = (0..rng.range(shape.threads.0, shape.threads.1))
            .map(|_| {
                (0..rng.range(shape.calls.0, shape.calls.1))
                    .map(|_| spec.gen_op(&setup, rng))
                    .collect()
            })
            .collect();
        let after = spec.after(&setup);
        Scenario {
            setup,
            threads,
            after,
        }
    }

    pub fn encode(&self, scenario: &Scenario<S::Setup, S::Op>) -> Vec<u8> {
        self.encode_with(scenario, true)
    }

    fn encode_with(&self, scenario: &Scenario<S::Setup, S::Op>, stamped: bool) -> Vec<u8> {
        wire::to_bytes(&(
            stamped,
            scenario.setup.clone(),
            scenario.threads.clone(),
            scenario.after.clone(),
        ))
    }

    /// Unstamped answers (the throughput workload) get stamps that make every thread's
    /// calls overlap everything, with the calls after joining last.
    fn decode_with(
        &self,
        scenario: &Scenario<S::Setup, S::Op>,
        bytes: &[u8],
        stamped: bool,
    ) -> Option<Vec<Operation<S::Op, S::Ret>>> {
        const LATE: u64 = 1 << 40;
        let mut r: &[u8] = bytes;
        let mut history = Vec::new();
        let lists = scenario.threads.iter().enumerate();
        let mut synthetic = 0u64;
        for (thread, ops) in lists.chain([(usize::MAX, &scenario.after)]) {
            let mut last = None;
            for op in ops {
                let (mut invoke, mut response) = if stamped {
                    (u64::take(&mut r)?, u64::take(&mut r)?)
                } else {
                    (0, 0)
                };
                if !stamped {
                    synthetic += 2;
                    (invoke, response) = if thread == usize::MAX {
                        (2 * LATE + synthetic, 2 * LATE + synthetic + 1)
                    } else {
                        (synthetic, LATE + synthetic)
                    };
                    last = None;
                }
                let ret = S::Ret::take(&mut r)?;
                // One thread's calls are sequential: stamps must say so.
                if invoke >= response || last.is_some_and(|l| invoke <= l) {
                    return None;
                }
                last = Some(response);
                history.push(Operation {
                    thread,
                    op: op.clone(),
                    ret,
                    invoke,
                    response,
                });
            }
        }
        if !r.is_empty() {
            return None;
        }
        // The calls after joining come after every other call.
        let joined = history
            .iter()
            .filter(|o| o.thread != usize::MAX)
            .map(|o| o.response)
            .max();
        if history
            .iter()
            .any(|o| o.thread == usize::MAX && joined.is_some_and(|j| o.invoke < j))
        {
            return None;
        }
        Some(history)
    }

    pub fn show_scenario(&self, scenario: &Scenario<S::Setup, S::Op>) -> String {
        let spec = &self.0;
        let mut out = format!("let shared = {};\n", spec.show_setup(&scenario.setup));
        for (i, ops) in scenario.threads.iter().enumerate() {
            let calls: Vec<String> = ops
                .iter()
                .map(|op| format!("shared.{}", spec.show_op(op)))
                .collect();
            let _ = writeln!(out, "thread {}: {}", i + 1, calls.join("; "));
        }
        if !scenario.after.is_empty() {
            let calls: Vec<String> = scenario
                .after
                .iter()
                .map(|op| format!("shared.{}", spec.show_op(op)))
                .collect();
            let _ = writeln!(out, "after joining all threads: {}", calls.join("; "));
        }
        out.trim_end().to_string()
    }

    /// Runs `scenario` once under `run`. `Ok(Err(reason))` is the checker running out of
    /// budget: not a verdict on the submission.
    fn run_one(
        &self,
        subject: &mut dyn Subject,
        scenario: &Scenario<S::Setup, S::Op>,
        run: &Mode,
    ) -> Result<Result<(), String>, Box<Failure>> {
        self.run_one_with(subject, scenario, run, true)
    }

    /// [`Self::run_one`], with the calls stamped by the clock or not (the workload, whose
    /// calls then overlap as much as real threads let them).
    fn run_one_with(
        &self,
        subject: &mut dyn Subject,
        scenario: &Scenario<S::Setup, S::Op>,
        run: &Mode,
        stamped: bool,
    ) -> Result<Result<(), String>, Box<Failure>> {
        let encoded = self.encode_with(scenario, stamped);
        let concurrent = scenario.threads.len() > 1;
        let fail = |verdict, expected: String, actual| {
            Box::new(Failure {
                verdict,
                call: self.show_scenario(scenario),
                encoded: encoded.clone(),
                expected,
                actual,
            })
        };
        let threaded = match subject.call_threads(&encoded, run) {
            Ok(t) => t,
            Err(f) => {
                let expected = "every call returns".to_string();
                return Err(fail(f.verdict, expected, Actual::Failed(f)));
            }
        };
        let Some(history) = self.decode_with(scenario, &threaded.output, stamped) else {
            return Err(fail(
                judge_core::Verdict::WrongAnswer,
                "one result per call".into(),
                Actual::Returned {
                    verdict: judge_core::Verdict::WrongAnswer,
                    summary: "returned something that is not an answer to the calls".into(),
                    shown: format!("<{} bytes>", threaded.output.len()),
                },
            ));
        };
        match self.0.check(&scenario.setup, &history) {
            Ok(()) => Ok(Ok(())),
            Err(Checked::Undecided(reason)) => Ok(Err(reason)),
            Err(Checked::Violated(v)) => {
                let verdict = if concurrent {
                    judge_core::Verdict::RaceDetected
                } else {
                    judge_core::Verdict::WrongAnswer
                };
                let mut shown = if stamped {
                    self.show_history(&history)
                } else {
                    format!(
                        "{} calls on {} threads, not stamped (each may overlap any other)",
                        history.len(),
                        scenario.threads.len()
                    )
                };
                if concurrent && !threaded.trace.is_empty() {
                    shown.push_str(
                        "\n\nthe interleaving (each row a switch point; a thread \
                                    runs until the next row in its column):\n",
                    );
                    shown.push_str(&self.show_interleaving(&history, &threaded));
                }
                if let Mode::Scheduled(Schedule {
                    seed,
                    strategy,
                    fuel_slice,
                }) = run
                {
                    let _ = write!(
                        shown,
                        "\n\nschedule: {}{} (schedule seed {seed})",
                        match strategy {
                            Strategy::Random => "uniformly random".to_string(),
                            Strategy::Pct { depth, .. } => format!("PCT, depth {depth}"),
                        },
                        if *fuel_slice <= TINY_SLICE {
                            format!(
                                ", preempting every 1-{fuel_slice} instructions or plain \
                                 memory accesses"
                            )
                        } else {
                            String::new()
                        }
                    );
                } else {
                    shown.push_str("\n\non real threads");
                }
                let summary = v.summary.clone();
                shown.push_str("\n\n");
                shown.push_str(&v.actual);
                Err(fail(
                    verdict,
                    v.expected,
                    Actual::Returned {
                        verdict,
                        summary,
                        shown,
                    },
                ))
            }
        }
    }

    /// Each thread's calls with their results and logical start/return times.
    fn show_history(&self, history: &[Operation<S::Op, S::Ret>]) -> String {
        let spec = &self.0;
        let mut out = String::from("results (times are the judge's logical clock):");
        // `decode` lists the calls thread by thread, the calls after joining last.
        let mut thread = None;
        for o in history {
            if thread != Some(o.thread) {
                thread = Some(o.thread);
                let _ = write!(out, "\n  thread {}:", thread_label(o.thread));
            }
            let _ = write!(
                out,
                "\n    [{:>3}..{:>3}] {} -> {}",
                o.invoke,
                o.response,
                spec.show_op(&o.op),
                spec.show_ret(&o.ret)
            );
        }
        out
    }

    /// The scheduled run as a table: one column per thread, one row per thread switch,
    /// listing the calls' starts and returns and the switch points inside calls.
    fn show_interleaving(
        &self,
        history: &[Operation<S::Op, S::Ret>],
        threaded: &Threaded,
    ) -> String {
        let spec = &self.0;
        // Clock value -> (scenario thread, text).
        let mut stamps: BTreeMap<u64, (usize, String)> = BTreeMap::new();
        for o in history {
            stamps.insert(o.invoke, (o.thread, format!("> {}", spec.show_op(&o.op))));
            stamps.insert(
                o.response,
                (o.thread, format!("< {}", spec.show_ret(&o.ret))),
            );
        }
        let mut columns: Vec<usize> = Vec::new();
        let mut guest_to_column: BTreeMap<u32, usize> = BTreeMap::new();
        let mut inside: BTreeMap<u32, bool> = BTreeMap::new();
        let mut rows: Vec<(usize, String)> = Vec::new();
        for step in &threaded.trace {
            let text = match &step.event {
                Event::Clock(c) => {
                    let Some((thread, text)) = stamps.get(c) else {
                        continue;
                    };
                    let column = match columns.iter().position(|t| t == thread) {
                        Some(i) => i,
                        None => {
                            columns.push(*thread);
                            columns.len() - 1
                        }
                    };
                    guest_to_column.insert(step.thread, column);
                    inside.insert(step.thread, text.starts_with('>'));
                    text.clone()
                }
                Event::Site(site) if inside.get(&step.thread) == Some(&true) => {
                    let info = threaded.sites.get(site).cloned().unwrap_or_default();
                    let what = &info.what;
                    match candidate_function(&info.function) {
                        Some(f) => format!("  {what} in {f}"),
                        None => format!("  {what}"),
                    }
                }
                Event::Blocked(site) if inside.get(&step.thread) == Some(&true) => {
                    let function = threaded
                        .sites
                        .get(site)
                        .map(|s| s.function.as_str())
                        .unwrap_or_default();
                    match candidate_function(function) {
                        Some(f) => format!("  blocks (waits) in {f}"),
                        None => "  blocks (waits for a lock or a wake-up)".to_string(),
                    }
                }
                Event::Preempted if inside.get(&step.thread) == Some(&true) => {
                    "  preempted".to_string()
                }
                _ => continue,
            };
            let Some(&column) = guest_to_column.get(&step.thread) else {
                continue;
            };
            match rows.last_mut() {
                // Repeats (a spin loop) collapse into one row.
                Some((c, last)) if *c == column && strip_count(last) == text => {
                    *last = bump_count(last);
                }
                _ => rows.push((column, text)),
            }
        }
        let width = 40;
        let mut out = String::new();
        let header: Vec<String> = columns
            .iter()
            .map(|&t| format!("{:<width$}", format!("thread {}", thread_label(t))))
            .collect();
        let _ = writeln!(out, "  {}", header.join(" | ").trim_end());
        let shown = rows.len().min(MAX_ROWS);
        for (column, text) in &rows[..shown] {
            let mut cells = vec![" ".repeat(width); columns.len()];
            let text: String = text.chars().take(width).collect();
            cells[*column] = format!("{text:<width$}");
            let _ = writeln!(out, "  {}", cells.join(" | ").trim_end());
        }
        if rows.len() > shown {
            let _ = writeln!(out, "  ... {} more rows", rows.len() - shown);
        }
        out.trim_end().to_string()
    }

    /// Smaller scenarios than `s`, most promising first.
    fn candidates(&self, s: &Scenario<S::Setup, S::Op>) -> Vec<Scenario<S::Setup, S::Op>> {
        let mut out = Vec::new();
        for t in 0..s.threads.len() {
            let mut c = s.clone();
            c.threads.remove(t);
            out.push(c);
        }
        for t in 0..s.threads.len() {
            for i in 0..s.threads[t].len() {
                let mut c = s.clone();
                c.threads[t].remove(i);
                if c.threads[t].is_empty() {
                    c.threads.remove(t);
                }
                out.push(c);
            }
        }
        for setup in self.0.simpler_setup(&s.setup) {
            out.push(Scenario { setup, ..s.clone() });
        }
        for t in 0..s.threads.len() {
            for i in 0..s.threads[t].len() {
                for op in self.0.simpler_op(&s.threads[t][i]) {
                    let mut c = s.clone();
                    c.threads[t][i] = op;
                    out.push(c);
                }
            }
        }
        out.retain(|c| !c.threads.is_empty());
        out
    }

    /// Finds a smaller scenario that still fails with `verdict` under some schedule.
    fn shrink(
        &self,
        subject: &mut dyn Subject,
        mut scenario: Scenario<S::Setup, S::Op>,
        mut failure: Box<Failure>,
        mut run: Mode,
        plan: &Plan<'_>,
        calls: &mut u32,
    ) -> (Box<Failure>, u32) {
        let started = Instant::now();
        let mut steps = 0;
        let mut salt = 0u64;
        'pass: loop {
            for candidate in self.candidates(&scenario) {
                let calls_in: usize = candidate.threads.iter().map(Vec::len).sum();
                let schedules = if calls_in > LARGE_CANDIDATE {
                    LARGE_SHRINK_SCHEDULES
                } else {
                    SHRINK_SCHEDULES
                };
                for k in 0..schedules {
                    if started.elapsed() > plan.max_shrink_time.min(SHRINK_TIME) {
                        break 'pass;
                    }
                    // The schedule that failed first, then others.
                    let try_run = if k == 0 {
                        run
                    } else {
                        salt += 1;
                        schedule(plan.seed ^ 0x5348_5249_4E4B, salt)
                    };
                    *calls += 1;
                    (plan.progress)(*calls);
                    if let Err(f) = self.run_one(subject, &candidate, &try_run) {
                        if f.verdict == failure.verdict {
                            failure = f;
                            scenario = candidate;
                            run = try_run;
                            steps += 1;
                            continue 'pass;
                        }
                    }
                }
            }
            break;
        }
        (failure, steps)
    }

    /// A contract broken on real threads: a scheduled search (tiny slices every other run,
    /// crowds and stress-sized scenarios) for an interleaving that replays; found, it is
    /// reported (shrunk) with a note; otherwise the real-thread failure is, saying that it
    /// cannot be replayed.
    #[allow(clippy::too_many_arguments)]
    fn after_real_threads(
        &self,
        subject: &mut dyn Subject,
        scenario: Scenario<S::Setup, S::Op>,
        mut failure: Box<Failure>,
        plan: &Plan<'_>,
        calls: &mut u32,
        passed_before: u32,
        found_after_ms: u64,
    ) -> Outcome {
        let started = Instant::now();
        let race = failure.verdict == judge_core::Verdict::RaceDetected;
        let mut rng = Rng::new(plan.seed ^ 0x5345_4152_4348);
        let mut tried = 0;
        while race && tried < SEARCH_RUNS && started.elapsed() < SEARCH_TIME {
            let shape = match tried % 3 {
                0 => CROWD,
                1 => STRESS,
                _ => SMALL,
            };
            let candidate = self.generate(&mut rng, shape);
            let run = search_schedule(plan.seed, tried);
            tried += 1;
            *calls += 1;
            (plan.progress)(*calls);
            let Err(found) = self.run_one(subject, &candidate, &run) else {
                continue;
            };
            if found.verdict != failure.verdict {
                continue;
            }
            let mut outcome = self.fail(
                subject,
                candidate,
                found,
                run,
                plan,
                calls,
                passed_before,
                found_after_ms,
            );
            if let Outcome::Failed(c) = &mut outcome {
                if let Actual::Returned { shown, .. } = &mut c.actual {
                    *shown = format!(
                        "first found on real threads ({NOT_REPLAYABLE}); the scheduler then \
                         found this interleaving after {tried} runs, and `--seed` replays it\n\n\
                         {shown}"
                    );
                }
            }
            return outcome;
        }
        if let Actual::Returned { shown, .. } = &mut failure.actual {
            let _ = write!(
                shown,
                "\n\n{NOT_REPLAYABLE}; {tried} scheduled runs after it found no interleaving \
                 that replays"
            );
        }
        self.fail(
            subject,
            scenario,
            failure,
            Mode::Free { seed: plan.seed },
            plan,
            calls,
            passed_before,
            found_after_ms,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn fail(
        &self,
        subject: &mut dyn Subject,
        scenario: Scenario<S::Setup, S::Op>,
        failure: Box<Failure>,
        run: Mode,
        plan: &Plan<'_>,
        calls: &mut u32,
        passed_before: u32,
        found_after_ms: u64,
    ) -> Outcome {
        let shrinkable = match &failure.actual {
            Actual::Failed(f) => f.shrinkable,
            Actual::Returned { .. } => true,
        };
        // A failure on real threads has no schedule to shrink under.
        let replays = matches!(run, Mode::Scheduled(_));
        let (failure, shrink_steps) = if shrinkable && replays {
            self.shrink(subject, scenario, failure, run, plan, calls)
        } else {
            (failure, 0)
        };
        Outcome::Failed(Box::new(Counterexample {
            call: failure.call,
            encoded: failure.encoded,
            expected: failure.expected,
            actual: failure.actual,
            passed_before,
            shrink_steps,
            found_after_ms,
        }))
    }
}

/// The candidate's own function a switch point is in, shortened; `None` for the standard
/// library and the judge's harness.
fn candidate_function(function: &str) -> Option<String> {
    let rest = function
        .strip_prefix(crate::SOLUTION_CRATE)?
        .strip_prefix("::")?;
    if rest.starts_with("__judge") {
        return None;
    }
    let rest = rest.strip_prefix('<').unwrap_or(rest);
    Some(rest.to_string())
}

fn strip_count(row: &str) -> &str {
    match row.rfind("  (x") {
        Some(i) if row.ends_with(')') => &row[..i],
        _ => row,
    }
}

fn bump_count(row: &str) -> String {
    let base = strip_count(row);
    let n: u64 = row[base.len()..]
        .trim_start_matches("  (x")
        .trim_end_matches(')')
        .parse()
        .unwrap_or(1);
    format!("{base}  (x{})", n + 1)
}

/// Stress-sized scenarios after the plan's cases.
const STRESS_CASES: u32 = 8;

/// The shape of scenario `case` of a run of `cases`.
fn shape_of(case: u32, cases: u32) -> Shape {
    let sequential = (cases / 5).max(1);
    if case < sequential {
        Shape {
            threads: (1, 1),
            calls: (1, 30),
        }
    } else if case < cases && matches!(case % 16, 4 | 10) {
        // Under uniform random schedules (`schedule`: index 4k) and tiny slices
        // (4k + 2): PCT runs one thread at a time, and a crowd would not overlap.
        CROWD
    } else if case < cases {
        SMALL
    } else {
        STRESS
    }
}

/// Calls per thread of the real-thread rounds that end a run.
const FREE_SHAPE: Shape = Shape {
    threads: (4, 4),
    calls: (150, 150),
};

impl<S: ConcurrentSpec> Suite for Concurrent<S> {
    fn coverage(&self, cases: u32, seed: u64) -> Coverage {
        // The same draws as `run`: the scheduled scenarios, then the real-thread rounds.
        let mut rng = Rng::new(seed);
        let scheduled: Vec<_> = (0..cases + STRESS_CASES)
            .map(|case| self.generate(&mut rng, shape_of(case, cases)))
            .collect();
        let free = (0..2).map(|_| self.generate(&mut rng, FREE_SHAPE));
        let all: Vec<_> = scheduled.into_iter().chain(free).collect();
        Coverage::of(self.0.boundaries(), all, |s| self.0.hits(s))
    }

    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome {
        let started = Instant::now();
        let mut rng = Rng::new(plan.seed);
        let mut calls = 0u32;
        // A fifth single-threaded (the sequential semantics, reported as wrong answers),
        // the rest small concurrent scenarios, then a few stress-sized ones, each under
        // its own schedule; last, real threads.
        let total = plan.cases + STRESS_CASES;
        for case in 0..total {
            let scenario = self.generate(&mut rng, shape_of(case, plan.cases));
            let run = schedule(plan.seed, u64::from(case));
            if started.elapsed() > plan.budget {
                return Outcome::Failed(Box::new(Counterexample {
                    call: self.show_scenario(&scenario),
                    encoded: self.encode(&scenario),
                    expected: "every call returns".into(),
                    actual: Actual::Failed(plan.over_budget()),
                    passed_before: case,
                    shrink_steps: 0,
                    found_after_ms: started.elapsed().as_millis() as u64,
                }));
            }
            calls += 1;
            (plan.progress)(calls);
            match self.run_one(subject, &scenario, &run) {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => return Outcome::Aborted(reason),
                Err(failure) => {
                    let found = started.elapsed().as_millis() as u64;
                    return self.fail(
                        subject, scenario, failure, run, plan, &mut calls, case, found,
                    );
                }
            }
        }
        // Real threads, for what the scheduler's switch points cannot reach.
        for round in 0..2u64 {
            let scenario = self.generate(&mut rng, FREE_SHAPE);
            let run = Mode::Free {
                seed: plan.seed ^ round,
            };
            calls += 1;
            (plan.progress)(calls);
            match self.run_one(subject, &scenario, &run) {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => return Outcome::Aborted(reason),
                Err(failure) => {
                    let found = started.elapsed().as_millis() as u64;
                    return self.after_real_threads(
                        subject, scenario, failure, plan, &mut calls, total, found,
                    );
                }
            }
        }
        // The workload on real threads without a host call between calls, so that they
        // overlap as much as the machine lets them.
        let mut cases = total + 2;
        if let Some(scenario) = self.0.workload(REAL_THREAD_WORKLOAD, plan.seed) {
            calls += 1;
            cases += 1;
            (plan.progress)(calls);
            let run = Mode::Free {
                seed: plan.seed ^ 2,
            };
            match self.run_one_with(subject, &scenario, &run, false) {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => return Outcome::Aborted(reason),
                // A design slow per call (a thread per call, say) may not finish this many
                // within the case's wall clock: that says nothing about its correctness, and
                // the scenarios have shown that every call returns.
                Err(failure)
                    if failure.verdict == judge_core::Verdict::TimeLimitExceeded
                        && matches!(failure.actual, Actual::Failed(_)) => {}
                Err(mut failure) => {
                    failure.call = self.0.describe_workload(REAL_THREAD_WORKLOAD);
                    let found = started.elapsed().as_millis() as u64;
                    return self.after_real_threads(
                        subject,
                        scenario,
                        failure,
                        plan,
                        &mut calls,
                        total + 2,
                        found,
                    );
                }
            }
        }
        Outcome::Passed { cases }
    }

    fn threaded(&self) -> bool {
        true
    }

    fn workload(&self, n: u32, seed: u64) -> Option<Vec<u8>> {
        self.0
            .workload(n, seed)
            .map(|s| self.encode_with(&s, false))
    }

    fn check_workload(&self, n: u32, seed: u64, output: &[u8]) -> Result<(), crate::Mismatch> {
        let Some(scenario) = self.0.workload(n, seed) else {
            return Ok(());
        };
        let Some(history) = self.decode_with(&scenario, output, false) else {
            return Err(crate::Mismatch {
                verdict: judge_core::Verdict::WrongAnswer,
                summary: "the throughput workload's answer is not an answer to its calls".into(),
                call: None,
                expected: "one result per call".into(),
                actual: format!("<{} bytes that are not an answer>", output.len()),
            });
        };
        match self.0.check(&scenario.setup, &history) {
            // Several threads broke the contract together: a race, on real threads.
            Err(Checked::Violated(v)) => Err(crate::Mismatch {
                verdict: if scenario.threads.len() > 1 {
                    judge_core::Verdict::RaceDetected
                } else {
                    judge_core::Verdict::WrongAnswer
                },
                summary: format!("on real threads: {}", v.summary),
                call: None,
                expected: v.expected,
                actual: format!("{}\n\n{NOT_REPLAYABLE}", v.actual),
            }),
            _ => Ok(()),
        }
    }

    fn describe_workload(&self, n: u32) -> String {
        self.0.describe_workload(n)
    }

    fn small_cases(&self, seed: u64) -> Vec<Vec<u8>> {
        let scenarios = self.small_scenarios(seed);
        scenarios.iter().map(|s| self.encode(s)).collect()
    }

    fn run_small(&self, subject: &mut dyn Subject, seed: u64) -> Outcome {
        self.run_small_scenarios(subject, seed)
    }
}

/// Scenarios per memory-model run, and their shape: small, since Miri interprets them.
const SMALL_SCENARIOS: usize = 4;
const SMALL_SHAPE: Shape = Shape {
    threads: (2, 4),
    calls: (1, 3),
};

impl<S: ConcurrentSpec> Concurrent<S> {
    /// The memory-model tier's scenarios (judge/src/miri.rs), from a seed of their own.
    fn small_scenarios(&self, seed: u64) -> Vec<Scenario<S::Setup, S::Op>> {
        let mut rng = Rng::new(seed ^ 0x4D49_5249);
        (0..SMALL_SCENARIOS)
            .map(|_| self.generate(&mut rng, SMALL_SHAPE))
            .collect()
    }

    fn run_small_scenarios(&self, subject: &mut dyn Subject, seed: u64) -> Outcome {
        let started = Instant::now();
        let scenarios = self.small_scenarios(seed);
        for (case, scenario) in scenarios.iter().enumerate() {
            // The subject interprets the scenario: no schedule of the judge's applies.
            match self.run_one(subject, scenario, &Mode::Free { seed }) {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => return Outcome::Aborted(reason),
                Err(failure) => {
                    let Failure {
                        call,
                        encoded,
                        expected,
                        mut actual,
                        ..
                    } = *failure;
                    if let Actual::Returned { shown, .. } = &mut actual {
                        *shown = shown.replacen(
                            "\n\non real threads",
                            "\n\nunder Miri, with Rust's memory model (weak memory emulated)",
                            1,
                        );
                    }
                    return Outcome::Failed(Box::new(Counterexample {
                        call,
                        encoded,
                        expected,
                        actual,
                        passed_before: case as u32,
                        shrink_steps: 0,
                        found_after_ms: started.elapsed().as_millis() as u64,
                    }));
                }
            }
        }
        Outcome::Passed {
            cases: scenarios.len() as u32,
        }
    }
}

/// A thread of a deadlock report: "the main thread" or "thread N" (the scenario's threads
/// are spawned in order, so guest thread N runs the scenario's thread N).
fn guest_thread(thread: u32) -> String {
    match thread {
        0 => "the main thread".to_string(),
        t => format!("thread {t}"),
    }
}

/// "A", "B", ... "Z", "AA" ...: the name a deadlock report gives the `i`-th lock.
fn lock_name(i: usize) -> String {
    let mut name = String::new();
    let mut i = i + 1;
    while i > 0 {
        i -= 1;
        name.insert(0, (b'A' + (i % 26) as u8) as char);
        i /= 26;
    }
    name
}

/// A function for a deadlock report: the candidate's own shortened, else as it is.
fn shown_function(function: &str) -> String {
    candidate_function(function).unwrap_or_else(|| function.to_string())
}

/// The hint for a deadlock the scheduler explained with locks: about lock order when
/// threads wait for each other, about re-locking when one waits for itself.
pub fn deadlock_hint(locks: &judge_core::LockReport) -> Option<&'static str> {
    match locks.cycle.len() {
        0 => None,
        1 => Some(
            "a thread waits for a lock it already holds: std's Mutex is not reentrant, so drop the guard (or pass the locked data along) before calling code that locks the same Mutex again",
        ),
        _ => Some(
            "the threads took the same locks in different orders: make every thread take the locks it needs in one fixed order (for example by the locks' position or an id), or hold only one lock at a time",
        ),
    }
}

/// The message of a deadlock: its first line says what waits for what; then each blocked
/// thread with the locks it holds and the one it waits for (named A, B, ... with the
/// function that took or tried to take each), the lock steps that led there, oldest first,
/// and the fix when the waits form a cycle. Without a [`judge_core::LockReport`] (waits on
/// words no thread took: a `Condvar`, a `join`), the blocked threads only.
pub fn describe_deadlock(
    threads: &[(u32, Option<u32>)],
    locks: Option<&judge_core::LockReport>,
) -> String {
    use judge_core::LockEvent;
    let plain = || {
        let waiting: Vec<String> = threads.iter().map(|(t, _)| guest_thread(*t)).collect();
        format!(
            "deadlock: every thread is blocked waiting ({}) and nothing can wake them",
            waiting.join(", ")
        )
    };
    let Some(locks) = locks else {
        return plain();
    };
    // Names in the order the locks first appear: in the steps, then in the threads.
    let mut words: Vec<u64> = Vec::new();
    let name = |word: u64, words: &mut Vec<u64>| {
        let i = match words.iter().position(|&w| w == word) {
            Some(i) => i,
            None => {
                words.push(word);
                words.len() - 1
            }
        };
        lock_name(i)
    };
    for step in &locks.steps {
        if let LockEvent::Locked(w) | LockEvent::Unlocked(w) | LockEvent::Waits(w) = step.event {
            name(w, &mut words);
        }
    }
    for t in &locks.threads {
        for u in t.holds.iter().chain(&t.waits_for) {
            name(u.address, &mut words);
        }
    }
    let mut out = match locks.cycle.as_slice() {
        [] => plain(),
        [t] => {
            let waits = locks
                .threads
                .iter()
                .find(|x| x.thread == *t)
                .and_then(|x| x.waits_for.as_ref())
                .map(|w| name(w.address, &mut words))
                .unwrap_or_default();
            format!(
                "deadlock: {} waits for lock {waits}, which it holds itself",
                guest_thread(*t)
            )
        }
        [a, b] => format!(
            "deadlock: {} and {} each wait for a lock the other holds",
            guest_thread(*a),
            guest_thread(*b)
        ),
        cycle => {
            let names: Vec<String> = cycle.iter().map(|t| guest_thread(*t)).collect();
            format!(
                "deadlock: {} each wait for a lock the next one holds, and the last for the first's",
                names.join(", ")
            )
        }
    };
    out.push('\n');
    for t in &locks.threads {
        let mut line = format!("  {}", guest_thread(t.thread));
        if !t.holds.is_empty() {
            let held: Vec<String> = t
                .holds
                .iter()
                .map(|u| {
                    format!(
                        "lock {} (taken in {})",
                        name(u.address, &mut words),
                        shown_function(&u.function)
                    )
                })
                .collect();
            let _ = write!(line, " holds {} and", held.join(", "));
        }
        match &t.waits_for {
            Some(w) => {
                let _ = write!(
                    line,
                    " waits for lock {} (in {})",
                    name(w.address, &mut words),
                    shown_function(&w.function)
                );
                match t.holder {
                    Some(h) if h == t.thread => line.push_str(", which it holds itself"),
                    Some(h) => {
                        let _ = write!(line, ", which {} holds", guest_thread(h));
                    }
                    None => {}
                }
            }
            None => line.push_str(" waits for a wake-up no thread will send (a join, a Condvar)"),
        }
        out.push_str(&line);
        out.push('\n');
    }
    if !locks.steps.is_empty() {
        let addresses: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{} at {w:#x}", lock_name(i)))
            .collect();
        let _ = writeln!(
            out,
            "\nthe lock steps that led there, oldest first{} (locks are words in memory: {}):",
            if locks.earlier_steps > 0 {
                format!(" ({} earlier ones not shown)", locks.earlier_steps)
            } else {
                String::new()
            },
            addresses.join(", ")
        );
        for step in &locks.steps {
            let what = match step.event {
                LockEvent::Locked(w) => format!("locks {}", name(w, &mut words)),
                LockEvent::Unlocked(w) => format!("unlocks {}", name(w, &mut words)),
                LockEvent::Waits(w) => format!("waits for {}", name(w, &mut words)),
                LockEvent::Stamp(n) if step.thread == 0 => {
                    format!(
                        "{} a call after the join",
                        if n % 2 == 1 { "starts" } else { "returns from" }
                    )
                }
                LockEvent::Stamp(n) if n % 2 == 1 => format!("starts call {}", n.div_ceil(2)),
                LockEvent::Stamp(n) => format!("returns from call {}", n / 2),
            };
            let thread = guest_thread(step.thread);
            if step.function.is_empty() {
                let _ = writeln!(out, "  {thread:<16} {what}");
            } else {
                let _ = writeln!(
                    out,
                    "  {thread:<16} {what:<12} in {}",
                    shown_function(&step.function)
                );
            }
        }
    }
    if let Some(hint) = deadlock_hint(locks) {
        let _ = write!(out, "\nto fix it: {hint}");
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod deadlock_tests {
    use super::*;
    use judge_core::{LockEvent, LockReport, LockStep, LockUse, LockedThread};

    fn used(address: u64, function: &str) -> LockUse {
        LockUse {
            address,
            function: format!("{}::{function}", crate::SOLUTION_CRATE),
        }
    }

    fn step(thread: u32, event: LockEvent) -> LockStep {
        LockStep {
            thread,
            event,
            function: match event {
                LockEvent::Stamp(_) => String::new(),
                _ => format!("{}::Bank::transfer", crate::SOLUTION_CRATE),
            },
        }
    }

    #[test]
    fn without_locks_the_blocked_threads_are_named() {
        assert_eq!(
            describe_deadlock(&[(0, None), (2, Some(7))], None),
            "deadlock: every thread is blocked waiting (the main thread, thread 2) and nothing can wake them"
        );
    }

    #[test]
    fn two_threads_waiting_for_each_other_get_their_locks_steps_and_the_order_fix() {
        let locks = LockReport {
            threads: vec![
                LockedThread {
                    thread: 0,
                    ..Default::default()
                },
                LockedThread {
                    thread: 1,
                    holds: vec![used(0x10, "Bank::transfer")],
                    waits_for: Some(used(0x20, "Bank::transfer")),
                    holder: Some(2),
                },
                LockedThread {
                    thread: 2,
                    holds: vec![used(0x20, "Bank::transfer")],
                    waits_for: Some(used(0x10, "Bank::transfer")),
                    holder: Some(1),
                },
            ],
            cycle: vec![1, 2],
            steps: vec![
                step(1, LockEvent::Stamp(1)),
                step(1, LockEvent::Locked(0x10)),
                step(2, LockEvent::Stamp(1)),
                step(2, LockEvent::Locked(0x20)),
                step(1, LockEvent::Waits(0x20)),
                step(2, LockEvent::Waits(0x10)),
            ],
            earlier_steps: 0,
        };
        let text = describe_deadlock(&[(0, None), (1, Some(3)), (2, Some(3))], Some(&locks));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "deadlock: thread 1 and thread 2 each wait for a lock the other holds"
        );
        assert_eq!(
            lines[1],
            "  the main thread waits for a wake-up no thread will send (a join, a Condvar)"
        );
        assert_eq!(
            lines[2],
            "  thread 1 holds lock A (taken in Bank::transfer) and waits for lock B (in Bank::transfer), which thread 2 holds"
        );
        assert_eq!(
            lines[3],
            "  thread 2 holds lock B (taken in Bank::transfer) and waits for lock A (in Bank::transfer), which thread 1 holds"
        );
        assert!(
            text.contains("locks are words in memory: A at 0x10, B at 0x20"),
            "{text}"
        );
        for row in [
            "  thread 1         starts call 1",
            "  thread 1         locks A      in Bank::transfer",
            "  thread 2         waits for A  in Bank::transfer",
        ] {
            assert!(lines.contains(&row), "{row:?} missing from:\n{text}");
        }
        assert!(
            text.ends_with(deadlock_hint(&locks).unwrap()) && text.contains("in different orders"),
            "{text}"
        );
    }

    #[test]
    fn a_thread_waiting_for_its_own_lock_is_told_the_mutex_is_not_reentrant() {
        let locks = LockReport {
            threads: vec![LockedThread {
                thread: 0,
                holds: vec![used(0x40, "Cache::put")],
                waits_for: Some(used(0x40, "Cache::len")),
                holder: Some(0),
            }],
            cycle: vec![0],
            steps: Vec::new(),
            earlier_steps: 0,
        };
        let text = describe_deadlock(&[(0, Some(1))], Some(&locks));
        assert!(
            text.starts_with("deadlock: the main thread waits for lock A, which it holds itself\n"),
            "{text}"
        );
        assert!(
            text.contains("(in Cache::len), which it holds itself"),
            "{text}"
        );
        assert!(text.contains("not reentrant"), "{text}");
        assert_eq!(lock_name(0), "A");
        assert_eq!(lock_name(25), "Z");
        assert_eq!(lock_name(26), "AA");
    }
}
