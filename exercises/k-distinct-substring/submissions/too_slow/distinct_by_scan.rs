// Too slow: a correct sliding window whose "how many distinct chars are in the window"
// question is answered by scanning a Vec of (char, count) pairs, so every step costs O(k)
// and the whole run O(n*k). With few distinct chars (most hidden tests) it is as fast as
// the O(n) window; on the performance workload (k = n/8 over n/4 distinct chars) its fuel
// grows as n^2, and the complexity gate says `too_slow`.

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut counts: Vec<(char, usize)> = Vec::new();
    let mut left = 0;
    let mut best = 0;
    for right in 0..chars.len() {
        match counts.iter_mut().find(|(c, _)| *c == chars[right]) {
            Some((_, n)) => *n += 1,
            None => counts.push((chars[right], 1)),
        }
        while counts.len() > k {
            let i = counts.iter().position(|(c, _)| *c == chars[left]).unwrap();
            counts[i].1 -= 1;
            if counts[i].1 == 0 {
                counts.swap_remove(i);
            }
            left += 1;
        }
        best = best.max(right + 1 - left);
    }
    best
}
