// Runtime error: evicting detaches the tail by hand and marks its predecessor as the new tail
// with `self.nodes[new_tail].next = NIL`, forgetting that the tail may have no predecessor.
// With capacity 2 or more a full cache has at least two entries, so the predecessor exists and
// every answer is right; with capacity 1 the only entry is both head and tail, `new_tail` is
// NIL (usize::MAX) and the index is out of bounds. Smallest case: capacity 1, put(1, a),
// put(2, b). Nothing goes wrong before that panic.

use std::collections::HashMap;
use std::hash::Hash;

const NIL: usize = usize::MAX;

struct Node<K, V> {
    key: K,
    value: V,
    prev: usize,
    next: usize,
}

pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    head: usize,
    tail: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            map: HashMap::new(),
            nodes: Vec::new(),
            head: NIL,
            tail: NIL,
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
            self.move_to_front(i);
            return None;
        }
        if self.nodes.len() < self.capacity {
            self.nodes.push(Node {
                key: key.clone(),
                value,
                prev: NIL,
                next: NIL,
            });
            let i = self.nodes.len() - 1;
            self.map.insert(key, i);
            self.push_front(i);
            return None;
        }

        // Full: detach the tail, then reuse its slot for the new entry at the front.
        let i = self.tail;
        let new_tail = self.nodes[i].prev;
        self.nodes[new_tail].next = NIL;
        self.tail = new_tail;

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
        if self.head == i {
            return;
        }
        // Not the head, so it has a predecessor.
        let (prev, next) = (self.nodes[i].prev, self.nodes[i].next);
        self.nodes[prev].next = next;
        if next == NIL {
            self.tail = prev;
        } else {
            self.nodes[next].prev = prev;
        }
        self.push_front(i);
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NIL;
        self.nodes[i].next = self.head;
        if self.head == NIL {
            self.tail = i;
        } else {
            self.nodes[self.head].prev = i;
        }
        self.head = i;
    }
}
