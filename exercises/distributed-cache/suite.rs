//! Hidden tests of `distributed-cache`: a cluster of nodes, each its own sandbox instance,
//! talking through a network the host simulates on virtual time from the seed
//! (`crate::simulation`). Concurrent clients send gets and puts to random nodes; the host
//! records every request's invocation and reply and checks, in order: each node's placement
//! (the same on every node, `replicas` distinct members, and adding a node moves keys only
//! onto it), LRU eviction (a one-node cluster, compared with a model), deadlines,
//! linearizability of each key's history (a miss is always allowed, a stale value never),
//! availability (no miss and no `Unavailable` while the coordinator and a majority of the
//! key's replicas are up and reachable), and last the number of messages per request.
//! Fault levels run in order (none, loss, partitions and pauses); a failure is shrunk to
//! the fewest clients, requests and faults that still fail the same way and shown as a
//! message-sequence diagram with the key's history.

use crate::linearizability::{self, Model, Operation};
use crate::simulation::{diagram, Arrow, Fate, Fault, Level, Rng, Schedule};
use crate::suite::{Actual, CallFailure, Counterexample, Outcome, Plan, Subject, Suite};
use crate::wire::{self, Wire};
use judge_core::Verdict;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fmt::Write as _;
use std::time::Instant;

// `Event`, `Effect`, `Req`, `Rep` and how they cross the wire: the same file every node's
// harness is built with.
include!("wire.rs");

pub static SUITE: DistributedCache = DistributedCache;

pub struct DistributedCache;

/// The cluster of the statement.
pub const NODES: u16 = 5;
pub const REPLICAS: u16 = 3;
/// Capacity of each node in the multi-node runs: more than the keys they use, so nothing is
/// evicted there (eviction is checked on its own, in one-node runs).
pub const CAPACITY: u32 = 64;
/// Every request must be answered within this many ms of virtual time.
pub const DEADLINE_MS: u64 = 1_000;
/// Keys whose placement is checked.
const PLACEMENT_KEYS: usize = 400;
/// The new node must be a replica of at least this share of keys (R/(N+1) = 1/2 expected).
const MIN_NEW_NODE_SHARE: f64 = 0.1;
/// Messages per request at fault level none, over a run's multi-node cases, at most: the
/// reference sends 9-10 (a quorum read and write, three replicas each way); 4x that is a
/// protocol that floods the network.
pub const MAX_MESSAGES_PER_REQUEST: f64 = 40.0;
/// Node handler calls per request (and 200 more) before a run is stopped as flooding.
const MAX_HANDLER_CALLS_PER_REQUEST: usize = 400;
/// Steps of the linearizability search per history.
const CHECK_BUDGET: u64 = 2_000_000;

/// One client request of a scenario: after `think` ms, `req` to node `node`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub think: u64,
    pub node: u16,
    pub req: Req,
}

/// One simulated run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub level: Level,
    /// Drives the network: delays, losses, duplicates, and the nodes' clock offsets.
    pub seed: u64,
    pub nodes: u16,
    pub replicas: u16,
    pub capacity: u32,
    pub clients: Vec<Vec<Call>>,
    pub schedule: Schedule,
}

impl Scenario {
    fn requests(&self) -> usize {
        self.clients.iter().map(Vec::len).sum()
    }

    fn keys(&self) -> Vec<String> {
        let keys: BTreeSet<&String> = self
            .clients
            .iter()
            .flatten()
            .map(|c| match &c.req {
                Req::Get(k) | Req::Put(k, _) => k,
            })
            .collect();
        keys.into_iter().cloned().collect()
    }

    fn describe(&self) -> String {
        let mut out = format!(
            "a cluster of {} node{} ({} replica{} per key, capacity {} keys per node) at fault \
             level `{}`, network seed {:#x}\n",
            self.nodes,
            if self.nodes == 1 { "" } else { "s" },
            self.replicas,
            if self.replicas == 1 { "" } else { "s" },
            self.capacity,
            self.level.name(),
            self.seed,
        );
        for (c, calls) in self.clients.iter().enumerate() {
            let _ = write!(out, "  client c{c}:");
            for call in calls {
                let _ = write!(
                    out,
                    " +{}ms {} @n{};",
                    call.think,
                    show_req(&call.req),
                    call.node
                );
            }
            out.push('\n');
        }
        for fault in &self.schedule.faults {
            let _ = writeln!(out, "  fault: {}", fault.describe());
        }
        out
    }
}

fn show_req(req: &Req) -> String {
    match req {
        Req::Get(k) => format!("get({k:?})"),
        Req::Put(k, v) => format!("put({k:?}, {v:?})"),
    }
}

fn show_rep(rep: &Rep) -> String {
    match rep {
        Rep::Found(v) => format!("Found({v:?})"),
        Rep::Missing => "Missing".into(),
        Rep::Stored => "Stored".into(),
        Rep::Unavailable => "Unavailable".into(),
    }
}

fn key_of(req: &Req) -> &str {
    match req {
        Req::Get(k) | Req::Put(k, _) => k,
    }
}

/// Draws case `case` of `level` for the run's `seed`.
pub fn generate(seed: u64, level: Level, case: u32) -> Scenario {
    let mut rng = Rng::new(
        seed ^ (level as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)
            ^ u64::from(case).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let mut value = 0u32;
    let mut next_value = || {
        value += 1;
        format!("v{value}")
    };
    // One case in four at level none is a one-node cluster over more keys than it holds:
    // the LRU check.
    if level == Level::None && case % 4 == 3 {
        let capacity = rng.range(1, 4) as u32;
        let keys = capacity as u64 + rng.range(1, 3);
        let calls = (0..rng.range(6, 24))
            .map(|_| {
                let key = format!("k{}", rng.range(0, keys - 1));
                Call {
                    think: rng.range(0, 5),
                    node: 0,
                    req: if rng.chance(1, 2) {
                        Req::Put(key, next_value())
                    } else {
                        Req::Get(key)
                    },
                }
            })
            .collect();
        return Scenario {
            level,
            seed: rng.next_u64(),
            nodes: 1,
            replicas: 1,
            capacity,
            clients: vec![calls],
            schedule: Schedule::default(),
        };
    }
    let keys = ["a", "b", "c"];
    let key_count = rng.range(1, keys.len() as u64);
    let clients: Vec<Vec<Call>> = (0..rng.range(1, 4))
        .map(|_| {
            (0..rng.range(2, 10))
                .map(|_| {
                    let key = keys[rng.range(0, key_count - 1) as usize].to_owned();
                    Call {
                        think: rng.range(0, 30),
                        node: rng.range(0, u64::from(NODES) - 1) as u16,
                        req: if rng.chance(1, 2) {
                            Req::Put(key, next_value())
                        } else {
                            Req::Get(key)
                        },
                    }
                })
                .collect()
        })
        .collect();
    let longest = clients.iter().map(Vec::len).max().unwrap_or(0) as u64;
    let schedule = if level == Level::Chaos {
        Schedule::draw(&mut rng, usize::from(NODES), longest * 60)
    } else {
        Schedule::default()
    };
    Scenario {
        level,
        seed: rng.next_u64(),
        nodes: NODES,
        replicas: REPLICAS,
        capacity: CAPACITY,
        clients,
        schedule,
    }
}

/// A request as the clients saw it.
#[derive(Clone, Debug)]
struct Record {
    client: usize,
    node: u16,
    req: Req,
    invoked_ms: u64,
    invoke: u64,
    reply: Option<(Rep, u64, u64)>,
    /// The diagram row of the reply.
    arrow: Option<usize>,
}

/// Why a run stopped before its clients were done.
#[derive(Clone, Debug)]
enum Stop {
    /// A node's call failed (panic, trap, time, memory).
    Node { node: u16, failure: CallFailure },
    /// A node did something the API does not allow.
    Broke { node: u16, what: String },
    /// Far more handler calls than requests justify.
    Flood { calls: usize },
}

struct Run {
    records: Vec<Record>,
    arrows: Vec<Arrow>,
    notes: Vec<(u64, String)>,
    sends: u64,
    stop: Option<Stop>,
    /// The key's replicas, by node 0.
    placement: BTreeMap<String, Vec<u32>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Invoke { client: usize },
    Deliver { from: u16, to: u16, msg: usize },
    Timer { node: u16, token: u64 },
    Deadline { record: usize },
}

fn clock_offsets(seed: u64, nodes: u16) -> Vec<u64> {
    let mut rng = Rng::new(seed ^ 0xC10C);
    (0..nodes)
        .map(|_| 1_000_000 + rng.range(0, 5_000))
        .collect()
}

/// Runs `scenario` on fresh nodes of `subject`.
fn simulate(subject: &mut dyn Subject, scenario: &Scenario) -> Run {
    let mut run = Run {
        records: Vec::new(),
        arrows: Vec::new(),
        notes: Vec::new(),
        sends: 0,
        stop: None,
        placement: BTreeMap::new(),
    };
    let clients = scenario.clients.len();
    let lane = |node: u16| clients + usize::from(node);
    if let Err(failure) = subject.open_nodes(scenario.nodes) {
        run.stop = Some(Stop::Node { node: 0, failure });
        return run;
    }
    let mut start: Vec<(u16, Vec<u8>)> = (0..scenario.nodes)
        .map(|n| {
            let event = Event::Start {
                me: u32::from(n),
                nodes: u32::from(scenario.nodes),
                replicas: u32::from(scenario.replicas),
                capacity: scenario.capacity,
            };
            (n, wire::to_bytes(&event))
        })
        .collect();
    let keys = scenario.keys();
    start.push((0, wire::to_bytes(&Event::Placement(keys.clone()))));
    match subject.call_nodes(&start) {
        Ok(outputs) => {
            let placement = outputs
                .last()
                .and_then(|o| wire::from_bytes::<Vec<Effect>>(o))
                .unwrap_or_default();
            for (key, effect) in keys.iter().zip(placement) {
                if let Effect::Placement(nodes) = effect {
                    run.placement.insert(key.clone(), nodes);
                }
            }
        }
        Err((i, failure)) => {
            run.stop = Some(Stop::Node {
                node: start[i.min(start.len() - 1)].0,
                failure,
            });
            return run;
        }
    }

    let offsets = clock_offsets(scenario.seed, scenario.nodes);
    let mut rng = Rng::new(scenario.seed);
    let mut queue: BinaryHeap<Reverse<(u64, u64, Ev)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |queue: &mut BinaryHeap<Reverse<(u64, u64, Ev)>>, t: u64, ev: Ev| {
        seq += 1;
        queue.push(Reverse((t, seq, ev)));
    };
    let mut messages: Vec<Vec<u8>> = Vec::new();
    let mut next_call = vec![0usize; clients];
    let mut pending = 0usize;
    for (c, calls) in scenario.clients.iter().enumerate() {
        if let Some(first) = calls.first() {
            push(&mut queue, first.think, Ev::Invoke { client: c });
            pending += 1;
        }
    }
    let mut stamp = 0u64;
    let mut handler_calls = 0usize;
    let max_calls = scenario.requests() * MAX_HANDLER_CALLS_PER_REQUEST + 200;
    let deadline_passed = |r: &Record, t: u64| t > r.invoked_ms + DEADLINE_MS;

    while pending > 0 {
        let Some(Reverse((t, _, _))) = queue.peek().copied() else {
            break;
        };
        let mut batch: Vec<(u16, Vec<u8>)> = Vec::new();
        while let Some(Reverse((at, _, ev))) = queue.peek().copied() {
            if at != t {
                break;
            }
            queue.pop();
            match ev {
                Ev::Invoke { client } => {
                    let call = &scenario.clients[client][next_call[client]];
                    next_call[client] += 1;
                    let mut node = call.node % scenario.nodes;
                    // A client does not pick a node that is down, if another is up.
                    if let Some(up) = (0..scenario.nodes)
                        .map(|i| (node + i) % scenario.nodes)
                        .find(|&n| scenario.schedule.up(usize::from(n), t))
                    {
                        node = up;
                    }
                    stamp += 1;
                    let id = run.records.len();
                    run.records.push(Record {
                        client,
                        node,
                        req: call.req.clone(),
                        invoked_ms: t,
                        invoke: stamp,
                        reply: None,
                        arrow: None,
                    });
                    run.arrows.push(Arrow {
                        at: t,
                        from: client,
                        to: lane(node),
                        label: format!("#{id} {}", show_req(&call.req)),
                        fate: Fate::Delivered,
                        mark: None,
                    });
                    push(&mut queue, t + DEADLINE_MS + 1, Ev::Deadline { record: id });
                    if scenario.schedule.up(usize::from(node), t) {
                        let event = Event::Request {
                            now: t + offsets[usize::from(node)],
                            id: id as u64,
                            request: call.req.clone(),
                        };
                        batch.push((node, wire::to_bytes(&event)));
                    }
                }
                Ev::Deliver { from, to, msg } => {
                    let bytes = std::mem::take(&mut messages[msg]);
                    if !scenario.schedule.up(usize::from(to), t) {
                        run.arrows.push(Arrow {
                            at: t,
                            from: lane(from),
                            to: lane(to),
                            label: format!("{} B, n{to} is paused", bytes.len()),
                            fate: Fate::Lost,
                            mark: None,
                        });
                        continue;
                    }
                    run.arrows.push(Arrow {
                        at: t,
                        from: lane(from),
                        to: lane(to),
                        label: if from == to {
                            format!("{} B, n{to} to itself", bytes.len())
                        } else {
                            format!("{} B", bytes.len())
                        },
                        fate: Fate::Delivered,
                        mark: None,
                    });
                    let event = Event::Message {
                        now: t + offsets[usize::from(to)],
                        from: u32::from(from),
                        msg: bytes,
                    };
                    batch.push((to, wire::to_bytes(&event)));
                }
                Ev::Timer { node, token } => {
                    if !scenario.schedule.up(usize::from(node), t) {
                        let resume = scenario.schedule.resumes(usize::from(node), t);
                        push(&mut queue, resume, Ev::Timer { node, token });
                        continue;
                    }
                    let event = Event::Timer {
                        now: t + offsets[usize::from(node)],
                        token,
                    };
                    batch.push((node, wire::to_bytes(&event)));
                }
                Ev::Deadline { record } => {
                    let r = &run.records[record];
                    if r.reply.is_none() {
                        run.notes.push((
                            t,
                            format!(
                                "#{record} {} has no answer by its deadline",
                                show_req(&r.req)
                            ),
                        ));
                        let client = r.client;
                        pending -= 1;
                        if let Some(next) = scenario.clients[client].get(next_call[client]) {
                            push(&mut queue, t + next.think, Ev::Invoke { client });
                            pending += 1;
                        }
                    }
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        handler_calls += batch.len();
        if handler_calls > max_calls {
            run.stop = Some(Stop::Flood {
                calls: handler_calls,
            });
            return run;
        }
        let outputs = match subject.call_nodes(&batch) {
            Ok(outputs) => outputs,
            Err((i, failure)) => {
                run.stop = Some(Stop::Node {
                    node: batch[i.min(batch.len() - 1)].0,
                    failure,
                });
                return run;
            }
        };
        for ((node, _), output) in batch.iter().zip(outputs) {
            let node = *node;
            let Some(effects) = wire::from_bytes::<Vec<Effect>>(&output) else {
                run.stop = Some(Stop::Broke {
                    node,
                    what: format!("answered {} bytes that are not effects", output.len()),
                });
                return run;
            };
            for effect in effects {
                match effect {
                    Effect::Send { to, msg } => {
                        let Some(to) = u16::try_from(to).ok().filter(|&to| to < scenario.nodes)
                        else {
                            run.stop = Some(Stop::Broke {
                                node,
                                what: format!(
                                    "sent a message to node {to}; the nodes are 0..{}",
                                    scenario.nodes
                                ),
                            });
                            return run;
                        };
                        run.sends += 1;
                        let partitioned =
                            !scenario
                                .schedule
                                .connected(usize::from(node), usize::from(to), t);
                        let fate = scenario.level.fate(&mut rng);
                        match fate.filter(|_| !partitioned) {
                            None => run.arrows.push(Arrow {
                                at: t,
                                from: lane(node),
                                to: lane(to),
                                label: format!(
                                    "{} B{}",
                                    msg.len(),
                                    if partitioned { ", partitioned" } else { "" }
                                ),
                                fate: Fate::Lost,
                                mark: None,
                            }),
                            Some(delays) => {
                                for delay in delays {
                                    messages.push(msg.clone());
                                    let msg = messages.len() - 1;
                                    push(
                                        &mut queue,
                                        t + delay,
                                        Ev::Deliver {
                                            from: node,
                                            to,
                                            msg,
                                        },
                                    );
                                }
                            }
                        }
                    }
                    Effect::Reply { id, reply } => {
                        let Some(r) = usize::try_from(id)
                            .ok()
                            .and_then(|i| run.records.get_mut(i))
                        else {
                            continue;
                        };
                        // Only the coordinator's first answer in time counts.
                        if r.node != node || r.reply.is_some() || deadline_passed(r, t) {
                            continue;
                        }
                        stamp += 1;
                        r.reply = Some((reply.clone(), t, stamp));
                        r.arrow = Some(run.arrows.len());
                        let client = r.client;
                        run.arrows.push(Arrow {
                            at: t,
                            from: lane(node),
                            to: client,
                            label: format!("#{id} {}", show_rep(&reply)),
                            fate: Fate::Delivered,
                            mark: None,
                        });
                        pending -= 1;
                        if let Some(next) = scenario.clients[client].get(next_call[client]) {
                            push(&mut queue, t + next.think, Ev::Invoke { client });
                            pending += 1;
                        }
                    }
                    Effect::Timer { after, token } => {
                        push(
                            &mut queue,
                            t.saturating_add(after.max(1)),
                            Ev::Timer { node, token },
                        );
                    }
                    Effect::Placement(_) => {}
                }
            }
        }
    }
    for fault in &scenario.schedule.faults {
        match fault {
            Fault::Partition { from, to, .. } | Fault::Pause { from, to, .. } => {
                run.notes
                    .push((*from, format!("{} begins", fault.describe())));
                run.notes.push((*to, "it ends".into()));
            }
        }
    }
    run.notes.sort_by_key(|n| n.0);
    run
}

/// The sequential specification of one key: a register that may always answer a miss.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Register(Option<String>);

#[derive(Clone, Debug)]
enum KeyOp {
    Put(String),
    Get,
}

#[derive(Clone, Debug, PartialEq)]
enum KeyRet {
    Stored,
    Got(Option<String>),
}

impl Model for Register {
    type Op = KeyOp;
    type Ret = KeyRet;
    fn step(&self, op: &KeyOp, ret: &KeyRet) -> Option<Self> {
        match (op, ret) {
            (KeyOp::Put(v), KeyRet::Stored) => Some(Register(Some(v.clone()))),
            (KeyOp::Get, KeyRet::Got(None)) => Some(self.clone()),
            (KeyOp::Get, KeyRet::Got(Some(v))) => {
                (self.0.as_ref() == Some(v)).then(|| self.clone())
            }
            _ => None,
        }
    }
}

/// What kind of failure a run found: shrinking keeps the kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Node(Verdict),
    Broke,
    Flood,
    Lru,
    Deadline,
    Stale,
    Unavailable,
    Missed,
}

struct Violation {
    kind: Kind,
    verdict: Verdict,
    summary: String,
    expected: String,
    /// The history shown with the diagram, and the record to mark.
    detail: String,
    mark: Option<(usize, String)>,
    failure: Option<CallFailure>,
}

fn violation(kind: Kind, summary: String, expected: &str, detail: String) -> Box<Violation> {
    Box::new(Violation {
        kind,
        verdict: Verdict::WrongAnswer,
        summary,
        expected: expected.to_owned(),
        detail,
        mark: None,
        failure: None,
    })
}

fn show_history(run: &Run, key: Option<&str>) -> String {
    let mut out = String::new();
    for (i, r) in run.records.iter().enumerate() {
        if key.is_some_and(|k| key_of(&r.req) != k) {
            continue;
        }
        let reply = match &r.reply {
            Some((rep, at, _)) => format!("{} at {at} ms", show_rep(rep)),
            None => "no answer".into(),
        };
        let _ = writeln!(
            out,
            "  #{i} c{} {} @n{} at {} ms -> {reply}",
            r.client,
            show_req(&r.req),
            r.node,
            r.invoked_ms
        );
    }
    out
}

/// Whether the contract demands an answer for `r`: its coordinator and a majority of its
/// key's replicas up and reachable from it until its deadline.
fn must_succeed(scenario: &Scenario, run: &Run, r: &Record) -> bool {
    let (from, to) = (r.invoked_ms, r.invoked_ms + DEADLINE_MS);
    let coordinator = usize::from(r.node);
    if !scenario
        .schedule
        .reachable_throughout(coordinator, coordinator, from, to)
    {
        return false;
    }
    let Some(replicas) = run.placement.get(key_of(&r.req)) else {
        return scenario.schedule.faults.is_empty();
    };
    let reachable = replicas
        .iter()
        .filter(|&&n| {
            scenario
                .schedule
                .reachable_throughout(coordinator, n as usize, from, to)
        })
        .count();
    reachable > usize::from(scenario.replicas) / 2
}

/// Checks a finished run against the contract.
fn check(scenario: &Scenario, run: &Run) -> Result<(), Box<Violation>> {
    match &run.stop {
        None => {}
        Some(Stop::Node { node, failure }) => {
            let mut v = violation(
                Kind::Node(failure.verdict),
                format!("node n{node} failed: {}", failure.message),
                "every handler returns",
                show_history(run, None),
            );
            v.verdict = failure.verdict;
            v.failure = Some(failure.clone());
            return Err(v);
        }
        Some(Stop::Broke { node, what }) => {
            return Err(violation(
                Kind::Broke,
                format!("node n{node} {what}"),
                "messages only to nodes 0..nodes",
                show_history(run, None),
            ))
        }
        Some(Stop::Flood { calls }) => {
            let mut v = violation(
                Kind::Flood,
                format!(
                    "the nodes' handlers ran {calls} times for {} requests",
                    scenario.requests()
                ),
                "a bounded number of messages and timers per request",
                show_history(run, None),
            );
            v.verdict = Verdict::TooSlow;
            return Err(v);
        }
    }

    // Deadlines (a coordinator that was paused is excused).
    for (i, r) in run.records.iter().enumerate() {
        let node = usize::from(r.node);
        let up = scenario.schedule.reachable_throughout(
            node,
            node,
            r.invoked_ms,
            r.invoked_ms + DEADLINE_MS,
        );
        if r.reply.is_none() && up {
            let mut v = violation(
                Kind::Deadline,
                format!(
                    "request #{i} ({}) had no answer within {DEADLINE_MS} ms",
                    show_req(&r.req)
                ),
                "every request answered within its deadline: a value, Missing, Stored or Unavailable",
                show_history(run, Some(key_of(&r.req))),
            );
            v.mark = Some((i, "no answer by its deadline".into()));
            return Err(v);
        }
    }

    // One node: exact LRU.
    if scenario.nodes == 1 {
        let mut model: Vec<(String, String)> = Vec::new();
        for (i, r) in run.records.iter().enumerate() {
            let expected = match &r.req {
                Req::Get(k) => match model.iter().position(|(key, _)| key == k) {
                    Some(p) => {
                        let entry = model.remove(p);
                        let v = entry.1.clone();
                        model.push(entry);
                        Rep::Found(v)
                    }
                    None => Rep::Missing,
                },
                Req::Put(k, v) => {
                    if let Some(p) = model.iter().position(|(key, _)| key == k) {
                        model.remove(p);
                    } else if model.len() == scenario.capacity as usize {
                        model.remove(0);
                    }
                    model.push((k.clone(), v.clone()));
                    Rep::Stored
                }
            };
            let got = r.reply.as_ref().map(|(rep, ..)| rep);
            if got != Some(&expected) {
                let mut v = violation(
                    Kind::Lru,
                    format!(
                        "request #{i} ({}) on a one-node cluster of capacity {} answered {}, \
                         expected {} (least-recently-used eviction)",
                        show_req(&r.req),
                        scenario.capacity,
                        got.map_or("nothing".into(), show_rep),
                        show_rep(&expected)
                    ),
                    "a node holds its `capacity` most recently used keys",
                    show_history(run, None),
                );
                v.mark = Some((i, format!("expected {}", show_rep(&expected))));
                return Err(v);
            }
        }
        return Ok(());
    }

    // Linearizability of each key: a put with no answer, or Unavailable, may or may not
    // have taken effect (it stays open to the end).
    let mut ops: Vec<Operation<KeyOp, KeyRet>> = Vec::new();
    let mut index: Vec<usize> = Vec::new();
    for (i, r) in run.records.iter().enumerate() {
        let (op, ret, response) = match (&r.req, &r.reply) {
            (Req::Put(_, v), Some((Rep::Stored, _, at))) => {
                (KeyOp::Put(v.clone()), KeyRet::Stored, *at)
            }
            (Req::Put(_, v), _) => (KeyOp::Put(v.clone()), KeyRet::Stored, u64::MAX),
            (Req::Get(_), Some((Rep::Found(v), _, at))) => {
                (KeyOp::Get, KeyRet::Got(Some(v.clone())), *at)
            }
            (Req::Get(_), Some((Rep::Missing, _, at))) => (KeyOp::Get, KeyRet::Got(None), *at),
            (Req::Get(_), _) => continue,
        };
        ops.push(Operation {
            thread: r.client,
            op,
            ret,
            invoke: r.invoke,
            response,
        });
        index.push(i);
    }
    let keys: Vec<String> = index
        .iter()
        .map(|&i| key_of(&run.records[i].req).to_owned())
        .collect();
    for key in scenario.keys() {
        let part: Vec<usize> = (0..ops.len()).filter(|&j| keys[j] == key).collect();
        let history: Vec<_> = part.iter().map(|&j| ops[j].clone()).collect();
        match linearizability::check(&Register(None), &history, CHECK_BUDGET) {
            linearizability::Verdict::Linearizable { .. } => {}
            linearizability::Verdict::Exhausted { steps } => {
                return Err(violation(
                    Kind::Node(Verdict::JudgeError),
                    format!("the linearizability check of key {key:?} gave up after {steps} steps"),
                    "",
                    show_history(run, Some(&key)),
                ));
            }
            linearizability::Verdict::NotLinearizable { prefix, stuck } => {
                let record = |j: usize| index[part[j]];
                let mut detail = show_history(run, Some(&key));
                let _ =
                    write!(
                    detail,
                    "\nthe longest order of these that explains the answers:{}\nand none of these \
                     can come next:{}\n",
                    prefix.iter().map(|&j| format!(" #{}", record(j))).collect::<String>(),
                    stuck.iter().map(|&j| format!(" #{}", record(j))).collect::<String>(),
                );
                let stale = stuck
                    .iter()
                    .map(|&j| record(j))
                    .find(|&i| matches!(run.records[i].req, Req::Get(_)))
                    .or_else(|| stuck.first().map(|&j| record(j)));
                let mut v = violation(
                    Kind::Stale,
                    format!(
                        "a get of key {key:?} returned a value no order of the puts explains \
                         (a stale or lost value)"
                    ),
                    "every value a get returns is the latest put's in some order of the requests \
                     that respects real time (a miss is always allowed)",
                    detail,
                );
                v.mark = stale.map(|i| (i, "no order explains this answer".into()));
                return Err(v);
            }
        }
    }

    // Availability.
    for (i, r) in run.records.iter().enumerate() {
        let Some((rep, ..)) = &r.reply else { continue };
        if !must_succeed(scenario, run, r) {
            continue;
        }
        let key = key_of(&r.req);
        let failed = match (&r.req, rep) {
            (_, Rep::Unavailable) => Some((Kind::Unavailable, "answered Unavailable")),
            (Req::Get(_), Rep::Missing) => run
                .records
                .iter()
                .any(|p| {
                    matches!(&p.req, Req::Put(k, _) if k == key)
                        && matches!(&p.reply, Some((Rep::Stored, _, at)) if *at < r.invoke)
                })
                .then_some((
                    Kind::Missed,
                    "answered Missing after a put of the key was Stored",
                )),
            _ => None,
        };
        if let Some((kind, what)) = failed {
            let mut v = violation(
                kind,
                format!(
                    "request #{i} ({}) {what}, while its coordinator and a majority of the key's \
                     replicas were up and reachable",
                    show_req(&r.req)
                ),
                "no misses and no Unavailable while a majority of the key's replicas are up and \
                 reachable from the coordinator",
                show_history(run, Some(key)),
            );
            v.mark = Some((i, what.into()));
            return Err(v);
        }
    }
    Ok(())
}

/// The placement properties, on `NODES` nodes plus one started as the sixth of six.
fn check_placement(subject: &mut dyn Subject, seed: u64) -> Result<(), Box<Violation>> {
    let mut rng = Rng::new(seed ^ 0x91AC);
    let keys: Vec<String> = (0..PLACEMENT_KEYS)
        .map(|i| {
            if i % 2 == 0 {
                format!("key-{i}")
            } else {
                format!("{:x}", rng.next_u64() >> rng.range(0, 48))
            }
        })
        .collect();
    let broke = |summary: String, detail: String| {
        violation(
            Kind::Broke,
            summary,
            "replicas_for(key): `replicas` distinct nodes of 0..nodes, the same on every node; \
             adding a node moves keys only onto it",
            detail,
        )
    };
    if let Err(failure) = subject.open_nodes(NODES + 1) {
        return Err(node_failure(0, failure));
    }
    let mut calls: Vec<(u16, Vec<u8>)> = (0..=NODES)
        .map(|n| {
            let nodes = if n == NODES { NODES + 1 } else { NODES };
            let event = Event::Start {
                me: u32::from(n),
                nodes: u32::from(nodes),
                replicas: u32::from(REPLICAS),
                capacity: CAPACITY,
            };
            (n, wire::to_bytes(&event))
        })
        .collect();
    for n in 0..=NODES {
        calls.push((n, wire::to_bytes(&Event::Placement(keys.clone()))));
    }
    let outputs = subject
        .call_nodes(&calls)
        .map_err(|(i, failure)| node_failure(calls[i.min(calls.len() - 1)].0, failure))?;
    let mut answers: Vec<Vec<Vec<u32>>> = Vec::new();
    for (n, output) in outputs.iter().skip(usize::from(NODES) + 1).enumerate() {
        let effects = wire::from_bytes::<Vec<Effect>>(output).unwrap_or_default();
        let lists: Vec<Vec<u32>> = effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Placement(p) => Some(p),
                _ => None,
            })
            .collect();
        if lists.len() != keys.len() {
            return Err(broke(
                format!("node n{n}'s replicas_for did not answer every key"),
                String::new(),
            ));
        }
        answers.push(lists);
    }
    for (k, key) in keys.iter().enumerate() {
        let first = &answers[0][k];
        let distinct: BTreeSet<u32> = first.iter().copied().collect();
        if first.len() != usize::from(REPLICAS)
            || distinct.len() != first.len()
            || first.iter().any(|&n| n >= u32::from(NODES))
        {
            return Err(broke(
                format!(
                    "replicas_for({key:?}) on a cluster of {NODES} nodes with {REPLICAS} replicas \
                     returned {first:?}"
                ),
                format!("expected {REPLICAS} distinct nodes of 0..{NODES}\n"),
            ));
        }
        for (n, answer) in answers.iter().enumerate().take(usize::from(NODES)) {
            if &answer[k] != first {
                return Err(broke(
                    format!(
                        "nodes disagree on where key {key:?} lives: n0 says {first:?}, n{n} says \
                         {:?}",
                        answer[k]
                    ),
                    String::new(),
                ));
            }
        }
    }
    let grown = &answers[usize::from(NODES)];
    let mut onto_new = 0usize;
    for (k, key) in keys.iter().enumerate() {
        let old: BTreeSet<u32> = answers[0][k].iter().copied().collect();
        let new: BTreeSet<u32> = grown[k].iter().copied().collect();
        if new.contains(&u32::from(NODES)) {
            onto_new += 1;
        }
        if let Some(moved) = new
            .iter()
            .find(|&&n| n != u32::from(NODES) && !old.contains(&n))
        {
            return Err(broke(
                format!(
                    "adding a node moved key {key:?} onto an old node: n{moved} is a replica \
                     with {} nodes ({:?}) but not with {NODES} ({:?})",
                    NODES + 1,
                    grown[k],
                    answers[0][k]
                ),
                "with consistent hashing, a new node takes keys only for itself (modulo \
                 placement moves most keys)\n"
                    .into(),
            ));
        }
    }
    if (onto_new as f64) < MIN_NEW_NODE_SHARE * keys.len() as f64 {
        return Err(broke(
            format!(
                "a sixth node is a replica of only {onto_new} of {} keys",
                keys.len()
            ),
            "a new node takes its share of the keys\n".into(),
        ));
    }
    Ok(())
}

fn node_failure(node: u16, failure: CallFailure) -> Box<Violation> {
    Box::new(Violation {
        kind: Kind::Node(failure.verdict),
        verdict: failure.verdict,
        summary: format!("node n{node} failed: {}", failure.message),
        expected: "every handler returns".into(),
        detail: String::new(),
        mark: None,
        failure: Some(failure),
    })
}

/// The shrink candidates of a failing scenario, simplest first.
fn simpler(s: &Scenario) -> Vec<Scenario> {
    let mut out = Vec::new();
    for i in 0..s.schedule.faults.len() {
        let mut c = s.clone();
        c.schedule.faults.remove(i);
        out.push(c);
    }
    if s.clients.len() > 1 {
        for i in 0..s.clients.len() {
            let mut c = s.clone();
            c.clients.remove(i);
            out.push(c);
        }
    }
    for i in 0..s.clients.len() {
        for j in (0..s.clients[i].len()).rev() {
            if s.clients[i].len() > 1 {
                let mut c = s.clone();
                c.clients[i].remove(j);
                out.push(c);
            }
        }
    }
    out
}

fn report(
    scenario: &Scenario,
    run: &Run,
    v: Violation,
    passed_level: Option<Level>,
) -> (String, String, Actual) {
    let lanes: Vec<String> = (0..scenario.clients.len())
        .map(|c| format!("c{c}"))
        .chain((0..scenario.nodes).map(|n| format!("n{n}")))
        .collect();
    let mut arrows = run.arrows.clone();
    if let Some((record, why)) = &v.mark {
        if let Some(a) = run.records.get(*record).and_then(|r| r.arrow) {
            arrows[a].mark = Some(why.clone());
        }
    }
    const ROWS: usize = 150;
    let cut = arrows.len().saturating_sub(ROWS);
    let mut call = scenario.describe();
    if !v.detail.is_empty() {
        let _ = write!(
            call,
            "\nthe requests{}:\n{}",
            if v.mark.is_some() { " of the key" } else { "" },
            v.detail
        );
    }
    if !arrows.is_empty() {
        if cut > 0 {
            let _ = writeln!(
                call,
                "\nmessage-sequence diagram (the last {ROWS} of {} rows):",
                arrows.len()
            );
        } else {
            call.push_str("\nmessage-sequence diagram:\n");
        }
        call.push_str(&diagram(&lanes, &arrows[cut..], &run.notes));
    }
    let level = match passed_level {
        _ if scenario.clients.is_empty() => String::new(),
        Some(l) => format!(
            " (passes fault level `{}`, fails `{}`)",
            l.name(),
            scenario.level.name()
        ),
        None => format!(" (fails at fault level `{}`)", scenario.level.name()),
    };
    let summary = format!("{}{level}", v.summary);
    let shown = match &v.mark {
        Some((record, why)) => match run.records.get(*record) {
            Some(r) => format!(
                "#{record} {} -> {}: {why}",
                show_req(&r.req),
                r.reply
                    .as_ref()
                    .map_or("no answer".into(), |(rep, ..)| show_rep(rep))
            ),
            None => v.summary.clone(),
        },
        None => v.summary.clone(),
    };
    let actual = match v.failure {
        Some(mut f) => {
            f.message = format!("{}{level}", f.message);
            Actual::Failed(f)
        }
        None => Actual::Returned {
            verdict: v.verdict,
            summary,
            shown,
        },
    };
    (call, v.expected, actual)
}

impl DistributedCache {
    /// Shrinks the failing run `found` and reports it.
    fn failed(
        &self,
        subject: &mut dyn Subject,
        plan: &Plan<'_>,
        started: Instant,
        found: (Scenario, Run, Box<Violation>),
        passed_before: u32,
        passed_level: Option<Level>,
    ) -> Outcome {
        let (mut scenario, mut run, mut v) = found;
        let found_after_ms = started.elapsed().as_millis() as u64;
        let shrinking = Instant::now();
        let mut steps = 0;
        let shrinkable = v.failure.as_ref().is_none_or(|f| f.shrinkable);
        if shrinkable {
            'pass: loop {
                for candidate in simpler(&scenario) {
                    if shrinking.elapsed() > plan.max_shrink_time || started.elapsed() > plan.budget
                    {
                        break 'pass;
                    }
                    let r = simulate(subject, &candidate);
                    if let Err(w) = check(&candidate, &r) {
                        if w.kind == v.kind {
                            scenario = candidate;
                            run = r;
                            v = w;
                            steps += 1;
                            continue 'pass;
                        }
                    }
                }
                break;
            }
        }
        let (call, expected, actual) = report(&scenario, &run, *v, passed_level);
        Outcome::Failed(Box::new(Counterexample {
            call,
            encoded: Vec::new(),
            expected,
            actual,
            passed_before,
            shrink_steps: steps,
            found_after_ms,
        }))
    }
}

impl Suite for DistributedCache {
    fn run(&self, subject: &mut dyn Subject, plan: &Plan<'_>) -> Outcome {
        let started = Instant::now();
        if let Err(v) = check_placement(subject, plan.seed) {
            let run = Run {
                records: Vec::new(),
                arrows: Vec::new(),
                notes: Vec::new(),
                sends: 0,
                stop: None,
                placement: BTreeMap::new(),
            };
            let scenario = Scenario {
                level: Level::None,
                seed: plan.seed,
                nodes: NODES + 1,
                replicas: REPLICAS,
                capacity: CAPACITY,
                clients: Vec::new(),
                schedule: Schedule::default(),
            };
            let why = v.detail.clone();
            let (_, expected, actual) = report(&scenario, &run, *v, None);
            return Outcome::Failed(Box::new(Counterexample {
                call: format!(
                    "replicas_for(key) for {PLACEMENT_KEYS} keys on each of {NODES} nodes \
                     (CacheNode::new(me, {NODES}, {REPLICAS}, {CAPACITY})) and on a node started \
                     as CacheNode::new({NODES}, {}, {REPLICAS}, {CAPACITY})\n{why}",
                    NODES + 1
                ),
                encoded: Vec::new(),
                expected,
                actual,
                passed_before: 0,
                shrink_steps: 0,
                found_after_ms: started.elapsed().as_millis() as u64,
            }));
        }
        let per_level = (plan.cases / Level::ALL.len() as u32).max(1);
        let mut passed_level = None;
        let mut done = 0u32;
        let (mut sends, mut requests) = (0u64, 0u64);
        for level in Level::ALL {
            for case in 0..per_level {
                let scenario = generate(plan.seed, level, case);
                if started.elapsed() > plan.budget {
                    let (call, expected, _) = report(
                        &scenario,
                        &Run {
                            records: Vec::new(),
                            arrows: Vec::new(),
                            notes: Vec::new(),
                            sends: 0,
                            stop: None,
                            placement: BTreeMap::new(),
                        },
                        *violation(Kind::Flood, String::new(), "", String::new()),
                        passed_level,
                    );
                    return Outcome::Failed(Box::new(Counterexample {
                        call,
                        encoded: Vec::new(),
                        expected,
                        actual: Actual::Failed(plan.over_budget()),
                        passed_before: done,
                        shrink_steps: 0,
                        found_after_ms: started.elapsed().as_millis() as u64,
                    }));
                }
                let run = simulate(subject, &scenario);
                done += 1;
                (plan.progress)(done);
                match check(&scenario, &run) {
                    Ok(()) => {
                        if level == Level::None && scenario.nodes > 1 {
                            sends += run.sends;
                            requests += scenario.requests() as u64;
                        }
                    }
                    Err(v) => {
                        return self.failed(
                            subject,
                            plan,
                            started,
                            (scenario, run, v),
                            done - 1,
                            passed_level,
                        )
                    }
                }
            }
            passed_level = Some(level);
        }
        let per_request = sends as f64 / requests.max(1) as f64;
        if per_request > MAX_MESSAGES_PER_REQUEST {
            return Outcome::Failed(Box::new(Counterexample {
                call: format!(
                    "the {} requests of the runs at fault level `none`",
                    requests
                ),
                encoded: Vec::new(),
                expected: format!("at most {MAX_MESSAGES_PER_REQUEST} messages per request"),
                actual: Actual::Returned {
                    verdict: Verdict::TooSlow,
                    summary: format!(
                        "sent {per_request:.1} messages per request on a network that loses \
                         nothing (at most {MAX_MESSAGES_PER_REQUEST}: the reference sends about 10)"
                    ),
                    shown: format!("{sends} messages for {requests} requests"),
                },
                passed_before: done,
                shrink_steps: 0,
                found_after_ms: started.elapsed().as_millis() as u64,
            }));
        }
        Outcome::Passed { cases: done }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_the_same_for_a_seed_and_differ_between_seeds() {
        assert_eq!(generate(7, Level::Loss, 3), generate(7, Level::Loss, 3));
        assert_ne!(generate(7, Level::Loss, 3), generate(8, Level::Loss, 3));
        let lru = generate(7, Level::None, 3);
        assert_eq!((lru.nodes, lru.replicas), (1, 1));
        assert!(lru.keys().len() > lru.capacity as usize || lru.requests() < 8);
        assert!(!generate(7, Level::Chaos, 0).schedule.faults.is_empty());
    }

    #[test]
    fn a_run_reaches_every_level_with_hundreds_of_requests_and_some_eviction() {
        let per_level = 20;
        let mut requests = 0;
        let mut evicting = 0;
        for level in Level::ALL {
            let mut faults = 0;
            for case in 0..per_level {
                let s = generate(20261202, level, case);
                requests += s.requests();
                faults += s.schedule.faults.len();
                if s.nodes == 1 && s.keys().len() > s.capacity as usize {
                    evicting += 1;
                }
            }
            assert_eq!(faults > 0, level == Level::Chaos, "{level:?}");
        }
        assert!(requests > 300, "{requests}");
        assert!(evicting >= 3, "{evicting}");
    }

    #[test]
    fn the_register_allows_a_miss_and_refuses_a_value_never_put() {
        let r = Register(Some("v1".into()));
        assert!(r.step(&KeyOp::Get, &KeyRet::Got(None)).is_some());
        assert!(r
            .step(&KeyOp::Get, &KeyRet::Got(Some("v1".into())))
            .is_some());
        assert!(r
            .step(&KeyOp::Get, &KeyRet::Got(Some("v0".into())))
            .is_none());
    }
}
