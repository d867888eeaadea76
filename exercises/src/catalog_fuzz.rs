//! Fuzz targets for package loading: whatever `exercise.toml` says and whatever a package
//! folder holds, [`Catalog::load`] and [`Catalog::from_root`] return a package or an error.
//!
//! Each target runs `JUDGE_FUZZ_CASES` cases (default 128) from the seed `JUDGE_FUZZ_SEED`
//! (default fixed, so the suite is reproducible): `JUDGE_FUZZ_CASES=100000 cargo test -p
//! judge-exercises --lib catalog::fuzz` runs them longer.

use super::{Catalog, CatalogError, Exercise, FORMAT_VERSION, THREADS_TARGET};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, RngSeed};
use std::path::{Path, PathBuf};

fn config(default_cases: u32) -> Config {
    let var = |name| std::env::var(name).ok();
    Config {
        cases: var("JUDGE_FUZZ_CASES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_cases),
        rng_seed: RngSeed::Fixed(
            var("JUDGE_FUZZ_SEED")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0xca7a),
        ),
        // A failure prints its (shrunk) input; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// The packages the fuzz targets start from: the embedded ones.
fn ids() -> Vec<String> {
    Catalog::embedded().ids()
}

/// The embedded catalog with package `id`'s `exercise.toml` replaced by `toml` (the other
/// packages stay: a package may name files of another, as `wire = "../lru-cache/wire.rs"`).
fn with_metadata(id: &str, toml: Vec<u8>) -> Catalog {
    let mut catalog = Catalog::embedded();
    catalog
        .files
        .insert(format!("exercises/{id}/exercise.toml"), toml);
    catalog
}

fn real_metadata(id: &str) -> String {
    let path = format!("exercises/{id}/exercise.toml");
    String::from_utf8(Catalog::embedded().files[&path].clone()).expect("UTF-8")
}

/// What a loaded package must satisfy, however odd its metadata.
fn check_loaded(ex: &Exercise) -> Result<(), TestCaseError> {
    let meta = &ex.meta;
    prop_assert_eq!(meta.format, FORMAT_VERSION);
    prop_assert!(["wasm32-wasip1", THREADS_TARGET].contains(&meta.target.as_str()));
    if let Some(c) = &meta.complexity {
        prop_assert!(meta.target != THREADS_TARGET);
        prop_assert!(c.sizes.len() >= 3 && c.sizes[0] > 0);
        prop_assert!(c.sizes.windows(2).all(|w| w[0] < w[1]), "{:?}", c.sizes);
        prop_assert!(c.max_exponent > 0.0 && c.max_exponent < 10.0 && c.budget_factor >= 2);
    }
    if let Some(t) = &meta.throughput {
        prop_assert!(t.rounds >= 1 && t.tolerance >= 1.0 && t.margin >= 1.0);
    }
    prop_assert!(ex.reference_path.starts_with("exercises/") || !ex.reference_path.contains(".."));
    prop_assert!(
        ex.harness.contains("mod __judge_harness {"),
        "no harness module"
    );
    Ok(())
}

fn check(result: &Result<Exercise, CatalogError>) -> Result<(), TestCaseError> {
    match result {
        Ok(ex) => check_loaded(ex),
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

/// Every field name of the format, and names that are not.
const KEYS: &[&str] = &[
    "format",
    "title",
    "difficulty",
    "tags",
    "reference",
    "target",
    "wire",
    "runner",
    "limits",
    "tests",
    "complexity",
    "throughput",
    "memory_mib",
    "case_fuel",
    "case_wall_ms",
    "output_kib",
    "compile_seconds",
    "compile_memory_mib",
    "suite_seconds",
    "cases",
    "seed",
    "max_shrink_iters",
    "max_shrink_seconds",
    "sizes",
    "max_exponent",
    "bound",
    "budget_factor",
    "margin",
    "size",
    "rounds",
    "tolerance",
    "bogus",
    "\"quoted\"",
    "limits.memory_mib",
    "complexity.sizes",
    "'literal key'",
];

/// Values at and past the edges of every field's type and range.
const VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "4294967295",
    "4294967296",
    "1_000",
    "0x10",
    "0o7",
    "0b1",
    "1e3",
    "1.5",
    "0.5",
    "nan",
    "inf",
    "-inf",
    "+inf",
    "-0.0",
    "1e309",
    "5e-324",
    "true",
    "false",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "1979-05-27",
    "\"\"",
    "\"reference.rs\"",
    "\"../../../etc/passwd\"",
    "\"/etc/passwd\"",
    "\"..\"",
    "\".\"",
    "\"wasm32-wasip1\"",
    "\"wasm32-wasip1-threads\"",
    "\"wasm32-unknown-unknown\"",
    "\"function\"",
    "\"sequence\"",
    "\"concurrent\"",
    "\"custom\"",
    "\"Function\"",
    "\"O(n)\"",
    "'literal'",
    "\"\"\"multi\nline\"\"\"",
    "\"\\u0000\"",
    "\"数据 🦀\"",
    "\"harness.rs\"",
    "\"exercise.toml\"",
    "\"submissions/accepted\"",
    "\"wire.rs/..\"",
    "\"C:\\\\x\"",
    "[1000, 2000, 4000]",
    "[3, 2, 1]",
    "[0, 1, 2]",
    "[1, 1, 2]",
    "[1, 2]",
    "[]",
];

fn value() -> impl Strategy<Value = String> {
    select(VALUES)
        .prop_map(str::to_owned)
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
                proptest::collection::vec((select(KEYS), inner), 0..4).prop_map(|v| {
                    let pairs: Vec<String> = v.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                    format!("{{ {} }}", pairs.join(", "))
                }),
            ]
        })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (select(KEYS), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => select(&[
            "[limits]", "[tests]", "[complexity]", "[throughput]", "[[complexity]]",
            "[limits.extra]", "[]", "[bogus]", "[ tests ]", "[\"limits\"]",
        ][..])
        .prop_map(str::to_owned),
        1 => select(&["", "# comment", "   ", "\t# x", "="][..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// TOML-shaped text: most of it parses, half of it starts like a real package's metadata.
fn toml_text() -> impl Strategy<Value = String> {
    (any::<bool>(), proptest::collection::vec(line(), 0..16)).prop_map(|(header, lines)| {
        let head = if header {
            "format = 1\ntitle = \"t\"\n"
        } else {
            ""
        };
        format!("{head}{}\n", lines.join("\n"))
    })
}

#[derive(Clone, Debug)]
enum Edit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Insert(Index, String),
    /// Replaces the value of a `key = value` line.
    Revalue(Index, String),
    Byte(Index, u8),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Delete),
        1 => any::<Index>().prop_map(Edit::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        1 => (any::<Index>(), line()).prop_map(|(a, l)| Edit::Insert(a, l)),
        3 => (any::<Index>(), value()).prop_map(|(a, v)| Edit::Revalue(a, v)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(a, b)| Edit::Byte(a, b)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut bytes = None;
    for edit in edits {
        let n = lines.len().max(1);
        match edit {
            Edit::Delete(i) if !lines.is_empty() => {
                lines.remove(i.index(n));
            }
            Edit::Duplicate(i) if !lines.is_empty() => {
                let l = lines[i.index(n)].clone();
                lines.insert(i.index(n), l);
            }
            Edit::Swap(a, b) if !lines.is_empty() => lines.swap(a.index(n), b.index(n)),
            Edit::Insert(i, l) => lines.insert(i.index(lines.len() + 1), l.clone()),
            Edit::Revalue(i, v) if !lines.is_empty() => {
                let l = &mut lines[i.index(n)];
                if let Some((key, _)) = l.split_once('=') {
                    *l = format!("{key}= {v}");
                }
            }
            Edit::Byte(i, b) => {
                let mut all = lines.join("\n").into_bytes();
                if !all.is_empty() {
                    let at = i.index(all.len());
                    all[at] = *b;
                }
                bytes = Some(all);
            }
            Edit::Truncate(i) => {
                let mut all = lines.join("\n").into_bytes();
                all.truncate(i.index(all.len() + 1));
                bytes = Some(all);
            }
            _ => {}
        }
        // Byte-level edits end the line-level ones (the text may not be UTF-8 any more).
        if bytes.is_some() {
            break;
        }
    }
    bytes.unwrap_or_else(|| (lines.join("\n") + "\n").into_bytes())
}

/// A single change to a real `exercise.toml` that the loader must refuse.
const REFUSED: &[(&str, &str)] = &[
    ("format = 1", "format = 2"),
    ("format = 1", "format = -1"),
    ("format = 1", "format = \"1\""),
    ("format = 1", "format = 1\ntarget = \"wasm32-unknown-unknown\""),
    ("format = 1", "format = 1\nreference = \"../../../../etc/passwd\""),
    ("format = 1", "format = 1\nreference = \"/etc/passwd\""),
    ("format = 1", "format = 1\nwire = \"../../../wire.rs\""),
    ("format = 1", "format = 1\nwire = \"absent.rs\""),
    ("format = 1", "format = 1\nrunner = \"threads\""),
    ("format = 1", "format = 1\nbogus = true"),
    ("format = 1", "format = 1\n[limits]\nmemory_mib = -1"),
    ("format = 1", "format = 1\n[tests]\nseed = 18446744073709551616"),
    ("format = 1", "format = 1\n[complexity]\nsizes = [3, 2, 1]\nmax_exponent = 1.0\nbound = \"O(n)\""),
    ("format = 1", "format = 1\n[complexity]\nsizes = [0, 1, 2]\nmax_exponent = 1.0\nbound = \"O(n)\""),
    ("format = 1", "format = 1\n[complexity]\nsizes = [1, 2, 4]\nmax_exponent = nan\nbound = \"O(n)\""),
    ("format = 1", "format = 1\n[complexity]\nsizes = [1, 2, 4]\nmax_exponent = 1.0\nbound = \"O(n)\"\nbudget_factor = 1"),
    ("format = 1", "format = 1\n[throughput]\nsize = 10\nrounds = 0\ntolerance = 2.0"),
    ("format = 1", "format = 1\n[throughput]\nsize = 10\ntolerance = nan"),
    ("format = 1", "format = 1\n[throughput]\nsize = 10\ntolerance = 2.0\nmargin = 0.5"),
];

/// Changes to a real `exercise.toml` that keep its meaning.
fn harmless() -> impl Strategy<Value = Vec<(Index, &'static str)>> {
    proptest::collection::vec(
        (
            any::<Index>(),
            select(&["", "# a comment", "   ", "\t", "# [limits]\r"][..]),
        ),
        0..6,
    )
}

fn with_harmless(text: &str, inserts: &[(Index, &str)]) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    for (at, line) in inserts {
        lines.insert(at.index(lines.len() + 1), line);
    }
    lines.join("\n") + "\n"
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn arbitrary_metadata_text(id in select(ids()), text in any::<String>()) {
        check(&with_metadata(&id, text.into_bytes()).load(&id))?;
    }

    #[test]
    fn toml_shaped_metadata(id in select(ids()), text in toml_text()) {
        check(&with_metadata(&id, text.into_bytes()).load(&id))?;
    }

    #[test]
    fn mutated_real_metadata(id in select(ids()), edits in proptest::collection::vec(edit(), 1..5)) {
        let text = apply(&real_metadata(&id), &edits);
        check(&with_metadata(&id, text).load(&id))?;
    }

    /// The accepting side: comments and blank lines anywhere change nothing.
    #[test]
    fn harmless_changes_are_accepted(id in select(ids()), inserts in harmless()) {
        let text = with_harmless(&real_metadata(&id), &inserts);
        let loaded = with_metadata(&id, text.into_bytes()).load(&id);
        prop_assert!(loaded.is_ok(), "{}", loaded.unwrap_err());
        check(&loaded)?;
    }

    /// The refusing side: one bad field refuses the package, whatever else is around it.
    #[test]
    fn bad_fields_are_refused(id in select(ids()), bad in select(REFUSED), inserts in harmless()) {
        let text = with_harmless(&real_metadata(&id), &inserts);
        let (from, to) = bad;
        prop_assume!(text.contains(from));
        let text = text.replacen(from, to, 1);
        let loaded = with_metadata(&id, text.clone().into_bytes()).load(&id);
        prop_assert!(loaded.is_err(), "accepted:\n{text}");
    }

    #[test]
    fn odd_package_folders(id in select(ids()), dropped in proptest::collection::vec(any::<bool>(), 64), odd in proptest::collection::vec(oddity(), 0..4)) {
        check_folder(&id, &dropped, &odd)?;
    }
}

/// Something odd in a package folder.
#[derive(Clone, Debug)]
enum Odd {
    /// One of the package's files emptied, made non-UTF-8, or replaced by a folder, a
    /// dangling symlink or a socket.
    Empty(Index),
    NotUtf8(Index),
    Folder(Index),
    Dangling(Index),
    Socket(Index),
    /// A symlink to its own folder.
    Loop,
    /// A file whose name is not UTF-8.
    NameNotUtf8,
    /// `submissions/<not a verdict>/x.rs`.
    BadVerdict(String),
    /// Submissions where none belong: at `submissions/`, deeper than a verdict folder.
    Stray(&'static str),
}

fn oddity() -> impl Strategy<Value = Odd> {
    prop_oneof![
        any::<Index>().prop_map(Odd::Empty),
        any::<Index>().prop_map(Odd::NotUtf8),
        any::<Index>().prop_map(Odd::Folder),
        any::<Index>().prop_map(Odd::Dangling),
        any::<Index>().prop_map(Odd::Socket),
        Just(Odd::Loop),
        Just(Odd::NameNotUtf8),
        "[a-z_ ]{0,12}|[^/\\x00]{1,8}".prop_map(Odd::BadVerdict),
        select(
            &[
                "submissions/x.rs",
                "submissions/accepted/deep/x.rs",
                "submissions/accepted/x.txt",
                "exercise.toml.bak",
                "src/exercise.toml",
            ][..]
        )
        .prop_map(Odd::Stray),
    ]
}

/// Writes package `id` under a fresh root, without the files `drop` selects and with `odd`,
/// then reads the root and loads every package in it.
fn check_folder(id: &str, dropped: &[bool], odd: &[Odd]) -> Result<(), TestCaseError> {
    use std::os::unix::ffi::OsStrExt;
    let root = TempDir::new();
    let prefix = format!("exercises/{id}/");
    // The package, and the packages whose files its metadata names (`../lru-cache/wire.rs`).
    let metadata = real_metadata(id);
    let named: Vec<String> = ids()
        .into_iter()
        .filter(|other| metadata.contains(&format!("../{other}/")))
        .map(|other| format!("exercises/{other}/"))
        .collect();
    let mut kept = Vec::new();
    let mut i = 0;
    for (path, bytes) in Catalog::embedded().files {
        let ours = path.starts_with(&prefix);
        if !ours && !named.iter().any(|other| path.starts_with(other)) {
            continue;
        }
        if ours {
            i += 1;
            if dropped.get(i).copied().unwrap_or(false) && dropped[(i + 7) % dropped.len()] {
                continue;
            }
        }
        let path = root.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        if ours {
            kept.push(path);
        }
    }
    let package = root.0.join(&prefix);
    std::fs::create_dir_all(&package).unwrap();
    let pick = |i: &Index| (!kept.is_empty()).then(|| kept[i.index(kept.len())].clone());
    for o in odd {
        match o {
            Odd::Empty(i) => {
                if let Some(p) = pick(i) {
                    let _ = std::fs::write(p, b"");
                }
            }
            Odd::NotUtf8(i) => {
                if let Some(p) = pick(i) {
                    let _ = std::fs::write(p, b"\xff\xfe not UTF-8 \xc3");
                }
            }
            Odd::Folder(i) | Odd::Dangling(i) | Odd::Socket(i) => {
                let Some(p) = pick(i) else { continue };
                if std::fs::remove_file(&p).is_err() {
                    continue;
                }
                let _ = match o {
                    Odd::Folder(_) => std::fs::create_dir(&p),
                    Odd::Dangling(_) => std::os::unix::fs::symlink(root.0.join("absent"), &p),
                    _ => std::os::unix::net::UnixListener::bind(&p).map(drop_listener),
                };
            }
            Odd::Loop => {
                let _ = std::os::unix::fs::symlink(".", package.join("again"));
            }
            Odd::NameNotUtf8 => {
                let name = std::ffi::OsStr::from_bytes(b"bad\xffname.rs");
                let _ = std::fs::write(package.join(name), b"fn f() {}");
            }
            Odd::BadVerdict(verdict) => {
                let dir = package.join("submissions").join(verdict);
                if std::fs::create_dir_all(&dir).is_ok() {
                    let _ = std::fs::write(dir.join("x.rs"), b"fn f() {}");
                }
            }
            Odd::Stray(path) => {
                let path = package.join(path);
                let _ = std::fs::create_dir_all(path.parent().unwrap());
                let _ = std::fs::write(path, b"fn f() {}");
            }
        }
    }
    let catalog = match Catalog::from_root(&root.0) {
        Ok(catalog) => catalog,
        Err(e) => {
            prop_assert!(matches!(e, CatalogError::Read { .. }), "{e}");
            return Ok(());
        }
    };
    for id in catalog.ids() {
        check(&catalog.load(&id))?;
    }
    Ok(())
}

fn drop_listener(_: std::os::unix::net::UnixListener) {}

/// A fresh folder under the system's temporary folder, removed when dropped (the crate
/// has no `tempfile`).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("judge-catalog-fuzz-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).expect("a temporary folder");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The folder target's accepting side: the whole catalog, read from a folder, loads.
#[test]
fn a_whole_catalog_loads_from_a_folder() {
    let root = TempDir::new();
    for (path, bytes) in Catalog::embedded().files {
        let path = root.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let catalog = Catalog::from_root(&root.0).unwrap();
    assert_eq!(catalog.ids(), ids());
    for id in ids() {
        let ex = catalog.load(&id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(ex.id, id);
    }
    // A missing statement is named.
    let id = &ids()[0];
    std::fs::remove_file(root.0.join(format!("exercises/{id}/README.md"))).unwrap();
    let error = Catalog::from_root(&root.0).unwrap().load(id).unwrap_err();
    assert!(
        matches!(error, CatalogError::Missing { ref path } if path.ends_with("README.md")),
        "{error}"
    );
}

/// A FIFO in a package folder is refused at once: reading it would wait for a writer that
/// never comes.
#[test]
fn a_fifo_in_a_package_folder_is_refused_without_blocking() {
    let root = TempDir::new();
    let package = root.0.join("exercises/fifo-package");
    std::fs::create_dir_all(&package).unwrap();
    let fifo = package.join("README.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let root_path = root.0.to_owned();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(
            Catalog::from_root(&root_path)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    });
    let result = rx.recv_timeout(std::time::Duration::from_secs(10));
    // Unblock the reader if it is still waiting, so the test ends either way.
    if result.is_err() {
        let _ = std::fs::write(&fifo, b"");
    }
    let error = result
        .expect("from_root returns without waiting")
        .unwrap_err();
    assert!(
        error.contains("README.md") && error.contains("not a regular file"),
        "{error}"
    );
    assert!(Path::new(&fifo).exists());
}
