//! Builds a large benchmark capture from a small real one: writes the
//! header tables once, then the events `COUNT` times, shifting timestamps so
//! each copy follows the previous one.
//!
//!     cargo run --release --example replicate -- IN.scap OUT.scap COUNT

use rchisel::sink::writer::{Compression, ScapWriter};
use rchisel::source::{scap::ScapReader, Item, Source};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: replicate IN.scap OUT.scap COUNT".into());
    }
    let count: u64 = args[3].parse()?;
    let mut out = ScapWriter::create(&args[2], Compression::None)?;
    let (mut first, mut last) = (u64::MAX, 0u64);
    for pass in 0..count {
        let mut rd = ScapReader::open(std::path::Path::new(&args[1]))?;
        let mut header = Vec::new();
        let shift = pass * (last.saturating_sub(first) + 1_000);
        while let Some(item) = rd.next_item()? {
            match item {
                Item::Record(r) if pass == 0 => header.push(r),
                Item::Record(_) => {}
                Item::Event(mut ev) => {
                    if pass == 0 {
                        if !header.is_empty() {
                            out.write_records(&std::mem::take(&mut header))?;
                        }
                        first = first.min(ev.ts);
                        last = last.max(ev.ts);
                    }
                    ev.ts += shift;
                    out.write_event(&ev)?;
                }
            }
        }
    }
    out.finish()?;
    Ok(())
}
