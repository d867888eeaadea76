/// The errors of the file system, provided by the judge: in scope in your file without an
/// import (`crate::FsError` works too). Do not define it yourself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    DirectoryNotEmpty,
    InvalidPath,
}
