// Accepted: a different LRU behind the same single lock. Every access stamps the key with the
// next value of a counter; a HashMap holds each key's value and stamp, and a BTreeMap orders
// the stamps, so the least recently used key is the BTreeMap's first entry (O(log n) per call).
// One Mutex guards all of it, and each call locks it exactly once, for its whole duration, so
// every call takes effect at one instant while it holds the lock: linearizable.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Mutex;

struct Inner<K, V> {
    capacity: usize,
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V: Clone> Inner<K, V> {
    // Gives `key`'s entry a new stamp, the most recent.
    fn touch(&mut self, key: &K) {
        self.clock += 1;
        let now = self.clock;
        if let Some((_, stamp)) = self.entries.get_mut(key) {
            self.by_age.remove(stamp);
            *stamp = now;
            self.by_age.insert(now, key.clone());
        }
    }
}

pub struct ConcurrentLruCache<K, V> {
    inner: Mutex<Inner<K, V>>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ConcurrentLruCache {
            inner: Mutex::new(Inner {
                capacity,
                clock: 0,
                entries: HashMap::new(),
                by_age: BTreeMap::new(),
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().unwrap();
        let value = inner.entries.get(key)?.0.clone();
        inner.touch(key);
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let mut inner = self.inner.lock().unwrap();
        if let Some(entry) = inner.entries.get_mut(&key) {
            entry.0 = value;
            inner.touch(&key);
            return None;
        }
        let evicted = if inner.entries.len() == inner.capacity {
            let (_, oldest) = inner.by_age.pop_first().expect("a full cache has entries");
            let (old_value, _) = inner.entries.remove(&oldest).expect("indexed key");
            Some((oldest, old_value))
        } else {
            None
        };
        inner.clock += 1;
        let now = inner.clock;
        inner.by_age.insert(now, key.clone());
        inner.entries.insert(key, (value, now));
        evicted
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().entries.len()
    }
}
