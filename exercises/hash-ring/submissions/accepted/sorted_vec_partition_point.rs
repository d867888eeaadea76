// Accepted: the ring as a sorted Vec of (hash, node) points instead of a tree. node_for is a
// binary search (partition_point) for the first point at or after the key's hash, wrapping to
// the first point: O(log(nodes * vnodes)). add_node appends the new points and sorts again (a
// stable sort, which finds the sorted run already there and merges the new points into it in
// one pass), and remove_node filters the Vec: linear, which the contract allows, since only
// node_for has to avoid a scan. Sorting by (hash, name) breaks a tie between two nodes' points
// by name, so equal rings are equal whatever the order of the calls that built them. The hash
// is FxHash's rotate-xor-multiply step over the bytes, finished with murmur3's fmix64 so that
// the last bytes reach every bit.

pub struct HashRing {
    vnodes_per_node: usize,
    points: Vec<(u64, String)>,
    nodes: usize,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0;
    for &b in bytes {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h ^= bytes.len() as u64;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn point_hash(node: &str, i: usize) -> u64 {
    hash(format!("{node}@{i}").as_bytes())
}

impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            vnodes_per_node,
            points: Vec::new(),
            nodes: 0,
        }
    }

    fn contains(&self, node: &str) -> bool {
        // Every node has point 0, so look for it.
        let p = (point_hash(node, 0), node.to_string());
        self.points.binary_search(&p).is_ok()
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        if self.contains(node) {
            return false;
        }
        for i in 0..self.vnodes_per_node {
            self.points.push((point_hash(node, i), node.to_string()));
        }
        self.points.sort();
        self.nodes += 1;
        true
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        if !self.contains(node) {
            return false;
        }
        self.points.retain(|(_, owner)| owner != node);
        self.nodes -= 1;
        true
    }

    // Index of the first point at or after the key's hash, wrapping around; None if empty.
    fn first_point(&self, key: &str) -> Option<usize> {
        if self.points.is_empty() {
            return None;
        }
        let h = hash(key.as_bytes());
        let i = self.points.partition_point(|(p, _)| *p < h);
        Some(if i == self.points.len() { 0 } else { i })
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        let i = self.first_point(key)?;
        Some(&self.points[i].1)
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let want = n.min(self.nodes);
        let mut replicas: Vec<&str> = Vec::new();
        let Some(start) = self.first_point(key) else {
            return replicas;
        };
        let total = self.points.len();
        let mut step = 0;
        while replicas.len() < want && step < total {
            let node = self.points[(start + step) % total].1.as_str();
            if !replicas.contains(&node) {
                replicas.push(node);
            }
            step += 1;
        }
        replicas
    }

    pub fn len(&self) -> usize {
        self.nodes
    }
}
