//! Command-line flags, filter and format cases run through a live sysdig
//! 0.29.3 and through rchisel on the same capture; the cases are data:
//! tests/data/cli_vs_sysdig.tsv (id, trace, what to compare, arguments).
//! Skips when sysdig is not installed; cases on ../shared traces skip when
//! those are absent.

use std::path::PathBuf;
use std::process::{Command, Output};

mod common;
use common::{have_sysdig, shared};

struct Case {
    id: String,
    trace: String,
    compare: String,
    args: Vec<String>,
}

/// Splits on spaces; `'...'` keeps spaces (no escapes).
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            _ => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn cases() -> Vec<Case> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/cli_vs_sysdig.tsv");
    let text = std::fs::read_to_string(&p).expect("tests/data/cli_vs_sysdig.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            assert_eq!(f.len(), 4, "bad case line: {l}");
            Case { id: f[0].into(), trace: f[1].into(), compare: f[2].into(), args: split_args(f[3]) }
        })
        .collect()
}

fn trace_path(name: &str) -> Option<PathBuf> {
    let local = |f: &str| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces").join(f);
    let p = match name {
        "curl" => shared()?.join("traces/curl_google.scap"),
        "ipv6" => shared()?.join("traces/test_ipv6_client.scap"),
        "fd_leak" => local("fd_leak.scap"),
        "port" => local("port_conflict.scap"),
        "password" => local("password.scap"),
        _ => panic!("unknown trace {name}"),
    };
    p.is_file().then_some(p)
}

fn run(bin: &str, trace: &PathBuf, args: &[String]) -> Output {
    Command::new(bin)
        .env("TZ", "UTC")
        .env_remove("SYSDIG_K8S_API")
        .env_remove("SYSDIG_MESOS_API")
        .arg("-r")
        .arg(trace)
        .args(args)
        .output()
        .expect("run")
}

fn first_line(b: &[u8]) -> String {
    String::from_utf8_lossy(b).lines().next().unwrap_or("").to_string()
}

/// What differs between sysdig's and rchisel's run, if anything.
fn differs(c: &Case, s: &Output, o: &Output) -> Option<String> {
    let mut why = Vec::new();
    if s.status.code() != o.status.code() {
        why.push(format!("exit sysdig {:?} rchisel {:?}", s.status.code(), o.status.code()));
    }
    if s.stdout != o.stdout {
        let (sl, ol) = (String::from_utf8_lossy(&s.stdout), String::from_utf8_lossy(&o.stdout));
        let at = sl.lines().zip(ol.lines()).position(|(a, b)| a != b).unwrap_or(sl.lines().count().min(ol.lines().count()));
        why.push(format!(
            "stdout ({} vs {} lines), first difference at line {}:\n    sysdig:  {:.160}\n    rchisel: {:.160}",
            sl.lines().count(),
            ol.lines().count(),
            at + 1,
            sl.lines().nth(at).unwrap_or("<none>"),
            ol.lines().nth(at).unwrap_or("<none>")
        ));
    }
    match c.compare.as_str() {
        "all" if s.stderr != o.stderr => why.push(format!(
            "stderr:\n    sysdig:  {:?}\n    rchisel: {:?}",
            String::from_utf8_lossy(&s.stderr),
            String::from_utf8_lossy(&o.stderr)
        )),
        "err1" if first_line(&s.stderr) != first_line(&o.stderr) => why.push(format!(
            "first stderr line:\n    sysdig:  {}\n    rchisel: {}",
            first_line(&s.stderr),
            first_line(&o.stderr)
        )),
        "all" | "err1" | "out" => {}
        other => panic!("{}: unknown compare mode {other}", c.id),
    }
    (!why.is_empty()).then(|| why.join("\n  "))
}

#[test]
fn cli_cases_agree_with_sysdig() {
    if !have_sysdig() {
        return;
    }
    let ours = env!("CARGO_BIN_EXE_rchisel");
    let (mut ran, mut skipped, mut failures) = (0, 0, Vec::new());
    for c in cases() {
        let Some(t) = trace_path(&c.trace) else {
            skipped += 1;
            continue;
        };
        let s = run("sysdig", &t, &c.args);
        let o = run(ours, &t, &c.args);
        ran += 1;
        if let Some(why) = differs(&c, &s, &o) {
            failures.push(format!("{} ({} {:?}):\n  {why}", c.id, c.trace, c.args));
        }
    }
    println!("{ran} cases run, {skipped} skipped (trace absent)");
    assert!(ran > 0 || skipped > 0, "no case in the table");
    assert!(failures.is_empty(), "{} of {ran} cases differ from sysdig:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn arguments_split_like_the_table_says() {
    assert_eq!(split_args("-p '%evt.num %fd.name' a=b"), ["-p", "%evt.num %fd.name", "a=b"]);
    assert_eq!(split_args("-n 5"), ["-n", "5"]);
    assert_eq!(split_args("''"), [""]);
}
