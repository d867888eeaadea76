// Accepted: LongAdder-style. Updates first go to one `base` cell with a compare-exchange;
// the first time one fails (another thread updated `base` in between), the counter turns
// on its cells for good, and from then on each thread adds to its own padded cell (its
// index from a thread-local handed out round-robin). `sum` adds `base` and every cell.
// No update is lost: a compare-exchange that fails changed nothing, and its delta goes to a
// cell instead. After the first collision the writers stop sharing a line, so the
// contention gate counts nearly as little as for the reference.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

const CELLS: usize = 8;

static NEXT_CELL: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_CELL: usize = NEXT_CELL.fetch_add(1, Ordering::Relaxed) % CELLS;
}

#[repr(align(64))]
struct Padded<T>(T);

pub struct StripedCounter {
    base: Padded<AtomicU64>,
    contended: Padded<AtomicBool>,
    cells: [Padded<AtomicU64>; CELLS],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            base: Padded(AtomicU64::new(0)),
            contended: Padded(AtomicBool::new(false)),
            cells: std::array::from_fn(|_| Padded(AtomicU64::new(0))),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        if !self.contended.0.load(Ordering::Acquire) {
            let base = self.base.0.load(Ordering::Relaxed);
            if self
                .base
                .0
                .compare_exchange(base, base + delta, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
            self.contended.0.store(true, Ordering::Release);
        }
        let cell = MY_CELL.with(|&c| c);
        self.cells[cell].0.fetch_add(delta, Ordering::AcqRel);
    }

    pub fn sum(&self) -> u64 {
        let cells: u64 = self.cells.iter().map(|c| c.0.load(Ordering::Acquire)).sum();
        self.base.0.load(Ordering::Acquire) + cells
    }
}
