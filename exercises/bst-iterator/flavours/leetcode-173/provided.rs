// What LeetCode declares around a Rust solution to 173: its `TreeNode` (shared, mutable
// nodes) and the `Rc` and `RefCell` names it uses. A file that pastes LeetCode's definition
// or writes `use std::rc::Rc;` shadows these.

pub use ::std::cell::RefCell;
pub use ::std::rc::Rc;

/// A node of a binary search tree, as LeetCode defines it.
#[derive(Debug, PartialEq, Eq)]
pub struct TreeNode {
    pub val: i32,
    pub left: Option<Rc<RefCell<TreeNode>>>,
    pub right: Option<Rc<RefCell<TreeNode>>>,
}

impl TreeNode {
    #[inline]
    pub fn new(val: i32) -> Self {
        TreeNode {
            val,
            left: None,
            right: None,
        }
    }
}
