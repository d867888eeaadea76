// The exercise's part of the guest glue for {{id}} (`runner = "function"`): one hidden test
// sends the list, the answer is what the candidate's function returns. The judge encodes
// `Args` and decodes `Answer` with the same code (exercises/src/wire.rs).

type Args = ::std::vec::Vec<i32>;
type Answer = usize;

fn run(values: Args) -> Answer {
    // The type annotation makes a wrong signature a compile error that names it.
    let answer: usize = super::count_distinct(&values);
    answer
}
