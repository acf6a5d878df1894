//! Rewrites the shared traces with `ScapWriter` and checks that both our reader
//! and sysdig 0.29.3 see the same capture.

use std::path::{Path, PathBuf};
use std::process::Command;

use rchisel::sink::writer::{Compression, ScapWriter};
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Record, Source};

mod common;
use common::shared_trace as trace;

/// Copies `src` into `dst`; returns (records, events) copied.
fn rewrite(src: &Path, dst: &Path, comp: Compression) -> (usize, u64) {
    let mut r = ScapReader::open(src).expect("open");
    let mut w: Option<ScapWriter> = Some(ScapWriter::create(dst, comp).expect("create"));
    let mut recs = Vec::new();
    let mut tables_written = false;
    let mut nrec = 0;
    while let Some(item) = r.next_item().expect("read") {
        let w = w.as_mut().unwrap();
        match item {
            Item::Record(rec) => {
                nrec += 1;
                recs.push(rec)
            }
            Item::Event(e) => {
                if !tables_written {
                    w.write_records(&recs).expect("tables");
                    tables_written = true;
                }
                w.write_event(&e).expect("event");
            }
        }
    }
    let w = w.take().unwrap();
    let n = w.events_written();
    w.finish().expect("finish");
    (nrec, n)
}

/// An event as (cpu, ts, tid, type, nparams, body).
type Owned = (u16, u64, i64, u16, u32, Vec<u8>);

/// Everything our reader yields, in a comparable form (fd order inside a thread kept).
fn dump(p: &Path) -> (Vec<Record>, Vec<Owned>) {
    let mut r = ScapReader::open(p).expect("open");
    let mut recs = Vec::new();
    let mut evs = Vec::new();
    while let Some(item) = r.next_item().expect("read") {
        match item {
            Item::Record(rec) => recs.push(rec),
            Item::Event(e) => evs.push((e.cpu, e.ts, e.tid, e.etype, e.nparams, e.body.to_vec())),
        }
    }
    (recs, evs)
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    d.join(name)
}

fn sysdig_lines(p: &Path) -> Option<String> {
    let out = Command::new("sysdig").env("TZ", "UTC").arg("-r").arg(p).output().ok()?;
    assert!(out.status.success(), "sysdig failed on {}: {}", p.display(), String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn roundtrip(name: &str, comp: Compression, ext: &str) {
    let Some(src) = trace(name) else { return };
    let dst = tmp(&format!("rt-{name}.{ext}"));
    let (nrec, nev) = rewrite(&src, &dst, comp);
    assert!(nrec > 100 && nev > 300);
    let (r1, e1) = dump(&src);
    let (r2, e2) = dump(&dst);
    assert_eq!(e1, e2, "events differ after rewrite");
    assert_eq!(r1.len(), r2.len());
    // Process records: PL v5 → v9 adds sid/vpgid (-1 defaults survive) — compare all.
    assert_eq!(r1, r2, "records differ after rewrite");
    match (sysdig_lines(&src), sysdig_lines(&dst)) {
        (Some(a), Some(b)) => {
            assert!(a.lines().count() > 50);
            assert_eq!(a, b, "sysdig output differs for the rewritten {name}");
        }
        _ => println!("skipping sysdig comparison: sysdig not installed"),
    }
}

#[test]
fn curl_plain() {
    roundtrip("curl_google.scap", Compression::None, "scap");
}

#[test]
fn curl_gzip() {
    roundtrip("curl_google.scap", Compression::Gzip, "scap.gz");
}

#[test]
fn ipv6_plain() {
    roundtrip("test_ipv6_client.scap", Compression::None, "scap");
}

#[test]
fn ipv6_lz4_reads_back() {
    let Some(src) = trace("test_ipv6_client.scap") else { return };
    let dst = tmp("rt-ipv6.scap.lz4");
    rewrite(&src, &dst, Compression::Lz4);
    let r = ScapReader::open(&dst).expect("open");
    assert_eq!(r.compression(), rchisel::source::scap::Compression::Lz4);
    assert_eq!(dump(&src), dump(&dst));
}

#[test]
fn event_limit_rotation_splits_the_capture() {
    use rchisel::sink::writer::cycle::{CycleConfig, RotatingWriter};
    let Some(src) = trace("test_ipv6_client.scap") else { return };
    let dir = tmp("rot");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("part").to_string_lossy().into_owned();
    let mut r = ScapReader::open(&src).unwrap();
    let mut header = Vec::new();
    let mut w: Option<RotatingWriter> = None;
    let mut total = 0;
    while let Some(item) = r.next_item().unwrap() {
        match item {
            Item::Record(rec) => header.push(rec),
            Item::Event(e) => {
                if w.is_none() {
                    let cfg = CycleConfig { base: base.clone(), event_limit: 100, ..Default::default() };
                    w = Some(RotatingWriter::new(cfg, Compression::None, header.clone()).unwrap());
                }
                w.as_mut().unwrap().write_event(&e).unwrap();
                total += 1;
            }
        }
    }
    let w = w.unwrap();
    let files = w.files().to_vec();
    w.finish().unwrap();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files[0].ends_with("part0") && files[3].ends_with("part3"));
    let mut seen = 0;
    for f in &files {
        let (recs, evs) = dump(Path::new(f));
        assert_eq!(recs.len(), header.len(), "each file starts with the tables");
        seen += evs.len();
    }
    assert_eq!(seen, total);
}
