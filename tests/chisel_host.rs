//! The chisel host on the real traces: the API tour chisel (every API
//! function and callback), errors, argument handling, `-cl`/`-i`, the
//! conformance chisel rows, and sysdig's own chisels run by path.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

mod common;
use common::shared;

fn trace(name: &str) -> Option<PathBuf> {
    let p = shared()?.join("traces").join(name);
    if p.is_file() { Some(p) } else { None }
}

fn rchisel(args: &[&str], chisel_dir: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rchisel"));
    c.args(args).env("TZ", "UTC").env_remove("SYSDIG_CHISEL_DIR").env_remove("RCHISEL_CHISEL_DIR");
    c.current_dir(crate_dir());
    if let Some(d) = chisel_dir {
        c.env("SYSDIG_CHISEL_DIR", d);
    }
    c.output().expect("run rchisel")
}

/// A trace of ../shared/traces or of the crate's traces/.
fn any_trace(name: &str) -> Option<PathBuf> {
    let own = crate_dir().join("traces").join(name);
    trace(name).or(own.is_file().then_some(own))
}

/// sysdig 0.29.3 is installed (the comparisons skip without it).
fn has_sysdig() -> bool {
    Command::new("sysdig").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn data_dir() -> PathBuf {
    crate_dir().join("tests/data")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Compares outputs line by line (reports the first difference).
fn assert_tour_eq(want: &str, got: &str) {
    for (i, (a, b)) in want.lines().zip(got.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs", i + 1);
    }
    assert_eq!(want.lines().count(), got.lines().count(), "line count differs\nwant:\n{want}\ngot:\n{got}");
}

#[test]
fn api_tour_matches_sysdig_on_curl_trace() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "api_tour", "'lbl x'"], Some(&data_dir()));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let want = std::fs::read_to_string(data_dir().join("api_tour.curl.out")).unwrap();
    let got = text(&out.stdout);
    // Arguments, formatter lines (on_event returned true), intervals and the
    // time-triggered end_capture, capture_end timestamps.
    assert!(got.contains("set_arg\tlabel\tlbl x\n"));
    assert!(got.contains("lbl x\tts\t3000000005\t1000000007\t999999993\n"));
    assert!(got.contains("lbl x\tnumbers\t3.5\t3\t9.007199254741e+15\t3\t1\t2\n"));
    assert!(got.contains("lbl x\tinterval\t1534527344\t999999999\t1000000000\t0\n"));
    // end_capture() in on_event stops before the formatter prints.
    assert!(!got.contains("lbl x 211 execve curl\n"));
    assert!(got.contains("lbl x\tend\t1534527348\t514632619\t5514632620\t1\t6\n"));
    assert_tour_eq(&want, &got);
}

#[test]
fn event_formatter_prints_when_on_event_returns_true() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "api_tour", "'lbl x' 7"], Some(&data_dir()));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let got = text(&out.stdout);
    let fmt: Vec<&str> = got.lines().filter(|l| l.starts_with("lbl x ")).collect();
    assert_eq!(fmt, ["lbl x 211 execve curl", "lbl x 213 brk curl", "lbl x 215 access curl"]);
    assert!(got.contains("lbl x\tevt\t219\topen\t<\tcurl\t17497\t/etc/ld.so.cache\t1.5345273485147e+18\t0\tfalse\t3\t3896\t219\t1534527348\t514682170\topen\t0\n"));
    assert!(got.contains("lbl x\tend\t1534527350\t999999999\t8000000000\t597\t8\n"));
    // The whole run, thread and fd tables included, as sysdig prints it.
    let want = std::fs::read_to_string(data_dir().join("api_tour7.curl.out")).unwrap();
    assert_tour_eq(&want, &got);
}

#[test]
fn exec_runs_another_chisel_with_the_arguments() {
    let Some(t) = trace("test_ipv6_client.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "exec_tour", "E"], Some(&data_dir()));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let want = std::fs::read_to_string(data_dir().join("exec_tour.ipv6.out")).unwrap();
    assert_tour_eq(&want, &text(&out.stdout));
}

#[test]
fn lua_error_names_file_and_line_and_still_ends_capture() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "bad_line"], Some(&data_dir()));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let file = data_dir().join("bad_line.lua");
    assert!(
        err.contains(&format!("bad_line chisel error: {}:8: attempt to index a nil value (local 't')", file.display())),
        "stderr: {err}"
    );
    assert_eq!(text(&out.stdout), "capture_end ran after the error\t10\n");
}

#[test]
fn on_event_is_looked_up_before_every_event() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    // on_event replaced by itself, then removed so that _G's __index hands
    // out another one, which installs a fourth; what they return decides
    // whether the formatter prints (0 and "" are true in Lua). sysdig 0.29.3
    // prints exactly this.
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "on_event_swap"], Some(&data_dir()));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let want = "2\n4\n6\n8\n10\n12\n15\n18\n24\n28\n35\n40\n45\ncalls\t10\t10\t10\t1506\tlookups\t10\n";
    assert_eq!(text(&out.stdout), want);
}

#[test]
fn error_of_the_globals_index_while_looking_up_on_event_is_reported() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    // A strict _G whose __index raises once on_event is gone: a chisel
    // error (sysdig also runs on_capture_end and exits 1), not an abort.
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "strict_on_event"], Some(&data_dir()));
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("strict_on_event chisel error: variable 'on_event' is not declared"), "stderr: {err}");
    assert_eq!(text(&out.stdout), "capture_end ran after the error\t5\n");
}

#[test]
fn argument_errors() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let t = t.to_str().unwrap();
    let d = data_dir();
    let cases: &[(&[&str], &str)] = &[
        (&["-c", "lsof", "a b c"], "too many parameters for chisel lsof, 0 required, 1 optional, 3 given"),
        (&["-c", "lsof", "'open"], "corrupted parameters for chisel lsof"),
        (&["-c", "fileslower"], "missing arguments for chisel fileslower"),
        (&["-c", "two_required", "x"], "wrong number of parameters for chisel two_required, 2 required, 1 given"),
        (&["-c", "nosuch"], "can't open file nosuch"),
        (&["-c", "fdbytes_by", "no.such.field"], "chisel requesting nonexistent field no.such.field\nfdbytes_by: error in init(): C++ exception"),
    ];
    for (args, msg) in cases {
        let mut a = vec!["-r", t];
        a.extend_from_slice(args);
        let out = rchisel(&a, Some(&d));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains(msg), "{args:?}: stderr {}", text(&out.stderr));
    }
    // A chisel whose init failed still gets on_capture_end (sysdig prints the table header).
    let out = rchisel(&["-r", t, "-c", "fdbytes_by", "no.such.field"], Some(&d));
    assert!(text(&out.stdout).starts_with("Bytes               no.such.field"));
    // As in sysdig, a chisel with required arguments takes the next word even
    // when it is an option.
    let out = rchisel(&["-r", t, "-c", "fdbytes_by", "-j", "fd.l4proto"], Some(&d));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("Bytes               -j"));
    assert!(text(&out.stderr).contains("chisel requesting nonexistent field -j"));
    let out = rchisel(&["-i", "nosuch"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("chisel nosuch not found - use -cl to list them."));
}

#[test]
fn optional_argument_or_filter() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let t = t.to_str().unwrap();
    // spy_users has only optional args: a valid filter after it is the filter...
    let a = rchisel(&["-r", t, "-c", "spy_users", "proc.name=bash"], None);
    assert!(a.status.success());
    // ...while a word that is not a filter is its argument.
    let b = rchisel(&["-r", t, "-c", "spy_users", "abc"], None);
    assert!(text(&b.stdout).contains("Input max_depth must be a number."));
}

#[test]
fn list_and_info_match_sysdig() {
    let sys = Path::new("/usr/share/sysdig/chisels");
    let have_sysdig = Command::new("sysdig").arg("--version").output().is_ok();
    if !sys.is_dir() || !have_sysdig {
        eprintln!("skipped: sysdig or its chisels not installed");
        return;
    }
    for args in [&["-cl"][..], &["-i", "lsof"], &["-i", "spy_file"], &["-i", "topscalls"]] {
        let want = Command::new("sysdig").args(args).current_dir("/").output().unwrap();
        let got = rchisel(args, Some(sys));
        assert_eq!(text(&want.stdout), text(&got.stdout), "{args:?}");
    }
}

/// Ids of the conformance cases that run a chisel.
fn chisel_rows(sh: &Path) -> Vec<String> {
    let cases = std::fs::read_to_string(sh.join("conformance/cases.tsv")).unwrap_or_default();
    cases
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() == 4 && shell_words(cols[3]).iter().any(|w| w == "-c")).then(|| cols[0].to_string())
        })
        .collect()
}

#[test]
fn conformance_chisel_rows() {
    let Some(sh) = shared() else {
        eprintln!("skipped: conformance data not found");
        return;
    };
    let check = sh.join("conformance/check");
    if !check.is_file() {
        eprintln!("skipped: no checker");
        return;
    }
    let rows = chisel_rows(&sh);
    assert!(!rows.is_empty());
    for id in &rows {
        let out = Command::new(&check)
            .args(["--bin", env!("CARGO_BIN_EXE_rchisel"), "--only", id])
            .current_dir(crate_dir())
            .output()
            .unwrap();
        let s = text(&out.stdout);
        assert!(s.contains(&format!("PASS {id}")), "{id}:\n{s}{}", text(&out.stderr));
    }
}

/// sysdig's own chisels (written for LuaJIT) run unmodified by path.
#[test]
fn sysdig_chisels_by_path() {
    let Some(sh) = shared() else {
        eprintln!("skipped: conformance data not found");
        return;
    };
    let dir = Path::new("/usr/share/sysdig/chisels");
    if !dir.is_dir() {
        eprintln!("skipped: sysdig's chisels not installed");
        return;
    }
    let rows = chisel_rows(&sh);
    let cases = std::fs::read_to_string(sh.join("conformance/cases.tsv")).unwrap();
    let mut n = 0;
    for line in cases.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 4 || !rows.contains(&cols[0].to_string()) {
            continue;
        }
        let (id, mode, tr, args) = (cols[0], cols[1], cols[2], cols[3]);
        let mut words = shell_words(args);
        let Some(i) = words.iter().position(|w| w == "-c") else { continue };
        words[i + 1] = format!("{}/{}.lua", dir.display(), words[i + 1]);
        let t = sh.join("traces").join(tr);
        let mut a = vec!["-r".to_string(), t.display().to_string()];
        a.extend(words);
        let a: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
        let out = rchisel(&a, None);
        let want = std::fs::read(sh.join("conformance/golden").join(format!("{id}.out"))).unwrap();
        let norm = |d: &[u8]| {
            let mut l: Vec<Vec<u8>> = d.split(|&b| b == b'\n').map(|x| x.to_vec()).collect();
            match mode {
                "sorted" => l.sort(),
                "header+sorted" if !l.is_empty() => l[1..].sort(),
                _ => {}
            }
            l
        };
        assert!(norm(&out.stdout) == norm(&want), "{id} by path: stderr {}", text(&out.stderr));
        n += 1;
    }
    assert!(n > 0);
}

/// Minimal shell word splitting for cases.tsv (single and double quotes).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut q: Option<char> = None;
    for c in s.chars() {
        match (q, c) {
            (Some(x), c) if c == x => q = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                q = Some(c);
                have = true;
            }
            (None, ' ') => {
                if have || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                have = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if have || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `sysdig.get_read_progress` follows the file: a percentage that never goes
/// back and reaches 100 at the end, as sysdig's does (its exact values depend
/// on read-ahead, so only the shape is compared).
#[test]
fn read_progress_grows_to_100() {
    // Twenty copies of one of our captures, concatenated (each copy is a
    // section of its own): large enough to be read in several pieces.
    let mut raw = Vec::new();
    let gz = std::fs::read(crate_dir().join("traces/live_storm.scap")).unwrap();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&gz[..]), &mut raw).unwrap();
    let big = std::env::temp_dir().join(format!("rchisel-progress-{}.scap", std::process::id()));
    std::fs::write(&big, raw.repeat(20)).unwrap();
    let script = data_dir().join("read_progress.lua");
    let out = rchisel(&["-r", big.to_str().unwrap(), "-c", script.to_str().unwrap()], None);
    let _ = std::fs::remove_file(&big);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let vals: Vec<f64> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("progress "))
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(vals.len() >= 3, "{vals:?}");
    assert!(vals.windows(2).all(|w| w[0] <= w[1]), "{vals:?}");
    assert!(vals[0] >= 0.0 && vals[0] < 100.0, "{vals:?}");
    assert_eq!(*vals.last().unwrap(), 100.0);
}

/// A gzip trace written out uncompressed, to a temporary file (removed by
/// the caller).
fn plain_copy(gz_trace: &Path, tag: &str) -> PathBuf {
    let gz = std::fs::read(gz_trace).unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&gz[..]), &mut raw).unwrap();
    let name = gz_trace.file_name().unwrap().to_string_lossy();
    let out = std::env::temp_dir().join(format!("rchisel-plain-{tag}-{}-{name}", std::process::id()));
    std::fs::write(&out, raw).unwrap();
    out
}

/// sysdig's `get_read_progress` at each event: the offset libscap reports
/// for the event being processed (zlib's: for the gzip traces the
/// compressed offset, for their uncompressed copies the file offset in
/// zlib's read steps), the same number at every event as sysdig's.
#[test]
fn read_progress_matches_sysdig_at_every_event() {
    if !has_sysdig() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let script = data_dir().join("progress_steps.lua");
    let mut n = 0;
    for name in ["curl_google.scap", "test_ipv6_client.scap", "password.scap", "port_conflict.scap"] {
        let Some(t) = any_trace(name) else { continue };
        let plain = plain_copy(&t, "sysdig");
        for (f, what) in [(&t, "gzip"), (&plain, "plain")] {
            let args = ["-r", f.to_str().unwrap(), "-c", script.to_str().unwrap()];
            let want = Command::new("sysdig").args(args).output().expect("run sysdig");
            let got = rchisel(&args, None);
            assert!(got.status.success(), "{}", text(&got.stderr));
            assert_eq!(text(&got.stdout), text(&want.stdout), "{name} ({what})");
            assert!(text(&got.stdout).lines().count() > 2, "{name} ({what}): {}", text(&got.stdout));
        }
        let _ = std::fs::remove_file(&plain);
        n += 1;
    }
    if n == 0 {
        eprintln!("skipped: traces not found");
    }
}

/// On an uncompressed capture, sysdig's progress is zlib's file offset:
/// 16 KiB reads counted from the first event block, where libscap seeks
/// back after the header blocks (curl_google.scap uncompressed: 146,220
/// bytes, first event block at 54,588; sysdig 0.29.3 reports offsets
/// 70,972, 87,356, ... and the file's size at the end).
#[test]
fn read_progress_of_a_plain_file_steps_from_the_first_event() {
    let Some(t) = any_trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let plain = plain_copy(&t, "steps");
    assert_eq!(std::fs::metadata(&plain).unwrap().len(), 146_220);
    let script = data_dir().join("progress_steps.lua");
    let out = rchisel(&["-r", plain.to_str().unwrap(), "-c", script.to_str().unwrap()], None);
    let _ = std::fs::remove_file(&plain);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got: Vec<f64> = text(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    let offsets = [70_972.0, 87_356.0, 103_740.0, 120_124.0, 136_508.0, 146_220.0, 146_220.0];
    let want: Vec<f64> = offsets.iter().map(|o| o * 100.0 / 146_220.0).collect();
    assert_eq!(got.len(), want.len(), "{}", text(&out.stdout));
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-9, "{}", text(&out.stdout));
    }
}

/// Numbers print and format as sysdig's LuaJIT does them (the vendored
/// Lua's tostring and string.format), against sysdig itself.
#[test]
fn luajit_number_text_matches_sysdig() {
    if !has_sysdig() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let script = data_dir().join("luajit_numbers.lua");
    let args = ["-r", t.to_str().unwrap(), "-c", script.to_str().unwrap()];
    let want = Command::new("sysdig").args(args).output().expect("run sysdig");
    let got = rchisel(&args, None);
    assert!(got.status.success(), "{}", text(&got.stderr));
    assert!(text(&want.stdout).contains("4.7683715820313e-07"), "{}", text(&want.stdout));
    assert_eq!(text(&got.stdout), text(&want.stdout));
}

/// The host's lines and per-event jobs (chisel.request_line, evt.line,
/// chisel.native_print, chisel.native_slowest) give what the same work in
/// plain Lua gives: tests/data/line_tour.lua under rchisel (host path)
/// against the same chisel under sysdig (which lacks them: Lua path).
#[test]
fn host_lines_match_lua_under_sysdig() {
    if !has_sysdig() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let traces: Vec<PathBuf> =
        ["curl_google.scap", "test_ipv6_client.scap", "port_conflict.scap"].iter().filter_map(|t| any_trace(t)).collect();
    if traces.is_empty() {
        eprintln!("skipped: traces not found");
        return;
    }
    let script = data_dir().join("line_tour.lua");
    for t in &traces {
        for mode in ["print", "evtline", "slowest"] {
            let args = ["-r", t.to_str().unwrap(), "-c", script.to_str().unwrap(), mode];
            let want = Command::new("sysdig").args(args).env("TZ", "UTC").output().expect("run sysdig");
            let got = rchisel(&args, None);
            assert!(got.status.success(), "{mode} {}: {}", t.display(), text(&got.stderr));
            let (want, got) = (text(&want.stdout), text(&got.stdout));
            // The last line says whether the host did the work.
            let native = if mode == "evtline" { "native\tfalse\n" } else { "native\ttrue\n" };
            assert!(want.ends_with("native\tfalse\n"), "{want}");
            assert!(got.ends_with(native), "{mode}: {got}");
            assert!(want.lines().count() > 2, "{mode} {}: too few lines to compare", t.display());
            assert_tour_eq(&want[..want.len() - 13], &got[..got.len() - native.len()]);
        }
    }
}

/// `chisel.native_rows` prints what the same rows written in Lua print in
/// sysdig (tests/data/native_rows.lua prints through rchisel_common.rows,
/// which takes the Lua path when the host has no native_rows): widths, precisions, `%d`, number text, nil fields,
/// maps, defaults, divisions and byte sizes, on every trace.
#[test]
fn native_rows_match_lua_rows_in_sysdig() {
    if !has_sysdig() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let mut traces: Vec<PathBuf> = ["curl_google.scap", "test_ipv6_client.scap"].iter().filter_map(|n| trace(n)).collect();
    if let Ok(rd) = std::fs::read_dir(crate_dir().join("traces")) {
        traces.extend(rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "scap")));
    }
    if traces.is_empty() {
        eprintln!("skipped: traces not found");
        return;
    }
    let script = data_dir().join("native_rows.lua");
    let mut rows = 0;
    for t in &traces {
        for mode in ["io", "all"] {
            let args = ["-r", t.to_str().unwrap(), "-c", script.to_str().unwrap(), mode];
            let want = Command::new("sysdig").args(args).env("TZ", "UTC").output().expect("run sysdig");
            let got = rchisel(&args, None);
            assert!(got.status.success(), "{}: {}", t.display(), text(&got.stderr));
            assert_tour_eq(&text(&want.stdout), &text(&got.stdout));
            rows += text(&got.stdout).lines().count();
        }
    }
    assert!(rows > 1000, "only {rows} rows");
}

/// Every bundled chisel and every stock sysdig chisel run by path, on every
/// trace in ../shared/traces and traces/, against sysdig's stock chisel
/// (tests/chisels_vs_sysdig.sh; it skips with a message without sysdig).
#[test]
fn chisels_match_sysdig_on_every_trace() {
    let out = Command::new("bash")
        .arg(crate_dir().join("tests/chisels_vs_sysdig.sh"))
        .env("BIN", env!("CARGO_BIN_EXE_rchisel"))
        .current_dir(crate_dir())
        .output()
        .expect("run tests/chisels_vs_sysdig.sh");
    let stdout = text(&out.stdout);
    let failures: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("ok ")).collect();
    eprintln!("{}", failures.join("\n"));
    assert!(out.status.success(), "chisels differ from sysdig:\n{}", failures.join("\n"));
}

/// `around` asks for a second run (`sysdig.run_app`): rchisel runs itself
/// again, and the dump holds exactly the events sysdig selects with the
/// same evt.around filter.
#[test]
fn around_writes_the_events_around_each_match() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let dir = std::env::temp_dir().join(format!("rchisel-around-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dump = dir.join("out.scap");
    let out = rchisel(
        &["-r", t.to_str().unwrap(), "-c", "around", &format!("{} 100", dump.display()), "evt.type=connect"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Saving events around 8 syslog entries to"), "{stdout}");
    // The filter the second run used, rebuilt from the matches.
    let fmt = ["-p", "%evt.rawtime %thread.tid"];
    let m = rchisel(&[&["-r", t.to_str().unwrap()][..], &fmt, &["evt.type=connect"]].concat(), None);
    let filter: Vec<String> = text(&m.stdout)
        .lines()
        .map(|l| {
            let (ts, tid) = l.split_once(' ').unwrap();
            format!("(evt.around[{ts}]=100 and thread.tid={tid})")
        })
        .collect();
    assert_eq!(filter.len(), 8);
    let show = ["-p", "%evt.rawtime %thread.tid %evt.type %evt.info"];
    let ours = rchisel(&[&["-r", dump.to_str().unwrap()][..], &show].concat(), None);
    let want = rchisel(&[&["-r", t.to_str().unwrap()][..], &show, &[filter.join(" or ").as_str()]].concat(), None);
    assert!(!want.stdout.is_empty());
    assert_eq!(text(&ours.stdout), text(&want.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The statsd module really sends: one datagram per metric to the address
/// the chisel was given (a local UDP socket here).
#[test]
fn statsd_metrics_reach_a_udp_socket() {
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let port = sock.local_addr().unwrap().port();
    let args = format!("127.0.0.1 {port}");
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "statsd_probe", &args], Some(&data_dir()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want = rchisel(&["-r", t.to_str().unwrap(), "-p", "%proc.name %evt.latency", "evt.type=execve and evt.dir=<"], None);
    let want: Vec<String> = text(&want.stdout)
        .lines()
        .map(|l| {
            let (name, lat) = l.split_once(' ').unwrap();
            let ms = lat.parse::<f64>().unwrap() / 1e6;
            format!("rc.exec_{name}:{}|ms", fmt_g14(ms))
        })
        .collect();
    assert!(!want.is_empty());
    let mut got = Vec::new();
    let mut buf = [0u8; 1500];
    for _ in 0..want.len() {
        let n = sock.recv(&mut buf).expect("a datagram");
        got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert_eq!(got, want);
}

/// A number as LuaJIT's tostring prints it ("%.14g").
fn fmt_g14(v: f64) -> String {
    let s = format!("{:.13e}", v);
    let (mant, exp) = s.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    if (-5..14).contains(&exp) {
        let digits = (13 - exp).max(0) as usize;
        let f = format!("{:.*}", digits, v);
        if f.contains('.') { f.trim_end_matches('0').trim_end_matches('.').to_string() } else { f }
    } else {
        let m = mant.trim_end_matches('0').trim_end_matches('.');
        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// `sysdig.get_thread_table()` as sysdig fills it (flags, nchilds, the
/// process's env on every thread) and the errors API calls raise under
/// pcall ("C++ exception", sysdig's stderr lines), on every trace.
#[test]
fn thread_table_and_api_errors_match_sysdig() {
    if Command::new("sysdig").arg("--version").output().is_err() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let chisel = data_dir().join("thread_table.lua");
    let mut dirs = vec![crate_dir().join("traces")];
    if let Some(s) = shared() {
        dirs.push(s.join("traces"));
    }
    let mut n = 0;
    for d in dirs {
        for f in std::fs::read_dir(&d).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_none_or(|e| e != "scap") {
                continue;
            }
            let args = ["-r", p.to_str().unwrap(), "-c", chisel.to_str().unwrap()];
            let want = Command::new("sysdig").args(args).env("TZ", "UTC").output().unwrap();
            let got = rchisel(&args, None);
            assert_eq!(text(&got.stdout), text(&want.stdout), "{}", p.display());
            assert_eq!(text(&got.stderr), text(&want.stderr), "{}", p.display());
            n += 1;
        }
    }
    assert!(n > 0);
}

/// The csysdig views (v_*.lua) load in the chisel environment and list
/// their view_info (`-c list_views`); sysdig's v_cpus.lua names its table
/// view_infoz (disabled there too).
#[test]
fn csysdig_views_load_and_list() {
    let views = Path::new("/usr/share/sysdig/chisels");
    let Some(t) = trace("curl_google.scap") else {
        eprintln!("skipped: traces not found");
        return;
    };
    if !views.join("v_procs.lua").is_file() {
        eprintln!("skipped: sysdig's views not installed");
        return;
    }
    let n = std::fs::read_dir(views)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("v_"))
        .count();
    let out = rchisel(&["-r", t.to_str().unwrap(), "-c", "list_views"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.ends_with(&format!("{n} views\n")), "{s}");
    let failed: Vec<&str> = s.lines().filter(|l| l.contains("failed to load")).collect();
    assert!(failed.iter().all(|l| l.starts_with("v_cpus.lua")), "{failed:?}");
    assert!(s.lines().any(|l| l.starts_with("procs ") && l.contains("Processes")), "{s}");
    // hidden from the listing, like table_generator
    let cl = rchisel(&["-cl"], None);
    assert!(!text(&cl.stdout).contains("list_views"));
}

/// The bundled lsof prints its rows through the host (chisel.print_fd_rows);
/// run by sysdig (which lacks it) it takes its Lua path over
/// get_thread_table. Both give the same rows (compared sorted: the order of
/// a thread's sparse fds is LuaJIT's hash order under sysdig).
#[test]
fn lsof_host_rows_match_its_lua_rows_in_sysdig() {
    if !has_sysdig() {
        eprintln!("skipped: sysdig not installed");
        return;
    }
    let mut traces: Vec<PathBuf> = ["curl_google.scap", "test_ipv6_client.scap"].iter().filter_map(|n| trace(n)).collect();
    traces.extend(["port_conflict.scap", "fd_leak.scap"].iter().map(|n| crate_dir().join("traces").join(n)));
    let mut rows = 0;
    for t in traces.iter().filter(|t| t.exists()) {
        for filter in ["", "fd.type=file and proc.name contains s", "fd.sport=22 or fd.type=ipv4"] {
            let lsof = crate_dir().join("chisels/lsof.lua");
            // (a chisel argument with blanks is quoted, as on sysdig's command line)
            let quoted = format!("'{filter}'");
            let mut args = vec!["-r", t.to_str().unwrap(), "-c", lsof.to_str().unwrap()];
            if !filter.is_empty() {
                args.push(&quoted);
            }
            // (run from the crate: sysdig finds rchisel_common in ./chisels)
            let want = Command::new("sysdig").args(&args).current_dir(crate_dir()).output().expect("run sysdig");
            let got = rchisel(&args, None);
            assert!(got.status.success(), "{}: {}", t.display(), text(&got.stderr));
            let sorted = |s: String| {
                let mut v: Vec<String> = s.lines().map(String::from).collect();
                v.sort();
                v
            };
            let (want, got) = (sorted(text(&want.stdout)), sorted(text(&got.stdout)));
            assert_eq!(want, got, "{} {filter:?}", t.display());
            rows += got.len();
        }
    }
    if rows == 0 {
        eprintln!("skipped: traces not found");
        return;
    }
    assert!(rows > 500, "only {rows} rows");
}

/// Runs `chisel` on `trace` read ahead and in step; returns both outputs
/// (stdout, stderr without the read-ahead note, exit code) and whether each
/// run read ahead.
fn ahead_and_step(trace: &Path, chisel: &Path, args: &[&str]) -> [(String, String, Option<i32>, bool); 2] {
    let run = |step: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rchisel"));
        c.arg("-r").arg(trace).arg("-c").arg(chisel).args(args);
        c.env("TZ", "UTC").env("RCHISEL_AHEAD_NOTE", "1").current_dir(crate_dir());
        if step {
            c.env("RCHISEL_NO_READ_AHEAD", "1");
        } else {
            // Without measuring first whether it pays (the traces are
            // small), from the middle of the capture on.
            c.env_remove("RCHISEL_NO_READ_AHEAD").env("RCHISEL_READ_AHEAD", "100");
        }
        let o = c.output().expect("run rchisel");
        let err = text(&o.stderr);
        let ahead = err.lines().any(|l| l == "reading ahead");
        let err: String = err.lines().filter(|l| *l != "reading ahead").map(|l| format!("{l}\n")).collect();
        (text(&o.stdout), err, o.status.code(), ahead)
    };
    [run(false), run(true)]
}

#[test]
fn chisels_read_ahead_give_what_they_give_in_step() {
    let chisel = data_dir().join("ahead_tour.lua");
    let mut traces: Vec<PathBuf> = ["password.scap", "fd_leak.scap"].iter().map(|t| crate_dir().join("traces").join(t)).collect();
    match trace("curl_google.scap") {
        Some(t) => traces.push(t),
        None => eprintln!("note: ../shared/traces not found: only the crate's own traces are used"),
    }
    for t in &traces {
        // Every event; a capture filter (the chisel's timers see the
        // rejected events); an error in the middle of the capture, after the
        // hand-over to the reader thread.
        for args in [&["0"][..], &["0", "evt.type in (open, openat, read, close)"], &["140"]] {
            let [ahead, step] = ahead_and_step(t, &chisel, args);
            let what = format!("{} {:?}", t.display(), args);
            assert!(ahead.3, "{what}: the tour chisel did not read ahead");
            assert!(!step.3, "{what}: RCHISEL_NO_READ_AHEAD did not turn reading ahead off");
            assert!(ahead.0.lines().count() > 3, "{what}: too little output:\n{}", ahead.0);
            assert_tour_eq(&step.0, &ahead.0);
            assert_eq!(step.1, ahead.1, "{what}: stderr differs");
            assert_eq!(step.2, ahead.2, "{what}: exit code differs");
        }
        let [ahead, _] = ahead_and_step(t, &chisel, &["140"]);
        assert_eq!(ahead.2, Some(1), "an error in on_event ends the run with 1");
        assert!(ahead.1.contains("stopped at event"), "the error is reported: {}", ahead.1);
        assert!(ahead.0.lines().last().is_some_and(|l| l.starts_with("end\t")), "on_capture_end still runs:\n{}", ahead.0);
    }
    // A chisel that reads the thread table per event runs in step, also
    // through a module it requires.
    let [tt, _] = ahead_and_step(&traces[0], &data_dir().join("thread_table.lua"), &[]);
    assert!(!tt.3, "a chisel calling get_thread_table read ahead");
    let [tm, step] = ahead_and_step(&traces[0], &data_dir().join("module_thread_count.lua"), &[]);
    assert!(!tm.3, "a chisel whose module calls get_thread_table read ahead");
    assert_eq!(tm.2, Some(0), "{}", tm.1);
    assert!(tm.0.lines().count() > 5 && tm.0 == step.0, "{}", tm.0);
}
