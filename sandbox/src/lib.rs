//! Runs untrusted WebAssembly under wasmtime with deterministic limits; knows nothing of exercises.
//!
//! A guest is a `wasm32-wasip1` module that exports the call ABI described in [`abi`]. Each
//! [`Program::call`] runs in a fresh instance with its own fuel, memory cap, captured output
//! and a WASI context that grants nothing but a seeded random source. The wall clock is
//! [`worker`]'s: it runs the same calls in a child process whose watchdog answers for a call
//! past its deadline, and which is killed if even that does not come, so a guest that
//! blocks the thread running it (a sleep, a host call that never returns) is stopped too.

pub mod abi;
mod engine;
pub mod instrument;
mod rng;
pub mod threads;
pub mod worker;

use serde::{Deserialize, Serialize};
use std::time::Duration;

pub use engine::{Program, Sandbox, SandboxOptions};
pub use threads::{Mode, Schedule, Strategy, ThreadedProgram, ThreadedReport};

/// Limits for one call into a guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Cap on the guest's linear memory, in bytes.
    pub memory_bytes: u64,
    /// Fuel (roughly, executed wasm instructions) the call may spend.
    pub fuel: u64,
    /// Cap on what the guest may write to stdout and to stderr, each, in bytes.
    pub output_bytes: u64,
    /// Wall-clock limit for the call (enforced by the [`worker`]).
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
    /// The guest wrote more than its output cap to stdout or stderr.
    OutputLimit,
    /// The guest called `proc_exit` (e.g. `std::process::exit`).
    Exit { code: i32 },
    /// The guest trapped: a panic under `panic=abort`, `unreachable`, an out-of-bounds
    /// access, a stack overflow ...
    Trap { message: String },
    /// A scheduled run took more scheduling steps than it may (threads spinning on atomics
    /// without end).
    StepLimit { steps: u64 },
    /// Every guest thread is blocked and none has a timed wait (scheduled runs): each blocked
    /// thread with the instrumented site it waits at, if any.
    Deadlock { threads: Vec<(u32, Option<u32>)> },
    /// The module does not follow the call ABI (missing exports, bad output pointer).
    Abi { message: String },
}

/// What one call produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CallReport {
    pub result: Result<Vec<u8>, Fault>,
    /// Fuel spent by the call, including instantiation; bit-identical across runs of the
    /// same module, input and seed.
    pub fuel: u64,
    /// Wall-clock time of the call into the guest (instantiation excluded), in ns: noisy,
    /// for throughput ratios only.
    pub nanos: u64,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// The sandbox's own failures (never the guest's fault).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("failed to configure the wasm engine: {0}")]
    Engine(String),
    #[error("failed to compile the module: {0}")]
    Compile(String),
    #[error("failed to prepare the module for instantiation: {0}")]
    Link(String),
    #[error("failed to use the module cache at {path}: {message}")]
    Cache { path: String, message: String },
    #[error("the sandbox worker failed: {0}")]
    Worker(String),
    #[error("no module is loaded in the sandbox worker")]
    NotLoaded,
}
