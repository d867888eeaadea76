//! Hidden-test suites: generate inputs, call the subject, compare with the model on the
//! host, shrink a failure to the smallest input that fails the same way.

use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::RefCell;
use std::fmt::Debug;
use std::time::{Duration, Instant};

/// A submission under test, as the suite sees it: bytes in, bytes out, or a failure.
pub trait Subject {
    fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure>;
}

/// A call that produced no result. The judge decides what a failure is called; the suite
/// only groups failures by `verdict` (shrinking keeps the kind of failure it started with)
/// and skips shrinking where it would only repeat an expensive failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFailure {
    pub verdict: &'static str,
    pub message: String,
    pub shrinkable: bool,
}

/// How to run a suite.
pub struct Plan<'a> {
    pub cases: u32,
    pub seed: u64,
    pub max_shrink_iters: u32,
    /// When the whole suite must end; past it the suite fails with `budget_verdict`.
    pub budget: Duration,
    pub budget_verdict: &'static str,
    /// Called with the number of calls made so far.
    pub progress: &'a dyn Fn(u32),
}

/// What the subject did on the smallest failing input found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actual {
    Returned(String),
    Failed(CallFailure),
}

/// The smallest failing case found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// The call as the candidate would write it.
    pub call: String,
    /// The input as sent to the subject, to replay this one case.
    pub encoded: Vec<u8>,
    pub expected: String,
    pub actual: Actual,
    /// Generated cases that passed before the first failure.
    pub passed_before: u32,
    /// Successful shrink steps from the first failure to this one.
    pub shrink_steps: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed { cases: u32 },
    Failed(Box<Counterexample>),
    /// The suite itself could not go on (a generator gave up); the judge's own failure.
    Aborted(String),
}

/// A hidden-test suite, as the judge drives it.
pub trait Suite: Send + Sync {
    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome;
}

/// Exercises whose hidden test is one function call per case.
pub trait FunctionSpec: Send + Sync + 'static {
    type Input: Clone + Debug;
    type Output: PartialEq + Debug;
    fn strategy(&self) -> BoxedStrategy<Self::Input>;
    fn encode(&self, input: &Self::Input) -> Vec<u8>;
    /// `None` when the guest's bytes are not a valid answer.
    fn decode(&self, bytes: &[u8]) -> Option<Self::Output>;
    /// The expected answer, computed on the host.
    fn model(&self, input: &Self::Input) -> Self::Output;
    fn show_call(&self, input: &Self::Input) -> String;
    fn show_output(&self, output: &Self::Output) -> String;
}

/// Runs a [`FunctionSpec`] as a [`Suite`] with proptest.
pub struct FunctionSuite<S>(pub S);

struct Failure {
    call: String,
    encoded: Vec<u8>,
    expected: String,
    actual: Actual,
}

impl<S: FunctionSpec> Suite for FunctionSuite<S> {
    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome {
        let spec = &self.0;
        let mut runner = TestRunner::new_with_rng(runner_config(plan), seeded_rng(plan.seed));
        let started = Instant::now();
        let subject = RefCell::new(subject);
        let calls = RefCell::new(0u32);
        // The kind of the first failure, whether it may shrink, and the latest failure
        // (proptest's final minimal value is the last input that failed).
        let first: RefCell<Option<(&'static str, bool)>> = RefCell::new(None);
        let failures = RefCell::new(0u32);
        let last: RefCell<Option<Failure>> = RefCell::new(None);
        let passed_before = RefCell::new(0u32);

        let result = runner.run(&spec.strategy(), |input| {
            if let Some((_, false)) = *first.borrow() {
                return Ok(());
            }
            let call = spec.show_call(&input);
            let expected = spec.model(&input);
            let encoded = spec.encode(&input);
            let over_budget = started.elapsed() > plan.budget;
            let actual = if over_budget && first.borrow().is_none() {
                Err(CallFailure {
                    verdict: plan.budget_verdict,
                    message: format!(
                        "the hidden tests together took over {} s",
                        plan.budget.as_secs()
                    ),
                    shrinkable: false,
                })
            } else {
                let out = subject.borrow_mut().call(&encoded);
                *calls.borrow_mut() += 1;
                (plan.progress)(*calls.borrow());
                out
            };
            let failure = match actual {
                Ok(bytes) => match spec.decode(&bytes) {
                    Some(out) if out == expected => None,
                    Some(out) => Some(("wrong_answer", true, Actual::Returned(spec.show_output(&out)))),
                    None => Some((
                        "wrong_answer",
                        true,
                        Actual::Returned(format!("<{} bytes that are not a valid answer>", bytes.len())),
                    )),
                },
                Err(f) => Some((f.verdict, f.shrinkable, Actual::Failed(f))),
            };
            let Some((verdict, shrinkable, actual)) = failure else {
                if first.borrow().is_none() {
                    *passed_before.borrow_mut() += 1;
                }
                return Ok(());
            };
            if let Some((kind, _)) = *first.borrow() {
                // While shrinking, a different kind of failure does not count.
                if kind != verdict || over_budget {
                    return Ok(());
                }
                *failures.borrow_mut() += 1;
            }
            first.borrow_mut().get_or_insert((verdict, shrinkable));
            *last.borrow_mut() = Some(Failure { call, encoded, expected: spec.show_output(&expected), actual });
            Err(TestCaseError::fail(verdict))
        });

        match result {
            Ok(()) => Outcome::Passed { cases: plan.cases },
            Err(TestError::Abort(reason)) => Outcome::Aborted(reason.to_string()),
            Err(TestError::Fail(reason, _)) => {
                let Some(Failure { call, encoded, expected, actual }) = last.into_inner() else {
                    return Outcome::Aborted(format!("the suite failed without a case: {reason}"));
                };
                Outcome::Failed(Box::new(Counterexample {
                    call,
                    encoded,
                    expected,
                    actual,
                    passed_before: passed_before.into_inner(),
                    shrink_steps: failures.into_inner(),
                }))
            }
        }
    }
}

/// Every setting spelled out, so no `PROPTEST_*` variable can change what a seed means.
fn runner_config(plan: &Plan<'_>) -> Config {
    let mut config = Config::default();
    config.cases = plan.cases;
    config.max_local_rejects = 65_536;
    config.max_global_rejects = 1_024;
    config.max_flat_map_regens = 1_000_000;
    config.failure_persistence = None;
    config.source_file = None;
    config.test_name = None;
    config.fork = false;
    config.timeout = 0;
    config.max_shrink_time = 0;
    config.max_shrink_iters = plan.max_shrink_iters;
    config.max_default_size_range = 100;
    config.verbose = 0;
    config.rng_algorithm = RngAlgorithm::ChaCha;
    config
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
