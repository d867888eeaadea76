// The exercise's part of the guest glue for atomic-counter; the judge's runner for concurrent
// exercises (exercises/src/concurrent_runner.rs) comes before it in `mod __judge_harness`.
// Setup: nothing. Calls: 0 increment_and_get, 1 add_and_get(delta u64), 2 get.
// Result of every call: the u64 it returned.

type Shared = super::AtomicCounter;

fn setup(_input: &mut Input<'_>) -> Shared {
    super::AtomicCounter::new()
}

enum Call {
    IncrementAndGet,
    AddAndGet(u64),
    Get,
}

fn read_call(input: &mut Input<'_>) -> Call {
    match input.u8() {
        0 => Call::IncrementAndGet,
        1 => Call::AddAndGet(input.u64()),
        _ => Call::Get,
    }
}

fn apply(shared: &Shared, call: &Call, out: &mut ::std::vec::Vec<u8>) {
    let value: u64 = match call {
        Call::IncrementAndGet => shared.increment_and_get(),
        Call::AddAndGet(delta) => shared.add_and_get(*delta),
        Call::Get => shared.get(),
    };
    out.extend_from_slice(&value.to_le_bytes());
}
