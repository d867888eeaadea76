// Reference for LeetCode 588 (in-memory-fs's four operations in LeetCode's API): a tree of
// directories, each a sorted map from name to entry. LeetCode's calls are always valid, so
// a path is walked without error handling.

use std::collections::BTreeMap;

enum Entry {
    Dir(BTreeMap<String, Entry>),
    File(String),
}

struct FileSystem {
    root: BTreeMap<String, Entry>,
}

impl FileSystem {
    fn new() -> Self {
        FileSystem {
            root: BTreeMap::new(),
        }
    }

    fn parts(path: &str) -> Vec<&str> {
        path.split('/').filter(|p| !p.is_empty()).collect()
    }

    fn ls(&self, path: String) -> Vec<String> {
        let parts = Self::parts(&path);
        let mut dir = &self.root;
        for (i, part) in parts.iter().enumerate() {
            match &dir[*part] {
                Entry::Dir(d) => dir = d,
                Entry::File(_) if i + 1 == parts.len() => return vec![part.to_string()],
                Entry::File(_) => unreachable!("LeetCode's paths are valid"),
            }
        }
        dir.keys().cloned().collect()
    }

    // Walks to the directory holding `parts`' last name, creating missing directories.
    fn parent(&mut self, parts: &[&str]) -> &mut BTreeMap<String, Entry> {
        let mut dir = &mut self.root;
        for part in parts {
            let entry = dir
                .entry(part.to_string())
                .or_insert_with(|| Entry::Dir(BTreeMap::new()));
            dir = match entry {
                Entry::Dir(d) => d,
                Entry::File(_) => unreachable!("LeetCode's paths are valid"),
            };
        }
        dir
    }

    fn mkdir(&mut self, path: String) {
        let parts = Self::parts(&path);
        self.parent(&parts);
    }

    fn add_content_to_file(&mut self, file_path: String, content: String) {
        let parts = Self::parts(&file_path);
        let (name, dirs) = parts.split_last().expect("a file path has a name");
        let dir = self.parent(dirs);
        match dir
            .entry(name.to_string())
            .or_insert_with(|| Entry::File(String::new()))
        {
            Entry::File(text) => text.push_str(&content),
            Entry::Dir(_) => unreachable!("LeetCode's paths are valid"),
        }
    }

    fn read_content_from_file(&self, file_path: String) -> String {
        let parts = Self::parts(&file_path);
        let mut dir = &self.root;
        for (i, part) in parts.iter().enumerate() {
            match &dir[*part] {
                Entry::Dir(d) => dir = d,
                Entry::File(text) if i + 1 == parts.len() => return text.clone(),
                Entry::File(_) => break,
            }
        }
        unreachable!("LeetCode reads existing files only")
    }
}
