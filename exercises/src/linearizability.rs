//! A linearizability checker: given a history of completed concurrent operations (each with
//! an invoke and a response time on one logical clock, and the value it returned) and a
//! sequential [`Model`], decide whether some total order consistent with real time (if A's
//! response precedes B's invoke, A comes before B) explains every returned value.
//!
//! The search is Wing and Gong's, as refined by Lowe ("just-in-time linearization") and used
//! by Porcupine: the call and return events sit in one doubly linked list sorted by time;
//! the search repeatedly tries the pending calls that precede the first return (the
//! operations that may come next in real time), lifts a call and its return out of the list
//! when the model accepts it, and puts them back (backtracks) when none does. Configurations
//! already explored (the set of linearized operations, as a bitset, and the model state) are
//! memoised and skipped. Every model step counts against a budget, which bounds time and the
//! cache (one entry per step at most); a search that runs out says [`Verdict::Exhausted`].
//!
//! [`check_partitioned`] uses P-compositionality (linearizability is local): a history of a
//! model that is a product of independent parts, one register per key say, is checked one
//! part at a time.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash};

/// A sequential specification: a state that operations step.
pub trait Model: Clone + Eq + Hash {
    type Op: Clone + std::fmt::Debug;
    type Ret: Clone + std::fmt::Debug + PartialEq;
    /// The state after applying `op` if it may return `ret` from `self`, else None.
    fn step(&self, op: &Self::Op, ret: &Self::Ret) -> Option<Self>;
}

/// One completed operation of a history. `invoke <= response` (checked); the clock values
/// are meant to be distinct. At equal times a call counts as before a return, so operations
/// that touch at one instant are concurrent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operation<Op, Ret> {
    /// The thread that ran it: informational, the checker orders by time alone.
    pub thread: usize,
    pub op: Op,
    pub ret: Ret,
    pub invoke: u64,
    pub response: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `order`: indices into the history, a witness linearization.
    Linearizable { order: Vec<usize> },
    /// No order explains the history. `prefix`: the longest linearizable prefix the search
    /// found (indices into the history, in order); `stuck`: the operations that could come
    /// next in real-time order after that prefix, none of which the model accepts there.
    NotLinearizable {
        prefix: Vec<usize>,
        stuck: Vec<usize>,
    },
    /// The search used up its budget of `steps` without deciding: never a pass.
    Exhausted { steps: u64 },
}

impl Verdict {
    pub fn is_linearizable(&self) -> bool {
        matches!(self, Verdict::Linearizable { .. })
    }
}

/// Decides whether `history` is linearizable with respect to the model started at `init`,
/// in at most `budget` model steps.
///
/// # Panics
/// If an operation's response precedes its invoke.
pub fn check<M: Model>(init: &M, history: &[Operation<M::Op, M::Ret>], budget: u64) -> Verdict {
    search(init, history, budget).0
}

/// P-compositionality: when the model is a product of independent parts (e.g. one register
/// per key), histories are split by `partition(op)`, each part checked on its own with
/// `init_for(key)`; the result is linearizable iff every part is. Indices in the result refer
/// to the whole history.
///
/// Parts are checked in the order of their first operation in the history and share the
/// `budget`: the first part found not linearizable gives the verdict (its `prefix` and
/// `stuck`, which name operations of that part only); a part that runs out of budget makes
/// the whole [`Verdict::Exhausted`], with the steps of all parts so far. The witness of a
/// linearizable history is a linearization of the whole history (the parts' orders merged
/// consistently with real time).
pub fn check_partitioned<M: Model, K: Eq + Hash + Clone>(
    history: &[Operation<M::Op, M::Ret>],
    partition: impl Fn(&M::Op) -> K,
    init_for: impl Fn(&K) -> M,
    budget: u64,
) -> Verdict {
    let mut parts: Vec<(K, Vec<usize>)> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for (i, operation) in history.iter().enumerate() {
        let key = partition(&operation.op);
        let part = *index.entry(key.clone()).or_insert_with(|| {
            parts.push((key, Vec::new()));
            parts.len() - 1
        });
        parts[part].1.push(i);
    }

    let mut used = 0u64;
    let mut orders: Vec<Vec<usize>> = Vec::with_capacity(parts.len());
    for (key, ids) in &parts {
        let sub: Vec<_> = ids.iter().map(|&i| history[i].clone()).collect();
        let (verdict, steps) = search(&init_for(key), &sub, budget - used);
        used += steps;
        let whole = |local: Vec<usize>| local.into_iter().map(|j| ids[j]).collect::<Vec<_>>();
        match verdict {
            Verdict::Linearizable { order } => orders.push(whole(order)),
            Verdict::NotLinearizable { prefix, stuck } => {
                return Verdict::NotLinearizable {
                    prefix: whole(prefix),
                    stuck: whole(stuck),
                }
            }
            Verdict::Exhausted { .. } => return Verdict::Exhausted { steps: used },
        }
    }
    Verdict::Linearizable {
        order: merge(history, &orders),
    }
}

/// Merges linearizations of disjoint parts into one of the whole history. Each operation
/// gets a linearization point inside its interval, non-decreasing along its part's order:
/// the latest invoke so far in that order (no later than its own response, as the part's
/// order respects real time). Sorting by point (ties by part, then position) keeps every
/// part's order and real time: if A responds before B is invoked, A's point precedes B's.
fn merge<Op, Ret>(history: &[Operation<Op, Ret>], orders: &[Vec<usize>]) -> Vec<usize> {
    let mut points: Vec<(u64, usize, usize, usize)> = Vec::with_capacity(history.len());
    for (part, order) in orders.iter().enumerate() {
        let mut point = 0u64;
        for (position, &i) in order.iter().enumerate() {
            point = point.max(history[i].invoke);
            points.push((point, part, position, i));
        }
    }
    points.sort_unstable();
    points.into_iter().map(|(.., i)| i).collect()
}

/// Node 0 heads the event list, node `2n + 1` ends it; events are nodes `1..=2n`.
const HEAD: usize = 0;

/// The call and return events of a history, sorted by time, as a doubly linked list that
/// calls (with their returns) are lifted out of and put back into, dancing-links style.
struct Events {
    next: Vec<usize>,
    prev: Vec<usize>,
    /// The operation (history index) of each node; meaningless for the sentinels.
    op: Vec<usize>,
    /// Whether each node is a call.
    is_call: Vec<bool>,
    /// Per operation: its call node, its return node, and its bit (rank in invoke order).
    call: Vec<usize>,
    ret: Vec<usize>,
    bit: Vec<usize>,
}

impl Events {
    fn new<Op, Ret>(history: &[Operation<Op, Ret>]) -> Self {
        let n = history.len();
        let mut events: Vec<(u64, bool, usize)> = Vec::with_capacity(2 * n);
        for (i, operation) in history.iter().enumerate() {
            assert!(
                operation.invoke <= operation.response,
                "operation {i} responds ({}) before it is invoked ({})",
                operation.response,
                operation.invoke
            );
            // `false` sorts first: at equal times, calls before returns.
            events.push((operation.invoke, false, i));
            events.push((operation.response, true, i));
        }
        events.sort_unstable();
        let nodes = 2 * n + 2;
        let mut e = Events {
            next: (1..=nodes).collect(),
            prev: (0..nodes).map(|i| i.wrapping_sub(1)).collect(),
            op: vec![usize::MAX; nodes],
            is_call: vec![false; nodes],
            call: vec![0; n],
            ret: vec![0; n],
            bit: vec![0; n],
        };
        let mut calls = 0;
        for (k, &(_, is_return, i)) in events.iter().enumerate() {
            let node = k + 1;
            e.op[node] = i;
            if is_return {
                e.ret[i] = node;
            } else {
                e.is_call[node] = true;
                e.call[i] = node;
                e.bit[i] = calls;
                calls += 1;
            }
        }
        e
    }

    fn tail(&self) -> usize {
        self.next.len() - 1
    }

    fn unlink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    fn relink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = node;
        self.prev[n] = node;
    }

    /// Takes operation `i`'s call and return out of the list.
    fn lift(&mut self, i: usize) {
        self.unlink(self.call[i]);
        self.unlink(self.ret[i]);
    }

    /// Puts back the last operation lifted, `i`.
    fn unlift(&mut self, i: usize) {
        self.relink(self.ret[i]);
        self.relink(self.call[i]);
    }

    /// The operations that may come next in real time: the calls before the first return.
    fn candidates(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut node = self.next[HEAD];
        while self.is_call[node] {
            out.push(self.op[node]);
            node = self.next[node];
        }
        out
    }
}

/// The set of linearized operations, bit `k` for the `k`-th operation invoked. Linearized
/// sets are dense up to a window of concurrent operations, so the cache keeps only the
/// words from the first that is not full to the last that is not empty (`lo` and `hi`
/// tracked as bits come and go): a key costs the window, not the history.
struct Bits {
    words: Vec<u64>,
    /// The first word that is not all ones (exact).
    lo: usize,
    /// Every word from `hi` on is zero (an upper bound, tightened when a key is taken).
    hi: usize,
}

impl Bits {
    fn new(n: usize) -> Self {
        Bits {
            words: vec![0; n.div_ceil(64)],
            lo: 0,
            hi: 0,
        }
    }

    fn set(&mut self, k: usize) {
        let w = k / 64;
        self.words[w] |= 1 << (k % 64);
        self.hi = self.hi.max(w + 1);
        while self.lo < self.words.len() && self.words[self.lo] == u64::MAX {
            self.lo += 1;
        }
    }

    fn clear(&mut self, k: usize) {
        let w = k / 64;
        self.words[w] &= !(1 << (k % 64));
        self.lo = self.lo.min(w);
    }

    /// The canonical compact form of the set.
    fn key(&mut self) -> (u32, Box<[u64]>) {
        while self.hi > self.lo && self.words[self.hi - 1] == 0 {
            self.hi -= 1;
        }
        (self.lo as u32, self.words[self.lo..self.hi].into())
    }
}

/// A configuration explored: the linearized set (compact) and the model state after it.
#[derive(PartialEq, Eq, Hash)]
struct Config<M> {
    lo: u32,
    words: Box<[u64]>,
    state: M,
}

/// The search; also returns the model steps it took.
fn search<M: Model>(init: &M, history: &[Operation<M::Op, M::Ret>], budget: u64) -> (Verdict, u64) {
    let mut events = Events::new(history);
    let tail = events.tail();
    let mut bits = Bits::new(history.len());
    // Deterministic hashing (SipHash with fixed keys): no need for per-run randomness here.
    let mut cache: HashSet<Config<M>, BuildHasherDefault<DefaultHasher>> = HashSet::default();
    // The operations linearized so far, each with the state before it.
    let mut stack: Vec<(usize, M)> = Vec::new();
    let mut state = init.clone();
    let mut steps = 0u64;
    // The deepest point the search backtracked from: (prefix, stuck).
    let mut deepest: Option<(Vec<usize>, Vec<usize>)> = None;

    let mut node = events.next[HEAD];
    while events.next[HEAD] != tail {
        if events.is_call[node] {
            let i = events.op[node];
            if steps >= budget {
                return (Verdict::Exhausted { steps }, steps);
            }
            steps += 1;
            let operation = &history[i];
            if let Some(after) = state.step(&operation.op, &operation.ret) {
                bits.set(events.bit[i]);
                let (lo, words) = bits.key();
                let fresh = cache.insert(Config {
                    lo,
                    words,
                    state: after.clone(),
                });
                if fresh {
                    stack.push((i, std::mem::replace(&mut state, after)));
                    events.lift(i);
                    node = events.next[HEAD];
                    continue;
                }
                bits.clear(events.bit[i]);
            }
            node = events.next[node];
        } else {
            // Every candidate was refused (by the model or the cache): backtrack. The first
            // time the search gets stuck at a new depth, it has not gone deeper from there
            // (it would have backtracked there first), so every candidate was refused by
            // the model itself.
            if deepest.as_ref().is_none_or(|(p, _)| stack.len() > p.len()) {
                let prefix = stack.iter().map(|&(i, _)| i).collect();
                deepest = Some((prefix, events.candidates()));
            }
            let Some((i, before)) = stack.pop() else {
                let (prefix, stuck) = deepest.unwrap_or_default();
                return (Verdict::NotLinearizable { prefix, stuck }, steps);
            };
            bits.clear(events.bit[i]);
            state = before;
            events.unlift(i);
            node = events.next[events.call[i]];
        }
    }
    let order = stack.into_iter().map(|(i, _)| i).collect();
    (Verdict::Linearizable { order }, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, VecDeque};

    fn op<O, R>(thread: usize, op: O, ret: R, invoke: u64, response: u64) -> Operation<O, R> {
        Operation {
            thread,
            op,
            ret,
            invoke,
            response,
        }
    }

    // ---- Models ----

    /// A register holding an integer, initially 0: `Write(v)` returns `None`, `Read` the value.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Register(i64);

    #[derive(Clone, Debug)]
    enum RegOp {
        Write(i64),
        Read,
    }

    impl Model for Register {
        type Op = RegOp;
        type Ret = Option<i64>;
        fn step(&self, op: &RegOp, ret: &Option<i64>) -> Option<Self> {
            match (op, ret) {
                (RegOp::Write(v), None) => Some(Register(*v)),
                (RegOp::Read, Some(v)) if *v == self.0 => Some(self.clone()),
                _ => None,
            }
        }
    }

    /// A fetch-and-increment counter: `IncrementAndGet` returns the new value, `Get` the value.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Counter(u64);

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum CounterOp {
        IncrementAndGet,
        Get,
    }

    impl Model for Counter {
        type Op = CounterOp;
        type Ret = u64;
        fn step(&self, op: &CounterOp, ret: &u64) -> Option<Self> {
            match op {
                CounterOp::IncrementAndGet => (*ret == self.0 + 1).then_some(Counter(self.0 + 1)),
                CounterOp::Get => (*ret == self.0).then(|| self.clone()),
            }
        }
    }

    /// A FIFO queue: `Enqueue(v)` returns `None`, `Dequeue` the head (`None` when empty).
    #[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
    struct Queue(VecDeque<i64>);

    #[derive(Clone, Debug)]
    enum QueueOp {
        Enqueue(i64),
        Dequeue,
    }

    impl Model for Queue {
        type Op = QueueOp;
        type Ret = Option<i64>;
        fn step(&self, op: &QueueOp, ret: &Option<i64>) -> Option<Self> {
            match (op, ret) {
                (QueueOp::Enqueue(v), None) => {
                    let mut q = self.clone();
                    q.0.push_back(*v);
                    Some(q)
                }
                (QueueOp::Dequeue, got) if self.0.front() == got.as_ref() => {
                    let mut q = self.clone();
                    q.0.pop_front();
                    Some(q)
                }
                _ => None,
            }
        }
    }

    /// An operation on one key of a map of registers (missing keys read 0).
    #[derive(Clone, Debug)]
    struct KvOp {
        key: u8,
        op: RegOp,
    }

    /// One key's register of the map: the part model for `check_partitioned`.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct KeyRegister(Register);

    impl Model for KeyRegister {
        type Op = KvOp;
        type Ret = Option<i64>;
        fn step(&self, op: &KvOp, ret: &Option<i64>) -> Option<Self> {
            self.0.step(&op.op, ret).map(KeyRegister)
        }
    }

    /// The whole map as one model: what the partitioned check must agree with.
    #[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
    struct KvMap(BTreeMap<u8, i64>);

    impl Model for KvMap {
        type Op = KvOp;
        type Ret = Option<i64>;
        fn step(&self, op: &KvOp, ret: &Option<i64>) -> Option<Self> {
            let current = Register(self.0.get(&op.key).copied().unwrap_or(0));
            let Register(after) = current.step(&op.op, ret)?;
            let mut map = self.clone();
            map.0.insert(op.key, after);
            Some(map)
        }
    }

    // ---- Witness checks ----

    /// Whether `order` (a sequence of distinct operations) respects real time among itself.
    fn respects_real_time<O, R>(history: &[Operation<O, R>], order: &[usize]) -> bool {
        // Violated iff some later operation responds before an earlier one is invoked.
        let mut min_response = u64::MAX;
        for &i in order.iter().rev() {
            if min_response < history[i].invoke {
                return false;
            }
            min_response = min_response.min(history[i].response);
        }
        true
    }

    /// Replays `order` on the model; the state after it.
    fn replay<M: Model>(init: &M, history: &[Operation<M::Op, M::Ret>], order: &[usize]) -> M {
        let mut state = init.clone();
        for &i in order {
            state = state
                .step(&history[i].op, &history[i].ret)
                .unwrap_or_else(|| panic!("the model refuses operation {i} in {order:?}"));
        }
        state
    }

    /// Asserts the verdict is a valid linearization of the whole history.
    fn assert_witness<M: Model>(init: &M, history: &[Operation<M::Op, M::Ret>], verdict: &Verdict) {
        let Verdict::Linearizable { order } = verdict else {
            panic!("expected Linearizable, got {verdict:?}");
        };
        let mut seen = vec![false; history.len()];
        for &i in order {
            assert!(!std::mem::replace(&mut seen[i], true), "{i} twice");
        }
        assert!(seen.iter().all(|&s| s), "not a permutation: {order:?}");
        assert!(respects_real_time(history, order), "{order:?}");
        replay(init, history, order);
    }

    /// Asserts the verdict is NotLinearizable with a consistent witness: the prefix is a
    /// linearizable prefix closed under real-time precedence, and `stuck` is exactly the set
    /// of operations that may come next, all refused by the model after the prefix.
    fn assert_refuted<M: Model>(
        init: &M,
        history: &[Operation<M::Op, M::Ret>],
        verdict: &Verdict,
    ) -> (Vec<usize>, Vec<usize>) {
        let Verdict::NotLinearizable { prefix, stuck } = verdict else {
            panic!("expected NotLinearizable, got {verdict:?}");
        };
        let mut in_prefix = vec![false; history.len()];
        for &i in prefix {
            assert!(!std::mem::replace(&mut in_prefix[i], true), "{i} twice");
        }
        assert!(respects_real_time(history, prefix));
        let outside: Vec<usize> = (0..history.len()).filter(|&i| !in_prefix[i]).collect();
        assert!(!outside.is_empty(), "the prefix is the whole history");
        let min_response = outside.iter().map(|&i| history[i].response).min().unwrap();
        let max_invoke = prefix.iter().map(|&i| history[i].invoke).max();
        assert!(
            max_invoke.is_none_or(|t| t <= min_response),
            "prefix not closed"
        );
        let state = replay(init, history, prefix);
        let mut expected: Vec<usize> = outside
            .into_iter()
            .filter(|&i| history[i].invoke <= min_response)
            .collect();
        let mut got = stuck.clone();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, expected, "stuck is not the set of next candidates");
        for &i in stuck {
            assert!(
                state.step(&history[i].op, &history[i].ret).is_none(),
                "the model accepts stuck operation {i}"
            );
        }
        (prefix.clone(), stuck.clone())
    }

    const BUDGET: u64 = 1_000_000;

    // ---- Counter ----

    #[test]
    fn rejects_overlapping_increments_both_returning_one() {
        let h = vec![
            op(0, CounterOp::IncrementAndGet, 1, 0, 10),
            op(1, CounterOp::IncrementAndGet, 1, 5, 15),
        ];
        let v = check(&Counter(0), &h, BUDGET);
        let (prefix, stuck) = assert_refuted(&Counter(0), &h, &v);
        assert_eq!(prefix.len(), 1);
        assert_eq!(stuck.len(), 1);
        assert_ne!(prefix[0], stuck[0]);
    }

    #[test]
    fn accepts_overlapping_increments_in_either_order() {
        for (a, b) in [(1, 2), (2, 1)] {
            let h = vec![
                op(0, CounterOp::IncrementAndGet, a, 0, 10),
                op(1, CounterOp::IncrementAndGet, b, 5, 15),
            ];
            let v = check(&Counter(0), &h, BUDGET);
            assert_witness(&Counter(0), &h, &v);
            let first = if a == 1 { 0 } else { 1 };
            assert_eq!(
                v,
                Verdict::Linearizable {
                    order: vec![first, 1 - first]
                }
            );
        }
    }

    #[test]
    fn rejects_increments_out_of_real_time_order() {
        // The first increment completes before the second starts, yet returns the later value.
        let h = vec![
            op(0, CounterOp::IncrementAndGet, 2, 0, 10),
            op(1, CounterOp::IncrementAndGet, 1, 20, 30),
        ];
        let v = check(&Counter(0), &h, BUDGET);
        let (prefix, stuck) = assert_refuted(&Counter(0), &h, &v);
        assert_eq!((prefix, stuck), (vec![], vec![0]));
    }

    #[test]
    fn empty_history_is_linearizable() {
        let h: Vec<Operation<CounterOp, u64>> = Vec::new();
        assert_eq!(
            check(&Counter(0), &h, 0),
            Verdict::Linearizable { order: vec![] }
        );
    }

    // ---- Register ----

    #[test]
    fn rejects_read_of_a_value_never_written() {
        let h = vec![
            op(0, RegOp::Write(1), None, 0, 10),
            op(1, RegOp::Read, Some(7), 5, 15),
        ];
        let v = check(&Register(0), &h, BUDGET);
        let (_, stuck) = assert_refuted(&Register(0), &h, &v);
        assert!(stuck.contains(&1));
    }

    #[test]
    fn rejects_stale_read_after_a_completed_write() {
        // The initial value read after a write completed.
        let h = vec![
            op(0, RegOp::Write(1), None, 0, 10),
            op(1, RegOp::Read, Some(0), 20, 30),
        ];
        let v = check(&Register(0), &h, BUDGET);
        assert_eq!(assert_refuted(&Register(0), &h, &v), (vec![0], vec![1]));
        // An overwritten value read after the overwrite completed, with a concurrent reader
        // that sees the new one: the first write must precede the second in every order.
        let h = vec![
            op(0, RegOp::Write(1), None, 0, 10),
            op(1, RegOp::Write(2), None, 20, 30),
            op(2, RegOp::Read, Some(2), 25, 45),
            op(0, RegOp::Read, Some(1), 40, 50),
        ];
        let v = check(&Register(0), &h, BUDGET);
        let (prefix, stuck) = assert_refuted(&Register(0), &h, &v);
        assert_eq!(prefix.len(), 3);
        assert_eq!(stuck, vec![3]);
        // The same reads, had they overlapped the second write, are fine.
        let h = vec![
            op(0, RegOp::Write(1), None, 0, 10),
            op(1, RegOp::Write(2), None, 20, 30),
            op(0, RegOp::Read, Some(1), 15, 25),
        ];
        assert_witness(&Register(0), &h, &check(&Register(0), &h, BUDGET));
    }

    #[test]
    fn accepts_a_read_overlapping_a_write_returning_either_value() {
        for (read, ok) in [(0, true), (1, true), (2, false)] {
            let h = vec![
                op(0, RegOp::Write(1), None, 0, 10),
                op(1, RegOp::Read, Some(read), 5, 15),
            ];
            let v = check(&Register(0), &h, BUDGET);
            if ok {
                assert_witness(&Register(0), &h, &v);
            } else {
                assert_refuted(&Register(0), &h, &v);
            }
        }
        // Touching at one instant counts as overlapping.
        let h = vec![
            op(0, RegOp::Write(1), None, 0, 10),
            op(1, RegOp::Read, Some(0), 10, 20),
        ];
        assert_witness(&Register(0), &h, &check(&Register(0), &h, BUDGET));
    }

    // ---- Queue: the search must backtrack ----

    #[test]
    fn queue_needs_backtracking_to_accept() {
        // The search first tries enqueue(1) first; the dequeues say enqueue(2) went first.
        let h = vec![
            op(0, QueueOp::Enqueue(1), None, 0, 10),
            op(1, QueueOp::Enqueue(2), None, 5, 15),
            op(0, QueueOp::Dequeue, Some(2), 20, 30),
            op(1, QueueOp::Dequeue, Some(1), 40, 50),
            op(1, QueueOp::Dequeue, None, 60, 70),
        ];
        let v = check(&Queue::default(), &h, BUDGET);
        assert_witness(&Queue::default(), &h, &v);
        assert_eq!(
            v,
            Verdict::Linearizable {
                order: vec![1, 0, 2, 3, 4]
            }
        );
    }

    #[test]
    fn queue_rejects_reordered_sequential_enqueues() {
        let h = vec![
            op(0, QueueOp::Enqueue(1), None, 0, 10),
            op(0, QueueOp::Enqueue(2), None, 20, 30),
            op(1, QueueOp::Dequeue, Some(2), 40, 50),
        ];
        let v = check(&Queue::default(), &h, BUDGET);
        assert_eq!(
            assert_refuted(&Queue::default(), &h, &v),
            (vec![0, 1], vec![2])
        );
    }

    // ---- Budget ----

    #[test]
    fn budget_one_is_exhausted() {
        let h = vec![
            op(0, CounterOp::IncrementAndGet, 1, 0, 10),
            op(1, CounterOp::IncrementAndGet, 2, 5, 15),
            op(0, CounterOp::Get, 2, 20, 30),
        ];
        assert_eq!(check(&Counter(0), &h, 1), Verdict::Exhausted { steps: 1 });
        assert_eq!(check(&Counter(0), &h, 0), Verdict::Exhausted { steps: 0 });
        assert!(check(&Counter(0), &h, BUDGET).is_linearizable());
        let h = counter_history(1_000, 4, 7);
        assert_eq!(check(&Counter(0), &h, 1), Verdict::Exhausted { steps: 1 });
        assert_eq!(
            check_partitioned(&h, |_| (), |_| Counter(0), 1),
            Verdict::Exhausted { steps: 1 }
        );
    }

    // ---- Partitioned ----

    fn kv(
        thread: usize,
        key: u8,
        op_: RegOp,
        ret: Option<i64>,
        invoke: u64,
        response: u64,
    ) -> Operation<KvOp, Option<i64>> {
        op(thread, KvOp { key, op: op_ }, ret, invoke, response)
    }

    #[test]
    fn partitioned_names_the_violation_in_whole_history_indices() {
        let h = vec![
            kv(0, b'a', RegOp::Write(1), None, 0, 10),  // 0
            kv(1, b'b', RegOp::Write(5), None, 2, 12),  // 1
            kv(2, b'a', RegOp::Read, Some(1), 15, 25),  // 2
            kv(0, b'b', RegOp::Write(6), None, 20, 30), // 3
            kv(1, b'a', RegOp::Write(2), None, 22, 32), // 4
            kv(2, b'b', RegOp::Read, Some(5), 40, 50),  // 5: stale, 6 was written at 20..30
            kv(0, b'a', RegOp::Read, Some(2), 41, 51),  // 6
        ];
        let v = check_partitioned(&h, |o: &KvOp| o.key, |_| KeyRegister(Register(0)), BUDGET);
        let Verdict::NotLinearizable { prefix, stuck } = v else {
            panic!("expected NotLinearizable, got {v:?}");
        };
        assert_eq!(prefix, vec![1, 3]);
        assert_eq!(stuck, vec![5]);
        // The single-model check agrees.
        assert!(matches!(
            check(&KvMap::default(), &h, BUDGET),
            Verdict::NotLinearizable { .. }
        ));

        // Without the stale read, both parts pass and the merged order is a witness for
        // the whole map.
        let mut fixed = h.clone();
        fixed[5].ret = Some(6);
        let v = check_partitioned(
            &fixed,
            |o: &KvOp| o.key,
            |_| KeyRegister(Register(0)),
            BUDGET,
        );
        assert_witness(&KvMap::default(), &fixed, &v);
    }

    // ---- Large histories ----

    /// One planned operation: its thread, whether it increments, and the clock ticks before
    /// its invoke (after the thread's previous response), to its linearization point, and
    /// to its response.
    type Plan = (usize, bool, u64, u64, u64);

    /// A linearizable counter history: each thread runs its operations one after another;
    /// each takes effect atomically at a point inside its interval, and returns what the
    /// counter says there. Clock values are distinct (scaled, thread and event in the low
    /// bits).
    fn counter_history_from(plan: &[Plan]) -> Vec<Operation<CounterOp, u64>> {
        let mut clocks = [0u64; 4];
        let stamp = |t: u64, thread: usize, event: u64| t * 16 + thread as u64 * 3 + event;
        let mut h = Vec::with_capacity(plan.len());
        let mut points = Vec::with_capacity(plan.len());
        for &(thread, inc, gap, pre, post) in plan {
            let t = &mut clocks[thread];
            *t += gap + 1;
            let invoke = stamp(*t, thread, 0);
            *t += pre + 1;
            points.push((stamp(*t, thread, 1), h.len()));
            *t += post + 1;
            let response = stamp(*t, thread, 2);
            let o = if inc {
                CounterOp::IncrementAndGet
            } else {
                CounterOp::Get
            };
            h.push(op(thread, o, 0, invoke, response));
        }
        points.sort_unstable();
        let mut value = 0;
        for (_, i) in points {
            if h[i].op == CounterOp::IncrementAndGet {
                value += 1;
            }
            h[i].ret = value;
        }
        h
    }

    fn counter_history(n: usize, threads: usize, seed: u64) -> Vec<Operation<CounterOp, u64>> {
        let mut rng = crate::concurrent::Rng::new(seed);
        let plan: Vec<Plan> = (0..n)
            .map(|_| {
                (
                    rng.range(0, threads as u64 - 1) as usize,
                    !rng.chance(1, 4),
                    rng.range(0, 1),
                    rng.range(0, 19),
                    rng.range(0, 19),
                )
            })
            .collect();
        counter_history_from(&plan)
    }

    /// Makes a linearizable counter history impossible: two increments returning the same
    /// value if there are two, else a read of a value the counter never reaches.
    fn corrupt(h: &mut [Operation<CounterOp, u64>], pick: usize) {
        let incs: Vec<usize> = (0..h.len())
            .filter(|&i| h[i].op == CounterOp::IncrementAndGet)
            .collect();
        if incs.len() >= 2 {
            let a = pick % incs.len();
            let b = (a + 1 + pick / incs.len() % (incs.len() - 1)) % incs.len();
            h[incs[b]].ret = h[incs[a]].ret;
        } else {
            let i = pick % h.len();
            h[i].op = CounterOp::Get;
            h[i].ret = incs.len() as u64 + 1;
        }
    }

    #[test]
    fn large_linearizable_counter_histories() {
        for n in [1_000, 10_000] {
            let h = counter_history(n, 4, 0x5eed);
            // Heavily overlapping: nearly every operation is still running when the next
            // one (in invoke order) starts.
            let mut by_invoke: Vec<_> = h.iter().map(|o| (o.invoke, o.response)).collect();
            by_invoke.sort_unstable();
            let overlapping = by_invoke.windows(2).filter(|w| w[1].0 < w[0].1).count();
            assert!(
                overlapping > n * 9 / 10,
                "not overlapping enough: {overlapping}"
            );
            let (v, steps) = search(&Counter(0), &h, 10 * n as u64);
            assert_witness(&Counter(0), &h, &v);
            assert!(steps < 5 * n as u64, "{steps} steps for {n} operations");
        }
    }

    #[test]
    fn large_corrupted_counter_history() {
        let mut h = counter_history(10_000, 4, 0x5eed);
        corrupt(&mut h, 31_337);
        let v = check(&Counter(0), &h, 1_000_000);
        assert_refuted(&Counter(0), &h, &v);
    }

    fn plan_strategy(max: usize) -> impl Strategy<Value = Vec<Plan>> {
        prop::collection::vec(
            (
                0..4usize,
                prop::bool::weighted(0.7),
                0..3u64,
                0..20u64,
                0..20u64,
            ),
            1..max,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_linearizable_counter_histories_pass(plan in plan_strategy(80)) {
            let h = counter_history_from(&plan);
            let v = check(&Counter(0), &h, BUDGET);
            assert_witness(&Counter(0), &h, &v);
        }

        #[test]
        fn corrupted_counter_histories_fail(plan in plan_strategy(80), pick in any::<usize>()) {
            let mut h = counter_history_from(&plan);
            corrupt(&mut h, pick);
            let v = check(&Counter(0), &h, BUDGET);
            assert_refuted(&Counter(0), &h, &v);
        }

        /// Random (mostly not linearizable) key-value histories: the partitioned check and the
        /// whole-map check agree, and each verdict's witness holds.
        #[test]
        fn partitioned_agrees_with_the_whole_map(
            ops in prop::collection::vec(
                (0..3usize, 0..2u8, prop::option::of(0..3i64), 0..3i64, 0..4u64, 0..6u64),
                1..14,
            )
        ) {
            let mut clocks = [0u64; 3];
            let h: Vec<_> = ops
                .iter()
                .map(|&(thread, key, write, read, gap, len)| {
                    let t = &mut clocks[thread];
                    *t += gap + 1;
                    let invoke = *t * 8 + thread as u64 * 2;
                    *t += len + 1;
                    let response = *t * 8 + thread as u64 * 2 + 1;
                    match write {
                        Some(v) => kv(thread, key, RegOp::Write(v), None, invoke, response),
                        None => kv(thread, key, RegOp::Read, Some(read), invoke, response),
                    }
                })
                .collect();
            let whole = check(&KvMap::default(), &h, BUDGET);
            let parts = check_partitioned(&h, |o: &KvOp| o.key, |_| KeyRegister(Register(0)), BUDGET);
            prop_assert_eq!(whole.is_linearizable(), parts.is_linearizable());
            if whole.is_linearizable() {
                assert_witness(&KvMap::default(), &h, &whole);
                assert_witness(&KvMap::default(), &h, &parts);
            } else {
                assert_refuted(&KvMap::default(), &h, &whole);
            }
        }
    }
}
