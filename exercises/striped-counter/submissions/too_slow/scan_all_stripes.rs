// Too slow: correct, but every update scans all 2,048 stripes to find the least loaded one
// and adds to it, hoping to balance the stripes. The add itself is a `fetch_add` and `sum`
// reads every stripe, so every answer meets the contract and the hidden tests pass; but an
// update costs O(stripes) loads instead of O(1), thousands of times the reference's work, and
// the scan reads cache lines that the other writers keep invalidating. The throughput gate
// (several writer threads incrementing concurrently, timed against the reference) rejects it
// as `too_slow`.

use std::sync::atomic::{AtomicU64, Ordering};

const STRIPES: usize = 2048;

#[repr(align(64))]
struct Stripe(AtomicU64);

pub struct StripedCounter {
    stripes: Vec<Stripe>,
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            stripes: (0..STRIPES).map(|_| Stripe(AtomicU64::new(0))).collect(),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let mut least = 0;
        let mut least_value = u64::MAX;
        for (i, stripe) in self.stripes.iter().enumerate() {
            let value = stripe.0.load(Ordering::Relaxed);
            if value < least_value {
                least = i;
                least_value = value;
            }
        }
        self.stripes[least].0.fetch_add(delta, Ordering::SeqCst);
    }

    pub fn sum(&self) -> u64 {
        self.stripes
            .iter()
            .map(|stripe| stripe.0.load(Ordering::SeqCst))
            .sum()
    }
}
