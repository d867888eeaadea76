// hash-ring: consistent hashing with virtual nodes. `judge show hash-ring` prints the full
// statement.
//
// Run the hidden tests on this file with:
//
//     judge run hash-ring solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the names and signatures exactly as they are.

pub struct HashRing {
    // Replace with your fields.
    _todo: (),
}

impl HashRing {
    // Every node gets `vnodes_per_node` points on the ring; it is at least 1.
    pub fn new(vnodes_per_node: usize) -> Self {
        todo!("an empty ring")
    }

    // False, changing nothing, if `node` is already on the ring.
    pub fn add_node(&mut self, node: &str) -> bool {
        todo!("place the node's virtual nodes on the ring")
    }

    // False, changing nothing, if `node` is not on the ring.
    pub fn remove_node(&mut self, node: &str) -> bool {
        todo!("take the node's virtual nodes off the ring")
    }

    // The node owning the first point at or after the key's hash, clockwise; None if empty.
    pub fn node_for(&self, key: &str) -> Option<&str> {
        todo!("the key's owner")
    }

    // min(n, len()) distinct nodes, in the order met walking clockwise from the key's hash;
    // the first one is node_for(key).
    pub fn replicas_for(&self, key: &str, n: usize) -> Vec<&str> {
        todo!("the key's owner and the next distinct nodes clockwise")
    }

    // The number of physical nodes.
    pub fn len(&self) -> usize {
        todo!("the number of nodes")
    }
}
