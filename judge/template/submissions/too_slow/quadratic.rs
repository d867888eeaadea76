// Too slow: right answers, but each value is looked up among all the values before it:
// O(n^2), over the O(n log n) bound.

pub fn count_distinct(values: &[i32]) -> usize {
    (0..values.len())
        .filter(|&i| !values[..i].contains(&values[i]))
        .count()
}
