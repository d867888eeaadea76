// Compile error: the cache keeps its recency list as `Rc<RefCell<Node>>` links, the textbook
// doubly linked list, and its `&self` methods borrow through a `RefCell`. The file compiles on
// its own and is right single-threaded, but `Rc` is neither `Send` nor `Sync` and `RefCell`
// is not `Sync`, so the cache cannot be shared between threads: the judge's harness asserts
// `ConcurrentLruCache<u32, u32>: Send + Sync` and hands the cache to several threads, and
// rustc rejects it: "`RefCell<List<u32, u32>>` cannot be shared between threads safely", and
// "`Rc<RefCell<Node<u32, u32>>>` cannot be sent between threads safely".
// Nothing is ever run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::{Rc, Weak};

struct Node<K, V> {
    key: K,
    value: V,
    prev: Option<Weak<RefCell<Node<K, V>>>>,
    next: Option<Rc<RefCell<Node<K, V>>>>,
}

type Link<K, V> = Rc<RefCell<Node<K, V>>>;

struct List<K, V> {
    capacity: usize,
    map: HashMap<K, Link<K, V>>,
    head: Option<Link<K, V>>, // most recently used
    tail: Option<Link<K, V>>, // least recently used
}

impl<K: Hash + Eq + Clone, V: Clone> List<K, V> {
    fn detach(&mut self, node: &Link<K, V>) {
        let prev = node.borrow_mut().prev.take().and_then(|w| w.upgrade());
        let next = node.borrow_mut().next.take();
        match &prev {
            Some(p) => p.borrow_mut().next = next.clone(),
            None => self.head = next.clone(),
        }
        match &next {
            Some(n) => n.borrow_mut().prev = prev.as_ref().map(Rc::downgrade),
            None => self.tail = prev,
        }
    }

    fn push_front(&mut self, node: Link<K, V>) {
        match self.head.take() {
            Some(old) => {
                old.borrow_mut().prev = Some(Rc::downgrade(&node));
                node.borrow_mut().next = Some(old);
            }
            None => self.tail = Some(node.clone()),
        }
        self.head = Some(node);
    }
}

pub struct ConcurrentLruCache<K, V> {
    list: RefCell<List<K, V>>,
}

impl<K: Hash + Eq + Clone + Send, V: Clone + Send> ConcurrentLruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ConcurrentLruCache {
            list: RefCell::new(List {
                capacity,
                map: HashMap::new(),
                head: None,
                tail: None,
            }),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut list = self.list.borrow_mut();
        let node = list.map.get(key)?.clone();
        list.detach(&node);
        list.push_front(node.clone());
        let value = node.borrow().value.clone();
        Some(value)
    }

    pub fn put(&self, key: K, value: V) -> Option<(K, V)> {
        let mut list = self.list.borrow_mut();
        if let Some(node) = list.map.get(&key).cloned() {
            node.borrow_mut().value = value;
            list.detach(&node);
            list.push_front(node);
            return None;
        }
        let evicted = if list.map.len() == list.capacity {
            let oldest = list.tail.clone()?;
            list.detach(&oldest);
            let node = oldest.borrow();
            list.map.remove(&node.key);
            Some((node.key.clone(), node.value.clone()))
        } else {
            None
        };
        let node = Rc::new(RefCell::new(Node {
            key: key.clone(),
            value,
            prev: None,
            next: None,
        }));
        list.map.insert(key, node.clone());
        list.push_front(node);
        evicted
    }

    pub fn len(&self) -> usize {
        self.list.borrow().map.len()
    }
}
