// Compile error: `next` returns `Option<i32>` as bst-iterator's own `Iterator` does;
// LeetCode's returns `i32` (and is called only while `has_next()` is true).

use std::cell::RefCell;
use std::rc::Rc;

struct BSTIterator {
    stack: Vec<Rc<RefCell<TreeNode>>>,
}

impl BSTIterator {
    fn new(root: Option<Rc<RefCell<TreeNode>>>) -> Self {
        BSTIterator {
            stack: root.into_iter().collect(),
        }
    }

    fn next(&mut self) -> Option<i32> {
        self.stack.pop().map(|n| n.borrow().val)
    }

    fn has_next(&self) -> bool {
        !self.stack.is_empty()
    }
}
