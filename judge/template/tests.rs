//! Native tests of the {{id}} reference (`cargo test -p judge-reference`): the statement's
//! examples and a property against a second, deliberately different implementation.

use super::count_distinct;
use proptest::prelude::*;

#[test]
fn statement_examples() {
    assert_eq!(count_distinct(&[]), 0);
    assert_eq!(count_distinct(&[3, 1, 3]), 2);
    assert_eq!(count_distinct(&[-1, -1, -1, 7]), 2);
    assert_eq!(count_distinct(&[i32::MIN, i32::MAX, 0]), 3);
}

proptest! {
    #[test]
    fn matches_sorting(values in proptest::collection::vec(-8i32..8, 0..64)) {
        let mut sorted = values.clone();
        sorted.sort_unstable();
        sorted.dedup();
        prop_assert_eq!(count_distinct(&values), sorted.len());
    }
}
