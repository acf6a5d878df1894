//! What a CLI user expects beyond sysdig: completions and a man page from the
//! parser's own definitions, `-h` sections, colours only on a terminal and
//! never with NO_COLOR.

use std::path::PathBuf;
use std::process::{Command, Output};

fn rchisel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rchisel")).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn completions_for_three_shells() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef rchisel"), ("fish", "complete -c rchisel")] {
        let out = rchisel(&["--completions", shell]);
        assert!(out.status.success(), "{shell}");
        let s = text(&out.stdout);
        assert!(s.contains(marker), "{shell}: {s:.200}");
        for flag in ["suppress-comm", "page-faults", "file-mode", "libs-version"] {
            assert!(s.contains(flag), "{shell} completion lacks --{flag}");
        }
    }
    let out = rchisel(&["--completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn man_page_from_the_same_definitions() {
    let out = rchisel(&["--man"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains(".TH rchisel 1"), "{s:.200}");
    for flag in ["suppress\\-comm", "k8s\\-api", "cri\\-timeout", "Output format:", "Examples:"] {
        assert!(s.contains(flag), "man page lacks {flag}");
    }
}

#[test]
fn help_has_output_format_and_examples() {
    let out = rchisel(&["-h"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    for part in ["Output format:", "Examples:", "Environment:", "NO_COLOR", "-pk/-pkubernetes", "openat"] {
        assert!(s.contains(part), "-h lacks {part}");
    }
}

/// Runs under a pseudo-terminal (`script`), so stdout is a tty.
fn on_tty(no_color: bool) -> Option<String> {
    let trace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces/fd_leak.scap");
    let cmd = format!("{} -r {} -n 3", env!("CARGO_BIN_EXE_rchisel"), trace.display());
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"]).env("TZ", "UTC").env_remove("NO_COLOR");
    if no_color {
        c.env("NO_COLOR", "1");
    }
    let out = c.output().ok()?;
    out.status.success().then(|| text(&out.stdout))
}

#[test]
fn colours_on_a_terminal_unless_no_color() {
    let Some(colour) = on_tty(false) else {
        println!("skipping: script(1) not available");
        return;
    };
    // sysdig's terminal format: coloured names, pid.tid, a final reset.
    assert!(colour.contains("\x1b[01;32m"), "{colour:?}");
    assert!(colour.contains("\x1b[00m"));
    let plain = on_tty(true).unwrap();
    assert!(!plain.contains('\x1b'), "{plain:?}");
    // Not a terminal: never coloured.
    let trace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces/fd_leak.scap");
    let out = rchisel(&["-r", trace.to_str().unwrap(), "-n", "3"]);
    assert!(!text(&out.stdout).contains('\x1b'));
}

/// Found by the `format` fuzz target: a width past any int made the printer
/// try to allocate a line of that size (capacity overflow panic). It is now
/// a format error; ordinary widths still pad and cut.
#[test]
fn huge_field_width_is_a_format_error() {
    let trace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces/fd_leak.scap");
    let trace = trace.to_str().unwrap();
    let out = rchisel(&["-r", trace, "-p", "%evt.num %77777777777777777777777777evt.arg[0]"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("field width 77777777777777777777777777 is larger than"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let out = rchisel(&["-r", trace, "-n", "3", "-p", "[%6evt.num][%2evt.type]"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let first = s.lines().next().unwrap_or_default();
    assert!(first.starts_with("[1     ]["), "{s}");
    assert_eq!(first.len(), "[1     ][xx]".len(), "{s}");
}
