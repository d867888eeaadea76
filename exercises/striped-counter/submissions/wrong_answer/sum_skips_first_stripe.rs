// Wrong answer: `sum` iterates over `self.stripes[1..]`, an off-by-one that skips stripe 0.
// Stripes are handed to threads round-robin from 0, so the first thread that ever updates the
// counter (in the judge's single-threaded scenarios, the only one) writes to stripe 0, and
// its updates never show in `sum`: increment() then sum() gives 0. Wrong on one thread, so the
// judge's single-threaded scenarios catch it before any concurrent one runs.

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
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let stripe = MY_STRIPE.with(|&stripe| stripe);
        self.stripes[stripe].0.fetch_add(delta, Ordering::SeqCst);
    }

    pub fn sum(&self) -> u64 {
        self.stripes[1..]
            .iter()
            .map(|stripe| stripe.0.load(Ordering::SeqCst))
            .sum()
    }
}
