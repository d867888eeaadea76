// Reference for LeetCode 340 (k-distinct-substring in LeetCode's API): a sliding window over
// the chars with a count per char in the window, O(n) time. It is the flavour's throughput
// baseline, judged through the same harness as a submission in this format.

use std::collections::HashMap;

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        if k <= 0 {
            return 0;
        }
        let k = k as usize;
        let chars: Vec<char> = s.chars().collect();
        let mut ascii = [0u32; 128];
        let mut other: HashMap<char, u32> = HashMap::new();
        let (mut distinct, mut left, mut best) = (0usize, 0usize, 0usize);
        for right in 0..chars.len() {
            let c = chars[right];
            let count = if c.is_ascii() {
                &mut ascii[c as usize]
            } else {
                other.entry(c).or_insert(0)
            };
            *count += 1;
            if *count == 1 {
                distinct += 1;
            }
            while distinct > k {
                let out = chars[left];
                left += 1;
                let count = if out.is_ascii() {
                    &mut ascii[out as usize]
                } else {
                    other.get_mut(&out).expect("in the window")
                };
                *count -= 1;
                if *count == 0 {
                    distinct -= 1;
                }
            }
            best = best.max(right + 1 - left);
        }
        best as i32
    }
}
