//! A one-line progress indicator on stderr, only on a terminal, only after a moment.

use judge::judging::Event;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Nothing is drawn for work that ends sooner than this.
const QUIET: Duration = Duration::from_millis(300);
const FRAMES: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Progress {
    status: Arc<Mutex<String>>,
    done: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator; it stays silent unless `wanted` and stderr is a terminal.
    pub fn start(wanted: bool) -> Self {
        let status = Arc::new(Mutex::new(String::from("starting")));
        let done = Arc::new(AtomicBool::new(false));
        let ticker = (wanted && super::stderr_is_terminal()).then(|| {
            let (status, done) = (status.clone(), done.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                let mut frame = 0;
                let mut drawn = false;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(80));
                    if started.elapsed() < QUIET {
                        continue;
                    }
                    let line = status.lock().map(|s| s.clone()).unwrap_or_default();
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K{} {line}", FRAMES[frame % FRAMES.len()]);
                    let _ = err.flush();
                    frame += 1;
                    drawn = true;
                }
                if drawn {
                    let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                }
            })
        });
        Progress {
            status,
            done,
            ticker,
        }
    }

    pub fn event(&self, event: &Event) {
        if let Event::Installing(_) = event {
            // Said whether or not a terminal shows the indicator: it changes the machine.
            eprintln!("{}", describe(event));
        }
        self.set(describe(event));
    }

    pub fn subject_event(&self, subject: &str, event: &Event) {
        self.set(format!("{subject}: {}", describe(event)));
    }

    fn set(&self, line: String) {
        if let Ok(mut s) = self.status.lock() {
            *s = line;
        }
    }

    /// Stops the indicator and clears its line.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}

fn describe(event: &Event) -> String {
    match event {
        Event::Installing(cmd) => format!("installing (once): {cmd}"),
        Event::Building => "building".into(),
        Event::Testing { done, total } => format!("hidden tests {done}/{total}"),
    }
}
