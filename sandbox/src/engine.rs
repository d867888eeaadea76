//! The wasmtime engine, the compiled-module cache and one sandboxed call.

use crate::cache::{CacheError, Lookup, SealedDir};
use crate::output::CappedPipe;
use crate::rng::SplitMix64;
use crate::threads::{ThreadEngine, ThreadedProgram};
use crate::{abi, CallReport, Fault, Limits, LoadError, Location, SandboxError};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use wasmtime::{
    Caller, Config, Engine, Extern, InstanceAllocationStrategy, InstancePre, Linker, Module,
    PoolingAllocationConfig, ResourceLimiter, Store, Trap, UnknownImportError,
};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, I32Exit, WasiCtxBuilder};

/// Native stack the guest may use; the serving thread must have more than this.
pub(crate) const MAX_WASM_STACK: usize = 8 << 20;
/// Pool slots: one call runs at a time, so a few slots are plenty.
const POOL_SLOTS: u32 = 8;

/// Engine-wide settings.
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    /// Where compiled modules are cached; `None` compiles every time.
    pub cache_dir: Option<PathBuf>,
}

/// A wasmtime engine configured for judging: fuel, pooling, no ambient authority.
///
/// No epoch interruption: its checks at every loop header cost 5-8% of the guest's speed
/// (README, sandbox overhead), and the wall clock is the worker's job anyway (its watchdog
/// reports an overrunning call, and the host kills a worker that does not answer), because
/// a guest blocked in a host call is out of any in-process deadline's reach.
/// [`Program::call`] on its own is bounded by fuel, memory and output, not by time.
pub struct Sandbox {
    engine: Engine,
    linker: Linker<GuestState>,
    options: SandboxOptions,
    threads: OnceLock<Arc<ThreadEngine>>,
}

impl Sandbox {
    pub fn new(options: SandboxOptions) -> Result<Self, SandboxError> {
        let mut pool = PoolingAllocationConfig::default();
        pool.total_memories(POOL_SLOTS)
            .total_tables(POOL_SLOTS)
            .total_core_instances(POOL_SLOTS)
            // The whole wasm32 address space: the per-call cap is the limiter's job, so an
            // oversized module is reported as a memory verdict rather than a pool error.
            .max_memory_size(4 << 30)
            .table_elements(1 << 20)
            .total_stacks(POOL_SLOTS);
        let mut config = Config::new();
        config
            .consume_fuel(true)
            .max_wasm_stack(MAX_WASM_STACK)
            .async_stack_size(MAX_WASM_STACK * 2)
            .wasm_threads(false)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&config).map_err(|e| SandboxError::Engine(format!("{e:#}")))?;
        let mut linker = Linker::new(&engine);
        p1::add_to_linker_sync(&mut linker, |s: &mut GuestState| &mut s.wasi)
            .map_err(|e| SandboxError::Engine(format!("{e:#}")))?;
        linker
            .func_wrap(
                abi::PANIC_MODULE,
                abi::PANIC,
                |mut caller: Caller<'_, GuestState>,
                 message_ptr: u32,
                 message_len: u32,
                 file_ptr: u32,
                 file_len: u32,
                 line: u32,
                 column: u32|
                 -> wasmtime::Result<()> {
                    let memory = caller.get_export(abi::MEMORY).and_then(Extern::into_memory);
                    let data = memory.map(|m| m.data(&caller)).unwrap_or_default();
                    let read = |(ptr, len): (u32, u32)| {
                        let len = len.min(abi::MAX_PANIC_TEXT) as usize;
                        data.get(ptr as usize..(ptr as usize).saturating_add(len))
                            .map(<[u8]>::to_vec)
                    };
                    let (message, file) =
                        (read((message_ptr, message_len)), read((file_ptr, file_len)));
                    Err(GuestPanic::new(message, file, line, column).into())
                },
            )
            .map_err(|e| SandboxError::Engine(format!("{e:#}")))?;

        Ok(Sandbox {
            engine,
            linker,
            options,
            threads: OnceLock::new(),
        })
    }

    /// Compiles `wasm` (or loads it from the module cache) and links it against WASI. A
    /// module wasmtime refuses, or one that imports what the sandbox does not provide, is
    /// [`SandboxError::Refused`].
    pub fn load(&self, wasm: &[u8]) -> Result<Program, SandboxError> {
        let module = compile(&self.engine, self.options.cache_dir.as_deref(), wasm)?;
        let pre = self.linker.instantiate_pre(&module).map_err(|e| {
            match e.downcast_ref::<UnknownImportError>() {
                Some(unknown) => SandboxError::Refused(LoadError::UnknownImport {
                    module: unknown.module().to_owned(),
                    name: unknown.name().to_owned(),
                }),
                None => SandboxError::Link(format!("{e:#}")),
            }
        })?;
        Ok(Program { pre })
    }

    /// Instruments a `wasm32-wasip1-threads` module for the scheduler and compiles it (the
    /// threads engine starts on first use).
    pub fn load_threaded(&self, wasm: &[u8]) -> Result<ThreadedProgram, SandboxError> {
        let threads = match self.threads.get() {
            Some(t) => t.clone(),
            None => {
                let t = Arc::new(ThreadEngine::new()?);
                let _ = self.threads.set(t.clone());
                t
            }
        };
        threads.load(wasm, &self.options)
    }
}

/// Compiles `wasm` for `engine`, through the module cache in `cache_dir` if there is one.
pub(crate) fn compile(
    engine: &Engine,
    cache_dir: Option<&Path>,
    wasm: &[u8],
) -> Result<Module, SandboxError> {
    // Validation and compilation failures alike: the module is not one the sandbox runs.
    let refused = |e: wasmtime::Error| {
        SandboxError::Refused(LoadError::Invalid {
            message: format!("{e:#}"),
        })
    };
    let Some(dir) = cache_dir else {
        return Module::new(engine, wasm).map_err(refused);
    };
    let cache_err = |e: CacheError| SandboxError::Cache {
        path: dir.display().to_string(),
        message: e.reason(),
    };
    let sealed = SealedDir::open(dir).map_err(cache_err)?;
    sealed.remove_stale(".tmp");
    let name = format!("{}.cwasm", cache_key(engine, wasm));
    if let Lookup::Hit(bytes) = sealed.load(&name).map_err(cache_err)? {
        // SAFETY: wasmtime runs deserialized code as it is, so only bytes this cache sealed
        // reach it: their tag, under the directory's private key and bound to this entry's
        // name, is the one `store` made for what `Module::serialize` wrote below, with an
        // engine of the same compatibility hash (part of the name). They are read into
        // memory before the check, so the file cannot change between check and use.
        // One that wasmtime still refuses is compiled again and replaced, like a broken one.
        if let Ok(module) = unsafe { Module::deserialize(engine, &bytes) } {
            return Ok(module);
        }
    }
    let module = Module::new(engine, wasm).map_err(refused)?;
    let bytes = module.serialize().map_err(|e| SandboxError::Cache {
        path: dir.display().to_string(),
        message: format!("{e:#}"),
    })?;
    sealed.store(&name, &bytes).map_err(cache_err)?;
    Ok(module)
}

/// Content hash of the module plus everything about the engine that makes a compiled
/// artifact incompatible (a fuel engine rejects code compiled without fuel, and so on).
fn cache_key(engine: &Engine, wasm: &[u8]) -> String {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    let mut h = Sha256::new();
    h.update(wasm);
    h.update(engine_hash.finish().to_le_bytes());
    hex::encode(&h.finalize()[..16])
}

/// A compiled, linked guest, ready to be instantiated once per call.
pub struct Program {
    pre: InstancePre<GuestState>,
}

struct GuestState {
    wasi: WasiP1Ctx,
    limiter: Limiter,
}

/// Caps linear memory and remembers a refused growth, so the verdict can name it.
struct Limiter {
    memory_cap: usize,
    refused: Option<u64>,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.refused = Some(desired as u64);
            return Err(wasmtime::format_err!(
                "memory limit of {} bytes reached",
                self.memory_cap
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// A wall clock frozen at 2026-01-01: guests see time, but never the host's.
pub(crate) struct FrozenWallClock;

impl HostWallClock for FrozenWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }
    fn now(&self) -> Duration {
        Duration::from_secs(1_767_225_600)
    }
}

/// A monotonic clock that advances one microsecond per reading, so elapsed-time loops end
/// and runs stay deterministic.
pub(crate) struct SteppingClock(pub(crate) std::sync::atomic::AtomicU64);

impl HostMonotonicClock for SteppingClock {
    fn resolution(&self) -> u64 {
        1_000
    }
    fn now(&self) -> u64 {
        self.0.fetch_add(1_000, Ordering::Relaxed)
    }
}

/// A call's stdout and stderr, each capped at the call's output limit. Clones share the
/// buffers: the worker's watchdog reads what an overrunning call printed, and every thread
/// of a threaded call writes to the same pair.
#[derive(Clone)]
pub(crate) struct Captured {
    pub(crate) stdout: CappedPipe,
    pub(crate) stderr: CappedPipe,
}

impl Captured {
    pub(crate) fn new(limits: &Limits) -> Self {
        let cap = usize::try_from(limits.output_bytes).unwrap_or(usize::MAX);
        Captured {
            stdout: CappedPipe::new(cap),
            stderr: CappedPipe::new(cap),
        }
    }

    /// Either pipe refused a write past the cap.
    pub(crate) fn refused(&self) -> bool {
        self.stdout.refused() || self.stderr.refused()
    }
}

impl Program {
    /// Runs one call in a fresh instance under `limits`. `seed` drives everything random the
    /// guest can observe.
    /// No wall clock here: see [`Sandbox`].
    pub fn call(&self, input: &[u8], limits: &Limits, seed: u64) -> CallReport {
        self.call_capturing(input, limits, seed, Captured::new(limits))
    }

    /// [`Program::call`], printing into `captured` (whose clones see what the guest printed
    /// while it runs).
    pub(crate) fn call_capturing(
        &self,
        input: &[u8],
        limits: &Limits,
        seed: u64,
        captured: Captured,
    ) -> CallReport {
        let mut store = self.store(limits, seed, &captured);
        let mut nanos = 0;
        let result = run(&self.pre, &mut store, input, &mut nanos).map_err(|e| {
            match store.data().limiter.refused {
                Some(requested_bytes) => Fault::MemoryLimit { requested_bytes },
                None => fault(&e, captured.refused()),
            }
        });
        let fuel = limits.fuel - store.get_fuel().unwrap_or(0);
        drop(store);
        CallReport {
            result,
            fuel,
            nanos,
            stdout: captured.stdout.contents(),
            stderr: captured.stderr.contents(),
        }
    }
}

/// One live instance of a [`Program`] that keeps its state from call to call: a node of a
/// simulated cluster (`judge_exercises::simulation`). Each node has its own store, so its own
/// linear memory, statics, fuel, memory cap and output: nodes share nothing but what the
/// host carries between them. Calls go through the same ABI as [`Program::call`]; a call
/// that faults leaves the node unusable (every later call reports the same fault).
pub struct Node {
    store: Store<GuestState>,
    entry: Option<Entry>,
    captured: Captured,
    failed: Option<Fault>,
}

/// A node's exports, looked up once.
struct Entry {
    memory: wasmtime::Memory,
    alloc: wasmtime::TypedFunc<u32, u32>,
    call: wasmtime::TypedFunc<(u32, u32), u64>,
}

impl Program {
    /// Instantiates a node under `limits` (its memory cap and output cap hold for its whole
    /// life; fuel is `limits.fuel` per call). `seed` drives what the guest sees as random.
    pub fn node(&self, limits: &Limits, seed: u64) -> Node {
        let captured = Captured::new(limits);
        let mut store = self.store(limits, seed, &captured);
        let instantiated = instantiate(&self.pre, &mut store);
        let mut node = Node {
            store,
            entry: None,
            captured,
            failed: None,
        };
        match instantiated {
            Ok(entry) => node.entry = Some(entry),
            Err(e) => node.failed = Some(node.fault(&e)),
        }
        node
    }

    fn store(&self, limits: &Limits, seed: u64, captured: &Captured) -> Store<GuestState> {
        let wasi = WasiCtxBuilder::new()
            .stdout(captured.stdout.clone())
            .stderr(captured.stderr.clone())
            .args(&["solution"])
            .secure_random(SplitMix64::new(seed))
            .insecure_random(SplitMix64::new(seed ^ 0x5DEE_CE66_D1CE_5EED))
            .insecure_random_seed(u128::from(seed))
            .wall_clock(FrozenWallClock)
            .monotonic_clock(SteppingClock(Default::default()))
            .build_p1();
        let limiter = Limiter {
            memory_cap: usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX),
            refused: None,
        };
        let mut store = Store::new(self.pre.module().engine(), GuestState { wasi, limiter });
        store.limiter(|s| &mut s.limiter);
        // `set_fuel` only fails on an engine without fuel, which `Sandbox::new` rules out.
        let _ = store.set_fuel(limits.fuel);
        store
    }
}

impl Node {
    fn fault(&self, e: &wasmtime::Error) -> Fault {
        match self.store.data().limiter.refused {
            Some(requested_bytes) => Fault::MemoryLimit { requested_bytes },
            None => fault(e, self.captured.refused()),
        }
    }

    /// What the node printed so far (all its calls), up to the output cap.
    pub(crate) fn captured(&self) -> &Captured {
        &self.captured
    }

    /// One call into the node with `fuel` to spend. The report's output is what the node
    /// printed during this call.
    pub fn call(&mut self, input: &[u8], fuel: u64) -> CallReport {
        let printed = (
            self.captured.stdout.contents().len(),
            self.captured.stderr.contents().len(),
        );
        let _ = self.store.set_fuel(fuel);
        let mut nanos = 0;
        let result = match (&self.failed, &self.entry) {
            (Some(fault), _) => Err(fault.clone()),
            (None, None) => Err(Fault::Abi {
                message: "the node was not instantiated".into(),
            }),
            (None, Some(entry)) => {
                let (memory, alloc, call) = (entry.memory, entry.alloc.clone(), entry.call.clone());
                invoke(&mut self.store, memory, &alloc, &call, input, &mut nanos)
                    .map_err(|e| self.fault(&e))
            }
        };
        if let Err(fault) = &result {
            self.failed = Some(fault.clone());
        }
        let fuel = fuel - self.store.get_fuel().unwrap_or(0);
        let tail =
            |all: Vec<u8>, from: usize| all.get(from..).map(<[u8]>::to_vec).unwrap_or_default();
        CallReport {
            result,
            fuel,
            nanos,
            stdout: tail(self.captured.stdout.contents(), printed.0),
            stderr: tail(self.captured.stderr.contents(), printed.1),
        }
    }
}

fn instantiate(
    pre: &InstancePre<GuestState>,
    store: &mut Store<GuestState>,
) -> wasmtime::Result<Entry> {
    let abi_err = |m: String| wasmtime::Error::new(AbiError(m));
    let instance = pre.instantiate(&mut *store)?;
    if let Ok(init) = instance.get_typed_func::<(), ()>(&mut *store, abi::INITIALIZE) {
        init.call(&mut *store, ())?;
    }
    let memory = instance
        .get_memory(&mut *store, abi::MEMORY)
        .ok_or_else(|| abi_err(format!("the module exports no `{}`", abi::MEMORY)))?;
    let alloc = instance
        .get_typed_func::<u32, u32>(&mut *store, abi::ALLOC)
        .map_err(|e| abi_err(format!("`{}`: {e}", abi::ALLOC)))?;
    let call = instance
        .get_typed_func::<(u32, u32), u64>(&mut *store, abi::CALL)
        .map_err(|e| abi_err(format!("`{}`: {e}", abi::CALL)))?;
    Ok(Entry {
        memory,
        alloc,
        call,
    })
}

/// Errors of the ABI itself: the module is not a judge guest.
#[derive(Debug)]
pub(crate) struct AbiError(pub(crate) String);

impl std::fmt::Display for AbiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AbiError {}

fn run(
    pre: &InstancePre<GuestState>,
    store: &mut Store<GuestState>,
    input: &[u8],
    nanos: &mut u64,
) -> wasmtime::Result<Vec<u8>> {
    let entry = instantiate(pre, store)?;
    invoke(store, entry.memory, &entry.alloc, &entry.call, input, nanos)
}

/// Hands `input` to the guest's `judge_call` and reads its answer back.
fn invoke(
    store: &mut Store<GuestState>,
    memory: wasmtime::Memory,
    alloc: &wasmtime::TypedFunc<u32, u32>,
    call: &wasmtime::TypedFunc<(u32, u32), u64>,
    input: &[u8],
    nanos: &mut u64,
) -> wasmtime::Result<Vec<u8>> {
    let abi_err = |m: String| wasmtime::Error::new(AbiError(m));
    let len = u32::try_from(input.len()).map_err(|_| abi_err("input too large".into()))?;
    let ptr = alloc.call(&mut *store, len)?;
    memory
        .write(&mut *store, ptr as usize, input)
        .map_err(|_| {
            abi_err(format!(
                "`{}` returned an out-of-bounds pointer",
                abi::ALLOC
            ))
        })?;
    let started = std::time::Instant::now();
    let packed = call.call(&mut *store, (ptr, len));
    *nanos = started.elapsed().as_nanos() as u64;
    let packed = packed?;
    let (out_ptr, out_len) = ((packed >> 32) as usize, (packed & 0xFFFF_FFFF) as u32);
    if out_len > abi::MAX_OUTPUT_BYTES {
        return Err(abi_err(format!("returned {out_len} bytes of output")));
    }
    let mut out = vec![0; out_len as usize];
    memory
        .read(&*store, out_ptr, &mut out)
        .map_err(|_| abi_err("output pointer out of bounds".into()))?;
    Ok(out)
}

/// A panic the judge's hook reported through [`abi::PANIC`]: the error that ends the call.
#[derive(Debug)]
pub(crate) struct GuestPanic {
    message: String,
    location: Option<Location>,
}

impl GuestPanic {
    /// From the bytes the hook pointed at (`None`: out of bounds); line 0 is no location.
    pub(crate) fn new(
        message: Option<Vec<u8>>,
        file: Option<Vec<u8>>,
        line: u32,
        column: u32,
    ) -> Self {
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        GuestPanic {
            message: message.map(text).unwrap_or_default(),
            location: file.filter(|_| line != 0).map(|file| Location {
                file: text(file),
                line,
                column,
            }),
        }
    }
}

impl std::fmt::Display for GuestPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the guest panicked")
    }
}

impl std::error::Error for GuestPanic {}

/// The fault a failed call stands for, once the memory limiter has had its say: decided by
/// the error's type and by whether an output pipe refused a write, never by its wording.
pub(crate) fn fault(err: &wasmtime::Error, output_refused: bool) -> Fault {
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return Fault::Exit { code: exit.0 };
    }
    if let Some(abi) = err.downcast_ref::<AbiError>() {
        return Fault::Abi {
            message: abi.0.clone(),
        };
    }
    let trap = err.downcast_ref::<Trap>();
    match trap {
        Some(Trap::OutOfFuel) => return Fault::OutOfFuel,
        Some(Trap::Interrupt) => return Fault::WallClock,
        _ => {}
    }
    // A refused write fails with EIO, and std's print macros panic on it: the failure that
    // follows is the output limit's.
    if output_refused {
        return Fault::OutputLimit;
    }
    if let Some(panic) = err.downcast_ref::<GuestPanic>() {
        return Fault::Panic {
            message: panic.message.clone(),
            location: panic.location.clone(),
        };
    }
    match trap {
        Some(trap) => trap_fault(trap),
        None => Fault::Trap {
            message: format!("{err:#}"),
        },
    }
}

/// The fault a trap stands for.
pub(crate) fn trap_fault(trap: &Trap) -> Fault {
    match trap {
        Trap::OutOfFuel => Fault::OutOfFuel,
        Trap::Interrupt => Fault::WallClock,
        Trap::StackOverflow => Fault::Trap {
            message: "stack overflow".into(),
        },
        Trap::MemoryOutOfBounds => Fault::Trap {
            message: "memory access out of bounds (deep recursion overflows the guest's \
                      stack this way)"
                .into(),
        },
        Trap::UnreachableCodeReached => Fault::Trap {
            message: "aborted (a panic, abort() or unreachable code)".into(),
        },
        other => Fault::Trap {
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_guest::{guest, write_ten, FD_WRITE, PANIC, TEN_BYTES};

    fn limits(output_bytes: u64) -> Limits {
        Limits {
            memory_bytes: 1 << 20,
            fuel: 10_000_000,
            output_bytes,
            wall: Duration::from_secs(5),
        }
    }

    fn call(wasm: &[u8], limits: &Limits) -> CallReport {
        let sandbox = Sandbox::new(SandboxOptions::default()).expect("engine");
        sandbox.load(wasm).expect("loads").call(b"", limits, 1)
    }

    #[test]
    fn a_panic_reported_through_the_hook_is_a_panic_with_its_location() {
        let mut data = vec![0; 16];
        data.extend_from_slice(b"boom\0\0\0\0\0\0\0\0\0\0\0\0solution.rs");
        let wasm = guest(false, None, &data, |f| {
            f.i32_const(16)
                .i32_const(4)
                .i32_const(32)
                .i32_const(11)
                .i32_const(3)
                .i32_const(5)
                .call(PANIC)
                .unreachable();
        });
        let report = call(&wasm, &limits(64));
        assert_eq!(
            report.result,
            Err(Fault::Panic {
                message: "boom".into(),
                location: Some(Location {
                    file: "solution.rs".into(),
                    line: 3,
                    column: 5
                }),
            })
        );
        // Line 0: no location.
        let wasm = guest(false, None, &data, |f| {
            f.i32_const(16)
                .i32_const(4)
                .i32_const(32)
                .i32_const(11)
                .i32_const(0)
                .i32_const(0)
                .call(PANIC)
                .unreachable();
        });
        assert_eq!(
            call(&wasm, &limits(64)).result,
            Err(Fault::Panic {
                message: "boom".into(),
                location: None
            })
        );
        // Pointers out of bounds: no text, and no location, but still a panic.
        let wasm = guest(false, None, &[], |f| {
            f.i32_const(-16)
                .i32_const(4)
                .i32_const(-32)
                .i32_const(11)
                .i32_const(3)
                .i32_const(5)
                .call(PANIC)
                .unreachable();
        });
        assert_eq!(
            call(&wasm, &limits(64)).result,
            Err(Fault::Panic {
                message: String::new(),
                location: None
            })
        );
    }

    #[test]
    fn an_abort_without_the_hook_is_a_trap() {
        let wasm = guest(false, None, &[], |f| {
            f.unreachable();
        });
        assert!(matches!(
            call(&wasm, &limits(64)).result,
            Err(Fault::Trap { message }) if message.starts_with("aborted")
        ));
    }

    #[test]
    fn a_refused_write_then_a_failure_is_the_output_limit() {
        let wasm = guest(false, None, TEN_BYTES, |f| {
            write_ten(f);
            f.unreachable();
        });
        let report = call(&wasm, &limits(8));
        assert_eq!(report.result, Err(Fault::OutputLimit));
        assert_eq!(report.stdout, b"01234567");
        // The same output exactly at the cap: nothing was refused, the abort is a trap.
        assert!(matches!(
            call(&wasm, &limits(10)).result,
            Err(Fault::Trap { .. })
        ));
    }

    #[test]
    fn a_refused_write_to_stderr_then_a_panic_is_the_output_limit() {
        // What `loop { eprintln!(..) }` does: the write past the cap fails, std panics with
        // "failed printing to stderr", and its hook reports the panic. The pipe that refused
        // decides, whatever the panic says (and its text could not even be printed).
        let mut data = TEN_BYTES.to_vec();
        data.extend_from_slice(b"failed printing to stderr");
        let wasm = guest(false, None, &data, |f| {
            f.i32_const(2)
                .i32_const(0)
                .i32_const(1)
                .i32_const(8)
                .call(FD_WRITE)
                .drop()
                .i32_const(26)
                .i32_const(25)
                .i32_const(0)
                .i32_const(0)
                .i32_const(0)
                .i32_const(0)
                .call(PANIC)
                .unreachable();
        });
        let report = call(&wasm, &limits(8));
        assert_eq!(report.result, Err(Fault::OutputLimit));
        assert_eq!(report.stderr, b"01234567");
        assert!(report.stdout.is_empty());
        // Under the cap the same panic is a panic: the text decides nothing either way.
        assert_eq!(
            call(&wasm, &limits(64)).result,
            Err(Fault::Panic {
                message: "failed printing to stderr".into(),
                location: None
            })
        );
    }

    #[test]
    fn a_guest_that_ignores_a_refused_write_is_capped_not_failed() {
        let wasm = guest(false, None, TEN_BYTES, write_ten);
        let report = call(&wasm, &limits(4));
        assert_eq!(report.result, Ok(Vec::new()));
        assert_eq!(report.stdout, b"0123");
    }

    #[test]
    fn growing_past_the_cap_is_the_memory_limit() {
        let wasm = guest(false, None, &[], |f| {
            f.i32_const(100).memory_grow(0).drop();
        });
        assert_eq!(
            call(&wasm, &limits(64)).result,
            Err(Fault::MemoryLimit {
                requested_bytes: 101 << 16
            })
        );
    }

    #[test]
    fn a_cached_module_is_used_only_as_it_was_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::new(SandboxOptions {
            cache_dir: Some(dir.path().to_owned()),
        })
        .expect("engine");
        let writes = guest(false, None, TEN_BYTES, write_ten);
        let silent = guest(false, None, TEN_BYTES, |_| {});
        let printed = |sandbox: &Sandbox, wasm: &[u8]| {
            sandbox
                .load(wasm)
                .expect("loads")
                .call(b"", &limits(64), 1)
                .stdout
        };
        assert_eq!(printed(&sandbox, &writes), b"0123456789");
        assert_eq!(printed(&sandbox, &silent), b"");
        let entry = |wasm: &[u8]| {
            dir.path()
                .join(format!("{}.cwasm", cache_key(&sandbox.engine, wasm)))
        };
        let tag = |wasm: &[u8]| {
            dir.path()
                .join(format!("{}.cwasm.tag", cache_key(&sandbox.engine, wasm)))
        };
        let sealed = std::fs::read(entry(&writes)).unwrap();
        assert!(tag(&writes).is_file());
        // Read back from the cache: the same module.
        assert_eq!(printed(&sandbox, &writes), b"0123456789");

        // One flipped byte: never deserialized, compiled again and sealed anew.
        let mut flipped = sealed.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        std::fs::write(entry(&writes), &flipped).unwrap();
        assert_eq!(printed(&sandbox, &writes), b"0123456789");
        assert_eq!(std::fs::read(entry(&writes)).unwrap(), sealed);

        // Truncated.
        std::fs::write(entry(&writes), &sealed[..sealed.len() / 3]).unwrap();
        assert_eq!(printed(&sandbox, &writes), b"0123456789");
        assert_eq!(std::fs::read(entry(&writes)).unwrap(), sealed);

        // Another module's artifact and tag copied over this entry: its code never runs.
        std::fs::copy(entry(&silent), entry(&writes)).unwrap();
        std::fs::copy(tag(&silent), tag(&writes)).unwrap();
        assert_eq!(printed(&sandbox, &writes), b"0123456789");
        assert_eq!(std::fs::read(entry(&writes)).unwrap(), sealed);
    }

    #[test]
    fn modules_the_sandbox_cannot_run_are_refused_by_kind() {
        let sandbox = Sandbox::new(SandboxOptions::default()).expect("engine");
        let wasm = guest(false, Some(("env", "host_secret")), &[], |_| {});
        assert!(matches!(
            sandbox.load(&wasm),
            Err(SandboxError::Refused(LoadError::UnknownImport { module, name }))
                if module == "env" && name == "host_secret"
        ));
        assert!(matches!(
            sandbox.load(b"\0asm\x01\0\0\0\x7f"),
            Err(SandboxError::Refused(LoadError::Invalid { .. }))
        ));
    }
}
