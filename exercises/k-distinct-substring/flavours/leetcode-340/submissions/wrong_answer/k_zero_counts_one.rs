// Wrong answer: starts `best` at 1 (the string is never empty, so "at least one letter"),
// which is wrong for k = 0: no letter fits, the answer is 0.

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        let bytes = s.as_bytes();
        let mut counts = [0i32; 128];
        let (mut distinct, mut left, mut best) = (0, 0usize, 1usize);
        for right in 0..bytes.len() {
            counts[bytes[right] as usize] += 1;
            if counts[bytes[right] as usize] == 1 {
                distinct += 1;
            }
            while distinct > k && left <= right {
                counts[bytes[left] as usize] -= 1;
                if counts[bytes[left] as usize] == 0 {
                    distinct -= 1;
                }
                left += 1;
            }
            best = best.max(right + 1 - left);
        }
        best as i32
    }
}
