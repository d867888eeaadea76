//! Rejects, before compiling, every construct that would make rustc read a host file or
//! the host's environment, or that would change how the judge builds the crate.
//!
//! The scan works on tokens (proc-macro2's lexer), not text, so comments and string
//! literals never trigger it, and a macro cannot assemble a forbidden call from parts the
//! scan has not seen: every name that could reach `include!`, `env!` and friends is an
//! identifier token somewhere in the file.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::str::FromStr;

/// One forbidden construct, with where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forbidden {
    pub line: usize,
    pub column: usize,
    pub construct: String,
    pub reason: &'static str,
}

/// Macros that read files or the environment at compile time.
const READERS: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
];
/// Names that have no use in a solution other than reaching a reader.
const ALWAYS: &[&str] = &["include_str", "include_bytes", "option_env"];

const READS_HOST: &str =
    "it reads the judge's machine at compile time; a submission is one self-contained file";

/// Inner attributes a file may open with: lint levels, which rustc accepts at the top of
/// any module and which change no build setting (the judge builds with `--cap-lints=allow`,
/// so even `#![forbid(unsafe_code)]` or `#![deny(warnings)]` cannot fail the judge's own
/// glue, which comes after the file and allows what it needs).
pub(crate) const LINT_LEVELS: &[&str] = &["allow", "warn", "deny", "forbid", "expect"];

const CRATE_ATTRIBUTE: &str = "a crate-level attribute other than a lint level changes how the judge builds the crate (which is a library built for the sandbox); remove it. Lint attributes (`#![allow(..)]`, `warn`, `deny`, `forbid`, `expect`) are accepted";

/// Deepest nesting of brackets the scan reads (rustc's own parser and the scan's walk
/// recurse per level: 20,000 levels overflowed the judge's stack).
pub const MAX_DEPTH: usize = 256;

/// Scans `source`; an empty result means nothing forbidden was found.
///
/// A file that does not lex (an unclosed brace, say) cannot be scanned by tokens. If its
/// text holds none of the substrings every reader's name contains, rustc cannot reach a
/// reader either, so it goes to rustc for a proper diagnostic; otherwise it is an error.
///
/// Brackets nested deeper than [`MAX_DEPTH`] are refused (one finding, at the first bracket
/// past the limit) before anything recurses: proc-macro2's lexer and the drop of its
/// tokens use explicit stacks, and the depth is measured with one too.
pub fn scan(source: &str) -> Result<Vec<Forbidden>, String> {
    let tokens = match TokenStream::from_str(source) {
        Ok(tokens) => tokens,
        Err(_)
            if !["include", "env", "path", "debugger_visualizer"]
                .iter()
                .any(|w| source.contains(w))
                && text_depth(source) <= MAX_DEPTH =>
        {
            return Ok(Vec::new())
        }
        Err(e) => {
            let start = e.span().start();
            return Err(format!(
                "line {}:{}: the judge could not read the file's tokens ({e}); check for an unclosed delimiter or string",
                start.line,
                start.column + 1
            ));
        }
    };
    if let Some(open) = too_deep(&tokens) {
        let start = open.start();
        return Ok(vec![Forbidden {
            line: start.line,
            column: start.column + 1,
            construct: format!("nesting deeper than {MAX_DEPTH} levels"),
            reason: "the judge reads at most that many nested brackets; split the expression or the data into smaller pieces",
        }]);
    }
    let mut found = Vec::new();
    let dynamic = invokes_by_metavariable(tokens.clone());
    walk(tokens, Context::TopLevel, dynamic, &mut found);
    found.sort_by_key(|f| (f.line, f.column));
    found.dedup();
    Ok(found)
}

/// The opening bracket of the first group nested deeper than [`MAX_DEPTH`], found without
/// recursion.
fn too_deep(tokens: &TokenStream) -> Option<proc_macro2::Span> {
    let mut stack = vec![tokens.clone().into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(TokenTree::Group(g)) if stack.len() > MAX_DEPTH => return Some(g.span_open()),
            Some(TokenTree::Group(g)) => stack.push(g.stream().into_iter()),
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    None
}

/// The deepest nesting of brackets in `source` read as plain text (strings and comments
/// included): an upper bound of the token depth, for a file that does not lex.
fn text_depth(source: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    for b in source.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    TopLevel,
    Nested,
    /// Inside a macro's arguments or a `macro_rules!` body, where any identifier may
    /// become a macro name.
    MacroInput,
}

fn name(tree: &TokenTree) -> Option<String> {
    match tree {
        TokenTree::Ident(i) => {
            let s = i.to_string();
            Some(s.strip_prefix("r#").map(str::to_owned).unwrap_or(s))
        }
        _ => None,
    }
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// Whether some `macro_rules!` body invokes a macro whose name is a metavariable
/// (`$name!`): only then can a plain identifier passed to a macro become a macro call.
fn invokes_by_metavariable(stream: TokenStream) -> bool {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    trees.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Group(g) => invokes_by_metavariable(g.stream()),
        TokenTree::Punct(p) if p.as_char() == '$' => {
            matches!(trees.get(i + 1), Some(TokenTree::Ident(_))) && is_punct(trees.get(i + 2), '!')
        }
        _ => false,
    })
}

fn walk(stream: TokenStream, context: Context, dynamic: bool, found: &mut Vec<Forbidden>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let push =
        |found: &mut Vec<Forbidden>, tree: &TokenTree, construct: String, reason: &'static str| {
            let start = tree.span().start();
            found.push(Forbidden {
                line: start.line,
                column: start.column + 1,
                construct,
                reason,
            });
        };
    for (i, tree) in trees.iter().enumerate() {
        let next = trees.get(i + 1);
        match tree {
            TokenTree::Ident(_) => {
                let id = name(tree).expect("ident");
                let bang = is_punct(next, '!');
                if READERS.contains(&id.as_str()) {
                    if bang {
                        push(found, tree, format!("{id}!"), READS_HOST);
                    } else if ALWAYS.contains(&id.as_str()) {
                        push(found, tree, id.clone(), READS_HOST);
                    } else if next.and_then(name).as_deref() == Some("as") {
                        push(
                            found,
                            tree,
                            format!("{id} as …"),
                            "renaming it would hide a compile-time read of the judge's machine",
                        );
                    } else if dynamic && context == Context::MacroInput {
                        push(found, tree, id.clone(), "a macro could turn this name into a compile-time read of the judge's machine");
                    }
                }
                if id == "mod"
                    && matches!(next, Some(TokenTree::Ident(_)))
                    && is_punct(trees.get(i + 2), ';')
                {
                    push(found, tree, format!("mod {};", name(next.unwrap()).unwrap()), "a submission is one file: `mod name;` loads another one; write `mod name { … }`");
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let inner = is_punct(next, '!');
                let group = if inner { trees.get(i + 2) } else { next };
                let Some(TokenTree::Group(g)) = group else {
                    continue;
                };
                if g.delimiter() != Delimiter::Bracket {
                    continue;
                }
                if mentions(g.stream(), "path") {
                    push(
                        found,
                        tree,
                        "#[path]".into(),
                        "it makes rustc read another file of the judge's machine",
                    );
                }
                if mentions(g.stream(), "debugger_visualizer") {
                    push(
                        found,
                        tree,
                        "#[debugger_visualizer]".into(),
                        "it makes rustc read another file of the judge's machine",
                    );
                }
                let attribute = g.stream().into_iter().next().and_then(|t| name(&t));
                let allowed = attribute
                    .as_deref()
                    .is_some_and(|a| a == "doc" || LINT_LEVELS.contains(&a));
                if inner && context == Context::TopLevel && !allowed {
                    push(found, tree, format!("#![{}]", g.stream()), CRATE_ATTRIBUTE);
                }
            }
            TokenTree::Group(g) => {
                // `name!(..)`, `name! {..}` and `macro_rules! name {..}`, but not `#![..]`.
                let after_bang = |j: usize| {
                    j >= 1
                        && is_punct(trees.get(j - 1), '!')
                        && !(j >= 2 && is_punct(trees.get(j - 2), '#'))
                };
                let macro_input = context == Context::MacroInput
                    || after_bang(i)
                    || (i >= 1 && name(&trees[i - 1]).is_some() && after_bang(i - 1));
                walk(
                    g.stream(),
                    if macro_input {
                        Context::MacroInput
                    } else {
                        Context::Nested
                    },
                    dynamic,
                    found,
                );
            }
            _ => {}
        }
    }
}

/// Whether `source` defines the items a flavour is recognised by (`[flavour.recognise]`):
/// read from its tokens, so a name in a comment or a string never counts. A file that does
/// not lex is no flavour's.
pub fn recognises(recognise: &judge_exercises::Recognise, source: &str) -> bool {
    let Ok(tokens) = TokenStream::from_str(source) else {
        return false;
    };
    let top: Vec<TokenTree> = tokens.into_iter().collect();
    let struct_ok = recognise.struct_name.as_deref().is_none_or(|wanted| {
        top.windows(2).any(|w| {
            name(&w[0]).as_deref() == Some("struct") && name(&w[1]).as_deref() == Some(wanted)
        })
    });
    let fn_ok = recognise.function.as_deref().is_none_or(|wanted| {
        let param_ok = |params: &TokenStream| {
            recognise
                .param
                .as_deref()
                .is_none_or(|p| mentions(params.clone(), p))
        };
        // Top-level fns, and fns in the body of each top-level `impl` block.
        let mut scopes = vec![top.clone()];
        for (i, tree) in top.iter().enumerate() {
            if name(tree).as_deref() == Some("impl") {
                let body = top[i + 1..].iter().find_map(|t| match t {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g.stream()),
                    _ => None,
                });
                scopes.extend(body.map(|b| b.into_iter().collect()));
            }
        }
        scopes.iter().any(|items| {
            items.iter().enumerate().any(|(i, t)| {
                name(t).as_deref() == Some("fn")
                    && items.get(i + 1).and_then(name).as_deref() == Some(wanted)
                    && items[i + 2..]
                        .iter()
                        .find_map(|t| match t {
                            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                                Some(g.stream())
                            }
                            _ => None,
                        })
                        .is_some_and(|params| param_ok(&params))
            })
        })
    });
    struct_ok && fn_ok && (recognise.struct_name.is_some() || recognise.function.is_some())
}

fn mentions(stream: TokenStream, ident: &str) -> bool {
    stream.into_iter().any(|t| match &t {
        TokenTree::Group(g) => mentions(g.stream(), ident),
        _ => name(&t).as_deref() == Some(ident),
    })
}

#[cfg(test)]
#[path = "scan_fuzz.rs"]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    fn constructs(src: &str) -> Vec<String> {
        scan(src)
            .unwrap()
            .into_iter()
            .map(|f| f.construct)
            .collect()
    }

    #[test]
    fn ordinary_code_passes() {
        let src = r#"
            //! My solution.
            use std::collections::HashMap;
            /// Docs mention include_str!("x") and env!("HOME") harmlessly.
            pub fn f(env: &str, path: usize) -> usize {
                // include!("/etc/passwd") in a comment
                let s = "env!(\"HOME\")";
                let v = std::env::var("HOME").ok();
                mod inner { #![allow(dead_code)] }
                #[derive(Debug)] struct P { path: u8 }
                println!("{} {:?} {}", env, v, s.len() + path);
                0
            }
            macro_rules! sq { ($x:expr) => { $x * $x } }
        "#;
        assert_eq!(constructs(src), Vec::<String>::new());
    }

    #[test]
    fn every_way_to_reach_a_reader_is_caught() {
        let cases = [
            ("const S: &str = include_str!(\"/etc/passwd\");", "include_str!"),
            ("const S: &[u8] = std::include_bytes!(\"/etc/passwd\");", "include_bytes!"),
            ("include!(\"/etc/passwd\");", "include!"),
            ("const H: &str = env!(\"HOME\");", "env!"),
            ("const H: Option<&str> = core::option_env!(\"HOME\");", "option_env!"),
            ("const H: &str = r#env!(\"HOME\");", "env!"),
            ("#[path = \"/etc/passwd\"] mod x;", "#[path]"),
            ("#[cfg_attr(all(), path = \"/etc/passwd\")] mod x {}", "#[path]"),
            ("use std::env as e; const H: &str = e!(\"HOME\");", "env as …"),
            ("use std::{include as inc};", "include as …"),
            ("macro_rules! m { ($i:ident) => { $i!(\"HOME\") } } const H: &str = m!(env);", "env"),
            ("macro_rules! m { () => { env!(\"HOME\") } }", "env!"),
            ("macro_rules! m { ($a:tt $b:tt) => { $a ! $b } } const H: &str = m!(env (\"HOME\"));", "env"),
            ("#![no_std]", "#![no_std]"),
            ("#![feature(never_type)] pub fn f() {}", "#![feature (never_type)]"),
            ("#![crate_type = \"bin\"]", "#![crate_type = \"bin\"]"),
            ("#![no_main]", "#![no_main]"),
            ("#![cfg_attr(all(), no_std)]", "#![cfg_attr (all () , no_std)]"),
            ("#![allow(unused)]\n#![no_std]", "#![no_std]"),
            ("mod other;", "mod other;"),
            ("#[doc = include_str!(\"/etc/passwd\")] pub fn f() {}", "include_str!"),
            ("fn include_str() {}", "include_str"),
            ("#![debugger_visualizer(gdb_script_file = \"/etc/passwd\")]", "#[debugger_visualizer]"),
            ("mod m { #![debugger_visualizer(natvis_file = \"/etc/passwd\")] }", "#[debugger_visualizer]"),
            ("#[cfg_attr(all(), debugger_visualizer(gdb_script_file = \"/x\"))] mod m {}", "#[debugger_visualizer]"),
        ];
        for (src, want) in cases {
            let got = constructs(src);
            assert!(
                got.iter().any(|c| c == want),
                "{src}: wanted {want}, got {got:?}"
            );
        }
    }

    /// `depth` nested pairs of each bracket kind in turn around `0`.
    fn nested(depth: usize) -> String {
        let open: String = "([{".chars().cycle().take(depth).collect();
        let close: String = open
            .chars()
            .rev()
            .map(|c| match c {
                '(' => ')',
                '[' => ']',
                _ => '}',
            })
            .collect();
        format!("{open}0{close}")
    }

    #[test]
    fn nesting_up_to_the_limit_passes_and_deeper_is_refused_without_recursing() {
        let at_limit = format!(
            "pub fn f() -> i32 {{ let _x = {}; 0 }}",
            nested(MAX_DEPTH - 1)
        );
        assert_eq!(constructs(&at_limit), Vec::<String>::new());
        let over = format!("pub fn f() -> i32 {{ let _x = {}; 0 }}", nested(MAX_DEPTH));
        let found = scan(&over).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].construct, "nesting deeper than 256 levels");
        assert_eq!((found[0].line, found[0].column), (1, 30 + MAX_DEPTH - 1));
        // Far past the limit, on a test thread's small stack: 20k levels is the 40 KB file
        // that overflowed the judge's; 1M levels is 2 MB, past the size limit even.
        for depth in [20_000, 1_000_000] {
            let src = format!("const X: i32 = {};", nested(depth));
            let found = scan(&src).unwrap();
            assert_eq!(found.len(), 1);
            assert!(found[0].construct.starts_with("nesting deeper"));
            // Unclosed: it does not lex, and is refused rather than passed to rustc.
            let unclosed = "(".repeat(depth);
            assert!(scan(&unclosed).is_err());
        }
        // An unclosed file nested within the limit and naming no reader still goes to rustc.
        assert!(scan(&"(".repeat(MAX_DEPTH)).unwrap().is_empty());
    }

    /// The habits of an editor file: lint levels at the top, `fn main`, test modules.
    #[test]
    fn inner_lint_attributes_pass() {
        let src = r#"#![allow(dead_code, unused_imports)]
            #![warn(clippy::all, rust_2018_idioms)]
            #![deny(unsafe_op_in_unsafe_fn)]
            #![forbid(unsafe_code)]
            #![expect(unused_variables, reason = "scratch")]
            //! My solution.
            use std::collections::HashMap;
            pub fn f() -> usize { 0 }
            fn main() { println!("{}", f()); }
            #[cfg(test)]
            mod tests { #[test] fn t() { assert_eq!(super::f(), 0); } }
        "#;
        assert_eq!(constructs(src), Vec::<String>::new());
        // A lint attribute does not hide a read of the host inside it.
        assert_eq!(
            constructs("#![allow(unused)]\n#![doc = include_str!(\"/etc/passwd\")]"),
            vec!["include_str!".to_owned()]
        );
        let f = &scan("#![allow(unused)]\n#![no_std]\n").unwrap()[0];
        assert_eq!(
            (f.line, f.column, f.construct.as_str()),
            (2, 1, "#![no_std]")
        );
        assert!(f.reason.contains("`#![allow(..)]`"), "{}", f.reason);
    }

    #[test]
    fn flavours_are_recognised_from_items_not_text() {
        let by = |s: Option<&str>, f: Option<&str>, p: Option<&str>| judge_exercises::Recognise {
            struct_name: s.map(str::to_owned),
            function: f.map(str::to_owned),
            param: p.map(str::to_owned),
        };
        let lru = by(Some("LRUCache"), None, None);
        assert!(recognises(
            &lru,
            "struct LRUCache { x: i32 }\nimpl LRUCache {}"
        ));
        assert!(recognises(&lru, "pub struct LRUCache;"));
        assert!(!recognises(
            &lru,
            "// struct LRUCache\npub struct LruCache<K, V>(K, V);"
        ));
        assert!(!recognises(&lru, "const S: &str = \"struct LRUCache\";"));
        assert!(
            !recognises(&lru, "mod m { struct LRUCache; }"),
            "not at the top level"
        );
        let k = by(None, Some("length_of_longest_substring_k_distinct"), None);
        assert!(recognises(&k, "impl Solution { pub fn length_of_longest_substring_k_distinct(s: String, k: i32) -> i32 { 0 } }"));
        assert!(recognises(&k, "struct Solution;\nimpl Solution {\n fn length_of_longest_substring_k_distinct<'a>(s: String, k: i32) -> i32 { 0 } }"));
        assert!(!recognises(
            &k,
            "pub fn longest_substring_k_distinct(s: &str, k: usize) -> usize { 0 }"
        ));
        assert!(
            !recognises(
                &k,
                "fn f() { fn length_of_longest_substring_k_distinct() {} }"
            ),
            "a nested fn is no item"
        );
        let fs = by(Some("FileSystem"), Some("ls"), Some("String"));
        assert!(recognises(&fs, "struct FileSystem {}\nimpl FileSystem { fn ls(&self, path: String) -> Vec<String> { vec![] } }"));
        assert!(!recognises(&fs, "pub struct FileSystem {}\nimpl FileSystem { pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> { Ok(vec![]) } }"));
        assert!(
            !recognises(&fs, "struct FileSystem { (}"),
            "a file that does not lex"
        );
        assert!(
            !recognises(&by(None, None, None), "struct X;"),
            "nothing to recognise"
        );
    }

    #[test]
    fn positions_are_one_based() {
        let f = &scan("pub fn f() {}\n  const X: &str = env!(\"A\");").unwrap()[0];
        assert_eq!((f.line, f.column), (2, 19));
    }

    #[test]
    fn unreadable_tokens_are_an_error_only_near_a_reader_name() {
        assert!(scan("fn f() { \"unterminated }").unwrap().is_empty());
        assert!(scan("const S: &str = include_str!(\"/etc/passwd\"); fn f() {").is_err());
        assert!(scan("fn f() { let p = std::env::var(\"X\"); ").is_err());
    }
}
