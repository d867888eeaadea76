// Wrong answer: a stack-based traversal that yields a node as soon as it is popped, then
// pushes its right and left children: that is pre-order (node, left, right), not in-order.
// Smallest case: root 2 with left child 1 yields [2, 1], expected [1, 2]. A single node, and
// any tree whose nodes have no left children (a right path), come out right. The stack holds
// O(h) nodes and nothing recurses, so the only failure is the order.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        BstIterator {
            stack: root.into_iter().collect(),
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        let node = self.stack.pop()?;
        if let Some(right) = node.right.as_deref() {
            self.stack.push(right);
        }
        if let Some(left) = node.left.as_deref() {
            self.stack.push(left);
        }
        Some(node.val)
    }
}
