//! Performance gates: complexity from counted work (fuel at growing sizes, the growth
//! exponent fitted on a log-log scale), and throughput as the median time ratio against
//! the reference, both programs in the same worker process, interleaved A B A B.
//!
//! Fuel is deterministic (same module, input and seed give the same count), so the
//! complexity verdict is the same on every machine and every run; the throughput ratio is
//! wall-clock time and is the noisier second signal. The contention gate (concurrent
//! exercises) counts, under the judge's scheduler, the atomic updates that find their cache
//! line last written by another thread: deterministic too.

use judge_exercises::{Complexity, Contention, Mismatch, Suite, Throughput};
use judge_sandbox::worker::Worker;
use judge_sandbox::{CallReport, Fault, Limits, Mode, SandboxError, Schedule, Strategy};
use serde::Serialize;
use std::time::Duration;

/// How far over the bound (in exponent) three or more sizes must be to stop measuring.
const EARLY_STOP_EXCESS: f64 = 0.4;

/// Smallest size probed below the declared ones.
const MIN_PROBE_SIZE: u32 = 16;

/// Program slots in the worker.
pub const SUBMISSION: u8 = 0;
pub const REFERENCE: u8 = 1;

/// What the complexity gate measured.
#[derive(Clone, Debug, Serialize)]
pub struct ComplexityReport {
    /// Sizes measured, in order (fewer than configured when a budget ran out).
    pub sizes: Vec<u32>,
    pub fuel: Vec<u64>,
    pub reference_fuel: Vec<u64>,
    /// Fitted exponent of the submission's fuel (None with fewer than two sizes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exponent: Option<f64>,
    pub reference_exponent: f64,
    pub max_exponent: f64,
    pub bound: String,
    /// The size whose fuel budget the submission used up, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_exhausted_at: Option<u32>,
    /// That budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<u64>,
    /// The size where the wall clock, not fuel, stopped the submission (an overloaded
    /// machine or a loop that spends no fuel): measuring ended there without a verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inconclusive_at: Option<u32>,
}

impl ComplexityReport {
    /// The gate's decision: no budget ran out, and the fitted exponent is within the
    /// bound; with nothing fitted, only a measurement the wall clock cut short passes
    /// (fuel, not the machine, decides a rejection).
    pub fn passes(&self) -> bool {
        self.budget_exhausted_at.is_none()
            && match self.exponent {
                Some(e) => e <= self.max_exponent,
                None => self.inconclusive_at.is_some(),
            }
    }

    /// Whether the measurements show growth faster than the bound (at least two sizes
    /// fitted over it), as opposed to a budget that ran out with nothing to compare.
    pub fn shows_growth_over_bound(&self) -> bool {
        self.exponent.is_some_and(|e| e > self.max_exponent)
    }
}

/// What the throughput gate measured.
#[derive(Clone, Debug, Serialize)]
pub struct ThroughputReport {
    pub size: u32,
    /// Median time of the submission over the reference's.
    pub ratio: f64,
    pub tolerance: f64,
    pub submission_ns: Vec<u64>,
    pub reference_ns: Vec<u64>,
    pub passed: bool,
    /// The submission did not finish the workload within the time limit: `ratio` is a
    /// lower bound (the limit over the reference's time).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

/// What the contention gate counted: over `schedules` scheduled runs of the workload,
/// the atomic read-modify-writes and compare-exchanges (lock acquisitions and releases
/// included) whose 64-byte line another thread wrote last, per update of the workload.
#[derive(Clone, Debug, Serialize)]
pub struct ContentionReport {
    /// The workload's size: its number of updates.
    pub size: u32,
    pub schedules: u32,
    /// Contended atomic updates per update of the workload.
    pub figure: f64,
    pub reference_figure: f64,
    /// The largest accepted figure above the reference's.
    pub tolerance: f64,
    /// The submission's counts behind `figure`, over every schedule: atomic updates made,
    /// and the contended ones.
    pub updates: u64,
    pub contended: u64,
    pub passed: bool,
}

/// The gates' measurements, as far as they got. As JSON: `complexity` (with the gate's
/// decision, `passed`), `throughput`, `contention`, and `notes` ([`Performance::notes`])
/// when there are any.
#[derive(Clone, Debug, Default)]
pub struct Performance {
    pub complexity: Option<ComplexityReport>,
    pub throughput: Option<ThroughputReport>,
    pub contention: Option<ContentionReport>,
}

/// A fitted exponent this far below the reference's is far less work than the task needs.
const FAR_BELOW_EXPONENT: f64 = 0.5;
/// Fuel at the largest size below this share of the reference's is far less work too.
const FAR_BELOW_FUEL: f64 = 1.0 / 50.0;
/// A throughput ratio below this is far less work than the reference's.
const FAR_BELOW_RATIO: f64 = 0.1;

impl Performance {
    /// Measurements far below the reference's, in words: a fitted exponent well under the
    /// reference's, fuel a small fraction of it, or a time ratio under 0.1x. The judge
    /// reports them and rejects nothing for them: a solution may be legitimately faster
    /// than the reference, and the workloads are drawn from the run's seed and the file, so a table of
    /// answers cannot pass the gates anyway; a note lets a reviewer look.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(c) = &self.complexity {
            let last = c.fuel.len().checked_sub(1);
            let fuel_share = last.and_then(|i| {
                let reference = *c.reference_fuel.get(i)?;
                (reference > 0).then(|| c.fuel[i] as f64 / reference as f64)
            });
            let exponent_far_below = c
                .exponent
                .is_some_and(|e| e < c.reference_exponent - FAR_BELOW_EXPONENT);
            if exponent_far_below || fuel_share.is_some_and(|r| r < FAR_BELOW_FUEL) {
                notes.push(format!(
                    "the judge measured far less work than the reference does (fuel n^{:.2} against the reference's n^{:.2}, {:.3}x its fuel at n = {}); reported, not rejected: check that the solution computes its answers (a table of precomputed answers does not)",
                    c.exponent.unwrap_or(0.0),
                    c.reference_exponent,
                    fuel_share.unwrap_or(0.0),
                    thousands(u64::from(c.sizes.last().copied().unwrap_or(0)))
                ));
            }
        }
        if let Some(t) = &self.throughput {
            if !t.timed_out && t.ratio < FAR_BELOW_RATIO {
                notes.push(format!(
                    "the judge measured far less work than the reference does ({:.2}x the reference's time at n = {}); reported, not rejected: check that the solution computes its answers (a table of precomputed answers does not)",
                    t.ratio,
                    thousands(u64::from(t.size))
                ));
            }
        }
        notes
    }
}

impl Serialize for Performance {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(
                skip_serializing_if = "Option::is_none",
                serialize_with = "with_decision"
            )]
            complexity: &'a Option<ComplexityReport>,
            #[serde(skip_serializing_if = "Option::is_none")]
            throughput: &'a Option<ThroughputReport>,
            #[serde(skip_serializing_if = "Option::is_none")]
            contention: &'a Option<ContentionReport>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            notes: Vec<String>,
        }
        Shown {
            complexity: &self.complexity,
            throughput: &self.throughput,
            contention: &self.contention,
            notes: self.notes(),
        }
        .serialize(serializer)
    }
}

/// The complexity report as JSON, with the gate's decision (`passed`, from
/// [`ComplexityReport::passes`]) after its measurements.
#[allow(clippy::ref_option)]
fn with_decision<S: serde::Serializer>(
    report: &&Option<ComplexityReport>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct WithDecision<'a> {
        #[serde(flatten)]
        report: &'a ComplexityReport,
        passed: bool,
    }
    report
        .as_ref()
        .map(|report| WithDecision {
            report,
            passed: report.passes(),
        })
        .serialize(serializer)
}

/// A gate's call that did not produce a measurement.
pub enum GateFailure {
    /// The submission answered the workload wrongly.
    Wrong {
        size: u32,
        mismatch: Mismatch,
    },
    /// The submission failed the call (trap, memory, output...).
    Failed {
        size: u32,
        report: CallReport,
    },
    /// The reference failed its own workload: the package is broken.
    Reference(String),
    Sandbox(SandboxError),
}

impl From<SandboxError> for GateFailure {
    fn from(e: SandboxError) -> Self {
        GateFailure::Sandbox(e)
    }
}

/// The seed a run's performance workloads are drawn from: the run's seed and the
/// submission's text together. The run's seed alone is the exercise's default in most runs,
/// so answers tabled for it would pass; a workload drawn from the file itself cannot be
/// tabled in that file (its answers would change the file and so the workload). The same
/// file with the same `--seed` gets the same workloads, so a run replays exactly.
pub fn workload_seed(seed: u64, source: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(seed.to_le_bytes())
        .chain_update(source.as_bytes())
        .finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes of a SHA-256 digest"))
}

/// Least-squares slope of ln(fuel) against ln(n).
pub fn fit_exponent(sizes: &[u32], fuel: &[u64]) -> Option<f64> {
    let points: Vec<(f64, f64)> = sizes
        .iter()
        .zip(fuel)
        .map(|(&n, &f)| (f64::from(n).ln(), (f.max(1) as f64).ln()))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let k = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / k;
    let my = points.iter().map(|p| p.1).sum::<f64>() / k;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Limits of a gate call: fuel is the binding limit, so the wall clock gets room to spare
/// (a call stopped by the wall clock would make the verdict depend on the machine).
fn gate_limits(limits: &Limits, fuel: u64) -> Limits {
    Limits {
        fuel,
        wall: limits.wall * 4,
        ..*limits
    }
}

/// Runs the complexity gate. The worker holds the submission in [`SUBMISSION`] and the
/// reference in [`REFERENCE`]; `seeds` are the run's seed (the guest's random source) and
/// the workloads' ([`workload_seed`]). Only fuel decides: a size stopped by the wall clock is
/// retried once when `retry_wall_clock`, and otherwise ends the measurement without a
/// verdict from it.
pub fn complexity(
    suite: &dyn Suite,
    gate: &Complexity,
    worker: &mut Worker,
    limits: &Limits,
    seeds: (u64, u64),
    retry_wall_clock: bool,
) -> Result<ComplexityReport, GateFailure> {
    let mut report = ComplexityReport {
        sizes: Vec::new(),
        fuel: Vec::new(),
        reference_fuel: Vec::new(),
        exponent: None,
        reference_exponent: 0.0,
        max_exponent: gate.max_exponent,
        bound: gate.bound.clone(),
        budget_exhausted_at: None,
        budget: None,
        inconclusive_at: None,
    };
    let mut reference_sizes = Vec::new();
    for &n in &gate.sizes {
        let reference_only = report.budget_exhausted_at.is_some();
        let m = measure(
            suite,
            gate,
            worker,
            limits,
            seeds,
            n,
            retry_wall_clock,
            reference_only,
        )?;
        reference_sizes.push(n);
        report.reference_fuel.push(m.reference_fuel);
        match m.submission {
            // The submission stopped; the reference's fit still uses every size.
            None => {}
            Some(Ok(fuel)) => {
                report.sizes.push(n);
                report.fuel.push(fuel);
                // Far over the bound on three sizes or more: the larger sizes would only
                // cost the candidate seconds to say the same.
                if report.sizes.len() >= 3
                    && fit_exponent(&report.sizes, &report.fuel)
                        .is_some_and(|e| e > gate.max_exponent + EARLY_STOP_EXCESS)
                {
                    break;
                }
            }
            Some(Err(Fault::WallClock)) => {
                report.inconclusive_at = Some(n);
                break;
            }
            Some(Err(_)) => {
                report.budget_exhausted_at = Some(n);
                report.budget = Some(m.budget);
            }
        }
    }
    // No growth to fit: the budget ran out before two sizes. Probe below the smallest
    // declared size (n/2, n/4, ...) until two sizes fit, so that a quadratic solution is
    // still measured as one, and a solution that never finishes shows no growth at all.
    if report.budget_exhausted_at.is_some() && report.sizes.len() < 2 {
        let mut probes: Vec<(u32, u64, u64)> = Vec::new();
        let mut n = gate.sizes[0] / 2;
        while report.sizes.len() + probes.len() < 2 && n >= MIN_PROBE_SIZE {
            let m = measure(suite, gate, worker, limits, seeds, n, false, false)?;
            match m.submission {
                Some(Ok(fuel)) => probes.push((n, fuel, m.reference_fuel)),
                Some(Err(Fault::OutOfFuel)) => {}
                // Not spending fuel (blocked, or a loop without instructions): nothing
                // to measure.
                _ => break,
            }
            n /= 2;
        }
        if report.sizes.len() + probes.len() >= 2 {
            probes.reverse();
            for (i, (n, f, r)) in probes.into_iter().enumerate() {
                report.sizes.insert(i, n);
                report.fuel.insert(i, f);
                report.reference_fuel.insert(i, r);
                reference_sizes.insert(i, n);
            }
        }
    }
    report.reference_exponent =
        fit_exponent(&reference_sizes, &report.reference_fuel).unwrap_or(0.0);
    report.exponent = fit_exponent(&report.sizes, &report.fuel);
    Ok(report)
}

/// One size of the complexity workload: the reference's fuel, the submission's budget,
/// and what the submission did (`None` when only the reference was measured).
struct Measured {
    reference_fuel: u64,
    budget: u64,
    /// Its fuel, or the fault that stopped it (out of fuel, wall clock, blocked).
    submission: Option<Result<u64, Fault>>,
}

#[allow(clippy::too_many_arguments)]
fn measure(
    suite: &dyn Suite,
    gate: &Complexity,
    worker: &mut Worker,
    limits: &Limits,
    (seed, workload_seed): (u64, u64),
    n: u32,
    retry_wall_clock: bool,
    reference_only: bool,
) -> Result<Measured, GateFailure> {
    let Some(input) = suite.workload(n, workload_seed) else {
        return Err(GateFailure::Reference(format!(
            "the exercise declares [complexity] but its suite has no workload of size {n}"
        )));
    };
    let reference = worker.call_slot(REFERENCE, &input, &gate_limits(limits, limits.fuel), seed)?;
    if let Err(fault) = &reference.result {
        return Err(GateFailure::Reference(format!(
            "the reference failed {}: {fault:?}",
            suite.describe_workload(n)
        )));
    }
    let budget = reference
        .fuel
        .saturating_mul(gate.budget_factor)
        .min(limits.fuel);
    let mut measured = Measured {
        reference_fuel: reference.fuel,
        budget,
        submission: None,
    };
    if reference_only {
        return Ok(measured);
    }
    let mut call = worker.call_slot(SUBMISSION, &input, &gate_limits(limits, budget), seed)?;
    if matches!(call.result, Err(Fault::WallClock)) && retry_wall_clock {
        // Stopped by the wall clock before its fuel budget: an overloaded machine, not a
        // measurement. Once more, then no verdict from this size.
        call = worker.call_slot(SUBMISSION, &input, &gate_limits(limits, budget), seed)?;
    }
    measured.submission = Some(match call.result {
        Ok(ref output) => {
            if let Err(mismatch) = suite.check_workload(n, workload_seed, output) {
                return Err(GateFailure::Wrong { size: n, mismatch });
            }
            Ok(call.fuel)
        }
        Err(fault @ (Fault::OutOfFuel | Fault::WallClock | Fault::Blocked)) => Err(fault),
        Err(_) => {
            return Err(GateFailure::Failed {
                size: n,
                report: call,
            });
        }
    });
    Ok(measured)
}

fn median(v: &[u64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_unstable();
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0
    }
}

/// Runs the throughput gate: one warm-up call each, then `rounds` interleaved calls.
pub fn throughput(
    suite: &dyn Suite,
    gate: &Throughput,
    worker: &mut Worker,
    limits: &Limits,
    (seed, workload_seed): (u64, u64),
) -> Result<ThroughputReport, GateFailure> {
    let n = gate.size;
    let Some(input) = suite.workload(n, workload_seed) else {
        return Err(GateFailure::Reference(format!(
            "the exercise declares [throughput] but its suite has no workload of size {n}"
        )));
    };
    let limits = gate_limits(limits, limits.fuel);
    let seeds = (seed, workload_seed);
    let first = time_rounds(suite, gate, worker, &limits, seeds, &input)?;
    // A ratio over the tolerance is confirmed by a second set of rounds before it
    // rejects: a burst of load on a shared machine should not. (A time-out is not: it
    // is ten times over the tolerance.)
    let timed = if first.ratio > gate.tolerance && !first.timed_out {
        let second = time_rounds(suite, gate, worker, &limits, seeds, &input)?;
        if second.ratio < first.ratio {
            second
        } else {
            first
        }
    } else {
        first
    };
    let [submission_ns, reference_ns] = timed.times;
    Ok(ThroughputReport {
        size: n,
        ratio: timed.ratio,
        tolerance: gate.tolerance,
        submission_ns,
        reference_ns,
        passed: timed.ratio <= gate.tolerance,
        timed_out: timed.timed_out,
    })
}

/// The scheduler's fuel slice in the contention gate's runs: long enough that threads
/// switch at atomic accesses, not in the middle of plain code.
const CONTENTION_FUEL_SLICE: u64 = 2_000;

/// The contention gate's schedule `index` for a run seeded with `seed`: uniformly random
/// choices at every switch point, so every thread's updates interleave with the others'.
pub fn contention_schedule(seed: u64, index: u32) -> Mode {
    let mut rng = judge_core::SplitMix64::new(seed ^ 0x434F_4E54_454E_5449);
    let mut schedule_seed = rng.next_u64();
    for _ in 0..index {
        schedule_seed = rng.next_u64();
    }
    Mode::Scheduled(Schedule {
        strategy: Strategy::Random,
        seed: schedule_seed,
        fuel_slice: CONTENTION_FUEL_SLICE,
    })
}

/// Runs the contention gate: the workload of `gate.size` under `gate.schedules` schedules,
/// the reference and the submission alike; the figures are the contended atomic updates
/// per update of the workload.
pub fn contention(
    suite: &dyn Suite,
    gate: &Contention,
    worker: &mut Worker,
    limits: &Limits,
    (seed, workload_seed): (u64, u64),
) -> Result<ContentionReport, GateFailure> {
    let n = gate.size;
    let Some(input) = suite.workload(n, workload_seed) else {
        return Err(GateFailure::Reference(format!(
            "the exercise declares [contention] but its suite has no workload of size {n}"
        )));
    };
    let limits = gate_limits(limits, limits.fuel);
    let mut counts = [judge_core::Contention::default(); 2];
    for index in 0..gate.schedules {
        let mode = contention_schedule(seed, index);
        for slot in [REFERENCE, SUBMISSION] {
            let report = worker.call_threaded(slot, &input, &limits, mode)?;
            match (&report.call.result, slot) {
                (Ok(output), SUBMISSION) if index == 0 => {
                    if let Err(mismatch) = suite.check_workload(n, workload_seed, output) {
                        return Err(GateFailure::Wrong { size: n, mismatch });
                    }
                }
                (Ok(_), _) => {}
                (Err(fault), REFERENCE) => {
                    return Err(GateFailure::Reference(format!(
                        "the reference failed {} under the scheduler: {fault:?}",
                        suite.describe_workload(n)
                    )));
                }
                (Err(_), _) => {
                    return Err(GateFailure::Failed {
                        size: n,
                        report: report.call,
                    });
                }
            }
            let c = &mut counts[slot as usize];
            c.updates += report.contention.updates;
            c.contended += report.contention.contended;
        }
    }
    let per_update = |c: &judge_core::Contention| {
        c.contended as f64 / (f64::from(n) * f64::from(gate.schedules))
    };
    let [submission, reference] = [SUBMISSION, REFERENCE].map(|s| counts[s as usize]);
    let figure = per_update(&submission);
    let reference_figure = per_update(&reference);
    Ok(ContentionReport {
        size: n,
        schedules: gate.schedules,
        figure,
        reference_figure,
        tolerance: gate.tolerance,
        updates: submission.updates,
        contended: submission.contended,
        passed: figure <= reference_figure + gate.tolerance,
    })
}

/// The hint of a `too_slow` from the contention gate.
pub const CONTENTION_HINT: &str = "the answers are right, but the writers keep updating memory another thread wrote last (one shared atomic, one lock): give each thread its own padded stripe (`#[repr(align(64))]`), chosen once per thread, and add them up in `sum`";

impl ContentionReport {
    /// One sentence: what was counted and how it compares.
    pub fn summary(&self) -> String {
        format!(
            "contention: {:.2} contended atomic updates per update (an atomic read-modify-write or lock operation whose 64-byte cache line another thread wrote last), against the reference's {:.2} plus a tolerance of {:.2}; counted under {} schedules of the judge's scheduler, the same on every machine",
            self.figure, self.reference_figure, self.tolerance, self.schedules
        )
    }
}

fn timed_out(report: &CallReport) -> bool {
    matches!(
        report.result,
        Err(Fault::OutOfFuel | Fault::WallClock | Fault::Blocked)
    )
}

/// One call of the workload: on real threads for a concurrent exercise.
fn call(
    suite: &dyn Suite,
    worker: &mut Worker,
    slot: u8,
    input: &[u8],
    limits: &Limits,
    seed: u64,
) -> Result<CallReport, SandboxError> {
    if suite.threaded() {
        Ok(worker
            .call_threaded(slot, input, limits, Mode::Free { seed })?
            .call)
    } else {
        worker.call_slot(slot, input, limits, seed)
    }
}

/// One set of rounds: the median time ratio and each program's times (by slot).
struct Timed {
    ratio: f64,
    times: [Vec<u64>; 2],
    /// The submission ran out of its time: `ratio` is its time limit over the
    /// reference's time, a lower bound.
    timed_out: bool,
}

/// One warm-up call each, then `rounds` interleaved calls; the median time ratio.
fn time_rounds(
    suite: &dyn Suite,
    gate: &Throughput,
    worker: &mut Worker,
    limits: &Limits,
    (seed, workload_seed): (u64, u64),
    input: &[u8],
) -> Result<Timed, GateFailure> {
    let n = gate.size;
    let mut submission_limits = *limits;
    let mut reference_ns = 0;
    let mut times = [Vec::new(), Vec::new()];
    for round in 0..=gate.rounds {
        for slot in [REFERENCE, SUBMISSION] {
            let slot_limits = if slot == SUBMISSION {
                &submission_limits
            } else {
                limits
            };
            let call = call(suite, worker, slot, input, slot_limits, seed)?;
            match (&call.result, slot) {
                // Checked once: the same program gives the same answer to the same input.
                (Ok(output), SUBMISSION) if round == 0 => {
                    if let Err(mismatch) = suite.check_workload(n, workload_seed, output) {
                        return Err(GateFailure::Wrong { size: n, mismatch });
                    }
                }
                (Ok(_), REFERENCE) => {
                    reference_ns = call.nanos.max(1);
                    // A submission far slower than the reference is stopped once it is
                    // clearly over the tolerance (ten times over it, at least a second)
                    // rather than at the time limit.
                    if round == 0 {
                        let enough = Duration::from_nanos(reference_ns)
                            .mul_f64(gate.tolerance * 10.0)
                            .max(Duration::from_secs(1));
                        submission_limits.wall = limits.wall.min(enough);
                    }
                }
                (Ok(_), _) => {}
                (Err(fault), REFERENCE) => {
                    return Err(GateFailure::Reference(format!(
                        "the reference failed {}: {fault:?}",
                        suite.describe_workload(n)
                    )));
                }
                (Err(_), _) if timed_out(&call) => {
                    let wall = submission_limits.wall.as_nanos() as u64;
                    return Ok(Timed {
                        ratio: wall as f64 / reference_ns as f64,
                        times: [vec![wall], vec![reference_ns]],
                        timed_out: true,
                    });
                }
                (Err(_), _) => {
                    return Err(GateFailure::Failed {
                        size: n,
                        report: call,
                    });
                }
            }
            // Round 0 warms both programs up.
            if round > 0 {
                times[slot as usize].push(call.nanos);
            }
        }
    }
    let ratio = median(&times[0]) / median(&times[1]).max(1.0);
    Ok(Timed {
        ratio,
        times,
        timed_out: false,
    })
}

/// `1000` -> `1,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl ComplexityReport {
    /// One sentence: what was measured and how it compares.
    pub fn summary(&self) -> String {
        let range = |sizes: &[u32]| match (sizes.first(), sizes.last()) {
            (Some(a), Some(b)) => format!(
                "n = {}..{}",
                thousands(u64::from(*a)),
                thousands(u64::from(*b))
            ),
            _ => "no size".into(),
        };
        let reference = format!("the reference grows as n^{:.2}", self.reference_exponent);
        match (self.budget_exhausted_at, self.exponent) {
            (Some(at), Some(e)) => format!(
                "fuel grows as n^{e:.2} across {} and ran out of its budget of {} instructions at n = {}; the bound is {} (n^{}); {reference}",
                range(&self.sizes),
                thousands(self.budget.unwrap_or(0)),
                thousands(u64::from(at)),
                self.bound,
                self.max_exponent
            ),
            (Some(at), None) => format!(
                "ran out of its budget of {} instructions at n = {} (the reference needs {}); the bound is {}",
                thousands(self.budget.unwrap_or(0)),
                thousands(u64::from(at)),
                thousands(
                    self.reference_fuel
                        .get(self.sizes.len())
                        .copied()
                        .unwrap_or(0)
                ),
                self.bound
            ),
            (None, Some(e)) => format!(
                "fuel grows as n^{e:.2} across {}; the bound is {} (n^{}); {reference}",
                range(&self.sizes),
                self.bound,
                self.max_exponent
            ),
            (None, None) => "no size could be measured".into(),
        }
    }
}

/// Largest share of the time a ratio interval may miss the median on either side.
const INTERVAL_TAIL: f64 = 0.025;

impl ThroughputReport {
    /// How far the ratio could be from `ratio` by the spread of its rounds: a confidence
    /// interval (about 95%) for the median of the per-round ratios (each round's submission
    /// time over the reference's time in the same round). Distribution-free: the `k`-th
    /// smallest and `k`-th largest of the round ratios, with the largest `k` for which
    /// P(Binomial(rounds, 1/2) < k) <= 2.5% (rounds 2 and 8 of 9); all of them when there
    /// are too few rounds for that. Widened to include `ratio` itself. A time-out has no
    /// upper end.
    pub fn ratio_interval(&self) -> (f64, f64) {
        if self.timed_out {
            return (self.ratio, f64::INFINITY);
        }
        let mut ratios: Vec<f64> = self
            .submission_ns
            .iter()
            .zip(&self.reference_ns)
            .map(|(&s, &r)| s as f64 / r.max(1) as f64)
            .collect();
        if ratios.is_empty() {
            return (self.ratio, self.ratio);
        }
        ratios.sort_by(f64::total_cmp);
        let n = ratios.len();
        // X ~ Binomial(n, 1/2): `p` is P(X = k - 1), `below` is P(X <= k - 1).
        let mut k = 1;
        let mut p = 0.5f64.powi(n as i32);
        let mut below = p;
        while k < n.div_ceil(2) {
            p *= (n - k + 1) as f64 / k as f64;
            if below + p > INTERVAL_TAIL {
                break;
            }
            below += p;
            k += 1;
        }
        let (lo, hi) = (ratios[k - 1], ratios[n - k]);
        (lo.min(self.ratio), hi.max(self.ratio))
    }

    pub fn summary(&self) -> String {
        if self.timed_out {
            return format!(
                "did not finish the workload of size {} within {} ms, over {:.0}x the reference's {:.1} ms (the tolerance is {}x)",
                thousands(u64::from(self.size)),
                self.submission_ns[0] / 1_000_000,
                self.ratio,
                self.reference_ns[0] as f64 / 1e6,
                self.tolerance
            );
        }
        format!(
            "took {:.2}x the reference's time on the workload of size {} (median of {} interleaved runs; the tolerance is {}x)",
            self.ratio,
            thousands(u64::from(self.size)),
            self.submission_ns.len(),
            self.tolerance
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_exponent_of_powers() {
        let sizes = [1000, 2000, 4000, 8000, 16000];
        let linear: Vec<u64> = sizes.iter().map(|&n| 30 * u64::from(n) + 500).collect();
        let quadratic: Vec<u64> = sizes
            .iter()
            .map(|&n| u64::from(n) * u64::from(n) / 3)
            .collect();
        let nlogn: Vec<u64> = sizes
            .iter()
            .map(|&n| (f64::from(n) * f64::from(n).ln() * 10.0) as u64)
            .collect();
        let e = fit_exponent(&sizes, &linear).unwrap();
        assert!((e - 1.0).abs() < 0.01, "{e}");
        let e = fit_exponent(&sizes, &quadratic).unwrap();
        assert!((e - 2.0).abs() < 0.001, "{e}");
        let e = fit_exponent(&sizes, &nlogn).unwrap();
        assert!(e > 1.05 && e < 1.2, "{e}");
        assert_eq!(fit_exponent(&sizes[..1], &linear[..1]), None);
    }

    #[test]
    fn only_fuel_rejects() {
        let mut r = ComplexityReport {
            sizes: vec![1000],
            fuel: vec![5_000],
            reference_fuel: vec![5_000, 10_000],
            exponent: None,
            reference_exponent: 1.0,
            max_exponent: 1.3,
            bound: "O(n)".into(),
            budget_exhausted_at: None,
            budget: None,
            inconclusive_at: Some(2000),
        };
        assert!(
            r.passes(),
            "cut short by the wall clock: no verdict against it"
        );
        r.inconclusive_at = None;
        assert!(!r.passes(), "nothing measured and nothing cut short");
        r.exponent = Some(1.2);
        assert!(r.passes());
        r.exponent = Some(1.4);
        assert!(!r.passes());
        r.exponent = Some(1.0);
        r.budget_exhausted_at = Some(2000);
        assert!(!r.passes(), "a budget that ran out rejects");
    }

    #[test]
    fn far_less_work_than_the_reference_is_noted_not_rejected() {
        let complexity = |exponent: f64, fuel: u64| ComplexityReport {
            sizes: vec![1000, 2000, 4000],
            fuel: vec![fuel, fuel * 2, fuel * 4],
            reference_fuel: vec![100_000, 200_000, 400_000],
            exponent: Some(exponent),
            reference_exponent: 1.0,
            max_exponent: 1.4,
            bound: "O(n)".into(),
            budget_exhausted_at: None,
            budget: None,
            inconclusive_at: None,
        };
        // A table of answers: almost no fuel, flat.
        let table = Performance {
            complexity: Some(complexity(0.05, 1_000)),
            throughput: Some(throughput(vec![1, 1, 1], vec![100, 100, 100])),
            contention: None,
        };
        assert!(
            table.complexity.as_ref().unwrap().passes(),
            "a note, not a rejection"
        );
        let notes = table.notes();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].contains("far less work than the reference") && notes[0].contains("n^0.05")
        );
        assert!(
            notes[1].contains("0.01x the reference's time"),
            "{}",
            notes[1]
        );
        let json = serde_json::to_value(&table).unwrap();
        assert_eq!(json["notes"].as_array().unwrap().len(), 2);
        assert_eq!(json["complexity"]["passed"], true);
        // Legitimately faster: the same growth with a third of the fuel, and 0.4x the time.
        let faster = Performance {
            complexity: Some(complexity(0.95, 30_000)),
            throughput: Some(throughput(vec![40, 40, 40], vec![100, 100, 100])),
            contention: None,
        };
        assert!(faster.notes().is_empty(), "{:?}", faster.notes());
        assert!(serde_json::to_value(&faster)
            .unwrap()
            .get("notes")
            .is_none());
        // The same exponent, but a fiftieth of the reference's fuel: noted too.
        let tiny = Performance {
            complexity: Some(complexity(1.0, 1_000)),
            throughput: None,
            contention: None,
        };
        assert_eq!(tiny.notes().len(), 1);
    }

    #[test]
    fn workload_seeds_depend_on_the_run_and_the_file() {
        let a = workload_seed(1, "fn f() {}");
        assert_eq!(a, workload_seed(1, "fn f() {}"), "replayable");
        assert_ne!(a, workload_seed(2, "fn f() {}"));
        assert_ne!(a, workload_seed(1, "fn f() {} "));
    }

    fn throughput(submission_ns: Vec<u64>, reference_ns: Vec<u64>) -> ThroughputReport {
        let ratio = median(&submission_ns) / median(&reference_ns);
        ThroughputReport {
            size: 1000,
            ratio,
            tolerance: 8.0,
            submission_ns,
            reference_ns,
            passed: ratio <= 8.0,
            timed_out: false,
        }
    }

    #[test]
    fn the_ratio_interval_is_the_order_statistics_that_cover_the_median() {
        // Round ratios 1..=9 (in a shuffled order): rounds 2 and 8 of 9 cover the median
        // with probability 1 - 2 * 10/512.
        let order = [5, 9, 1, 7, 3, 8, 2, 6, 4];
        let t = throughput(
            order.iter().map(|&r| r * 100).collect(),
            vec![100; order.len()],
        );
        assert_eq!(t.ratio, 5.0);
        assert_eq!(t.ratio_interval(), (2.0, 8.0));
        // Five rounds are too few for 95%: all of them.
        let t = throughput(vec![300, 100, 500, 200, 400], vec![100; 5]);
        assert_eq!(t.ratio_interval(), (1.0, 5.0));
        // Paired by round: a round where both are slow is not spread.
        let t = throughput(vec![200, 2_000, 200], vec![100, 1_000, 100]);
        assert_eq!(t.ratio_interval(), (2.0, 2.0));
        // Always contains the reported ratio, and a time-out has no upper end.
        let mut t = throughput(vec![800], vec![100]);
        t.ratio = 80.0;
        assert_eq!(t.ratio_interval(), (8.0, 80.0));
        t.timed_out = true;
        assert_eq!(t.ratio_interval(), (80.0, f64::INFINITY));
    }

    #[test]
    fn the_json_complexity_report_carries_the_decision() {
        let mut c = ComplexityReport {
            sizes: vec![1000, 2000],
            fuel: vec![1_000, 4_000],
            reference_fuel: vec![1_000, 2_000],
            exponent: Some(2.0),
            reference_exponent: 1.0,
            max_exponent: 1.3,
            bound: "O(n)".into(),
            budget_exhausted_at: None,
            budget: None,
            inconclusive_at: None,
        };
        let json = |c: &ComplexityReport| {
            serde_json::to_value(Performance {
                complexity: Some(c.clone()),
                throughput: None,
                contention: None,
            })
            .unwrap()
        };
        let v = json(&c);
        assert_eq!(v["complexity"]["passed"], false);
        assert_eq!(v["complexity"]["exponent"], 2.0);
        c.exponent = Some(1.0);
        assert_eq!(json(&c)["complexity"]["passed"], true);
        assert!(serde_json::to_value(Performance::default())
            .unwrap()
            .get("complexity")
            .is_none());
    }

    #[test]
    fn medians_and_thousands() {
        assert_eq!(median(&[3, 1, 2]), 2.0);
        assert_eq!(median(&[4, 1, 2, 3]), 2.5);
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(64_000_000), "64,000,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn summaries_say_what_was_measured() {
        let r = ComplexityReport {
            sizes: vec![1000, 2000, 4000],
            fuel: vec![1_000_000, 4_000_000, 16_000_000],
            reference_fuel: vec![10_000, 20_000, 40_000],
            exponent: Some(1.98),
            reference_exponent: 1.0,
            max_exponent: 1.2,
            bound: "O(n)".into(),
            budget_exhausted_at: None,
            budget: None,
            inconclusive_at: None,
        };
        assert_eq!(
            r.summary(),
            "fuel grows as n^1.98 across n = 1,000..4,000; the bound is O(n) (n^1.2); the reference grows as n^1.00"
        );
    }
}
