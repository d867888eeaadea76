//! Hidden tests of LeetCode 340 (k-distinct-substring in LeetCode's API), and of 159 (the
//! same with k = 2, `leetcode-159/suite.rs`): inputs within LeetCode's constraints (English
//! letters, its length and k bounds), answers checked against k-distinct-substring's model.

use crate::k_distinct_substring::model;
use crate::suite::{FunctionSpec, FunctionSuite, Mismatch};
use crate::wire;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

pub static SUITE: FunctionSuite<LeetCodeKDistinct> = FunctionSuite(LeetCodeKDistinct {
    k: None,
    max_len: 50_000,
    method: "length_of_longest_substring_k_distinct",
});

/// One of LeetCode's k-distinct problems: 340 (`k` an argument, up to [`MAX_K`]) or 159
/// (`k` fixed at 2, not passed).
pub struct LeetCodeKDistinct {
    /// The fixed `k` (159), or `None` when each test draws one (340).
    pub k: Option<usize>,
    /// LeetCode's bound on `s.len()`.
    pub max_len: usize,
    /// The method of `Solution` called, for reports.
    pub method: &'static str,
}

/// One call: the string (English letters, at least one) and `k`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub s: String,
    pub k: usize,
}

/// LeetCode 340: `0 <= k <= 50`.
pub const MAX_K: usize = 50;

/// The 52 English letters, lowercase first.
fn letter(i: usize) -> char {
    let i = (i % 52) as u8;
    if i < 26 {
        (b'a' + i) as char
    } else {
        (b'A' + i - 26) as char
    }
}

fn distinct(s: &str) -> usize {
    let mut seen = [false; 128];
    s.bytes()
        .filter(|&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

/// Letters from the first `size` of the 52, by a random walk that makes long runs of few
/// letters (so windows are long and their edges varied).
fn walk(size: usize, len: usize, seed: u64, stay: u8) -> String {
    let mut rng = judge_core::SplitMix64::new(seed);
    let mut pos = rng.next_u64() as usize % size;
    (0..len)
        .map(|_| {
            let r = rng.next_u64();
            if (r & 0xFF) as u8 >= stay {
                pos = if r & 0x100 == 0 {
                    (pos + 1) % size
                } else {
                    (pos + size - 1) % size
                };
                if r & 0x600 == 0 {
                    pos = (r >> 16) as usize % size;
                }
            }
            letter(pos)
        })
        .collect()
}

impl LeetCodeKDistinct {
    fn string(&self) -> BoxedStrategy<String> {
        let sizes = prop_oneof![2 => Just(2usize), 3 => Just(4usize), 2 => Just(26usize), 2 => Just(52usize)];
        let short = (
            sizes.clone(),
            prop_oneof![4 => 1usize..=12, 3 => 1usize..=64, 1 => 1usize..=400],
        )
            .prop_flat_map(|(size, len)| {
                proptest::collection::vec(0..size, len)
                    .prop_map(|idx| idx.into_iter().map(letter).collect::<String>())
            });
        let max = self.max_len;
        let long = (sizes, 1usize..=max, any::<u64>(), any::<u8>())
            .prop_map(|(size, len, seed, stay)| walk(size, len, seed, stay));
        prop_oneof![20 => short, 1 => long].boxed()
    }

    fn show_k(&self, input: &Input) -> String {
        match self.k {
            Some(_) => String::new(),
            None => format!(", {}", input.k),
        }
    }
}

impl FunctionSpec for LeetCodeKDistinct {
    type Input = Input;
    type Output = i32;

    fn strategy(&self) -> BoxedStrategy<Input> {
        let fixed = self.k;
        self.string()
            .prop_flat_map(move |s| {
                let d = distinct(&s);
                let k = match fixed {
                    Some(k) => Just(k).boxed(),
                    None => prop_oneof![
                        2 => Just(0usize),
                        2 => Just(1usize),
                        4 => 0..=(d + 2).min(MAX_K),
                        2 => Just(d.min(MAX_K)),
                        1 => Just(d.saturating_sub(1).min(MAX_K)),
                        1 => Just(MAX_K),
                    ]
                    .boxed(),
                };
                (Just(s), k).prop_map(|(s, k)| Input { s, k })
            })
            .boxed()
    }

    fn encode(&self, input: &Input) -> Vec<u8> {
        wire::to_bytes(&(input.k, input.s.clone()))
    }

    fn decode(&self, _input: &Input, bytes: &[u8]) -> Option<i32> {
        wire::from_bytes::<i32>(bytes)
    }

    fn check(&self, input: &Input, output: &i32) -> Result<(), Mismatch> {
        let expected = model(&input.s, input.k) as i32;
        if *output == expected {
            Ok(())
        } else {
            Err(Mismatch::wrong_answer(
                expected.to_string(),
                output.to_string(),
            ))
        }
    }

    fn show_expected(&self, input: &Input) -> String {
        model(&input.s, input.k).to_string()
    }

    fn show_call(&self, input: &Input) -> String {
        const SHOWN: usize = 120;
        let s = if input.s.len() <= SHOWN {
            format!("{:?}", input.s)
        } else {
            format!(
                "{:?}… /* {} letters in all, {} distinct */",
                &input.s[..SHOWN],
                input.s.len(),
                distinct(&input.s)
            )
        };
        format!(
            "Solution::{}({s}.to_string(){})",
            self.method,
            self.show_k(input)
        )
    }

    /// `n` letters drawn uniformly from all 52 (from `seed`), `k` = 26 for 340 (2 for 159):
    /// within LeetCode's bounds, so only work that grows with the window or the string
    /// itself shows.
    fn workload(&self, n: u32, seed: u64) -> Option<Input> {
        let mut rng = judge_core::SplitMix64::new(seed ^ 0x340 ^ u64::from(n));
        let s = (0..n.max(1))
            .map(|_| letter((rng.next_u64() >> 33) as usize))
            .collect();
        Some(Input {
            s,
            k: self.k.unwrap_or(26),
        })
    }

    fn describe_workload(&self, n: u32) -> String {
        let k = self.k.unwrap_or(26);
        let args = match self.k {
            Some(_) => "s".to_owned(),
            None => format!("s, {k}"),
        };
        format!(
            "Solution::{}({args}) where s is {n} letters drawn uniformly from all 52",
            self.method
        )
    }

    fn small(&self, input: &Input, _index: usize) -> Option<Input> {
        let s: String = input.s.chars().take(64).collect();
        Some(Input { s, k: input.k })
    }

    fn simpler(&self, input: &Input) -> Vec<Input> {
        let chars: Vec<char> = input.s.chars().collect();
        let n = chars.len();
        let with = |s: String| Input { s, k: input.k };
        let mut out = Vec::new();
        let mut chunk = n / 2;
        while chunk >= 1 && n / chunk <= 256 {
            for start in (0..n).step_by(chunk) {
                let end = (start + chunk).min(n);
                // LeetCode's strings are never empty.
                if end - start < n {
                    out.push(with(chars[..start].iter().chain(&chars[end..]).collect()));
                }
            }
            chunk /= 2;
        }
        if n <= 64 {
            for i in (0..n).filter(|&i| chars[i] != 'a') {
                let mut c = chars.clone();
                c[i] = 'a';
                out.push(with(c.into_iter().collect()));
            }
        }
        if self.k.is_none() && input.k > 0 {
            out.push(Input {
                s: input.s.clone(),
                k: input.k - 1,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn inputs_stay_within_leetcodes_constraints_and_reach_its_edges() {
        let mut runner = TestRunner::deterministic();
        let strategy = SUITE.0.strategy();
        let (mut k0, mut k50, mut long, mut upper) = (0, 0, 0, 0);
        for _ in 0..2_000 {
            let i = strategy.new_tree(&mut runner).unwrap().current();
            assert!(!i.s.is_empty() && i.s.len() <= 50_000, "{}", i.s.len());
            assert!(i.s.bytes().all(|b| b.is_ascii_alphabetic()));
            assert!(i.k <= MAX_K);
            k0 += usize::from(i.k == 0);
            k50 += usize::from(i.k == MAX_K);
            long += usize::from(i.s.len() >= 1_000);
            upper += usize::from(i.s.bytes().any(|b| b.is_ascii_uppercase()));
        }
        for (what, n) in [
            ("k=0", k0),
            ("k=50", k50),
            ("long", long),
            ("uppercase", upper),
        ] {
            assert!(n >= 10, "only {n} {what} inputs in 2000");
        }
    }

    #[test]
    fn calls_are_shown_as_leetcode_writes_them() {
        let input = Input {
            s: "eceba".into(),
            k: 2,
        };
        assert_eq!(
            SUITE.0.show_call(&input),
            "Solution::length_of_longest_substring_k_distinct(\"eceba\".to_string(), 2)"
        );
        assert!(SUITE.0.check(&input, &3).is_ok());
        assert_eq!(SUITE.0.check(&input, &4).unwrap_err().expected, "3");
        let w = SUITE.0.workload(1_000, 7).unwrap();
        assert_eq!((w.s.len(), w.k), (1_000, 26));
        assert_ne!(w.s, SUITE.0.workload(1_000, 8).unwrap().s);
    }
}
