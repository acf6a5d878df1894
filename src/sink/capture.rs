//! The capture writer (`-w`, with `-C`/`-G`/`-W`/`-E` rotation) as a [`Sink`].
//!
//! The file is opened at the first matched event, with the header records
//! read until then; a capture with no matching event still gets a file with
//! its header tables.

use super::writer::cycle::{CycleConfig, RotatingWriter};
use super::writer::Compression;
use super::{Flow, Sink, SinkError};
use crate::fields::EvalCtx;
use crate::source::Record;
use crate::state::State;

/// Writes every matched event to a scap file.
pub struct CaptureSink {
    cfg: CycleConfig,
    compression: Compression,
    header: Vec<Record>,
    writer: Option<RotatingWriter>,
}

impl CaptureSink {
    /// Writes to the files named by `cfg` (its `base` is the `-w` path).
    pub fn new(cfg: CycleConfig, compression: Compression) -> CaptureSink {
        CaptureSink { cfg, compression, header: Vec::new(), writer: None }
    }

    fn open(&mut self) -> Result<RotatingWriter, SinkError> {
        RotatingWriter::new(self.cfg.clone(), self.compression, std::mem::take(&mut self.header))
            .map_err(|e| SinkError::Failed(format!("{}: {e}", self.cfg.base)))
    }
}

impl Sink for CaptureSink {
    fn record(&mut self, rec: &Record) {
        // Records met after the file is open are not written (as before).
        if self.writer.is_none() {
            self.header.push(rec.clone());
        }
    }

    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        if self.writer.is_none() {
            self.writer = Some(self.open()?);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_event(ctx.ev).map_err(|e| SinkError::Failed(format!("error writing {}: {e}", self.cfg.base)))?;
        }
        Ok(Flow::Continue)
    }

    fn finish(&mut self, _st: &State) -> Result<(), SinkError> {
        let w = match self.writer.take() {
            Some(w) => w,
            None => self.open()?,
        };
        w.finish().map_err(|e| SinkError::Failed(format!("error closing {}: {e}", self.cfg.base)))
    }
}
