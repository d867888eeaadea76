// Accepted: LeetCode 159 with `struct Solution;` declared and a `fn main`, counting letters
// in a window over the bytes (LeetCode's strings are English letters).
#![allow(dead_code)]

struct Solution;

impl Solution {
    pub fn length_of_longest_substring_two_distinct(s: String) -> i32 {
        let b = s.as_bytes();
        let mut counts = [0u32; 128];
        let (mut distinct, mut left, mut best) = (0, 0, 0);
        for right in 0..b.len() {
            counts[b[right] as usize] += 1;
            if counts[b[right] as usize] == 1 {
                distinct += 1;
            }
            while distinct > 2 {
                counts[b[left] as usize] -= 1;
                if counts[b[left] as usize] == 0 {
                    distinct -= 1;
                }
                left += 1;
            }
            best = best.max(right + 1 - left);
        }
        best as i32
    }
}

fn main() {
    assert_eq!(
        Solution::length_of_longest_substring_two_distinct("ccaabbb".into()),
        5
    );
}
