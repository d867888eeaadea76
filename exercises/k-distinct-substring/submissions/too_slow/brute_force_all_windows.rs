// Too slow: tries every start and extends the window while it has at most k distinct chars,
// without ever stopping early: O(n^2) even when the answer is found. Its answers are right,
// but a hidden test of 10^5 chars or more runs out of time; the judge then runs the
// complexity gate, which shows fuel growing faster than O(n) (here the budget of 200x the
// reference's fuel runs out at the smallest size), so the verdict is `too_slow`, not
// `time_limit_exceeded`.

use std::collections::HashSet;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut best = 0;
    for start in 0..chars.len() {
        let mut seen = HashSet::new();
        for end in start..chars.len() {
            seen.insert(chars[end]);
            if seen.len() > k {
                break;
            }
            best = best.max(end + 1 - start);
        }
    }
    best
}
