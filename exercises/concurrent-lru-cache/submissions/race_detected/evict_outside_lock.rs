// Race detected: `put` of a new key inserts it in one critical section and evicts the least
// recently used entry, if the cache is over capacity, in a second one. Between the two, other
// threads see capacity + 1 entries: a `len()` can return 3 for a cache of capacity 2, which no
// sequential order gives; a `get` can refresh the entry that was about to go, so the put
// evicts another one, possibly the key it just inserted. Correct single-threaded; the judge's
// scheduler switches threads between the two critical sections.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Mutex;

struct Inner<K, V> {
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V: Clone> Inner<K, V> {
    fn stamp(&mut self, key: &K) {
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
        let value = inner.entries.get(key)?.0.clone();
        inner.stamp(key);
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        {
            let mut inner = self.inner.lock().unwrap();
            if let Some(entry) = inner.entries.get_mut(&key) {
                entry.0 = value;
                inner.stamp(&key);
                return None;
            }
            inner.entries.insert(key.clone(), (value, 0));
            inner.stamp(&key);
        }
        // Make room, if the insert went over capacity.
        let mut inner = self.inner.lock().unwrap();
        if inner.entries.len() <= self.capacity {
            return None;
        }
        let (_, oldest) = inner.by_age.pop_first()?;
        let (old_value, _) = inner.entries.remove(&oldest)?;
        Some((oldest, old_value))
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().entries.len()
    }
}
