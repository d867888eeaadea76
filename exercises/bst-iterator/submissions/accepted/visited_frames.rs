// Accepted: recursion turned into explicit frames. A frame is a node and whether its left
// subtree is done; expanding an unvisited node pushes its right child, itself (visited), then
// its left child, so they come off in in-order. Each level of the current path holds at most
// a pending right child and a visited node: O(h) frames of two words. Each node is pushed
// twice and popped twice in all, so `next` is amortised O(1).

pub struct BstIterator<'a> {
    frames: Vec<(&'a TreeNode, bool)>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut frames = Vec::new();
        if let Some(root) = root {
            frames.push((root, false));
        }
        BstIterator { frames }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        while let Some((node, visited)) = self.frames.pop() {
            if visited {
                return Some(node.val);
            }
            if let Some(right) = node.right.as_deref() {
                self.frames.push((right, false));
            }
            self.frames.push((node, true));
            if let Some(left) = node.left.as_deref() {
                self.frames.push((left, false));
            }
        }
        None
    }
}
