// LeetCode 146, as LeetCode's Rust template gives it: judge it unchanged with
//
//     judge run 146 solution.rs
//
// (`judge show lru-cache/leetcode-146` prints the statement). Methods may take `&self` or
// `&mut self`.

struct LRUCache {

}


/** 
 * `&self` means the method takes an immutable reference.
 * If you need a mutable reference, change it to `&mut self` instead.
 */
impl LRUCache {

    fn new(capacity: i32) -> Self {
        todo!("an empty cache holding at most `capacity` entries")
    }
    
    fn get(&self, key: i32) -> i32 {
        todo!("the value of `key`, or -1")
    }
    
    fn put(&self, key: i32, value: i32) {
        todo!("insert or replace, evicting the least recently used key if the cache is full")
    }
}

/**
 * Your LRUCache object will be instantiated and called as such:
 * let obj = LRUCache::new(capacity);
 * let ret_1: i32 = obj.get(key);
 * obj.put(key, value);
 */
