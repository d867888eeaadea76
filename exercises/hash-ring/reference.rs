// Reference for hash-ring: consistent hashing with virtual nodes.
//
// Every physical node is placed on a ring of 64-bit hashes at `vnodes_per_node` points, the
// hashes of "<node>#0", "<node>#1", ...; a key belongs to the first point at or after its own
// hash, going clockwise and wrapping around past u64::MAX. The points live in an ordered set,
// so a lookup is one O(log(nodes * vnodes)) range query.
//
// Adding a node only inserts its points, so the only keys that change owner are those that now
// reach one of its points first; removing a node only deletes its points, so only its own keys
// move, each to the next point clockwise. Many points per node average out the arc lengths:
// 100 per node keep the busiest of 10 nodes near 1.2x the mean load, where one point per node
// gives about 2.5x.
//
// This file is also judged as a submission, so it follows the submission rules: std only,
// `//` comments only, no crate-level attributes.

use std::collections::{BTreeSet, HashSet};

pub struct HashRing {
    vnodes_per_node: usize,
    nodes: BTreeSet<String>,
    // The points, as (hash, node) pairs. Ordering by the name after the hash settles the
    // (unlikely) case of two nodes' points landing on the same hash, deterministically: the
    // smaller name owns the point, and the other point is still there should that node leave.
    ring: BTreeSet<(u64, String)>,
}

#[allow(clippy::len_without_is_empty)] // the contract is exactly these six methods
impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        assert!(
            vnodes_per_node >= 1,
            "HashRing::new: vnodes_per_node must be at least 1"
        );
        HashRing {
            vnodes_per_node,
            nodes: BTreeSet::new(),
            ring: BTreeSet::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if !self.nodes.insert(node.to_owned()) {
            return false;
        }
        for i in 0..self.vnodes_per_node {
            self.ring.insert((vnode_hash(node, i), node.to_owned()));
        }
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        if !self.nodes.remove(node) {
            return false;
        }
        // One owned probe, re-aimed at each point, instead of a String per point.
        let mut point = (0, node.to_owned());
        for i in 0..self.vnodes_per_node {
            point.0 = vnode_hash(node, i);
            self.ring.remove(&point);
        }
        true
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        self.clockwise_from(key).next()
    }

    // The first `n` distinct nodes met walking clockwise from the key, each point visited at
    // most once, so asking for more nodes than there are gives every node once.
    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let want = n.min(self.nodes.len());
        let mut replicas = Vec::with_capacity(want);
        let mut seen = HashSet::with_capacity(want);
        if want == 0 {
            return replicas;
        }
        for node in self.clockwise_from(key) {
            if seen.insert(node) {
                replicas.push(node);
                if replicas.len() == want {
                    break;
                }
            }
        }
        replicas
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    // The owners of every point, starting from the first at or after the key's hash and
    // wrapping around once. `String::new()` is the smallest name and does not allocate.
    fn clockwise_from(&self, key: &str) -> impl Iterator<Item = &str> {
        let start = (key_hash(key), String::new());
        let after = self.ring.range(start.clone()..);
        let before = self.ring.range(..start);
        after.chain(before).map(|(_, node)| node.as_str())
    }
}

// The hash: 64-bit FNV-1a over the bytes, then the splitmix64 finalizer. FNV-1a alone is
// deterministic but mixes its last bytes poorly ("node-1#98" and "node-1#99" would land close
// together); the finalizer spreads every input bit over the whole word.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(mut state: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        state ^= u64::from(b);
        state = state.wrapping_mul(FNV_PRIME);
    }
    state
}

fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn key_hash(key: &str) -> u64 {
    finalize(fnv1a(FNV_OFFSET, key.as_bytes()))
}

// The hash of the string "<node>#<i>", without building it. Decimal digits never contain '#',
// so the text after the last '#' is always `i`: different (node, i) pairs hash different
// strings.
fn vnode_hash(node: &str, i: usize) -> u64 {
    let state = fnv1a(FNV_OFFSET, node.as_bytes());
    let state = fnv1a(state, b"#");
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = i as u64;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    finalize(fnv1a(state, &digits[start..]))
}
