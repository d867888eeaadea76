// Time limit exceeded: a hand-rolled spin lock (an AtomicBool taken with compare_exchange)
// makes `sum` an exact snapshot: `sum` holds it while it reads the stripes, and every update
// takes it around its add, so no add lands mid-scan. But `sum` returns early when it finds the
// counter empty, on a path that forgets to release the lock. The next update or sum then spins
// forever on a lock nobody will release, even on one thread: sum() then increment() never
// returns. A spinning thread never blocks, so this is not a deadlock the judge can see as
// such; the thread runs until the step limit and the run ends as `time_limit_exceeded`.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

const STRIPES: usize = 4;

static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
}

pub struct StripedCounter {
    locked: AtomicBool,
    stripes: [AtomicU64; STRIPES],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            locked: AtomicBool::new(false),
            stripes: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    fn lock(&self) {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let stripe = MY_STRIPE.with(|&stripe| stripe);
        self.lock();
        self.stripes[stripe].fetch_add(delta, Ordering::Relaxed);
        self.unlock();
    }

    pub fn sum(&self) -> u64 {
        self.lock();
        let total: u64 = self
            .stripes
            .iter()
            .map(|stripe| stripe.load(Ordering::Relaxed))
            .sum();
        if total == 0 {
            // Nothing counted yet. (And the lock is still held.)
            return 0;
        }
        self.unlock();
        total
    }
}
