// Wrong answer: `add_content_to_file` replaces the content instead of appending to it.

use std::collections::BTreeMap;

struct FileSystem {
    dirs: BTreeMap<String, ()>,
    files: BTreeMap<String, String>,
}

impl FileSystem {
    fn new() -> Self {
        FileSystem {
            dirs: BTreeMap::new(),
            files: BTreeMap::new(),
        }
    }

    fn ls(&self, path: String) -> Vec<String> {
        if self.files.contains_key(&path) {
            return vec![path.rsplit('/').next().unwrap().to_string()];
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let mut names: Vec<String> = self
            .dirs
            .keys()
            .chain(self.files.keys())
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    fn mkdir(&mut self, path: String) {
        let mut at = String::new();
        for p in path.split('/').filter(|s| !s.is_empty()) {
            at = format!("{at}/{p}");
            self.dirs.insert(at.clone(), ());
        }
    }

    fn add_content_to_file(&mut self, file_path: String, content: String) {
        self.files.insert(file_path, content);
    }

    fn read_content_from_file(&self, file_path: String) -> String {
        self.files[&file_path].clone()
    }
}
