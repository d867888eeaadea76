// Reference for k-distinct-substring: the longest substring with at most `k` distinct chars,
// by a sliding window in O(n) time and O(k) extra memory.
//
// This file is also judged as a submission (it is the throughput baseline), so it follows the
// submission rules: std only, `//` comments only, no crate-level attributes.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    // Only the empty window fits; returning early also keeps the loop's invariant simple
    // (a window with too many distinct chars is never empty).
    if k == 0 {
        return 0;
    }
    // The window is delimited by two iterators over the same string: `s.chars()` pushes chars
    // in on the right and `tail`, which lags behind it, pops them off on the left. Decoding the
    // UTF-8 twice is cheaper than collecting a `Vec<char>` and keeps memory independent of `n`.
    let mut tail = s.chars();
    let mut window = CharCounts::new();
    let mut len = 0;
    let mut best = 0;
    for c in s.chars() {
        window.add(c);
        len += 1;
        while window.distinct > k {
            // `distinct > k >= 1`, so the window is non-empty and `tail` has a char to give.
            let Some(out) = tail.next() else { break };
            window.remove(out);
            len -= 1;
        }
        best = best.max(len);
    }
    best
}

// Multiset of the chars in the window. Most text is mostly ASCII, so those chars are counted
// in a flat table and only the rest pay for hashing. The rest keep std's default hasher: this
// is the throughput baseline, and a tuned hasher would measure the hasher, not the algorithm.
struct CharCounts {
    ascii: [u32; 128],
    // Entries are removed when their count drops to zero, so this holds at most `k` chars.
    other: HashMap<char, u32>,
    distinct: usize,
}

impl CharCounts {
    fn new() -> Self {
        CharCounts {
            ascii: [0; 128],
            other: HashMap::new(),
            distinct: 0,
        }
    }

    fn add(&mut self, c: char) {
        let count = if c.is_ascii() {
            &mut self.ascii[c as usize]
        } else {
            self.other.entry(c).or_insert(0)
        };
        *count += 1;
        if *count == 1 {
            self.distinct += 1;
        }
    }

    // `c` must be in the window.
    fn remove(&mut self, c: char) {
        let emptied = if c.is_ascii() {
            let count = &mut self.ascii[c as usize];
            *count -= 1;
            *count == 0
        } else if let Entry::Occupied(mut entry) = self.other.entry(c) {
            *entry.get_mut() -= 1;
            let emptied = *entry.get() == 0;
            if emptied {
                entry.remove();
            }
            emptied
        } else {
            false
        };
        if emptied {
            self.distinct -= 1;
        }
    }
}
