//! Native tests of the concurrent-lru-cache reference: the single-threaded contract (the same
//! rules as lru-cache), invariants under real threads, and a model over random operation
//! sequences. The exhaustive interleavings are in `loom.rs`.
#![cfg(not(loom))]

use super::ConcurrentLruCache;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::thread;

#[test]
fn statement_examples() {
    let cache = ConcurrentLruCache::new(2);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(2, 2), None);
    assert_eq!(cache.get(&1), Some(1));
    assert_eq!(cache.put(3, 3), Some((2, 2)));
    assert_eq!(cache.get(&2), None);
    assert_eq!(cache.len(), 2);

    let cache = ConcurrentLruCache::new(2);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(2, 2), None);
    assert_eq!(cache.put(1, 10), None);
    assert_eq!(cache.put(3, 3), Some((2, 2)));
    assert_eq!(cache.get(&1), Some(10));

    let cache = ConcurrentLruCache::new(1);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(1, 5), None);
    assert_eq!(cache.put(2, 2), Some((1, 5)));
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_hit_makes_the_key_most_recently_used_and_a_miss_changes_nothing() {
    let cache = ConcurrentLruCache::new(3);
    cache.put(1, 10);
    cache.put(2, 20);
    cache.put(3, 30);
    assert_eq!(cache.get(&1), Some(10));
    assert_eq!(cache.get(&9), None);
    // Recency, oldest first: 2, 3, 1.
    assert_eq!(cache.put(4, 40), Some((2, 20)));
    assert_eq!(cache.put(5, 50), Some((3, 30)));
    assert_eq!(cache.put(6, 60), Some((1, 10)));
    assert_eq!(cache.len(), 3);
}

#[test]
fn putting_an_existing_key_replaces_refreshes_and_evicts_nothing() {
    let cache = ConcurrentLruCache::new(2);
    cache.put(1, 10);
    cache.put(2, 20);
    assert_eq!(cache.put(1, 11), None);
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.put(3, 30), Some((2, 20)));
    assert_eq!(cache.put(4, 40), Some((1, 11)));
}

#[test]
fn works_with_owned_keys_and_values() {
    let cache: ConcurrentLruCache<String, Vec<u8>> = ConcurrentLruCache::new(2);
    assert_eq!(cache.put("a".to_string(), vec![1]), None);
    assert_eq!(cache.put("b".to_string(), vec![2, 2]), None);
    assert_eq!(cache.get(&"a".to_string()), Some(vec![1]));
    assert_eq!(
        cache.put("c".to_string(), vec![]),
        Some(("b".to_string(), vec![2, 2]))
    );
    assert_eq!(cache.len(), 2);
}

#[test]
fn is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<ConcurrentLruCache<u32, u32>>();
    shareable::<ConcurrentLruCache<String, Vec<u8>>>();
}

#[test]
#[should_panic(expected = "capacity")]
fn capacity_zero_is_rejected() {
    let _ = ConcurrentLruCache::<u32, u32>::new(0);
}

const THREADS: u32 = 4;
const OPS: u32 = 10_000;
const CAPACITY: usize = 16;
// Keys per thread: together well over the capacity, so the cache stays full and evicts often.
const KEYS: u32 = 12;
// Values are key * STRIDE + the put's sequence number in its thread: unique per put, and they
// name their key.
const STRIDE: u32 = 100_000;

#[test]
fn real_threads_keep_the_invariants() {
    // Each thread owns its keys, so what a get of its own key may return is known exactly:
    // nothing (evicted by someone) or the last value the thread itself put there.
    let cache = ConcurrentLruCache::new(CAPACITY);
    let evicted: Vec<(u32, u32)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let cache = &cache;
                scope.spawn(move || {
                    let mut last_put: HashMap<u32, u32> = HashMap::new();
                    let mut evicted = Vec::new();
                    let mut x = 0x9e37_79b9u32 ^ t;
                    for seq in 0..OPS {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        let key = t * KEYS + x % KEYS;
                        match x >> 28 {
                            0..=7 => {
                                let value = key * STRIDE + seq;
                                if let Some(entry) = cache.put(key, value) {
                                    evicted.push(entry);
                                }
                                last_put.insert(key, value);
                            }
                            8..=14 => {
                                let got = cache.get(&key);
                                assert!(
                                    got.is_none() || got == last_put.get(&key).copied(),
                                    "thread {t}: get({key}) = {got:?}, last put {:?}",
                                    last_put.get(&key)
                                );
                            }
                            _ => assert!(cache.len() <= CAPACITY),
                        }
                    }
                    evicted
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });

    // Every evicted entry is a real put of its key, and each put is evicted at most once.
    let mut seen = HashSet::new();
    for &(key, value) in &evicted {
        assert_eq!(value / STRIDE, key, "evicted ({key}, {value})");
        assert!(seen.insert(value), "({key}, {value}) evicted twice");
    }
    // Far more distinct keys than the capacity were put: the cache is full, and a get finds
    // exactly `len` of them.
    assert_eq!(cache.len(), CAPACITY);
    let present = (0..THREADS * KEYS)
        .filter(|key| match cache.get(key) {
            Some(value) => {
                assert_eq!(value / STRIDE, *key);
                assert!(!seen.contains(&value), "{value} both evicted and present");
                true
            }
            None => false,
        })
        .count();
    assert_eq!(present, CAPACITY);
}

#[test]
fn real_threads_on_one_hot_key_at_capacity_one() {
    let cache = ConcurrentLruCache::new(1);
    thread::scope(|scope| {
        for t in 0..THREADS {
            let cache = &cache;
            scope.spawn(move || {
                for i in 0..OPS {
                    let key = i % 2;
                    match cache.put(key, t) {
                        None => {}
                        Some((old, _)) => assert_eq!(old, 1 - key),
                    }
                    assert_eq!(cache.len(), 1);
                    let _ = cache.get(&(1 - key));
                }
            });
        }
    });
    assert_eq!(cache.len(), 1);
}

#[derive(Clone, Debug)]
enum Op {
    Get(u8),
    Put(u8, u16),
    Len,
}

// The obviously correct cache: entries in recency order, least recently used first.
struct Model {
    capacity: usize,
    entries: Vec<(u8, u16)>,
}

impl Model {
    fn get(&mut self, key: u8) -> Option<u16> {
        let at = self.entries.iter().position(|&(k, _)| k == key)?;
        let entry = self.entries.remove(at);
        self.entries.push(entry);
        Some(entry.1)
    }

    fn put(&mut self, key: u8, value: u16) -> Option<(u8, u16)> {
        if let Some(at) = self.entries.iter().position(|&(k, _)| k == key) {
            self.entries.remove(at);
            self.entries.push((key, value));
            return None;
        }
        let evicted = (self.entries.len() == self.capacity).then(|| self.entries.remove(0));
        self.entries.push((key, value));
        evicted
    }
}

fn scenario(
    max_capacity: usize,
    max_keys: u8,
    max_ops: usize,
) -> impl Strategy<Value = (usize, Vec<Op>)> {
    (1..=max_capacity, 1..=max_keys).prop_flat_map(move |(capacity, keys)| {
        let op = prop_oneof![
            4 => (0..keys).prop_map(Op::Get),
            4 => (0..keys, any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
            1 => Just(Op::Len),
        ];
        (Just(capacity), prop::collection::vec(op, 0..=max_ops))
    })
}

fn check_against_model(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let cache = ConcurrentLruCache::new(capacity);
    let mut model = Model {
        capacity,
        entries: Vec::new(),
    };
    for (i, op) in ops.iter().enumerate() {
        match *op {
            Op::Get(k) => prop_assert_eq!(cache.get(&k), model.get(k), "op {}: {:?}", i, op),
            Op::Put(k, v) => {
                prop_assert_eq!(cache.put(k, v), model.put(k, v), "op {}: {:?}", i, op)
            }
            Op::Len => prop_assert_eq!(cache.len(), model.entries.len(), "op {}", i),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn matches_the_model_on_small_caches((capacity, ops) in scenario(5, 8, 60)) {
        check_against_model(capacity, &ops)?;
    }

    #[test]
    fn matches_the_model_on_larger_caches((capacity, ops) in scenario(40, 64, 400)) {
        check_against_model(capacity, &ops)?;
    }
}
