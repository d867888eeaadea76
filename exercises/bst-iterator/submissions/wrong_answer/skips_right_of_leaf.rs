// Wrong answer: the classic stack, with a wrong shortcut. A node at the bottom of a chain of
// left children has no left child, and the code takes such a node for a leaf: after yielding
// it, it does not look at its right subtree, which is lost. Smallest case: root 1 with right
// child 2 yields [1], expected [1, 2]. Trees where every node with a right child also has a
// left child (complete trees, left paths) come out right. Memory stays O(h), nothing panics.

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
        // The bottom of a left chain is a leaf: nothing to its right.
        if node.left.is_some() {
            self.push_left(node.right.as_deref());
        }
        Some(node.val)
    }
}
