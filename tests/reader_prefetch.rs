//! The reader thread (`Prefetch`) hands out exactly what the plain reader
//! does, item for item, including the error that ends a corrupt capture,
//! whatever the batch size (small batches put block boundaries everywhere).

mod common;

use std::path::PathBuf;

use rchisel::source::scap::prefetch::Prefetch;
use rchisel::source::scap::{ScapReader, Step};

/// Everything a step gives, owned, for comparison.
#[derive(Debug, PartialEq)]
enum Got {
    Event { cpu: u16, ts: u64, tid: i64, etype: u16, nparams: u32, flags: u32, large: bool, body: Vec<u8> },
    Record(String),
    End,
    Error(u64, String),
}

fn own(step: Result<Step<'_>, rchisel::source::SourceError>) -> Got {
    match step {
        Ok(Step::Event(e)) => Got::Event {
            cpu: e.cpu,
            ts: e.ts,
            tid: e.tid,
            etype: e.etype,
            nparams: e.nparams,
            flags: e.flags,
            large: e.large,
            body: e.body.to_vec(),
        },
        Ok(Step::Record(r)) => Got::Record(format!("{r:?}")),
        Ok(Step::End) => Got::End,
        Err(e) => Got::Error(e.offset, e.message),
    }
}

fn plain(bytes: &[u8]) -> Vec<Got> {
    let mut out = Vec::new();
    let mut r = match ScapReader::new(std::io::Cursor::new(bytes.to_vec())) {
        Ok(r) => r,
        Err(e) => return vec![Got::Error(e.offset, e.message)],
    };
    loop {
        let g = own(r.step());
        let stop = matches!(g, Got::End | Got::Error(..));
        out.push(g);
        if stop {
            return out;
        }
    }
}

fn threaded(bytes: &[u8], batch: usize) -> Vec<Got> {
    let mut out = Vec::new();
    let r = match ScapReader::new(std::io::Cursor::new(bytes.to_vec())) {
        Ok(r) => r,
        Err(e) => return vec![Got::Error(e.offset, e.message)],
    };
    let mut p = Prefetch::with_batch_size(r, batch);
    loop {
        let g = own(p.step());
        let stop = matches!(g, Got::End | Got::Error(..));
        out.push(g);
        if stop {
            // After the end or a fault the stream stays ended.
            assert_eq!(own(p.step()), Got::End);
            return out;
        }
    }
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let own_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces");
    for name in ["port_conflict.scap", "fd_leak.scap", "password.scap"] {
        v.push((name.to_string(), std::fs::read(own_dir.join(name)).unwrap()));
    }
    for name in ["curl_google.scap", "test_ipv6_client.scap"] {
        if let Some(p) = common::shared_trace(name) {
            v.push((name.to_string(), std::fs::read(p).unwrap()));
        }
    }
    v
}

#[test]
fn same_items_as_the_plain_reader_at_any_batch_size() {
    for (name, bytes) in inputs() {
        let want = plain(&bytes);
        assert!(want.len() > 100, "{name}: {} items", want.len());
        assert_eq!(want.last(), Some(&Got::End), "{name}");
        for batch in [64, 1000, 4096, 65536, 1 << 20] {
            let got = threaded(&bytes, batch);
            assert_eq!(got.len(), want.len(), "{name} batch {batch}");
            assert!(got == want, "{name}: batch {batch} differs");
        }
    }
}

#[test]
fn corrupt_and_truncated_captures_end_with_the_same_error() {
    for (name, bytes) in inputs() {
        // Uncompressed, so that cuts and flips land inside blocks.
        let mut raw = Vec::new();
        let mut r = flate2::read::MultiGzDecoder::new(&bytes[..]);
        if std::io::Read::read_to_end(&mut r, &mut raw).is_err() {
            raw = bytes.clone();
        }
        let n = raw.len();
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for cut in [n / 7, n / 3, n / 2 + 1, n - 5] {
            cases.push(raw[..cut].to_vec());
        }
        for at in [n / 5, n / 2, 3 * n / 4] {
            let mut c = raw.clone();
            // A block length field somewhere: flip bytes until something breaks.
            for b in &mut c[at..(at + 16).min(n)] {
                *b ^= 0xa5;
            }
            cases.push(c);
        }
        for (i, c) in cases.iter().enumerate() {
            let want = plain(c);
            for batch in [64, 4096, 1 << 20] {
                let got = threaded(c, batch);
                assert!(got == want, "{name} case {i} batch {batch}: {:?} vs {:?}", got.last(), want.last());
            }
            if i < 4 {
                assert!(matches!(want.last(), Some(Got::Error(..))), "{name} cut {i} must fail: {:?}", want.last());
            }
        }
    }
}

/// A section header and a block of an unknown type (12 to 140 bytes), then
/// a whole capture: its section header lands anywhere in the first small
/// batch buffers, often across the end of one. The reader fuzz target found
/// the threaded reader parsing such a header at its offset from before the
/// buffer was retired (stale bytes: "scap version 53248.235" where the plain
/// reader read on, or a trailer-length warning).
#[test]
fn concatenated_captures_at_any_batch_size() {
    let raw = common::own_trace_raw("fd_leak.scap");
    let single = plain(&raw).len();
    for pad in 12..140 {
        let cat = common::after_unknown_block(&raw, pad);
        let want = plain(&cat);
        assert_eq!(want.last(), Some(&Got::End), "pad {pad}");
        assert_eq!(want.len(), single, "pad {pad}");
        for batch in [64, 100, 4096] {
            let got = threaded(&cat, batch);
            assert!(got == want, "pad {pad} batch {batch}: {:?} vs {:?}", got.last(), want.last());
            // Both headers read whole: only the unknown block is warned about.
            let mut p = Prefetch::with_batch_size(ScapReader::new(std::io::Cursor::new(cat.clone())).unwrap(), batch);
            while !matches!(p.step(), Ok(Step::End) | Err(_)) {}
            let w = rchisel::source::Source::take_warnings(&mut p);
            assert!(w.len() == 1 && w[0].contains("unknown block type 0x7777"), "pad {pad} batch {batch}: {w:?}");
        }
    }
}
