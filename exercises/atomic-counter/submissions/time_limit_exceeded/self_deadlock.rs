// Time limit exceeded: a Mutex<u64> counter whose `add_and_get` updates the value under the
// lock and then, still holding the guard, calls `self.get()` to read the result back. `get`
// locks the same Mutex, which `std::sync::Mutex` does not allow twice from one thread: the
// thread waits for itself forever. The first `add_and_get` deadlocks, even single-threaded;
// the judge sees every thread blocked with nothing that can wake them and ends the run as
// `time_limit_exceeded`. `increment_and_get` and `get` alone are correct.

use std::sync::Mutex;

pub struct AtomicCounter {
    value: Mutex<u64>,
}

impl AtomicCounter {
    pub fn new() -> Self {
        AtomicCounter {
            value: Mutex::new(0),
        }
    }

    pub fn increment_and_get(&self) -> u64 {
        let mut value = self.value.lock().unwrap();
        *value += 1;
        *value
    }

    pub fn add_and_get(&self, delta: u64) -> u64 {
        let mut value = self.value.lock().unwrap();
        *value += delta;
        // Still holding `value`'s lock.
        self.get()
    }

    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
