//! The chisel host ([`crate::chisel::ChiselSet`]) as a [`Sink`].
//!
//! sysdig prints a chisel's error, then still ends the capture for the
//! chisels (`on_capture_end`) and exits with 1: every error here does that and
//! returns [`SinkError::Exit`]`(1)`.

use super::{Flow, Sink, SinkError};
use crate::chisel::ChiselSet;
use crate::fields::EvalCtx;
use crate::state::State;

/// Drives the `-c` chisels of a run.
pub struct ChiselSink {
    set: ChiselSet,
}

impl ChiselSink {
    /// Wraps the loaded chisels.
    pub fn new(set: ChiselSet) -> ChiselSink {
        ChiselSink { set }
    }

    fn fail(&mut self, e: String, st: &State) -> SinkError {
        eprintln!("{e}");
        let _ = self.set.on_capture_end(st);
        SinkError::Exit(1)
    }
}

impl Sink for ChiselSink {
    fn begin(&mut self, st: &State) -> Result<(), SinkError> {
        self.set.on_capture_start(st).map_err(|e| self.fail(e, st))
    }

    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        match self.set.on_event(ctx) {
            Ok(crate::chisel::Flow::Continue) => Ok(Flow::Continue),
            Ok(crate::chisel::Flow::Stop) => Ok(Flow::Stop),
            Err(e) => Err(self.fail(e, ctx.state)),
        }
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        self.set.on_timeout(ctx).map_err(|e| self.fail(e, ctx.state))
    }

    /// An error of `on_capture_end` itself is reported by the caller.
    /// A second run requested with `sysdig.run_app` runs here; its exit
    /// status becomes the run's, as in sysdig.
    fn finish(&mut self, st: &State) -> Result<(), SinkError> {
        self.set.end_of_input().map_err(SinkError::Failed)?;
        self.set.on_capture_end(st).map_err(SinkError::Failed)?;
        match self.set.run_second_run() {
            None | Some(Ok(0)) => Ok(()),
            Some(Ok(code)) => Err(SinkError::Exit(code)),
            Some(Err(e)) => Err(SinkError::Failed(e)),
        }
    }
}
