// Accepted: node names are stored once, in a Vec, and the ring maps each point to an index
// into it, so a point costs a u64 and a usize instead of a String. Removed nodes leave a free
// slot that the next added node reuses. A node's points are not hashes of strings but a
// splitmix64 sequence seeded with the hash of its name, which spreads just as well and needs
// no formatting. If two nodes' points ever collide, the node that was there first keeps the
// point, and the other node's removal leaves it alone.

use std::collections::{BTreeMap, HashMap};

pub struct HashRing {
    vnodes_per_node: usize,
    names: Vec<Option<String>>,
    free: Vec<usize>,
    index: HashMap<String, usize>,
    ring: BTreeMap<u64, usize>,
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

// The node's i-th point: the (i+1)-th output of splitmix64 seeded with the name's hash.
fn point(seed: u64, i: usize) -> u64 {
    mix(seed.wrapping_add(GOLDEN.wrapping_mul(i as u64 + 1)))
}

impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            vnodes_per_node,
            names: Vec::new(),
            free: Vec::new(),
            index: HashMap::new(),
            ring: BTreeMap::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if self.index.contains_key(node) {
            return false;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.names[id] = Some(node.to_string());
                id
            }
            None => {
                self.names.push(Some(node.to_string()));
                self.names.len() - 1
            }
        };
        self.index.insert(node.to_string(), id);
        let seed = hash(node);
        for i in 0..self.vnodes_per_node {
            self.ring.entry(point(seed, i)).or_insert(id);
        }
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        let Some(id) = self.index.remove(node) else {
            return false;
        };
        let seed = hash(node);
        for i in 0..self.vnodes_per_node {
            let p = point(seed, i);
            if self.ring.get(&p) == Some(&id) {
                self.ring.remove(&p);
            }
        }
        self.names[id] = None;
        self.free.push(id);
        true
    }

    fn name(&self, id: usize) -> &str {
        self.names[id].as_deref().unwrap_or_default()
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        let h = hash(key);
        let (_, &id) = self
            .ring
            .range(h..)
            .next()
            .or_else(|| self.ring.iter().next())?;
        Some(self.name(id))
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let want = n.min(self.index.len());
        let h = hash(key);
        let mut seen = vec![false; self.names.len()];
        let mut replicas = Vec::with_capacity(want);
        for (_, &id) in self.ring.range(h..).chain(self.ring.range(..h)) {
            if replicas.len() == want {
                break;
            }
            if !seen[id] {
                seen[id] = true;
                replicas.push(self.name(id));
            }
        }
        replicas
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }
}
