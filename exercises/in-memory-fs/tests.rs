//! Native tests of the in-memory-fs reference: every rule of the statement, each competing pair
//! of errors, and random operation sequences against a second, deliberately different model.

use std::collections::BTreeMap;

use super::FileSystem;
use super::FsError::{self, *};
use proptest::prelude::*;

fn ok() -> Result<(), FsError> {
    Ok(())
}

fn names(list: &[&str]) -> Result<Vec<String>, FsError> {
    Ok(list.iter().map(|name| name.to_string()).collect())
}

fn text(s: &str) -> Result<String, FsError> {
    Ok(s.to_string())
}

/// /a (dir) holding /a/f (file "hello") and /a/d (empty dir); /g (file "g").
fn sample() -> FileSystem {
    let mut fs = FileSystem::new();
    fs.mkdir("/a/d").unwrap();
    fs.add_content_to_file("/a/f", "hello").unwrap();
    fs.add_content_to_file("/g", "g").unwrap();
    fs
}

/// Everything `ls` and `read_content_from_file` say about the paths of `sample()` and the
/// paths one level around them: what a failed call must leave unchanged.
fn observe(fs: &FileSystem) -> Vec<String> {
    let paths = [
        "/", "/a", "/a/d", "/a/f", "/g", "/a/d/x", "/a/x", "/x", "/x/y", "/a/d/x/y",
    ];
    paths
        .iter()
        .map(|p| format!("{p}: {:?} {:?}", fs.ls(p), fs.read_content_from_file(p)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Path syntax

const INVALID: &[&str] = &[
    "", "a", "a/b", " /a", "\\a", "/a/", "/a/b/", "//", "//a", "/a//b", "///", "/.", "/..", "/a/.",
    "/a/..", "/./a", "/../a", "/a/./b", "/a/../b",
];

#[test]
fn invalid_paths_are_invalid_for_every_operation_and_change_nothing() {
    for path in INVALID {
        let mut fs = sample();
        let before = observe(&fs);
        assert_eq!(fs.ls(path), Err(InvalidPath), "ls {path:?}");
        assert_eq!(fs.mkdir(path), Err(InvalidPath), "mkdir {path:?}");
        assert_eq!(
            fs.add_content_to_file(path, "x"),
            Err(InvalidPath),
            "add {path:?}"
        );
        assert_eq!(
            fs.read_content_from_file(path),
            Err(InvalidPath),
            "read {path:?}"
        );
        assert_eq!(fs.rm(path, false), Err(InvalidPath), "rm {path:?}");
        assert_eq!(fs.rm(path, true), Err(InvalidPath), "rm -r {path:?}");
        assert_eq!(fs.mv(path, "/new"), Err(InvalidPath), "mv from {path:?}");
        assert_eq!(fs.mv("/g", path), Err(InvalidPath), "mv to {path:?}");
        assert_eq!(observe(&fs), before, "{path:?} changed the tree");
    }
}

#[test]
fn names_are_anything_but_empty_dot_and_dot_dot() {
    let mut fs = FileSystem::new();
    for name in [
        "...", ".a", "a.", "..a", " ", "a b", "é", "😀", "-", "\\", "\0",
    ] {
        let path = format!("/{name}");
        assert_eq!(fs.mkdir(&path), ok(), "{path:?}");
        assert_eq!(fs.add_content_to_file(&format!("{path}/f"), name), ok());
        assert_eq!(fs.read_content_from_file(&format!("{path}/f")), text(name));
    }
    assert_eq!(fs.ls("/").unwrap().len(), 11);
}

#[test]
fn syntax_is_checked_before_the_path_is_walked() {
    let mut fs = sample();
    // A trailing "/" after a file, or a "." after a missing directory: both walks would fail,
    // but the syntax decides.
    assert_eq!(fs.ls("/g/"), Err(InvalidPath));
    assert_eq!(fs.ls("/x/."), Err(InvalidPath));
    assert_eq!(fs.read_content_from_file("/a/"), Err(InvalidPath));
    assert_eq!(fs.mkdir("/g/x/"), Err(InvalidPath));
    assert_eq!(fs.add_content_to_file("/a//f", "x"), Err(InvalidPath));
    assert_eq!(fs.rm("/x/..", true), Err(InvalidPath));
}

// ---------------------------------------------------------------------------------------------
// Walking from the root

#[test]
fn a_missing_component_is_not_found() {
    let mut fs = sample();
    assert_eq!(fs.ls("/x"), Err(NotFound));
    assert_eq!(fs.ls("/x/y/z"), Err(NotFound));
    assert_eq!(fs.ls("/a/x"), Err(NotFound));
    assert_eq!(fs.read_content_from_file("/a/x"), Err(NotFound));
    assert_eq!(fs.read_content_from_file("/x/f"), Err(NotFound));
    assert_eq!(fs.rm("/a/x", true), Err(NotFound));
    assert_eq!(fs.rm("/x/y", false), Err(NotFound));
    assert_eq!(fs.mv("/a/x", "/y"), Err(NotFound));
}

#[test]
fn a_file_as_a_non_final_component_is_not_a_directory() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.ls("/g/x"), Err(NotADirectory));
    assert_eq!(fs.ls("/a/f/x/y"), Err(NotADirectory));
    assert_eq!(fs.read_content_from_file("/a/f/x"), Err(NotADirectory));
    assert_eq!(fs.mkdir("/g/x"), Err(NotADirectory));
    assert_eq!(fs.mkdir("/a/f/x/y"), Err(NotADirectory));
    assert_eq!(fs.add_content_to_file("/g/x", "x"), Err(NotADirectory));
    assert_eq!(fs.add_content_to_file("/a/f/x/y", "x"), Err(NotADirectory));
    assert_eq!(fs.rm("/g/x", false), Err(NotADirectory));
    assert_eq!(fs.rm("/a/f/x", true), Err(NotADirectory));
    assert_eq!(fs.mv("/g/x", "/y"), Err(NotADirectory));
    assert_eq!(observe(&fs), before);
}

#[test]
fn the_first_failing_component_decides() {
    let fs = sample();
    // A file comes first on the way: NotADirectory, though nothing below it exists either.
    assert_eq!(fs.ls("/g/x/y"), Err(NotADirectory));
    // A missing directory comes first: NotFound, though a file of the same name as a later
    // component exists elsewhere.
    assert_eq!(fs.ls("/x/g/y"), Err(NotFound));
    assert_eq!(fs.ls("/a/x/f/y"), Err(NotFound));
    assert_eq!(fs.read_content_from_file("/a/f/d"), Err(NotADirectory));
}

// ---------------------------------------------------------------------------------------------
// ls

#[test]
fn ls_of_an_empty_file_system_is_empty() {
    assert_eq!(FileSystem::new().ls("/"), names(&[]));
}

#[test]
fn ls_of_a_directory_lists_files_and_directories_by_byte_order() {
    let mut fs = FileSystem::new();
    for name in ["b", "a", "B", "é", "Z", "_", "aa", "a0", "~"] {
        fs.mkdir(&format!("/d/{name}")).unwrap();
    }
    fs.add_content_to_file("/d/A", "").unwrap();
    fs.add_content_to_file("/d/ab", "").unwrap();
    // Byte order: uppercase before "_" before lowercase, multi-byte UTF-8 last.
    assert_eq!(
        fs.ls("/d"),
        names(&["A", "B", "Z", "_", "a", "a0", "aa", "ab", "b", "~", "é"])
    );
    assert_eq!(fs.ls("/"), names(&["d"]));
}

#[test]
fn ls_lists_bare_names_of_direct_children_only() {
    let mut fs = FileSystem::new();
    fs.mkdir("/a/b/c").unwrap();
    fs.add_content_to_file("/a/f", "x").unwrap();
    assert_eq!(fs.ls("/a"), names(&["b", "f"]));
    assert_eq!(fs.ls("/a/b"), names(&["c"]));
    assert_eq!(fs.ls("/a/b/c"), names(&[]));
}

#[test]
fn ls_of_a_file_is_its_name() {
    let mut fs = sample();
    assert_eq!(fs.ls("/g"), names(&["g"]));
    assert_eq!(fs.ls("/a/f"), names(&["f"]));
    fs.add_content_to_file("/a/d/deep name", "").unwrap();
    assert_eq!(fs.ls("/a/d/deep name"), names(&["deep name"]));
}

// ---------------------------------------------------------------------------------------------
// mkdir

#[test]
fn mkdir_creates_missing_parents() {
    let mut fs = FileSystem::new();
    assert_eq!(fs.mkdir("/a/b/c"), ok());
    assert_eq!(fs.ls("/"), names(&["a"]));
    assert_eq!(fs.ls("/a"), names(&["b"]));
    assert_eq!(fs.ls("/a/b/c"), names(&[]));
    assert_eq!(fs.mkdir("/a/x/y"), ok());
    assert_eq!(fs.ls("/a"), names(&["b", "x"]));
}

#[test]
fn mkdir_of_an_existing_directory_is_ok_and_keeps_its_contents() {
    let mut fs = sample();
    assert_eq!(fs.mkdir("/"), ok());
    assert_eq!(fs.mkdir("/a"), ok());
    assert_eq!(fs.mkdir("/a/d"), ok());
    assert_eq!(fs.ls("/a"), names(&["d", "f"]));
    assert_eq!(fs.read_content_from_file("/a/f"), text("hello"));
}

#[test]
fn mkdir_of_an_existing_file_is_already_exists() {
    let mut fs = sample();
    assert_eq!(fs.mkdir("/g"), Err(AlreadyExists));
    assert_eq!(fs.mkdir("/a/f"), Err(AlreadyExists));
    assert_eq!(fs.read_content_from_file("/a/f"), text("hello"));
}

#[test]
fn a_failing_mkdir_creates_no_parents() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.mkdir("/a/f/x/y"), Err(NotADirectory));
    assert_eq!(fs.add_content_to_file("/a/f/x/y", "z"), Err(NotADirectory));
    assert_eq!(observe(&fs), before);
}

// ---------------------------------------------------------------------------------------------
// add_content_to_file and read_content_from_file

#[test]
fn add_creates_the_file_and_missing_parents() {
    let mut fs = FileSystem::new();
    assert_eq!(fs.add_content_to_file("/a/b/f", "hi"), ok());
    assert_eq!(fs.ls("/a"), names(&["b"]));
    assert_eq!(fs.ls("/a/b"), names(&["f"]));
    assert_eq!(fs.read_content_from_file("/a/b/f"), text("hi"));
}

#[test]
fn add_appends() {
    let mut fs = FileSystem::new();
    fs.add_content_to_file("/f", "hello").unwrap();
    fs.add_content_to_file("/f", ", ").unwrap();
    fs.add_content_to_file("/f", "wörld 😀").unwrap();
    assert_eq!(fs.read_content_from_file("/f"), text("hello, wörld 😀"));
}

#[test]
fn empty_content_creates_an_empty_file_and_appends_nothing() {
    let mut fs = FileSystem::new();
    assert_eq!(fs.add_content_to_file("/e", ""), ok());
    assert_eq!(fs.ls("/"), names(&["e"]));
    assert_eq!(fs.ls("/e"), names(&["e"]));
    assert_eq!(fs.read_content_from_file("/e"), text(""));
    fs.add_content_to_file("/e", "x").unwrap();
    fs.add_content_to_file("/e", "").unwrap();
    assert_eq!(fs.read_content_from_file("/e"), text("x"));
}

#[test]
fn add_to_a_directory_is_is_a_directory() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.add_content_to_file("/", "x"), Err(IsADirectory));
    assert_eq!(fs.add_content_to_file("/a", "x"), Err(IsADirectory));
    assert_eq!(fs.add_content_to_file("/a/d", ""), Err(IsADirectory));
    assert_eq!(observe(&fs), before);
}

#[test]
fn read_of_a_directory_is_is_a_directory() {
    let fs = sample();
    assert_eq!(fs.read_content_from_file("/"), Err(IsADirectory));
    assert_eq!(fs.read_content_from_file("/a"), Err(IsADirectory));
    assert_eq!(fs.read_content_from_file("/a/d"), Err(IsADirectory));
    assert_eq!(fs.read_content_from_file("/x"), Err(NotFound));
    assert_eq!(fs.read_content_from_file("/g"), text("g"));
}

// ---------------------------------------------------------------------------------------------
// rm

#[test]
fn rm_of_the_root_is_invalid_path() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.rm("/", false), Err(InvalidPath));
    assert_eq!(fs.rm("/", true), Err(InvalidPath));
    assert_eq!(FileSystem::new().rm("/", true), Err(InvalidPath));
    assert_eq!(observe(&fs), before);
}

#[test]
fn rm_of_a_file_works_recursive_or_not() {
    let mut fs = sample();
    assert_eq!(fs.rm("/g", false), ok());
    assert_eq!(fs.rm("/a/f", true), ok());
    assert_eq!(fs.ls("/"), names(&["a"]));
    assert_eq!(fs.ls("/a"), names(&["d"]));
    assert_eq!(fs.read_content_from_file("/g"), Err(NotFound));
}

#[test]
fn rm_of_an_empty_directory_works_without_recursive() {
    let mut fs = sample();
    assert_eq!(fs.rm("/a/d", false), ok());
    assert_eq!(fs.ls("/a"), names(&["f"]));
}

#[test]
fn rm_of_a_non_empty_directory_needs_recursive() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.rm("/a", false), Err(DirectoryNotEmpty));
    assert_eq!(observe(&fs), before);
    assert_eq!(fs.rm("/a", true), ok());
    assert_eq!(fs.ls("/"), names(&["g"]));
    assert_eq!(fs.ls("/a/d"), Err(NotFound));
}

#[test]
fn a_removed_path_comes_back_empty() {
    let mut fs = sample();
    fs.rm("/a", true).unwrap();
    fs.mkdir("/a").unwrap();
    assert_eq!(fs.ls("/a"), names(&[]));
    fs.rm("/g", false).unwrap();
    fs.add_content_to_file("/g", "new").unwrap();
    assert_eq!(fs.read_content_from_file("/g"), text("new"));
}

#[test]
fn rm_errors_compete_in_walk_order() {
    let mut fs = sample();
    // Missing or walking through a file come before emptiness.
    assert_eq!(fs.rm("/x", false), Err(NotFound));
    assert_eq!(fs.rm("/g/x", false), Err(NotADirectory));
    // The root is refused even where "recursive" would make it legal for any other directory.
    assert_eq!(fs.rm("/", true), Err(InvalidPath));
}

// ---------------------------------------------------------------------------------------------
// mv

#[test]
fn mv_renames_a_file_and_keeps_its_content() {
    let mut fs = sample();
    assert_eq!(fs.mv("/g", "/h"), ok());
    assert_eq!(fs.ls("/"), names(&["a", "h"]));
    assert_eq!(fs.read_content_from_file("/h"), text("g"));
    assert_eq!(fs.read_content_from_file("/g"), Err(NotFound));
}

#[test]
fn mv_moves_a_whole_subtree() {
    let mut fs = sample();
    fs.mkdir("/b").unwrap();
    assert_eq!(fs.mv("/a", "/b/moved"), ok());
    assert_eq!(fs.ls("/"), names(&["b", "g"]));
    assert_eq!(fs.ls("/b/moved"), names(&["d", "f"]));
    assert_eq!(fs.read_content_from_file("/b/moved/f"), text("hello"));
    assert_eq!(fs.ls("/b/moved/d"), names(&[]));
    // And up again, out of a directory into the root.
    assert_eq!(fs.mv("/b/moved/f", "/f"), ok());
    assert_eq!(fs.ls("/"), names(&["b", "f", "g"]));
    assert_eq!(fs.ls("/b/moved"), names(&["d"]));
}

#[test]
fn mv_to_a_prefix_that_is_not_a_component_is_fine() {
    let mut fs = sample();
    assert_eq!(fs.mv("/a", "/ab"), ok());
    assert_eq!(fs.ls("/ab"), names(&["d", "f"]));
    assert_eq!(fs.mv("/ab", "/a"), ok());
    assert_eq!(fs.mv("/a/f", "/a/d/f"), ok());
    assert_eq!(fs.read_content_from_file("/a/d/f"), text("hello"));
}

#[test]
fn mv_from_the_root_is_invalid_path() {
    let mut fs = sample();
    assert_eq!(fs.mv("/", "/x"), Err(InvalidPath));
    assert_eq!(fs.mv("/", "/"), Err(InvalidPath));
}

#[test]
fn mv_to_itself_or_into_its_subtree_is_invalid_path() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.mv("/a", "/a"), Err(InvalidPath));
    assert_eq!(fs.mv("/g", "/g"), Err(InvalidPath));
    assert_eq!(fs.mv("/a", "/a/x"), Err(InvalidPath));
    assert_eq!(fs.mv("/a", "/a/d/x"), Err(InvalidPath));
    assert_eq!(observe(&fs), before);
}

#[test]
fn mv_needs_to_s_parent_to_be_a_directory() {
    let mut fs = sample();
    let before = observe(&fs);
    assert_eq!(fs.mv("/g", "/x/g"), Err(NotFound));
    assert_eq!(fs.mv("/g", "/a/x/y/g"), Err(NotFound));
    assert_eq!(fs.mv("/g", "/a/f/g"), Err(NotADirectory));
    assert_eq!(fs.mv("/a/d", "/g/x/d"), Err(NotADirectory));
    assert_eq!(observe(&fs), before);
}

#[test]
fn mv_onto_anything_that_exists_is_already_exists() {
    let mut fs = sample();
    let before = observe(&fs);
    // File onto file, file onto directory, directory onto file, directory onto directory:
    // `to` is the new path, never a directory to move into.
    assert_eq!(fs.mv("/g", "/a/f"), Err(AlreadyExists));
    assert_eq!(fs.mv("/g", "/a"), Err(AlreadyExists));
    assert_eq!(fs.mv("/a/d", "/g"), Err(AlreadyExists));
    assert_eq!(fs.mv("/a/d", "/a"), Err(AlreadyExists));
    assert_eq!(fs.mv("/a/f", "/a/d"), Err(AlreadyExists));
    // The root always exists.
    assert_eq!(fs.mv("/g", "/"), Err(AlreadyExists));
    assert_eq!(fs.mv("/a/d", "/"), Err(AlreadyExists));
    assert_eq!(observe(&fs), before);
}

#[test]
fn mv_checks_syntax_of_both_paths_first() {
    let mut fs = sample();
    // `from` is missing, yet the bad `to` decides.
    assert_eq!(fs.mv("/x", "/y/"), Err(InvalidPath));
    // `from` is the root and `to` is bad: either way InvalidPath.
    assert_eq!(fs.mv("/", "//"), Err(InvalidPath));
    assert_eq!(fs.mv("a", "/"), Err(InvalidPath));
    assert_eq!(fs.mv("/g/", "/a"), Err(InvalidPath));
}

#[test]
fn mv_checks_for_the_root_before_walking() {
    let mut fs = sample();
    // Walking `to`'s parent would give NotFound or NotADirectory, and `to` would otherwise
    // be AlreadyExists: the root as `from` comes first.
    assert_eq!(fs.mv("/", "/x/y"), Err(InvalidPath));
    assert_eq!(fs.mv("/", "/g/y"), Err(InvalidPath));
    assert_eq!(fs.mv("/", "/a"), Err(InvalidPath));
}

#[test]
fn mv_walks_from_before_checking_to() {
    let mut fs = sample();
    // `to` inside `from`, `to`'s parent missing or a file, `to` existing, `to` the root:
    // a missing `from` comes first.
    assert_eq!(fs.mv("/x", "/x/y"), Err(NotFound));
    assert_eq!(fs.mv("/x", "/x"), Err(NotFound));
    assert_eq!(fs.mv("/x", "/y/z"), Err(NotFound));
    assert_eq!(fs.mv("/x", "/g/z"), Err(NotFound));
    assert_eq!(fs.mv("/x", "/a"), Err(NotFound));
    assert_eq!(fs.mv("/x", "/"), Err(NotFound));
    // Walking `from` through a file, likewise.
    assert_eq!(fs.mv("/g/x", "/g/x/y"), Err(NotADirectory));
    assert_eq!(fs.mv("/g/x", "/y/z"), Err(NotADirectory));
    assert_eq!(fs.mv("/g/x", "/a"), Err(NotADirectory));
}

#[test]
fn mv_checks_the_subtree_before_walking_to() {
    let mut fs = sample();
    // `to`'s parent is missing below `from`: the subtree check comes first.
    assert_eq!(fs.mv("/a", "/a/x/y"), Err(InvalidPath));
    // `from` is a file, so `to`'s parent is a file: still inside `from`, InvalidPath.
    assert_eq!(fs.mv("/g", "/g/x"), Err(InvalidPath));
    assert_eq!(fs.mv("/a/f", "/a/f/x/y"), Err(InvalidPath));
    // `to` is `from` itself and exists.
    assert_eq!(fs.mv("/a/d", "/a/d"), Err(InvalidPath));
}

#[test]
fn mv_walks_to_s_parent_before_checking_that_to_exists() {
    let mut fs = sample();
    // Along `to`'s parent the first failing component decides.
    assert_eq!(fs.mv("/a/d", "/g/x/y"), Err(NotADirectory));
    assert_eq!(fs.mv("/a/d", "/x/g/y"), Err(NotFound));
    assert_eq!(fs.mv("/a/d", "/a/f/y"), Err(NotADirectory));
}

#[test]
fn a_deep_path_neither_overflows_nor_takes_long() {
    let depth = 100_000;
    let path: String = "/d".repeat(depth);
    let mut fs = FileSystem::new();
    assert_eq!(fs.mkdir(&path), ok());
    assert_eq!(fs.add_content_to_file(&format!("{path}/f"), "deep"), ok());
    assert_eq!(fs.ls(&path), names(&["f"]));
    assert_eq!(fs.mv("/d", "/e"), ok());
    let moved = format!("/e{}/f", &path[2..]);
    assert_eq!(fs.read_content_from_file(&moved), text("deep"));
    assert_eq!(fs.rm("/e/d", false), Err(DirectoryNotEmpty));
    // Dropping the whole chain with the file system: no recursion per level.
    fs.mkdir(&path).unwrap();
    drop(fs);
    let mut fs = FileSystem::new();
    fs.mkdir(&path).unwrap();
    assert_eq!(fs.rm("/d", true), ok());
    assert_eq!(fs.ls("/"), names(&[]));
}

// ---------------------------------------------------------------------------------------------
// A second model, written differently on purpose: a flat map from component lists to what
// is there, the root implicit. Walking looks up every prefix of the path, listing scans
// keys, and `rm`/`mv` rewrite every key under a prefix; it checks rules as a list of
// conditions rather than as a walk down a tree.

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Dir,
    File(String),
}

#[derive(Default)]
struct Model {
    entries: BTreeMap<Vec<String>, Kind>,
}

/// `None` for an invalid path. "/" splits into ["", ""]; any other valid path into "" and
/// its components.
fn model_components(path: &str) -> Option<Vec<String>> {
    if path == "/" {
        return Some(Vec::new());
    }
    let mut parts = path.split('/');
    if parts.next() != Some("") {
        return None;
    }
    let components: Vec<String> = parts.map(str::to_string).collect();
    let bad = |c: &String| c.is_empty() || c == "." || c == "..";
    if components.is_empty() || components.iter().any(bad) {
        return None;
    }
    Some(components)
}

impl Model {
    fn kind(&self, path: &[String]) -> Option<Kind> {
        if path.is_empty() {
            Some(Kind::Dir)
        } else {
            self.entries.get(path).cloned()
        }
    }

    /// What `path` names, checking every proper prefix first.
    fn walk(&self, path: &[String]) -> Result<Kind, FsError> {
        for end in 0..path.len() {
            match self.kind(&path[..end]) {
                None => return Err(NotFound),
                Some(Kind::File(_)) => return Err(NotADirectory),
                Some(Kind::Dir) => {}
            }
        }
        self.kind(path).ok_or(NotFound)
    }

    /// Checks that `mkdir -p` may create `path`'s proper prefixes.
    fn check_parents_creatable(&self, path: &[String]) -> Result<(), FsError> {
        for end in 1..path.len() {
            match self.kind(&path[..end]) {
                None => return Ok(()),
                Some(Kind::File(_)) => return Err(NotADirectory),
                Some(Kind::Dir) => {}
            }
        }
        Ok(())
    }

    fn create_parents(&mut self, path: &[String]) {
        for end in 1..path.len() {
            self.entries
                .entry(path[..end].to_vec())
                .or_insert(Kind::Dir);
        }
    }

    fn under<'a>(&'a self, prefix: &'a [String]) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.entries.keys().filter(move |k| k.starts_with(prefix))
    }

    fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        let path = model_components(path).ok_or(InvalidPath)?;
        match self.walk(&path)? {
            Kind::File(_) => Ok(vec![path[path.len() - 1].clone()]),
            Kind::Dir => {
                let mut children: Vec<String> = self
                    .under(&path)
                    .filter(|k| k.len() == path.len() + 1)
                    .map(|k| k[path.len()].clone())
                    .collect();
                children.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
                Ok(children)
            }
        }
    }

    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let path = model_components(path).ok_or(InvalidPath)?;
        self.check_parents_creatable(&path)?;
        match self.kind(&path) {
            Some(Kind::File(_)) => Err(AlreadyExists),
            Some(Kind::Dir) => Ok(()),
            None => {
                self.create_parents(&path);
                self.entries.insert(path, Kind::Dir);
                Ok(())
            }
        }
    }

    fn add(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        let path = model_components(path).ok_or(InvalidPath)?;
        self.check_parents_creatable(&path)?;
        match self.kind(&path) {
            Some(Kind::Dir) => Err(IsADirectory),
            Some(Kind::File(old)) => {
                self.entries.insert(path, Kind::File(old + content));
                Ok(())
            }
            None => {
                self.create_parents(&path);
                self.entries.insert(path, Kind::File(content.to_string()));
                Ok(())
            }
        }
    }

    fn read(&self, path: &str) -> Result<String, FsError> {
        let path = model_components(path).ok_or(InvalidPath)?;
        match self.walk(&path)? {
            Kind::File(content) => Ok(content),
            Kind::Dir => Err(IsADirectory),
        }
    }

    fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let path = model_components(path).ok_or(InvalidPath)?;
        if path.is_empty() {
            return Err(InvalidPath);
        }
        self.walk(&path)?;
        let doomed: Vec<Vec<String>> = self.under(&path).cloned().collect();
        if doomed.len() > 1 && !recursive {
            return Err(DirectoryNotEmpty);
        }
        for key in doomed {
            self.entries.remove(&key);
        }
        Ok(())
    }

    fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let from = model_components(from).ok_or(InvalidPath)?;
        let to = model_components(to).ok_or(InvalidPath)?;
        if from.is_empty() {
            return Err(InvalidPath);
        }
        self.walk(&from)?;
        if to.len() >= from.len() && to[..from.len()] == from[..] {
            return Err(InvalidPath);
        }
        if !to.is_empty() {
            match self.walk(&to[..to.len() - 1])? {
                Kind::Dir => {}
                Kind::File(_) => return Err(NotADirectory),
            }
        }
        if self.kind(&to).is_some() {
            return Err(AlreadyExists);
        }
        let moved: Vec<Vec<String>> = self.under(&from).cloned().collect();
        for key in moved {
            let kind = self.entries.remove(&key).expect("listed above");
            let mut new_key = to.clone();
            new_key.extend_from_slice(&key[from.len()..]);
            self.entries.insert(new_key, kind);
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Op {
    Ls(String),
    Mkdir(String),
    Add(String, String),
    Read(String),
    Rm(String, bool),
    Mv(String, String),
}

/// Paths over names a, b, c up to depth 3, the root included, and now and then an invalid
/// path built from the same names.
fn path() -> impl Strategy<Value = String> {
    let valid =
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..=3).prop_map(|names| {
            if names.is_empty() {
                "/".to_string()
            } else {
                names.iter().map(|n| format!("/{n}")).collect()
            }
        });
    let invalid = prop::sample::select(vec![
        "", "a", "a/b", "/a/", "//a", "/a//b", "/.", "/..", "/a/.", "/a/..", "/a/b/", "//",
    ])
    .prop_map(str::to_string);
    prop_oneof![12 => valid, 1 => invalid]
}

fn op() -> impl Strategy<Value = Op> {
    let content = prop::sample::select(vec!["", "x", "yz", "é"]).prop_map(str::to_string);
    prop_oneof![
        2 => path().prop_map(Op::Ls),
        3 => path().prop_map(Op::Mkdir),
        3 => (path(), content).prop_map(|(p, c)| Op::Add(p, c)),
        2 => path().prop_map(Op::Read),
        2 => (path(), any::<bool>()).prop_map(|(p, r)| Op::Rm(p, r)),
        3 => (path(), path()).prop_map(|(f, t)| Op::Mv(f, t)),
    ]
}

/// Every valid path of the universe, for comparing whole states.
fn universe() -> Vec<String> {
    let mut paths = vec!["/".to_string()];
    let mut level = vec![String::new()];
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|p| ["a", "b", "c"].map(|n| format!("{p}/{n}")))
            .collect();
        paths.extend(level.iter().cloned());
    }
    paths
}

fn apply(fs: &mut FileSystem, model: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    match op {
        Op::Ls(p) => prop_assert_eq!(fs.ls(p), model.ls(p), "ls {:?}", p),
        Op::Mkdir(p) => prop_assert_eq!(fs.mkdir(p), model.mkdir(p), "mkdir {:?}", p),
        Op::Add(p, c) => prop_assert_eq!(
            fs.add_content_to_file(p, c),
            model.add(p, c),
            "add {:?} {:?}",
            p,
            c
        ),
        Op::Read(p) => prop_assert_eq!(fs.read_content_from_file(p), model.read(p), "read {:?}", p),
        Op::Rm(p, r) => prop_assert_eq!(fs.rm(p, *r), model.rm(p, *r), "rm {:?} {}", p, r),
        Op::Mv(f, t) => prop_assert_eq!(fs.mv(f, t), model.mv(f, t), "mv {:?} {:?}", f, t),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn matches_the_flat_model_call_by_call(ops in prop::collection::vec(op(), 0..40)) {
        let paths = universe();
        let mut fs = FileSystem::new();
        let mut model = Model::default();
        for (i, op) in ops.iter().enumerate() {
            apply(&mut fs, &mut model, op)?;
            // The whole observable state after every call, so a divergence shows at the call
            // that caused it.
            for p in &paths {
                prop_assert_eq!(fs.ls(p), model.ls(p), "after call {} ({:?}): ls {:?}", i, op, p);
                prop_assert_eq!(
                    fs.read_content_from_file(p),
                    model.read(p),
                    "after call {} ({:?}): read {:?}",
                    i,
                    op,
                    p
                );
            }
        }
    }

    #[test]
    fn moves_and_removals_on_a_full_tree_match_the_model(
        ops in prop::collection::vec(
            prop_oneof![
                (path(), path()).prop_map(|(f, t)| Op::Mv(f, t)),
                (path(), any::<bool>()).prop_map(|(p, r)| Op::Rm(p, r)),
                path().prop_map(Op::Ls),
            ],
            0..20,
        ),
        files in prop::collection::vec(any::<bool>(), 39),
    ) {
        // Start from every path of the universe present, each non-root one a file or a
        // directory (a file cuts off what lies below it).
        let paths = universe();
        let mut fs = FileSystem::new();
        let mut model = Model::default();
        for (p, &file) in paths[1..].iter().zip(&files) {
            let op = if file { Op::Add(p.clone(), p.clone()) } else { Op::Mkdir(p.clone()) };
            apply(&mut fs, &mut model, &op)?;
        }
        for op in &ops {
            apply(&mut fs, &mut model, op)?;
        }
        for p in &paths {
            prop_assert_eq!(fs.ls(p), model.ls(p), "ls {:?}", p);
            prop_assert_eq!(fs.read_content_from_file(p), model.read(p), "read {:?}", p);
        }
    }
}
