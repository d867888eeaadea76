// Reference for lru-cache: a least-recently-used cache with O(1) `get` and `put`.
//
// A HashMap finds a key's slot in a slab (a Vec) of entries, and the entries are threaded, by
// index, into a doubly linked list in recency order: most recently used at the head, least
// recently used at the tail. A hit unlinks its entry and relinks it at the head; an eviction
// takes the tail. Indices instead of pointers keep it free of `unsafe` and of Rc/RefCell.
//
// This file is also judged as a submission (it is the throughput baseline), so it follows the
// submission rules: std only, `//` comments only, no crate-level attributes.

use std::collections::HashMap;
use std::hash::Hash;
use std::mem;

// The "no entry" link: slab indices stay below the capacity, so this is never a real one.
const NIL: usize = usize::MAX;

pub struct LruCache<K, V> {
    capacity: usize,
    // Key -> index of its entry in `entries`.
    index: HashMap<K, usize>,
    // The slab. It only grows, up to `capacity` entries: once the cache is full, a new key
    // takes over the slot of the entry it evicts, so no slot is ever free.
    entries: Vec<Entry<K, V>>,
    // Most and least recently used entries; both NIL while the cache is empty.
    head: usize,
    tail: usize,
}

struct Entry<K, V> {
    // A second copy of the key (the map owns the first), so an eviction can find the map's
    // entry to remove and can hand the key back to the caller.
    key: K,
    value: V,
    // Towards the head (more recently used) and towards the tail (less recently used).
    prev: usize,
    next: usize,
}

#[allow(clippy::len_without_is_empty)] // the contract is exactly new/get/put/len
impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity >= 1, "LruCache::new: capacity must be at least 1");
        LruCache {
            capacity,
            index: HashMap::new(),
            entries: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    // A hit makes `key` the most recently used entry; a miss changes nothing.
    pub fn get(&mut self, key: &K) -> Option<V> {
        let slot = *self.index.get(key)?;
        self.touch(slot);
        Some(self.entries[slot].value.clone())
    }

    // Inserts or replaces `key`, which becomes the most recently used entry. Returns the entry
    // evicted to make room: only a new key arriving in a full cache evicts anything.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&slot) = self.index.get(&key) {
            self.entries[slot].value = value;
            self.touch(slot);
            return None;
        }

        if self.entries.len() < self.capacity {
            let slot = self.entries.len();
            self.entries.push(Entry {
                key: key.clone(),
                value,
                prev: NIL,
                next: NIL,
            });
            self.index.insert(key, slot);
            self.push_front(slot);
            return None;
        }

        // Full: recycle the least recently used entry's slot for the new key.
        let slot = self.tail;
        self.unlink(slot);
        let entry = &mut self.entries[slot];
        let old_key = mem::replace(&mut entry.key, key.clone());
        let old_value = mem::replace(&mut entry.value, value);
        self.index.remove(&old_key);
        self.index.insert(key, slot);
        self.push_front(slot);
        Some((old_key, old_value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    // Moves a linked entry to the head.
    fn touch(&mut self, slot: usize) {
        if self.head != slot {
            self.unlink(slot);
            self.push_front(slot);
        }
    }

    // Takes a linked entry out of the list, leaving its own links stale.
    fn unlink(&mut self, slot: usize) {
        let Entry { prev, next, .. } = self.entries[slot];
        if prev == NIL {
            self.head = next;
        } else {
            self.entries[prev].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.entries[next].prev = prev;
        }
    }

    // Links an unlinked entry in at the head.
    fn push_front(&mut self, slot: usize) {
        self.entries[slot].prev = NIL;
        self.entries[slot].next = self.head;
        if self.head == NIL {
            self.tail = slot;
        } else {
            self.entries[self.head].prev = slot;
        }
        self.head = slot;
    }
}
