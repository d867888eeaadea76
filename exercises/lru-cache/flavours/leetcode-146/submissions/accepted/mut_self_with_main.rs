// Accepted: LeetCode 146 with `&mut self` methods (LeetCode allows changing `&self`), a public
// struct, lint attributes at the top and a `fn main`: a VecDeque of keys in recency order
// with lazy deletion (stale queue entries are skipped by a stamp), amortised O(1).
#![allow(dead_code)]
#![deny(unused_must_use)]

use std::collections::{HashMap, VecDeque};

pub struct LRUCache {
    capacity: usize,
    stamp: u64,
    // key -> (value, stamp of its newest queue entry)
    map: HashMap<i32, (i32, u64)>,
    queue: VecDeque<(i32, u64)>,
}

impl LRUCache {
    pub fn new(capacity: i32) -> Self {
        LRUCache {
            capacity: capacity as usize,
            stamp: 0,
            map: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    fn touch(&mut self, key: i32) {
        self.stamp += 1;
        self.map.get_mut(&key).unwrap().1 = self.stamp;
        self.queue.push_back((key, self.stamp));
        if self.queue.len() > 2 * self.capacity + 8 {
            let map = &self.map;
            self.queue
                .retain(|(k, s)| map.get(k).is_some_and(|e| e.1 == *s));
        }
    }

    pub fn get(&mut self, key: i32) -> i32 {
        match self.map.get(&key) {
            Some(&(value, _)) => {
                self.touch(key);
                value
            }
            None => -1,
        }
    }

    pub fn put(&mut self, key: i32, value: i32) {
        if !self.map.contains_key(&key) && self.map.len() == self.capacity {
            while let Some((k, s)) = self.queue.pop_front() {
                if self.map.get(&k).is_some_and(|e| e.1 == s) {
                    self.map.remove(&k);
                    break;
                }
            }
        }
        self.map.insert(key, (value, 0));
        self.touch(key);
    }
}

fn main() {
    let mut cache = LRUCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(1), 1);
    cache.put(3, 3);
    assert_eq!(cache.get(2), -1);
}
