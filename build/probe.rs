//! Compiles probe/rchisel.bpf.c with clang (CO-RE) into OUT_DIR/rchisel.bpf.o.
//!
//! `vmlinux.h` comes from `probe/vmlinux.h` when present, otherwise it is
//! generated once into OUT_DIR with `bpftool btf dump file /sys/kernel/btf/vmlinux
//! format c`. When clang or bpftool is missing the build still succeeds: an empty
//! object is embedded and `RCHISEL_PROBE_ERROR` carries the reason, which live
//! capture reports at run time. Set `RCHISEL_REQUIRE_PROBE=1` to make that a
//! build error instead (CI does).

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn build() {
    println!("cargo:rerun-if-changed=probe");
    println!("cargo:rerun-if-env-changed=RCHISEL_REQUIRE_PROBE");
    println!("cargo:rerun-if-env-changed=CLANG");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let obj = out.join("rchisel.bpf.o");
    match compile(&out, &obj) {
        Ok(()) => println!("cargo:rustc-env=RCHISEL_PROBE_ERROR="),
        Err(why) => {
            if std::env::var_os("RCHISEL_REQUIRE_PROBE").is_some_and(|v| v != "0") {
                panic!("eBPF probe build failed: {why}");
            }
            println!("cargo:warning=live capture disabled: {why}");
            std::fs::write(&obj, b"").expect("write empty probe object");
            let one_line = why.replace(['\n', '\r'], " ");
            println!("cargo:rustc-env=RCHISEL_PROBE_ERROR={one_line}");
        }
    }
}

fn compile(out: &Path, obj: &Path) -> Result<(), String> {
    let probe = Path::new("probe");
    let incdir = if probe.join("vmlinux.h").exists() {
        probe.to_path_buf()
    } else {
        let vm = out.join("vmlinux.h");
        if !vm.exists() {
            let o = Command::new("bpftool")
                .args(["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"])
                .output()
                .map_err(|e| format!("cannot run bpftool to generate vmlinux.h ({e}); install bpftool or add probe/vmlinux.h"))?;
            if !o.status.success() {
                return Err(format!(
                    "bpftool could not dump /sys/kernel/btf/vmlinux: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
            std::fs::write(&vm, &o.stdout).map_err(|e| format!("write vmlinux.h: {e}"))?;
        }
        out.to_path_buf()
    };
    let clang = std::env::var("CLANG").unwrap_or_else(|_| "clang".into());
    let o = Command::new(&clang)
        .args(["-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-Wall", "-Wno-unused-function"])
        .arg("-I")
        .arg(&incdir)
        .arg("-I")
        .arg(probe)
        .arg("-c")
        .arg(probe.join("rchisel.bpf.c"))
        .arg("-o")
        .arg(obj)
        .output()
        .map_err(|e| format!("cannot run {clang} ({e}); install clang and libbpf-dev"))?;
    if !o.status.success() {
        return Err(format!("{clang} failed: {}", String::from_utf8_lossy(&o.stderr).trim()));
    }
    Ok(())
}
