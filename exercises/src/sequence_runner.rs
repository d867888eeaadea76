// The guest side of a sequence exercise (`runner = "sequence"` in exercise.toml): the judge
// places this inside `mod __judge_harness`, after the shared codec's names (`wire`, `Wire`)
// and the exercise's wire types (`wire.rs`), and before the package's `harness.rs`, which
// defines what differs per exercise:
//   type Setup;  enum Op;  enum Ret;            // implement `Wire` (usually in wire.rs)
//   type Object;                                // the candidate's type
//   fn create(setup: Setup) -> Object;          // the object every sequence starts from
//   fn apply(object: &mut Object, op: Op) -> Ret;  // one call, its result
// One hidden test is `(Setup, Vec<Op>)`; the answer is a `Vec<Ret>`, one per operation
// (exercises/src/sequence.rs reads it with the same code).

fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
    let (setup, ops): (Setup, ::std::vec::Vec<Op>) =
        wire::from_bytes(input).expect("the judge's input");
    let mut object = create(setup);
    let mut out = ::std::vec::Vec::new();
    Wire::put(&(ops.len() as u32), &mut out);
    for op in ops {
        Wire::put(&apply(&mut object, op), &mut out);
    }
    out
}
