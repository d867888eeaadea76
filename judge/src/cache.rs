//! The judge's cache directory: opened only when it is private to this user, its built
//! modules sealed and verified before use ([`judge_sandbox::cache`]), and the leftovers of
//! killed builds removed.
//!
//! Layout: `<cache>/builds/<key>.wasm` (+ `.tag`, and `build-*` directories while rustc
//! runs) and `<cache>/modules/<key>.cwasm` (+ `.tag`, the sandbox's compiled modules), each
//! directory with its own `.key`.

use crate::compile::BuildError;
use judge_sandbox::cache::{self, CacheError, Lookup, SealedDir};
use std::path::{Path, PathBuf};

/// Built modules, by the hash of everything that went into the build.
pub const BUILDS: &str = "builds";
/// The sandbox's compiled modules.
pub const MODULES: &str = "modules";
/// Prefix of the directories rustc builds in (inside [`BUILDS`]).
pub const BUILD_DIR_PREFIX: &str = "build-";

fn error(path: &Path, e: &CacheError) -> BuildError {
    BuildError::Cache {
        path: path.display().to_string(),
        message: e.reason(),
    }
}

/// Creates the cache at `root` and its subdirectories (0700) where missing, and refuses
/// any of them that another user owns or that group or others can write, naming the fix.
/// Where the cache is chosen (the CLI), so that a refusal comes before any work.
pub fn open(root: &Path) -> Result<(), BuildError> {
    for dir in [root.to_owned(), root.join(BUILDS), root.join(MODULES)] {
        cache::private_dir(&dir).map_err(|e| error(&dir, &e))?;
    }
    Ok(())
}

/// The built modules.
pub struct Builds {
    sealed: SealedDir,
}

impl Builds {
    /// Opens `<cache_dir>/builds` (checking `cache_dir` too) and removes what killed runs
    /// left there: build directories and temporary files untouched for an hour (a build
    /// takes seconds, so a live one is never among them).
    pub fn open(cache_dir: &Path) -> Result<Self, BuildError> {
        cache::private_dir(cache_dir).map_err(|e| error(cache_dir, &e))?;
        let dir = cache_dir.join(BUILDS);
        let sealed = SealedDir::open(&dir).map_err(|e| error(&dir, &e))?;
        sealed.remove_stale(BUILD_DIR_PREFIX);
        sealed.remove_stale(".tmp");
        Ok(Builds { sealed })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.sealed.path()
    }

    fn name(key: &str) -> String {
        format!("{key}.wasm")
    }

    /// The module built for `key`, if it is cached and verifies. A broken entry (truncated,
    /// altered, copied from another entry, untagged) is a miss: the caller builds it again
    /// and [`Builds::seal`] replaces it, so a cache fault is never the submission's.
    pub fn cached(&self, key: &str) -> Result<Option<PathBuf>, BuildError> {
        let name = Self::name(key);
        match self.sealed.load(&name) {
            Ok(Lookup::Hit(_)) => Ok(Some(self.sealed.entry_path(&name))),
            Ok(Lookup::Miss | Lookup::Broken) => Ok(None),
            Err(e) => Err(error(self.path(), &e)),
        }
    }

    /// Seals the module rustc wrote at `out` as the entry for `key`; its path.
    pub fn seal(&self, key: &str, out: &Path) -> Result<PathBuf, BuildError> {
        let bytes = std::fs::read(out).map_err(|e| BuildError::Cache {
            path: out.display().to_string(),
            message: e.to_string(),
        })?;
        let path = self
            .sealed
            .store(&Self::name(key), &bytes)
            .map_err(|e| error(self.path(), &e))?;
        let _ = std::fs::remove_file(out);
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_sealed_build_is_found_and_a_broken_one_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let builds = Builds::open(tmp.path()).unwrap();
        let out = tmp.path().join("solution.wasm");
        std::fs::write(&out, b"\0asm module").unwrap();
        let path = builds.seal("k1", &out).unwrap();
        assert!(!out.exists());
        assert_eq!(builds.cached("k1").unwrap(), Some(path.clone()));
        std::fs::write(&path, b"\0asm mod").unwrap();
        assert_eq!(builds.cached("k1").unwrap(), None);
        std::fs::write(&out, b"\0asm module").unwrap();
        assert_eq!(builds.seal("k1", &out).unwrap(), path);
        assert_eq!(builds.cached("k1").unwrap(), Some(path));
        assert_eq!(builds.cached("k2").unwrap(), None);
    }

    #[test]
    fn open_creates_private_directories_and_refuses_shared_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("judge");
        open(&root).unwrap();
        for dir in [&root, &root.join(BUILDS), &root.join(MODULES)] {
            let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", dir.display());
        }
        std::fs::set_permissions(root.join(MODULES), std::fs::Permissions::from_mode(0o777))
            .unwrap();
        let err = open(&root).unwrap_err().to_string();
        assert!(err.contains("writable by every user"), "{err}");
        assert!(err.contains("chmod 700"), "{err}");
        std::fs::set_permissions(root.join(MODULES), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        open(&root).unwrap();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o775)).unwrap();
        assert!(Builds::open(&root).is_err());
    }
}
