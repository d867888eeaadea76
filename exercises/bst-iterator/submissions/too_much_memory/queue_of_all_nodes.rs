// Too much memory: ignores the BST order altogether. `new` visits every node breadth-first
// with a VecDeque, keeps all the node references, sorts them by value and hands them out from
// the front. Since the values are distinct the order is right, but all n references are live
// while iterating, on top of the BFS queue (up to half the tree at once for a balanced tree)
// and the sort's buffer: several MB for 10^6 nodes of height 20 (4 MB for the references
// alone), against a bound of 64 * 20 + 4096 = 5,376 bytes: `too_much_memory`. It is also
// O(n log n), but memory is the bound it breaks first.

use std::collections::VecDeque;

pub struct BstIterator<'a> {
    nodes: VecDeque<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut all: Vec<&'a TreeNode> = Vec::new();
        let mut queue: VecDeque<&'a TreeNode> = root.into_iter().collect();
        while let Some(node) = queue.pop_front() {
            all.push(node);
            queue.extend(node.left.as_deref());
            queue.extend(node.right.as_deref());
        }
        all.sort_by_key(|node| node.val);
        BstIterator { nodes: all.into() }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        self.nodes.pop_front().map(|node| node.val)
    }
}
