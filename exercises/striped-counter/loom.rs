//! Loom models of the striped-counter reference (run with `--cfg loom`; see reference/src/loom_support.rs).
#![allow(unused_imports)]

use super::StripedCounter;
use crate::loom_support::*;
use loom::sync::atomic::{AtomicU64, Ordering::SeqCst};
use loom::sync::{Arc, Mutex};
use loom::thread;
use std::cell::Cell;
use std::collections::BTreeSet;

trait Adder: Send + Sync + 'static {
    fn new() -> Self;
    fn increment(&self);
    fn add(&self, delta: u64);
    fn sum(&self) -> u64;
}

impl Adder for StripedCounter {
    fn new() -> Self {
        StripedCounter::new()
    }
    fn increment(&self) {
        StripedCounter::increment(self)
    }
    fn add(&self, delta: u64) {
        StripedCounter::add(self, delta)
    }
    fn sum(&self) -> u64 {
        StripedCounter::sum(self)
    }
}

/// Known bad: each thread walks through the stripes, one per call, so two threads share a
/// stripe as soon as their call counts agree modulo the stripe count (their very first calls
/// already do), and the stripe update is a load and then a store, losing one of two concurrent
/// adds to a shared stripe.
struct RotatingLoadThenStore {
    stripes: [AtomicU64; 4],
}

loom::thread_local! {
    static CALLS: Cell<usize> = Cell::new(0);
}

impl Adder for RotatingLoadThenStore {
    fn new() -> Self {
        RotatingLoadThenStore {
            stripes: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
    fn increment(&self) {
        self.add(1)
    }
    fn add(&self, delta: u64) {
        let call = CALLS.with(|calls| calls.replace(calls.get() + 1));
        let stripe = &self.stripes[call % self.stripes.len()];
        stripe.store(stripe.load(SeqCst) + delta, SeqCst);
    }
    fn sum(&self) -> u64 {
        self.stripes.iter().map(|stripe| stripe.load(SeqCst)).sum()
    }
}

/// Two writers (an increment and an add of 3) while the main thread sums twice: each sum lies
/// between the adds completed before it and those started before it returned; after the
/// writers are joined the sum is exact.
fn concurrent_writers_and_sums<A: Adder>() {
    explore(|| {
        let counter = Arc::new(A::new());
        let announced = Arc::new(Announcements::new());
        let writers = [1, 3].map(|delta| {
            let (counter, announced) = (counter.clone(), announced.clone());
            thread::spawn(move || {
                announced.update(delta, || {
                    if delta == 1 {
                        counter.increment()
                    } else {
                        counter.add(delta)
                    }
                })
            })
        });
        announced.read(|| counter.sum());
        announced.read(|| counter.sum());
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(counter.sum(), 4, "sum after both writers finished");
    });
}

/// A thread's own adds are always visible to its own later sums, with another writer running.
fn read_your_writes<A: Adder>() {
    explore(|| {
        let counter = Arc::new(A::new());
        let other = {
            let counter = counter.clone();
            thread::spawn(move || counter.add(10))
        };
        counter.increment();
        let sum = counter.sum();
        assert!(sum == 1 || sum == 11, "sum after my increment: {sum}");
        counter.increment();
        let sum = counter.sum();
        assert!(sum == 2 || sum == 12, "sum after my two increments: {sum}");
        other.join().unwrap();
        assert_eq!(counter.sum(), 12, "sum after both writers finished");
    });
}

#[test]
fn striped_counter_concurrent_writers_and_sums() {
    concurrent_writers_and_sums::<StripedCounter>();
}

#[test]
fn striped_counter_read_your_writes() {
    read_your_writes::<StripedCounter>();
}

#[test]
#[should_panic(expected = "sum after both writers finished")]
fn concurrent_writers_catch_a_load_then_store_stripe() {
    concurrent_writers_and_sums::<RotatingLoadThenStore>();
}
