// Compile error: the impl asks for `K: Copy` and `V: Copy` instead of the contract's
// `K: Hash + Eq + Clone, V: Clone`, which lets the code copy keys and values around without
// `.clone()`. The file compiles on its own, and would even work for the `u32` keys and values
// of the hidden tests, but the judge also builds the cache as `LruCache<String, Vec<u8>>`, and
// there rustc finds no `new`, `get` or `put`: "the function or associated item `new` exists
// for struct `LruCache<String, Vec<u8>>`, but its trait bounds were not satisfied".

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

pub struct LruCache<K, V> {
    capacity: usize,
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Copy, V: Copy> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            clock: 0,
            entries: HashMap::new(),
            by_age: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let (value, stamp) = *self.entries.get(key)?;
        self.clock += 1;
        self.by_age.remove(&stamp);
        self.by_age.insert(self.clock, *key);
        self.entries.insert(*key, (value, self.clock));
        Some(value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        self.clock += 1;
        if let Some(&(_, stamp)) = self.entries.get(&key) {
            self.by_age.remove(&stamp);
        } else if self.entries.len() == self.capacity {
            let (_, oldest) = self.by_age.pop_first()?;
            let (old_value, _) = self.entries.remove(&oldest)?;
            self.by_age.insert(self.clock, key);
            self.entries.insert(key, (value, self.clock));
            return Some((oldest, old_value));
        }
        self.by_age.insert(self.clock, key);
        self.entries.insert(key, (value, self.clock));
        None
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
