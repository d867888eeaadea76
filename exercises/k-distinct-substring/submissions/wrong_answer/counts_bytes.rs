// Wrong answer: treats the string as bytes. Byte distinctness and byte lengths agree with chars
// for ASCII, so every ASCII test passes, but a multi-byte char counts as several "chars": on
// ("ééa", 1) the bytes C3 A9 C3 A9 61 give 1 (correct: 2), and on ("ééa", 2) they give 4
// (correct: 3). It never slices the str, so it returns a wrong number rather than panicking.

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    let bytes = s.as_bytes();
    let mut counts = [0usize; 256];
    let mut distinct = 0;
    let mut left = 0;
    let mut best = 0;

    for right in 0..bytes.len() {
        counts[bytes[right] as usize] += 1;
        if counts[bytes[right] as usize] == 1 {
            distinct += 1;
        }

        while distinct > k {
            counts[bytes[left] as usize] -= 1;
            if counts[bytes[left] as usize] == 0 {
                distinct -= 1;
            }
            left += 1;
        }

        best = best.max(right + 1 - left);
    }
    best
}
