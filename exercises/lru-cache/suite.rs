//! Hidden tests of `lru-cache`: operation sequences on `LruCache<u32, u32>`, biased toward
//! capacity 1, repeated keys and eviction boundaries, against a recency-list model.

use crate::sequence::{SequenceSpec, Sequences};
use crate::suite::FunctionSuite;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::collections::{BTreeMap, HashMap};

pub static SUITE: FunctionSuite<Sequences<Lru>> = FunctionSuite(Sequences(Lru));

pub struct Lru;

use crate::wire::{self, Wire};
// `Op` and `Ret`, and how they cross the wire: the same file the guest's harness is built with.
include!("wire.rs");

/// An answer as Rust prints it.
pub(crate) fn show_ret(ret: &Ret) -> String {
    match ret {
        Ret::Get(v) => format!("{v:?}"),
        Ret::Put(e) => format!("{e:?}"),
        Ret::Len(n) => n.to_string(),
    }
}

/// The model: each entry stamped with the tick of its last use; the least recently used
/// entry is the smallest stamp. O(log n) per call, so the performance workloads (10^5
/// calls on a cache of 5 * 10^4) are checked quickly too.
pub struct Model {
    capacity: usize,
    tick: u64,
    entries: HashMap<u32, (u32, u64)>,
    by_tick: BTreeMap<u64, u32>,
}

impl Model {
    pub fn new(capacity: usize) -> Self {
        Model {
            capacity,
            tick: 0,
            entries: HashMap::new(),
            by_tick: BTreeMap::new(),
        }
    }

    fn touch(&mut self, key: u32, value: u32) {
        self.tick += 1;
        if let Some((_, old)) = self.entries.insert(key, (value, self.tick)) {
            self.by_tick.remove(&old);
        }
        self.by_tick.insert(self.tick, key);
    }

    pub fn get(&mut self, key: u32) -> Option<u32> {
        let (value, _) = *self.entries.get(&key)?;
        self.touch(key, value);
        Some(value)
    }

    pub fn put(&mut self, key: u32, value: u32) -> Option<(u32, u32)> {
        let evicted = if !self.entries.contains_key(&key) && self.entries.len() == self.capacity {
            let (_, lru) = self.by_tick.pop_first().expect("a full cache has entries");
            let (v, _) = self.entries.remove(&lru).expect("indexed");
            Some((lru, v))
        } else {
            None
        };
        self.touch(key, value);
        evicted
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A sequence: a capacity, then keys drawn from a universe sized against it, so that the
/// cache keeps filling up to the eviction boundary and keys repeat.
fn sequence() -> impl Strategy<Value = (u32, Vec<Op>)> {
    let capacity = prop_oneof![
        4 => Just(1u32),
        3 => 2u32..=3,
        3 => 1u32..=8,
        1 => 1u32..=200,
    ];
    capacity.prop_flat_map(|cap| {
        let universe = prop_oneof![
            3 => Just(cap + 1),
            2 => Just(cap * 2 + 1),
            1 => 1..=cap,
            1 => Just(cap * 4 + 4),
        ];
        let len = prop_oneof![3 => 0usize..=12, 3 => 0usize..=60, 1 => 0usize..=600];
        (Just(cap), universe, len).prop_flat_map(|(cap, universe, len)| {
            let key = 0..universe;
            // Few distinct values, so a wrong entry often carries a plausible value.
            let value = prop_oneof![4 => 0u32..8, 1 => any::<u32>()];
            let op = prop_oneof![
                4 => key.clone().prop_map(Op::Get),
                5 => (key, value).prop_map(|(k, v)| Op::Put(k, v)),
                1 => Just(Op::Len),
            ];
            (Just(cap), proptest::collection::vec(op, len))
        })
    })
}

impl SequenceSpec for Lru {
    type Setup = u32;
    type Op = Op;
    type Ret = Ret;
    type Model = Model;

    fn strategy(&self) -> BoxedStrategy<(u32, Vec<Op>)> {
        sequence().boxed()
    }

    fn model(&self, capacity: &u32) -> Model {
        Model::new(*capacity as usize)
    }

    fn apply(&self, model: &mut Model, op: &Op) -> Ret {
        match *op {
            Op::Get(k) => Ret::Get(model.get(k)),
            Op::Put(k, v) => Ret::Put(model.put(k, v)),
            Op::Len => Ret::Len(model.len() as u32),
        }
    }

    fn show_setup(&self, capacity: &u32) -> String {
        format!("let mut cache = LruCache::new({capacity});")
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Get(k) => format!("cache.get(&{k})"),
            Op::Put(k, v) => format!("cache.put({k}, {v})"),
            Op::Len => "cache.len()".into(),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        show_ret(ret)
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("capacity_one", "a cache of capacity 1"),
            ("eviction", "a put of a new key into a full cache"),
            (
                "replace_when_full",
                "a put of a key already present into a full cache",
            ),
            ("get_miss", "a get of a key not in the cache"),
        ]
    }

    fn hits(&self, capacity: &u32, ops: &[Op]) -> Vec<&'static str> {
        let mut model = Model::new(*capacity as usize);
        let mut hits = vec![(*capacity == 1).then_some("capacity_one")];
        for op in ops {
            match *op {
                Op::Get(k) => hits.push(model.get(k).is_none().then_some("get_miss")),
                Op::Put(k, v) => {
                    let full = model.len() == *capacity as usize;
                    match model.put(k, v) {
                        Some(_) => hits.push(Some("eviction")),
                        None => hits.push(full.then_some("replace_when_full")),
                    }
                }
                Op::Len => {}
            }
        }
        hits.into_iter().flatten().collect()
    }

    /// Capacity n/2, then n puts of new keys (evicting once the cache is full), each
    /// followed by a get that hits a recent key and one that misses: 3n calls, each O(1)
    /// in a correct cache, O(n) in one that scans its entries. Keys and values come from
    /// `seed` (keys through a bijection of their index, so they stay distinct and the hits
    /// and misses fall where they do for every seed).
    fn workload(&self, n: u32, seed: u64) -> Option<(u32, Vec<Op>)> {
        let capacity = (n / 2).max(1);
        let mut rng = judge_core::SplitMix64::new(seed ^ 0x1AC0_0000_0000_0000);
        // An odd multiplier and an offset: a bijection of u32, so indices 0..2n stay
        // distinct keys.
        let (mul, add) = (rng.next_u64() as u32 | 1, rng.next_u64() as u32);
        let key = |i: u32| i.wrapping_mul(mul).wrapping_add(add);
        let mut ops = Vec::with_capacity(3 * n as usize);
        for i in 0..n {
            ops.push(Op::Put(key(i), rng.next_u64() as u32));
            ops.push(Op::Get(key(i.saturating_sub(capacity / 2))));
            ops.push(Op::Get(key(n + i)));
        }
        Some((capacity, ops))
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "LruCache::new({}), then {n} puts of new keys, each followed by a get that hits and one that misses ({} calls)",
            (n / 2).max(1),
            3 * n
        )
    }

    fn simpler_setup(&self, capacity: &u32) -> Vec<u32> {
        (1..*capacity).take(4).collect()
    }

    fn simpler_op(&self, op: &Op) -> Vec<Op> {
        match *op {
            Op::Put(k, v) if v != 0 => vec![Op::Put(k, 0)],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{CallFailure, FunctionSpec, Outcome, Plan, Suite};
    use judge_core::Verdict;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::time::Duration;

    #[test]
    fn model_follows_the_statement() {
        let mut m = Model::new(2);
        assert_eq!(m.put(1, 1), None);
        assert_eq!(m.put(2, 2), None);
        assert_eq!(m.get(1), Some(1));
        assert_eq!(m.put(3, 3), Some((2, 2)), "2 is least recently used");
        assert_eq!(m.put(1, 10), None, "replacing evicts nothing");
        assert_eq!(m.len(), 2);
        assert_eq!(
            m.put(4, 4),
            Some((3, 3)),
            "the replaced key became most recent"
        );
        assert_eq!(m.get(3), None);
        let mut one = Model::new(1);
        assert_eq!(one.put(1, 1), None);
        assert_eq!(one.put(1, 2), None);
        assert_eq!(one.put(2, 2), Some((1, 2)));
        assert!(!one.is_empty());
    }

    /// The definition, literally: entries in recency order, least recent first.
    fn recency_list(capacity: usize, ops: &[Op]) -> Vec<Ret> {
        let mut entries: Vec<(u32, u32)> = Vec::new();
        ops.iter()
            .map(|op| match *op {
                Op::Get(k) => Ret::Get(entries.iter().position(|e| e.0 == k).map(|i| {
                    let e = entries.remove(i);
                    entries.push(e);
                    e.1
                })),
                Op::Put(k, v) => Ret::Put(match entries.iter().position(|e| e.0 == k) {
                    Some(i) => {
                        entries.remove(i);
                        entries.push((k, v));
                        None
                    }
                    None => {
                        let evicted = (entries.len() == capacity).then(|| entries.remove(0));
                        entries.push((k, v));
                        evicted
                    }
                }),
                Op::Len => Ret::Len(entries.len() as u32),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn model_agrees_with_the_definition((cap, ops) in sequence()) {
            let mut m = Model::new(cap as usize);
            let got: Vec<Ret> = ops.iter().map(|op| Lru.apply(&mut m, op)).collect();
            prop_assert_eq!(got, recency_list(cap as usize, &ops));
        }
    }

    #[test]
    fn generators_reach_the_interesting_cases() {
        let mut runner = TestRunner::deterministic();
        let strategy = sequence();
        let (mut cap1, mut evictions, mut replaced, mut long) = (0, 0, 0, 0);
        for _ in 0..1_000 {
            let (cap, ops) = strategy.new_tree(&mut runner).unwrap().current();
            cap1 += usize::from(cap == 1);
            long += usize::from(ops.len() >= 100);
            let mut m = Model::new(cap as usize);
            let (mut ev, mut rep) = (false, false);
            for op in &ops {
                if let Op::Put(k, v) = *op {
                    let before = m.len();
                    ev |= m.put(k, v).is_some();
                    rep |= m.len() == before && before == cap as usize && cap > 1;
                }
            }
            evictions += usize::from(ev);
            replaced += usize::from(rep);
        }
        assert!(cap1 >= 200, "capacity 1 in {cap1} of 1000");
        assert!(evictions >= 500, "evictions in {evictions} of 1000");
        assert!(
            replaced >= 100,
            "replacements in a full cache in {replaced} of 1000"
        );
        assert!(long >= 50, "long sequences: {long} of 1000");
    }

    /// A host "submission" of lru-cache: the model, except that a `get` of a missing key
    /// fails as `fault` says (a panic, or a loop that never ends); counts its calls.
    struct Failing {
        fault: Verdict,
        calls: u32,
        probes: u32,
    }

    impl Failing {
        fn run(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
            let (cap, ops): (u32, Vec<Op>) = wire::from_bytes(input).expect("a case");
            let mut m = Model::new(cap as usize);
            let mut rets = Vec::new();
            for op in &ops {
                if let Op::Get(k) = *op {
                    if m.get(k).is_none() {
                        return Err(CallFailure {
                            verdict: self.fault,
                            message: format!("failed on get({k})"),
                            shrinkable: true,
                            computing: self.fault == Verdict::TimeLimitExceeded,
                        });
                    }
                    // Put the entry back where the model's own get left it.
                    rets.push(Ret::Get(Some(0)));
                    continue;
                }
                rets.push(Lru.apply(&mut m, op));
            }
            Ok(wire::to_bytes(&rets))
        }
    }

    impl crate::suite::Subject for Failing {
        fn call(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
            self.calls += 1;
            self.run(input)
        }
        fn probe(&mut self, input: &[u8]) -> Result<Vec<u8>, CallFailure> {
            self.probes += 1;
            self.run(input)
        }
    }

    fn plan() -> Plan<'static> {
        Plan {
            cases: 200,
            seed: 7,
            max_shrink_iters: 4096,
            max_shrink_time: Duration::from_secs(20),
            budget: Duration::from_secs(60),
            budget_verdict: Verdict::TimeLimitExceeded,
            progress: &|_| {},
        }
    }

    #[test]
    fn a_call_that_fails_without_returning_is_marked_and_the_calls_before_show_the_submissions_results(
    ) {
        for fault in [Verdict::RuntimeError, Verdict::TimeLimitExceeded] {
            let mut subject = Failing {
                fault,
                calls: 0,
                probes: 0,
            };
            let (outcome, detail) = SUITE.run_detailed(&mut subject, &plan());
            let Outcome::Failed(c) = outcome else {
                panic!("{outcome:?}")
            };
            let located = detail.located.expect("located");
            // Shrunk to one get on an empty cache: the constructor, then the marked call.
            assert_eq!(located.of, 1, "{located:?}\n{}", c.call);
            assert_eq!(located.index, 1);
            assert!(located.call.starts_with("cache.get(&"), "{located:?}");
            let how = match fault {
                Verdict::TimeLimitExceeded => "did not return",
                _ => "failed",
            };
            assert_eq!(located.how, how);
            let mark = format!("    <- call 1 {}", located.how);
            assert!(c.call.ends_with(&mark), "{}", c.call);
            assert!(c.call.starts_with("let mut cache = LruCache::new("));
            assert!(!c.call.contains("model"), "{}", c.call);
            assert_eq!(c.expected, "None", "what the marked call returns");
            assert!(c.shrink_steps > 0);
            assert_eq!(detail.shrunk, Some(true));
            match fault {
                // A time-out is shrunk on probes, and the case reported is confirmed with
                // one full call.
                Verdict::TimeLimitExceeded => {
                    assert!(subject.probes > 0);
                    assert!(subject.calls <= plan().cases + 2, "{}", subject.calls);
                }
                _ => assert_eq!(subject.probes, 0),
            }
        }
    }

    #[test]
    fn the_marked_call_is_found_by_prefixes_when_calls_follow_it() {
        let spec = Sequences(Lru);
        // Two puts, then the failing get, then more calls the guest never reaches.
        let input = (
            2,
            vec![
                Op::Put(1, 1),
                Op::Get(1),
                Op::Get(9),
                Op::Put(2, 2),
                Op::Len,
            ],
        );
        assert_eq!(spec.calls(&input), 5);
        let prefix: (u32, Vec<Op>) = wire::from_bytes(&spec.encode_prefix(&input, 2)).unwrap();
        assert_eq!(prefix.1, vec![Op::Put(1, 1), Op::Get(1)]);
        let answers = wire::to_bytes(&vec![Ret::Put(None), Ret::Get(Some(7))]);
        let (call, expected) = spec.show_prefix(&input, 3, &answers, "panicked");
        assert_eq!(
            call,
            "let mut cache = LruCache::new(2);\ncache.put(1, 1) -> None\ncache.get(&1) -> Some(7)    // expected Some(1)\ncache.get(&9)    <- call 3 panicked"
        );
        assert_eq!(expected, "None");
        assert_eq!(spec.show_step(&input, 3), "cache.get(&9)");
        assert_eq!(
            spec.show_step(&input, 0),
            "let mut cache = LruCache::new(2);"
        );
        // Without a result from the guest, the calls are shown alone, none with a result.
        let shown = spec.show_call(&input);
        assert!(!shown.contains("->"), "{shown}");
        assert_eq!(shown.lines().count(), 6);
    }

    #[test]
    fn a_divergence_is_marked_in_the_transcript() {
        let spec = Sequences(Lru);
        let input = (1, vec![Op::Put(1, 1), Op::Put(2, 2), Op::Get(1)]);
        let wrong = vec![Ret::Put(None), Ret::Put(Some((2, 2))), Ret::Get(None)];
        let m = spec.check(&input, &wrong).unwrap_err();
        assert_eq!(m.expected, "Some((1, 1))");
        assert_eq!(m.actual, "Some((2, 2))");
        let call = m.call.unwrap();
        assert_eq!(
            call,
            "let mut cache = LruCache::new(1);\ncache.put(1, 1) -> None\ncache.put(2, 2)    <- call 2: the first result that differs"
        );
        let right = vec![Ret::Put(None), Ret::Put(Some((1, 1))), Ret::Get(None)];
        assert!(spec.check(&input, &right).is_ok());
        let bytes = spec.encode(&input);
        assert_eq!(
            bytes.len(),
            4 + 4 + 9 + 9 + 5,
            "capacity, count, put, put, get"
        );
    }
}
