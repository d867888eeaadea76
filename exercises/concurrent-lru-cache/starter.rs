// concurrent-lru-cache: the least-recently-used cache of lru-cache, shared between threads,
// every call linearizable. `judge show concurrent-lru-cache` prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run concurrent-lru-cache solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the names, signatures and trait bounds exactly as they are: the
// judge shares one `ConcurrentLruCache<u32, u32>` between several threads, and also builds
// it as `ConcurrentLruCache<String, Vec<u8>>`. It must be `Send + Sync`, and every method
// takes `&self`.

#[allow(unused_imports)] // some of these, probably
use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
#[allow(unused_imports)]
use std::sync::Mutex;

pub struct ConcurrentLruCache<K, V> {
    // Replace with your fields.
    _todo: PhantomData<(K, V)>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    // `capacity` is at least 1.
    pub fn new(capacity: usize) -> Self {
        todo!("an empty cache holding at most `capacity` entries")
    }

    // A hit returns a copy of the value and makes `key` the most recently used entry.
    pub fn get(&self, key: &K) -> Option<V> {
        todo!("the value stored for `key`, if any")
    }

    // Stores `value` under `key` as the most recently used entry and returns the entry
    // evicted to make room, if any.
    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        todo!("insert or replace, evicting the least recently used entry if the cache is full")
    }

    pub fn len(&self) -> usize {
        todo!("the number of entries in the cache")
    }
}
