// Too slow: entries in a Vec in recency order, found by a linear scan: right answers, O(n)
// per call, which the complexity gate measures as n^2 growth over the workload.

struct LRUCache {
    capacity: usize,
    entries: Vec<(i32, i32)>,
}

impl LRUCache {
    fn new(capacity: i32) -> Self {
        LRUCache {
            capacity: capacity as usize,
            entries: Vec::new(),
        }
    }

    fn get(&mut self, key: i32) -> i32 {
        match self.entries.iter().position(|e| e.0 == key) {
            Some(i) => {
                let e = self.entries.remove(i);
                self.entries.push(e);
                e.1
            }
            None => -1,
        }
    }

    fn put(&mut self, key: i32, value: i32) {
        if let Some(i) = self.entries.iter().position(|e| e.0 == key) {
            self.entries.remove(i);
        } else if self.entries.len() == self.capacity {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }
}
