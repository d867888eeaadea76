// Accepted (unsafe, and correct): a HashMap from key to a raw pointer to its node, and the
// nodes (each its own Box) in a doubly linked list in recency order, most recent at the head.
// Every node is owned by the list from `Box::into_raw` until the one `Box::from_raw` that
// frees it (an eviction, or `Drop`); no pointer to a node is used after that. O(1) per call.

use std::collections::HashMap;
use std::hash::Hash;
use std::ptr;

struct Node<K, V> {
    key: K,
    value: V,
    prev: *mut Node<K, V>,
    next: *mut Node<K, V>,
}

pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, *mut Node<K, V>>,
    head: *mut Node<K, V>,
    tail: *mut Node<K, V>,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity >= 1, "capacity must be at least 1");
        LruCache {
            capacity,
            map: HashMap::new(),
            head: ptr::null_mut(),
            tail: ptr::null_mut(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        let node = *self.map.get(key)?;
        // SAFETY: every pointer in the map is a live node of the list.
        unsafe {
            self.detach(node);
            self.push_front(node);
            Some((*node).value.clone())
        }
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&node) = self.map.get(&key) {
            // SAFETY: a live node of the list.
            unsafe {
                (*node).value = value;
                self.detach(node);
                self.push_front(node);
            }
            return None;
        }
        let mut evicted = None;
        if self.map.len() == self.capacity {
            let tail = self.tail;
            // SAFETY: the cache is full, so the tail is a live node; it is unlinked, then
            // freed by the Box, and never used again.
            unsafe {
                self.detach(tail);
                let node = Box::from_raw(tail);
                self.map.remove(&node.key);
                evicted = Some((node.key, node.value));
            }
        }
        let node = Box::into_raw(Box::new(Node {
            key: key.clone(),
            value,
            prev: ptr::null_mut(),
            next: ptr::null_mut(),
        }));
        // SAFETY: a fresh node, not yet linked.
        unsafe { self.push_front(node) };
        self.map.insert(key, node);
        evicted
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    // SAFETY (callers): `node` is a live node of the list.
    unsafe fn detach(&mut self, node: *mut Node<K, V>) {
        unsafe {
            let (prev, next) = ((*node).prev, (*node).next);
            if prev.is_null() {
                self.head = next;
            } else {
                (*prev).next = next;
            }
            if next.is_null() {
                self.tail = prev;
            } else {
                (*next).prev = prev;
            }
        }
    }

    // SAFETY (callers): `node` is live and not linked.
    unsafe fn push_front(&mut self, node: *mut Node<K, V>) {
        unsafe {
            (*node).prev = ptr::null_mut();
            (*node).next = self.head;
            if self.head.is_null() {
                self.tail = node;
            } else {
                (*self.head).prev = node;
            }
            self.head = node;
        }
    }
}

impl<K, V> Drop for LruCache<K, V> {
    fn drop(&mut self) {
        let mut node = self.head;
        while !node.is_null() {
            // SAFETY: each node of the list is freed once, after its successor is read.
            let boxed = unsafe { Box::from_raw(node) };
            node = boxed.next;
        }
    }
}
