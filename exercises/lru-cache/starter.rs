// lru-cache: a least-recently-used cache with O(1) `get` and `put`. `judge show lru-cache`
// prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run lru-cache solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the names, signatures and trait bounds exactly as they are: the
// judge uses the cache as `LruCache<u32, u32>` and also builds it as
// `LruCache<String, Vec<u8>>`.

use std::hash::Hash;
use std::marker::PhantomData;

pub struct LruCache<K, V> {
    // Replace with your fields.
    _todo: PhantomData<(K, V)>,
}

impl<K: Hash + Eq + Clone, V: Clone> LruCache<K, V> {
    // `capacity` is at least 1.
    pub fn new(capacity: usize) -> Self {
        todo!("an empty cache holding at most `capacity` entries")
    }

    // A hit returns a copy of the value and makes `key` the most recently used entry.
    pub fn get(&mut self, key: &K) -> Option<V> {
        todo!("the value stored for `key`, if any")
    }

    // Stores `value` under `key` as the most recently used entry and returns the entry
    // evicted to make room, if any.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        todo!("insert or replace, evicting the least recently used entry if the cache is full")
    }

    pub fn len(&self) -> usize {
        todo!("the number of entries in the cache")
    }
}
