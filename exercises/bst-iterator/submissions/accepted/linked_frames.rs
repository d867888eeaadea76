// Accepted: the pending path as a linked list of boxed frames, each pointing to its parent
// frame, like the frames of a suspended recursive generator. Every push allocates a frame and
// every pop frees one, so the heap sees about 2n allocations over the iteration but holds only
// the current path (O(h) frames); the harness's allocator reuses the freed frames.
struct Frame<'a> {
    node: &'a TreeNode,
    parent: Option<Box<Frame<'a>>>,
}

pub struct BstIterator<'a> {
    top: Option<Box<Frame<'a>>>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut iter = BstIterator { top: None };
        iter.descend(root);
        iter
    }

    fn descend(&mut self, mut node: Option<&'a TreeNode>) {
        while let Some(n) = node {
            let parent = self.top.take();
            self.top = Some(Box::new(Frame { node: n, parent }));
            node = n.left.as_deref();
        }
    }
}

impl Iterator for BstIterator<'_> {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        let frame = self.top.take()?;
        let Frame { node, parent } = *frame;
        self.top = parent;
        self.descend(node.right.as_deref());
        Some(node.val)
    }
}

impl Drop for BstIterator<'_> {
    // Iteratively: a recursive drop of a path of 10^5 frames would overflow the stack.
    fn drop(&mut self) {
        let mut top = self.top.take();
        while let Some(mut frame) = top {
            top = frame.parent.take();
        }
    }
}
