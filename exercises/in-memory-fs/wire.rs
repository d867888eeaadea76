// in-memory-fs's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness (the catalog pastes it into `mod __judge_harness`), so both
// sides encode and decode calls and results with this one code. `Wire` and `wire` are in
// scope on both sides. `FsError` here is the wire's copy of the provided type (the guest's
// harness converts the candidate's into it).

/// The errors of the file system, sent as the index of the variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    DirectoryNotEmpty,
    InvalidPath,
}

/// One call on a `FileSystem`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Ls(::std::string::String),
    Mkdir(::std::string::String),
    Add(::std::string::String, ::std::string::String),
    Read(::std::string::String),
    Rm(::std::string::String, bool),
    Mv(::std::string::String, ::std::string::String),
}

/// What one call returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ret {
    Ls(::std::result::Result<::std::vec::Vec<::std::string::String>, FsError>),
    Unit(::std::result::Result<(), FsError>),
    Read(::std::result::Result<::std::string::String, FsError>),
}

impl Wire for FsError {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        out.push(*self as u8);
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => FsError::NotFound,
            1 => FsError::NotADirectory,
            2 => FsError::IsADirectory,
            3 => FsError::AlreadyExists,
            4 => FsError::DirectoryNotEmpty,
            5 => FsError::InvalidPath,
            _ => return ::std::option::Option::None,
        })
    }
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
            Op::Rm(p, recursive) => {
                out.push(4);
                p.put(out);
                recursive.put(out);
            }
            Op::Mv(from, to) => {
                out.push(5);
                from.put(out);
                to.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Op::Ls(Wire::take(input)?),
            1 => Op::Mkdir(Wire::take(input)?),
            2 => Op::Add(Wire::take(input)?, Wire::take(input)?),
            3 => Op::Read(Wire::take(input)?),
            4 => Op::Rm(Wire::take(input)?, Wire::take(input)?),
            5 => Op::Mv(Wire::take(input)?, Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}

impl Wire for Ret {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            Ret::Ls(r) => {
                out.push(0);
                r.put(out);
            }
            Ret::Unit(r) => {
                out.push(1);
                r.put(out);
            }
            Ret::Read(r) => {
                out.push(2);
                r.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(match wire::take_tag(input)? {
            0 => Ret::Ls(Wire::take(input)?),
            1 => Ret::Unit(Wire::take(input)?),
            2 => Ret::Read(Wire::take(input)?),
            _ => return ::std::option::Option::None,
        })
    }
}
