//! Scheduler-derived fields against sysdig 0.29.3 on the shared traces:
//! `thread.exectime` / `thread.totexectime` (from switch events),
//! `thread.cpu*` (from procinfo events) and the CPU chisels built on them.
//! Skips (with a message) without the traces or sysdig.

mod common;

use std::path::Path;

const OURS: &str = env!("CARGO_BIN_EXE_rchisel");

fn run(bin: &str, trace: &Path, args: &[&str]) -> String {
    common::read_capture(bin, trace, args)
}

fn setup() -> Option<std::path::PathBuf> {
    let t = common::shared_trace("curl_google.scap")?;
    common::have_sysdig().then_some(t)
}

fn same(trace: &Path, args: &[&str]) -> String {
    let ours = run(OURS, trace, args);
    let theirs = run("sysdig", trace, args);
    assert_eq!(ours, theirs, "rchisel and sysdig differ for {args:?}");
    ours
}

#[test]
fn exectime_and_cpu_fields_match_sysdig() {
    let Some(t) = setup() else { return };
    let out = same(&t, &["-p", "*%evt.num %thread.tid %thread.exectime %thread.totexectime %thread.cpu %thread.cpu.user %thread.cpu.system"]);
    // The trace has 25 switch events: the values are not all zero.
    assert!(out.lines().any(|l| l.split(' ').nth(2).is_some_and(|v| v != "0")), "no nonzero exectime");
    // Two uses of the same field keep separate histories, as in libsinsp.
    same(&t, &["-p", "%evt.num %thread.totexectime %thread.totexectime %thread.exectime", "evt.type=switch"]);
    // sysdig extracts every field of a format, even after a missing one.
    same(&t, &["-p", "%evt.num %fd.name %thread.totexectime %thread.exectime"]);
    // With -j, a present value is read twice.
    same(&t, &["-j", "-p", "*%evt.num %thread.exectime %thread.totexectime %thread.cpu"]);
    // Filtering on them: each filter term has its own history too.
    same(&t, &["-p", "%evt.num %thread.exectime", "thread.exectime > 300000"]);
    same(&t, &["-p", "%evt.num %thread.totexectime", "thread.totexectime > 1000000 and evt.type != switch"]);
}

#[test]
fn procinfo_events_match_sysdig_with_debug() {
    let Some(t) = setup() else { return };
    let out = same(&t, &["-D", "-p", "*%evt.num %evt.cpu %thread.tid %proc.name %evt.args %thread.cpu %thread.cpu.user %thread.cpu.system", "evt.type=procinfo"]);
    assert!(out.lines().count() > 50, "expected the trace's procinfo events:\n{out}");
}

/// Rows of a top table valued above its last row, and the number of rows (sysdig
/// orders tied rows differently from run to run, and cuts them at 10).
fn rows(out: &str) -> (Vec<String>, usize) {
    let body: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    let pct = |l: &str| l.split('%').next().and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0);
    // The table is cut at N rows: rows tied with the last one may differ.
    let min = body.iter().map(|l| pct(l)).fold(f64::INFINITY, f64::min);
    let mut top: Vec<String> = body.iter().filter(|l| pct(l) > min).map(|s| s.to_string()).collect();
    top.sort();
    (top, body.len())
}

#[test]
fn cpu_chisels_match_sysdig() {
    let Some(t) = setup() else { return };
    let theirs = run("sysdig", &t, &["-c", "topprocs_cpu"]);
    let (want, n) = rows(&theirs);
    assert!(!want.is_empty(), "sysdig shows a nonzero row:\n{theirs}");
    for c in ["topprocs_cpu", "/usr/share/sysdig/chisels/topprocs_cpu.lua"] {
        let ours = run(OURS, &t, &["-c", c]);
        assert_eq!(rows(&ours), (want.clone(), n), "{c}:\n{ours}\nsysdig:\n{theirs}");
    }
    let theirs = run("sysdig", &t, &["-c", "topcontainers_cpu"]);
    let ours = run(OURS, &t, &["-c", "/usr/share/sysdig/chisels/topcontainers_cpu.lua"]);
    assert_eq!(ours, theirs);
}

/// A chisel reading thread.totexectime / thread.exectime on every event sees
/// what sysdig's chisels see (each requested field keeps its own history).
#[test]
fn chisel_exectime_fields_match_sysdig() {
    let Some(t) = setup() else { return };
    let dir = std::env::temp_dir().join(format!("rchisel-schedch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ch = dir.join("exectimes.lua");
    std::fs::write(
        &ch,
        r#"description = "t"; short_description = "t"; category = "t"; args = {}
function on_init()
  tot = chisel.request_field("thread.totexectime")
  ex = chisel.request_field("thread.exectime")
  num = chisel.request_field("evt.num")
  return true
end
function on_event()
  local v = evt.field(tot)
  if v ~= nil and v > 0 then print(evt.field(num), v, evt.field(ex)) end
  return true
end
"#,
    )
    .unwrap();
    let c = ch.to_str().unwrap();
    let out = same(&t, &["-c", c]);
    assert!(out.lines().count() > 100, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
