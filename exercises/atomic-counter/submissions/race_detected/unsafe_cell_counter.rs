// Race: a plain u64 in an UnsafeCell, shared through `unsafe impl Sync`; every update reads the
// value, adds and writes it back as three separate steps, so two threads can read the same old
// value and one update is lost (a data race: undefined behaviour in Rust).

use std::cell::UnsafeCell;

pub struct AtomicCounter {
    value: UnsafeCell<u64>,
}

// SAFETY: none; this is the bug.
unsafe impl Sync for AtomicCounter {}

impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            value: UnsafeCell::new(0),
        }
    }

    pub fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        // SAFETY: none; unsynchronised read and write.
        unsafe {
            let next = *self.value.get() + delta;
            *self.value.get() = next;
            next
        }
    }

    pub fn get(&self) -> u64 {
        // SAFETY: none.
        unsafe { *self.value.get() }
    }
}
