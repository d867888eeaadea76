//! Native tests of the atomic-counter reference: the sequential contract, real threads, and a
//! model over random operation sequences. The exhaustive interleavings are in `loom.rs`.
#![cfg(not(loom))]

use super::AtomicCounter;
use proptest::prelude::*;
use std::thread;

#[test]
fn a_new_counter_is_zero() {
    assert_eq!(AtomicCounter::new().get(), 0);
}

#[test]
fn increments_return_the_new_value() {
    let counter = AtomicCounter::new();
    assert_eq!(counter.increment_and_get(), 1);
    assert_eq!(counter.increment_and_get(), 2);
    assert_eq!(counter.get(), 2);
    assert_eq!(counter.increment_and_get(), 3);
    assert_eq!(counter.get(), 3);
}

#[test]
fn adds_return_the_new_value() {
    let counter = AtomicCounter::new();
    assert_eq!(counter.add_and_get(5), 5);
    assert_eq!(counter.add_and_get(0), 5);
    assert_eq!(counter.increment_and_get(), 6);
    assert_eq!(counter.add_and_get(1_000_000_000_000), 1_000_000_000_006);
    assert_eq!(counter.get(), 1_000_000_000_006);
}

#[test]
fn get_changes_nothing() {
    let counter = AtomicCounter::new();
    counter.add_and_get(7);
    assert_eq!(counter.get(), 7);
    assert_eq!(counter.get(), 7);
    assert_eq!(counter.increment_and_get(), 8);
}

#[test]
fn wraps_like_the_atomic_itself() {
    let counter = AtomicCounter::new();
    assert_eq!(counter.add_and_get(u64::MAX), u64::MAX);
    assert_eq!(counter.increment_and_get(), 0);
    assert_eq!(counter.add_and_get(3), 3);
}

#[test]
fn is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<AtomicCounter>();
}

const THREADS: u64 = 4;
const OPS: u64 = 10_000;

#[test]
fn concurrent_increments_return_distinct_consecutive_values() {
    let counter = AtomicCounter::new();
    let mut seen: Vec<u64> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::with_capacity(OPS as usize);
                    let mut last_get = 0;
                    for _ in 0..OPS {
                        let value = counter.increment_and_get();
                        // Values a thread gets only grow, and a get never goes backwards.
                        assert!(mine.last().is_none_or(|&last| value > last));
                        let now = counter.get();
                        assert!(now >= value && now >= last_get);
                        last_get = now;
                        mine.push(value);
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    seen.sort_unstable();
    assert_eq!(seen, (1..=THREADS * OPS).collect::<Vec<_>>());
    assert_eq!(counter.get(), THREADS * OPS);
}

#[test]
fn concurrent_adds_partition_the_total() {
    // Each thread adds its own delta; every add's result is the end of a distinct interval of
    // the total, so the intervals [result - delta, result) tile 0..total exactly.
    let counter = AtomicCounter::new();
    let mut intervals: Vec<(u64, u64)> = thread::scope(|scope| {
        let workers: Vec<_> = (1..=THREADS)
            .map(|delta| {
                let counter = &counter;
                scope.spawn(move || {
                    (0..OPS)
                        .map(|_| {
                            let end = counter.add_and_get(delta);
                            (end - delta, end)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    intervals.sort_unstable();
    let mut next = 0;
    for (start, end) in intervals {
        assert_eq!(start, next);
        next = end;
    }
    let total = OPS * (1..=THREADS).sum::<u64>();
    assert_eq!(next, total);
    assert_eq!(counter.get(), total);
}

#[derive(Clone, Debug)]
enum Op {
    Increment,
    Add(u64),
    Get,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn matches_a_plain_integer(ops in prop::collection::vec(
        prop_oneof![
            Just(Op::Increment),
            any::<u64>().prop_map(Op::Add),
            (0..100u64).prop_map(Op::Add),
            Just(Op::Get),
        ],
        0..100,
    )) {
        let counter = AtomicCounter::new();
        let mut model = 0u64;
        for op in &ops {
            let (actual, expected) = match *op {
                Op::Increment => (counter.increment_and_get(), { model = model.wrapping_add(1); model }),
                Op::Add(delta) => (counter.add_and_get(delta), { model = model.wrapping_add(delta); model }),
                Op::Get => (counter.get(), model),
            };
            prop_assert_eq!(actual, expected, "{:?}", op);
        }
    }
}
