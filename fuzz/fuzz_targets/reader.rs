//! Feeds arbitrary bytes (plain, or gzip-wrapped when the first byte is odd)
//! through the scap reader and touches every item it yields.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use rchisel::source::scap::ScapReader;
use rchisel::source::scap::prefetch::Prefetch;
use rchisel::source::{Item, Source};

/// What a reader yields, item by item (events as their header and body,
/// records by kind), ending with the error that stopped it, if any.
fn items(src: &mut dyn Source) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        match src.next_item() {
            Ok(Some(Item::Event(e))) => {
                for p in e.params() {
                    std::hint::black_box(p);
                }
                for i in 0..e.nparams.min(64) as usize {
                    std::hint::black_box(e.param(i));
                }
                out.push(format!("ev {} {} {} {} {} {:?}", e.cpu, e.ts, e.tid, e.etype, e.nparams, e.body));
            }
            Ok(Some(Item::Record(rec))) => out.push(format!("rec {:?}", std::mem::discriminant(&rec))),
            Ok(None) => break,
            Err(e) => {
                out.push(format!("err {e}"));
                break;
            }
        }
        if out.len() > 100_000 {
            break;
        }
    }
    let _ = src.take_warnings();
    let _ = src.progress();
    out
}

fn drain(bytes: Vec<u8>) {
    let Ok(mut r) = ScapReader::new(Cursor::new(bytes.clone())) else { return };
    let plain = items(&mut r);
    // The threaded reader, its batches tiny (then growing) so that blocks
    // straddle batch buffers: it must yield exactly what the plain one does.
    let Ok(r) = ScapReader::new(Cursor::new(bytes)) else { panic!("second open failed") };
    let mut p = Prefetch::with_batch_size(r, 64 + plain.len() % 512);
    let threaded = items(&mut p);
    if plain.len() <= 100_000 {
        assert_eq!(plain, threaded);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&first, rest)) = data.split_first() {
        if first & 1 == 1 {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = enc.write_all(rest);
            if let Ok(gz) = enc.finish() {
                // Also try a cut gzip stream.
                let cut = gz.len() * (first as usize) / 256;
                drain(gz[..cut].to_vec());
                drain(gz);
            }
            return;
        }
    }
    drain(data.to_vec());
});
