//! Fuzz targets for the worker protocol: whatever bytes come down the pipe, decoding a frame
//! returns a message or an error, allocates no more than the bytes that arrived, and the
//! serving loop answers or stops.
//!
//! Each target runs `JUDGE_FUZZ_CASES` cases (default 256) from the seed `JUDGE_FUZZ_SEED`
//! (default fixed, so the suite is reproducible): `JUDGE_FUZZ_CASES=100000 cargo test -p
//! judge-sandbox --lib worker::fuzz` runs them longer.

use super::{read_frame, serve_on, write_frame, Request, Response, FRAME_PREALLOCATED, MAX_FRAME};
use crate::threads::{Mode, ThreadedReport};
use crate::{CallReport, Fault, Limits, LoadError, Location, SandboxError};
use judge_core::{Event, Schedule, SiteInfo, Step, Strategy as Scheduling};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn config(default_cases: u32) -> Config {
    let var = |name| std::env::var(name).ok();
    Config {
        cases: var("JUDGE_FUZZ_CASES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_cases),
        rng_seed: RngSeed::Fixed(
            var("JUDGE_FUZZ_SEED")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0x3012),
        ),
        // A failure prints its (shrunk) input; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// One of each message shape, with edge values in its fields.
fn requests() -> Vec<Request> {
    let limits = Limits::default();
    let odd = Limits {
        memory_bytes: u64::MAX,
        fuel: 0,
        output_bytes: u64::MAX,
        wall: Duration::new(u64::MAX, 999_999_999),
    };
    vec![
        Request::Load {
            slot: 0,
            wasm_path: "/tmp/x.wasm".into(),
            cache_dir: Some("/tmp/cache".into()),
        },
        Request::Load {
            slot: 255,
            wasm_path: "".into(),
            cache_dir: None,
        },
        Request::Call {
            slot: 1,
            input: b"input".to_vec(),
            limits,
            seed: u64::MAX,
        },
        Request::Call {
            slot: 0,
            input: vec![0; 300],
            limits: odd,
            seed: 0,
        },
        Request::CallThreaded {
            slot: 1,
            input: vec![7; 3],
            limits,
            mode: Mode::Free { seed: 5 },
        },
        Request::CallThreaded {
            slot: 0,
            input: Vec::new(),
            limits: odd,
            mode: Mode::Scheduled(Schedule {
                strategy: Scheduling::Pct {
                    depth: 3,
                    expected_steps: 1_000,
                },
                seed: 1,
                fuel_slice: 10_000,
            }),
        },
    ]
}

fn responses() -> Vec<Response> {
    let report = |result| CallReport {
        result,
        fuel: u64::MAX,
        nanos: 12,
        stdout: b"out\x1b[2J".to_vec(),
        stderr: vec![0xff; 20],
    };
    let mut sites = std::collections::BTreeMap::new();
    sites.insert(
        3,
        SiteInfo {
            what: "atomic load".into(),
            function: "solution::f".into(),
        },
    );
    vec![
        Response::Loaded,
        Response::Called(report(Ok(b"answer".to_vec()))),
        Response::Called(report(Err(Fault::Panic {
            message: "boom 🦀".into(),
            location: Some(Location {
                file: "solution.rs".into(),
                line: 1,
                column: u32::MAX,
            }),
        }))),
        Response::Called(report(Err(Fault::MemoryLimit {
            requested_bytes: u64::MAX,
        }))),
        Response::Overran(report(Err(Fault::WallClock))),
        Response::CalledThreaded(Box::new(ThreadedReport {
            call: report(Err(Fault::Deadlock {
                threads: vec![(0, None), (1, Some(3))],
                locks: Some(Box::new(judge_core::LockReport {
                    threads: vec![judge_core::LockedThread {
                        thread: 1,
                        holds: vec![judge_core::LockUse {
                            address: u64::MAX,
                            function: "\u{202e}f".into(),
                        }],
                        waits_for: None,
                        holder: Some(u32::MAX),
                    }],
                    cycle: vec![1, 1],
                    steps: vec![judge_core::LockStep {
                        thread: 1,
                        event: judge_core::LockEvent::Stamp(u32::MAX),
                        function: String::new(),
                    }],
                    earlier_steps: u64::MAX,
                })),
            })),
            threads: 2,
            steps: 9,
            trace: vec![
                Step {
                    thread: 0,
                    event: Event::Site(3),
                },
                Step {
                    thread: 1,
                    event: Event::Clock(u64::MAX),
                },
            ],
            sites,
            leftover_threads: true,
            contention: judge_core::Contention {
                updates: u64::MAX,
                contended: 1,
            },
        })),
        Response::Failed(SandboxError::Refused(LoadError::UnknownImport {
            module: "env".into(),
            name: "secret".into(),
        })),
        Response::Failed(SandboxError::Cache {
            path: "/x".into(),
            message: "no".into(),
        }),
        Response::Failed(SandboxError::NoSlot(9)),
        Response::Failed(SandboxError::WrongKind { threaded: true }),
    ]
}

fn frames<T: serde::Serialize>(messages: &[T], pick: &[Index]) -> Vec<u8> {
    let mut stream = Vec::new();
    for i in pick {
        write_frame(&mut stream, &messages[i.index(messages.len())]).unwrap();
    }
    stream
}

/// Decodes frames until the stream ends or one fails; how many decoded, and whether it
/// ended cleanly.
fn decode_all<T: for<'de> serde::Deserialize<'de>>(mut bytes: &[u8]) -> (usize, bool) {
    let mut count = 0;
    loop {
        match read_frame::<T>(&mut bytes) {
            Ok(Some(_)) => count += 1,
            Ok(None) => return (count, true),
            Err(_) => return (count, false),
        }
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Flip(Index, u8),
    Insert(Index, u8),
    Delete(Index),
    Truncate(Index),
    /// Overwrites 4 bytes (a length prefix, when it lands on one).
    Length(Index, u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    let length = prop_oneof![
        Just(0u32),
        Just(MAX_FRAME),
        Just(MAX_FRAME + 1),
        Just(u32::MAX),
        0..64u32,
        any::<u32>()
    ];
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => any::<Index>().prop_map(Edit::Delete),
        1 => any::<Index>().prop_map(Edit::Truncate),
        2 => (any::<Index>(), length).prop_map(|(i, n)| Edit::Length(i, n)),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let n = bytes.len();
        match *edit {
            Edit::Flip(ref i, b) if n > 0 => bytes[i.index(n)] ^= b.max(1),
            Edit::Insert(ref i, b) => bytes.insert(i.index(n + 1), b),
            Edit::Delete(ref i) if n > 0 => {
                bytes.remove(i.index(n));
            }
            Edit::Truncate(ref i) => bytes.truncate(i.index(n + 1)),
            Edit::Length(ref i, len) if n >= 4 => {
                let at = i.index(n - 3);
                bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
            }
            _ => {}
        }
    }
    bytes
}

/// A reader over `bytes` that records the largest buffer it was asked to fill: what reading
/// a frame had allocated by then.
struct Recording<'a> {
    bytes: &'a [u8],
    largest: usize,
}

impl Read for Recording<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.largest = self.largest.max(buf.len());
        self.bytes.read(buf)
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        decode_all::<Request>(&bytes);
        decode_all::<Response>(&bytes);
    }

    /// Frames that announce a plausible length, with arbitrary contents.
    #[test]
    fn arbitrary_frames(body in proptest::collection::vec(any::<u8>(), 0..512), slack in 0..3usize) {
        let mut bytes = ((body.len() + slack) as u32).to_le_bytes().to_vec();
        bytes.extend(&body);
        let requests = decode_all::<Request>(&bytes);
        let responses = decode_all::<Response>(&bytes);
        if slack > 0 {
            prop_assert_eq!(requests, (0, false));
            prop_assert_eq!(responses, (0, false));
        }
    }

    #[test]
    fn valid_streams_round_trip(pick in proptest::collection::vec(any::<Index>(), 0..12)) {
        let stream = frames(&requests(), &pick);
        let mut rest = &stream[..];
        let mut again = Vec::new();
        while let Some(request) = read_frame::<Request>(&mut rest).unwrap() {
            write_frame(&mut again, &request).unwrap();
        }
        prop_assert_eq!(&again, &stream);
        let stream = frames(&responses(), &pick);
        prop_assert_eq!(decode_all::<Response>(&stream), (pick.len(), true));
    }

    #[test]
    fn mutated_streams(pick in proptest::collection::vec(any::<Index>(), 1..6), edits in proptest::collection::vec(edit(), 1..6)) {
        decode_all::<Request>(&mutate(frames(&requests(), &pick), &edits));
        decode_all::<Response>(&mutate(frames(&responses(), &pick), &edits));
    }

    /// A stream cut inside a frame is an error, never a clean end or a message.
    #[test]
    fn truncated_frames_are_errors(which in any::<Index>(), cut in any::<Index>()) {
        let frame = frames(&responses(), &[which]);
        let cut = 1 + cut.index(frame.len() - 1);
        let mut bytes = &frame[..cut];
        prop_assert!(read_frame::<Response>(&mut bytes).is_err(), "cut at {cut} of {}", frame.len());
    }

    /// A length prefix alone, however large, does not make the reader allocate it.
    #[test]
    fn length_prefixes_allocate_little(len in prop_oneof![Just(MAX_FRAME), Just(u32::MAX), any::<u32>(), 0..4096u32], tail in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let mut bytes = len.to_le_bytes().to_vec();
        bytes.extend(&tail);
        let mut reader = Recording { bytes: &bytes, largest: 0 };
        let result = read_frame::<Response>(&mut reader);
        if len as usize > tail.len() {
            prop_assert!(result.is_err());
        }
        prop_assert!(reader.largest <= FRAME_PREALLOCATED as usize, "asked to fill {} bytes", reader.largest);
    }
}

/// An in-memory response stream the serving loop can own.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Limits the serving loop may be sent. The wall clock stays at least a day: a call past it
/// ends the process (the watchdog's `_exit(0)`), which here is the test binary, and a call
/// that panics leaves its watchdog armed. `Duration::MAX` only for plain calls: see
/// `a_threaded_call_with_the_longest_wall_clock_is_answered`.
fn limits(threaded: bool) -> impl Strategy<Value = Limits> {
    const DAY: u64 = 86_400;
    let longest = if threaded {
        Duration::from_millis(u64::MAX)
    } else {
        Duration::MAX
    };
    let wall = prop_oneof![
        Just(Duration::from_secs(DAY)),
        Just(Duration::from_millis(u64::MAX)),
        Just(longest),
        (DAY..u64::MAX / 1000).prop_map(Duration::from_secs),
    ];
    let memory = prop_oneof![Just(0u64), Just(64 << 10), Just(1 << 20), any::<u64>()];
    // Bounded fuel: a changed byte could make a guest loop, and the wall clock is a day.
    let fuel = prop_oneof![Just(0u64), Just(1), Just(1_000), Just(10_000_000)];
    (memory, fuel, any::<u64>(), wall).prop_map(|(memory_bytes, fuel, output_bytes, wall)| Limits {
        memory_bytes,
        fuel,
        output_bytes,
        wall,
    })
}

fn mode() -> impl Strategy<Value = Mode> {
    // Bounded depth: the scheduler draws `depth - 1` change points up front.
    let strategy = prop_oneof![
        Just(Scheduling::Random),
        (0..64u32, any::<u64>()).prop_map(|(depth, expected_steps)| Scheduling::Pct {
            depth,
            expected_steps
        }),
    ];
    prop_oneof![
        any::<u64>().prop_map(|seed| Mode::Free { seed }),
        (
            strategy,
            any::<u64>(),
            prop_oneof![Just(0u64), Just(1), 1..u64::MAX]
        )
            .prop_map(|(strategy, seed, fuel_slice)| Mode::Scheduled(Schedule {
                strategy,
                seed,
                fuel_slice
            })),
    ]
}

/// A request for the serving loop: loads of the test guests (plain or threaded, whole or
/// with a byte changed) into any slot, calls of any slot with any limits.
#[derive(Clone, Debug)]
enum Sent {
    Load {
        slot: u8,
        threaded: bool,
        flip: Option<(Index, u8)>,
    },
    Call {
        slot: u8,
        input: Vec<u8>,
        limits: Limits,
        seed: u64,
    },
    CallThreaded {
        slot: u8,
        input: Vec<u8>,
        limits: Limits,
        mode: Mode,
    },
    Garbage(Vec<u8>),
}

/// Mostly the plain guest into slot 0 and the threaded one into slot 1, mostly unchanged.
fn load() -> impl Strategy<Value = Sent> {
    (
        0..2u8,
        prop::bool::weighted(0.8),
        proptest::option::weighted(0.2, (any::<Index>(), any::<u8>())),
    )
        .prop_map(|(slot, usual, flip)| Sent::Load {
            slot,
            threaded: (slot == 1) == usual,
            flip,
        })
}

fn sent() -> impl Strategy<Value = Sent> {
    let slot = prop_oneof![4 => 0..2u8, 1 => any::<u8>()];
    let input = proptest::collection::vec(any::<u8>(), 0..64);
    prop_oneof![
        2 => (slot.clone(), any::<bool>(), proptest::option::of((any::<Index>(), any::<u8>())))
            .prop_map(|(slot, threaded, flip)| Sent::Load { slot, threaded, flip }),
        3 => (slot.clone(), input.clone(), limits(false), any::<u64>())
            .prop_map(|(slot, input, limits, seed)| Sent::Call { slot, input, limits, seed }),
        2 => (slot, input, limits(true), mode())
            .prop_map(|(slot, input, limits, mode)| Sent::CallThreaded { slot, input, limits, mode }),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Sent::Garbage),
    ]
}

proptest! {
    // Each case starts a wasm engine: fewer cases.
    #![proptest_config(config(24))]

    /// The serving loop answers every request it can decode, in order, with a frame the
    /// parent can decode, and stops at the first it cannot.
    #[test]
    fn serving_loop(first in proptest::collection::vec(load(), 0..3), then in proptest::collection::vec(sent(), 1..6)) {
        let sent: Vec<Sent> = first.into_iter().chain(then).collect();
        let dir = tempfile::tempdir().unwrap();
        let mut stream = Vec::new();
        let mut decodable = 0;
        let mut undecodable = false;
        for (n, request) in sent.iter().enumerate() {
            let request = match request {
                Sent::Load { slot, threaded, flip } => {
                    let mut wasm = crate::test_guest::guest(*threaded, None, b"data", |f| {
                        crate::test_guest::write_ten(f);
                    });
                    if let Some((at, b)) = flip {
                        let at = at.index(wasm.len());
                        wasm[at] ^= b.max(&1);
                    }
                    let path = dir.path().join(format!("{n}.wasm"));
                    std::fs::write(&path, wasm).unwrap();
                    Request::Load { slot: *slot, wasm_path: path, cache_dir: None }
                }
                Sent::Call { slot, input, limits, seed } => Request::Call {
                    slot: *slot, input: input.clone(), limits: *limits, seed: *seed,
                },
                Sent::CallThreaded { slot, input, limits, mode } => Request::CallThreaded {
                    slot: *slot, input: input.clone(), limits: *limits, mode: *mode,
                },
                Sent::Garbage(bytes) => {
                    let mut frame = (bytes.len() as u32).to_le_bytes().to_vec();
                    frame.extend(bytes);
                    // Garbage that happens to decode could name any path or wall clock.
                    if read_frame::<Request>(&mut &frame[..]).is_ok() {
                        continue;
                    }
                    stream.extend(frame);
                    undecodable = true;
                    break;
                }
            };
            write_frame(&mut stream, &request).unwrap();
            decodable += 1;
        }
        let out = Shared::default();
        let served = serve_on(&mut &stream[..], out.clone());
        let answers = out.0.lock().unwrap().clone();
        let (count, clean) = decode_all::<Response>(&answers);
        prop_assert!(clean, "an answer did not decode");
        // A threaded call that leaves threads running ends the loop early, on purpose.
        prop_assert!(count <= decodable, "{count} answers to {decodable} requests");
        if !undecodable {
            prop_assert!(served.is_ok(), "{:?}", served.unwrap_err());
        }
    }
}

/// The huge-length target can fail: a reader that allocated the announced length would be
/// caught by it.
#[test]
fn the_recording_reader_sees_a_buffer_the_size_of_the_request() {
    let mut reader = Recording {
        bytes: &[0; 100],
        largest: 0,
    };
    let mut buf = vec![0; 1 << 20];
    let _ = reader.read(&mut buf);
    assert_eq!(reader.largest, 1 << 20);
}

/// Loads the plain test guest into slot 0 and the threaded one into slot 1, sends `then`,
/// and returns the answers to `then`.
fn serve(then: &[Request]) -> Vec<Response> {
    let dir = tempfile::tempdir().unwrap();
    let mut stream = Vec::new();
    for (slot, threaded) in [(0u8, false), (1, true)] {
        let path = dir.path().join(format!("{slot}.wasm"));
        let wasm = crate::test_guest::guest(threaded, None, crate::test_guest::TEN_BYTES, |f| {
            crate::test_guest::write_ten(f)
        });
        std::fs::write(&path, wasm).unwrap();
        let load = Request::Load {
            slot,
            wasm_path: path,
            cache_dir: None,
        };
        write_frame(&mut stream, &load).unwrap();
    }
    for request in then {
        write_frame(&mut stream, request).unwrap();
    }
    let out = Shared::default();
    serve_on(&mut &stream[..], out.clone()).unwrap();
    let answers = out.0.lock().unwrap().clone();
    let mut answers = &answers[..];
    let mut all = Vec::new();
    while let Some(answer) = read_frame::<Response>(&mut answers).unwrap() {
        all.push(answer);
    }
    assert!(matches!(all[..2], [Response::Loaded, Response::Loaded]));
    all.split_off(2)
}

/// What the serving-loop target reaches: calls answered, with wall clocks no `Instant` can
/// hold (which panicked in the watchdog's arming).
#[test]
fn the_serving_loop_answers_calls_with_endless_wall_clocks() {
    let call = |wall| Request::Call {
        slot: 0,
        input: Vec::new(),
        limits: Limits {
            wall,
            ..Limits::default()
        },
        seed: 1,
    };
    let threaded = Request::CallThreaded {
        slot: 1,
        input: Vec::new(),
        limits: Limits {
            wall: Duration::from_millis(u64::MAX),
            ..Limits::default()
        },
        mode: Mode::Free { seed: 1 },
    };
    let answers = serve(&[
        call(Duration::MAX),
        call(Duration::from_millis(u64::MAX)),
        threaded,
    ]);
    assert_eq!(answers.len(), 3);
    for answer in &answers[..2] {
        assert!(
            matches!(answer, Response::Called(CallReport { result: Ok(_), stdout, .. }) if stdout == b"0123456789")
        );
    }
    assert!(matches!(answers[2], Response::CalledThreaded(_)));
}

/// Found by `serving_loop`: a threaded call with `Duration::MAX` as its wall clock
/// overflowed computing its epoch deadline in sandbox/src/threads.rs and panicked the worker;
/// the deadline now saturates.
#[test]
fn a_threaded_call_with_the_longest_wall_clock_is_answered() {
    let threaded = Request::CallThreaded {
        slot: 1,
        input: Vec::new(),
        limits: Limits {
            wall: Duration::MAX,
            ..Limits::default()
        },
        mode: Mode::Free { seed: 1 },
    };
    assert!(matches!(
        serve(&[threaded])[..],
        [Response::CalledThreaded(_)]
    ));
}

/// A frame holds exactly one message: bytes after it are not read as the start of another.
#[test]
fn a_frame_with_bytes_after_its_message_is_refused() {
    let mut frame = Vec::new();
    write_frame(&mut frame, &Response::Loaded).unwrap();
    assert!(read_frame::<Response>(&mut &frame[..]).unwrap().is_some());
    frame[0] += 1;
    frame.push(0);
    let Err(error) = read_frame::<Response>(&mut &frame[..]) else {
        panic!("a frame with a byte after its message decoded");
    };
    assert!(
        error.to_string().contains("1 bytes after the message"),
        "{error}"
    );
}
