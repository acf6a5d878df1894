//! Events longer than libscap's 64 KiB read buffer: sysdig 0.29.3 refuses the
//! whole capture ("event block length ... greater than NON-LARGE read buffer
//! size"); rchisel reads them, and still reports corrupt lengths.

use std::path::PathBuf;
use std::process::Command;

use rchisel::event::Event;
use rchisel::sink::writer::{Compression, ScapWriter};
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};

/// The body of a write exit event (res, data): 16-bit parameter lengths.
fn write_x(data: &[u8]) -> Vec<u8> {
    let res = (data.len() as i64).to_le_bytes();
    let mut b = Vec::new();
    b.extend_from_slice(&(res.len() as u16).to_le_bytes());
    b.extend_from_slice(&(data.len() as u16).to_le_bytes());
    b.extend_from_slice(&res);
    b.extend_from_slice(data);
    b
}

fn capture(name: &str, sizes: &[usize]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let mut w = ScapWriter::create(&path, Compression::None).unwrap();
    for (i, &n) in sizes.iter().enumerate() {
        let data: Vec<u8> = (0..n).map(|k| b'a' + (k % 26) as u8).collect();
        let body = write_x(&data);
        let ts = 1_700_000_000_000_000_000 + i as u64 * 1000;
        let ev = Event { num: 0, cpu: 0, ts, tid: 7, etype: 9, nparams: 2, flags: 0, large: false, body: &body };
        w.write_event(&ev).unwrap();
    }
    w.finish().unwrap();
    // The writer puts events past 64 KiB in large blocks (EV_V2_LARGE),
    // which sysdig reads. Rewrite them as libscap's classic event blocks (EV,
    // 0x204, v1 event header): sysdig 0.29.3 refuses those past 64 KiB.
    let old = std::fs::read(&path).unwrap();
    let mut raw = Vec::new();
    let mut off = 0;
    while off + 8 <= old.len() {
        let t = u32::from_le_bytes(old[off..off + 4].try_into().unwrap());
        let l = u32::from_le_bytes(old[off + 4..off + 8].try_into().unwrap()) as usize;
        if t == 0x221 {
            // cpu u16, then ts u64, tid u64, len u32, type u16, nparams u32, params.
            let body = &old[off + 8..off + l - 4];
            let ev = &body[2..];
            let evlen = u32::from_le_bytes(ev[16..20].try_into().unwrap()) as usize;
            let mut b = body[..2].to_vec();
            b.extend_from_slice(&ev[..16]);
            b.extend_from_slice(&((evlen - 4) as u32).to_le_bytes());
            b.extend_from_slice(&ev[20..22]);
            b.extend_from_slice(&ev[26..evlen]);
            let blen = (8 + b.len() + 4 + 3) & !3;
            raw.extend_from_slice(&0x204u32.to_le_bytes());
            raw.extend_from_slice(&(blen as u32).to_le_bytes());
            raw.extend_from_slice(&b);
            raw.resize(raw.len() + blen - 12 - b.len(), 0);
            raw.extend_from_slice(&(blen as u32).to_le_bytes());
        } else {
            raw.extend_from_slice(&old[off..off + l]);
        }
        off += l;
    }
    std::fs::write(&path, raw).unwrap();
    path
}

#[test]
fn events_past_64k_are_read_whole() {
    let sizes = [10, 65_535, 40_000, 65_000];
    let path = capture("big_events.scap", &sizes);
    let mut r = ScapReader::open(&path).unwrap();
    let mut got = Vec::new();
    while let Some(it) = r.next_item().expect("a capture with events past 64 KiB reads cleanly") {
        if let Item::Event(e) = it {
            let data = e.param(1).unwrap();
            assert!(data.iter().enumerate().all(|(k, &c)| c == b'a' + (k % 26) as u8));
            got.push(data.len());
        }
    }
    assert_eq!(got, sizes);
}

#[test]
fn big_event_is_printed_whole_with_v() {
    let path = capture("big_event_print.scap", &[10, 65_535]);
    let out = Command::new(env!("CARGO_BIN_EXE_rchisel"))
        .args(["-v", "-p", "%evt.rawarg.res %evt.buffer"])
        .arg("-r")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with("65535 abcdefghijklmnopqrstuvwxyzabc"), "{:.80}", lines[1]);
    assert_eq!(lines[1].len(), "65535 ".len() + 65_535);
    // sysdig 0.29.3 stops at the big event (skipped without sysdig).
    if let Ok(s) = Command::new("sysdig").arg("-r").arg(&path).args(["-p", "%evt.rawarg.res"]).output() {
        let err = String::from_utf8_lossy(&s.stderr);
        assert!(err.contains("greater than NON-LARGE read buffer size"), "sysdig read a block past 64 KiB: {err}");
        assert_eq!(String::from_utf8_lossy(&s.stdout), "10\n");
    }
}
