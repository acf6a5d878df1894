//! Harness for bench/live_overhead.sh: runs `$RCHISEL_BENCH_CMD` under live
//! capture while consuming every event, and prints the workload's wall time.
//! Ignored by default: `cargo test --release --test live_bench -- --ignored --nocapture`.

use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Instant;

use rchisel::source::live::relay::Relay;
use rchisel::source::live::{LiveConfig, LiveSource, ProbeFloor};
use rchisel::source::{Item, Source};

#[test]
#[ignore]
fn live_bench_workload_under_capture() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipping: not root");
        return;
    }
    let cmd = std::env::var("RCHISEL_BENCH_CMD")
        .unwrap_or_else(|_| "dd if=/dev/zero of=/dev/null bs=1 count=1000000".into());
    // The rings a user gets (`-w` without options), unless RCHISEL_BENCH_RING
    // (bytes in all) says otherwise.
    let mut cfg = LiveConfig { snapshot: false, ..LiveConfig::default() };
    if let Some(n) = std::env::var("RCHISEL_BENCH_RING").ok().and_then(|v| v.parse().ok()) {
        cfg.ring_bytes = n;
    }
    // RCHISEL_BENCH_NOBATCH=1: the probe sends every syscall on its own.
    cfg.batch = std::env::var_os("RCHISEL_BENCH_NOBATCH").is_none();
    // RCHISEL_BENCH_FLOOR=attached|clock: the syscall programs cut short.
    cfg.floor = match std::env::var("RCHISEL_BENCH_FLOOR").as_deref() {
        Ok("attached") => ProbeFloor::Attached,
        Ok("clock") => ProbeFloor::Clock,
        _ => ProbeFloor::Off,
    };
    let src = LiveSource::start(&cfg).expect("start live source");
    let stop = src.stop_handle();
    // Read as `rchisel` reads it: the rings on their own thread.
    let mut src = Relay::spawn(src).expect("start the ring reader thread");
    // The workload's own CPU time (user + system, its processes waited for),
    // counted from here: the probe runs in the traced process, so this is
    // what the capture adds to it, apart from the CPU the reader takes from
    // the rest of the machine.
    let cpu0 = children_cpu_s();
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        let st = Command::new("sh").arg("-c").arg(&cmd).stderr(std::process::Stdio::null()).status();
        let wall = t.elapsed();
        stop.store(true, Ordering::SeqCst);
        (st, wall)
    });
    let mut n = 0u64;
    let mut bytes = 0u64;
    while let Some(item) = src.next_item().expect("live source") {
        if let Item::Event(e) = item {
            n += 1;
            bytes += e.body.len() as u64 + 26;
        }
    }
    let (st, wall) = waiter.join().unwrap();
    assert!(st.unwrap().success());
    let cpu = children_cpu_s() - cpu0;
    let (events, drops) = src.stats().expect("final figures");
    println!(
        "RESULT workload_wall_s={:.3} workload_cpu_s={cpu:.3} consumed={n} bytes={bytes} probe_events={events} drops={drops}",
        wall.as_secs_f64()
    );
}

/// CPU seconds (user + system) of this process's children waited for so far.
fn children_cpu_s() -> f64 {
    // SAFETY: rusage is plain integers; all zeroes is a valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(ru.ru_utime) + secs(ru.ru_stime)
}
