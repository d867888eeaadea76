// Accepted: LeetCode 588's classic layout. A directory keeps two HashMaps, one of
// subdirectories and one of files; a name lives in at most one of them, which every creating
// call checks. HashMap order is arbitrary, so `ls` gathers both key sets and sorts them (String
// order is byte order). Walking a path tries the subdirectories, then the files (a file where
// a directory was needed is NotADirectory), else NotFound.

use std::collections::HashMap;

#[derive(Default)]
struct Dir {
    dirs: HashMap<String, Dir>,
    files: HashMap<String, String>,
}

pub struct FileSystem {
    root: Dir,
}

fn parse(path: &str) -> Result<Vec<&str>, FsError> {
    if !path.starts_with('/') {
        return Err(FsError::InvalidPath);
    }
    if path == "/" {
        return Ok(vec![]);
    }
    let parts: Vec<&str> = path[1..].split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(FsError::InvalidPath);
    }
    Ok(parts)
}

impl Dir {
    fn walk(&self, parts: &[&str]) -> Result<&Dir, FsError> {
        let mut dir = self;
        for part in parts {
            if let Some(next) = dir.dirs.get(*part) {
                dir = next;
            } else if dir.files.contains_key(*part) {
                return Err(FsError::NotADirectory);
            } else {
                return Err(FsError::NotFound);
            }
        }
        Ok(dir)
    }

    fn walk_mut(&mut self, parts: &[&str]) -> Result<&mut Dir, FsError> {
        let mut dir = self;
        for part in parts {
            if dir.files.contains_key(*part) {
                return Err(FsError::NotADirectory);
            }
            match dir.dirs.get_mut(*part) {
                Some(next) => dir = next,
                None => return Err(FsError::NotFound),
            }
        }
        Ok(dir)
    }

    // mkdir -p of `parts`. Nothing is created unless the whole walk can succeed.
    fn walk_creating(&mut self, parts: &[&str]) -> Result<&mut Dir, FsError> {
        // A file is only a problem before the first missing directory.
        match self.walk(parts) {
            Ok(_) | Err(FsError::NotFound) => {}
            Err(e) => return Err(e),
        }
        let mut dir = self;
        for part in parts {
            dir = dir.dirs.entry(part.to_string()).or_default();
        }
        Ok(dir)
    }
}

impl FileSystem {
    pub fn new() -> Self {
        FileSystem {
            root: Dir::default(),
        }
    }

    pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        let parts = parse(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Ok(Self::names(&self.root));
        };
        let parent = self.root.walk(parents)?;
        if let Some(dir) = parent.dirs.get(*last) {
            Ok(Self::names(dir))
        } else if parent.files.contains_key(*last) {
            Ok(vec![last.to_string()])
        } else {
            Err(FsError::NotFound)
        }
    }

    fn names(dir: &Dir) -> Vec<String> {
        let mut names: Vec<String> = dir.dirs.keys().chain(dir.files.keys()).cloned().collect();
        names.sort();
        names
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let parts = parse(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Ok(());
        };
        let parent = self.root.walk_creating(parents)?;
        if parent.files.contains_key(*last) {
            return Err(FsError::AlreadyExists);
        }
        parent.dirs.entry(last.to_string()).or_default();
        Ok(())
    }

    pub fn add_content_to_file(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        let parts = parse(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Err(FsError::IsADirectory);
        };
        let parent = self.root.walk_creating(parents)?;
        if parent.dirs.contains_key(*last) {
            return Err(FsError::IsADirectory);
        }
        parent
            .files
            .entry(last.to_string())
            .or_default()
            .push_str(content);
        Ok(())
    }

    pub fn read_content_from_file(&self, path: &str) -> Result<String, FsError> {
        let parts = parse(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Err(FsError::IsADirectory);
        };
        let parent = self.root.walk(parents)?;
        if parent.dirs.contains_key(*last) {
            return Err(FsError::IsADirectory);
        }
        parent.files.get(*last).cloned().ok_or(FsError::NotFound)
    }

    pub fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let parts = parse(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Err(FsError::InvalidPath);
        };
        let parent = self.root.walk_mut(parents)?;
        if parent.files.remove(*last).is_some() {
            return Ok(());
        }
        match parent.dirs.get(*last) {
            None => Err(FsError::NotFound),
            Some(dir) if !recursive && !(dir.dirs.is_empty() && dir.files.is_empty()) => {
                Err(FsError::DirectoryNotEmpty)
            }
            Some(_) => {
                parent.dirs.remove(*last);
                Ok(())
            }
        }
    }

    pub fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let from = parse(from)?;
        let to = parse(to)?;
        if from.is_empty() {
            return Err(FsError::InvalidPath);
        }
        let (from_last, from_parents) = (from[from.len() - 1], &from[..from.len() - 1]);
        let from_parent = self.root.walk(from_parents)?;
        let is_file = from_parent.files.contains_key(from_last);
        if !is_file && !from_parent.dirs.contains_key(from_last) {
            return Err(FsError::NotFound);
        }
        if to.len() >= from.len() && to[..from.len()] == from[..] {
            return Err(FsError::InvalidPath);
        }
        if to.is_empty() {
            return Err(FsError::AlreadyExists);
        }
        let (to_last, to_parents) = (to[to.len() - 1], &to[..to.len() - 1]);
        let to_parent = self.root.walk(to_parents)?;
        if to_parent.files.contains_key(to_last) || to_parent.dirs.contains_key(to_last) {
            return Err(FsError::AlreadyExists);
        }

        let from_parent = self.root.walk_mut(from_parents)?;
        if is_file {
            let content = from_parent.files.remove(from_last).unwrap_or_default();
            let to_parent = self.root.walk_mut(to_parents)?;
            to_parent.files.insert(to_last.to_string(), content);
        } else {
            let dir = from_parent.dirs.remove(from_last).unwrap_or_default();
            let to_parent = self.root.walk_mut(to_parents)?;
            to_parent.dirs.insert(to_last.to_string(), dir);
        }
        Ok(())
    }
}
