//! concurrent-lru-cache: calls from several threads on one cache, checked for
//! linearizability against the single-threaded LRU semantics (strict global order).

use crate::concurrent::{Concurrent, ConcurrentSpec, Rng};
use crate::linearizability::Model;
use crate::lru_cache;
// The same wire types as lru-cache (`wire = "../lru-cache/wire.rs"` in exercise.toml).
pub use crate::lru_cache::{Op, Ret};

pub static SUITE: Concurrent<ConcurrentLruSpec> = Concurrent(ConcurrentLruSpec);

pub struct ConcurrentLruSpec;

/// The sequential cache: entries from least to most recently used (a small value the
/// linearizability search can hash, unlike `lru_cache`'s model built for 10^5 calls).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lru {
    capacity: usize,
    entries: Vec<(u32, u32)>,
}

impl Lru {
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            entries: Vec::new(),
        }
    }

    pub fn apply(&mut self, op: &Op) -> Ret {
        match *op {
            Op::Get(k) => match self.entries.iter().position(|e| e.0 == k) {
                Some(i) => {
                    let e = self.entries.remove(i);
                    self.entries.push(e);
                    Ret::Get(Some(e.1))
                }
                None => Ret::Get(None),
            },
            Op::Put(k, v) => {
                if let Some(i) = self.entries.iter().position(|e| e.0 == k) {
                    self.entries.remove(i);
                    self.entries.push((k, v));
                    return Ret::Put(None);
                }
                let evicted = (self.entries.len() == self.capacity).then(|| self.entries.remove(0));
                self.entries.push((k, v));
                Ret::Put(evicted)
            }
            Op::Len => Ret::Len(self.entries.len() as u32),
        }
    }
}

impl Model for Lru {
    type Op = Op;
    type Ret = Ret;
    fn step(&self, op: &Op, ret: &Ret) -> Option<Self> {
        let mut next = self.clone();
        (next.apply(op) == *ret).then_some(next)
    }
}

impl ConcurrentSpec for ConcurrentLruSpec {
    type Setup = u32;
    type Op = Op;
    type Ret = Ret;
    type Model = Lru;

    fn gen_setup(&self, rng: &mut Rng) -> u32 {
        // Small caches keep every call at the eviction boundary.
        match rng.range(0, 9) {
            0..=4 => 1,
            5..=7 => 2,
            _ => rng.range(3, 4) as u32,
        }
    }

    fn gen_op(&self, capacity: &u32, rng: &mut Rng) -> Op {
        let key = rng.range(0, u64::from(*capacity) + 1) as u32;
        match rng.range(0, 9) {
            0..=3 => Op::Get(key),
            4..=8 => Op::Put(key, rng.range(0, 99) as u32),
            _ => Op::Len,
        }
    }

    fn after(&self, capacity: &u32) -> Vec<Op> {
        let mut ops = vec![Op::Len];
        ops.extend((0..=capacity + 1).map(Op::Get));
        ops
    }

    fn model(&self, capacity: &u32) -> Lru {
        Lru::new(*capacity as usize)
    }

    fn show_setup(&self, capacity: &u32) -> String {
        format!("ConcurrentLruCache::<u32, u32>::new({capacity})")
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Get(k) => format!("get(&{k})"),
            Op::Put(k, v) => format!("put({k}, {v})"),
            Op::Len => "len()".into(),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        lru_cache::show_ret(ret)
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("capacity_one", "a cache of capacity 1"),
            (
                "concurrent_puts",
                "put from two threads at once, at the eviction boundary",
            ),
        ]
    }

    fn hits(&self, scenario: &crate::concurrent::Scenario<u32, Op>) -> Vec<&'static str> {
        let putting = scenario
            .threads
            .iter()
            .filter(|t| t.iter().any(|o| matches!(o, Op::Put(..))))
            .count();
        [
            (scenario.setup == 1).then_some("capacity_one"),
            (putting >= 2).then_some("concurrent_puts"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn simpler_setup(&self, capacity: &u32) -> Vec<u32> {
        (1..*capacity).collect()
    }

    fn simpler_op(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::Put(k, v) if *v != 0 => vec![Op::Put(*k, 0)],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_evicts_the_least_recently_used() {
        let mut m = Lru::new(2);
        assert_eq!(m.apply(&Op::Put(1, 10)), Ret::Put(None));
        assert_eq!(m.apply(&Op::Put(2, 20)), Ret::Put(None));
        assert_eq!(m.apply(&Op::Get(1)), Ret::Get(Some(10)));
        assert_eq!(m.apply(&Op::Put(3, 30)), Ret::Put(Some((2, 20))));
        assert_eq!(m.apply(&Op::Put(1, 11)), Ret::Put(None));
        assert_eq!(m.apply(&Op::Len), Ret::Len(2));
    }
}
