// Accepted: the LongAdder design. Eight AtomicU64 stripes, each alone on its cache line, and
// each thread adds to one of them, chosen on the thread's first update round-robin from a
// global counter and remembered in a thread-local. Threads may share a stripe (a ninth thread
// gets stripe 0 again), so the add is a `fetch_add`, never a load and a store. `sum` adds the
// stripes one by one: an add completed before the call has reached its stripe and is counted,
// and an add not yet started when the call returns cannot be, which is the contract.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const STRIPES: usize = 8;

static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_STRIPE: Cell<Option<usize>> = const { Cell::new(None) };
}

fn my_stripe() -> usize {
    MY_STRIPE.with(|mine| match mine.get() {
        Some(stripe) => stripe,
        None => {
            let stripe = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
            mine.set(Some(stripe));
            stripe
        }
    })
}

#[repr(align(64))]
struct Padded(AtomicU64);

pub struct StripedCounter {
    stripes: [Padded; STRIPES],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            stripes: std::array::from_fn(|_| Padded(AtomicU64::new(0))),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        self.stripes[my_stripe()]
            .0
            .fetch_add(delta, Ordering::SeqCst);
    }

    pub fn sum(&self) -> u64 {
        self.stripes
            .iter()
            .map(|stripe| stripe.0.load(Ordering::SeqCst))
            .sum()
    }
}
