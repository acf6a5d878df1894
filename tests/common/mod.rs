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
