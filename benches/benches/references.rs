//! Every reference solution on its exercise's performance workload, natively and in the
//! sandbox with fuel (fresh instance per call, as the judge runs it): the sandbox overhead
//! per exercise.
//!
//! Run: cargo bench -p judge-benches --bench references

use criterion::{criterion_group, Criterion};
use judge_benches::build_reference;
use judge_exercises::bst_iterator::Bst;
use judge_exercises::in_memory_fs::{Fs, Op as FsOp};
use judge_exercises::k_distinct_substring::KDistinct;
use judge_exercises::lru_cache::{Lru, Op as LruOp};
use judge_exercises::sequence::SequenceSpec;
use judge_exercises::FunctionSpec;
use judge_reference::bst_iterator::TreeNode;
use judge_sandbox::{Limits, Sandbox, SandboxOptions};
use std::hint::black_box;

/// The seed every workload is drawn from here (a judge run uses its own).
const SEED: u64 = 1;

/// Builds a native tree from the judge's recipe (iteratively: paths are deep).
fn native_tree(n: u32) -> Option<Box<TreeNode>> {
    let built = Bst.workload(n, SEED).expect("workload").build();
    let mut slots: Vec<Option<Box<TreeNode>>> = (0..n as usize).map(|_| None).collect();
    // Children before parents: deepest first, by a post-order over the index arrays.
    let mut order = Vec::new();
    let mut stack = vec![(built.root, false)];
    while let Some((node, done)) = stack.pop() {
        if node == u32::MAX {
            continue;
        }
        if done {
            order.push(node);
        } else {
            stack.push((node, true));
            stack.push((built.right[node as usize], false));
            stack.push((built.left[node as usize], false));
        }
    }
    for node in order {
        let i = node as usize;
        let take = |slots: &mut Vec<Option<Box<TreeNode>>>, c: u32| {
            (c != u32::MAX).then(|| slots[c as usize].take()).flatten()
        };
        let left = take(&mut slots, built.left[i]);
        let right = take(&mut slots, built.right[i]);
        slots[i] = Some(Box::new(TreeNode {
            val: built.values[i],
            left,
            right,
        }));
    }
    slots.get_mut(built.root as usize).and_then(Option::take)
}

fn benches(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::new(SandboxOptions {
        cache_dir: Some(cache.path().join("modules")),
    })
    .unwrap();
    let limits = Limits::default();
    let load = |id: &str| {
        let wasm = build_reference(id, cache.path());
        sandbox.load(&std::fs::read(wasm).unwrap()).unwrap()
    };
    let in_sandbox = |g: &mut criterion::BenchmarkGroup<'_, _>, id: &str, input: Vec<u8>| {
        let program = load(id);
        g.bench_function("sandbox_with_fuel", |b| {
            b.iter(|| {
                let r = program.call(black_box(&input), &limits, 1);
                assert!(r.result.is_ok(), "{:?}", r.result.err());
                black_box(r)
            })
        });
    };

    // k-distinct-substring: 200,000 chars over 50,000 distinct CJK chars, k = 25,000.
    let n = 200_000;
    let input = KDistinct.workload(n, SEED).unwrap();
    let mut g = c.benchmark_group("k_distinct_substring");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            judge_reference::k_distinct_substring::longest_substring_k_distinct(
                black_box(&input.s),
                input.k,
            )
        })
    });
    in_sandbox(&mut g, "k-distinct-substring", KDistinct.encode(&input));
    g.finish();

    // lru-cache: capacity 15,000, 90,000 calls.
    let n = 30_000;
    let (capacity, ops) = Lru.workload(n, SEED).unwrap();
    let mut g = c.benchmark_group("lru_cache");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            let mut cache = judge_reference::lru_cache::LruCache::new(capacity as usize);
            let mut acc = 0u64;
            for op in &ops {
                match *op {
                    LruOp::Get(k) => acc += u64::from(cache.get(&k).is_some()),
                    LruOp::Put(k, v) => acc += u64::from(cache.put(k, v).is_some()),
                    LruOp::Len => acc += cache.len() as u64,
                }
            }
            black_box(acc)
        })
    });
    let seq = judge_exercises::sequence::Sequences(Lru);
    in_sandbox(&mut g, "lru-cache", seq.encode(&(capacity, ops.clone())));
    g.finish();

    // bst-iterator: a zigzag path of 200,000 nodes, iterated to the end.
    let n = 200_000;
    let tree = native_tree(n);
    let mut g = c.benchmark_group("bst_iterator");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            let it = judge_reference::bst_iterator::BstIterator::new(black_box(tree.as_deref()));
            black_box(it.fold(0i64, |a, v| a + i64::from(v)))
        })
    });
    in_sandbox(
        &mut g,
        "bst-iterator",
        Bst.encode(&Bst.workload(n, SEED).unwrap()),
    );
    g.finish();
    // A 200,000-node path drops recursively: leak it instead.
    std::mem::forget(tree);

    // hash-ring: 8,000 virtual nodes, 32,000 lookups.
    let n = 8_000;
    let (vnodes, nodes, keys) = judge_exercises::hash_ring::lookup_workload(n, SEED);
    let mut g = c.benchmark_group("hash_ring");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            let mut ring = judge_reference::hash_ring::HashRing::new(vnodes as usize);
            for node in &nodes {
                ring.add_node(node);
            }
            let mut acc = 0usize;
            for key in &keys {
                acc += ring.node_for(key).map_or(0, str::len);
            }
            black_box(acc)
        })
    });
    let spec = judge_exercises::hash_ring::HashRingSpec;
    in_sandbox(
        &mut g,
        "hash-ring",
        spec.encode(&spec.workload(n, SEED).unwrap()),
    );
    g.finish();

    // in-memory-fs: 5,000 rounds (about 20,300 calls).
    let n = 5_000;
    let ((), ops) = Fs.workload(n, SEED).unwrap();
    let mut g = c.benchmark_group("in_memory_fs");
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| {
            let mut fs = judge_reference::in_memory_fs::FileSystem::new();
            let mut acc = 0usize;
            for op in &ops {
                acc += match op {
                    FsOp::Ls(p) => fs.ls(p).map_or(0, |v| v.len()),
                    FsOp::Mkdir(p) => usize::from(fs.mkdir(p).is_ok()),
                    FsOp::Add(p, c) => usize::from(fs.add_content_to_file(p, c).is_ok()),
                    FsOp::Read(p) => fs.read_content_from_file(p).map_or(0, |s| s.len()),
                    FsOp::Rm(p, r) => usize::from(fs.rm(p, *r).is_ok()),
                    FsOp::Mv(a, b) => usize::from(fs.mv(a, b).is_ok()),
                };
            }
            black_box(acc)
        })
    });
    let seq = judge_exercises::sequence::Sequences(Fs);
    in_sandbox(&mut g, "in-memory-fs", seq.encode(&((), ops.clone())));
    g.finish();
}

criterion_group!(all, benches);

fn main() {
    all();
    Criterion::default().configure_from_args().final_summary();
}
