// Wrong answer: before taking in a new char while the window already holds k distinct chars,
// it evicts one char from the left, with `if` where `while` was needed. One eviction only frees
// a slot when that char occurred once in the window; otherwise the window ends up with k + 1
// distinct chars, the `== k` test never fires again, and the window grows without bound.
// ("abaccc", 2): the window "aba" drops one 'a' to admit 'c', and "baccc", with three distinct
// chars, reaches length 5 where the answer is 4 ("accc"). The `k == 0` guard and the `== k` test (k >= 1, so the window
// is non-empty whenever it evicts) keep it from ever indexing out of bounds.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;

    for right in 0..chars.len() {
        let c = chars[right];
        if !counts.contains_key(&c) && counts.len() == k {
            let out = chars[left];
            if let Some(count) = counts.get_mut(&out) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&out);
                }
            }
            left += 1;
        }
        *counts.entry(c).or_insert(0) += 1;
        best = best.max(right - left + 1);
    }
    best
}
