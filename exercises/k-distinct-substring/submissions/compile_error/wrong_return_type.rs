// Compile error: returns i32 where the contract says usize (a habit from other languages). The
// logic is right, but the harness binds the result as `let answer: usize = ...`, which rustc
// rejects with "mismatched types: expected `usize`, found `i32`".

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> i32 {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut counts: HashMap<char, i32> = HashMap::new();
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
        best = best.max((right - left + 1) as i32);
    }
    best
}
