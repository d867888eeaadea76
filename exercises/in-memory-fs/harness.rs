// Guest-side glue for in-memory-fs: replays one operation sequence on a fresh
// `FileSystem` and encodes every result.
// Input: count u32, then per operation a tag (0 ls, 1 mkdir, 2 add_content_to_file,
// 3 read_content_from_file, 4 rm, 5 mv) and its arguments (strings as u32 LE length +
// UTF-8; rm's flag as one byte). Output per operation: 0 and the Ok value (ls: u32 count
// + strings; read: a string; others nothing), or 1 and the FsError's index.
mod __judge_harness {
    use super::{FileSystem, FsError};
    use ::std::string::String;
    use ::std::vec::Vec;

    struct Input<'a>(&'a [u8]);

    impl<'a> Input<'a> {
        fn u8(&mut self) -> u8 {
            let (head, tail) = self.0.split_first().expect("judge input");
            self.0 = tail;
            *head
        }
        fn u32(&mut self) -> u32 {
            let (head, tail) = self.0.split_at(4);
            self.0 = tail;
            u32::from_le_bytes([head[0], head[1], head[2], head[3]])
        }
        fn str(&mut self) -> &'a str {
            let n = self.u32() as usize;
            let (head, tail) = self.0.split_at(n);
            self.0 = tail;
            ::std::str::from_utf8(head).expect("judge input")
        }
    }

    fn put_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    fn put_err(out: &mut Vec<u8>, e: FsError) {
        out.push(1);
        out.push(match e {
            FsError::NotFound => 0,
            FsError::NotADirectory => 1,
            FsError::IsADirectory => 2,
            FsError::AlreadyExists => 3,
            FsError::DirectoryNotEmpty => 4,
            FsError::InvalidPath => 5,
        });
    }

    fn put_unit(out: &mut Vec<u8>, r: Result<(), FsError>) {
        match r {
            Ok(()) => out.push(0),
            Err(e) => put_err(out, e),
        }
    }

    pub fn call(input: &[u8]) -> Vec<u8> {
        let mut input = Input(input);
        let count = input.u32();
        let mut fs = FileSystem::new();
        let mut out = Vec::new();
        for _ in 0..count {
            match input.u8() {
                0 => {
                    let r: Result<Vec<String>, FsError> = fs.ls(input.str());
                    match r {
                        Ok(names) => {
                            out.push(0);
                            out.extend_from_slice(&(names.len() as u32).to_le_bytes());
                            for name in &names {
                                put_str(&mut out, name);
                            }
                        }
                        Err(e) => put_err(&mut out, e),
                    }
                }
                1 => {
                    let r = fs.mkdir(input.str());
                    put_unit(&mut out, r);
                }
                2 => {
                    let path = input.str();
                    let content = input.str();
                    let r = fs.add_content_to_file(path, content);
                    put_unit(&mut out, r);
                }
                3 => {
                    let r: Result<String, FsError> = fs.read_content_from_file(input.str());
                    match r {
                        Ok(text) => {
                            out.push(0);
                            put_str(&mut out, &text);
                        }
                        Err(e) => put_err(&mut out, e),
                    }
                }
                4 => {
                    let path = input.str();
                    let recursive = input.u8() != 0;
                    let r = fs.rm(path, recursive);
                    put_unit(&mut out, r);
                }
                _ => {
                    let from = input.str();
                    let to = input.str();
                    let r = fs.mv(from, to);
                    put_unit(&mut out, r);
                }
            }
        }
        out
    }
}
