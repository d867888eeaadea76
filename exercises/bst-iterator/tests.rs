//! Native tests of the bst-iterator reference: in-order values on every tree shape, deep paths
//! without recursion, and the O(h) memory bound measured with a counting allocator.

use std::collections::BTreeSet;

use super::BstIterator;
use super::TreeNode;
use proptest::prelude::*;

use crate::testing::peak_extra;

/// The statement's bound on extra memory while iterating: 64 bytes per level plus 4 KiB.
fn memory_bound(height: usize) -> isize {
    (64 * height + 4096) as isize
}

// ---------------------------------------------------------------------------------------------
// Trees, built and freed without recursion so that paths of 10^5 nodes are fine.

/// An owned tree that frees its nodes with a loop: the derived drop of `Box<TreeNode>`
/// recurses once per level.
struct Tree(Option<Box<TreeNode>>);

impl Tree {
    fn root(&self) -> Option<&TreeNode> {
        self.0.as_deref()
    }

    /// Number of levels: 0 for the empty tree, 1 for a single node.
    fn height(&self) -> usize {
        let mut deepest = 0;
        let mut pending: Vec<(&TreeNode, usize)> =
            self.root().map(|r| (r, 1)).into_iter().collect();
        while let Some((node, depth)) = pending.pop() {
            deepest = deepest.max(depth);
            pending.extend(node.left.as_deref().map(|n| (n, depth + 1)));
            pending.extend(node.right.as_deref().map(|n| (n, depth + 1)));
        }
        deepest
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let mut pending: Vec<Box<TreeNode>> = self.0.take().into_iter().collect();
        while let Some(mut node) = pending.pop() {
            pending.extend(node.left.take());
            pending.extend(node.right.take());
        }
    }
}

fn leaf(val: i32) -> Option<Box<TreeNode>> {
    Some(Box::new(TreeNode::new(val)))
}

fn node(
    val: i32,
    left: Option<Box<TreeNode>>,
    right: Option<Box<TreeNode>>,
) -> Option<Box<TreeNode>> {
    Some(Box::new(TreeNode { val, left, right }))
}

/// Inserts `values` in the given order into an unbalanced BST, with a loop.
fn inserted(values: &[i32]) -> Tree {
    let mut root: Option<Box<TreeNode>> = None;
    for &val in values {
        let mut slot = &mut root;
        while let Some(node) = slot {
            slot = if val < node.val {
                &mut node.left
            } else {
                &mut node.right
            };
        }
        *slot = leaf(val);
    }
    Tree(root)
}

/// The balanced BST of sorted, distinct `values` (recursion depth log n).
fn balanced(sorted: &[i32]) -> Tree {
    fn build(sorted: &[i32]) -> Option<Box<TreeNode>> {
        if sorted.is_empty() {
            return None;
        }
        let mid = sorted.len() / 2;
        node(
            sorted[mid],
            build(&sorted[..mid]),
            build(&sorted[mid + 1..]),
        )
    }
    Tree(build(sorted))
}

/// A tree that is one path from the root, visiting `path` in order: each node is the left
/// child of the one above if smaller, else its right child. `path` must be such a path of a
/// BST (every value between the bounds its ancestors set). Built from the bottom up.
fn path_tree(path: &[i32]) -> Tree {
    let mut below: Option<Box<TreeNode>> = None;
    for (i, &val) in path.iter().enumerate().rev() {
        let child = below.take();
        below = match path.get(i + 1) {
            Some(&next) if next < val => node(val, child, None),
            _ => node(val, None, child),
        };
    }
    Tree(below)
}

/// Sorted values, as a path of left children: the largest at the root.
fn left_path(sorted: &[i32]) -> Tree {
    path_tree(&sorted.iter().rev().copied().collect::<Vec<_>>())
}

/// Sorted values, as a path of right children: the smallest at the root.
fn right_path(sorted: &[i32]) -> Tree {
    path_tree(sorted)
}

/// Sorted values as a zigzag path: smallest, largest, second smallest, second largest, ...
/// so the path alternates right and left.
fn zigzag(sorted: &[i32]) -> Tree {
    let mut order = Vec::with_capacity(sorted.len());
    let (mut low, mut high) = (0, sorted.len());
    while low < high {
        order.push(sorted[low]);
        low += 1;
        if low < high {
            high -= 1;
            order.push(sorted[high]);
        }
    }
    path_tree(&order)
}

fn values(tree: &Tree) -> Vec<i32> {
    BstIterator::new(tree.root()).collect()
}

/// Iterates `tree`, checking each value against `expected` as it comes (no Vec of results, so
/// nothing but the iterator allocates), and returns the peak extra heap the iteration used.
fn iterate_and_measure(tree: &Tree, expected: impl IntoIterator<Item = i32>) -> isize {
    let mut expected = expected.into_iter();
    let (count, extra) = peak_extra(|| {
        let mut count = 0usize;
        for val in BstIterator::new(tree.root()) {
            assert_eq!(Some(val), expected.next(), "value {count}");
            count += 1;
        }
        count
    });
    assert_eq!(expected.next(), None, "stopped early, after {count} values");
    extra
}

// ---------------------------------------------------------------------------------------------

#[test]
fn an_empty_tree_yields_nothing_and_keeps_yielding_nothing() {
    let mut iter = BstIterator::new(None);
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next(), None);
}

#[test]
fn a_single_node_yields_its_value_once() {
    let tree = Tree(leaf(7));
    let mut iter = BstIterator::new(tree.root());
    assert_eq!(iter.next(), Some(7));
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next(), None);
}

#[test]
fn statement_examples() {
    //     7
    //    / \
    //   3   15
    //      /  \
    //     9    20
    let tree = Tree(node(7, leaf(3), node(15, leaf(9), leaf(20))));
    assert_eq!(values(&tree), [3, 7, 9, 15, 20]);
    // Right child of a leftmost node, left child of a right child.
    let tree = Tree(node(5, node(1, None, node(3, leaf(2), leaf(4))), None));
    assert_eq!(values(&tree), [1, 2, 3, 4, 5]);
}

#[test]
fn small_shapes() {
    assert_eq!(values(&Tree(node(2, leaf(1), None))), [1, 2]);
    assert_eq!(values(&Tree(node(1, None, leaf(2)))), [1, 2]);
    assert_eq!(values(&Tree(node(2, leaf(1), leaf(3)))), [1, 2, 3]);
    assert_eq!(
        values(&Tree(node(3, node(1, None, leaf(2)), None))),
        [1, 2, 3]
    );
    assert_eq!(
        values(&Tree(node(1, None, node(3, leaf(2), None)))),
        [1, 2, 3]
    );
}

#[test]
fn extreme_values() {
    let tree = Tree(node(
        0,
        node(i32::MIN, None, leaf(-1)),
        node(i32::MAX, leaf(1), None),
    ));
    assert_eq!(values(&tree), [i32::MIN, -1, 0, 1, i32::MAX]);
    assert_eq!(values(&Tree(leaf(i32::MIN))), [i32::MIN]);
    assert_eq!(
        values(&Tree(node(i32::MAX, leaf(i32::MIN), None))),
        [i32::MIN, i32::MAX]
    );
}

#[test]
fn values_come_lazily_and_iterators_are_independent() {
    let sorted: Vec<i32> = (0..100).collect();
    let tree = balanced(&sorted);
    let mut a = BstIterator::new(tree.root());
    let mut b = BstIterator::new(tree.root());
    assert_eq!(a.next(), Some(0));
    assert_eq!(a.next(), Some(1));
    assert_eq!(b.next(), Some(0));
    assert_eq!(a.by_ref().take(3).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(b.next(), Some(1));
    assert_eq!(a.count(), 95);
    assert_eq!(b.count(), 98);
}

#[test]
fn degenerate_paths_of_a_hundred_thousand_nodes() {
    let sorted: Vec<i32> = (0..100_000).map(|i| i * 3 - 150_000).collect();
    for (shape, tree) in [
        ("left path", left_path(&sorted)),
        ("right path", right_path(&sorted)),
        ("zigzag", zigzag(&sorted)),
    ] {
        assert_eq!(tree.height(), sorted.len(), "{shape}");
        let extra = iterate_and_measure(&tree, sorted.iter().copied());
        assert!(
            extra <= memory_bound(tree.height()),
            "{shape}: {extra} bytes over h = {}",
            tree.height()
        );
    }
}

#[test]
fn a_balanced_tree_of_a_million_nodes_in_o_h_memory() {
    let sorted: Vec<i32> = (0..1_000_000).collect();
    let tree = balanced(&sorted);
    assert_eq!(tree.height(), 20);
    let extra = iterate_and_measure(&tree, 0..1_000_000);
    // A Vec of all values would be 4 MB; the bound for h = 20 is 5376 bytes.
    assert!(extra <= memory_bound(20), "{extra} bytes");
}

#[test]
fn the_memory_check_catches_collecting_everything() {
    // The measurement itself, proven on what the bound must reject.
    let sorted: Vec<i32> = (0..10_000).collect();
    let tree = balanced(&sorted);
    let (collected, extra) = peak_extra(|| BstIterator::new(tree.root()).collect::<Vec<i32>>());
    assert_eq!(collected, sorted);
    assert!(extra > memory_bound(tree.height()), "{extra} bytes");
}

// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Shape {
    Inserted,
    Balanced,
    LeftPath,
    RightPath,
    Zigzag,
}

/// Distinct values, the extremes likely among them, and an order to insert them in.
fn distinct_values() -> impl Strategy<Value = Vec<i32>> {
    let value = prop_oneof![
        1 => Just(i32::MIN),
        1 => Just(i32::MAX),
        1 => Just(0),
        1 => Just(-1),
        4 => -64..64i32,
        4 => any::<i32>(),
    ];
    prop::collection::btree_set(value, 0..300)
        .prop_map(|set| set.into_iter().collect::<Vec<i32>>())
        .prop_shuffle()
}

fn shaped(shape: Shape, insertion_order: &[i32]) -> Tree {
    let sorted: Vec<i32> = insertion_order
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    match shape {
        Shape::Inserted => inserted(insertion_order),
        Shape::Balanced => balanced(&sorted),
        Shape::LeftPath => left_path(&sorted),
        Shape::RightPath => right_path(&sorted),
        Shape::Zigzag => zigzag(&sorted),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn yields_the_sorted_values_of_any_shape(
        order in distinct_values(),
        shape in prop_oneof![
            3 => Just(Shape::Inserted),
            1 => Just(Shape::Balanced),
            1 => Just(Shape::LeftPath),
            1 => Just(Shape::RightPath),
            1 => Just(Shape::Zigzag),
        ],
    ) {
        let tree = shaped(shape, &order);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        let extra = iterate_and_measure(&tree, sorted.iter().copied());
        prop_assert!(extra <= memory_bound(tree.height()), "{} bytes, h = {}", extra, tree.height());
        // And once exhausted, it stays exhausted.
        let mut iter = BstIterator::new(tree.root());
        prop_assert_eq!(iter.by_ref().count(), sorted.len());
        prop_assert_eq!(iter.next(), None);
    }
}
