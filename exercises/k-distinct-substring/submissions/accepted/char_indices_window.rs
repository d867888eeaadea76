// Accepted: a window kept as byte offsets into the &str, with no Vec<char>. New chars come from
// char_indices(); the left edge decodes the char at its byte offset and steps over it with
// len_utf8(), so it always lands on a char boundary. The answer is counted in chars separately,
// because byte lengths would be wrong for multi-byte chars. O(n) time.

use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let mut counts: HashMap<char, u32> = HashMap::new();
    let mut left = 0; // byte offset of the window's first char
    let mut window_chars = 0;
    let mut best = 0;

    for (right, c) in s.char_indices() {
        let end = right + c.len_utf8(); // the window is s[left..end]
        *counts.entry(c).or_insert(0) += 1;
        window_chars += 1;

        while counts.len() > k && left < end {
            let Some(out) = s[left..end].chars().next() else {
                break;
            };
            left += out.len_utf8();
            window_chars -= 1;
            if let Some(count) = counts.get_mut(&out) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&out);
                }
            }
        }

        best = best.max(window_chars);
    }
    best
}
