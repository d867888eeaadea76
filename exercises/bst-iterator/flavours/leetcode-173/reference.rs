// Reference for LeetCode 173 (bst-iterator in LeetCode's API): a stack of the left spine
// still to visit, O(h) memory and amortised O(1) per next. The flavour's throughput
// baseline, judged through the same harness.

use std::cell::RefCell;
use std::rc::Rc;

struct BSTIterator {
    stack: Vec<Rc<RefCell<TreeNode>>>,
}

impl BSTIterator {
    fn new(root: Option<Rc<RefCell<TreeNode>>>) -> Self {
        let mut it = BSTIterator { stack: Vec::new() };
        it.push_left(root);
        it
    }

    fn push_left(&mut self, mut node: Option<Rc<RefCell<TreeNode>>>) {
        while let Some(n) = node {
            node = n.borrow().left.clone();
            self.stack.push(n);
        }
    }

    fn next(&mut self) -> i32 {
        let node = self.stack.pop().expect("next() while has_next() is true");
        let (val, right) = {
            let n = node.borrow();
            (n.val, n.right.clone())
        };
        self.push_left(right);
        val
    }

    fn has_next(&self) -> bool {
        !self.stack.is_empty()
    }
}
