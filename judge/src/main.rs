//! `judge`: judge practical-coding exercises. See `judge --help`.

#[allow(clippy::print_stdout, clippy::print_stderr)]
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
