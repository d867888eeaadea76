//! Loading and checking exercise packages (the format is documented in exercises/FORMAT.md).

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
    /// Path of the reference solution, relative to the package folder.
    pub reference: String,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub tests: Tests,
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
    /// The folder name: the verdict it must get.
    pub verdict: String,
    /// Path relative to the catalog root, for messages.
    pub path: String,
    pub source: Vec<u8>,
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
}

impl Catalog {
    /// The packages embedded in this binary at build time.
    pub fn embedded() -> Self {
        let files = EMBEDDED
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        Catalog { files }
    }

    /// Packages read from a checkout (`root` holds `exercises/` and `reference/`), so
    /// authors can iterate without rebuilding.
    pub fn from_root(root: &Path) -> Result<Self, CatalogError> {
        let mut files = BTreeMap::new();
        for top in ["exercises", "reference/src"] {
            read_tree(root, &root.join(top), &mut files).map_err(|e| CatalogError::Read {
                root: root.display().to_string(),
                message: e.to_string(),
            })?;
        }
        Ok(Catalog { files })
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

    pub fn contains(&self, id: &str) -> bool {
        self.files
            .contains_key(&format!("exercises/{id}/exercise.toml"))
    }

    /// Loads and checks one package.
    pub fn load(&self, id: &str) -> Result<Exercise, CatalogError> {
        let dir = format!("exercises/{id}");
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
                submissions.push(KnownSubmission {
                    verdict: verdict.to_owned(),
                    path: path.clone(),
                    source: source.clone(),
                });
            }
        }
        Ok(Exercise {
            id: id.to_owned(),
            statement: self.text(&format!("{dir}/README.md"))?,
            starter: self.text(&format!("{dir}/starter.rs"))?,
            harness: {
                // Types the exercise provides to candidates come first, at the crate's top
                // level, so the candidate's file names them without an import.
                let harness = self.text(&format!("{dir}/harness.rs"))?;
                let provided = format!("{dir}/provided.rs");
                if self.files.contains_key(&provided) {
                    format!("{}\n{harness}", self.text(&provided)?)
                } else {
                    harness
                }
            },
            reference: self.text(&reference_path)?,
            reference_path,
            meta,
            submissions,
        })
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
                files.insert(rel, std::fs::read(&path)?);
            }
        }
    }
    Ok(())
}

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
    fn normalize_stays_inside() {
        assert_eq!(
            normalize(Path::new("exercises/x/../../reference/a.rs")).unwrap(),
            "reference/a.rs"
        );
        assert!(normalize(Path::new("exercises/../../etc/passwd")).is_none());
    }
}
