// Runtime error: `new` unwraps the root ("there is always a tree"), so the empty tree panics
// with "called `Option::unwrap()` on a `None` value" where an iterator yielding nothing was
// expected. Every non-empty tree is iterated correctly in O(h) memory, so that panic is the
// only failure.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let root = root.unwrap();
        let mut iter = BstIterator { stack: vec![root] };
        iter.push_left(root.left.as_deref());
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
