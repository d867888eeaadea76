// Runtime error: `get` looks the key up with `self.map[key]`, which panics when the key is
// absent ("no entry found for key", from HashMap's Index impl) instead of giving None. Only the
// empty cache is special-cased, so every miss on a non-empty cache panics: smallest case
// capacity 1, put(1, a), get(&2). Hits, puts and len are all right, so it never answers
// wrongly first.

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
        if self.map.is_empty() {
            return None;
        }
        let i = self.map[key];
        self.move_to_front(i);
        Some(self.nodes[i].value.clone())
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            self.move_to_front(i);
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
