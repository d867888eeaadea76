//! Generates the crate's registrations from the exercise folders, so adding an exercise is
//! adding a folder:
//! - `embedded.rs`: every package file a candidate or `judge validate` needs (statement,
//!   metadata, starter, harness, provided types, reference, known-verdict submissions),
//!   embedded in the binary so `judge` is one offline file;
//! - `suites.rs`: one module per exercise (`exercises/<id>/suite.rs`, the host side of its
//!   hidden tests) and `suite_for`, the table from id to suite; each flavour
//!   (`exercises/<id>/flavours/<name>/suite.rs`) is a module too, `<id>_<name>` with `-` as
//!   `_`, under the id `<id>/<name>`.
//!
//! A folder with an `exercise.toml` but without `suite.rs` or `reference.rs`, or with an id
//! that is not lowercase words joined by `-`, fails the build with a message saying so.

use std::fmt::Write as _;

include!("src/ids.rs");
use std::path::{Path, PathBuf};

/// Files of a package that are host or native code, not package data: compiled into the
/// judge or the reference crate, never embedded.
const NOT_EMBEDDED: &[&str] = &["suite.rs", "tests.rs", "loom.rs"];

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={}", crate_dir.display());
    let ids = match exercise_ids(&crate_dir) {
        Ok(ids) => ids,
        Err(message) => {
            println!("cargo:warning={message}");
            panic!("{message}");
        }
    };

    let mut files = Vec::new();
    for id in &ids {
        collect(&crate_dir, &crate_dir.join(id), &mut files);
    }
    files.sort();
    let mut embedded = String::from("pub(crate) static EMBEDDED: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        writeln!(embedded, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    embedded.push_str("];\n");
    std::fs::write(out.join("embedded.rs"), embedded).unwrap();

    // Exercises first: a flavour's suite names its exercise's module (`crate::lru_cache`).
    let mut packages: Vec<(String, PathBuf)> = ids
        .iter()
        .map(|id| (id.clone(), crate_dir.join(id)))
        .collect();
    for id in &ids {
        match flavours(&crate_dir.join(id)) {
            Ok(names) => packages.extend(names.into_iter().map(|name| {
                (
                    format!("{id}/{name}"),
                    crate_dir.join(id).join("flavours").join(name),
                )
            })),
            Err(message) => {
                println!("cargo:warning={message}");
                panic!("{message}");
            }
        }
    }
    let mut suites = String::new();
    for (id, dir) in &packages {
        writeln!(
            suites,
            "#[path = {:?}]\npub mod {};",
            dir.join("suite.rs").display().to_string(),
            module_name(id)
        )
        .unwrap();
    }
    suites.push_str(
        "\n/// The hidden-test suite of each exercise id (generated from the folders).\n\
         pub fn suite_for(id: &str) -> Option<&'static dyn Suite> {\n    match id {\n",
    );
    for (id, _) in &packages {
        writeln!(
            suites,
            "        {id:?} => Some(&{}::SUITE),",
            module_name(id)
        )
        .unwrap();
    }
    suites.push_str("        _ => None,\n    }\n}\n");
    std::fs::write(out.join("suites.rs"), suites).unwrap();
}

/// `lru-cache` -> `lru_cache`, `lru-cache/leetcode-146` -> `lru_cache_leetcode_146`.
fn module_name(id: &str) -> String {
    id.replace(['-', '/'], "_")
}

/// The flavours of the exercise in `dir` (`flavours/<name>/` with an `exercise.toml`),
/// checked like exercise folders: a name of lowercase words, the required files.
fn flavours(dir: &Path) -> Result<Vec<String>, String> {
    let Ok(entries) = std::fs::read_dir(dir.join("flavours")) else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = format!("{}/flavours/{name}", dir.display());
        if !path.join("exercise.toml").is_file() {
            return Err(format!("{shown}: a flavour folder needs an exercise.toml with a [flavour] table (see exercises/FORMAT.md, \"Flavours\")"));
        }
        if check_id(&name).is_err() {
            return Err(format!("{shown}: a flavour's name is lowercase words (letters and digits) joined by `-`; rename the folder"));
        }
        for needed in [
            "suite.rs",
            "reference.rs",
            "harness.rs",
            "starter.rs",
            "README.md",
        ] {
            if !path.join(needed).is_file() {
                return Err(format!("{shown}/{needed} is missing: every flavour folder needs it (see exercises/FORMAT.md, \"Flavours\")"));
            }
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// The folders under `dir` that hold an `exercise.toml`, checked.
fn exercise_ids(dir: &Path) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.join("exercise.toml").is_file() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        let words_ok = !id.is_empty()
            && id.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !words_ok {
            return Err(format!(
                "exercises/{id}: an exercise id is lowercase words (letters and digits) joined by `-`, starting with a letter; rename the folder"
            ));
        }
        for needed in [
            "suite.rs",
            "reference.rs",
            "harness.rs",
            "starter.rs",
            "README.md",
        ] {
            if !path.join(needed).is_file() {
                return Err(format!(
                    "exercises/{id}/{needed} is missing: every exercise folder needs it (see exercises/FORMAT.md, or start from `judge new`)"
                ));
            }
        }
        ids.push(id);
    }
    ids.sort();
    Ok(ids)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.is_file() {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Only a package's own top-level code files are host code: `<id>/suite.rs`,
            // `<id>/flavours/<name>/suite.rs`.
            let depth = rel.matches('/').count();
            let flavour_top = depth == 3 && rel.split('/').nth(1) == Some("flavours");
            if (depth == 1 || flavour_top) && NOT_EMBEDDED.contains(&name.as_str()) {
                continue;
            }
            files.push((format!("exercises/{rel}"), path.display().to_string()));
        }
    }
}
