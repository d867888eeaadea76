// Wrong answer: mirrors the traversal, starting down the chain of right children and
// continuing into left subtrees, so the values come largest first. Smallest case: root 1 with
// right child 2 yields [2, 1], expected [1, 2]. The empty tree and single nodes come out
// right; memory is O(h) and nothing panics, so the only failure is the order.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator { stack: Vec::new() };
        iter.push_right(root);
        iter
    }

    fn push_right(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(n) = node {
            self.stack.push(n);
            node = n.right.as_deref();
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        let node = self.stack.pop()?;
        self.push_right(node.left.as_deref());
        Some(node.val)
    }
}
