// Too slow: keeps only the last value returned and finds the next one by walking down from
// the root (the smallest value greater than the last), so it uses O(1) extra memory and is
// correct, but each next() costs O(h). On balanced trees that is O(log n) per call and the
// hidden tests pass; on the performance workload, a zigzag path of n nodes (height n), the
// whole iteration is O(n^2) and the complexity gate says `too_slow`.

pub struct BstIterator<'a> {
    root: Option<&'a TreeNode>,
    last: Option<i32>,
    done: bool,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        BstIterator {
            root,
            last: None,
            done: false,
        }
    }
}

impl<'a> Iterator for BstIterator<'a> {
    type Item = i32;

    fn next(&mut self) -> Option<i32> {
        if self.done {
            return None;
        }
        let mut node = self.root;
        let mut best: Option<i32> = None;
        while let Some(n) = node {
            if self.last.is_none_or(|last| n.val > last) {
                best = Some(n.val);
                node = n.left.as_deref();
            } else {
                node = n.right.as_deref();
            }
        }
        match best {
            Some(v) => self.last = Some(v),
            None => self.done = true,
        }
        best
    }
}
