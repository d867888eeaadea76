// Runtime error: `replicas_for` reserves room for `n` names up front. The statement allows
// any n up to usize::MAX (an n larger than the number of nodes gives every node once), and
// `Vec::with_capacity(usize::MAX)` panics ("capacity overflow"). Reserving
// `n.min(self.nodes.len())` is right. Otherwise the ring is the accepted btree_fnv_fmix.rs.

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
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn point(node: &str, i: usize) -> u64 {
    hash(&format!("{node}#{i}"))
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
            let p = point(node, i);
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
            let p = point(node, i);
            if self.ring.get(&p).map(String::as_str) == Some(node) {
                self.ring.remove(&p);
            }
        }
        true
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        let h = hash(key);
        let mut clockwise = self.ring.range(h..).chain(self.ring.range(..h));
        clockwise.next().map(|(_, node)| node.as_str())
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let h = hash(key);
        let mut replicas: Vec<&str> = Vec::with_capacity(n);
        for (_, node) in self.ring.range(h..).chain(self.ring.range(..h)) {
            if replicas.len() == n.min(self.nodes.len()) {
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
