// Undefined behaviour: a raw-pointer LRU (a HashMap from key to a Box-allocated node in a
// doubly linked list) that, on eviction, frees the tail node and then reads one of its links
// from the freed memory (a leftover check whose result is unused). In the sandbox that read
// is harmless and every answer is right; under Miri it is a use after free.

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
            // SAFETY: none: after the Box frees the node, a leftover check reads its link.
            unsafe {
                self.detach(tail);
                let (key, value) = {
                    let node = *Box::from_raw(tail);
                    (node.key, node.value)
                };
                std::hint::black_box((*tail).prev);
                self.map.remove(&key);
                evicted = Some((key, value));
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
