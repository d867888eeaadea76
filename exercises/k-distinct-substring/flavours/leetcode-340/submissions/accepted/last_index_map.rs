// Accepted: LeetCode 340 with `Solution` left to the judge (as LeetCode's editor leaves it),
// keeping each letter's last index in the window, ordered in a BTreeMap: when a (k+1)-th
// letter arrives, the letter whose last index is smallest leaves and the window starts after
// it. O(n log k).

use std::collections::{BTreeMap, HashMap};

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        if k == 0 {
            return 0;
        }
        let mut last: HashMap<char, usize> = HashMap::new();
        let mut by_index: BTreeMap<usize, char> = BTreeMap::new();
        let (mut left, mut best) = (0usize, 0usize);
        for (i, c) in s.chars().enumerate() {
            if let Some(old) = last.insert(c, i) {
                by_index.remove(&old);
            }
            by_index.insert(i, c);
            if last.len() > k as usize {
                let (at, gone) = by_index.pop_first().unwrap();
                last.remove(&gone);
                left = at + 1;
            }
            best = best.max(i + 1 - left);
        }
        best as i32
    }
}
