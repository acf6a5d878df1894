//! Reading the rings on a thread of their own: [`Relay`] runs a
//! [`LiveSource`] on a second thread, which merges the rings, copies each
//! event into a batch buffer and gives the ring space back at once, while the
//! caller's thread updates the state, filters and writes.
//!
//! One thread doing both fell behind in a storm on every CPU: it needed
//! about 160 ns per event, the probe wrote faster than that on two CPUs, and
//! the rings only hid the difference for a while. Split in two, the rings
//! drain at the speed of the copying thread, and each half gets its own CPU
//! (both run at the reader's raised priority).
//!
//! A batch goes to the caller when it is full, and whenever the source would
//! wait for the probe, so that a trickle of events is not held back. The
//! queue of batches is bounded: a caller that falls behind makes the copying
//! thread wait, and the rings fill as before.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{LiveSource, Polled, Wait};
use crate::event::Event;
use crate::source::{Item, Record, Source, SourceError};

/// Event bytes that make a batch full.
const BATCH_BYTES: usize = 256 << 10;
/// Events (and records) that make a batch full.
const BATCH_ITEMS: usize = 4096;
/// Batches waiting for the caller.
const QUEUE: usize = 16;
/// A batch that is not full goes to the caller when the source is about to
/// sleep in epoll (nothing pending), or before a shorter wait once its first
/// event is this old: a trickle of events costs the caller a wake-up per
/// this time, not one per batching delay.
const MAX_HOLD: Duration = Duration::from_millis(100);

/// An event's header fields and where its body lies in the batch buffer.
struct Copied {
    num: u64,
    cpu: u16,
    ts: u64,
    tid: i64,
    etype: u16,
    nparams: u32,
    start: usize,
    len: usize,
}

enum Slot {
    Event(Copied),
    Record(Box<Record>),
    Error(SourceError),
    /// A record or error already handed out.
    Taken,
}

/// What the source said at its end.
struct End {
    stats: (u64, u64),
    peak: f64,
}

#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    items: Vec<Slot>,
    warnings: Vec<String>,
    /// Set on the last batch.
    end: Option<End>,
    /// When the first item went in.
    since: Option<Instant>,
}

impl Batch {
    fn push_event(&mut self, e: &Event<'_>) {
        let start = self.buf.len();
        self.buf.extend_from_slice(e.body);
        self.items.push(Slot::Event(Copied {
            num: e.num,
            cpu: e.cpu,
            ts: e.ts,
            tid: e.tid,
            etype: e.etype,
            nparams: e.nparams,
            start,
            len: e.body.len(),
        }));
    }

    fn full(&self) -> bool {
        self.buf.len() >= BATCH_BYTES || self.items.len() >= BATCH_ITEMS
    }
}

/// A [`LiveSource`] read on its own thread (see the module docs).
pub struct Relay {
    rx: Option<Receiver<Batch>>,
    recycle: Sender<Batch>,
    cur: Batch,
    next: usize,
    ended: bool,
    end: Option<End>,
    warnings: Vec<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Relay {
    /// Moves `src` to a new thread and starts reading it.
    pub fn spawn(src: LiveSource) -> std::io::Result<Relay> {
        let (tx, rx) = sync_channel(QUEUE);
        let (recycle, spares) = channel();
        let stop = src.stop_handle();
        let thread = std::thread::Builder::new().name("rchisel-rings".into()).spawn(move || {
            crate::sched::batch_thread();
            run(src, &tx, &spares)
        })?;
        Ok(Relay {
            rx: Some(rx),
            recycle,
            cur: Batch::default(),
            next: 0,
            ended: false,
            end: None,
            warnings: Vec::new(),
            stop,
            thread: Some(thread),
        })
    }

    /// Takes the next batch; false at the end.
    fn advance(&mut self) -> Result<bool, SourceError> {
        if self.ended {
            return Ok(false);
        }
        let got = self.rx.as_ref().and_then(|rx| rx.recv().ok());
        let Some(mut b) = got else {
            self.ended = true;
            return Err(SourceError { offset: 0, message: "internal error: the ring reader stopped unexpectedly".into() });
        };
        self.warnings.append(&mut b.warnings);
        if let Some(end) = b.end.take() {
            self.end = Some(end);
            self.ended = true;
        }
        let old = std::mem::replace(&mut self.cur, b);
        let _ = self.recycle.send(old);
        self.next = 0;
        Ok(true)
    }

}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The thread's next send fails and it ends (detaching the probe).
        self.rx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The thread: polls the source, copies events into batches, sends a batch
/// when it is full or before waiting.
fn run(mut src: LiveSource, tx: &SyncSender<Batch>, spares: &Receiver<Batch>) {
    let fresh = |spares: &Receiver<Batch>| {
        let mut b = spares.try_recv().unwrap_or_default();
        b.buf.clear();
        b.items.clear();
        b.since = None;
        b
    };
    let mut b = fresh(spares);
    loop {
        if b.items.is_empty() {
            b.since = Some(Instant::now());
        }
        let p = src.poll();
        match p {
            Polled::Record(r) => b.items.push(Slot::Record(Box::new(r))),
            Polled::Wait(w) => {
                let due = matches!(w, Wait::Epoll(_)) || b.since.is_some_and(|t| t.elapsed() >= MAX_HOLD);
                if !b.items.is_empty() && due {
                    b.warnings = src.take_warnings();
                    if tx.send(std::mem::replace(&mut b, fresh(spares))).is_err() {
                        return;
                    }
                }
                src.wait_for(w);
                continue;
            }
            Polled::End => break,
            p => match src.take(&p) {
                Ok(e) => b.push_event(&e),
                Err(e) => {
                    b.items.push(Slot::Error(e));
                    break;
                }
            },
        }
        if b.full() {
            b.warnings = src.take_warnings();
            if tx.send(std::mem::replace(&mut b, fresh(spares))).is_err() {
                return;
            }
        }
    }
    b.warnings = src.take_warnings();
    b.end = Some(End { stats: src.stats(), peak: src.ring_peak_use() });
    let _ = tx.send(b);
}

impl Source for Relay {
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        loop {
            if let Some(slot) = self.cur.items.get_mut(self.next) {
                self.next += 1;
                if let Slot::Event(c) = slot {
                    let body = self.cur.buf.get(c.start..c.start + c.len).unwrap_or(&[]);
                    return Ok(Some(Item::Event(Event {
                        num: c.num,
                        cpu: c.cpu,
                        ts: c.ts,
                        tid: c.tid,
                        etype: c.etype,
                        nparams: c.nparams,
                        flags: 0,
                        large: false,
                        body,
                    })));
                }
                match std::mem::replace(slot, Slot::Taken) {
                    Slot::Record(r) => return Ok(Some(Item::Record(*r))),
                    Slot::Error(e) => return Err(e),
                    _ => continue,
                }
            }
            if !self.advance()? {
                return Ok(None);
            }
        }
    }

    fn is_live(&self) -> bool {
        true
    }

    /// Stops the capture and reads what is left (discarding it) up to the
    /// source's final figures.
    fn close(&mut self) {
        if self.ended {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        while self.advance().unwrap_or(false) {}
    }

    fn stats(&self) -> Option<(u64, u64)> {
        self.end.as_ref().map(|e| e.stats)
    }

    fn ring_peak_use(&self) -> Option<f64> {
        self.end.as_ref().map(|e| e.peak)
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}
