//! Sandbox overhead as a ratio: the k-distinct reference on 10^6 chars natively against the
//! same code in the sandbox with fuel (fresh instance, input copied in, as the judge runs a
//! case), measured in interleaved pairs so that both halves of a ratio see the same machine.
//!
//! On a shared 2-core machine the absolute times drift by 10-20% between minutes, so two
//! criterion groups measured one after the other can disagree with themselves; the median of
//! per-pair ratios does not. Criterion has no notion of a ratio, hence this plain `main`.
//!
//! Run: cargo bench -p judge-benches --bench overhead [-- ROUNDS]

// The figures are this program's output.
#![allow(clippy::print_stdout)]

use judge_benches::{build_reference, k_distinct_input, mixed_string};
use judge_reference::k_distinct_substring::longest_substring_k_distinct;
use judge_sandbox::{Limits, Sandbox, SandboxOptions};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(41);
    let cache = tempfile::tempdir().expect("tempdir");

    let wasm = build_reference("k-distinct-substring", cache.path());
    let sandbox = Sandbox::new(SandboxOptions {
        cache_dir: Some(cache.path().join("modules")),
    })
    .expect("sandbox");
    let program = sandbox
        .load(&std::fs::read(&wasm).expect("module"))
        .expect("load");
    let limits = Limits::default();
    let s = mixed_string(1_000_000);
    let input = k_distinct_input(&s, 3);
    let expected = longest_substring_k_distinct(&s, 3) as u64;

    let native = || {
        let start = Instant::now();
        black_box(longest_substring_k_distinct(black_box(&s), 3));
        start.elapsed()
    };
    let sandboxed = || {
        let start = Instant::now();
        let report = program.call(black_box(&input), &limits, 1);
        let elapsed = start.elapsed();
        let answer = report.result.expect("the reference runs");
        assert_eq!(answer, expected.to_le_bytes(), "the sandbox disagrees");
        elapsed
    };
    // Warm-up: page in both, fill the pool's slot.
    for _ in 0..3 {
        native();
        sandboxed();
    }
    let mut natives = Vec::with_capacity(rounds);
    let mut sandboxes = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // Alternate which side goes first so neither always runs on a warmer cache.
        let (n, b) = if round % 2 == 0 {
            let n = native();
            (n, sandboxed())
        } else {
            let b = sandboxed();
            (native(), b)
        };
        natives.push(n);
        sandboxes.push(b);
        ratios.push(b.as_secs_f64() / n.as_secs_f64());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    natives.sort();
    sandboxes.sort();
    ratios.sort_by(f64::total_cmp);
    let mid = rounds / 2;
    let q = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "k-distinct reference, 10^6 chars, {rounds} interleaved pairs: native median {:.1} ms, \
         sandbox with fuel median {:.1} ms",
        ms(natives[mid]),
        ms(sandboxes[mid])
    );
    println!(
        "overhead (sandbox / native, per pair): median {:.2}x, quartiles {:.2}x-{:.2}x, \
         range {:.2}x-{:.2}x",
        ratios[mid],
        q(&ratios, 0.25),
        q(&ratios, 0.75),
        ratios[0],
        ratios[rounds - 1]
    );
}
