// Accepted: a queue of (key, stamp) records with lazy deletion. Every access stamps the key
// with a new counter value in the HashMap and appends a record to a VecDeque; records whose
// stamp no longer matches the map are stale and skipped when looking for the victim, which is
// the first live record from the front. Stale records pile up on hits, so when the queue
// grows past twice the number of entries it is compacted by dropping them. A compaction of q
// records follows at least q/2 appends, so get and put are amortised O(1).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

pub struct LruCache<K, V> {
    capacity: usize,
    stamp: u64,
    map: HashMap<K, (V, u64)>,
    queue: VecDeque<(K, u64)>,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            stamp: 0,
            map: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let value = match self.map.get_mut(key) {
            Some((value, stamp)) => {
                self.stamp += 1;
                *stamp = self.stamp;
                value.clone()
            }
            None => return None,
        };
        self.queue.push_back((key.clone(), self.stamp));
        self.compact_if_needed();
        Some(value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        self.stamp += 1;
        let stamp = self.stamp;
        let mut evicted = None;
        if let Some(entry) = self.map.get_mut(&key) {
            *entry = (value, stamp);
        } else {
            if self.map.len() == self.capacity {
                evicted = self.pop_least_recent();
            }
            self.map.insert(key.clone(), (value, stamp));
        }
        self.queue.push_back((key, stamp));
        self.compact_if_needed();
        evicted
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    fn is_live(&self, key: &K, stamp: u64) -> bool {
        matches!(self.map.get(key), Some(&(_, s)) if s == stamp)
    }

    fn pop_least_recent(&mut self) -> Option<(K, V)> {
        while let Some((key, stamp)) = self.queue.pop_front() {
            if self.is_live(&key, stamp) {
                let (value, _) = self.map.remove(&key)?;
                return Some((key, value));
            }
        }
        None
    }

    fn compact_if_needed(&mut self) {
        if self.queue.len() > 2 * self.map.len() + 16 {
            let mut queue = std::mem::take(&mut self.queue);
            queue.retain(|(key, stamp)| self.is_live(key, *stamp));
            self.queue = queue;
        }
    }
}
