//! The scheduler on real `wasm32-wasip1-threads` guests built by rustc.

use judge_sandbox::threads::{Event, LockEvent, Mode, Schedule, Strategy};
use judge_sandbox::{Fault, Limits, Sandbox, SandboxOptions, ThreadedProgram};
use std::process::Command;
use std::time::Duration;

/// Builds `body` (which defines `fn run(input: &[u8]) -> Vec<u8>`) with the call ABI.
fn guest(body: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("g.rs");
    let out = dir.path().join("g.wasm");
    let abi = r#"
#[no_mangle]
pub extern "C" fn judge_alloc(len: u32) -> *mut u8 {
    init();
    let mut buf = Vec::<u8>::with_capacity(len as usize);
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}
#[no_mangle]
pub extern "C" fn judge_call(ptr: *mut u8, len: u32) -> u64 {
    init();
    let input = unsafe { Vec::from_raw_parts(ptr, len as usize, len as usize) };
    let output = std::mem::ManuallyDrop::new(run(&input).into_boxed_slice());
    ((output.as_ptr() as u64) << 32) | output.len() as u64
}
fn init() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    extern "C" { fn __wasi_init_tp(); }
    if !DONE.swap(true, Ordering::SeqCst) { unsafe { __wasi_init_tp() } }
}
#[link(wasm_import_module = "judge")]
extern "C" { fn clock() -> u64; }
#[allow(dead_code)]
fn now() -> u64 { unsafe { clock() } }
"#;
    std::fs::write(&src, format!("{abi}\n{body}")).unwrap();
    let status = Command::new("rustc")
        .args([
            "--edition=2021",
            "--crate-type=cdylib",
            "--target=wasm32-wasip1-threads",
        ])
        .args(["-O", "-Cpanic=abort", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(out).unwrap()
}

fn load(wasm: &[u8]) -> ThreadedProgram {
    let sandbox = Sandbox::new(SandboxOptions::default()).unwrap();
    sandbox.load_threaded(wasm).unwrap()
}

fn limits() -> Limits {
    Limits {
        wall: Duration::from_secs(10),
        ..Limits::default()
    }
}

fn scheduled(seed: u64) -> Mode {
    Mode::Scheduled(Schedule {
        strategy: Strategy::Random,
        seed,
        fuel_slice: 1_000,
    })
}

const RACY: &str = r#"
use std::sync::atomic::{AtomicU64, Ordering};
static COUNTER: AtomicU64 = AtomicU64::new(0);
fn bump() {
    let v = COUNTER.load(Ordering::SeqCst);
    COUNTER.store(v + 1, Ordering::SeqCst);
}
fn run(_input: &[u8]) -> Vec<u8> {
    COUNTER.store(0, Ordering::SeqCst);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| for _ in 0..20 { bump() });
        }
    });
    COUNTER.load(Ordering::SeqCst).to_le_bytes().to_vec()
}
"#;

fn count(out: &[u8]) -> u64 {
    u64::from_le_bytes(out.try_into().unwrap())
}

#[test]
fn a_racy_counter_loses_updates_under_most_schedules_and_replays_exactly() {
    let program = load(&guest(RACY));
    let mut lost = 0;
    for seed in 0..20 {
        let report = program.call(&[], &limits(), scheduled(seed));
        let out = report
            .call
            .result
            .clone()
            .unwrap_or_else(|f| panic!("{f:?}"));
        if count(&out) < 60 {
            lost += 1;
        }
        assert_eq!(report.threads, 4);
        let again = program.call(&[], &limits(), scheduled(seed));
        assert_eq!(again.call.result, report.call.result);
        assert_eq!(again.trace, report.trace, "same seed, same decisions");
        assert_eq!(again.call.fuel, report.call.fuel);
    }
    assert!(lost >= 18, "lost updates under only {lost} of 20 schedules");
}

#[test]
fn a_mutex_counter_never_loses_updates() {
    let program = load(&guest(
        r#"
use std::sync::Mutex;
fn run(_input: &[u8]) -> Vec<u8> {
    let m = Mutex::new(0u64);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| for _ in 0..20 { *m.lock().unwrap() += 1; });
        }
    });
    m.into_inner().unwrap().to_le_bytes().to_vec()
}
"#,
    ));
    // The lock must actually be contended: under some of the schedules a spawned thread
    // finds it held and waits (the main thread parks in the scope's join under almost
    // every schedule, so its waits say nothing about the mutex).
    let mut contended = Vec::new();
    for seed in 0..10 {
        let report = program.call(&[], &limits(), scheduled(seed));
        let out = report.call.result.unwrap_or_else(|f| panic!("{f:?}"));
        assert_eq!(count(&out), 60);
        if report
            .trace
            .iter()
            .any(|s| s.thread > 0 && matches!(s.event, Event::Blocked(_)))
        {
            contended.push(seed);
        }
    }
    // 4 of 10 (seeds 0, 6, 7, 9) with rustc 1.95's futex mutex.
    assert!(
        contended.len() >= 2,
        "a spawned thread waited for the lock under only {contended:?} of 10 schedules"
    );
    let free = program.call(&[], &limits(), Mode::Free { seed: 1 });
    assert_eq!(count(&free.call.result.unwrap()), 60);
}

#[test]
fn a_self_deadlock_is_reported_not_hung() {
    let program = load(&guest(
        r#"
use std::sync::Mutex;
fn run(_input: &[u8]) -> Vec<u8> {
    let m = Mutex::new(0u64);
    let a = m.lock().unwrap();
    let b = m.lock().unwrap();
    vec![*a as u8, *b as u8]
}
"#,
    ));
    let report = program.call(&[], &limits(), scheduled(7));
    assert!(
        matches!(report.call.result, Err(Fault::Deadlock { ref threads, .. }) if threads.len() == 1),
        "{:?}",
        report.call.result
    );
}

#[test]
fn sleeping_threads_run_in_virtual_time() {
    let program = load(&guest(
        r#"
fn run(_input: &[u8]) -> Vec<u8> {
    std::thread::scope(|s| {
        s.spawn(|| std::thread::sleep(std::time::Duration::from_secs(3600)));
    });
    vec![1]
}
"#,
    ));
    let started = std::time::Instant::now();
    let report = program.call(&[], &limits(), scheduled(3));
    assert_eq!(report.call.result, Ok(vec![1]));
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Four threads each making `n` `fetch_add`s: on one shared atomic, or each on its own
/// padded one.
fn adders(shared: bool) -> String {
    format!(
        r#"
use std::sync::atomic::{{AtomicU64, Ordering}};
#[repr(align(64))]
struct Line(AtomicU64);
static LINES: [Line; 4] = [const {{ Line(AtomicU64::new(0)) }}; 4];
fn run(_input: &[u8]) -> Vec<u8> {{
    std::thread::scope(|s| {{
        for t in 0..4 {{
            s.spawn(move || for _ in 0..200 {{
                LINES[if {shared} {{ 0 }} else {{ t }}].0.fetch_add(1, Ordering::SeqCst);
            }});
        }}
    }});
    let total: u64 = LINES.iter().map(|l| l.0.load(Ordering::SeqCst)).sum();
    total.to_le_bytes().to_vec()
}}
"#
    )
}

#[test]
fn contention_counts_updates_of_a_line_another_thread_wrote_last() {
    let figure = |shared: bool| {
        let program = load(&guest(&adders(shared)));
        let report = program.call(&[], &limits(), scheduled(5));
        assert_eq!(count(&report.call.result.clone().unwrap()), 800);
        let again = program.call(&[], &limits(), scheduled(5));
        assert_eq!(again.contention, report.contention, "the same on every run");
        let c = report.contention;
        assert!(c.updates >= 800, "{c:?}");
        c.contended as f64 / 800.0
    };
    // Four threads on one line under uniform random schedules: about 3 in 4 updates find
    // the line last written by another thread. Each on its own line: only the start-up
    // (spawning, the scope's join) contends.
    let (shared, own) = (figure(true), figure(false));
    assert!(shared > 0.6, "one shared atomic: {shared}");
    assert!(own < 0.1, "one atomic per thread: {own}");
    // Free runs count nothing.
    let program = load(&guest(&adders(true)));
    let free = program.call(&[], &limits(), Mode::Free { seed: 1 });
    assert_eq!(free.contention, Default::default());
}

/// Two threads taking two locks, in opposite orders or in the same order.
fn two_locks(opposite: bool) -> String {
    format!(
        r#"
use std::sync::Mutex;
#[inline(never)]
fn forward(a: &Mutex<u64>, b: &Mutex<u64>) {{
    let mut x = a.lock().unwrap();
    let mut y = b.lock().unwrap();
    *x += 1;
    *y += 1;
}}
#[inline(never)]
fn backward(a: &Mutex<u64>, b: &Mutex<u64>) {{
    let mut y = b.lock().unwrap();
    let mut x = a.lock().unwrap();
    *x += 1;
    *y += 1;
}}
fn run(_input: &[u8]) -> Vec<u8> {{
    let (a, b) = (Mutex::new(0u64), Mutex::new(0u64));
    let start = std::sync::Barrier::new(2);
    std::thread::scope(|s| {{
        s.spawn(|| {{
            start.wait();
            for _ in 0..3 {{ forward(&a, &b) }}
        }});
        s.spawn(|| {{
            start.wait();
            for _ in 0..3 {{ if {opposite} {{ backward(&a, &b) }} else {{ forward(&a, &b) }} }}
        }});
    }});
    let (x, y) = (*a.lock().unwrap(), *b.lock().unwrap());
    vec![x as u8, y as u8]
}}
"#
    )
}

#[test]
fn a_deadlock_names_the_locks_each_thread_holds_and_waits_for() {
    let program = load(&guest(&two_locks(true)));
    let mut found = None;
    for seed in 0..40 {
        let report = program.call(&[], &limits(), scheduled(seed));
        if let Err(Fault::Deadlock { threads, locks }) = report.call.result {
            found = Some((seed, threads, locks));
            break;
        }
    }
    let (seed, threads, locks) =
        found.expect("opposite lock orders deadlock under some of 40 schedules");
    let locks = locks.unwrap_or_else(|| panic!("seed {seed}: no lock report"));
    // The main thread waits in the scope's join; threads 1 and 2 wait for each other.
    assert_eq!(threads.len(), 3, "{threads:?}");
    let mut cycle = locks.cycle.clone();
    cycle.sort_unstable();
    assert_eq!(cycle, [1, 2], "{locks:#?}");
    let thread = |t: u32| locks.threads.iter().find(|x| x.thread == t).unwrap();
    let (one, two) = (thread(1), thread(2));
    assert_eq!(one.holds.len(), 1, "{locks:#?}");
    assert_eq!(two.holds.len(), 1, "{locks:#?}");
    assert_eq!(
        one.waits_for.as_ref().unwrap().address,
        two.holds[0].address
    );
    assert_eq!(
        two.waits_for.as_ref().unwrap().address,
        one.holds[0].address
    );
    assert_eq!((one.holder, two.holder), (Some(2), Some(1)));
    assert!(
        thread(0).waits_for.is_none(),
        "a join is no lock: {locks:#?}"
    );
    // The function that took each lock: forward or backward (std's lock fast path is
    // inlined into them).
    for t in [one, two] {
        let f = &t.holds[0].function;
        assert!(f.ends_with("forward") || f.ends_with("backward"), "{f}");
    }
    // The steps end with both threads' waits, each after its thread took its lock.
    let events: Vec<_> = locks.steps.iter().map(|s| (s.thread, s.event)).collect();
    let [.., (w1, LockEvent::Waits(_)), (w2, LockEvent::Waits(_))] = events[..] else {
        panic!("{events:?}")
    };
    assert_eq!([w1.min(w2), w1.max(w2)], [1, 2]);
    for t in [one, two] {
        let taken = events
            .iter()
            .position(|e| *e == (t.thread, LockEvent::Locked(t.holds[0].address)));
        assert!(taken.is_some(), "{events:?}");
    }
}

#[test]
fn two_locks_taken_in_one_order_never_deadlock() {
    let program = load(&guest(&two_locks(false)));
    for seed in 0..40 {
        let report = program.call(&[], &limits(), scheduled(seed));
        assert_eq!(report.call.result, Ok(vec![6, 6]), "seed {seed}");
    }
}

#[test]
fn a_self_deadlock_is_a_cycle_of_one() {
    let program = load(&guest(
        r#"
use std::sync::Mutex;
fn run(_input: &[u8]) -> Vec<u8> {
    let m = Mutex::new(0u64);
    let a = m.lock().unwrap();
    let b = m.lock().unwrap();
    vec![*a as u8, *b as u8]
}
"#,
    ));
    let report = program.call(&[], &limits(), scheduled(7));
    let Err(Fault::Deadlock {
        locks: Some(locks), ..
    }) = report.call.result
    else {
        panic!("{:?}", report.call.result)
    };
    assert_eq!(locks.cycle, [0]);
    let main = &locks.threads[0];
    assert_eq!(main.holder, Some(0));
    assert_eq!(main.holds.len(), 1);
    assert_eq!(
        main.waits_for.as_ref().unwrap().address,
        main.holds[0].address
    );
}
