//! `proc.is_exe_writable` of processes already running when a live capture
//! starts, decided by the start-up /proc scan as libscap decides it, written
//! to the file's thread table (`-w`) and read back by rchisel and by sysdig
//! 0.29.3. Needs root and a BTF kernel (and `setpriv`); skips otherwise;
//! the sysdig half skips without sysdig.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rchisel");
const NOBODY: u32 = 65534;

/// A copy of /bin/sleep at `dir/name`, owned by `uid`, mode `mode`.
fn sleep_copy(dir: &Path, name: &str, uid: u32, mode: u32) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy("/bin/sleep", &p).unwrap();
    std::os::unix::fs::chown(&p, Some(uid), Some(0)).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

/// `exe 600` run as user and group nobody, without supplementary groups;
/// returns once the process runs `exe` (setpriv exec'd it).
fn as_nobody(exe: &Path) -> Child {
    let id = NOBODY.to_string();
    let child = Command::new("setpriv")
        .args([&format!("--reuid={id}"), &format!("--regid={id}"), "--clear-groups"])
        .arg(exe)
        .arg("600")
        .spawn()
        .expect("run setpriv");
    let t0 = Instant::now();
    while std::fs::read_link(format!("/proc/{}/exe", child.id())).ok().as_deref() != Some(exe) {
        assert!(t0.elapsed() < Duration::from_secs(10), "{} did not start", exe.display());
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

/// Waits until `path` exists: rchisel creates its file at the first event it
/// keeps, once the probe is attached and the /proc scan done (looking for
/// the file makes such events).
fn wait_for_file(path: &Path, rec: &mut Child) {
    let t0 = Instant::now();
    while !path.exists() {
        assert!(rec.try_wait().unwrap().is_none(), "rchisel ended before writing {}", path.display());
        assert!(t0.elapsed() < Duration::from_secs(90), "rchisel did not start within 90 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `proc.is_exe_writable` values `bin` reads for process `pid`'s events.
fn values(bin: &str, cap: &Path, pid: u32) -> Vec<String> {
    let out = common::read_capture(bin, cap, &["-p", "%proc.pid %proc.is_exe_writable", &format!("proc.pid={pid}")]);
    out.lines().map(|l| l.strip_prefix(&format!("{pid} ")).unwrap_or(l).to_string()).collect()
}

/// Three copies of sleep, run as nobody before the capture starts: (a)
/// owned by root, 0755: not writable; (b) owned by root, 0777: writable;
/// (c) owned by nobody, 0555: writable (its owner may chmod it). Killed
/// during the capture, each has events, and each event shows the value.
#[test]
fn processes_found_at_start_know_whether_their_executable_is_writable() {
    if !common::live_ready() {
        return;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        println!("skipping: setpriv (util-linux) is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("rchisel-exew-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cases = [
        (sleep_copy(&dir, "sleep_root_755", 0, 0o755), "false"),
        (sleep_copy(&dir, "sleep_root_777", 0, 0o777), "true"),
        (sleep_copy(&dir, "sleep_nobody_555", NOBODY, 0o555), "true"),
    ];
    let mut sleepers: Vec<Child> = cases.iter().map(|(exe, _)| as_nobody(exe)).collect();
    let pids: Vec<u32> = sleepers.iter().map(|c| c.id()).collect();
    let cap = dir.join("w.scap");
    // This process too: its first event (the wait's stat calls) opens the file.
    let watched: Vec<String> = pids.iter().chain([&std::process::id()]).map(|p| p.to_string()).collect();
    let filter = format!("proc.pid in ({})", watched.join(", "));
    let mut rec = Command::new(BIN)
        .args(["-w", cap.to_str().unwrap(), &filter])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rchisel");
    wait_for_file(&cap, &mut rec);
    // Their last syscalls and exits happen during the capture.
    for s in &mut sleepers {
        // SAFETY: kill only signals a child we spawned.
        unsafe { libc::kill(s.id() as i32, libc::SIGTERM) };
        let _ = s.wait();
    }
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let out = rec.wait_with_output().unwrap();
    assert!(out.status.success(), "rchisel -w failed: {}", String::from_utf8_lossy(&out.stderr));
    let sysdig = common::have_sysdig();
    for ((exe, want), pid) in cases.iter().zip(&pids) {
        let mut readers = vec![BIN];
        if sysdig {
            readers.push("sysdig");
        }
        for bin in readers {
            let got = values(bin, &cap, *pid);
            assert!(!got.is_empty(), "{bin}: no event of {} (pid {pid}) in the capture", exe.display());
            assert!(got.iter().all(|v| v == want), "{bin}: {} (pid {pid}) should be {want}: {got:?}", exe.display());
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
