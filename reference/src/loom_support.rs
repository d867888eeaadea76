//! Shared parts of the packages' loom models (`exercises/<id>/loom.rs`): every interleaving
//! (and every outcome the memory model allows) of small scenarios, like the judge's hidden
//! ones, checked against sequential models. Each model is generic over a small trait and is
//! also run against a known-bad variant it must catch (`#[should_panic]`), so a model that
//! passes is known to have teeth.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p judge-reference --lib --release
//! --target-dir target/loom`.

use loom::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// Explores `f` exhaustively up to three preemptions per execution (`LOOM_MAX_PREEMPTIONS`
/// overrides it): every bug these models look for needs at most two, and without a bound the
/// three-thread models run for many minutes.
pub(crate) fn explore(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound.get_or_insert(3);
    builder.check(f);
}

/// The bounds on a read that overlaps updates: it counts every update completed before the
/// read started, and only updates started before it ended. Writers announce each update before
/// starting it and after completing it; the read checks itself against both totals.
pub(crate) struct Announcements {
    started: AtomicU64,
    completed: AtomicU64,
}

impl Announcements {
    pub(crate) fn new() -> Self {
        Announcements {
            started: AtomicU64::new(0),
            completed: AtomicU64::new(0),
        }
    }

    pub(crate) fn update<R>(&self, delta: u64, f: impl FnOnce() -> R) -> R {
        self.started.fetch_add(delta, SeqCst);
        let result = f();
        self.completed.fetch_add(delta, SeqCst);
        result
    }

    pub(crate) fn read(&self, f: impl FnOnce() -> u64) -> u64 {
        let low = self.completed.load(SeqCst);
        let value = f();
        let high = self.started.load(SeqCst);
        assert!(
            low <= value && value <= high,
            "read {value}: updates completed before it total {low}, started before its end {high}"
        );
        value
    }
}
