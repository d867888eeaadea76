//! striped-counter: concurrent increments, and `sum` held to its weaker contract: between
//! the increments completed before the call and those started before it returned; exact
//! once the writers are joined.

use crate::concurrent::{Checked, Concurrent, ConcurrentSpec, Rng, Scenario, Violation};
use crate::linearizability::{Model, Operation};

pub static SUITE: Concurrent<StripedCounterSpec> = Concurrent(StripedCounterSpec);

pub struct StripedCounterSpec;

use crate::wire::{self, Wire};
// `Op` and `Ret`, and how they cross the wire: the same file the guest's harness is built
// with.
include!("wire.rs");

/// The sequential counter (what `sum` must say when nothing runs concurrently).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Counter(pub u64);

impl Model for Counter {
    type Op = Op;
    type Ret = Ret;
    fn step(&self, op: &Op, ret: &Ret) -> Option<Self> {
        match (op, ret) {
            (Op::Increment, Ret::Done) => Some(Counter(self.0.checked_add(1)?)),
            (Op::Add(d), Ret::Done) => Some(Counter(self.0.checked_add(*d)?)),
            (Op::Sum, Ret::Sum(v)) if *v == self.0 => Some(*self),
            _ => None,
        }
    }
}

fn delta(op: &Op) -> u64 {
    match op {
        Op::Increment => 1,
        Op::Add(d) => *d,
        Op::Sum => 0,
    }
}

impl ConcurrentSpec for StripedCounterSpec {
    type Setup = ();
    type Op = Op;
    type Ret = Ret;
    type Model = Counter;

    fn gen_setup(&self, _rng: &mut Rng) {}

    fn gen_op(&self, _setup: &(), rng: &mut Rng) -> Op {
        match rng.range(0, 7) {
            0..=3 => Op::Increment,
            4 => Op::Add(rng.range(0, 5)),
            5 => Op::Add(if rng.chance(1, 2) {
                rng.range(2, 1_000)
            } else {
                rng.range(1 << 32, 1 << 40)
            }),
            _ => Op::Sum,
        }
    }

    fn after(&self, _setup: &()) -> Vec<Op> {
        vec![Op::Sum]
    }

    fn model(&self, _setup: &()) -> Counter {
        Counter(0)
    }

    fn show_setup(&self, _setup: &()) -> String {
        "StripedCounter::new()".into()
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Increment => "increment()".into(),
            Op::Add(d) => format!("add({d})"),
            Op::Sum => "sum()".into(),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        match ret {
            Ret::Done => "()".into(),
            Ret::Sum(v) => v.to_string(),
        }
    }

    fn simpler_op(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::Add(d) if *d > 1 => vec![Op::Add(1), Op::Increment],
            Op::Add(_) => vec![Op::Increment],
            _ => Vec::new(),
        }
    }

    /// Every `sum` lies between the writes that completed before it started and the writes
    /// that started before it returned (exact when nothing overlaps it).
    fn check(&self, _setup: &(), history: &[Operation<Op, Ret>]) -> Result<(), Checked> {
        let mut writes: Vec<(u64, u64, u64)> = history
            .iter()
            .filter(|o| o.op != Op::Sum)
            .map(|o| (o.invoke, o.response, delta(&o.op)))
            .collect();
        writes.sort_unstable();
        for o in history {
            let Ret::Sum(v) = o.ret else { continue };
            let (mut lower, mut upper) = (0u64, 0u64);
            for &(invoke, response, d) in &writes {
                if response < o.invoke {
                    lower = lower.saturating_add(d);
                }
                if invoke < o.response {
                    upper = upper.saturating_add(d);
                }
            }
            if v < lower || v > upper {
                let expected = if lower == upper {
                    format!("sum() = {lower}: the total of every write before it")
                } else {
                    format!(
                        "{lower} <= sum() <= {upper}: at least the writes completed before \
                         the call ({lower}), at most those started before it returned ({upper})"
                    )
                };
                return Err(Checked::Violated(Violation {
                    summary: format!("sum() returned {v}, outside what its contract allows"),
                    expected,
                    actual: format!("sum() returned {v}"),
                }));
            }
        }
        Ok(())
    }

    /// Four writers, `n / 4` updates each: increments, and one in four an `add` of 2-9 (which
    /// and how much from the seed; the same work whatever it is), then `sum()`.
    fn workload(&self, n: u32, seed: u64) -> Option<Scenario<(), Op>> {
        let writers = 4;
        let mut rng = Rng::new(seed ^ 0x5354_5249_5045);
        Some(Scenario {
            setup: (),
            threads: (0..writers)
                .map(|_| {
                    (0..n / writers)
                        .map(|_| {
                            if rng.chance(1, 4) {
                                Op::Add(rng.range(2, 9))
                            } else {
                                Op::Increment
                            }
                        })
                        .collect()
                })
                .collect(),
            after: vec![Op::Sum],
        })
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "4 writer threads, {} increments and small adds each, then sum()",
            n / 4
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(thread: usize, op: Op, ret: Ret, invoke: u64, response: u64) -> Operation<Op, Ret> {
        Operation {
            thread,
            op,
            ret,
            invoke,
            response,
        }
    }

    #[test]
    fn the_workload_comes_from_the_seed_and_keeps_its_shape() {
        let a = StripedCounterSpec.workload(400, 1).unwrap();
        let b = StripedCounterSpec.workload(400, 2).unwrap();
        assert_eq!(a, StripedCounterSpec.workload(400, 1).unwrap());
        assert_ne!(a, b);
        for w in [&a, &b] {
            assert_eq!(w.threads.len(), 4);
            assert!(w.threads.iter().all(|t| t.len() == 100));
            assert_eq!(w.after, [Op::Sum]);
        }
    }

    #[test]
    fn sum_between_completed_and_started_writes_passes() {
        let h = [
            op(0, Op::Increment, Ret::Done, 0, 1),
            op(1, Op::Add(5), Ret::Done, 2, 9),
            op(2, Op::Sum, Ret::Sum(1), 3, 4),
            op(2, Op::Sum, Ret::Sum(6), 5, 6),
        ];
        assert!(StripedCounterSpec.check(&(), &h).is_ok());
    }

    #[test]
    fn a_sum_missing_a_completed_write_fails() {
        let h = [
            op(0, Op::Increment, Ret::Done, 0, 1),
            op(1, Op::Sum, Ret::Sum(0), 2, 3),
        ];
        assert!(StripedCounterSpec.check(&(), &h).is_err());
    }

    #[test]
    fn a_sum_counting_a_write_not_yet_started_fails() {
        let h = [
            op(1, Op::Sum, Ret::Sum(1), 0, 1),
            op(0, Op::Increment, Ret::Done, 2, 3),
        ];
        assert!(StripedCounterSpec.check(&(), &h).is_err());
    }
}
