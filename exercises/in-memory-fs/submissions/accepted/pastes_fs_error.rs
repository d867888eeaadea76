// Accepted: pastes `FsError` from the statement. The judge provides the type through a glob
// re-export, which a definition in the file shadows, so the harness matches on this
// identical enum. The rest is nested_btreemap.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    DirectoryNotEmpty,
    InvalidPath,
}

enum Node {
    File(String),
    Dir(BTreeMap<String, Node>),
}

pub struct FileSystem {
    root: Node,
}

// The components of a valid path ("/" has none), or InvalidPath.
fn split(path: &str) -> Result<Vec<&str>, FsError> {
    if path == "/" {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(FsError::InvalidPath);
    };
    let parts: Vec<&str> = rest.split('/').collect();
    for part in &parts {
        if part.is_empty() || *part == "." || *part == ".." {
            return Err(FsError::InvalidPath);
        }
    }
    Ok(parts)
}

impl FileSystem {
    pub fn new() -> Self {
        FileSystem {
            root: Node::Dir(BTreeMap::new()),
        }
    }

    // The node at `parts`, walking down from the root.
    fn get(&self, parts: &[&str]) -> Result<&Node, FsError> {
        let mut node = &self.root;
        for part in parts {
            match node {
                Node::Dir(children) => node = children.get(*part).ok_or(FsError::NotFound)?,
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        Ok(node)
    }

    // The children of the directory at `parts`.
    fn dir_mut(&mut self, parts: &[&str]) -> Result<&mut BTreeMap<String, Node>, FsError> {
        let mut node = &mut self.root;
        for part in parts {
            match node {
                Node::Dir(children) => node = children.get_mut(*part).ok_or(FsError::NotFound)?,
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        match node {
            Node::Dir(children) => Ok(children),
            Node::File(_) => Err(FsError::NotADirectory),
        }
    }

    // Like `dir_mut`, creating the directories that are missing (mkdir -p).
    fn dir_creating(&mut self, parts: &[&str]) -> Result<&mut BTreeMap<String, Node>, FsError> {
        let mut node = &mut self.root;
        for part in parts {
            match node {
                Node::Dir(children) => {
                    node = children
                        .entry(part.to_string())
                        .or_insert_with(|| Node::Dir(BTreeMap::new()))
                }
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        match node {
            Node::Dir(children) => Ok(children),
            Node::File(_) => Err(FsError::NotADirectory),
        }
    }

    pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        let parts = split(path)?;
        match self.get(&parts)? {
            Node::Dir(children) => Ok(children.keys().cloned().collect()),
            Node::File(_) => Ok(vec![parts[parts.len() - 1].to_string()]),
        }
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        let parts = split(path)?;
        let Some((name, parents)) = parts.split_last() else {
            return Ok(());
        };
        let dir = self.dir_creating(parents)?;
        match dir.get(*name) {
            Some(Node::File(_)) => Err(FsError::AlreadyExists),
            Some(Node::Dir(_)) => Ok(()),
            None => {
                dir.insert(name.to_string(), Node::Dir(BTreeMap::new()));
                Ok(())
            }
        }
    }

    pub fn add_content_to_file(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        let parts = split(path)?;
        let Some((name, parents)) = parts.split_last() else {
            return Err(FsError::IsADirectory);
        };
        let dir = self.dir_creating(parents)?;
        match dir.get_mut(*name) {
            Some(Node::File(text)) => {
                text.push_str(content);
                Ok(())
            }
            Some(Node::Dir(_)) => Err(FsError::IsADirectory),
            None => {
                dir.insert(name.to_string(), Node::File(content.to_string()));
                Ok(())
            }
        }
    }

    pub fn read_content_from_file(&self, path: &str) -> Result<String, FsError> {
        let parts = split(path)?;
        match self.get(&parts)? {
            Node::File(text) => Ok(text.clone()),
            Node::Dir(_) => Err(FsError::IsADirectory),
        }
    }

    pub fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let parts = split(path)?;
        let Some((name, parents)) = parts.split_last() else {
            return Err(FsError::InvalidPath);
        };
        let dir = self.dir_mut(parents)?;
        match dir.get(*name) {
            None => return Err(FsError::NotFound),
            Some(Node::Dir(children)) if !children.is_empty() && !recursive => {
                return Err(FsError::DirectoryNotEmpty);
            }
            Some(_) => {}
        }
        dir.remove(*name);
        Ok(())
    }

    pub fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let from = split(from)?;
        let to = split(to)?;
        let Some((from_name, from_parents)) = from.split_last() else {
            return Err(FsError::InvalidPath);
        };
        self.get(&from)?;
        if to.starts_with(&from) {
            return Err(FsError::InvalidPath);
        }
        let Some((to_name, to_parents)) = to.split_last() else {
            return Err(FsError::AlreadyExists);
        };
        if self.dir_mut(to_parents)?.contains_key(*to_name) {
            return Err(FsError::AlreadyExists);
        }
        let node = self.dir_mut(from_parents)?.remove(*from_name).unwrap();
        self.dir_mut(to_parents)?.insert(to_name.to_string(), node);
        Ok(())
    }
}
