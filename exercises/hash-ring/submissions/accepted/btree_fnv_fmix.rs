// Accepted: the textbook ring. A BTreeMap from point to node holds `vnodes_per_node` points per
// node, the hashes of "<node>#0", "<node>#1", ...; a key goes to the first point at or after
// its hash, wrapping around to the first point. The hash is written by hand (FNV-1a and a
// murmur3 finalizer), so it is the same in every run and on every machine. node_for is one
// O(log(nodes * vnodes)) range query; replicas_for walks on from there, skipping nodes
// already listed. With 10 nodes x 100 points the busiest node gets about 1.2x its share.
//
// A BTreeMap holds one node per point, so two nodes' points on the same hash would make the
// larger name lose its point for good (and its place in some replica lists with it). With
// 64-bit hashes and a thousand points that has a chance below 10^-13; a ring that must
// not rely on luck keeps (hash, node) pairs instead, as sorted_vec_partition_point.rs does.

use std::collections::{BTreeMap, BTreeSet};

pub struct HashRing {
    vnodes_per_node: usize,
    nodes: BTreeSet<String>,
    // Point on the ring -> the node it belongs to.
    ring: BTreeMap<u64, String>,
}

// 64-bit FNV-1a, then the murmur3 fmix64 finalizer (xor-shifts and multiplies) so that every
// input bit affects every output bit: FNV-1a alone leaves "n#98" and "n#99" close together.
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

// The i-th point of a node. Digits never contain '#', so different (node, i) pairs give
// different strings.
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
        let want = n.min(self.nodes.len());
        let h = hash(key);
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
