//! The judge's shared vocabulary: every crate names verdicts, the sandbox's faults and
//! limits, schedules and traces with these types, so none of them crosses a crate or a
//! process boundary as a string.

mod rng;
mod verdict;

pub use rng::SplitMix64;
pub use verdict::Verdict;

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Limits for one call into a guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Cap on the guest's linear memory, in bytes.
    pub memory_bytes: u64,
    /// Fuel (roughly, executed wasm instructions) the call may spend.
    pub fuel: u64,
    /// Cap on what the guest may write to stdout and to stderr, each, in bytes.
    pub output_bytes: u64,
    /// Wall-clock limit for the call (enforced by the sandbox's worker).
    pub wall: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 256 << 20,
            fuel: 5_000_000_000,
            output_bytes: 64 << 10,
            wall: Duration::from_secs(3),
        }
    }
}

/// Why a call did not return a result. Every way a guest can misbehave is one of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// The call spent all its fuel.
    OutOfFuel,
    /// The call ran past its wall-clock limit computing: it spent at least a quarter of the
    /// time on the CPU (the worker's watchdog), or a threaded run's own deadline fired.
    WallClock,
    /// The call outlived its wall-clock limit mostly off the CPU: sleeping or blocked in a
    /// host call (or the worker did not answer and was killed).
    Blocked,
    /// The guest asked for more memory than its cap, at instantiation or while growing.
    MemoryLimit { requested_bytes: u64 },
    /// A capture pipe refused a write past the output cap (stdout or stderr), and the call
    /// then failed (std's print macros panic when a write fails). A guest that ignores the
    /// refused write is simply capped.
    OutputLimit,
    /// The guest called `proc_exit` (e.g. `std::process::exit`).
    Exit { code: i32 },
    /// The guest panicked, and the judge's panic hook (installed by the glue every
    /// submission is built with) handed the host the panic's message and location. A guest
    /// that replaces the hook and then panics is a [`Fault::Trap`].
    Panic {
        /// The panic's payload as text, as the guest wrote it: shown, never interpreted.
        message: String,
        location: Option<Location>,
    },
    /// The guest trapped: `unreachable` (an abort, or a panic the judge's hook did not
    /// see), an out-of-bounds access, a stack overflow ...
    Trap { message: String },
    /// A scheduled run took more scheduling steps than it may (threads spinning on atomics
    /// without end).
    StepLimit { steps: u64 },
    /// Every guest thread is blocked and none has a timed wait (scheduled runs): each blocked
    /// thread with the instrumented site it waits at, if any; and, when the waits are for
    /// lock words the scheduler saw taken, which thread holds which ([`LockReport`]).
    Deadlock {
        threads: Vec<(u32, Option<u32>)>,
        #[serde(default)]
        locks: Option<Box<LockReport>>,
    },
    /// The module does not follow the call ABI (missing exports, bad output pointer).
    Abi { message: String },
    /// The call returned while guest threads it started were still running or blocked
    /// (scheduled runs: still alive a bounded number of steps after the return; free runs:
    /// 100 ms after it): work a call leaves behind is never finished. `threads` is how many.
    LeftRunning { threads: u32 },
}

/// Where in the guest's source a panic happened (`std::panic::Location`): the file as the
/// build named it, 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// Why the sandbox refused to load a module: the module's own fault, which the judge reports
/// as a build failure of the submission (never the sandbox's failure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadError {
    /// The module imports a function the sandbox does not provide (a submission may use std
    /// only: an `extern` block or `#[link]` asks the host for something it does not have).
    UnknownImport { module: String, name: String },
    /// wasmtime refuses to validate or compile the module (or the scheduler's
    /// instrumentation cannot read it); `message` is the refusal, for display.
    Invalid { message: String },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::UnknownImport { module, name } => write!(
                f,
                "failed to prepare the module for instantiation: unknown import: `{module}::{name}` has not been defined"
            ),
            LoadError::Invalid { message } => write!(f, "failed to compile the module: {message}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl Fault {
    /// The guest was computing when it was stopped (as opposed to sleeping, blocked or
    /// failing): a performance gate may still measure it.
    pub fn computing(&self) -> bool {
        matches!(self, Fault::OutOfFuel | Fault::WallClock)
    }
}

/// How the scheduler picks the next thread at each switch point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    /// Uniformly at random among the runnable threads.
    Random,
    /// PCT (probabilistic concurrency testing): threads get distinct random priorities, the
    /// highest runnable one runs, and at `depth - 1` random steps among the first
    /// `expected_steps` the running thread drops below every other.
    Pct { depth: u32, expected_steps: u64 },
}

/// One schedule: everything that decides a scheduled run besides the module and its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    pub strategy: Strategy,
    pub seed: u64,
    /// Fuel after which a thread running without atomics is preempted.
    pub fuel_slice: u64,
}

/// How a threaded call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Under the judge's scheduler: one thread at a time, switching at atomic operations,
    /// waits, wakes and fuel slices, every choice drawn from the schedule's seed.
    Scheduled(Schedule),
    /// Real OS threads (stress, throughput); `seed` seeds the guest's random source only.
    Free { seed: u64 },
}

/// One scheduling step of a scheduled run: which thread ran up to which switch point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// 0 is the main thread; spawned threads count from 1 in spawn order.
    pub thread: u32,
    pub event: Event,
}

/// What a thread did at a switch point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// Reached an instrumented atomic access, wait or wake (a site of the module).
    Site(u32),
    /// Called the `judge.clock` import, which returned this value.
    Clock(u64),
    /// Preempted by the fuel slice.
    Preempted,
    /// Blocked in a wait at a site.
    Blocked(u32),
    /// Spawned a thread with this number.
    Spawned(u32),
    /// Yielded (`sched_yield`) or slept.
    Yielded,
    /// Finished.
    Exited,
}

/// What an instrumented site is, for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// "atomic load", "wait", ...
    pub what: String,
    /// The demangled name of the function it is in.
    pub function: String,
}

/// How often a scheduled run's atomic updates found their memory last written by another
/// thread: the contention figure, counted on the scheduler's steps, so the same on every
/// machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contention {
    /// Atomic read-modify-writes and compare-exchanges executed (lock acquisitions and
    /// releases of std's futex locks are among them).
    pub updates: u64,
    /// Of those, the ones whose 64-byte line another thread wrote last: on a real machine
    /// the line had to move from that thread's core first.
    pub contended: u64,
}

/// The locks of a deadlocked scheduled run. A lock is a word in guest memory that a thread
/// took from 0 to non-zero with an atomic update and that some thread waits on (a futex
/// word: std's `Mutex`, `RwLock` ... on `wasm32-wasip1-threads`); it is released when it
/// goes back to 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockReport {
    /// Each blocked thread: the locks it holds and the one it waits for.
    pub threads: Vec<LockedThread>,
    /// Threads that each wait for a lock the next one holds (the last waits for the
    /// first's); one thread waiting for a lock it holds itself is a cycle of one. Empty if
    /// the waits form no cycle.
    pub cycle: Vec<u32>,
    /// The last lock steps before the deadlock, oldest first.
    pub steps: Vec<LockStep>,
    /// Lock steps before `steps` that are not kept.
    pub earlier_steps: u64,
}

/// One blocked thread of a [`LockReport`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedThread {
    pub thread: u32,
    /// Locks this thread took and has not released, in the order it took them.
    pub holds: Vec<LockUse>,
    /// The lock it waits for; `None` when it waits on a word no thread took (a `Condvar`,
    /// a `join` ...).
    pub waits_for: Option<LockUse>,
    /// Which thread holds `waits_for` (`None`: nobody, or not known).
    pub holder: Option<u32>,
}

/// A lock word and where a thread took it (or tried to).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockUse {
    /// The word's address in guest memory.
    pub address: u64,
    /// The demangled function of the atomic update that took the lock (or, for a wait, the
    /// thread's last update of the word: the attempt that failed).
    pub function: String,
}

/// One step of a [`LockReport`]'s interleaving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockStep {
    pub thread: u32,
    pub event: LockEvent,
    /// The demangled function it happened in (empty for a clock stamp).
    pub function: String,
}

/// What a thread did to a lock (or to the judge's clock) at a [`LockStep`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockEvent {
    /// Took the lock word at this address (from 0 to non-zero).
    Locked(u64),
    /// Put it back to 0.
    Unlocked(u64),
    /// Blocked waiting on it.
    Waits(u64),
    /// Read the `judge.clock` import for the n-th time (1-based) on this thread: a harness
    /// stamps each call's start and return with it.
    Stamp(u32),
}
