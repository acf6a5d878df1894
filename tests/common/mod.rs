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
