// LeetCode 340, as LeetCode's Rust template gives it: judge it unchanged with
//
//     judge run 340 solution.rs
//
// (`judge show k-distinct-substring/leetcode-340` prints the statement). `Solution` is
// provided by the judge, as on LeetCode; declaring `struct Solution;` yourself is fine too.

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        todo!("the longest substring of `s` with at most `k` distinct characters")
    }
}
