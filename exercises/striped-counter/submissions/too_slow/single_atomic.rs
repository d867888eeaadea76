// Too slow: no stripes at all, one AtomicU64 updated with `fetch_add`. It is linearizable,
// which is more than `sum`'s contract asks, and no update is ever lost; but every writer
// updates the same cache line. On a real machine the line must move to each writer's core
// before its add, so the adds serialise; under the judge's scheduler, with four writers,
// about three updates in four find the line last written by another thread (the
// contention gate's figure, ~0.75 per update, against the striped reference's ~0). Wall
// clock on a two-core machine could not show this (it measured 1.04-1.12x the reference);
// the counted figure shows it the same way everywhere.

use std::sync::atomic::{AtomicU64, Ordering};

pub struct StripedCounter {
    total: AtomicU64,
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            total: AtomicU64::new(0),
        }
    }

    pub fn increment(&self) {
        self.total.fetch_add(1, Ordering::Relaxed);
    }

    pub fn add(&self, delta: u64) {
        self.total.fetch_add(delta, Ordering::Relaxed);
    }

    pub fn sum(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}
