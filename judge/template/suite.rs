//! Hidden tests of `{{id}}`: lists with many repeats, lists of any `i32`, and long lists,
//! checked against the model.

use crate::suite::{FunctionSpec, FunctionSuite, Mismatch};
use crate::wire;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::collections::BTreeSet;

/// The suite the judge runs (the build registers it under the folder's name).
pub static SUITE: FunctionSuite<Spec> = FunctionSuite(Spec);

pub struct Spec;

/// The model: the answer the statement defines, written for clarity, not speed.
pub fn model(values: &[i32]) -> usize {
    values.iter().collect::<BTreeSet<_>>().len()
}

impl FunctionSpec for Spec {
    type Input = Vec<i32>;
    type Output = usize;

    fn strategy(&self) -> BoxedStrategy<Vec<i32>> {
        prop_oneof![
            // Few distinct values: repeats everywhere.
            4 => proptest::collection::vec(-3i32..3, 0..24),
            // Any i32, extremes included.
            2 => proptest::collection::vec(any::<i32>(), 0..200),
            1 => proptest::collection::vec(prop_oneof![Just(i32::MIN), Just(i32::MAX), Just(0)], 0..8),
            // Long lists.
            1 => proptest::collection::vec(-500i32..500, 0..20_000),
        ]
        .boxed()
    }

    fn encode(&self, values: &Vec<i32>) -> Vec<u8> {
        wire::to_bytes(values)
    }

    fn decode(&self, _values: &Vec<i32>, bytes: &[u8]) -> Option<usize> {
        wire::from_bytes(bytes)
    }

    fn check(&self, values: &Vec<i32>, output: &usize) -> Result<(), Mismatch> {
        let expected = model(values);
        if *output == expected {
            Ok(())
        } else {
            Err(Mismatch::wrong_answer(
                expected.to_string(),
                output.to_string(),
            ))
        }
    }

    fn show_call(&self, values: &Vec<i32>) -> String {
        const SHOWN: usize = 40;
        if values.len() <= SHOWN {
            format!("count_distinct(&{values:?})")
        } else {
            format!(
                "count_distinct(&{:?}) /* {} values in all; the first {SHOWN} shown */",
                &values[..SHOWN],
                values.len()
            )
        }
    }

    fn show_expected(&self, values: &Vec<i32>) -> String {
        model(values).to_string()
    }

    /// `n` values drawn from `n / 2` distinct ones, a pseudo-random sequence from the
    /// run's `seed`: the content changes with the seed, the shape and cost do not.
    fn workload(&self, n: u32, seed: u64) -> Option<Vec<i32>> {
        let mut state = 0x5EED_u64 ^ seed ^ u64::from(n);
        let range = u64::from((n / 2).max(1));
        Some(
            (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ((state >> 33) % range) as i32
                })
                .collect(),
        )
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "count_distinct(values) where values is {n} values drawn from {} distinct ones",
            (n / 2).max(1)
        )
    }
}
