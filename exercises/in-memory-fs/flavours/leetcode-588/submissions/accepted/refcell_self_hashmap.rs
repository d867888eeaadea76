// Accepted: LeetCode 588 with every method on `&self` (state in a `RefCell`, as LeetCode's
// template has them), directories as HashMaps sorted when listed, and the template's
// trailing comment kept.

use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
struct Dir {
    dirs: HashMap<String, Dir>,
    files: HashMap<String, String>,
}

struct FileSystem {
    root: RefCell<Dir>,
}

impl FileSystem {
    fn new() -> Self {
        FileSystem { root: RefCell::new(Dir::default()) }
    }

    fn ls(&self, path: String) -> Vec<String> {
        let root = self.root.borrow();
        let mut dir = &*root;
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for (i, p) in parts.iter().enumerate() {
            if i + 1 == parts.len() && dir.files.contains_key(*p) {
                return vec![p.to_string()];
            }
            dir = &dir.dirs[*p];
        }
        let mut names: Vec<String> = dir.dirs.keys().chain(dir.files.keys()).cloned().collect();
        names.sort();
        names
    }

    fn mkdir(&self, path: String) {
        let mut root = self.root.borrow_mut();
        let mut dir = &mut *root;
        for p in path.split('/').filter(|s| !s.is_empty()) {
            dir = dir.dirs.entry(p.to_string()).or_default();
        }
    }

    fn add_content_to_file(&self, file_path: String, content: String) {
        let mut root = self.root.borrow_mut();
        let mut dir = &mut *root;
        let mut parts: Vec<&str> = file_path.split('/').filter(|s| !s.is_empty()).collect();
        let name = parts.pop().unwrap();
        for p in parts {
            dir = dir.dirs.entry(p.to_string()).or_default();
        }
        dir.files.entry(name.to_string()).or_default().push_str(&content);
    }

    fn read_content_from_file(&self, file_path: String) -> String {
        let root = self.root.borrow();
        let mut dir = &*root;
        let mut parts: Vec<&str> = file_path.split('/').filter(|s| !s.is_empty()).collect();
        let name = parts.pop().unwrap();
        for p in parts {
            dir = &dir.dirs[p];
        }
        dir.files[name].clone()
    }
}

/**
 * Your FileSystem object will be instantiated and called as such:
 * let obj = FileSystem::new();
 * let ret_1: Vec<String> = obj.ls(path);
 * obj.mkdir(path);
 * obj.add_content_to_file(filePath, content);
 * let ret_4: String = obj.read_content_from_file(filePath);
 */
