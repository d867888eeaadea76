// Accepted: one AtomicU64 updated with `fetch_add(.., Ordering::Relaxed)` and read with a
// Relaxed `load`. Relaxed is enough here: every update is one read-modify-write, and all of
// them act on the one location in a single total order, so none is lost, and the counter
// publishes no other memory that would need Acquire/Release.

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
        self.value.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value.fetch_add(delta, Ordering::Relaxed) + delta
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
