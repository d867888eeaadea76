// Accepted: the classic stack of pending nodes, kept tight: after every pop the stack gives
// memory back when it is less than a quarter full (`shrink_to`), so its buffer moves between
// size classes all the time (reallocations both ways). It holds one root-to-leaf path at most.
pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator { stack: Vec::new() };
        iter.push_left(root);
        iter
    }

    fn push_left(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(n) = node {
            self.stack.push(n);
            node = n.left.as_deref();
        }
    }
}

impl Iterator for BstIterator<'_> {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        let node = self.stack.pop()?;
        if self.stack.len() * 4 < self.stack.capacity() {
            self.stack.shrink_to(self.stack.len() * 2);
        }
        self.push_left(node.right.as_deref());
        Some(node.val)
    }
}
