// LeetCode 146's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness. Only what LeetCode's methods return crosses back.

/// One call on an `LRUCache`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Get(i32),
    Put(i32, i32),
}

/// What one call returned: `get`'s value (-1 for a miss); `put` returns nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ret {
    Get(i32),
    Put,
}

impl Wire for Op {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match *self {
            Op::Get(k) => {
                out.push(0);
                k.put(out);
            }
            Op::Put(k, v) => {
                out.push(1);
                (k, v).put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::Get(i32::take(input)?),
            1 => Op::Put(i32::take(input)?, i32::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Ret {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Ret::Get(v) => {
                out.push(0);
                v.put(out);
            }
            Ret::Put => out.push(1),
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::Get(i32::take(input)?),
            1 => Ret::Put,
            _ => return ::std::option::Option::None,
        })
    }
}
