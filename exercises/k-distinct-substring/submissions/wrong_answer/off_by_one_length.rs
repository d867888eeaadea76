// Wrong answer: mixes inclusive and exclusive window ends. Inside the loop `right` is the index
// of the char just added (inclusive), but the length is taken as `right - left`, one short;
// the final window is measured correctly after the loop. So it is right whenever a longest
// window ends at the end of the string (("aa", 1), ("abc", 2)), and one short otherwise:
// ("eceba", 2) gives 2 instead of 3 ("ece"). With k >= 1 the window is never empty after
// shrinking, so `right - left` cannot underflow.

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
        best = best.max(right - left);
    }
    best.max(chars.len() - left)
}
