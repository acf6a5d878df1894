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
    fatfile: bool,
}


impl CaptureSink {
    /// Writes to the files named by `cfg` (its `base` is the `-w` path).
    pub fn new(cfg: CycleConfig, compression: Compression) -> CaptureSink {
        CaptureSink { cfg, compression, header: Vec::new(), writer: None, fatfile: false }
    }

    /// sysdig's fatfile mode (`-F`): events the filter rejected that change
    /// the state (`EF_MODIFIES_STATE`: clone, execve, open, close...) are
    /// written too, flagged state-only, so that a reader rebuilds the same
    /// threads and fds but shows only the matched events.
    pub fn fatfile(mut self, on: bool) -> CaptureSink {
        self.fatfile = on;
        self
    }

    fn write(&mut self, ev: &crate::event::Event<'_>) -> Result<(), SinkError> {
        if self.writer.is_none() {
            self.writer = Some(self.open()?);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_event(ev).map_err(|e| SinkError::Failed(format!("error writing {}: {e}", self.cfg.base)))?;
        }
        Ok(())
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
        self.write(ctx.ev)?;
        Ok(Flow::Continue)
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        if !self.fatfile {
            return Ok(());
        }
        let modifies = ctx.ev.info().map(|i| i.flags & crate::event::consts::EF_MODIFIES_STATE != 0).unwrap_or(false);
        if !modifies {
            return Ok(());
        }
        let hidden = crate::event::Event { flags: ctx.ev.flags | crate::event::Event::DF_STATE_ONLY, ..*ctx.ev };
        self.write(&hidden)
    }

    fn finish(&mut self, _st: &State) -> Result<(), SinkError> {
        let w = match self.writer.take() {
            Some(w) => w,
            None => self.open()?,
        };
        w.finish().map_err(|e| SinkError::Failed(format!("error closing {}: {e}", self.cfg.base)))
    }
}
