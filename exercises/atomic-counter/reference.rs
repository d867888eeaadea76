// Reference for atomic-counter: a linearizable counter shared between threads.
//
// One AtomicU64 and one read-modify-write per update: `fetch_add` reads the old value and
// stores the new one as a single indivisible step, so two concurrent increments can never
// both read the same old value, and each returns the value its own addition produced. Every
// call therefore takes effect at the instant of its one atomic operation, which lies between
// the call's start and its end: that is what makes it linearizable.
//
// Orderings. The counter alone would be correct with `Relaxed`: all read-modify-writes of one
// atomic are totally ordered whatever the ordering, so increments stay distinct and
// consecutive, and on WebAssembly every atomic is sequentially consistent anyway. But a count
// is rarely read for its own sake: a thread that sees `get() == n` usually goes on to assume
// that the n increments, and whatever their threads did before them, have happened. With
// `Relaxed` that assumption is false on weakly ordered hardware; with a release on every update
// and an acquire on every read it holds. It costs nothing on x86 (a locked add is a full
// barrier either way), so AcqRel/Acquire is the honest choice, and the loom model in
// `reference/tests/loom.rs` checks exactly that assumption.
//
// This file is also judged as a submission, so it follows the submission rules: std only, `//`
// comments only, no crate-level attributes. Under `--cfg loom` it is built on loom's atomics,
// which explore every interleaving and every outcome the memory model allows.

#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicU64, Ordering};

pub struct AtomicCounter {
    value: AtomicU64,
}

#[allow(clippy::new_without_default)] // the contract is exactly new/increment_and_get/add_and_get/get
impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            value: AtomicU64::new(0),
        }
    }

    // Returns the new value.
    pub fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }

    // Returns the new value. `fetch_add` returns the value it replaced, so the new one is that
    // plus `delta`, wrapping at 2^64 exactly as the atomic itself does.
    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.value
            .fetch_add(delta, Ordering::AcqRel)
            .wrapping_add(delta)
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Acquire)
    }
}
