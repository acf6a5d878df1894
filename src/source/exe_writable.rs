//! `proc.is_exe_writable` of the threads a /proc scan finds: can the user a
//! thread runs as write its executable? Decided as libscap decides it when
//! it scans /proc:
//!
//! - the executable is looked up as `/proc/PID/root` + the `exe` link's
//!   target; when it is not there (deleted, another mount namespace...),
//!   false;
//! - the owner of the file can always chmod it: true when its owner is the
//!   thread's uid (its effective uid, as /proc/PID/status gives it);
//! - otherwise the scanning thread takes the thread's effective gid, then its
//!   effective uid, asks the kernel whether it may write the file
//!   (`faccessat(W_OK, AT_EACCESS)`), then takes its own uid and gid back.
//!
//! The identity switch uses the raw `setgroups`/`setresgid`/`setresuid`
//! syscalls: they change the calling thread's credentials only (the libc
//! wrappers change every thread of the process), so the other threads never
//! run as someone else. The gid is set first, while the thread is still root
//! (libscap sets the uid first, after which the gid change is refused for
//! any uid but root's, so it never checks). The thread's supplementary
//! groups are taken too (libscap keeps the scanner's own: a file writable by
//! root's group would look writable to every user). The process's root directory is opened
//! before the switch, as root: only the way from that root to the file is
//! walked as the user (walking /proc/PID/root itself is refused to most users
//! for processes that changed identity). Taking the scanner's identity back
//! cannot fail for a root process; if it still does, the scan stops with an
//! [`IdentityError`] rather than go on as another user.

use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// The scanning thread could not take its own identity back after checking
/// a process's executable: the capture must stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityError(pub String);

impl std::fmt::Display for IdentityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdentityError {}

/// Whose credentials a check borrows: a thread's effective ids and its
/// supplementary groups (as /proc/PID/status gives them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    /// Effective uid.
    pub uid: u32,
    /// Effective gid.
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
}

/// True when `user` (a thread of process `pid`) can write the executable
/// `exepath` (the target of /proc/`pid`/exe).
pub fn exe_writable(pid: i64, exepath: &str, user: &User) -> Result<bool, IdentityError> {
    let Some(rel) = exepath.strip_prefix('/').and_then(|p| CString::new(p).ok()) else {
        return Ok(false);
    };
    let Some(root) = open_path(&format!("/proc/{pid}/root")) else {
        return Ok(false);
    };
    // SAFETY: an all-zero stat is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `root` is an open fd, `rel` a NUL-terminated path, `st` writable.
    if unsafe { libc::fstatat(root.as_raw_fd(), rel.as_ptr(), &mut st, 0) } != 0 {
        return Ok(false);
    }
    if st.st_uid == user.uid {
        return Ok(true);
    }
    let check = || may_write(&root, &rel);
    let me = User::current();
    if user.uid == me.uid && user.gid == me.gid && (me.uid == 0 || user.groups == me.groups) {
        return Ok(check());
    }
    let what = || format!("checking whether process {pid} may write {exepath}");
    Ok(as_user(user, check, what)?.unwrap_or(false))
}

/// Opens `path` (following links) as an `O_PATH` directory handle.
fn open_path(path: &str) -> Option<OwnedFd> {
    let c = CString::new(path).ok()?;
    // SAFETY: `c` is NUL-terminated; the fd returned is owned only here.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC) };
    // SAFETY: `fd` was just opened and is owned by nobody else.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The kernel's answer to "may this thread's effective ids write `rel`
/// under `root`" (faccessat2 with AT_EACCESS; faccessat where the kernel
/// has no faccessat2).
fn may_write(root: &OwnedFd, rel: &CString) -> bool {
    let (dir, path) = (root.as_raw_fd(), rel.as_ptr());
    // SAFETY: `dir` is open, `path` NUL-terminated; the call only reads them.
    let r = unsafe { libc::syscall(libc::SYS_faccessat2, dir, path, libc::W_OK, libc::AT_EACCESS) };
    if r == 0 {
        return true;
    }
    if std::io::Error::last_os_error().raw_os_error() != Some(libc::ENOSYS) {
        return false;
    }
    // SAFETY: as above.
    unsafe { libc::faccessat(dir, path, libc::W_OK, libc::AT_EACCESS) == 0 }
}

impl User {
    /// The calling thread's own credentials.
    pub fn current() -> User {
        // SAFETY: these getters have no preconditions; getgroups writes at
        // most `n` ids into a buffer of `n`.
        unsafe {
            let n = libc::getgroups(0, std::ptr::null_mut()).max(0);
            let mut groups = vec![0; n as usize];
            let n = libc::getgroups(n, groups.as_mut_ptr()).max(0);
            groups.truncate(n as usize);
            User { uid: libc::geteuid(), gid: libc::getegid(), groups }
        }
    }
}

/// Runs `f` with the calling thread's supplementary groups, effective gid
/// and effective uid set to `user`'s, then takes the thread's own back.
/// `Ok(None)` when the switch was refused (nothing ran; the identity is
/// unchanged). `what` names the work for the error message. Only the calling
/// thread changes identity; a thread it started meanwhile would inherit the
/// borrowed one, so `f` must not start any (nor panic: the identity would
/// not be taken back).
fn as_user<T>(user: &User, f: impl FnOnce() -> T, what: impl Fn() -> String) -> Result<Option<T>, IdentityError> {
    // One switch at a time in the process, so that the dumpable flag read
    // before it is the process's own, not one another switch left.
    let _one = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
    let me = User::current();
    // SAFETY: PR_GET_DUMPABLE only reads a flag.
    let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE) };
    let fail = |kind: &str, e: std::io::Error| {
        IdentityError(format!(
            "cannot take back rchisel's own {kind} (uid {} gid {}) after {} as uid {} gid {}: {e}; stopping \
             rather than running on as another user",
            me.uid,
            me.gid,
            what(),
            user.uid,
            user.gid
        ))
    };
    if set_groups(&user.groups).is_err() {
        return Ok(None);
    }
    let mut out = None;
    if set_effective(libc::SYS_setresgid, user.gid).is_ok() {
        if set_effective(libc::SYS_setresuid, user.uid).is_ok() {
            out = Some(f());
            set_effective(libc::SYS_setresuid, me.uid).map_err(|e| fail("effective uid", e))?;
        }
        set_effective(libc::SYS_setresgid, me.gid).map_err(|e| fail("effective gid", e))?;
    }
    set_groups(&me.groups).map_err(|e| fail("supplementary groups", e))?;
    // A change of effective ids makes the whole process undumpable (no core
    // files, no ptrace by its own user): put the flag back as it was.
    // SAFETY: both only read or set that flag.
    if dumpable >= 0 && unsafe { libc::prctl(libc::PR_GET_DUMPABLE) } != dumpable {
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, dumpable as libc::c_ulong) };
    }
    Ok(out)
}

/// Held during each identity switch (see [`as_user`]).
static SWITCH: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The calling thread's supplementary groups (the raw syscall).
fn set_groups(groups: &[u32]) -> std::io::Result<()> {
    // SAFETY: the kernel reads `groups.len()` ids from the slice.
    let r = unsafe { libc::syscall(libc::SYS_setgroups, groups.len() as libc::c_long, groups.as_ptr()) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// `setresuid(-1, id, -1)` or `setresgid(-1, id, -1)` as the raw syscall
/// `nr`: the calling thread only.
fn set_effective(nr: libc::c_long, id: u32) -> std::io::Result<()> {
    let keep = libc::c_long::from(u32::MAX);
    // SAFETY: setresuid/setresgid take three ids and touch no memory.
    let r = unsafe { libc::syscall(nr, keep, libc::c_long::from(id), keep) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> bool {
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        if !root {
            println!("skipping: needs root");
        }
        root
    }

    fn user(uid: u32, gid: u32, groups: &[u32]) -> User {
        User { uid, gid, groups: groups.to_vec() }
    }

    #[test]
    fn only_the_calling_thread_changes_identity() {
        if !root() {
            return;
        }
        let before = User::current();
        let (ask, asked) = std::sync::mpsc::channel::<()>();
        let (tell, told) = std::sync::mpsc::channel();
        let other = std::thread::spawn(move || {
            while asked.recv().is_ok() {
                tell.send(User::current()).unwrap();
            }
        });
        let nobody = user(65534, 65533, &[65531, 65532]); // (the kernel keeps them sorted)
        let seen = as_user(
            &nobody,
            || {
                ask.send(()).unwrap();
                (User::current(), told.recv().unwrap())
            },
            String::new,
        )
        .unwrap();
        assert_eq!(seen, Some((nobody, before.clone())), "(this thread, the other one) during the switch");
        assert_eq!(User::current(), before, "identity taken back");
        let _no_switch = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: PR_GET_DUMPABLE only reads a flag.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE) }, 1, "process still dumpable");
        drop(ask);
        other.join().unwrap();
    }

    #[test]
    fn own_and_missing_executables() {
        if !root() {
            return;
        }
        let me = std::process::id() as i64;
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let exe = exe.to_string_lossy();
        // The test binary belongs to whoever built it: writable by its owner.
        let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&*exe).unwrap());
        assert_eq!(exe_writable(me, &exe, &user(owner, 12345, &[])), Ok(true));
        assert_eq!(exe_writable(me, "/no/such/file", &user(0, 0, &[])), Ok(false));
        assert_eq!(exe_writable(me, "", &user(0, 0, &[])), Ok(false));
        assert_eq!(exe_writable(i64::MAX, &exe, &user(0, 0, &[])), Ok(false), "no such process");
    }

    #[test]
    fn other_users_as_the_kernel_says() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if !root() {
            return;
        }
        let me = std::process::id() as i64;
        let before = User::current();
        let dir = std::env::temp_dir().join(format!("rchisel-exew-{me}"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str, mode: u32| {
            let p = dir.join(name);
            std::fs::write(&p, b"#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            p.to_string_lossy().into_owned()
        };
        let (closed, open, group) = (file("closed", 0o755), file("open", 0o777), file("group", 0o775));
        let file_gid = std::fs::metadata(&group).unwrap().gid();
        let set_dir = |mode| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
        set_dir(0o755);
        let nobody = user(65534, 65534, &[]);
        assert_eq!(exe_writable(me, &closed, &nobody), Ok(false));
        assert_eq!(exe_writable(me, &open, &nobody), Ok(true));
        assert_eq!(exe_writable(me, &group, &nobody), Ok(false), "the scanner's own groups do not count");
        assert_eq!(exe_writable(me, &group, &user(65534, file_gid, &[])), Ok(true), "the file's group");
        assert_eq!(exe_writable(me, &group, &user(65534, 65534, &[7, file_gid])), Ok(true), "a supplementary group");
        assert_eq!(exe_writable(me, &closed, &user(0, 0, &[])), Ok(true), "root may write anything");
        // The way to the file is walked as the user too.
        set_dir(0o700);
        assert_eq!(exe_writable(me, &open, &nobody), Ok(false), "a directory the user cannot enter");
        assert_eq!(User::current(), before);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
