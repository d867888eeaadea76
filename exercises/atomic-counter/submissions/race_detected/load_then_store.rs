// Race detected: the update reads the value with one atomic load and writes value + delta
// with a separate atomic store. Each step is atomic, the pair is not: two threads can both
// load 5, both store 6, and both return 6, so one increment is lost and two calls return the
// same value. Single-threaded every answer is right; the judge's scheduler switches threads
// between the load and the store and finds two increments returning the same value, which no
// order of the calls explains.

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
        let next = self.value.load(Ordering::SeqCst) + delta;
        self.value.store(next, Ordering::SeqCst);
        next
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
