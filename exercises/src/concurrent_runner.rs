// The guest side of every concurrent exercise (`target = "wasm32-wasip1-threads"`, `runner =
// "concurrent"`): the judge places this inside `mod __judge_harness`, after the shared
// codec's names (`wire`, `Wire`) and the exercise's wire types, and before the package's
// `harness.rs`, which defines what differs per exercise:
//   type Setup;  Op;  Ret;                          // implement `Wire` (usually in wire.rs)
//   type Shared;                                    // the candidate's type
//   fn create(setup: Setup) -> Shared;              // the shared object of a scenario
//   fn apply(shared: &Shared, op: &Op) -> Ret;      // one call, its result
// This runs one scenario (wire format: exercises/src/concurrent.rs): each list of calls on
// its own thread (std::thread::scope), all starting together, then the calls after joining
// on this thread, stamping every call with the judge's logical clock as it starts and as it
// returns (unless the input says not to: the throughput workload).

#[cfg(not(judge_miri))]
#[link(wasm_import_module = "judge")]
unsafe extern "C" {
    fn clock() -> u64;
}

// The memory-model tier (judge/src/miri.rs) runs this runner natively under Miri, built
// with `--cfg judge_miri`: one SeqCst counter is the logical clock. Every stamp is a
// read-modify-write of it, so the stamps' order is the order in which the interpreter ran
// them (a valid real-time order), and a call that returned before another started
// happens-before it, as on a machine whose clock is a shared atomic.
#[cfg(judge_miri)]
unsafe fn clock() -> u64 {
    static CLOCK: ::std::sync::atomic::AtomicU64 = ::std::sync::atomic::AtomicU64::new(1);
    CLOCK.fetch_add(1, ::std::sync::atomic::Ordering::SeqCst)
}

fn stamp(stamped: bool) -> u64 {
    if stamped {
        // SAFETY: a host function without arguments or memory access.
        unsafe { clock() }
    } else {
        0
    }
}

fn run(shared: &Shared, calls: &[Op], stamped: bool) -> ::std::vec::Vec<u8> {
    // Allocated before any call starts, so the guest's allocator (one lock for all
    // threads) seldom runs between calls of the throughput workload, and never inside one.
    let mut out = ::std::vec::Vec::with_capacity(calls.len() * 32);
    for call in calls {
        let invoke = stamp(stamped);
        let ret: Ret = apply(shared, call);
        let response = stamp(stamped);
        if stamped {
            Wire::put(&invoke, &mut out);
            Wire::put(&response, &mut out);
        }
        Wire::put(&ret, &mut out);
    }
    out
}

fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
    let (stamped, setup, lists, after): (
        bool,
        Setup,
        ::std::vec::Vec<::std::vec::Vec<Op>>,
        ::std::vec::Vec<Op>,
    ) = wire::from_bytes(input).expect("the judge's input");
    let shared = create(setup);
    let shared_ref = &shared;
    // Every thread starts its calls together: their first calls overlap instead of being
    // staggered by thread start-up.
    let start = ::std::sync::Barrier::new(lists.len());
    let start = &start;
    let outputs: ::std::vec::Vec<::std::vec::Vec<u8>> = ::std::thread::scope(|scope| {
        let handles: ::std::vec::Vec<_> = lists
            .iter()
            .enumerate()
            .map(|(_i, calls)| {
                let body = move || {
                    start.wait();
                    run(shared_ref, calls, stamped)
                };
                // Under Miri, threads carry the report's names ("thread 1" ...), which its
                // findings quote.
                #[cfg(judge_miri)]
                let handle = ::std::thread::Builder::new()
                    .name(::std::format!("thread {}", _i + 1))
                    .spawn_scoped(scope, body)
                    .expect("a thread");
                #[cfg(not(judge_miri))]
                let handle = scope.spawn(body);
                handle
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut out = outputs.concat();
    out.extend_from_slice(&run(&shared, &after, stamped));
    out
}

// The statement's contract, checked at compile time: the type is shared between threads.
#[allow(dead_code)]
fn shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Shared>();
}
