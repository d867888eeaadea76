// lru-cache's wire types: compiled into the judge's suite (suite.rs includes this file) and
// into the guest's harness (the catalog pastes it into `mod __judge_harness`), so both sides
// encode and decode calls and results with this one code. concurrent-lru-cache uses it too
// (`wire = "../lru-cache/wire.rs"`). `Wire` and `wire` are in scope on both sides.

/// One call on an `LruCache<u32, u32>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Get(u32),
    Put(u32, u32),
    Len,
}

/// What one call returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ret {
    Get(::std::option::Option<u32>),
    Put(::std::option::Option<(u32, u32)>),
    Len(u32),
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
            Op::Len => out.push(2),
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::Get(u32::take(input)?),
            1 => Op::Put(u32::take(input)?, u32::take(input)?),
            2 => Op::Len,
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
            Ret::Put(evicted) => {
                out.push(1);
                evicted.put(out);
            }
            Ret::Len(n) => {
                out.push(2);
                n.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::Get(Wire::take(input)?),
            1 => Ret::Put(Wire::take(input)?),
            2 => Ret::Len(u32::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
