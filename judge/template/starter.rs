// {{id}}: how many distinct values `values` holds. `judge show {{id}}` prints the full
// statement.
//
// Run the hidden tests on this file with:
//
//     judge run {{id}} solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the signature exactly as it is.

pub fn count_distinct(values: &[i32]) -> usize {
    todo!("how many distinct values `values` holds")
}
