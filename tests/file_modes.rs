//! Captures hold every byte processes read and wrote: files rchisel creates
//! (captures, rotated pieces, files chisels write) are 0600 unless the user
//! asks for another mode (`--file-mode`, `RCHISEL_FILE_MODE`).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("file_modes").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn trace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces/password.scap")
}

fn rchisel(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rchisel"));
    c.env_remove("RCHISEL_FILE_MODE").arg("-r").arg(trace()).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn capture_is_private_by_default() {
    let d = tmp("default");
    let w = d.join("cap.scap");
    let out = rchisel(&["-w", w.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&w), 0o600);
    // An existing world-readable file is made private when overwritten.
    std::fs::set_permissions(&w, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = rchisel(&["-w", w.to_str().unwrap(), "-z"], &[]);
    assert!(out.status.success());
    assert_eq!(mode(&w), 0o600);
}

#[test]
fn rotated_pieces_are_private() {
    let d = tmp("rotated");
    let w = d.join("piece.scap");
    let out = rchisel(&["-w", w.to_str().unwrap(), "-e", "100"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pieces: Vec<_> = std::fs::read_dir(&d).unwrap().flatten().map(|e| e.path()).collect();
    assert!(pieces.len() > 2, "expected several pieces, got {pieces:?}");
    for p in pieces {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[test]
fn the_user_may_ask_for_another_mode() {
    let d = tmp("asked");
    let a = d.join("a.scap");
    let out = rchisel(&["--file-mode", "0640", "-w", a.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&a), 0o640);
    let b = d.join("b.scap");
    let out = rchisel(&["-w", b.to_str().unwrap()], &[("RCHISEL_FILE_MODE", "644")]);
    assert!(out.status.success());
    assert_eq!(mode(&b), 0o644);
    let out = rchisel(&["--file-mode", "rw", "-w", d.join("c.scap").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid file mode rw"));
}

#[test]
fn files_written_by_chisels_are_private() {
    let d = tmp("chisel");
    let chisel = d.join("dump_it.lua");
    std::fs::write(
        &chisel,
        "description = \"writes a file\"; short_description = \"w\"; category = \"Tests\"\nargs = {}\n\
         function on_capture_end() local f = io.open(os.getenv(\"DUMP_TO\"), \"w\") f:write(\"x\") f:close() return true end\n",
    )
    .unwrap();
    std::fs::set_permissions(&chisel, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out_file = d.join("dump.txt");
    let out = rchisel(&["-c", chisel.to_str().unwrap()], &[("DUMP_TO", out_file.to_str().unwrap())]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&out_file), 0o600);
}
