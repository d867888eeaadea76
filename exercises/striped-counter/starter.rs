// striped-counter: a counter for many concurrent writers, in the style of Java's LongAdder.
// `judge show striped-counter` prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run striped-counter solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the names and signatures exactly as they are. The judge shares one
// `StripedCounter` between several threads, so it must be `Send + Sync`, and every method
// takes `&self`.

#[allow(unused_imports)] // some of these, probably
use std::cell::Cell;
#[allow(unused_imports)]
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub struct StripedCounter {
    // Replace with your fields.
}

impl StripedCounter {
    pub fn new() -> Self {
        todo!("a counter at 0")
    }

    pub fn increment(&self) {
        todo!("add 1, without every writer contending on one memory location")
    }

    pub fn add(&self, delta: u64) {
        todo!("add `delta`")
    }

    // Exact once writers are quiescent; during writes, between the increments completed
    // before the call and those started before it returned.
    pub fn sum(&self) -> u64 {
        todo!("the total of everything added")
    }
}
