// Reference for concurrent-lru-cache: the lru-cache semantics, shared between threads, every
// operation linearizable.
//
// One Mutex around an ordinary O(1) LRU, taken once for the whole of every operation. An
// operation therefore takes effect, entirely, at some instant while it holds the lock, which
// lies between its start and its end: linearizable by construction, with the strict global
// recency order of the single-threaded cache. The tempting refinements are all wrong or no
// better: a `get` mutates the recency order, so a read lock would not do; taking the lock
// twice (look up, then promote; or insert, then evict) lets another thread act in between,
// on an entry that may be gone or on a cache over capacity; and sharding by key hash makes
// the eviction order per shard, which is not LRU at all.
//
// The LRU itself: a HashMap finds a key's slot in a slab (a Vec) of entries, threaded by index
// into a doubly linked list in recency order, most recently used at the head. A hit unlinks its
// entry and relinks it at the head; a new key in a full cache takes over the tail's slot.
//
// This file is also judged as a submission, so it follows the submission rules: std only, `//`
// comments only, no crate-level attributes, and nothing shared with the lru-cache reference.
// Under `--cfg loom` it is built on loom's Mutex, which explores every interleaving.

use std::collections::HashMap;
use std::hash::Hash;
use std::mem;

#[cfg(loom)]
use loom::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
use std::sync::{Mutex, MutexGuard};

pub struct ConcurrentLruCache<K, V> {
    inner: Mutex<Lru<K, V>>,
}

#[allow(clippy::len_without_is_empty)] // the contract is exactly new/get/put/len
impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    // `capacity` is at least 1.
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity >= 1,
            "ConcurrentLruCache::new: capacity must be at least 1"
        );
        ConcurrentLruCache {
            inner: Mutex::new(Lru::new(capacity)),
        }
    }

    // A hit returns a clone of the value and makes `key` the most recently used entry.
    pub fn get(&self, key: &K) -> Option<V> {
        self.lock().get(key)
    }

    // Inserts or replaces `key` as the most recently used entry; returns the entry evicted to
    // make room, if any.
    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        self.lock().put(key, value)
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    // A panic while the lock is held can only come from a key's or value's `clone` or `hash`,
    // possibly half way through relinking entries; the cache may then be inconsistent, so the
    // poison is passed on rather than ignored.
    fn lock(&self) -> MutexGuard<'_, Lru<K, V>> {
        self.inner
            .lock()
            .expect("ConcurrentLruCache: a thread panicked while holding the lock")
    }
}

// The "no entry" link: slab indices stay below the capacity, so this is never a real one.
const NIL: usize = usize::MAX;

struct Lru<K, V> {
    capacity: usize,
    // Key -> index of its entry in `entries`.
    index: HashMap<K, usize>,
    // The slab. It only grows, up to `capacity` entries: once the cache is full, a new key takes
    // over the slot of the entry it evicts, so no slot is ever free.
    entries: Vec<Entry<K, V>>,
    // Most and least recently used entries; both NIL while the cache is empty.
    head: usize,
    tail: usize,
}

struct Entry<K, V> {
    // A second copy of the key (the map owns the first), so an eviction can find the map's
    // entry to remove and hand the key back to the caller.
    key: K,
    value: V,
    // Towards the head (more recently used) and towards the tail (less recently used).
    prev: usize,
    next: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            index: HashMap::new(),
            entries: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    fn get(&mut self, key: &K) -> Option<V> {
        let slot = *self.index.get(key)?;
        self.touch(slot);
        Some(self.entries[slot].value.clone())
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
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

    fn len(&self) -> usize {
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
