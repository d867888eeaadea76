//! Rewrites a `wasm32-wasip1-threads` module so that a deterministic scheduler on the host
//! decides which guest thread runs wherever threads can observe one another.
//!
//! Guest threads share one imported linear memory; they can only see each other's effects
//! through atomic instructions and wait/wake (plain loads and stores of shared data without
//! them are data races). The pass therefore makes every atomic access a *switch point*:
//!
//! * five functions are imported from [`HOOK_MODULE`]: [`YIELD_POINT`]
//!   `(addr: i32, offset: i32, site: i32)`,
//!   [`WAIT32`] `(addr: i32, expected: i32, timeout_ns: i64, offset: i32, site: i32) -> i32`,
//!   [`WAIT64`] `(addr: i32, expected: i64, timeout_ns: i64, offset: i32, site: i32) -> i32`,
//!   [`NOTIFY`] `(addr: i32, count: i32, offset: i32, site: i32) -> i32` and
//!   [`SLICE_POINT`] `() -> i32`. They are
//!   appended after the module's own function imports, so the module's imported functions
//!   keep their indices and every defined function moves up by [`SCHED_IMPORTS`];
//! * `memory.atomic.wait32/wait64 memarg` becomes `i32.const offset; i32.const site;
//!   call wait32/wait64`, and `memory.atomic.notify memarg` becomes `i32.const offset;
//!   i32.const site; call notify` (the operands already on the stack are passed through; the
//!   host adds `offset` to `addr` itself and returns what the instruction would have);
//! * every other atomic memory access (`*.atomic.load*`, `*.atomic.store*`,
//!   `*.atomic.rmw*`, including `cmpxchg`) is preceded by a call of `yield_point` with its
//!   address, its offset and its site: its value operands are set aside in scratch locals
//!   the pass appends to the function (three `i32`, two `i64`), then `local.tee addr;
//!   i32.const offset; i32.const site; call yield_point; local.get addr; local.get
//!   values...` puts the operand stack back as it was, so the host knows which memory every
//!   step touches (the contention figure and the locks of a deadlock, in `crate::threads`).
//!   `atomic.fence` is left alone;
//! * every plain load and store of memory 0 (`i32.load` ... `f64.store`, not SIMD or bulk
//!   memory) is preceded by a countdown in a mutable `i32` global the pass appends (one per
//!   instance, so one per guest thread, starting at 1): `global.get; i32.const 1; i32.sub;
//!   global.set; global.get; i32.eqz; if; call slice_point; global.set; end`. When it reaches
//!   zero the host decides whether to preempt the thread there and returns the next count.
//!   Fuel is only checked at function entries and loop headers, so a fuel slice can never
//!   split a straight-line read-modify-write of plain memory (`let v = *p; *p = v + 1;`);
//!   the countdown can, and a schedule with tiny slices uses it (see `crate::threads`).
//!
//! Every inserted call carries its own site id, numbered in order of appearance, and
//! [`Instrumented::sites`] says which function each site is in and what it does, so that the
//! host can report "atomic load in `solution::Counter::increment`".
//!
//! Everything else is copied: sections keep their order, function bodies keep their locals
//! and every instruction that needs no change is copied byte for byte (only `call`,
//! `return_call` and `ref.func` are re-encoded, which also drops the padding wasm-ld leaves in
//! their indices). Function
//! indices are shifted wherever they occur (calls, `ref.func` in bodies and constant
//! expressions, element segments, exports, the start function, the `name` section). Custom
//! sections other than `name` (DWARF `.debug_*`, `producers`, `target_features`) are dropped:
//! the DWARF would no longer match the code. The input is not validated here; wasmtime
//! validates the output when it compiles it.
//!
//! Cost: one decoding pass over every function body (without building an `Operator` for
//! each instruction) plus copies, and demangling the names (about 1 µs a name). Measured
//! (best of 20, release; the dev profile is within 15%): the 2.1 MB test guest of
//! `real_guest_is_instrumented` (std with a `Mutex` and two threads; 64 KB of code, 302
//! functions, the rest DWARF) takes 0.8 ms; a 2.5 MB unoptimised guest with channels, a
//! `Condvar`, a `Barrier` and formatting (205 KB of code, 1044 functions) 2.6 ms; a synthetic
//! module with 1.75 MB of code 13 ms.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, EntityType, GlobalSection, GlobalType, ImportSection,
    Instruction, NameMap, NameSection, SectionId, TypeSection, ValType,
};
use wasmparser::{
    CompositeInnerType, Encoding, FunctionBody, KnownCustom, MemArg, Name, Operator, Parser,
    Payload, TypeRef,
};

/// The module name of the scheduler's imports.
pub const HOOK_MODULE: &str = "judge_sched";
/// `yield_point(addr: i32, offset: i32, site: i32)`: called before every atomic load, store
/// and read-modify-write, with the access's address operand and its static offset (the
/// effective address is their sum, as for wait and notify).
pub const YIELD_POINT: &str = "yield_point";
/// `wait32(addr: i32, expected: i32, timeout_ns: i64, offset: i32, site: i32) -> i32`:
/// replaces `memory.atomic.wait32` (returns 0 woken, 1 not equal, 2 timed out).
pub const WAIT32: &str = "wait32";
/// `wait64(addr: i32, expected: i64, timeout_ns: i64, offset: i32, site: i32) -> i32`:
/// replaces `memory.atomic.wait64`.
pub const WAIT64: &str = "wait64";
/// `notify(addr: i32, count: i32, offset: i32, site: i32) -> i32`: replaces
/// `memory.atomic.notify` (returns the number of waiters woken).
pub const NOTIFY: &str = "notify";
/// `slice_point() -> i32`: called when the plain-access countdown reaches zero; returns the
/// next count (the scheduler preempts the thread first when its schedule says so).
pub const SLICE_POINT: &str = "slice_point";
/// How many functions the pass imports, which is how far every defined function moves.
pub const SCHED_IMPORTS: u32 = 5;

use ValType::{I32, I64};

/// The scheduler's imports in the order they are appended: name, parameters, results.
const SIGNATURES: [(&str, &[ValType], &[ValType]); SCHED_IMPORTS as usize] = [
    (YIELD_POINT, &[I32, I32, I32], &[]),
    (WAIT32, &[I32, I32, I64, I32, I32], &[I32]),
    (WAIT64, &[I32, I64, I64, I32, I32], &[I32]),
    (NOTIFY, &[I32, I32, I32, I32], &[I32]),
    (SLICE_POINT, &[], &[I32]),
];
const YIELD: usize = 0;
const WAIT_32: usize = 1;
const WAIT_64: usize = 2;
const WAKE: usize = 3;
const SLICE: usize = 4;
/// Scratch locals appended to a function with atomic accesses: the address, two `i32`
/// values, two `i64` values.
const SCRATCH_LOCALS: u32 = 5;

/// What the instruction at a site does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteKind {
    /// `*.atomic.load*`.
    Load,
    /// `*.atomic.store*`.
    Store,
    /// `*.atomic.rmw*.{add,sub,and,or,xor}`.
    ReadModifyWrite,
    /// `*.atomic.rmw*.xchg` (std's locks take and release their word with it).
    Exchange,
    /// `*.atomic.rmw*.cmpxchg`.
    CompareExchange,
    /// `memory.atomic.wait32` or `memory.atomic.wait64`.
    Wait,
    /// `memory.atomic.notify`.
    Notify,
}

impl SiteKind {
    /// A few words for traces: "atomic load", "wait", "wake" ...
    pub fn describe(self) -> &'static str {
        match self {
            SiteKind::Load => "atomic load",
            SiteKind::Store => "atomic store",
            SiteKind::ReadModifyWrite => "atomic read-modify-write",
            SiteKind::Exchange => "atomic exchange",
            SiteKind::CompareExchange => "atomic compare-exchange",
            SiteKind::Wait => "wait",
            SiteKind::Notify => "wake",
        }
    }
}

/// One inserted call to the scheduler; its id is its position in [`Instrumented::sites`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// The function the site is in: its index in the ORIGINAL module's function index space
    /// (imports included), before the shift by [`SCHED_IMPORTS`].
    pub function: u32,
    pub kind: SiteKind,
    /// How many bytes the access reads or writes (1, 2, 4 or 8; a wait's value, 4 for a
    /// wake).
    pub width: u8,
}

/// The rewritten module and what the host needs to explain its switch points.
#[derive(Clone, Serialize, Deserialize)]
pub struct Instrumented {
    pub wasm: Vec<u8>,
    /// Indexed by site id.
    pub sites: Vec<Site>,
    /// Demangled names of functions, by ORIGINAL function index (before the shift). Empty if
    /// the module has no (well-formed) `name` section.
    pub function_names: HashMap<u32, String>,
}

impl fmt::Debug for Instrumented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Instrumented")
            .field("wasm_bytes", &self.wasm.len())
            .field("sites", &self.sites.len())
            .field("function_names", &self.function_names.len())
            .finish()
    }
}

impl Instrumented {
    /// "atomic load in solution::Counter::increment", "wait in std::sys::...::futex_wait";
    /// "... in function 42" when the function has no name, "unknown site 7" for an id that is
    /// not in the table.
    pub fn describe_site(&self, site: u32) -> String {
        let Some(found) = self.sites.get(site as usize) else {
            return format!("unknown site {site}");
        };
        match self.function_names.get(&found.function) {
            Some(name) => format!("{} in {name}", found.kind.describe()),
            None => format!("{} in function {}", found.kind.describe(), found.function),
        }
    }
}

/// Why a module could not be instrumented.
#[derive(Debug, thiserror::Error)]
pub enum InstrumentError {
    #[error("malformed module: {0}")]
    Malformed(#[from] wasmparser::Error),
    #[error("not a core wasm module")]
    NotAModule,
    #[error(
        "the module imports `{name}` from `{HOOK_MODULE}`, which is reserved for the scheduler"
    )]
    ReservedImport { name: String },
    #[error("atomic access to memory {memory} in function {function}: only memory 0 is supported")]
    UnsupportedMemory { function: u32, memory: u32 },
    #[error(
        "atomic wait or notify offset {offset} in function {function} does not fit in 32 bits"
    )]
    OffsetTooLarge { function: u32, offset: u64 },
    #[error("too many functions or switch points to number")]
    Overflow,
    #[error("failed to re-encode the module: {0}")]
    Reencode(String),
}

impl From<reencode::Error<InstrumentError>> for InstrumentError {
    fn from(error: reencode::Error<InstrumentError>) -> Self {
        match error {
            reencode::Error::UserError(error) => error,
            reencode::Error::ParseError(error) => InstrumentError::Malformed(error),
            reencode::Error::UnexpectedNonCoreModuleSection
            | reencode::Error::UnexpectedNonComponentSection => InstrumentError::NotAModule,
            other => InstrumentError::Reencode(other.to_string()),
        }
    }
}

/// Whether the module imports a shared memory, which is how a `wasm32-wasip1-threads` module
/// (it imports `env.memory` as shared) differs from a `wasm32-wasip1` one (it defines its
/// memory). False for anything that does not parse.
pub fn is_threaded(wasm: &[u8]) -> bool {
    for payload in Parser::new(0).parse_all(wasm) {
        match payload {
            Ok(Payload::Version {
                encoding: Encoding::Module,
                ..
            })
            | Ok(Payload::CustomSection(_))
            | Ok(Payload::TypeSection(_)) => {}
            Ok(Payload::ImportSection(reader)) => {
                for import in reader.into_imports() {
                    match import {
                        Ok(import) => {
                            if matches!(import.ty, TypeRef::Memory(memory) if memory.shared) {
                                return true;
                            }
                        }
                        Err(_) => return false,
                    }
                }
            }
            // Imports come before every other non-custom section.
            _ => return false,
        }
    }
    false
}

/// Rewrites `wasm` as described in the module documentation.
pub fn instrument(wasm: &[u8]) -> Result<Instrumented, InstrumentError> {
    let layout = Layout::of(wasm)?;
    let mut rewriter = Rewriter {
        layout,
        bodies: 0,
        sites: Vec::new(),
        function_names: HashMap::new(),
        types_done: false,
        imports_done: false,
        globals_done: false,
        body: Vec::new(),
    };
    let mut module = wasm_encoder::Module::new();
    rewriter.parse_core_module(&mut module, Parser::new(0), wasm)?;
    Ok(Instrumented {
        wasm: module.finish(),
        sites: rewriter.sites,
        function_names: rewriter.function_names,
    })
}

/// What must be known before rewriting: read from the type and import sections.
struct Layout {
    imported_functions: u32,
    /// The index of the countdown global the pass appends (after every existing global).
    countdown_global: u32,
    /// The type index of each of [`SIGNATURES`], existing or appended.
    signature_types: [u32; SCHED_IMPORTS as usize],
    /// The signatures (indices into [`SIGNATURES`]) to append to the type section, in order.
    new_types: Vec<usize>,
    /// How many parameters each defined function has (its first local's index after them).
    params: Vec<u32>,
}

impl Layout {
    fn of(wasm: &[u8]) -> Result<Layout, InstrumentError> {
        let mut imported_functions = 0u32;
        let mut globals = 0u32;
        let mut types = 0u32;
        let mut existing = [None; SCHED_IMPORTS as usize];
        // Parameter counts by type index (0 for a type that is not a function's).
        let mut type_params: Vec<u32> = Vec::new();
        let mut params = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::Version {
                    encoding: Encoding::Module,
                    ..
                }
                | Payload::CustomSection(_) => {}
                Payload::Version { .. } => return Err(InstrumentError::NotAModule),
                Payload::TypeSection(reader) => {
                    for group in reader {
                        let group = group?;
                        // A type in an explicit rec group is a different type from the same
                        // signature on its own; only reuse plain `(type (func ...))`.
                        let plain = !group.is_explicit_rec_group();
                        for ty in group.into_types() {
                            let composite = &ty.composite_type;
                            type_params.push(match &composite.inner {
                                CompositeInnerType::Func(func) => func.params().len() as u32,
                                _ => 0,
                            });
                            if let CompositeInnerType::Func(func) = &composite.inner {
                                let reusable = plain
                                    && ty.is_final
                                    && ty.supertype_idx.is_none()
                                    && !composite.shared
                                    && composite.descriptor_idx.is_none()
                                    && composite.describes_idx.is_none();
                                for (slot, (_, params, results)) in
                                    existing.iter_mut().zip(SIGNATURES)
                                {
                                    if reusable
                                        && slot.is_none()
                                        && same_types(func.params(), params)
                                        && same_types(func.results(), results)
                                    {
                                        *slot = Some(types);
                                    }
                                }
                            }
                            types = types.checked_add(1).ok_or(InstrumentError::Overflow)?;
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        if import.module == HOOK_MODULE {
                            return Err(InstrumentError::ReservedImport {
                                name: import.name.to_string(),
                            });
                        }
                        if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                            imported_functions = imported_functions
                                .checked_add(1)
                                .ok_or(InstrumentError::Overflow)?;
                        }
                        if matches!(import.ty, TypeRef::Global(_)) {
                            globals = globals.checked_add(1).ok_or(InstrumentError::Overflow)?;
                        }
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        let ty = ty?;
                        params.push(type_params.get(ty as usize).copied().unwrap_or(0));
                    }
                }
                Payload::TableSection(_) | Payload::MemorySection(_) | Payload::TagSection(_) => {}
                Payload::GlobalSection(reader) => {
                    globals = globals
                        .checked_add(reader.count())
                        .ok_or(InstrumentError::Overflow)?;
                    break;
                }
                // Types, imports and globals come before every other non-custom section; the
                // rest is read (and checked) by the rewriting pass.
                _ => break,
            }
        }
        let mut signature_types = [0; SCHED_IMPORTS as usize];
        let mut new_types = Vec::new();
        for (k, slot) in existing.iter().enumerate() {
            signature_types[k] = match slot {
                Some(index) => *index,
                None => {
                    new_types.push(k);
                    types
                        .checked_add(new_types.len() as u32 - 1)
                        .ok_or(InstrumentError::Overflow)?
                }
            };
        }
        // Defined functions must still have indices after the shift.
        imported_functions
            .checked_add(SCHED_IMPORTS)
            .ok_or(InstrumentError::Overflow)?;
        Ok(Layout {
            imported_functions,
            countdown_global: globals,
            signature_types,
            new_types,
            params,
        })
    }
}

fn same_types(parsed: &[wasmparser::ValType], wanted: &[ValType]) -> bool {
    parsed.len() == wanted.len()
        && parsed.iter().zip(wanted).all(|pair| {
            matches!(
                pair,
                (wasmparser::ValType::I32, ValType::I32) | (wasmparser::ValType::I64, ValType::I64)
            )
        })
}

/// The kind and memory argument of an atomic access that gets a `yield_point` before it.
fn access(op: &Operator<'_>) -> Option<(SiteKind, MemArg)> {
    use Operator::*;
    let (kind, memarg) = match op {
        I32AtomicLoad { memarg }
        | I64AtomicLoad { memarg }
        | I32AtomicLoad8U { memarg }
        | I32AtomicLoad16U { memarg }
        | I64AtomicLoad8U { memarg }
        | I64AtomicLoad16U { memarg }
        | I64AtomicLoad32U { memarg } => (SiteKind::Load, memarg),
        I32AtomicStore { memarg }
        | I64AtomicStore { memarg }
        | I32AtomicStore8 { memarg }
        | I32AtomicStore16 { memarg }
        | I64AtomicStore8 { memarg }
        | I64AtomicStore16 { memarg }
        | I64AtomicStore32 { memarg } => (SiteKind::Store, memarg),
        I32AtomicRmwAdd { memarg }
        | I64AtomicRmwAdd { memarg }
        | I32AtomicRmw8AddU { memarg }
        | I32AtomicRmw16AddU { memarg }
        | I64AtomicRmw8AddU { memarg }
        | I64AtomicRmw16AddU { memarg }
        | I64AtomicRmw32AddU { memarg }
        | I32AtomicRmwSub { memarg }
        | I64AtomicRmwSub { memarg }
        | I32AtomicRmw8SubU { memarg }
        | I32AtomicRmw16SubU { memarg }
        | I64AtomicRmw8SubU { memarg }
        | I64AtomicRmw16SubU { memarg }
        | I64AtomicRmw32SubU { memarg }
        | I32AtomicRmwAnd { memarg }
        | I64AtomicRmwAnd { memarg }
        | I32AtomicRmw8AndU { memarg }
        | I32AtomicRmw16AndU { memarg }
        | I64AtomicRmw8AndU { memarg }
        | I64AtomicRmw16AndU { memarg }
        | I64AtomicRmw32AndU { memarg }
        | I32AtomicRmwOr { memarg }
        | I64AtomicRmwOr { memarg }
        | I32AtomicRmw8OrU { memarg }
        | I32AtomicRmw16OrU { memarg }
        | I64AtomicRmw8OrU { memarg }
        | I64AtomicRmw16OrU { memarg }
        | I64AtomicRmw32OrU { memarg }
        | I32AtomicRmwXor { memarg }
        | I64AtomicRmwXor { memarg }
        | I32AtomicRmw8XorU { memarg }
        | I32AtomicRmw16XorU { memarg }
        | I64AtomicRmw8XorU { memarg }
        | I64AtomicRmw16XorU { memarg }
        | I64AtomicRmw32XorU { memarg } => (SiteKind::ReadModifyWrite, memarg),
        I32AtomicRmwXchg { memarg }
        | I64AtomicRmwXchg { memarg }
        | I32AtomicRmw8XchgU { memarg }
        | I32AtomicRmw16XchgU { memarg }
        | I64AtomicRmw8XchgU { memarg }
        | I64AtomicRmw16XchgU { memarg }
        | I64AtomicRmw32XchgU { memarg } => (SiteKind::Exchange, memarg),
        I32AtomicRmwCmpxchg { memarg }
        | I64AtomicRmwCmpxchg { memarg }
        | I32AtomicRmw8CmpxchgU { memarg }
        | I32AtomicRmw16CmpxchgU { memarg }
        | I64AtomicRmw8CmpxchgU { memarg }
        | I64AtomicRmw16CmpxchgU { memarg }
        | I64AtomicRmw32CmpxchgU { memarg } => (SiteKind::CompareExchange, memarg),
        _ => return None,
    };
    Some((kind, *memarg))
}

type Result2<T> = Result<T, reencode::Error<InstrumentError>>;

fn fail<T>(error: InstrumentError) -> Result2<T> {
    Err(reencode::Error::UserError(error))
}

/// The [`Reencode`] pass: copies the module, shifting function indices, adding the imports
/// and rewriting function bodies.
struct Rewriter {
    layout: Layout,
    /// Function bodies rewritten so far.
    bodies: u32,
    sites: Vec<Site>,
    function_names: HashMap<u32, String>,
    types_done: bool,
    imports_done: bool,
    globals_done: bool,
    /// The body being written, reused from one function to the next.
    body: Vec<u8>,
}

impl Rewriter {
    fn sched_function(&self, which: usize) -> u32 {
        self.layout.imported_functions + which as u32
    }

    fn append_types(&mut self, types: &mut TypeSection) {
        for &k in &self.layout.new_types {
            let (_, params, results) = SIGNATURES[k];
            types
                .ty()
                .function(params.iter().copied(), results.iter().copied());
        }
        self.types_done = true;
    }

    fn append_imports(&mut self, imports: &mut ImportSection) {
        for (k, (name, _, _)) in SIGNATURES.iter().enumerate() {
            let ty = self.layout.signature_types[k];
            imports.import(HOOK_MODULE, name, EntityType::Function(ty));
        }
        self.imports_done = true;
    }

    fn append_countdown(&mut self, globals: &mut GlobalSection) {
        globals.global(
            GlobalType {
                val_type: I32,
                mutable: true,
                shared: false,
            },
            &ConstExpr::i32_const(1),
        );
        self.globals_done = true;
    }

    /// The countdown before a plain access (see the module documentation).
    fn countdown(&self, out: &mut Vec<u8>) {
        let g = self.layout.countdown_global;
        encode(out, &Instruction::GlobalGet(g));
        encode(out, &Instruction::I32Const(1));
        encode(out, &Instruction::I32Sub);
        encode(out, &Instruction::GlobalSet(g));
        encode(out, &Instruction::GlobalGet(g));
        encode(out, &Instruction::I32Eqz);
        encode(out, &Instruction::If(BlockType::Empty));
        encode(out, &Instruction::Call(self.sched_function(SLICE)));
        encode(out, &Instruction::GlobalSet(g));
        encode(out, &Instruction::End);
    }

    fn site(&mut self, function: u32, kind: SiteKind, width: u8) -> Result2<i32> {
        let Ok(id) = i32::try_from(self.sites.len()) else {
            return fail(InstrumentError::Overflow);
        };
        self.sites.push(Site {
            function,
            kind,
            width,
        });
        Ok(id)
    }

    /// Rewrites one function body into `self.body`: instructions that stay as they are are
    /// copied as byte ranges of the original.
    fn rewrite_body(&mut self, function: u32, func: &FunctionBody<'_>) -> Result2<()> {
        let bytes = func.as_bytes();
        let base = func.range().start;
        let mut out = std::mem::take(&mut self.body);
        out.clear();
        // The scratch locals an atomic access's operands are set aside in come after the
        // parameters and the declared locals: address, two i32 values, two i64 values.
        let mut locals = func.get_locals_reader()?;
        let groups = locals.get_count();
        let groups_start = locals.original_position() - base;
        let mut declared = 0u32;
        for _ in 0..groups {
            let (count, _) = locals.read()?;
            declared = declared.saturating_add(count);
        }
        let defined = function - self.layout.imported_functions;
        let params = self.layout.params.get(defined as usize).copied();
        let Some(scratch) = params.and_then(|p| p.checked_add(declared)) else {
            return fail(InstrumentError::Overflow);
        };
        if scratch.checked_add(SCRATCH_LOCALS).is_none() {
            return fail(InstrumentError::Overflow);
        }
        let mut uses_scratch = false;
        // `bytes[..copied]` is in `out` already (the locals, then instructions).
        let mut copied = 0;
        let mut ops = func.get_operators_reader()?;
        let header = ops.original_position() - base;
        while !ops.eof() {
            let start = ops.original_position() - base;
            let edit = ops.visit_operator(&mut Classify)?;
            let end = ops.original_position() - base;
            let replacement = match edit {
                Edit::Keep => continue,
                Edit::Call(f) => Instruction::Call(self.function_index(f)?),
                Edit::ReturnCall(f) => Instruction::ReturnCall(self.function_index(f)?),
                Edit::RefFunc(f) => Instruction::RefFunc(self.function_index(f)?),
                Edit::Plain(memory) => {
                    if memory == 0 {
                        out.extend_from_slice(&bytes[copied..start]);
                        self.countdown(&mut out);
                        copied = start;
                    }
                    continue;
                }
                Edit::Access(kind, memarg, wide) => {
                    check_memory(function, &memarg)?;
                    let Ok(offset) = u32::try_from(memarg.offset) else {
                        return fail(InstrumentError::OffsetTooLarge {
                            function,
                            offset: memarg.offset,
                        });
                    };
                    let width = 1u8.checked_shl(u32::from(memarg.max_align)).unwrap_or(0);
                    let site = self.site(function, kind, width)?;
                    out.extend_from_slice(&bytes[copied..start]);
                    uses_scratch = true;
                    let values: &[u32] = match kind {
                        SiteKind::Load => &[],
                        SiteKind::CompareExchange if wide => &[3, 4],
                        SiteKind::CompareExchange => &[1, 2],
                        _ if wide => &[3],
                        _ => &[1],
                    };
                    for &v in values.iter().rev() {
                        encode(&mut out, &Instruction::LocalSet(scratch + v));
                    }
                    encode(&mut out, &Instruction::LocalTee(scratch));
                    // The offset travels as the bits of a u32.
                    encode(&mut out, &Instruction::I32Const(offset as i32));
                    encode(&mut out, &Instruction::I32Const(site));
                    encode(&mut out, &Instruction::Call(self.sched_function(YIELD)));
                    encode(&mut out, &Instruction::LocalGet(scratch));
                    for &v in values {
                        encode(&mut out, &Instruction::LocalGet(scratch + v));
                    }
                    // The access itself is copied with what follows.
                    copied = start;
                    continue;
                }
                Edit::Replace(which, memarg) => {
                    check_memory(function, &memarg)?;
                    let Ok(offset) = u32::try_from(memarg.offset) else {
                        return fail(InstrumentError::OffsetTooLarge {
                            function,
                            offset: memarg.offset,
                        });
                    };
                    let (kind, width) = match which {
                        WAKE => (SiteKind::Notify, 4),
                        WAIT_64 => (SiteKind::Wait, 8),
                        _ => (SiteKind::Wait, 4),
                    };
                    let site = self.site(function, kind, width)?;
                    out.extend_from_slice(&bytes[copied..start]);
                    // The offset travels as the bits of a u32.
                    encode(&mut out, &Instruction::I32Const(offset as i32));
                    encode(&mut out, &Instruction::I32Const(site));
                    copied = start;
                    Instruction::Call(self.sched_function(which))
                }
            };
            out.extend_from_slice(&bytes[copied..start]);
            encode(&mut out, &replacement);
            copied = end;
        }
        ops.finish()?;
        out.extend_from_slice(&bytes[copied..]);
        if uses_scratch {
            // The locals again, with the scratch ones appended as two more groups.
            let mut locals = Vec::new();
            wasm_encoder::Encode::encode(&(groups + 2), &mut locals);
            locals.extend_from_slice(&bytes[groups_start..header]);
            wasm_encoder::Encode::encode(&3u32, &mut locals);
            wasm_encoder::Encode::encode(&I32, &mut locals);
            wasm_encoder::Encode::encode(&2u32, &mut locals);
            wasm_encoder::Encode::encode(&I64, &mut locals);
            out.splice(..header, locals);
        }
        self.body = out;
        Ok(())
    }
}

/// What to do with one instruction of a body.
enum Edit {
    /// Copy it as it is.
    Keep,
    /// Shift the function index.
    Call(u32),
    ReturnCall(u32),
    RefFunc(u32),
    /// Put a `yield_point` call before it; `true` for an `i64.*` access (its values are
    /// `i64`s).
    Access(SiteKind, MemArg, bool),
    /// A plain load or store of this memory: put the countdown before it (memory 0 only).
    Plain(u32),
    /// Replace it with a call to the scheduler import `.0` (an index into [`SIGNATURES`]).
    Replace(usize, MemArg),
}

/// Decodes instructions into [`Edit`]s without building an [`Operator`] for every one (which
/// makes reading a body about four times slower).
struct Classify;

macro_rules! classify {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            #[inline]
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Edit {
                classify!(@edit $proposal $op $($($arg)*)?)
            }
        )*
    };
    (@edit $proposal:ident Call $f:ident) => { Edit::Call($f) };
    (@edit $proposal:ident ReturnCall $f:ident) => { Edit::ReturnCall($f) };
    (@edit $proposal:ident RefFunc $f:ident) => { Edit::RefFunc($f) };
    (@edit mvp I32Load $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp F32Load $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp F64Load $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Load8S $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Load8U $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Load16S $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Load16U $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load8S $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load8U $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load16S $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load16U $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load32S $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Load32U $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Store $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Store $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp F32Store $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp F64Store $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Store8 $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I32Store16 $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Store8 $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Store16 $m:ident) => { Edit::Plain($m.memory) };
    (@edit mvp I64Store32 $m:ident) => { Edit::Plain($m.memory) };
    (@edit threads MemoryAtomicWait32 $memarg:ident) => { Edit::Replace(WAIT_32, $memarg) };
    (@edit threads MemoryAtomicWait64 $memarg:ident) => { Edit::Replace(WAIT_64, $memarg) };
    (@edit threads MemoryAtomicNotify $memarg:ident) => { Edit::Replace(WAKE, $memarg) };
    (@edit threads $op:ident $memarg:ident) => {
        match access(&Operator::$op { memarg: $memarg }) {
            Some((kind, memarg)) => {
                Edit::Access(kind, memarg, stringify!($op).as_bytes().get(1) == Some(&b'6'))
            }
            None => Edit::Keep,
        }
    };
    (@edit $proposal:ident $op:ident $($arg:ident)*) => {{
        $(let _ = $arg;)*
        Edit::Keep
    }};
}

impl<'a> wasmparser::VisitOperator<'a> for Classify {
    type Output = Edit;

    fn simd_visitor(
        &mut self,
    ) -> Option<&mut dyn wasmparser::VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(classify);
}

impl<'a> wasmparser::VisitSimdOperator<'a> for Classify {
    wasmparser::for_each_visit_simd_operator!(classify);
}

fn check_memory(function: u32, memarg: &MemArg) -> Result2<()> {
    if memarg.memory == 0 {
        Ok(())
    } else {
        fail(InstrumentError::UnsupportedMemory {
            function,
            memory: memarg.memory,
        })
    }
}

fn encode(out: &mut Vec<u8>, instruction: &Instruction<'_>) {
    wasm_encoder::Encode::encode(instruction, out);
}

impl Reencode for Rewriter {
    type Error = InstrumentError;

    fn function_index(&mut self, func: u32) -> Result2<u32> {
        if func < self.layout.imported_functions {
            Ok(func)
        } else {
            match func.checked_add(SCHED_IMPORTS) {
                Some(shifted) => Ok(shifted),
                None => fail(InstrumentError::Overflow),
            }
        }
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result2<()> {
        reencode::utils::parse_type_section(self, types, section)?;
        self.append_types(types);
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result2<()> {
        reencode::utils::parse_import_section(self, imports, section)?;
        self.append_imports(imports);
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result2<()> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.append_countdown(globals);
        Ok(())
    }

    /// Called before every non-custom section (and at the end): writes a type or import
    /// section the module does not have once the place where it belongs is passed.
    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result2<()> {
        if !self.types_done && before != Some(SectionId::Type) {
            let mut types = TypeSection::new();
            self.append_types(&mut types);
            if !types.is_empty() {
                module.section(&types);
            }
        }
        if !self.imports_done && !matches!(before, Some(SectionId::Type | SectionId::Import)) {
            let mut imports = ImportSection::new();
            self.append_imports(&mut imports);
            module.section(&imports);
        }
        // Section order: ... memory, tag, global, export, start, element, data count, code,
        // data.
        let past_globals = matches!(
            before,
            None | Some(
                SectionId::Export
                    | SectionId::Start
                    | SectionId::Element
                    | SectionId::DataCount
                    | SectionId::Code
                    | SectionId::Data
            )
        );
        if !self.globals_done && past_globals {
            let mut globals = GlobalSection::new();
            self.append_countdown(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result2<()> {
        let Some(function) = self.layout.imported_functions.checked_add(self.bodies) else {
            return fail(InstrumentError::Overflow);
        };
        self.bodies += 1;
        self.rewrite_body(function, &func)?;
        code.raw(&self.body);
        Ok(())
    }

    /// Keeps the `name` section (remapped), drops every other custom section. A malformed
    /// `name` section is dropped too, as engines ignore it.
    fn parse_custom_section(
        &mut self,
        module: &mut wasm_encoder::Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result2<()> {
        if let KnownCustom::Name(reader) = section.as_known() {
            match self.custom_name_section(reader) {
                Ok(names) => {
                    module.section(&names);
                }
                Err(reencode::Error::ParseError(_)) => self.function_names.clear(),
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// Function names are shifted, the scheduler's imports get names, and the names are kept
    /// (demangled) for [`Instrumented::function_names`]; other subsections are remapped as
    /// usual.
    fn parse_custom_name_subsection(
        &mut self,
        names: &mut NameSection,
        section: Name<'_>,
    ) -> Result2<()> {
        let Name::Function(map) = section else {
            return reencode::utils::parse_custom_name_subsection(self, names, section);
        };
        let mut out = NameMap::new();
        let mut sched_named = false;
        for naming in map {
            let naming = naming?;
            if !sched_named && naming.index >= self.layout.imported_functions {
                self.name_sched_imports(&mut out);
                sched_named = true;
            }
            out.append(self.function_index(naming.index)?, naming.name);
            let demangled = format!("{:#}", rustc_demangle::demangle(naming.name));
            self.function_names.insert(naming.index, demangled);
        }
        if !sched_named {
            self.name_sched_imports(&mut out);
        }
        names.functions(&out);
        Ok(())
    }
}

impl Rewriter {
    fn name_sched_imports(&self, names: &mut NameMap) {
        for (k, (name, _, _)) in SIGNATURES.iter().enumerate() {
            names.append(self.sched_function(k), &format!("{HOOK_MODULE}::{name}"));
        }
    }
}

#[cfg(test)]
#[path = "instrument_fuzz.rs"]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};
    use wasm_encoder::{
        CodeSection, ConstExpr, CustomSection, DataSection, ElementSection, Elements, ExportKind,
        ExportSection, Function, FunctionSection, GlobalSection, GlobalType, IndirectNameMap,
        MemArg as EncMemArg, MemorySection, MemoryType, Module, RefType, StartSection,
        TableSection, TableType,
    };
    use wasmparser::{ElementItems, ElementKind, ExternalKind, Validator, WasmFeatures};

    const GUEST: &str = r#"
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct AtomicCounter {
    value: AtomicU64,
}

impl AtomicCounter {
    #[inline(never)]
    pub fn increment_and_get(&self) -> u64 {
        let next = self.value.load(Ordering::SeqCst) + 1;
        self.value.store(next, Ordering::SeqCst);
        next
    }
}

#[no_mangle]
pub extern "C" fn run() -> u64 {
    let counter = Arc::new(AtomicCounter { value: AtomicU64::new(0) });
    let total = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            let total = Arc::clone(&total);
            std::thread::spawn(move || {
                let v = counter.increment_and_get();
                *total.lock().unwrap() += v;
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let sum = *total.lock().unwrap();
    sum + counter.value.load(Ordering::SeqCst)
}
"#;

    fn compile(target: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("solution.rs");
        let out = dir.path().join("out.wasm");
        std::fs::write(&src, GUEST).unwrap();
        let output = Command::new("rustc")
            .args([
                "--edition",
                "2021",
                "--target",
                target,
                "--crate-type",
                "cdylib",
            ])
            .args(["-O", "-C", "panic=abort", "-o"])
            .arg(&out)
            .arg(&src)
            .output()
            .expect("rustc runs");
        assert!(
            output.status.success(),
            "rustc --target {target} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read(&out).unwrap()
    }

    fn threaded_guest() -> &'static [u8] {
        static WASM: OnceLock<Vec<u8>> = OnceLock::new();
        WASM.get_or_init(|| compile("wasm32-wasip1-threads"))
    }

    fn plain_guest() -> &'static [u8] {
        static WASM: OnceLock<Vec<u8>> = OnceLock::new();
        WASM.get_or_init(|| compile("wasm32-wasip1"))
    }

    fn validate(wasm: &[u8]) {
        Validator::new_with_features(WasmFeatures::all())
            .validate_all(wasm)
            .expect("output validates");
    }

    /// The parts of a module the tests look at.
    #[derive(Default)]
    struct Parts<'a> {
        types: Vec<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>)>,
        imports: Vec<wasmparser::Import<'a>>,
        exports: Vec<(String, ExternalKind, u32)>,
        start: Option<u32>,
        elements: Vec<(String, Vec<u32>)>,
        global_ref_funcs: Vec<u32>,
        bodies: Vec<Vec<Operator<'a>>>,
        raw_bodies: Vec<&'a [u8]>,
        /// Each defined function's type index, and its declared locals.
        function_types: Vec<u32>,
        declared_locals: Vec<u32>,
        custom: Vec<String>,
        function_names: Vec<(u32, String)>,
        local_names: Vec<(u32, Vec<(u32, String)>)>,
    }

    impl Parts<'_> {
        fn imported_functions(&self) -> u32 {
            self.imports
                .iter()
                .filter(|import| matches!(import.ty, TypeRef::Func(_)))
                .count() as u32
        }

        fn export(&self, name: &str) -> u32 {
            self.exports
                .iter()
                .find(|(export, kind, _)| export == name && *kind == ExternalKind::Func)
                .map(|(_, _, index)| *index)
                .unwrap_or_else(|| panic!("no function export {name}"))
        }

        fn name(&self, index: u32) -> Option<&str> {
            self.function_names
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, name)| name.as_str())
        }
    }

    fn ref_funcs(expr: &wasmparser::ConstExpr<'_>) -> Vec<u32> {
        let mut found = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            if let Operator::RefFunc { function_index } = reader.read().unwrap() {
                found.push(function_index);
            }
        }
        found
    }

    fn parts(wasm: &[u8]) -> Parts<'_> {
        let mut parts = Parts::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::TypeSection(reader) => {
                    for ty in reader.into_iter_err_on_gc_types() {
                        let ty = ty.unwrap();
                        parts
                            .types
                            .push((ty.params().to_vec(), ty.results().to_vec()));
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        parts.imports.push(import.unwrap());
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.unwrap();
                        parts
                            .exports
                            .push((export.name.to_string(), export.kind, export.index));
                    }
                }
                Payload::StartSection { func, .. } => parts.start = Some(func),
                Payload::GlobalSection(reader) => {
                    for global in reader {
                        parts
                            .global_ref_funcs
                            .extend(ref_funcs(&global.unwrap().init_expr));
                    }
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let element = element.unwrap();
                        let kind = match element.kind {
                            ElementKind::Active { .. } => "active",
                            ElementKind::Passive => "passive",
                            ElementKind::Declared => "declared",
                        };
                        let functions = match element.items {
                            ElementItems::Functions(reader) => {
                                reader.into_iter().map(|f| f.unwrap()).collect()
                            }
                            ElementItems::Expressions(_, reader) => reader
                                .into_iter()
                                .flat_map(|expr| ref_funcs(&expr.unwrap()))
                                .collect(),
                        };
                        parts.elements.push((kind.to_string(), functions));
                    }
                }
                Payload::FunctionSection(reader) => {
                    parts
                        .function_types
                        .extend(reader.into_iter().map(|ty| ty.unwrap()));
                }
                Payload::CodeSectionEntry(body) => {
                    let declared = body
                        .get_locals_reader()
                        .unwrap()
                        .into_iter()
                        .map(|group| group.unwrap().0)
                        .sum();
                    parts.declared_locals.push(declared);
                    let ops = body.get_operators_reader().unwrap();
                    parts
                        .bodies
                        .push(ops.into_iter().map(|op| op.unwrap()).collect());
                    parts.raw_bodies.push(body.as_bytes());
                }
                Payload::CustomSection(section) => {
                    parts.custom.push(section.name().to_string());
                    if let KnownCustom::Name(reader) = section.as_known() {
                        for subsection in reader {
                            match subsection.unwrap() {
                                Name::Function(map) => {
                                    for naming in map {
                                        let naming = naming.unwrap();
                                        parts
                                            .function_names
                                            .push((naming.index, naming.name.to_string()));
                                    }
                                }
                                Name::Local(map) => {
                                    for function in map {
                                        let function = function.unwrap();
                                        let locals = function
                                            .names
                                            .into_iter()
                                            .map(|naming| {
                                                let naming = naming.unwrap();
                                                (naming.index, naming.name.to_string())
                                            })
                                            .collect();
                                        parts.local_names.push((function.index, locals));
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        parts
    }

    /// Classifies an atomic access by its operator's name, independently of [`access`].
    fn kind_by_name(op: &Operator<'_>) -> Option<SiteKind> {
        let name = format!("{op:?}");
        let name = name.split([' ', '{']).next().unwrap();
        if !(name.starts_with("I32Atomic") || name.starts_with("I64Atomic")) {
            return None;
        }
        Some(if name.contains("Cmpxchg") {
            SiteKind::CompareExchange
        } else if name.contains("Xchg") {
            SiteKind::Exchange
        } else if name.contains("Rmw") {
            SiteKind::ReadModifyWrite
        } else if name.contains("Load") {
            SiteKind::Load
        } else if name.contains("Store") {
            SiteKind::Store
        } else {
            panic!("unclassified atomic {name}")
        })
    }

    /// What the pass should make of `input`'s bodies, rebuilt at the operator level: checks
    /// every site of the table on the way, in order.
    /// The memory a plain (non-atomic, non-SIMD) load or store accesses.
    fn plain_memory(op: &Operator<'_>) -> Option<u32> {
        use Operator::*;
        match op {
            I32Load { memarg }
            | I64Load { memarg }
            | F32Load { memarg }
            | F64Load { memarg }
            | I32Load8S { memarg }
            | I32Load8U { memarg }
            | I32Load16S { memarg }
            | I32Load16U { memarg }
            | I64Load8S { memarg }
            | I64Load8U { memarg }
            | I64Load16S { memarg }
            | I64Load16U { memarg }
            | I64Load32S { memarg }
            | I64Load32U { memarg }
            | I32Store { memarg }
            | I64Store { memarg }
            | F32Store { memarg }
            | F64Store { memarg }
            | I32Store8 { memarg }
            | I32Store16 { memarg }
            | I64Store8 { memarg }
            | I64Store16 { memarg }
            | I64Store32 { memarg } => Some(memarg.memory),
            _ => None,
        }
    }

    /// Globals the module imports or defines: the countdown's index.
    fn global_count(wasm: &[u8]) -> u32 {
        let mut count = 0;
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        if matches!(import.unwrap().ty, TypeRef::Global(_)) {
                            count += 1;
                        }
                    }
                }
                Payload::GlobalSection(reader) => count += reader.count(),
                _ => {}
            }
        }
        count
    }

    fn expected_bodies<'a>(
        input: &Parts<'a>,
        result: &Instrumented,
        countdown: u32,
    ) -> Vec<Vec<Operator<'a>>> {
        let imported = input.imported_functions();
        let shift = |f: u32| if f < imported { f } else { f + SCHED_IMPORTS };
        let [yield_point, wait32, wait64, notify, slice_point] =
            [0, 1, 2, 3, 4].map(|k| imported + k);
        let mut next_site = 0usize;
        let mut take_site = |function: u32, kind: SiteKind| {
            let found = result.sites[next_site];
            assert_eq!(
                (found.function, found.kind),
                (function, kind),
                "site {next_site}"
            );
            next_site += 1;
            next_site as i32 - 1
        };
        let call = |function_index| Operator::Call { function_index };
        let konst = |value| Operator::I32Const { value };
        let mut bodies = Vec::new();
        for (i, body) in input.bodies.iter().enumerate() {
            let function = imported + i as u32;
            let params = input.types[input.function_types[i] as usize].0.len() as u32;
            let scratch = params + input.declared_locals[i];
            let mut out = Vec::new();
            for op in body {
                match op {
                    Operator::Call { function_index } => out.push(call(shift(*function_index))),
                    Operator::ReturnCall { function_index } => out.push(Operator::ReturnCall {
                        function_index: shift(*function_index),
                    }),
                    Operator::RefFunc { function_index } => out.push(Operator::RefFunc {
                        function_index: shift(*function_index),
                    }),
                    Operator::MemoryAtomicWait32 { memarg }
                    | Operator::MemoryAtomicWait64 { memarg }
                    | Operator::MemoryAtomicNotify { memarg } => {
                        let (kind, target) = match op {
                            Operator::MemoryAtomicWait32 { .. } => (SiteKind::Wait, wait32),
                            Operator::MemoryAtomicWait64 { .. } => (SiteKind::Wait, wait64),
                            _ => (SiteKind::Notify, notify),
                        };
                        out.push(konst(memarg.offset as i32));
                        out.push(konst(take_site(function, kind)));
                        out.push(call(target));
                    }
                    other => {
                        if let Some(kind) = kind_by_name(other) {
                            let wide = format!("{other:?}").starts_with("I64");
                            let values: Vec<u32> = match (kind, wide) {
                                (SiteKind::Load, _) => vec![],
                                (SiteKind::CompareExchange, false) => vec![1, 2],
                                (SiteKind::CompareExchange, true) => vec![3, 4],
                                (_, false) => vec![1],
                                (_, true) => vec![3],
                            };
                            for v in values.iter().rev() {
                                out.push(Operator::LocalSet {
                                    local_index: scratch + v,
                                });
                            }
                            out.push(Operator::LocalTee {
                                local_index: scratch,
                            });
                            let offset = access(other).expect("an access").1.offset;
                            out.push(konst(offset as i32));
                            out.push(konst(take_site(function, kind)));
                            out.push(call(yield_point));
                            out.push(Operator::LocalGet {
                                local_index: scratch,
                            });
                            for v in &values {
                                out.push(Operator::LocalGet {
                                    local_index: scratch + v,
                                });
                            }
                        }
                        if plain_memory(other) == Some(0) {
                            let global_index = countdown;
                            out.extend([
                                Operator::GlobalGet { global_index },
                                konst(1),
                                Operator::I32Sub,
                                Operator::GlobalSet { global_index },
                                Operator::GlobalGet { global_index },
                                Operator::I32Eqz,
                                Operator::If {
                                    blockty: wasmparser::BlockType::Empty,
                                },
                                call(slice_point),
                                Operator::GlobalSet { global_index },
                                Operator::End,
                            ]);
                        }
                        out.push(other.clone());
                    }
                }
            }
            bodies.push(out);
        }
        assert_eq!(next_site, result.sites.len(), "every site is in the code");
        bodies
    }

    #[test]
    #[allow(clippy::print_stderr)]
    fn real_guest_is_instrumented() {
        let wasm = threaded_guest();
        let result = instrument(wasm).unwrap();
        validate(&result.wasm);

        let mut fastest = Duration::MAX;
        for _ in 0..5 {
            let started = Instant::now();
            let again = instrument(wasm).unwrap();
            fastest = fastest.min(started.elapsed());
            assert_eq!(again.wasm, result.wasm, "the pass is deterministic");
        }
        eprintln!(
            "instrumented {} bytes into {} bytes in {fastest:?}: {} sites, {} named functions",
            wasm.len(),
            result.wasm.len(),
            result.sites.len(),
            result.function_names.len()
        );

        let input = parts(wasm);
        let output = parts(&result.wasm);
        let imported = input.imported_functions();

        // The module's imports, then the scheduler's, with the right signatures.
        assert_eq!(
            output.imports.len(),
            input.imports.len() + SCHED_IMPORTS as usize
        );
        for (before, after) in input.imports.iter().zip(&output.imports) {
            assert_eq!((before.module, before.name), (after.module, after.name));
        }
        let sched: Vec<_> = output.imports[input.imports.len()..].iter().collect();
        for (import, (name, params, results)) in sched.iter().zip(SIGNATURES) {
            assert_eq!((import.module, import.name), (HOOK_MODULE, name));
            let TypeRef::Func(ty) = import.ty else {
                panic!("{name} is not a function")
            };
            let (got_params, got_results) = &output.types[ty as usize];
            assert!(same_types(got_params, params) && same_types(got_results, results));
        }
        assert_eq!(output.imported_functions(), imported + SCHED_IMPORTS);

        // Bodies: the same instructions, with the sites inserted and calls shifted.
        assert_eq!(input.bodies.len(), output.bodies.len());
        assert_eq!(
            expected_bodies(&input, &result, global_count(wasm)),
            output.bodies
        );
        for body in &output.bodies {
            assert!(!body.iter().any(|op| matches!(
                op,
                Operator::MemoryAtomicWait32 { .. }
                    | Operator::MemoryAtomicWait64 { .. }
                    | Operator::MemoryAtomicNotify { .. }
            )));
        }
        for kind in [
            SiteKind::Load,
            SiteKind::Store,
            SiteKind::ReadModifyWrite,
            SiteKind::Exchange,
            SiteKind::CompareExchange,
            SiteKind::Wait,
            SiteKind::Notify,
        ] {
            assert!(
                result.sites.iter().any(|site| site.kind == kind),
                "{kind:?}"
            );
        }

        // Exports, start and elements point at the shifted functions.
        for (name, kind, index) in &input.exports {
            let shifted = if *kind == ExternalKind::Func && *index >= imported {
                index + SCHED_IMPORTS
            } else {
                *index
            };
            assert!(output.exports.contains(&(name.clone(), *kind, shifted)));
        }
        let run = output.export("run");
        assert_eq!(run, input.export("run") + SCHED_IMPORTS);
        assert!(output.name(run).unwrap().contains("run"));
        assert!(result.function_names[&input.export("run")].contains("run"));
        assert_eq!(output.start, input.start.map(|f| f + SCHED_IMPORTS));
        assert_eq!(
            output.elements,
            input
                .elements
                .iter()
                .map(|(kind, fs)| {
                    (kind.clone(), fs.iter().map(|f| f + SCHED_IMPORTS).collect())
                })
                .collect::<Vec<_>>()
        );

        // Only the name section is left, shifted, with names for the new imports.
        assert_eq!(output.custom, ["name"]);
        assert!(input.custom.iter().any(|name| name.starts_with(".debug_")));
        for (index, name) in &input.function_names {
            let shifted = if *index >= imported {
                index + SCHED_IMPORTS
            } else {
                *index
            };
            assert_eq!(output.name(shifted), Some(name.as_str()));
        }
        assert_eq!(
            output.name(imported),
            Some(format!("{HOOK_MODULE}::{YIELD_POINT}").as_str())
        );

        // Sites are explained with demangled names.
        let descriptions: Vec<String> = (0..result.sites.len() as u32)
            .map(|site| result.describe_site(site))
            .collect();
        for wanted in [
            "atomic load in solution::AtomicCounter::increment_and_get",
            "atomic store in solution::AtomicCounter::increment_and_get",
        ] {
            assert!(
                descriptions.iter().any(|d| d == wanted),
                "{descriptions:#?}"
            );
        }
        // std's futex mutex (v0-mangled inherent methods demangle as `<Type>::method`).
        for wanted in [
            "wait in <std::sys::sync::mutex::futex::Mutex>::lock_contended",
            "wake in <std::sys::sync::mutex::futex::Mutex>::wake",
        ] {
            assert!(
                descriptions.iter().any(|d| d == wanted),
                "{descriptions:#?}"
            );
        }
        assert!(result
            .function_names
            .values()
            .all(|name| !name.contains("17h")));
    }

    #[test]
    fn wasmtime_compiles_the_output() {
        let result = instrument(threaded_guest()).unwrap();
        let mut config = wasmtime::Config::new();
        config.wasm_threads(true).shared_memory(true);
        let engine = wasmtime::Engine::new(&config).unwrap();
        let module = wasmtime::Module::new(&engine, &result.wasm).unwrap();
        let sched: Vec<_> = module
            .imports()
            .filter(|import| import.module() == HOOK_MODULE)
            .map(|import| import.name().to_string())
            .collect();
        assert_eq!(sched, [YIELD_POINT, WAIT32, WAIT64, NOTIFY, SLICE_POINT]);
        let memory = module
            .imports()
            .find_map(|import| import.ty().memory().cloned())
            .unwrap();
        assert!(memory.is_shared());
    }

    #[test]
    fn threaded_modules_are_told_apart() {
        assert!(is_threaded(threaded_guest()));
        assert!(!is_threaded(plain_guest()));
        assert!(!is_threaded(b"garbage"));
        assert!(!is_threaded(&[]));
        assert!(is_threaded(&hand_module()));
        // A module that defines (rather than imports) a shared memory is not a
        // wasm32-wasip1-threads module.
        let mut module = Module::new();
        module.section(&memories(1));
        assert!(!is_threaded(&module.finish()));
    }

    #[test]
    fn garbage_is_an_error() {
        let real = threaded_guest();
        let mut component = b"\0asm".to_vec();
        component.extend([0x0d, 0x00, 0x01, 0x00]);
        let inputs: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("text", b"not a wasm module at all".to_vec()),
            ("magic only", b"\0asm".to_vec()),
            ("bad version", b"\0asm\x02\0\0\0".to_vec()),
            ("component", component),
            ("truncated", real[..real.len() / 2].to_vec()),
            ("truncated early", real[..200].to_vec()),
        ];
        for (what, bytes) in inputs {
            assert!(instrument(&bytes).is_err(), "{what}");
        }
        assert!(matches!(
            instrument(b"\0asm\x01\0\0\0\x01\x05\x01\x60"),
            Err(InstrumentError::Malformed(_))
        ));
    }

    #[test]
    fn mutated_modules_never_panic() {
        let original = hand_module();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 3 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            if let Ok(result) = instrument(&bytes) {
                // Whatever came out must still parse.
                for payload in Parser::new(0).parse_all(&result.wasm) {
                    payload.unwrap();
                }
            }
        }
    }

    fn memarg(offset: u64, align: u32, memory_index: u32) -> EncMemArg {
        EncMemArg {
            offset,
            align,
            memory_index,
        }
    }

    fn memories(count: usize) -> MemorySection {
        let mut memories = MemorySection::new();
        for _ in 0..count {
            memories.memory(MemoryType {
                minimum: 1,
                maximum: Some(1),
                memory64: false,
                shared: true,
                page_size_log2: None,
            });
        }
        memories
    }

    /// A module with a function import, an imported shared memory, three defined functions
    /// (one with every kind of site), `ref.func` in a body and a global, all three element
    /// segment forms, a start function, exports, a name section and custom sections.
    fn hand_module() -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types
            .ty()
            .function([ValType::I32, ValType::I32, ValType::I32], []); // 0: yield_point's
        types.ty().function([], []); // 1
        types.ty().function([], [ValType::I32]); // 2
        module.section(&types);

        let mut imports = ImportSection::new();
        imports.import("env", "f", EntityType::Function(1)); // function 0
        imports.import(
            "env",
            "memory",
            MemoryType {
                minimum: 1,
                maximum: Some(2),
                memory64: false,
                shared: true,
                page_size_log2: None,
            },
        );
        module.section(&imports);

        let mut functions = FunctionSection::new();
        functions.function(1); // 1: every kind of site
        functions.function(2); // 2
        functions.function(1); // 3: the start function
        module.section(&functions);

        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            minimum: 4,
            maximum: Some(4),
            table64: false,
            shared: false,
        });
        module.section(&tables);

        let mut globals = GlobalSection::new();
        globals.global(
            GlobalType {
                val_type: ValType::Ref(RefType::FUNCREF),
                mutable: false,
                shared: false,
            },
            &ConstExpr::ref_func(2),
        );
        module.section(&globals);

        let mut exports = ExportSection::new();
        exports.export("one", ExportKind::Func, 1);
        exports.export("two", ExportKind::Func, 2);
        exports.export("import", ExportKind::Func, 0);
        exports.export("table", ExportKind::Table, 0);
        module.section(&exports);

        module.section(&StartSection { function_index: 3 });

        let mut elements = ElementSection::new();
        elements.active(
            None,
            &ConstExpr::i32_const(0),
            Elements::Functions([0, 1, 2, 3][..].into()),
        );
        elements.passive(Elements::Expressions(
            RefType::FUNCREF,
            [
                ConstExpr::ref_func(3),
                ConstExpr::ref_null(wasm_encoder::HeapType::FUNC),
            ][..]
                .into(),
        ));
        elements.declared(Elements::Functions([2][..].into()));
        module.section(&elements);

        let mut code = CodeSection::new();
        let mut one = Function::new([]);
        one.instructions()
            .i32_const(0)
            .i32_atomic_load(memarg(4, 2, 0))
            .drop()
            .i32_const(0)
            .i64_const(1)
            .i64_const(2)
            .i64_atomic_rmw_cmpxchg(memarg(0, 3, 0))
            .drop()
            .i32_const(0)
            .i32_const(1)
            .i64_const(-1)
            .memory_atomic_wait32(memarg(8, 2, 0))
            .drop()
            .i32_const(0)
            .i32_const(1)
            .memory_atomic_notify(memarg(16, 2, 0))
            .drop()
            .atomic_fence()
            .call(0)
            .call(2)
            .drop()
            .ref_func(3)
            .drop()
            .end();
        code.function(&one);
        let mut two = Function::new([(1, ValType::I32)]);
        two.instructions()
            .i32_const(0)
            .i32_const(5)
            .i32_atomic_rmw_add(memarg(0, 2, 0))
            .local_tee(0)
            .end();
        code.function(&two);
        let mut three = Function::new([]);
        three
            .instructions()
            .i32_const(0)
            .i64_const(7)
            .i64_atomic_store32(memarg(0, 2, 0))
            .i32_const(0)
            .i64_const(0)
            .i64_const(0)
            .memory_atomic_wait64(memarg(0, 3, 0))
            .drop()
            .return_call(1)
            .end();
        code.function(&three);
        module.section(&code);
        module.section(&DataSection::new());

        module.section(&CustomSection {
            name: ".debug_info".into(),
            data: [1, 2, 3][..].into(),
        });
        let mut names = NameSection::new();
        names.module("hand");
        let mut functions = NameMap::new();
        functions.append(0, "f");
        functions.append(1, "_ZN8solution3one17h0123456789abcdefE");
        functions.append(2, "two");
        functions.append(3, "three");
        names.functions(&functions);
        let mut locals = IndirectNameMap::new();
        let mut two_locals = NameMap::new();
        two_locals.append(0, "tmp");
        locals.append(2, &two_locals);
        names.locals(&locals);
        module.section(&names);
        module.section(&CustomSection {
            name: "producers".into(),
            data: [0][..].into(),
        });
        module.finish()
    }

    #[test]
    fn hand_module_is_remapped_exactly() {
        let wasm = hand_module();
        validate(&wasm);
        let result = instrument(&wasm).unwrap();
        validate(&result.wasm);
        let output = parts(&result.wasm);

        // yield_point reuses type 0 and slice_point type 2; the other three signatures are
        // appended.
        assert_eq!(output.types.len(), 6);
        let imports: Vec<_> = output
            .imports
            .iter()
            .map(|import| (import.module, import.name, import.ty))
            .collect();
        assert_eq!(imports.len(), 7);
        assert_eq!(imports[0], ("env", "f", TypeRef::Func(1)));
        assert_eq!(&imports[1].1, &"memory");
        assert_eq!(imports[2], (HOOK_MODULE, YIELD_POINT, TypeRef::Func(0)));
        assert_eq!(imports[3], (HOOK_MODULE, WAIT32, TypeRef::Func(3)));
        assert_eq!(imports[4], (HOOK_MODULE, WAIT64, TypeRef::Func(4)));
        assert_eq!(imports[5], (HOOK_MODULE, NOTIFY, TypeRef::Func(5)));
        assert_eq!(imports[6], (HOOK_MODULE, SLICE_POINT, TypeRef::Func(2)));

        // Defined functions 1, 2, 3 are now 6, 7, 8; the import stays 0.
        assert_eq!(
            output.exports,
            [
                ("one".to_string(), ExternalKind::Func, 6),
                ("two".to_string(), ExternalKind::Func, 7),
                ("import".to_string(), ExternalKind::Func, 0),
                ("table".to_string(), ExternalKind::Table, 0),
            ]
        );
        assert_eq!(output.start, Some(8));
        assert_eq!(output.global_ref_funcs, [7]);
        assert_eq!(
            output.elements,
            [
                ("active".to_string(), vec![0, 6, 7, 8]),
                ("passive".to_string(), vec![8]),
                ("declared".to_string(), vec![7]),
            ]
        );

        // The first body, byte for byte.
        // Scratch locals: 0 the address, 1-2 i32 values, 3-4 i64 values.
        let mut expected = Function::new([(3, ValType::I32), (2, ValType::I64)]);
        expected
            .instructions()
            .i32_const(0)
            .local_tee(0)
            .i32_const(4)
            .i32_const(0)
            .call(1)
            .local_get(0)
            .i32_atomic_load(memarg(4, 2, 0))
            .drop()
            .i32_const(0)
            .i64_const(1)
            .i64_const(2)
            .local_set(4)
            .local_set(3)
            .local_tee(0)
            .i32_const(0)
            .i32_const(1)
            .call(1)
            .local_get(0)
            .local_get(3)
            .local_get(4)
            .i64_atomic_rmw_cmpxchg(memarg(0, 3, 0))
            .drop()
            .i32_const(0)
            .i32_const(1)
            .i64_const(-1)
            .i32_const(8)
            .i32_const(2)
            .call(2)
            .drop()
            .i32_const(0)
            .i32_const(1)
            .i32_const(16)
            .i32_const(3)
            .call(4)
            .drop()
            .atomic_fence()
            .call(0)
            .call(7)
            .drop()
            .ref_func(8)
            .drop()
            .end();
        assert_eq!(output.raw_bodies[0], expected.into_raw_body());
        // After the declared local: 1 the address, 2-3 i32 values, 4-5 i64 values.
        let mut expected = Function::new([(1, ValType::I32), (3, ValType::I32), (2, ValType::I64)]);
        expected
            .instructions()
            .i32_const(0)
            .i32_const(5)
            .local_set(2)
            .local_tee(1)
            .i32_const(0)
            .i32_const(4)
            .call(1)
            .local_get(1)
            .local_get(2)
            .i32_atomic_rmw_add(memarg(0, 2, 0))
            .local_tee(0)
            .end();
        assert_eq!(output.raw_bodies[1], expected.into_raw_body());
        let mut expected = Function::new([(3, ValType::I32), (2, ValType::I64)]);
        expected
            .instructions()
            .i32_const(0)
            .i64_const(7)
            .local_set(3)
            .local_tee(0)
            .i32_const(0)
            .i32_const(5)
            .call(1)
            .local_get(0)
            .local_get(3)
            .i64_atomic_store32(memarg(0, 2, 0))
            .i32_const(0)
            .i64_const(0)
            .i64_const(0)
            .i32_const(0)
            .i32_const(6)
            .call(3)
            .drop()
            .return_call(6)
            .end();
        assert_eq!(output.raw_bodies[2], expected.into_raw_body());

        let site = |function, kind, width| Site {
            function,
            kind,
            width,
        };
        assert_eq!(
            result.sites,
            [
                site(1, SiteKind::Load, 4),
                site(1, SiteKind::CompareExchange, 8),
                site(1, SiteKind::Wait, 4),
                site(1, SiteKind::Notify, 4),
                site(2, SiteKind::ReadModifyWrite, 4),
                site(3, SiteKind::Store, 4),
                site(3, SiteKind::Wait, 8),
            ]
        );

        // Names: shifted, the new imports named, locals follow their function; the original
        // indices (demangled) in `function_names`.
        assert_eq!(output.custom, ["name"]);
        let names: Vec<_> = output
            .function_names
            .iter()
            .map(|(i, name)| (*i, name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (0, "f"),
                (1, "judge_sched::yield_point"),
                (2, "judge_sched::wait32"),
                (3, "judge_sched::wait64"),
                (4, "judge_sched::notify"),
                (5, "judge_sched::slice_point"),
                (6, "_ZN8solution3one17h0123456789abcdefE"),
                (7, "two"),
                (8, "three"),
            ]
        );
        assert_eq!(output.local_names, [(7, vec![(0, "tmp".to_string())])]);
        let mut wanted: Vec<_> = [(0, "f"), (1, "solution::one"), (2, "two"), (3, "three")]
            .into_iter()
            .map(|(i, name)| (i, name.to_string()))
            .collect();
        let mut got: Vec<_> = result.function_names.clone().into_iter().collect();
        got.sort();
        wanted.sort();
        assert_eq!(got, wanted);

        assert_eq!(result.describe_site(0), "atomic load in solution::one");
        assert_eq!(
            result.describe_site(1),
            "atomic compare-exchange in solution::one"
        );
        assert_eq!(result.describe_site(2), "wait in solution::one");
        assert_eq!(result.describe_site(3), "wake in solution::one");
        assert_eq!(result.describe_site(4), "atomic read-modify-write in two");
        assert_eq!(result.describe_site(5), "atomic store in three");
        assert_eq!(result.describe_site(7), "unknown site 7");
    }

    #[test]
    fn module_without_types_or_imports_gets_them() {
        for wasm in [Module::new().finish(), {
            let mut module = Module::new();
            module.section(&memories(1));
            module.finish()
        }] {
            let result = instrument(&wasm).unwrap();
            validate(&result.wasm);
            let output = parts(&result.wasm);
            assert_eq!(output.types.len(), 5);
            let names: Vec<_> = output.imports.iter().map(|i| (i.module, i.name)).collect();
            assert_eq!(
                names,
                [
                    (HOOK_MODULE, YIELD_POINT),
                    (HOOK_MODULE, WAIT32),
                    (HOOK_MODULE, WAIT64),
                    (HOOK_MODULE, NOTIFY),
                    (HOOK_MODULE, SLICE_POINT)
                ]
            );
            assert!(result.sites.is_empty() && result.function_names.is_empty());
        }
    }

    /// A module whose one function (index 0) has `body`, with two memories.
    fn one_function(body: impl FnOnce(&mut Function)) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        module.section(&types);
        let mut functions = FunctionSection::new();
        functions.function(0);
        module.section(&functions);
        module.section(&memories(2));
        let mut code = CodeSection::new();
        let mut function = Function::new([]);
        body(&mut function);
        code.function(&function);
        module.section(&code);
        module.finish()
    }

    #[test]
    fn plain_accesses_of_memory_zero_get_the_countdown() {
        let wasm = one_function(|f| {
            f.instructions()
                .i32_const(0)
                .i32_load(memarg(0, 2, 0))
                .drop()
                .i32_const(8)
                .i64_const(1)
                .i64_store(memarg(4, 3, 0))
                .i32_const(0)
                .i32_load8_u(memarg(0, 0, 1))
                .drop()
                .end();
        });
        let result = instrument(&wasm).unwrap();
        validate(&result.wasm);
        let output = parts(&result.wasm);
        // No globals before: the countdown is global 0, in a section of its own, starting at
        // 1; slice_point is the fifth import (function 4).
        let mut globals = Vec::new();
        for payload in Parser::new(0).parse_all(&result.wasm) {
            if let Payload::GlobalSection(reader) = payload.unwrap() {
                for global in reader {
                    let global = global.unwrap();
                    let init: Vec<_> = global
                        .init_expr
                        .get_operators_reader()
                        .into_iter()
                        .map(|op| format!("{:?}", op.unwrap()))
                        .collect();
                    globals.push((global.ty.content_type, global.ty.mutable, init));
                }
            }
        }
        assert_eq!(
            globals,
            [(
                wasmparser::ValType::I32,
                true,
                vec!["I32Const { value: 1 }".to_string(), "End".to_string()]
            )]
        );
        let countdown = |f: &mut wasm_encoder::InstructionSink<'_>| {
            f.global_get(0)
                .i32_const(1)
                .i32_sub()
                .global_set(0)
                .global_get(0)
                .i32_eqz()
                .if_(wasm_encoder::BlockType::Empty)
                .call(4)
                .global_set(0)
                .end();
        };
        let mut expected = Function::new([]);
        let mut sink = expected.instructions();
        sink.i32_const(0);
        countdown(&mut sink);
        sink.i32_load(memarg(0, 2, 0))
            .drop()
            .i32_const(8)
            .i64_const(1);
        countdown(&mut sink);
        // Memory 1 is not shared between threads here: left alone.
        sink.i64_store(memarg(4, 3, 0))
            .i32_const(0)
            .i32_load8_u(memarg(0, 0, 1))
            .drop()
            .end();
        assert_eq!(output.raw_bodies[0], expected.into_raw_body());
        assert!(result.sites.is_empty());
    }

    #[test]
    fn the_countdown_global_follows_existing_globals() {
        let wasm = hand_module();
        let result = instrument(&wasm).unwrap();
        let mut count = 0;
        for payload in Parser::new(0).parse_all(&result.wasm) {
            if let Payload::GlobalSection(reader) = payload.unwrap() {
                let globals: Vec<_> = reader.into_iter().map(|g| g.unwrap().ty).collect();
                count = globals.len();
                assert!(globals[1].mutable);
                assert_eq!(globals[1].content_type, wasmparser::ValType::I32);
            }
        }
        assert_eq!(count, 2);
    }

    #[test]
    fn unsupported_input_is_refused() {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import(HOOK_MODULE, YIELD_POINT, EntityType::Function(0));
        module.section(&imports);
        let error = instrument(&module.finish()).unwrap_err();
        assert!(
            matches!(&error, InstrumentError::ReservedImport { name } if name == YIELD_POINT),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            "the module imports `yield_point` from `judge_sched`, which is reserved for the scheduler"
        );

        let wasm = one_function(|f| {
            f.instructions()
                .i32_const(0)
                .i32_atomic_load(memarg(0, 2, 1))
                .drop()
                .end();
        });
        let error = instrument(&wasm).unwrap_err();
        assert!(
            matches!(
                error,
                InstrumentError::UnsupportedMemory {
                    function: 0,
                    memory: 1
                }
            ),
            "{error}"
        );

        let wasm = one_function(|f| {
            f.instructions()
                .i32_const(0)
                .i32_const(0)
                .i64_const(0)
                .memory_atomic_wait32(memarg(1 << 33, 2, 0))
                .drop()
                .end();
        });
        let error = instrument(&wasm).unwrap_err();
        assert!(
            matches!(error, InstrumentError::OffsetTooLarge { function: 0, offset } if offset == 1 << 33),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            "atomic wait or notify offset 8589934592 in function 0 does not fit in 32 bits"
        );

        // The largest 32-bit offset is fine, and travels as the bits of an i32.
        let wasm = one_function(|f| {
            f.instructions()
                .i32_const(0)
                .i32_const(0)
                .memory_atomic_notify(memarg(u32::MAX.into(), 2, 0))
                .drop()
                .end();
        });
        let result = instrument(&wasm).unwrap();
        let output = parts(&result.wasm);
        assert_eq!(output.bodies[0][2], Operator::I32Const { value: -1 });
    }
}
