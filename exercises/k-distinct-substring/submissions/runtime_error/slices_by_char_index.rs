// Runtime error: counts the window's left edge in chars but uses it as a byte offset into the
// &str to find the char leaving the window. For ASCII the two agree and every answer is right.
// With a multi-byte char, once the left edge moves past its first byte the slice `&s[left..]`
// starts inside the char and panics ("byte index 1 is not a char boundary"), e.g. ("éab", 1).
// Until that happens every char it reads is the right one, so it never answers wrongly.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;

    for (right, c) in s.chars().enumerate() {
        *counts.entry(c).or_insert(0) += 1;

        while counts.len() > k {
            let out = s[left..].chars().next().unwrap();
            if let Some(count) = counts.get_mut(&out) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&out);
                }
            }
            left += 1;
        }

        best = best.max(right + 1 - left);
    }
    best
}
