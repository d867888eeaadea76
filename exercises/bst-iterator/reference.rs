// Reference for bst-iterator: in-order iteration with an explicit stack holding the path of
// nodes whose value is still due, O(h) memory and amortised O(1) per value.
//
// This file is also judged as a submission, so it follows the submission rules: std only,
// `//` comments only, no crate-level attributes. `TreeNode` is provided by the judge, which
// defines it in the module this file is compiled into (importing it there would define its
// name twice), so it is named by its path.

pub struct BstIterator<'a> {
    // Nodes whose value and right subtree are still due, the next one on top. Each lies in
    // the left subtree of the node below it, so they sit on one path from the root, one per
    // level at most: O(h) pointers.
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator { stack: Vec::new() };
        iter.push_left_spine(root);
        iter
    }

    // Pushes `node` and its chain of left children: the next value is at the bottom of it.
    // A loop, not recursion, so a path of 10^5 nodes costs heap, not call stack.
    fn push_left_spine(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(current) = node {
            self.stack.push(current);
            node = current.left.as_deref();
        }
    }
}

impl Iterator for BstIterator<'_> {
    type Item = i32;

    // Each node is pushed once and popped once over the whole iteration, so n calls cost
    // O(n) in all, though a single call may push a spine of h nodes.
    fn next(&mut self) -> Option<i32> {
        let node = self.stack.pop()?;
        self.push_left_spine(node.right.as_deref());
        Some(node.val)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Every node on the stack is still due; how many wait in right subtrees is unknown.
        (self.stack.len(), None)
    }
}

// Once the stack is empty nothing is ever pushed again.
impl std::iter::FusedIterator for BstIterator<'_> {}
