//! `judge`: judge practical-coding exercises. See `judge --help`.

fn main() -> std::process::ExitCode {
    judge::cli::main()
}
