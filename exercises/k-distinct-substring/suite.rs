//! Hidden tests of `k-distinct-substring`: generators over small and large, ASCII and
//! Unicode alphabets, and the model the answers are checked against.

use crate::suite::{usize_edge_note, wrap_note, Explained, FunctionSpec, FunctionSuite, Mismatch};
use crate::wire;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use std::collections::HashMap;

pub static SUITE: FunctionSuite<KDistinct> = FunctionSuite(KDistinct);

pub struct KDistinct;

/// One call: `longest_substring_k_distinct(s, k)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub s: String,
    pub k: usize,
}

/// The guest is wasm32: `k` must fit its 32-bit `usize`.
const MAX_K: usize = u32::MAX as usize;

const TINY: &[char] = &['a', 'b'];
const SMALL: &[char] = &['a', 'b', 'c', 'd'];
/// Multi-byte chars of every UTF-8 length, a combining mark, NUL and a lookalike pair.
const UNICODE: &[char] = &[
    'a', 'b', 'é', 'e', '\u{301}', 'ß', 'Ω', '日', '本', '語', '🦀', '😀', '\0', 'а', ' ',
];

/// Which chars a generated string draws from.
#[derive(Clone, Copy, Debug)]
enum Alphabet {
    Tiny,
    Small,
    Lowercase,
    Printable,
    Unicode,
    /// `n` distinct CJK chars: windows with hundreds of distinct chars.
    Wide(u32),
}

impl Alphabet {
    fn char_at(self, i: u64) -> char {
        let pick = |set: &[char]| set[(i % set.len() as u64) as usize];
        match self {
            Alphabet::Tiny => pick(TINY),
            Alphabet::Small => pick(SMALL),
            Alphabet::Lowercase => (b'a' + (i % 26) as u8) as char,
            Alphabet::Printable => (b' ' + (i % 95) as u8) as char,
            Alphabet::Unicode => pick(UNICODE),
            Alphabet::Wide(n) => char::from_u32(0x4E00 + (i % u64::from(n.max(1))) as u32).unwrap(),
        }
    }

    fn size(self) -> u64 {
        match self {
            Alphabet::Tiny => TINY.len() as u64,
            Alphabet::Small => SMALL.len() as u64,
            Alphabet::Lowercase => 26,
            Alphabet::Printable => 95,
            Alphabet::Unicode => UNICODE.len() as u64,
            Alphabet::Wide(n) => u64::from(n.max(1)),
        }
    }
}

fn alphabet() -> impl Strategy<Value = Alphabet> {
    prop_oneof![
        2 => Just(Alphabet::Tiny),
        3 => Just(Alphabet::Small),
        2 => Just(Alphabet::Lowercase),
        1 => Just(Alphabet::Printable),
        3 => Just(Alphabet::Unicode),
        1 => (2u32..2_000).prop_map(Alphabet::Wide),
    ]
}

/// A long string described by a recipe, so shrinking halves its length instead of
/// removing a million chars one at a time. The chars follow a random walk over the
/// alphabet, which makes windows of few distinct chars long and their edges varied.
fn expand(alphabet: Alphabet, len: usize, seed: u64, stay: u8) -> String {
    let mut rng = judge_core::SplitMix64::new(seed);
    let mut next = move || rng.next_u64();
    let size = alphabet.size();
    let mut pos = next() % size;
    (0..len)
        .map(|_| {
            let r = next();
            if (r & 0xFF) as u8 >= stay {
                pos = if r & 0x100 == 0 {
                    (pos + 1) % size
                } else {
                    (pos + size - 1) % size
                };
                if r & 0x600 == 0 {
                    pos = (r >> 16) % size;
                }
            }
            alphabet.char_at(pos)
        })
        .collect()
}

fn short_string() -> impl Strategy<Value = String> {
    (
        alphabet(),
        prop_oneof![4 => 0usize..=12, 3 => 0usize..=64, 1 => 0usize..=400],
    )
        .prop_flat_map(|(alphabet, len)| {
            proptest::collection::vec(0..alphabet.size(), len)
                .prop_map(move |idx| idx.into_iter().map(|i| alphabet.char_at(i)).collect())
        })
}

fn long_string() -> impl Strategy<Value = String> {
    (
        alphabet(),
        // Ranges from 0, so a failing long string shrinks by halving towards a short one.
        prop_oneof![6 => 0usize..=20_000, 3 => 0usize..=200_000, 1 => 0usize..=1_000_000],
        any::<u64>(),
        any::<u8>(),
    )
        .prop_map(|(alphabet, len, seed, stay)| expand(alphabet, len, seed, stay))
}

fn distinct_chars(s: &str) -> usize {
    let mut seen: Vec<char> = s.chars().collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![20 => short_string(), 1 => long_string()].prop_flat_map(|s| {
        let d = distinct_chars(&s);
        let k = prop_oneof![
            2 => Just(0usize),
            2 => Just(1usize),
            4 => 0..=d + 2,
            2 => Just(d),
            1 => Just(d.saturating_sub(1)),
            1 => Just(1_000_000_000usize),
            1 => Just(MAX_K),
        ];
        (Just(s), k).prop_map(|(s, k)| Input { s, k })
    })
}

/// The model: a sliding window over chars with a count per char in the window.
pub fn model(s: &str, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut counts: HashMap<char, usize> = HashMap::new();
    let (mut left, mut best) = (0, 0);
    for (right, &c) in chars.iter().enumerate() {
        *counts.entry(c).or_insert(0) += 1;
        while counts.len() > k {
            let l = chars[left];
            let n = counts.get_mut(&l).expect("in window");
            *n -= 1;
            if *n == 0 {
                counts.remove(&l);
            }
            left += 1;
        }
        best = best.max(right + 1 - left);
    }
    best
}

/// Shows a string argument the way a candidate writes it, shortened if it is long.
fn show_str(s: &str) -> String {
    const SHOWN: usize = 120;
    let n = s.chars().count();
    if n <= SHOWN {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(SHOWN).collect();
    format!(
        "{head:?}… /* {n} chars in all, {} distinct */",
        distinct_chars(s)
    )
}

impl FunctionSpec for KDistinct {
    type Input = Input;
    type Output = u64;

    fn strategy(&self) -> BoxedStrategy<Input> {
        input().boxed()
    }

    fn encode(&self, input: &Input) -> Vec<u8> {
        wire::to_bytes(&(input.k, input.s.clone()))
    }

    fn decode(&self, _input: &Input, bytes: &[u8]) -> Option<u64> {
        wire::from_bytes::<usize>(bytes).map(|n| n as u64)
    }

    fn check(&self, input: &Input, output: &u64) -> Result<(), Mismatch> {
        let expected = model(&input.s, input.k) as u64;
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

    fn explain(&self, input: &Input, output: Option<&u64>) -> Explained {
        let expected = model(&input.s, input.k) as u64;
        let mut notes: Vec<String> = output
            .and_then(|got| wrap_note("the answer", expected, *got))
            .into_iter()
            .collect();
        notes.extend(usize_edge_note("k", input.k as u64));
        Explained { hint: None, notes }
    }

    fn show_call(&self, input: &Input) -> String {
        format!(
            "longest_substring_k_distinct({}, {})",
            show_str(&input.s),
            input.k
        )
    }

    /// `n` chars drawn uniformly from `n / 4` distinct CJK chars, `k = n / 8`: windows
    /// hold thousands of distinct chars, so work per char that grows with `k` or with the
    /// window shows. The chars come from `seed` (a table of answers cannot pass), their
    /// distribution does not (the same cost for every seed).
    fn workload(&self, n: u32, seed: u64) -> Option<Input> {
        let distinct = (n / 4).clamp(1, 20_000);
        let mut rng = judge_core::SplitMix64::new(seed ^ 0x5EED_0000_0000_0000 ^ u64::from(n));
        let s = (0..n)
            .map(|_| Alphabet::Wide(distinct).char_at(rng.next_u64() >> 33))
            .collect();
        Some(Input {
            s,
            k: (n / 8).max(1) as usize,
        })
    }

    fn describe_workload(&self, n: u32) -> String {
        format!(
            "longest_substring_k_distinct(s, {}) where s is {n} chars drawn uniformly from {} distinct CJK chars",
            (n / 8).max(1),
            (n / 4).clamp(1, 20_000)
        )
    }

    /// The statement's largest input, 10^6 chars of every UTF-8 length, ends every run.
    fn pinned(&self) -> Vec<Input> {
        vec![Input {
            s: expand(Alphabet::Unicode, 1_000_000, 7, 200),
            k: 3,
        }]
    }

    fn boundaries(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("empty_string", "s = \"\""),
            ("k_zero", "k = 0"),
            ("k_usize_max", "k = usize::MAX (2^32 - 1 in the sandbox)"),
            (
                "k_over_distinct",
                "k larger than the number of distinct chars of a non-empty s",
            ),
            (
                "long_string",
                "s of at least 500,000 chars (the statement allows 10^6)",
            ),
            (
                "multibyte_chars",
                "chars of 2, 3 and 4 UTF-8 bytes in one s",
            ),
            ("combining_mark", "a combining mark (U+0301) after a letter"),
        ]
    }

    fn hits(&self, input: &Input) -> Vec<&'static str> {
        let s = &input.s;
        let widths: std::collections::BTreeSet<usize> = s.chars().map(char::len_utf8).collect();
        [
            s.is_empty().then_some("empty_string"),
            (input.k == 0).then_some("k_zero"),
            (input.k == MAX_K).then_some("k_usize_max"),
            (!s.is_empty() && input.k > distinct_chars(s)).then_some("k_over_distinct"),
            (s.len() >= 500_000 && s.chars().count() >= 500_000).then_some("long_string"),
            [2, 3, 4]
                .iter()
                .all(|w| widths.contains(w))
                .then_some("multibyte_chars"),
            s.contains("e\u{301}").then_some("combining_mark"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn simpler(&self, input: &Input) -> Vec<Input> {
        let chars: Vec<char> = input.s.chars().collect();
        let n = chars.len();
        let with = |s: String| Input { s, k: input.k };
        let mut out = Vec::new();
        // Remove chunks of n/2, n/4, ... chars (down to single chars while that stays
        // under a few hundred candidates), as delta debugging does.
        let mut chunk = n / 2;
        while chunk >= 1 && n / chunk <= 256 {
            for start in (0..n).step_by(chunk) {
                let end = (start + chunk).min(n);
                out.push(with(chars[..start].iter().chain(&chars[end..]).collect()));
            }
            chunk /= 2;
        }
        if n <= 64 {
            // Plainer chars: each one replaced by 'a'.
            for i in (0..n).filter(|&i| chars[i] != 'a') {
                let mut c = chars.clone();
                c[i] = 'a';
                out.push(with(c.into_iter().collect()));
            }
        }
        if input.k > 0 {
            let k = if input.k > n + 1 { n + 1 } else { input.k - 1 };
            out.push(Input {
                s: input.s.clone(),
                k,
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

    fn brute(s: &str, k: usize) -> usize {
        let chars: Vec<char> = s.chars().collect();
        let mut best = 0;
        for i in 0..chars.len() {
            for j in i..chars.len() {
                if distinct_chars(&chars[i..=j].iter().collect::<String>()) <= k {
                    best = best.max(j + 1 - i);
                }
            }
        }
        best
    }

    #[test]
    fn model_matches_the_statement_examples() {
        assert_eq!(model("eceba", 2), 3);
        assert_eq!(model("aa", 1), 2);
        assert_eq!(model("", 3), 0);
        assert_eq!(model("abc", 0), 0);
        assert_eq!(model("日本日本語", 2), 4);
        assert_eq!(model("e\u{301}e", 1), 1);
    }

    proptest! {
        #[test]
        fn model_matches_brute_force(input in short_string().prop_filter("small", |s| s.chars().count() <= 40), k in 0usize..8) {
            prop_assert_eq!(model(&input, k), brute(&input, k));
        }
    }

    #[test]
    fn generators_cover_the_contract() {
        let mut runner = TestRunner::deterministic();
        let strategy = input();
        let (mut empty, mut k0, mut multibyte, mut long, mut huge_k, mut wide) = (0, 0, 0, 0, 0, 0);
        let mut near_max = 0;
        for _ in 0..2_000 {
            let i = strategy.new_tree(&mut runner).unwrap().current();
            empty += usize::from(i.s.is_empty());
            k0 += usize::from(i.k == 0);
            multibyte += usize::from(i.s.len() > i.s.chars().count());
            long += usize::from(i.s.chars().count() >= 1_000);
            near_max += usize::from(i.s.chars().count() >= 500_000);
            huge_k += usize::from(i.k == MAX_K);
            wide += usize::from(distinct_chars(&i.s) > 100);
            assert!(i.k <= MAX_K);
        }
        for (what, n) in [
            ("empty", empty),
            ("k=0", k0),
            ("multibyte", multibyte),
            ("long", long),
            ("k=MAX", huge_k),
            ("wide", wide),
        ] {
            assert!(n >= 10, "only {n} {what} inputs in 2000");
        }
        assert!(
            near_max >= 1,
            "no string of 500,000 chars or more in 2000 inputs"
        );
    }

    #[test]
    fn long_strings_reach_a_million_chars() {
        let s = expand(Alphabet::Unicode, 1_000_000, 7, 200);
        assert_eq!(s.chars().count(), 1_000_000);
        assert!(model(&s, 3) > 3);
    }

    #[test]
    fn a_wrapped_answer_is_explained_and_a_right_one_is_not() {
        let input = Input {
            s: String::new(),
            k: 3,
        };
        let wrapped = KDistinct.explain(&input, Some(&u64::from(u32::MAX)));
        assert_eq!(wrapped.notes.len(), 1, "{wrapped:?}");
        assert!(
            wrapped.notes[0].starts_with("the answer 4294967295 is -1 wrapped to 32 bits"),
            "{wrapped:?}"
        );
        assert!(KDistinct.explain(&input, Some(&0)).notes.is_empty());
        // A wrong answer that is no wrap: no note either.
        assert!(KDistinct.explain(&input, Some(&5)).notes.is_empty());
        assert!(wrap_note("x", 1 << 32, 0).is_some_and(|n| n.contains("wrapped to 32 bits")));
        assert!(usize_edge_note("k", u64::from(u32::MAX)).is_some_and(|n| n.contains("usize::MAX")));
        assert!(usize_edge_note("k", 10).is_none());
    }

    #[test]
    fn workloads_change_with_the_seed_but_not_their_shape() {
        let (a, b) = (
            KDistinct.workload(8_000, 1).unwrap(),
            KDistinct.workload(8_000, 2).unwrap(),
        );
        assert_eq!((a.s.chars().count(), a.k), (b.s.chars().count(), b.k));
        assert_ne!(a.s, b.s);
        assert_ne!(model(&a.s, a.k), 0);
        assert_eq!(
            KDistinct.workload(8_000, 1).unwrap().s,
            a.s,
            "a seed replays"
        );
    }
}
