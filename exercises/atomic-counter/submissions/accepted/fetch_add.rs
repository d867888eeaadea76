// Accepted: one AtomicU64 and `fetch_add` with SeqCst. The read and the write of each update
// are one indivisible read-modify-write, so concurrent increments can never read the same old
// value; `fetch_add` returns the value it replaced, so the new value is that plus `delta`.
// Every call takes effect at its one atomic operation: linearizable.

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
        self.value.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value.fetch_add(delta, Ordering::SeqCst) + delta
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
