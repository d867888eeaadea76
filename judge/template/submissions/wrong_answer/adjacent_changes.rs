// Wrong: counts the places where the value changes, which equals the distinct values only
// when equal values are next to each other (`[3, 1, 3]` gives 3).

pub fn count_distinct(values: &[i32]) -> usize {
    if values.is_empty() {
        return 0;
    }
    1 + values.windows(2).filter(|w| w[0] != w[1]).count()
}
