// The exercise's part of the guest glue for bst-iterator (`runner = "function"`): builds
// the tree the judge sends (`Vec<Node>`, post-order), iterates it to the end and reports
// the values with the peak of extra heap the iterator held (`Output`); both are in wire.rs.
// The heap is counted by this harness's own allocator, from just before `BstIterator::new`
// until the iterator is dropped: decoding the tree, building it and encoding the answer all
// happen outside that window.

use super::{BstIterator, TreeNode};
use ::std::alloc::{GlobalAlloc, Layout, System};
use ::std::boxed::Box;
use ::std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use ::std::vec::Vec;

/// Counts live heap bytes and their peak; private to the harness.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            // Both blocks are live while the contents move.
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

type Args = Vec<Node>;
type Answer = Output;

fn run(nodes: Args) -> Answer {
    let n = nodes.len();
    // Bottom-up from post-order: children are on the stack when their parent arrives.
    let mut stack: Vec<Box<TreeNode>> = Vec::new();
    for node in nodes {
        let right = if node.right { stack.pop() } else { None };
        let left = if node.left { stack.pop() } else { None };
        stack.push(Box::new(TreeNode {
            val: node.val,
            left,
            right,
        }));
    }
    let root: Option<Box<TreeNode>> = stack.pop();
    // The decoded nodes went with the loop; the stack goes now: nothing is freed inside
    // the window, where it would make room for the iterator's own allocations.
    drop(stack);
    // Allocated before counting starts, so the answer's own growth is not counted.
    let mut values: Vec<i32> = Vec::with_capacity(n + 1);
    let baseline = LIVE.load(Relaxed);
    PEAK.store(baseline, Relaxed);
    {
        let mut it = BstIterator::new(root.as_deref());
        while values.len() <= n {
            let next: Option<i32> = it.next();
            match next {
                Some(v) => values.push(v),
                None => break,
            }
        }
    }
    let peak_bytes = PEAK.load(Relaxed).saturating_sub(baseline) as u64;
    // The instance is thrown away after this call: skip dropping up to 10^6 boxes
    // (and a recursive drop of a 10^5-node path).
    ::std::mem::forget(root);
    Output { values, peak_bytes }
}
