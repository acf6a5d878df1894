//! Command-line flags that act on the live source (issue 12): `-U` also
//! leaves out the threads the start-up /proc scan finds, `--large-environment`
//! reads environments past 4 KiB from /proc. Needs root and a BTF kernel;
//! skips otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rchisel::source::{Item, Record, Source};

const BIN: &str = env!("CARGO_BIN_EXE_rchisel");

/// One live capture at a time.
static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rchisel-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/bash\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    p
}

/// `rchisel ARGS` recording for `secs` seconds, then SIGINT; its stderr.
fn capture(args: &[&str], secs: f64) -> String {
    let rec: Child = Command::new(BIN).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_secs_f64(secs));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let out = rec.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "rchisel {args:?} failed: {err}");
    err
}

/// The thread records and the (tid, comm) of every event of a capture file.
fn contents(path: &Path) -> (Vec<rchisel::source::records::ProcRecord>, Vec<i64>) {
    let mut r = rchisel::source::scap::ScapReader::open(path).unwrap();
    let (mut procs, mut tids) = (Vec::new(), Vec::new());
    while let Some(item) = r.next_item().unwrap() {
        match item {
            Item::Record(Record::Process(p)) => procs.push(*p),
            Item::Record(_) => {}
            Item::Event(e) => tids.push(e.tid),
        }
    }
    (procs, tids)
}

/// A process running before the capture starts, never cloning or exec'ing
/// during it, is suppressed by `-U` all the same: its thread is not in the
/// file's thread table and none of its events are.
#[test]
fn suppress_comm_covers_threads_found_at_start() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tmpdir("supp");
    let busy = script(&dir, "rch_supp_busy", "for i in $(seq 80); do cat /etc/hostname >/dev/null; sleep 0.05; done");
    let mut b = Command::new(&busy).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let cap = dir.join("s.scap");
    let err = capture(&["-U", "rch_supp_busy", "-v", "-w", cap.to_str().unwrap()], 3.0);
    let pid = b.id() as i64;
    let _ = b.kill();
    let _ = b.wait();
    let (procs, tids) = contents(&cap);
    assert!(procs.len() > 5 && tids.len() > 100, "the capture is nearly empty: {err}");
    assert!(!procs.iter().any(|p| p.comm == "rch_supp_busy" || p.tid == pid), "the suppressed process is in the thread table");
    assert!(!tids.contains(&pid), "events of the suppressed process were written");
    let suppressed: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("Suppressed by Comm:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("-v prints Suppressed by Comm");
    assert!(suppressed > 20, "only {suppressed} events suppressed: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Lines `proc.name proc.env` of the events of `names` in a live capture
/// with `extra` flags while `workload` runs.
fn env_lines(extra: &[&str], workload: impl FnOnce()) -> String {
    let filter = "proc.name in (rch_env_a, rch_env_b)";
    let mut rec = Command::new(BIN)
        .args(extra)
        .args(["-p", "%proc.name %proc.env", filter])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read as it comes: a capture blocked on a full pipe would parse the
    // events after the processes are gone.
    let mut stdout = rec.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    std::thread::sleep(Duration::from_millis(2500));
    workload();
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let _ = rec.wait();
    reader.join().unwrap()
}

/// `--large-environment`: environments past 4 KiB are read whole from /proc,
/// for a process found by the start-up scan and for one exec'd during the
/// capture; without it, they stop within the first 4 KiB as libscap reads
/// them (and as the probe records them).
#[test]
fn large_environment_reads_whole_environments() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tmpdir("env");
    let big = format!("{}END_MARK", "x".repeat(9000));
    let a = script(&dir, "rch_env_a", "for i in $(seq 60); do cat /etc/hostname >/dev/null; sleep 0.1; done");
    let b = script(&dir, "rch_env_b", "sleep 3; cat /etc/hostname >/dev/null");
    for (flag, whole) in [(&["--large-environment"][..], true), (&[][..], false)] {
        let mut pa = Command::new(&a).env_clear().env("RCH_BIG", &big).env("PATH", "/usr/bin:/bin").spawn().unwrap();
        let out = env_lines(flag, || {
            let st = Command::new(&b).env_clear().env("RCH_BIG", &big).env("PATH", "/usr/bin:/bin").status().unwrap();
            assert!(st.success());
        });
        let _ = pa.kill();
        let _ = pa.wait();
        for name in ["rch_env_a", "rch_env_b"] {
            let lines: Vec<&str> = out.lines().filter(|l| l.starts_with(&format!("{name} "))).collect();
            assert!(!lines.is_empty(), "{flag:?}: no event of {name}:\n{out:.2000}");
            let full = lines.iter().filter(|l| l.contains("END_MARK")).count();
            if whole {
                // Events of the process from before its execve was seen may
                // show the parent's environment: the last ones must be whole.
                assert!(lines.last().unwrap().contains("END_MARK"), "{flag:?}: {name}'s environment is cut: {} of {} lines whole; last: {:.300}", full, lines.len(), lines.last().unwrap());
            } else {
                assert_eq!(full, 0, "{flag:?}: {name}'s environment is whole without --large-environment");
                assert!(lines.iter().all(|l| l.contains("RCH_BIG=xxx")), "{flag:?}: {name} lost its environment");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// (fd, bytes of data) of every write exit event in a capture file.
fn write_lengths(path: &Path) -> Vec<(i64, usize)> {
    const WRITE_X: u16 = 9;
    let mut r = rchisel::source::scap::ScapReader::open(path).unwrap();
    let mut out = Vec::new();
    while let Some(item) = r.next_item().unwrap() {
        if let Item::Event(e) = item && e.etype == WRITE_X {
            let fd = e.param(2).map(|b| i64::from_le_bytes(b.try_into().unwrap_or_default())).unwrap_or(-1);
            out.push((fd, e.param(1).map_or(0, |d| d.len())));
        }
    }
    out
}

/// `-T`: a write to /dev/null keeps up to 4096 bytes (libs' tracers
/// capture), whatever the snaplen; other writes keep the snaplen.
#[test]
fn force_tracers_capture_keeps_dev_null_writes() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tmpdir("tr");
    let prog = dir.join("rch_tr_w");
    std::fs::copy("/bin/dd", &prog).unwrap();
    let sink = dir.join("sink");
    for (flag, null_len) in [(&["-T"][..], 4096), (&[][..], 80)] {
        let cap = dir.join("t.scap");
        let mut args: Vec<&str> = flag.to_vec();
        args.extend(["-w", cap.to_str().unwrap(), "proc.name=rch_tr_w"]);
        let rec: Child = Command::new(BIN).args(&args).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(2500));
        for of in ["/dev/null", sink.to_str().unwrap()] {
            let st = Command::new(&prog).args(["if=/dev/zero", &format!("of={of}"), "bs=6000", "count=1"]).output().unwrap();
            assert!(st.status.success());
        }
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: kill only signals the child we spawned.
        unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
        assert!(rec.wait_with_output().unwrap().status.success());
        // dd writes the 6000 bytes to fd 1 in both runs; the first goes to /dev/null.
        let lens: Vec<usize> = write_lengths(&cap).into_iter().filter(|&(fd, _)| fd == 1).map(|(_, l)| l).collect();
        assert_eq!(lens, [null_len, 80], "{flag:?}: data kept of the write to /dev/null, then to a file");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
