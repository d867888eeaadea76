// Accepted: a compare-and-swap loop. Each update reads the value, computes value + delta, and
// installs it with `compare_exchange_weak` only if the value is still the one it read; if
// another thread got in between (or the weak exchange fails spuriously) it retries with the
// value it now sees. The successful exchange is the update's one instant, and the result is
// exactly what it installed: linearizable, with no lost updates.

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
        let mut current = self.value.load(Ordering::Acquire);
        loop {
            let next = current + delta;
            match self.value.compare_exchange_weak(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return next,
                Err(seen) => current = seen,
            }
        }
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Acquire)
    }
}
