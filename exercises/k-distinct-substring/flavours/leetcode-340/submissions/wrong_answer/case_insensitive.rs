// Wrong answer: folds case, so 'a' and 'A' count as one letter; LeetCode's letters are
// distinct by case ("aA" with k = 1 is 1, not 2).

impl Solution {
    pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 {
        let bytes: Vec<u8> = s.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let mut counts = [0i32; 128];
        let (mut distinct, mut left, mut best) = (0, 0usize, 0usize);
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
        best as i32
    }
}
