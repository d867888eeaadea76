// bst-iterator's wire types: compiled into the judge's suite (suite.rs includes this file)
// and into the guest's harness (the catalog pastes it into `mod __judge_harness`), so both
// sides encode and decode the tree and the answer with this one code. `Wire` and `wire` are
// in scope on both sides.
//
// One hidden test sends a `Vec<Node>`: the tree's nodes in post-order, so a node's children
// come before it and the harness builds the tree bottom-up from a stack. The answer is an
// `Output`.

/// One node of the tree, in post-order: its value and which children it has. On the wire:
/// the value (i32 LE), then one byte with bit 0 = has a left child, bit 1 = has a right
/// child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub val: i32,
    pub left: bool,
    pub right: bool,
}

/// What the harness reports: the values `next` returned (at most n + 1: an iterator that
/// runs past the end is stopped there), and what the iterator held in memory, from just
/// before `BstIterator::new` until the iterator is dropped: the peak of extra live heap
/// bytes (allocated through `std::alloc`), the bytes of linear memory grown around that
/// allocator (`std::alloc::System`, `memory_grow`), and the module's static memory (its
/// stack, data and bss, before anything ran).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub values: ::std::vec::Vec<i32>,
    pub peak_bytes: u64,
    pub outside_bytes: u64,
    pub static_bytes: u64,
}

impl Wire for Node {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        self.val.put(out);
        out.push(u8::from(self.left) | (u8::from(self.right) << 1));
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        let val = i32::take(input)?;
        let children = wire::take_tag(input)?;
        if children > 3 {
            return ::std::option::Option::None;
        }
        ::std::option::Option::Some(Node {
            val,
            left: children & 1 != 0,
            right: children & 2 != 0,
        })
    }
}

impl Wire for Output {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        self.values.put(out);
        self.peak_bytes.put(out);
        self.outside_bytes.put(out);
        self.static_bytes.put(out);
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(Output {
            values: Wire::take(input)?,
            peak_bytes: u64::take(input)?,
            outside_bytes: u64::take(input)?,
            static_bytes: u64::take(input)?,
        })
    }
}
