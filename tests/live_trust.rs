//! Live capture you can trust (issue 10, points 4, 5 and 8): nothing lost at
//! a stop, exact driver statistics, a readable file after SIGKILL and on a
//! full disk, the two-CPU storm without drops, `-s` up to 65000.
//!
//! Every test runs the real `rchisel` binary as a user would. They need root
//! and a BTF kernel and skip otherwise; they run one at a time (each one's
//! workload is the others' noise).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn can_run() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipping live test: not root");
        return false;
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        eprintln!("skipping live test: no kernel BTF");
        return false;
    }
    true
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rchisel-trust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Number of BPF links `pid` holds.
fn bpf_links(pid: u32) -> usize {
    let Ok(rd) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return 0 };
    rd.filter_map(|e| e.ok())
        .filter(|e| std::fs::read_link(e.path()).map(|l| l.to_string_lossy().contains("bpf_link")).unwrap_or(false))
        .count()
}

/// Starts `rchisel ARGS` and waits until its probe is attached (the number
/// of its BPF links stops growing), so that what runs next is captured.
fn start(args: &[&str]) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_rchisel"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rchisel");
    let t0 = Instant::now();
    let mut last = (0, Instant::now());
    while t0.elapsed() < Duration::from_secs(60) {
        let n = bpf_links(child.id());
        if n != last.0 {
            last = (n, Instant::now());
        } else if n >= 5 && last.1.elapsed() > Duration::from_millis(300) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Sends `sig` and waits; (exit status success, stderr).
fn stop(child: Child, sig: i32) -> (bool, String) {
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(child.id() as i32, sig) };
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `Driver Events` and `Driver Drops` from `-v`'s statistics.
fn driver_stats(stderr: &str) -> (u64, u64) {
    let num = |key: &str| {
        stderr
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {key} in: {stderr}"))
    };
    (num("Driver Events:"), num("Driver Drops:"))
}

/// Reads a capture: calls `f` on each event; the count read and the error
/// that ended the reading, if any.
fn read_events(path: &Path, mut f: impl FnMut(&rchisel::event::Event<'_>)) -> (u64, Option<String>) {
    let mut r = ScapReader::open(path).expect("open capture");
    let mut n = 0;
    loop {
        match r.next_item() {
            Ok(Some(Item::Event(e))) => {
                n += 1;
                f(&e);
            }
            Ok(Some(Item::Record(_))) => {}
            Ok(None) => return (n, None),
            Err(e) => return (n, Some(e.to_string())),
        }
    }
}

const EXECVE_19_X: u16 = 293;
const PROCINFO_E: u16 = 234;

/// Exit events of execve whose arguments contain `marker`, and the number of
/// events the probe made (procinfo events left out).
fn execs_with(path: &Path, marker: &str) -> (u64, u64) {
    let mut found = 0;
    let mut procinfo = 0;
    let (n, err) = read_events(path, |e| {
        // procinfo events come from /proc, not from the probe.
        if e.etype == PROCINFO_E {
            procinfo += 1;
        }
        if e.etype == EXECVE_19_X
            && let Some(args) = e.params().nth(2)
            && String::from_utf8_lossy(args).contains(marker)
        {
            found += 1;
        }
    });
    assert!(err.is_none(), "{}: {err:?}", path.display());
    (found, n - procinfo)
}

fn fifty_before_stop(z: bool) {
    let _g = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tmpdir(if z { "stop-z" } else { "stop" });
    let cap = dir.join("c.scap");
    let cap_s = cap.to_str().unwrap();
    let mut args = vec!["-v", "-w", cap_s];
    if z {
        args.insert(0, "-z");
    }
    let rec = start(&args);
    let marker = format!("rt_stop_marker_{}", std::process::id());
    for i in 0..50 {
        let st = Command::new("/bin/true").arg(format!("{marker}_{i}")).status().unwrap();
        assert!(st.success());
    }
    // Stop right away: the last processes ran moments before.
    let (ok, err) = stop(rec, libc::SIGINT);
    assert!(ok, "rchisel failed: {err}");
    let (events, drops) = driver_stats(&err);
    let (found, in_file) = execs_with(&cap, &marker);
    assert_eq!(found, 50, "execs of the 50 processes in the file ({err})");
    // No filter: every event the probe produced is in the file or a drop.
    assert_eq!(in_file + drops, events, "events in the file + drops = Driver Events ({err})");
    assert_eq!(drops, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fifty_processes_right_before_sigint_all_in_file() {
    if can_run() {
        fifty_before_stop(false);
    }
}

#[test]
fn fifty_processes_right_before_sigint_all_in_gzip_file() {
    if can_run() {
        fifty_before_stop(true);
    }
}

#[test]
fn sigkill_leaves_a_file_with_all_but_the_last_second() {
    if !can_run() {
        return;
    }
    let _g = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    for z in [false, true] {
        let dir = tmpdir("kill");
        let cap = dir.join("k.scap");
        let mut args = vec!["-w", cap.to_str().unwrap()];
        if z {
            args.insert(0, "-z");
        }
        let rec = start(&args);
        let marker = format!("rt_kill_marker_{}", std::process::id());
        assert!(Command::new("/bin/true").arg(&marker).status().unwrap().success());
        // Past the reorder window and the writer's one-second flush.
        std::thread::sleep(Duration::from_millis(1600));
        let _ = stop(rec, libc::SIGKILL);
        let mut found = 0;
        let (n, err) = read_events(&cap, |e| {
            if e.etype == EXECVE_19_X
                && e.params().nth(2).is_some_and(|a| String::from_utf8_lossy(a).contains(marker.as_str()))
            {
                found += 1;
            }
        });
        assert!(n > 0, "no event readable after SIGKILL (z={z}): {err:?}");
        assert_eq!(found, 1, "the process run 1.6 s before SIGKILL is in the file (z={z}, {n} events, {err:?})");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn full_disk_is_reported_with_stats_and_a_readable_file() {
    if !can_run() {
        return;
    }
    let _g = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tmpdir("full");
    let st = Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"]).arg(&dir).status();
    if !st.map(|s| s.success()).unwrap_or(false) {
        eprintln!("skipping full disk test: cannot mount a tmpfs");
        return;
    }
    let cap = dir.join("f.scap");
    let rec = start(&["-v", "-w", cap.to_str().unwrap()]);
    // About 400,000 events: far more than 2 MB.
    let dd = Command::new("dd").args(["if=/dev/zero", "of=/dev/null", "bs=1", "count=100000"]).output().unwrap();
    assert!(dd.status.success());
    // The capture ends by itself on the write error.
    let mut rec = rec;
    let t0 = Instant::now();
    while rec.try_wait().unwrap().is_none() && t0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = stop(rec, libc::SIGINT);
    let (ok, err) = out;
    let (n, read_err) = read_events(&cap, |_| {});
    let _ = Command::new("umount").arg(&dir).status();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!ok, "rchisel must fail on a full disk: {err}");
    assert!(err.contains("No space left on device"), "clear error: {err}");
    driver_stats(&err);
    assert!(n > 1000, "the file is readable up to its last whole block: {n} events, {read_err:?}");
    if let Some(e) = read_err {
        assert!(e.contains("truncated"), "only the last block may be cut: {e}");
    }
}

const READ_X: u16 = 7;
const WRITE_X: u16 = 9;

/// The first parameter of an exit event as a signed integer.
fn res_of(e: &rchisel::event::Event<'_>) -> Option<i64> {
    let p = e.params().next()?;
    Some(match p.len() {
        8 => i64::from_le_bytes(p.try_into().ok()?),
        4 => i32::from_le_bytes(p.try_into().ok()?) as i64,
        _ => return None,
    })
}

#[test]
fn two_cpu_storm_every_event_in_the_file_no_drops() {
    if !can_run() {
        return;
    }
    let _g = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tmpdir("storm");
    let cap = dir.join("s.scap");
    let rec = start(&["-v", "-w", cap.to_str().unwrap(), "proc.name=dd"]);
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(2);
    const COUNT: i64 = 500_000;
    let dds: Vec<Child> = (0..cpus)
        .map(|c| {
            Command::new("taskset")
                .args(["-c", &c.to_string(), "dd", "if=/dev/zero", "of=/dev/null", "bs=1"])
                .arg(format!("count={COUNT}"))
                .stderr(Stdio::null())
                .spawn()
                .expect("run taskset dd")
        })
        .collect();
    // taskset execs dd: same pid.
    let pids: Vec<i64> = dds.iter().map(|c| c.id() as i64).collect();
    for mut d in dds {
        assert!(d.wait().unwrap().success());
    }
    // Peak RSS so far (the rings' mapped pages count in it).
    let hwm_kb = std::fs::read_to_string(format!("/proc/{}/status", rec.id()))
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()))
        .expect("VmHWM of the recorder");
    let (ok, err) = stop(rec, libc::SIGINT);
    assert!(ok, "rchisel failed: {err}");
    assert!(hwm_kb < 256 * 1024, "peak RSS {hwm_kb} kB in the storm (limit 256 MB)");
    let (_, drops) = driver_stats(&err);
    let mut reads = vec![0i64; pids.len()];
    let mut writes = vec![0i64; pids.len()];
    let (_, read_err) = read_events(&cap, |e| {
        let Some(i) = pids.iter().position(|&p| p == e.tid) else { return };
        let one_zero = res_of(e) == Some(1) && e.params().nth(1) == Some(&[0u8][..]);
        match e.etype {
            READ_X if one_zero => reads[i] += 1,
            WRITE_X if one_zero => writes[i] += 1,
            _ => {}
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert!(read_err.is_none(), "{read_err:?}");
    assert_eq!(drops, 0, "drops in a storm on {cpus} CPUs: {err}");
    for i in 0..pids.len() {
        assert_eq!((reads[i], writes[i]), (COUNT, COUNT), "dd {} on CPU {i}: its one-byte reads and writes", pids[i]);
    }
}

#[test]
fn snaplen_up_to_65000_bytes() {
    if !can_run() {
        return;
    }
    let _g = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = tmpdir("snaplen");
    let cap = dir.join("s.scap");
    let prog = dir.join("rt_snap_writer");
    std::fs::copy("/bin/dd", &prog).unwrap();
    let rec = start(&["-s", "100000", "-w", cap.to_str().unwrap(), "proc.name=rt_snap_writer"]);
    let out = Command::new(&prog).args(["if=/dev/zero", "of=/dev/null", "bs=70000", "count=1"]).output().unwrap();
    assert!(out.status.success());
    std::thread::sleep(Duration::from_millis(100));
    let (ok, err) = stop(rec, libc::SIGINT);
    assert!(ok, "{err}");
    assert!(err.contains("warning") && err.contains("65000"), "asking for more than 65000 warns: {err}");
    let mut lens = Vec::new();
    read_events(&cap, |e| {
        if (e.etype == READ_X || e.etype == WRITE_X) && res_of(e) == Some(70000) {
            lens.push(e.params().nth(1).map(|d| d.len()).unwrap_or(0));
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(lens, [65000, 65000], "the 70000-byte read and write keep 65000 bytes each");
}
