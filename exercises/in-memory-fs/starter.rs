// in-memory-fs: an in-memory file system (directories, files, `rm` and `mv`) that reports
// errors exactly as the statement says. `judge show in-memory-fs` prints the full statement,
// including the order in which `mv` checks its paths.
//
// Run the hidden tests on this file with:
//
//     judge run in-memory-fs solution.rs
//
// Compiled as Rust edition 2024 (a file that compiles only as 2021 is built as 2021).
//
// One file, std only. Keep the signatures exactly as they are. `FsError` is provided by
// the judge and already in scope here, without an import (`crate::FsError` and
// `use crate::FsError;` work too).

pub struct FileSystem {
    // your fields
}

impl FileSystem {
    pub fn new() -> Self {
        todo!("an empty file system: just the root directory \"/\"")
    }

    pub fn ls(&self, path: &str) -> Result<Vec<String>, FsError> {
        todo!("the sorted names in the directory at `path`, or [name] for a file")
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        todo!("create the directory at `path` and any missing parents")
    }

    pub fn add_content_to_file(&mut self, path: &str, content: &str) -> Result<(), FsError> {
        todo!("append `content` to the file at `path`, creating it and missing parents")
    }

    pub fn read_content_from_file(&self, path: &str) -> Result<String, FsError> {
        todo!("the content of the file at `path`")
    }

    pub fn rm(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        todo!("remove the file or directory at `path`")
    }

    pub fn mv(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        todo!("move the file or directory at `from` to the new path `to`")
    }
}
