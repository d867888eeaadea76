// Race detected: `put` takes the lock twice. The first critical section decides what to do
// (is the key already there? is the cache full?); the lock is released; the second acts on
// that decision: replace, insert, or evict and insert. In between, another thread's `put` can
// change the answers. Two new keys arriving together in a cache with one free slot both see
// "not full", both insert, and the cache keeps capacity + 1 entries from then on (`len()`
// says so); with capacity 1 that is any two first puts of different keys racing on an empty
// cache. Each step is consistent on its own, but the decision and the action are not one
// instant. Correct single-threaded; the judge's scheduler switches threads between the two
// critical sections.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

const NIL: usize = usize::MAX;

struct Entry<K, V> {
    key: K,
    value: V,
    prev: usize,
    next: usize,
}

struct Lru<K, V> {
    capacity: usize,
    index: HashMap<K, usize>,
    entries: Vec<Entry<K, V>>,
    head: usize, // most recently used
    tail: usize, // least recently used
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn unlink(&mut self, i: usize) {
        let (prev, next) = (self.entries[i].prev, self.entries[i].next);
        match prev {
            NIL => self.head = next,
            p => self.entries[p].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.entries[n].prev = prev,
        }
    }

    fn push_front(&mut self, i: usize) {
        self.entries[i].prev = NIL;
        self.entries[i].next = self.head;
        match self.head {
            NIL => self.tail = i,
            h => self.entries[h].prev = i,
        }
        self.head = i;
    }

    fn get(&mut self, key: &K) -> Option<V> {
        let i = *self.index.get(key)?;
        self.unlink(i);
        self.push_front(i);
        Some(self.entries[i].value.clone())
    }

    // Replaces the value of a key found present (inserting it if it has gone since).
    fn replace(&mut self, key: K, value: V) {
        match self.index.get(&key) {
            Some(&i) => {
                self.entries[i].value = value;
                self.unlink(i);
                self.push_front(i);
            }
            None => self.insert(key, value),
        }
    }

    // Inserts a key found absent, in a new slot.
    fn insert(&mut self, key: K, value: V) {
        let i = self.entries.len();
        self.entries.push(Entry {
            key: key.clone(),
            value,
            prev: NIL,
            next: NIL,
        });
        self.index.insert(key, i);
        self.push_front(i);
    }

    // Inserts a key found absent in a full cache, in the least recently used entry's slot.
    fn evict_and_insert(&mut self, key: K, value: V) -> Option<(K, V)> {
        let i = self.tail;
        self.unlink(i);
        let old_key = std::mem::replace(&mut self.entries[i].key, key.clone());
        let old_value = std::mem::replace(&mut self.entries[i].value, value);
        self.index.remove(&old_key);
        self.index.insert(key, i);
        self.push_front(i);
        Some((old_key, old_value))
    }
}

pub struct ConcurrentLruCache<K, V> {
    lru: Mutex<Lru<K, V>>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ConcurrentLruCache {
            lru: Mutex::new(Lru {
                capacity,
                index: HashMap::new(),
                entries: Vec::new(),
                head: NIL,
                tail: NIL,
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.lru.lock().unwrap().get(key)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        // Decide under a short lock...
        let (present, full) = {
            let lru = self.lru.lock().unwrap();
            (
                lru.index.contains_key(&key),
                lru.entries.len() >= lru.capacity,
            )
        };
        // ...and act in a second one.
        let mut lru = self.lru.lock().unwrap();
        if present {
            lru.replace(key, value);
            None
        } else if full {
            lru.evict_and_insert(key, value)
        } else {
            lru.insert(key, value);
            None
        }
    }

    pub fn len(&self) -> usize {
        self.lru.lock().unwrap().entries.len()
    }
}
