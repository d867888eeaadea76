// LeetCode 588's API (`runner = "sequence"`): replays one sequence of LeetCode's four
// operations on a fresh `FileSystem`. Calls go through `&mut`, which works whether the
// methods take `&self` or `&mut self`.

type Setup = ();
type Object = super::FileSystem;

fn create(_: Setup) -> Object {
    super::FileSystem::new()
}

fn apply(fs: &mut Object, op: Op) -> Ret {
    match op {
        Op::Ls(path) => {
            let names: ::std::vec::Vec<::std::string::String> = fs.ls(path);
            Ret::Ls(names)
        }
        Op::Mkdir(path) => {
            let () = fs.mkdir(path);
            Ret::Unit
        }
        Op::Add(path, content) => {
            let () = fs.add_content_to_file(path, content);
            Ret::Unit
        }
        Op::Read(path) => {
            let content: ::std::string::String = fs.read_content_from_file(path);
            Ret::Read(content)
        }
    }
}
