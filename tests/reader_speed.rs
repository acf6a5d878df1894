//! Throughput check (ignored by default; run with
//! `cargo test --release --test reader_speed -- --ignored --nocapture`).
//! Builds a capture of ~2M events by repeating the events of curl_google and
//! times a full read, plain and gzip.

use std::path::PathBuf;
use std::time::Instant;

use rchisel::sink::writer::{Compression, ScapWriter};
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};

/// An event's header fields and body: (cpu, ts, tid, type, nparams, flags, large, body).
type Owned = (u16, u64, i64, u16, u32, u32, bool, Vec<u8>);

fn build(dst: &PathBuf, comp: Compression, target: u64) -> u64 {
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/traces/curl_google.scap");
    let src = if local.exists() { local } else { PathBuf::from("/work/shared/traces/curl_google.scap") };
    let mut w = ScapWriter::create(dst, comp).unwrap();
    let mut recs = Vec::new();
    let mut evs: Vec<Owned> = Vec::new();
    let mut r = ScapReader::open(&src).unwrap();
    while let Some(it) = r.next_item().unwrap() {
        match it {
            Item::Record(x) => recs.push(x),
            Item::Event(e) => evs.push((e.cpu, e.ts, e.tid, e.etype, e.nparams, e.flags, e.large, e.body.to_vec())),
        }
    }
    w.write_records(&recs).unwrap();
    let mut n = 0;
    'outer: loop {
        for (cpu, ts, tid, etype, nparams, flags, large, body) in &evs {
            let e = rchisel::event::Event { num: 0, cpu: *cpu, ts: *ts, tid: *tid, etype: *etype, nparams: *nparams, flags: *flags, large: *large, body };
            w.write_event(&e).unwrap();
            n += 1;
            if n >= target {
                break 'outer;
            }
        }
    }
    w.finish().unwrap();
    n
}

#[test]
#[ignore]
fn read_two_million_events() {
    for (comp, name) in [(Compression::None, "speed.scap"), (Compression::Gzip, "speed.scap.gz")] {
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        if !p.exists() {
            build(&p, comp, 2_000_000);
        }
        let t = Instant::now();
        let mut r = ScapReader::open(&p).unwrap();
        let (mut n, mut bytes) = (0u64, 0u64);
        while let Some(it) = r.next_item().unwrap() {
            if let Item::Event(e) = it {
                n += 1;
                bytes += e.body.len() as u64;
            }
        }
        let dt = t.elapsed();
        println!(
            "{name}: {n} events ({bytes} body bytes) in {:.3}s = {:.1} Mev/s",
            dt.as_secs_f64(),
            n as f64 / dt.as_secs_f64() / 1e6
        );
    }
}
