// Wrong answer: when a third letter arrives, restarts the window at the previous letter
// (i - 1) instead of at the start of that letter's final run, so it loses the run before the
// new letter: "abbbcc" gives 4 here ("abbb"), the answer is 5 ("bbbcc").

impl Solution {
    pub fn length_of_longest_substring_two_distinct(s: String) -> i32 {
        let b = s.as_bytes();
        let (mut start, mut best) = (0usize, 0usize);
        for i in 0..b.len() {
            let mut letters: Vec<u8> = b[start..=i].to_vec();
            letters.sort_unstable();
            letters.dedup();
            if letters.len() > 2 {
                start = i - 1;
            }
            best = best.max(i + 1 - start);
        }
        best as i32
    }
}
