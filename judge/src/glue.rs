//! The ABI glue compiled into every submission: the `judge_alloc`/`judge_call` exports and
//! the panic hook (see `judge_sandbox::abi`), sealed inside the exercise's harness module.
//!
//! Rust's privacy is the seal. The candidate's file is the crate root; the harness is the
//! private module `__judge_harness`, whose entry point `call` and measurements (counters,
//! runners) are private to it. Private items are visible only in their module and its
//! descendants, so the glue must be a child of the harness module to call `call`, and
//! nothing at the root (the candidate's code) can name `call` or what it measures. The
//! glue is therefore not pasted as a module of its own: [`GLUE`] defines the macro
//! `__judge_entry`, which the catalog invokes as the harness module's last item
//! (`exercises/src/catalog.rs`), so the macro's `mod __judge_abi` is expanded inside
//! `__judge_harness` and calls `super::call`.
//!
//! `macro_rules!` is scoped by text: [`GLUE`] comes after the submission and before the
//! harness (`compile::build`), so the candidate's code, above it, cannot invoke the macro;
//! a macro of the same name in the submission is shadowed by this later one where the
//! harness invokes it. Another build of the same harness (the memory-model tier's native
//! program, `judge/src/miri.rs`) defines its own `__judge_entry` between the submission and
//! the harness the same way.
//!
//! The exports stay callable as symbols: a submission can declare
//! `extern "C" { fn judge_call(ptr: *mut u8, len: u32) -> u64; }` and call the export from
//! inside a call. That would run the harness again inside its own measurement window
//! (resetting a peak, say), so `judge_call` refuses to be entered while a call is running:
//! the nested call panics, the submission's call fails (`runtime_error`).

/// The ABI glue every build gets between the submission and the exercise's harness; see
/// `judge_sandbox::abi` and the module documentation. The leading item absorbs a dangling
/// outer attribute at the end of the submission, so it cannot switch off the glue.
pub(crate) const GLUE: &str = r#"
#[doc(hidden)] const _: () = ();
// Expanded by the harness module (`__judge_entry!();`, its last item), as its child.
macro_rules! __judge_entry { () => {
#[doc(hidden)]
mod __judge_abi {
    // SAFETY: the signature is the one the host defines for `judge.panic` (two pointer and
    // length pairs, a line and a column: six i32 on wasm32); a module whose import does not
    // match it is refused at instantiation.
    #[link(wasm_import_module = "judge")]
    unsafe extern "C" {
        // judge_sandbox::abi::PANIC: does not return, it ends the call as a panic.
        #[link_name = "panic"]
        fn judge_panic(
            message: *const u8,
            message_len: usize,
            file: *const u8,
            file_len: usize,
            line: u32,
            column: u32,
        );
    }
    // Every panic's message and location go to the host as values, so the judge never reads
    // them out of what the guest printed. Installed once per instance (the hook is the
    // instance's, shared by its threads); a submission that replaces it only turns its own
    // panics into plain aborts.
    fn install_panic_hook() {
        use ::std::sync::atomic::{AtomicBool, Ordering};
        static INSTALLED: AtomicBool = AtomicBool::new(false);
        if INSTALLED.swap(true, Ordering::SeqCst) {
            return;
        }
        ::std::panic::set_hook(::std::boxed::Box::new(|info: &::std::panic::PanicHookInfo<'_>| {
            let message = info.payload_as_str().unwrap_or("Box<dyn Any>");
            // Line 0: no location (lines count from 1).
            let (file, line, column) = match info.location() {
                ::std::option::Option::Some(l) => (l.file(), l.line(), l.column()),
                ::std::option::Option::None => ("", 0, 0),
            };
            // SAFETY: the host reads both byte ranges (live for the whole call) and ends the
            // guest's call; it writes nothing into the guest.
            unsafe {
                judge_panic(message.as_ptr(), message.len(), file.as_ptr(), file.len(), line, column)
            }
        }));
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn judge_alloc(len: u32) -> *mut u8 {
        init_thread_pointer();
        install_panic_hook();
        let mut buf = ::std::vec::Vec::<u8>::with_capacity(len as usize);
        let ptr = buf.as_mut_ptr();
        ::std::mem::forget(buf);
        ptr
    }
    static RUNNING: ::std::sync::atomic::AtomicBool = ::std::sync::atomic::AtomicBool::new(false);
    #[unsafe(no_mangle)]
    pub extern "C" fn judge_call(ptr: *mut u8, len: u32) -> u64 {
        init_thread_pointer();
        // One call per instance at a time: a submission that calls this export from inside
        // its own call (an `extern "C"` declaration of `judge_call`) would re-enter the
        // harness inside its measurement window. The host never nests calls.
        if RUNNING.swap(true, ::std::sync::atomic::Ordering::SeqCst) {
            // A panic without a location (line 0): it is not at a line of the submission.
            let message = "the judge's entry point `judge_call` was called from inside a call: a submission may not call the judge's exports";
            // SAFETY: as in the panic hook: the host reads the two ranges and ends the call.
            unsafe { judge_panic(message.as_ptr(), message.len(), message.as_ptr(), 0, 0, 0) };
            ::std::process::abort();
        }
        // SAFETY: the host calls this only with the `ptr` that `judge_alloc(len)` returned
        // for the same `len`, after writing `len` bytes there (judge_sandbox::abi): a
        // forgotten `Vec<u8>` from the global allocator whose capacity is exactly `len`
        // (`with_capacity` allocates exactly that for a non-zero-sized type), now fully
        // initialised, and owned by nothing else.
        let input = unsafe { ::std::vec::Vec::from_raw_parts(ptr, len as usize, len as usize) };
        let output = super::call(&input);
        RUNNING.store(false, ::std::sync::atomic::Ordering::SeqCst);
        let output = ::std::mem::ManuallyDrop::new(output.into_boxed_slice());
        ((output.as_ptr() as u64) << 32) | output.len() as u64
    }
    // A cdylib has no `_start`, so on wasm32-wasip1-threads nothing sets up wasi-libc's
    // descriptor of the main thread, and the first `thread::spawn` walks an uninitialised
    // thread list forever. wasi-libc's own initialiser does it (once per instance).
    #[cfg(judge_threads)]
    fn init_thread_pointer() {
        use ::std::sync::atomic::{AtomicBool, Ordering};
        static DONE: AtomicBool = AtomicBool::new(false);
        unsafe extern "C" {
            fn __wasi_init_tp();
        }
        if !DONE.swap(true, Ordering::SeqCst) {
            // SAFETY: wasi-libc's initialiser of the main thread's descriptor, which `_start`
            // would have called; it takes no arguments, and the swap runs it once per
            // instance, from the main thread's first call into the module, before any thread
            // is spawned.
            unsafe { __wasi_init_tp() }
        }
    }
    #[cfg(not(judge_threads))]
    fn init_thread_pointer() {}
}
} }
"#;
