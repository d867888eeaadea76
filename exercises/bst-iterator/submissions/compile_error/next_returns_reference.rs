// Compile error: `next` hands out a reference to the node's value, `Option<&'a i32>`, while
// the impl declares `type Item = i32` as the contract says; the method no longer matches the
// `Iterator` trait, and rustc rejects it with "method `next` has an incompatible type for
// trait" (E0053).

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

    fn next(&mut self) -> Option<&'a i32> {
        let node = self.stack.pop()?;
        self.push_left(node.right.as_deref());
        Some(&node.val)
    }
}
