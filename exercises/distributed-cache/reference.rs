// Reference node for distributed-cache: consistent hashing (64 virtual nodes per node) places
// each key on `replicas` nodes; every request is a quorum operation in the style of ABD
// (Attiya, Bar-Noy, Dolev). A put reads the highest version from a majority of the key's
// replicas, then writes a higher one to a majority; a get reads a majority and, unless they
// all agree, writes the newest value back to a majority before answering, so no later get
// can see an older one. Versions are (counter, node, sequence), never the clock. Every
// phase resends to the replicas that have not answered, every RETRY_MS, and the request is
// answered `Unavailable` once GIVE_UP_MS has passed without a quorum.

use std::collections::{BTreeMap, HashMap, HashSet};

const VNODES: u32 = 64;
const RETRY_MS: u64 = 30;
const GIVE_UP_MS: u64 = 700;

/// (counter, node, the node's sequence number): totally ordered, unique per put.
type Version = (u64, u32, u64);

pub struct CacheNode {
    me: usize,
    replicas: usize,
    capacity: usize,
    ring: Vec<(u64, usize)>,
    nodes: usize,
    store: HashMap<String, (Version, String, u64)>,
    recency: BTreeMap<u64, String>,
    tick: u64,
    ops: HashMap<u64, Op>,
    next_op: u64,
    seq: u64,
}

struct Op {
    client: u64,
    key: String,
    put: Option<String>,
    replicas: Vec<usize>,
    /// Which phase the acks are for: 0 read, 1 write.
    phase: u8,
    acked: HashSet<usize>,
    best: Option<(Version, String)>,
    agree: bool,
    writing: Option<(Version, String)>,
    give_up: u64,
    /// When the current phase was last sent.
    sent_at: u64,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

// Message layout: tag, op id, then per tag: 0 read(key), 1 read-ack(phase 0: version?,
// value), 2 write(key, version, value), 3 write-ack.
fn put_u64(out: &mut Vec<u8>, x: u64) {
    out.extend_from_slice(&x.to_le_bytes());
}
fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}
fn get_u64(b: &mut &[u8]) -> Option<u64> {
    let (head, tail) = b.split_at_checked(8)?;
    *b = tail;
    Some(u64::from_le_bytes(head.try_into().ok()?))
}
fn get_str(b: &mut &[u8]) -> Option<String> {
    let n = usize::try_from(get_u64(b)?).ok()?;
    let (head, tail) = b.split_at_checked(n)?;
    *b = tail;
    String::from_utf8(head.to_vec()).ok()
}
fn put_version(out: &mut Vec<u8>, v: Version) {
    put_u64(out, v.0);
    put_u64(out, u64::from(v.1));
    put_u64(out, v.2);
}
fn get_version(b: &mut &[u8]) -> Option<Version> {
    Some((get_u64(b)?, u32::try_from(get_u64(b)?).ok()?, get_u64(b)?))
}

enum Msg {
    Read {
        op: u64,
        key: String,
    },
    ReadAck {
        op: u64,
        found: Option<(Version, String)>,
    },
    Write {
        op: u64,
        key: String,
        version: Version,
        value: String,
    },
    WriteAck {
        op: u64,
    },
}

impl Msg {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Msg::Read { op, key } => {
                out.push(0);
                put_u64(&mut out, *op);
                put_str(&mut out, key);
            }
            Msg::ReadAck { op, found } => {
                out.push(1);
                put_u64(&mut out, *op);
                if let Some((v, value)) = found {
                    out.push(1);
                    put_version(&mut out, *v);
                    put_str(&mut out, value);
                } else {
                    out.push(0);
                }
            }
            Msg::Write {
                op,
                key,
                version,
                value,
            } => {
                out.push(2);
                put_u64(&mut out, *op);
                put_str(&mut out, key);
                put_version(&mut out, *version);
                put_str(&mut out, value);
            }
            Msg::WriteAck { op } => {
                out.push(3);
                put_u64(&mut out, *op);
            }
        }
        out
    }

    fn decode(mut b: &[u8]) -> Option<Msg> {
        let (&tag, rest) = b.split_first()?;
        b = rest;
        let op = get_u64(&mut b)?;
        Some(match tag {
            0 => Msg::Read {
                op,
                key: get_str(&mut b)?,
            },
            1 => {
                let (&some, rest) = b.split_first()?;
                b = rest;
                let found = if some == 1 {
                    Some((get_version(&mut b)?, get_str(&mut b)?))
                } else {
                    None
                };
                Msg::ReadAck { op, found }
            }
            2 => Msg::Write {
                op,
                key: get_str(&mut b)?,
                version: get_version(&mut b)?,
                value: get_str(&mut b)?,
            },
            3 => Msg::WriteAck { op },
            _ => return None,
        })
    }
}

impl CacheNode {
    pub fn new(me: usize, nodes: usize, replicas: usize, capacity: usize) -> Self {
        let mut ring: Vec<(u64, usize)> = (0..nodes)
            .flat_map(|n| (0..VNODES).map(move |v| (hash(format!("node-{n}#{v}").as_bytes()), n)))
            .collect();
        ring.sort_unstable();
        CacheNode {
            me,
            replicas: replicas.min(nodes),
            capacity: capacity.max(1),
            ring,
            nodes,
            store: HashMap::new(),
            recency: BTreeMap::new(),
            tick: 0,
            ops: HashMap::new(),
            next_op: 0,
            seq: 0,
        }
    }

    /// The key's replicas: the first `replicas` distinct nodes clockwise from its hash.
    pub fn replicas_for(&self, key: &str) -> Vec<usize> {
        let h = hash(key.as_bytes());
        let start = self.ring.partition_point(|&(p, _)| p < h);
        let mut out = Vec::with_capacity(self.replicas);
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
        let (key, put) = match request {
            Request::Get { key } => (key, None),
            Request::Put { key, value } => (key, Some(value)),
        };
        let op = self.next_op;
        self.next_op += 1;
        let replicas = self.replicas_for(&key);
        let state = Op {
            client: id,
            key: key.clone(),
            put,
            replicas: replicas.clone(),
            phase: 0,
            acked: HashSet::new(),
            best: None,
            agree: true,
            writing: None,
            give_up: net.now() + GIVE_UP_MS,
            sent_at: net.now(),
        };
        self.ops.insert(op, state);
        for r in replicas {
            net.send(
                r,
                Msg::Read {
                    op: op * 2,
                    key: key.clone(),
                }
                .encode(),
            );
        }
        net.set_timer(RETRY_MS, op);
    }

    pub fn on_message(&mut self, net: &mut Net, from: usize, msg: Vec<u8>) {
        let Some(msg) = Msg::decode(&msg) else { return };
        match msg {
            Msg::Read { op, key } => {
                let found = self.lookup(&key);
                net.send(from, Msg::ReadAck { op, found }.encode());
            }
            Msg::Write {
                op,
                key,
                version,
                value,
            } => {
                self.store_newer(key, version, value);
                net.send(from, Msg::WriteAck { op }.encode());
            }
            Msg::ReadAck { op, found } => self.acked(net, op, from, Some(found)),
            Msg::WriteAck { op } => self.acked(net, op, from, None),
        }
    }

    pub fn on_timer(&mut self, net: &mut Net, token: u64) {
        let Some(op) = self.ops.get(&token) else {
            return;
        };
        if net.now() >= op.give_up {
            let client = op.client;
            self.ops.remove(&token);
            net.reply(client, Reply::Unavailable);
            return;
        }
        // Resend only a phase outstanding for a whole retry period (a phase that began since
        // the timer was set waits its own period).
        let waited = net.now().saturating_sub(op.sent_at);
        if waited >= RETRY_MS {
            self.send_phase(net, token);
            net.set_timer(RETRY_MS, token);
        } else {
            net.set_timer(RETRY_MS - waited, token);
        }
    }

    /// (Re)sends the op's current phase to the replicas that have not answered it.
    fn send_phase(&mut self, net: &mut Net, id: u64) {
        let now = net.now();
        if let Some(op) = self.ops.get_mut(&id) {
            op.sent_at = now;
        }
        let op = &self.ops[&id];
        for &r in op.replicas.iter().filter(|r| !op.acked.contains(r)) {
            let msg = match &op.writing {
                None => Msg::Read {
                    op: id * 2,
                    key: op.key.clone(),
                },
                Some((version, value)) => Msg::Write {
                    op: id * 2 + 1,
                    key: op.key.clone(),
                    version: *version,
                    value: value.clone(),
                },
            };
            net.send(r, msg.encode());
        }
    }

    fn acked(
        &mut self,
        net: &mut Net,
        tagged: u64,
        from: usize,
        read: Option<Option<(Version, String)>>,
    ) {
        let (id, phase) = (tagged / 2, (tagged % 2) as u8);
        let me = self.me as u32;
        let Some(op) = self.ops.get_mut(&id) else {
            return;
        };
        if op.phase != phase || !op.replicas.contains(&from) || !op.acked.insert(from) {
            return;
        }
        if let Some(found) = read {
            let newer = match (&op.best, &found) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some((b, _)), Some((v, _))) => v > b,
            };
            if op.acked.len() > 1 && op.best.as_ref().map(|b| b.0) != found.as_ref().map(|f| f.0) {
                op.agree = false;
            }
            if newer {
                op.best = found;
            }
        }
        let quorum = op.replicas.len() / 2 + 1;
        if op.acked.len() < quorum {
            return;
        }
        let done = match (op.phase, &op.put) {
            (0, Some(value)) => {
                self.seq += 1;
                let counter = op.best.as_ref().map_or(0, |b| b.0 .0) + 1;
                op.writing = Some(((counter, me, self.seq), value.clone()));
                None
            }
            (0, None) => match &op.best {
                None => Some(Reply::Missing),
                Some((_, value)) if op.agree => Some(Reply::Found(value.clone())),
                Some(best) => {
                    op.writing = Some(best.clone());
                    None
                }
            },
            (_, Some(_)) => Some(Reply::Stored),
            (_, None) => Some(Reply::Found(
                op.writing.as_ref().map(|w| w.1.clone()).unwrap_or_default(),
            )),
        };
        match done {
            Some(reply) => {
                let client = op.client;
                self.ops.remove(&id);
                net.reply(client, reply);
            }
            None => {
                op.phase = 1;
                op.acked.clear();
                op.sent_at = net.now();
                self.send_phase(net, id);
            }
        }
    }

    fn lookup(&mut self, key: &str) -> Option<(Version, String)> {
        let (version, value, tick) = self.store.get_mut(key)?;
        self.recency.remove(tick);
        self.tick += 1;
        *tick = self.tick;
        self.recency.insert(self.tick, key.to_owned());
        Some((*version, value.clone()))
    }

    fn store_newer(&mut self, key: String, version: Version, value: String) {
        if let Some((v, old, tick)) = self.store.get_mut(&key) {
            // A write already applied (a resent or duplicated message) is not a use.
            if version > *v {
                self.tick += 1;
                self.recency.remove(tick);
                *tick = self.tick;
                *v = version;
                *old = value;
                self.recency.insert(self.tick, key);
            }
            return;
        }
        self.tick += 1;
        if self.store.len() >= self.capacity {
            if let Some((_, oldest)) = self.recency.pop_first() {
                self.store.remove(&oldest);
            }
        }
        self.recency.insert(self.tick, key.clone());
        self.store.insert(key, (version, value, self.tick));
    }
}
