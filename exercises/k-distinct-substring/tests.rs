//! Native tests of the k-distinct-substring reference: edge cases, a brute-force oracle, size.

use std::collections::HashSet;

use super::longest_substring_k_distinct as longest;
use proptest::prelude::*;

/// The definition, literally: every substring, its distinct chars counted from scratch.
/// O(n^3), so only for short strings.
fn oracle(s: &str, k: usize) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut best = 0;
    for start in 0..chars.len() {
        for end in start + 1..=chars.len() {
            let distinct: HashSet<char> = chars[start..end].iter().copied().collect();
            if distinct.len() <= k {
                best = best.max(end - start);
            }
        }
    }
    best
}

#[test]
fn empty_string_gives_zero_for_any_k() {
    for k in [0, 1, 2, usize::MAX] {
        assert_eq!(longest("", k), 0, "k = {k}");
    }
}

#[test]
fn k_zero_gives_zero() {
    assert_eq!(longest("a", 0), 0);
    assert_eq!(longest("abc", 0), 0);
    assert_eq!(longest("ééé", 0), 0);
}

#[test]
fn k_one_is_the_longest_run() {
    assert_eq!(longest("a", 1), 1);
    assert_eq!(longest("aab", 1), 2);
    assert_eq!(longest("abbbc", 1), 3);
    assert_eq!(longest("abcd", 1), 1);
}

#[test]
fn k_at_least_the_distinct_count_gives_the_whole_string() {
    assert_eq!(longest("abcabc", 3), 6);
    assert_eq!(longest("abcabc", 4), 6);
    assert_eq!(longest("abcabc", 1000), 6);
}

#[test]
fn k_usize_max_gives_the_whole_string() {
    assert_eq!(longest("abcabc", usize::MAX), 6);
    assert_eq!(longest("héllo wörld 😀", usize::MAX), 13);
}

#[test]
fn one_repeated_char() {
    assert_eq!(longest("aaaa", 1), 4);
    assert_eq!(longest("aaaa", 2), 4);
    assert_eq!(longest("😀😀😀", 1), 3);
}

#[test]
fn statement_examples() {
    assert_eq!(longest("eceba", 2), 3);
    assert_eq!(longest("aa", 1), 2);
    assert_eq!(longest("héhé😀", 2), 4);
}

#[test]
fn lengths_count_chars_not_bytes() {
    // "é" is two bytes in UTF-8: a byte-based solution answers 4 and 5 here.
    assert_eq!(longest("ééa", 1), 2);
    assert_eq!(longest("ééa", 2), 3);
    // Four-byte chars.
    assert_eq!(longest("😀😀😁", 1), 2);
    assert_eq!(longest("😀😁😀😂", 2), 3);
    // Distinct chars that share leading UTF-8 bytes must still count as distinct.
    assert_eq!(longest("éèêé", 1), 1);
    assert_eq!(longest("éèêé", 2), 2);
}

#[test]
fn combining_marks_are_chars_of_their_own() {
    // "e" + U+0301 COMBINING ACUTE ACCENT, twice: two graphemes, but four chars of two kinds.
    let decomposed = "e\u{301}e\u{301}";
    assert_eq!(longest(decomposed, 1), 1);
    assert_eq!(longest(decomposed, 2), 4);
}

#[test]
fn window_moves_past_a_char_that_reappears() {
    assert_eq!(longest("abaccc", 2), 4);
    assert_eq!(longest("abcabcbb", 2), 4);
    assert_eq!(longest("aabbcc", 2), 4);
}

#[test]
fn a_million_chars_in_linear_time() {
    // 1000 blocks of 1000 equal chars, cycling through 1- to 4-byte chars: each window of two
    // adjacent blocks has two distinct chars. A quadratic solution would not finish.
    let alphabet = ['a', 'é', '中', '😀'];
    let s: String = (0..1000)
        .flat_map(|block| std::iter::repeat_n(alphabet[block % 4], 1000))
        .collect();
    assert_eq!(s.chars().count(), 1_000_000);
    assert_eq!(longest(&s, 0), 0);
    assert_eq!(longest(&s, 1), 1000);
    assert_eq!(longest(&s, 2), 2000);
    assert_eq!(longest(&s, 3), 3000);
    assert_eq!(longest(&s, 4), 1_000_000);

    // Every char distinct: the answer is k itself, and the window holds up to k chars at once.
    // Code points from U+10000 up are all valid chars (the surrogates lie below).
    let distinct: String = (0x1_0000..0x1_0000 + 1_000_000)
        .filter_map(char::from_u32)
        .collect();
    assert_eq!(distinct.chars().count(), 1_000_000);
    assert_eq!(longest(&distinct, 1), 1);
    assert_eq!(longest(&distinct, 500_000), 500_000);
    assert_eq!(longest(&distinct, usize::MAX), 1_000_000);
}

/// A string over `alphabet` and a `k` from 0 to two more than its length in chars.
fn string_and_k(alphabet: Vec<char>, max_len: usize) -> impl Strategy<Value = (String, usize)> {
    prop::collection::vec(prop::sample::select(alphabet), 0..=max_len)
        .prop_flat_map(|chars| (Just(chars.iter().collect::<String>()), 0..=chars.len() + 2))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn matches_oracle_on_small_ascii_alphabets((s, k) in string_and_k(vec!['a', 'b', 'c'], 40)) {
        prop_assert_eq!(longest(&s, k), oracle(&s, k));
    }

    #[test]
    fn matches_oracle_on_wider_ascii_alphabets((s, k) in string_and_k(('a'..='h').chain(['A', ' ', '\0', '\x7f']).collect(), 40)) {
        prop_assert_eq!(longest(&s, k), oracle(&s, k));
    }

    #[test]
    fn matches_oracle_on_unicode_alphabets(
        (s, k) in string_and_k(vec!['a', 'b', 'é', 'è', 'ß', '中', '€', '😀', '😁', '\u{301}', '\u{10FFFF}'], 40)
    ) {
        prop_assert_eq!(longest(&s, k), oracle(&s, k));
    }

    #[test]
    fn matches_oracle_on_arbitrary_chars(
        (s, k) in prop::collection::vec(any::<char>(), 0..=25)
            .prop_flat_map(|chars| (Just(chars.iter().collect::<String>()), 0..=chars.len() + 2))
    ) {
        prop_assert_eq!(longest(&s, k), oracle(&s, k));
    }

    #[test]
    fn is_bounded_by_min_k_n_and_n_and_grows_with_k((s, k) in string_and_k(vec!['a', 'b', 'é', '😀'], 60)) {
        let n = s.chars().count();
        let answer = longest(&s, k);
        prop_assert!(answer <= n);
        prop_assert!(answer <= longest(&s, k + 1));
        // Any window of min(k, n) chars has at most k distinct ones.
        prop_assert!(answer >= k.min(n));
    }
}
