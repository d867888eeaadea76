// Too much memory: collects every value in `new` into a `static mut` array of 2^20 values
// (4 MiB of bss), which no allocator sees. The harness counts the module's static memory:
// 4 MiB over what every program may have, against a bound of about 5 KiB.
const MAX: usize = 1 << 20;
static mut VALUES: [i32; MAX] = [0; MAX];

pub struct BstIterator<'a> {
    len: usize,
    next: usize,
    _tree: std::marker::PhantomData<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        // SAFETY: one thread, and no other reference to the array exists.
        let values = unsafe { &mut *std::ptr::addr_of_mut!(VALUES) };
        let mut len = 0;
        let mut stack: Vec<&TreeNode> = Vec::new();
        let mut node = root;
        while node.is_some() || !stack.is_empty() {
            while let Some(n) = node {
                stack.push(n);
                node = n.left.as_deref();
            }
            let n = stack.pop().unwrap();
            values[len] = n.val;
            len += 1;
            node = n.right.as_deref();
        }
        BstIterator {
            len,
            next: 0,
            _tree: std::marker::PhantomData,
        }
    }
}

impl Iterator for BstIterator<'_> {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        if self.next == self.len {
            return None;
        }
        self.next += 1;
        // SAFETY: as in `new`.
        Some(unsafe { (*std::ptr::addr_of!(VALUES))[self.next - 1] })
    }
}
