// Accepted: LeetCode 173 exactly as LeetCode's template shapes it (the commented-out
// `TreeNode`, the `use` lines, the trailing `/** Your BSTIterator object ... */`), with a
// stack of `Rc`s down the left spine: O(h) memory, amortised O(1) next.

// Definition for a binary tree node.
// #[derive(Debug, PartialEq, Eq)]
// pub struct TreeNode {
//   pub val: i32,
//   pub left: Option<Rc<RefCell<TreeNode>>>,
//   pub right: Option<Rc<RefCell<TreeNode>>>,
// }
use std::rc::Rc;
use std::cell::RefCell;
struct BSTIterator {
    stack: Vec<Rc<RefCell<TreeNode>>>,
}


/** 
 * `&self` means the method takes an immutable reference.
 * If you need a mutable reference, change it to `&mut self` instead.
 */
impl BSTIterator {

    fn new(root: Option<Rc<RefCell<TreeNode>>>) -> Self {
        let mut stack = Vec::new();
        let mut node = root;
        while let Some(n) = node {
            node = n.borrow().left.clone();
            stack.push(n);
        }
        BSTIterator { stack }
    }
    
    fn next(&mut self) -> i32 {
        let n = self.stack.pop().unwrap();
        let val = n.borrow().val;
        let mut node = n.borrow().right.clone();
        while let Some(m) = node {
            node = m.borrow().left.clone();
            self.stack.push(m);
        }
        val
    }
    
    fn has_next(&self) -> bool {
        !self.stack.is_empty()
    }
}

/**
 * Your BSTIterator object will be instantiated and called as such:
 * let obj = BSTIterator::new(root);
 * let ret_1: i32 = obj.next();
 * let ret_2: bool = obj.has_next();
 */
