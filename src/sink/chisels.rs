//! The chisel host ([`crate::chisel::ChiselSet`]) as a [`Sink`].
//!
//! sysdig prints a chisel's error, then still ends the capture for the
//! chisels (`on_capture_end`) and exits with 1: every error here does that and
//! returns [`SinkError::Exit`]`(1)`.

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
    sink: ChiselSink,
    widths: Vec<usize>,
    rx: Receiver<Msg>,
    spare: SyncSender<Batch>,
    reply: SyncSender<Result<(), SinkError>>,
    stop: Arc<AtomicBool>,
}

/// What the reader sends.
enum Msg {
    /// The capture starts: run `on_capture_start`, then reply.
    Begin(StatePtr),
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

/// Splits a run of `set` into its reader half and its chisel half; `ex`
/// and `widths` come from [`ChiselSet::ahead_extractor`].
pub fn ahead_pair(set: ChiselSet, ex: Extractor, widths: Vec<usize>) -> (AheadReader, AheadHost) {
    let (tx, rx) = sync_channel(IN_FLIGHT);
    let (spare_tx, spare_rx) = sync_channel(IN_FLIGHT + 2);
    let (reply_tx, reply_rx) = sync_channel(1);
    let stop = Arc::new(AtomicBool::new(false));
    let reader = AheadReader { ex, cur: Batch::default(), tx, spare: spare_rx, reply: reply_rx, stop: stop.clone() };
    let host = AheadHost { sink: ChiselSink::new(set), widths, rx, spare: spare_tx, reply: reply_tx, stop };
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

    /// Sends `m` and waits for the chisel thread's reply.
    fn meet(&mut self, m: Msg) -> Result<(), SinkError> {
        let gone = || SinkError::Failed("the chisel thread ended early".into());
        self.tx.send(m).map_err(|_| gone())?;
        self.reply.recv().map_err(|_| gone())?
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
    fn begin(&mut self, st: &State) -> Result<(), SinkError> {
        self.meet(Msg::Begin(StatePtr(st)))
    }

    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        Ok(self.add(ctx, true))
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        // A stop shows at the next event that passes the filter.
        self.add(ctx, false);
        Ok(())
    }

    fn finish(&mut self, st: &State) -> Result<(), SinkError> {
        self.send();
        self.meet(Msg::Finish(StatePtr(st)))
    }
}

impl AheadHost {
    /// Runs the chisels on what the reader sends, until the capture ends.
    /// A chisel's error is printed at once; the reader is told to stop, and
    /// the chisels still end the capture (`on_capture_end`), as in step.
    pub fn serve(mut self) {
        let mut failed = None;
        let mut stopped = false;
        while let Ok(m) = self.rx.recv() {
            match m {
                Msg::Begin(p) => {
                    // SAFETY: see StatePtr.
                    let r = self.sink.begin(unsafe { &*p.0 });
                    let _ = self.reply.send(r);
                }
                Msg::Events(mut b) => {
                    if failed.is_none() && !stopped {
                        for i in 0..b.recs.len() {
                            match self.sink.set.on_batch_event(&b, i, &self.widths) {
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
                            let _ = self.sink.set.on_capture_end(st);
                            Err(e)
                        }
                        None => self.sink.finish(st),
                    };
                    let _ = self.reply.send(r);
                    return;
                }
            }
        }
    }
}
