//! The fallback where the kernel has no Landlock: a user + mount (+ network) namespace
//! whose root is an empty tmpfs showing only the allowed trees, bound at their own paths
//! (read-only ones remounted read-only), entered with `chroot`. A file outside them does
//! not exist for the child (`ENOENT` for every name, so no existence oracle either), and the
//! new network namespace has no interface but an unconfigured loopback.
//!
//! Everything that allocates happens in the parent ([`Plan::new`]); between `fork` and
//! `exec` the child ([`Plan::enter`]) makes only system calls on prepared C strings:
//! `unshare`, `open`/`write`/`close` on its own `/proc/self/*_map`, `mkdir`, `mount`,
//! `statvfs`, `chdir` and `chroot`.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One allowed path, bound into the new root at the same path.
struct Bind {
    source: CString,
    target: CString,
    is_dir: bool,
    read_only: bool,
}

/// Everything the child needs, prepared before the fork.
pub(crate) struct Plan {
    root: CString,
    /// Directories to create inside the new root, parents first.
    dirs: Vec<CString>,
    binds: Vec<Bind>,
    cwd: Option<CString>,
    uid_map: CString,
    gid_map: CString,
}

fn c(path: &Path) -> std::io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::other(format!("{} contains a NUL byte", path.display())))
}

impl Plan {
    /// Prepares a root under `root_parent` (an allowed read-write tree: the mount point is
    /// an empty directory `.judge-root` there, which the child covers with a tmpfs).
    pub(crate) fn new(
        root_parent: &Path,
        read_only: &[PathBuf],
        read_write: &[PathBuf],
        cwd: Option<&Path>,
    ) -> std::io::Result<Plan> {
        let root = root_parent.join(".judge-root");
        match std::fs::create_dir(&root) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut binds = Vec::new();
        let always = [PathBuf::from("/dev/null")];
        for (paths, read_only) in [(read_only, true), (read_write, false), (&always[..], false)] {
            for path in paths {
                let Ok(meta) = std::fs::metadata(path) else {
                    continue; // a missing library path; a missing private tree failed earlier
                };
                let path = std::path::absolute(path)?;
                let inner = root.join(path.strip_prefix("/").unwrap_or(&path));
                let dir_of = if meta.is_dir() {
                    Some(inner.as_path())
                } else {
                    inner.parent()
                };
                if let Some(d) = dir_of {
                    for a in d.ancestors().collect::<Vec<_>>().into_iter().rev() {
                        if a.starts_with(&root) && a != root && !dirs.iter().any(|x| x == a) {
                            dirs.push(a.to_path_buf());
                        }
                    }
                }
                let target = c(&inner)?;
                if binds.iter().any(|b: &Bind| b.target == target) {
                    continue; // the first listing of a path decides (read-only first)
                }
                binds.push(Bind {
                    source: c(&path)?,
                    target,
                    is_dir: meta.is_dir(),
                    read_only,
                });
            }
        }
        // Parents before children: a tree bound later would hide what was bound inside it.
        binds.sort_by_key(|b| b.target.as_bytes().iter().filter(|&&c| c == b'/').count());
        // SAFETY: getuid/getgid only return numbers.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        Ok(Plan {
            root: c(&root)?,
            dirs: dirs.iter().map(|d| c(d)).collect::<Result<_, _>>()?,
            binds,
            cwd: cwd.map(c).transpose()?,
            uid_map: CString::new(format!("{uid} {uid} 1")).expect("digits"),
            gid_map: CString::new(format!("{gid} {gid} 1")).expect("digits"),
        })
    }

    /// In the child, between fork and exec: enters the namespaces and the new root.
    ///
    /// # Safety
    /// Call only in a forked child before `exec`; it changes the process's root.
    pub(crate) unsafe fn enter(&self) -> std::io::Result<()> {
        let err = std::io::Error::last_os_error;
        // SAFETY (whole body): system calls on C strings prepared by `new`, alive for the
        // closure's lifetime; nothing allocates.
        unsafe {
            if libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWNET) != 0 {
                return Err(err());
            }
            write_file(c"/proc/self/setgroups", b"deny")?;
            write_file(c"/proc/self/uid_map", self.uid_map.as_bytes())?;
            write_file(c"/proc/self/gid_map", self.gid_map.as_bytes())?;
            let none = std::ptr::null::<libc::c_char>();
            if libc::mount(
                none,
                c"/".as_ptr(),
                none,
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ) != 0
            {
                return Err(err());
            }
            if libc::mount(
                c"tmpfs".as_ptr(),
                self.root.as_ptr(),
                c"tmpfs".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV,
                c"mode=0755".as_ptr().cast(),
            ) != 0
            {
                return Err(err());
            }
            for d in &self.dirs {
                if libc::mkdir(d.as_ptr(), 0o755) != 0 && *libc::__errno_location() != libc::EEXIST
                {
                    return Err(err());
                }
            }
            for b in &self.binds {
                if !b.is_dir {
                    let fd = libc::open(
                        b.target.as_ptr(),
                        // Read-only: the placeholder may already exist in a bound tree.
                        libc::O_CREAT | libc::O_RDONLY | libc::O_CLOEXEC,
                        0o644,
                    );
                    if fd < 0 {
                        return Err(err());
                    }
                    libc::close(fd);
                }
                if libc::mount(
                    b.source.as_ptr(),
                    b.target.as_ptr(),
                    none,
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                ) != 0
                {
                    return Err(err());
                }
                if b.read_only {
                    // A remount must keep the flags the outer namespace locked.
                    let mut st: libc::statvfs = std::mem::zeroed();
                    let mut flags = libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY;
                    if libc::statvfs(b.target.as_ptr(), &mut st) == 0 {
                        for (st_flag, ms_flag) in [
                            (libc::ST_NOSUID, libc::MS_NOSUID),
                            (libc::ST_NODEV, libc::MS_NODEV),
                            (libc::ST_NOEXEC, libc::MS_NOEXEC),
                        ] {
                            if st.f_flag & st_flag != 0 {
                                flags |= ms_flag;
                            }
                        }
                    }
                    // Best effort: reading is what the confinement is about.
                    libc::mount(none, b.target.as_ptr(), none, flags, std::ptr::null());
                }
            }
            if libc::chdir(self.root.as_ptr()) != 0 || libc::chroot(c".".as_ptr()) != 0 {
                return Err(err());
            }
            let cwd = self.cwd.as_deref().unwrap_or(c"/");
            if libc::chdir(cwd.as_ptr()) != 0 {
                return Err(err());
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` (async-signal-safe: open, write, close).
unsafe fn write_file(path: &std::ffi::CStr, bytes: &[u8]) -> std::io::Result<()> {
    // SAFETY: a NUL-terminated path and a live byte slice.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let n = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
        let e = std::io::Error::last_os_error();
        libc::close(fd);
        if n != bytes.len() as isize {
            return Err(e);
        }
    }
    Ok(())
}

/// Whether this process may create a user + mount + network namespace (probed once, in a
/// forked child that does nothing else).
pub(crate) fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        // SAFETY: the child makes one system call and exits without returning into Rust.
        unsafe {
            let pid = libc::fork();
            if pid < 0 {
                return false;
            }
            if pid == 0 {
                let ok =
                    libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWNET)
                        == 0;
                libc::_exit(if ok { 0 } else { 1 });
            }
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0) == pid
                && libc::WIFEXITED(status)
                && libc::WEXITSTATUS(status) == 0
        }
    })
}
