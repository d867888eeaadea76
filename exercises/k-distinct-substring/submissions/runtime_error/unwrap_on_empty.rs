// Runtime error: seeds the window with the first char via `s.chars().next().unwrap()`, which is
// None for the empty string, so ("", k) panics for every k >= 1. Every non-empty input, and
// k == 0 (handled before the unwrap), is answered correctly.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let first = s.chars().next().unwrap();
    let mut counts: HashMap<char, usize> = HashMap::from([(first, 1)]);
    let mut left = 0;
    let mut best = 1;

    for right in 1..chars.len() {
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
