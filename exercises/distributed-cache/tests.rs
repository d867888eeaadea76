//! Native tests of the distributed-cache reference: a small in-process network (FIFO, no
//! faults unless a test drops messages) drives five reference nodes; placement, quorum
//! reads and writes, retries after loss, giving up, and LRU eviction.

use super::{CacheNode, Net, NetEffect, Reply, Request};
use std::collections::{BTreeSet, VecDeque};

struct Cluster {
    nodes: Vec<CacheNode>,
    /// (deliver at, from, to, message)
    wire: VecDeque<(u64, usize, usize, Vec<u8>)>,
    timers: Vec<(u64, usize, u64)>,
    replies: Vec<(u64, Reply)>,
    now: u64,
    down: BTreeSet<usize>,
}

impl Cluster {
    fn new(nodes: usize, replicas: usize, capacity: usize) -> Self {
        Cluster {
            nodes: (0..nodes)
                .map(|me| CacheNode::new(me, nodes, replicas, capacity))
                .collect(),
            wire: VecDeque::new(),
            timers: Vec::new(),
            replies: Vec::new(),
            now: 0,
            down: BTreeSet::new(),
        }
    }

    fn effects(&mut self, node: usize, net: Net) {
        for effect in net.__judge_effects() {
            match effect {
                NetEffect::Send(to, msg) => {
                    if !self.down.contains(&to) && !self.down.contains(&node) {
                        self.wire.push_back((self.now + 1, node, to, msg));
                    }
                }
                NetEffect::Reply(id, reply) => self.replies.push((id, reply)),
                NetEffect::Timer(after, token) => self.timers.push((self.now + after, node, token)),
            }
        }
    }

    /// Runs request `id` on `node` until it is answered; the answer.
    fn request(&mut self, node: usize, id: u64, request: Request) -> Reply {
        let mut net = Net::__judge_new(self.now);
        self.nodes[node].on_request(&mut net, id, request);
        self.effects(node, net);
        for _ in 0..100_000 {
            if let Some(p) = self.replies.iter().position(|(i, _)| *i == id) {
                return self.replies.remove(p).1;
            }
            if let Some((at, from, to, msg)) = self.wire.pop_front() {
                self.now = self.now.max(at);
                let mut net = Net::__judge_new(self.now);
                self.nodes[to].on_message(&mut net, from, msg);
                self.effects(to, net);
                continue;
            }
            self.timers.sort();
            let Some((at, node, token)) = (!self.timers.is_empty()).then(|| self.timers.remove(0))
            else {
                break;
            };
            self.now = self.now.max(at);
            let mut net = Net::__judge_new(self.now);
            self.nodes[node].on_timer(&mut net, token);
            self.effects(node, net);
        }
        panic!("request {id} was never answered");
    }

    fn put(&mut self, node: usize, id: u64, key: &str, value: &str) -> Reply {
        self.request(
            node,
            id,
            Request::Put {
                key: key.into(),
                value: value.into(),
            },
        )
    }

    fn get(&mut self, node: usize, id: u64, key: &str) -> Reply {
        self.request(node, id, Request::Get { key: key.into() })
    }
}

#[test]
fn placement_is_replicas_distinct_nodes_and_the_same_on_every_node() {
    let nodes: Vec<CacheNode> = (0..5).map(|me| CacheNode::new(me, 5, 3, 8)).collect();
    for i in 0..500 {
        let key = format!("key-{i}");
        let first = nodes[0].replicas_for(&key);
        assert_eq!(first.len(), 3);
        assert_eq!(first.iter().collect::<BTreeSet<_>>().len(), 3);
        assert!(first.iter().all(|&n| n < 5));
        for node in &nodes[1..] {
            assert_eq!(node.replicas_for(&key), first);
        }
    }
}

#[test]
fn adding_a_node_moves_keys_only_onto_it() {
    let five = CacheNode::new(0, 5, 3, 8);
    let six = CacheNode::new(5, 6, 3, 8);
    let mut onto_new = 0;
    for i in 0..2_000 {
        let key = format!("k{i}");
        let old: BTreeSet<usize> = five.replicas_for(&key).into_iter().collect();
        let new: BTreeSet<usize> = six.replicas_for(&key).into_iter().collect();
        assert!(
            new.iter().all(|n| *n == 5 || old.contains(n)),
            "{key}: {old:?} -> {new:?}"
        );
        onto_new += usize::from(new.contains(&5));
    }
    // Three replicas of six nodes: about half of the keys.
    assert!((700..1_300).contains(&onto_new), "{onto_new}");
}

#[test]
fn a_get_sees_the_latest_put_from_any_node() {
    let mut c = Cluster::new(5, 3, 8);
    assert_eq!(c.get(0, 1, "a"), Reply::Missing);
    assert_eq!(c.put(1, 2, "a", "v1"), Reply::Stored);
    assert_eq!(c.put(2, 3, "a", "v2"), Reply::Stored);
    for node in 0..5 {
        assert_eq!(
            c.get(node, 10 + node as u64, "a"),
            Reply::Found("v2".into())
        );
    }
}

#[test]
fn one_replica_down_is_still_a_quorum_and_two_are_not() {
    let mut c = Cluster::new(5, 3, 8);
    let replicas = c.nodes[0].replicas_for("a");
    let coordinator = (0..5).find(|n| !replicas.contains(n)).unwrap();
    c.down.insert(replicas[0]);
    assert_eq!(c.put(coordinator, 1, "a", "v1"), Reply::Stored);
    assert_eq!(c.get(coordinator, 2, "a"), Reply::Found("v1".into()));
    c.down.insert(replicas[1]);
    assert_eq!(c.put(coordinator, 3, "a", "v2"), Reply::Unavailable);
    assert!(c.now < 1_000, "gave up at {} ms", c.now);
}

#[test]
fn a_lost_message_is_sent_again() {
    let mut c = Cluster::new(5, 3, 8);
    let mut net = Net::__judge_new(0);
    c.nodes[0].on_request(
        &mut net,
        1,
        Request::Put {
            key: "a".into(),
            value: "v1".into(),
        },
    );
    // Every first message is lost.
    let sent = net.__judge_effects();
    assert!(sent.iter().any(|e| matches!(e, NetEffect::Send(..))));
    let timers: Vec<_> = sent
        .into_iter()
        .filter_map(|e| match e {
            NetEffect::Timer(after, token) => Some((after, 0, token)),
            _ => None,
        })
        .collect();
    c.timers.extend(timers);
    let mut answered = None;
    for _ in 0..1_000 {
        if let Some((_, r)) = c.replies.pop() {
            answered = Some(r);
            break;
        }
        if let Some((at, from, to, msg)) = c.wire.pop_front() {
            c.now = c.now.max(at);
            let mut net = Net::__judge_new(c.now);
            c.nodes[to].on_message(&mut net, from, msg);
            c.effects(to, net);
        } else {
            c.timers.sort();
            let (at, node, token) = c.timers.remove(0);
            c.now = c.now.max(at);
            let mut net = Net::__judge_new(c.now);
            c.nodes[node].on_timer(&mut net, token);
            c.effects(node, net);
        }
    }
    assert_eq!(answered, Some(Reply::Stored));
}

#[test]
fn a_one_node_cluster_evicts_the_least_recently_used_key() {
    let mut c = Cluster::new(1, 1, 2);
    assert_eq!(c.put(0, 1, "a", "1"), Reply::Stored);
    assert_eq!(c.put(0, 2, "b", "2"), Reply::Stored);
    assert_eq!(c.get(0, 3, "a"), Reply::Found("1".into()));
    assert_eq!(c.put(0, 4, "c", "3"), Reply::Stored);
    assert_eq!(c.get(0, 5, "b"), Reply::Missing);
    assert_eq!(c.get(0, 6, "a"), Reply::Found("1".into()));
    assert_eq!(c.put(0, 7, "a", "4"), Reply::Stored);
    assert_eq!(c.put(0, 8, "d", "5"), Reply::Stored);
    assert_eq!(c.get(0, 9, "c"), Reply::Missing);
    assert_eq!(c.get(0, 10, "a"), Reply::Found("4".into()));
}
