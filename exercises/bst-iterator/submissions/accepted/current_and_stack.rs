// Accepted: the textbook loop "while current or stack", split across calls. `current` is the
// subtree not yet descended into; `next` first walks down its left edge pushing each node,
// then pops the smallest pending node, yields it, and makes its right child the new
// `current`. The stack is one path from the root (O(h)); each node is pushed once.

pub struct BstIterator<'a> {
    current: Option<&'a TreeNode>,
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        BstIterator {
            current: root,
            stack: Vec::new(),
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        while let Some(node) = self.current {
            self.stack.push(node);
            self.current = node.left.as_deref();
        }
        let node = self.stack.pop()?;
        self.current = node.right.as_deref();
        Some(node.val)
    }
}
