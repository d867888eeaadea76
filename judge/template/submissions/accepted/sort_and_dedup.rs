// Accepted: sorting a copy and removing repeats is O(n log n), within the bound.

pub fn count_distinct(values: &[i32]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len()
}
