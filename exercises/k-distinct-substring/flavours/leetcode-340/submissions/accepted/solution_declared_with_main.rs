// Accepted: a whole file as written in an editor for LeetCode 340: lint attributes at the
// top, `struct Solution;` declared (it shadows the one the judge provides), a byte-counting
// window (English letters only, as LeetCode promises), a `fn main` and a test module.
#![allow(dead_code, unused_imports)]
#![forbid(unsafe_code)]

use std::collections::HashMap;

struct Solution;

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        let bytes = s.as_bytes();
        let mut counts = [0usize; 256];
        let (mut distinct, mut left, mut best) = (0i32, 0usize, 0usize);
        for right in 0..bytes.len() {
            counts[bytes[right] as usize] += 1;
            if counts[bytes[right] as usize] == 1 {
                distinct += 1;
            }
            while distinct > k {
                counts[bytes[left] as usize] -= 1;
                if counts[bytes[left] as usize] == 0 {
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
    println!(
        "{}",
        Solution::length_of_longest_substring_k_distinct("eceba".to_string(), 2)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(
            Solution::length_of_longest_substring_k_distinct("aa".into(), 1),
            2
        );
    }
}
