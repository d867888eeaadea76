//! Integration tests: they drive the real `judge` binary.

mod build_reports;
mod cli;
mod concurrency;
mod contention;
mod contract;
mod distributed;
mod hostile;
mod hostile_build;
mod hostile_cache;
mod hostile_measure;
mod hostile_report;
mod leetcode;
mod memory_model;
mod races;
mod snapshots;
mod stateful;
mod verdicts;
