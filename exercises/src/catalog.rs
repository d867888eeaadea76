//! Loading and checking exercise packages (the format is documented in exercises/FORMAT.md).

use judge_core::Verdict;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The package format this judge reads.
pub const FORMAT_VERSION: u32 = 1;

/// `exercise.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Package format version; must equal [`FORMAT_VERSION`].
    pub format: u32,
    pub title: String,
    #[serde(default)]
    pub difficulty: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Path of the reference solution, relative to the package folder (`reference.rs`).
    #[serde(default = "default_reference")]
    pub reference: String,
    /// The target submissions are built for: `wasm32-wasip1` (the default), or
    /// `wasm32-wasip1-threads` for concurrent exercises (their harness spawns guest threads
    /// and the judge runs them under its scheduler).
    #[serde(default = "default_target")]
    pub target: String,
    /// The exercise's wire types (its calls, answers and setups), relative to the package
    /// folder: compiled into the guest's harness and included by `suite.rs`.
    #[serde(default = "default_wire")]
    pub wire: String,
    /// The judge's runner the harness is completed with (see [`Runner`]); by default
    /// `concurrent` for `wasm32-wasip1-threads`, `custom` otherwise.
    #[serde(default)]
    pub runner: Option<Runner>,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub tests: Tests,
    /// The complexity gate, if the exercise has one.
    #[serde(default)]
    pub complexity: Option<Complexity>,
    /// The throughput gate, if the exercise has one.
    #[serde(default)]
    pub throughput: Option<Throughput>,
    /// The contention gate, if the exercise has one (concurrent exercises only).
    #[serde(default)]
    pub contention: Option<Contention>,
    /// `[[boundary]]`: the boundaries the statement promises (extreme values, empty inputs,
    /// the largest sizes ...); `judge validate` proves the hidden tests reach each one.
    #[serde(default, rename = "boundary")]
    pub boundaries: Vec<Boundary>,
    /// Only in a flavour's folder (`exercises/<id>/flavours/<name>/`): which format of the
    /// problem it judges and how a file in that format is recognised.
    #[serde(default)]
    pub flavour: Option<Flavour>,
}

/// `[flavour]`: another API of the same problem (LeetCode's signatures, say), judged with
/// its own harness, suite, reference and known submissions. The judge picks it from the
/// items a file defines, never from a flag.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flavour {
    /// What the report says was judged: "LeetCode 146 format".
    pub name: String,
    /// The LeetCode problem number: accepted as an alias of the exercise (`judge run 146`).
    #[serde(default)]
    pub leetcode: Option<u32>,
    /// The items that tell a file in this format (every one given must be found).
    pub recognise: Recognise,
}

/// The items of a file in a flavour's format, read from its tokens by the judge
/// (`judge::scan::recognises`): never searched for as text.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognise {
    /// A top-level `struct` of this name.
    #[serde(default, rename = "struct")]
    pub struct_name: Option<String>,
    /// A `fn` of this name at the top level or in a top-level `impl` block.
    #[serde(default, rename = "fn")]
    pub function: Option<String>,
    /// With `fn`: a type its parameters name (`String` tells LeetCode's `ls(&self, path:
    /// String)` from `ls(&self, path: &str)`).
    #[serde(default)]
    pub param: Option<String>,
}

/// One boundary the statement promises: `judge validate` fails unless a case the hidden
/// tests generate under the default seed reaches it (the suite tags cases with these ids:
/// `FunctionSpec::hits`, `SequenceSpec::hits`, `ConcurrentSpec::hits`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    /// The id the suite tags a case with (lowercase, `_`-separated).
    pub id: String,
    pub kind: BoundaryKind,
    /// The statement's words for it, so a reader can match it to README.md.
    pub promise: String,
}

/// What sort of boundary a [`Boundary`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    /// The least or greatest value of a type (`i32::MIN`, `usize::MAX`).
    ExtremeValue,
    /// An empty input: the empty string, tree, list, ring.
    Empty,
    /// The largest size the statement names (10^6 chars, 10^6 nodes).
    Largest,
    /// The deepest nesting the statement names (a path of 10^6 nodes).
    Deepest,
    /// Another edge the statement names: zero, one, a capacity of 1, a full cache.
    Edge,
}

/// The target of concurrent exercises.
pub const THREADS_TARGET: &str = "wasm32-wasip1-threads";

/// The crate name the build step gives a submission: the prefix of its functions' symbol
/// names, by which reports tell the candidate's code from the standard library's.
pub const SOLUTION_CRATE: &str = "solution";

/// The shared codec, compiled into every submission's build as `mod __judge_wire`.
const WIRE: &str = include_str!("wire.rs");
/// The guest-side runners a package's `harness.rs` is completed with (`runner`).
const FUNCTION_RUNNER: &str = include_str!("function_runner.rs");
const SEQUENCE_RUNNER: &str = include_str!("sequence_runner.rs");
const CONCURRENT_RUNNER: &str = include_str!("concurrent_runner.rs");

/// The invocation that ends the harness module: the build defines `__judge_entry` (the ABI
/// glue, or another tier's entry point) between the submission and the harness.
pub const ENTRY: &str = "__judge_entry!();";

/// Spellings of a public `call` a harness must not have.
const PUBLIC_CALLS: [&str; 3] = ["pub fn call(", "pub(crate) fn call(", "pub(super) fn call("];

/// The judge's code a package's `harness.rs` is completed with: what the harness defines,
/// and which private `fn call(input: &[u8]) -> Vec<u8>` the ABI glue calls (from inside the
/// harness module: see [`ENTRY`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Runner {
    /// `type Args; type Answer; fn run(Args) -> Answer` (exercises/src/function_runner.rs).
    Function,
    /// `type Setup; Op; Ret; type Object; fn create; fn apply`
    /// (exercises/src/sequence_runner.rs).
    Sequence,
    /// `type Shared; fn setup; enum Call; fn read_call; fn apply`
    /// (exercises/src/concurrent_runner.rs); the default for `wasm32-wasip1-threads`.
    Concurrent,
    /// The harness defines a private `fn call(input: &[u8]) -> Vec<u8>` itself; the default
    /// otherwise.
    Custom,
}

impl Metadata {
    /// The runner the harness is completed with, the default resolved.
    pub fn runner(&self) -> Runner {
        self.runner.unwrap_or(if self.target == THREADS_TARGET {
            Runner::Concurrent
        } else {
            Runner::Custom
        })
    }
}

fn default_wire() -> String {
    "wire.rs".into()
}

fn default_reference() -> String {
    "reference.rs".into()
}

fn default_target() -> String {
    "wasm32-wasip1".into()
}

/// `[complexity]`: fuel is measured at each size of the exercise's workload, the growth
/// exponent fitted, and a submission whose exponent exceeds `max_exponent` is `too_slow`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complexity {
    /// Workload sizes, increasing (typically doubling: n, 2n, 4n, ...); at least 3.
    pub sizes: Vec<u32>,
    /// Largest fitted exponent accepted: the bound `n^max_exponent`.
    pub max_exponent: f64,
    /// The bound as the statement says it, for reports ("O(n) overall").
    pub bound: String,
    /// A size's fuel budget, as a multiple of the reference's fuel at that size (capped by
    /// `[limits] case_fuel`): past it the submission is `too_slow` without going on.
    #[serde(default = "default_budget_factor")]
    pub budget_factor: u64,
    /// Exponent margin below which `judge validate` calls a verdict fragile.
    #[serde(default = "default_exponent_margin")]
    pub margin: f64,
}

fn default_budget_factor() -> u64 {
    200
}

fn default_exponent_margin() -> f64 {
    0.15
}

/// `[throughput]`: the workload at `size`, submission and reference in the sandbox,
/// interleaved A B A B; `too_slow` when the median time ratio exceeds `tolerance`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throughput {
    pub size: u32,
    /// Calls of each program (interleaved).
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// Largest accepted ratio of the submission's median time to the reference's.
    pub tolerance: f64,
    /// Ratio margin (a factor) within which `judge validate` calls a verdict fragile.
    #[serde(default = "default_ratio_margin")]
    pub margin: f64,
}

/// `[contention]`: the workload at `size` (whose size is its number of updates) run under
/// the judge's scheduler, submission and reference, under `schedules` fixed schedules drawn
/// from the run's seed; the figure is the atomic read-modify-writes and compare-exchanges
/// (lock acquisitions included) whose 64-byte line another thread wrote last, per update.
/// Counted on the scheduler's steps, it is the same on every machine.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contention {
    pub size: u32,
    #[serde(default = "default_contention_schedules")]
    pub schedules: u32,
    /// Largest accepted figure above the reference's (contended updates per update).
    pub tolerance: f64,
}

fn default_contention_schedules() -> u32 {
    3
}

fn default_rounds() -> u32 {
    5
}

fn default_ratio_margin() -> f64 {
    1.5
}

/// `[limits]`: per-case sandbox limits and the compile step's own.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub memory_mib: u64,
    pub case_fuel: u64,
    pub case_wall_ms: u64,
    pub output_kib: u64,
    pub compile_seconds: u64,
    pub compile_memory_mib: u64,
    pub suite_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_mib: 256,
            case_fuel: 5_000_000_000,
            case_wall_ms: 3_000,
            output_kib: 64,
            compile_seconds: 10,
            compile_memory_mib: 4_096,
            suite_seconds: 120,
        }
    }
}

/// `[tests]`: the hidden suite's size and default seed.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tests {
    pub cases: u32,
    pub seed: u64,
    pub max_shrink_iters: u32,
    pub max_shrink_seconds: u64,
}

impl Default for Tests {
    fn default() -> Self {
        Tests {
            cases: 500,
            seed: 1,
            max_shrink_iters: 4_096,
            max_shrink_seconds: 10,
        }
    }
}

/// A submission whose verdict is known: `submissions/<verdict>/<name>.rs`.
#[derive(Clone, Debug)]
pub struct KnownSubmission {
    /// The verdict it must get (the folder's name).
    pub verdict: Verdict,
    /// Path relative to the catalog root, for messages.
    pub path: String,
    pub source: Vec<u8>,
    /// The report for people it must produce (`<name>.report` beside it; paths, timings
    /// and other machine-dependent figures masked), if it carries one.
    pub report: Option<String>,
}

/// One exercise package, loaded.
#[derive(Clone, Debug)]
pub struct Exercise {
    pub id: String,
    pub meta: Metadata,
    pub statement: String,
    pub starter: String,
    /// Guest-side code compiled after the candidate's file: `provided.rs` (the types the
    /// exercise provides, if any), then `harness.rs`.
    pub harness: String,
    /// Path of the reference relative to the catalog root, for messages.
    pub reference_path: String,
    pub reference: String,
    pub submissions: Vec<KnownSubmission>,
}

impl Exercise {
    /// The exercise a flavour belongs to (`lru-cache` for `lru-cache/leetcode-146`), or the
    /// id itself.
    pub fn base_id(&self) -> &str {
        self.id.split_once('/').map_or(&self.id, |(base, _)| base)
    }

    /// The package's folder relative to the catalog root: `exercises/<id>`, or
    /// `exercises/<id>/flavours/<name>` for a flavour.
    pub fn dir(&self) -> String {
        package_dir(&self.id)
    }

    /// The line a report adds for a flavour: which format was judged.
    pub fn flavour_note(&self) -> Option<String> {
        let f = self.meta.flavour.as_ref()?;
        Some(format!(
            "judged as {} (`judge show {}` gives this format's API; the exercise's own is `{}`)",
            f.name,
            self.id,
            self.base_id()
        ))
    }
}

/// The folder of a package: `exercises/<id>`, or `exercises/<id>/flavours/<name>` for the
/// flavour `<id>/<name>`.
fn package_dir(id: &str) -> String {
    match id.split_once('/') {
        Some((base, flavour)) => format!("exercises/{base}/flavours/{flavour}"),
        None => format!("exercises/{id}"),
    }
}

/// Why a package could not be loaded; each names the file and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: missing (every package needs it; see exercises/FORMAT.md)")]
    Missing { path: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("failed to read the exercises under {root}: {message}")]
    Read { root: String, message: String },
}

/// All exercise packages, keyed by id.
#[derive(Debug)]
pub struct Catalog {
    files: BTreeMap<String, Vec<u8>>,
    /// The checkout it was read from (`None`: embedded in the binary).
    root: Option<PathBuf>,
}

impl Catalog {
    /// The packages embedded in this binary at build time.
    pub fn embedded() -> Self {
        let files = EMBEDDED
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        Catalog { files, root: None }
    }

    /// Packages read from a checkout (`root` holds `exercises/`), so authors can iterate
    /// on a package's data without rebuilding (its `suite.rs` is compiled into the judge).
    pub fn from_root(root: &Path) -> Result<Self, CatalogError> {
        let mut files = BTreeMap::new();
        read_tree(root, &root.join("exercises"), &mut files).map_err(|e| CatalogError::Read {
            root: root.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Catalog {
            files,
            root: Some(root.to_owned()),
        })
    }

    /// The checkout the packages were read from, or `None` for the embedded ones.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Ids of every package (folders under `exercises/` with an `exercise.toml`), sorted.
    pub fn ids(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|p| p.strip_prefix("exercises/")?.strip_suffix("/exercise.toml"))
            .filter(|id| !id.contains('/'))
            .map(str::to_owned)
            .collect()
    }

    /// Whether `id` is an exercise, or a flavour of one (`lru-cache/leetcode-146`).
    pub fn contains(&self, id: &str) -> bool {
        let parts: Vec<&str> = id.split('/').collect();
        let plain = |p: &str| !p.is_empty() && p != "." && p != ".." && p != "flavours";
        parts.len() <= 2
            && parts.iter().all(|p| plain(p))
            && self
                .files
                .contains_key(&format!("{}/exercise.toml", package_dir(id)))
    }

    /// The flavours of exercise `id` (`<id>/<name>` for each
    /// `exercises/<id>/flavours/<name>/exercise.toml`), sorted.
    pub fn flavours(&self, id: &str) -> Vec<String> {
        let prefix = format!("exercises/{id}/flavours/");
        self.files
            .range(prefix.clone()..)
            .map_while(|(p, _)| p.strip_prefix(&prefix))
            .filter_map(|rest| rest.strip_suffix("/exercise.toml"))
            .filter(|name| !name.contains('/'))
            .map(|name| format!("{id}/{name}"))
            .collect()
    }

    /// The exercise whose flavour has LeetCode number `number` (`146` -> `lru-cache`).
    pub fn leetcode_alias(&self, number: u32) -> Option<String> {
        self.ids().into_iter().find(|id| {
            self.flavours(id).iter().any(|f| {
                self.load(f)
                    .is_ok_and(|ex| ex.meta.flavour.and_then(|f| f.leetcode) == Some(number))
            })
        })
    }

    /// Loads and checks one package.
    pub fn load(&self, id: &str) -> Result<Exercise, CatalogError> {
        let dir = package_dir(id);
        let meta_path = format!("{dir}/exercise.toml");
        let meta_text = self.text(&meta_path)?;
        let meta: Metadata = toml::from_str(&meta_text).map_err(|e| CatalogError::Invalid {
            path: meta_path.clone(),
            message: e.to_string(),
        })?;
        if meta.format != FORMAT_VERSION {
            return Err(CatalogError::Invalid {
                path: meta_path,
                message: format!(
                    "format {} is not supported; this judge reads format {FORMAT_VERSION}",
                    meta.format
                ),
            });
        }
        let invalid = |message: String| CatalogError::Invalid {
            path: meta_path.clone(),
            message,
        };
        match (&meta.flavour, id.contains('/')) {
            (Some(_), false) => {
                return Err(invalid(
                    "[flavour] belongs in a flavour's folder (exercises/<id>/flavours/<name>/exercise.toml), not in the exercise's own".into(),
                ))
            }
            (None, true) => {
                return Err(invalid(
                    "a flavour's exercise.toml needs a [flavour] table (name, recognise; see exercises/FORMAT.md, \"Flavours\")".into(),
                ))
            }
            (Some(f), true) if f.recognise.struct_name.is_none() && f.recognise.function.is_none() => {
                return Err(invalid(
                    "[flavour.recognise] needs `struct` or `fn`: the judge tells the format from the file's items".into(),
                ))
            }
            _ => {}
        }
        if !["wasm32-wasip1", THREADS_TARGET].contains(&meta.target.as_str()) {
            return Err(invalid(format!(
                "target {:?} is not supported: use \"wasm32-wasip1\" (the default) or \"wasm32-wasip1-threads\"",
                meta.target
            )));
        }
        if meta.target == THREADS_TARGET && meta.complexity.is_some() {
            return Err(invalid(
                "[complexity] is not supported for a concurrent exercise: its workload runs on real threads, where fuel is not deterministic; use [throughput]".into(),
            ));
        }
        if let Some(c) = &meta.complexity {
            if c.sizes.len() < 3 || c.sizes.windows(2).any(|w| w[0] >= w[1]) || c.sizes[0] == 0 {
                return Err(invalid(
                    "[complexity] sizes must be at least 3 increasing sizes above 0 (e.g. [1000, 2000, 4000, 8000])".into(),
                ));
            }
            if !(c.max_exponent > 0.0 && c.max_exponent < 10.0) || c.budget_factor < 2 {
                return Err(invalid(
                    "[complexity] max_exponent must be in (0, 10) and budget_factor at least 2"
                        .into(),
                ));
            }
        }
        if let Some(c) = &meta.contention {
            if meta.target != THREADS_TARGET {
                return Err(invalid(
                    "[contention] is only for a concurrent exercise (target \"wasm32-wasip1-threads\"): it counts what threads do to one another's memory".into(),
                ));
            }
            if c.size == 0 || c.schedules == 0 || !(c.tolerance >= 0.0 && c.tolerance < 100.0) {
                return Err(invalid(
                    "[contention] needs size >= 1, schedules >= 1 and a tolerance in [0, 100)"
                        .into(),
                ));
            }
        }
        if let Some(t) = &meta.throughput {
            if t.rounds == 0 || t.tolerance < 1.0 || t.margin < 1.0 {
                return Err(invalid(
                    "[throughput] needs rounds >= 1, tolerance >= 1.0 and margin >= 1.0".into(),
                ));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for b in &meta.boundaries {
            let well_formed = !b.id.is_empty()
                && b.id
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_');
            if !well_formed || !ids.insert(b.id.as_str()) {
                return Err(invalid(format!(
                    "[[boundary]] id {:?} must be unique and written in lowercase letters, digits and `_`",
                    b.id
                )));
            }
        }
        let reference_path =
            normalize(&Path::new(&dir).join(&meta.reference)).ok_or_else(|| {
                CatalogError::Invalid {
                    path: meta_path.clone(),
                    message: format!("reference `{}` leaves the catalog", meta.reference),
                }
            })?;
        let prefix = format!("{dir}/submissions/");
        let mut submissions = Vec::new();
        for (path, source) in self.files.range(prefix.clone()..) {
            let Some(rest) = path.strip_prefix(&prefix) else {
                break;
            };
            let Some((verdict, name)) = rest.split_once('/') else {
                continue;
            };
            if name.ends_with(".rs") && !name.contains('/') {
                let verdict = verdict.parse().map_err(|e| CatalogError::Invalid {
                    path: path.clone(),
                    message: format!("the folder must be named after a verdict: {e}"),
                })?;
                let snapshot = format!("{}.report", path.trim_end_matches(".rs"));
                let report = match self.files.contains_key(&snapshot) {
                    true => Some(self.text(&snapshot)?),
                    false => None,
                };
                submissions.push(KnownSubmission {
                    verdict,
                    path: path.clone(),
                    source: source.clone(),
                    report,
                });
            }
        }
        Ok(Exercise {
            id: id.to_owned(),
            statement: self.text(&format!("{dir}/README.md"))?,
            starter: self.text(&format!("{dir}/starter.rs"))?,
            harness: self.harness(&dir, &meta)?,
            reference: self.text(&reference_path)?,
            reference_path,
            meta,
            submissions,
        })
    }

    /// The guest code compiled after the candidate's file: the shared codec, the types the
    /// exercise provides (at the crate's top level, so the candidate's file names them
    /// without an import), then `mod __judge_harness` with the codec's names, the package's
    /// wire types, the judge's runner and the package's `harness.rs`.
    fn harness(&self, dir: &str, meta: &Metadata) -> Result<String, CatalogError> {
        let body = self.text(&format!("{dir}/harness.rs"))?;
        let wire_path =
            normalize(&Path::new(dir).join(&meta.wire)).ok_or_else(|| CatalogError::Invalid {
                path: format!("{dir}/exercise.toml"),
                message: format!("wire `{}` leaves the catalog", meta.wire),
            })?;
        let wire_types = match self.files.contains_key(&wire_path) {
            true => self.text(&wire_path)?,
            // The default may be absent (a harness that needs no types of its own); a path
            // the package names must exist.
            false if meta.wire == default_wire() => String::new(),
            false => return Err(CatalogError::Missing { path: wire_path }),
        };
        let runner = match meta.runner() {
            Runner::Function => FUNCTION_RUNNER,
            Runner::Sequence => SEQUENCE_RUNNER,
            Runner::Concurrent => CONCURRENT_RUNNER,
            Runner::Custom => "",
        };
        let mut harness = format!("mod __judge_wire {{\n{WIRE}\n}}\n");
        let provided = format!("{dir}/provided.rs");
        if self.files.contains_key(&provided) {
            // In a module, re-exported by a glob: the candidate's file can name them bare,
            // as `crate::X`, or `use crate::X;` (an explicit import would clash with a plain
            // definition in the same module, E0255).
            harness.push_str(&format!(
                "mod __judge_provided {{\n{}\n}}\npub use __judge_provided::*;\n",
                self.text(&provided)?
            ));
        }
        // `call` and everything the harness measures stay private to the harness module:
        // the candidate's file is the crate root, which cannot name a private item of a
        // module below it. A `pub fn call` would be nameable from the root.
        if PUBLIC_CALLS.iter().any(|p| body.contains(p)) {
            return Err(CatalogError::Invalid {
                path: format!("{dir}/harness.rs"),
                message: "`call` must be private (`fn call`, not `pub fn call`): the candidate's code could call it and reset what the harness measures".into(),
            });
        }
        // The last item: the build's entry point (`__judge_entry`, defined between the
        // submission and this code: the ABI glue, judge/src/glue.rs, or the memory-model
        // tier's native entry), expanded here as a child of the harness module, the only
        // place from which its private `call` can be reached.
        harness.push_str(&format!(
            "mod __judge_harness {{\n#[allow(unused_imports)]\nuse super::__judge_wire::{{self as wire, Wire}};\n{wire_types}\n{runner}\n{body}\n{ENTRY}\n}}\n"
        ));
        Ok(harness)
    }

    fn text(&self, path: &str) -> Result<String, CatalogError> {
        let bytes = self
            .files
            .get(path)
            .ok_or_else(|| CatalogError::Missing { path: path.into() })?;
        String::from_utf8(bytes.clone()).map_err(|_| CatalogError::Invalid {
            path: path.into(),
            message: "not UTF-8".into(),
        })
    }
}

/// Resolves `.` and `..` without touching the file system; `None` if it climbs out.
fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

fn read_tree(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path: PathBuf = entry?.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "src" || n == "target")
                && dir.ends_with("exercises")
            {
                continue;
            }
            read_tree(root, &path, files)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.starts_with("exercises/") || rel.matches('/').count() >= 2 {
                // Opening a FIFO would wait for a writer, a device could be endless.
                let named =
                    |e: std::io::Error| std::io::Error::new(e.kind(), format!("{rel}: {e}"));
                if !std::fs::metadata(&path).map_err(named)?.is_file() {
                    return Err(named(std::io::Error::other(
                        "not a regular file (a FIFO, socket or device?)",
                    )));
                }
                files.insert(rel.clone(), std::fs::read(&path).map_err(named)?);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "catalog_fuzz.rs"]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads_every_package() {
        let catalog = Catalog::embedded();
        let ids = catalog.ids();
        assert!(ids.contains(&"k-distinct-substring".to_owned()), "{ids:?}");
        for id in ids {
            let ex = catalog.load(&id).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !ex.submissions.is_empty(),
                "{id} has no known-verdict submissions"
            );
            assert!(
                crate::suite_for(&id).is_some(),
                "{id} has no hidden-test suite"
            );
        }
    }

    #[test]
    fn unknown_fields_and_formats_are_refused() {
        let mut catalog = Catalog::embedded();
        let path = "exercises/k-distinct-substring/exercise.toml".to_owned();
        let good = String::from_utf8(catalog.files[&path].clone()).unwrap();
        catalog.files.insert(
            path.clone(),
            good.replace("format = 1", "format = 9").into_bytes(),
        );
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(err.contains("format 9 is not supported"), "{err}");
        catalog
            .files
            .insert(path, format!("{good}\nbogus = 1\n").into_bytes());
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field"), "{err}");
    }

    #[test]
    fn a_contention_gate_is_for_concurrent_exercises_and_needs_sane_fields() {
        let mut catalog = Catalog::embedded();
        let striped = catalog.load("striped-counter").unwrap();
        let gate = striped
            .meta
            .contention
            .expect("striped-counter counts contention");
        assert!(gate.size > 0 && gate.schedules > 0 && gate.tolerance > 0.0);
        // Not on a single-threaded exercise: there is nothing to contend with.
        let path = "exercises/k-distinct-substring/exercise.toml".to_owned();
        let good = String::from_utf8(catalog.files[&path].clone()).unwrap();
        catalog.files.insert(
            path,
            format!("{good}\n[contention]\nsize = 100\ntolerance = 0.5\n").into_bytes(),
        );
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[contention] is only for a concurrent exercise"),
            "{err}"
        );
        let path = "exercises/striped-counter/exercise.toml".to_owned();
        let good = String::from_utf8(catalog.files[&path].clone()).unwrap();
        catalog.files.insert(
            path,
            good.replace("schedules = 3", "schedules = 0").into_bytes(),
        );
        let err = catalog.load("striped-counter").unwrap_err().to_string();
        assert!(err.contains("[contention] needs size >= 1"), "{err}");
    }

    #[test]
    fn targets_are_checked_and_concurrent_harnesses_get_the_runner() {
        let mut catalog = Catalog::embedded();
        let path = "exercises/k-distinct-substring/exercise.toml".to_owned();
        let good = String::from_utf8(catalog.files[&path].clone()).unwrap();
        let with = |extra: &str| format!("target = {extra:?}\n{good}").into_bytes();
        catalog
            .files
            .insert(path.clone(), with("wasm32-unknown-unknown"));
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not supported"), "{err}");
        // Fuel on real threads is not deterministic: no complexity gate there.
        catalog.files.insert(path, with(THREADS_TARGET));
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[complexity] is not supported"), "{err}");

        let counter = Catalog::embedded().load("atomic-counter").unwrap();
        assert!(counter.harness.starts_with("mod __judge_wire {"));
        assert!(counter.harness.contains("mod __judge_harness {"));
        assert!(counter.harness.contains("\nfn call(input: &[u8])"));
        assert!(!counter.harness.contains("pub fn call"));
        assert!(counter
            .harness
            .trim_end()
            .ends_with(&format!("{ENTRY}\n}}")));
        assert!(counter.harness.contains("fn apply(shared: &Shared"));
    }

    #[test]
    fn a_harness_with_a_public_call_is_refused() {
        let mut catalog = Catalog::embedded();
        let path = "exercises/k-distinct-substring/harness.rs".to_owned();
        let good = String::from_utf8(catalog.files[&path].clone()).unwrap();
        let ok = catalog.load("k-distinct-substring").unwrap();
        assert!(ok.harness.contains(ENTRY));
        catalog.files.insert(
            path.clone(),
            format!("{good}\npub fn call(input: &[u8]) -> Vec<u8> {{ input.to_vec() }}\n")
                .into_bytes(),
        );
        let err = catalog
            .load("k-distinct-substring")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`call` must be private"), "{err}");
        assert!(err.starts_with(&path), "{err}");
    }

    #[test]
    fn normalize_stays_inside() {
        assert_eq!(
            normalize(Path::new("exercises/x/../../reference/a.rs")).unwrap(),
            "reference/a.rs"
        );
        assert!(normalize(Path::new("exercises/../../etc/passwd")).is_none());
    }
}
