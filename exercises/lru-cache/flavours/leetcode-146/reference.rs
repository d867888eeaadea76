// Reference for LeetCode 146 (lru-cache in LeetCode's API): a HashMap from key to a slot in a
// slab of entries threaded, by index, into a doubly linked list in recency order. O(1) `get`
// and `put`. The flavour's throughput baseline, judged through the same harness.

use std::collections::HashMap;

const NIL: usize = usize::MAX;

struct LRUCache {
    capacity: usize,
    index: HashMap<i32, usize>,
    // (key, value, towards the head, towards the tail)
    slots: Vec<(i32, i32, usize, usize)>,
    head: usize,
    tail: usize,
}

impl LRUCache {
    fn new(capacity: i32) -> Self {
        LRUCache {
            capacity: capacity.max(1) as usize,
            index: HashMap::new(),
            slots: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    fn get(&mut self, key: i32) -> i32 {
        match self.index.get(&key) {
            Some(&slot) => {
                self.touch(slot);
                self.slots[slot].1
            }
            None => -1,
        }
    }

    fn put(&mut self, key: i32, value: i32) {
        if let Some(&slot) = self.index.get(&key) {
            self.slots[slot].1 = value;
            self.touch(slot);
            return;
        }
        let slot = if self.slots.len() < self.capacity {
            self.slots.push((key, value, NIL, NIL));
            self.slots.len() - 1
        } else {
            let slot = self.tail;
            self.unlink(slot);
            self.index.remove(&self.slots[slot].0);
            self.slots[slot].0 = key;
            self.slots[slot].1 = value;
            slot
        };
        self.index.insert(key, slot);
        self.push_front(slot);
    }

    fn touch(&mut self, slot: usize) {
        if self.head != slot {
            self.unlink(slot);
            self.push_front(slot);
        }
    }

    fn unlink(&mut self, slot: usize) {
        let (_, _, prev, next) = self.slots[slot];
        if prev == NIL {
            self.head = next;
        } else {
            self.slots[prev].3 = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.slots[next].2 = prev;
        }
    }

    fn push_front(&mut self, slot: usize) {
        self.slots[slot].2 = NIL;
        self.slots[slot].3 = self.head;
        if self.head == NIL {
            self.tail = slot;
        } else {
            self.slots[self.head].2 = slot;
        }
        self.head = slot;
    }
}
