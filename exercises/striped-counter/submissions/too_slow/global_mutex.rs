// Too slow: the whole count behind one `Mutex`. Correct (every update is made under the
// lock, and `sum` reads under it), but every writer takes the same lock word: each update
// is two atomic operations on it (lock and unlock, more when a writer finds it taken and
// waits), and under the judge's scheduler almost every one finds the lock's line last
// written by another thread. The contention gate counts over one contended atomic update
// per update, against the striped reference's nearly none: `too_slow`, with the figure.

use std::sync::Mutex;

pub struct StripedCounter {
    total: Mutex<u64>,
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            total: Mutex::new(0),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        *self.total.lock().unwrap() += delta;
    }

    pub fn sum(&self) -> u64 {
        *self.total.lock().unwrap()
    }
}
