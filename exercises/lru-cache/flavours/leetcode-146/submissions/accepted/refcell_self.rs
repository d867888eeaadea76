// Accepted: LeetCode 146 exactly as LeetCode's template shapes it: private struct, methods on
// `&self` with the state in a `RefCell`, the template's comments kept, including the trailing
// `/** Your LRUCache object will be instantiated ... */`. Recency ticks in a BTreeMap: O(log n).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

struct LRUCache {
    inner: RefCell<Inner>,
}

struct Inner {
    capacity: usize,
    tick: u64,
    entries: HashMap<i32, (i32, u64)>,
    by_tick: BTreeMap<u64, i32>,
}


/** 
 * `&self` means the method takes an immutable reference.
 * If you need a mutable reference, change it to `&mut self` instead.
 */
impl LRUCache {

    fn new(capacity: i32) -> Self {
        LRUCache {
            inner: RefCell::new(Inner {
                capacity: capacity as usize,
                tick: 0,
                entries: HashMap::new(),
                by_tick: BTreeMap::new(),
            }),
        }
    }
    
    fn get(&self, key: i32) -> i32 {
        let mut s = self.inner.borrow_mut();
        let Some(&(value, old)) = s.entries.get(&key) else {
            return -1;
        };
        s.tick += 1;
        let tick = s.tick;
        s.by_tick.remove(&old);
        s.by_tick.insert(tick, key);
        s.entries.insert(key, (value, tick));
        value
    }
    
    fn put(&self, key: i32, value: i32) {
        let mut s = self.inner.borrow_mut();
        s.tick += 1;
        let tick = s.tick;
        if let Some((_, old)) = s.entries.insert(key, (value, tick)) {
            s.by_tick.remove(&old);
        } else if s.entries.len() > s.capacity {
            let (_, lru) = s.by_tick.pop_first().unwrap();
            s.entries.remove(&lru);
        }
        s.by_tick.insert(tick, key);
    }
}

/**
 * Your LRUCache object will be instantiated and called as such:
 * let obj = LRUCache::new(capacity);
 * let ret_1: i32 = obj.get(key);
 * obj.put(key, value);
 */
