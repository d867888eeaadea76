// Race detected: the update itself is a correct `fetch_add`, but the value returned is read
// again afterwards with a separate load, instead of being computed from what `fetch_add`
// returned. Another thread's update can land in between: from 0, two concurrent increments
// both `fetch_add` (the counter reaches 2) and then both load 2, so both return 2. No update is
// lost and every `get` is right, yet two increments returning the same value fit no order of
// the calls. Single-threaded every answer is right.

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
        self.value.fetch_add(1, Ordering::SeqCst);
        self.value.load(Ordering::SeqCst)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value.fetch_add(delta, Ordering::SeqCst);
        self.value.load(Ordering::SeqCst)
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
