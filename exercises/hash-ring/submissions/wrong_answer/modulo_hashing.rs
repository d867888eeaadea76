// Wrong answer: plain modulo sharding instead of a ring. The members are kept sorted and a key
// goes to members[hash(key) % len()], its replicas to the members that follow, wrapping
// around. That is deterministic, always names members, gives distinct replicas starting at the
// owner, and balances very well; but when len() changes, almost every key changes owner, most
// of them between nodes that were there all along. Smallest failing case: nodes "a" and "b",
// add_node("c"), and a key that moves from "a" to "b" (or from "b" to "a"); likewise removing
// one of three nodes moves keys of the other two. Adding a second node to one, or removing one
// of two, cannot show it: all keys are then the lone node's.

pub struct HashRing {
    // Not needed: there are no points.
    _vnodes_per_node: usize,
    // Sorted, so the same members give the same order whatever the history.
    members: Vec<String>,
}

fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

impl HashRing {
    pub fn new(vnodes_per_node: usize) -> Self {
        HashRing {
            _vnodes_per_node: vnodes_per_node,
            members: Vec::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> bool {
        match self.members.binary_search_by(|m| m.as_str().cmp(node)) {
            Ok(_) => false,
            Err(at) => {
                self.members.insert(at, node.to_string());
                true
            }
        }
    }

    pub fn remove_node(&mut self, node: &str) -> bool {
        match self.members.binary_search_by(|m| m.as_str().cmp(node)) {
            Ok(at) => {
                self.members.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn node_for(&self, key: &str) -> Option<&str> {
        if self.members.is_empty() {
            return None;
        }
        let i = (hash(key) % self.members.len() as u64) as usize;
        Some(&self.members[i])
    }

    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        let len = self.members.len();
        if len == 0 {
            return Vec::new();
        }
        let first = (hash(key) % len as u64) as usize;
        (0..n.min(len))
            .map(|j| self.members[(first + j) % len].as_str())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }
}
