// The exercise's part of the guest glue for striped-counter; the judge's runner for concurrent
// exercises (exercises/src/concurrent_runner.rs) comes before it in `mod __judge_harness`.
// Setup: nothing. Calls: 0 increment, 1 add(delta u64), 2 sum.
// Result: for sum the u64 it returned; nothing for the others.

type Shared = super::StripedCounter;

fn setup(_input: &mut Input<'_>) -> Shared {
    super::StripedCounter::new()
}

enum Call {
    Increment,
    Add(u64),
    Sum,
}

fn read_call(input: &mut Input<'_>) -> Call {
    match input.u8() {
        0 => Call::Increment,
        1 => Call::Add(input.u64()),
        _ => Call::Sum,
    }
}

fn apply(shared: &Shared, call: &Call, out: &mut ::std::vec::Vec<u8>) {
    match call {
        Call::Increment => shared.increment(),
        Call::Add(delta) => shared.add(*delta),
        Call::Sum => {
            let value: u64 = shared.sum();
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
}
