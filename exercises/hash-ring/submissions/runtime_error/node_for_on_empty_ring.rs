// Runtime error: the ring is a sorted Vec of points, and node_for finds the first point at or
// after the key's hash with partition_point, wrapping to index 0 when it runs off the end,
// then indexes the Vec, without asking whether there are any points at all. On an empty ring
// index 0 is out of bounds and it panics instead of returning None. (replicas_for stops at
// len() names, so on an empty ring it returns [] before indexing anything.) Smallest case:
// new(1), node_for("a"). Every non-empty ring is handled right, so no wrong answer comes first.

pub struct HashRing {
    vnodes_per_node: usize,
    nodes: Vec<String>,
    // (hash, node), sorted; ties between nodes' points are broken by name.
    points: Vec<(u64, String)>,
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64's finalizer.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            vnodes_per_node,
            nodes: Vec::new(),
            points: Vec::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if self.nodes.iter().any(|n| n == node) {
            return false;
        }
        self.nodes.push(node.to_string());
        for i in 0..self.vnodes_per_node {
            self.points
                .push((hash(&format!("{node}#{i}")), node.to_string()));
        }
        self.points.sort();
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        let Some(at) = self.nodes.iter().position(|n| n == node) else {
            return false;
        };
        self.nodes.swap_remove(at);
        self.points.retain(|(_, owner)| owner != node);
        true
    }

    // Index of the point that owns `key`.
    fn start(&self, key: &str) -> usize {
        let h = hash(key);
        let i = self.points.partition_point(|(p, _)| *p < h);
        if i == self.points.len() {
            0
        } else {
            i
        }
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        Some(&self.points[self.start(key)].1)
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let want = n.min(self.nodes.len());
        let mut replicas: Vec<&str> = Vec::with_capacity(want);
        if want == 0 {
            return replicas;
        }
        let start = self.start(key);
        let total = self.points.len();
        for step in 0..total {
            let node = self.points[(start + step) % total].1.as_str();
            if !replicas.contains(&node) {
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
}
