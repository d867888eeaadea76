// The exercise's part of the guest glue for in-memory-fs (`runner = "sequence"`): replays one
// operation sequence on a fresh `FileSystem`; `Op`, `Ret` and the wire's `FsError` are in
// wire.rs.

use super::FileSystem;

type Setup = ();
type Object = FileSystem;

fn create(_: Setup) -> Object {
    FileSystem::new()
}

/// The candidate's error (the provided type, or an identical pasted one) on the wire.
fn error(e: super::FsError) -> FsError {
    match e {
        super::FsError::NotFound => FsError::NotFound,
        super::FsError::NotADirectory => FsError::NotADirectory,
        super::FsError::IsADirectory => FsError::IsADirectory,
        super::FsError::AlreadyExists => FsError::AlreadyExists,
        super::FsError::DirectoryNotEmpty => FsError::DirectoryNotEmpty,
        super::FsError::InvalidPath => FsError::InvalidPath,
    }
}

fn apply(fs: &mut Object, op: Op) -> Ret {
    match op {
        Op::Ls(path) => {
            let r: ::std::result::Result<::std::vec::Vec<::std::string::String>, super::FsError> =
                fs.ls(&path);
            Ret::Ls(r.map_err(error))
        }
        Op::Mkdir(path) => {
            let r: ::std::result::Result<(), super::FsError> = fs.mkdir(&path);
            Ret::Unit(r.map_err(error))
        }
        Op::Add(path, content) => {
            let r: ::std::result::Result<(), super::FsError> =
                fs.add_content_to_file(&path, &content);
            Ret::Unit(r.map_err(error))
        }
        Op::Read(path) => {
            let r: ::std::result::Result<::std::string::String, super::FsError> =
                fs.read_content_from_file(&path);
            Ret::Read(r.map_err(error))
        }
        Op::Rm(path, recursive) => {
            let r: ::std::result::Result<(), super::FsError> = fs.rm(&path, recursive);
            Ret::Unit(r.map_err(error))
        }
        Op::Mv(from, to) => {
            let r: ::std::result::Result<(), super::FsError> = fs.mv(&from, &to);
            Ret::Unit(r.map_err(error))
        }
    }
}
