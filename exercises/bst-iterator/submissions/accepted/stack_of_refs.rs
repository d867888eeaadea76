// Accepted: the classic answer. The stack holds the nodes whose value is still due, the next
// one on top: first the root's chain of left children; after a node is yielded, its right
// child's chain of left children. The stack is one root-to-leaf path at most (O(h) memory), and
// every node is pushed and popped once over the whole iteration (amortised O(1) `next`).

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

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        let node = self.stack.pop()?;
        self.push_left(node.right.as_deref());
        Some(node.val)
    }
}
