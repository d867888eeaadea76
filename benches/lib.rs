//! Shared setup for the benchmarks: the reference built to wasm by the judge's own build
//! step, and inputs.

use judge::compile::{self, CompileLimits, Toolchain};
use judge_exercises::Catalog;
use std::path::PathBuf;
use std::time::Duration;

/// Builds an exercise's reference with the judge's build step; returns the module path.
pub fn build_reference(id: &str, cache: &std::path::Path) -> PathBuf {
    let exercise = Catalog::embedded().load(id).expect("exercise");
    let toolchain = Toolchain::detect().expect("rustc");
    toolchain
        .ensure_target(compile::TARGET, &mut |_| {})
        .expect("target");
    let limits = CompileLimits {
        time: Duration::from_secs(60),
        memory_bytes: 4 << 30,
    };
    compile::build(
        &toolchain,
        cache,
        &exercise.reference,
        &exercise.harness,
        "reference.rs",
        &exercise.meta.target,
        limits,
    )
    .expect("build")
    .expect("the reference compiles")
    .wasm
}

/// A k-distinct input as the harness reads it.
pub fn k_distinct_input(s: &str, k: u64) -> Vec<u8> {
    let mut bytes = k.to_le_bytes().to_vec();
    bytes.extend_from_slice(s.as_bytes());
    bytes
}

/// A deterministic string of `n` chars over a mixed ASCII/Unicode alphabet.
pub fn mixed_string(n: usize) -> String {
    const ALPHABET: &[char] = &['a', 'b', 'c', 'd', 'é', '日', '本', '🦀', 'x', 'y'];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize]
        })
        .collect()
}
