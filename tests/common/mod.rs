//! Helpers shared by the integration tests: where the shared sysdig traces
//! are, and whether sysdig 0.29.3 is installed to compare against.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The `shared/` folder beside the project (`../shared` in a clone; the
/// workplace's `/work/shared` when run from elsewhere), if present.
pub fn shared() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    [beside, PathBuf::from("/work/shared")].into_iter().find(|p| p.join("traces").is_dir())
}

/// A capture from `shared/traces`; prints why the caller skips when absent.
pub fn shared_trace(name: &str) -> Option<PathBuf> {
    match shared().map(|s| s.join("traces").join(name)).filter(|p| p.is_file()) {
        Some(p) => Some(p),
        None => {
            println!("skipping: shared trace {name} not found (no ../shared in this clone)");
            None
        }
    }
}

/// True when `sysdig` runs; prints why the caller skips otherwise.
pub fn have_sysdig() -> bool {
    let ok = Command::new("sysdig").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        println!("skipping: sysdig is not installed");
    }
    ok
}

/// True when live capture tests can run here (root and a kernel with BTF);
/// prints why the caller skips otherwise.
pub fn live_ready() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("skipping live test: not root");
        return false;
    }
    if !std::path::Path::new("/sys/kernel/btf/vmlinux").exists() {
        println!("skipping live test: no kernel BTF");
        return false;
    }
    true
}

/// Runs `bin -r cap args...` (rchisel or sysdig) with TZ=UTC from the
/// project's folder and returns its standard output; panics when it fails.
/// rchisel skips the event types sysdig 0.29.3 does not know, as sysdig does.
pub fn read_capture(bin: &str, cap: &std::path::Path, args: &[&str]) -> String {
    let o = Command::new(bin)
        .env("TZ", "UTC")
        .env(rchisel::source::scap::SYSDIG_EVENT_TYPES_ENV, "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("-r")
        .arg(cap)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    assert!(o.status.success(), "{bin} -r {} {args:?} failed: {}", cap.display(), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Waits until process `pid` (rchisel capturing live) has attached its
/// probe: its BPF links stop growing for 300 ms with at least `min` of them,
/// or 60 s pass. A fixed sleep is too short when the verifier runs beside
/// other work (an attach took 3 s under load).
pub fn wait_attached(pid: u32, min: usize) {
    let links = || {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| std::fs::read_link(e.path()).is_ok_and(|l| l.to_string_lossy().contains("bpf_link")))
                    .count()
            })
            .unwrap_or(0)
    };
    let t0 = std::time::Instant::now();
    let mut last = (0, std::time::Instant::now());
    while t0.elapsed() < std::time::Duration::from_secs(60) {
        let n = links();
        if n != last.0 {
            last = (n, std::time::Instant::now());
        } else if n >= min && last.1.elapsed() > std::time::Duration::from_millis(300) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("rchisel did not attach its probe within 60 s");
}

/// One of the project's own captures (traces/, always present), uncompressed.
pub fn own_trace_raw(name: &str) -> Vec<u8> {
    let gz = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces").join(name)).unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&gz[..]), &mut raw).unwrap();
    raw
}

/// A concatenated capture: `raw`'s section header, one block of unknown type
/// 0x7777 that is `block_len` bytes long in all (at least 12), then `raw`
/// whole, so that the second section header starts `block_len` bytes after
/// the first one ends.
pub fn after_unknown_block(raw: &[u8], block_len: usize) -> Vec<u8> {
    let shb_len = u32::from_le_bytes(raw[4..8].try_into().unwrap()) as usize;
    let mut cat = raw[..shb_len].to_vec();
    cat.extend_from_slice(&0x7777u32.to_le_bytes());
    cat.extend_from_slice(&(block_len as u32).to_le_bytes());
    cat.resize(shb_len + block_len - 4, 0);
    cat.extend_from_slice(&(block_len as u32).to_le_bytes());
    cat.extend_from_slice(raw);
    cat
}
