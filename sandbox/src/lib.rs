//! Runs untrusted WebAssembly under wasmtime with deterministic limits; knows nothing of exercises.
//!
//! A guest is a `wasm32-wasip1` module that exports the call ABI described in [`abi`]. Each
//! [`Program::call`] runs in a fresh instance with its own fuel, memory cap, captured output
//! and a WASI context that grants nothing but a seeded random source. The wall clock is
//! [`worker`]'s: it runs the same calls in a child process whose watchdog answers for a call
//! past its deadline, and which is killed if even that does not come, so a guest that
//! blocks the thread running it (a sleep, a host call that never returns) is stopped too.

pub mod abi;
pub mod cache;
pub mod confine;
mod engine;
pub mod instrument;
mod output;
mod rng;
#[cfg(test)]
mod test_guest;
pub mod threads;
pub mod worker;

use serde::{Deserialize, Serialize};

pub use engine::{Node, Program, Sandbox, SandboxOptions};
pub use threads::{Mode, Schedule, Strategy, ThreadedProgram, ThreadedReport};

pub use judge_core::{Fault, Limits, LoadError, Location};

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

/// Why the sandbox could not load a module or run a call: the module's own fault
/// ([`SandboxError::Refused`]), or the sandbox's. These cross the worker pipe as they are, so
/// the judge decides by variant, never by wording; the messages are for display.
#[derive(Debug, thiserror::Error, Serialize, Deserialize)]
pub enum SandboxError {
    /// The module cannot run in the sandbox: the module's fault (the judge reports it as a
    /// build failure of the submission).
    #[error("{0}")]
    Refused(LoadError),
    #[error("failed to configure the wasm engine: {0}")]
    Engine(String),
    #[error("failed to prepare the module for instantiation: {0}")]
    Link(String),
    #[error("failed to use the module cache at {path}: {message}")]
    Cache { path: String, message: String },
    /// The worker process itself: it could not start, died, or answered nonsense.
    #[error("the sandbox worker failed: {0}")]
    Worker(String),
    #[error("no module is loaded in the sandbox worker")]
    NotLoaded,
    #[error("the sandbox worker has no program slot {0}")]
    NoSlot(u8),
    /// A plain call of a threaded module, or a threaded call of a plain one.
    #[error("the module is {}threaded", if *.threaded { "" } else { "not " })]
    WrongKind { threaded: bool },
}
