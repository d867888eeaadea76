// The exercise's part of the guest glue for striped-counter; the judge's runner for concurrent
// exercises (exercises/src/concurrent_runner.rs) and `Op`/`Ret` (wire.rs) come before it in
// `mod __judge_harness`.

type Setup = ();
type Shared = super::StripedCounter;

fn create(_: Setup) -> Shared {
    super::StripedCounter::new()
}

fn apply(shared: &Shared, op: &Op) -> Ret {
    match op {
        Op::Increment => {
            let () = shared.increment();
            Ret::Done
        }
        Op::Add(delta) => {
            let () = shared.add(*delta);
            Ret::Done
        }
        Op::Sum => {
            let value: u64 = shared.sum();
            Ret::Sum(value)
        }
    }
}
