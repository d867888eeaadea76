//! Loom models of the concurrent-lru-cache reference (run with `--cfg loom`; see reference/src/loom_support.rs).
#![allow(unused_imports)]

use super::ConcurrentLruCache;
use crate::loom_support::*;
use loom::sync::atomic::{AtomicU64, Ordering::SeqCst};
use loom::sync::{Arc, Mutex};
use loom::thread;
use std::cell::Cell;
use std::collections::BTreeSet;

trait Cache: Send + Sync + 'static {
    fn new(capacity: usize) -> Self;
    fn get(&self, key: &u32) -> Option<u32>;
    fn put(&self, key: u32, value: u32) -> Option<(u32, u32)>;
    fn len(&self) -> usize;
}

impl Cache for ConcurrentLruCache<u32, u32> {
    fn new(capacity: usize) -> Self {
        ConcurrentLruCache::new(capacity)
    }
    fn get(&self, key: &u32) -> Option<u32> {
        ConcurrentLruCache::get(self, key)
    }
    fn put(&self, key: u32, value: u32) -> Option<(u32, u32)> {
        ConcurrentLruCache::put(self, key, value)
    }
    fn len(&self) -> usize {
        ConcurrentLruCache::len(self)
    }
}

/// The obviously correct cache: entries in recency order, least recently used first.
#[derive(Clone)]
struct Model {
    capacity: usize,
    entries: Vec<(u32, u32)>,
}

impl Model {
    fn new(capacity: usize) -> Self {
        Model {
            capacity,
            entries: Vec::new(),
        }
    }

    fn get(&mut self, key: u32) -> Option<u32> {
        let at = self.entries.iter().position(|&(k, _)| k == key)?;
        let entry = self.entries.remove(at);
        self.entries.push(entry);
        Some(entry.1)
    }

    fn put(&mut self, key: u32, value: u32) -> Option<(u32, u32)> {
        if let Some(at) = self.entries.iter().position(|&(k, _)| k == key) {
            self.entries.remove(at);
            self.entries.push((key, value));
            return None;
        }
        let evicted = (self.entries.len() == self.capacity).then(|| self.entries.remove(0));
        self.entries.push((key, value));
        evicted
    }

    /// The evicting half of `put` on its own, for the known-bad variant below.
    fn evict_beyond_capacity(&mut self) -> Option<(u32, u32)> {
        (self.entries.len() > self.capacity).then(|| self.entries.remove(0))
    }
}

/// Known bad: `get` looks the key up under the lock, releases it, and takes it again to make
/// the key most recently used, by which time another thread may have evicted it; the value
/// returned then belongs to a state no sequential order passes through.
struct TwoStepGet(Mutex<Model>);

impl Cache for TwoStepGet {
    fn new(capacity: usize) -> Self {
        TwoStepGet(Mutex::new(Model::new(capacity)))
    }
    fn get(&self, key: &u32) -> Option<u32> {
        let value = {
            let model = self.0.lock().unwrap();
            model.entries.iter().find(|&&(k, _)| k == *key)?.1
        };
        let mut model = self.0.lock().unwrap();
        if let Some(at) = model.entries.iter().position(|&(k, _)| k == *key) {
            let entry = model.entries.remove(at);
            model.entries.push(entry);
        }
        Some(value)
    }
    fn put(&self, key: u32, value: u32) -> Option<(u32, u32)> {
        self.0.lock().unwrap().put(key, value)
    }
    fn len(&self) -> usize {
        self.0.lock().unwrap().entries.len()
    }
}

/// Known bad: `put` inserts in one critical section and evicts in a second, so in between the
/// cache holds capacity + 1 entries for everyone to see.
struct EvictOutsideLock(Mutex<Model>);

impl Cache for EvictOutsideLock {
    fn new(capacity: usize) -> Self {
        EvictOutsideLock(Mutex::new(Model::new(capacity)))
    }
    fn get(&self, key: &u32) -> Option<u32> {
        self.0.lock().unwrap().get(*key)
    }
    fn put(&self, key: u32, value: u32) -> Option<(u32, u32)> {
        {
            let mut model = self.0.lock().unwrap();
            if let Some(at) = model.entries.iter().position(|&(k, _)| k == key) {
                model.entries.remove(at);
                model.entries.push((key, value));
                return None;
            }
            model.entries.push((key, value));
        }
        self.0.lock().unwrap().evict_beyond_capacity()
    }
    fn len(&self) -> usize {
        self.0.lock().unwrap().entries.len()
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Get(u32),
    Put(u32, u32),
    Len,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Got(Option<u32>),
    Evicted(Option<(u32, u32)>),
    Len(usize),
}

fn apply_to_cache<C: Cache>(cache: &C, op: Op) -> Outcome {
    match op {
        Op::Get(key) => Outcome::Got(cache.get(&key)),
        Op::Put(key, value) => Outcome::Evicted(cache.put(key, value)),
        Op::Len => Outcome::Len(cache.len()),
    }
}

fn apply_to_model(model: &mut Model, op: Op) -> Outcome {
    match op {
        Op::Get(key) => Outcome::Got(model.get(key)),
        Op::Put(key, value) => Outcome::Evicted(model.put(key, value)),
        Op::Len => Outcome::Len(model.entries.len()),
    }
}

/// One scenario: a capacity, puts made before the threads start, each thread's operations, and
/// the keys read back (with `len`) after both are joined.
struct Scenario {
    capacity: usize,
    before: &'static [(u32, u32)],
    threads: [&'static [Op]; 2],
    keys: &'static [u32],
}

/// What one run shows: each thread's outcomes, then the state read back after the join.
type Observation = (Vec<Outcome>, Vec<Outcome>, Vec<Outcome>);

impl Scenario {
    fn read_back(&self, mut apply: impl FnMut(Op) -> Outcome) -> Vec<Outcome> {
        std::iter::once(Op::Len)
            .chain(self.keys.iter().map(|&key| Op::Get(key)))
            .map(&mut apply)
            .collect()
    }

    /// Every observation some sequential order of the two threads' operations gives.
    fn sequential_observations(&self) -> BTreeSet<Observation> {
        let [a, b] = self.threads;
        let mut observations = BTreeSet::new();
        // Each order is a choice of which steps of the merged sequence belong to thread a.
        for mask in 0u32..1 << (a.len() + b.len()) {
            if mask.count_ones() as usize != a.len() {
                continue;
            }
            let mut model = Model::new(self.capacity);
            for &(key, value) in self.before {
                model.put(key, value);
            }
            let (mut next_a, mut next_b) = (a.iter(), b.iter());
            let (mut seen_a, mut seen_b) = (Vec::new(), Vec::new());
            for step in 0..a.len() + b.len() {
                if mask & (1 << step) != 0 {
                    seen_a.push(apply_to_model(&mut model, *next_a.next().unwrap()));
                } else {
                    seen_b.push(apply_to_model(&mut model, *next_b.next().unwrap()));
                }
            }
            let after = self.read_back(|op| apply_to_model(&mut model, op));
            observations.insert((seen_a, seen_b, after));
        }
        observations
    }

    /// Runs the scenario under loom: thread a is spawned, thread b is the main thread; every
    /// `len` seen is within the capacity, and the whole observation is one that a sequential
    /// order gives.
    fn check<C: Cache>(&'static self) {
        let expected = self.sequential_observations();
        explore(move || {
            let cache = Arc::new(C::new(self.capacity));
            for &(key, value) in self.before {
                cache.put(key, value);
            }
            let [a, b] = self.threads;
            let spawned = {
                let cache = cache.clone();
                thread::spawn(move || {
                    a.iter()
                        .map(|&op| apply_to_cache(&*cache, op))
                        .collect::<Vec<_>>()
                })
            };
            let seen_b: Vec<_> = b.iter().map(|&op| apply_to_cache(&*cache, op)).collect();
            let seen_a = spawned.join().unwrap();
            for outcome in seen_a.iter().chain(&seen_b) {
                if let Outcome::Len(len) = *outcome {
                    assert!(
                        len <= self.capacity,
                        "len() = {len} over capacity {}",
                        self.capacity
                    );
                }
            }
            let after = self.read_back(|op| apply_to_cache(&*cache, op));
            let observed = (seen_a, seen_b, after);
            assert!(
                expected.contains(&observed),
                "no sequential order gives {observed:?}; the orders give {expected:?}"
            );
        });
    }
}

static LRU_SCENARIOS: &[Scenario] = &[
    // A hit racing an eviction: whether 1 or 2 is evicted depends on which goes first.
    Scenario {
        capacity: 2,
        before: &[(1, 10), (2, 20)],
        threads: [&[Op::Get(1)], &[Op::Put(3, 30)]],
        keys: &[1, 2, 3],
    },
    // Two new keys into a cache with room for one more.
    Scenario {
        capacity: 2,
        before: &[(1, 10)],
        threads: [&[Op::Put(2, 20)], &[Op::Put(3, 30)]],
        keys: &[1, 2, 3],
    },
    // A full cache never shows more than its capacity.
    Scenario {
        capacity: 2,
        before: &[(1, 10), (2, 20)],
        threads: [&[Op::Put(3, 30)], &[Op::Len, Op::Get(1)]],
        keys: &[1, 2, 3],
    },
    // Capacity 1: every new key evicts the other thread's.
    Scenario {
        capacity: 1,
        before: &[(1, 10)],
        threads: [&[Op::Put(2, 20)], &[Op::Put(3, 30), Op::Len]],
        keys: &[1, 2, 3],
    },
    // Capacity 1: a replacement racing a new key and a read of the old one.
    Scenario {
        capacity: 1,
        before: &[(1, 10)],
        threads: [&[Op::Put(1, 11)], &[Op::Get(1), Op::Put(2, 20)]],
        keys: &[1, 2],
    },
];

fn lru_scenarios<C: Cache>() {
    for scenario in LRU_SCENARIOS {
        scenario.check::<C>();
    }
}

#[test]
fn concurrent_lru_cache_scenarios() {
    lru_scenarios::<ConcurrentLruCache<u32, u32>>();
}

#[test]
#[should_panic(expected = "no sequential order gives")]
fn lru_scenarios_catch_a_get_in_two_critical_sections() {
    lru_scenarios::<TwoStepGet>();
}

#[test]
#[should_panic(expected = "over capacity")]
fn lru_scenarios_catch_an_eviction_in_a_second_critical_section() {
    lru_scenarios::<EvictOutsideLock>();
}
