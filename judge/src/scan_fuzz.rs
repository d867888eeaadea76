//! Fuzz targets for the forbidden-construct scan: whatever the text, [`scan`] returns.
//!
//! Each target runs `JUDGE_FUZZ_CASES` cases (default 256) from the seed `JUDGE_FUZZ_SEED`
//! (default fixed, so the suite is reproducible): `JUDGE_FUZZ_CASES=100000 cargo test -p
//! judge --lib scan::fuzz` runs them longer.

use super::{scan, Forbidden, LINT_LEVELS, MAX_DEPTH};
use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::str::FromStr;

fn config(default_cases: u32) -> Config {
    let var = |name| std::env::var(name).ok();
    Config {
        cases: var("JUDGE_FUZZ_CASES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_cases),
        rng_seed: RngSeed::Fixed(
            var("JUDGE_FUZZ_SEED")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0x5ca9),
        ),
        // A failure prints its (shrunk) input; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Identifiers a solution may hold, none of which can reach a reader or load a file, and
/// none containing the substrings the scan looks for in text that does not lex.
const BENIGN_IDENTS: &[&str] = &[
    "a",
    "x",
    "foo",
    "Self",
    "self",
    "std",
    "core",
    "fn",
    "let",
    "use",
    "as",
    "pub",
    "impl",
    "struct",
    "match",
    "macro_rules",
    "derive",
    "allow",
    "doc",
    "cfg",
    "tt",
    "ident",
    "expr",
    "é",
    "ß",
    "数据",
    "ǅ",
    "_x",
    "r#type",
    "r#fn",
    "Vec",
    "u8",
    "crate",
    "super",
];
/// Identifiers that are, or take part in, the constructs the scan forbids.
const HOSTILE_IDENTS: &[&str] = &[
    "env",
    "include",
    "include_str",
    "include_bytes",
    "option_env",
    "r#env",
    "r#include",
    "path",
    "r#path",
    "mod",
    "cfg_attr",
    "concat",
    "debugger_visualizer",
    "environment",
    "includes",
];
const PUNCTS: &[&str] = &[
    "!", "$", ";", ":", "::", "=", ",", ".", "->", "=>", "&", "*", "+", "@", "?", "<", ">", "..",
    "-", "/", "|", "^", "%", "~",
];
const LITERALS: &[&str] = &[
    "\"s\"",
    "\"with \\\" quote\"",
    "\"include!(\\\"/etc/passwd\\\")\"",
    "\"line\nbreak\"",
    "r\"raw\"",
    "r#\"a \"b\" c\"#",
    "r##\"x\"#y\"##",
    "b\"bytes\"",
    "br#\"raw bytes\"#",
    "c\"cstr\"",
    "'c'",
    "b'c'",
    "'\\u{1F600}'",
    "'\\''",
    "'a",
    "'static",
    "1",
    "0x1f",
    "1.5e3",
    "1u8",
    "1_000_i64",
    "\"数据 🦀\"",
];
const COMMENTS: &[&str] = &[
    "// line include!(\"x\")\n",
    "/* block env!(\"HOME\") */",
    "/* nested /* inner */ still */",
    "/// outer doc\n",
    "//! inner doc\n",
    "/** block doc */",
    "/*! inner block doc */",
];
const SPACES: &[&str] = &[" ", "\n", "\t", "\r\n", "\u{85}", "\u{2028}", "\u{200e}"];

fn pick(list: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(list)
        .prop_map(str::to_owned)
        .boxed()
}

/// A Rust-like token soup: tokens, comments and literals in delimited groups nested at most
/// `depth` deep, with macro-shaped pieces (`name!(..)`, `macro_rules!`, attributes).
fn soup(idents: &'static [&'static str], hash: bool, depth: u32) -> BoxedStrategy<String> {
    let mut leaves = vec![
        (4, pick(idents)),
        (3, pick(PUNCTS)),
        (2, pick(LITERALS)),
        (1, pick(COMMENTS)),
        (1, pick(SPACES)),
    ];
    if hash {
        leaves.push((1, Just("#".to_owned()).boxed()));
    }
    let leaf = proptest::strategy::Union::new_weighted(leaves);
    leaf.prop_recursive(depth, 256, 8, move |inner| {
        let items = proptest::collection::vec(inner, 0..8).prop_map(|v| v.join(" "));
        let delimited = (items.clone(), 0..3usize).prop_map(|(body, d)| {
            let (open, close) = [("(", ")"), ("[", "]"), ("{", "}")][d];
            format!("{open}{body}{close}")
        });
        let mut pieces = vec![
            (3, items.clone().boxed()),
            (3, delimited.clone().boxed()),
            (
                1,
                (pick(idents), delimited.clone())
                    .prop_map(|(n, g)| format!("{n}!{g}"))
                    .boxed(),
            ),
            (
                1,
                (pick(idents), items.clone())
                    .prop_map(|(n, b)| {
                        format!("macro_rules! {n} {{ ($($a:tt)*) => {{ {b} $($a)* }} }}")
                    })
                    .boxed(),
            ),
            (
                1,
                (pick(idents), items)
                    .prop_map(|(n, b)| format!("#[{n} = {b:?}] mod m {{}}"))
                    .boxed(),
            ),
        ];
        // `#!` groups at the top level are crate attributes, which the scan refuses.
        if hash {
            pieces.push((1, delimited.prop_map(|g| format!("#!{g}")).boxed()));
        }
        proptest::strategy::Union::new_weighted(pieces)
    })
    .boxed()
}

/// Text that is mostly Rust's own characters: delimiters, quotes, `#`, `!`, `$`, `/`, `*`.
fn rusty_chars() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "()[]{}\"'#!$/*\\rb \n;:=_aeinvpthlud0é🦀\u{85}\u{0}"
        .chars()
        .collect();
    proptest::collection::vec(proptest::sample::select(chars), 0..400)
        .prop_map(|v| v.into_iter().collect())
}

/// Deletes, duplicates or inserts a character at a few places: mostly text that no longer
/// lexes (an unclosed delimiter or string).
fn mutated(text: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let edits =
        proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<char>()), 1..4);
    (text, edits).prop_map(|(text, edits)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(chars.len() + 1);
            match kind {
                0 if i < chars.len() => {
                    chars.remove(i);
                }
                1 if i < chars.len() => chars.insert(i, chars[i]),
                _ => chars.insert(i, c),
            }
        }
        chars.into_iter().collect()
    })
}

/// What every result must satisfy: positions inside the text, one-based.
fn check(source: &str, result: &Result<Vec<Forbidden>, String>) -> Result<(), TestCaseError> {
    let Ok(found) = result else { return Ok(()) };
    // The lexer's lines end at '\n' only.
    let lines: Vec<&str> = source.split('\n').collect();
    for f in found {
        prop_assert!(
            f.line >= 1 && f.line <= lines.len(),
            "{f:?} in {} lines",
            lines.len()
        );
        let width = lines[f.line - 1].chars().count();
        prop_assert!(
            f.column >= 1 && f.column <= width,
            "{f:?}: line {} has {width} chars",
            f.line
        );
        prop_assert!(!f.construct.is_empty() && !f.reason.is_empty(), "{f:?}");
    }
    Ok(())
}

const PLANTED: &str = "\nconst __PLANTED: &str = include_str!(\"/etc/passwd\");\n";

fn scan_checked(source: &str) -> Result<Result<Vec<Forbidden>, String>, TestCaseError> {
    let result = scan(source);
    check(source, &result)?;
    Ok(result)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_strings(source in any::<String>()) {
        let _ = scan_checked(&source)?;
    }

    #[test]
    fn rust_characters(source in rusty_chars()) {
        let _ = scan_checked(&source)?;
    }

    #[test]
    fn hostile_token_soups(source in soup(HOSTILE_IDENTS, true, 6)) {
        let _ = scan_checked(&source)?;
        // Whatever precedes it, a reader call at the top level is found.
        if TokenStream::from_str(&source).is_ok() {
            let planted = format!("{source}{PLANTED}");
            let found = scan_checked(&planted)?.map_err(TestCaseError::fail)?;
            prop_assert!(found.iter().any(|f| f.construct == "include_str!"), "{found:?}");
        }
    }

    #[test]
    fn benign_token_soups_are_accepted(source in soup(BENIGN_IDENTS, false, 6)) {
        let result = scan_checked(&source)?;
        prop_assert_eq!(result, Ok(Vec::new()));
    }

    #[test]
    fn mutated_token_soups(source in mutated(soup(HOSTILE_IDENTS, true, 5))) {
        let _ = scan_checked(&source)?;
    }

    /// A file may open with lint-level inner attributes over anything benign; any other
    /// inner attribute at the top is refused, named, whatever lint attributes precede it.
    #[test]
    fn inner_attributes_at_the_top(
        levels in proptest::collection::vec((proptest::sample::select(LINT_LEVELS), soup(BENIGN_IDENTS, false, 2)), 1..4),
        other in proptest::sample::select(&["no_std", "no_main", "feature", "crate_type", "crate_name", "recursion_limit", "cfg_attr", "windows_subsystem", "a"][..]),
        body in soup(BENIGN_IDENTS, false, 4),
    ) {
        let attrs: String = levels.iter().map(|(l, b)| format!("#![{l}({b})]\n")).collect();
        let source = format!("{attrs}{body}");
        let result = scan_checked(&source)?;
        prop_assert_eq!(result, Ok(Vec::new()), "{}", source);
        let refused = format!("{attrs}#![{other}]\n{body}");
        let found = scan_checked(&refused)?.map_err(TestCaseError::fail)?;
        let want = format!("#![{other}]");
        prop_assert!(found.iter().any(|f| f.construct == want), "{found:?}");
    }

    /// Within the depth limit, a reader at the innermost level is found.
    #[test]
    fn nesting_within_the_limit(depth in 1..MAX_DEPTH - 8, kinds in proptest::collection::vec(0..4usize, 1..8), body in soup(HOSTILE_IDENTS, true, 2)) {
        let source = nested(depth, &kinds, &format!("{body}\n{PLANTED}"), true);
        let found = scan_checked(&source)?;
        if TokenStream::from_str(&source).is_ok() {
            let found = found.map_err(TestCaseError::fail)?;
            prop_assert!(found.iter().any(|f| f.construct == "include_str!"), "{found:?}");
        }
        let _ = scan_checked(&source[..source.floor_char_boundary(source.len() / 2)])?;
    }

    /// Past it, however deep, the scan returns (on a test thread's stack) and refuses.
    #[test]
    fn nesting_past_the_limit(depth in prop_oneof![20 => MAX_DEPTH + 1..4 * MAX_DEPTH, 1 => 4 * MAX_DEPTH..200_000], kinds in proptest::collection::vec(0..4usize, 1..8), closed in any::<bool>()) {
        let source = nested(depth, &kinds, "x", closed);
        match scan_checked(&source)? {
            Ok(found) => prop_assert!(
                found.len() == 1 && found[0].construct.starts_with("nesting deeper than"),
                "{found:?}"
            ),
            Err(_) => prop_assert!(!closed),
        }
    }
}

/// `body` inside `depth` brackets, `kinds` cycling through `(`, `[`, `{` and `m!(`; closed or
/// left open.
fn nested(depth: usize, kinds: &[usize], body: &str, closed: bool) -> String {
    let mut source = String::new();
    for level in 0..depth {
        source.push_str(["(", "[", "{", "m!("][kinds[level % kinds.len()]]);
    }
    source.push_str(body);
    if closed {
        for level in (0..depth).rev() {
            source.push_str([")", "]", "}", ")"][kinds[level % kinds.len()]]);
        }
    }
    source
}

/// The generators reach every path of the scan: a soup can be rejected and accepted, fail
/// to lex, and both hostile and benign soups are mostly well-formed.
#[test]
fn the_generators_cover_the_scan() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::new(config(256));
    let (mut rejected, mut accepted, mut unlexed) = (0, 0, 0);
    let strategy = soup(HOSTILE_IDENTS, true, 6);
    for _ in 0..256 {
        let source = strategy.new_tree(&mut runner).unwrap().current();
        match scan(&source) {
            Ok(found) if found.is_empty() => accepted += 1,
            Ok(_) => rejected += 1,
            Err(_) => unlexed += 1,
        }
    }
    assert!(
        rejected > 32 && accepted > 32,
        "{rejected} rejected, {accepted} accepted"
    );
    let mutated = mutated(strategy);
    for _ in 0..256 {
        if scan(&mutated.new_tree(&mut runner).unwrap().current()).is_err() {
            unlexed += 1;
        }
    }
    assert!(unlexed > 16, "{unlexed} did not lex");
}
