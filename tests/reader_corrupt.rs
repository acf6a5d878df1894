//! Truncated and corrupted captures: the reader must deliver every item
//! before the fault, then report it with the right message and offset.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;

use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source, SourceError};

fn trace_bytes(name: &str) -> Option<Vec<u8>> {
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/traces").join(name);
    let p = if local.exists() { local } else { PathBuf::from("/work/shared/traces").join(name) };
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            println!("skipping: trace {name} not found");
            None
        }
    }
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(b).read_to_end(&mut out).unwrap();
    out
}

/// (block type, offset, length) of every block.
fn blocks(raw: &[u8]) -> Vec<(u32, usize, usize)> {
    let mut v = Vec::new();
    let mut off = 0;
    while off + 8 <= raw.len() {
        let t = u32::from_le_bytes(raw[off..off + 4].try_into().unwrap());
        let l = u32::from_le_bytes(raw[off + 4..off + 8].try_into().unwrap()) as usize;
        v.push((t, off, l));
        off += l;
    }
    v
}

/// Reads everything: (records, events, final error).
fn read(bytes: Vec<u8>) -> (usize, usize, Option<SourceError>) {
    let mut r = match ScapReader::new(std::io::Cursor::new(bytes)) {
        Ok(r) => r,
        Err(e) => return (0, 0, Some(e)),
    };
    let (mut recs, mut evs) = (0, 0);
    loop {
        match r.next_item() {
            Ok(Some(Item::Event(_))) => evs += 1,
            Ok(Some(Item::Record(_))) => recs += 1,
            Ok(None) => return (recs, evs, None),
            Err(e) => {
                // After an error the reader stays finished.
                assert!(matches!(r.next_item(), Ok(None)));
                return (recs, evs, Some(e));
            }
        }
    }
}

fn curl_raw() -> Option<Vec<u8>> {
    trace_bytes("curl_google.scap").map(|b| gunzip(&b))
}

#[test]
fn intact_trace_reads_clean() {
    let Some(raw) = curl_raw() else { return };
    let (recs, evs, err) = read(raw);
    assert!(err.is_none());
    assert_eq!(evs, 1536);
    assert!(recs > 400);
}

#[test]
fn truncated_inside_event_block() {
    let Some(raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, len) = *evs[100];
    let cut = raw[..off + len / 2].to_vec();
    let (_, n, err) = read(cut);
    let err = err.expect("error");
    assert_eq!(n, 100, "the 100 complete events are delivered");
    assert!(err.message.contains("truncated"), "{}", err.message);
    assert_eq!(err.offset, off as u64);
}

#[test]
fn truncated_inside_block_header() {
    let Some(raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, _) = *evs[7];
    let (_, n, err) = read(raw[..off + 5].to_vec());
    let err = err.expect("error");
    assert_eq!(n, 7);
    assert!(err.message.contains("truncated"), "{}", err.message);
    assert_eq!(err.offset, off as u64);
}

#[test]
fn truncated_inside_process_list() {
    let Some(raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let &(_, off, len) = bl.iter().find(|b| b.0 == 0x211).unwrap();
    let (recs, n, err) = read(raw[..off + len - 100].to_vec());
    let err = err.expect("error");
    assert_eq!(n, 0);
    // machine info + interfaces + users/groups delivered before the cut block
    assert_eq!(recs, 1 + 5 + 31 + 55);
    assert!(err.message.contains("truncated"), "{}", err.message);
    assert_eq!(err.offset, off as u64);
}

#[test]
fn half_a_gzip_stream() {
    let Some(gz) = trace_bytes("curl_google.scap") else { return };
    let (recs, n, err) = read(gz[..gz.len() / 2].to_vec());
    let err = err.expect("error");
    assert!(err.message.contains("gzip"), "{}", err.message);
    assert!(recs > 100, "records before the cut are delivered");
    assert!(n > 0, "events before the cut are delivered ({n})");
    assert!(err.offset > 0);
}

#[test]
fn bad_block_length() {
    let Some(mut raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, _) = *evs[42];
    raw[off + 4..off + 8].copy_from_slice(&5u32.to_le_bytes());
    let (_, n, err) = read(raw);
    let err = err.expect("error");
    assert_eq!(n, 42);
    assert!(err.message.contains("bad block length"), "{}", err.message);
    assert_eq!(err.offset, off as u64);
}

#[test]
fn oversized_event_block_length() {
    let Some(mut raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, _) = *evs[3];
    raw[off + 4..off + 8].copy_from_slice(&0x0100_0000u32.to_le_bytes());
    let (_, n, err) = read(raw);
    let err = err.expect("error");
    assert_eq!(n, 3);
    // Event blocks past 64 KiB are legal here (sysdig refuses them): a length
    // past the end of the file is a truncation.
    assert!(err.message.contains("truncated file"), "{}", err.message);
    assert_eq!(err.offset, off as u64);
}

#[test]
fn bad_magic() {
    let Some(mut raw) = curl_raw() else { return };
    raw[8] ^= 0xff;
    let (recs, n, err) = read(raw);
    let err = err.expect("error");
    assert_eq!((recs, n), (0, 0));
    assert!(err.message.contains("bad magic"), "{}", err.message);
    assert_eq!(err.offset, 8);
}

#[test]
fn not_a_capture() {
    let (_, _, err) = read(b"hello world, this is not a capture file".to_vec());
    let err = err.expect("error");
    assert!(err.message.contains("bad magic"), "{}", err.message);
    assert_eq!(err.offset, 0);
    let (_, _, err) = read(Vec::new());
    assert!(err.expect("error").message.contains("empty"));
}

#[test]
fn bad_event_length() {
    let Some(mut raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, _) = *evs[250];
    // event header: block header (8) + cpu (2) + ts (8) + tid (8), then len
    let at = off + 8 + 2 + 16;
    raw[at..at + 4].copy_from_slice(&60000u32.to_le_bytes());
    let (_, n, err) = read(raw);
    let err = err.expect("error");
    assert_eq!(n, 250);
    assert!(err.message.contains("bad event length"), "{}", err.message);
    assert_eq!(err.offset, (off + 10) as u64);
}

#[test]
fn wrong_trailer_on_metadata_block() {
    let Some(mut raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let &(_, off, len) = bl.iter().find(|b| b.0 == 0x205).unwrap();
    raw[off + len - 4] ^= 1;
    let (recs, n, err) = read(raw);
    let err = err.expect("error");
    assert_eq!((recs, n), (1, 0), "machine info came first");
    assert!(err.message.contains("wrong block total length"), "{}", err.message);
    assert_eq!(err.offset, (off + len - 4) as u64);
}

#[test]
fn unknown_block_is_skipped_with_warning() {
    let Some(raw) = curl_raw() else { return };
    let bl = blocks(&raw);
    let evs: Vec<_> = bl.iter().filter(|b| b.0 == 0x204).collect();
    let (_, off, _) = *evs[10];
    let mut odd = Vec::new();
    odd.extend_from_slice(&0x7777u32.to_le_bytes());
    odd.extend_from_slice(&20u32.to_le_bytes());
    odd.extend_from_slice(b"junkjunk");
    odd.extend_from_slice(&20u32.to_le_bytes());
    let mut patched = raw[..off].to_vec();
    patched.extend_from_slice(&odd);
    patched.extend_from_slice(&raw[off..]);
    let mut r = ScapReader::new(std::io::Cursor::new(patched)).unwrap();
    let mut n = 0;
    while let Some(it) = r.next_item().unwrap() {
        if matches!(it, Item::Event(_)) {
            n += 1;
        }
    }
    assert_eq!(n, 1536);
    let w = r.take_warnings();
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("unknown block type 0x7777"), "{w:?}");
}

#[test]
fn gzip_of_every_prefix_never_panics() {
    let Some(raw) = curl_raw() else { return };
    let head = &raw[..12000];
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(head).unwrap();
    let gz = enc.finish().unwrap();
    for cut in (0..gz.len()).step_by(97) {
        let _ = read(gz[..cut].to_vec());
    }
    for cut in (0..head.len()).step_by(13) {
        let _ = read(head[..cut].to_vec());
    }
}

/// A concatenated capture whose second section header crosses the end of
/// the reader's 2 MiB buffer (the first section: a section header and a
/// block of an unknown type, its length swept so that the second header
/// starts anywhere in the last 64 bytes of the buffer). The section header
/// was read at its offset from before the buffer moved: an index past the
/// buffer (panic) or a version read from stale bytes. Found by the reader
/// fuzz target (with its small batch buffers).
#[test]
fn second_section_header_across_the_read_buffer_end() {
    let raw = common::own_trace_raw("fd_leak.scap");
    let shb_len = u32::from_le_bytes(raw[4..8].try_into().unwrap()) as usize;
    let (want_recs, want_evs, err) = read(raw.clone());
    assert!(err.is_none() && want_evs > 100, "{err:?} {want_evs}");
    for pad in ((2 << 20) - 64 - shb_len..(2 << 20) + 8 - shb_len).step_by(4) {
        let cat = common::after_unknown_block(&raw, pad);
        let mut r = ScapReader::new(std::io::Cursor::new(cat)).unwrap();
        let (mut recs, mut evs) = (0, 0);
        loop {
            match r.next_item() {
                Ok(Some(Item::Event(_))) => evs += 1,
                Ok(Some(Item::Record(_))) => recs += 1,
                Ok(None) => break,
                Err(e) => panic!("pad {pad}: {e}"),
            }
        }
        assert_eq!((recs, evs), (want_recs, want_evs), "pad {pad}");
        assert_eq!(r.stats().sections, 2, "pad {pad}");
    }
}
