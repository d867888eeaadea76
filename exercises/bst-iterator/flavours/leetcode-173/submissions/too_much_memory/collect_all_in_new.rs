// Too much memory: collects every value in order when created (a common LeetCode answer) and
// hands them out one by one: right answers, but O(n) memory where O(h) is asked; a balanced
// tree of 10^5 nodes has height 17.

use std::cell::RefCell;
use std::rc::Rc;

struct BSTIterator {
    values: Vec<i32>,
    at: usize,
}

impl BSTIterator {
    fn new(root: Option<Rc<RefCell<TreeNode>>>) -> Self {
        let mut values = Vec::new();
        let mut stack = Vec::new();
        let mut node = root;
        while node.is_some() || !stack.is_empty() {
            while let Some(n) = node {
                node = n.borrow().left.clone();
                stack.push(n);
            }
            let n = stack.pop().unwrap();
            values.push(n.borrow().val);
            node = n.borrow().right.clone();
        }
        BSTIterator { values, at: 0 }
    }

    fn next(&mut self) -> i32 {
        self.at += 1;
        self.values[self.at - 1]
    }

    fn has_next(&self) -> bool {
        self.at < self.values.len()
    }
}
