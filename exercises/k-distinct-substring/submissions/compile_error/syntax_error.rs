// Compile error: the closing brace of the shrinking `while` loop is missing, so the function's
// braces are unbalanced and rustc stops at "this file contains an unclosed delimiter".

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
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

        best = best.max(right + 1 - left);
    }
    best
}
