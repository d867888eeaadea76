//! Hidden-test suites: generate inputs, call the subject, compare with the model on the
//! host, shrink a failure to the smallest input that fails the same way.

use judge_core::{Mode, SiteInfo, Step, Verdict};
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::{Duration, Instant};

/// A submission under test, as the suite sees it: bytes in, bytes out, or a failure.
pub trait Subject {
    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure>;
    /// Runs one call with the guest's threads (concurrent exercises), as `run` says.
    fn call_threads(&mut self, _input: &[u8], _run: &Mode) -> Result<Threaded, CallFailure> {
        Err(CallFailure {
            verdict: Verdict::JudgeError,
            message: "this subject cannot run guest threads".into(),
            shrinkable: false,
            computing: false,
        })
    }
    /// Starts `count` nodes of the submission for a distributed exercise, each its own
    /// instance (its own memory and statics), replacing the nodes started before; nothing
    /// is called in them yet.
    fn open_nodes(&mut self, _count: u16) -> Result<(), CallFailure> {
        Err(CallFailure {
            verdict: Verdict::JudgeError,
            message: "this subject cannot run nodes".into(),
            shrinkable: false,
            computing: false,
        })
    }
    /// Calls into the open nodes, in order: `(node, input)`. The answers of every call, or
    /// the first failure with the index of the call that failed (the nodes are then unusable
    /// until the next [`Subject::open_nodes`]).
    fn call_nodes(
        &mut self,
        _calls: &[(u16, Vec<u8>)],
    ) -> Result<Vec<Vec<u8>>, (usize, CallFailure)> {
        Err((
            0,
            CallFailure {
                verdict: Verdict::JudgeError,
                message: "this subject cannot run nodes".into(),
                shrinkable: false,
                computing: false,
            },
        ))
    }
    /// Runs a shrink candidate of a case that ran out of time, or a prefix of it, on a
    /// tighter budget than a hidden test's, so that trying it is cheap: a candidate that
    /// runs out of that budget is taken to hang, and the case finally reported is confirmed
    /// with [`Subject::call`]. A subject without a tighter budget makes an ordinary call.
    fn probe(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.call(input)
    }
    /// What happened in a call that ended with `failure`, in a few words that follow
    /// "call 3" where a report marks it ("panicked", "did not return"). The subject knows
    /// what its failures were; the default names the verdict's kind.
    fn failed_how(&self, failure: &CallFailure) -> String {
        match failure.verdict {
            Verdict::TimeLimitExceeded => "did not return",
            Verdict::MemoryLimitExceeded => "ran out of memory",
            Verdict::OutputLimitExceeded => "printed past the output limit",
            _ => "failed",
        }
        .to_owned()
    }
}

/// What a threaded call produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Threaded {
    pub output: Vec<u8>,
    /// Scheduled runs: every switch point, in order (up to the sandbox's cap).
    pub trace: Vec<Step>,
    /// What the sites named in `trace` are.
    pub sites: BTreeMap<u32, SiteInfo>,
    /// Wall-clock time of the call, in ns (noisy; for throughput).
    pub nanos: u64,
}

/// A call that produced no result. The judge decides what a failure is called; the suite
/// only groups failures by `verdict` (shrinking keeps the kind of failure it started with)
/// and skips shrinking where it would only repeat an expensive failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFailure {
    pub verdict: Verdict,
    pub message: String,
    pub shrinkable: bool,
    /// The call was stopped while computing (out of fuel, or past its wall clock on the
    /// CPU) rather than failing or blocking: its growth may still be worth measuring.
    pub computing: bool,
}

/// How to run a suite.
pub struct Plan<'a> {
    pub cases: u32,
    pub seed: u64,
    pub max_shrink_iters: u32,
    /// How long shrinking may take; the smallest case found by then is reported.
    pub max_shrink_time: Duration,
    /// When the whole suite must end; past it the suite fails with `budget_verdict`.
    pub budget: Duration,
    pub budget_verdict: Verdict,
    /// Called with the number of calls made so far.
    pub progress: &'a dyn Fn(u32),
}

impl Plan<'_> {
    /// The failure of a suite that ran past its budget.
    pub(crate) fn over_budget(&self) -> CallFailure {
        CallFailure {
            verdict: self.budget_verdict,
            message: format!(
                "the hidden tests together took over {} s",
                self.budget.as_secs()
            ),
            shrinkable: false,
            computing: false,
        }
    }
}

/// What the subject did on the smallest failing input found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actual {
    /// It returned, and the answer broke the contract as `verdict` says.
    Returned {
        verdict: Verdict,
        /// One line: what was wrong with the answer.
        summary: String,
        shown: String,
    },
    Failed(CallFailure),
}

/// The smallest failing case found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// The call (or the sequence of calls) as the candidate would write it.
    pub call: String,
    /// The input as sent to the subject, to replay this one case.
    pub encoded: Vec<u8>,
    pub expected: String,
    pub actual: Actual,
    /// Generated cases that passed before the first failure.
    pub passed_before: u32,
    /// Successful shrink steps from the first failure to this one.
    pub shrink_steps: u32,
    /// Time from the start of the suite to the first failure, in ms.
    pub found_after_ms: u64,
}

/// What a report says about a failing case beyond the call and the answers
/// ([`Suite::run_detailed`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detail {
    /// The call a case that is a sequence of calls failed in without returning (a panic,
    /// a time-out): found by running its prefixes, so it is the call, not a guess.
    pub located: Option<Located>,
    /// A hint that fits this failure better than its verdict's general one (what a
    /// property means, say).
    pub hint: Option<String>,
    /// Facts about the values in the case a reader could miss (a 32-bit `usize` wrap).
    pub notes: Vec<String>,
    /// Whether the case was shrunk (a fixed case, or a failure too expensive to retry, is
    /// shown as found); `None` when the suite does not say.
    pub shrunk: Option<bool>,
}

/// The call a case failed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// 1-based; 0 is the setup (the constructor) before the first call.
    pub index: usize,
    /// Calls in the case as it was run.
    pub of: usize,
    /// The call as the candidate would write it.
    pub call: String,
    /// What happened in it ("panicked", "did not return"), as [`Subject::failed_how`] says.
    pub how: String,
}

impl Actual {
    /// Whether a failure of this kind is shrunk: a returned answer always, a failed call
    /// when its failure says so (time-outs of plain calls are, cheaply: see
    /// [`Subject::probe`]).
    pub fn shrinks(&self) -> bool {
        match self {
            Actual::Returned { .. } => true,
            Actual::Failed(f) => f.shrinkable,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed {
        cases: u32,
    },
    Failed(Box<Counterexample>),
    /// The suite itself could not go on (a generator gave up); the judge's own failure.
    Aborted(String),
}

/// A hidden-test suite, as the judge drives it.
pub trait Suite: Send + Sync {
    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome;
    /// [`Suite::run`], with what the suite can say about a failing case beyond the
    /// [`Counterexample`] (where it failed, a hint, notes); none by default.
    fn run_detailed(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> (Outcome, Detail) {
        (self.run(subject, plan), Detail::default())
    }
    /// Whether the exercise runs guest threads (its workload is a threaded call).
    fn threaded(&self) -> bool {
        false
    }
    /// The performance workload of size `n` for the run's `seed`, encoded for the guest,
    /// or `None` if the exercise has none. Its content comes from the seed (so a table of
    /// answers cannot pass a gate, and `--seed` replays it); its shape and cost do not (so
    /// the gates measure the same work whatever the seed).
    fn workload(&self, _n: u32, _seed: u64) -> Option<Vec<u8>> {
        None
    }
    /// Checks the guest's answer to the workload of size `n` for `seed`.
    fn check_workload(&self, _n: u32, _seed: u64, _output: &[u8]) -> Result<(), Mismatch> {
        Ok(())
    }
    /// The workload of size `n` in words, for reports.
    fn describe_workload(&self, n: u32) -> String {
        format!("the workload of size {n}")
    }
    /// The memory-model tier's cases (judge/src/miri.rs): a few small inputs drawn from
    /// `seed`, each the input of one call (a threaded call when [`Suite::threaded`]); none
    /// when the exercise has no case small enough to interpret.
    fn small_cases(&self, _seed: u64) -> Vec<Vec<u8>> {
        Vec::new()
    }
    /// Calls `subject` with [`Suite::small_cases`]`(seed)`, in order, and checks each answer
    /// as the hidden tests do (the model, linearizability); the first failure is reported
    /// as found, unshrunk (each call is a run of the interpreter).
    fn run_small(&self, _subject: &mut dyn Subject, _seed: u64) -> Outcome {
        Outcome::Passed { cases: 0 }
    }
    /// Contract coverage: which of the statement's boundaries the cases of a run of
    /// `cases` under `seed` reach, and the first case that reaches each. It regenerates the
    /// run's inputs without calling anything (a correct submission's run sees exactly
    /// these). `judge validate` checks every boundary `exercise.toml` declares against it.
    fn coverage(&self, _cases: u32, _seed: u64) -> Coverage {
        Coverage::default()
    }
}

/// The statement's boundaries a suite's cases reach (see [`Suite::coverage`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Every boundary id the suite can recognise in a case, with what it is in words.
    pub known: Vec<(&'static str, &'static str)>,
    /// For each boundary reached, the first case (0-based, in the order the run makes
    /// them: generated cases, then pinned ones) that reaches it.
    pub first: BTreeMap<&'static str, u32>,
    /// Cases looked at.
    pub cases: u32,
}

impl Coverage {
    /// Coverage of `known` over `inputs`, tagged by `hits`.
    pub fn of<I>(
        known: &[(&'static str, &'static str)],
        inputs: impl IntoIterator<Item = I>,
        hits: impl Fn(&I) -> Vec<&'static str>,
    ) -> Self {
        let mut coverage = Coverage {
            known: known.to_vec(),
            ..Coverage::default()
        };
        for (case, input) in inputs.into_iter().enumerate() {
            for id in hits(&input) {
                coverage.first.entry(id).or_insert(case as u32);
            }
            coverage.cases = case as u32 + 1;
        }
        coverage
    }
}

/// Small cases per memory-model run of a function or sequence exercise.
const SMALL_CASES: usize = 6;

/// How an answer broke the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// `wrong_answer`, or the verdict of a gate checked on the answer (`too_much_memory`).
    pub verdict: Verdict,
    /// One line: what was wrong ("returned a wrong answer", the property that failed).
    pub summary: String,
    /// Replaces the shown call when the failure is better shown in context (a sequence of
    /// calls with the divergent one marked).
    pub call: Option<String>,
    pub expected: String,
    pub actual: String,
}

impl Mismatch {
    pub fn wrong_answer(expected: String, actual: String) -> Self {
        Mismatch {
            verdict: Verdict::WrongAnswer,
            summary: "returned a wrong answer".into(),
            call: None,
            expected,
            actual,
        }
    }
}

/// Exercises whose hidden test is one call into the guest per case: a function call, or a
/// whole sequence of operations on a fresh instance (see [`crate::sequence`]).
pub trait FunctionSpec: Send + Sync + 'static {
    type Input: Clone + Debug;
    type Output: Debug;
    fn strategy(&self) -> BoxedStrategy<Self::Input>;
    fn encode(&self, input: &Self::Input) -> Vec<u8>;
    /// `None` when the guest's bytes are not a valid answer to `input`.
    fn decode(&self, input: &Self::Input, bytes: &[u8]) -> Option<Self::Output>;
    /// Checks an answer against the model (or the properties) on the host.
    fn check(&self, input: &Self::Input, output: &Self::Output) -> Result<(), Mismatch>;
    fn show_call(&self, input: &Self::Input) -> String;
    /// What a correct answer to `input` is, shown when the call failed instead of answering.
    fn show_expected(&self, input: &Self::Input) -> String;
    /// Simpler variants of a failing input, simplest first, tried after proptest's own
    /// shrinking stops (which cannot cut into values built from a recipe).
    fn simpler(&self, _input: &Self::Input) -> Vec<Self::Input> {
        Vec::new()
    }
    /// Whether proptest's own shrinking runs before `simpler`: off where each case is
    /// expensive and `simpler` knows the input's structure better.
    fn proptest_shrinking(&self) -> bool {
        true
    }
    /// Inputs every run ends with, after the plan's generated cases: the largest sizes,
    /// so each run meets them whatever the seed.
    fn pinned(&self) -> Vec<Self::Input> {
        Vec::new()
    }
    /// The performance workload of size `n` for `seed` (see [`Suite::workload`]): its
    /// content drawn from the seed, its shape and cost the same for every seed, growing
    /// with `n` as the statement's bound says it may.
    fn workload(&self, _n: u32, _seed: u64) -> Option<Self::Input> {
        None
    }
    /// `input`, the memory-model tier's case `index`, cut down for it (interpreted by Miri,
    /// about a thousand times slower than the sandbox), or `None` if the exercise has none.
    fn small(&self, _input: &Self::Input, _index: usize) -> Option<Self::Input> {
        None
    }
    fn describe_workload(&self, n: u32) -> String {
        format!("the workload of size {n}")
    }
    /// How many calls `input` makes, when a case is a sequence of calls into the
    /// candidate's code (one guest call runs them all): a failure that stops the guest (a
    /// panic, a time-out) is then located at its call by running prefixes of the case.
    /// `0` (the default) when a case is one call.
    fn calls(&self, _input: &Self::Input) -> usize {
        0
    }
    /// `input` cut to its setup and first `k` calls, encoded for the guest.
    fn encode_prefix(&self, input: &Self::Input, _k: usize) -> Vec<u8> {
        self.encode(input)
    }
    /// The setup and first `k` calls of `input` as the candidate would write them, the
    /// `k`-th (the setup when `k` is 0) marked with `how` (what happened in it); then what
    /// that call should have returned. `answers` is the guest's answer to the first
    /// `k - 1` calls (a run of `encode_prefix(input, k - 1)`), so the calls before the
    /// marked one show what the submission itself returned.
    fn show_prefix(
        &self,
        input: &Self::Input,
        _k: usize,
        _answers: &[u8],
        _how: &str,
    ) -> (String, String) {
        (self.show_call(input), self.show_expected(input))
    }
    /// Call `k` of `input` alone (1-based; 0 is the setup), as the candidate would write it.
    fn show_step(&self, input: &Self::Input, _k: usize) -> String {
        self.show_call(input)
    }
    /// A hint for a wrong answer that fits it better than the verdict's (what a property
    /// means), and notes on the values a reader could miss (a 32-bit wrap). `output` is the
    /// guest's answer, when it returned one.
    fn explain(&self, _input: &Self::Input, _output: Option<&Self::Output>) -> Explained {
        Explained::default()
    }
    /// The statement's boundaries this suite recognises in an input (ids as
    /// `exercise.toml`'s `[[boundary]]` names them, each with what it is in words).
    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Which of [`FunctionSpec::boundaries`] `input` reaches.
    fn hits(&self, _input: &Self::Input) -> Vec<&'static str> {
        Vec::new()
    }
}

/// What [`FunctionSpec::explain`] adds to a failing case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Explained {
    pub hint: Option<String>,
    pub notes: Vec<String>,
}

/// On the judge's target, wasm32, `usize` is 32 bits: a note when `actual` is `expected`
/// wrapped to 32 bits (it crossed `usize::MAX`, or went below zero), for a candidate who
/// would otherwise stare at 4294967295 where 0 was expected.
pub fn wrap_note(what: &str, expected: u64, actual: u64) -> Option<String> {
    const BITS32: u64 = 1 << 32;
    if expected == actual || actual >= BITS32 {
        return None;
    }
    let below_zero = BITS32 - actual;
    if expected % BITS32 == actual {
        Some(format!(
            "{what} {actual} is {expected} wrapped to 32 bits: on the judge's target (wasm32) `usize` is 32 bits, so a count past usize::MAX ({}) wraps around; keep such values in u64",
            u32::MAX
        ))
    } else if actual > u64::from(u32::MAX / 2) && below_zero <= 1 << 20 {
        Some(format!(
            "{what} {actual} is -{below_zero} wrapped to 32 bits (usize::MAX + 1 - {below_zero}): on the judge's target (wasm32) `usize` is 32 bits and a subtraction that goes below zero wraps around in a release build; look for one, e.g. `a - b` with b > a"
        ))
    } else {
        None
    }
}

/// A note for an input value at the edge of a 32-bit `usize` (the guest's): `value + 1` or
/// a doubling of it wraps on wasm32 although it would not on a 64-bit machine.
pub fn usize_edge_note(what: &str, value: u64) -> Option<String> {
    let max = u64::from(u32::MAX);
    (value > max / 2 && value <= max).then(|| {
        let name = if value == max {
            "usize::MAX".to_owned()
        } else {
            format!("usize::MAX - {}", max - value)
        };
        format!(
            "{what} = {value} is {name} on the judge's target (wasm32, where `usize` is 32 bits): `{what} + 1`, `{what} * 2` or `Vec::with_capacity({what})` overflow there; clamp it first (e.g. to the number of nodes)"
        )
    })
}

/// Runs a [`FunctionSpec`] as a [`Suite`] with proptest.
pub struct FunctionSuite<S>(pub S);

#[derive(Clone)]
struct Failure {
    call: String,
    encoded: Vec<u8>,
    expected: String,
    actual: Actual,
    explained: Explained,
}

/// The most time spent shrinking a time-out (probes included).
const HANG_SHRINK_TIME: Duration = Duration::from_secs(3);

/// How a case is run: as a hidden test, or as a cheap probe while shrinking a time-out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Budget {
    Full,
    Probe,
}

fn call_with(
    subject: &mut dyn Subject,
    input: &[u8],
    budget: Budget,
) -> Result<Vec<u8>, CallFailure> {
    match budget {
        Budget::Full => subject.call(input),
        Budget::Probe => subject.probe(input),
    }
}

impl<S: FunctionSpec> FunctionSuite<S> {
    /// Runs one case; `Some` with the failure's kind if it failed.
    fn check(
        &self,
        subject: &mut dyn Subject,
        input: &S::Input,
        calls: &mut u32,
        progress: &dyn Fn(u32),
        budget: Budget,
    ) -> Option<(Verdict, bool, Failure)> {
        let spec = &self.0;
        let encoded = spec.encode(input);
        let result = call_with(subject, &encoded, budget);
        *calls += 1;
        progress(*calls);
        let (verdict, shrinkable, call, expected, actual, explained) = match result {
            Ok(bytes) => {
                let decoded = spec.decode(input, &bytes);
                let mismatch = match &decoded {
                    Some(out) => match spec.check(input, out) {
                        Ok(()) => return None,
                        Err(m) => m,
                    },
                    None => Mismatch::wrong_answer(
                        spec.show_expected(input),
                        format!("<{} bytes that are not a valid answer>", bytes.len()),
                    ),
                };
                let explained = spec.explain(input, decoded.as_ref());
                let call = mismatch.call.unwrap_or_else(|| spec.show_call(input));
                let actual = Actual::Returned {
                    verdict: mismatch.verdict,
                    summary: mismatch.summary,
                    shown: mismatch.actual,
                };
                (
                    mismatch.verdict,
                    true,
                    call,
                    mismatch.expected,
                    actual,
                    explained,
                )
            }
            Err(f) => (
                f.verdict,
                f.shrinkable,
                spec.show_call(input),
                spec.show_expected(input),
                Actual::Failed(f),
                spec.explain(input, None),
            ),
        };
        let failure = Failure {
            call,
            encoded,
            expected,
            actual,
            explained,
        };
        Some((verdict, shrinkable, failure))
    }

    /// The call `input` failed in without returning (`failure`, of kind `kind`), when a case
    /// is a sequence of calls: the shortest prefix of the case that fails the same way,
    /// found by bisection (deterministic runs: a prefix fails from the failing call on), and
    /// the failure shown there with the calls before it and the guest's own answers to
    /// them. `None` when the case is one call or no prefix fails within the time left.
    fn locate(
        &self,
        subject: &mut dyn Subject,
        input: &S::Input,
        whole: &CallFailure,
        budget: Budget,
        out_of_time: &dyn Fn() -> bool,
    ) -> Option<(Failure, Located)> {
        let kind = whole.verdict;
        let spec = &self.0;
        let n = spec.calls(input);
        if n == 0 {
            return None;
        }
        // fails(k): Some(failure) when the prefix of k calls fails as `kind`; the answers of
        // the longest prefix seen to return.
        let mut answers: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let mut failing: BTreeMap<usize, (Vec<u8>, CallFailure)> = BTreeMap::new();
        let mut probe = |k: usize, subject: &mut dyn Subject| -> Option<bool> {
            if out_of_time() {
                return None;
            }
            let encoded = spec.encode_prefix(input, k);
            match call_with(subject, &encoded, budget) {
                Ok(bytes) => {
                    answers.insert(k, bytes);
                    Some(false)
                }
                Err(f) if f.verdict == kind => {
                    failing.insert(k, (encoded, f));
                    Some(true)
                }
                // Another kind of failure before this one: not this failure's call.
                Err(_) => Some(false),
            }
        };
        // Shrinking usually leaves the failing call last: one probe proves it.
        let (mut lo, mut hi) = (None::<usize>, n);
        match probe(n - 1, subject)? {
            false => lo = Some(n - 1),
            true => hi = n - 1,
        }
        // The smallest k in (lo, hi] that fails: hi fails (the whole case, or a probe).
        while lo.map_or(0, |l| l + 1) < hi {
            let from = lo.map_or(0, |l| l + 1);
            let mid = from + (hi - from) / 2;
            match probe(mid, subject)? {
                false => lo = Some(mid),
                true => hi = mid,
            }
        }
        let k = hi;
        // Only the whole case (k = n) can fail without a probe of its own.
        let (encoded, f) = failing
            .remove(&k)
            .unwrap_or_else(|| (spec.encode_prefix(input, k), whole.clone()));
        let empty = Vec::new();
        let before = match k {
            0 => &empty,
            k => answers.get(&(k - 1))?,
        };
        let how = subject.failed_how(&f);
        let (call, expected) = spec.show_prefix(input, k, before, &how);
        let located = Located {
            index: k,
            of: n,
            call: spec.show_step(input, k),
            how,
        };
        let failure = Failure {
            call,
            encoded,
            expected,
            actual: Actual::Failed(f),
            explained: spec.explain(input, None),
        };
        Some((failure, located))
    }
}

impl<S: FunctionSpec> FunctionSuite<S> {
    /// The memory-model tier's inputs: the generator's first cases under a seed of their
    /// own, each cut down by [`FunctionSpec::small`].
    fn small_inputs(&self, seed: u64) -> Vec<S::Input> {
        let plan = Plan {
            cases: SMALL_CASES as u32,
            seed,
            max_shrink_iters: 0,
            max_shrink_time: Duration::ZERO,
            budget: Duration::ZERO,
            budget_verdict: Verdict::JudgeError,
            progress: &|_| {},
        };
        let strategy = self.0.strategy();
        let mut runner =
            TestRunner::new_with_rng(runner_config(&plan), seeded_rng(seed ^ 0x4D49_5249));
        (0..SMALL_CASES)
            .map_while(|_| strategy.new_tree(&mut runner).ok())
            .enumerate()
            .map_while(|(i, tree)| self.0.small(&tree.current(), i))
            .collect()
    }
}

impl<S: FunctionSpec> Suite for FunctionSuite<S> {
    fn coverage(&self, cases: u32, seed: u64) -> Coverage {
        let plan = Plan {
            cases,
            seed,
            max_shrink_iters: 0,
            max_shrink_time: Duration::ZERO,
            budget: Duration::ZERO,
            budget_verdict: Verdict::JudgeError,
            progress: &|_| {},
        };
        // The same runner and draws as `run`: a passing run calls exactly these inputs.
        let strategy = self.0.strategy();
        let mut runner = TestRunner::new_with_rng(runner_config(&plan), seeded_rng(seed));
        let generated = (0..cases).map_while(|_| strategy.new_tree(&mut runner).ok());
        let inputs = generated.map(|t| t.current()).chain(self.0.pinned());
        Coverage::of(self.0.boundaries(), inputs, |i| self.0.hits(i))
    }

    fn small_cases(&self, seed: u64) -> Vec<Vec<u8>> {
        let inputs = self.small_inputs(seed);
        inputs.iter().map(|i| self.0.encode(i)).collect()
    }

    fn run_small(&self, subject: &mut dyn Subject, seed: u64) -> Outcome {
        let started = Instant::now();
        let mut calls = 0;
        let inputs = self.small_inputs(seed);
        for (case, input) in inputs.iter().enumerate() {
            if let Some((_, _, failure)) =
                self.check(subject, input, &mut calls, &|_| {}, Budget::Full)
            {
                return Outcome::Failed(Box::new(Counterexample {
                    call: failure.call,
                    encoded: failure.encoded,
                    expected: failure.expected,
                    actual: failure.actual,
                    passed_before: case as u32,
                    shrink_steps: 0,
                    found_after_ms: started.elapsed().as_millis() as u64,
                }));
            }
        }
        Outcome::Passed {
            cases: inputs.len() as u32,
        }
    }

    fn workload(&self, n: u32, seed: u64) -> Option<Vec<u8>> {
        self.0.workload(n, seed).map(|input| self.0.encode(&input))
    }

    fn check_workload(&self, n: u32, seed: u64, output: &[u8]) -> Result<(), Mismatch> {
        let Some(input) = self.0.workload(n, seed) else {
            return Ok(());
        };
        match self.0.decode(&input, output) {
            Some(out) => self.0.check(&input, &out),
            None => Err(Mismatch::wrong_answer(
                self.0.show_expected(&input),
                format!("<{} bytes that are not a valid answer>", output.len()),
            )),
        }
    }

    fn describe_workload(&self, n: u32) -> String {
        self.0.describe_workload(n)
    }

    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome {
        self.run_detailed(subject, plan).0
    }

    fn run_detailed(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> (Outcome, Detail) {
        let strategy = self.0.strategy();
        let mut runner = TestRunner::new_with_rng(runner_config(plan), seeded_rng(plan.seed));
        let started = Instant::now();
        let mut calls = 0u32;
        let pinned = self.0.pinned();
        let generated = plan.cases;
        let total = generated + pinned.len() as u32;
        for case in 0..total {
            // Generated cases first, then the pinned ones (the largest, most expensive).
            let mut tree = if case < generated {
                match strategy.new_tree(&mut runner) {
                    Ok(t) => Some(t),
                    Err(reason) => {
                        return (
                            Outcome::Aborted(format!("the generator gave up: {reason}")),
                            Detail::default(),
                        )
                    }
                }
            } else {
                None
            };
            let input = match &tree {
                Some(t) => t.current(),
                None => pinned[(case - generated) as usize].clone(),
            };
            if started.elapsed() > plan.budget {
                let over = Counterexample {
                    call: self.0.show_call(&input),
                    encoded: self.0.encode(&input),
                    expected: self.0.show_expected(&input),
                    actual: Actual::Failed(plan.over_budget()),
                    passed_before: case,
                    shrink_steps: 0,
                    found_after_ms: started.elapsed().as_millis() as u64,
                };
                let detail = Detail {
                    shrunk: Some(false),
                    ..Detail::default()
                };
                return (Outcome::Failed(Box::new(over)), detail);
            }
            let Some((kind, shrinkable, first)) =
                self.check(subject, &input, &mut calls, plan.progress, Budget::Full)
            else {
                continue;
            };
            let found_after_ms = started.elapsed().as_millis() as u64;
            let mut failure = first.clone();
            // A time-out is shrunk on probes (a tighter budget: `Subject::probe`), and the
            // case found is confirmed with a full call at the end.
            let budget = match &failure.actual {
                Actual::Failed(f) if f.verdict == Verdict::TimeLimitExceeded => Budget::Probe,
                _ => Budget::Full,
            };
            let shrinking = Instant::now();
            // Each probe of a hang spends its whole (tighter) wall clock: a time-out gets a
            // shorter shrinking budget, so its report still comes within seconds.
            let shrink_time = match budget {
                Budget::Probe => plan.max_shrink_time.min(HANG_SHRINK_TIME),
                Budget::Full => plan.max_shrink_time,
            };
            let out_of_time =
                || started.elapsed() > plan.budget || shrinking.elapsed() > shrink_time;
            // Shrink: simplify while the input still fails the same way, complicate back
            // when a step made it pass (proptest's own search, with the judge's limits).
            let mut shrink_steps = 0;
            let mut current = input.clone();
            if let Some(tree) = tree
                .as_mut()
                .filter(|_| shrinkable && self.0.proptest_shrinking())
            {
                let mut moved = tree.simplify();
                for _ in 0..plan.max_shrink_iters {
                    if !moved || out_of_time() {
                        break;
                    }
                    let candidate = tree.current();
                    let still =
                        match self.check(subject, &candidate, &mut calls, plan.progress, budget) {
                            Some((k, _, f)) if k == kind => Some(f),
                            _ => None,
                        };
                    moved = match still {
                        Some(f) => {
                            failure = f;
                            current = candidate;
                            shrink_steps += 1;
                            tree.simplify()
                        }
                        None => tree.complicate(),
                    };
                }
            }
            // Then cut the input itself while it still fails the same way.
            if shrinkable {
                'pass: loop {
                    for candidate in self.0.simpler(&current) {
                        if out_of_time() {
                            break 'pass;
                        }
                        if let Some((k, _, f)) =
                            self.check(subject, &candidate, &mut calls, plan.progress, budget)
                        {
                            if k == kind {
                                failure = f;
                                shrink_steps += 1;
                                current = candidate;
                                continue 'pass;
                            }
                        }
                    }
                    break;
                }
            }
            let mut shrunk = shrinkable && (tree.is_some() || !self.0.simpler(&input).is_empty());
            // A case of several calls that stopped the guest: find the call it stopped in
            // (which also drops the calls after it, never reached).
            let mut located = None;
            if let Actual::Failed(whole) = &failure.actual {
                let whole = whole.clone();
                if shrinkable {
                    if let Some((at, place)) =
                        self.locate(subject, &current, &whole, budget, &out_of_time)
                    {
                        failure = at;
                        located = Some(place);
                    }
                }
            }
            // Probes only suggest a hang: the case reported must run out of a hidden test's
            // own budget, or the case as first found is reported, unshrunk.
            if budget == Budget::Probe && failure.encoded != first.encoded {
                calls += 1;
                (plan.progress)(calls);
                match subject.call(&failure.encoded) {
                    Err(f) if f.verdict == kind => failure.actual = Actual::Failed(f),
                    _ => {
                        failure = first;
                        shrink_steps = 0;
                        located = None;
                        shrunk = false;
                    }
                }
            }
            let Failure {
                call,
                encoded,
                expected,
                actual,
                explained,
            } = failure;
            let found = Counterexample {
                call,
                encoded,
                expected,
                actual,
                passed_before: case,
                shrink_steps,
                found_after_ms,
            };
            let detail = Detail {
                located,
                hint: explained.hint,
                notes: explained.notes,
                shrunk: Some(shrunk),
            };
            return (Outcome::Failed(Box::new(found)), detail);
        }
        (Outcome::Passed { cases: total }, Detail::default())
    }
}

/// Every setting spelled out, so no `PROPTEST_*` variable can change what a seed means.
fn runner_config(plan: &Plan<'_>) -> Config {
    Config {
        cases: plan.cases,
        max_local_rejects: 65_536,
        max_global_rejects: 1_024,
        max_flat_map_regens: 1_000_000,
        failure_persistence: None,
        source_file: None,
        test_name: None,
        fork: false,
        timeout: 0,
        max_shrink_time: 0,
        max_shrink_iters: plan.max_shrink_iters,
        max_default_size_range: 100,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        // Fields added by later proptest versions keep their defaults.
        ..Config::default()
    }
}

fn seeded_rng(seed: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let x = seed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i as u64 + 1));
        let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        chunk.copy_from_slice(&(x ^ (x >> 29)).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}
