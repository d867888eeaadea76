// Time limit exceeded: iterates `right` up to the last index, computed with saturating_sub to
// "avoid underflow" on the empty string, and skips a missing char with `continue`. For empty
// input `last` is 0, `chars.get(0)` is None, and `continue` never advances `right`: an endless
// loop. For every non-empty input `get` always succeeds and the answer is right.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let last = chars.len().saturating_sub(1);
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;
    let mut right = 0;

    while right <= last {
        let Some(&c) = chars.get(right) else {
            continue;
        };
        *counts.entry(c).or_insert(0) += 1;
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
        right += 1;
    }
    best
}
