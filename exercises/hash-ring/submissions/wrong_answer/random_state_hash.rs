// Wrong answer: hashes with std's RandomState instead of a hash function of its own. Each
// RandomState is seeded with fresh random keys, so each ring places its points and its keys
// differently: within one ring everything is consistent (owners are members, moves are
// minimal, replicas are right, and the spread is good), but two rings built with exactly the
// same calls disagree about where keys go: a key's owner depends on which ring you ask.
// Smallest failing case: two rings, each new(1) with add_node("a") and add_node("b"); some
// key gets "a" from one and "b" from the other.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;

pub struct HashRing {
    vnodes_per_node: usize,
    nodes: BTreeSet<String>,
    // Point on the ring -> the node it belongs to.
    ring: BTreeMap<u64, String>,
    hasher: RandomState,
}

impl HashRing {
    // SipHash, std's own well-mixing hash.
    fn hash(&self, s: &str) -> u64 {
        self.hasher.hash_one(s)
    }

    // The i-th point of a node.
    fn point(&self, node: &str, i: usize) -> u64 {
        self.hash(&format!("{node}#{i}"))
    }

    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            vnodes_per_node,
            nodes: BTreeSet::new(),
            ring: BTreeMap::new(),
            hasher: RandomState::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if !self.nodes.insert(node.to_string()) {
            return false;
        }
        for i in 0..self.vnodes_per_node {
            let p = self.point(node, i);
            // Should two nodes' points ever collide, the smaller name keeps the point.
            match self.ring.get(&p) {
                Some(owner) if owner.as_str() <= node => {}
                _ => {
                    self.ring.insert(p, node.to_string());
                }
            }
        }
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        if !self.nodes.remove(node) {
            return false;
        }
        for i in 0..self.vnodes_per_node {
            let p = self.point(node, i);
            if self.ring.get(&p).map(String::as_str) == Some(node) {
                self.ring.remove(&p);
            }
        }
        true
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        let h = self.hash(key);
        let mut clockwise = self.ring.range(h..).chain(self.ring.range(..h));
        clockwise.next().map(|(_, node)| node.as_str())
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let want = n.min(self.nodes.len());
        let h = self.hash(key);
        let mut replicas: Vec<&str> = Vec::with_capacity(want);
        for (_, node) in self.ring.range(h..).chain(self.ring.range(..h)) {
            if replicas.len() == want {
                break;
            }
            if !replicas.contains(&node.as_str()) {
                replicas.push(node);
            }
        }
        replicas
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}
