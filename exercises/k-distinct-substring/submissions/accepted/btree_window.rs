// Accepted: a sliding window whose char counts live in a BTreeMap, so the number of distinct
// chars is just the map's length. Each char enters and leaves the window once and the map never
// holds more than k + 1 keys, so this is O(n log k): close enough to linear to pass, and right
// for any Unicode because it works on a Vec<char>, never on bytes.

use std::collections::BTreeMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
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

        best = best.max(right + 1 - left);
    }
    best
}
