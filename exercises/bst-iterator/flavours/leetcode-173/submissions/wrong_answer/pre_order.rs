// Wrong answer: visits the tree in pre-order (node, then left, then right) with a stack,
// which is not the sorted order: a root with a left child gives the root first.

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

    fn next(&mut self) -> i32 {
        let n = self.stack.pop().unwrap();
        let n = n.borrow();
        if let Some(r) = n.right.clone() {
            self.stack.push(r);
        }
        if let Some(l) = n.left.clone() {
            self.stack.push(l);
        }
        n.val
    }

    fn has_next(&self) -> bool {
        !self.stack.is_empty()
    }
}
