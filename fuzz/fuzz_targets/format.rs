//! Fuzz target: arbitrary `-p` format strings, compiled against the real
//! field registry and printed (text or JSON, every buffer format and time
//! type, chosen by the first byte) for the events of a bundled capture.
//! Must never panic: a bad format is an error message, a good one prints.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use rchisel::event::render::{BufFormat, RenderOpts};
use rchisel::fields::{Registry, TimeType};
use rchisel::pipeline::{run_capture, Limits, Sinks, Src};
use rchisel::sink::printer::{unescape, PrintSink, Printer, PrinterOpts};
use rchisel::source::scap::ScapReader;

/// A small capture with files, sockets and processes.
const TRACE: &[u8] = include_bytes!("../../traces/fd_leak.scap");

const BUFS: [BufFormat; 5] = [BufFormat::Normal, BufFormat::Ascii, BufFormat::Hex, BufFormat::HexAscii, BufFormat::Base64];
const TIMES: [TimeType; 5] =
    [TimeType::Human, TimeType::Absolute, TimeType::Relative, TimeType::Delta, TimeType::DeltaSameThread];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let json = sel & 0x80 != 0;
    let mut render = RenderOpts { buf_format: BUFS[(sel & 7) as usize % 5], ..RenderOpts::default() };
    if json && render.buf_format == BufFormat::Normal {
        render.buf_format = BufFormat::JsonNormal;
    }
    render.full_bufs = sel & 0x40 != 0;
    let opts = PrinterOpts {
        format: unescape(text),
        json,
        render,
        time_type: TIMES[((sel >> 3) & 7) as usize % 5],
    };
    let printer = match Printer::new(Registry::get(), &opts) {
        Ok(p) => p,
        Err(msg) => {
            assert!(!msg.is_empty(), "empty error message for {text:?}");
            return;
        }
    };
    let Ok(reader) = ScapReader::new(Cursor::new(TRACE.to_vec())) else { return };
    let mut out = std::io::sink();
    let mut sinks: Sinks<'_> = vec![Box::new(PrintSink::new(printer, &mut out, sel & 0x20 != 0, false))];
    let mut src = Src::Other(Box::new(reader));
    let limits = Limits { max_matched: 300, ..Limits::default() };
    let _ = run_capture(&mut src, None, &mut sinks, &limits, "fuzz");
});
