//! Sandbox figures: fresh-instance call rate (in process and through the worker), and the
//! k-distinct reference natively against the same code in the sandbox with fuel.
//!
//! Run: cargo bench -p judge-benches --bench sandbox

use criterion::{criterion_group, Criterion, Throughput};
use judge_benches::{build_reference, k_distinct_input, mixed_string};
use judge_sandbox::worker::{Worker, WorkerCommand};
use judge_sandbox::{Limits, Sandbox, SandboxOptions};
use std::hint::black_box;

const WORKER_FLAG: &str = "__sandbox-worker";

fn benches(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let wasm = build_reference("k-distinct-substring", cache.path());
    let sandbox = Sandbox::new(SandboxOptions {
        cache_dir: Some(cache.path().join("modules")),
    })
    .unwrap();
    let program = sandbox.load(&std::fs::read(&wasm).unwrap()).unwrap();
    let limits = Limits::default();

    let small = k_distinct_input("eceba", 2);
    let mut g = c.benchmark_group("fresh_instance_call");
    g.throughput(Throughput::Elements(1));
    g.bench_function("in_process", |b| {
        b.iter(|| black_box(program.call(black_box(&small), &limits, 1)))
    });
    let mut worker = Worker::new(
        WorkerCommand {
            program: std::env::current_exe().unwrap(),
            args: vec![WORKER_FLAG.into()],
        },
        Some(cache.path().join("modules")),
    );
    worker.load(&wasm).unwrap();
    g.bench_function("through_worker", |b| {
        b.iter(|| black_box(worker.call(black_box(&small), &limits, 1).unwrap()))
    });
    g.finish();

    let s = mixed_string(1_000_000);
    let input = k_distinct_input(&s, 3);
    let mut g = c.benchmark_group("k_distinct_1e6_chars");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            black_box(
                judge_reference::k_distinct_substring::longest_substring_k_distinct(
                    black_box(&s),
                    3,
                ),
            )
        })
    });
    g.bench_function("sandbox_with_fuel", |b| {
        b.iter(|| {
            let r = program.call(black_box(&input), &limits, 1);
            assert!(r.result.is_ok());
            black_box(r)
        })
    });
    g.finish();
}

criterion_group!(all, benches);

fn main() {
    if std::env::args().any(|a| a == WORKER_FLAG) {
        judge_sandbox::worker::serve().unwrap();
        return;
    }
    all();
    Criterion::default().configure_from_args().final_summary();
}
