//! Live capture end to end: start the eBPF source, run real workloads, stop,
//! and check the recorded events. Needs root and a BTF kernel; skips otherwise.

use std::io::Read;
use std::net::TcpListener;
use std::process::Command;
use std::sync::atomic::Ordering;

mod common;

use rchisel::source::live::{LiveConfig, LiveSource, ProbeFloor};
use rchisel::source::{Item, Record, Source};

/// Owned copy of an event, for assertions after the capture.
#[derive(Debug, Clone)]
struct Ev {
    ts: u64,
    tid: i64,
    etype: u16,
    params: Vec<Vec<u8>>,
    /// cpu u16 + the scap v2 event bytes, for RCHISEL_LIVE_DUMP.
    raw: Vec<u8>,
}

impl Ev {
    fn i64(&self, i: usize) -> i64 {
        let b = &self.params[i];
        match b.len() {
            8 => i64::from_le_bytes(b[..8].try_into().unwrap()),
            4 => i32::from_le_bytes(b[..4].try_into().unwrap()) as i64,
            2 => i16::from_le_bytes(b[..2].try_into().unwrap()) as i64,
            1 => b[0] as i8 as i64,
            n => panic!("param {i} has {n} bytes"),
        }
    }
    fn str(&self, i: usize) -> String {
        let b = &self.params[i];
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..end]).into_owned()
    }
}

/// Live tests here run one at a time: each loads its own probe, and one
/// capturing everything beside another's syscall storm drops events.
static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());


fn can_run() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipping live capture test: not root");
        return false;
    }
    if !std::path::Path::new("/sys/kernel/btf/vmlinux").exists() {
        eprintln!("skipping live capture test: no kernel BTF");
        return false;
    }
    true
}

/// Drains the source until it ends, keeping events of `pids` (all when empty).
fn collect(src: &mut LiveSource, keep: impl Fn(i64) -> bool) -> (Vec<Record>, Vec<Ev>) {
    let mut recs = Vec::new();
    let mut evs = Vec::new();
    while let Some(item) = src.next_item().expect("live source error") {
        match item {
            Item::Record(r) => recs.push(r),
            Item::Event(e) => {
                if keep(e.tid) {
                    let mut raw = e.cpu.to_le_bytes().to_vec();
                    raw.extend_from_slice(&e.ts.to_le_bytes());
                    raw.extend_from_slice(&e.tid.to_le_bytes());
                    raw.extend_from_slice(&(26 + e.body.len() as u32).to_le_bytes());
                    raw.extend_from_slice(&e.etype.to_le_bytes());
                    raw.extend_from_slice(&e.nparams.to_le_bytes());
                    raw.extend_from_slice(e.body);
                    let params = e.params().map(|p| p.to_vec()).collect();
                    evs.push(Ev { ts: e.ts, tid: e.tid, etype: e.etype, params, raw });
                }
            }
        }
    }
    (recs, evs)
}

const OPENAT_X: u16 = 307;
const READ_X: u16 = 7;
const CONNECT_X: u16 = 23;
const EXECVE_X: u16 = 293;
const PROCEXIT: u16 = 186;

#[test]
fn live_capture_sees_real_workload() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    // Generic syscall codes limited so that sysdig 0.29.3 can read a dump of this capture.
    let cfg = LiveConfig { sc_limit: Some(rchisel::source::live::SYSDIG_0_29_SC_LIMIT), ..LiveConfig::default() };
    let mut src = match LiveSource::start(&cfg) {
        Ok(s) => s,
        Err(e) => panic!("live source failed to start: {e}"),
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();

    let cat = Command::new("cat").arg("/etc/hostname").output().expect("run cat");
    assert!(cat.status.success());
    let hostname = cat.stdout.clone();

    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!("exec 3<>/dev/tcp/127.0.0.1/{port}; echo -n hi >&3"))
        .spawn()
        .expect("run bash");
    let (mut conn, _) = listener.accept().unwrap();
    let mut got = Vec::new();
    conn.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"hi");
    let bash_pid = child.id() as i64;
    child.wait().unwrap();

    std::thread::sleep(std::time::Duration::from_millis(50));
    src.stop();
    let (recs, evs) = collect(&mut src, |_| true);
    let (events, drops) = src.stats();
    eprintln!("captured {} events, probe stats: events={events} drops={drops}", evs.len());
    assert_eq!(drops, 0);

    // Optional dump (cpu u16 + event, back to back) for checking with other readers.
    if let Ok(path) = std::env::var("RCHISEL_LIVE_DUMP") {
        let bytes: Vec<u8> = evs.iter().flat_map(|e| e.raw.iter().copied()).collect();
        std::fs::write(path, bytes).unwrap();
    }

    // The /proc snapshot comes first and includes this process.
    assert!(matches!(recs.first(), Some(Record::Machine(_))));
    let me = std::process::id() as i64;
    assert!(recs.iter().any(|r| matches!(r, Record::Process(p) if p.tid == me)));
    // Our own events are filtered out in the probe.
    assert!(!evs.iter().any(|e| e.tid == me));
    // Timestamps are in order.
    assert!(evs.windows(2).all(|w| w[0].ts <= w[1].ts), "events out of order");

    // execve of cat: find its exit event by argument. The shell's PATH search
    // may fail first (ENOENT): those exits show the call's argv too (as libs),
    // and a filename that is not the cat run.
    let execs: Vec<_> = evs
        .iter()
        .filter(|e| e.etype == EXECVE_X && e.str(1) == "cat" && e.params[2].starts_with(b"/etc/hostname\0"))
        .collect();
    let exec = *execs.last().expect("execve of cat");
    assert_eq!(exec.i64(0), 0, "execve result");
    for f in &execs[..execs.len() - 1] {
        assert!(f.i64(0) < 0 && f.str(30).ends_with("/cat"), "failed execve before: {} {:?}", f.i64(0), f.str(30));
    }
    assert_eq!(exec.str(13), "cat", "comm");
    assert_eq!(exec.i64(3), exec.tid, "tid param");
    assert!(exec.str(6).starts_with('/'), "cwd {:?}", exec.str(6));
    assert!(exec.str(30).ends_with("/cat"), "filename {:?}", exec.str(30));
    let cat_tid = exec.tid;

    let open = evs
        .iter()
        .find(|e| e.tid == cat_tid && e.etype == OPENAT_X && e.str(2) == "/etc/hostname")
        .expect("openat of /etc/hostname");
    let fd = open.i64(0);
    assert!(fd >= 0, "open result {fd}");
    assert_eq!(open.i64(1), -100, "dirfd AT_FDCWD");
    assert_eq!(open.i64(3) & 3, 1, "PPM_O_RDONLY");
    assert_ne!(open.i64(6), 0, "inode");

    let read = evs
        .iter()
        .find(|e| e.tid == cat_tid && e.ts > open.ts && e.etype == READ_X && e.i64(2) == fd && e.i64(0) > 0)
        .expect("read of the hostname fd");
    assert_eq!(read.i64(0) as usize, hostname.len());
    let n = hostname.len().min(80);
    assert_eq!(read.params[1], hostname[..n], "read data");

    assert!(evs.iter().any(|e| e.tid == cat_tid && e.etype == PROCEXIT && e.i64(0) == 0), "procexit of cat");

    // bash's connect to our listener: tuple 127.0.0.1:x -> 127.0.0.1:port. bash may first
    // try other sockets (glibc's nscd unix socket fails with ENOENT on machines without
    // nscd), so pick the connect whose address is the listener's.
    let listener_addr = [&[2u8, 127, 0, 0, 1][..], &port.to_le_bytes()].concat();
    let conn = evs
        .iter()
        .find(|e| e.tid == bash_pid && e.etype == CONNECT_X && e.params.get(3) == Some(&listener_addr))
        .unwrap_or_else(|| {
            let seen: Vec<_> = evs.iter().filter(|e| e.tid == bash_pid && e.etype == CONNECT_X).map(|e| (e.i64(0), e.params.get(3).cloned())).collect();
            panic!("no connect from bash to 127.0.0.1:{port}; bash's connects: {seen:?}")
        });
    assert_eq!(conn.i64(0), 0, "connect result");
    let t = &conn.params[1];
    assert_eq!(t.len(), 13, "IPv4 tuple");
    assert_eq!(t[0], 2);
    assert_eq!(&t[1..5], &[127, 0, 0, 1]);
    assert_eq!(&t[7..11], &[127, 0, 0, 1]);
    assert_eq!(u16::from_le_bytes([t[11], t[12]]), port);
    assert_eq!(conn.params[3], listener_addr);
}

#[test]
fn live_capture_syscall_storm_no_drops() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let count: u64 = std::env::var("RCHISEL_STORM_COUNT").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    storm(LiveConfig { snapshot: false, ring_bytes: 256 << 20, ..LiveConfig::default() }, count);
}

/// The same with the probe's batches off: every syscall leaves on its own
/// (the probe's path on kernels without CPU-pinned BPF timers).
#[test]
fn live_capture_storm_without_batches_no_drops() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    storm(LiveConfig { snapshot: false, ring_bytes: 256 << 20, batch: false, ..LiveConfig::default() }, 200_000);
}

/// The bench's floors cut the syscall programs short: a process's syscalls
/// then leave no event at all (its exit, from another program, still does),
/// and the probe counts none.
#[test]
fn live_bench_floors_emit_no_syscall_events() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    for floor in [ProbeFloor::Attached, ProbeFloor::Clock] {
        let cfg = LiveConfig { snapshot: false, floor, ..LiveConfig::default() };
        let mut src = LiveSource::start(&cfg).expect("start live source");
        let (dd_pid, waiter) = dd_then_stop(20_000, src.stop_handle());
        let (mut from_dd, mut syscalls) = (0u64, 0u64);
        while let Some(item) = src.next_item().expect("live source error") {
            if let Item::Event(e) = item && e.tid == dd_pid {
                from_dd += 1;
                if e.etype == READ_X || e.etype == READ_X - 1 {
                    syscalls += 1;
                }
            }
        }
        assert!(waiter.join().unwrap().unwrap().success());
        assert_eq!(syscalls, 0, "{floor:?}: dd's reads must leave no event");
        assert!(from_dd > 0, "{floor:?}: dd's exit (sched_process_exit) still recorded");
    }
}

/// Starts `dd bs=1 count=COUNT` (/dev/zero to /dev/null); a thread waits for
/// it, then stops the capture 50 ms later. Returns dd's pid and that thread.
fn dd_then_stop(
    count: u64,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (i64, std::thread::JoinHandle<std::io::Result<std::process::ExitStatus>>) {
    let mut dd = Command::new("dd")
        .args(["if=/dev/zero", "of=/dev/null", "bs=1", &format!("count={count}")])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run dd");
    let dd_pid = dd.id() as i64;
    let waiter = std::thread::spawn(move || {
        let st = dd.wait();
        std::thread::sleep(std::time::Duration::from_millis(50));
        stop.store(true, Ordering::SeqCst);
        st
    });
    (dd_pid, waiter)
}

/// Runs `dd bs=1 count=COUNT` under capture: every read is seen, no drops.
fn storm(cfg: LiveConfig, count: u64) {
    let mut src = LiveSource::start(&cfg).expect("start live source");
    let (dd_pid, waiter) = dd_then_stop(count, src.stop_handle());
    let start = std::time::Instant::now();
    let mut reads = 0u64;
    let mut total = 0u64;
    while let Some(item) = src.next_item().expect("live source error") {
        if let Item::Event(e) = item {
            total += 1;
            if e.tid == dd_pid && e.etype == READ_X && e.param_u64(3) == Some(1) && e.param_i64(0) == Some(1) {
                reads += 1;
            }
        }
    }
    assert!(waiter.join().unwrap().unwrap().success());
    let (events, drops) = src.stats();
    eprintln!(
        "storm: {reads} dd reads of {count}, {total} events consumed, probe events={events} drops={drops}, {:.2?}",
        start.elapsed()
    );
    assert_eq!(drops, 0, "ring buffer drops");
    assert_eq!(reads, count, "every dd read recorded");
}

/// A reader that falls behind still gets events in timestamp order: records
/// committed after its last drain (an enter event held for its exit, an
/// event from the other CPU) must not be overtaken by later ones.
#[test]
fn live_events_in_time_order_when_reader_lags() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let cfg = LiveConfig { snapshot: false, ring_bytes: 256 << 20, ..LiveConfig::default() };
    let mut src = LiveSource::start(&cfg).expect("start live source");
    let stop = src.stop_handle();
    // Long syscalls that do not sleep (16 and 128 MB reads from the page
    // cache, the longer ones past the reorder window: an enter event is held
    // for its exit the whole time) on one CPU, a syscall storm on the other.
    let big = std::env::temp_dir().join(format!("rchisel-lag-{}", std::process::id()));
    std::fs::write(&big, vec![7u8; 128 << 20]).unwrap();
    let mut wl = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "dd if=/dev/zero of=/dev/null bs=1 count=200000 2>/dev/null & \
             for i in 1 2 3; do dd if={f} of=/dev/null bs=16M 2>/dev/null; \
             dd if={f} of=/dev/null bs=128M 2>/dev/null; done; wait",
            f = big.display()
        ))
        .spawn()
        .expect("run workload");
    let waiter = std::thread::spawn(move || {
        let st = wl.wait();
        std::thread::sleep(std::time::Duration::from_millis(50));
        stop.store(true, Ordering::SeqCst);
        st
    });
    let (mut n, mut last, mut behind) = (0u64, 0u64, Vec::new());
    while let Some(item) = src.next_item().expect("live source error") {
        if let Item::Event(e) = item {
            n += 1;
            if e.ts < last && behind.len() < 5 {
                behind.push((n, e.etype, e.tid, last - e.ts));
            }
            last = last.max(e.ts);
            // Fall behind the probe now and then.
            if n % 20000 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
        }
    }
    assert!(waiter.join().unwrap().unwrap().success());
    let _ = std::fs::remove_file(&big);
    assert!(n > 200_000, "only {n} events");
    assert!(behind.is_empty(), "events older than one delivered before them (n, type, tid, ns behind): {behind:?}");
}

/// Every event type the probe can emit is an event of libs HEAD's table (the
/// crate's events.tbl) with the right direction: probe/ppm.h holds the types
/// sysdig 0.29.3 knows (below its PPM_EVENT_MAX, 336), probe/sc_events.h the
/// libs types the table-driven syscalls use, which 0.29.3 skips when reading
/// (they keep their libs numbers).
#[test]
fn probe_event_types_are_libs_events() {
    let mut n = 0;
    for (file, old) in [("ppm.h", true), ("sc_events.h", false)] {
        let path = format!("{}/probe/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let mut w = line.split_whitespace();
            if w.next() != Some("#define") {
                continue;
            }
            let (Some(name), Some(val)) = (w.next(), w.next()) else { continue };
            if !name.starts_with("PPME_") {
                continue;
            }
            let v: u16 = val.parse().unwrap_or_else(|_| panic!("{name} = {val}"));
            if old {
                assert!(v < rchisel::source::scap::SYSDIG_EVENT_MAX, "{name} = {v} is unknown to sysdig 0.29.3");
            }
            let info = rchisel::event::table::event_info(v).unwrap_or_else(|| panic!("{name} = {v}: no such event"));
            assert_eq!(v % 2 == 1, name.ends_with("_X"), "{name} = {v}: wrong direction");
            if !(name == "PPME_SYSCALL_CLOSE_RANGE_E" || name == "PPME_SYSCALL_KEYCTL_E") {
                assert_ne!(info.name, "NA", "{name} = {v} is an unused slot of libs' table");
            }
            n += 1;
        }
    }
    assert!(n > 250, "only {n} PPME_ numbers found in probe/ppm.h and probe/sc_events.h");
}

/// A capture written by `rchisel -w` (live) while a workload uses dup2,
/// accept4, pipe2, poll and stat calls: every event is one rchisel's table
/// knows (none skipped), state built from them is right (dup2'd fds keep
/// their file, accept4'd sockets are TCP), and sysdig 0.29.3 reads the file:
/// `sysdig -r` prints exactly what `rchisel -r` prints for the same file
/// without the event types sysdig 0.29.3 does not know (which it skips).
#[test]
fn live_written_capture_readable_by_sysdig_0_29() {
    if !can_run() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let bin = env!("CARGO_BIN_EXE_rchisel");
    let dir = std::env::temp_dir().join(format!("rchisel-live-w-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cap = dir.join("x.scap");
    let wl = dir.join("rch_live_wl");
    std::fs::write(
        &wl,
        r#"#!/bin/bash
bash -c 'exec 3</etc/hostname; cat <&3' >/dev/null
echo a | cat >/dev/null
stat /etc/hostname >/dev/null
/usr/bin/python3 -c '
import socket, select, os
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname())
a, _ = s.accept()
c.send(b"hello"); a.recv(10)
r, w = os.pipe(); os.write(w, b"x")
p = select.poll(); p.register(r, select.POLLIN); p.poll(100)
'
"#,
    )
    .unwrap();
    std::fs::set_permissions(&wl, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let rec = Command::new(bin)
        .arg("-w")
        .arg(&cap)
        .arg("proc.name=rch_live_wl or proc.aname=rch_live_wl")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run rchisel -w");
    common::wait_attached(rec.id(), 5);
    let st = Command::new(&wl).status().expect("run workload");
    assert!(st.success(), "workload failed");
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let out = rec.wait_with_output().unwrap();
    assert!(out.status.success(), "rchisel -w failed: {}", String::from_utf8_lossy(&out.stderr));

    // Every event is one the table knows; the 0.29.3-era types sit beside
    // libs' newer ones (dup2 363, accept4 389, pipe2 393).
    let mut r = rchisel::source::scap::ScapReader::open(&cap).unwrap();
    let mut types = std::collections::BTreeSet::new();
    while let Some(item) = r.next_item().expect("read capture") {
        if let Item::Event(e) = item {
            types.insert(e.etype);
        }
    }
    assert_eq!(r.stats().skipped_events, 0, "events of types unknown to the event table");
    for (t, what) in [(363u16, "dup2"), (389, "accept4"), (393, "pipe2"), (81, "poll")] {
        assert!(types.contains(&t), "no {what} exit event (type {t}) in the capture: {types:?}");
    }

    let rchisel_out = Command::new(bin).arg("-r").arg(&cap).env("TZ", "UTC").output().unwrap();
    assert!(rchisel_out.status.success());
    let text = String::from_utf8_lossy(&rchisel_out.stdout).into_owned();
    let has = |what: &str| text.lines().any(|l| l.contains(what));
    // bash's dup2(3, 0) for `cat <&3`: fd 0 is now /etc/hostname.
    assert!(has("< dup2 res=0(<f>/etc/hostname)"), "dup2 of /etc/hostname missing");
    assert!(text.lines().any(|l| l.contains(" cat (") && l.contains("fd=0(<f>/etc/hostname)")), "cat uses fd 0");
    // accept4: a TCP socket, with its tuple.
    assert!(has("< accept4 fd=") && has("(<4t>127.0.0.1:"), "accept4 of a TCP connection missing");
    assert!(has("< pipe2 res=0 fd1="), "pipe2 missing");
    assert!(has("< poll res=1 fds="), "poll missing");

    if Command::new("sysdig").arg("--version").output().is_err() {
        eprintln!("skipping sysdig comparison: sysdig not installed");
    } else {
        // The same capture without the types sysdig 0.29.3 skips.
        let old = dir.join("old.scap");
        let mut r = rchisel::source::scap::ScapReader::open(&cap).unwrap();
        let mut w = rchisel::sink::writer::ScapWriter::create(&old, rchisel::sink::writer::Compression::None).unwrap();
        let mut recs = Vec::new();
        while let Some(item) = r.next_item().expect("read capture") {
            match item {
                Item::Record(rec) => recs.push(rec),
                Item::Event(e) => {
                    if !recs.is_empty() {
                        w.write_records(&recs).unwrap();
                        recs.clear();
                    }
                    if e.etype < rchisel::source::scap::SYSDIG_EVENT_MAX {
                        w.write_event(&e).unwrap();
                    }
                }
            }
        }
        w.finish().unwrap();
        let old_out = Command::new(bin).arg("-r").arg(&old).env("TZ", "UTC").output().unwrap();
        assert!(old_out.status.success());
        let text = String::from_utf8_lossy(&old_out.stdout).into_owned();
        let sysdig_out = Command::new("sysdig").arg("-r").arg(&cap).env("TZ", "UTC").output().unwrap();
        assert!(sysdig_out.status.success(), "sysdig -r failed: {}", String::from_utf8_lossy(&sysdig_out.stderr));
        let s = String::from_utf8_lossy(&sysdig_out.stdout);
        if s != text {
            let first = s.lines().zip(text.lines()).find(|(a, b)| a != b);
            panic!(
                "sysdig and rchisel differ ({} vs {} lines); first difference:\n{first:?}",
                s.lines().count(),
                text.lines().count()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
