// Accepted: a HashMap from key to slot, and the slots in a Vec threaded into a circular doubly
// linked list around a sentinel at slot 0, so linking and unlinking never test for an empty
// list or for being at an end. Evicting frees the tail's slot onto a free list and the new key
// takes a slot from it. Every operation is a constant number of map and Vec accesses: O(1).

use std::collections::HashMap;
use std::hash::Hash;

struct Node<K, V> {
    // None only in the sentinel and in free slots.
    entry: Option<(K, V)>,
    prev: usize,
    next: usize,
}

pub struct LruCache<K, V> {
    capacity: usize,
    slots: HashMap<K, usize>,
    // nodes[0] is the sentinel: its `next` is the most recently used entry, its `prev` the
    // least recently used one.
    nodes: Vec<Node<K, V>>,
    free: Vec<usize>,
}

const SENTINEL: usize = 0;

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        let sentinel = Node {
            entry: None,
            prev: SENTINEL,
            next: SENTINEL,
        };
        LruCache {
            capacity,
            slots: HashMap::new(),
            nodes: vec![sentinel],
            free: Vec::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let slot = *self.slots.get(key)?;
        self.detach(slot);
        self.attach_front(slot);
        self.nodes[slot].entry.as_ref().map(|(_, v)| v.clone())
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&slot) = self.slots.get(&key) {
            if let Some(entry) = self.nodes[slot].entry.as_mut() {
                entry.1 = value;
            }
            self.detach(slot);
            self.attach_front(slot);
            return None;
        }

        let mut evicted = None;
        if self.slots.len() == self.capacity {
            let lru = self.nodes[SENTINEL].prev;
            self.detach(lru);
            if let Some((old_key, old_value)) = self.nodes[lru].entry.take() {
                self.slots.remove(&old_key);
                evicted = Some((old_key, old_value));
            }
            self.free.push(lru);
        }

        let node = Node {
            entry: Some((key.clone(), value)),
            prev: SENTINEL,
            next: SENTINEL,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.nodes[slot] = node;
                slot
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        };
        self.slots.insert(key, slot);
        self.attach_front(slot);
        evicted
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    fn detach(&mut self, slot: usize) {
        let (prev, next) = (self.nodes[slot].prev, self.nodes[slot].next);
        self.nodes[prev].next = next;
        self.nodes[next].prev = prev;
    }

    fn attach_front(&mut self, slot: usize) {
        let first = self.nodes[SENTINEL].next;
        self.nodes[slot].prev = SENTINEL;
        self.nodes[slot].next = first;
        self.nodes[first].prev = slot;
        self.nodes[SENTINEL].next = slot;
    }
}
