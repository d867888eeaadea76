// Wrong answer: lists a directory in creation order instead of sorted order ("b" made before
// "a" lists as ["b", "a"]).

struct FileSystem {
    // (path, is_file, content), in creation order.
    entries: Vec<(String, bool, String)>,
}

impl FileSystem {
    fn new() -> Self {
        FileSystem {
            entries: Vec::new(),
        }
    }

    fn ls(&self, path: String) -> Vec<String> {
        if let Some(e) = self.entries.iter().find(|e| e.0 == path && e.1) {
            return vec![e.0.rsplit('/').next().unwrap().to_string()];
        }
        let prefix = if path == "/" {
            String::from("/")
        } else {
            format!("{path}/")
        };
        self.entries
            .iter()
            .filter_map(|e| e.0.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect()
    }

    fn mkdir(&mut self, path: String) {
        let mut at = String::new();
        for p in path.split('/').filter(|s| !s.is_empty()) {
            at = format!("{at}/{p}");
            if !self.entries.iter().any(|e| e.0 == at) {
                self.entries.push((at.clone(), false, String::new()));
            }
        }
    }

    fn add_content_to_file(&mut self, file_path: String, content: String) {
        match self.entries.iter_mut().find(|e| e.0 == file_path) {
            Some(e) => e.2.push_str(&content),
            None => self.entries.push((file_path, true, content)),
        }
    }

    fn read_content_from_file(&self, file_path: String) -> String {
        self.entries
            .iter()
            .find(|e| e.0 == file_path)
            .unwrap()
            .2
            .clone()
    }
}
