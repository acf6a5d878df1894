//! Sinks: where events go after filtering — the printer, the chisel host
//! (src/chisel) and the capture writer.

pub mod printer;
pub mod writer;
