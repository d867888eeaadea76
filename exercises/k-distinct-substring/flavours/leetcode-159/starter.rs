// LeetCode 159, as LeetCode's Rust template gives it: judge it unchanged with
//
//     judge run 159 solution.rs
//
// (`judge show k-distinct-substring/leetcode-159` prints the statement). `Solution` is
// provided by the judge, as on LeetCode; declaring `struct Solution;` yourself is fine too.

impl Solution {
    pub fn length_of_longest_substring_two_distinct(s: String) -> i32 {
        todo!("the longest substring of `s` with at most two distinct characters")
    }
}
