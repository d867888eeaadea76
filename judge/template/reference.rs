// The reference solution of {{id}}: judged by `judge validate` like any submission (so: one
// file, std only, no inner attributes), and the performance baseline.

use std::collections::HashSet;

pub fn count_distinct(values: &[i32]) -> usize {
    values.iter().collect::<HashSet<_>>().len()
}
