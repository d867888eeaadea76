// Race detected: the same lost update as a load followed by a store, with the two steps in
// different functions: `add_and_get` loads, a helper that is never inlined computes the new
// value, and `add_and_get` stores it. Moving the arithmetic out of line changes nothing: the
// load and the store are still two separate atomic steps, and another thread can update the
// counter between them. Single-threaded every answer is right; the judge's scheduler switches
// threads between the load and the store, whatever function they are in, and finds two calls
// returning the same value.

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
        self.add_and_get(1)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        let current = self.value.load(Ordering::SeqCst);
        let next = advance(current, delta);
        self.value.store(next, Ordering::SeqCst);
        next
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

#[inline(never)]
fn advance(current: u64, delta: u64) -> u64 {
    current.checked_add(delta).expect("counter overflow")
}
