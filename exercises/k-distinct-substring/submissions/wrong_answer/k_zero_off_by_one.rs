// Wrong answer: assumes "a single char always fits" and clamps k to at least 1, so for k == 0 on
// a non-empty string it returns 1 instead of 0 (e.g. ("a", 0) gives 1). Every case with k >= 1,
// and the empty string, is answered correctly.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let k = k.max(1);
    let chars: Vec<char> = s.chars().collect();
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;

    for right in 0..chars.len() {
        *counts.entry(chars[right]).or_insert(0) += 1;
        while counts.len() > k {
            let out = chars[left];
            if let Some(count) = counts.get_mut(&out) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&out);
                }
            }
            left += 1;
        }
        best = best.max(right - left + 1);
    }
    best
}
