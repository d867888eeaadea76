// Wrong answer: assumes that once the stack is empty after a pop, the traversal is over. But
// the root is always the last node on the stack, and its right subtree is only pushed after
// the root is yielded, so that whole subtree is lost. Smallest case: root 1 with right child 2
// yields [1], expected [1, 2]. Trees whose root has no right child (left paths) come out
// right; memory is O(h) and nothing panics.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
    done: bool,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator {
            stack: Vec::new(),
            done: false,
        };
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
        if self.done {
            return None;
        }
        let node = self.stack.pop()?;
        if self.stack.is_empty() {
            // Nothing left on the stack: this was the last node.
            self.done = true;
        } else {
            self.push_left(node.right.as_deref());
        }
        Some(node.val)
    }
}
