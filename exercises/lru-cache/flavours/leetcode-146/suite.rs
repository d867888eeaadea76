//! Hidden tests of LeetCode 146 (lru-cache in LeetCode's API): operation sequences within
//! LeetCode's constraints, checked against lru-cache's model, comparing only what LeetCode's
//! methods return.

use crate::lru_cache::Model;
use crate::sequence::{SequenceSpec, Sequences};
use crate::suite::FunctionSuite;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

pub static SUITE: FunctionSuite<Sequences<LeetCode146>> = FunctionSuite(Sequences(LeetCode146));

pub struct LeetCode146;

use crate::wire::{self, Wire};
include!("wire.rs");

/// LeetCode 146's bounds.
const MAX_CAPACITY: i32 = 3_000;
const MAX_KEY: i32 = 10_000;
const MAX_VALUE: i32 = 100_000;

fn sequence() -> impl Strategy<Value = (i32, Vec<Op>)> {
    let capacity = prop_oneof![
        4 => Just(1i32),
        3 => 2i32..=3,
        3 => 1i32..=8,
        1 => 1i32..=200,
        1 => Just(MAX_CAPACITY),
    ];
    capacity.prop_flat_map(|cap| {
        let universe = prop_oneof![
            3 => Just(cap + 1),
            2 => Just(cap * 2 + 1),
            1 => 1..=cap,
            1 => Just(cap * 4 + 4),
        ]
        .prop_map(|u| u.min(MAX_KEY + 1));
        let len = prop_oneof![3 => 0usize..=12, 3 => 0usize..=60, 1 => 0usize..=600];
        (Just(cap), universe, len).prop_flat_map(|(cap, universe, len)| {
            // Keys from the top of the range too, and LeetCode's largest value.
            let key = prop_oneof![9 => 0..universe, 1 => (MAX_KEY + 1 - universe)..=MAX_KEY];
            let value = prop_oneof![4 => 0i32..8, 1 => 0..=MAX_VALUE, 1 => Just(MAX_VALUE)];
            let op = prop_oneof![
                4 => key.clone().prop_map(Op::Get),
                5 => (key, value).prop_map(|(k, v)| Op::Put(k, v)),
            ];
            (Just(cap), proptest::collection::vec(op, len))
        })
    })
}

impl SequenceSpec for LeetCode146 {
    type Setup = i32;
    type Op = Op;
    type Ret = Ret;
    type Model = Model;

    fn strategy(&self) -> BoxedStrategy<(i32, Vec<Op>)> {
        sequence().boxed()
    }

    fn model(&self, capacity: &i32) -> Model {
        Model::new(*capacity as usize)
    }

    fn apply(&self, model: &mut Model, op: &Op) -> Ret {
        match *op {
            Op::Get(k) => Ret::Get(model.get(k as u32).map_or(-1, |v| v as i32)),
            Op::Put(k, v) => {
                model.put(k as u32, v as u32);
                Ret::Put
            }
        }
    }

    fn show_setup(&self, capacity: &i32) -> String {
        format!("let obj = LRUCache::new({capacity});")
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Get(k) => format!("obj.get({k})"),
            Op::Put(k, v) => format!("obj.put({k}, {v})"),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        match ret {
            Ret::Get(v) => v.to_string(),
            Ret::Put => "()".into(),
        }
    }

    /// Capacity 3n/8 (at most LeetCode's 3,000), then n puts of new keys, each followed by a
    /// get that hits a recent key and one of a key evicted long ago (a miss): 3n calls, keys
    /// within LeetCode's 0..=10^4 through a bijection of 0..10001 drawn from `seed`.
    fn workload(&self, n: u32, seed: u64) -> Option<(i32, Vec<Op>)> {
        let n = n.min(MAX_KEY as u32 + 1);
        let capacity = (n * 3 / 8).clamp(1, MAX_CAPACITY as u32);
        let mut rng = judge_core::SplitMix64::new(seed ^ 0x146);
        // 10001 = 73 * 137: a multiplier coprime to it permutes 0..10001.
        let mul = loop {
            let m = (rng.next_u64() % 10_000) as u32 + 1;
            if !m.is_multiple_of(73) && !m.is_multiple_of(137) {
                break m;
            }
        };
        let add = (rng.next_u64() % 10_001) as u32;
        let key = |i: u32| ((i * mul + add) % 10_001) as i32;
        let mut ops = Vec::with_capacity(3 * n as usize);
        for i in 0..n {
            ops.push(Op::Put(key(i), (rng.next_u64() % 100_001) as i32));
            ops.push(Op::Get(key(i.saturating_sub(capacity / 2))));
            // Evicted: more than `capacity` puts ago, or not put yet.
            let gone = if i > capacity {
                key(i - capacity - 1)
            } else {
                key(n - 1 - (i % n.max(1)))
            };
            ops.push(Op::Get(gone));
        }
        Some((capacity as i32, ops))
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "LRUCache::new({}), then {n} puts of new keys, each followed by a get that hits and one that misses ({} calls)",
            (n * 3 / 8).clamp(1, MAX_CAPACITY as u32),
            3 * n
        )
    }

    fn simpler_setup(&self, capacity: &i32) -> Vec<i32> {
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
    use crate::suite::FunctionSpec;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn sequences_stay_within_leetcodes_constraints() {
        let mut runner = TestRunner::deterministic();
        let strategy = sequence();
        let (mut misses, mut evictions) = (0, 0);
        for _ in 0..1_000 {
            let (cap, ops) = strategy.new_tree(&mut runner).unwrap().current();
            assert!((1..=MAX_CAPACITY).contains(&cap));
            let mut m = Model::new(cap as usize);
            for op in &ops {
                match *op {
                    Op::Get(k) => {
                        assert!((0..=MAX_KEY).contains(&k));
                        misses += usize::from(LeetCode146.apply(&mut m, op) == Ret::Get(-1));
                    }
                    Op::Put(k, v) => {
                        assert!((0..=MAX_KEY).contains(&k) && (0..=MAX_VALUE).contains(&v));
                        let before = m.len();
                        LeetCode146.apply(&mut m, op);
                        evictions += usize::from(m.len() == before && before == cap as usize);
                    }
                }
            }
        }
        assert!(
            misses >= 500 && evictions >= 500,
            "{misses} misses, {evictions} full puts"
        );
    }

    #[test]
    fn workloads_stay_within_the_constraints_and_hit_and_miss() {
        for n in [400, 6_400, 8_000] {
            let (cap, ops) = LeetCode146.workload(n, 9).unwrap();
            assert!((1..=MAX_CAPACITY).contains(&cap));
            assert_eq!(ops.len(), 3 * n as usize);
            let mut m = Model::new(cap as usize);
            let rets: Vec<Ret> = ops.iter().map(|op| LeetCode146.apply(&mut m, op)).collect();
            let hits = rets
                .iter()
                .filter(|r| matches!(r, Ret::Get(v) if *v >= 0))
                .count();
            assert!(hits >= n as usize * 9 / 10, "{hits} hits of {n}");
            assert!(ops.iter().all(|op| match *op {
                Op::Get(k) | Op::Put(k, _) => (0..=MAX_KEY).contains(&k),
            }));
        }
    }

    #[test]
    fn a_divergence_is_shown_as_leetcode_calls() {
        let spec = Sequences(LeetCode146);
        let input = (1, vec![Op::Put(1, 1), Op::Put(2, 2), Op::Get(1)]);
        let wrong = vec![Ret::Put, Ret::Put, Ret::Get(1)];
        let m = spec.check(&input, &wrong).unwrap_err();
        assert_eq!((m.expected.as_str(), m.actual.as_str()), ("-1", "1"));
        assert!(m
            .call
            .unwrap()
            .starts_with("let obj = LRUCache::new(1);\nobj.put(1, 1) -> ()"));
        assert!(spec
            .check(&input, &vec![Ret::Put, Ret::Put, Ret::Get(-1)])
            .is_ok());
    }
}
