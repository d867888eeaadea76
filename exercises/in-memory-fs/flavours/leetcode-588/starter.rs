// LeetCode 588, as LeetCode's Rust template gives it: judge it unchanged with
//
//     judge run 588 solution.rs
//
// (`judge show in-memory-fs/leetcode-588` prints the statement). Methods may take `&self` or
// `&mut self`.

struct FileSystem {

}


/** 
 * `&self` means the method takes an immutable reference.
 * If you need a mutable reference, change it to `&mut self` instead.
 */
impl FileSystem {

    fn new() -> Self {
        todo!("a file system holding only the root directory")
    }
    
    fn ls(&self, path: String) -> Vec<String> {
        todo!("the sorted names in the directory at `path`, or [name] for a file")
    }
    
    fn mkdir(&mut self, path: String) {
        todo!("create the directory at `path` and any missing parents")
    }
    
    fn add_content_to_file(&mut self, file_path: String, content: String) {
        todo!("create the file or append to it")
    }
    
    fn read_content_from_file(&self, file_path: String) -> String {
        todo!("the file's content")
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
