//! Native tests of the striped-counter reference: the sequential contract, real threads, the
//! bounds on a concurrent `sum`, and a model over random operation sequences. The exhaustive
//! interleavings are in `loom.rs`.
#![cfg(not(loom))]

use super::StripedCounter;
use proptest::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

#[test]
fn a_new_counter_sums_to_zero() {
    assert_eq!(StripedCounter::new().sum(), 0);
}

#[test]
fn increments_and_adds_are_summed() {
    let counter = StripedCounter::new();
    counter.increment();
    counter.increment();
    assert_eq!(counter.sum(), 2);
    counter.add(40);
    counter.add(0);
    assert_eq!(counter.sum(), 42);
    counter.add(1_000_000_000_000);
    assert_eq!(counter.sum(), 1_000_000_000_042);
}

#[test]
fn counters_are_independent() {
    // The stripe index is per thread and shared by all counters; the counts are not.
    let a = StripedCounter::new();
    let b = StripedCounter::new();
    a.add(3);
    b.add(5);
    a.increment();
    assert_eq!(a.sum(), 4);
    assert_eq!(b.sum(), 5);
}

#[test]
fn wraps_like_the_stripes() {
    let counter = StripedCounter::new();
    counter.add(u64::MAX);
    counter.increment();
    assert_eq!(counter.sum(), 0);
    thread::scope(|scope| {
        scope.spawn(|| counter.add(u64::MAX));
    });
    assert_eq!(counter.sum(), u64::MAX);
}

#[test]
fn is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<StripedCounter>();
}

const THREADS: u64 = 4;
const OPS: u64 = 10_000;

#[test]
fn concurrent_writers_are_summed_exactly() {
    // More threads than stripes, so some stripes are shared, and more than once over.
    let counter = StripedCounter::new();
    thread::scope(|scope| {
        for t in 0..THREADS * 10 {
            let counter = &counter;
            scope.spawn(move || {
                for i in 0..OPS / 10 {
                    if (t + i) % 2 == 0 {
                        counter.increment();
                    } else {
                        counter.add(t);
                    }
                }
            });
        }
    });
    let expected: u64 = (0..THREADS * 10)
        .map(|t| {
            (0..OPS / 10)
                .map(|i| if (t + i) % 2 == 0 { 1 } else { t })
                .sum::<u64>()
        })
        .sum();
    assert_eq!(counter.sum(), expected);
}

#[test]
fn a_sum_during_writes_lies_between_completed_and_started_adds() {
    // Writers announce each add before starting it and after completing it; a reader checks
    // every sum against the completed total before its call and the started total after it.
    let counter = StripedCounter::new();
    let started = AtomicU64::new(0);
    let completed = AtomicU64::new(0);
    thread::scope(|scope| {
        for delta in 1..=THREADS {
            let (counter, started, completed) = (&counter, &started, &completed);
            scope.spawn(move || {
                for _ in 0..OPS {
                    started.fetch_add(delta, Ordering::SeqCst);
                    if delta == 1 {
                        counter.increment();
                    } else {
                        counter.add(delta);
                    }
                    completed.fetch_add(delta, Ordering::SeqCst);
                }
            });
        }
        scope.spawn(|| {
            let total = OPS * (1..=THREADS).sum::<u64>();
            loop {
                let low = completed.load(Ordering::SeqCst);
                let sum = counter.sum();
                let high = started.load(Ordering::SeqCst);
                assert!(low <= sum && sum <= high, "{low} <= {sum} <= {high}");
                if low == total {
                    break;
                }
            }
        });
    });
    assert_eq!(counter.sum(), OPS * (1..=THREADS).sum::<u64>());
}

#[derive(Clone, Debug)]
enum Op {
    Increment,
    Add(u64),
    Sum,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn matches_a_plain_integer(ops in prop::collection::vec(
        prop_oneof![
            Just(Op::Increment),
            any::<u64>().prop_map(Op::Add),
            (0..100u64).prop_map(Op::Add),
            Just(Op::Sum),
        ],
        0..100,
    )) {
        let counter = StripedCounter::new();
        let mut model = 0u64;
        for op in &ops {
            match *op {
                Op::Increment => { counter.increment(); model = model.wrapping_add(1); }
                Op::Add(delta) => { counter.add(delta); model = model.wrapping_add(delta); }
                Op::Sum => prop_assert_eq!(counter.sum(), model),
            }
        }
        prop_assert_eq!(counter.sum(), model);
    }
}
