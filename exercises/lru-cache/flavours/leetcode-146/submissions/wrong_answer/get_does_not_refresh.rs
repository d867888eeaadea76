// Wrong answer: `get` does not make the key most recently used, so the cache evicts in
// insertion order (FIFO): put 1, put 2, get 1, put 3 evicts 1 instead of 2.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

struct LRUCache {
    capacity: usize,
    map: RefCell<HashMap<i32, i32>>,
    order: RefCell<VecDeque<i32>>,
}

impl LRUCache {
    fn new(capacity: i32) -> Self {
        LRUCache {
            capacity: capacity as usize,
            map: RefCell::new(HashMap::new()),
            order: RefCell::new(VecDeque::new()),
        }
    }

    fn get(&self, key: i32) -> i32 {
        *self.map.borrow().get(&key).unwrap_or(&-1)
    }

    fn put(&self, key: i32, value: i32) {
        let mut map = self.map.borrow_mut();
        let mut order = self.order.borrow_mut();
        if map.insert(key, value).is_some() {
            order.retain(|&k| k != key);
        } else if map.len() > self.capacity {
            let old = order.pop_front().unwrap();
            map.remove(&old);
        }
        order.push_back(key);
    }
}
