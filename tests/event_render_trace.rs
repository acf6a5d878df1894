//! Renders every event of the shared traces and compares the `evt.info` text
//! with sysdig 0.29.3's, in every buffer format.
//!
//! The test carries its own minimal scap block walker (gzip + event blocks)
//! so it does not depend on the real reader. Parameters whose text depends on
//! process state (fds, pids, paths relative to a cwd, users) are compared on
//! their raw part only; the `(resolved)` part sysdig adds is accepted as is.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use rchisel::event::render::{render_info, render_param_parts, BufFormat, RenderOpts, Resolve};
use rchisel::event::table::{self, ParamType};
use rchisel::event::Event;

mod common;
use common::shared;

/// One decoded event, owning its body.
struct Raw {
    cpu: u16,
    ts: u64,
    tid: i64,
    etype: u16,
    nparams: u32,
    body: Vec<u8>,
}

fn read_trace(path: &PathBuf) -> Vec<Raw> {
    let mut data = Vec::new();
    let f = std::fs::File::open(path).unwrap();
    flate2::read::MultiGzDecoder::new(f).read_to_end(&mut data).unwrap();
    let mut out = Vec::new();
    let mut off = 0;
    while off + 12 <= data.len() {
        let bt = u32::from_le_bytes(data[off..off + 4].try_into().unwrap());
        let bl = u32::from_le_bytes(data[off + 4..off + 8].try_into().unwrap()) as usize;
        assert!(bl >= 12 && off + bl <= data.len(), "bad block at {off}");
        let b = &data[off + 8..off + bl - 4];
        // 0x204 EV, 0x208 EVF (v1 headers); 0x216 EV_V2, 0x217 EVF_V2
        if matches!(bt, 0x204 | 0x208 | 0x216 | 0x217) {
            let cpu = u16::from_le_bytes([b[0], b[1]]);
            let mut h = &b[2..];
            if bt == 0x208 || bt == 0x217 {
                h = &h[4..]; // flags
            }
            let ts = u64::from_le_bytes(h[0..8].try_into().unwrap());
            let tid = i64::from_le_bytes(h[8..16].try_into().unwrap());
            let len = u32::from_le_bytes(h[16..20].try_into().unwrap()) as usize;
            let etype = u16::from_le_bytes([h[20], h[21]]);
            let (hl, np) = if bt >= 0x216 {
                (26, Some(u32::from_le_bytes(h[22..26].try_into().unwrap())))
            } else {
                (22, None)
            };
            let body = &h[hl..len];
            let nparams = np.unwrap_or_else(|| v1_nparams(etype, body));
            out.push(Raw { cpu, ts, tid, etype, nparams, body: body.to_vec() });
        }
        off += (bl + 3) & !3;
    }
    out
}

/// libscap's count of the parameters of a v1 event: the largest count, from
/// sysdig 0.29.3's table down, whose lengths add up to the body size.
fn v1_nparams(etype: u16, body: &[u8]) -> u32 {
    let info = table::event_info(etype).unwrap();
    let start = info.legacy.map(|l| l.nparams).unwrap_or(info.params.len());
    for n in (0..=start).rev() {
        if n * 2 > body.len() {
            continue;
        }
        let sum: usize = (0..n).map(|i| u16::from_le_bytes([body[2 * i], body[2 * i + 1]]) as usize).sum();
        if n * 2 + sum == body.len() {
            return n as u32;
        }
    }
    panic!("cannot compute nparams of a v1 event of type {etype}");
}

/// Knows threads exist but nothing about them: state-dependent text is
/// compared on its raw part only.
struct Blind;
impl Resolve for Blind {
    fn fd_desc(&self, _tid: i64, _fd: i64, _out: &mut Vec<u8>) -> bool {
        false
    }
    fn thread_comm(&self, _tid: i64) -> Option<&str> {
        None
    }
}

enum Seg {
    Lit(Vec<u8>),
    /// Nothing, or `(...)`.
    OptParen,
    /// Any one byte (an fd type character).
    AnyChar,
}

/// Matches `s` against the segments (OptParen backtracks over every `)`).
fn matches(segs: &[Seg], s: &[u8]) -> bool {
    match segs.first() {
        None => s.is_empty(),
        Some(Seg::Lit(l)) => s.starts_with(l) && matches(&segs[1..], &s[l.len()..]),
        Some(Seg::AnyChar) => !s.is_empty() && matches(&segs[1..], &s[1..]),
        Some(Seg::OptParen) => {
            if matches(&segs[1..], s) {
                return true;
            }
            if s.first() != Some(&b'(') {
                return false;
            }
            (1..s.len()).any(|i| s[i] == b')' && matches(&segs[1..], &s[i + 1..]))
        }
    }
}

/// Builds the expected pattern of an event's `evt.info`.
fn pattern(ev: &Event, opts: &RenderOpts) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut lit = Vec::new();
    if ev.etype < 2 {
        return vec![];
    }
    let info = ev.info().unwrap();
    let n = rchisel::event::render::shown_params(ev, opts);
    for i in 0..n {
        let decl = info.params[i].sysdig();
        let (mut raw, mut res) = (Vec::new(), Vec::new());
        render_param_parts(ev, i, &Blind, opts, &mut raw, &mut res);
        lit.extend_from_slice(decl.name.as_bytes());
        lit.push(b'=');
        if decl.ptype == ParamType::FdList {
            // "fd:Tflags" entries: the type character T comes from the fd table
            for (k, part) in raw.split(|&c| c == b'?').enumerate() {
                if k > 0 {
                    segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    segs.push(Seg::AnyChar);
                }
                lit.extend_from_slice(part);
            }
        } else {
            lit.extend_from_slice(&raw);
        }
        let state = matches!(
            decl.ptype,
            ParamType::Fd | ParamType::Pid | ParamType::FsPath | ParamType::FsRelPath | ParamType::Uid | ParamType::Gid
        );
        if state {
            segs.push(Seg::Lit(std::mem::take(&mut lit)));
            segs.push(Seg::OptParen);
        } else if !res.is_empty() {
            lit.push(b'(');
            lit.extend_from_slice(&res);
            lit.push(b')');
        }
        lit.push(b' ');
    }
    segs.push(Seg::Lit(lit));
    segs
}

/// sysdig's `%evt.info` texts by (evt.rawtime, thread.tid).
type Infos = HashMap<(u64, i64), Vec<Vec<u8>>>;

fn sysdig_infos(trace: &PathBuf, flag: Option<&str>) -> Option<Infos> {
    let mut cmd = Command::new("sysdig");
    cmd.env("TZ", "UTC").arg("-r").arg(trace);
    if let Some(f) = flag {
        cmd.arg(f);
    }
    cmd.arg("-p").arg("\u{2}\u{3}%evt.rawtime %thread.tid %evt.info");
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    let mut m = Infos::new();
    // records are "\x02\x03ts tid info\n"
    let mut recs = Vec::new();
    let s = &out.stdout;
    let mut start = 0;
    for i in 0..s.len().saturating_sub(1) {
        if s[i] == 2 && s[i + 1] == 3 {
            if i > start {
                recs.push(&s[start..i]);
            }
            start = i + 2;
        }
    }
    recs.push(&s[start..]);
    for rec in recs.into_iter().filter(|r| !r.is_empty()) {
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        let mut it = rec.splitn(3, |&c| c == b' ');
        let (Some(ts), Some(tid)) = (it.next(), it.next()) else { continue };
        let (Ok(ts), Ok(tid)) = (std::str::from_utf8(ts).unwrap_or("x").parse(), std::str::from_utf8(tid).unwrap_or("x").parse())
        else {
            continue;
        };
        m.entry((ts, tid)).or_default().push(it.next().unwrap_or(b"").to_vec());
    }
    Some(m)
}

/// The same events through the crate's scap reader.
fn read_trace_reader(path: &PathBuf) -> Vec<Raw> {
    use rchisel::source::{scap::ScapReader, Item, Source};
    let mut r = ScapReader::open(path).expect("open");
    let mut out = Vec::new();
    while let Some(item) = r.next_item().expect("read") {
        if let Item::Event(e) = item {
            out.push(Raw { cpu: e.cpu, ts: e.ts, tid: e.tid, etype: e.etype, nparams: e.nparams, body: e.body.to_vec() });
        }
    }
    out
}

fn compare(trace_name: &str, flag: Option<&str>, fmt: BufFormat) {
    compare_with(trace_name, flag, fmt, read_trace)
}

fn compare_with(trace_name: &str, flag: Option<&str>, fmt: BufFormat, read: fn(&PathBuf) -> Vec<Raw>) {
    let Some(sh) = shared() else {
        println!("shared traces not found: skipping");
        return;
    };
    let trace = sh.join("traces").join(trace_name);
    let Some(theirs) = sysdig_infos(&trace, flag) else {
        println!("sysdig not available: skipping");
        return;
    };
    let opts = RenderOpts { buf_format: fmt, ..Default::default() };
    let evs = read(&trace);
    let (mut checked, mut failed) = (0, 0);
    for r in &evs {
        let Some(lines) = theirs.get(&(r.ts, r.tid)) else { continue };
        let ev = Event {
            num: 0,
            cpu: r.cpu,
            ts: r.ts,
            tid: r.tid,
            etype: r.etype,
            nparams: r.nparams,
            flags: 0,
            large: false,
            body: &r.body,
        };
        let pat = pattern(&ev, &opts);
        checked += 1;
        if !lines.iter().any(|l| matches(&pat, l)) {
            failed += 1;
            if failed <= 10 {
                let mut ours = Vec::new();
                render_info(&ev, &Blind, &opts, &mut ours);
                eprintln!(
                    "{trace_name} {flag:?} type {} ts {}:\n  sysdig: {:?}\n  ours:   {:?}",
                    r.etype,
                    r.ts,
                    String::from_utf8_lossy(&lines[0]),
                    String::from_utf8_lossy(&ours)
                );
            }
        }
    }
    println!("{trace_name} {flag:?}: {checked} events compared, {failed} differ");
    assert!(checked > 50, "too few events matched by timestamp");
    assert_eq!(failed, 0);
}

#[test]
fn curl_default() {
    compare("curl_google.scap", None, BufFormat::Normal);
}

#[test]
fn ipv6_default() {
    compare("test_ipv6_client.scap", None, BufFormat::Normal);
}

#[test]
fn curl_ascii() {
    compare("curl_google.scap", Some("-A"), BufFormat::Ascii);
}

#[test]
fn curl_hex() {
    compare("curl_google.scap", Some("-x"), BufFormat::Hex);
}

#[test]
fn curl_hexascii() {
    compare("curl_google.scap", Some("-X"), BufFormat::HexAscii);
}

#[test]
fn curl_base64() {
    compare("curl_google.scap", Some("-b"), BufFormat::Base64);
}

#[test]
fn ipv6_hexascii() {
    compare("test_ipv6_client.scap", Some("-X"), BufFormat::HexAscii);
}

#[test]
fn curl_default_via_reader() {
    compare_with("curl_google.scap", None, BufFormat::Normal, read_trace_reader);
}

#[test]
fn ipv6_default_via_reader() {
    compare_with("test_ipv6_client.scap", None, BufFormat::Normal, read_trace_reader);
}
