//! Chisel argument handling, as sysdig 0.29.3 does it on its command line.

/// One declared chisel argument (`args` table entry).
#[derive(Clone, Debug, Default)]
pub struct ArgDesc {
    pub name: String,
    pub argtype: String,
    pub description: String,
    pub optional: bool,
}

/// Splits the argument word into values: trimmed, split on spaces, with
/// `'...'` or `` `...` `` keeping a value together (the quotes are removed).
/// `None` when a quote is left open ("corrupted parameters").
pub fn split_args(word: &str) -> Option<Vec<String>> {
    let s = word.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c');
    let mut out = Vec::new();
    if s.is_empty() {
        return Some(out);
    }
    let b = s.as_bytes();
    let mut begin = 0usize;
    let mut inquotes = false;
    let mut correction = 0usize;
    let push = |begin: usize, end: usize, out: &mut Vec<String>| {
        let end = end.max(begin);
        out.push(String::from_utf8_lossy(&b[begin.min(b.len())..end.min(b.len())]).into_owned());
    };
    for (j, &c) in b.iter().enumerate() {
        if c == b' ' && !inquotes {
            push(begin, j - correction, &mut out);
            begin = j + 1;
            correction = 0;
        } else if c == b'\'' || c == b'`' {
            if inquotes {
                correction = 1;
                inquotes = false;
            } else {
                begin += 1;
                inquotes = true;
            }
        }
    }
    if inquotes {
        return None;
    }
    push(begin, b.len() - correction, &mut out);
    Some(out)
}

/// Whether the word after `-c NAME` is taken as the chisel's argument.
/// `rest` is the command line from that word on; `compiles` tells whether a
/// text is a valid filter. `Err` carries sysdig's message for a missing
/// required argument.
pub fn takes_next(args: &[ArgDesc], rest: &[String], compiles: &dyn Fn(&str) -> bool, chisel: &str) -> Result<bool, String> {
    if args.is_empty() {
        return Ok(false);
    }
    let nreq = args.iter().filter(|a| !a.optional).count();
    let Some(word) = rest.first() else {
        if nreq != 0 {
            return Err(format!("missing arguments for chisel {chisel}"));
        }
        return Ok(false);
    };
    if nreq != 0 {
        return Ok(true);
    }
    if word.starts_with('-') {
        return Ok(false);
    }
    if args.len() == 1 && args[0].argtype == "filter" {
        return Ok(true);
    }
    Ok(!compiles(&rest.join(" ")))
}

/// Checks the number of values against the declaration (sysdig's messages).
pub fn check_count(args: &[ArgDesc], n: usize, chisel: &str) -> Result<(), String> {
    let nreq = args.iter().filter(|a| !a.optional).count();
    let nopt = args.len() - nreq;
    if n < nreq {
        return Err(format!("wrong number of parameters for chisel {chisel}, {nreq} required, {n} given"));
    }
    if n > nreq + nopt {
        return Err(format!(
            "too many parameters for chisel {chisel}, {nreq} required, {nopt} optional, {n} given"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_sysdig() {
        assert_eq!(split_args("  a b  ").unwrap(), vec!["a", "b"]);
        assert_eq!(split_args("'x y' z").unwrap(), vec!["x y", "z"]);
        assert_eq!(split_args("`a b`").unwrap(), vec!["a b"]);
        assert_eq!(split_args("").unwrap(), Vec::<String>::new());
        assert!(split_args("'open").is_none());
        assert_eq!(split_args("a  b").unwrap(), vec!["a", "", "b"]);
    }
}
