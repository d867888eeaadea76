// distributed-cache's wire types: compiled into the judge's suite (suite.rs includes this
// file) and into each node's harness, so the host and every node encode the simulation's
// events and a node's effects with this one code. `Wire` and `wire` are in scope.

/// A client's request as it crosses the wire (the candidate sees `Request`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Req {
    Get(::std::string::String),
    Put(::std::string::String, ::std::string::String),
}

/// A node's answer to a request as it crosses the wire (the candidate writes `Reply`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rep {
    Found(::std::string::String),
    Missing,
    Stored,
    Unavailable,
}

/// What the host hands one node in one call. `now` is the node's own clock, in ms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The node starts: `CacheNode::new(me, nodes, replicas, capacity)`.
    Start {
        me: u32,
        nodes: u32,
        replicas: u32,
        capacity: u32,
    },
    Request {
        now: u64,
        id: u64,
        request: Req,
    },
    Message {
        now: u64,
        from: u32,
        msg: ::std::vec::Vec<u8>,
    },
    Timer {
        now: u64,
        token: u64,
    },
    /// `replicas_for(key)` for each key (the answer is `Effect::Placement`s).
    Placement(::std::vec::Vec<::std::string::String>),
}

/// What a node did in one call, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Send { to: u32, msg: ::std::vec::Vec<u8> },
    Reply { id: u64, reply: Rep },
    Timer { after: u64, token: u64 },
    Placement(::std::vec::Vec<u32>),
}

impl Wire for Req {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Req::Get(k) => {
                out.push(0);
                k.put(out);
            }
            Req::Put(k, v) => {
                out.push(1);
                k.put(out);
                v.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Req::Get(Wire::take(input)?),
            1 => Req::Put(Wire::take(input)?, Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Rep {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Rep::Found(v) => {
                out.push(0);
                v.put(out);
            }
            Rep::Missing => out.push(1),
            Rep::Stored => out.push(2),
            Rep::Unavailable => out.push(3),
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Rep::Found(Wire::take(input)?),
            1 => Rep::Missing,
            2 => Rep::Stored,
            3 => Rep::Unavailable,
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Event {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Event::Start {
                me,
                nodes,
                replicas,
                capacity,
            } => {
                out.push(0);
                (*me, *nodes, *replicas, *capacity).put(out);
            }
            Event::Request { now, id, request } => {
                out.push(1);
                (*now, *id).put(out);
                request.put(out);
            }
            Event::Message { now, from, msg } => {
                out.push(2);
                (*now, *from).put(out);
                msg.put(out);
            }
            Event::Timer { now, token } => {
                out.push(3);
                (*now, *token).put(out);
            }
            Event::Placement(keys) => {
                out.push(4);
                keys.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => {
                let (me, nodes, replicas, capacity) = Wire::take(input)?;
                Event::Start {
                    me,
                    nodes,
                    replicas,
                    capacity,
                }
            }
            1 => {
                let (now, id) = Wire::take(input)?;
                Event::Request {
                    now,
                    id,
                    request: Wire::take(input)?,
                }
            }
            2 => {
                let (now, from) = Wire::take(input)?;
                Event::Message {
                    now,
                    from,
                    msg: Wire::take(input)?,
                }
            }
            3 => {
                let (now, token) = Wire::take(input)?;
                Event::Timer { now, token }
            }
            4 => Event::Placement(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Effect {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Effect::Send { to, msg } => {
                out.push(0);
                to.put(out);
                msg.put(out);
            }
            Effect::Reply { id, reply } => {
                out.push(1);
                id.put(out);
                reply.put(out);
            }
            Effect::Timer { after, token } => {
                out.push(2);
                (*after, *token).put(out);
            }
            Effect::Placement(nodes) => {
                out.push(3);
                nodes.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Effect::Send {
                to: Wire::take(input)?,
                msg: Wire::take(input)?,
            },
            1 => Effect::Reply {
                id: Wire::take(input)?,
                reply: Wire::take(input)?,
            },
            2 => {
                let (after, token) = Wire::take(input)?;
                Effect::Timer { after, token }
            }
            3 => Effect::Placement(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
