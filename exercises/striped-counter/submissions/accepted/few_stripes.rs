// Accepted: only two stripes, the thread's stripe taken from a thread-local that alternates
// between them in the order threads first update (odd threads on one, even on the other).
// With four writers, each stripe is shared by two: less relief from contention than the
// reference's, but every add is a `fetch_add`, so nothing is lost, and `sum` reads both
// stripes, which meets its contract. Correct, and fast enough for the throughput gate.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

static THREADS_SEEN: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static PARITY: usize = THREADS_SEEN.fetch_add(1, Ordering::Relaxed) % 2;
}

#[repr(align(64))]
struct Stripe(AtomicU64);

pub struct StripedCounter {
    stripes: [Stripe; 2],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            stripes: [Stripe(AtomicU64::new(0)), Stripe(AtomicU64::new(0))],
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let stripe = PARITY.with(|&parity| parity);
        self.stripes[stripe].0.fetch_add(delta, Ordering::AcqRel);
    }

    pub fn sum(&self) -> u64 {
        self.stripes[0].0.load(Ordering::Acquire) + self.stripes[1].0.load(Ordering::Acquire)
    }
}
