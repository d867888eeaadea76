//! Hidden tests of LeetCode 588 (in-memory-fs's four operations in LeetCode's API):
//! sequences of only the calls LeetCode's tests make (valid absolute paths of lowercase
//! names, no name both a file and a directory, `ls` and reads of what exists, appends into
//! existing directories), checked against in-memory-fs's model.

use crate::in_memory_fs::Model;
use crate::sequence::{SequenceSpec, Sequences};
use crate::suite::FunctionSuite;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

pub static SUITE: FunctionSuite<Sequences<LeetCode588>> = FunctionSuite(Sequences(LeetCode588));

pub struct LeetCode588;

use crate::wire::{self, Wire};
include!("wire.rs");

/// LeetCode 588's bound on the calls of one test.
const MAX_CALLS: usize = 300;

fn path(names: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(names), 0..=4).prop_map(|parts| {
        if parts.is_empty() {
            "/".to_owned()
        } else {
            parts.iter().map(|p| format!("/{p}")).collect()
        }
    })
}

fn content() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(&["a", "hello", "x", "abc"][..]).prop_map(str::to_owned),
        1 => proptest::collection::vec(b'a'..=b'z', 1..=50)
            .prop_map(|b| String::from_utf8(b).expect("ASCII")),
    ]
}

/// Whether `op` is a call LeetCode's tests could make on `model` (see the module's doc).
fn valid(model: &Model, op: &Op) -> bool {
    let is_dir =
        |p: &str| p == "/" || model.read_content_from_file(p).is_err() && model.ls(p).is_ok();
    match op {
        Op::Ls(p) => model.ls(p).is_ok(),
        Op::Mkdir(p) => {
            // Every existing component a directory; none of them a file.
            let mut prefix = String::new();
            p.split('/').filter(|c| !c.is_empty()).all(|c| {
                prefix.push('/');
                prefix.push_str(c);
                model.ls(&prefix).is_err() || is_dir(&prefix)
            })
        }
        Op::Add(p, _) => {
            let parent = match p.rfind('/') {
                Some(0) => "/",
                Some(i) => &p[..i],
                None => return false,
            };
            p != "/" && is_dir(parent) && !is_dir(p)
        }
        Op::Read(p) => model.read_content_from_file(p).is_ok(),
    }
}

fn apply(model: &mut Model, op: &Op) -> Ret {
    match op {
        Op::Ls(p) => Ret::Ls(model.ls(p).expect("a valid call")),
        Op::Mkdir(p) => {
            model.mkdir(p).expect("a valid call");
            Ret::Unit
        }
        Op::Add(p, c) => {
            model.add_content_to_file(p, c).expect("a valid call");
            Ret::Unit
        }
        Op::Read(p) => Ret::Read(model.read_content_from_file(p).expect("a valid call")),
    }
}

/// The calls of `ops` that are valid where they stand, in order, at most [`MAX_CALLS`].
fn leetcode_calls(ops: Vec<Op>) -> Vec<Op> {
    let mut model = Model::new();
    let mut kept = Vec::new();
    for op in ops {
        if kept.len() < MAX_CALLS && valid(&model, &op) {
            apply(&mut model, &op);
            kept.push(op);
        }
    }
    kept
}

fn sequence() -> impl Strategy<Value = ((), Vec<Op>)> {
    let names: &'static [&'static str] = &["a", "b", "c", "ab", "z"];
    let op = prop_oneof![
        3 => path(names).prop_map(Op::Ls),
        3 => path(names).prop_map(Op::Mkdir),
        4 => (path(names), content()).prop_map(|(p, c)| Op::Add(p, c)),
        3 => path(names).prop_map(Op::Read),
    ];
    let len = prop_oneof![3 => 0usize..=12, 3 => 0usize..=60, 1 => 0usize..=400];
    len.prop_flat_map(move |len| proptest::collection::vec(op.clone(), len))
        .prop_map(|ops| ((), leetcode_calls(ops)))
}

impl SequenceSpec for LeetCode588 {
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

    fn apply(&self, model: &mut Model, op: &Op) -> Ret {
        apply(model, op)
    }

    fn show_setup(&self, _: &()) -> String {
        "let obj = FileSystem::new();".into()
    }

    fn show_op(&self, op: &Op) -> String {
        match op {
            Op::Ls(p) => format!("obj.ls({p:?}.to_string())"),
            Op::Mkdir(p) => format!("obj.mkdir({p:?}.to_string())"),
            Op::Add(p, c) => {
                format!("obj.add_content_to_file({p:?}.to_string(), {c:?}.to_string())")
            }
            Op::Read(p) => format!("obj.read_content_from_file({p:?}.to_string())"),
        }
    }

    fn show_ret(&self, ret: &Ret) -> String {
        match ret {
            Ret::Ls(names) => format!("{names:?}"),
            Ret::Unit => "()".into(),
            Ret::Read(c) => format!("{c:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn sequences_are_leetcodes_valid_calls_and_reach_each_kind() {
        let mut runner = TestRunner::deterministic();
        let strategy = sequence();
        let (mut ls_file, mut nested_add, mut appends, mut long) = (0, 0, 0, 0);
        for _ in 0..500 {
            let ((), ops) = strategy.new_tree(&mut runner).unwrap().current();
            assert!(ops.len() <= MAX_CALLS);
            long += usize::from(ops.len() >= 50);
            let mut m = Model::new();
            let mut added = std::collections::HashSet::new();
            for op in &ops {
                assert!(valid(&m, op), "{op:?} in {ops:?}");
                match op {
                    Op::Ls(p) => ls_file += usize::from(m.read_content_from_file(p).is_ok()),
                    Op::Add(p, _) => {
                        nested_add += usize::from(p.matches('/').count() >= 2);
                        appends += usize::from(!added.insert(p.clone()));
                    }
                    _ => {}
                }
                apply(&mut m, op);
            }
        }
        for (what, n) in [
            ("ls of a file", ls_file),
            ("nested add", nested_add),
            ("append", appends),
            ("long", long),
        ] {
            assert!(n >= 20, "only {n} {what}");
        }
    }

    #[test]
    fn invalid_calls_are_never_made() {
        let mut m = Model::new();
        assert!(!valid(&m, &Op::Read("/a".into())), "reading a missing file");
        assert!(!valid(&m, &Op::Ls("/a".into())), "listing a missing path");
        assert!(
            !valid(&m, &Op::Add("/a/b".into(), "x".into())),
            "no parent directory"
        );
        apply(&mut m, &Op::Add("/a".into(), "x".into()));
        assert!(!valid(&m, &Op::Mkdir("/a".into())), "a file of that name");
        assert!(!valid(&m, &Op::Mkdir("/a/b".into())), "under a file");
        apply(&mut m, &Op::Mkdir("/d".into()));
        assert!(
            !valid(&m, &Op::Add("/d".into(), "x".into())),
            "a directory of that name"
        );
        assert!(valid(&m, &Op::Add("/d/f".into(), "x".into())));
        assert!(valid(&m, &Op::Ls("/a".into())), "ls of a file");
    }
}
