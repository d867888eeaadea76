// Guest-side glue for k-distinct-substring: decodes one hidden-test input, calls the
// candidate's function, encodes its answer. Input: k as u64 LE, then the string's UTF-8
// bytes. Output: the answer as u64 LE.
mod __judge_harness {
    pub fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
        let (k, s) = input.split_at(8);
        let k = u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]]) as usize;
        // SAFETY: the judge encodes a Rust `String`, so the bytes are valid UTF-8; checking
        // them again would add a pass over up to 4 MB to every timed call.
        let s = unsafe { ::std::str::from_utf8_unchecked(s) };
        let answer: usize = super::longest_substring_k_distinct(s, k);
        (answer as u64).to_le_bytes().to_vec()
    }
}
