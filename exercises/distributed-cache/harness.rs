// The exercise's part of the guest glue for distributed-cache (`runner = "custom"`): one
// instance of this module is one node of the cluster, and it keeps its `CacheNode` between
// calls. Each call is one `Event` (wire.rs) from the simulated network; the answer is the
// node's `Effect`s, in order. The host starts each node with `Event::Start` first.

use super::{CacheNode, Net, NetEffect, Reply, Request};

::std::thread_local! {
    static NODE: ::std::cell::RefCell<::std::option::Option<CacheNode>> =
        const { ::std::cell::RefCell::new(::std::option::Option::None) };
}

fn request(r: Req) -> Request {
    match r {
        Req::Get(key) => Request::Get { key },
        Req::Put(key, value) => Request::Put { key, value },
    }
}

fn reply(r: Reply) -> Rep {
    match r {
        Reply::Found(v) => Rep::Found(v),
        Reply::Missing => Rep::Missing,
        Reply::Stored => Rep::Stored,
        Reply::Unavailable => Rep::Unavailable,
    }
}

fn effects(net: Net) -> ::std::vec::Vec<Effect> {
    net.__judge_effects()
        .into_iter()
        .map(|e| match e {
            NetEffect::Send(to, msg) => Effect::Send {
                // A node number past u32 is no node: the host refuses it as it refuses any
                // node out of range.
                to: u32::try_from(to).unwrap_or(u32::MAX),
                msg,
            },
            NetEffect::Reply(id, r) => Effect::Reply {
                id,
                reply: reply(r),
            },
            NetEffect::Timer(after, token) => Effect::Timer { after, token },
        })
        .collect()
}

fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
    let event: Event = wire::from_bytes(input).expect("the judge's input");
    let out: ::std::vec::Vec<Effect> = NODE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if let Event::Start {
            me,
            nodes,
            replicas,
            capacity,
        } = event
        {
            let node: CacheNode = CacheNode::new(
                me as usize,
                nodes as usize,
                replicas as usize,
                capacity as usize,
            );
            *slot = ::std::option::Option::Some(node);
            return ::std::vec::Vec::new();
        }
        let node = slot.as_mut().expect("the judge starts a node first");
        match event {
            Event::Start { .. } => unreachable!(),
            Event::Request {
                now,
                id,
                request: r,
            } => {
                let mut net = Net::__judge_new(now);
                let () = node.on_request(&mut net, id, request(r));
                effects(net)
            }
            Event::Message { now, from, msg } => {
                let mut net = Net::__judge_new(now);
                let () = node.on_message(&mut net, from as usize, msg);
                effects(net)
            }
            Event::Timer { now, token } => {
                let mut net = Net::__judge_new(now);
                let () = node.on_timer(&mut net, token);
                effects(net)
            }
            Event::Placement(keys) => keys
                .iter()
                .map(|key| {
                    let nodes: ::std::vec::Vec<usize> = node.replicas_for(key);
                    Effect::Placement(
                        nodes
                            .into_iter()
                            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                            .collect(),
                    )
                })
                .collect(),
        }
    });
    wire::to_bytes(&out)
}
