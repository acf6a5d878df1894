//! A chisel runs code, often as root: a chisel file, or a folder on the
//! chisel path, that someone other than the invoking user or root can write
//! is refused with a message naming it (as ssh and sudo treat their files).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHISEL: &str = r#"description = "prints hello"; short_description = "hello"; category = "Tests"
args = {}
function on_init() return true end
function on_event() return true end
function on_capture_end() print("hello from the chisel") return true end
"#;

fn trace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces/fd_leak.scap")
}

/// A fresh folder under the test temp dir (0755), with `chisels/hello.lua`.
fn setup(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chisel_trust").join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("chisels")).unwrap();
    for d in [&root, &root.join("chisels")] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let f = root.join("chisels/hello.lua");
    std::fs::write(&f, CHISEL).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    root
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `chown uid:gid`; false when not permitted (not root).
fn chown(p: &Path, uid: u32, gid: u32) -> bool {
    std::os::unix::fs::chown(p, Some(uid), Some(gid)).is_ok()
}

/// Runs `rchisel -r fd_leak.scap ARGS` in `cwd` (chisels found in ./chisels).
fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rchisel"))
        .current_dir(cwd)
        .env_remove("SYSDIG_CHISEL_DIR")
        .env_remove("RCHISEL_CHISEL_DIR")
        .arg("-r")
        .arg(trace())
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn trusted_chisel_runs() {
    let root = setup("trusted");
    let out = run(&root, &["-c", "hello"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("hello from the chisel"));
}

#[test]
fn world_writable_chisel_folder_is_refused() {
    let root = setup("world_writable");
    let dir = root.join("chisels");
    chmod(&dir, 0o777);
    let out = run(&root, &["-c", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hello from the chisel"), "the chisel ran");
    let shown = std::fs::canonicalize(&dir).unwrap();
    assert!(err.contains(&format!("{} is writable by everyone (mode 0777)", shown.display())), "{err}");
    // -cl skips the folder with a warning instead of running its chisels.
    let out = run(&root, &["-cl"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("is writable by everyone"), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("prints hello"));
}

#[test]
fn world_writable_folder_above_is_refused() {
    let root = setup("parent_writable");
    chmod(&root, 0o777);
    let out = run(&root, &["-c", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = std::fs::canonicalize(&root).unwrap();
    assert!(stderr(&out).contains(&format!("{} is writable by everyone", shown.display())), "{}", stderr(&out));
    chmod(&root, 0o755);
}

#[test]
fn sticky_world_writable_folder_is_accepted() {
    // Like /tmp: others cannot replace entries they do not own.
    let root = setup("sticky");
    chmod(&root, 0o1777);
    let out = run(&root, &["-c", "hello"]);
    assert!(out.status.success(), "{}", stderr(&out));
    chmod(&root, 0o755);
}

#[test]
fn world_writable_chisel_file_is_refused() {
    let root = setup("file_writable");
    let f = root.join("chisels/hello.lua");
    chmod(&f, 0o666);
    let out = run(&root, &["-c", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = std::fs::canonicalize(&f).unwrap();
    assert!(stderr(&out).contains(&format!("{} is writable by everyone (mode 0666)", shown.display())), "{}", stderr(&out));
}

#[test]
fn chisel_file_owned_by_another_user_is_refused() {
    let root = setup("foreign_owner");
    let f = root.join("chisels/hello.lua");
    if !chown(&f, 12345, 12345) {
        println!("skipping: chown needs root");
        return;
    }
    let out = run(&root, &["-c", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = std::fs::canonicalize(&f).unwrap();
    assert!(stderr(&out).contains(&format!("{} is owned by uid 12345", shown.display())), "{}", stderr(&out));
    // By path too.
    let out = run(&root, &["-c", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is owned by uid 12345"), "{}", stderr(&out));
}

#[test]
fn folder_writable_by_a_foreign_group_is_refused() {
    let root = setup("foreign_group");
    let dir = root.join("chisels");
    if !chown(&dir, 0, 12345) {
        println!("skipping: chown needs root");
        return;
    }
    chmod(&dir, 0o775);
    let out = run(&root, &["-c", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is writable by group 12345 (mode 0775)"), "{}", stderr(&out));
}

#[test]
fn unknown_chisel_points_at_cl_and_the_folders() {
    let root = setup("unknown");
    let out = run(&root, &["-c", "nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("can't open file nosuch\n"), "{err}");
    assert!(err.contains("./chisels/"), "{err}");
    assert!(err.contains("use -cl to list the available chisels"), "{err}");
}
