// LeetCode 159's API (`runner = "function"`): one hidden test sends `(k, s)` with k = 2, as
// k-distinct-substring does; the method takes `s` alone.

type Args = (usize, ::std::string::String);
type Answer = i32;

fn run((_two, s): Args) -> Answer {
    let answer: i32 = super::Solution::length_of_longest_substring_two_distinct(s);
    answer
}
