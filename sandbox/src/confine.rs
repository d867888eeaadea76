//! Kernel confinement of a child process (rustc, its linker, Miri, the sandbox worker):
//! Landlock rules on files, TCP and scopes, a parent-death signal, its own process group
//! and resource limits, all applied between `fork` and `exec`.
//!
//! The ruleset is prepared in the parent ([`Confinement::apply_to`] opens every allowed
//! path and creates the Landlock ruleset there, where allocating and failing loudly are
//! fine); the child, between `fork` and `exec`, only makes async-signal-safe system calls:
//! `setpgid`, `prctl`, `getppid`, `setrlimit` and `landlock_restrict_self`. The rules are
//! inherited by everything the child starts (rustc's linker), and cannot be lifted.
//!
//! Landlock refuses access by name, not existence: rustc says "Permission denied" for an
//! existing file and "No such file or directory" for a missing one. Whoever shows the
//! child's output must not show that difference (the judge reports a read outside the
//! submission in its own words).
//!
//! ```no_run
//! use judge_sandbox::confine::{Confinement, Rlimits};
//! use std::process::Command;
//! let sysroot = std::path::PathBuf::from("/opt/rust");
//! let private = tempfile::tempdir()?;
//! let confinement = Confinement {
//!     read_only: [vec![sysroot.clone()], Confinement::system_libraries()].concat(),
//!     read_write: vec![private.path().to_path_buf()],
//!     limits: Rlimits { cpu_seconds: Some(30), ..Rlimits::default() },
//!     own_process_group: true,
//! };
//! let mut cmd = Command::new(sysroot.join("bin/rustc"));
//! cmd.env_clear().current_dir(private.path());
//! let enforcement = confinement.apply_to(&mut cmd)?;
//! if !enforcement.is_confined() { /* say so once; rely on checking what the child did */ }
//! let status = cmd.status()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[path = "confine_namespace.rs"]
mod namespace;

use landlock::{
    Access, AccessFs, AccessNet, BitFlags, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope, ABI,
};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The Landlock ABI these rules were written and tested against (Linux 6.15+). Rights of
/// later ABIs are not requested; on an older kernel the crate drops what it lacks (best
/// effort), and [`Enforcement::Landlock`] says which ABI the kernel has.
const TESTED_ABI: ABI = ABI::V7;

/// What a confined child may touch, and its resource limits.
#[derive(Clone, Debug, Default)]
pub struct Confinement {
    /// Files and trees the child may read and execute (and nothing else).
    pub read_only: Vec<PathBuf>,
    /// Trees (or files) the child may read, write, create in and remove from. Each must
    /// exist.
    pub read_write: Vec<PathBuf>,
    pub limits: Rlimits,
    /// Start the child in a process group of its own, so that killing the group (a
    /// deadline) ends what it started too.
    pub own_process_group: bool,
}

/// Hard resource limits of the child (soft = hard). `RLIMIT_CORE` is always 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rlimits {
    /// `RLIMIT_AS`, in bytes.
    pub address_space: Option<u64>,
    /// `RLIMIT_FSIZE`, in bytes: a larger write fails and the child gets `SIGXFSZ`.
    pub file_size: Option<u64>,
    /// `RLIMIT_CPU`, in seconds: past it the child gets `SIGXCPU` (a backstop behind the
    /// parent's own wall-clock deadline).
    pub cpu_seconds: Option<u64>,
}

/// How far the kernel confines the child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Enforcement {
    /// Landlock rules apply: files beyond the allowed trees cannot be opened at all; TCP
    /// bind/connect is refused from ABI 4, abstract unix sockets and signals to processes
    /// outside the domain from ABI 6.
    Landlock { abi: u32 },
    /// No Landlock, but a user + mount + network namespace: the child's root is an empty
    /// tmpfs showing only the allowed trees at their own paths (read-only ones read-only),
    /// so nothing else exists for it, and it has no network.
    Namespace,
    /// The kernel can confine the child neither way: it can read whatever the user can.
    Unconfined { reason: String },
}

impl Enforcement {
    pub fn is_confined(&self) -> bool {
        matches!(self, Enforcement::Landlock { .. } | Enforcement::Namespace)
    }
}

/// How to confine a child: the best this kernel offers, or one way on purpose (tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    /// Landlock where the kernel has it, else a namespace where this process may create
    /// one, else unconfined (said by [`Enforcement::Unconfined`]).
    Best,
    /// Only the namespace (the fallback), whatever the kernel has.
    Namespace,
}

/// `JUDGE_CONFINEMENT=namespace` makes [`Mechanism::Best`] use the namespace fallback even
/// where the kernel has Landlock (to try the fallback on such a machine; it never weakens
/// confinement to none).
pub const FORCE_VARIABLE: &str = "JUDGE_CONFINEMENT";

fn forced_namespace() -> bool {
    std::env::var_os(FORCE_VARIABLE).is_some_and(|v| v == "namespace")
}

/// The confinement [`Confinement::apply_to`] gives on this machine.
pub fn available() -> Enforcement {
    if forced_namespace() && namespace::available() {
        return Enforcement::Namespace;
    }
    match kernel_abi() {
        Some(abi) => Enforcement::Landlock { abi },
        None if namespace::available() => Enforcement::Namespace,
        None => Enforcement::Unconfined {
            reason: "the kernel provides neither Landlock nor unprivileged user namespaces".into(),
        },
    }
}

/// Why a confinement could not be prepared: the judge's own failure.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error("failed to open {path} for a Landlock rule: {source}")]
    Path {
        path: String,
        source: std::io::Error,
    },
    #[error("failed to build the Landlock ruleset: {0}")]
    Ruleset(#[from] landlock::RulesetError),
    #[error("failed to prepare the namespace's root: {0}")]
    Namespace(std::io::Error),
}

/// The Landlock ABI version of the running kernel, `None` when it has no Landlock (not built
/// in, or not enabled at boot).
pub fn kernel_abi() -> Option<u32> {
    // SAFETY: landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) only returns
    // a number; it reads no memory and creates no descriptor.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    (v > 0).then_some(v as u32)
}

impl Confinement {
    /// What a dynamically linked program needs to start: the loader's cache, the system
    /// libraries and `/dev/urandom` (`/dev/null` is always readable and writable). Paths
    /// that do not exist are skipped when the rules are made.
    pub fn system_libraries() -> Vec<PathBuf> {
        [
            "/lib",
            "/lib64",
            "/usr/lib",
            "/usr/lib64",
            "/etc/ld.so.cache",
            "/dev/urandom",
        ]
        .map(PathBuf::from)
        .to_vec()
    }

    /// Makes `cmd` start confined: prepares the ruleset now (in this process) and installs
    /// a `pre_exec` hook that, in the child, joins its own process group if asked, asks for
    /// `SIGKILL` when the thread that spawned it exits (and exits at once if that already
    /// happened), sets the rlimits, sets `no_new_privs` and restricts itself.
    ///
    /// The parent-death signal is tied to the spawning *thread*: spawn from a thread that
    /// lives until the child is reaped (the judge waits for rustc on the thread that
    /// spawned it).
    ///
    /// Returns how far the kernel confines the child; without Landlock the other limits
    /// still apply.
    pub fn apply_to(&self, cmd: &mut Command) -> Result<Enforcement, ConfineError> {
        self.apply_to_as(cmd, Mechanism::Best)
    }

    /// [`Confinement::apply_to`] with a chosen [`Mechanism`]. The namespace's root is
    /// mounted on an empty directory `.judge-root` made in the first read-write tree.
    pub fn apply_to_as(
        &self,
        cmd: &mut Command,
        mechanism: Mechanism,
    ) -> Result<Enforcement, ConfineError> {
        let abi = match mechanism {
            Mechanism::Best if forced_namespace() => None,
            Mechanism::Best => kernel_abi(),
            Mechanism::Namespace => None,
        };
        let mut plan = None;
        let (ruleset, enforcement) = match abi {
            None if namespace::available() && !self.read_write.is_empty() => {
                let cwd = cmd
                    .get_current_dir()
                    .map(std::path::absolute)
                    .transpose()
                    .map_err(ConfineError::Namespace)?;
                plan = Some(Arc::new(
                    namespace::Plan::new(
                        &self.read_write[0],
                        &self.read_only,
                        &self.read_write,
                        cwd.as_deref(),
                    )
                    .map_err(ConfineError::Namespace)?,
                ));
                (None, Enforcement::Namespace)
            }
            None => (
                None,
                Enforcement::Unconfined {
                    reason: "the kernel provides neither Landlock nor unprivileged user namespaces"
                        .into(),
                },
            ),
            Some(abi) => match self.ruleset()? {
                Some(fd) => (Some(Arc::new(fd)), Enforcement::Landlock { abi }),
                None => (
                    None,
                    Enforcement::Unconfined {
                        reason: "Landlock is not enabled".into(),
                    },
                ),
            },
        };
        let limits = self.limits;
        let own_group = self.own_process_group;
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: the hook makes only async-signal-safe system calls (setpgid, prctl, getppid,
        // the namespace's unshare/open/write/mkdir/mount/chroot on prepared C strings,
        // setrlimit, syscall) on values prepared before the fork; it allocates nothing.
        unsafe {
            cmd.pre_exec(move || {
                if own_group && libc::setpgid(0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died between fork and prctl: then nothing would kill us.
                if libc::getppid() != parent {
                    libc::_exit(127);
                }
                if let Some(plan) = &plan {
                    plan.enter()?;
                    // Re-armed: entering a user namespace changed the credentials.
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                let set = |resource, value: u64| {
                    let lim = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    if libc::setrlimit(resource, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                };
                set(libc::RLIMIT_CORE, 0)?;
                if let Some(v) = limits.address_space {
                    set(libc::RLIMIT_AS, v)?;
                }
                if let Some(v) = limits.file_size {
                    set(libc::RLIMIT_FSIZE, v)?;
                }
                if let Some(v) = limits.cpu_seconds {
                    set(libc::RLIMIT_CPU, v)?;
                }
                if let Some(fd) = &ruleset {
                    if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    if libc::syscall(libc::SYS_landlock_restrict_self, fd.as_raw_fd(), 0u32) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        Ok(enforcement)
    }

    /// The ruleset's descriptor (close-on-exec, so the child's program never holds it), or
    /// `None` when the kernel has no Landlock after all.
    fn ruleset(&self) -> Result<Option<OwnedFd>, ConfineError> {
        let all = AccessFs::from_all(TESTED_ABI);
        let read = AccessFs::from_read(TESTED_ABI);
        // Every filesystem right is handled (refused unless a rule allows it); TCP bind and
        // connect are handled with no rule allowing any port; both scopes are on.
        let mut created = Ruleset::default()
            .handle_access(all)?
            .handle_access(AccessNet::from_all(TESTED_ABI))?
            .scope(Scope::from_all(TESTED_ABI))?
            .create()?;
        // Writing to /dev/null reveals and changes nothing; programs and shells expect it.
        let dev_null = [PathBuf::from("/dev/null")];
        for (paths, rights, must_exist) in [
            (&self.read_only[..], read, false),
            (&self.read_write[..], all, true),
            (&dev_null[..], all, false),
        ] {
            for path in paths {
                let Some(rule) = rule(path, rights, must_exist)? else {
                    continue;
                };
                created = created.add_rule(rule)?;
            }
        }
        Ok(created.into())
    }
}

/// A rule granting `rights` beneath `path`; for a file, only the rights a file can have.
/// `None` for a missing path that need not exist.
fn rule(
    path: &Path,
    rights: BitFlags<AccessFs>,
    must_exist: bool,
) -> Result<Option<PathBeneath<PathFd>>, ConfineError> {
    let err = |source| ConfineError::Path {
        path: path.display().to_string(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(None),
        Err(e) => return Err(err(e)),
    };
    let rights = if meta.is_dir() {
        rights
    } else {
        rights & AccessFs::from_file(TESTED_ABI)
    };
    let fd = PathFd::new(path).map_err(|e| err(std::io::Error::other(e.to_string())))?;
    Ok(Some(PathBeneath::new(fd, rights)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Stdio;

    fn cat(confinement: &Confinement, file: &Path) -> (bool, Enforcement) {
        let mut cmd = Command::new("/bin/cat");
        cmd.arg(file)
            .env_clear()
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let enforcement = confinement.apply_to(&mut cmd).unwrap();
        (cmd.status().unwrap().success(), enforcement)
    }

    fn base(rw: &Path) -> Confinement {
        let mut read_only = Confinement::system_libraries();
        read_only.push("/bin".into());
        read_only.push("/usr/bin".into());
        Confinement {
            read_only,
            read_write: vec![rw.to_path_buf()],
            ..Confinement::default()
        }
    }

    #[test]
    fn a_confined_child_reads_its_trees_and_nothing_else() {
        if kernel_abi().is_none() {
            // Nothing to prove without Landlock (the dep-info check is tested apart).
            return;
        }
        let allowed = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(allowed.path().join("in"), "x").unwrap();
        std::fs::write(outside.path().join("out"), "x").unwrap();
        let c = base(allowed.path());
        let (ok, enforcement) = cat(&c, &allowed.path().join("in"));
        assert!(ok);
        assert!(enforcement.is_confined());
        assert!(!cat(&c, &outside.path().join("out")).0);
        // The same file is readable without the confinement: the refusal is Landlock's.
        let mut unconfined = Command::new("/bin/cat");
        unconfined
            .arg(outside.path().join("out"))
            .stdout(Stdio::null());
        assert!(unconfined.status().unwrap().success());
    }

    #[test]
    fn a_confined_child_cannot_write_outside_its_tree_nor_connect() {
        if kernel_abi().is_none() {
            return;
        }
        let allowed = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let c = base(allowed.path());
        let sh = |script: String| {
            let mut cmd = Command::new("/bin/sh");
            cmd.args(["-c", &script]).env_clear().stderr(Stdio::null());
            c.apply_to(&mut cmd).unwrap();
            cmd.status().unwrap().success()
        };
        assert!(sh(format!("echo x > {}/f", allowed.path().display())));
        assert!(!sh(format!("echo x > {}/f", outside.path().display())));
        // A listening socket on the host that the child must not reach.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let reach = format!("exec 3<>/dev/tcp/127.0.0.1/{port}");
        if Path::new("/bin/bash").exists() && kernel_abi() >= Some(4) {
            let mut cmd = Command::new("/bin/bash");
            cmd.args(["-c", &reach]).env_clear().stderr(Stdio::null());
            assert!(Command::new("/bin/bash")
                .args(["-c", &reach])
                .status()
                .unwrap()
                .success());
            c.apply_to(&mut cmd).unwrap();
            assert!(!cmd.status().unwrap().success());
        }
    }

    #[test]
    fn the_rlimits_and_the_process_group_reach_the_child() {
        let dir = tempfile::tempdir().unwrap();
        let c = Confinement {
            limits: Rlimits {
                cpu_seconds: Some(7),
                file_size: Some(4096),
                address_space: None,
            },
            own_process_group: true,
            ..base(dir.path())
        };
        let mut read_only = c.read_only.clone();
        read_only.push("/proc".into());
        let c = Confinement { read_only, ..c };
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "cat /proc/self/limits; echo; cat /proc/self/stat"])
            .env_clear();
        c.apply_to(&mut cmd).unwrap();
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let limit = |name: &str| {
            let line = text.lines().find(|l| l.starts_with(name)).unwrap();
            line[name.len()..]
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(limit("Max cpu time"), "7 7", "{text}");
        assert_eq!(limit("Max file size"), "4096 4096", "{text}");
        assert_eq!(limit("Max core file size"), "0 0", "{text}");
        // /proc/self/stat: pid (comm) state ppid pgrp ... (cat's own group: its shell's pid).
        let stat = text.lines().last().unwrap();
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        let ppid: u32 = fields[1].parse().unwrap();
        let pgrp: u32 = fields[2].parse().unwrap();
        assert_eq!(pgrp, ppid, "the shell leads its own group: {stat}");
        assert_ne!(pgrp, std::process::id());
    }

    /// The fallback without Landlock: in the namespace the allowed trees are there, a file
    /// outside them does not exist (like a missing one: no oracle), writes outside and TCP
    /// fail.
    #[test]
    fn the_namespace_fallback_shows_only_the_allowed_trees() {
        if !namespace::available() {
            return; // nothing to prove where the kernel refuses user namespaces
        }
        let allowed = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(allowed.path().join("in"), "x").unwrap();
        std::fs::write(outside.path().join("out"), "x").unwrap();
        let c = base(allowed.path());
        let sh = |script: String| {
            let mut cmd = Command::new("/bin/sh");
            cmd.args(["-c", &script])
                .env_clear()
                .current_dir(allowed.path())
                .stderr(Stdio::null());
            let enforcement = c.apply_to_as(&mut cmd, Mechanism::Namespace).unwrap();
            assert_eq!(enforcement, Enforcement::Namespace);
            cmd.status().unwrap().success()
        };
        let a = allowed.path().display();
        let o = outside.path().display();
        assert!(sh(format!(
            "test -f {a}/in && cat {a}/in >/dev/null && pwd | grep -qx {a}"
        )));
        assert!(sh(format!("echo y > {a}/new")));
        assert_eq!(
            std::fs::read_to_string(allowed.path().join("new")).unwrap(),
            "y\n"
        );
        // Outside: the file and its folder do not exist, as if missing.
        assert!(sh(format!(
            "test ! -e {o}/out && test ! -e {o} && test ! -e /etc/passwd"
        )));
        assert!(!sh(format!("cat {o}/out")));
        assert!(!sh(format!("echo x > {o}/f")));
        assert!(!outside.path().join("f").exists());
        // Read-only trees cannot be written.
        assert!(!sh("touch /usr/lib/judge-confine-probe".into()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        if Path::new("/bin/bash").exists() {
            let mut cmd = Command::new("/bin/bash");
            cmd.args(["-c", &format!("exec 3<>/dev/tcp/127.0.0.1/{port}")])
                .env_clear()
                .stderr(Stdio::null());
            c.apply_to_as(&mut cmd, Mechanism::Namespace).unwrap();
            assert!(!cmd.status().unwrap().success());
        }
    }

    /// The fallback is enough for the build: the real rustc links a wasm module in it, and
    /// an `include_str!` of a host file fails there.
    #[test]
    fn rustc_builds_in_the_namespace_fallback() {
        if !namespace::available() {
            return;
        }
        let Ok(out) = Command::new("rustc").args(["--print", "sysroot"]).output() else {
            return;
        };
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !sysroot.join("lib/rustlib/wasm32-wasip1").is_dir() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let host = tempfile::NamedTempFile::new().unwrap();
        let build = |source: String| {
            std::fs::write(dir.path().join("s.rs"), source).unwrap();
            let mut cmd = Command::new(sysroot.join("bin/rustc"));
            cmd.args([
                "--crate-type=cdylib",
                "--target=wasm32-wasip1",
                "-o",
                "s.wasm",
                "s.rs",
            ])
            .env_clear()
            .env("LD_LIBRARY_PATH", sysroot.join("lib"))
            .current_dir(dir.path())
            .stderr(Stdio::null());
            let c = Confinement {
                read_only: [vec![sysroot.clone()], Confinement::system_libraries()].concat(),
                read_write: vec![dir.path().to_path_buf()],
                ..Confinement::default()
            };
            c.apply_to_as(&mut cmd, Mechanism::Namespace).unwrap();
            cmd.status().unwrap().success()
        };
        assert!(build("pub fn f() -> u32 { 7 }".into()));
        assert!(dir.path().join("s.wasm").is_file());
        let read = format!(
            "pub fn f() -> usize {{ include_str!({:?}).len() }}",
            host.path()
        );
        assert!(!build(read));
    }

    #[test]
    fn a_missing_private_tree_is_an_error_and_a_missing_library_is_not() {
        if kernel_abi().is_none() {
            return;
        }
        let c = Confinement {
            read_only: vec!["/no/such/lib".into()],
            read_write: vec!["/no/such/dir".into()],
            ..Confinement::default()
        };
        assert!(matches!(
            c.apply_to(&mut Command::new("/bin/true")),
            Err(ConfineError::Path { .. })
        ));
        let c = Confinement {
            read_only: vec!["/no/such/lib".into()],
            ..Confinement::default()
        };
        assert!(c.apply_to(&mut Command::new("/bin/true")).is_ok());
    }
}
