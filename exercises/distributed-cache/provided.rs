/// A client's request, handed to the node that coordinates it. Provided by the judge: in
/// scope in your file without an import (`crate::Request` works too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Get { key: String },
    Put { key: String, value: String },
}

/// The answer to a request, given with [`Net::reply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A get's value.
    Found(String),
    /// A get found no value (a cache may miss; see the statement for when it must not).
    Missing,
    /// A put is stored.
    Stored,
    /// The node gives up on the request (not enough replicas answered in time).
    Unavailable,
}

/// What a node can do to the world, handed to every handler. Provided by the judge.
pub struct Net {
    now: u64,
    effects: Vec<NetEffect>,
}

#[doc(hidden)]
pub enum NetEffect {
    Send(usize, Vec<u8>),
    Reply(u64, Reply),
    Timer(u64, u64),
}

impl Net {
    /// This node's clock, in milliseconds. Virtual time: it advances only between handler
    /// calls, and each node's clock is offset from the others' by a fixed, unknown amount.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Sends `msg` to node `to` (`0..nodes`; to itself too). The network may delay,
    /// reorder, duplicate or lose it.
    pub fn send(&mut self, to: usize, msg: Vec<u8>) {
        self.effects.push(NetEffect::Send(to, msg));
    }

    /// Answers request `id` (the first reply counts; later ones are ignored).
    pub fn reply(&mut self, id: u64, reply: Reply) {
        self.effects.push(NetEffect::Reply(id, reply));
    }

    /// Calls `on_timer(token)` on this node `after_ms` milliseconds from now (at least 1).
    pub fn set_timer(&mut self, after_ms: u64, token: u64) {
        self.effects.push(NetEffect::Timer(after_ms, token));
    }

    #[doc(hidden)]
    pub fn __judge_new(now: u64) -> Net {
        Net {
            now,
            effects: Vec::new(),
        }
    }

    #[doc(hidden)]
    pub fn __judge_effects(self) -> Vec<NetEffect> {
        self.effects
    }
}
