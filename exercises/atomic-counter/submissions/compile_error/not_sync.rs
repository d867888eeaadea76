// Compile error: the counter is a `Cell<u64>`, which lets `&self` methods update it but is not
// `Sync`: nothing stops two threads from reading and writing it at once. The file compiles on
// its own and is right single-threaded, but the judge shares one counter between threads
// (`std::thread::scope` hands each thread an `&AtomicCounter`, and the harness asserts
// `AtomicCounter: Send + Sync`), and rustc rejects that: "`Cell<u64>` cannot be shared between
// threads safely". Nothing is ever run.

use std::cell::Cell;

pub struct AtomicCounter {
    value: Cell<u64>,
}

impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            value: Cell::new(0),
        }
    }

    pub fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value.set(self.value.get() + delta);
        self.value.get()
    }

    pub fn get(&self) -> u64 {
        self.value.get()
    }
}
