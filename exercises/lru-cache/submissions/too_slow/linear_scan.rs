// Too slow: a correct LRU cache kept as a Vec of (key, value) pairs in recency order. Every
// get and put searches the Vec and moves an entry to its end, so each call is O(capacity).
// The hidden sequences are short and it answers them all correctly; on the performance
// workload (capacity n/2, 3n calls) its fuel grows as n^2 and the complexity gate says
// `too_slow`.

pub struct LruCache<K, V> {
    capacity: usize,
    entries: Vec<(K, V)>,
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            entries: Vec::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(i);
        let value = entry.1.clone();
        self.entries.push(entry);
        Some(value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(i) = self.entries.iter().position(|(k, _)| *k == key) {
            self.entries.remove(i);
            self.entries.push((key, value));
            return None;
        }
        let evicted = if self.entries.len() == self.capacity {
            Some(self.entries.remove(0))
        } else {
            None
        };
        self.entries.push((key, value));
        evicted
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
