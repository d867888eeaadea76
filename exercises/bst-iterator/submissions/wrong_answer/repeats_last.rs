// Wrong answer: remembers the last value yielded (for a `peek` the author had in mind) and,
// when the stack runs out, returns it once more instead of None; only the call after that
// returns None. Smallest case: a single node 5 yields [5, 5], expected [5]. The empty tree,
// where there is no last value, comes out right; memory is O(h) and nothing panics.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
    last: Option<i32>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator {
            stack: Vec::new(),
            last: None,
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
        match self.stack.pop() {
            Some(node) => {
                self.push_left(node.right.as_deref());
                self.last = Some(node.val);
                Some(node.val)
            }
            None => self.last.take(),
        }
    }
}
