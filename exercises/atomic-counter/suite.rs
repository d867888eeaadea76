//! atomic-counter: calls from several threads, checked for linearizability against a
//! sequential counter.

use crate::concurrent::{Concurrent, ConcurrentSpec, Rng};
use crate::linearizability::Model;

pub static SUITE: Concurrent<AtomicCounterSpec> = Concurrent(AtomicCounterSpec);

pub struct AtomicCounterSpec;

use crate::wire::{self, Wire};
// `Op`, and how it crosses the wire: the same file the guest's harness is built with.
include!("wire.rs");

/// The sequential counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Counter(pub u64);

impl Model for Counter {
    type Op = Op;
    type Ret = u64;
    fn step(&self, op: &Op, ret: &u64) -> Option<Self> {
        let next = match op {
            Op::IncrementAndGet => self.0.checked_add(1)?,
            Op::AddAndGet(d) => self.0.checked_add(*d)?,
            Op::Get => self.0,
        };
        (next == *ret).then_some(Counter(next))
    }
}

impl ConcurrentSpec for AtomicCounterSpec {
    type Setup = ();
    type Op = Op;
    type Ret = u64;
    type Model = Counter;

    fn gen_setup(&self, _rng: &mut Rng) {}

    fn gen_op(&self, _setup: &(), rng: &mut Rng) -> Op {
        match rng.range(0, 7) {
            0..=3 => Op::IncrementAndGet,
            4 => Op::AddAndGet(rng.range(0, 5)),
            // Deltas past 32 bits catch a counter that keeps less than a u64.
            5 => Op::AddAndGet(if rng.chance(1, 2) {
                rng.range(2, 1_000)
            } else {
                rng.range(1 << 32, 1 << 40)
            }),
            _ => Op::Get,
        }
    }

    fn after(&self, _setup: &()) -> Vec<Op> {
        vec![Op::Get]
    }

    fn model(&self, _setup: &()) -> Counter {
        Counter(0)
    }

    fn show_setup(&self, _setup: &()) -> String {
        "AtomicCounter::new()".into()
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::IncrementAndGet => "increment_and_get()".into(),
            Op::AddAndGet(d) => format!("add_and_get({d})"),
            Op::Get => "get()".into(),
        }
    }

    fn show_ret(&self, ret: &u64) -> String {
        ret.to_string()
    }

    fn simpler_op(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::AddAndGet(d) if *d > 1 => vec![Op::AddAndGet(1), Op::IncrementAndGet],
            Op::AddAndGet(_) => vec![Op::IncrementAndGet],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_counts() {
        let c = Counter(0);
        let c = c.step(&Op::IncrementAndGet, &1).unwrap();
        assert_eq!(c.step(&Op::AddAndGet(3), &4), Some(Counter(4)));
        assert_eq!(c.step(&Op::Get, &2), None);
    }
}
