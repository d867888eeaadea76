// Reference for striped-counter: a counter that many threads can update without contending,
// in the style of Java's LongAdder.
//
// A single atomic counter makes every writer fight over one cache line: each `fetch_add` must
// own the line exclusively, so with several writers the line bounces between cores and the
// adds serialise. Here the count is split over STRIPES atomics, each padded to its own cache
// line, and every thread adds to "its" stripe only. A thread's stripe is fixed on its first
// update, round-robin from a global counter, so the first STRIPES threads to write each get a
// line to themselves, and later ones share as evenly as round-robin allows. Threads can still
// share a stripe, so the update stays a `fetch_add`, never a load and a store.
//
// `sum` adds the stripes one after the other while writers may be running, so it is not a
// snapshot of one instant: an add to a stripe already read is missed and one to a stripe read
// later is counted. That is the contract: the result counts every add that completed before
// `sum` started and only adds that started before it returned; once writers are quiescent it is
// exact. Adds release and reads acquire, so a thread that sees an add counted also sees what its
// thread did before the add (on WebAssembly every atomic is sequentially consistent anyway).
//
// This file is also judged as a submission, so it follows the submission rules: std only, `//`
// comments only, no crate-level attributes. Under `--cfg loom` it is built on loom's atomics
// and thread-locals, which explore every interleaving and every outcome the memory model
// allows.

#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

// More stripes than the writer threads one expects; a power of two keeps `%` cheap.
const STRIPES: usize = 16;

// The next stripe to hand to a thread making its first update. A plain static in std; loom's
// atomics cannot be built in a const context, and loom resets its lazy statics for every
// execution it explores.
#[cfg(not(loom))]
static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);
#[cfg(loom)]
loom::lazy_static! {
    static ref NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);
}

// This thread's stripe, taken on the first update it makes (to any counter: one index serves
// every StripedCounter, which is enough to spread the threads). Relaxed: the index is only a
// hint for spreading the load, and correctness never depends on which stripe a thread uses.
#[cfg(not(loom))]
std::thread_local! {
    static MY_STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
}
#[cfg(loom)]
loom::thread_local! {
    static MY_STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
}

// One cache line per stripe, so that writers on different stripes never share a line.
#[repr(align(64))]
struct Stripe(AtomicU64);

pub struct StripedCounter {
    stripes: Box<[Stripe]>,
}

#[allow(clippy::new_without_default)] // the contract is exactly new/increment/add/sum
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
        let stripe = MY_STRIPE.with(|&stripe| stripe);
        self.stripes[stripe].0.fetch_add(delta, Ordering::Release);
    }

    // Exact once writers are quiescent; during writes, between the adds completed before the
    // call and those started before it returned. Wraps at 2^64 like the stripes themselves.
    pub fn sum(&self) -> u64 {
        self.stripes.iter().fold(0u64, |sum, stripe| {
            sum.wrapping_add(stripe.0.load(Ordering::Acquire))
        })
    }
}
