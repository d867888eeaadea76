// distributed-cache: one node of a sharded, replicated key-value cache. `judge show
// distributed-cache` prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run distributed-cache solution.rs
//
// One file, std only. `Net`, `Request` and `Reply` are provided by the judge (in scope
// without an import). Keep the names and signatures exactly as they are.

pub struct CacheNode {
    // Replace with your fields.
}

impl CacheNode {
    // Node `me` of `nodes` (0..nodes); each key lives on `replicas` of them; this node
    // stores at most `capacity` keys.
    pub fn new(me: usize, nodes: usize, replicas: usize, capacity: usize) -> Self {
        todo!("node {me} of {nodes}, {replicas} replicas per key, {capacity} keys")
    }

    // The nodes that hold `key`: `replicas` distinct nodes, the same answer on every node.
    pub fn replicas_for(&self, key: &str) -> Vec<usize> {
        todo!("consistent hashing of {key}")
    }

    // A client's request `id`: answer it with `net.reply(id, ..)` (now or later).
    pub fn on_request(&mut self, net: &mut Net, id: u64, request: Request) {
        todo!("coordinate request {id}: {request:?}")
    }

    // A message another node (or this one) sent with `net.send(to, msg)`.
    pub fn on_message(&mut self, net: &mut Net, from: usize, msg: Vec<u8>) {
        todo!("{} bytes from node {from}", msg.len())
    }

    // A timer this node set with `net.set_timer(after_ms, token)`.
    pub fn on_timer(&mut self, net: &mut Net, token: u64) {
        todo!("timer {token}")
    }
}
