//! Guest threads: a scheduler the judge controls, and free-running real threads for stress.
//!
//! A `wasm32-wasip1-threads` guest imports one shared memory and spawns threads through the
//! `wasi::thread-spawn` import, which the host provides: each guest thread is a fresh instance
//! of the module over the same [`SharedMemory`], entered at `wasi_thread_start(tid, arg)`.
//!
//! [`Mode::Scheduled`] runs every guest thread as a wasmtime fiber on the calling OS thread,
//! with the module rewritten by [`crate::instrument`]: before every atomic access, and at every
//! `memory.atomic.wait`/`notify`, the guest calls into the host, which suspends the fiber and
//! picks the next thread to run from its own seeded PRNG (uniformly at random, or by PCT-style
//! priorities). A fuel slice preempts code that runs without atomics. Waits block only the
//! virtual thread; time is virtual; when nothing can run, the earliest timed waiter wakes, and
//! if there is none the run ends as [`Fault::Deadlock`]. The same seed replays the same run,
//! and the decisions are recorded as a trace of [`Step`]s. A schedule with a tiny slice (at
//! most [`TINY_SLICE`]) also preempts between plain loads and stores, at random counts drawn
//! from its seed. When the main thread's call returns, the other threads get
//! `AFTER_RETURN_STEPS` steps to end; still alive then, or blocked with nothing to wake them,
//! they are [`Fault::LeftRunning`] (a free run: still alive 100 ms after the call).
//!
//! [`Mode::Free`] runs the unmodified module on real OS threads (wasmtime's own atomic wait),
//! for stress and throughput under contention.

use crate::engine::{
    compile, fault, AbiError, Captured, FrozenWallClock, GuestPanic, SteppingClock, MAX_WASM_STACK,
};
use crate::instrument::{self, Instrumented};
use crate::rng::SplitMix64;
use crate::{abi, CallReport, Fault, Limits, LoadError, SandboxError, SandboxOptions};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use wasmtime::{
    Caller, Config, Engine, Extern, Linker, MemoryType, Module, SharedMemory, Store, Trap,
};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::WasiCtxBuilder;

/// Guest threads alive at once in one run, main thread included.
pub const MAX_THREADS: u32 = 64;
/// Guest threads one run may start in all (threads that have ended included): a crowd of
/// callers that each start and join a helper per call stays within it, an endless stream of
/// short-lived threads does not.
pub const MAX_THREADS_STARTED: u32 = 1_024;
/// Scheduling steps one scheduled run may take before it ends as a time-out: a thread
/// spinning on an atomic forever takes one step per iteration.
const MAX_STEPS: u64 = 4_000_000;
/// Steps the threads a call started may take after it returned, to finish (leaving a scope,
/// wasi-libc's thread exit); past them, or blocked with nothing to wake them, they are work
/// left running ([`Fault::LeftRunning`]).
const AFTER_RETURN_STEPS: u64 = 20_000;
/// Virtual time the threads a call started may take after it returned (a free run gives them
/// the same in real time): a thread asleep for longer is left running too.
const AFTER_RETURN_NANOS: u64 = 100_000_000;
/// Steps recorded in a trace; later ones are counted, not kept.
const TRACE_CAP: usize = 200_000;
/// Virtual nanoseconds one scheduling step takes (the clock that timed waits use).
const STEP_NANOS: u64 = 1_000;
/// A schedule whose fuel slice is at most this many instructions also preempts at plain
/// memory accesses: every thread gets a random countdown of 1 to `fuel_slice` plain loads and
/// stores, and is preempted where it reaches zero (see [`crate::instrument`]). Fuel is checked
/// only at function entries and loop headers, so without it no slice, however short, lands
/// between the plain read and the plain write of `*p = *p + 1`.
pub const TINY_SLICE: u64 = 64;
/// Epoch granularity of the free mode's in-process wall clock.
const EPOCH_TICK: Duration = Duration::from_millis(5);
const PAGE: u64 = 64 << 10;

pub use judge_core::{
    Contention, Event, LockEvent, LockReport, LockStep, LockUse, LockedThread, Mode, Schedule,
    SiteInfo, Step, Strategy,
};

/// Bytes in a cache line, the unit of the contention figure: two atomics in one line contend
/// on a real machine as if they were one.
pub const LINE_BYTES: u64 = 64;
/// Lock steps (and clock stamps) remembered for a deadlock's report.
const LOCK_STEPS: usize = 512;
/// Lock steps a deadlock's report shows.
const LOCK_STEPS_SHOWN: usize = 40;

/// What one threaded call produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThreadedReport {
    /// The output of the main thread's call, as for [`CallReport::result`].
    pub call: CallReport,
    /// Guest threads started, the main thread included.
    pub threads: u32,
    /// Scheduling steps taken (scheduled mode).
    pub steps: u64,
    /// The first steps of the run (scheduled mode), up to a cap.
    pub trace: Vec<Step>,
    /// The sites named in `trace` and in a deadlock.
    pub sites: BTreeMap<u32, SiteInfo>,
    /// A guest thread was still running when the call returned (free mode): the worker that
    /// ran it should not be reused.
    pub leftover_threads: bool,
    /// Scheduled mode: how often atomic updates touched a line another thread wrote last.
    pub contention: Contention,
}

/// A compiled `wasm32-wasip1-threads` guest: instrumented for the scheduler, and plain for
/// free runs (compiled on first use).
pub struct ThreadedProgram {
    threads: Arc<ThreadEngine>,
    /// The engine's linkers, completed for this module (its unknown imports trap).
    scheduled: Arc<Linker<ThreadState>>,
    free: Arc<Linker<ThreadState>>,
    instrumented: Module,
    info: Arc<Instrumented>,
    plain_wasm: Vec<u8>,
    plain: OnceLock<Result<Module, String>>,
    cache_dir: Option<PathBuf>,
    memory_pages: (u32, Option<u32>),
}

/// The engine for threaded guests: shared memories, fuel, epochs, async fibers.
pub(crate) struct ThreadEngine {
    engine: Engine,
    scheduled: Linker<ThreadState>,
    free: Linker<ThreadState>,
    ticker_stop: Arc<AtomicBool>,
}

impl Drop for ThreadEngine {
    fn drop(&mut self) {
        self.ticker_stop.store(true, Ordering::Relaxed);
    }
}

impl ThreadEngine {
    pub(crate) fn new() -> Result<Self, SandboxError> {
        let err = |e: wasmtime::Error| SandboxError::Engine(format!("{e:#}"));
        let mut config = Config::new();
        config
            .consume_fuel(true)
            .epoch_interruption(true)
            .wasm_threads(true)
            .shared_memory(true)
            .max_wasm_stack(MAX_WASM_STACK)
            .async_stack_size(MAX_WASM_STACK * 2);
        let engine = Engine::new(&config).map_err(err)?;

        let mut free = Linker::new(&engine);
        p1::add_to_linker_sync(&mut free, |s: &mut ThreadState| &mut s.wasi).map_err(err)?;
        add_common(&mut free).map_err(err)?;
        free.func_wrap("wasi", "thread-spawn", free_spawn)
            .map_err(err)?;

        let mut scheduled = Linker::new(&engine);
        p1::add_to_linker_sync(&mut scheduled, |s: &mut ThreadState| &mut s.wasi).map_err(err)?;
        scheduled.allow_shadowing(true);
        add_common(&mut scheduled).map_err(err)?;
        add_scheduler_hooks(&mut scheduled).map_err(err)?;

        let ticker_stop = Arc::new(AtomicBool::new(false));
        {
            let engine = engine.clone();
            let stop = ticker_stop.clone();
            std::thread::Builder::new()
                .name("thread-epoch-ticker".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(EPOCH_TICK);
                        engine.increment_epoch();
                    }
                })
                .map_err(|e| {
                    SandboxError::Engine(format!("failed to start the epoch ticker: {e}"))
                })?;
        }
        Ok(ThreadEngine {
            engine,
            scheduled,
            free,
            ticker_stop,
        })
    }

    pub(crate) fn load(
        self: &Arc<Self>,
        wasm: &[u8],
        options: &SandboxOptions,
    ) -> Result<ThreadedProgram, SandboxError> {
        let info = instrument::instrument(wasm).map_err(|e| {
            SandboxError::Refused(LoadError::Invalid {
                message: e.to_string(),
            })
        })?;
        let instrumented = compile(&self.engine, options.cache_dir.as_deref(), &info.wasm)?;
        let memory_pages = instrumented
            .imports()
            .find_map(|import| match import.ty() {
                wasmtime::ExternType::Memory(m) if m.is_shared() => Some((
                    m.minimum() as u32,
                    m.maximum().map(|max| max.min(u64::from(u32::MAX)) as u32),
                )),
                _ => None,
            })
            .ok_or_else(|| SandboxError::Link("the module imports no shared memory".to_string()))?;
        let info = Arc::new(Instrumented {
            wasm: Vec::new(),
            ..info
        });
        // As for plain modules, an import the sandbox does not provide is refused at load
        // (a submission may use std only); names std never asks for in the modules it does
        // provide trap if called.
        let provided = [
            "env",
            "wasi",
            "wasi_snapshot_preview1",
            "judge",
            instrument::HOOK_MODULE,
        ];
        if let Some(import) = instrumented.imports().find(|i| {
            !provided.contains(&i.module()) || (i.module() == "env" && i.name() != "memory")
        }) {
            return Err(SandboxError::Refused(LoadError::UnknownImport {
                module: import.module().to_owned(),
                name: import.name().to_owned(),
            }));
        }
        let link = |base: &Linker<ThreadState>| -> Result<Arc<Linker<ThreadState>>, SandboxError> {
            let mut linker = base.clone();
            linker
                .define_unknown_imports_as_traps(&instrumented)
                .map_err(|e| SandboxError::Link(format!("{e:#}")))?;
            Ok(Arc::new(linker))
        };
        Ok(ThreadedProgram {
            scheduled: link(&self.scheduled)?,
            free: link(&self.free)?,
            threads: self.clone(),
            instrumented,
            info,
            plain_wasm: wasm.to_vec(),
            plain: OnceLock::new(),
            cache_dir: options.cache_dir.clone(),
            memory_pages,
        })
    }
}

/// Imports both modes provide: the judge's logical clock and its panic hook's report.
fn add_common(linker: &mut Linker<ThreadState>) -> wasmtime::Result<()> {
    linker.func_wrap(
        abi::PANIC_MODULE,
        abi::PANIC,
        |caller: Caller<'_, ThreadState>,
         message_ptr: u32,
         message_len: u32,
         file_ptr: u32,
         file_len: u32,
         line: u32,
         column: u32|
         -> wasmtime::Result<()> {
            let memory = &caller.data().memory;
            let read = |ptr: u32, len: u32| {
                read_bytes(
                    memory,
                    u64::from(ptr),
                    len.min(abi::MAX_PANIC_TEXT) as usize,
                )
            };
            let (message, file) = (read(message_ptr, message_len), read(file_ptr, file_len));
            Err(GuestPanic::new(message, file, line, column).into())
        },
    )?;
    // The harness stamps every operation's start and end with this clock; in scheduled mode
    // the stamp is also a switch point (see `add_scheduler_hooks`, which shadows it).
    linker.func_wrap("judge", "clock", |caller: Caller<'_, ThreadState>| -> u64 {
        caller.data().clock.fetch_add(1, Ordering::SeqCst)
    })?;
    Ok(())
}

/// Per-store state of one guest thread.
struct ThreadState {
    wasi: WasiP1Ctx,
    tid: u32,
    clock: Arc<AtomicU64>,
    memory: SharedMemory,
    /// Scheduled mode only.
    sched: Option<Arc<Mutex<Scheduler>>>,
    /// Free mode only.
    free: Option<Arc<FreeRun>>,
}

/// A future that is pending exactly once: the fiber suspends and the executor decides who
/// runs next; polling this thread again resumes it.
struct SwitchPoint(bool);

impl Future for SwitchPoint {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Runnable,
    /// Waiting at `addr` (None: sleeping) until woken or until the virtual `deadline`.
    Blocked {
        addr: Option<u64>,
        deadline: Option<u64>,
        site: Option<u32>,
        since: u64,
    },
    Done,
}

struct VThread {
    run: Run,
    /// What the wait that blocked this thread returns: 0 woken, 2 timed out.
    wake: Option<i32>,
    priority: i64,
    /// The atomic access announced at this thread's last `yield_point`, until it is settled.
    pending: Option<Pending>,
    /// Clock stamps read so far.
    stamps: u32,
}

/// An atomic access between its `yield_point` and the thread's next visit to the host: the
/// access runs right after the hook returns, so the value before it is read when the thread
/// resumes and the value after it at the thread's next switch (nothing else runs between).
#[derive(Clone, Copy)]
struct Pending {
    site: u32,
    address: u64,
    width: u8,
    kind: instrument::SiteKind,
    /// The value before the access, once the thread has resumed.
    before: Option<u64>,
}

/// What the scheduler remembers of the memory atomic accesses touched.
#[derive(Default)]
struct Memory {
    /// The thread that last wrote each line (by line number) with an atomic access.
    writers: HashMap<u64, u32>,
    contention: Contention,
    /// Words taken from 0 to non-zero and not yet back to 0: holder and site.
    held: BTreeMap<u64, (u32, u32)>,
    /// Words some thread waited on.
    waited: HashSet<u64>,
    /// Words some thread took (swapped or compare-exchanged from 0 to non-zero).
    taken: HashSet<u64>,
    /// The site of each thread's first update of a word since it last took it: where a
    /// waiting thread tried to take the lock (the caller's inlined attempt, not std's
    /// contended path).
    attempts: HashMap<(u32, u64), u32>,
    /// Lock transitions and clock stamps, oldest first (site for a transition or wait).
    steps: VecDeque<(u32, LockEvent, Option<u32>)>,
    dropped: u64,
}

/// The scheduler's whole state; shared by the executor and the host functions of every
/// thread's store (each runs only while the executor polls its fiber).
struct Scheduler {
    threads: Vec<VThread>,
    rng: SplitMix64,
    strategy: Strategy,
    /// PCT: the steps at which the running thread's priority drops, ascending.
    change_points: Vec<u64>,
    now: u64,
    steps: u64,
    trace: Vec<Step>,
    current: u32,
    /// Set by a hook that suspends its fiber; None after a poll means the fuel slice did.
    switched_at_hook: bool,
    spawns: Vec<(u32, i32)>,
    sites_seen: std::collections::BTreeSet<u32>,
    /// The longest plain-access countdown of a tiny-slice schedule ([`TINY_SLICE`]); `None`
    /// when the schedule does not preempt at plain accesses.
    tiny: Option<u64>,
    info: Arc<Instrumented>,
    memory: Memory,
}

impl Scheduler {
    fn record(&mut self, thread: u32, event: Event) {
        if let Event::Site(site) | Event::Blocked(site) = event {
            self.sites_seen.insert(site);
        }
        if self.trace.len() < TRACE_CAP {
            self.trace.push(Step { thread, event });
        }
    }

    fn new_priority(&mut self, depth: u32) -> i64 {
        // Random priorities above every change point's (which are < depth); a tie (one in
        // 2^40) goes to the lower thread number.
        i64::from(depth) + (self.rng.next() % (1 << 40)) as i64
    }

    fn add_thread(&mut self) -> u32 {
        let priority = match self.strategy {
            Strategy::Pct { depth, .. } => self.new_priority(depth),
            Strategy::Random => 0,
        };
        self.threads.push(VThread {
            run: Run::Runnable,
            wake: None,
            priority,
            pending: None,
            stamps: 0,
        });
        (self.threads.len() - 1) as u32
    }

    /// Picks the next thread to run, waking a timed waiter if nothing else can run.
    fn pick(&mut self) -> Result<u32, Fault> {
        if let Strategy::Pct { .. } = self.strategy {
            let mut lowered = 0;
            while self.change_points.first() == Some(&self.steps) {
                self.change_points.remove(0);
                lowered += 1;
            }
            if lowered > 0 {
                let level = self.change_points.len() as i64;
                let lowest = self.threads.iter().map(|t| t.priority).min().unwrap_or(0);
                if let Some(t) = self.threads.get_mut(self.current as usize) {
                    t.priority = level.min(lowest - 1);
                }
            }
        }
        // Timed waits whose virtual deadline has passed end, whoever else can run.
        let now = self.now;
        for t in &mut self.threads {
            if let Run::Blocked {
                deadline: Some(d), ..
            } = t.run
            {
                if d <= now {
                    t.run = Run::Runnable;
                    t.wake = Some(2);
                }
            }
        }
        let runnable: Vec<u32> = (0..self.threads.len() as u32)
            .filter(|&t| self.threads[t as usize].run == Run::Runnable)
            .collect();
        if runnable.is_empty() {
            // Wake the earliest timed waiter (lowest thread number on a tie).
            let earliest = self
                .threads
                .iter()
                .enumerate()
                .filter_map(|(t, th)| match th.run {
                    Run::Blocked {
                        deadline: Some(d), ..
                    } => Some((d, t)),
                    _ => None,
                })
                .min();
            return match earliest {
                Some((deadline, t)) => {
                    self.now = self.now.max(deadline);
                    self.threads[t].run = Run::Runnable;
                    self.threads[t].wake = Some(2);
                    Ok(t as u32)
                }
                None => Err(self.deadlock()),
            };
        }
        Ok(match self.strategy {
            Strategy::Random => runnable[(self.rng.next() % runnable.len() as u64) as usize],
            Strategy::Pct { .. } => *runnable
                .iter()
                .max_by_key(|&&t| (self.threads[t as usize].priority, std::cmp::Reverse(t)))
                .expect("not empty"),
        })
    }

    /// PCT assumes threads block rather than spin: a thread that yields, sleeps or runs a
    /// whole fuel slice without a switch point drops below every other, so a spin loop
    /// waiting for a lower-priority thread cannot starve it forever.
    fn demote(&mut self, tid: u32) {
        if let Strategy::Pct { .. } = self.strategy {
            let lowest = self.threads.iter().map(|t| t.priority).min().unwrap_or(0);
            self.threads[tid as usize].priority = lowest - 1;
        }
    }

    fn deadlock(&self) -> Fault {
        let threads = self
            .threads
            .iter()
            .enumerate()
            .filter_map(|(t, th)| match th.run {
                Run::Blocked { site, .. } => Some((t as u32, site)),
                _ => None,
            })
            .collect();
        Fault::Deadlock {
            threads,
            locks: self.lock_report().map(Box::new),
        }
    }

    /// The demangled function of a site ("function N" without a name).
    fn function_of(&self, site: u32) -> String {
        self.info
            .sites
            .get(site as usize)
            .map(
                |found| match self.info.function_names.get(&found.function) {
                    Some(name) => name.clone(),
                    None => format!("function {}", found.function),
                },
            )
            .unwrap_or_default()
    }

    /// Who holds which lock among the blocked threads, and the steps that led there; `None`
    /// when no blocked thread waits on a word that was ever taken.
    fn lock_report(&self) -> Option<LockReport> {
        let mem = &self.memory;
        let is_lock = |word: &u64| mem.waited.contains(word) && mem.taken.contains(word);
        let mut threads = Vec::new();
        for (t, th) in self.threads.iter().enumerate() {
            let t = t as u32;
            let Run::Blocked { addr, site, .. } = th.run else {
                continue;
            };
            // In the order they were taken (as far as the remembered steps tell).
            let mut held: Vec<(usize, u64, u32)> = mem
                .held
                .iter()
                .filter(|(word, (holder, _))| *holder == t && is_lock(word))
                .map(|(&word, &(_, site))| {
                    let at = mem
                        .steps
                        .iter()
                        .rposition(|(th, e, _)| *th == t && *e == LockEvent::Locked(word))
                        .map_or(0, |i| i + 1);
                    (at, word, site)
                })
                .collect();
            held.sort_unstable();
            let holds = held
                .into_iter()
                .map(|(_, word, site)| LockUse {
                    address: word,
                    function: self.function_of(site),
                })
                .collect();
            let waits_for = addr
                .filter(|word| mem.held.contains_key(word) && is_lock(word))
                .map(|word| {
                    let tried = mem.attempts.get(&(t, word)).copied().or(site);
                    LockUse {
                        address: word,
                        function: tried.map(|s| self.function_of(s)).unwrap_or_default(),
                    }
                });
            let holder = waits_for
                .as_ref()
                .and_then(|w| mem.held.get(&w.address))
                .map(|(h, _)| *h);
            threads.push(LockedThread {
                thread: t,
                holds,
                waits_for,
                holder,
            });
        }
        if threads.iter().all(|t| t.waits_for.is_none()) {
            return None;
        }
        // Follow "waits for a lock held by" from each blocked thread until a thread repeats.
        let next = |t: u32| {
            threads
                .iter()
                .find(|x| x.thread == t)
                .and_then(|x| x.holder)
        };
        let mut cycle = Vec::new();
        for start in threads.iter().map(|t| t.thread) {
            let mut path = vec![start];
            let mut at = start;
            while let Some(n) = next(at) {
                if let Some(i) = path.iter().position(|&p| p == n) {
                    cycle = path.split_off(i);
                    break;
                }
                path.push(n);
                at = n;
            }
            if !cycle.is_empty() {
                break;
            }
        }
        let involved = |event: &LockEvent| match event {
            LockEvent::Locked(w) | LockEvent::Unlocked(w) | LockEvent::Waits(w) => is_lock(w),
            LockEvent::Stamp(_) => true,
        };
        let kept: Vec<&(u32, LockEvent, Option<u32>)> =
            mem.steps.iter().filter(|(_, e, _)| involved(e)).collect();
        let shown = kept.len().min(LOCK_STEPS_SHOWN);
        let earlier = (kept.len() - shown) as u64 + mem.dropped;
        let steps = kept[kept.len() - shown..]
            .iter()
            .map(|(thread, event, site)| LockStep {
                thread: *thread,
                event: *event,
                function: site.map(|s| self.function_of(s)).unwrap_or_default(),
            })
            .collect();
        Some(LockReport {
            threads,
            cycle,
            steps,
            earlier_steps: earlier,
        })
    }

    fn lock_step(&mut self, thread: u32, event: LockEvent, site: Option<u32>) {
        let steps = &mut self.memory.steps;
        if steps.len() == LOCK_STEPS {
            steps.pop_front();
            self.memory.dropped += 1;
        }
        steps.push_back((thread, event, site));
    }

    /// A thread reached the `yield_point` of an atomic access (not yet made).
    fn announce(&mut self, tid: u32, site: u32, address: u64) {
        let Some(found) = self.info.sites.get(site as usize).copied() else {
            return;
        };
        self.threads[tid as usize].pending = Some(Pending {
            site,
            address,
            width: found.width,
            kind: found.kind,
            before: None,
        });
    }

    /// The thread resumes and makes its announced access now: the value before it, and
    /// whether another thread wrote its line last.
    fn resume(&mut self, tid: u32, memory: &SharedMemory) {
        let Some(pending) = self.threads[tid as usize].pending.as_mut() else {
            return;
        };
        let Some(before) = read_word(memory, pending.address, pending.width) else {
            // Out of bounds or misaligned: the access traps.
            self.threads[tid as usize].pending = None;
            return;
        };
        pending.before = Some(before);
        let pending = *pending;
        use instrument::SiteKind::{CompareExchange, Exchange, ReadModifyWrite};
        if matches!(pending.kind, ReadModifyWrite | Exchange | CompareExchange) {
            let mem = &mut self.memory;
            mem.contention.updates += 1;
            let line = pending.address / LINE_BYTES;
            if mem.writers.get(&line).is_some_and(|&w| w != tid) {
                mem.contention.contended += 1;
            }
            mem.attempts
                .entry((tid, pending.address))
                .or_insert(pending.site);
        }
    }

    /// The thread's announced access is done (it is back in the host, or preempted, or
    /// finished): who wrote the line, and whether a lock word was taken or released.
    fn settle(&mut self, tid: u32, memory: &SharedMemory) {
        let Some(pending) = self.threads[tid as usize].pending else {
            return;
        };
        let Some(before) = pending.before else {
            return;
        };
        self.threads[tid as usize].pending = None;
        let Some(after) = read_word(memory, pending.address, pending.width) else {
            return;
        };
        use instrument::SiteKind::{CompareExchange, Exchange, Load};
        let wrote = match pending.kind {
            Load => false,
            CompareExchange => after != before,
            _ => true,
        };
        if !wrote {
            return;
        }
        let word = pending.address;
        self.memory.writers.insert(word / LINE_BYTES, tid);
        // A lock is taken by swapping or compare-exchanging its word from 0 (a counter
        // bumped from 0, like a `Condvar`'s, is not).
        let takes = matches!(pending.kind, CompareExchange | Exchange);
        if takes && before == 0 && after != 0 {
            self.memory.held.insert(word, (tid, pending.site));
            self.memory.taken.insert(word);
            self.memory.attempts.remove(&(tid, word));
            self.lock_step(tid, LockEvent::Locked(word), Some(pending.site));
        } else if after == 0 {
            // Released (by this thread or another): the next update starts a new attempt.
            self.memory.attempts.remove(&(tid, word));
        }
        if before != 0 && after == 0 && self.memory.held.remove(&word).is_some() {
            self.lock_step(tid, LockEvent::Unlocked(word), Some(pending.site));
        }
    }

    fn block(&mut self, tid: u32, addr: Option<u64>, timeout_ns: i64, site: Option<u32>) {
        let deadline = (timeout_ns >= 0).then(|| self.now.saturating_add(timeout_ns as u64));
        self.threads[tid as usize].run = Run::Blocked {
            addr,
            deadline,
            site,
            since: self.steps,
        };
        self.threads[tid as usize].wake = None;
        if let (Some(site), Some(word)) = (site, addr) {
            self.memory.waited.insert(word);
            self.lock_step(tid, LockEvent::Waits(word), Some(site));
        }
        if let Some(site) = site {
            self.record(tid, Event::Blocked(site));
        } else {
            self.record(tid, Event::Yielded);
            self.demote(tid);
        }
        self.switched_at_hook = true;
    }

    /// Wakes up to `count` threads waiting at `addr`, longest-waiting first.
    fn notify(&mut self, addr: u64, count: u32) -> u32 {
        let mut waiting: Vec<(u64, usize)> = self
            .threads
            .iter()
            .enumerate()
            .filter_map(|(t, th)| match th.run {
                Run::Blocked {
                    addr: Some(a),
                    since,
                    ..
                } if a == addr => Some((since, t)),
                _ => None,
            })
            .collect();
        waiting.sort();
        let mut woken = 0;
        for (_, t) in waiting.into_iter().take(count as usize) {
            self.threads[t].run = Run::Runnable;
            self.threads[t].wake = Some(0);
            woken += 1;
        }
        woken
    }
}

fn sched(caller: &Caller<'_, ThreadState>) -> wasmtime::Result<Arc<Mutex<Scheduler>>> {
    caller
        .data()
        .sched
        .clone()
        .ok_or_else(|| wasmtime::format_err!("scheduler hook called outside a scheduled run"))
}

/// The effective address of a wait or wake, checked as the instruction itself would be.
fn effective(memory: &SharedMemory, addr: i32, offset: i32, width: u64) -> wasmtime::Result<u64> {
    let ea = u64::from(addr as u32) + u64::from(offset as u32);
    if ea % width != 0 {
        return Err(Trap::HeapMisaligned.into());
    }
    if ea + width > memory.data_size() as u64 {
        return Err(Trap::MemoryOutOfBounds.into());
    }
    Ok(ea)
}

fn load32(memory: &SharedMemory, ea: u64) -> i32 {
    let cell = &memory.data()[ea as usize];
    // SAFETY: `effective` checked bounds and 4-byte alignment; wasm's own atomics on this
    // memory use the same sequentially consistent host atomics.
    unsafe { (*(cell.get() as *const AtomicI32)).load(Ordering::SeqCst) }
}

fn load64(memory: &SharedMemory, ea: u64) -> i64 {
    let cell = &memory.data()[ea as usize];
    // SAFETY: as in `load32`, with 8-byte alignment.
    unsafe { (*(cell.get() as *const AtomicI64)).load(Ordering::SeqCst) }
}

/// The little-endian value of `width` bytes at `address`, if the access is aligned and in
/// bounds (as an atomic access must be).
fn read_word(memory: &SharedMemory, address: u64, width: u8) -> Option<u64> {
    let width = u64::from(width);
    if width == 0 || width > 8 || !address.is_multiple_of(width) {
        return None;
    }
    let bytes = read_bytes(memory, address, width as usize)?;
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(&bytes);
    Some(u64::from_le_bytes(word))
}

async fn wait_common(
    caller: Caller<'_, ThreadState>,
    ea: u64,
    equal: bool,
    timeout: i64,
    site: i32,
) -> wasmtime::Result<i32> {
    let sched = sched(&caller)?;
    let tid = caller.data().tid;
    {
        let mut s = sched.lock().expect("scheduler lock");
        s.settle(tid, &caller.data().memory);
        if !equal {
            s.record(tid, Event::Site(site as u32));
            s.switched_at_hook = true;
        } else {
            s.block(tid, Some(ea), timeout, Some(site as u32));
        }
    }
    SwitchPoint(false).await;
    if !equal {
        return Ok(1);
    }
    let wake = sched.lock().expect("scheduler lock").threads[tid as usize]
        .wake
        .take();
    Ok(wake.unwrap_or(0))
}

fn add_scheduler_hooks(linker: &mut Linker<ThreadState>) -> wasmtime::Result<()> {
    let m = instrument::HOOK_MODULE;
    // The plain-access countdown reached zero: under a tiny-slice schedule the thread is
    // preempted here and gets a fresh random count; otherwise it runs on uninterrupted.
    linker.func_wrap_async(
        m,
        instrument::SLICE_POINT,
        |caller: Caller<'_, ThreadState>, (): ()| {
            Box::new(async move {
                let sched = sched(&caller)?;
                let next = {
                    let mut s = sched.lock().expect("scheduler lock");
                    s.settle(caller.data().tid, &caller.data().memory);
                    let Some(longest) = s.tiny else {
                        return Ok(i32::MAX);
                    };
                    s.record(caller.data().tid, Event::Preempted);
                    s.switched_at_hook = true;
                    1 + s.rng.next() % longest
                };
                SwitchPoint(false).await;
                Ok(next as i32)
            })
        },
    )?;
    linker.func_wrap_async(
        m,
        instrument::YIELD_POINT,
        |caller: Caller<'_, ThreadState>, (addr, offset, site): (i32, i32, i32)| {
            Box::new(async move {
                let sched = sched(&caller)?;
                let (tid, memory) = (caller.data().tid, &caller.data().memory);
                let address = u64::from(addr as u32) + u64::from(offset as u32);
                {
                    let mut s = sched.lock().expect("scheduler lock");
                    s.settle(tid, memory);
                    s.record(tid, Event::Site(site as u32));
                    s.announce(tid, site as u32, address);
                    s.switched_at_hook = true;
                }
                SwitchPoint(false).await;
                sched.lock().expect("scheduler lock").resume(tid, memory);
                Ok(())
            })
        },
    )?;
    linker.func_wrap_async(
        m,
        instrument::WAIT32,
        |caller: Caller<'_, ThreadState>,
         (addr, expected, timeout, offset, site): (i32, i32, i64, i32, i32)| {
            Box::new(async move {
                let memory = caller.data().memory.clone();
                let ea = effective(&memory, addr, offset, 4)?;
                let equal = load32(&memory, ea) == expected;
                wait_common(caller, ea, equal, timeout, site).await
            })
        },
    )?;
    linker.func_wrap_async(
        m,
        instrument::WAIT64,
        |caller: Caller<'_, ThreadState>,
         (addr, expected, timeout, offset, site): (i32, i64, i64, i32, i32)| {
            Box::new(async move {
                let memory = caller.data().memory.clone();
                let ea = effective(&memory, addr, offset, 8)?;
                let equal = load64(&memory, ea) == expected;
                wait_common(caller, ea, equal, timeout, site).await
            })
        },
    )?;
    linker.func_wrap_async(
        m,
        instrument::NOTIFY,
        |caller: Caller<'_, ThreadState>, (addr, count, offset, site): (i32, i32, i32, i32)| {
            Box::new(async move {
                let memory = caller.data().memory.clone();
                let ea = effective(&memory, addr, offset, 4)?;
                let sched = sched(&caller)?;
                let woken = {
                    let mut s = sched.lock().expect("scheduler lock");
                    s.settle(caller.data().tid, &memory);
                    s.record(caller.data().tid, Event::Site(site as u32));
                    s.switched_at_hook = true;
                    s.notify(ea, count as u32)
                };
                SwitchPoint(false).await;
                Ok(woken as i32)
            })
        },
    )?;
    // The clock is a switch point, so operations start and end in every possible order.
    linker.func_wrap_async(
        "judge",
        "clock",
        |caller: Caller<'_, ThreadState>, (): ()| {
            Box::new(async move {
                let sched = sched(&caller)?;
                let value = caller.data().clock.fetch_add(1, Ordering::SeqCst);
                {
                    let mut s = sched.lock().expect("scheduler lock");
                    let tid = caller.data().tid;
                    s.settle(tid, &caller.data().memory);
                    let thread = &mut s.threads[tid as usize];
                    thread.stamps = thread.stamps.saturating_add(1);
                    let n = thread.stamps;
                    s.lock_step(tid, LockEvent::Stamp(n), None);
                    s.record(tid, Event::Clock(value));
                    s.switched_at_hook = true;
                }
                SwitchPoint(false).await;
                Ok(value)
            })
        },
    )?;
    // wasi-libc's malloc lock spins on sched_yield: a switch point.
    linker.func_wrap_async(
        "wasi_snapshot_preview1",
        "sched_yield",
        |caller: Caller<'_, ThreadState>, (): ()| {
            Box::new(async move {
                let sched = sched(&caller)?;
                {
                    let mut s = sched.lock().expect("scheduler lock");
                    s.settle(caller.data().tid, &caller.data().memory);
                    s.record(caller.data().tid, Event::Yielded);
                    s.demote(caller.data().tid);
                    s.switched_at_hook = true;
                }
                SwitchPoint(false).await;
                Ok(0i32)
            })
        },
    )?;
    // Sleeping (`thread::sleep`) in virtual time: the thread blocks until the clock deadline.
    linker.func_wrap_async(
        "wasi_snapshot_preview1",
        "poll_oneoff",
        |caller: Caller<'_, ThreadState>, (sub, out, n, nevents): (i32, i32, i32, i32)| {
            Box::new(async move { poll_oneoff(caller, sub, out, n, nevents).await })
        },
    )?;
    linker.func_wrap(
        "wasi",
        "thread-spawn",
        |caller: Caller<'_, ThreadState>, start_arg: i32| -> wasmtime::Result<i32> {
            let sched = sched(&caller)?;
            let mut s = sched.lock().expect("scheduler lock");
            s.settle(caller.data().tid, &caller.data().memory);
            let alive = s.threads.iter().filter(|t| t.run != Run::Done).count() as u32;
            if alive >= MAX_THREADS || s.threads.len() as u32 >= MAX_THREADS_STARTED {
                return Ok(-1);
            }
            let tid = s.add_thread();
            s.spawns.push((tid, start_arg));
            s.record(caller.data().tid, Event::Spawned(tid));
            Ok(tid as i32)
        },
    )?;
    Ok(())
}

const ERRNO_INVAL: i32 = 28;
const ERRNO_NOTSUP: i32 = 58;
const ERRNO_FAULT: i32 = 21;

fn write_bytes(memory: &SharedMemory, at: u64, bytes: &[u8]) -> bool {
    let data = memory.data();
    let Some(cells) = data.get(at as usize..at as usize + bytes.len()) else {
        return false;
    };
    for (cell, b) in cells.iter().zip(bytes) {
        // SAFETY: in bounds; a racing guest write is the guest's own data race, and plain
        // byte writes cannot tear anything the host relies on.
        unsafe { *cell.get() = *b };
    }
    true
}

fn read_bytes(memory: &SharedMemory, at: u64, len: usize) -> Option<Vec<u8>> {
    let data = memory.data();
    let cells = data.get(at as usize..at as usize + len)?;
    // SAFETY: as in `write_bytes`.
    Some(cells.iter().map(|c| unsafe { *c.get() }).collect())
}

/// WASI `poll_oneoff` for clock subscriptions only, in the scheduler's virtual time.
async fn poll_oneoff(
    caller: Caller<'_, ThreadState>,
    sub: i32,
    out: i32,
    n: i32,
    nevents: i32,
) -> wasmtime::Result<i32> {
    const SUB: u64 = 48;
    const EVENT: usize = 32;
    if n <= 0 {
        return Ok(ERRNO_INVAL);
    }
    let memory = caller.data().memory.clone();
    let sched = sched(&caller)?;
    let tid = caller.data().tid;
    let mut timeout: Option<(u64, u64)> = None; // (userdata, relative ns)
    let now = sched.lock().expect("scheduler lock").now;
    for i in 0..n as u64 {
        let Some(raw) = read_bytes(&memory, sub as u32 as u64 + i * SUB, SUB as usize) else {
            return Ok(ERRNO_FAULT);
        };
        let userdata = u64::from_le_bytes(raw[0..8].try_into().expect("8 bytes"));
        if raw[8] != 0 {
            return Ok(ERRNO_NOTSUP);
        }
        let t = u64::from_le_bytes(raw[24..32].try_into().expect("8 bytes"));
        let flags = u16::from_le_bytes(raw[40..42].try_into().expect("2 bytes"));
        let relative = if flags & 1 == 1 {
            t.saturating_sub(now)
        } else {
            t
        };
        if timeout.is_none_or(|(_, r)| relative < r) {
            timeout = Some((userdata, relative));
        }
    }
    let (userdata, relative) = timeout.expect("n > 0");
    {
        let mut s = sched.lock().expect("scheduler lock");
        s.settle(tid, &memory);
        s.block(tid, None, relative.min(i64::MAX as u64) as i64, None);
    }
    SwitchPoint(false).await;
    let mut event = [0u8; EVENT];
    event[0..8].copy_from_slice(&userdata.to_le_bytes());
    // error 0, type 0 (clock)
    if !write_bytes(&memory, out as u32 as u64, &event)
        || !write_bytes(&memory, nevents as u32 as u64, &1u32.to_le_bytes())
    {
        return Ok(ERRNO_FAULT);
    }
    Ok(0)
}

/// Shared state of a free run.
struct FreeRun {
    next_tid: AtomicU32,
    module: Module,
    linker: Arc<Linker<ThreadState>>,
    memory: SharedMemory,
    clock: Arc<AtomicU64>,
    limits: Limits,
    seed: u64,
    captured: Captured,
    fault: Mutex<Option<Fault>>,
    fuel: AtomicU64,
    live: AtomicU32,
    started: AtomicU32,
}

fn free_spawn(caller: Caller<'_, ThreadState>, start_arg: i32) -> i32 {
    let Some(run) = caller.data().free.clone() else {
        return -1;
    };
    let tid = run.next_tid.fetch_add(1, Ordering::SeqCst);
    if tid >= MAX_THREADS_STARTED || run.live.load(Ordering::SeqCst) + 1 >= MAX_THREADS {
        return -1;
    }
    run.live.fetch_add(1, Ordering::SeqCst);
    run.started.fetch_add(1, Ordering::SeqCst);
    let thread = std::thread::Builder::new()
        .name(format!("guest-{tid}"))
        .stack_size(MAX_WASM_STACK * 4)
        .spawn({
            let run = run.clone();
            move || {
                let result = free_thread(&run, tid, start_arg);
                if let Err(fault) = result {
                    let mut slot = run.fault.lock().expect("fault lock");
                    slot.get_or_insert(fault);
                }
                run.live.fetch_sub(1, Ordering::SeqCst);
            }
        });
    match thread {
        Ok(_) => tid as i32,
        Err(_) => {
            run.live.fetch_sub(1, Ordering::SeqCst);
            -1
        }
    }
}

fn free_thread(run: &Arc<FreeRun>, tid: u32, start_arg: i32) -> Result<(), Fault> {
    let mut store = new_store(
        &run.module,
        tid,
        run.seed,
        &run.limits,
        &run.captured,
        &run.memory,
        &run.clock,
        None,
        Some(run.clone()),
    );
    let result = (|| {
        let instance = with_memory(&run.linker, &store)?.instantiate(&mut store, &run.module)?;
        let start = instance.get_typed_func::<(i32, i32), ()>(&mut store, "wasi_thread_start")?;
        start.call(&mut store, (tid as i32, start_arg))
    })();
    let spent = run.limits.fuel - store.get_fuel().unwrap_or(0);
    run.fuel.fetch_add(spent, Ordering::Relaxed);
    result.map_err(|e| classify_threaded(&e, &run.memory, &run.limits, &run.captured))
}

/// `linker` with the run's shared memory as `env.memory`, for instantiating in `store`.
fn with_memory(
    linker: &Linker<ThreadState>,
    store: &Store<ThreadState>,
) -> wasmtime::Result<Linker<ThreadState>> {
    let mut linker = linker.clone();
    let memory = store.data().memory.clone();
    linker
        .allow_shadowing(true)
        .define(store, "env", "memory", Extern::SharedMemory(memory))?;
    Ok(linker)
}

#[allow(clippy::too_many_arguments)]
fn new_store(
    module: &Module,
    tid: u32,
    seed: u64,
    limits: &Limits,
    captured: &Captured,
    memory: &SharedMemory,
    clock: &Arc<AtomicU64>,
    sched: Option<Arc<Mutex<Scheduler>>>,
    free: Option<Arc<FreeRun>>,
) -> Store<ThreadState> {
    let thread_seed = seed ^ u64::from(tid).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let wasi = WasiCtxBuilder::new()
        .stdout(captured.stdout.clone())
        .stderr(captured.stderr.clone())
        .args(&["solution"])
        .secure_random(SplitMix64::new(thread_seed))
        .insecure_random(SplitMix64::new(thread_seed ^ 0x5DEE_CE66_D1CE_5EED))
        .insecure_random_seed(u128::from(thread_seed))
        .wall_clock(FrozenWallClock)
        .monotonic_clock(SteppingClock(Default::default()))
        .build_p1();
    let mut store = Store::new(
        module.engine(),
        ThreadState {
            wasi,
            tid,
            clock: clock.clone(),
            memory: memory.clone(),
            sched,
            free,
        },
    );
    let _ = store.set_fuel(limits.fuel);
    // Capped: wasmtime adds the engine's current epoch to this, so a wall clock of
    // `Duration::MAX` must stay far below `u64::MAX` (it is simply never reached).
    let ticks = u64::try_from(limits.wall.as_micros() / EPOCH_TICK.as_micros())
        .unwrap_or(u64::MAX)
        .min(u64::MAX / 4);
    store.set_epoch_deadline(ticks.max(1) + 1);
    store
}

type ThreadFuture = Pin<Box<dyn Future<Output = (wasmtime::Result<Option<Vec<u8>>>, u64)> + Send>>;

impl ThreadedProgram {
    fn shared_memory(&self, limits: &Limits) -> Result<SharedMemory, Fault> {
        let (min, max) = self.memory_pages;
        let cap = (limits.memory_bytes / PAGE).min(u64::from(u32::MAX)) as u32;
        let max = max.unwrap_or(cap).min(cap);
        if min > max {
            return Err(Fault::MemoryLimit {
                requested_bytes: u64::from(min) * PAGE,
            });
        }
        SharedMemory::new(&self.threads.engine, MemoryType::shared(min, max)).map_err(|e| {
            Fault::Trap {
                message: format!("failed to create the shared memory: {e:#}"),
            }
        })
    }

    /// Runs one call of the guest's [`abi::CALL`] with its threads, as `mode` says.
    pub fn call(&self, input: &[u8], limits: &Limits, mode: Mode) -> ThreadedReport {
        match mode {
            Mode::Scheduled(schedule) => self.call_scheduled(input, limits, schedule),
            Mode::Free { seed } => self.call_free(input, limits, seed),
        }
    }

    fn call_free(&self, input: &[u8], limits: &Limits, seed: u64) -> ThreadedReport {
        let captured = Captured::new(limits);
        let failed = |fault: Fault| ThreadedReport {
            call: CallReport {
                result: Err(fault),
                fuel: 0,
                nanos: 0,
                stdout: Vec::new(),
                stderr: Vec::new(),
            },
            threads: 0,
            steps: 0,
            trace: Vec::new(),
            sites: BTreeMap::new(),
            leftover_threads: false,
            contention: Contention::default(),
        };
        let module = match self.plain.get_or_init(|| {
            compile(
                &self.threads.engine,
                self.cache_dir.as_deref(),
                &self.plain_wasm,
            )
            .map_err(|e| e.to_string())
        }) {
            Ok(m) => m.clone(),
            Err(e) => return failed(Fault::Abi { message: e.clone() }),
        };
        let memory = match self.shared_memory(limits) {
            Ok(m) => m,
            Err(f) => return failed(f),
        };
        let linker = self.free.clone();
        let clock = Arc::new(AtomicU64::new(0));
        let run = Arc::new(FreeRun {
            next_tid: AtomicU32::new(1),
            module: module.clone(),
            linker,
            memory: memory.clone(),
            clock: clock.clone(),
            limits: *limits,
            seed,
            captured: captured.clone(),
            fault: Mutex::new(None),
            fuel: AtomicU64::new(0),
            live: AtomicU32::new(0),
            started: AtomicU32::new(1),
        });
        let mut store = new_store(
            &module,
            0,
            seed,
            limits,
            &captured,
            &memory,
            &clock,
            None,
            Some(run.clone()),
        );
        let mut nanos = 0;
        let result = (|| {
            let instance = with_memory(&run.linker, &store)?.instantiate(&mut store, &module)?;
            call_main_sync(&mut store, instance, input, &mut nanos)
        })();
        let main_fuel = limits.fuel - store.get_fuel().unwrap_or(0);
        let mut result = result.map_err(|e| classify_threaded(&e, &memory, limits, &captured));
        // Threads the guest did not join get a moment to finish (they are bounded by their
        // own fuel and epoch deadlines).
        let grace = Instant::now();
        while run.live.load(Ordering::SeqCst) > 0 && grace.elapsed() < Duration::from_millis(100) {
            std::thread::sleep(Duration::from_millis(1));
        }
        if let Some(fault) = run.fault.lock().expect("fault lock").take() {
            if result.is_ok() || matches!(result, Err(Fault::Trap { .. } | Fault::Panic { .. })) {
                result = Err(fault);
            }
        }
        let left = run.live.load(Ordering::SeqCst);
        if left > 0 && result.is_ok() {
            result = Err(Fault::LeftRunning { threads: left });
        }
        drop(store);
        ThreadedReport {
            call: CallReport {
                result,
                fuel: main_fuel + run.fuel.load(Ordering::Relaxed),
                nanos,
                stdout: captured.stdout.contents(),
                stderr: captured.stderr.contents(),
            },
            threads: run.started.load(Ordering::SeqCst),
            steps: 0,
            trace: Vec::new(),
            sites: BTreeMap::new(),
            leftover_threads: run.live.load(Ordering::SeqCst) > 0,
            contention: Contention::default(),
        }
    }

    fn call_scheduled(&self, input: &[u8], limits: &Limits, schedule: Schedule) -> ThreadedReport {
        let captured = Captured::new(limits);
        let mut rng = SplitMix64::new(schedule.seed);
        let change_points = match schedule.strategy {
            Strategy::Pct {
                depth,
                expected_steps,
            } => {
                let mut points: Vec<u64> = (1..depth.max(1))
                    .map(|_| 1 + rng.next() % expected_steps.max(1))
                    .collect();
                points.sort_unstable();
                points
            }
            Strategy::Random => Vec::new(),
        };
        let sched = Arc::new(Mutex::new(Scheduler {
            threads: Vec::new(),
            rng,
            strategy: schedule.strategy,
            change_points,
            now: 0,
            steps: 0,
            trace: Vec::new(),
            current: 0,
            switched_at_hook: false,
            spawns: Vec::new(),
            sites_seen: Default::default(),
            tiny: (schedule.fuel_slice <= TINY_SLICE).then_some(schedule.fuel_slice.max(1)),
            info: self.info.clone(),
            memory: Memory::default(),
        }));
        sched.lock().expect("scheduler lock").add_thread();

        let memory = match self.shared_memory(limits) {
            Ok(m) => m,
            Err(fault) => {
                return self.scheduled_report(Err(fault), 0, 0, &captured, &sched);
            }
        };
        let linker = self.scheduled.clone();
        let clock = Arc::new(AtomicU64::new(0));

        let spawn_future = |tid: u32, start_arg: Option<i32>, input: Vec<u8>| -> ThreadFuture {
            let mut store = new_store(
                &self.instrumented,
                tid,
                schedule.seed,
                limits,
                &captured,
                &memory,
                &clock,
                Some(sched.clone()),
                None,
            );
            let _ = store.fuel_async_yield_interval(Some(schedule.fuel_slice.max(1)));
            let _ = store.set_fuel(limits.fuel);
            let module = self.instrumented.clone();
            let linker = linker.clone();
            let fuel = limits.fuel;
            Box::pin(async move {
                let result = async {
                    let linker = with_memory(&linker, &store)?;
                    let instance = linker.instantiate_async(&mut store, &module).await?;
                    match start_arg {
                        Some(arg) => {
                            let start = instance.get_typed_func::<(i32, i32), ()>(
                                &mut store,
                                "wasi_thread_start",
                            )?;
                            start.call_async(&mut store, (tid as i32, arg)).await?;
                            Ok(None)
                        }
                        None => call_main_async(&mut store, instance, &input)
                            .await
                            .map(Some),
                    }
                }
                .await;
                let spent = fuel - store.get_fuel().unwrap_or(0);
                (result, spent)
            })
        };

        let mut threads: Vec<Option<ThreadFuture>> =
            vec![Some(spawn_future(0, None, input.to_vec()))];
        let mut cx = Context::from_waker(Waker::noop());
        let started = Instant::now();
        let mut fuel = 0u64;
        // The main thread's output, and the step at which it returned: the other threads
        // then get `AFTER_RETURN_STEPS` to finish.
        let mut returned: Option<(Vec<u8>, u64, u64)> = None;
        let result: Result<Vec<u8>, Fault> = loop {
            let tid = {
                let mut s = sched.lock().expect("scheduler lock");
                let alive = s.threads.iter().filter(|t| t.run != Run::Done).count() as u32;
                if let Some((_, at, _)) = &returned {
                    if alive == 0 {
                        break Ok(returned.take().expect("returned").0);
                    }
                    if s.steps - at >= AFTER_RETURN_STEPS {
                        break Err(Fault::LeftRunning { threads: alive });
                    }
                }
                if s.steps >= MAX_STEPS {
                    break Err(Fault::StepLimit { steps: s.steps });
                }
                if s.steps.is_multiple_of(64) && started.elapsed() > limits.wall {
                    break Err(Fault::WallClock);
                }
                match s.pick() {
                    // Woken past the grace period (a timed wait whose deadline the clock
                    // jumped to): still alive then.
                    Ok(_)
                        if returned
                            .as_ref()
                            .is_some_and(|(_, _, then)| s.now > then + AFTER_RETURN_NANOS) =>
                    {
                        break Err(Fault::LeftRunning { threads: alive });
                    }
                    Ok(t) => {
                        s.current = t;
                        s.switched_at_hook = false;
                        s.steps += 1;
                        s.now += STEP_NANOS;
                        t
                    }
                    Err(Fault::Deadlock { .. }) if returned.is_some() => {
                        break Err(Fault::LeftRunning { threads: alive });
                    }
                    Err(fault) => break Err(fault),
                }
            };
            let Some(future) = threads.get_mut(tid as usize).and_then(Option::as_mut) else {
                break Err(Fault::Trap {
                    message: format!("scheduler error: thread {tid} has no fiber"),
                });
            };
            let polled = future.as_mut().poll(&mut cx);
            // The access the thread resumed to make is done, however the poll ended.
            sched.lock().expect("scheduler lock").settle(tid, &memory);
            match polled {
                Poll::Ready((outcome, spent)) => {
                    fuel += spent;
                    threads[tid as usize] = None;
                    let mut s = sched.lock().expect("scheduler lock");
                    s.threads[tid as usize].run = Run::Done;
                    s.record(tid, Event::Exited);
                    match outcome {
                        Ok(Some(output)) => returned = Some((output, s.steps, s.now)),
                        Ok(None) => {}
                        Err(e) => break Err(classify_threaded(&e, &memory, limits, &captured)),
                    }
                }
                Poll::Pending => {
                    let mut s = sched.lock().expect("scheduler lock");
                    if !s.switched_at_hook {
                        s.record(tid, Event::Preempted);
                        s.demote(tid);
                    }
                }
            }
            let spawns = std::mem::take(&mut sched.lock().expect("scheduler lock").spawns);
            for (tid, arg) in spawns {
                if threads.len() <= tid as usize {
                    threads.resize_with(tid as usize + 1, || None);
                }
                threads[tid as usize] = Some(spawn_future(tid, Some(arg), Vec::new()));
            }
        };
        let nanos = started.elapsed().as_nanos() as u64;
        drop(threads);
        self.scheduled_report(result, fuel, nanos, &captured, &sched)
    }

    fn scheduled_report(
        &self,
        result: Result<Vec<u8>, Fault>,
        fuel: u64,
        nanos: u64,
        captured: &Captured,
        sched: &Arc<Mutex<Scheduler>>,
    ) -> ThreadedReport {
        let mut s = sched.lock().expect("scheduler lock");
        let mut sites: BTreeMap<u32, SiteInfo> = BTreeMap::new();
        let mut seen = std::mem::take(&mut s.sites_seen);
        if let Err(Fault::Deadlock { threads, .. }) = &result {
            seen.extend(threads.iter().filter_map(|(_, site)| *site));
        }
        for site in seen {
            let Some(found) = self.info.sites.get(site as usize) else {
                continue;
            };
            let function = match self.info.function_names.get(&found.function) {
                Some(name) => name.clone(),
                None => format!("function {}", found.function),
            };
            let what = found.kind.describe().to_string();
            sites.insert(site, SiteInfo { what, function });
        }
        ThreadedReport {
            call: CallReport {
                result,
                fuel,
                nanos,
                stdout: captured.stdout.contents(),
                stderr: captured.stderr.contents(),
            },
            threads: s.threads.len() as u32,
            steps: s.steps,
            trace: std::mem::take(&mut s.trace),
            sites,
            leftover_threads: false,
            contention: s.memory.contention,
        }
    }
}

fn call_main_sync(
    store: &mut Store<ThreadState>,
    instance: wasmtime::Instance,
    input: &[u8],
    nanos: &mut u64,
) -> wasmtime::Result<Vec<u8>> {
    if let Ok(init) = instance.get_typed_func::<(), ()>(&mut *store, abi::INITIALIZE) {
        init.call(&mut *store, ())?;
    }
    let alloc = instance.get_typed_func::<u32, u32>(&mut *store, abi::ALLOC)?;
    let call = instance.get_typed_func::<(u32, u32), u64>(&mut *store, abi::CALL)?;
    let len = u32::try_from(input.len())?;
    let ptr = alloc.call(&mut *store, len)?;
    let memory = store.data().memory.clone();
    if !write_bytes(&memory, u64::from(ptr), input) {
        return Err(abi_error("`judge_alloc` returned an out-of-bounds pointer"));
    }
    let started = Instant::now();
    let packed = call.call(&mut *store, (ptr, len));
    *nanos = started.elapsed().as_nanos() as u64;
    read_output(&memory, packed?)
}

async fn call_main_async(
    store: &mut Store<ThreadState>,
    instance: wasmtime::Instance,
    input: &[u8],
) -> wasmtime::Result<Vec<u8>> {
    if let Ok(init) = instance.get_typed_func::<(), ()>(&mut *store, abi::INITIALIZE) {
        init.call_async(&mut *store, ()).await?;
    }
    let alloc = instance.get_typed_func::<u32, u32>(&mut *store, abi::ALLOC)?;
    let call = instance.get_typed_func::<(u32, u32), u64>(&mut *store, abi::CALL)?;
    let len = u32::try_from(input.len())?;
    let ptr = alloc.call_async(&mut *store, len).await?;
    let memory = store.data().memory.clone();
    if !write_bytes(&memory, u64::from(ptr), input) {
        return Err(abi_error("`judge_alloc` returned an out-of-bounds pointer"));
    }
    let packed = call.call_async(&mut *store, (ptr, len)).await?;
    read_output(&memory, packed)
}

fn read_output(memory: &SharedMemory, packed: u64) -> wasmtime::Result<Vec<u8>> {
    let (ptr, len) = (packed >> 32, (packed & 0xFFFF_FFFF) as u32);
    if len > abi::MAX_OUTPUT_BYTES {
        return Err(abi_error(&format!("returned {len} bytes of output")));
    }
    read_bytes(memory, ptr, len as usize).ok_or_else(|| abi_error("output pointer out of bounds"))
}

fn abi_error(message: &str) -> wasmtime::Error {
    wasmtime::Error::new(AbiError(message.to_string()))
}

fn classify_threaded(
    err: &wasmtime::Error,
    memory: &SharedMemory,
    limits: &Limits,
    captured: &Captured,
) -> Fault {
    // A shared memory has no limiter: its maximum is the cap, so a refused growth is
    // `memory.grow` returning -1, and std's allocation failure aborts. An abort at the cap
    // is the memory limit.
    let at_cap = memory.data_size() as u64 + PAGE > limits.memory_bytes;
    if at_cap
        && matches!(
            err.downcast_ref::<Trap>(),
            Some(Trap::UnreachableCodeReached)
        )
    {
        return Fault::MemoryLimit {
            requested_bytes: limits.memory_bytes,
        };
    }
    fault(err, captured.refused())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_guest::{guest, write_ten, PANIC, TEN_BYTES};
    use crate::{Sandbox, SandboxOptions};

    fn limits(output_bytes: u64) -> Limits {
        Limits {
            memory_bytes: 1 << 20,
            fuel: 10_000_000,
            output_bytes,
            wall: Duration::from_secs(5),
        }
    }

    const SCHEDULED: Mode = Mode::Scheduled(Schedule {
        strategy: Strategy::Random,
        seed: 7,
        fuel_slice: 10_000,
    });

    fn both_modes(wasm: &[u8], limits: &Limits) -> [Result<Vec<u8>, Fault>; 2] {
        let sandbox = Sandbox::new(SandboxOptions::default()).expect("engine");
        let program = sandbox.load_threaded(wasm).expect("loads");
        [SCHEDULED, Mode::Free { seed: 7 }].map(|mode| program.call(b"", limits, mode).call.result)
    }

    #[test]
    fn a_panic_reported_through_the_hook_is_a_panic_in_both_modes() {
        let mut data = vec![0; 16];
        data.extend_from_slice(b"boom\0\0\0\0\0\0\0\0\0\0\0\0solution.rs");
        let wasm = guest(true, None, &data, |f| {
            f.i32_const(16)
                .i32_const(4)
                .i32_const(32)
                .i32_const(11)
                .i32_const(3)
                .i32_const(5)
                .call(PANIC)
                .unreachable();
        });
        let panic = Fault::Panic {
            message: "boom".into(),
            location: Some(crate::Location {
                file: "solution.rs".into(),
                line: 3,
                column: 5,
            }),
        };
        assert_eq!(
            both_modes(&wasm, &limits(64)),
            [Err(panic.clone()), Err(panic)]
        );
    }

    #[test]
    fn a_refused_write_then_a_failure_is_the_output_limit_in_both_modes() {
        let wasm = guest(true, None, TEN_BYTES, |f| {
            write_ten(f);
            f.unreachable();
        });
        assert_eq!(
            both_modes(&wasm, &limits(8)),
            [Err(Fault::OutputLimit), Err(Fault::OutputLimit)]
        );
        for result in both_modes(&wasm, &limits(10)) {
            assert!(matches!(result, Err(Fault::Trap { .. })), "{result:?}");
        }
    }

    /// A `wasm32-wasip1-threads` guest built by rustc from `body` (which defines
    /// `fn run() -> u64`), with the call ABI.
    fn rust_guest(body: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (src, out) = (dir.path().join("g.rs"), dir.path().join("g.wasm"));
        let abi = r#"
#[no_mangle]
pub extern "C" fn judge_alloc(len: u32) -> *mut u8 {
    init();
    let mut buf = Vec::<u8>::with_capacity(len as usize);
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}
#[no_mangle]
pub extern "C" fn judge_call(_ptr: *mut u8, _len: u32) -> u64 {
    init();
    let output = std::mem::ManuallyDrop::new(run().to_le_bytes().to_vec().into_boxed_slice());
    ((output.as_ptr() as u64) << 32) | output.len() as u64
}
fn init() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    extern "C" { fn __wasi_init_tp(); }
    if !DONE.swap(true, Ordering::SeqCst) { unsafe { __wasi_init_tp() } }
}
"#;
        std::fs::write(&src, format!("{abi}\n{body}")).expect("write");
        let status = std::process::Command::new("rustc")
            .args(["--edition=2021", "--crate-type=cdylib"])
            .args([
                "--target=wasm32-wasip1-threads",
                "-O",
                "-Cpanic=abort",
                "-o",
            ])
            .arg(&out)
            .arg(&src)
            .status()
            .expect("rustc");
        assert!(status.success());
        std::fs::read(out).expect("wasm")
    }

    fn program(body: &str) -> ThreadedProgram {
        let sandbox = Sandbox::new(SandboxOptions::default()).expect("engine");
        sandbox.load_threaded(&rust_guest(body)).expect("loads")
    }

    fn schedule(seed: u64, fuel_slice: u64) -> Mode {
        Mode::Scheduled(Schedule {
            strategy: Strategy::Random,
            seed,
            fuel_slice,
        })
    }

    fn rust_limits() -> Limits {
        Limits {
            memory_bytes: 64 << 20,
            fuel: 1_000_000_000,
            output_bytes: 1 << 10,
            wall: Duration::from_secs(10),
        }
    }

    fn answer(report: &ThreadedReport) -> u64 {
        let out = report
            .call
            .result
            .clone()
            .unwrap_or_else(|f| panic!("{f:?}"));
        u64::from_le_bytes(out.try_into().expect("8 bytes"))
    }

    /// Two threads, each adding 1 a hundred times with a plain read and a plain write.
    const PLAIN_COUNTER: &str = r#"
struct Counter(std::cell::UnsafeCell<u64>);
unsafe impl Sync for Counter {}
static COUNTER: Counter = Counter(std::cell::UnsafeCell::new(0));
#[inline(never)]
fn bump() {
    unsafe {
        let p = COUNTER.0.get();
        let v = std::ptr::read_volatile(p);
        std::ptr::write_volatile(p, v + 1);
    }
}
fn run() -> u64 {
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| for _ in 0..100 { bump() });
        }
    });
    unsafe { *COUNTER.0.get() }
}
"#;

    #[test]
    fn tiny_slices_split_a_plain_read_and_write_and_replay_exactly() {
        let program = program(PLAIN_COUNTER);
        let limits = rust_limits();
        let mut lost = [0, 0];
        for seed in 0..10 {
            for (k, slice) in [3_000, 16].into_iter().enumerate() {
                let report = program.call(b"", &limits, schedule(seed, slice));
                if answer(&report) < 200 {
                    lost[k] += 1;
                }
                let again = program.call(b"", &limits, schedule(seed, slice));
                assert_eq!(again.call.result, report.call.result);
                assert_eq!(again.trace, report.trace, "same seed, same decisions");
            }
        }
        // A fuel slice is checked only at loop headers and calls: never between the read
        // and the write. The plain-access countdown of a tiny slice is.
        assert_eq!(lost[0], 0, "a long slice split a plain update");
        assert!(
            lost[1] >= 8,
            "tiny slices lost updates under only {} of 10",
            lost[1]
        );
    }

    #[test]
    fn a_thread_left_running_after_the_call_is_a_fault_in_both_modes() {
        let spinning = program(
            r#"
fn run() -> u64 {
    std::thread::spawn(|| loop { std::hint::spin_loop() });
    7
}
"#,
        );
        let limits = rust_limits();
        for mode in [schedule(1, 1_000), schedule(2, 16), Mode::Free { seed: 1 }] {
            let report = spinning.call(b"", &limits, mode);
            assert_eq!(
                report.call.result,
                Err(Fault::LeftRunning { threads: 1 }),
                "{mode:?}"
            );
        }
        // Blocked for ever after the call returned: left running too (not a deadlock).
        let blocked = program(
            r#"
fn run() -> u64 {
    std::thread::spawn(|| loop { std::thread::park() });
    7
}
"#,
        );
        let report = blocked.call(b"", &limits, schedule(3, 1_000));
        assert_eq!(report.call.result, Err(Fault::LeftRunning { threads: 1 }));
        // Asleep for an hour: virtual time would get there at once, but past the grace
        // period after the return it is left running, as on real threads.
        let asleep = program(
            r#"
fn run() -> u64 {
    std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_secs(3600)));
    7
}
"#,
        );
        for mode in [schedule(4, 1_000), Mode::Free { seed: 4 }] {
            let report = asleep.call(b"", &limits, mode);
            assert_eq!(
                report.call.result,
                Err(Fault::LeftRunning { threads: 1 }),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn a_thread_that_ends_soon_after_the_call_is_not_left_running() {
        let program = program(
            r#"
use std::sync::atomic::{AtomicU64, Ordering};
static WORK: AtomicU64 = AtomicU64::new(0);
fn run() -> u64 {
    // Detached: ends on its own after the call has returned.
    std::thread::spawn(|| for _ in 0..50 { WORK.fetch_add(1, Ordering::SeqCst); });
    7
}
"#,
        );
        let limits = rust_limits();
        for mode in [schedule(1, 1_000), schedule(2, 16), Mode::Free { seed: 1 }] {
            let report = program.call(b"", &limits, mode);
            assert_eq!(answer(&report), 7, "{mode:?}");
        }
    }

    #[test]
    fn an_unknown_import_of_a_threaded_module_is_refused_by_kind() {
        let sandbox = Sandbox::new(SandboxOptions::default()).expect("engine");
        let wasm = guest(true, Some(("env", "host_secret")), &[], |_| {});
        assert!(matches!(
            sandbox.load_threaded(&wasm),
            Err(SandboxError::Refused(LoadError::UnknownImport { module, name }))
                if module == "env" && name == "host_secret"
        ));
    }
}
