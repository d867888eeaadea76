// Race detected: four padded stripes, and each thread walks through them, one stripe per
// call, to spread its updates. The author reasoned that a stripe belongs to one thread at a
// time and updated it with a load and then a store. But every thread starts its walk at
// stripe 0, so two threads' first updates (and their second, and so on) land on the same
// stripe; if one loads, the other then loads and stores, and the first stores, the second
// update is lost. Single-threaded every sum is exact; under the judge's scheduler the sum
// after joining misses an update that completed, which breaks the contract.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

const STRIPES: usize = 4;

thread_local! {
    static CALLS: Cell<usize> = const { Cell::new(0) };
}

#[repr(align(64))]
struct Stripe(AtomicU64);

pub struct StripedCounter {
    stripes: [Stripe; STRIPES],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            stripes: std::array::from_fn(|_| Stripe(AtomicU64::new(0))),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let call = CALLS.with(|calls| calls.replace(calls.get() + 1));
        let stripe = &self.stripes[call % STRIPES].0;
        let next = stripe.load(Ordering::SeqCst) + delta;
        stripe.store(next, Ordering::SeqCst);
    }

    pub fn sum(&self) -> u64 {
        self.stripes
            .iter()
            .map(|stripe| stripe.0.load(Ordering::SeqCst))
            .sum()
    }
}
