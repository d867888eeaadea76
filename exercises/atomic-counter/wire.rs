// atomic-counter's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness (the catalog pastes it into `mod __judge_harness`). `Wire`
// and `wire` are in scope on both sides. Every call returns the counter's value (`u64`).

/// One call on the shared `AtomicCounter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    IncrementAndGet,
    AddAndGet(u64),
    Get,
}

impl Wire for Op {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Op::IncrementAndGet => out.push(0),
            Op::AddAndGet(delta) => {
                out.push(1);
                delta.put(out);
            }
            Op::Get => out.push(2),
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::IncrementAndGet,
            1 => Op::AddAndGet(u64::take(input)?),
            2 => Op::Get,
            _ => return ::std::option::Option::None,
        })
    }
}
