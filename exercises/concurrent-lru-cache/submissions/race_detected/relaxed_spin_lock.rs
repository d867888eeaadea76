// Race: the lock-per-call LRU of accepted/mutex_lru.rs, but its lock is a home-made spin lock
// whose `compare_exchange` and `store` are both `Ordering::Relaxed`, around an UnsafeCell. The
// calls exclude each other, yet nothing orders one holder's writes to the cache before the
// next holder's reads: a data race under Rust's memory model, which WebAssembly's sequentially
// consistent atomics hide; the memory-model tier (Miri) reports it.

use std::cell::UnsafeCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};

// The lock: a flag taken by a Relaxed compare_exchange and freed by a Relaxed store.
struct Mutex<T> {
    locked: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: meant to be a lock; the Relaxed orderings make it none under the memory model.
unsafe impl<T: Send> Sync for Mutex<T> {}

struct Guard<'a, T> {
    lock: &'a Mutex<T>,
}

impl<T> Mutex<T> {
    fn new(data: T) -> Self {
        Mutex {
            locked: AtomicBool::new(false),
            data: UnsafeCell::new(data),
        }
    }

    fn lock(&self) -> Result<Guard<'_, T>, ()> {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        Ok(Guard { lock: self })
    }
}

impl<T> std::ops::Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the flag is held.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> std::ops::DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the flag is held.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        self.lock.locked.store(false, Ordering::Relaxed);
    }
}

struct Inner<K, V> {
    capacity: usize,
    clock: u64,
    entries: HashMap<K, (V, u64)>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V: Clone> Inner<K, V> {
    // Gives `key`'s entry a new stamp, the most recent.
    fn touch(&mut self, key: &K) {
        self.clock += 1;
        let now = self.clock;
        if let Some((_, stamp)) = self.entries.get_mut(key) {
            self.by_age.remove(stamp);
            *stamp = now;
            self.by_age.insert(now, key.clone());
        }
    }
}

pub struct ConcurrentLruCache<K, V> {
    inner: Mutex<Inner<K, V>>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ConcurrentLruCache {
            inner: Mutex::new(Inner {
                capacity,
                clock: 0,
                entries: HashMap::new(),
                by_age: BTreeMap::new(),
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().unwrap();
        let value = inner.entries.get(key)?.0.clone();
        inner.touch(key);
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let mut inner = self.inner.lock().unwrap();
        if let Some(entry) = inner.entries.get_mut(&key) {
            entry.0 = value;
            inner.touch(&key);
            return None;
        }
        let evicted = if inner.entries.len() == inner.capacity {
            let (_, oldest) = inner.by_age.pop_first().expect("a full cache has entries");
            let (old_value, _) = inner.entries.remove(&oldest).expect("indexed key");
            Some((oldest, old_value))
        } else {
            None
        };
        inner.clock += 1;
        let now = inner.clock;
        inner.by_age.insert(now, key.clone());
        inner.entries.insert(key, (value, now));
        evicted
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().entries.len()
    }
}
