//! A cache directory that cannot lie: every entry is sealed by an HMAC-SHA-256 tag under a
//! secret key private to the directory and bound to the entry's name, and is used only when
//! its tag verifies.
//!
//! What each layer is for (ARCHITECTURE.md, threat model):
//! - the tag is a digest: a truncated, partly written or bit-flipped artifact fails it and
//!   is deleted and rebuilt, never used;
//! - the tag is keyed (the key is a 0600 file that only the owner reads): a process that can
//!   write into the cache but cannot read the key cannot make a tag for bytes of its own;
//! - the tag covers the entry's name (the hash of everything that produced the artifact):
//!   a valid artifact copied with its tag over another entry does not verify there;
//! - the directory must belong to this user and be writable by nobody else (checked at
//!   every open), and is created 0700, so another user can neither plant entries nor swap
//!   the key.
//!
//! A process running as the same user is not in scope: it could replace the judge itself.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The key file inside every sealed directory.
const KEY_FILE: &str = ".key";
const KEY_BYTES: usize = 32;
/// The tag file beside each entry is `<name>` followed by this.
const TAG_SUFFIX: &str = ".tag";
/// Separates these tags from any other use of the same key.
const DOMAIN: &[u8] = b"judge-cache-entry-v1";
/// Temporary files and directories this old belong to a run that was killed: no build or
/// compile takes a fraction of it, so removing them never races a live one.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Why a cache directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Reading or writing failed.
    #[error("failed to use the cache at {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
    /// The directory or its key is not private to this user: refused, with the fix.
    #[error("refusing the cache at {}: {problem}; {fix}", path.display())]
    Unsafe {
        path: PathBuf,
        problem: String,
        fix: String,
    },
}

impl CacheError {
    /// The message without the path, for errors that name the path themselves.
    pub fn reason(&self) -> String {
        match self {
            CacheError::Io { message, .. } => message.clone(),
            CacheError::Unsafe { problem, fix, .. } => format!("refused: {problem}; {fix}"),
        }
    }

    fn io(path: &Path, e: impl std::fmt::Display) -> Self {
        CacheError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }
}

/// An open sealed directory.
pub struct SealedDir {
    dir: PathBuf,
    key: [u8; KEY_BYTES],
}

impl std::fmt::Debug for SealedDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedDir")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SealedDir {
    /// Opens `dir`, creating it (0700) and its key (0600) if needed. A directory or key
    /// owned by another user, or writable (the key: readable) by group or others, is
    /// [`CacheError::Unsafe`].
    pub fn open(dir: &Path) -> Result<Self, CacheError> {
        private_dir(dir)?;
        let key = load_or_create_key(dir)?;
        Ok(SealedDir {
            dir: dir.to_owned(),
            key,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Where entry `name` lives (its tag is beside it).
    pub fn entry_path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn tag_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}{TAG_SUFFIX}"))
    }

    /// The MAC of `bytes` stored as entry `name`, ready to finish or verify.
    fn mac(&self, name: &str, bytes: &[u8]) -> Hmac<Sha256> {
        hmac_sha256(
            &self.key,
            &[
                DOMAIN,
                &(name.len() as u64).to_le_bytes(),
                name.as_bytes(),
                &(bytes.len() as u64).to_le_bytes(),
                bytes,
            ],
        )
    }

    /// The tag of `bytes` stored as entry `name`.
    fn tag(&self, name: &str, bytes: &[u8]) -> [u8; 32] {
        self.mac(name, bytes).finalize().into_bytes().into()
    }

    /// The bytes of entry `name` if it is there and its tag verifies. An entry whose tag
    /// is missing or wrong is [`Lookup::Broken`]: never used, and replaced by the caller's
    /// [`SealedDir::store`] of a rebuilt one. It is not deleted here: a concurrent run may
    /// be between renaming a fresh entry into place and renaming its tag, and deleting that
    /// entry would pull it from under the run that is about to use it.
    pub fn load(&self, name: &str) -> Result<Lookup, CacheError> {
        let path = self.entry_path(name);
        let Some(bytes) = read_regular(&path)? else {
            return Ok(Lookup::Miss);
        };
        let tag = read_regular(&self.tag_path(name))?;
        // The stored tag is hex; the comparison is the MAC crate's, in constant time.
        let verified = tag
            .and_then(|t| hex::decode(t).ok())
            .is_some_and(|t| self.mac(name, &bytes).verify_slice(&t).is_ok());
        Ok(if verified {
            Lookup::Hit(bytes)
        } else {
            Lookup::Broken
        })
    }

    /// Stores `bytes` as entry `name` with its tag, each written to a temporary file and
    /// renamed into place (a reader sees an old entry, a new one, or a mismatch it deletes).
    pub fn store(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, CacheError> {
        let path = self.entry_path(name);
        self.write_atomically(&path, bytes)?;
        let tag = hex::encode(self.tag(name, bytes));
        self.write_atomically(&self.tag_path(name), tag.as_bytes())?;
        Ok(path)
    }

    /// Removes entry `name` and its tag (what is already gone is no error).
    pub fn remove(&self, name: &str) {
        let _ = std::fs::remove_file(self.tag_path(name));
        let _ = std::fs::remove_file(self.entry_path(name));
    }

    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
        // tempfile creates the file 0600.
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| self.err(e))?;
        tmp.write_all(bytes).map_err(|e| self.err(e))?;
        tmp.persist(path).map_err(|e| self.err(e.error))?;
        Ok(())
    }

    fn err(&self, e: impl std::fmt::Display) -> CacheError {
        CacheError::io(&self.dir, e)
    }

    /// Removes the directory's entries named `prefix*` (files or directories) last modified
    /// more than [`STALE_AFTER`] ago: what killed runs left behind. Errors are ignored (a
    /// concurrent run may remove the same one).
    pub fn remove_stale(&self, prefix: &str) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            if !entry.file_name().to_string_lossy().starts_with(prefix) {
                continue;
            }
            // Not followed: a symbolic link is removed itself, never what it points at.
            let Ok(meta) = entry.path().symlink_metadata() else {
                continue;
            };
            let age = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok());
            if age.is_none_or(|age| age < STALE_AFTER) {
                continue;
            }
            let _ = if meta.is_dir() {
                std::fs::remove_dir_all(entry.path())
            } else {
                std::fs::remove_file(entry.path())
            };
        }
    }
}

/// What [`SealedDir::load`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The entry, verified.
    Hit(Vec<u8>),
    Miss,
    /// There is an entry, but its tag does not verify: rebuild it and store it again.
    Broken,
}

/// Creates `dir` (and missing parents) 0700 and checks that it is a directory of this
/// user's that nobody else can write.
pub fn private_dir(dir: &Path) -> Result<(), CacheError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| CacheError::io(dir, e))?;
    let meta = std::fs::metadata(dir).map_err(|e| CacheError::io(dir, e))?;
    let unsafe_dir = |problem: String| {
        CacheError::Unsafe {
        path: dir.to_owned(),
        problem,
        fix: format!(
            "it must be a directory of your own that only you can write: run `chmod 700 {}` if it is yours, or choose another with --cache-dir (JUDGE_CACHE_DIR)",
            dir.display()
        ),
    }
    };
    if !meta.is_dir() {
        return Err(unsafe_dir("it is not a directory".into()));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(unsafe_dir(format!(
            "it belongs to another user (uid {}), who could plant builds in it",
            meta.uid()
        )));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(unsafe_dir(format!(
            "it is writable by {} (mode {mode:04o}), who could plant builds in it",
            if mode & 0o002 != 0 {
                "every user"
            } else {
                "its group"
            }
        )));
    }
    Ok(())
}

/// Reads `dir`'s key, or creates it. The key must be a regular file (not a link) of this
/// user's that nobody else can read or write.
fn load_or_create_key(dir: &Path) -> Result<[u8; KEY_BYTES], CacheError> {
    let path = dir.join(KEY_FILE);
    let unsafe_key = |problem: &str| CacheError::Unsafe {
        path: path.clone(),
        problem: problem.to_owned(),
        fix: format!(
            "delete it (`rm {}`; the cache is rebuilt under a new key)",
            path.display()
        ),
    };
    for _ in 0..2 {
        match OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
        {
            Ok(file) => {
                let meta = file.metadata().map_err(|e| CacheError::io(&path, e))?;
                // SAFETY: geteuid has no preconditions and cannot fail.
                let me = unsafe { libc::geteuid() };
                if !meta.is_file() {
                    return Err(unsafe_key("it is not a regular file"));
                }
                if meta.uid() != me {
                    return Err(unsafe_key("it belongs to another user"));
                }
                if meta.permissions().mode() & 0o077 != 0 {
                    return Err(unsafe_key("other users can read or write it"));
                }
                let mut key = [0; KEY_BYTES];
                let mut rest = Vec::new();
                let mut file = file;
                file.read_exact(&mut key)
                    .and_then(|()| file.read_to_end(&mut rest))
                    .map_err(|_| unsafe_key("it is not a key the judge wrote"))?;
                if !rest.is_empty() {
                    return Err(unsafe_key("it is not a key the judge wrote"));
                }
                return Ok(key);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0; KEY_BYTES];
                File::open("/dev/urandom")
                    .and_then(|mut r| r.read_exact(&mut key))
                    .map_err(|e| CacheError::io(&path, format!("no random key: {e}")))?;
                let mut tmp =
                    tempfile::NamedTempFile::new_in(dir).map_err(|e| CacheError::io(dir, e))?;
                tmp.write_all(&key).map_err(|e| CacheError::io(dir, e))?;
                // Never replaces a key another run created meanwhile: then that one is read.
                match tmp.persist_noclobber(&path) {
                    Ok(_) => return Ok(key),
                    Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(CacheError::io(&path, e.error)),
                }
            }
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(unsafe_key("it is a symbolic link"))
            }
            Err(e) => return Err(CacheError::io(&path, e)),
        }
    }
    Err(CacheError::io(&path, "the key could not be created"))
}

/// The whole of a regular file at `path` (not followed if it is a link), or `None` when
/// there is none. Anything else there (a link, a FIFO) is no entry either.
fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, CacheError> {
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(file) => file,
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                || e.raw_os_error() == Some(libc::ELOOP) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(CacheError::io(path, e)),
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() => {}
        _ => return Ok(None),
    }
    let mut bytes = Vec::new();
    let mut file = file;
    file.read_to_end(&mut bytes)
        .map_err(|e| CacheError::io(path, e))?;
    Ok(Some(bytes))
}

/// HMAC-SHA-256 (RFC 2104) of the concatenation of `parts` under `key`.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 1 and 2.
        assert_eq!(
            hex::encode(
                hmac_sha256(&[0x0b; 20], &[b"Hi ", b"There"])
                    .finalize()
                    .into_bytes()
            ),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(
                hmac_sha256(b"Jefe", &[b"what do ya want for nothing?"])
                    .finalize()
                    .into_bytes()
            ),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_new_directory_and_key_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        let sealed = SealedDir::open(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);
        // The same key on the next open.
        let again = SealedDir::open(&dir).unwrap();
        assert_eq!(sealed.key, again.key);
    }

    #[test]
    fn an_entry_is_returned_only_as_it_was_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let sealed = SealedDir::open(tmp.path()).unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Miss);
        let path = sealed.store("a.bin", b"artifact").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            sealed.load("a.bin").unwrap(),
            Lookup::Hit(b"artifact".to_vec())
        );

        // Truncated: broken until stored again.
        std::fs::write(&path, b"artif").unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);
        sealed.store("a.bin", b"artifact").unwrap();
        assert_eq!(
            sealed.load("a.bin").unwrap(),
            Lookup::Hit(b"artifact".to_vec())
        );
        // Removed.
        sealed.remove("a.bin");
        assert!(!path.exists() && !sealed.tag_path("a.bin").exists());
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Miss);

        // One flipped bit.
        sealed.store("a.bin", b"artifact").unwrap();
        std::fs::write(&path, b"artifacu").unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);

        // No tag.
        std::fs::write(&path, b"artifact").unwrap();
        std::fs::remove_file(sealed.tag_path("a.bin")).unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);

        // Another entry's bytes and tag copied over this one: bound to its name.
        sealed.store("a.bin", b"artifact").unwrap();
        sealed.store("b.bin", b"other").unwrap();
        std::fs::copy(sealed.entry_path("b.bin"), &path).unwrap();
        std::fs::copy(sealed.tag_path("b.bin"), sealed.tag_path("a.bin")).unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);

        // An entry sealed under another directory's key.
        let other = tempfile::tempdir().unwrap();
        let foreign = SealedDir::open(other.path()).unwrap();
        foreign.store("a.bin", b"forged").unwrap();
        std::fs::copy(foreign.entry_path("a.bin"), &path).unwrap();
        std::fs::copy(foreign.tag_path("a.bin"), sealed.tag_path("a.bin")).unwrap();
        assert_eq!(sealed.load("a.bin").unwrap(), Lookup::Broken);
    }

    #[test]
    fn an_entry_that_is_a_link_or_a_fifo_is_no_entry() {
        let tmp = tempfile::tempdir().unwrap();
        let sealed = SealedDir::open(tmp.path()).unwrap();
        sealed.store("real", b"x").unwrap();
        std::os::unix::fs::symlink(sealed.entry_path("real"), sealed.entry_path("link")).unwrap();
        std::os::unix::fs::symlink(sealed.tag_path("real"), sealed.tag_path("link")).unwrap();
        assert_eq!(sealed.load("link").unwrap(), Lookup::Miss);
        let fifo = std::ffi::CString::new(sealed.entry_path("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        assert_eq!(sealed.load("fifo").unwrap(), Lookup::Miss);
    }

    #[test]
    fn a_directory_others_can_write_is_refused_and_a_private_one_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in [0o777, 0o770, 0o702] {
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(bad)).unwrap();
            let err = SealedDir::open(tmp.path()).unwrap_err();
            assert!(
                matches!(&err, CacheError::Unsafe { fix, .. } if fix.contains("chmod 700")),
                "{bad:o}: {err}"
            );
        }
        for good in [0o700, 0o755, 0o750] {
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(good)).unwrap();
            SealedDir::open(tmp.path()).unwrap();
        }
    }

    #[test]
    fn a_key_others_can_read_or_a_linked_key_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        SealedDir::open(tmp.path()).unwrap();
        let key = tmp.path().join(KEY_FILE);
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            SealedDir::open(tmp.path()),
            Err(CacheError::Unsafe { .. })
        ));
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        SealedDir::open(tmp.path()).unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::rename(&key, &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &key).unwrap();
        assert!(matches!(
            SealedDir::open(tmp.path()),
            Err(CacheError::Unsafe { .. })
        ));
    }

    #[test]
    fn only_old_leftovers_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let sealed = SealedDir::open(tmp.path()).unwrap();
        let (old, fresh) = (tmp.path().join("build-old"), tmp.path().join("build-new"));
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("solution.rs"), "x").unwrap();
        std::fs::create_dir(&fresh).unwrap();
        let long_ago = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        File::open(&old).unwrap().set_modified(long_ago).unwrap();
        let kept = sealed.store("build-entry-old", b"x").unwrap();
        sealed.remove_stale("build-");
        assert!(!old.exists());
        assert!(fresh.exists());
        // Fresh: kept, whatever its name.
        assert!(kept.exists());
    }
}
