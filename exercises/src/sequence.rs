//! Model-based testing of operation sequences: each case is a setup and a sequence of
//! operations, replayed in one fresh instance of the guest; every result is compared with a
//! sequential model on the host; a failure is shrunk to the shortest sequence that still
//! fails and shown as readable calls with the first divergent one marked.

use crate::suite::{Explained, FunctionSpec, Mismatch};
use crate::wire::{self, Wire};
use judge_core::Verdict;
use proptest::strategy::BoxedStrategy;
use std::fmt::Debug;

/// An exercise whose hidden test is a sequence of operations on one object.
///
/// On the wire (exercises/src/wire.rs, the same code on both sides): one case is
/// `(Setup, Vec<Op>)`, the guest's answer a `Vec<Ret>` with one result per operation (the
/// judge's guest runner, exercises/src/sequence_runner.rs, writes it).
pub trait SequenceSpec: Send + Sync + 'static {
    type Setup: Clone + Debug + Wire;
    type Op: Clone + Debug + Wire;
    type Ret: PartialEq + Debug + Wire;
    type Model;
    fn strategy(&self) -> BoxedStrategy<(Self::Setup, Vec<Self::Op>)>;
    fn model(&self, setup: &Self::Setup) -> Self::Model;
    fn apply(&self, model: &mut Self::Model, op: &Self::Op) -> Self::Ret;
    /// The line that creates the object, as the candidate would write it.
    fn show_setup(&self, setup: &Self::Setup) -> String;
    fn show_op(&self, op: &Self::Op) -> String;
    fn show_ret(&self, ret: &Self::Ret) -> String;
    /// Simpler setups, simplest first (a smaller capacity), for shrinking.
    fn simpler_setup(&self, _setup: &Self::Setup) -> Vec<Self::Setup> {
        Vec::new()
    }
    /// Simpler versions of one operation, simplest first, for shrinking.
    fn simpler_op(&self, _op: &Self::Op) -> Vec<Self::Op> {
        Vec::new()
    }
    /// The performance workload of size `n` for `seed` (see `FunctionSpec::workload`):
    /// keys and values drawn from the seed, the same shape and cost for every seed.
    fn workload(&self, _n: u32, _seed: u64) -> Option<(Self::Setup, Vec<Self::Op>)> {
        None
    }
    fn describe_workload(&self, n: u32) -> String {
        format!("the workload of size {n}")
    }
    /// A hint and notes for a failing sequence (see `FunctionSpec::explain`); `rets` are
    /// the guest's results when it returned them.
    fn explain(
        &self,
        _setup: &Self::Setup,
        _ops: &[Self::Op],
        _rets: Option<&[Self::Ret]>,
    ) -> Explained {
        Explained::default()
    }
    /// The statement's boundaries this suite recognises (see `FunctionSpec::boundaries`).
    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Which of [`SequenceSpec::boundaries`] a sequence reaches.
    fn hits(&self, _setup: &Self::Setup, _ops: &[Self::Op]) -> Vec<&'static str> {
        Vec::new()
    }
}

/// Adapts a [`SequenceSpec`] to a [`FunctionSpec`]: one guest call per sequence.
pub struct Sequences<S>(pub S);

/// Most operations of one memory-model case: a prefix of a generated sequence.
const SMALL_OPS: usize = 32;

/// Most operations shown for a failure that is not a divergent result (a panic, a trap):
/// shrinking usually leaves few, but a case that could not be shrunk may be long.
const SHOWN_OPS: usize = 60;

impl<S: SequenceSpec> Sequences<S> {
    fn expected(&self, setup: &S::Setup, ops: &[S::Op]) -> Vec<S::Ret> {
        let mut model = self.0.model(setup);
        ops.iter().map(|op| self.0.apply(&mut model, op)).collect()
    }

    /// The setup, then the calls `ops` with their results `rets` (the guest's, equal to
    /// the model's), the last one marked as the first result that differs.
    fn transcript(&self, setup: &S::Setup, ops: &[S::Op], rets: &[S::Ret]) -> String {
        let mut lines = vec![self.0.show_setup(setup)];
        for (i, (op, ret)) in ops.iter().zip(rets).enumerate() {
            if i + 1 == ops.len() {
                lines.push(format!(
                    "{}    <- call {}: the first result that differs",
                    self.0.show_op(op),
                    i + 1
                ));
            } else {
                lines.push(format!(
                    "{} -> {}",
                    self.0.show_op(op),
                    self.0.show_ret(ret)
                ));
            }
        }
        lines.join("\n")
    }
}

impl<S: SequenceSpec> FunctionSpec for Sequences<S> {
    type Input = (S::Setup, Vec<S::Op>);
    type Output = Vec<S::Ret>;

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        self.0.boundaries()
    }

    fn hits(&self, (setup, ops): &Self::Input) -> Vec<&'static str> {
        self.0.hits(setup, ops)
    }

    fn strategy(&self) -> BoxedStrategy<Self::Input> {
        self.0.strategy()
    }

    fn encode(&self, input: &Self::Input) -> Vec<u8> {
        wire::to_bytes(input)
    }

    fn decode(&self, (_, ops): &Self::Input, bytes: &[u8]) -> Option<Self::Output> {
        let rets: Vec<S::Ret> = wire::from_bytes(bytes)?;
        (rets.len() == ops.len()).then_some(rets)
    }

    fn check(&self, (setup, ops): &Self::Input, output: &Self::Output) -> Result<(), Mismatch> {
        let expected = self.expected(setup, ops);
        let Some(i) = expected.iter().zip(output).position(|(e, a)| e != a) else {
            return Ok(());
        };
        Err(Mismatch {
            verdict: Verdict::WrongAnswer,
            summary: format!(
                "call {} of {} returned a wrong result: {}",
                i + 1,
                ops.len(),
                self.0.show_op(&ops[i])
            ),
            call: Some(self.transcript(setup, &ops[..=i], &expected[..=i])),
            expected: self.0.show_ret(&expected[i]),
            actual: self.0.show_ret(&output[i]),
        })
    }

    fn show_call(&self, (setup, ops): &Self::Input) -> String {
        // The guest returned no results: the calls alone, none of them the model's.
        let mut lines = vec![self.0.show_setup(setup)];
        lines.extend(ops.iter().take(SHOWN_OPS).map(|op| self.0.show_op(op)));
        if ops.len() > SHOWN_OPS {
            lines.push(format!("// ... {} more calls", ops.len() - SHOWN_OPS));
        }
        lines.join("\n")
    }

    fn show_expected(&self, _input: &Self::Input) -> String {
        "every call returns".into()
    }

    fn calls(&self, (_, ops): &Self::Input) -> usize {
        ops.len()
    }

    fn encode_prefix(&self, (setup, ops): &Self::Input, k: usize) -> Vec<u8> {
        wire::to_bytes(&(setup.clone(), ops[..k.min(ops.len())].to_vec()))
    }

    fn show_step(&self, (setup, ops): &Self::Input, k: usize) -> String {
        match k.checked_sub(1).and_then(|i| ops.get(i)) {
            Some(op) => self.0.show_op(op),
            None => self.0.show_setup(setup),
        }
    }

    fn show_prefix(
        &self,
        (setup, ops): &Self::Input,
        k: usize,
        answers: &[u8],
        how: &str,
    ) -> (String, String) {
        let k = k.min(ops.len());
        let expected = self.expected(setup, &ops[..k]);
        let rets: Option<Vec<S::Ret>> =
            wire::from_bytes(answers).filter(|r: &Vec<S::Ret>| r.len() + 1 == k);
        let mut lines = Vec::new();
        if k == 0 {
            lines.push(format!("{}    <- {how}", self.0.show_setup(setup)));
            return (lines.join("\n"), "the constructor returns".into());
        }
        lines.push(self.0.show_setup(setup));
        for (i, op) in ops[..k - 1].iter().enumerate() {
            let line = match rets.as_ref().map(|r| &r[i]) {
                Some(got) if *got == expected[i] => {
                    format!("{} -> {}", self.0.show_op(op), self.0.show_ret(got))
                }
                Some(got) => format!(
                    "{} -> {}    // expected {}",
                    self.0.show_op(op),
                    self.0.show_ret(got),
                    self.0.show_ret(&expected[i])
                ),
                None => self.0.show_op(op),
            };
            lines.push(line);
        }
        lines.push(format!(
            "{}    <- call {k} {how}",
            self.0.show_op(&ops[k - 1])
        ));
        (lines.join("\n"), self.0.show_ret(&expected[k - 1]))
    }

    fn explain(&self, (setup, ops): &Self::Input, rets: Option<&Vec<S::Ret>>) -> Explained {
        self.0.explain(setup, ops, rets.map(|r| r.as_slice()))
    }

    fn workload(&self, n: u32, seed: u64) -> Option<Self::Input> {
        self.0.workload(n, seed)
    }

    fn small(&self, (setup, ops): &Self::Input, index: usize) -> Option<Self::Input> {
        // Every other case on the simplest setup (the smallest capacity), so that a few
        // operations reach what only a full object does (an eviction).
        let setup = match self.0.simpler_setup(setup).into_iter().next() {
            Some(simplest) if index % 2 == 1 => simplest,
            _ => setup.clone(),
        };
        Some((setup, ops[..ops.len().min(SMALL_OPS)].to_vec()))
    }

    fn describe_workload(&self, n: u32) -> String {
        self.0.describe_workload(n)
    }

    fn simpler(&self, (setup, ops): &Self::Input) -> Vec<Self::Input> {
        let n = ops.len();
        let mut out = Vec::new();
        // Delta debugging: drop chunks of n/2, n/4, ... operations, then single ones.
        let mut chunk = n / 2;
        while chunk >= 1 && n / chunk <= 256 {
            for start in (0..n).step_by(chunk) {
                let end = (start + chunk).min(n);
                let fewer: Vec<S::Op> = ops[..start].iter().chain(&ops[end..]).cloned().collect();
                out.push((setup.clone(), fewer));
            }
            chunk /= 2;
        }
        for simpler in self.0.simpler_setup(setup) {
            out.push((simpler, ops.clone()));
        }
        if n <= 32 {
            for (i, op) in ops.iter().enumerate() {
                for simpler in self.0.simpler_op(op) {
                    let mut ops = ops.clone();
                    ops[i] = simpler;
                    out.push((setup.clone(), ops));
                }
            }
        }
        out
    }
}
