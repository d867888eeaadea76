//! Hidden tests of `hash-ring`: the hash function is the candidate's, so answers are not
//! unique; the judge checks properties instead. Each case is a scenario (build a ring, look
//! keys up, add a node, look again, remove one, look again; or the balance workload) run
//! as one script in the guest; the host replays the scenario against the guest's answers
//! and names the first property that fails, with a concrete witness.

use crate::suite::{usize_edge_note, Explained, FunctionSpec, FunctionSuite, Mismatch};
use crate::wire::{self, Wire};
use judge_core::Verdict;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

// `Op` and `Ret`, and how they cross the wire: the same file the guest's harness is built
// with.
include!("wire.rs");

pub static SUITE: FunctionSuite<HashRingSpec> = FunctionSuite(HashRingSpec);

pub struct HashRingSpec;

/// The balance workload of the statement.
pub const BALANCE_NODES: usize = 10;
pub const BALANCE_VNODES: u32 = 100;
pub const BALANCE_KEYS: usize = 100_000;
/// Most loaded node over the mean, at most.
pub const BALANCE_MAX_RATIO: f64 = 1.5;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Build a ring, query, add a node, query, remove one, query (and maybe empty it).
    Churn {
        vnodes: u32,
        nodes: Vec<String>,
        keys: Vec<(String, u32)>,
        add: String,
        /// Index into `nodes` of the node to remove; past the end removes `add`.
        remove: usize,
        drain: bool,
    },
    /// 10 nodes x 100 vnodes, 100,000 keys; `style` picks the node and key names.
    Balance { style: u8 },
    /// The performance workload: `n / 100` nodes of 100 vnodes (n virtual nodes in all),
    /// then 4n lookups; owners must be members. Node names and keys come from `seed`.
    Lookups { n: u32, seed: u64 },
}

const LOOKUP_VNODES: u32 = 100;

/// The property that failed and a witness.
pub struct Violation {
    pub property: &'static str,
    pub witness: String,
    /// The measured figure, for a property with a limit (balance: "2.40x").
    pub figure: Option<String>,
}

type Checked<T> = Result<T, Violation>;

fn violation<T>(property: &'static str, witness: String) -> Checked<T> {
    Err(Violation {
        property,
        witness,
        figure: None,
    })
}

const MEMBERSHIP: &str = "add_node/remove_node/len track the set of nodes";
const DETERMINISM: &str = "determinism: the same ring answers the same key the same way";
const MEMBERS: &str = "owners are members (and an empty ring has no owner)";
const REPLICAS: &str =
    "replicas_for(key, n) is min(n, len) distinct members starting at node_for(key)";
const ORDERED: &str = "replica lists follow the ring clockwise (n + 1 extends n; a change of membership only inserts or removes that node)";
const ADD_MOVES: &str = "adding a node moves keys only onto the new node";
const REMOVE_MOVES: &str = "removing a node moves only the keys it owned";
const BALANCE: &str = "balance: with 10 nodes x 100 vnodes over 100,000 keys, the most loaded node holds at most 1.5x the mean";

/// One ring operation, as the scenario performs it.
trait Rings {
    fn new_ring(&mut self, slot: u8, vnodes: u32) -> Checked<()>;
    fn add(&mut self, slot: u8, node: &str) -> Checked<bool>;
    fn remove(&mut self, slot: u8, node: &str) -> Checked<bool>;
    fn node_for(&mut self, slot: u8, key: &str) -> Checked<Option<String>>;
    fn replicas(&mut self, slot: u8, key: &str, n: u32) -> Checked<Vec<String>>;
    fn len(&mut self, slot: u8) -> Checked<usize>;
}

/// A correct ring on the host. Scenarios are recorded by playing them against it, which
/// also proves every check passes for a correct ring.
#[derive(Default)]
struct HostRing {
    vnodes: u32,
    ring: BTreeMap<(u64, String), ()>,
    nodes: BTreeSet<String>,
}

fn host_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl HostRing {
    /// The first `limit` distinct nodes clockwise from `key`'s position.
    fn walk(&self, key: &str, limit: usize) -> Vec<String> {
        let h = host_hash(key);
        let limit = limit.min(self.nodes.len());
        let mut out: Vec<String> = Vec::new();
        if limit == 0 {
            return out;
        }
        let after = self.ring.range((h, String::new())..);
        for ((_, node), ()) in after.chain(self.ring.iter()) {
            if !out.contains(node) {
                out.push(node.clone());
                if out.len() == limit {
                    break;
                }
            }
        }
        out
    }
}

/// Records the script while a host ring answers.
#[derive(Default)]
struct Recorder {
    rings: [HostRing; 2],
    script: Vec<Op>,
}

impl Rings for Recorder {
    fn new_ring(&mut self, slot: u8, vnodes: u32) -> Checked<()> {
        self.script.push(Op::New(slot, vnodes));
        self.rings[slot as usize] = HostRing {
            vnodes,
            ..HostRing::default()
        };
        Ok(())
    }
    fn add(&mut self, slot: u8, node: &str) -> Checked<bool> {
        self.script.push(Op::AddNode(slot, node.to_owned()));
        let r = &mut self.rings[slot as usize];
        if !r.nodes.insert(node.to_owned()) {
            return Ok(false);
        }
        for i in 0..r.vnodes {
            r.ring
                .insert((host_hash(&format!("{node}#{i}")), node.to_owned()), ());
        }
        Ok(true)
    }
    fn remove(&mut self, slot: u8, node: &str) -> Checked<bool> {
        self.script.push(Op::RemoveNode(slot, node.to_owned()));
        let r = &mut self.rings[slot as usize];
        if !r.nodes.remove(node) {
            return Ok(false);
        }
        r.ring.retain(|(_, n), ()| n != node);
        Ok(true)
    }
    fn node_for(&mut self, slot: u8, key: &str) -> Checked<Option<String>> {
        self.script.push(Op::NodeFor(slot, key.to_owned()));
        Ok(self.rings[slot as usize].walk(key, 1).into_iter().next())
    }
    fn replicas(&mut self, slot: u8, key: &str, n: u32) -> Checked<Vec<String>> {
        self.script.push(Op::ReplicasFor(slot, key.to_owned(), n));
        Ok(self.rings[slot as usize].walk(key, n as usize))
    }
    fn len(&mut self, slot: u8) -> Checked<usize> {
        self.script.push(Op::Len(slot));
        Ok(self.rings[slot as usize].nodes.len())
    }
}

/// Hands out the guest's answers in the order the scenario asks for them.
struct Replayer<'a> {
    rets: std::slice::Iter<'a, Ret>,
    /// Answers handed out so far: when a property fails, the call whose answer broke it
    /// is the last of them.
    used: usize,
}

fn malformed<T>() -> Checked<T> {
    violation(
        "the harness could not read the answers",
        "the guest's answers ended early or did not match the calls".into(),
    )
}

impl Replayer<'_> {
    /// The next answer, if it is the one `pick` expects.
    fn answer<T>(&mut self, pick: impl FnOnce(&Ret) -> Option<T>) -> Checked<T> {
        self.used += 1;
        self.rets.next().and_then(pick).map_or_else(malformed, Ok)
    }
}

impl Rings for Replayer<'_> {
    fn new_ring(&mut self, _: u8, _: u32) -> Checked<()> {
        self.answer(|r| matches!(r, Ret::New).then_some(()))
    }
    fn add(&mut self, _: u8, _: &str) -> Checked<bool> {
        self.answer(|r| match r {
            Ret::AddNode(added) => Some(*added),
            _ => None,
        })
    }
    fn remove(&mut self, _: u8, _: &str) -> Checked<bool> {
        self.answer(|r| match r {
            Ret::RemoveNode(removed) => Some(*removed),
            _ => None,
        })
    }
    fn node_for(&mut self, _: u8, _: &str) -> Checked<Option<String>> {
        self.answer(|r| match r {
            Ret::NodeFor(owner) => Some(owner.clone()),
            _ => None,
        })
    }
    fn replicas(&mut self, _: u8, _: &str, _: u32) -> Checked<Vec<String>> {
        self.answer(|r| match r {
            Ret::ReplicasFor(replicas) => Some(replicas.clone()),
            _ => None,
        })
    }
    fn len(&mut self, _: u8) -> Checked<usize> {
        self.answer(|r| match r {
            Ret::Len(len) => Some(*len),
            _ => None,
        })
    }
}

fn q(s: &str) -> String {
    format!("{s:?}")
}

fn list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// Membership as the statement defines it, tracked on the host.
struct Members(BTreeSet<String>);

impl Members {
    fn add(&mut self, r: &mut dyn Rings, node: &str) -> Checked<()> {
        let expected = self.0.insert(node.to_owned());
        let got = r.add(0, node)?;
        if got != expected {
            return violation(
                MEMBERSHIP,
                format!(
                    "add_node({}) returned {got}; the node was {}in the ring",
                    q(node),
                    if expected { "not " } else { "already " }
                ),
            );
        }
        Ok(())
    }

    fn remove(&mut self, r: &mut dyn Rings, node: &str) -> Checked<()> {
        let expected = self.0.remove(node);
        let got = r.remove(0, node)?;
        if got != expected {
            return violation(
                MEMBERSHIP,
                format!(
                    "remove_node({}) returned {got}; the node was {}in the ring",
                    q(node),
                    if expected { "" } else { "not " }
                ),
            );
        }
        Ok(())
    }

    fn len(&self, r: &mut dyn Rings) -> Checked<()> {
        let got = r.len(0)?;
        if got != self.0.len() {
            return violation(
                MEMBERSHIP,
                format!(
                    "len() returned {got} with {} nodes in the ring {}",
                    self.0.len(),
                    list(&self.0.iter().cloned().collect::<Vec<_>>())
                ),
            );
        }
        Ok(())
    }

    /// Looks `key` up: owner and `n` replicas, checked against membership.
    fn lookup(
        &self,
        r: &mut dyn Rings,
        key: &str,
        n: u32,
    ) -> Checked<(Option<String>, Vec<String>)> {
        let owner = r.node_for(0, key)?;
        match &owner {
            None if !self.0.is_empty() => {
                return violation(
                    MEMBERS,
                    format!(
                        "node_for({}) returned None with {} nodes in the ring",
                        q(key),
                        self.0.len()
                    ),
                )
            }
            Some(o) if !self.0.contains(o) => {
                return violation(
                    MEMBERS,
                    format!(
                        "node_for({}) returned {}, which is not in the ring {}",
                        q(key),
                        q(o),
                        list(&self.0.iter().cloned().collect::<Vec<_>>())
                    ),
                )
            }
            _ => {}
        }
        let reps = r.replicas(0, key, n)?;
        let want = (n as usize).min(self.0.len());
        let call = format!("replicas_for({}, {n}) returned {}", q(key), list(&reps));
        if reps.len() != want {
            return violation(
                REPLICAS,
                format!(
                    "{call}: {} names, expected {want} (n = {n}, {} nodes)",
                    reps.len(),
                    self.0.len()
                ),
            );
        }
        let distinct: BTreeSet<&String> = reps.iter().collect();
        if distinct.len() != reps.len() {
            return violation(REPLICAS, format!("{call}: a node is listed twice"));
        }
        if let Some(stranger) = reps.iter().find(|x| !self.0.contains(*x)) {
            return violation(
                REPLICAS,
                format!("{call}: {} is not in the ring", q(stranger)),
            );
        }
        if let (Some(first), Some(o)) = (reps.first(), &owner) {
            if first != o {
                return violation(
                    REPLICAS,
                    format!(
                        "{call}, but node_for({}) is {}: the list must start at the owner",
                        q(key),
                        q(o)
                    ),
                );
            }
        }
        Ok((owner, reps))
    }
}

fn is_prefix(short: &[String], long: &[String]) -> bool {
    short.len() <= long.len() && long[..short.len()] == *short
}

/// Plays a scenario against `r`, checking every property as answers come in.
fn play(scenario: &Scenario, r: &mut dyn Rings) -> Checked<()> {
    match scenario {
        Scenario::Churn {
            vnodes,
            nodes,
            keys,
            add,
            remove,
            drain,
        } => {
            let mut m = Members(BTreeSet::new());
            r.new_ring(0, *vnodes)?;
            for node in nodes {
                m.add(r, node)?;
            }
            m.len(r)?;
            let mut before = Vec::new();
            for (key, n) in keys {
                let (owner, reps) = m.lookup(r, key, *n)?;
                // n = usize::MAX (the guest's) has no n + 1: the same list again.
                let more = r.replicas(0, key, n.saturating_add(1))?;
                if !is_prefix(&reps, &more) {
                    return violation(
                        ORDERED,
                        format!(
                            "replicas_for({}, {n}) = {} but replicas_for({}, {}) = {}",
                            q(key),
                            list(&reps),
                            q(key),
                            n.saturating_add(1),
                            list(&more)
                        ),
                    );
                }
                let again = r.node_for(0, key)?;
                if again != owner {
                    return violation(
                        DETERMINISM,
                        format!(
                            "node_for({}) returned {owner:?}, then {again:?} on the same ring",
                            q(key)
                        ),
                    );
                }
                before.push((owner, reps));
            }
            // A second ring built the same way must agree.
            r.new_ring(1, *vnodes)?;
            for node in nodes {
                r.add(1, node)?;
            }
            for ((key, _), (owner, _)) in keys.iter().zip(&before) {
                let twin = r.node_for(1, key)?;
                if twin != *owner {
                    return violation(DETERMINISM, format!("two rings built with HashRing::new({vnodes}) and the same add_node calls disagree: node_for({}) is {owner:?} on one and {twin:?} on the other", q(key)));
                }
            }
            // Add a node: keys move only onto it; lists only gain it.
            let was_member = m.0.contains(add);
            m.add(r, add)?;
            m.add(r, add)?;
            m.len(r)?;
            let mut after_add = Vec::new();
            for ((key, n), (owner, reps)) in keys.iter().zip(&before) {
                let (now, now_reps) = m.lookup(r, key, *n)?;
                if !was_member {
                    if now != *owner && now.as_deref() != Some(add) {
                        return violation(
                            ADD_MOVES,
                            format!(
                                "after add_node({}), node_for({}) moved from {owner:?} to {now:?}",
                                q(add),
                                q(key)
                            ),
                        );
                    }
                    let without: Vec<String> =
                        now_reps.iter().filter(|x| *x != add).cloned().collect();
                    if !is_prefix(&without, reps) {
                        return violation(
                            ORDERED,
                            format!(
                                "replicas_for({}, {n}) was {} and became {} after add_node({})",
                                q(key),
                                list(reps),
                                list(&now_reps),
                                q(add)
                            ),
                        );
                    }
                }
                after_add.push((now, now_reps));
            }
            // Remove a node: only its keys move; lists only lose it.
            let victim = nodes.get(*remove).unwrap_or(add).clone();
            let was_member = m.0.contains(&victim);
            m.remove(r, &victim)?;
            m.remove(r, &victim)?;
            m.len(r)?;
            for ((key, n), (owner, reps)) in keys.iter().zip(&after_add) {
                let (now, now_reps) = m.lookup(r, key, *n)?;
                if was_member {
                    if owner.as_deref() != Some(victim.as_str()) && now != *owner {
                        return violation(REMOVE_MOVES, format!("after remove_node({}), node_for({}) moved from {owner:?} to {now:?}", q(&victim), q(key)));
                    }
                    let without: Vec<String> =
                        reps.iter().filter(|x| **x != victim).cloned().collect();
                    if !is_prefix(&without, &now_reps) {
                        return violation(
                            ORDERED,
                            format!(
                                "replicas_for({}, {n}) was {} and became {} after remove_node({})",
                                q(key),
                                list(reps),
                                list(&now_reps),
                                q(&victim)
                            ),
                        );
                    }
                }
            }
            if *drain {
                let left: Vec<String> = m.0.iter().cloned().collect();
                for node in &left {
                    m.remove(r, node)?;
                }
                m.len(r)?;
                if let Some((key, n)) = keys.first() {
                    m.lookup(r, key, *n)?;
                }
            }
            Ok(())
        }
        Scenario::Lookups { n, seed } => {
            let (vnodes, nodes, keys) = lookup_workload(*n, *seed);
            let mut m = Members(BTreeSet::new());
            r.new_ring(0, vnodes)?;
            for node in &nodes {
                m.add(r, node)?;
            }
            for key in keys {
                let owner = r.node_for(0, &key)?;
                if !owner.as_ref().is_some_and(|o| m.0.contains(o)) {
                    return violation(
                        MEMBERS,
                        format!(
                            "node_for({}) returned {owner:?}, not a node of the ring",
                            q(&key)
                        ),
                    );
                }
            }
            Ok(())
        }
        Scenario::Balance { style } => {
            let mut m = Members(BTreeSet::new());
            r.new_ring(0, BALANCE_VNODES)?;
            let names = balance_nodes(*style);
            for node in &names {
                m.add(r, node)?;
            }
            let mut load: BTreeMap<String, usize> = names.iter().map(|n| (n.clone(), 0)).collect();
            for i in 0..BALANCE_KEYS {
                let key = balance_key(*style, i);
                let owner = r.node_for(0, &key)?;
                match owner.as_ref().and_then(|o| load.get_mut(o)) {
                    Some(n) => *n += 1,
                    None => {
                        return violation(
                            MEMBERS,
                            format!(
                                "node_for({}) returned {owner:?}, not one of the 10 nodes",
                                q(&key)
                            ),
                        )
                    }
                }
            }
            let (busiest, max) = load.iter().max_by_key(|(_, n)| **n).expect("10 nodes");
            let mean = BALANCE_KEYS as f64 / BALANCE_NODES as f64;
            let ratio = *max as f64 / mean;
            if ratio > BALANCE_MAX_RATIO {
                let mut loads = String::new();
                for (node, n) in &load {
                    let _ = write!(loads, "{}: {n}, ", q(node));
                }
                return Err(Violation {
                    property: BALANCE,
                    witness: format!("{} owns {max} of {BALANCE_KEYS} keys, {ratio:.2}x the mean of {mean:.0} (loads: {})", q(busiest), loads.trim_end_matches(", ")),
                    figure: Some(format!("{ratio:.2}x")),
                });
            }
            Ok(())
        }
    }
}

/// The lookup workload of size `n` for `seed`: vnodes per node, the nodes (n virtual
/// nodes in all), and the 4n keys looked up. Names and keys are drawn from the seed, each
/// of the same length for every seed (the same hashing cost).
pub fn lookup_workload(n: u32, seed: u64) -> (u32, Vec<String>, Vec<String>) {
    let mut rng = judge_core::SplitMix64::new(seed ^ 0x4A54_0000_0000_0000);
    let net = rng.next_u64() % 90 + 10;
    let nodes = (0..(n / LOOKUP_VNODES).max(1))
        .map(|i| format!("10.{net}.{:03}.{:03}:11211", i / 256 % 256, i % 256))
        .collect();
    let keys = (0..n.saturating_mul(4))
        .map(|_| format!("session/{:08x}", rng.next_u64() >> 32))
        .collect();
    (LOOKUP_VNODES, nodes, keys)
}

fn balance_nodes(style: u8) -> Vec<String> {
    (0..BALANCE_NODES)
        .map(|i| match style % 3 {
            0 => format!("node-{i}"),
            1 => format!("10.0.0.{}:6379", i + 1),
            _ => format!("cache-{}.eu-west-1.internal", (b'a' + i as u8) as char),
        })
        .collect()
}

fn balance_key(style: u8, i: usize) -> String {
    match style % 2 {
        0 => format!("user:{i}"),
        _ => format!(
            "session/{:08x}",
            (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32
        ),
    }
}

fn node_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..12).prop_map(|i| format!("node-{i}")),
        (1u32..12).prop_map(|i| format!("10.0.0.{i}:6379")),
        proptest::sample::select(&["a", "b", "c", "n1", "n10", "n11", "n1#1", "é", "node", ""][..])
            .prop_map(str::to_owned),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u32..1000).prop_map(|i| format!("user:{i}")),
        2 => "[a-z0-9]{0,12}",
        1 => Just(String::new()),
        1 => "\\PC{0,6}",
    ]
}

/// `n` of `replicas_for(key, n)`: mostly around the number of nodes, sometimes the
/// guest's `usize::MAX` (its `usize` is 32 bits), which the statement allows.
fn replica_count() -> impl Strategy<Value = u32> {
    prop_oneof![12 => 0u32..=10, 1 => Just(u32::MAX)]
}

fn churn() -> impl Strategy<Value = Scenario> {
    (
        prop_oneof![4 => 1u32..=4, 3 => 5u32..=50, 1 => Just(100u32), 1 => 150u32..=300],
        proptest::collection::vec(node_name(), 0..=8),
        proptest::collection::vec((key(), replica_count()), 1..=30),
        node_name(),
        0usize..=9,
        any::<bool>(),
    )
        .prop_map(
            |(vnodes, nodes, keys, add, remove, drain)| Scenario::Churn {
                vnodes,
                nodes,
                keys,
                add,
                remove,
                drain,
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    churn()
}

/// The script a scenario plays (recorded against a correct host ring).
fn script(scenario: &Scenario) -> Vec<Op> {
    let mut rec = Recorder::default();
    let played = play(scenario, &mut rec);
    debug_assert!(played.is_ok(), "{:?}", played.err().map(|v| v.witness));
    rec.script
}

/// Plays `scenario` against the guest's answers: the property that failed and how many
/// answers had been read when it did (the last of them broke it).
fn replay(scenario: &Scenario, output: &[Ret]) -> Result<(), (Violation, usize)> {
    let mut replayer = Replayer {
        rets: output.iter(),
        used: 0,
    };
    let result = play(scenario, &mut replayer).and_then(|()| {
        if replayer.rets.len() == 0 {
            Ok(())
        } else {
            replayer.used += 1;
            malformed()
        }
    });
    result.map_err(|v| (v, replayer.used))
}

fn ring_name(slot: u8) -> &'static str {
    match slot {
        0 => "ring",
        _ => "ring2",
    }
}

/// One operation of the script as the candidate would write it.
fn show_op(op: &Op) -> String {
    match op {
        Op::New(slot, vnodes) => format!("let mut {} = HashRing::new({vnodes});", ring_name(*slot)),
        Op::AddNode(slot, node) => format!("{}.add_node({})", ring_name(*slot), q(node)),
        Op::RemoveNode(slot, node) => format!("{}.remove_node({})", ring_name(*slot), q(node)),
        Op::NodeFor(slot, key) => format!("{}.node_for({})", ring_name(*slot), q(key)),
        Op::ReplicasFor(slot, key, n) => {
            format!("{}.replicas_for({}, {n})", ring_name(*slot), q(key))
        }
        Op::Len(slot) => format!("{}.len()", ring_name(*slot)),
    }
}

fn show_ret(ret: &Ret) -> Option<String> {
    Some(match ret {
        Ret::New => return None,
        Ret::AddNode(b) | Ret::RemoveNode(b) => b.to_string(),
        Ret::NodeFor(None) => "None".into(),
        Ret::NodeFor(Some(owner)) => format!("Some({})", q(owner)),
        Ret::ReplicasFor(replicas) => list(replicas),
        Ret::Len(n) => n.to_string(),
    })
}

/// The calls `ops` with the guest's answers `rets` (as far as there are answers), the last
/// call marked with `mark`; a run of the same call with the same answer folded into one
/// line with its count.
fn transcript(ops: &[Op], rets: &[Ret], mark: &str) -> String {
    let line = |i: usize| {
        let call = show_op(&ops[i]);
        match rets.get(i).and_then(show_ret) {
            Some(ret) if i + 1 < ops.len() => format!("{call} -> {ret}"),
            Some(ret) => format!("{call} -> {ret}    {mark}"),
            None if i + 1 < ops.len() => call,
            None => format!("{call}    {mark}"),
        }
    };
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        let shown = line(i);
        let mut repeats = 1;
        while i + repeats + 1 < ops.len() && line(i + repeats) == shown {
            repeats += 1;
        }
        lines.push(match repeats {
            1 => shown,
            n => format!("{shown}    // {n} times in a row"),
        });
        i += repeats;
    }
    lines.join("\n")
}

/// The balance scenario as the Rust code that runs it, with the guest's answers to the
/// add_node calls.
fn show_balance(style: u8, output: &[Ret]) -> String {
    let mut s = format!("let mut ring = HashRing::new({BALANCE_VNODES});\n");
    for (i, node) in balance_nodes(style).iter().enumerate() {
        let ret = output.get(i + 1).and_then(show_ret);
        let _ = writeln!(
            s,
            "ring.add_node({}){}",
            q(node),
            ret.map(|r| format!(" -> {r}")).unwrap_or_default()
        );
    }
    let key = match style % 2 {
        0 => "format!(\"user:{i}\")".to_owned(),
        _ => "format!(\"session/{:08x}\", (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32)"
            .to_owned(),
    };
    let _ = write!(
        s,
        "let mut load = std::collections::HashMap::new();\nfor i in 0..{BALANCE_KEYS} {{\n    let owner = ring.node_for(&{key}).unwrap();\n    *load.entry(owner).or_insert(0) += 1;\n}}\nlet busiest = load.values().max().unwrap();    <- balance fails here"
    );
    s
}

/// What to look at when `property` fails.
fn property_hint(property: &str) -> &'static str {
    match property {
        MEMBERSHIP => "add_node returns false for a node already in the ring, remove_node false for one that is not, and len() counts physical nodes: keep the set of node names beside the ring",
        DETERMINISM => "a key's owner must depend on the ring's contents only: no RandomState (a HashMap's default hasher is seeded per map), no per-ring seed, no HashMap/HashSet iteration order; hash with a fixed function and keep the ring in an ordered map (BTreeMap)",
        MEMBERS => "an owner must be a node that was added and not removed: remove every virtual node of a removed node, and answer None only on an empty ring",
        REPLICAS | ORDERED => "walk clockwise from the key's position, skipping virtual nodes of nodes already listed, until n distinct nodes (or all of them) are listed; the first one is node_for(key)",
        ADD_MOVES | REMOVE_MOVES => "a key's owner must be the first virtual node clockwise from the key's hash; hash % len, or anything that renumbers the nodes, moves keys between nodes that stayed",
        BALANCE => "give each node vnodes_per_node virtual nodes at well-spread positions (hash the node name with the replica index, e.g. \"{node}#{i}\", with a hash that mixes every bit): a ring that ignores vnodes lands near 2.5x the mean",
        _ => "the answers could not be matched with the calls: every call must return its own answer",
    }
}

impl FunctionSpec for HashRingSpec {
    type Input = Scenario;
    type Output = Vec<Ret>;

    fn strategy(&self) -> BoxedStrategy<Scenario> {
        scenario().boxed()
    }

    fn encode(&self, scenario: &Scenario) -> Vec<u8> {
        let mut rec = Recorder::default();
        // The host ring is correct, so every check passes and the script is complete.
        let played = play(scenario, &mut rec);
        debug_assert!(played.is_ok(), "{:?}", played.err().map(|v| v.witness));
        wire::to_bytes(&rec.script)
    }

    fn decode(&self, _: &Scenario, bytes: &[u8]) -> Option<Vec<Ret>> {
        wire::from_bytes(bytes)
    }

    fn check(&self, scenario: &Scenario, output: &Vec<Ret>) -> Result<(), Mismatch> {
        let (v, used) = match replay(scenario, output) {
            Ok(()) => return Ok(()),
            Err(found) => found,
        };
        let script = script(scenario);
        let name = v.property.split(':').next().unwrap_or(v.property);
        let call = match scenario {
            Scenario::Balance { style } => show_balance(*style, output),
            _ => transcript(
                &script[..used.min(script.len())],
                output,
                &format!("<- {name} fails here"),
            ),
        };
        let summary = match scenario {
            Scenario::Balance { .. } if v.property == BALANCE => format!(
                "property failed: balance: the most loaded node holds {} the mean (the limit is {BALANCE_MAX_RATIO}x)",
                v.figure.as_deref().unwrap_or("more than")
            ),
            _ => format!("property failed: {name}"),
        };
        Err(Mismatch {
            verdict: Verdict::WrongAnswer,
            summary,
            call: Some(call),
            expected: v.property.to_owned(),
            actual: v.witness,
        })
    }

    fn calls(&self, scenario: &Scenario) -> usize {
        match scenario {
            Scenario::Churn { .. } => script(scenario).len(),
            // One guest call of 100,000 lookups: shown as the loop it is, never bisected.
            Scenario::Balance { .. } | Scenario::Lookups { .. } => 0,
        }
    }

    fn encode_prefix(&self, scenario: &Scenario, k: usize) -> Vec<u8> {
        let script = script(scenario);
        wire::to_bytes(&script[..k.min(script.len())].to_vec())
    }

    fn show_step(&self, scenario: &Scenario, k: usize) -> String {
        let script = script(scenario);
        match k.checked_sub(1).and_then(|i| script.get(i)) {
            Some(op) => show_op(op),
            None => "(no call)".into(),
        }
    }

    fn show_prefix(
        &self,
        scenario: &Scenario,
        k: usize,
        answers: &[u8],
        how: &str,
    ) -> (String, String) {
        let script = script(scenario);
        let k = k.min(script.len());
        let rets: Vec<Ret> = wire::from_bytes(answers).unwrap_or_default();
        let mark = format!("<- call {k} {how}");
        (
            transcript(&script[..k], &rets, &mark),
            "it returns (any answer for which the properties hold)".into(),
        )
    }

    fn explain(&self, scenario: &Scenario, output: Option<&Vec<Ret>>) -> Explained {
        let mut explained = Explained::default();
        if let Some(out) = output {
            if let Err((v, _)) = replay(scenario, out) {
                explained.hint = Some(property_hint(v.property).to_owned());
            }
        }
        // The statement allows n up to usize::MAX, which is 2^32 - 1 on the guest.
        if let Scenario::Churn { keys, .. } = scenario {
            if let Some(n) = keys.iter().map(|(_, n)| *n).max() {
                explained.notes.extend(usize_edge_note("n", u64::from(n)));
            }
        }
        explained
    }

    fn show_call(&self, scenario: &Scenario) -> String {
        match scenario {
            // Every call of the script, in order (no answers: the guest returned none).
            Scenario::Churn { .. } => script(scenario)
                .iter()
                .map(show_op)
                .collect::<Vec<_>>()
                .join("\n"),
            Scenario::Lookups { n, .. } => self.describe_workload(*n),
            Scenario::Balance { style } => show_balance(*style, &[]),
        }
    }

    fn show_expected(&self, _: &Scenario) -> String {
        "answers for which every property of the statement holds".into()
    }

    fn workload(&self, n: u32, seed: u64) -> Option<Scenario> {
        Some(Scenario::Lookups { n, seed })
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "HashRing::new({LOOKUP_VNODES}) with {} nodes ({n} virtual nodes), then {} node_for lookups",
            (n / LOOKUP_VNODES).max(1),
            4 * u64::from(n)
        )
    }

    fn pinned(&self) -> Vec<Scenario> {
        (0..3).map(|style| Scenario::Balance { style }).collect()
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "replicas_n_usize_max",
                "replicas_for(key, usize::MAX) (2^32 - 1 in the sandbox)",
            ),
            ("replicas_n_zero", "replicas_for(key, 0)"),
            (
                "replicas_n_over_nodes",
                "replicas_for(key, n) with n over the number of nodes",
            ),
            ("empty_ring", "node_for and replicas_for on an empty ring"),
            ("empty_key", "the empty string as a key"),
            ("empty_node_name", "the empty string as a node name"),
            ("non_ascii", "a key or node name with non-ASCII text"),
            ("one_vnode", "vnodes_per_node = 1"),
            ("balance", "10 nodes x 100 virtual nodes, 100,000 keys"),
        ]
    }

    fn hits(&self, scenario: &Scenario) -> Vec<&'static str> {
        let mut hits = Vec::new();
        match scenario {
            Scenario::Churn {
                vnodes,
                nodes,
                keys,
                add,
                drain,
                ..
            } => {
                let members: BTreeSet<&String> = nodes.iter().collect();
                for (key, n) in keys {
                    hits.extend([
                        (*n == u32::MAX).then_some("replicas_n_usize_max"),
                        (*n == 0).then_some("replicas_n_zero"),
                        (*n as usize > members.len() + 1).then_some("replicas_n_over_nodes"),
                        key.is_empty().then_some("empty_key"),
                        (!key.is_ascii()).then_some("non_ascii"),
                    ]);
                }
                let names = nodes.iter().chain([add]);
                for name in names {
                    hits.push(name.is_empty().then_some("empty_node_name"));
                    hits.push((!name.is_ascii()).then_some("non_ascii"));
                }
                hits.push((nodes.is_empty() || *drain).then_some("empty_ring"));
                hits.push((*vnodes == 1).then_some("one_vnode"));
            }
            Scenario::Balance { .. } => hits.push(Some("balance")),
            Scenario::Lookups { .. } => {}
        }
        hits.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    /// Answers one scripted call, as a guest would.
    type Ring<'a> = dyn FnMut(Op) -> Ret + 'a;

    /// Runs a scenario's script, through the wire both ways, against a host ring written
    /// differently.
    fn answers(scenario: &Scenario, ring: &mut Ring<'_>) -> Vec<Ret> {
        let script: Vec<Op> = wire::from_bytes(&HashRingSpec.encode(scenario)).unwrap();
        let rets: Vec<Ret> = script.into_iter().map(ring).collect();
        HashRingSpec
            .decode(scenario, &wire::to_bytes(&rets))
            .unwrap()
    }

    /// A guest ring over the host's hash: `modulo` owns keys by hash % len instead.
    fn guest(modulo: bool) -> impl FnMut(Op) -> Ret {
        let mut rings: [HostRing; 2] = Default::default();
        let mut members: [Vec<String>; 2] = Default::default();
        let owner_by_modulo = |m: &[String], key: &str| {
            (!m.is_empty()).then(|| m[(host_hash(key) % m.len() as u64) as usize].clone())
        };
        move |op| match op {
            Op::New(slot, vnodes) => {
                let s = slot as usize;
                rings[s] = HostRing {
                    vnodes,
                    ..HostRing::default()
                };
                members[s].clear();
                Ret::New
            }
            Op::AddNode(slot, name) => {
                let s = slot as usize;
                let ring = &mut rings[s];
                let new = ring.nodes.insert(name.clone());
                if new {
                    members[s].push(name.clone());
                    for i in 0..ring.vnodes {
                        ring.ring
                            .insert((host_hash(&format!("{name}#{i}")), name.clone()), ());
                    }
                }
                Ret::AddNode(new)
            }
            Op::RemoveNode(slot, name) => {
                let s = slot as usize;
                let ring = &mut rings[s];
                let had = ring.nodes.remove(&name);
                members[s].retain(|m| *m != name);
                ring.ring.retain(|(_, n), ()| *n != name);
                Ret::RemoveNode(had)
            }
            Op::NodeFor(slot, key) => {
                let s = slot as usize;
                Ret::NodeFor(if modulo {
                    owner_by_modulo(&members[s], &key)
                } else {
                    rings[s].walk(&key, 1).into_iter().next()
                })
            }
            Op::ReplicasFor(slot, key, n) => {
                let s = slot as usize;
                let mut all = rings[s].walk(&key, usize::MAX);
                if modulo {
                    if let Some(owner) = owner_by_modulo(&members[s], &key) {
                        all.retain(|x| *x != owner);
                        all.insert(0, owner);
                    }
                }
                all.truncate(n as usize);
                Ret::ReplicasFor(all)
            }
            Op::Len(slot) => Ret::Len(rings[slot as usize].nodes.len()),
        }
    }

    #[test]
    fn a_correct_ring_passes_every_scenario() {
        let mut runner = TestRunner::deterministic();
        let strategy = scenario();
        for _ in 0..300 {
            let sc = strategy.new_tree(&mut runner).unwrap().current();
            let out = answers(&sc, &mut guest(false));
            assert!(HashRingSpec.check(&sc, &out).is_ok(), "{sc:?}");
        }
        for sc in HashRingSpec.pinned() {
            let out = answers(&sc, &mut guest(false));
            if let Err(m) = HashRingSpec.check(&sc, &out) {
                panic!("{}: {}", m.summary, m.actual);
            }
        }
    }

    #[test]
    fn modulo_hashing_is_caught_moving_keys_between_old_nodes() {
        let mut runner = TestRunner::deterministic();
        let strategy = scenario();
        let mut caught = 0;
        for _ in 0..100 {
            let sc = strategy.new_tree(&mut runner).unwrap().current();
            let out = answers(&sc, &mut guest(true));
            if let Err(m) = HashRingSpec.check(&sc, &out) {
                assert!(m.summary.contains("moves"), "{}: {}", m.summary, m.actual);
                caught += 1;
            }
        }
        assert!(caught >= 50, "caught {caught} of 100");
    }

    #[test]
    fn a_property_failure_shows_every_call_up_to_it_and_nothing_after() {
        let mut runner = TestRunner::deterministic();
        let strategy = scenario();
        let mut shown = 0;
        for _ in 0..100 {
            let sc = strategy.new_tree(&mut runner).unwrap().current();
            let out = answers(&sc, &mut guest(true));
            let Err(m) = HashRingSpec.check(&sc, &out) else {
                continue;
            };
            shown += 1;
            let call = m.call.expect("a transcript");
            let last = call.lines().last().unwrap();
            assert!(last.ends_with("fails here"), "{call}");
            assert!(!call.contains("and the same lookups") && !call.contains("second ring"));
            // Every call before the failing one, with the guest's answer (folded repeats
            // count as theirs).
            let calls: usize = call
                .lines()
                .map(|l| {
                    l.split("// ")
                        .nth(1)
                        .and_then(|c| c.strip_suffix(" times in a row"))
                        .map_or(1, |n| n.parse().unwrap())
                })
                .sum();
            let (_, used) = replay(&sc, &out).unwrap_err();
            assert_eq!(calls, used, "{call}");
            let hint = HashRingSpec.explain(&sc, Some(&out)).hint.expect("a hint");
            assert!(hint.contains("clockwise"), "{hint}");
        }
        assert!(shown >= 50, "{shown}");
    }

    #[test]
    fn a_balance_failure_names_its_figure_and_limit_and_shows_the_loop() {
        let sc = Scenario::Balance { style: 0 };
        // A ring that ignores vnodes: one point per node.
        let mut one_point = guest(false);
        let mut ignoring = |op| match op {
            Op::New(slot, _) => one_point(Op::New(slot, 1)),
            op => one_point(op),
        };
        let out = answers(&sc, &mut ignoring);
        let m = HashRingSpec.check(&sc, &out).unwrap_err();
        assert!(
            m.summary
                .starts_with("property failed: balance: the most loaded node holds ")
                && m.summary.ends_with("x the mean (the limit is 1.5x)"),
            "{}",
            m.summary
        );
        let call = m.call.unwrap();
        assert!(call.contains("for i in 0..100000 {"), "{call}");
        assert!(call.contains("ring.add_node(\"node-9\") -> true"), "{call}");
        assert!(call.ends_with("<- balance fails here"), "{call}");
        let hint = HashRingSpec.explain(&sc, Some(&out)).hint.unwrap();
        assert!(hint.contains("virtual nodes"), "{hint}");
        assert!(HashRingSpec
            .explain(&sc, Some(&answers(&sc, &mut guest(false))))
            .hint
            .is_none());
    }

    #[test]
    fn truncated_answers_are_malformed_not_a_panic() {
        let sc = Scenario::Churn {
            vnodes: 2,
            nodes: vec!["a".into(), "b".into()],
            keys: vec![("k".into(), 2)],
            add: "c".into(),
            remove: 0,
            drain: true,
        };
        let out = answers(&sc, &mut guest(false));
        assert!(HashRingSpec.check(&sc, &out).is_ok());
        let m = HashRingSpec
            .check(&sc, &out[..out.len() - 1].to_vec())
            .unwrap_err();
        assert!(m.summary.contains("could not read"), "{}", m.summary);
        let mut longer = out.clone();
        longer.push(Ret::New);
        assert!(HashRingSpec.check(&sc, &longer).is_err());
        // An answer of the wrong kind for its call.
        let mut swapped = out.clone();
        swapped[1] = Ret::Len(1);
        let m = HashRingSpec.check(&sc, &swapped).unwrap_err();
        assert!(m.summary.contains("could not read"), "{}", m.summary);
        // Bytes that are not answers at all.
        let bytes = wire::to_bytes(&out);
        assert!(HashRingSpec
            .decode(&sc, &bytes[..bytes.len() - 1])
            .is_none());
        assert!(HashRingSpec
            .decode(&sc, &[0xff, 0xff, 0xff, 0xff, 0])
            .is_none());
        assert!(HashRingSpec.decode(&sc, &[1, 0, 0, 0, 9]).is_none());
    }

    #[test]
    fn the_script_is_the_wire_format_of_its_operations() {
        let sc = Scenario::Lookups { n: 100, seed: 7 };
        let bytes = HashRingSpec.encode(&sc);
        let script: Vec<Op> = wire::from_bytes(&bytes).unwrap();
        // new, its one node, then 400 lookups.
        assert_eq!(script.len(), 1 + 1 + 400);
        assert_eq!(script[0], Op::New(0, LOOKUP_VNODES));
        assert_eq!(&bytes[..4], &(script.len() as u32).to_le_bytes());
        assert_eq!(&bytes[4..10], &[0, 0, 100, 0, 0, 0]);
        // A ring slot other than 0 or 1 is not an operation.
        assert_eq!(Op::take(&mut &[5u8, 2][..]), None);
        assert_eq!(Op::take(&mut &[5u8, 1][..]), Some(Op::Len(1)));
    }
}
