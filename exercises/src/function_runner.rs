// The guest side of a function exercise (`runner = "function"` in exercise.toml): the judge
// places this inside `mod __judge_harness`, after the shared codec's names (`wire`, `Wire`)
// and the exercise's wire types (`wire.rs`), and before the package's `harness.rs`, which
// defines what differs per exercise:
//   type Args;                   // what one hidden test sends (implements `Wire`)
//   type Answer;                 // what goes back (implements `Wire`)
//   fn run(args: Args) -> Answer;  // calls the candidate's function
// The host encodes `Args` and decodes `Answer` with the same code (exercises/src/wire.rs).

fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
    let args: Args = wire::from_bytes(input).expect("the judge's input");
    wire::to_bytes(&run(args))
}
