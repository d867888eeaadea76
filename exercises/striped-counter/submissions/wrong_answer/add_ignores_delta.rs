// Wrong answer: `add` was written as a copy of `increment` and adds 1 whatever `delta` is.
// Striping and atomics are right, so nothing is ever lost, but `add(5)` on a new counter
// followed by `sum()` gives 1, and so does `add(0)`. Wrong on one thread, so the judge's
// single-threaded scenarios catch it before any concurrent one runs.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const STRIPES: usize = 8;

static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
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
        let stripe = MY_STRIPE.with(|&stripe| stripe);
        self.stripes[stripe].0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn add(&self, _delta: u64) {
        let stripe = MY_STRIPE.with(|&stripe| stripe);
        self.stripes[stripe].0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn sum(&self) -> u64 {
        self.stripes
            .iter()
            .map(|stripe| stripe.0.load(Ordering::SeqCst))
            .sum()
    }
}
