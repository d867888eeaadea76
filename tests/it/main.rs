//! Integration tests: they drive the real `judge` binary.

mod cli;
mod concurrency;
mod hostile;
mod stateful;
mod verdicts;
