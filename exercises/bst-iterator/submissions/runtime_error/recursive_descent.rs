// Runtime error: walks down the left children by recursion, one call deeper per level, and
// counts the depth on the way back up (so the compiler cannot turn the recursion into a
// loop). Memory on the heap stays O(h), but the call stack grows with the height too: on the
// hidden path of 10^6 nodes the recursion overflows the 8 MiB stack: the statement's
// "no recursion".

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
    deepest: usize,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator {
            stack: Vec::new(),
            deepest: 0,
        };
        iter.push_left(root);
        iter
    }

    // Pushes `node` and its chain of left children; returns how many it pushed.
    fn push_left(&mut self, node: Option<&'a TreeNode>) -> usize {
        match node {
            None => 0,
            Some(n) => {
                self.stack.push(n);
                let below = self.push_left(n.left.as_deref());
                self.deepest = self.deepest.max(self.stack.len());
                below + 1
            }
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
