// The exercise's part of the guest glue for k-distinct-substring (`runner = "function"`):
// one hidden test sends `(k, s)`, the answer is the length the candidate's function returns.

type Args = (usize, ::std::string::String);
type Answer = usize;

fn run((k, s): Args) -> Answer {
    let answer: usize = super::longest_substring_k_distinct(&s, k);
    answer
}
