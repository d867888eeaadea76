// Wrong answer: the updates are a correct `fetch_add`, but they return what `fetch_add`
// returns, the value *before* the addition, where the contract asks for the value after it:
// the first `increment_and_get` on a new counter returns 0 instead of 1. Every update call
// is off by its delta even on one thread, so the judge's single-threaded scenarios catch it
// before any concurrent one runs.

use std::sync::atomic::{AtomicU64, Ordering};

pub struct AtomicCounter {
    value: AtomicU64,
}

impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            value: AtomicU64::new(0),
        }
    }

    pub fn increment_and_get(&self) -> u64 {
        self.value.fetch_add(1, Ordering::SeqCst)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value.fetch_add(delta, Ordering::SeqCst)
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
