//! Generates one module per exercise folder: the package's provided types (as the judge
//! gives them to a submission: in a module re-exported by a glob), its `reference.rs`
//! (included as it is, since it is also judged as a one-file submission) and its native
//! tests (`tests.rs`, as the module's `tests` child, compiled for `cargo test`).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let exercises = crate_dir.parent().unwrap().join("exercises");
    println!("cargo:rerun-if-changed={}", exercises.display());
    let mut ids: Vec<String> = std::fs::read_dir(&exercises)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("exercise.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    let mut out = String::new();
    for id in &ids {
        let dir = exercises.join(id);
        let file = |name: &str| dir.join(name).display().to_string();
        // A missing reference.rs is reported by judge-exercises' build, which names the fix.
        if !dir.join("reference.rs").is_file() {
            continue;
        }
        writeln!(out, "/// The reference solution of `{id}`.").unwrap();
        writeln!(out, "pub mod {} {{", id.replace('-', "_")).unwrap();
        if dir.join("provided.rs").is_file() {
            writeln!(
                out,
                "    mod __judge_provided {{\n        include!({:?});\n    }}\n    pub use self::__judge_provided::*;",
                file("provided.rs")
            )
            .unwrap();
        }
        writeln!(out, "    include!({:?});", file("reference.rs")).unwrap();
        if dir.join("tests.rs").is_file() {
            writeln!(
                out,
                "    #[cfg(all(test, not(loom)))]\n    #[path = {:?}]\n    mod tests;",
                file("tests.rs")
            )
            .unwrap();
        }
        if dir.join("loom.rs").is_file() {
            writeln!(
                out,
                "    #[cfg(all(test, loom))]\n    #[path = {:?}]\n    mod loom_tests;",
                file("loom.rs")
            )
            .unwrap();
        }
        writeln!(out, "}}\n").unwrap();
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("references.rs");
    std::fs::write(dest, out).unwrap();
}
