// Reference for LeetCode 159 (k-distinct-substring with k = 2, in LeetCode's API): one pass
// keeping the two letters of the current window, where the last one's final run starts, and
// the window's start. O(n) time, O(1) memory. The flavour's throughput baseline.

impl Solution {
    pub fn length_of_longest_substring_two_distinct(s: String) -> i32 {
        let chars: Vec<char> = s.chars().collect();
        // `first` and `last`: the window's two letters, `last` the most recent one, whose
        // final run starts at `run`.
        let (mut first, mut last): (Option<char>, Option<char>) = (None, None);
        let (mut start, mut run, mut best) = (0usize, 0usize, 0usize);
        for (i, &c) in chars.iter().enumerate() {
            if Some(c) != last {
                if Some(c) != first && first.is_some() {
                    // A third letter: the window restarts at the last letter's final run.
                    start = run;
                }
                first = last;
                last = Some(c);
                run = i;
            }
            best = best.max(i + 1 - start);
        }
        best as i32
    }
}
