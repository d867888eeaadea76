// Time limit exceeded: `put` locks the cache and then, still holding the guard, calls
// `self.len()` to decide whether the cache is full. `len` locks the same Mutex, which
// `std::sync::Mutex` does not allow twice from one thread: the thread waits for itself
// forever. The first `put` of a key not yet in the cache deadlocks, even single-threaded; the
// judge sees every thread blocked with nothing that can wake them and ends the run as
// `time_limit_exceeded`.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Mutex;

struct Inner<K, V> {
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

pub struct ConcurrentLruCache<K, V> {
    capacity: usize,
    inner: Mutex<Inner<K, V>>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ConcurrentLruCache {
            capacity,
            inner: Mutex::new(Inner {
                clock: 0,
                entries: HashMap::new(),
                by_age: BTreeMap::new(),
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().unwrap();
        inner.clock += 1;
        let now = inner.clock;
        let (value, stamp) = inner.entries.get_mut(key)?;
        let (value, old) = (value.clone(), std::mem::replace(stamp, now));
        inner.by_age.remove(&old);
        inner.by_age.insert(now, key.clone());
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let mut inner = self.inner.lock().unwrap();
        inner.clock += 1;
        let now = inner.clock;
        if let Some((old_value, stamp)) = inner.entries.get_mut(&key) {
            *old_value = value;
            let old = std::mem::replace(stamp, now);
            inner.by_age.remove(&old);
            inner.by_age.insert(now, key);
            return None;
        }
        // Still holding `inner`'s lock.
        let evicted = if self.len() == self.capacity {
            let (_, oldest) = inner.by_age.pop_first()?;
            let (old_value, _) = inner.entries.remove(&oldest)?;
            Some((oldest, old_value))
        } else {
            None
        };
        inner.by_age.insert(now, key.clone());
        inner.entries.insert(key, (value, now));
        evicted
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().entries.len()
    }
}
