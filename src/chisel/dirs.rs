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

/// Refuses a chisel file or folder that someone other than the invoking user
/// or root could have written (as ssh and sudo treat their files): the path
/// itself and every folder above it must be owned by root or the user, and
/// writable by no one else. A world- or group-writable folder passes only
/// with the sticky bit (like /tmp), where others cannot replace our entries;
/// a group-writable one also when the group is root's or the user's own.
/// The error names the offending path.
pub fn check_trusted(path: &Path) -> Result<(), String> {
    let full = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cur: Option<&Path> = Some(full.as_path());
    while let Some(p) = cur {
        if let Some(why) = untrusted_reason(p) {
            return Err(format!(
                "refusing to load chisels from {}: {} {why}; only root or the user running rchisel may be able to write it",
                path.display(),
                p.display()
            ));
        }
        cur = p.parent();
    }
    Ok(())
}

/// Why `p` (one path, not its parents) cannot be trusted, if it cannot.
fn untrusted_reason(p: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::metadata(p).ok()?;
    // SAFETY: these calls only read the process's credentials.
    let (uid, euid, egid) = unsafe { (libc::getuid(), libc::geteuid(), libc::getegid()) };
    let owner = md.uid();
    if owner != 0 && owner != uid && owner != euid {
        return Some(format!("is owned by uid {owner}"));
    }
    let mode = md.mode();
    let sticky_dir = md.is_dir() && mode & 0o1000 != 0;
    if mode & 0o002 != 0 && !sticky_dir {
        return Some(format!("is writable by everyone (mode {:04o})", mode & 0o7777));
    }
    if mode & 0o020 != 0 && !sticky_dir && md.gid() != 0 && md.gid() != egid {
        return Some(format!("is writable by group {} (mode {:04o})", md.gid(), mode & 0o7777));
    }
    None
}

/// The chisel folders that exist and fail [`check_trusted`], with the reason.
pub fn untrusted_dirs(dirs: &[String]) -> Vec<String> {
    dirs.iter()
        .filter(|d| !d.is_empty() && Path::new(d.as_str()).is_dir())
        .filter_map(|d| check_trusted(Path::new(d.as_str())).err())
        .collect()
}

/// Where `-c NAME` looked, for the message of a chisel not found.
pub fn searched(dirs: &[String]) -> String {
    dirs.iter().filter(|d| !d.is_empty()).map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
}
