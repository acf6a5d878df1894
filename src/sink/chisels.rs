//! The chisel host ([`crate::chisel::ChiselSet`]) as a [`Sink`].
//!
//! sysdig prints a chisel's error, then still ends the capture for the
//! chisels (`on_capture_end`) and exits with 1: every error here does that and
//! returns [`SinkError::Exit`]`(1)`.
//!
//! On a capture file the chisels may read ahead ([`crate::chisel::ahead`]):
//! [`ChiselSink::adaptive`] measures their share of the time over the first
//! events and asks for a hand-over; then [`AheadReader`] extracts their
//! fields on the reader thread and [`AheadHost`] runs them on this one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use super::{Flow, Sink, SinkError};
use crate::chisel::ahead::{Batch, Extractor};
use crate::chisel::ChiselSet;
use crate::fields::EvalCtx;
use crate::state::State;

/// Drives the `-c` chisels of a run.
pub struct ChiselSink {
    set: ChiselSet,
    /// Measures the chisels' share of the time, to decide on reading ahead.
    calib: Option<Calib>,
}

impl ChiselSink {
    /// Wraps the loaded chisels.
    pub fn new(set: ChiselSet) -> ChiselSink {
        ChiselSink { set, calib: None }
    }

    /// Measures, over the first events, how much of the time the chisels
    /// take; when it is most of it and they can read ahead, asks the run to
    /// hand the rest of the capture to a reader thread ([`Flow::Handoff`],
    /// see [`ChiselSink::ahead_extractor`]). Light chisels stay in step: the
    /// hand-over between threads would cost them more than it saves.
    /// `after`: hand off after this many events, without measuring.
    pub fn adaptive(mut self, after: Option<u64>) -> ChiselSink {
        if self.set.ahead_possible() {
            self.calib = Some(Calib { after, ..Calib::default() });
        }
        self
    }

    /// What the reader thread does for the chisels once they read ahead;
    /// `None` when they cannot (see [`ChiselSet::ahead_extractor`]).
    pub fn ahead_extractor(&self) -> Option<(Extractor, Vec<usize>)> {
        self.set.ahead_extractor()
    }

    /// The chisels' `on_event`, a chisel error ending the run.
    #[inline]
    fn on_event(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        match self.set.on_event(ctx) {
            Ok(crate::chisel::Flow::Continue) => Ok(Flow::Continue),
            Ok(crate::chisel::Flow::Stop) => Ok(Flow::Stop),
            Err(e) => Err(self.fail(e, ctx.state)),
        }
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
        let Some(t0) = self.calib.as_mut().map(Calib::before) else {
            return self.on_event(ctx);
        };
        if self.on_event(ctx)? == Flow::Stop {
            return Ok(Flow::Stop);
        }
        match self.calib.as_mut().and_then(|c| c.after(t0)) {
            None => Ok(Flow::Continue),
            Some(ahead) => {
                self.calib = None;
                Ok(if ahead { Flow::Handoff } else { Flow::Continue })
            }
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

/// Events between two timed ones while deciding on reading ahead.
const SAMPLE_EVERY: u64 = 64;
/// Events seen in step before deciding.
const DECIDE_AFTER: u64 = 1 << 16;
/// The chisels' share of the time above which they read ahead: the reader
/// thread then takes the rest (reading, state, field extraction), and the
/// chisels' Lua loses the field extraction.
const AHEAD_SHARE: f64 = 0.6;

/// Times every [`SAMPLE_EVERY`]th event: the chisels' call, and the time
/// since the previous event's call ended (reading, state, filter).
#[derive(Default)]
struct Calib {
    /// Read ahead after this many events, whatever the share.
    after: Option<u64>,
    n: u64,
    chisels: std::time::Duration,
    rest: std::time::Duration,
    last_end: Option<std::time::Instant>,
}

impl Calib {
    /// Before the chisels' call: the start time when this event is timed.
    #[inline]
    fn before(&mut self) -> Option<std::time::Instant> {
        self.n += 1;
        if !self.n.is_multiple_of(SAMPLE_EVERY) {
            return None;
        }
        let now = std::time::Instant::now();
        if let Some(e) = self.last_end.take() {
            self.rest += now - e;
        }
        Some(now)
    }

    /// After the call: `Some(read ahead?)` once decided.
    #[inline]
    fn after(&mut self, t0: Option<std::time::Instant>) -> Option<bool> {
        let next_timed = (self.n + 1).is_multiple_of(SAMPLE_EVERY);
        if t0.is_some() || next_timed {
            let now = std::time::Instant::now();
            if let Some(t0) = t0 {
                self.chisels += now - t0;
            }
            if next_timed {
                self.last_end = Some(now);
            }
        }
        if let Some(a) = self.after {
            return (self.n >= a).then_some(true);
        }
        if self.n < DECIDE_AFTER {
            return None;
        }
        let total = (self.chisels + self.rest).as_secs_f64();
        Some(total > 0.0 && self.chisels.as_secs_f64() / total >= AHEAD_SHARE)
    }
}

/// The reader thread's half of a run whose chisels read ahead (see
/// [`crate::chisel::ahead`]): a sink that extracts the chisels' fields per
/// event into batches for the chisel thread ([`AheadHost`]).
pub struct AheadReader {
    ex: Extractor,
    cur: Batch,
    tx: SyncSender<Msg>,
    spare: Receiver<Batch>,
    reply: Receiver<Result<(), SinkError>>,
    stop: Arc<AtomicBool>,
}

/// The chisel thread's half: runs the chisels on the batches it receives.
pub struct AheadHost {
    widths: Vec<usize>,
    rx: Receiver<Msg>,
    spare: SyncSender<Batch>,
    reply: SyncSender<Result<(), SinkError>>,
    stop: Arc<AtomicBool>,
}

/// What the reader sends (the capture began in step, before the hand-over:
/// `on_capture_start` has run).
enum Msg {
    /// Events.
    Events(Batch),
    /// The capture ended: finish the chisels, then reply.
    Finish(StatePtr),
}

/// The reader's state, lent to the chisel thread while the reader waits
/// for the reply.
struct StatePtr(*const State);

// SAFETY: the pointer is only dereferenced by the chisel thread between
// receiving the message and replying to it, while the reader thread, which
// owns the state, is blocked waiting for that reply: the state is never
// used by both threads at once, and the channels order the accesses.
unsafe impl Send for StatePtr {}

/// Batches on their way to the chisel thread, at most.
const IN_FLIGHT: usize = 4;

/// The reader half and the chisel half of a run whose chisels read ahead;
/// `ex` and `widths` come from [`ChiselSink::ahead_extractor`].
pub fn ahead_pair(ex: Extractor, widths: Vec<usize>) -> (AheadReader, AheadHost) {
    let (tx, rx) = sync_channel(IN_FLIGHT);
    let (spare_tx, spare_rx) = sync_channel(IN_FLIGHT + 2);
    let (reply_tx, reply_rx) = sync_channel(1);
    let stop = Arc::new(AtomicBool::new(false));
    let reader = AheadReader { ex, cur: Batch::default(), tx, spare: spare_rx, reply: reply_rx, stop: stop.clone() };
    let host = AheadHost { widths, rx, spare: spare_tx, reply: reply_tx, stop };
    (reader, host)
}

impl AheadReader {
    /// Sends the current batch; false when the chisel thread is gone.
    fn send(&mut self) -> bool {
        if self.cur.recs.is_empty() {
            return true;
        }
        let next = self.spare.try_recv().unwrap_or_default();
        let b = std::mem::replace(&mut self.cur, next);
        self.tx.send(Msg::Events(b)).is_ok()
    }

    fn add(&mut self, ctx: &mut EvalCtx<'_>, matched: bool) -> Flow {
        if self.stop.load(Ordering::Relaxed) {
            return Flow::Stop;
        }
        self.ex.add(ctx, matched, &mut self.cur);
        if self.cur.full() && !self.send() {
            return Flow::Stop;
        }
        Flow::Continue
    }
}

impl Sink for AheadReader {
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        Ok(self.add(ctx, true))
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        // A stop shows at the next event that passes the filter.
        self.add(ctx, false);
        Ok(())
    }

    /// Sends what is left, then waits for the chisels to end the capture.
    fn finish(&mut self, st: &State) -> Result<(), SinkError> {
        self.send();
        let gone = || SinkError::Failed("the chisel thread ended early".into());
        self.tx.send(Msg::Finish(StatePtr(st))).map_err(|_| gone())?;
        self.reply.recv().map_err(|_| gone())?
    }
}

impl AheadHost {
    /// Runs the chisels of `sink` on what the reader sends, until the
    /// capture ends. A chisel's error is printed at once; the reader is told
    /// to stop, and the chisels still end the capture (`on_capture_end`), as
    /// in step.
    pub fn serve(self, sink: &mut ChiselSink) {
        let mut failed = None;
        let mut stopped = false;
        while let Ok(m) = self.rx.recv() {
            match m {
                Msg::Events(mut b) => {
                    if failed.is_none() && !stopped {
                        for i in 0..b.recs.len() {
                            match sink.set.on_batch_event(&b, i, &self.widths) {
                                Ok(crate::chisel::Flow::Continue) => {}
                                Ok(crate::chisel::Flow::Stop) => stopped = true,
                                Err(e) => {
                                    eprintln!("{e}");
                                    failed = Some(SinkError::Exit(1));
                                }
                            }
                            if stopped || failed.is_some() {
                                self.stop.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                    b.clear();
                    let _ = self.spare.try_send(b);
                }
                Msg::Finish(p) => {
                    // SAFETY: see StatePtr.
                    let st = unsafe { &*p.0 };
                    let r = match failed.take() {
                        Some(e) => {
                            let _ = sink.set.on_capture_end(st);
                            Err(e)
                        }
                        None => sink.finish(st),
                    };
                    let _ = self.reply.send(r);
                    return;
                }
            }
        }
    }
}
