//! Sinks: where events go after the filter — the printer ([`printer`]), the
//! chisel host ([`chisels`], over `src/chisel`), the capture writer
//! ([`capture`], over [`writer`]), the Parquet export ([`parquet`]).
//!
//! Every output implements [`Sink`]; the runner's loop knows no sink by name:
//! it feeds each event to every sink of the run, in order, and stops when one
//! of them says so. A new output (a summary, an export) is one more
//! implementation of the trait, built by the runner from its own options.
//!
//! The calls a sink receives, for one capture:
//!
//! 1. [`Sink::record`] for every header record (threads, fds, users,
//!    machine...) met before or between events; the state already holds the
//!    records seen before it.
//! 2. [`Sink::begin`] once, right before the first event, when the capture's
//!    header is in the state (sysdig's `on_capture_start`); if the capture has
//!    no event at all, right before [`Sink::finish`].
//! 3. [`Sink::matched`] for each event that passed the filter, or
//!    [`Sink::unmatched`] for each event it rejected (the state has seen both).
//! 4. [`Sink::finish`] once at the end, unless an error stopped the run.
//!
//! A sink never depends on the runner's options: each takes its own small
//! settings type.

pub mod capture;
pub mod chisels;
pub mod parquet;
pub mod printer;
pub mod progress;
pub mod summary;
pub mod writer;

use std::fmt;

use crate::fields::EvalCtx;
use crate::source::Record;
use crate::state::State;

/// What the run does after a sink has handled an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next event.
    Continue,
    /// End the capture now (e.g. a chisel called `sysdig.end_capture()`);
    /// the remaining sinks do not see this event, and every sink is finished
    /// normally.
    Stop,
    /// Go on, but hand the rest of the capture to a reader thread of its own
    /// if the run can (see `pipeline::run_capture_adaptive`); elsewhere the
    /// same as `Continue`.
    Handoff,
}

/// Why a sink stopped the run. The run ends at once: the other sinks are not
/// finished (as when an error interrupts sysdig).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// End the run with this exit code; everything worth saying was already
    /// said (a chisel error printed by the host: 1; a reader of our output
    /// that went away: 0).
    Exit(i32),
    /// A failure the caller reports (exit code 1).
    Failed(String),
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SinkError::Exit(code) => write!(f, "exit {code}"),
            SinkError::Failed(m) => f.write_str(m),
        }
    }
}

impl From<String> for SinkError {
    fn from(m: String) -> SinkError {
        SinkError::Failed(m)
    }
}

/// A sink lent to a run (the runner keeps it).
impl<T: Sink + ?Sized> Sink for &mut T {
    fn record(&mut self, rec: &Record) {
        (**self).record(rec)
    }

    fn begin(&mut self, st: &State) -> Result<(), SinkError> {
        (**self).begin(st)
    }

    #[inline]
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        (**self).matched(ctx)
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        (**self).unmatched(ctx)
    }

    fn finish(&mut self, st: &State) -> Result<(), SinkError> {
        (**self).finish(st)
    }
}

/// One output of a run. See the [module docs](self) for the call order.
pub trait Sink {
    /// A header record read from the source (before it is applied to the
    /// state). Default: ignored.
    fn record(&mut self, _rec: &Record) {}

    /// The capture starts: its header is in `st`. Default: nothing.
    fn begin(&mut self, _st: &State) -> Result<(), SinkError> {
        Ok(())
    }

    /// An event that passed the filter; `ctx` reads its fields through the
    /// field registry, with the state updated by this event.
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError>;

    /// An event the filter rejected (chisels use it for their timers).
    /// Default: nothing.
    fn unmatched(&mut self, _ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        Ok(())
    }

    /// The capture ended (end of input, event limit, `Flow::Stop` or a stop
    /// signal): write what remains, close files.
    fn finish(&mut self, st: &State) -> Result<(), SinkError>;
}
