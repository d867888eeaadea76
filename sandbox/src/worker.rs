//! The sandbox in a child process, where the wall clock holds whatever the guest does.
//!
//! A guest that blocks the OS thread running it (sleeping in a host call, say) cannot be
//! interrupted by fuel, so the judged calls run in a worker process. A watchdog thread in
//! the worker answers for a plain call that outlives its wall clock (computing or blocked,
//! by the CPU time it spent, and what it printed) and ends the process; [`Worker`] kills a
//! worker that does not answer even then, and starts a new one for the next call. Messages
//! are length-prefixed postcard frames over the child's stdin and stdout.

use crate::confine::Confinement;
use crate::engine::{Captured, Node, MAX_WASM_STACK};
use crate::threads::{Mode, ThreadedProgram, ThreadedReport};
use crate::{CallReport, Fault, Limits, Program, Sandbox, SandboxError, SandboxOptions};
use serde::{Deserialize, Serialize};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Extra wall-clock time the host grants beyond a call's limit before killing the worker:
/// the worker's watchdog (or, for threaded calls, the run's own deadline: the scheduler's
/// check between steps, or the epoch deadline on real threads) should answer first.
const KILL_GRACE: Duration = Duration::from_millis(500);
/// A call that overran its wall clock counts as computing when it spent at least this share
/// of the wall clock on the CPU, and as sleeping or blocked otherwise.
const COMPUTING_SHARE: u32 = 4;
/// How long loading (compiling) a module may take.
const LOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest frame either side accepts.
const MAX_FRAME: u32 = 256 << 20;
/// What reading a frame allocates before its bytes arrive.
const FRAME_PREALLOCATED: u32 = 64 << 10;
/// Programs one worker holds at once (a submission and the reference it is timed against).
pub const SLOTS: usize = 2;
/// Nodes open at once (each holds one of the engine's pooled instance slots).
pub const MAX_NODES: usize = 6;

#[derive(Serialize, Deserialize)]
enum Request {
    Load {
        slot: u8,
        wasm_path: PathBuf,
        cache_dir: Option<PathBuf>,
    },
    Call {
        slot: u8,
        input: Vec<u8>,
        limits: Limits,
        seed: u64,
    },
    CallThreaded {
        slot: u8,
        input: Vec<u8>,
        limits: Limits,
        mode: Mode,
    },
    /// Instantiates `count` nodes of the plain program in `slot`, each its own instance
    /// (see [`crate::Node`]), replacing the nodes open before.
    OpenNodes {
        slot: u8,
        count: u16,
        limits: Limits,
        seed: u64,
    },
    /// Calls into the open nodes, in order, each with `limits.fuel`; stops after the first
    /// call that faults.
    CallNodes {
        calls: Vec<(u16, Vec<u8>)>,
        limits: Limits,
    },
}

#[derive(Serialize, Deserialize)]
enum Response {
    Loaded,
    Opened,
    CalledNodes(Vec<CallReport>),
    Called(CallReport),
    CalledThreaded(Box<ThreadedReport>),
    /// The watchdog's answer for a call past its wall clock; the worker exits after it.
    Overran(CallReport),
    /// The request failed: the module's fault ([`SandboxError::Refused`]) or the sandbox's,
    /// as a value (the parent returns it as it is).
    Failed(SandboxError),
}

fn write_frame<T: Serialize>(w: &mut impl Write, value: &T) -> io::Result<()> {
    let bytes = postcard::to_stdvec(value).map_err(io::Error::other)?;
    // A length that does not fit would cut the frame short and let its tail be read as
    // the next frame.
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|&len| len <= MAX_FRAME)
        .ok_or_else(|| io::Error::other(format!("frame of {} bytes", bytes.len())))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&bytes)?;
    w.flush()
}

/// Reads one frame: `Ok(None)` when the stream ends between frames, an error when it ends
/// inside one or the frame does not decode to exactly one `T`.
fn read_frame<T: for<'de> Deserialize<'de>>(r: &mut impl Read) -> io::Result<Option<T>> {
    let mut len = [0; 4];
    let mut got = 0;
    while got < len.len() {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::other(format!("frame of {len} bytes")));
    }
    // The buffer grows with the bytes that arrive, so a length alone allocates little.
    let mut buf = Vec::with_capacity(len.min(FRAME_PREALLOCATED) as usize);
    r.take(len.into()).read_to_end(&mut buf)?;
    if buf.len() != len as usize {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("frame of {len} bytes ended after {}", buf.len()),
        ));
    }
    match postcard::take_from_bytes(&buf) {
        Ok((value, [])) => Ok(Some(value)),
        Ok((_, rest)) => Err(io::Error::other(format!(
            "{} bytes after the message in a frame",
            rest.len()
        ))),
        Err(e) => Err(io::Error::other(e)),
    }
}

/// The worker's main loop: serves requests from stdin until it closes. Call this from the
/// hidden worker entry point of the binary that hosts the judge.
pub fn serve() -> io::Result<()> {
    // Guest frames run on this thread's native stack: give it room beyond the wasm limit.
    std::thread::Builder::new()
        .name("sandbox-worker".into())
        .stack_size(MAX_WASM_STACK * 4)
        .spawn(|| serve_on(&mut io::stdin().lock(), BufWriter::new(io::stdout())))?
        .join()
        .map_err(|_| io::Error::other("the worker thread panicked"))?
}

/// A program in a slot: plain `wasm32-wasip1`, or threaded `wasm32-wasip1-threads`.
enum Loaded {
    Plain(Program),
    Threaded(Box<ThreadedProgram>),
}

/// What the serving thread and the watchdog share: the response stream, and the plain call
/// under way, if any.
struct Watched<W> {
    output: W,
    call: Option<WatchedCall>,
    /// When the watchdog will look again on its own (`None`: only when woken).
    watching_until: Option<Instant>,
    /// The watchdog answered for the call: the process is ending.
    fired: bool,
}

struct WatchedCall {
    deadline: Instant,
    started: Instant,
    cpu_at_start: Option<Duration>,
    captured: Captured,
}

struct Watchdog<W> {
    state: Mutex<Watched<W>>,
    wake: Condvar,
}

impl<W: Write> Watchdog<W> {
    fn lock(&self) -> MutexGuard<'_, Watched<W>> {
        // A panic while holding the lock leaves nothing half-written that matters here.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts watching a call; wakes the watchdog only if it would look too late.
    fn arm(&self, limits: &Limits, captured: Captured) {
        let now = Instant::now();
        // A wall clock past what `Instant` can hold is as good as none.
        let deadline = now
            .checked_add(limits.wall)
            .unwrap_or_else(|| now + Duration::from_secs(u64::from(u32::MAX)));
        let mut state = self.lock();
        state.call = Some(WatchedCall {
            deadline,
            started: now,
            cpu_at_start: process_cpu_time(),
            captured,
        });
        if state.watching_until.is_none_or(|t| t > deadline) {
            self.wake.notify_one();
        }
    }

    /// Stops watching and sends `response`, unless the watchdog has answered already (then
    /// the process is ending, and this thread waits for it).
    fn answer(&self, response: &Response) -> io::Result<()> {
        let mut state = self.lock();
        if state.fired {
            drop(state);
            loop {
                std::thread::park();
            }
        }
        state.call = None;
        write_frame(&mut state.output, response)
    }

    /// The watchdog thread: answers for a call at its deadline, then ends the process.
    fn watch(&self) -> ! {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            match state.call.as_ref().map(|c| c.deadline) {
                Some(deadline) if deadline <= now => break,
                Some(deadline) => {
                    state.watching_until = Some(deadline);
                    state = self
                        .wake
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                None => {
                    state.watching_until = None;
                    state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
        let call = state.call.take().expect("checked above");
        state.fired = true;
        let _ = write_frame(&mut state.output, &Response::Overran(overran(&call)));
        // SAFETY: `_exit` only ends the process. The answer is flushed above; skipping the
        // exit handlers means nothing can wait on a lock the guest's thread holds.
        unsafe { libc::_exit(0) }
    }
}

/// The report for a call past its deadline: computing or blocked, by its CPU time.
fn overran(call: &WatchedCall) -> CallReport {
    let elapsed = call.started.elapsed();
    let cpu = match (call.cpu_at_start, process_cpu_time()) {
        (Some(start), Some(now)) => now.saturating_sub(start),
        _ => Duration::ZERO,
    };
    CallReport {
        result: Err(if cpu * COMPUTING_SHARE >= elapsed {
            Fault::WallClock
        } else {
            Fault::Blocked
        }),
        // The store's fuel counter belongs to the running call: unknown from here.
        fuel: 0,
        nanos: elapsed.as_nanos() as u64,
        stdout: call.captured.stdout.contents().to_vec(),
        stderr: call.captured.stderr.contents().to_vec(),
    }
}

/// CPU time of this process so far (the worker runs one call at a time, on one thread).
fn process_cpu_time() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } == 0;
    ok.then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

fn serve_on<W: Write + Send + 'static>(input: &mut impl Read, output: W) -> io::Result<()> {
    let watchdog = Arc::new(Watchdog {
        state: Mutex::new(Watched {
            output,
            call: None,
            watching_until: None,
            fired: false,
        }),
        wake: Condvar::new(),
    });
    {
        let watchdog = watchdog.clone();
        std::thread::Builder::new()
            .name("sandbox-watchdog".into())
            .spawn(move || watchdog.watch())?;
    }
    let mut sandbox: Option<Sandbox> = None;
    let mut programs: [Option<Loaded>; SLOTS] = Default::default();
    let mut nodes: Vec<Node> = Vec::new();
    while let Some(request) = read_frame::<Request>(input)? {
        let mut exit_after = false;
        let response = match request {
            Request::Load {
                slot,
                wasm_path,
                cache_dir,
            } => match (
                programs.get_mut(slot as usize),
                load(&mut sandbox, &wasm_path, cache_dir),
            ) {
                (Some(program), Ok(p)) => {
                    *program = Some(p);
                    Response::Loaded
                }
                (None, _) => Response::Failed(SandboxError::NoSlot(slot)),
                (_, Err(e)) => Response::Failed(e),
            },
            Request::Call {
                slot,
                input,
                limits,
                seed,
            } => match programs.get(slot as usize) {
                Some(Some(Loaded::Plain(p))) => {
                    let captured = Captured::new(&limits);
                    watchdog.arm(&limits, captured.clone());
                    Response::Called(p.call_capturing(&input, &limits, seed, captured))
                }
                Some(Some(Loaded::Threaded(_))) => {
                    Response::Failed(SandboxError::WrongKind { threaded: true })
                }
                None => Response::Failed(SandboxError::NoSlot(slot)),
                Some(None) => Response::Failed(SandboxError::NotLoaded),
            },
            Request::CallThreaded {
                slot,
                input,
                limits,
                mode,
            } => match programs.get(slot as usize) {
                Some(Some(Loaded::Threaded(p))) => {
                    let report = p.call(&input, &limits, mode);
                    // A guest thread still running (spinning or blocked) would outlive the
                    // call inside this process: end the process, the host starts a new one.
                    exit_after = report.leftover_threads;
                    Response::CalledThreaded(Box::new(report))
                }
                Some(Some(Loaded::Plain(_))) => {
                    Response::Failed(SandboxError::WrongKind { threaded: false })
                }
                None => Response::Failed(SandboxError::NoSlot(slot)),
                Some(None) => Response::Failed(SandboxError::NotLoaded),
            },
            Request::OpenNodes {
                slot,
                count,
                limits,
                seed,
            } => match programs.get(slot as usize) {
                Some(Some(Loaded::Plain(p))) if usize::from(count) <= MAX_NODES => {
                    nodes.clear();
                    // Instantiation runs the module's initialiser: the watchdog holds it too.
                    watchdog.arm(&limits, Captured::new(&limits));
                    nodes = (0..u64::from(count))
                        .map(|i| p.node(&limits, seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
                        .collect();
                    Response::Opened
                }
                Some(Some(Loaded::Plain(_))) => Response::Failed(SandboxError::Worker(format!(
                    "{count} nodes asked for, at most {MAX_NODES}"
                ))),
                Some(Some(Loaded::Threaded(_))) => {
                    Response::Failed(SandboxError::WrongKind { threaded: true })
                }
                None => Response::Failed(SandboxError::NoSlot(slot)),
                Some(None) => Response::Failed(SandboxError::NotLoaded),
            },
            Request::CallNodes { calls, limits } => {
                let mut reports = Vec::with_capacity(calls.len());
                for (index, input) in calls {
                    let Some(node) = nodes.get_mut(usize::from(index)) else {
                        reports.clear();
                        break;
                    };
                    watchdog.arm(&limits, node.captured().clone());
                    let report = node.call(&input, limits.fuel);
                    let failed = report.result.is_err();
                    reports.push(report);
                    if failed {
                        break;
                    }
                }
                if reports.is_empty() && !nodes.is_empty() {
                    Response::Failed(SandboxError::Worker(
                        "a call to a node that is not open".into(),
                    ))
                } else if nodes.is_empty() {
                    Response::Failed(SandboxError::NotLoaded)
                } else {
                    Response::CalledNodes(reports)
                }
            }
        };
        watchdog.answer(&response)?;
        if exit_after {
            break;
        }
    }
    Ok(())
}

fn load(
    sandbox: &mut Option<Sandbox>,
    wasm_path: &Path,
    cache_dir: Option<PathBuf>,
) -> Result<Loaded, SandboxError> {
    if sandbox.is_none() {
        *sandbox = Some(Sandbox::new(SandboxOptions { cache_dir })?);
    }
    let wasm = std::fs::read(wasm_path).map_err(|e| {
        SandboxError::Worker(format!("failed to read {}: {e}", wasm_path.display()))
    })?;
    let sandbox = sandbox.as_ref().expect("set above");
    if crate::instrument::is_threaded(&wasm) {
        Ok(Loaded::Threaded(Box::new(sandbox.load_threaded(&wasm)?)))
    } else {
        Ok(Loaded::Plain(sandbox.load(&wasm)?))
    }
}

/// How to start a worker: a program and arguments that end up calling [`serve`].
#[derive(Clone, Debug)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

struct Running {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// What waiting for the worker's next frame came to.
enum Received {
    Response(Response),
    TimedOut,
    /// The worker closed its stdout (it died), or sent something unreadable.
    Ended(Option<io::Error>),
}

impl Running {
    /// Waits up to `timeout` for the next response, on this thread: a reader thread and a
    /// channel would add a thread switch to every call's round trip.
    fn receive(&mut self, timeout: Duration) -> Received {
        if self.stdout.buffer().is_empty() {
            let deadline = Instant::now() + timeout;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Received::TimedOut;
                }
                let mut fd = libc::pollfd {
                    fd: self.stdout.get_ref().as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
                // SAFETY: `fd` is one valid pollfd, and the descriptor stays open (owned by
                // `self.stdout`) for the duration of the call.
                let ready = unsafe { libc::poll(&mut fd, 1, ms) };
                if ready > 0 {
                    // Readable, or hung up: either way the read below says which.
                    break;
                }
                if ready < 0 {
                    let e = io::Error::last_os_error();
                    if e.kind() != io::ErrorKind::Interrupted {
                        return Received::Ended(Some(e));
                    }
                }
            }
        }
        // The worker writes each frame whole, so once its first byte is here the rest follows.
        match read_frame::<Response>(&mut self.stdout) {
            Ok(Some(response)) => Received::Response(response),
            Ok(None) => Received::Ended(None),
            Err(e) => Received::Ended(Some(e)),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A sandbox worker process, restarted transparently after it is killed.
pub struct Worker {
    command: WorkerCommand,
    cache_dir: Option<PathBuf>,
    wasm_paths: [Option<PathBuf>; SLOTS],
    running: Option<Running>,
    /// How many times the worker ended for overrunning a call (its watchdog answered, or it
    /// was killed).
    pub kills: u32,
    /// What the worker process may read besides its own needs ([`Worker::allow_read`]).
    reads: Vec<PathBuf>,
}

impl Worker {
    pub fn new(command: WorkerCommand, cache_dir: Option<PathBuf>) -> Self {
        Worker {
            command,
            cache_dir,
            wasm_paths: Default::default(),
            running: None,
            kills: 0,
            reads: Vec::new(),
        }
    }

    /// Lets the worker process read and run `path` too (a file or a tree), beyond its
    /// program, the system libraries, its modules and its module cache: for a worker
    /// program that needs more to start (a script and the commands it runs, in tests).
    pub fn allow_read(&mut self, path: impl Into<PathBuf>) {
        self.reads.push(path.into());
    }

    /// Loads the module at `wasm_path` (compiling it, or reading the module cache).
    pub fn load(&mut self, wasm_path: &Path) -> Result<(), SandboxError> {
        self.load_slot(0, wasm_path)
    }

    /// Loads a module into program slot `slot` (< [`SLOTS`]), next to the others, so calls
    /// to two programs can be interleaved in one process.
    pub fn load_slot(&mut self, slot: u8, wasm_path: &Path) -> Result<(), SandboxError> {
        let entry = self
            .wasm_paths
            .get_mut(slot as usize)
            .ok_or(SandboxError::NoSlot(slot))?;
        *entry = Some(wasm_path.to_path_buf());
        self.running = None;
        self.ensure_running()
    }

    /// Runs one call of the program in slot 0. A call that outlives `limits.wall` ends its
    /// worker: it reports [`Fault::WallClock`] when it spent its time computing and
    /// [`Fault::Blocked`] when sleeping or blocked (or when the worker had to be killed);
    /// the next call starts a new worker.
    pub fn call(
        &mut self,
        input: &[u8],
        limits: &Limits,
        seed: u64,
    ) -> Result<CallReport, SandboxError> {
        self.call_slot(0, input, limits, seed)
    }

    /// Runs one call of the program in `slot`, as [`Worker::call`] does.
    pub fn call_slot(
        &mut self,
        slot: u8,
        input: &[u8],
        limits: &Limits,
        seed: u64,
    ) -> Result<CallReport, SandboxError> {
        let request = Request::Call {
            slot,
            input: input.to_vec(),
            limits: *limits,
            seed,
        };
        match self.exchange(&request, limits)? {
            Some(Response::Called(report)) => Ok(report),
            Some(Response::Overran(report)) => {
                self.running = None;
                self.kills += 1;
                Ok(report)
            }
            Some(_) => Err(unexpected_reply()),
            None => Ok(blocked(limits)),
        }
    }

    /// Runs one call of the threaded program in `slot` under `mode`. The run answers for its
    /// own wall clock with [`Fault::WallClock`] (there is no watchdog for it); only a worker
    /// that does not answer even then (a real thread blocked for good) is killed, and that
    /// call reports [`Fault::Blocked`], as with [`Worker::call_slot`]. A run that leaves
    /// threads running ends its worker too.
    pub fn call_threaded(
        &mut self,
        slot: u8,
        input: &[u8],
        limits: &Limits,
        mode: Mode,
    ) -> Result<ThreadedReport, SandboxError> {
        let request = Request::CallThreaded {
            slot,
            input: input.to_vec(),
            limits: *limits,
            mode,
        };
        match self.exchange(&request, limits)? {
            Some(Response::CalledThreaded(report)) => {
                if report.leftover_threads {
                    self.running = None;
                }
                Ok(*report)
            }
            Some(_) => Err(unexpected_reply()),
            None => Ok(ThreadedReport {
                call: blocked(limits),
                threads: 0,
                steps: 0,
                trace: Vec::new(),
                sites: Default::default(),
                leftover_threads: false,
                contention: Default::default(),
            }),
        }
    }

    /// Instantiates `count` nodes (at most [`MAX_NODES`]) of the plain program in `slot`, each
    /// its own instance with its own memory, replacing those open before. Nodes live until
    /// the next [`Worker::open_nodes`], a load, or the end of the worker (a call that
    /// overruns its wall clock ends it: then the next [`Worker::call_nodes`] fails).
    pub fn open_nodes(
        &mut self,
        slot: u8,
        count: u16,
        limits: &Limits,
        seed: u64,
    ) -> Result<(), SandboxError> {
        let request = Request::OpenNodes {
            slot,
            count,
            limits: *limits,
            seed,
        };
        match self.exchange(&request, limits)? {
            Some(Response::Opened) => Ok(()),
            Some(Response::Overran(_)) | None => {
                self.running = None;
                self.kills += 1;
                Err(SandboxError::Worker(
                    "instantiating the nodes took longer than a call may".into(),
                ))
            }
            Some(_) => Err(unexpected_reply()),
        }
    }

    /// Calls into the open nodes in order, one report per call made: the batch stops after
    /// the first call that faults (its report is the last). A call past its wall clock ends
    /// the worker and its nodes, as [`Worker::call_slot`] says.
    pub fn call_nodes(
        &mut self,
        calls: &[(u16, Vec<u8>)],
        limits: &Limits,
    ) -> Result<Vec<CallReport>, SandboxError> {
        let request = Request::CallNodes {
            calls: calls.to_vec(),
            limits: *limits,
        };
        // The batch's calls each have the wall clock; the parent waits for all of them.
        let mut batch = *limits;
        batch.wall = limits.wall.saturating_mul(calls.len().max(1) as u32);
        match self.exchange(&request, &batch)? {
            Some(Response::CalledNodes(reports)) => Ok(reports),
            Some(Response::Overran(report)) => {
                self.running = None;
                self.kills += 1;
                Ok(vec![report])
            }
            Some(_) => Err(unexpected_reply()),
            None => Ok(vec![blocked(limits)]),
        }
    }

    /// Sends a call and waits for its answer up to the call's wall clock plus a grace
    /// period; `Ok(None)` when the worker overran it and was killed.
    fn exchange(
        &mut self,
        request: &Request,
        limits: &Limits,
    ) -> Result<Option<Response>, SandboxError> {
        self.ensure_running()?;
        let running = self.running.as_mut().expect("ensured");
        if let Err(e) = write_frame(&mut running.stdin, request) {
            self.running = None;
            return Err(SandboxError::Worker(format!("failed to send a call: {e}")));
        }
        match running.receive(limits.wall + KILL_GRACE) {
            Received::Response(Response::Failed(error)) => Err(error),
            Received::Response(response) => Ok(Some(response)),
            Received::TimedOut => {
                self.running = None;
                self.kills += 1;
                Ok(None)
            }
            Received::Ended(error) => {
                let running = self.running.take().expect("present");
                Err(SandboxError::Worker(describe_death(running, error)))
            }
        }
    }

    /// What the worker process may touch (defence in depth: the guest reaches no file
    /// through wasmtime anyway): its own program and the system libraries to start, the
    /// folders of the modules it loads (read), and its module cache (read and write, created here, 0700,
    /// since the worker may not create it). Wasmtime maps memory; it opens no other file.
    fn confinement(&self) -> Result<Confinement, SandboxError> {
        let mut read_only = vec![self.command.program.clone()];
        read_only.extend(Confinement::system_libraries());
        read_only.extend(self.reads.iter().cloned());
        // The folders of the modules, not the files: a Landlock rule on a file holds its
        // inode, and a judge sharing the cache may rename a fresh copy of the same build
        // over that path between this rule and the worker's read (seen as EACCES).
        read_only.extend(
            self.wasm_paths
                .iter()
                .flatten()
                .map(|p| p.parent().map_or_else(|| p.clone(), Path::to_path_buf)),
        );
        let mut read_write = Vec::new();
        if let Some(dir) = &self.cache_dir {
            crate::cache::private_dir(dir).map_err(|e| SandboxError::Cache {
                path: dir.display().to_string(),
                message: e.reason(),
            })?;
            read_write.push(dir.clone());
        }
        Ok(Confinement {
            read_only,
            read_write,
            ..Confinement::default()
        })
    }

    fn ensure_running(&mut self) -> Result<(), SandboxError> {
        if self.running.is_some() {
            return Ok(());
        }
        if self.wasm_paths.iter().all(Option::is_none) {
            return Err(SandboxError::NotLoaded);
        }
        let mut command = Command::new(&self.command.program);
        // The worker dies with the judge (parent-death signal) even while a guest blocks it
        // in a host call and it cannot notice its stdin closing; and it is confined.
        self.confinement()?
            .apply_to(&mut command)
            .map_err(|e| SandboxError::Worker(format!("failed to confine the worker: {e}")))?;
        let mut child = command
            .args(&self.command.args)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                SandboxError::Worker(format!(
                    "failed to start {}: {e}",
                    self.command.program.display()
                ))
            })?;
        let stdin = BufWriter::new(child.stdin.take().expect("piped"));
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut running = Running {
            child,
            stdin,
            stdout,
        };
        for (slot, wasm_path) in self.wasm_paths.iter().enumerate() {
            let Some(wasm_path) = wasm_path.clone() else {
                continue;
            };
            let request = Request::Load {
                slot: slot as u8,
                wasm_path,
                cache_dir: self.cache_dir.clone(),
            };
            write_frame(&mut running.stdin, &request)
                .map_err(|e| SandboxError::Worker(format!("failed to send the module: {e}")))?;
            match running.receive(LOAD_TIMEOUT) {
                Received::Response(Response::Loaded) => {}
                Received::Response(Response::Failed(error)) => return Err(error),
                Received::Response(_) => return Err(unexpected_reply()),
                Received::TimedOut => {
                    return Err(SandboxError::Worker(format!(
                        "loading the module took over {} s",
                        LOAD_TIMEOUT.as_secs()
                    )))
                }
                Received::Ended(error) => {
                    return Err(SandboxError::Worker(describe_death(running, error)))
                }
            }
        }
        self.running = Some(running);
        Ok(())
    }
}

/// What a call killed for overrunning its wall clock reports.
fn blocked(limits: &Limits) -> CallReport {
    CallReport {
        result: Err(Fault::Blocked),
        // Killed while blocked in a host call: it was not computing.
        fuel: 0,
        nanos: limits.wall.as_nanos() as u64,
        stdout: Vec::new(),
        stderr: Vec::new(),
    }
}

fn unexpected_reply() -> SandboxError {
    SandboxError::Worker("the worker process sent an unexpected reply".into())
}

fn describe_death(mut running: Running, error: Option<io::Error>) -> String {
    match error {
        None => {
            let status = running
                .child
                .wait()
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("the worker process ended unexpectedly ({status})")
        }
        // Still running, perhaps: dropping `running` kills it.
        Some(e) => format!("the worker process sent an unreadable reply: {e}"),
    }
}

#[cfg(test)]
#[path = "worker_fuzz.rs"]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadError;

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let mut buf = Vec::new();
        let refused = SandboxError::Refused(LoadError::UnknownImport {
            module: "env".into(),
            name: "host_secret".into(),
        });
        write_frame(&mut buf, &Response::Failed(refused)).unwrap();
        let mut r = &buf[..];
        assert!(matches!(
            read_frame::<Response>(&mut r).unwrap(),
            Some(Response::Failed(SandboxError::Refused(LoadError::UnknownImport { module, name })))
                if module == "env" && name == "host_secret"
        ));
        assert!(read_frame::<Response>(&mut r).unwrap().is_none());
    }

    /// An in-memory response stream the serving loop can own.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_worker_answers_failed_requests_with_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let refused = dir.path().join("refused.wasm");
        let wasm = crate::test_guest::guest(false, Some(("env", "host_secret")), &[], |_| {});
        std::fs::write(&refused, wasm).unwrap();
        let fine = dir.path().join("fine.wasm");
        std::fs::write(&fine, crate::test_guest::guest(false, None, &[], |_| {})).unwrap();
        let mut requests = Vec::new();
        let load = |slot, wasm_path: &Path| Request::Load {
            slot,
            wasm_path: wasm_path.to_owned(),
            cache_dir: None,
        };
        let call = |slot| Request::Call {
            slot,
            input: Vec::new(),
            limits: Limits::default(),
            seed: 1,
        };
        for request in [load(0, &refused), load(5, &fine), call(0), load(1, &fine)] {
            write_frame(&mut requests, &request).unwrap();
        }
        write_frame(
            &mut requests,
            &Request::CallThreaded {
                slot: 1,
                input: Vec::new(),
                limits: Limits::default(),
                mode: Mode::Free { seed: 1 },
            },
        )
        .unwrap();
        let out = Shared::default();
        serve_on(&mut &requests[..], out.clone()).unwrap();
        let bytes = out.0.lock().unwrap().clone();
        let mut answers = &bytes[..];
        let mut next = || {
            read_frame::<Response>(&mut answers)
                .unwrap()
                .expect("an answer")
        };
        assert!(matches!(
            next(),
            Response::Failed(SandboxError::Refused(LoadError::UnknownImport { module, name }))
                if module == "env" && name == "host_secret"
        ));
        assert!(matches!(next(), Response::Failed(SandboxError::NoSlot(5))));
        assert!(matches!(next(), Response::Failed(SandboxError::NotLoaded)));
        assert!(matches!(next(), Response::Loaded));
        assert!(matches!(
            next(),
            Response::Failed(SandboxError::WrongKind { threaded: false })
        ));
    }

    #[test]
    fn oversized_frames_are_refused() {
        let mut r = &(MAX_FRAME + 1).to_le_bytes()[..];
        assert!(read_frame::<Response>(&mut r).is_err());
    }

    /// A stand-in worker: a shell script that answers the load (`Response::Loaded` is the
    /// postcard byte 0 in a frame of length 1) and then does `then`.
    fn scripted_worker(then: &str) -> Worker {
        let script = format!("printf '\\001\\000\\000\\000\\000'; {then}");
        let mut worker = Worker::new(
            WorkerCommand {
                program: "/bin/sh".into(),
                args: vec!["-c".into(), script],
            },
            None,
        );
        // The worker is confined: the script may run the system's commands.
        for commands in ["/bin", "/usr/bin"] {
            worker.allow_read(commands);
        }
        worker
            .load(Path::new("unused.wasm"))
            .expect("the script answers the load");
        worker
    }

    #[test]
    fn the_worker_process_reads_only_what_it_needs() {
        if crate::confine::kernel_abi().is_none() {
            return;
        }
        let secret = tempfile::tempdir().unwrap();
        std::fs::write(secret.path().join("secret"), "x\n").unwrap();
        let cache = tempfile::tempdir().unwrap();
        let cache_dir = cache.path().join("modules");
        let attempt = |allowed: bool| {
            let script = format!(
                "printf '\\001\\000\\000\\000\\000'; read x < {}/secret && echo > {}/read; echo > {}/ran; exec sleep 60",
                secret.path().display(),
                cache_dir.display(),
                cache_dir.display()
            );
            let mut worker = Worker::new(
                WorkerCommand {
                    program: "/bin/sh".into(),
                    args: vec!["-c".into(), script],
                },
                Some(cache_dir.clone()),
            );
            for commands in ["/bin", "/usr/bin"] {
                worker.allow_read(commands);
            }
            if allowed {
                worker.allow_read(secret.path());
            }
            worker.load(Path::new("unused.wasm")).unwrap();
            let started = Instant::now();
            while !cache_dir.join("ran").exists() {
                assert!(started.elapsed() < Duration::from_secs(5));
                std::thread::sleep(Duration::from_millis(5));
            }
            let read = cache_dir.join("read").exists();
            let _ = std::fs::remove_file(cache_dir.join("read"));
            let _ = std::fs::remove_file(cache_dir.join("ran"));
            read
        };
        // The module cache was created private, and the worker writes in it; a file the
        // worker was not given is out of its reach, and readable once it is given.
        assert!(!attempt(false));
        assert!(attempt(true));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    fn limits(wall_ms: u64) -> Limits {
        Limits {
            wall: Duration::from_millis(wall_ms),
            ..Limits::default()
        }
    }

    #[test]
    fn a_worker_that_never_answers_is_killed_after_the_grace_period() {
        let mut worker = scripted_worker("exec sleep 60");
        let started = Instant::now();
        let report = worker
            .call(b"", &limits(200), 1)
            .expect("a report, not an error");
        let took = started.elapsed();
        assert_eq!(report.result, Err(Fault::Blocked));
        assert_eq!(worker.kills, 1);
        assert!(took >= Duration::from_millis(700), "{took:?}");
        assert!(took < Duration::from_secs(5), "{took:?}");
    }

    #[test]
    fn a_worker_that_dies_mid_call_is_a_sandbox_error() {
        // `cat` keeps reading the requests, so the parent's writes succeed, while the
        // script's end closes the answers (a background job's stdin is /dev/null unless
        // redirected, hence fd 3).
        let mut worker = scripted_worker("exec 3<&0; cat <&3 >/dev/null & exit 3");
        let error = worker.call(b"", &limits(5_000), 1).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("ended unexpectedly (exit status: 3)"),
            "{error}"
        );
    }

    #[test]
    fn a_worker_that_sends_garbage_is_a_sandbox_error() {
        let mut worker = scripted_worker("printf '\\377\\377\\377\\377'; exec sleep 60");
        let error = worker.call(b"", &limits(5_000), 1).unwrap_err();
        assert!(error.to_string().contains("unreadable reply"), "{error}");
    }
}
