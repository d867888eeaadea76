// Compile error: node_for returns Option<String> (an owned copy of the name) instead of the
// contract's Option<&str>, and replicas_for, still declared as returning Vec<&str>, pushes that
// String as its first replica. rustc rejects the file on its own ("mismatched types: expected
// `&str`, found `String`"), and a harness expecting Option<&str> from node_for would too.

use std::collections::{BTreeMap, BTreeSet};

pub struct HashRing {
    vnodes_per_node: usize,
    nodes: BTreeSet<String>,
    ring: BTreeMap<u64, String>,
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            vnodes_per_node,
            nodes: BTreeSet::new(),
            ring: BTreeMap::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if !self.nodes.insert(node.to_string()) {
            return false;
        }
        for i in 0..self.vnodes_per_node {
            self.ring
                .insert(hash(&format!("{node}#{i}")), node.to_string());
        }
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        if !self.nodes.remove(node) {
            return false;
        }
        self.ring.retain(|_, owner| owner != node);
        true
    }

    pub fn node_for(&self, key: &str) -> Option<String> {
        let h = hash(key);
        let (_, node) = self
            .ring
            .range(h..)
            .next()
            .or_else(|| self.ring.iter().next())?;
        Some(node.clone())
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let mut replicas = Vec::new();
        if n == 0 {
            return replicas;
        }
        let Some(owner) = self.node_for(key) else {
            return replicas;
        };
        replicas.push(owner);
        let h = hash(key);
        for (_, node) in self.ring.range(h..).chain(self.ring.range(..h)) {
            if replicas.len() >= n.min(self.nodes.len()) {
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
