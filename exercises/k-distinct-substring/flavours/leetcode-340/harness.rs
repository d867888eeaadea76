// LeetCode 340's API (`runner = "function"`): one hidden test sends `(k, s)` as
// k-distinct-substring does, and the answer is what `Solution`'s method returns.

type Args = (usize, ::std::string::String);
type Answer = i32;

fn run((k, s): Args) -> Answer {
    let answer: i32 = super::Solution::length_of_longest_substring_k_distinct(s, k as i32);
    answer
}
