// striped-counter's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness (the catalog pastes it into `mod __judge_harness`). `Wire`
// and `wire` are in scope on both sides.

/// One call on the shared `StripedCounter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Increment,
    Add(u64),
    Sum,
}

/// What one call returned: nothing (`increment`, `add`) or the sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ret {
    Done,
    Sum(u64),
}

impl Wire for Op {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Op::Increment => out.push(0),
            Op::Add(delta) => {
                out.push(1);
                delta.put(out);
            }
            Op::Sum => out.push(2),
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::Increment,
            1 => Op::Add(u64::take(input)?),
            2 => Op::Sum,
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Ret {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Ret::Done => out.push(0),
            Ret::Sum(value) => {
                out.push(1);
                value.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::Done,
            1 => Ret::Sum(u64::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
