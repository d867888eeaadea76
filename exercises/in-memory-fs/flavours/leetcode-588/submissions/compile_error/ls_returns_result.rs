// Compile error: `ls` returns a `Result` as in-memory-fs's own API does, but takes a `String`
// as LeetCode's does, so the file is judged in LeetCode's format, where `ls` returns
// `Vec<String>`.

struct FileSystem;

impl FileSystem {
    fn new() -> Self {
        FileSystem
    }

    fn ls(&self, path: String) -> Result<Vec<String>, ()> {
        Ok(vec![path])
    }

    fn mkdir(&mut self, _path: String) {}

    fn add_content_to_file(&mut self, _file_path: String, _content: String) {}

    fn read_content_from_file(&self, file_path: String) -> String {
        file_path
    }
}
