// The guest side of every concurrent exercise (`target = "wasm32-wasip1-threads"`): the judge
// places this inside `mod __judge_harness`, followed by the package's `harness.rs`, which
// defines what differs per exercise:
//   type Shared;                                               // the candidate's type
//   fn setup(input: &mut Input<'_>) -> Shared;                 // reads the setup, builds it
//   enum Call;  fn read_call(input: &mut Input<'_>) -> Call;   // one call, as encoded
//   fn apply(shared: &Shared, call: &Call, out: &mut ::std::vec::Vec<u8>); // runs it, encodes the result
// This runs one scenario (wire format: exercises/src/concurrent.rs): each list of calls on
// its own thread (std::thread::scope), all starting together, then the calls after joining
// on this thread, stamping every call with the judge's logical clock as it starts and as it
// returns (unless the input says not to: the throughput workload).

#[link(wasm_import_module = "judge")]
extern "C" {
    fn clock() -> u64;
}

fn stamp(stamped: bool) -> u64 {
    if stamped {
        // SAFETY: a host function without arguments or memory access.
        unsafe { clock() }
    } else {
        0
    }
}

struct Input<'a>(&'a [u8]);

#[allow(dead_code)]
impl Input<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        head
    }
    fn u8(&mut self) -> u8 {
        self.take(1)[0]
    }
    fn u32(&mut self) -> u32 {
        let b = self.take(4);
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
    fn u64(&mut self) -> u64 {
        let b = self.take(8);
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }
}

fn read_calls(input: &mut Input<'_>) -> ::std::vec::Vec<Call> {
    let count = input.u32();
    (0..count).map(|_| read_call(input)).collect()
}

fn run(shared: &Shared, calls: &[Call], stamped: bool) -> ::std::vec::Vec<u8> {
    let mut out = ::std::vec::Vec::with_capacity(calls.len() * 32);
    // Allocated before any call starts, so the guest's allocator (one lock for all
    // threads) never runs inside a call or between calls of the throughput workload.
    let mut result = ::std::vec::Vec::with_capacity(16);
    for call in calls {
        result.clear();
        let invoke = stamp(stamped);
        apply(shared, call, &mut result);
        let response = stamp(stamped);
        if stamped {
            out.extend_from_slice(&invoke.to_le_bytes());
            out.extend_from_slice(&response.to_le_bytes());
        }
        out.extend_from_slice(&result);
    }
    out
}

pub fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
    let mut input = Input(input);
    let stamped = input.u8() == 1;
    let shared = setup(&mut input);
    let threads = input.u32();
    let lists: ::std::vec::Vec<::std::vec::Vec<Call>> =
        (0..threads).map(|_| read_calls(&mut input)).collect();
    let after = read_calls(&mut input);
    let shared_ref = &shared;
    // Every thread starts its calls together: their first calls overlap instead of being
    // staggered by thread start-up.
    let start = ::std::sync::Barrier::new(lists.len());
    let start = &start;
    let outputs: ::std::vec::Vec<::std::vec::Vec<u8>> = ::std::thread::scope(|scope| {
        let handles: ::std::vec::Vec<_> = lists
            .iter()
            .map(|calls| {
                scope.spawn(move || {
                    start.wait();
                    run(shared_ref, calls, stamped)
                })
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
