//! Hidden tests of LeetCode 173 (bst-iterator in LeetCode's API): bst-iterator's checks (the
//! values in order, then the O(h) memory bound) on trees within LeetCode's constraints: 1 to
//! 10^5 nodes, values in 0..=10^6.

use crate::bst_iterator::{Bst, Output, Shape, Tree};
use crate::suite::{FunctionSpec, FunctionSuite, Mismatch};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

pub static SUITE: FunctionSuite<LeetCode173> = FunctionSuite(LeetCode173);

pub struct LeetCode173;

/// LeetCode 173's bounds.
pub const MAX_NODES: u32 = 100_000;
pub const MAX_VALUE: i32 = 1_000_000;

/// `n` nodes of `shape` with consecutive values from a start drawn from `seed`, all within
/// `0..=MAX_VALUE`.
fn leetcode_tree(shape: Shape, n: u32, seed: u64) -> Tree {
    let room = (MAX_VALUE - n as i32 + 1).max(1) as u64;
    Tree {
        shape,
        n,
        first: (seed % room) as i32,
        dense: true,
        seed,
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    let shape = prop_oneof![
        3 => Just(Shape::Random),
        2 => Just(Shape::Balanced),
        1 => Just(Shape::LeftPath),
        1 => Just(Shape::RightPath),
        1 => Just(Shape::Zigzag),
        2 => Just(Shape::Vine),
    ];
    let n = prop_oneof![
        2 => Just(1u32),
        60 => 1u32..=40,
        24 => 1u32..=3_000,
        // Big enough that collecting every value costs far more than O(h) allows.
        16 => 2_000u32..=20_000,
    ];
    (shape, n, any::<u64>()).prop_map(|(shape, n, seed)| leetcode_tree(shape, n, seed))
}

impl FunctionSpec for LeetCode173 {
    type Input = Tree;
    type Output = Output;

    fn strategy(&self) -> BoxedStrategy<Tree> {
        tree().boxed()
    }

    fn encode(&self, tree: &Tree) -> Vec<u8> {
        Bst.encode(tree)
    }

    fn decode(&self, tree: &Tree, bytes: &[u8]) -> Option<Output> {
        Bst.decode(tree, bytes)
    }

    fn check(&self, tree: &Tree, out: &Output) -> Result<(), Mismatch> {
        Bst.check(tree, out).map_err(|mut m| {
            m.summary = m.summary.replace("next()", "next() (while has_next())");
            m
        })
    }

    fn show_call(&self, tree: &Tree) -> String {
        let built = tree.build();
        format!(
            "let obj = BSTIterator::new(root); then obj.next() while obj.has_next(), over a {:?} tree of {} nodes, height {}, values {}..={}",
            tree.shape,
            tree.n,
            built.height,
            built.values[0],
            built.values[built.values.len() - 1]
        )
    }

    fn show_expected(&self, tree: &Tree) -> String {
        Bst.show_expected(tree)
    }

    fn proptest_shrinking(&self) -> bool {
        false
    }

    /// bst-iterator's workload (a zigzag path of `n` nodes) with LeetCode's values.
    fn workload(&self, n: u32, seed: u64) -> Option<Tree> {
        let mut rng = judge_core::SplitMix64::new(seed ^ 0x173);
        Some(leetcode_tree(
            Shape::Zigzag,
            n.min(MAX_NODES),
            rng.next_u64(),
        ))
    }

    fn describe_workload(&self, n: u32) -> String {
        format!("BSTIterator over a zigzag path of {n} nodes (height {n}), next() while has_next()")
    }

    /// LeetCode's largest trees end every run: paths of 10^5 nodes and a balanced tree.
    fn pinned(&self) -> Vec<Tree> {
        vec![
            leetcode_tree(Shape::LeftPath, MAX_NODES, 1),
            leetcode_tree(Shape::RightPath, MAX_NODES, 2),
            leetcode_tree(Shape::Zigzag, MAX_NODES, 3),
            leetcode_tree(Shape::Balanced, MAX_NODES, 4),
            leetcode_tree(Shape::Random, MAX_NODES, 5),
        ]
    }

    fn small(&self, tree: &Tree, _index: usize) -> Option<Tree> {
        Some(leetcode_tree(tree.shape, tree.n.min(24), tree.seed))
    }

    fn simpler(&self, tree: &Tree) -> Vec<Tree> {
        let n = tree.n;
        [1, 2, 3, n / 8, n / 4, n / 2, n * 3 / 4, n.saturating_sub(1)]
            .into_iter()
            .filter(|&m| m >= 1 && m < n)
            .map(|m| leetcode_tree(tree.shape, m, tree.seed))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn trees_stay_within_leetcodes_constraints() {
        let mut runner = TestRunner::deterministic();
        let strategy = tree();
        let mut big = 0;
        for _ in 0..500 {
            let t = strategy.new_tree(&mut runner).unwrap().current();
            let b = t.build();
            assert!((1..=MAX_NODES).contains(&t.n));
            assert!(
                b.values.iter().all(|v| (0..=MAX_VALUE).contains(v)),
                "{t:?}"
            );
            assert!(b.values.windows(2).all(|w| w[0] < w[1]));
            big += usize::from(t.n >= 2_000);
        }
        assert!(big >= 20, "{big} trees of 2,000 nodes or more");
        for t in LeetCode173.pinned() {
            let b = t.build();
            assert_eq!(b.values.len(), MAX_NODES as usize);
            assert!(*b.values.last().unwrap() <= MAX_VALUE);
        }
    }
}
