//! Hidden tests of `bst-iterator`: trees of every shape up to 10^6 nodes (balanced, random,
//! paths of 10^5 nodes, zigzags), iterated to the end in the guest; the values must come out
//! in order, and the extra heap held while iterating, counted by the harness's allocator,
//! must stay within O(h).

use crate::suite::{FunctionSpec, FunctionSuite, Mismatch};
use crate::wire::{self, Wire};
use judge_core::Verdict;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

// `Node` and `Output`, and how they cross the wire: the same file the guest's harness is
// built with.
include!("wire.rs");

pub static SUITE: FunctionSuite<Bst> = FunctionSuite(Bst);

pub struct Bst;

/// Extra heap an iterator may hold at once: this many bytes per level of height...
pub const BYTES_PER_LEVEL: u64 = 64;
/// ...plus this much.
pub const BYTES_FIXED: u64 = 4096;

/// The call stack every build gets (`-zstack-size` in judge/src/compile.rs): the first
/// part of the module's static memory.
pub const STACK_BYTES: u64 = 8 << 20;
/// Static memory (stack, data and bss, in whole 64 KiB pages) a module may have without it
/// counting against the bound: the stack, and four pages for the data of std, formatting
/// and a program's constants (the reference needs one; `judge validate` proves the
/// accepted submissions within it). A `static` array of the values is over it.
pub const STATIC_ALLOWANCE: u64 = STACK_BYTES + (256 << 10);

/// What an iterator held, as the harness measured it (see harness.rs).
struct Held {
    heap: u64,
    outside: u64,
    /// Static memory over [`STATIC_ALLOWANCE`].
    statics: u64,
}

impl Held {
    fn of(out: &Output) -> Self {
        Held {
            heap: out.peak_bytes,
            outside: out.outside_bytes,
            statics: out.static_bytes.saturating_sub(STATIC_ALLOWANCE),
        }
    }

    fn total(&self) -> u64 {
        self.heap
            .saturating_add(self.outside)
            .saturating_add(self.statics)
    }

    /// Where the bytes were, in words.
    fn parts(&self) -> String {
        let mut parts = vec![format!("{} of heap at the peak", kib(self.heap))];
        if self.outside > 0 {
            parts.push(format!(
                "{} of linear memory grown outside the global allocator (`std::alloc::System` or `memory_grow`)",
                kib(self.outside)
            ));
        }
        if self.statics > 0 {
            parts.push(format!(
                "{} of static memory (statics, constants) over the {} every program may have",
                kib(self.statics),
                kib(STATIC_ALLOWANCE)
            ));
        }
        parts.join(", ")
    }
}

/// How the root of each subtree is chosen among its in-order positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The middle: height log2(n) + 1.
    Balanced,
    /// Uniformly at random: a random BST, height O(log n) expected.
    Random,
    /// The last: every node has only a left child.
    LeftPath,
    /// The first: every node has only a right child.
    RightPath,
    /// Alternately first and last: a path that turns at every node.
    Zigzag,
    /// Mostly an end, sometimes random: long paths with bushy side branches.
    Vine,
}

/// A tree, as a recipe: `n` nodes of `shape`, values strictly increasing from `first` in
/// steps drawn from `seed` (1 when `dense`), so every tree is a valid BST.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    pub shape: Shape,
    pub n: u32,
    pub first: i32,
    pub dense: bool,
    pub seed: u64,
}

/// A tree built from its recipe: children by in-order index.
pub struct Built {
    pub values: Vec<i32>,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub root: u32,
    /// Nodes on the longest root-to-leaf path (0 for the empty tree).
    pub height: u32,
}

const NONE: u32 = u32::MAX;

/// The height of the deepest tree the statement promises (a path).
pub const DEEPEST: u32 = 1_000_000;

use judge_core::SplitMix64 as SplitMix;

impl Tree {
    /// The values: strictly increasing, ending no later than `i32::MAX`.
    fn values(&self, rng: &mut SplitMix) -> Vec<i32> {
        let n = self.n as i64;
        let max_step = if self.dense {
            1
        } else {
            ((i64::from(i32::MAX) - i64::from(self.first)) / n.max(1)).clamp(1, 1_000)
        };
        let mut v = i64::from(self.first);
        let mut out = Vec::with_capacity(self.n as usize);
        for _ in 0..n {
            out.push(v as i32);
            let step = 1 + (rng.next_u64() % max_step as u64) as i64;
            v = (v + step).min(i64::from(i32::MAX));
        }
        // Steps were capped at the top: keep the values distinct by packing the tail.
        let top = i64::from(i32::MAX);
        for (i, x) in out.iter_mut().rev().enumerate() {
            *x = i64::from(*x).min(top - i as i64) as i32;
        }
        out
    }

    pub fn build(&self) -> Built {
        let mut rng = SplitMix::new(self.seed);
        let values = self.values(&mut rng);
        let n = self.n as usize;
        let (mut left, mut right) = (vec![NONE; n], vec![NONE; n]);
        let mut height = 0;
        if n == 0 {
            return Built {
                values,
                left,
                right,
                root: NONE,
                height,
            };
        }
        // Iteratively: (lo, hi, depth, parent slot as (parent, is its left child)).
        type Pending = (u32, u32, u32, Option<(u32, bool)>);
        let mut stack: Vec<Pending> = vec![(0, n as u32, 1, None)];
        let mut root = NONE;
        while let Some((lo, hi, depth, parent)) = stack.pop() {
            let len = hi - lo;
            let r = match self.shape {
                Shape::Balanced => lo + len / 2,
                Shape::Random => lo + (rng.next_u64() % u64::from(len)) as u32,
                Shape::LeftPath => hi - 1,
                Shape::RightPath => lo,
                Shape::Zigzag => {
                    if depth % 2 == 0 {
                        lo
                    } else {
                        hi - 1
                    }
                }
                Shape::Vine => match rng.next_u64() % 16 {
                    0 => lo + (rng.next_u64() % u64::from(len)) as u32,
                    1..=7 => lo,
                    _ => hi - 1,
                },
            };
            height = height.max(depth);
            match parent {
                None => root = r,
                Some((p, true)) => left[p as usize] = r,
                Some((p, false)) => right[p as usize] = r,
            }
            if r > lo {
                stack.push((lo, r, depth + 1, Some((r, true))));
            }
            if r + 1 < hi {
                stack.push((r + 1, hi, depth + 1, Some((r, false))));
            }
        }
        Built {
            values,
            left,
            right,
            root,
            height,
        }
    }
}

impl Built {
    /// The nodes in post-order, as the harness builds the tree: bottom-up from a stack.
    fn post_order(&self) -> Vec<Node> {
        let mut out = Vec::with_capacity(self.values.len());
        if self.values.is_empty() {
            return out;
        }
        // Iterative post-order: (node, children done).
        let mut stack = vec![(self.root, false)];
        while let Some((node, done)) = stack.pop() {
            let (l, r) = (self.left[node as usize], self.right[node as usize]);
            if done {
                out.push(Node {
                    val: self.values[node as usize],
                    left: l != NONE,
                    right: r != NONE,
                });
            } else {
                stack.push((node, true));
                if r != NONE {
                    stack.push((r, false));
                }
                if l != NONE {
                    stack.push((l, false));
                }
            }
        }
        out
    }

    /// The subtree at `node` as a Rust expression that builds it with the provided API:
    /// `TreeNode::new` for a leaf, a struct literal for a node with children, on one line.
    fn flat(&self, node: u32) -> String {
        let v = literal(self.values[node as usize]);
        let (l, r) = (self.left[node as usize], self.right[node as usize]);
        if l == NONE && r == NONE {
            return format!("TreeNode::new({v})");
        }
        let child = |c: u32| match c {
            NONE => "None".to_owned(),
            c => format!("Some(Box::new({}))", self.flat(c)),
        };
        format!(
            "TreeNode {{ val: {v}, left: {}, right: {} }}",
            child(l),
            child(r)
        )
    }

    /// [`Built::flat`] laid out as rustfmt would: on one line when it fits in
    /// [`CODE_WIDTH`] from `column`, else one field per line, indented from `indent`.
    fn code(&self, node: u32, indent: usize, column: usize) -> String {
        let flat = self.flat(node);
        let (l, r) = (self.left[node as usize], self.right[node as usize]);
        if column + flat.len() <= CODE_WIDTH || (l == NONE && r == NONE) {
            return flat;
        }
        let inner = indent + 4;
        let field = |name: &str, c: u32| match c {
            NONE => format!("{name}: None"),
            c => {
                let head = format!("{name}: Some(Box::new(");
                let at = inner + head.len();
                format!("{head}{}))", self.code(c, inner, at))
            }
        };
        let pad = " ".repeat(inner);
        format!(
            "TreeNode {{\n{pad}val: {},\n{pad}{},\n{pad}{},\n{}}}",
            literal(self.values[node as usize]),
            field("left", l),
            field("right", r),
            " ".repeat(indent)
        )
    }

    /// Rust code that builds the tree and iterates it as the judge does, to paste into a
    /// test: `values` ends up with what the iterator returned (at most one value past the
    /// tree's, where the judge stops reading).
    fn as_code(&self) -> String {
        let n = self.values.len();
        let read = format!(".take({}).collect();", n + 1);
        if n == 0 {
            return format!("let values: Vec<i32> = BstIterator::new(None){read}");
        }
        format!(
            "let root = {};\nlet values: Vec<i32> = BstIterator::new(Some(&root)){read}",
            self.code(self.root, 0, "let root = ".len())
        )
    }
}

/// Trees up to this many nodes are shown as the code that builds them.
const SHOWN_AS_CODE: u32 = 15;

/// Widest line of tree code a report shows before it breaks a node's fields over lines.
const CODE_WIDTH: usize = 90;

/// A value as a Rust literal: the extremes by name.
fn literal(v: i32) -> String {
    match v {
        i32::MIN => "i32::MIN".to_owned(),
        i32::MAX => "i32::MAX".to_owned(),
        v => v.to_string(),
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        3 => Just(Shape::Random),
        2 => Just(Shape::Balanced),
        1 => Just(Shape::LeftPath),
        1 => Just(Shape::RightPath),
        1 => Just(Shape::Zigzag),
        2 => Just(Shape::Vine),
    ]
}

fn first_value() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => -50i32..50,
        1 => Just(i32::MIN),
        1 => Just(i32::MAX - 40),
        // Clamped below to room for the tree's values: it ends at i32::MAX exactly.
        1 => Just(i32::MAX),
        1 => any::<i32>(),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let small = (shape(), 0u32..=40);
    let medium = (shape(), 0u32..=3_000);
    // Big enough that collecting every value costs far more than O(h) allows.
    let bushy = (
        prop_oneof![Just(Shape::Balanced), Just(Shape::Random)],
        2_000u32..=20_000,
    );
    let deep = (
        prop_oneof![
            Just(Shape::LeftPath),
            Just(Shape::RightPath),
            Just(Shape::Zigzag)
        ],
        Just(100_000u32),
    );
    // Each run also ends with the pinned trees (`Bst::pinned`): two of 10^6 nodes and
    // three paths of 10^5. A tree of 10^6 nodes costs about 170 ms to build and iterate
    // in the sandbox, so generated ones would dominate the suite's time.
    let sized = prop_oneof![
        // The empty tree and a single node: edge cases worth one case in twenty.
        4 => (shape(), Just(0u32)),
        2 => (shape(), Just(1u32)),
        60 => small,
        24 => medium,
        16 => bushy,
        2 => deep,
    ];
    (sized, first_value(), any::<bool>(), any::<u64>()).prop_map(
        |((shape, n), first, dense, seed)| Tree {
            shape,
            n,
            // Room for n values from `first` on, the last one i32::MAX at most.
            first: first.min(i32::MAX - (n as i32 - 1).max(0)),
            dense,
            seed,
        },
    )
}

fn ordinal(i: usize) -> String {
    let suffix = match (i % 10, i % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{i}{suffix}")
}

fn kib(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

impl FunctionSpec for Bst {
    type Input = Tree;
    type Output = Output;

    fn strategy(&self) -> BoxedStrategy<Tree> {
        tree().boxed()
    }

    fn encode(&self, tree: &Tree) -> Vec<u8> {
        wire::to_bytes(&tree.build().post_order())
    }

    fn decode(&self, tree: &Tree, bytes: &[u8]) -> Option<Output> {
        let out: Output = wire::from_bytes(bytes)?;
        (out.values.len() <= tree.n as usize + 1).then_some(out)
    }

    fn check(&self, tree: &Tree, out: &Output) -> Result<(), Mismatch> {
        let built = tree.build();
        let expected = &built.values;
        let show = |v: Option<&i32>| match v {
            Some(v) => format!("Some({v})"),
            None => "None".to_owned(),
        };
        if let Some(i) = (0..=expected.len()).find(|&i| expected.get(i) != out.values.get(i)) {
            let got = if i < out.values.len() {
                show(out.values.get(i))
            } else {
                "None".to_owned()
            };
            return Err(Mismatch {
                verdict: Verdict::WrongAnswer,
                summary: format!(
                    "the {} call of next() returned {got}, expected {}",
                    ordinal(i + 1),
                    show(expected.get(i))
                ),
                call: None,
                expected: format!(
                    "{} from the {} next(); the values in order: {}",
                    show(expected.get(i)),
                    ordinal(i + 1),
                    around(expected, i)
                ),
                actual: format!("{got}; your iterator returned {}", around(&out.values, i)),
            });
        }
        let bound = BYTES_PER_LEVEL * u64::from(built.height) + BYTES_FIXED;
        let held = Held::of(out);
        if held.total() > bound {
            return Err(Mismatch {
                verdict: Verdict::TooMuchMemory,
                summary: format!(
                    "held {} while iterating {} nodes of height {}; the O(h) bound is {}",
                    kib(held.total()),
                    tree.n,
                    built.height,
                    kib(bound)
                ),
                call: None,
                expected: format!(
                    "at most {} extra bytes at once: {BYTES_PER_LEVEL} per level of height ({}) + {BYTES_FIXED}",
                    bound, built.height
                ),
                actual: format!(
                    "{} bytes ({}), about {:.1} bytes per node: {}",
                    held.total(),
                    kib(held.total()),
                    held.total() as f64 / f64::from(tree.n.max(1)),
                    held.parts()
                ),
            });
        }
        Ok(())
    }

    fn show_call(&self, tree: &Tree) -> String {
        let built = tree.build();
        let shape = match tree.shape {
            Shape::Balanced => "balanced",
            Shape::Random => "random",
            Shape::LeftPath => "left-path (every node has only a left child)",
            Shape::RightPath => "right-path (every node has only a right child)",
            Shape::Zigzag => "zigzag path",
            Shape::Vine => "vine-shaped",
        };
        // A small tree as the code that builds it; a large one described (its code would
        // run to thousands of lines).
        if tree.n <= SHOWN_AS_CODE {
            return built.as_code();
        }
        format!(
            "BstIterator::new(root), then next() until None, over a {shape} tree of {} nodes, height {}, values {}..={}",
            tree.n,
            built.height,
            built.values[0],
            built.values[built.values.len() - 1]
        )
    }

    fn show_expected(&self, tree: &Tree) -> String {
        let built = tree.build();
        format!("{} values in order: {}", tree.n, around(&built.values, 0))
    }

    fn proptest_shrinking(&self) -> bool {
        false
    }

    /// A zigzag path of `n` nodes (height n), iterated to the end: O(n) in all for an
    /// amortised O(1) `next`, O(n^2) for one that walks down from the root each time.
    /// The values come from `seed` (their steps and where they start), the shape does not.
    fn workload(&self, n: u32, seed: u64) -> Option<Tree> {
        let mut rng = judge_core::SplitMix64::new(seed ^ 0xB57_0000_0000_0000);
        // Room for n values with steps of up to 1,000 (`Tree::values`) above `first`.
        let room = i64::from(i32::MAX) - 1_000 * i64::from(n) - i64::from(i32::MIN);
        let first = i64::from(i32::MIN) + (rng.next_u64() % room.max(1) as u64) as i64;
        Some(Tree {
            shape: Shape::Zigzag,
            n,
            first: first as i32,
            dense: false,
            seed: rng.next_u64(),
        })
    }

    fn describe_workload(&self, n: u32) -> String {
        format!("BstIterator over a zigzag path of {n} nodes (height {n}), next() until None")
    }

    fn pinned(&self) -> Vec<Tree> {
        let tree = |shape, n, first, seed| Tree {
            shape,
            n,
            first,
            dense: false,
            seed,
        };
        vec![
            tree(Shape::LeftPath, 100_000, -50_000, 1),
            tree(Shape::RightPath, 100_000, i32::MIN, 2),
            tree(Shape::Zigzag, 100_000, 0, 3),
            tree(Shape::Balanced, 1_000_000, -1_000_000, 4),
            tree(Shape::Random, 1_000_000, i32::MIN, 5),
            // Height 10^6, its values ending at i32::MAX: recursion one call deeper per
            // level overflows the 8 MiB call stack here (the statement's "no recursion").
            tree(Shape::LeftPath, DEEPEST, i32::MAX - (DEEPEST as i32 - 1), 6),
        ]
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("empty_tree", "the empty tree (root None)"),
            ("single_node", "a tree of one node"),
            ("value_i32_min", "a tree holding i32::MIN"),
            ("value_i32_max", "a tree holding i32::MAX"),
            ("largest_tree", "a tree of 10^6 nodes"),
            ("deepest_path", "a path of 10^6 nodes (height 10^6)"),
        ]
    }

    fn hits(&self, tree: &Tree) -> Vec<&'static str> {
        let built = tree.build();
        let mut hits = Vec::new();
        match tree.n {
            0 => hits.push("empty_tree"),
            1 => hits.push("single_node"),
            n if n >= 1_000_000 => hits.push("largest_tree"),
            _ => {}
        }
        if built.values.first() == Some(&i32::MIN) {
            hits.push("value_i32_min");
        }
        if built.values.last() == Some(&i32::MAX) {
            hits.push("value_i32_max");
        }
        if built.height >= DEEPEST {
            hits.push("deepest_path");
        }
        hits
    }

    fn simpler(&self, tree: &Tree) -> Vec<Tree> {
        let n = tree.n;
        let mut out: Vec<Tree> = [
            0,
            1,
            2,
            3,
            n / 8,
            n / 4,
            n / 2,
            n * 3 / 4,
            n.saturating_sub(1),
        ]
        .into_iter()
        .filter(|&m| m < n)
        .map(|m| Tree {
            n: m,
            ..tree.clone()
        })
        .collect();
        if tree.seed != 0 {
            out.push(Tree {
                seed: 0,
                ..tree.clone()
            });
        }
        if !tree.dense || tree.first != 1 {
            out.push(Tree {
                dense: true,
                first: 1,
                ..tree.clone()
            });
        }
        out
    }
}

/// A few values around index `i`, for showing where a long list goes wrong.
fn around(values: &[i32], i: usize) -> String {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(values.len());
    let shown: Vec<String> = values[lo..hi].iter().map(i32::to_string).collect();
    format!(
        "{}[{}]{}",
        if lo > 0 { "…, " } else { "" },
        shown.join(", "),
        if hi < values.len() {
            format!(" …, {} in all", values.len())
        } else {
            String::new()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn in_order(b: &Built) -> Vec<i32> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        let mut node = b.root;
        loop {
            while node != NONE {
                stack.push(node);
                node = b.left[node as usize];
            }
            let Some(n) = stack.pop() else { break };
            out.push(b.values[n as usize]);
            node = b.right[n as usize];
        }
        out
    }

    #[test]
    fn every_shape_is_a_valid_bst_of_the_expected_height() {
        for shape in [
            Shape::Balanced,
            Shape::Random,
            Shape::LeftPath,
            Shape::RightPath,
            Shape::Zigzag,
            Shape::Vine,
        ] {
            for n in [0, 1, 2, 7, 100, 1000] {
                for first in [i32::MIN, -3, i32::MAX - n as i32] {
                    let t = Tree {
                        shape,
                        n,
                        first,
                        dense: false,
                        seed: 9,
                    };
                    let b = t.build();
                    let values = in_order(&b);
                    assert_eq!(values.len(), n as usize);
                    assert!(values.windows(2).all(|w| w[0] < w[1]), "{shape:?} {n}");
                    assert_eq!(values, b.values);
                    match shape {
                        Shape::LeftPath | Shape::RightPath | Shape::Zigzag => {
                            assert_eq!(b.height, n)
                        }
                        Shape::Balanced if n > 0 => {
                            assert_eq!(b.height, 32 - n.leading_zeros())
                        }
                        _ => assert!(b.height <= n.max(1)),
                    }
                }
            }
        }
    }

    #[test]
    fn encoding_is_post_order_with_child_flags() {
        let t = Tree {
            shape: Shape::Balanced,
            n: 3,
            first: 1,
            dense: true,
            seed: 0,
        };
        let bytes = Bst.encode(&t);
        assert_eq!(
            bytes,
            [3, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0, 3]
        );
        assert_eq!(
            wire::from_bytes::<Vec<Node>>(&bytes).unwrap(),
            t.build().post_order()
        );
        assert_eq!(
            Bst.show_call(&t),
            "let root = TreeNode {
    val: 2,
    left: Some(Box::new(TreeNode::new(1))),
    right: Some(Box::new(TreeNode::new(3))),
};
let values: Vec<i32> = BstIterator::new(Some(&root)).take(4).collect();"
        );
    }

    #[test]
    fn small_trees_are_shown_as_code_that_builds_them() {
        let tree = |shape, n, first| Tree {
            shape,
            n,
            first,
            dense: true,
            seed: 0,
        };
        assert_eq!(
            Bst.show_call(&tree(Shape::Balanced, 0, 1)),
            "let values: Vec<i32> = BstIterator::new(None).take(1).collect();"
        );
        assert_eq!(
            Bst.show_call(&tree(Shape::Balanced, 1, i32::MIN)),
            "let root = TreeNode::new(i32::MIN);\n\
             let values: Vec<i32> = BstIterator::new(Some(&root)).take(2).collect();"
        );
        // A path of 15 nodes breaks over lines, each node once, indented per level.
        let t = tree(Shape::Zigzag, SHOWN_AS_CODE, i32::MAX - 14);
        let code = Bst.show_call(&t);
        assert!(code.lines().all(|l| l.len() <= 120), "{code}");
        assert_eq!(code.matches("TreeNode").count(), 15, "{code}");
        assert!(code.contains("val: i32::MAX,") || code.contains("TreeNode::new(i32::MAX)"));
        assert!(code.ends_with(".take(16).collect();"), "{code}");
        // Larger trees are described.
        let big = Bst.show_call(&tree(Shape::Balanced, SHOWN_AS_CODE + 1, 1));
        assert!(big.contains("balanced tree of 16 nodes"), "{big}");
    }

    #[test]
    fn answers_are_decoded_defensively() {
        let t = Tree {
            shape: Shape::Balanced,
            n: 3,
            first: 1,
            dense: true,
            seed: 0,
        };
        let answer = |values: Vec<i32>| {
            wire::to_bytes(&Output {
                values,
                peak_bytes: 7,
                outside_bytes: 0,
                static_bytes: STACK_BYTES,
            })
        };
        let ok = answer(vec![1, 2, 3]);
        assert_eq!(
            Bst.decode(&t, &ok),
            Some(Output {
                values: vec![1, 2, 3],
                peak_bytes: 7,
                outside_bytes: 0,
                static_bytes: STACK_BYTES,
            })
        );
        // n + 1 values: an iterator that runs past the end, stopped there.
        assert!(Bst.decode(&t, &answer(vec![1, 2, 3, 4])).is_some());
        assert_eq!(Bst.decode(&t, &answer(vec![1, 2, 3, 4, 5])), None);
        assert_eq!(Bst.decode(&t, &ok[..ok.len() - 1]), None);
        let mut longer = ok.clone();
        longer.push(0);
        assert_eq!(Bst.decode(&t, &longer), None);
        // A count far past the bytes that follow.
        assert_eq!(Bst.decode(&t, &[0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0]), None);
    }

    #[test]
    fn checks_order_then_memory() {
        let t = Tree {
            shape: Shape::Balanced,
            n: 3,
            first: 1,
            dense: true,
            seed: 0,
        };
        let ok = Output {
            values: vec![1, 2, 3],
            peak_bytes: 100,
            outside_bytes: 0,
            static_bytes: STACK_BYTES,
        };
        assert!(Bst.check(&t, &ok).is_ok());
        let short = Output {
            values: vec![1, 2],
            peak_bytes: 0,
            outside_bytes: 0,
            static_bytes: STACK_BYTES,
        };
        let m = Bst.check(&t, &short).unwrap_err();
        assert_eq!(m.verdict, Verdict::WrongAnswer);
        assert!(
            m.summary
                .contains("3rd call of next() returned None, expected Some(3)"),
            "{}",
            m.summary
        );
        let fat = Output {
            values: vec![1, 2, 3],
            peak_bytes: 64 * 2 + 4096 + 1,
            outside_bytes: 0,
            static_bytes: STACK_BYTES,
        };
        let m = Bst.check(&t, &fat).unwrap_err();
        assert_eq!(m.verdict, Verdict::TooMuchMemory);
        assert!(
            m.summary.contains("the O(h) bound is 4.1 KiB"),
            "{}",
            m.summary
        );
        // Memory grown around the allocator, and static memory over the allowance, count.
        let around = Output {
            outside_bytes: 65_536,
            peak_bytes: 0,
            ..ok.clone()
        };
        let m = Bst.check(&t, &around).unwrap_err();
        assert_eq!(m.verdict, Verdict::TooMuchMemory);
        assert!(
            m.actual.contains("64.0 KiB of linear memory grown outside"),
            "{}",
            m.actual
        );
        let statics = Output {
            static_bytes: STATIC_ALLOWANCE + 4 * 65_536,
            peak_bytes: 0,
            ..ok.clone()
        };
        let m = Bst.check(&t, &statics).unwrap_err();
        assert!(
            m.actual.contains("256.0 KiB of static memory"),
            "{}",
            m.actual
        );
        let within = Output {
            static_bytes: STATIC_ALLOWANCE,
            peak_bytes: 64 * 2 + 4096,
            ..ok.clone()
        };
        assert!(Bst.check(&t, &within).is_ok());
    }

    #[test]
    fn generators_cover_sizes_and_shapes() {
        let mut runner = TestRunner::deterministic();
        let strategy = tree();
        let (mut empty, mut deep, mut bushy) = (0, 0, 0);
        for _ in 0..2_000 {
            let t = strategy.new_tree(&mut runner).unwrap().current();
            empty += usize::from(t.n == 0);
            deep += usize::from(t.n == 100_000);
            bushy += usize::from(t.n >= 2_000 && t.n <= 20_000);
        }
        assert!(
            empty >= 20 && deep >= 10 && bushy >= 200,
            "empty {empty}, deep {deep}, bushy {bushy}"
        );
        let pinned = Bst.pinned();
        assert!(pinned.iter().filter(|t| t.n == 1_000_000).count() >= 2);
        assert!(pinned
            .iter()
            .any(|t| t.shape == Shape::LeftPath && t.n == 100_000));
    }

    #[test]
    fn workloads_change_with_the_seed_but_not_their_shape() {
        let (a, b) = (
            Bst.workload(4_000, 1).unwrap(),
            Bst.workload(4_000, 2).unwrap(),
        );
        let (ba, bb) = (a.build(), b.build());
        assert_eq!(
            (ba.height, ba.left.clone(), ba.right.clone()),
            (bb.height, bb.left, bb.right)
        );
        assert_eq!(ba.height, 4_000);
        assert_ne!(ba.values, bb.values);
        assert_eq!(Bst.encode(&a).len(), Bst.encode(&b).len());
        assert_eq!(Bst.workload(4_000, 1).unwrap(), a, "a seed replays");
    }
}
