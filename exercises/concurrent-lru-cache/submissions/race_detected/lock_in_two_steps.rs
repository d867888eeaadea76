// Race detected: `get` takes the lock twice. The first critical section looks the key up and
// clones its value; the lock is released; the second makes the key most recently used, if it
// is still there. In between, another thread can run a whole `put` that evicts the key as
// least recently used. Each step is consistent on its own, but the pair is not one instant:
// with 1 and 2 in a full cache of 2 (1 least recently used), a `get(&1)` racing `put(3, 30)`
// can return Some(10) while the put evicts (1, 10). In every sequential order, either the get
// comes first (and refreshes 1, so 2 is evicted) or the put does (and the get misses). Correct
// single-threaded; the judge's scheduler switches threads between the two critical sections.

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

    fn touch(&mut self, key: &K) {
        if let Some(&i) = self.index.get(key) {
            self.unlink(i);
            self.push_front(i);
        }
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.index.get(&key) {
            self.entries[i].value = value;
            self.unlink(i);
            self.push_front(i);
            return None;
        }
        if self.entries.len() < self.capacity {
            let i = self.entries.len();
            self.entries.push(Entry {
                key: key.clone(),
                value,
                prev: NIL,
                next: NIL,
            });
            self.index.insert(key, i);
            self.push_front(i);
            return None;
        }
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
        // Look up under a short lock...
        let value = {
            let lru = self.lru.lock().unwrap();
            let &i = lru.index.get(key)?;
            lru.entries[i].value.clone()
        };
        // ...and refresh the recency order in a second one.
        self.lru.lock().unwrap().touch(key);
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        self.lru.lock().unwrap().put(key, value)
    }

    pub fn len(&self) -> usize {
        self.lru.lock().unwrap().entries.len()
    }
}
