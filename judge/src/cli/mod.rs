//! The command line: clap types, resolved into plain settings, then rendering of the
//! library's reports. Only this module knows clap, terminals and colours.

mod progress;
mod render;

use anyhow::{anyhow, Context as _};
use clap::{Parser, Subcommand};
use judge::exit_codes;
use judge::judging::{Judge, JudgeConfig, Submission};
use judge::validate;
use judge::verdict::Verdict;
use judge_exercises::{Catalog, Exercise};
use judge_sandbox::worker::WorkerCommand;
use progress::Progress;
use render::Palette;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The hidden subcommand that runs a sandbox worker.
const WORKER: &str = "__sandbox-worker";

#[derive(Parser)]
#[command(
    name = "judge",
    version,
    about = "Judge practical-coding exercises: compile to WebAssembly, run sandboxed hidden tests, get a verdict."
)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// Read exercise packages from this checkout (the folder holding exercises/)
    /// instead of the ones built into the binary.
    #[arg(long, global = true, env = "JUDGE_EXERCISES", value_name = "DIR")]
    exercises: Option<PathBuf>,
    /// Where builds and compiled modules are cached [default: the user cache directory].
    #[arg(long, global = true, env = "JUDGE_CACHE_DIR", value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// List the exercises.
    List {
        /// Print JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Print an exercise's statement (and the API of each of its flavours, e.g. LeetCode's).
    Show { exercise: String },
    /// Write an exercise's starter file.
    Init {
        exercise: String,
        /// Where to write it.
        #[arg(default_value = "solution.rs")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// Write LeetCode's template instead (the problem number where the exercise has
        /// several: `--leetcode 159`); the judge recognises the format when it runs the file.
        #[arg(long, value_name = "NUMBER", num_args = 0..=1, default_missing_value = "0")]
        leetcode: Option<u32>,
    },
    /// Judge a solution: exit status 0 accepted, 1 rejected, 2 usage or judge error.
    Run {
        exercise: String,
        file: PathBuf,
        /// Print one JSON object on stdout instead of the report for people.
        #[arg(long)]
        json: bool,
        /// Seed of the hidden tests (the report prints the one it used).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Check exercise packages: the reference is accepted, the starter is not, and every
    /// known-verdict submission gets its verdict.
    Validate {
        /// Only this exercise.
        exercise: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Authors: start a new exercise package, `exercises/<id>/`, from the template (a
    /// complete function exercise to replace file by file; see exercises/FORMAT.md).
    New {
        /// The new exercise's id: lowercase words joined by `-` (`two-sum`).
        id: String,
        /// Its title (default: from the id).
        #[arg(long)]
        title: Option<String>,
        /// The folder that holds the exercise packages.
        #[arg(long = "in", default_value = "exercises")]
        exercises_dir: PathBuf,
    },
    #[command(name = WORKER, hide = true)]
    Worker,
}

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if let Command::Worker = args.command {
        return match judge_sandbox::worker::serve() {
            Ok(()) => ExitCode::from(exit_codes::OK),
            Err(_) => ExitCode::from(exit_codes::ERROR),
        };
    }
    let json = matches!(
        args.command,
        Command::Run { json: true, .. }
            | Command::Validate { json: true, .. }
            | Command::List { json: true }
    );
    match dispatch(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if json {
                let value = serde_json::json!({ "verdict": Verdict::JudgeError, "error": format!("{e:#}") });
                let _ = emit(&format!("{value}\n"));
            }
            let palette = Palette::for_stderr();
            eprintln!(
                "{} {}",
                palette.error("error:"),
                render::clean(&format!("{e:#}"))
            );
            ExitCode::from(exit_codes::ERROR)
        }
    }
}

/// Whether the command line asks for JSON, read from the raw arguments: for the errors
/// clap reports before there are parsed ones.
fn json_requested() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}

/// A command line clap refused (or `--help`/`--version`): its message and exit status, and
/// with `--json` one JSON object on stdout as for every other exit: `{"verdict":
/// "judge_error", "error": .., "usage": true}` (exit 2), or `{"help": ..}` /
/// `{"version": ..}` (exit 0).
fn usage_error(e: &clap::Error) -> ExitCode {
    let failed = e.use_stderr();
    if json_requested() {
        let text = e.render().to_string();
        let value = if failed {
            serde_json::json!({ "verdict": Verdict::JudgeError, "error": text.trim(), "usage": true })
        } else if e.kind() == clap::error::ErrorKind::DisplayVersion {
            serde_json::json!({ "version": text.trim() })
        } else {
            serde_json::json!({ "help": text })
        };
        let _ = emit(&format!("{value}\n"));
        if failed {
            let _ = e.print();
        }
    } else {
        let _ = e.print();
    }
    ExitCode::from(if failed {
        exit_codes::ERROR
    } else {
        exit_codes::OK
    })
}

fn dispatch(args: Args) -> anyhow::Result<u8> {
    let catalog = match &args.exercises {
        Some(dir) => Catalog::from_root(dir)?,
        None => Catalog::embedded(),
    };
    let cache_dir = match args.cache_dir {
        Some(d) => d,
        None => dirs::cache_dir()
            .ok_or_else(|| anyhow!("no user cache directory; pass --cache-dir"))?
            .join("judge"),
    };
    let judge = || -> anyhow::Result<Judge> {
        // Created private, and refused (naming the fix) when others could plant builds.
        judge::cache::open(&cache_dir)?;
        let program = std::env::current_exe().context("failed to locate the judge binary")?;
        Ok(Judge::new(JudgeConfig {
            cache_dir: cache_dir.clone(),
            worker: WorkerCommand {
                program,
                args: vec![WORKER.into()],
            },
        }))
    };
    match args.command {
        Command::List { json } => list(&catalog, json),
        Command::Show { exercise } => {
            let id = known(&catalog, &exercise)?;
            let ex = catalog.load(&id)?;
            // The limits and terms come from the metadata, so they cannot drift.
            print!(
                "{}{}",
                ex.statement,
                judge_exercises::limits_section(&ex.meta)
            );
            // The other APIs of the same problem, each judged as it is written.
            for flavour in catalog.flavours(&id) {
                let fx = catalog.load(&flavour)?;
                print!(
                    "\n---\n\nAlso judged: the {} (`judge show {flavour}`).\n\n{}",
                    fx.meta.flavour.as_ref().map_or("", |f| f.name.as_str()),
                    fx.statement
                );
            }
            Ok(exit_codes::OK)
        }
        Command::New {
            id,
            title,
            exercises_dir,
        } => {
            let files = judge::scaffold::new_exercise(&exercises_dir, &id, title.as_deref())?;
            for file in &files {
                eprintln!("  created {}", file.display());
            }
            eprintln!(
                "next: rebuild the judge (`cargo build -p judge`), then `judge validate {id}`; exercises/FORMAT.md walks through replacing the example problem"
            );
            Ok(exit_codes::OK)
        }
        Command::Init {
            exercise,
            path,
            force,
            leetcode,
        } => {
            let ex = init_package(&catalog, &exercise, leetcode)?;
            if let Ok(meta) = std::fs::metadata(&path) {
                if !meta.is_file() {
                    return Err(anyhow!(
                        "{} is {}; pass the path of a file to write",
                        render::clean(&path.display().to_string()),
                        file_kind(&meta)
                    ));
                }
            }
            if path.exists() && !force {
                return Err(anyhow!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                ));
            }
            std::fs::write(&path, &ex.starter)
                .with_context(|| format!("failed to write {}", path.display()))?;
            eprintln!(
                "wrote {}; judge it with: judge run {} {}",
                path.display(),
                ex.meta
                    .flavour
                    .as_ref()
                    .and_then(|f| f.leetcode)
                    .map_or_else(|| ex.id.clone(), |n| n.to_string()),
                path.display()
            );
            Ok(exit_codes::OK)
        }
        Command::Run {
            exercise,
            file,
            json,
            seed,
        } => {
            let bytes = read_submission(&file)?;
            let ex = resolve(&catalog, &exercise, &bytes)?;
            let submission = Submission {
                bytes: &bytes,
                display: file.display().to_string(),
                seed,
            };
            let progress = Progress::start(!json);
            let report = judge()?.judge(&ex, &submission, &|e| progress.event(&e));
            progress.finish();
            let report = report?.bounded();
            // The report is the command's output: on stdout, so `> report.txt` keeps it.
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
            } else {
                emit(&render::report(&report, &Palette::for_stdout()))?;
            }
            Ok(match report.verdict {
                Verdict::Accepted => exit_codes::OK,
                Verdict::JudgeError => exit_codes::ERROR,
                _ => exit_codes::REJECTED,
            })
        }
        Command::Validate { exercise, json } => {
            // Each exercise with its flavours, which have submissions of their own.
            let ids: Vec<String> = match exercise {
                Some(id) => vec![known(&catalog, &id)?],
                None => catalog.ids(),
            }
            .into_iter()
            .flat_map(|id| {
                let flavours = match id.contains('/') {
                    true => Vec::new(),
                    false => catalog.flavours(&id),
                };
                std::iter::once(id).chain(flavours)
            })
            .collect();
            let judge = judge()?;
            let palette = Palette::for_stdout();
            // Known submissions' reports against their snapshots; `JUDGE_BLESS=1` rewrites
            // them (exercises/FORMAT.md, "Statements that hold").
            let plain = |r: &judge::Report| render::report(r, &Palette::plain());
            let snapshots = validate::Snapshots {
                render: &plain,
                bless: std::env::var_os("JUDGE_BLESS").is_some_and(|v| v == "1"),
            };
            let mut all = Vec::new();
            for id in ids {
                let progress = Progress::start(!json);
                let v = validate::validate_with(
                    &judge,
                    &catalog,
                    &id,
                    &|subject, e| progress.subject_event(subject, &e),
                    Some(&snapshots),
                );
                progress.finish();
                if !json {
                    emit(&render::validation(&v, &palette))?;
                }
                all.push(v);
            }
            let ok = all.iter().all(|v| v.ok);
            if json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "ok": ok, "exercises": all })
                    )?
                ))?;
            }
            Ok(if ok {
                exit_codes::OK
            } else {
                exit_codes::REJECTED
            })
        }
        Command::Worker => unreachable!("handled before dispatch"),
    }
}

fn list(catalog: &Catalog, json: bool) -> anyhow::Result<u8> {
    let mut rows = Vec::new();
    for id in catalog.ids() {
        let ex = catalog.load(&id)?;
        rows.push(serde_json::json!({
            "id": id,
            "title": ex.meta.title,
            "difficulty": ex.meta.difficulty,
            "tags": ex.meta.tags,
        }));
    }
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    } else {
        for r in rows {
            writeln!(
                out,
                "{:<24} {}",
                r["id"].as_str().unwrap_or(""),
                r["title"].as_str().unwrap_or("")
            )?;
        }
    }
    Ok(exit_codes::OK)
}

/// The exercise to judge `source` against. `name` is an exercise id, a flavour's
/// (`lru-cache/leetcode-146`) or a LeetCode number (`146`); for an exercise, the flavour
/// whose items the file defines (`struct LRUCache`, ...) is judged, if there is one: the
/// format is recognised, never configured.
fn resolve(catalog: &Catalog, name: &str, source: &[u8]) -> anyhow::Result<Exercise> {
    let id = known(catalog, name)?;
    if !id.contains('/') {
        if let Ok(text) = std::str::from_utf8(source) {
            for flavour in catalog.flavours(&id) {
                let fx = catalog.load(&flavour)?;
                if fx
                    .meta
                    .flavour
                    .as_ref()
                    .is_some_and(|f| judge::scan::recognises(&f.recognise, text))
                {
                    return Ok(fx);
                }
            }
        }
    }
    Ok(catalog.load(&id)?)
}

/// The package `judge init` writes the starter of: the exercise's, or with `--leetcode`
/// (or a LeetCode number as the name) its LeetCode flavour's template.
fn init_package(catalog: &Catalog, name: &str, leetcode: Option<u32>) -> anyhow::Result<Exercise> {
    let id = known(catalog, name)?;
    let number = match (leetcode, name.parse::<u32>()) {
        (Some(n), _) if n != 0 => Some(n),
        (Some(_), Ok(n)) | (None, Ok(n)) => Some(n),
        (Some(_), Err(_)) => Some(0),
        (None, Err(_)) => None,
    };
    let Some(number) = number else {
        return Ok(catalog.load(&id)?);
    };
    let base = id.split_once('/').map_or(id.as_str(), |(b, _)| b);
    let mut flavours = Vec::new();
    for f in catalog.flavours(base) {
        let fx = catalog.load(&f)?;
        if let Some(n) = fx.meta.flavour.as_ref().and_then(|f| f.leetcode) {
            flavours.push((n, fx));
        }
    }
    let numbers: Vec<String> = flavours.iter().map(|(n, _)| n.to_string()).collect();
    match flavours.iter().position(|(n, _)| *n == number) {
        Some(i) => Ok(flavours.swap_remove(i).1),
        None if number == 0 && flavours.len() == 1 => Ok(flavours.remove(0).1),
        None if flavours.is_empty() => Err(anyhow!("`{base}` has no LeetCode format")),
        None if number == 0 => Err(anyhow!(
            "`{base}` has several LeetCode problems: pass one of them, `--leetcode {}`",
            numbers.join("` or `--leetcode ")
        )),
        None => Err(anyhow!(
            "`{base}` is not LeetCode {number}; its LeetCode problems: {}",
            numbers.join(", ")
        )),
    }
}

/// The exercise id, or an error naming the known ones and the closest match. A LeetCode
/// number names the exercise that has it as a flavour (`146` -> `lru-cache`).
fn known(catalog: &Catalog, id: &str) -> anyhow::Result<String> {
    if catalog.contains(id) {
        return Ok(id.to_owned());
    }
    if let Some(alias) = id.parse().ok().and_then(|n| catalog.leetcode_alias(n)) {
        return Ok(alias);
    }
    let ids = catalog.ids();
    // An id the input is part of (`k-distinct`), else the nearest by edit distance.
    let containing = ids
        .iter()
        .filter(|k| !id.is_empty() && k.contains(id))
        .min_by_key(|k| k.len());
    let closest = containing.or_else(|| {
        ids.iter()
            .min_by_key(|k| edit_distance(k, id))
            .filter(|k| edit_distance(k, id) <= k.len() / 2)
    });
    let suggestion = closest
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    Err(anyhow!(
        "unknown exercise `{id}`{suggestion}; the exercises are: {}",
        ids.join(", ")
    ))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// What a file that is not a regular one is, for a message.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Reads the submission: a regular file (a link to one is followed), never waiting. A
/// directory, FIFO, socket or device is refused before it is opened, and checked again on
/// the open descriptor (opened non-blocking, so a FIFO swapped in meanwhile cannot hang
/// the open either).
fn read_submission(path: &Path) -> anyhow::Result<Vec<u8>> {
    let shown = || render::clean(&path.display().to_string()).into_owned();
    let refuse = |meta: &std::fs::Metadata| {
        anyhow!("{} is {}; pass the solution file", shown(), file_kind(meta))
    };
    let meta = std::fs::metadata(path).with_context(|| format!("failed to read {}", shown()))?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    // Read at most a little past the size limit: the build step reports the size itself.
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .with_context(|| format!("failed to read {}", shown()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("failed to read {}", shown()))?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    let mut bytes = Vec::new();
    file.take(judge::compile::MAX_SOURCE_BYTES as u64 * 16)
        .read_to_end(&mut bytes)
        .with_context(|| format!("failed to read {}", shown()))?;
    Ok(bytes)
}

/// Writes a command's output to stdout. A reader that went away (`judge run .. | head`)
/// is not an error of the judge's: the verdict's exit status stands. Any other failure to
/// write (a full disk under `> report.txt`) is, since the report is lost.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow!(e).context("failed to write the report to stdout"))
        }
        _ => Ok(()),
    }
}

pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_use_edit_distance() {
        assert_eq!(
            edit_distance("k-distinct-substring", "k-distinct-substrin"),
            1
        );
        let err = known(&Catalog::embedded(), "k-distinct")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown exercise `k-distinct`"), "{err}");
        assert!(
            err.contains("(did you mean `k-distinct-substring`?)"),
            "{err}"
        );
        let err = known(&Catalog::embedded(), "lru-cahce")
            .unwrap_err()
            .to_string();
        assert!(err.contains("(did you mean `lru-cache`?)"), "{err}");
    }
}
