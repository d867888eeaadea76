// Race: a LongAdder-like counter whose cell array doubles (up to 8 cells) when a
// compare-exchange on a cell fails. The grower copies the old cells into a new array and then
// publishes it; an add that lands in an old cell after it was copied is lost with the old
// array. Old arrays are leaked, never freed, so nothing dangles: only updates go missing.

use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};

static NEXT_PROBE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static PROBE: usize = NEXT_PROBE.fetch_add(1, Ordering::Relaxed);
}

pub struct StripedCounter {
    cells: AtomicPtr<Vec<AtomicU64>>,
}

impl StripedCounter {
    pub fn new() -> Self {
        let cells = Box::new(vec![AtomicU64::new(0)]);
        StripedCounter {
            cells: AtomicPtr::new(Box::into_raw(cells)),
        }
    }

    fn cells(&self) -> &Vec<AtomicU64> {
        // SAFETY: every array ever published is leaked, so the pointer stays valid.
        unsafe { &*self.cells.load(Ordering::Acquire) }
    }

    pub fn increment(&self) {
        self.add(1);
    }

    pub fn add(&self, delta: u64) {
        let probe = PROBE.with(|&p| p);
        loop {
            let cells = self.cells();
            let cell = &cells[probe % cells.len()];
            let current = cell.load(Ordering::Relaxed);
            if cell
                .compare_exchange(
                    current,
                    current + delta,
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                )
                .is_ok()
            {
                return;
            }
            if cells.len() < 8 {
                self.grow(cells);
            }
        }
    }

    fn grow(&self, old: &Vec<AtomicU64>) {
        let mut bigger: Vec<AtomicU64> = old
            .iter()
            .map(|c| AtomicU64::new(c.load(Ordering::Acquire)))
            .collect();
        bigger.resize_with(old.len() * 2, || AtomicU64::new(0));
        let bigger = Box::into_raw(Box::new(bigger));
        let expected = old as *const Vec<AtomicU64> as *mut Vec<AtomicU64>;
        if self
            .cells
            .compare_exchange(expected, bigger, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // SAFETY: never published.
            drop(unsafe { Box::from_raw(bigger) });
        }
    }

    pub fn sum(&self) -> u64 {
        self.cells().iter().map(|c| c.load(Ordering::Acquire)).sum()
    }
}
