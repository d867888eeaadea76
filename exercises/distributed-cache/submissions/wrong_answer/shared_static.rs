// Keeps the whole cache in a `static` and sends no messages: every node reads and writes the
// same map, which works when all nodes share one memory. Each node is its own instance, so
// a value put through one node is not seen by another: a get through another node misses a
// Stored value while every node is up, wrong_answer (availability).

use std::collections::HashMap;
use std::sync::Mutex;

static CACHE: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

pub struct CacheNode {
    nodes: usize,
    replicas: usize,
    ring: Vec<(u64, usize)>,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

impl CacheNode {
    pub fn new(_me: usize, nodes: usize, replicas: usize, _capacity: usize) -> Self {
        let mut ring: Vec<(u64, usize)> = (0..nodes)
            .flat_map(|n| (0..64).map(move |v| (hash(format!("node-{n}#{v}").as_bytes()), n)))
            .collect();
        ring.sort_unstable();
        CacheNode {
            nodes,
            replicas: replicas.min(nodes),
            ring,
        }
    }

    pub fn replicas_for(&self, key: &str) -> Vec<usize> {
        let h = hash(key.as_bytes());
        let start = self.ring.partition_point(|&(p, _)| p < h);
        let mut out = Vec::new();
        for i in 0..self.ring.len() {
            let node = self.ring[(start + i) % self.ring.len()].1;
            if !out.contains(&node) {
                out.push(node);
                if out.len() == self.replicas.min(self.nodes) {
                    break;
                }
            }
        }
        out
    }

    pub fn on_request(&mut self, net: &mut Net, id: u64, request: Request) {
        let mut cache = CACHE.lock().unwrap();
        let cache = cache.get_or_insert_with(HashMap::new);
        let reply = match request {
            Request::Get { key } => match cache.get(&key) {
                Some(v) => Reply::Found(v.clone()),
                None => Reply::Missing,
            },
            Request::Put { key, value } => {
                cache.insert(key, value);
                Reply::Stored
            }
        };
        net.reply(id, reply);
    }

    pub fn on_message(&mut self, _net: &mut Net, _from: usize, _msg: Vec<u8>) {}

    pub fn on_timer(&mut self, _net: &mut Net, _token: u64) {}
}
