//! The call ABI between the host and a guest module.
//!
//! A guest exports its linear memory as [`MEMORY`] and two functions:
//! - [`ALLOC`] `(len: u32) -> u32`: returns a pointer to `len` writable bytes that the host
//!   fills with the call's input;
//! - [`CALL`] `(ptr: u32, len: u32) -> u64`: consumes the input and returns the output's
//!   location packed as `ptr << 32 | len`.
//!
//! If the guest exports [`INITIALIZE`] (a WASI reactor's constructor), it runs first.

pub const MEMORY: &str = "memory";
pub const ALLOC: &str = "judge_alloc";
pub const CALL: &str = "judge_call";
pub const INITIALIZE: &str = "_initialize";
/// The largest output a guest may return from one call.
pub const MAX_OUTPUT_BYTES: u32 = 64 << 20;

/// The host import the judge's panic hook calls (module [`PANIC_MODULE`], name [`PANIC`]):
/// `(message_ptr: u32, message_len: u32, file_ptr: u32, file_len: u32, line: u32,
/// column: u32)`, the panic's message and location as UTF-8 in the guest's memory (`line`
/// 0: no location). The call does not return: it ends the guest's call as
/// [`crate::Fault::Panic`].
pub const PANIC_MODULE: &str = "judge";
pub const PANIC: &str = "panic";
/// The most of a panic's message (and of its file name) the host reads.
pub const MAX_PANIC_TEXT: u32 = 16 << 10;
