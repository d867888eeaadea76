//! Fuzz targets for the instrumentation pass: whatever the bytes, [`instrument`] returns a
//! module or an error, and a module that validates comes out instrumented and valid.
//!
//! Each target runs `JUDGE_FUZZ_CASES` cases (default 256) from the seed `JUDGE_FUZZ_SEED`
//! (default fixed, so the suite is reproducible): `JUDGE_FUZZ_CASES=100000 cargo test -p
//! judge-sandbox --lib instrument::fuzz` runs them longer.

use super::{instrument, is_threaded, InstrumentError, HOOK_MODULE, SCHED_IMPORTS};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};
use wasm_encoder::{
    BlockType, CodeSection, CustomSection, ElementSection, Elements, EntityType, ExportKind,
    ExportSection, Function, FunctionSection, ImportSection, InstructionSink, MemArg,
    MemorySection, MemoryType, Module, NameMap, NameSection, StartSection, TypeSection, ValType,
};
use wasmparser::{Parser, Payload, TypeRef, Validator, WasmFeatures};

fn config(default_cases: u32) -> Config {
    let var = |name| std::env::var(name).ok();
    Config {
        cases: var("JUDGE_FUZZ_CASES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_cases),
        rng_seed: RngSeed::Fixed(
            var("JUDGE_FUZZ_SEED")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0x1257),
        ),
        // A failure prints its (shrunk) input; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

fn validates(wasm: &[u8]) -> bool {
    Validator::new_with_features(WasmFeatures::all())
        .validate_all(wasm)
        .is_ok()
}

/// Runs the pass; whatever it returns must parse to the end.
fn instrument_checked(
    wasm: &[u8],
) -> Result<Result<super::Instrumented, InstrumentError>, TestCaseError> {
    let _ = is_threaded(wasm);
    let result = instrument(wasm);
    if let Ok(out) = &result {
        for payload in Parser::new(0).parse_all(&out.wasm) {
            prop_assert!(
                payload.is_ok(),
                "the output does not parse: {:?}",
                payload.err()
            );
        }
        for site in 0..out.sites.len() as u32 + 2 {
            let _ = out.describe_site(site);
        }
    }
    Ok(result)
}

/// One stack-neutral piece of a function body.
#[derive(Clone, Debug)]
enum Piece {
    /// A memory access (`kind` picks which: atomic below [`ATOMIC_KINDS`], plain above)
    /// with its memory argument.
    Atomic {
        kind: u8,
        offset: u64,
        memory: u32,
    },
    Fence,
    /// `call` of function `Index` (every function has type `[] -> []`).
    Call(Index),
    RefFunc(Index),
    /// A block around more pieces.
    Block(Vec<Piece>),
}

const ATOMIC_KINDS: u8 = 9;
const ACCESS_KINDS: u8 = 13;

fn piece() -> impl Strategy<Value = Piece> {
    let offset = prop_oneof![
        4 => Just(0u64),
        2 => 0..64u64,
        1 => Just(u64::from(u32::MAX)),
    ];
    let memory = prop_oneof![6 => Just(0u32), 1 => Just(1u32)];
    let leaf = prop_oneof![
        6 => (0..ACCESS_KINDS, offset, memory).prop_map(|(kind, offset, memory)| Piece::Atomic {
            kind,
            offset,
            memory
        }),
        1 => Just(Piece::Fence),
        2 => any::<Index>().prop_map(Piece::Call),
        1 => any::<Index>().prop_map(Piece::RefFunc),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        proptest::collection::vec(inner, 0..6).prop_map(Piece::Block)
    })
}

/// A `wasm32-wasip1-threads`-shaped module: function imports, an imported shared memory
/// (and maybe a second, defined one), functions of type `[] -> []` with atomic accesses,
/// calls and `ref.func`, exports, a start function and a name section.
#[derive(Clone, Debug)]
struct Shape {
    imports: usize,
    reserved_import: bool,
    second_memory: bool,
    /// Also declare a type equal to one of the scheduler's signatures (to be reused).
    sched_type: bool,
    bodies: Vec<Vec<Piece>>,
    start: Option<Index>,
    names: Vec<(Index, String)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0..4usize,
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.2),
        any::<bool>(),
        proptest::collection::vec(proptest::collection::vec(piece(), 0..8), 1..5),
        proptest::option::of(any::<Index>()),
        proptest::collection::vec(
            (
                any::<Index>(),
                prop_oneof![
                    Just("_ZN8solution3run17h0123456789abcdefE".to_owned()),
                    Just("_RNvCs1234_8solution3run".to_owned()),
                    ".{0,12}",
                ],
            ),
            0..4,
        ),
    )
        .prop_map(
            |(imports, reserved_import, second_memory, sched_type, bodies, start, names)| Shape {
                imports,
                reserved_import,
                second_memory,
                sched_type,
                bodies,
                start,
                names,
            },
        )
}

fn memarg(offset: u64, align: u32, memory_index: u32) -> MemArg {
    MemArg {
        offset,
        align,
        memory_index,
    }
}

/// What [`build`] emitted that the pass must see.
#[derive(Default)]
struct Emitted {
    /// Atomic accesses: one site each.
    sites: usize,
    /// An atomic access of memory 1, which the pass refuses.
    uses_memory_1: bool,
}

/// Emits `piece`; memory 1 only where the module has it.
fn emit(
    f: &mut InstructionSink<'_>,
    piece: &Piece,
    shape: &Shape,
    functions: u32,
    out: &mut Emitted,
) {
    match piece {
        Piece::Atomic {
            kind,
            offset,
            memory,
        } => {
            let memory = if shape.second_memory { *memory } else { 0 };
            // Plain accesses of another memory than the shared one are left alone.
            out.uses_memory_1 |= memory == 1 && *kind < ATOMIC_KINDS;
            let m = |align| memarg(*offset, align, memory);
            out.sites += usize::from(*kind < ATOMIC_KINDS);
            match kind {
                0 => f.i32_const(0).i32_atomic_load(m(2)).drop(),
                1 => f.i32_const(0).i64_atomic_load8_u(m(0)).drop(),
                2 => f.i32_const(0).i32_const(1).i32_atomic_store(m(2)),
                3 => f.i32_const(0).i64_const(1).i64_atomic_store32(m(2)),
                4 => f.i32_const(0).i32_const(1).i32_atomic_rmw_add(m(2)).drop(),
                5 => f
                    .i32_const(0)
                    .i64_const(1)
                    .i64_const(2)
                    .i64_atomic_rmw_cmpxchg(m(3))
                    .drop(),
                6 => f
                    .i32_const(0)
                    .i32_const(0)
                    .i64_const(0)
                    .memory_atomic_wait32(m(2))
                    .drop(),
                7 => f
                    .i32_const(0)
                    .i64_const(0)
                    .i64_const(0)
                    .memory_atomic_wait64(m(3))
                    .drop(),
                8 => f
                    .i32_const(0)
                    .i32_const(1)
                    .memory_atomic_notify(m(2))
                    .drop(),
                9 => f.i32_const(0).i32_load(m(2)).drop(),
                10 => f.i32_const(0).i64_const(1).i64_store(m(3)),
                11 => f.i32_const(0).i32_load8_u(m(0)).drop(),
                _ => f.i32_const(0).f64_const(1.5.into()).f64_store(m(3)),
            };
        }
        Piece::Fence => {
            f.atomic_fence();
        }
        Piece::Call(i) => {
            f.call(i.index(functions as usize) as u32);
        }
        Piece::RefFunc(i) => {
            f.ref_func(i.index(functions as usize) as u32).drop();
        }
        Piece::Block(pieces) => {
            f.block(BlockType::Empty);
            for p in pieces {
                emit(f, p, shape, functions, out);
            }
            f.end();
        }
    }
}

/// The module, and what the pass must make of it.
fn build(shape: &Shape) -> (Vec<u8>, Emitted) {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    if shape.sched_type {
        types.ty().function(
            [ValType::I32, ValType::I32, ValType::I32, ValType::I32],
            [ValType::I32],
        );
    }
    module.section(&types);

    let mut imports = ImportSection::new();
    for i in 0..shape.imports {
        imports.import("env", &format!("f{i}"), EntityType::Function(0));
    }
    if shape.reserved_import {
        imports.import(HOOK_MODULE, "yield_point", EntityType::Function(0));
    }
    let shared = |minimum| MemoryType {
        minimum,
        maximum: Some(2),
        memory64: false,
        shared: true,
        page_size_log2: None,
    };
    imports.import("env", "memory", shared(1));
    module.section(&imports);
    let imported = shape.imports as u32 + u32::from(shape.reserved_import);
    let functions = imported + shape.bodies.len() as u32;

    let mut section = FunctionSection::new();
    for _ in &shape.bodies {
        section.function(0);
    }
    module.section(&section);
    if shape.second_memory {
        let mut memories = MemorySection::new();
        memories.memory(shared(1));
        module.section(&memories);
    }
    let mut exports = ExportSection::new();
    exports.export("first", ExportKind::Func, imported);
    exports.export("memory", ExportKind::Memory, 0);
    module.section(&exports);
    if let Some(start) = &shape.start {
        module.section(&StartSection {
            function_index: start.index(functions as usize) as u32,
        });
    }
    // `ref.func` needs its functions declared.
    let all: Vec<u32> = (0..functions).collect();
    let mut elements = ElementSection::new();
    elements.declared(Elements::Functions(all[..].into()));
    module.section(&elements);

    let mut code = CodeSection::new();
    let mut emitted = Emitted::default();
    for body in &shape.bodies {
        let mut function = Function::new([]);
        let mut sink = function.instructions();
        for piece in body {
            emit(&mut sink, piece, shape, functions, &mut emitted);
        }
        sink.end();
        code.function(&function);
    }
    module.section(&code);

    let mut names = NameSection::new();
    names.module("fuzz");
    let mut map = NameMap::new();
    let mut named: Vec<(u32, &str)> = shape
        .names
        .iter()
        .map(|(i, name)| (i.index(functions as usize) as u32, name.as_str()))
        .collect();
    named.sort();
    named.dedup_by_key(|(i, _)| *i);
    for (i, name) in named {
        map.append(i, name);
    }
    names.functions(&map);
    module.section(&names);
    module.section(&CustomSection {
        name: ".debug_info".into(),
        data: [1, 2, 3][..].into(),
    });
    (module.finish(), emitted)
}

/// The test guests of the sandbox's unit tests: plain and threaded, with and without an
/// extra import and data.
fn test_guests() -> Vec<Vec<u8>> {
    let mut guests = Vec::new();
    for shared in [false, true] {
        for extra in [None, Some(("env", "host_secret"))] {
            guests.push(crate::test_guest::guest(
                shared,
                extra,
                crate::test_guest::TEN_BYTES,
                crate::test_guest::write_ten,
            ));
        }
    }
    guests
}

#[derive(Clone, Debug)]
enum Edit {
    Flip(Index, u8),
    Insert(Index, u8),
    Delete(Index),
    Truncate(Index),
    /// Copies a run of bytes elsewhere (a section or body, when it lines up).
    Splice(Index, Index, Index),
    /// Writes a LEB128 of edge value: section sizes, counts and indices.
    Leb(Index, u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    let edge = prop_oneof![
        Just(0u32),
        Just(1),
        Just(0x7f),
        Just(0x80),
        Just(u32::MAX),
        Just(u32::MAX - SCHED_IMPORTS + 1),
        any::<u32>()
    ];
    prop_oneof![
        4 => (any::<Index>(), 1..=255u8).prop_map(|(i, b)| Edit::Flip(i, b)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => any::<Index>().prop_map(Edit::Delete),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| Edit::Splice(a, b, c)),
        2 => (any::<Index>(), edge).prop_map(|(i, v)| Edit::Leb(i, v)),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let n = bytes.len();
        if n == 0 {
            break;
        }
        match edit {
            Edit::Flip(i, b) => bytes[i.index(n)] ^= b,
            Edit::Insert(i, b) => bytes.insert(i.index(n + 1), *b),
            Edit::Delete(i) => {
                bytes.remove(i.index(n));
            }
            Edit::Truncate(i) => bytes.truncate(i.index(n + 1)),
            Edit::Splice(from, len, to) => {
                let from = from.index(n);
                let len = len.index(64.min(n - from) + 1);
                let run = bytes[from..from + len].to_vec();
                let to = to.index(n + 1);
                bytes.splice(to..to, run);
            }
            Edit::Leb(i, value) => {
                let at = i.index(n);
                let mut leb = Vec::new();
                leb128(&mut leb, *value);
                let end = (at + leb.len()).min(n);
                bytes.splice(at..end, leb);
            }
        }
    }
    bytes
}

fn leb128(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = instrument_checked(&bytes)?;
    }

    /// Past the header: arbitrary sections.
    #[test]
    fn arbitrary_sections(sections in proptest::collection::vec((0..14u8, proptest::collection::vec(any::<u8>(), 0..64)), 0..6)) {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in sections {
            bytes.push(id);
            leb128(&mut bytes, body.len() as u32);
            bytes.extend(body);
        }
        let _ = instrument_checked(&bytes)?;
    }

    /// A module that validates is instrumented into one that validates, with a site for
    /// each atomic access, unless it uses what the pass refuses.
    #[test]
    fn valid_modules_stay_valid(shape in shape()) {
        let (wasm, emitted) = build(&shape);
        prop_assert!(validates(&wasm), "the generator made an invalid module");
        let Emitted { sites, uses_memory_1 } = emitted;
        match instrument_checked(&wasm)? {
            Ok(out) => {
                prop_assert!(!shape.reserved_import && !uses_memory_1);
                prop_assert!(validates(&out.wasm), "the output does not validate");
                prop_assert_eq!(out.sites.len(), sites, "{:?}", out.sites);
                let imports = Parser::new(0)
                    .parse_all(&out.wasm)
                    .filter_map(|p| match p.unwrap() {
                        Payload::ImportSection(r) => Some(r.into_imports().filter(|i| matches!(i.as_ref().unwrap().ty, TypeRef::Func(_))).count()),
                        _ => None,
                    })
                    .sum::<usize>();
                prop_assert_eq!(imports, shape.imports + SCHED_IMPORTS as usize);
            }
            Err(InstrumentError::ReservedImport { .. }) => prop_assert!(shape.reserved_import),
            Err(InstrumentError::UnsupportedMemory { memory, .. }) => {
                prop_assert!(uses_memory_1 && memory == 1)
            }
            Err(e) => prop_assert!(false, "refused: {e}"),
        }
    }

    #[test]
    fn mutated_modules(shape in shape(), edits in proptest::collection::vec(edit(), 1..5)) {
        let (wasm, _) = build(&shape);
        let _ = instrument_checked(&mutate(wasm, &edits))?;
    }

    #[test]
    fn mutated_test_guests(which in any::<Index>(), edits in proptest::collection::vec(edit(), 1..5)) {
        let guests = test_guests();
        let wasm = mutate(guests[which.index(guests.len())].clone(), &edits);
        let _ = instrument_checked(&wasm)?;
    }
}

/// The oracle of `valid_modules_stay_valid` can fail: a module the pass must refuse is
/// refused, and the generator's modules validate before the pass too.
#[test]
fn the_oracle_tells_refusals_apart() {
    let shape = Shape {
        imports: 1,
        reserved_import: false,
        second_memory: true,
        sched_type: true,
        bodies: vec![vec![
            Piece::Atomic {
                kind: 6,
                offset: 0,
                memory: 0,
            },
            Piece::Block(vec![Piece::Atomic {
                kind: 0,
                offset: 4,
                memory: 1,
            }]),
        ]],
        start: None,
        names: Vec::new(),
    };
    let (wasm, emitted) = build(&shape);
    assert!(validates(&wasm));
    assert_eq!(emitted.sites, 2);
    assert!(emitted.uses_memory_1);
    assert!(matches!(
        instrument(&wasm),
        Err(InstrumentError::UnsupportedMemory {
            function: 1,
            memory: 1
        })
    ));
    let mut fine = shape.clone();
    fine.bodies[0].pop();
    let out = instrument(&build(&fine).0).unwrap();
    assert!(validates(&out.wasm));
    assert_eq!(out.sites.len(), 1);
}
