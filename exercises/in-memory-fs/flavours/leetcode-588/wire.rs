// LeetCode 588's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness. Only LeetCode's four operations, and what they return.

/// One call on a `FileSystem`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Ls(::std::string::String),
    Mkdir(::std::string::String),
    Add(::std::string::String, ::std::string::String),
    Read(::std::string::String),
}

/// What one call returned (`mkdir` and `add_content_to_file` return nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ret {
    Ls(::std::vec::Vec<::std::string::String>),
    Unit,
    Read(::std::string::String),
}

impl Wire for Op {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Op::Ls(p) => {
                out.push(0);
                p.put(out);
            }
            Op::Mkdir(p) => {
                out.push(1);
                p.put(out);
            }
            Op::Add(p, c) => {
                out.push(2);
                p.put(out);
                c.put(out);
            }
            Op::Read(p) => {
                out.push(3);
                p.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::Ls(Wire::take(input)?),
            1 => Op::Mkdir(Wire::take(input)?),
            2 => Op::Add(Wire::take(input)?, Wire::take(input)?),
            3 => Op::Read(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Ret {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Ret::Ls(names) => {
                out.push(0);
                names.put(out);
            }
            Ret::Unit => out.push(1),
            Ret::Read(c) => {
                out.push(2);
                c.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::Ls(Wire::take(input)?),
            1 => Ret::Unit,
            2 => Ret::Read(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
