// Too slow: from every start, extends the window to the end of the string whatever it holds,
// counting distinct letters in a set: right answers, O(n^2) time, which the complexity gate
// measures on strings of 3,000 to 48,000 letters.

use std::collections::HashSet;

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        let chars: Vec<char> = s.chars().collect();
        let mut best = 0;
        for start in 0..chars.len() {
            let mut seen = HashSet::new();
            for end in start..chars.len() {
                seen.insert(chars[end]);
                if seen.len() <= k as usize {
                    best = best.max(end + 1 - start);
                }
            }
        }
        best as i32
    }
}
