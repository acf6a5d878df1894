//! Where chisels are looked up (sysdig's chisel directory list).

use std::path::{Path, PathBuf};

/// The chisel directories, in lookup order. Each ends with `/`, except the
/// empty entry that stands for "the name as given".
pub fn chisel_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    // Environment directories are front-added one by one, so the last listed is searched first.
    for var in ["RCHISEL_CHISEL_DIR", "SYSDIG_CHISEL_DIR"] {
        if let Ok(v) = std::env::var(var) {
            for d in v.split(';').rev() {
                let d = d.trim();
                if !d.is_empty() {
                    dirs.push(with_slash(d));
                }
            }
        }
    }
    dirs.push(String::new());
    dirs.push("./chisels/".into());
    if let Ok(home) = std::env::var("HOME") {
        dirs.push(with_slash(&format!("{home}/.chisels")));
    } else {
        dirs.push("~/.chisels/".into());
    }
    if let Some(d) = exe_chisel_dir() {
        dirs.push(d);
    }
    dirs.push(with_slash(concat!(env!("CARGO_MANIFEST_DIR"), "/chisels")));
    dirs.push("/usr/share/rchisel/chisels/".into());
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

fn with_slash(d: &str) -> String {
    if d.ends_with('/') { d.to_string() } else { format!("{d}/") }
}

/// `share/rchisel/chisels` next to an installed binary (`PREFIX/bin/rchisel`).
fn exe_chisel_dir() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let prefix = exe.parent()?.parent()?;
    let d = prefix.join("share/rchisel/chisels");
    if d.is_dir() { Some(with_slash(&d.to_string_lossy())) } else { None }
}

/// Finds the file of chisel `name`: for each directory, `NAME.lua` then `NAME`.
pub fn find_chisel(name: &str, dirs: &[String]) -> Option<PathBuf> {
    let name = name.trim();
    for d in dirs {
        for cand in [format!("{d}{name}.lua"), format!("{d}{name}")] {
            let p = Path::new(&cand);
            if p.is_file() {
                return Some(p.to_path_buf());
            }
        }
    }
    None
}

/// The `package.path` additions: each directory followed by `?.lua`.
pub fn package_path(dirs: &[String]) -> String {
    let mut s = String::new();
    for d in dirs {
        s.push(';');
        s.push_str(d);
        s.push_str("?.lua");
    }
    s
}
