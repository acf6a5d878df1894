//! Feeds arbitrary bytes (plain, or gzip-wrapped when the first byte is odd)
//! through the scap reader and touches every item it yields.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};

fn drain(bytes: Vec<u8>) {
    let Ok(mut r) = ScapReader::new(Cursor::new(bytes)) else { return };
    let mut n = 0u32;
    loop {
        match r.next_item() {
            Ok(Some(Item::Event(e))) => {
                for p in e.params() {
                    std::hint::black_box(p);
                }
                for i in 0..e.nparams.min(64) as usize {
                    std::hint::black_box(e.param(i));
                }
            }
            Ok(Some(Item::Record(rec))) => {
                std::hint::black_box(rec);
            }
            Ok(None) | Err(_) => break,
        }
        n += 1;
        if n > 100_000 {
            break;
        }
    }
    let _ = r.take_warnings();
    let _ = r.progress();
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
