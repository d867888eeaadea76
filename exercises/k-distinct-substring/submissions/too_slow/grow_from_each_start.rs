// Too slow: for every start, grow the substring until it would hold k + 1 distinct chars,
// tracking the distinct chars in a HashSet. Correct, and quick on short strings, but
// O(n^2) on a string whose windows are long: on the performance workload its fuel grows
// as n^2 (or it runs out of its budget), and the complexity gate says `too_slow`. The
// hidden tests' strings of up to 10^6 chars also run out of time, which the gate turns
// into `too_slow` as well.

use std::collections::HashSet;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut best = 0;
    for start in 0..chars.len() {
        let mut seen = HashSet::new();
        let mut end = start;
        while end < chars.len() {
            seen.insert(chars[end]);
            if seen.len() > k {
                break;
            }
            end += 1;
        }
        best = best.max(end - start);
        if best >= chars.len() - start {
            break;
        }
    }
    best
}
