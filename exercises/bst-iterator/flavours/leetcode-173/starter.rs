// LeetCode 173, as LeetCode's Rust template gives it: judge it unchanged with
//
//     judge run 173 solution.rs
//
// (`judge show bst-iterator/leetcode-173` prints the statement). `TreeNode` is provided by
// the judge as on LeetCode; pasting LeetCode's definition is fine too.

// Definition for a binary tree node.
// #[derive(Debug, PartialEq, Eq)]
// pub struct TreeNode {
//   pub val: i32,
//   pub left: Option<Rc<RefCell<TreeNode>>>,
//   pub right: Option<Rc<RefCell<TreeNode>>>,
// }
// 
// impl TreeNode {
//   #[inline]
//   pub fn new(val: i32) -> Self {
//     TreeNode {
//       val,
//       left: None,
//       right: None
//     }
//   }
// }
use std::rc::Rc;
use std::cell::RefCell;
struct BSTIterator {

}


/** 
 * `&self` means the method takes an immutable reference.
 * If you need a mutable reference, change it to `&mut self` instead.
 */
impl BSTIterator {

    fn new(root: Option<Rc<RefCell<TreeNode>>>) -> Self {
        todo!("an iterator positioned before the smallest value")
    }
    
    fn next(&mut self) -> i32 {
        todo!("the next value in order")
    }
    
    fn has_next(&self) -> bool {
        todo!("whether a next value exists")
    }
}

/**
 * Your BSTIterator object will be instantiated and called as such:
 * let obj = BSTIterator::new(root);
 * let ret_1: i32 = obj.next();
 * let ret_2: bool = obj.has_next();
 */
