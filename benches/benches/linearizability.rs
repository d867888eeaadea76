//! The linearizability checker on linearizable histories: an atomic fetch-and-increment
//! counter at 1,000 and 10,000 operations, and an LRU cache (capacity 4, 8 keys) at 1,000,
//! each from 4 threads with heavily overlapping intervals, built deterministically from a
//! fixed seed.
//!
//! Run: cargo bench -p judge-benches --bench linearizability

use criterion::{criterion_group, BenchmarkId, Criterion};
use judge_exercises::concurrent::Rng;
use judge_exercises::linearizability::{check, Model, Operation, Verdict};
use std::hint::black_box;

/// A linearizable history of `n` operations from `op`, run by 4 threads: each thread runs
/// its operations one after another, each takes effect atomically at a point inside its
/// interval (intervals up to 40 ticks, gaps of 1 or 2, so up to 4 operations overlap), and
/// returns what `apply` says at that point. Clock values are distinct.
fn history<M, Op, Ret>(
    n: usize,
    seed: u64,
    init: M,
    mut op: impl FnMut(&mut Rng) -> Op,
    apply: impl Fn(&mut M, &Op) -> Ret,
) -> Vec<Operation<Op, Ret>> {
    const THREADS: usize = 4;
    let mut rng = Rng::new(seed);
    let mut clocks = [0u64; THREADS];
    let stamp = |t: u64, thread: usize, event: u64| t * 16 + thread as u64 * 3 + event;
    let mut planned = Vec::with_capacity(n);
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        let thread = rng.range(0, THREADS as u64 - 1) as usize;
        let t = &mut clocks[thread];
        *t += rng.range(1, 2);
        let invoke = stamp(*t, thread, 0);
        *t += rng.range(1, 20);
        points.push((stamp(*t, thread, 1), i));
        *t += rng.range(1, 20);
        let response = stamp(*t, thread, 2);
        planned.push((thread, op(&mut rng), invoke, response));
    }
    points.sort_unstable();
    let mut state = init;
    let mut rets: Vec<Option<Ret>> = (0..n).map(|_| None).collect();
    for (_, i) in points {
        rets[i] = Some(apply(&mut state, &planned[i].1));
    }
    planned
        .into_iter()
        .zip(rets)
        .map(|((thread, op, invoke, response), ret)| Operation {
            thread,
            op,
            ret: ret.expect("every operation applied"),
            invoke,
            response,
        })
        .collect()
}

/// A fetch-and-increment counter: `true` increments and returns the new value, `false` reads.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Counter(u64);

impl Model for Counter {
    type Op = bool;
    type Ret = u64;
    fn step(&self, increment: &bool, ret: &u64) -> Option<Self> {
        let after = self.0 + u64::from(*increment);
        (*ret == after).then_some(Counter(after))
    }
}

fn counter_history(n: usize) -> Vec<Operation<bool, u64>> {
    history(
        n,
        0x5eed_cafe,
        0u64,
        |rng| !rng.chance(1, 4),
        |value, &increment| {
            *value += u64::from(increment);
            *value
        },
    )
}

#[derive(Clone, Copy, Debug)]
enum LruOp {
    Get(u8),
    Put(u8, u32),
}

/// An LRU cache of capacity 4: entries least recently used first. `Get` returns the value or
/// `None` (and refreshes the key); `Put` returns `None` (and evicts the oldest when full).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
struct Lru(Vec<(u8, u32)>);

impl Lru {
    const CAPACITY: usize = 4;

    fn apply(&mut self, op: &LruOp) -> Option<u32> {
        match *op {
            LruOp::Get(k) => {
                let at = self.0.iter().position(|&(key, _)| key == k)?;
                let entry = self.0.remove(at);
                self.0.push(entry);
                Some(entry.1)
            }
            LruOp::Put(k, v) => {
                if let Some(at) = self.0.iter().position(|&(key, _)| key == k) {
                    self.0.remove(at);
                } else if self.0.len() == Self::CAPACITY {
                    self.0.remove(0);
                }
                self.0.push((k, v));
                None
            }
        }
    }
}

impl Model for Lru {
    type Op = LruOp;
    type Ret = Option<u32>;
    fn step(&self, op: &LruOp, ret: &Option<u32>) -> Option<Self> {
        let mut after = self.clone();
        (after.apply(op) == *ret).then_some(after)
    }
}

fn lru_history(n: usize) -> Vec<Operation<LruOp, Option<u32>>> {
    history(
        n,
        0x1bad_b002,
        Lru::default(),
        |rng| {
            let key = rng.range(0, 7) as u8;
            if rng.chance(1, 2) {
                LruOp::Get(key)
            } else {
                LruOp::Put(key, rng.range(0, 999) as u32)
            }
        },
        |lru, op| lru.apply(op),
    )
}

const BUDGET: u64 = 10_000_000;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("linearizability");
    g.sample_size(30);
    for n in [1_000, 10_000] {
        let h = counter_history(n);
        assert!(check(&Counter(0), &h, BUDGET).is_linearizable());
        g.bench_with_input(BenchmarkId::new("counter", n), &h, |b, h| {
            b.iter(|| black_box(check(&Counter(0), black_box(h), BUDGET)))
        });
    }
    let h = lru_history(1_000);
    assert!(matches!(
        check(&Lru::default(), &h, BUDGET),
        Verdict::Linearizable { .. }
    ));
    g.bench_with_input(BenchmarkId::new("lru", 1_000), &h, |b, h| {
        b.iter(|| black_box(check(&Lru::default(), black_box(h), BUDGET)))
    });
    g.finish();
}

criterion_group!(all, benches);

fn main() {
    all();
    Criterion::default().configure_from_args().final_summary();
}
