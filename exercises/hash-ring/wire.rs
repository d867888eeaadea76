// hash-ring's wire types: compiled into the judge's suite (suite.rs includes this file) and
// into the guest's harness (the catalog pastes it into `mod __judge_harness`), so both
// sides encode and decode the script and its answers with this one code. `Wire` and `wire`
// are in scope on both sides.
//
// One hidden test sends a script, `Vec<Op>`, played on up to two rings (slots 0 and 1); the
// answer is a `Vec<Ret>`, one per operation, in order.

/// One operation of the script; the first field is the ring's slot (0 or 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `HashRing::new(vnodes)` into the slot (replacing the ring there).
    New(u8, u32),
    AddNode(u8, ::std::string::String),
    RemoveNode(u8, ::std::string::String),
    NodeFor(u8, ::std::string::String),
    /// `replicas_for(key, n)`.
    ReplicasFor(u8, ::std::string::String, u32),
    Len(u8),
}

/// What one operation returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ret {
    /// The ring was created.
    New,
    AddNode(bool),
    RemoveNode(bool),
    NodeFor(::std::option::Option<::std::string::String>),
    ReplicasFor(::std::vec::Vec<::std::string::String>),
    Len(usize),
}

impl Wire for Op {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Op::New(slot, vnodes) => {
                out.push(0);
                (*slot, *vnodes).put(out);
            }
            Op::AddNode(slot, node) => {
                out.push(1);
                slot.put(out);
                node.put(out);
            }
            Op::RemoveNode(slot, node) => {
                out.push(2);
                slot.put(out);
                node.put(out);
            }
            Op::NodeFor(slot, key) => {
                out.push(3);
                slot.put(out);
                key.put(out);
            }
            Op::ReplicasFor(slot, key, n) => {
                out.push(4);
                slot.put(out);
                key.put(out);
                n.put(out);
            }
            Op::Len(slot) => {
                out.push(5);
                slot.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        let tag = wire::take_tag(input)?;
        let slot = u8::take(input)?;
        if slot > 1 {
            return ::std::option::Option::None;
        }
        ::std::option::Option::Some(match tag {
            0 => Op::New(slot, u32::take(input)?),
            1 => Op::AddNode(slot, Wire::take(input)?),
            2 => Op::RemoveNode(slot, Wire::take(input)?),
            3 => Op::NodeFor(slot, Wire::take(input)?),
            4 => Op::ReplicasFor(slot, Wire::take(input)?, u32::take(input)?),
            5 => Op::Len(slot),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Ret {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Ret::New => out.push(0),
            Ret::AddNode(added) => {
                out.push(1);
                added.put(out);
            }
            Ret::RemoveNode(removed) => {
                out.push(2);
                removed.put(out);
            }
            Ret::NodeFor(owner) => {
                out.push(3);
                owner.put(out);
            }
            Ret::ReplicasFor(replicas) => {
                out.push(4);
                replicas.put(out);
            }
            Ret::Len(len) => {
                out.push(5);
                len.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::New,
            1 => Ret::AddNode(Wire::take(input)?),
            2 => Ret::RemoveNode(Wire::take(input)?),
            3 => Ret::NodeFor(Wire::take(input)?),
            4 => Ret::ReplicasFor(Wire::take(input)?),
            5 => Ret::Len(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
