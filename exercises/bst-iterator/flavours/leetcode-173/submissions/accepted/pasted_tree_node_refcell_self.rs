// Accepted: LeetCode 173 with LeetCode's `TreeNode` pasted (it shadows the judge's), no `use`
// lines for `Rc` (paths spelled out), `&self` methods over a `RefCell`ed stack, and a
// `fn main`.
#![allow(dead_code)]

#[derive(Debug, PartialEq, Eq)]
pub struct TreeNode {
    pub val: i32,
    pub left: Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>,
    pub right: Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>,
}

impl TreeNode {
    #[inline]
    pub fn new(val: i32) -> Self {
        TreeNode {
            val,
            left: None,
            right: None,
        }
    }
}

type Node = std::rc::Rc<std::cell::RefCell<TreeNode>>;

pub struct BSTIterator {
    stack: std::cell::RefCell<Vec<Node>>,
}

impl BSTIterator {
    pub fn new(root: Option<Node>) -> Self {
        let it = BSTIterator {
            stack: std::cell::RefCell::new(Vec::new()),
        };
        it.push_left(root);
        it
    }

    fn push_left(&self, mut node: Option<Node>) {
        while let Some(n) = node {
            node = n.borrow().left.clone();
            self.stack.borrow_mut().push(n);
        }
    }

    pub fn next(&self) -> i32 {
        let n = self.stack.borrow_mut().pop().unwrap();
        let (val, right) = (n.borrow().val, n.borrow().right.clone());
        self.push_left(right);
        val
    }

    pub fn has_next(&self) -> bool {
        !self.stack.borrow().is_empty()
    }
}

fn main() {
    let root = std::rc::Rc::new(std::cell::RefCell::new(TreeNode::new(2)));
    root.borrow_mut().left = Some(std::rc::Rc::new(std::cell::RefCell::new(TreeNode::new(1))));
    let it = BSTIterator::new(Some(root));
    assert_eq!((it.next(), it.next(), it.has_next()), (1, 2, false));
}
