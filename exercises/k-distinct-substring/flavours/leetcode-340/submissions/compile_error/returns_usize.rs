// Compile error: LeetCode's signature returns `i32`; this returns `usize`, which the judge's
// call (`let answer: i32 = ...`) does not accept.

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> usize {
        s.len().min(k as usize)
    }
}
