// k-distinct-substring: the length, in chars, of the longest substring of `s` with at most `k`
// distinct chars. `judge show k-distinct-substring` prints the full statement.
//
// Run the hidden tests on this file with:
//
//     judge run k-distinct-substring solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the signature exactly as it is.

pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize {
    todo!("the longest substring of `s` with at most `k` distinct chars")
}
