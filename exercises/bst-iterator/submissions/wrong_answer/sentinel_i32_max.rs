// Wrong answer: keeps the next value in an `i32` and uses i32::MAX to mean "exhausted", so a
// tree that holds i32::MAX (the statement allows every i32) ends one value early: the
// largest value is never yielded. The hidden tests build trees whose values end at i32::MAX.

pub struct BstIterator<'a> {
    stack: Vec<&'a TreeNode>,
    // The value the next call returns; i32::MAX once there is none.
    upcoming: i32,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator {
            stack: Vec::new(),
            upcoming: i32::MAX,
        };
        iter.push_left(root);
        iter.advance();
        iter
    }

    fn push_left(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(n) = node {
            self.stack.push(n);
            node = n.left.as_deref();
        }
    }

    fn advance(&mut self) {
        self.upcoming = match self.stack.pop() {
            Some(node) => {
                self.push_left(node.right.as_deref());
                node.val
            }
            None => i32::MAX,
        };
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        if self.upcoming == i32::MAX {
            return None;
        }
        let value = self.upcoming;
        self.advance();
        Some(value)
    }
}
