// Wrong answer: a miss returns 0 (the default value) instead of LeetCode's -1.

use std::collections::HashMap;

struct LRUCache {
    capacity: usize,
    tick: u64,
    map: HashMap<i32, (i32, u64)>,
}

impl LRUCache {
    fn new(capacity: i32) -> Self {
        LRUCache {
            capacity: capacity as usize,
            tick: 0,
            map: HashMap::new(),
        }
    }

    fn get(&mut self, key: i32) -> i32 {
        self.tick += 1;
        let tick = self.tick;
        match self.map.get_mut(&key) {
            Some(e) => {
                e.1 = tick;
                e.0
            }
            None => 0,
        }
    }

    fn put(&mut self, key: i32, value: i32) {
        self.tick += 1;
        if !self.map.contains_key(&key) && self.map.len() == self.capacity {
            let lru = *self.map.iter().min_by_key(|(_, e)| e.1).unwrap().0;
            self.map.remove(&lru);
        }
        self.map.insert(key, (value, self.tick));
    }
}
