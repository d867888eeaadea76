// Wrong answer: `put` makes room first and asks questions later. When the cache is full it
// evicts the least recently used entry before checking whether the key is already there, so
// overwriting a key in a full cache throws out an innocent entry (or the key itself) and
// returns it, though a replacement must evict nothing. Smallest failing case: capacity 1,
// put(1, a), put(1, b) must return None and returns Some((1, a)); with capacity 2, put(1, a),
// put(2, b), put(2, c) evicts (1, a) and leaves len() at 1. Below capacity it is right.
//
// The entries are stamped with a counter and ordered in a BTreeMap by stamp, so the least
// recently used entry is the first one.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

pub struct LruCache<K, V> {
    capacity: usize,
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            clock: 0,
            entries: HashMap::new(),
            by_age: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let (value, stamp) = self.entries.get_mut(key)?;
        self.clock += 1;
        let old = std::mem::replace(stamp, self.clock);
        let value = value.clone();
        if let Some(k) = self.by_age.remove(&old) {
            self.by_age.insert(self.clock, k);
        }
        Some(value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let mut evicted = None;
        if self.entries.len() == self.capacity {
            if let Some((_, oldest)) = self.by_age.pop_first() {
                if let Some((old_value, _)) = self.entries.remove(&oldest) {
                    evicted = Some((oldest, old_value));
                }
            }
        }

        self.clock += 1;
        if let Some((old_value, stamp)) = self.entries.get_mut(&key) {
            *old_value = value;
            let old = std::mem::replace(stamp, self.clock);
            self.by_age.remove(&old);
        } else {
            self.entries.insert(key.clone(), (value, self.clock));
        }
        self.by_age.insert(self.clock, key);
        evicted
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
