// Race: eight cells, each thread given its own cell (round robin, in the order threads first
// update), and a cell bumped by a load then a store on the reasoning that no other thread
// writes it. With more threads than cells two threads share one, and an update between the
// other's load and store is lost.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const CELLS: usize = 8;

static NEXT_CELL: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static CELL: usize = NEXT_CELL.fetch_add(1, Ordering::Relaxed) % CELLS;
}

#[repr(align(64))]
struct Cell(AtomicU64);

pub struct StripedCounter {
    cells: [Cell; CELLS],
}

impl StripedCounter {
    pub fn new() -> Self {
        StripedCounter {
            cells: std::array::from_fn(|_| Cell(AtomicU64::new(0))),
        }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let cell = &self.cells[CELL.with(|&c| c)].0;
        let next = cell.load(Ordering::Acquire) + delta;
        cell.store(next, Ordering::Release);
    }

    pub fn sum(&self) -> u64 {
        self.cells.iter().map(|c| c.0.load(Ordering::Acquire)).sum()
    }
}
