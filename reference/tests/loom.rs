#![cfg(loom)]
//! Loom models of the concurrent references: every interleaving (and every outcome the memory
//! model allows) of small scenarios, like the judge's hidden ones, checked against sequential
//! models. Each model is generic over a small trait and is also run against a known-bad
//! variant it must catch (`#[should_panic]`), so a model that passes is known to have teeth.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p judge-reference --test loom --release
//! --target-dir target/loom`.

use judge_reference::atomic_counter::AtomicCounter;
use judge_reference::concurrent_lru_cache::ConcurrentLruCache;
use judge_reference::striped_counter::StripedCounter;
use loom::sync::atomic::{AtomicU64, Ordering::SeqCst};
use loom::sync::{Arc, Mutex};
use loom::thread;
use std::cell::Cell;
use std::collections::BTreeSet;

/// Explores `f` exhaustively up to three preemptions per execution (`LOOM_MAX_PREEMPTIONS`
/// overrides it): every bug these models look for needs at most two, and without a bound the
/// three-thread models run for many minutes.
fn explore(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound.get_or_insert(3);
    builder.check(f);
}

/// The bounds on a read that overlaps updates: it counts every update completed before the
/// read started, and only updates started before it ended. Writers announce each update before
/// starting it and after completing it; the read checks itself against both totals.
struct Announcements {
    started: AtomicU64,
    completed: AtomicU64,
}

impl Announcements {
    fn new() -> Self {
        Announcements {
            started: AtomicU64::new(0),
            completed: AtomicU64::new(0),
        }
    }

    fn update<R>(&self, delta: u64, f: impl FnOnce() -> R) -> R {
        self.started.fetch_add(delta, SeqCst);
        let result = f();
        self.completed.fetch_add(delta, SeqCst);
        result
    }

    fn read(&self, f: impl FnOnce() -> u64) -> u64 {
        let low = self.completed.load(SeqCst);
        let value = f();
        let high = self.started.load(SeqCst);
        assert!(
            low <= value && value <= high,
            "read {value}: updates completed before it total {low}, started before its end {high}"
        );
        value
    }
}

// ---- atomic-counter -------------------------------------------------------------------------

trait Counter: Send + Sync + 'static {
    fn new() -> Self;
    fn increment_and_get(&self) -> u64;
    fn add_and_get(&self, delta: u64) -> u64;
    fn get(&self) -> u64;
}

impl Counter for AtomicCounter {
    fn new() -> Self {
        AtomicCounter::new()
    }
    fn increment_and_get(&self) -> u64 {
        AtomicCounter::increment_and_get(self)
    }
    fn add_and_get(&self, delta: u64) -> u64 {
        AtomicCounter::add_and_get(self, delta)
    }
    fn get(&self) -> u64 {
        AtomicCounter::get(self)
    }
}

/// Known bad: reads the value, then stores value + delta. Two increments that both read before
/// either stores return the same value and lose one.
struct LoadThenStoreCounter(AtomicU64);

impl Counter for LoadThenStoreCounter {
    fn new() -> Self {
        LoadThenStoreCounter(AtomicU64::new(0))
    }
    fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }
    fn add_and_get(&self, delta: u64) -> u64 {
        let value = self.0.load(SeqCst) + delta;
        self.0.store(value, SeqCst);
        value
    }
    fn get(&self) -> u64 {
        self.0.load(SeqCst)
    }
}

/// Not a bug the judge can see (WebAssembly's atomics are all sequentially consistent), but the
/// reason the reference does not use `Relaxed`: a relaxed increment can be seen before what its
/// thread did first, so a reader that sees the count cannot rely on anything else.
struct RelaxedCounter(AtomicU64);

impl Counter for RelaxedCounter {
    fn new() -> Self {
        RelaxedCounter(AtomicU64::new(0))
    }
    fn increment_and_get(&self) -> u64 {
        self.add_and_get(1)
    }
    fn add_and_get(&self, delta: u64) -> u64 {
        use loom::sync::atomic::Ordering::Relaxed;
        self.0.fetch_add(delta, Relaxed) + delta
    }
    fn get(&self) -> u64 {
        self.0.load(loom::sync::atomic::Ordering::Relaxed)
    }
}

/// Two threads increment while the main thread reads twice: the increments return 1 and 2 in
/// some order, every read lies between the increments completed and those started, reads never
/// go backwards, and the count is exactly 2 afterwards.
fn concurrent_increments<C: Counter>() {
    explore(|| {
        let counter = Arc::new(C::new());
        let announced = Arc::new(Announcements::new());
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let (counter, announced) = (counter.clone(), announced.clone());
                thread::spawn(move || announced.update(1, || counter.increment_and_get()))
            })
            .collect();
        let first = announced.read(|| counter.get());
        let second = announced.read(|| counter.get());
        assert!(
            first <= second,
            "get went backwards: {first}, then {second}"
        );
        let mut results: Vec<u64> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        results.sort_unstable();
        assert_eq!(
            results,
            [1, 2],
            "concurrent increments returned {results:?}"
        );
        assert_eq!(counter.get(), 2);
    });
}

/// Two threads add different deltas while the main thread reads: each result is the total
/// after its own add in one of the two sequential orders.
fn concurrent_adds<C: Counter>() {
    explore(|| {
        let counter = Arc::new(C::new());
        let announced = Arc::new(Announcements::new());
        let spawn_add = |delta: u64| {
            let (counter, announced) = (counter.clone(), announced.clone());
            thread::spawn(move || announced.update(delta, || counter.add_and_get(delta)))
        };
        let (two, three) = (spawn_add(2), spawn_add(3));
        announced.read(|| counter.get());
        let results = (two.join().unwrap(), three.join().unwrap());
        assert!(
            results == (2, 5) || results == (5, 3),
            "add_and_get(2) and add_and_get(3) from 0 returned {results:?}"
        );
        assert_eq!(counter.get(), 5);
    });
}

#[test]
fn atomic_counter_concurrent_increments() {
    concurrent_increments::<AtomicCounter>();
}

#[test]
fn atomic_counter_concurrent_adds() {
    concurrent_adds::<AtomicCounter>();
}

#[test]
#[should_panic(expected = "concurrent increments returned [1, 1]")]
fn concurrent_increments_catch_load_then_store() {
    concurrent_increments::<LoadThenStoreCounter>();
}

#[test]
#[should_panic(expected = "from 0 returned (2, 3)")]
fn concurrent_adds_catch_load_then_store() {
    concurrent_adds::<LoadThenStoreCounter>();
}

#[test]
#[should_panic(expected = "started before its end")]
fn a_relaxed_counter_is_seen_before_its_threads_earlier_writes() {
    concurrent_increments::<RelaxedCounter>();
}

// ---- striped-counter ------------------------------------------------------------------------

trait Adder: Send + Sync + 'static {
    fn new() -> Self;
    fn increment(&self);
    fn add(&self, delta: u64);
    fn sum(&self) -> u64;
}

impl Adder for StripedCounter {
    fn new() -> Self {
        StripedCounter::new()
    }
    fn increment(&self) {
        StripedCounter::increment(self)
    }
    fn add(&self, delta: u64) {
        StripedCounter::add(self, delta)
    }
    fn sum(&self) -> u64 {
        StripedCounter::sum(self)
    }
}

/// Known bad: each thread walks through the stripes, one per call, so two threads share a
/// stripe as soon as their call counts agree modulo the stripe count (their very first calls
/// already do), and the stripe update is a load and then a store, losing one of two concurrent
/// adds to a shared stripe.
struct RotatingLoadThenStore {
    stripes: [AtomicU64; 4],
}

loom::thread_local! {
    static CALLS: Cell<usize> = Cell::new(0);
}

impl Adder for RotatingLoadThenStore {
    fn new() -> Self {
        RotatingLoadThenStore {
            stripes: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
    fn increment(&self) {
        self.add(1)
    }
    fn add(&self, delta: u64) {
        let call = CALLS.with(|calls| calls.replace(calls.get() + 1));
        let stripe = &self.stripes[call % self.stripes.len()];
        stripe.store(stripe.load(SeqCst) + delta, SeqCst);
    }
    fn sum(&self) -> u64 {
        self.stripes.iter().map(|stripe| stripe.load(SeqCst)).sum()
    }
}

/// Two writers (an increment and an add of 3) while the main thread sums twice: each sum lies
/// between the adds completed before it and those started before it returned; after the
/// writers are joined the sum is exact.
fn concurrent_writers_and_sums<A: Adder>() {
    explore(|| {
        let counter = Arc::new(A::new());
        let announced = Arc::new(Announcements::new());
        let writers = [1, 3].map(|delta| {
            let (counter, announced) = (counter.clone(), announced.clone());
            thread::spawn(move || {
                announced.update(delta, || {
                    if delta == 1 {
                        counter.increment()
                    } else {
                        counter.add(delta)
                    }
                })
            })
        });
        announced.read(|| counter.sum());
        announced.read(|| counter.sum());
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(counter.sum(), 4, "sum after both writers finished");
    });
}

/// A thread's own adds are always visible to its own later sums, with another writer running.
fn read_your_writes<A: Adder>() {
    explore(|| {
        let counter = Arc::new(A::new());
        let other = {
            let counter = counter.clone();
            thread::spawn(move || counter.add(10))
        };
        counter.increment();
        let sum = counter.sum();
        assert!(sum == 1 || sum == 11, "sum after my increment: {sum}");
        counter.increment();
        let sum = counter.sum();
        assert!(sum == 2 || sum == 12, "sum after my two increments: {sum}");
        other.join().unwrap();
        assert_eq!(counter.sum(), 12, "sum after both writers finished");
    });
}

#[test]
fn striped_counter_concurrent_writers_and_sums() {
    concurrent_writers_and_sums::<StripedCounter>();
}

#[test]
fn striped_counter_read_your_writes() {
    read_your_writes::<StripedCounter>();
}

#[test]
#[should_panic(expected = "sum after both writers finished")]
fn concurrent_writers_catch_a_load_then_store_stripe() {
    concurrent_writers_and_sums::<RotatingLoadThenStore>();
}

// ---- concurrent-lru-cache -------------------------------------------------------------------

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
