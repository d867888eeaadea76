// What an exercise id may be. Included by build.rs (which refuses a folder with a bad id)
// and compiled into the crate (for `judge new`), so both apply the same rule.

/// Module names the crates already use, and Rust's keywords: an id's module name
/// (`lru-cache` -> `lru_cache`) must be none of them.
const RESERVED: &[&str] = &[
    "catalog",
    "concurrent",
    "linearizability",
    "sequence",
    "suite",
    "wire",
    "ids",
    "testing",
    "loom_support",
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "yield",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
];

/// `Ok` if `id` can name an exercise: lowercase words of letters and digits joined by `-`,
/// starting with a letter, whose module name is not reserved; otherwise why not.
pub fn check_id(id: &str) -> Result<(), String> {
    let words_ok = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !words_ok {
        return Err(format!(
            "`{id}` is not an exercise id: use lowercase words of letters and digits joined by `-`, starting with a letter (e.g. `two-sum`)"
        ));
    }
    let module = id.replace('-', "_");
    if RESERVED.contains(&module.as_str()) {
        return Err(format!(
            "`{id}` is not an exercise id: its module name `{module}` is reserved; choose another"
        ));
    }
    Ok(())
}
