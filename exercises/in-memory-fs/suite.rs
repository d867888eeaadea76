//! Hidden tests of `in-memory-fs`: operation sequences over a small universe of names, so
//! that paths collide, files are used as directories, `mv` targets its own subtree and
//! every error of the precedence rules comes up; checked against a tree model.

use crate::sequence::{SequenceSpec, Sequences};
use crate::suite::FunctionSuite;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::collections::BTreeMap;

pub static SUITE: FunctionSuite<Sequences<Fs>> = FunctionSuite(Sequences(Fs));

pub struct Fs;

use crate::wire::{self, Wire};
// `FsError`, `Op` and `Ret`, and how they cross the wire: the same file the guest's harness
// is built with.
include!("wire.rs");

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    File(String),
    Dir(BTreeMap<String, Node>),
}

/// The model: a tree of directories whose children are kept in byte order.
pub struct Model {
    root: Node,
}

/// The components of a valid path (none for `/`), or `InvalidPath`.
fn parse(path: &str) -> Result<Vec<&str>, FsError> {
    if path == "/" {
        return Ok(Vec::new());
    }
    let rest = path.strip_prefix('/').ok_or(FsError::InvalidPath)?;
    let parts: Vec<&str> = rest.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(FsError::InvalidPath);
    }
    Ok(parts)
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    pub fn new() -> Self {
        Model {
            root: Node::Dir(BTreeMap::new()),
        }
    }

    /// Walks from the root: the first missing component is `NotFound`, the first
    /// non-final component that is a file is `NotADirectory`.
    fn walk(&self, parts: &[&str]) -> Result<&Node, FsError> {
        let mut node = &self.root;
        for part in parts {
            match node {
                Node::Dir(children) => node = children.get(*part).ok_or(FsError::NotFound)?,
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        Ok(node)
    }

    /// Walks to the directory holding `parts`' last component, creating missing
    /// directories on the way (`mkdir -p`).
    fn parent_creating(&mut self, parts: &[&str]) -> Result<&mut BTreeMap<String, Node>, FsError> {
        let mut node = &mut self.root;
        for part in &parts[..parts.len() - 1] {
            let Node::Dir(children) = node else {
                return Err(FsError::NotADirectory);
            };
            node = children
                .entry((*part).to_owned())
                .or_insert_with(|| Node::Dir(BTreeMap::new()));
        }
        match node {
            Node::Dir(children) => Ok(children),
            Node::File(_) => Err(FsError::NotADirectory),
        }
    }

    fn dir_mut(&mut self, parts: &[&str]) -> &mut BTreeMap<String, Node> {
        let mut node = &mut self.root;
        for part in parts {
            let Node::Dir(children) = node else {
                unreachable!("walked before")
            };
            node = children.get_mut(*part).expect("walked before");
        }
        match node {
            Node::Dir(children) => children,
            Node::File(_) => unreachable!("checked to be a directory"),
        }
    }

    pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        let parts = parse(path)?;
        match self.walk(&parts)? {
            Node::Dir(children) => Ok(children.keys().cloned().collect()),
            Node::File(_) => Ok(vec![parts[parts.len() - 1].to_owned()]),
        }
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let parts = parse(path)?;
        // Creating is safe before the last check: anything created on the way is a new,
        // empty directory, so no later check on this path can fail.
        if parts.is_empty() {
            return Ok(());
        }
        let parent = self.parent_creating(&parts)?;
        match parent.get(parts[parts.len() - 1]) {
            Some(Node::Dir(_)) => Ok(()),
            Some(Node::File(_)) => Err(FsError::AlreadyExists),
            None => {
                parent.insert(
                    parts[parts.len() - 1].to_owned(),
                    Node::Dir(BTreeMap::new()),
                );
                Ok(())
            }
        }
    }

    pub fn add_content_to_file(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        let parts = parse(path)?;
        if parts.is_empty() {
            return Err(FsError::IsADirectory);
        }
        let parent = self.parent_creating(&parts)?;
        match parent
            .entry(parts[parts.len() - 1].to_owned())
            .or_insert_with(|| Node::File(String::new()))
        {
            Node::File(text) => {
                text.push_str(content);
                Ok(())
            }
            Node::Dir(_) => Err(FsError::IsADirectory),
        }
    }

    pub fn read_content_from_file(&self, path: &str) -> Result<String, FsError> {
        let parts = parse(path)?;
        match self.walk(&parts)? {
            Node::File(text) => Ok(text.clone()),
            Node::Dir(_) => Err(FsError::IsADirectory),
        }
    }

    pub fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let parts = parse(path)?;
        if parts.is_empty() {
            return Err(FsError::InvalidPath);
        }
        if let Node::Dir(children) = self.walk(&parts)? {
            if !children.is_empty() && !recursive {
                return Err(FsError::DirectoryNotEmpty);
            }
        }
        let (last, parent) = parts.split_last().expect("not the root");
        self.dir_mut(parent).remove(*last);
        Ok(())
    }

    pub fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let from = parse(from)?;
        let to = parse(to)?;
        if from.is_empty() {
            return Err(FsError::InvalidPath);
        }
        self.walk(&from)?;
        if to.len() >= from.len() && to[..from.len()] == from[..] {
            return Err(FsError::InvalidPath);
        }
        let Some((to_last, to_parent)) = to.split_last() else {
            // `to` is the root: it exists.
            return Err(FsError::AlreadyExists);
        };
        match self.walk(to_parent)? {
            Node::Dir(children) if children.contains_key(*to_last) => {
                return Err(FsError::AlreadyExists)
            }
            Node::Dir(_) => {}
            Node::File(_) => return Err(FsError::NotADirectory),
        }
        let (from_last, from_parent) = from.split_last().expect("not the root");
        let node = self
            .dir_mut(from_parent)
            .remove(*from_last)
            .expect("walked before");
        self.dir_mut(to_parent).insert((*to_last).to_owned(), node);
        Ok(())
    }
}

/// Names of a sequence: a small universe so paths collide, sometimes with names that sort
/// in surprising byte orders or look like `.` and `..` without being them.
fn universe() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        3 => Just(vec!["a", "b"]),
        3 => Just(vec!["a", "b", "c"]),
        1 => Just(vec!["a", "B", "é", "...", ".a", "a b", "a.b", "Z"]),
    ]
}

const INVALID: &[&str] = &[
    "", "a", "a/b", "/a/", "//", "//a", "/a//b", "/.", "/..", "/a/.", "/a/..", "/./a", "/a/../b",
    "/a/b/",
];

fn path(names: Vec<&'static str>) -> impl Strategy<Value = String> {
    let valid =
        proptest::collection::vec(proptest::sample::select(names), 0..=3).prop_map(|parts| {
            if parts.is_empty() {
                "/".to_owned()
            } else {
                parts.iter().map(|p| format!("/{p}")).collect()
            }
        });
    prop_oneof![
        12 => valid,
        1 => proptest::sample::select(INVALID).prop_map(str::to_owned),
    ]
}

fn content() -> impl Strategy<Value = String> {
    proptest::sample::select(&["", "x", "hello", "é", "a\nb", "x"][..]).prop_map(str::to_owned)
}

fn op(names: Vec<&'static str>) -> impl Strategy<Value = Op> {
    let p = || path(names.clone());
    let child = (
        p(),
        proptest::collection::vec(proptest::sample::select(names.clone()), 1..=2),
    )
        .prop_map(|(base, tail)| {
            let base = if base == "/" { String::new() } else { base };
            base + &tail.iter().map(|t| format!("/{t}")).collect::<String>()
        });
    let into_itself = (
        p(),
        proptest::collection::vec(proptest::sample::select(names.clone()), 0..=2),
    )
        .prop_map(|(from, tail)| {
            let to = if from == "/" {
                String::new()
            } else {
                from.clone()
            };
            let to = to + &tail.iter().map(|t| format!("/{t}")).collect::<String>();
            let to = if to.is_empty() { "/".to_owned() } else { to };
            Op::Mv(from, to)
        });
    prop_oneof![
        3 => p().prop_map(Op::Ls),
        3 => p().prop_map(Op::Mkdir),
        2 => child.prop_map(Op::Mkdir),
        3 => (p(), content()).prop_map(|(p, c)| Op::Add(p, c)),
        2 => p().prop_map(Op::Read),
        2 => (p(), any::<bool>()).prop_map(|(p, r)| Op::Rm(p, r)),
        3 => (p(), p()).prop_map(|(a, b)| Op::Mv(a, b)),
        1 => into_itself,
    ]
}

/// A few calls that belong together, so that bugs which need a pattern (append twice then
/// read; fill a directory then remove it; move then look) come up in short sequences.
fn chunk(names: Vec<&'static str>) -> impl Strategy<Value = Vec<Op>> {
    let p = || path(names.clone());
    prop_oneof![
        12 => op(names.clone()).prop_map(|op| vec![op]),
        1 => (p(), content(), content()).prop_map(|(p, a, b)| vec![
            Op::Add(p.clone(), a),
            Op::Add(p.clone(), b),
            Op::Read(p),
        ]),
        1 => (p(), proptest::sample::select(names.clone()), content(), any::<bool>()).prop_map(
            |(p, name, c, recursive)| {
                let child = format!("{}/{name}", if p == "/" { "" } else { p.as_str() });
                vec![Op::Mkdir(p.clone()), Op::Add(child, c), Op::Rm(p.clone(), recursive), Op::Ls(p)]
            }
        ),
        1 => (p(), p(), content()).prop_map(|(a, b, c)| vec![
            Op::Add(a.clone(), c),
            Op::Mv(a.clone(), b.clone()),
            Op::Read(b),
            Op::Ls(a),
        ]),
    ]
}

fn sequence() -> impl Strategy<Value = ((), Vec<Op>)> {
    (
        universe(),
        prop_oneof![3 => 0usize..=10, 3 => 0usize..=30, 1 => 0usize..=110],
    )
        .prop_flat_map(|(names, len)| {
            (
                Just(()),
                proptest::collection::vec(chunk(names), len)
                    .prop_map(|chunks| chunks.into_iter().flatten().collect()),
            )
        })
}

impl SequenceSpec for Fs {
    type Setup = ();
    type Op = Op;
    type Ret = Ret;
    type Model = Model;

    fn strategy(&self) -> BoxedStrategy<((), Vec<Op>)> {
        sequence().boxed()
    }

    fn model(&self, _: &()) -> Model {
        Model::new()
    }

    fn apply(&self, m: &mut Model, op: &Op) -> Ret {
        match op {
            Op::Ls(p) => Ret::Ls(m.ls(p)),
            Op::Mkdir(p) => Ret::Unit(m.mkdir(p)),
            Op::Add(p, c) => Ret::Unit(m.add_content_to_file(p, c)),
            Op::Read(p) => Ret::Read(m.read_content_from_file(p)),
            Op::Rm(p, r) => Ret::Unit(m.rm(p, *r)),
            Op::Mv(a, b) => Ret::Unit(m.mv(a, b)),
        }
    }

    fn show_setup(&self, _: &()) -> String {
        "let mut fs = FileSystem::new();".into()
    }

    /// No gate uses it (`exercise.toml` has none); the benchmarks time the reference on
    /// it: n rounds of mkdir, append, ls, read over 32 directories, with a mv every 16.
    /// Names and contents carry a tag drawn from `seed`, of the same length for every seed.
    fn workload(&self, n: u32, seed: u64) -> Option<((), Vec<Op>)> {
        let mut rng = judge_core::SplitMix64::new(seed ^ 0xF5F5_0000_0000_0000);
        let tag = format!("{:04x}", rng.next_u64() & 0xffff);
        let mut ops = Vec::new();
        for i in 0..n {
            let dir = format!("/d{tag}{}", i % 32);
            ops.push(Op::Mkdir(format!("{dir}/s{}", i % 7)));
            let content = char::from(b'a' + (rng.next_u64() % 26) as u8).to_string();
            ops.push(Op::Add(format!("{dir}/f{i}"), content));
            ops.push(Op::Ls(dir.clone()));
            ops.push(Op::Read(format!("{dir}/f{i}")));
            if i % 16 == 0 {
                ops.push(Op::Mv(
                    format!("{dir}/f{i}"),
                    format!("/d{tag}{}/g{i}", (i + 1) % 32),
                ));
            }
        }
        Some(((), ops))
    }

    fn describe_workload(&self, n: u32) -> String {
        format!("{n} rounds of mkdir, add_content_to_file, ls and read over 32 directories")
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Ls(p) => format!("fs.ls({p:?})"),
            Op::Mkdir(p) => format!("fs.mkdir({p:?})"),
            Op::Add(p, c) => format!("fs.add_content_to_file({p:?}, {c:?})"),
            Op::Read(p) => format!("fs.read_content_from_file({p:?})"),
            Op::Rm(p, r) => format!("fs.rm({p:?}, {r})"),
            Op::Mv(a, b) => format!("fs.mv({a:?}, {b:?})"),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        match ret {
            Ret::Ls(r) => format!("{r:?}"),
            Ret::Unit(r) => format!("{r:?}"),
            Ret::Read(r) => format!("{r:?}"),
        }
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("error_not_found", "a call that returns NotFound"),
            ("error_not_a_directory", "a call that returns NotADirectory"),
            ("error_is_a_directory", "a call that returns IsADirectory"),
            ("error_already_exists", "a call that returns AlreadyExists"),
            (
                "error_directory_not_empty",
                "a call that returns DirectoryNotEmpty",
            ),
            ("error_invalid_path", "a call that returns InvalidPath"),
            ("trailing_slash", "a path with a `/` at the end"),
            ("rm_root", "rm(\"/\", _)"),
            ("mkdir_root", "mkdir(\"/\")"),
            (
                "mv_into_own_subtree",
                "mv(from, to) with `to` equal to `from` or inside it",
            ),
            ("mv_onto_root", "mv(from, \"/\")"),
            ("empty_content", "add_content_to_file(path, \"\")"),
        ]
    }

    fn hits(&self, _: &(), ops: &[Op]) -> Vec<&'static str> {
        let mut model = Model::new();
        let mut hits = Vec::new();
        for op in ops {
            let paths: Vec<&String> = match op {
                Op::Ls(p) | Op::Mkdir(p) | Op::Add(p, _) | Op::Read(p) | Op::Rm(p, _) => vec![p],
                Op::Mv(a, b) => vec![a, b],
            };
            if paths.iter().any(|p| p.len() > 1 && p.ends_with('/')) {
                hits.push("trailing_slash");
            }
            match op {
                Op::Rm(p, _) if p == "/" => hits.push("rm_root"),
                Op::Mkdir(p) if p == "/" => hits.push("mkdir_root"),
                Op::Add(_, c) if c.is_empty() => hits.push("empty_content"),
                Op::Mv(_, b) if b == "/" => hits.push("mv_onto_root"),
                Op::Mv(a, b) if a != "/" && (b == a || b.starts_with(&format!("{a}/"))) => {
                    hits.push("mv_into_own_subtree")
                }
                _ => {}
            }
            let error = match self.apply(&mut model, op) {
                Ret::Ls(Err(e)) | Ret::Unit(Err(e)) | Ret::Read(Err(e)) => Some(e),
                _ => None,
            };
            hits.extend(error.map(|e| match e {
                FsError::NotFound => "error_not_found",
                FsError::NotADirectory => "error_not_a_directory",
                FsError::IsADirectory => "error_is_a_directory",
                FsError::AlreadyExists => "error_already_exists",
                FsError::DirectoryNotEmpty => "error_directory_not_empty",
                FsError::InvalidPath => "error_invalid_path",
            }));
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use FsError::*;

    #[test]
    fn paths_are_parsed_as_the_statement_says() {
        assert_eq!(parse("/"), Ok(vec![]));
        assert_eq!(parse("/a/b"), Ok(vec!["a", "b"]));
        assert_eq!(parse("/..."), Ok(vec!["..."]));
        for bad in INVALID {
            assert_eq!(parse(bad), Err(InvalidPath), "{bad:?}");
        }
    }

    #[test]
    fn model_follows_the_statement() {
        let mut fs = Model::new();
        assert_eq!(fs.ls("/"), Ok(vec![]));
        assert_eq!(fs.mkdir("/"), Ok(()));
        assert_eq!(fs.mkdir("/a/b/c"), Ok(()));
        assert_eq!(fs.mkdir("/a/b"), Ok(()));
        assert_eq!(fs.add_content_to_file("/a/f", "x"), Ok(()));
        assert_eq!(fs.add_content_to_file("/a/f", "y"), Ok(()));
        assert_eq!(fs.read_content_from_file("/a/f"), Ok("xy".into()));
        assert_eq!(fs.ls("/a"), Ok(vec!["b".into(), "f".into()]));
        assert_eq!(fs.ls("/a/f"), Ok(vec!["f".into()]));
        assert_eq!(fs.mkdir("/a/f"), Err(AlreadyExists));
        assert_eq!(fs.mkdir("/a/f/g"), Err(NotADirectory));
        assert_eq!(fs.ls("/a/f/g"), Err(NotADirectory));
        assert_eq!(fs.ls("/x/f"), Err(NotFound));
        assert_eq!(fs.add_content_to_file("/a", "x"), Err(IsADirectory));
        assert_eq!(fs.add_content_to_file("/", "x"), Err(IsADirectory));
        assert_eq!(fs.read_content_from_file("/a"), Err(IsADirectory));
        assert_eq!(fs.add_content_to_file("/a/f/x", "x"), Err(NotADirectory));
        assert_eq!(fs.rm("/", true), Err(InvalidPath));
        assert_eq!(fs.rm("/a", false), Err(DirectoryNotEmpty));
        assert_eq!(fs.rm("/a/b/c", false), Ok(()));
        assert_eq!(fs.rm("/a/f", false), Ok(()));
        assert_eq!(fs.rm("/a/f", false), Err(NotFound));
        // mv: the checks in the statement's order.
        assert_eq!(fs.mv("/a/", "/"), Err(InvalidPath));
        assert_eq!(fs.mv("/", "/z"), Err(InvalidPath));
        assert_eq!(
            fs.mv("/nope", "/a/b/c"),
            Err(NotFound),
            "walk from before subtree"
        );
        assert_eq!(fs.mv("/a", "/a"), Err(InvalidPath));
        assert_eq!(
            fs.mv("/a", "/a/b/z"),
            Err(InvalidPath),
            "into its own subtree"
        );
        assert_eq!(fs.mv("/a/b", "/q/r"), Err(NotFound), "to's parent missing");
        assert_eq!(fs.add_content_to_file("/g", "1"), Ok(()));
        assert_eq!(
            fs.mv("/a/b", "/g/r"),
            Err(NotADirectory),
            "to's parent a file"
        );
        assert_eq!(
            fs.mv("/a/b", "/g/r/s"),
            Err(NotADirectory),
            "a file on to's path"
        );
        assert_eq!(fs.mv("/a/b", "/g"), Err(AlreadyExists));
        assert_eq!(fs.mv("/a/b", "/"), Err(AlreadyExists));
        assert_eq!(fs.mv("/a/b", "/a/c"), Ok(()));
        assert_eq!(fs.ls("/a"), Ok(vec!["c".into()]));
        assert_eq!(fs.mv("/a/c", "/c"), Ok(()), "out of its parent");
        assert_eq!(fs.mv("/g", "/a/g2"), Ok(()), "a file");
        assert_eq!(fs.read_content_from_file("/a/g2"), Ok("1".into()));
        assert_eq!(fs.ls("/"), Ok(vec!["a".into(), "c".into()]));
        assert_eq!(fs.mkdir("/é"), Ok(()));
        assert_eq!(fs.mkdir("/B"), Ok(()));
        assert_eq!(
            fs.ls("/"),
            Ok(vec!["B".into(), "a".into(), "c".into(), "é".into()]),
            "byte order"
        );
    }

    #[test]
    fn generators_reach_every_error_and_the_tricky_moves() {
        let mut runner = TestRunner::deterministic();
        let strategy = sequence();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..1_000 {
            let ((), ops) = strategy.new_tree(&mut runner).unwrap().current();
            let mut m = Model::new();
            for op in &ops {
                let ret = Fs.apply(&mut m, op);
                let kind = match (op, &ret) {
                    (Op::Mv(a, b), Ret::Unit(Err(InvalidPath)))
                        if b.starts_with(&format!("{a}/")) && parse(a).is_ok() =>
                    {
                        "mv into own subtree".to_owned()
                    }
                    (Op::Rm(_, false), Ret::Unit(Err(DirectoryNotEmpty))) => {
                        "rm non-empty".to_owned()
                    }
                    (Op::Mv(..), Ret::Unit(Ok(()))) => "mv ok".to_owned(),
                    (Op::Mv(..), Ret::Unit(Err(e))) => format!("mv {e:?}"),
                    (_, Ret::Unit(Err(e))) | (_, Ret::Ls(Err(e))) | (_, Ret::Read(Err(e))) => {
                        format!("{e:?}")
                    }
                    _ => continue,
                };
                *seen.entry(kind).or_default() += 1;
            }
        }
        for kind in [
            "NotFound",
            "NotADirectory",
            "IsADirectory",
            "AlreadyExists",
            "InvalidPath",
            "mv into own subtree",
            "rm non-empty",
            "mv ok",
            "mv NotFound",
            "mv NotADirectory",
            "mv AlreadyExists",
        ] {
            let n = seen.get(kind).copied().unwrap_or(0);
            assert!(n >= 20, "{kind}: {n} in 1000 sequences ({seen:?})");
        }
    }
}
