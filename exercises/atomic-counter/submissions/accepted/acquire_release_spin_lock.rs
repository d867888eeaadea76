// Accepted (unsafe, and correct): a spin lock around an UnsafeCell, taken by a
// `compare_exchange` with `Ordering::Acquire` and freed by a `store` with `Ordering::Release`,
// so each holder's writes happen before the next holder's reads; every call runs entirely
// under the lock: linearizable, and free of data races under Rust's memory model.

const ACQUIRE: Ordering = Ordering::Acquire;
const RELEASE: Ordering = Ordering::Release;

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct AtomicCounter {
    locked: AtomicBool,
    value: UnsafeCell<u64>,
}

// SAFETY: `value` is only touched while `locked` is held (see `with_lock`).
unsafe impl Sync for AtomicCounter {}

impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(0),
        }
    }

    fn with_lock<R>(&self, f: impl FnOnce(&mut u64) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, ACQUIRE, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        // SAFETY: the lock is held, so no other thread touches `value`.
        let result = f(unsafe { &mut *self.value.get() });
        self.locked.store(false, RELEASE);
        result
    }

    pub fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.with_lock(|v| {
            *v += delta;
            *v
        })
    }

    pub fn get(&self) -> u64 {
        self.with_lock(|v| *v)
    }
}
