// Accepted: instead of counts, remember for each char in the window the index of its last
// occurrence. When a (k+1)-th distinct char arrives, the char to evict is the one whose last
// occurrence is leftmost, and the window restarts just after that occurrence.
//
// Finding that char by scanning the map would be O(k) per eviction (O(n*k) overall). Instead a
// cursor walks forward from the window's left edge, skipping positions that are no longer the
// last occurrence of their char; the first position that is, is the leftmost last occurrence.
// The cursor only moves forward, so all evictions together cost O(n).

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut last: HashMap<char, usize> = HashMap::new();
    let mut left = 0;
    let mut best = 0;

    for (right, &c) in chars.iter().enumerate() {
        last.insert(c, right);

        if last.len() > k {
            let mut cursor = left;
            while last[&chars[cursor]] != cursor {
                cursor += 1;
            }
            last.remove(&chars[cursor]);
            left = cursor + 1;
        }

        best = best.max(right + 1 - left);
    }
    best
}
