//! `-F` (fatfile): with `-w` and a filter, the state-changing events the
//! filter drops are written too, flagged state-only (SCAP_DF_STATE_ONLY), so
//! that reading the file back gives the matched events with the state of the
//! full capture, and shows nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_rchisel")
}

fn run(args: &[&str]) -> String {
    let out = Command::new(bin()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const FMT: &str = "%evt.type %fd.name %proc.name %proc.cmdline %user.name";

fn check(trace: &Path, filter: &str) {
    let dir = std::env::temp_dir().join(format!("rchisel-fat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stem = trace.file_stem().unwrap().to_string_lossy();
    let fat = dir.join(format!("{stem}.fat.scap"));
    let thin = dir.join(format!("{stem}.thin.scap"));
    let t = trace.to_str().unwrap();
    run(&["-r", t, "-F", "-w", fat.to_str().unwrap(), filter]);
    run(&["-r", t, "-w", thin.to_str().unwrap(), filter]);
    let want = run(&["-r", t, "-p", FMT, filter]);
    assert!(want.lines().count() > 3, "{stem}: the filter should match something");
    let from_fat = run(&["-r", fat.to_str().unwrap(), "-p", FMT]);
    assert_eq!(from_fat, want, "{stem}: the fat file shows the matched events with the full state");
    let from_thin = run(&["-r", thin.to_str().unwrap(), "-p", FMT]);
    assert_ne!(from_thin, want, "{stem}: without -F the state is lost (else this test proves nothing)");
    assert!(std::fs::metadata(&fat).unwrap().len() > std::fs::metadata(&thin).unwrap().len());
    // sysdig 0.29.3 hides the state-only events the same way.
    if Command::new("sysdig").arg("--version").output().is_ok() {
        let fmt = "%evt.num %evt.type %fd.name %proc.name";
        let ours = run(&["-r", fat.to_str().unwrap(), "-p", fmt]);
        let out = Command::new("sysdig").args(["-r", fat.to_str().unwrap(), "-p", fmt]).output().unwrap();
        assert_eq!(ours, String::from_utf8_lossy(&out.stdout), "{stem}: sysdig reads the fat file alike");
    } else {
        eprintln!("sysdig not installed: skipping the sysdig comparison");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fatfile_keeps_the_state_hidden() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    check(&root.join("traces/fd_leak.scap"), "evt.type in (read, write) and evt.dir=<");
    let shared = root.join("../shared/traces/curl_google.scap");
    if shared.exists() {
        check(&shared, "proc.name=curl and evt.type in (connect, sendto, read)");
    } else {
        eprintln!("../shared/traces absent: checked only the project's own trace");
    }
}
