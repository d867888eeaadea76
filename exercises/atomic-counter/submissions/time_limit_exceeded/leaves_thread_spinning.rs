// Time limit: a correct counter (one `fetch_add`) that starts a helper thread in every call and
// never stops it: the thread spins forever after the call has returned. Every answer is right,
// but work left running after a call is work that never ends.

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

    fn add(&self, delta: u64) -> u64 {
        let next = self.value.fetch_add(delta, Ordering::SeqCst) + delta;
        // A "background refresher" that is never told to stop.
        let _ = std::thread::Builder::new().spawn(|| loop {
            std::hint::spin_loop();
        });
        next
    }

    pub fn increment_and_get(&self) -> u64 {
        self.add(1)
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        self.add(delta)
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
