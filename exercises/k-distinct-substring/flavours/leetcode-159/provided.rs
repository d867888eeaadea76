// What LeetCode declares around a Rust solution, and the judge with it: `Solution`, whose
// `impl` the file writes. A file that declares `struct Solution;` itself shadows this one.

pub struct Solution;
