// Wrong answer: `put` of a key already in the cache replaces the value but does not move the
// entry to the front, so an overwritten key keeps its old place in the eviction order. Smallest
// failing case: capacity 2, put(1, a), put(2, b), put(1, c), put(3, d) must evict (2, b), and
// this evicts (1, c). `get` refreshes correctly and the value is replaced correctly, so only the
// choice of victim is ever wrong.

use std::collections::HashMap;
use std::hash::Hash;

struct Node<K, V> {
    key: K,
    value: V,
    prev: Option<usize>,
    next: Option<usize>,
}

pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    head: Option<usize>, // most recently used
    tail: Option<usize>, // least recently used
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            map: HashMap::new(),
            nodes: Vec::new(),
            head: None,
            tail: None,
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let i = *self.map.get(key)?;
        self.move_to_front(i);
        Some(self.nodes[i].value.clone())
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            return None;
        }
        if self.nodes.len() < self.capacity {
            self.nodes.push(Node {
                key: key.clone(),
                value,
                prev: None,
                next: None,
            });
            let i = self.nodes.len() - 1;
            self.map.insert(key, i);
            self.push_front(i);
            return None;
        }
        // Full: the least recently used entry's slot is reused for the new one.
        let i = self.tail.expect("a full cache is not empty");
        self.unlink(i);
        let old_key = std::mem::replace(&mut self.nodes[i].key, key.clone());
        let old_value = std::mem::replace(&mut self.nodes[i].value, value);
        self.map.remove(&old_key);
        self.map.insert(key, i);
        self.push_front(i);
        Some((old_key, old_value))
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    fn move_to_front(&mut self, i: usize) {
        self.unlink(i);
        self.push_front(i);
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = (self.nodes[i].prev, self.nodes[i].next);
        match prev {
            Some(p) => self.nodes[p].next = next,
            None => self.head = next,
        }
        match next {
            Some(n) => self.nodes[n].prev = prev,
            None => self.tail = prev,
        }
        self.nodes[i].prev = None;
        self.nodes[i].next = None;
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = None;
        self.nodes[i].next = self.head;
        match self.head {
            Some(h) => self.nodes[h].prev = Some(i),
            None => self.tail = Some(i),
        }
        self.head = Some(i);
    }
}
