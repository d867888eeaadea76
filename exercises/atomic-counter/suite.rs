//! atomic-counter: calls from several threads, checked for linearizability against a
//! sequential counter (by the general checker on scenarios, by a direct one on the large
//! workload run on real threads).

use crate::concurrent::{
    linearizable, Checked, Concurrent, ConcurrentSpec, Rng, Scenario, Violation,
};
use crate::linearizability::{Model, Operation};

pub static SUITE: Concurrent<AtomicCounterSpec> = Concurrent(AtomicCounterSpec);

pub struct AtomicCounterSpec;

use crate::wire::{self, Wire};
// `Op`, and how it crosses the wire: the same file the guest's harness is built with.
include!("wire.rs");

/// The sequential counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Counter(pub u64);

impl Model for Counter {
    type Op = Op;
    type Ret = u64;
    fn step(&self, op: &Op, ret: &u64) -> Option<Self> {
        let next = match op {
            Op::IncrementAndGet => self.0.checked_add(1)?,
            Op::AddAndGet(d) => self.0.checked_add(*d)?,
            Op::Get => self.0,
        };
        (next == *ret).then_some(Counter(next))
    }
}

impl ConcurrentSpec for AtomicCounterSpec {
    type Setup = ();
    type Op = Op;
    type Ret = u64;
    type Model = Counter;

    fn gen_setup(&self, _rng: &mut Rng) {}

    fn gen_op(&self, _setup: &(), rng: &mut Rng) -> Op {
        match rng.range(0, 7) {
            0..=3 => Op::IncrementAndGet,
            4 => Op::AddAndGet(rng.range(0, 5)),
            // Deltas past 32 bits catch a counter that keeps less than a u64.
            5 => Op::AddAndGet(if rng.chance(1, 2) {
                rng.range(2, 1_000)
            } else {
                rng.range(1 << 32, 1 << 40)
            }),
            _ => Op::Get,
        }
    }

    fn after(&self, _setup: &()) -> Vec<Op> {
        vec![Op::Get]
    }

    fn model(&self, _setup: &()) -> Counter {
        Counter(0)
    }

    fn show_setup(&self, _setup: &()) -> String {
        "AtomicCounter::new()".into()
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::IncrementAndGet => "increment_and_get()".into(),
            Op::AddAndGet(d) => format!("add_and_get({d})"),
            Op::Get => "get()".into(),
        }
    }

    fn show_ret(&self, ret: &u64) -> String {
        ret.to_string()
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("add_zero", "add_and_get(0)"),
            (
                "delta_over_32_bits",
                "add_and_get(delta) with delta of 2^32 or more",
            ),
            (
                "concurrent_increments",
                "increment_and_get from two threads at once",
            ),
        ]
    }

    fn hits(&self, scenario: &crate::concurrent::Scenario<(), Op>) -> Vec<&'static str> {
        let ops = || scenario.threads.iter().flatten().chain(&scenario.after);
        let incrementing = scenario
            .threads
            .iter()
            .filter(|t| t.contains(&Op::IncrementAndGet))
            .count();
        [
            ops().any(|o| *o == Op::AddAndGet(0)).then_some("add_zero"),
            ops()
                .any(|o| matches!(o, Op::AddAndGet(d) if *d >= 1 << 32))
                .then_some("delta_over_32_bits"),
            (incrementing >= 2).then_some("concurrent_increments"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn simpler_op(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::AddAndGet(d) if *d > 1 => vec![Op::AddAndGet(1), Op::IncrementAndGet],
            Op::AddAndGet(_) => vec![Op::IncrementAndGet],
            _ => Vec::new(),
        }
    }

    /// Scenarios go to the general checker (its witness is the report); a history too long
    /// for its search (the workload on real threads) to [`counter_linearizable`], which
    /// decides the same question directly.
    fn check(&self, setup: &(), history: &[Operation<Op, u64>]) -> Result<(), Checked> {
        if history.len() <= DIRECT_ABOVE {
            return linearizable(self, setup, history);
        }
        counter_linearizable(history).map_err(Checked::Violated)
    }

    /// Four threads, `n / 4` calls each: `increment_and_get`, one in four an `add_and_get`
    /// of 2-9, one in sixteen a `get` (which, from the seed), then `get()`.
    fn workload(&self, n: u32, seed: u64) -> Option<Scenario<(), Op>> {
        let mut rng = Rng::new(seed ^ 0x4154_4F4D_4943);
        Some(Scenario {
            setup: (),
            threads: (0..4)
                .map(|_| {
                    (0..n / 4)
                        .map(|_| match rng.range(0, 15) {
                            0 => Op::Get,
                            1..=4 => Op::AddAndGet(rng.range(2, 9)),
                            _ => Op::IncrementAndGet,
                        })
                        .collect()
                })
                .collect(),
            after: vec![Op::Get],
        })
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "4 threads, {} calls each (mostly increment_and_get), then get()",
            n / 4
        )
    }
}

/// Histories longer than this are checked by [`counter_linearizable`].
const DIRECT_ABOVE: usize = 200;

/// Linearizability of a counter history, decided directly in O(n log n). Every update that
/// adds a positive delta returns a distinct value in any linearization, so the updates must be
/// ordered by their results, each result the previous one plus its delta; every other call
/// (a `get`, an `add_and_get(0)`) sees one of those values and sits after the update that
/// produced it and before the next. Such an order exists, respecting real time, exactly when
/// (a) the sorted results add up, (b) no update returned before another started that has a
/// smaller result, (c) no observer of `v` started after an update with a result above `v`
/// returned, nor returned before one with a result up to `v` started, and (d) no observer
/// returned before another started that saw less.
pub fn counter_linearizable(history: &[Operation<Op, u64>]) -> Result<(), Violation> {
    let delta = |op: &Op| match op {
        Op::IncrementAndGet => 1,
        Op::AddAndGet(d) => *d,
        Op::Get => 0,
    };
    let thread = |o: &Operation<Op, u64>| {
        if o.thread == usize::MAX {
            "main, after join".to_string()
        } else {
            format!("thread {}", o.thread + 1)
        }
    };
    let show = |o: &Operation<Op, u64>| {
        let call = match o.op {
            Op::IncrementAndGet => "increment_and_get()".to_string(),
            Op::AddAndGet(d) => format!("add_and_get({d})"),
            Op::Get => "get()".to_string(),
        };
        format!("{call} -> {} ({})", o.ret, thread(o))
    };
    let violation = |actual: String| Violation {
        summary: "not linearizable: no order of the calls explains these results".into(),
        expected: "every call takes effect at one instant between its start and its return, \
                   so some order of the calls that respects real time gives every result; \
                   none does"
            .into(),
        actual,
    };
    let mut updates: Vec<&Operation<Op, u64>> =
        history.iter().filter(|o| delta(&o.op) > 0).collect();
    let mut observers: Vec<&Operation<Op, u64>> =
        history.iter().filter(|o| delta(&o.op) == 0).collect();
    updates.sort_by_key(|o| o.ret);
    // (a)
    let mut total = 0u64;
    for (i, o) in updates.iter().enumerate() {
        let Some(next) = total.checked_add(delta(&o.op)) else {
            return Err(violation(format!("the total overflows at {}", show(o))));
        };
        if o.ret != next {
            let twin = i.checked_sub(1).and_then(|j| updates.get(j));
            let actual = match twin {
                Some(twin) if twin.ret == o.ret => format!(
                    "two updates returned the same value, so one of them was lost:\n  {}\n  {}",
                    show(o),
                    show(twin)
                ),
                _ => format!(
                    "ordered by their results, the updates add up to {total} before\n  {}\n\
                     which should then have returned {next}",
                    show(o)
                ),
            };
            return Err(violation(actual));
        }
        total = next;
    }
    // (b): scanning from the largest result, the earliest return among larger results.
    let mut earliest: Option<&Operation<Op, u64>> = None;
    for o in updates.iter().rev() {
        if let Some(e) = earliest {
            if e.response < o.invoke {
                return Err(violation(format!(
                    "{}\nreturned before\n  {}\nstarted, yet has the larger result",
                    show(e),
                    show(o)
                )));
            }
        }
        if earliest.is_none_or(|e| o.response < e.response) {
            earliest = Some(o);
        }
    }
    // (c): prefix maxima of starts and suffix minima of returns over the sorted updates.
    let mut latest_start = Vec::with_capacity(updates.len());
    for o in &updates {
        let before = latest_start.last().copied();
        latest_start.push(match before {
            Some(b) if b >= o.invoke => b,
            _ => o.invoke,
        });
    }
    let mut earliest_return = vec![u64::MAX; updates.len() + 1];
    for (i, o) in updates.iter().enumerate().rev() {
        earliest_return[i] = earliest_return[i + 1].min(o.response);
    }
    for o in &observers {
        let seen = if o.ret == 0 {
            Some(0)
        } else {
            updates
                .binary_search_by_key(&o.ret, |u| u.ret)
                .ok()
                .map(|i| i + 1)
        };
        let Some(upto) = seen else {
            return Err(violation(format!(
                "{}\nsaw a value that no order of the updates passes through",
                show(o)
            )));
        };
        let started_late = upto > 0 && latest_start[upto - 1] > o.response;
        let returned_early = earliest_return[upto] < o.invoke;
        if started_late || returned_early {
            return Err(violation(format!(
                "{}\nsaw {} although {}",
                show(o),
                o.ret,
                if started_late {
                    "an update it counts started only after it returned"
                } else {
                    "an update it does not count returned before it started"
                }
            )));
        }
    }
    // (d)
    observers.sort_by_key(|o| o.ret);
    let mut earliest: Option<&Operation<Op, u64>> = None;
    let mut i = observers.len();
    while i > 0 {
        let value = observers[i - 1].ret;
        let mut j = i;
        while j > 0 && observers[j - 1].ret == value {
            j -= 1;
        }
        for o in &observers[j..i] {
            if let Some(e) = earliest {
                if e.response < o.invoke {
                    return Err(violation(format!(
                        "{}\nreturned before\n  {}\nstarted, yet saw more",
                        show(e),
                        show(o)
                    )));
                }
            }
        }
        for o in &observers[j..i] {
            if earliest.is_none_or(|e| o.response < e.response) {
                earliest = Some(o);
            }
        }
        i = j;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(thread: usize, op: Op, ret: u64, invoke: u64, response: u64) -> Operation<Op, u64> {
        Operation {
            thread,
            op,
            ret,
            invoke,
            response,
        }
    }

    /// Every history of up to four calls on two threads with small results, decided by both
    /// checkers: they must agree.
    #[test]
    fn the_direct_checker_agrees_with_the_search() {
        let ops = [Op::IncrementAndGet, Op::AddAndGet(2), Op::Get];
        let mut checked = 0;
        let mut rng = Rng::new(5);
        for _ in 0..20_000 {
            let n = rng.range(1, 4) as usize;
            let history: Vec<_> = (0..n)
                .map(|i| {
                    let invoke = rng.range(0, 6);
                    op(
                        i % 2,
                        ops[rng.range(0, 2) as usize],
                        rng.range(0, 5),
                        invoke,
                        invoke + rng.range(1, 4),
                    )
                })
                .collect();
            // One thread's calls do not overlap.
            let sequential = (0..n).all(|a| {
                (0..n).all(|b| {
                    a == b
                        || history[a].thread != history[b].thread
                        || history[a].response < history[b].invoke
                        || history[b].response < history[a].invoke
                })
            });
            if !sequential {
                continue;
            }
            checked += 1;
            let search = linearizable(&AtomicCounterSpec, &(), &history).is_ok();
            assert_eq!(
                counter_linearizable(&history).is_ok(),
                search,
                "{history:?}"
            );
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn a_lost_update_in_a_long_overlapping_history_is_found() {
        let mut history: Vec<_> = (1..=1_000)
            .map(|v| op((v % 4) as usize, Op::IncrementAndGet, v, 0, 10))
            .collect();
        assert!(AtomicCounterSpec.check(&(), &history).is_ok());
        history[500].ret = 500;
        let Err(Checked::Violated(v)) = AtomicCounterSpec.check(&(), &history) else {
            panic!("a lost update passed");
        };
        assert!(
            v.actual.contains("two updates returned the same value"),
            "{}",
            v.actual
        );
    }

    #[test]
    fn the_workload_comes_from_the_seed_and_keeps_its_shape() {
        let a = AtomicCounterSpec.workload(400, 1).unwrap();
        assert_eq!(a, AtomicCounterSpec.workload(400, 1).unwrap());
        assert_ne!(a, AtomicCounterSpec.workload(400, 2).unwrap());
        assert!(a.threads.iter().all(|t| t.len() == 100) && a.threads.len() == 4);
    }

    #[test]
    fn the_model_counts() {
        let c = Counter(0);
        let c = c.step(&Op::IncrementAndGet, &1).unwrap();
        assert_eq!(c.step(&Op::AddAndGet(3), &4), Some(Counter(4)));
        assert_eq!(c.step(&Op::Get, &2), None);
    }
}
