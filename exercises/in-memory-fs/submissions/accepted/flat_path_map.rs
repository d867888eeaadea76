// Accepted: no tree at all. Every file and directory is one entry of a BTreeMap keyed by its
// full path ("/a/b"), the root implicit. In byte order the paths below "/a" are exactly the
// keys from "/a/" (inclusive) to "/a0" (exclusive), since '0' is the byte after '/', so `ls`,
// `rm` and `mv` are range scans: `ls` keeps the keys with no further '/', `rm -r` removes the
// range, `mv` re-keys it. Walking a path looks up each of its prefixes in turn.

use std::collections::BTreeMap;

enum Entry {
    Dir,
    File(String),
}

pub struct FileSystem {
    entries: BTreeMap<String, Entry>,
}

// Checks `path`; returns the byte offsets where its components end ("/" has none).
fn component_ends(path: &str) -> Result<Vec<usize>, FsError> {
    if path == "/" {
        return Ok(Vec::new());
    }
    if !path.starts_with('/') {
        return Err(FsError::InvalidPath);
    }
    let mut ends = Vec::new();
    let mut start = 1;
    for (i, c) in path.char_indices().skip(1).chain([(path.len(), '/')]) {
        if c == '/' {
            let name = &path[start..i];
            if name.is_empty() || name == "." || name == ".." {
                return Err(FsError::InvalidPath);
            }
            ends.push(i);
            start = i + 1;
        }
    }
    Ok(ends)
}

// The keys strictly below `dir` lie in [dir + "/", dir + "0").
fn below(dir: &str) -> (String, String) {
    let base = if dir == "/" { "" } else { dir };
    (format!("{base}/"), format!("{base}0"))
}

impl FileSystem {
    pub fn new() -> Self {
        FileSystem {
            entries: BTreeMap::new(),
        }
    }

    fn kind(&self, path: &str) -> Option<&Entry> {
        if path == "/" {
            Some(&Entry::Dir)
        } else {
            self.entries.get(path)
        }
    }

    // Walks every proper prefix of `path` (given its component ends); each must be a directory.
    fn walk_parents(&self, path: &str, ends: &[usize]) -> Result<(), FsError> {
        for &end in &ends[..ends.len().saturating_sub(1)] {
            match self.entries.get(&path[..end]) {
                None => return Err(FsError::NotFound),
                Some(Entry::File(_)) => return Err(FsError::NotADirectory),
                Some(Entry::Dir) => {}
            }
        }
        Ok(())
    }

    fn find(&self, path: &str) -> Result<&Entry, FsError> {
        let ends = component_ends(path)?;
        self.walk_parents(path, &ends)?;
        self.kind(path).ok_or(FsError::NotFound)
    }

    // mkdir -p of the proper prefixes of `path`, checked before anything is created.
    fn make_parents(&mut self, path: &str, ends: &[usize]) -> Result<(), FsError> {
        let parents = &ends[..ends.len().saturating_sub(1)];
        for &end in parents {
            match self.entries.get(&path[..end]) {
                Some(Entry::File(_)) => return Err(FsError::NotADirectory),
                Some(Entry::Dir) => {}
                None => break,
            }
        }
        for &end in parents {
            self.entries
                .entry(path[..end].to_string())
                .or_insert(Entry::Dir);
        }
        Ok(())
    }

    pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        match self.find(path)? {
            Entry::File(_) => Ok(vec![path[path.rfind('/').unwrap_or(0) + 1..].to_string()]),
            Entry::Dir => {
                let (low, high) = below(path);
                Ok(self
                    .entries
                    .range(low.clone()..high)
                    .map(|(key, _)| &key[low.len()..])
                    .filter(|rest| !rest.contains('/'))
                    .map(str::to_string)
                    .collect())
            }
        }
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let ends = component_ends(path)?;
        if ends.is_empty() {
            return Ok(());
        }
        self.make_parents(path, &ends)?;
        match self.entries.get(path) {
            Some(Entry::File(_)) => Err(FsError::AlreadyExists),
            Some(Entry::Dir) => Ok(()),
            None => {
                self.entries.insert(path.to_string(), Entry::Dir);
                Ok(())
            }
        }
    }

    pub fn add_content_to_file(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        let ends = component_ends(path)?;
        if ends.is_empty() {
            return Err(FsError::IsADirectory);
        }
        self.make_parents(path, &ends)?;
        match self.entries.get_mut(path) {
            Some(Entry::Dir) => Err(FsError::IsADirectory),
            Some(Entry::File(text)) => {
                text.push_str(content);
                Ok(())
            }
            None => {
                self.entries
                    .insert(path.to_string(), Entry::File(content.to_string()));
                Ok(())
            }
        }
    }

    pub fn read_content_from_file(&self, path: &str) -> Result<String, FsError> {
        match self.find(path)? {
            Entry::File(text) => Ok(text.clone()),
            Entry::Dir => Err(FsError::IsADirectory),
        }
    }

    pub fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        if component_ends(path)?.is_empty() {
            return Err(FsError::InvalidPath);
        }
        self.find(path)?;
        let (low, high) = below(path);
        let doomed: Vec<String> = self
            .entries
            .range(low..high)
            .map(|(key, _)| key.clone())
            .collect();
        if !doomed.is_empty() && !recursive {
            return Err(FsError::DirectoryNotEmpty);
        }
        for key in doomed {
            self.entries.remove(&key);
        }
        self.entries.remove(path);
        Ok(())
    }

    pub fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        component_ends(from)?;
        component_ends(to)?;
        if from == "/" {
            return Err(FsError::InvalidPath);
        }
        self.find(from)?;
        if to == from || to.starts_with(&format!("{from}/")) {
            return Err(FsError::InvalidPath);
        }
        if to == "/" {
            return Err(FsError::AlreadyExists);
        }
        let parent = &to[..to.rfind('/').unwrap_or(0)];
        let parent = if parent.is_empty() { "/" } else { parent };
        match self.find(parent)? {
            Entry::File(_) => return Err(FsError::NotADirectory),
            Entry::Dir => {}
        }
        if self.entries.contains_key(to) {
            return Err(FsError::AlreadyExists);
        }

        let (low, high) = below(from);
        let mut moved: Vec<String> = self
            .entries
            .range(low..high)
            .map(|(key, _)| key.clone())
            .collect();
        moved.push(from.to_string());
        for key in moved {
            if let Some(entry) = self.entries.remove(&key) {
                self.entries
                    .insert(format!("{to}{}", &key[from.len()..]), entry);
            }
        }
        Ok(())
    }
}
