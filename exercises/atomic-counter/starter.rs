// atomic-counter: a linearizable counter shared between threads. `judge show atomic-counter`
// prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run atomic-counter solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the names and signatures exactly as they are. The judge shares one
// `AtomicCounter` between several threads, so it must be `Send + Sync`, and every method
// takes `&self`.

#[allow(unused_imports)] // some of these, probably
use std::sync::atomic::{AtomicU64, Ordering};
#[allow(unused_imports)]
use std::sync::Mutex;

pub struct AtomicCounter {
    // Replace with your fields.
}

impl AtomicCounter {
    pub fn new() -> Self {
        todo!("a counter at 0")
    }

    // Adds 1 and returns the new value: the first call on a new counter returns 1.
    pub fn increment_and_get(&self) -> u64 {
        todo!("add 1, as one indivisible step, and return the value after the addition")
    }

    // Adds `delta` and returns the new value.
    pub fn add_and_get(&self, delta: u64) -> u64 {
        todo!("add `delta` and return the value after the addition")
    }

    pub fn get(&self) -> u64 {
        todo!("the current value")
    }
}
