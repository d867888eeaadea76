// Race detected: `increment_and_get` is a correct `fetch_add`, but `add_and_get` was written
// separately as a load followed by a store. An increment (or another add) that lands between
// the add's load and its store is overwritten: the add stores a total that misses it, and
// later results are too small by the lost update. Single-threaded every answer is right, and
// so is every scenario without an add; the judge's scenarios mix both calls, and its
// scheduler switches threads between the load and the store.

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
        let next = self.value.load(Ordering::SeqCst) + delta;
        self.value.store(next, Ordering::SeqCst);
        next
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
