// Too much memory: like system_alloc, but a constructor (`.init_array`) first takes 8 MiB
// from System and frees it, so that the values taken from System in the window could reuse
// that memory without growing it. Whatever runs before the judge's code is counted as static
// memory (measured before the window); what grows in the window around the allocator is
// counted as outside memory: both are over the bound.
use std::alloc::{GlobalAlloc, Layout, System};

extern "C" fn prime() {
    unsafe {
        let l = Layout::from_size_align(8 << 20, 8).unwrap();
        let p = System.alloc(l);
        System.dealloc(p, l);
    }
}

#[used]
#[unsafe(link_section = ".init_array")]
static PRIME: extern "C" fn() = prime;

pub struct BstIterator<'a> {
    values: *mut i32,
    len: usize,
    next: usize,
    _tree: std::marker::PhantomData<&'a TreeNode>,
}

impl<'a> BstIterator<'a> {
    pub fn new(root: Option<&'a TreeNode>) -> Self {
        let mut count = 0;
        let mut stack: Vec<&TreeNode> = Vec::new();
        let mut node = root;
        while node.is_some() || !stack.is_empty() {
            while let Some(n) = node {
                stack.push(n);
                node = n.left.as_deref();
            }
            let n = stack.pop().unwrap();
            count += 1;
            node = n.right.as_deref();
        }
        let values =
            unsafe { System.alloc(Layout::array::<i32>(count.max(1)).unwrap()) } as *mut i32;
        let mut len = 0;
        let mut node = root;
        while node.is_some() || !stack.is_empty() {
            while let Some(n) = node {
                stack.push(n);
                node = n.left.as_deref();
            }
            let n = stack.pop().unwrap();
            unsafe { values.add(len).write(n.val) };
            len += 1;
            node = n.right.as_deref();
        }
        BstIterator {
            values,
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
        Some(unsafe { self.values.add(self.next - 1).read() })
    }
}
