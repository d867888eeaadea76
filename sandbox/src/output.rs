//! The guest's stdout and stderr: in-memory pipes with a cap that remember whether they
//! refused a write, so an output-limit fault is the sandbox's own knowledge, not a reading
//! of what the guest (or std's print macros) wrote about it.

use bytes::Bytes;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};

/// A capped pipe; clones share the buffer (the worker's watchdog reads what an overrunning
/// call printed while it runs, and every guest thread writes to the same pair).
///
/// For the guest it behaves as wasmtime's `MemoryOutputPipe`: a write that does not fit
/// keeps what fits and fails (WASI's EIO), and so does every write once the pipe is full.
#[derive(Clone)]
pub(crate) struct CappedPipe {
    cap: usize,
    state: Arc<Mutex<PipeState>>,
}

#[derive(Default)]
struct PipeState {
    bytes: Vec<u8>,
    refused: bool,
}

impl CappedPipe {
    pub(crate) fn new(cap: usize) -> Self {
        CappedPipe {
            cap,
            state: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, PipeState> {
        // A guest thread that panicked on the host side left nothing half-done here.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What was written so far.
    pub(crate) fn contents(&self) -> Vec<u8> {
        self.lock().bytes.clone()
    }

    /// Whether a write was refused because it did not fit under the cap.
    pub(crate) fn refused(&self) -> bool {
        self.lock().refused
    }

    /// Appends what fits of `bytes`; `false` (and remembered) when not all of it did.
    fn append(&self, bytes: &[u8]) -> bool {
        let mut state = self.lock();
        let room = self.cap.saturating_sub(state.bytes.len());
        let n = room.min(bytes.len());
        state.bytes.extend_from_slice(&bytes[..n]);
        if n < bytes.len() {
            state.refused = true;
            return false;
        }
        true
    }

    fn room(&self) -> usize {
        self.cap.saturating_sub(self.lock().bytes.len())
    }
}

impl IsTerminal for CappedPipe {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedPipe {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CappedPipe {
    async fn ready(&mut self) {}
}

#[wasmtime_wasi::async_trait]
impl OutputStream for CappedPipe {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        if self.append(&bytes) {
            Ok(())
        } else {
            Err(StreamError::Closed)
        }
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        match self.room() {
            0 => Err(StreamError::Closed),
            room => Ok(room),
        }
    }

    /// WASI p1's `fd_write` comes here. The default would ask `check_write` once more after
    /// a write that exactly fills the pipe (and ignore its refusal): only a write that does
    /// not fit counts as refused.
    async fn blocking_write_and_flush(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.write(bytes)
    }
}

impl tokio::io::AsyncWrite for CappedPipe {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let room = self.room().min(buf.len());
        self.append(buf);
        Poll::Ready(Ok(room))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fits_exactly_is_not_refused_and_the_next_one_is() {
        let mut pipe = CappedPipe::new(4);
        assert!(pipe.write(Bytes::from_static(b"abcd")).is_ok());
        assert!(!pipe.refused());
        assert!(matches!(pipe.check_write(), Err(StreamError::Closed)));
        assert!(!pipe.refused(), "asking for room is not a write");
        assert!(matches!(
            pipe.write(Bytes::from_static(b"e")),
            Err(StreamError::Closed)
        ));
        assert!(pipe.refused());
        assert_eq!(pipe.contents(), b"abcd");
    }

    #[test]
    fn a_write_past_the_cap_keeps_what_fits_and_is_remembered_by_every_clone() {
        let pipe = CappedPipe::new(3);
        let mut writer = pipe.clone();
        assert!(writer.write(Bytes::from_static(b"abcdef")).is_err());
        assert_eq!(pipe.contents(), b"abc");
        assert!(pipe.refused());
    }
}
