// Accepted: the textbook answer. Collect the chars once, then slide a window over them with a
// HashMap<char, usize> of counts, shrinking from the left while there are more than k distinct
// chars. Every char is added and removed at most once: O(n) time.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;

    for (right, &c) in chars.iter().enumerate() {
        *counts.entry(c).or_insert(0) += 1;

        while counts.len() > k {
            let out = chars[left];
            let count = counts
                .get_mut(&out)
                .expect("every char in the window is counted");
            *count -= 1;
            if *count == 0 {
                counts.remove(&out);
            }
            left += 1;
        }

        best = best.max(right - left + 1);
    }
    best
}
