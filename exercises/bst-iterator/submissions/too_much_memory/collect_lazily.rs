// Too much memory: "lazy" in name only. `new` just keeps the root; the first `next` does a
// whole in-order walk into a Vec of all values, and later calls index into it. The answers are
// right and `new` allocates nothing, but from the first value on all n values are live: 4 MB
// for a balanced tree of 10^6 nodes (height 20), against a bound of 64 * 20 + 4096 = 5,376
// bytes: `too_much_memory`.

pub struct BstIterator<'a> {
    root: Option<&'a TreeNode>,
    values: Option<Vec<i32>>,
    position: usize,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        BstIterator {
            root,
            values: None,
            position: 0,
        }
    }

    fn collect(root: Option<&'a TreeNode>) -> Vec<i32> {
        let mut values = Vec::new();
        let mut stack: Vec<&TreeNode> = Vec::new();
        let mut node = root;
        while node.is_some() || !stack.is_empty() {
            while let Some(n) = node {
                stack.push(n);
                node = n.left.as_deref();
            }
            if let Some(n) = stack.pop() {
                values.push(n.val);
                node = n.right.as_deref();
            }
        }
        values
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        let root = self.root;
        let values = self.values.get_or_insert_with(|| Self::collect(root));
        let value = values.get(self.position).copied();
        self.position += 1;
        value
    }
}
