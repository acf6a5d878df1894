//! `fnmatch(pattern, string, 0)` semantics, without allocation.
//!
//! `*` matches any run of bytes (including `/`), `?` any one byte,
//! `[...]` a byte class (`!` or `^` negates, `a-z` ranges, `]` first is
//! literal), `\c` the byte `c`. A `[` without a closing `]` is literal.

/// Whether `text` matches the glob `pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Backtrack point: pattern index after the last `*`, and text index it
    // is currently matched up to.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p + 1, t));
                    p += 1;
                    continue;
                }
                c if t < text.len() => {
                    if let Some(next) = single(pattern, p, c, text[t]) {
                        p = next;
                        t += 1;
                        continue;
                    }
                }
                _ => {}
            }
        } else if t == text.len() {
            return true;
        }
        // Mismatch: let the last `*` swallow one more byte.
        match star {
            Some((sp, st)) if st < text.len() => {
                star = Some((sp, st + 1));
                p = sp;
                t = st + 1;
            }
            _ => return false,
        }
    }
}

/// Matches one pattern element at `p` (first byte `c`) against byte `b`;
/// returns the index after the element on success.
fn single(pattern: &[u8], p: usize, c: u8, b: u8) -> Option<usize> {
    match c {
        b'?' => Some(p + 1),
        b'\\' if p + 1 < pattern.len() => (pattern[p + 1] == b).then_some(p + 2),
        b'[' => match class(pattern, p, b) {
            Some((matched, next)) => matched.then_some(next),
            None => (b == b'[').then_some(p + 1),
        },
        _ => (c == b).then_some(p + 1),
    }
}

/// Parses the bracket expression at `p`; `None` if it is not closed.
fn class(pattern: &[u8], p: usize, b: u8) -> Option<(bool, usize)> {
    let mut i = p + 1;
    let negate = matches!(pattern.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &c = pattern.get(i)?;
        if c == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let (lo, after) = if c == b'\\' {
            (*pattern.get(i + 1)?, i + 2)
        } else {
            (c, i + 1)
        };
        if pattern.get(after) == Some(&b'-') && pattern.get(after + 1).is_some_and(|&x| x != b']') {
            let (hi, after2) = if pattern[after + 1] == b'\\' {
                (*pattern.get(after + 2)?, after + 3)
            } else {
                (pattern[after + 1], after + 2)
            };
            if lo <= b && b <= hi {
                matched = true;
            }
            i = after2;
        } else {
            if lo == b {
                matched = true;
            }
            i = after;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match as g;

    #[test]
    fn basics() {
        assert!(g(b"c*", b"curl"));
        assert!(g(b"*", b""));
        assert!(g(b"*rl", b"curl"));
        assert!(!g(b"*rx", b"curl"));
        assert!(g(b"c?rl", b"curl"));
        assert!(!g(b"c?rl", b"crl"));
        assert!(g(b"/etc/*", b"/etc/a/b"));
        assert!(g(b"[a-c]url", b"curl"));
        assert!(!g(b"[!a-c]url", b"curl"));
        assert!(g(b"[^x]url", b"curl"));
        assert!(g(b"[]]x", b"]x"));
        assert!(g(b"a[b", b"a[b"));
        assert!(g(b"\\*", b"*"));
        assert!(!g(b"\\*", b"a"));
        assert!(g(b"*a*b*c", b"xxaybzzc"));
        assert!(!g(b"*a*b*c", b"xxaybzz"));
        assert!(g(b"", b""));
        assert!(!g(b"", b"a"));
    }
}
