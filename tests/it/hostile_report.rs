//! Reports that tell the truth and stay bounded: guest text shown escaped and capped,
//! verdicts from the sandbox's own accounting whatever the guest prints, and a clear error
//! (in JSON too) for every input that is not a submission.

use judge_tests::{assert_no_host_data, judge, judge_bin, root, Run};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXERCISE: &str = "k-distinct-substring";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}.rs")
}

/// Judges a fixture with `--json`; checks verdict, exit status and leaks.
fn judged(exercise: &str, name: &str, verdict: &str) -> Run {
    let run = judge(&["run", exercise, &fixture(name), "--json"]);
    assert_no_host_data(&run);
    assert_eq!(run.json()["verdict"], verdict, "{name}: {}", run.all());
    let code = if verdict == "accepted" { 0 } else { 1 };
    assert_eq!(run.code, code, "{name}: {}", run.all());
    run
}

/// Runs the judge with a deadline: a judge that blocks is killed and the test fails.
fn judge_within(args: &[&str], within: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(judge_bin())
        .args(args)
        .current_dir(root())
        .env("JUDGE_CACHE_DIR", judge_tests::cache_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("failed to run judge");
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("judge {args:?} still running after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

#[test]
fn escape_sequences_from_the_guest_are_shown_escaped_for_people_and_exact_in_json() {
    let path = fixture("report_escapes");
    let run = judge(&["run", EXERCISE, &path]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_no_host_data(&run);
    // The report for people goes to stdout; not a terminal, so the judge adds no colour.
    let text = &run.stdout;
    for c in ['\x1b', '\r', '\x07', '\u{202e}'] {
        assert!(!text.contains(c), "{c:?} reached the report:\n{text:?}");
    }
    assert!(
        text.starts_with("✗ runtime error  k-distinct-substring"),
        "{text}"
    );
    // The panic message, in the summary and the case, and both outputs, escaped visibly.
    assert!(
        text.contains(r"report_escapes.rs:8:5:")
            && text.contains(r"  \u{1b}[2J\u{1b}[H\u{1b}[1;32m✓ accepted\u{1b}[0m 0"),
        "{text}"
    );
    assert!(
        text.contains(r"\u{1b}[1;32m✓ accepted\u{1b}[0m  k-distinct-substring\u{202e}"),
        "{text}"
    );
    assert!(text.contains(r"\u{d}\u{1b}[2J"), "{text}");
    assert!(text.contains(r"\u{1b}]0;title\u{7}"), "{text}");
    // No line of the guest's starts where the judge's own lines start.
    for line in text.lines().skip(1) {
        assert!(line.is_empty() || line.starts_with("  "), "{line:?}");
    }

    let json = judged(EXERCISE, "report_escapes", "runtime_error").json();
    let failure = &json["failure"];
    assert_eq!(
        failure["stdout"],
        "\x1b[2J\x1b[H\x1b[1;32m✓ accepted\x1b[0m  k-distinct-substring\u{202e}\n"
    );
    assert!(failure["stderr"].as_str().unwrap().starts_with("\r\x1b[2J"));
}

#[test]
fn a_60_mb_return_value_gives_a_small_report_that_states_its_size() {
    let run = judged("in-memory-fs", "report_huge_return", "wrong_answer");
    assert!(
        run.stdout.len() < 16 << 10,
        "{} bytes of JSON",
        run.stdout.len()
    );
    let actual = run.json()["failure"]["actual"].as_str().unwrap().to_owned();
    assert!(actual.len() < 4096 + 64, "{}", actual.len());
    assert!(
        actual.contains("… (62,914,5") && actual.contains(" bytes in all, "),
        "{}",
        &actual[3000..3200]
    );
    // The report for people too.
    let human = judge(&["run", "in-memory-fs", &fixture("report_huge_return")]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.len() < 16 << 10, "{}", human.stdout.len());
    assert!(human.stdout.contains(" bytes in all, "), "{}", human.stdout);
}

#[test]
fn printing_to_stderr_for_ever_is_the_output_limit() {
    let run = judged(EXERCISE, "report_stderr_flood", "output_limit_exceeded");
    let json = run.json();
    assert_eq!(json["summary"], "printed more than 64 KiB");
    assert!(json["failure"]["stderr"]
        .as_str()
        .unwrap()
        .starts_with("line 0 of debugging output"));
}

#[test]
fn printed_judge_and_std_messages_change_neither_verdict_nor_summary() {
    // A correct solution that prints std's output-limit panic and a fake judge panic.
    let run = judged(EXERCISE, "report_fake_accepted", "accepted");
    let summary = run.json()["summary"].as_str().unwrap().to_owned();
    assert!(
        summary.starts_with("passed all 501 hidden tests"),
        "{summary}"
    );

    // A wrong one that prints the same first.
    let run = judged(EXERCISE, "report_fake_panic", "wrong_answer");
    let json = run.json();
    let summary = json["summary"].as_str().unwrap();
    assert_eq!(summary, "returned a wrong answer");
    assert_eq!(json["failure"]["expected"], "0");
    assert_eq!(json["failure"]["actual"], "1");
    // What it printed is shown as its output, nothing more.
    assert!(json["failure"]["stderr"]
        .as_str()
        .unwrap()
        .contains("internal error, your solution is fine"));
}

#[test]
fn a_fifo_a_link_to_one_a_device_or_a_directory_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("solution.rs");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let link = dir.path().join("link.rs");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let cases = [
        (fifo.to_str().unwrap(), "a named pipe (FIFO)"),
        (link.to_str().unwrap(), "a named pipe (FIFO)"),
        ("/dev/zero", "a device"),
        (dir.path().to_str().unwrap(), "a directory"),
    ];
    for (path, kind) in cases {
        for json in [true, false] {
            let mut args = vec!["run", EXERCISE, path];
            if json {
                args.push("--json");
            }
            let run = judge_within(&args, Duration::from_secs(10));
            assert_eq!(run.code, 2, "{path}: {}", run.all());
            assert!(
                run.elapsed < Duration::from_secs(5),
                "{path}: {:?}",
                run.elapsed
            );
            assert!(
                run.stderr
                    .contains(&format!("is {kind}; pass the solution file")),
                "{path}: {}",
                run.all()
            );
            if json {
                assert_eq!(run.json()["verdict"], "judge_error", "{}", run.all());
            } else {
                assert!(run.stdout.is_empty());
            }
        }
    }
    // `init` does not write into a FIFO either (opening it to write would wait for a reader).
    let run = judge_within(
        &["init", EXERCISE, fifo.to_str().unwrap(), "--force"],
        Duration::from_secs(10),
    );
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("is a named pipe (FIFO)"),
        "{}",
        run.all()
    );
}

#[test]
fn with_json_every_usage_error_prints_one_json_object_and_exits_2() {
    let path = fixture("report_fake_panic");
    for args in [
        vec!["run", EXERCISE, path.as_str(), "--json", "--seed", "abc"],
        vec!["run", "--json", EXERCISE],
        vec!["run", EXERCISE, path.as_str(), "--json", "--bogus"],
        vec!["list", "--json", "extra"],
        vec!["validate", "--json", "--seed", "1"],
    ] {
        let run = judge(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.all());
        let json = run.json();
        assert_eq!(json["verdict"], "judge_error", "{args:?}");
        assert_eq!(json["usage"], true, "{args:?}");
        assert!(
            json["error"].as_str().unwrap().starts_with("error: "),
            "{args:?}"
        );
        // One object, one line.
        assert_eq!(
            run.stdout.trim().lines().count(),
            1,
            "{args:?}: {}",
            run.stdout
        );
        // The message for people is still on stderr.
        assert!(run.stderr.contains("error: "), "{args:?}");
    }
    // Without --json, clap's message alone, same status.
    let run = judge(&["run", EXERCISE, &path, "--seed", "abc"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run
        .stderr
        .contains("invalid value 'abc' for '--seed <SEED>'"));
    // --help with --json is one JSON object too, exit 0.
    let run = judge(&["run", "--help", "--json"]);
    assert_eq!(run.code, 0);
    assert!(run.json()["help"]
        .as_str()
        .unwrap()
        .contains("Usage: judge run"));
    let run = judge(&["--version", "--json"]);
    assert_eq!(run.code, 0);
    assert!(run.json()["version"]
        .as_str()
        .unwrap()
        .starts_with("judge "));
    // A usage error found after parsing (an unknown exercise) is JSON as before.
    let run = judge(&["run", "no-such-exercise", &path, "--json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["verdict"], "judge_error");
}

#[test]
fn twenty_thousand_nested_parentheses_are_a_compile_error_in_json() {
    let dir = tempfile::tempdir().unwrap();
    for (depth, open, close) in [(20_000, "(", ")"), (20_000, "[", "]"), (200_000, "{", "}")] {
        let path = dir.path().join("nested.rs");
        let body = format!("{}0{}", open.repeat(depth), close.repeat(depth));
        std::fs::write(
            &path,
            format!("pub fn longest_substring_k_distinct(_s: &str, _k: usize) -> usize {{ let _x = {body}; 0 }}\n"),
        )
        .unwrap();
        let run = judge_within(
            &["run", EXERCISE, path.to_str().unwrap(), "--json"],
            Duration::from_secs(20),
        );
        assert_eq!(run.code, 1, "{}", run.all());
        let json = run.json();
        assert_eq!(json["verdict"], "compile_error", "{}", run.all());
        let message = json["diagnostics"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("nesting deeper than 256 levels"),
            "{message}"
        );
        // Unclosed, it does not even lex: refused as well, not handed to rustc.
        std::fs::write(&path, open.repeat(depth)).unwrap();
        let run = judge_within(
            &["run", EXERCISE, path.to_str().unwrap(), "--json"],
            Duration::from_secs(20),
        );
        assert_eq!(run.json()["verdict"], "compile_error", "{}", run.all());
    }
}

#[test]
fn a_panic_location_the_submission_makes_up_is_not_shown_as_the_judges() {
    let run = judged(EXERCISE, "report_forged_panic_location", "runtime_error");
    let summary = run.json()["summary"].as_str().unwrap().to_owned();
    // The location it names is quoted as its own; its message is shown once, in the case.
    assert_eq!(
        summary,
        "panicked, naming its own location (judge/src/judging.rs:1:1)"
    );
    assert!(
        run.json()["failure"]["actual"]
            .as_str()
            .unwrap()
            .contains("internal error, your solution is fine"),
        "{}",
        run.all()
    );
    // A real panic keeps its location: in the submission, or in std's sources.
    let run = judged(
        EXERCISE,
        "../../../exercises/k-distinct-substring/submissions/runtime_error/unwrap_on_empty",
        "runtime_error",
    );
    let summary = run.json()["summary"].as_str().unwrap().to_owned();
    assert!(
        summary.starts_with("panicked at tests/fixtures/hostile/../../../exercises/"),
        "{summary}"
    );
}
