//! Path joining and normalization exactly as sysdig does it
//! (`sinsp_utils::concatenate_paths` + `copy_and_sanitize_path`).

/// sysdig's path buffer size (SCAP_MAX_PATH_SIZE).
const MAX_PATH: usize = 1024;

/// True for bytes sysdig replaces/removes as non-printable.
#[inline]
pub fn invalid_char(c: u8) -> bool {
    !(0x20..0x7f).contains(&c)
}

/// Removes non-printable bytes, as sysdig's `sanitize_string`.
pub fn sanitize(s: &[u8]) -> String {
    s.iter().filter(|&&c| !invalid_char(c)).map(|&c| c as char).collect()
}

/// Strips a trailing NUL (and anything after the first NUL).
#[inline]
pub fn cstr(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(p) => &b[..p],
        None => b,
    }
}

/// Joins `dir` and `path` (absolute paths ignore `dir`) and normalizes
/// `.`/`..`/`//`, replacing non-printable bytes with `.`.
pub fn concatenate(dir: &[u8], path: &[u8]) -> String {
    let path = cstr(path);
    // sysdig compares against the raw parameter length (which includes the NUL).
    if MAX_PATH < dir.len() + path.len() + 2 {
        return "/PATH_TOO_LONG".to_string();
    }
    let mut out: Vec<u8> = Vec::with_capacity(dir.len() + path.len() + 1);
    let base = 0usize;
    if !path.is_empty() && path[0] != b'/' {
        out.extend_from_slice(dir);
        // A NUL inside dir ends the C string.
        if let Some(p) = out.iter().position(|&c| c == 0) {
            out.truncate(p);
        }
    }
    if is_plain(path) {
        // Nothing to normalize: the copy is the answer.
        out.extend_from_slice(path);
    } else {
        copy_and_sanitize(&mut out, base, path);
    }
    // Bytes are taken as Latin-1 characters; ASCII (the usual case) is
    // already valid text and needs no conversion.
    if out.is_ascii() {
        return String::from_utf8(out).unwrap_or_default();
    }
    out.into_iter().map(|c| c as char).collect()
}

/// True when `copy_and_sanitize` would copy `path` unchanged: printable
/// bytes only, no `//`, no trailing `/`, and every `.` followed by a byte
/// other than `.` and `/` (sysdig's rules act on `..`, `./` and a final `.`
/// wherever they appear).
fn is_plain(path: &[u8]) -> bool {
    let Some(&last) = path.last() else { return false };
    if last == b'/' || last == b'.' {
        return false;
    }
    let mut prev = 0u8;
    for &c in path {
        if invalid_char(c) || (c == b'/' && prev == b'/') || (prev == b'.' && (c == b'.' || c == b'/')) {
            return false;
        }
        prev = c;
    }
    true
}

/// Moves the write cursor back to the previous separator.
fn rewind(out: &mut Vec<u8>, base: usize) {
    if out.len() <= base + 1 {
        return;
    }
    out.pop();
    while out.len() > base + 1 && out[out.len() - 1] != b'/' {
        out.pop();
    }
    // sysdig's loop also stops when reaching base+1 after checking the char
    // before the cursor; the cursor never goes below base+1 here.
}

fn copy_and_sanitize(out: &mut Vec<u8>, base: usize, path: &[u8]) {
    let mut i = 0usize;
    let at = |k: usize| -> u8 { path.get(k).copied().unwrap_or(0) };
    loop {
        let c = at(i);
        if c == 0 {
            if out.len() > base + 1 && out[out.len() - 1] == b'/' {
                out.pop();
            }
            return;
        }
        if invalid_char(c) {
            out.push(b'.');
            i += 1;
        } else if c == b'.' && at(i + 1) == b'.' && at(i + 2) == b'/' {
            rewind(out, base);
            i += 3;
        } else if c == b'.' && at(i + 1) == b'.' {
            if at(i + 2) == 0 {
                rewind(out, base);
                i += 2;
            } else {
                out.extend_from_slice(b"..");
                i += 2;
            }
        } else if c == b'.' && at(i + 1) == b'/' {
            i += 2;
        } else if c == b'.' {
            if at(i + 1) != 0 {
                out.push(b'.');
            }
            i += 1;
        } else if c == b'/' {
            if out.len() > base && out[out.len() - 1] == b'/' {
                i += 1;
            } else {
                out.push(b'/');
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::concatenate;

    #[test]
    fn joins_and_normalizes() {
        assert_eq!(concatenate(b"/home/u/", b"a.txt\0"), "/home/u/a.txt");
        assert_eq!(concatenate(b"/home/u/", b"/etc/ld.so.cache\0"), "/etc/ld.so.cache");
        assert_eq!(concatenate(b"/home/u/", b"../x\0"), "/home/x");
        assert_eq!(concatenate(b"/home/u/", b"./x//y/\0"), "/home/u/x/y");
        assert_eq!(concatenate(b"/", b"..\0"), "/");
        assert_eq!(concatenate(b"/a/b/", b"..\0"), "/a");
        assert_eq!(concatenate(b"/a/", b".\0"), "/a");
        assert_eq!(concatenate(b"/a/", b"x\x01y\0"), "/a/x.y");
    }

    /// The plain-path shortcut agrees with the full normalization on every
    /// path built from a small alphabet of troublesome bytes.
    #[test]
    fn plain_shortcut_agrees_with_normalization() {
        let alphabet: &[u8] = b"a./\x01";
        let mut paths: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for p in &paths {
                for &c in alphabet {
                    let mut q = p.clone();
                    q.push(c);
                    next.push(q);
                }
            }
            paths.extend(next.iter().cloned());
            paths.dedup();
            if paths.len() > 5000 {
                break;
            }
        }
        for p in &paths {
            for dir in [&b"/home/u/"[..], b"/", b"/x", b""] {
                let mut slow = Vec::new();
                if !p.is_empty() && p[0] != b'/' {
                    slow.extend_from_slice(dir);
                }
                super::copy_and_sanitize(&mut slow, 0, p);
                if super::is_plain(p) {
                    let mut fast = Vec::new();
                    if p[0] != b'/' {
                        fast.extend_from_slice(dir);
                    }
                    fast.extend_from_slice(p);
                    assert_eq!(fast, slow, "dir {dir:?} path {p:?}");
                }
            }
        }
    }
}
