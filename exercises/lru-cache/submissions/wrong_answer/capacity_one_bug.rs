// Wrong answer: a "fast path" for capacity 1 keeps the single entry in an Option instead of the
// map and list, and on a new key overwrites it with `self.only = Some(...)`, dropping the old
// entry instead of returning it. Every capacity >= 2 takes the general path and is right, and
// the capacity-1 path stores, replaces, reads and counts correctly. Smallest failing case:
// capacity 1, put(1, a), put(2, b) must return Some((1, a)) and returns None.

use std::collections::HashMap;
use std::hash::Hash;

const NONE: usize = usize::MAX;

struct Node<K, V> {
    key: K,
    value: V,
    prev: usize,
    next: usize,
}

pub struct LruCache<K, V> {
    capacity: usize,
    // Capacity 1 only.
    only: Option<(K, V)>,
    // Capacity 2 and more: a slab list, most recently used at `head`.
    map: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    head: usize,
    tail: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            only: None,
            map: HashMap::new(),
            nodes: Vec::new(),
            head: NONE,
            tail: NONE,
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        if self.capacity == 1 {
            return match &self.only {
                Some((k, v)) if k == key => Some(v.clone()),
                _ => None,
            };
        }
        let i = *self.map.get(key)?;
        self.unlink(i);
        self.push_front(i);
        Some(self.nodes[i].value.clone())
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if self.capacity == 1 {
            match &mut self.only {
                Some((k, v)) if *k == key => *v = value,
                _ => self.only = Some((key, value)),
            }
            return None;
        }

        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            self.unlink(i);
            self.push_front(i);
            return None;
        }
        if self.nodes.len() < self.capacity {
            self.nodes.push(Node {
                key: key.clone(),
                value,
                prev: NONE,
                next: NONE,
            });
            let i = self.nodes.len() - 1;
            self.map.insert(key, i);
            self.push_front(i);
            return None;
        }
        let i = self.tail;
        self.unlink(i);
        let old_key = std::mem::replace(&mut self.nodes[i].key, key.clone());
        let old_value = std::mem::replace(&mut self.nodes[i].value, value);
        self.map.remove(&old_key);
        self.map.insert(key, i);
        self.push_front(i);
        Some((old_key, old_value))
    }

    pub fn len(&self) -> usize {
        if self.capacity == 1 {
            return self.only.is_some() as usize;
        }
        self.map.len()
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = (self.nodes[i].prev, self.nodes[i].next);
        if prev == NONE {
            self.head = next;
        } else {
            self.nodes[prev].next = next;
        }
        if next == NONE {
            self.tail = prev;
        } else {
            self.nodes[next].prev = prev;
        }
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NONE;
        self.nodes[i].next = self.head;
        if self.head == NONE {
            self.tail = i;
        } else {
            self.nodes[self.head].prev = i;
        }
        self.head = i;
    }
}
