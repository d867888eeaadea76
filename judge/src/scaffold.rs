//! `judge new <id>`: a new exercise package from the template in `judge/template/`, as
//! `cargo new` makes a crate. The template is a complete, working function exercise (count
//! the distinct values of a list): statement, metadata, starter, harness, reference, native
//! tests, hidden-test suite and known-verdict submissions, so `judge validate <id>` passes
//! on it as soon as the judge is rebuilt, and an author replaces it file by file.

use std::path::{Path, PathBuf};

/// The template's files: path in the package, text with `{{id}}` and `{{title}}`.
const TEMPLATE: &[(&str, &str)] = &[
    ("exercise.toml", include_str!("../template/exercise.toml")),
    ("README.md", include_str!("../template/README.md")),
    ("starter.rs", include_str!("../template/starter.rs")),
    ("harness.rs", include_str!("../template/harness.rs")),
    ("reference.rs", include_str!("../template/reference.rs")),
    ("tests.rs", include_str!("../template/tests.rs")),
    ("suite.rs", include_str!("../template/suite.rs")),
    (
        "submissions/accepted/sort_and_dedup.rs",
        include_str!("../template/submissions/accepted/sort_and_dedup.rs"),
    ),
    (
        "submissions/wrong_answer/adjacent_changes.rs",
        include_str!("../template/submissions/wrong_answer/adjacent_changes.rs"),
    ),
    (
        "submissions/too_slow/quadratic.rs",
        include_str!("../template/submissions/too_slow/quadratic.rs"),
    ),
];

/// Why `judge new` could not make the package.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0}")]
    BadId(String),
    #[error("{dir} does not exist: run `judge new` at the root of a judge checkout (the folder that holds exercises/), or pass --exercises <dir>")]
    NoExercises { dir: String },
    #[error("{dir} already exists: choose another id, or remove the folder first")]
    Exists { dir: String },
    #[error("failed to write {path}: {message}")]
    Write { path: String, message: String },
}

/// The title a package gets when none is given: `two-sum` -> "Two sum".
pub fn default_title(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Writes the template as `exercises/<id>/`, returning the files written.
pub fn new_exercise(
    exercises: &Path,
    id: &str,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    judge_exercises::check_id(id).map_err(ScaffoldError::BadId)?;
    if !exercises.is_dir() {
        return Err(ScaffoldError::NoExercises {
            dir: exercises.display().to_string(),
        });
    }
    let dir = exercises.join(id);
    if dir.exists() {
        return Err(ScaffoldError::Exists {
            dir: dir.display().to_string(),
        });
    }
    let title = title.map_or_else(|| default_title(id), str::to_owned);
    // In exercise.toml the title is a TOML string: its quotes and backslashes escaped.
    let toml_title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let mut written = Vec::new();
    for (rel, text) in TEMPLATE {
        let path = dir.join(rel);
        let title = if *rel == "exercise.toml" {
            &toml_title
        } else {
            &title
        };
        let text = text.replace("{{id}}", id).replace("{{title}}", title);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)
        };
        write().map_err(|e| ScaffoldError::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_listed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("template");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(&root).unwrap().to_string_lossy();
                    on_disk.push(rel.replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = TEMPLATE.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn a_new_package_loads_and_names_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let exercises = tmp.path().join("exercises");
        std::fs::create_dir(&exercises).unwrap();
        let files = new_exercise(&exercises, "two-sum", None).unwrap();
        assert_eq!(files.len(), TEMPLATE.len());
        let catalog = judge_exercises::Catalog::from_root(tmp.path()).unwrap();
        assert_eq!(catalog.ids(), vec!["two-sum".to_owned()]);
        let ex = catalog.load("two-sum").unwrap();
        assert_eq!(ex.meta.title, "Two sum");
        assert!(ex.starter.contains("judge run two-sum solution.rs"));
        assert!(!ex.statement.contains("{{"), "{}", ex.statement);
        assert_eq!(ex.submissions.len(), 3);
        assert!(ex.harness.contains("fn run(values: Args) -> Answer"));
        // The function runner completes the harness.
        assert!(ex.harness.contains("\nfn call(input: &[u8])"));
    }

    #[test]
    fn bad_ids_and_existing_folders_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in [
            "Two-Sum", "two_sum", "-x", "x--y", "9lives", "wire", "type", "",
        ] {
            let err = new_exercise(tmp.path(), bad, None).unwrap_err();
            assert!(matches!(err, ScaffoldError::BadId(_)), "{bad}: {err}");
        }
        let missing = new_exercise(&tmp.path().join("nope"), "x", None).unwrap_err();
        assert!(matches!(missing, ScaffoldError::NoExercises { .. }));
        new_exercise(tmp.path(), "x", Some("A \"quoted\" title")).unwrap();
        let toml = std::fs::read_to_string(tmp.path().join("x/exercise.toml")).unwrap();
        assert!(toml.contains(r#"title = "A \"quoted\" title""#), "{toml}");
        let again = new_exercise(tmp.path(), "x", None).unwrap_err();
        assert!(matches!(again, ScaffoldError::Exists { .. }));
    }
}
