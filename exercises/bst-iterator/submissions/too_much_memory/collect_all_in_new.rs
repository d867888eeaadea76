// Too much memory: `new` walks the whole tree in order (with an explicit stack, so deep trees
// are fine) and stores every value in a Vec, and `next` hands them out. Every answer is right,
// but the Vec holds all n values while iterating: 4 MB for a balanced tree of 10^6 nodes, whose
// height is 20, where the bound is 64 * 20 + 4096 = 5,376 bytes. Small trees fit under the
// 4 KiB allowance, but any tree with far more nodes than levels (a balanced tree of a few
// hundred nodes already) breaks the bound: `too_much_memory`.

pub struct BstIterator<'a> {
    values: std::vec::IntoIter<i32>,
    tree: std::marker::PhantomData<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut values = Vec::new();
        let mut stack: Vec<&TreeNode> = Vec::new();
        let mut node = root;
        loop {
            while let Some(n) = node {
                stack.push(n);
                node = n.left.as_deref();
            }
            let Some(n) = stack.pop() else { break };
            values.push(n.val);
            node = n.right.as_deref();
        }
        BstIterator {
            values: values.into_iter(),
            tree: std::marker::PhantomData,
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        self.values.next()
    }
}
