// Compile error: LeetCode's method takes `s: String`; this one takes `&str`, so the judge's
// call with a `String` does not type-check.

impl Solution {
    pub fn length_of_longest_substring_two_distinct(s: &str) -> i32 {
        s.len().min(2) as i32
    }
}
