//! Hidden tests of LeetCode 159: LeetCode 340's (`leetcode-340/suite.rs`) with k = 2 and
//! LeetCode 159's bound on the length.

use crate::k_distinct_substring_leetcode_340::LeetCodeKDistinct;
use crate::suite::FunctionSuite;

pub static SUITE: FunctionSuite<LeetCodeKDistinct> = FunctionSuite(LeetCodeKDistinct {
    k: Some(2),
    max_len: 100_000,
    method: "length_of_longest_substring_two_distinct",
});
