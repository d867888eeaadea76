// bst-iterator: an in-order iterator over a binary search tree that uses O(h) extra memory
// (h = the tree's height). `judge show bst-iterator` prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run bst-iterator solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the signatures exactly as they are. `TreeNode` is provided by
// the judge and already in scope here, without an import (`crate::TreeNode` and
// `use crate::TreeNode;` work too).

pub struct BstIterator<'a> {
    // Replace with your own fields; the struct must keep its lifetime 'a, so some field
    // has to borrow from the tree.
    root: Option<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        todo!("an iterator over the values of the tree at `root`, smallest first")
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        todo!("the next value in order, or None once all values have been returned")
    }
}
