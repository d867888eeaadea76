//! Native tests of the lru-cache reference: every rule of the contract, a model over random
//! operation sequences, and size.

use super::LruCache;
use proptest::prelude::*;

#[test]
fn a_new_cache_is_empty() {
    let mut cache: LruCache<u32, u32> = LruCache::new(3);
    assert_eq!(cache.len(), 0);
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.len(), 0);
}

#[test]
fn statement_examples() {
    let mut cache = LruCache::new(2);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(2, 2), None);
    assert_eq!(cache.get(&1), Some(1));
    assert_eq!(cache.put(3, 3), Some((2, 2)));
    assert_eq!(cache.get(&2), None);
    assert_eq!(cache.len(), 2);

    let mut cache = LruCache::new(2);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(2, 2), None);
    assert_eq!(cache.put(1, 10), None);
    assert_eq!(cache.put(3, 3), Some((2, 2)));
    assert_eq!(cache.get(&1), Some(10));

    let mut cache = LruCache::new(1);
    assert_eq!(cache.put(1, 1), None);
    assert_eq!(cache.put(1, 5), None);
    assert_eq!(cache.put(2, 2), Some((1, 5)));
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.len(), 1);
}

#[test]
fn puts_below_capacity_evict_nothing() {
    let mut cache = LruCache::new(3);
    assert_eq!(cache.put(1, 10), None);
    assert_eq!(cache.len(), 1);
    assert_eq!(cache.put(2, 20), None);
    assert_eq!(cache.put(3, 30), None);
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.get(&1), Some(10));
    assert_eq!(cache.get(&2), Some(20));
    assert_eq!(cache.get(&3), Some(30));
}

#[test]
fn a_new_key_in_a_full_cache_evicts_the_least_recently_used() {
    let mut cache = LruCache::new(2);
    cache.put(1, 10);
    cache.put(2, 20);
    assert_eq!(cache.put(3, 30), Some((1, 10)));
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.get(&2), Some(20));
    assert_eq!(cache.get(&3), Some(30));
    // 2 was read before 3, so it is now the least recently used.
    assert_eq!(cache.put(4, 40), Some((2, 20)));
}

#[test]
fn a_hit_makes_the_key_most_recently_used() {
    let mut cache = LruCache::new(3);
    cache.put(1, 10);
    cache.put(2, 20);
    cache.put(3, 30);
    assert_eq!(cache.get(&1), Some(10));
    // Recency, oldest first: 2, 3, 1.
    assert_eq!(cache.put(4, 40), Some((2, 20)));
    assert_eq!(cache.put(5, 50), Some((3, 30)));
    assert_eq!(cache.put(6, 60), Some((1, 10)));
}

#[test]
fn a_miss_changes_nothing() {
    let mut cache = LruCache::new(2);
    cache.put(1, 10);
    cache.put(2, 20);
    assert_eq!(cache.get(&3), None);
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.put(3, 30), Some((1, 10)));
}

#[test]
fn putting_an_existing_key_replaces_its_value_and_evicts_nothing() {
    let mut cache = LruCache::new(2);
    cache.put(1, 10);
    cache.put(2, 20);
    // Full, but the key is already there: no eviction, and the old value is not returned.
    assert_eq!(cache.put(1, 11), None);
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.get(&1), Some(11));
    assert_eq!(cache.get(&2), Some(20));
    // Below capacity too.
    let mut cache = LruCache::new(5);
    cache.put(7, 70);
    assert_eq!(cache.put(7, 71), None);
    assert_eq!(cache.put(7, 72), None);
    assert_eq!(cache.len(), 1);
    assert_eq!(cache.get(&7), Some(72));
}

#[test]
fn putting_an_existing_key_makes_it_most_recently_used() {
    let mut cache = LruCache::new(3);
    cache.put(1, 10);
    cache.put(2, 20);
    cache.put(3, 30);
    assert_eq!(cache.put(1, 11), None);
    // Recency, oldest first: 2, 3, 1.
    assert_eq!(cache.put(4, 40), Some((2, 20)));
    assert_eq!(cache.put(5, 50), Some((3, 30)));
    assert_eq!(cache.put(6, 60), Some((1, 11)));
}

#[test]
fn the_evicted_value_is_the_latest_one_put() {
    let mut cache = LruCache::new(2);
    cache.put(1, 10);
    cache.put(1, 11);
    cache.put(2, 20);
    assert_eq!(cache.put(3, 30), Some((1, 11)));
}

#[test]
fn an_evicted_key_can_come_back() {
    let mut cache = LruCache::new(2);
    cache.put(1, 10);
    cache.put(2, 20);
    assert_eq!(cache.put(3, 30), Some((1, 10)));
    assert_eq!(cache.put(1, 12), Some((2, 20)));
    assert_eq!(cache.get(&1), Some(12));
    assert_eq!(cache.get(&3), Some(30));
    assert_eq!(cache.len(), 2);
}

#[test]
fn capacity_one() {
    let mut cache = LruCache::new(1);
    assert_eq!(cache.put(1, 10), None);
    assert_eq!(cache.put(1, 11), None);
    assert_eq!(cache.len(), 1);
    assert_eq!(cache.get(&1), Some(11));
    assert_eq!(cache.put(2, 20), Some((1, 11)));
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.get(&2), Some(20));
    assert_eq!(cache.put(3, 30), Some((2, 20)));
    assert_eq!(cache.put(3, 31), None);
    assert_eq!(cache.len(), 1);
}

#[test]
fn len_never_exceeds_capacity() {
    for capacity in 1..=6 {
        let mut cache = LruCache::new(capacity);
        for key in 0..20u32 {
            let evicted = cache.put(key, key * 10);
            let expected = (key as usize >= capacity).then(|| {
                let old = key - capacity as u32;
                (old, old * 10)
            });
            assert_eq!(evicted, expected, "capacity {capacity}, key {key}");
            assert_eq!(cache.len(), (key as usize + 1).min(capacity));
        }
    }
}

#[test]
fn works_with_owned_keys_and_values() {
    // The judge also instantiates the candidate's cache with these types: nothing may
    // require `Copy`.
    let mut cache: LruCache<String, Vec<u8>> = LruCache::new(2);
    assert_eq!(cache.put("a".to_string(), vec![1]), None);
    assert_eq!(cache.put("b".to_string(), vec![2, 2]), None);
    assert_eq!(cache.get(&"a".to_string()), Some(vec![1]));
    assert_eq!(
        cache.put("c".to_string(), vec![]),
        Some(("b".to_string(), vec![2, 2]))
    );
    assert_eq!(cache.put("a".to_string(), vec![9]), None);
    assert_eq!(cache.len(), 2);
}

#[test]
#[should_panic(expected = "capacity")]
fn capacity_zero_is_rejected() {
    let _ = LruCache::<u32, u32>::new(0);
}

#[test]
fn a_million_operations_on_a_large_cache() {
    // A linear scan per operation would be 10^6 * 10^5 steps here: it would not finish.
    const CAPACITY: u32 = 100_000;
    let mut cache = LruCache::new(CAPACITY as usize);
    for key in 0..CAPACITY {
        assert_eq!(cache.put(key, key), None);
    }
    // Touch the even keys, then insert new keys: the odd ones go first, oldest first.
    for key in (0..CAPACITY).step_by(2) {
        assert_eq!(cache.get(&key), Some(key));
    }
    for i in 0..CAPACITY / 2 {
        let key = CAPACITY + i;
        assert_eq!(cache.put(key, key), Some((2 * i + 1, 2 * i + 1)));
    }
    for i in 0..CAPACITY / 2 {
        let key = CAPACITY + CAPACITY / 2 + i;
        assert_eq!(cache.put(key, key), Some((2 * i, 2 * i)));
    }
    assert_eq!(cache.len(), CAPACITY as usize);
    // Pseudo-random traffic over a key space twice the capacity, checked against nothing but
    // the size invariant: this is about time.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..500_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let key = (x % (2 * u64::from(CAPACITY))) as u32;
        if x & (1 << 40) == 0 {
            let _ = cache.get(&key);
        } else {
            let _ = cache.put(key, key);
        }
    }
    assert_eq!(cache.len(), CAPACITY as usize);
}

#[derive(Clone, Debug)]
enum Op {
    Get(u8),
    Put(u8, u16),
}

/// The obviously correct cache: entries in recency order, least recently used first, every
/// operation a linear scan.
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

/// A capacity and operations over keys `0..keys`: few keys, so hits, replacements and
/// evictions are all frequent.
fn scenario(
    max_capacity: usize,
    max_keys: u8,
    max_ops: usize,
) -> impl Strategy<Value = (usize, Vec<Op>)> {
    (1..=max_capacity, 1..=max_keys).prop_flat_map(move |(capacity, keys)| {
        let op = prop_oneof![
            (0..keys).prop_map(Op::Get),
            (0..keys, any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        ];
        (Just(capacity), prop::collection::vec(op, 0..=max_ops))
    })
}

fn check_against_model(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut cache = LruCache::new(capacity);
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
        }
        prop_assert_eq!(
            cache.len(),
            model.entries.len(),
            "len after op {}: {:?}",
            i,
            op
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn matches_the_model_on_small_caches((capacity, ops) in scenario(5, 8, 60)) {
        check_against_model(capacity, &ops)?;
    }

    #[test]
    fn matches_the_model_on_larger_caches((capacity, ops) in scenario(40, 64, 400)) {
        check_against_model(capacity, &ops)?;
    }

    #[test]
    fn matches_the_model_with_owned_types((capacity, ops) in scenario(4, 6, 60)) {
        // The same check through String keys and Vec values.
        let mut cache: LruCache<String, Vec<u8>> = LruCache::new(capacity);
        let mut model = Model { capacity, entries: Vec::new() };
        let owned = |v: u16| v.to_le_bytes().to_vec();
        for op in &ops {
            match *op {
                Op::Get(k) => prop_assert_eq!(cache.get(&k.to_string()), model.get(k).map(owned)),
                Op::Put(k, v) => prop_assert_eq!(
                    cache.put(k.to_string(), owned(v)),
                    model.put(k, v).map(|(k, v)| (k.to_string(), owned(v)))
                ),
            }
        }
    }
}
