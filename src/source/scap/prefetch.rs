//! Reading on a second thread: [`Prefetch`] runs a [`ScapReader`] in batch
//! mode on its own thread, which reads, decompresses and frames the blocks
//! while the caller's thread updates the state, filters and prints.
//!
//! A batch is one buffer of the uncompressed stream plus the items framed in
//! it (event positions, decoded records, the error that ended the stream).
//! Events stay where the reader put them: the caller borrows them from the
//! batch's buffer, and the buffer goes back to the reader thread for reuse
//! once every item in it has been handed out. The items come out in exactly
//! the order [`ScapReader::step`] gives; a fault ends the stream after every
//! item read before it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use super::events::Decoded;
use super::{Compression, ReadStats, ScapReader, Step};
use crate::source::{Item, Record, Source, SourceError};

/// Batches waiting for the consumer (bounds memory: each is one buffer).
const QUEUE: usize = 2;

/// One item of a batch, in stream order.
enum BatchItem {
    /// An event, and the stream offset where its block ends.
    Event(Decoded, u64),
    Record(Box<Record>),
    Error(SourceError),
    /// A record or error already handed out.
    Taken,
}

/// A buffer and the items framed in it.
struct Batch {
    buf: Vec<u8>,
    items: Vec<BatchItem>,
    warnings: Vec<String>,
    stats: ReadStats,
    /// Raw (file) bytes consumed when the batch was framed.
    raw_pos: u64,
    /// The reader's `events_from` when the batch was framed.
    events_from: u64,
    /// The stream ends after this batch.
    last: bool,
}

/// A [`ScapReader`] running on its own thread (see the module docs).
pub struct Prefetch {
    rx: Receiver<Batch>,
    /// Used buffers and item lists go back to the reader thread: reusing
    /// them avoids a fresh allocation (and its page faults) per batch.
    recycle: Sender<(Vec<u8>, Vec<BatchItem>)>,
    buf: Vec<u8>,
    items: Vec<BatchItem>,
    next: usize,
    ended: bool,
    warnings: Vec<String>,
    stats: ReadStats,
    compression: Compression,
    gz_marks: Option<super::input::GzMarks>,
    consumed: Arc<AtomicU64>,
    /// File bytes read up to the batch being handed out (not the reader
    /// thread's read-ahead): what `sysdig.get_read_progress` reports.
    shown: Arc<AtomicU64>,
    /// Where the events after the header blocks start, as of the batch
    /// being handed out (see [`crate::source::ProgressHandle::percent`]).
    events_from: Arc<AtomicU64>,
    total: u64,
    thread: Option<JoinHandle<()>>,
}

impl Prefetch {
    /// Starts reading `reader` on a new thread.
    pub fn spawn(reader: ScapReader) -> Prefetch {
        Prefetch::with_batch_size(reader, super::BATCH_BUF)
    }

    /// Like [`Prefetch::spawn`], with batches of about `bytes` of the
    /// uncompressed stream (a block larger than that gets a batch of its own).
    pub fn with_batch_size(mut reader: ScapReader, bytes: usize) -> Prefetch {
        reader.batch_buf = bytes.max(64);
        // The first buffer is a small batch too (it was the reader's 2 MB
        // start buffer): a run that stops at its first events (lsof, ps,
        // -n 1) waits for the header and a few events, not for 2 MB of them
        // read, framed and decoded (~5 ms). A larger first block grows it.
        if reader.hi == 0 {
            reader.buf = vec![0u8; (2 * super::FIRST_BATCH).min(reader.batch_buf)];
        }
        let (tx, rx) = sync_channel(QUEUE);
        let (recycle, spares) = channel();
        let compression = reader.compression;
        let gz_marks = reader.gz_marks.clone();
        let consumed = Arc::clone(&reader.consumed);
        let total = reader.total;
        reader.batch_mode = true;
        let thread = std::thread::Builder::new()
            .name("scap-reader".into())
            .spawn(move || produce(reader, &tx, &spares))
            .ok();
        Prefetch {
            rx,
            recycle,
            buf: Vec::new(),
            items: Vec::new(),
            next: 0,
            ended: thread.is_none(),
            warnings: Vec::new(),
            stats: ReadStats::default(),
            compression,
            gz_marks,
            consumed,
            shown: Arc::new(AtomicU64::new(0)),
            events_from: Arc::new(AtomicU64::new(0)),
            total,
            thread,
        }
    }

    /// Compression detected on the input.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Counters as of the batch being handed out.
    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }

    /// Moves to the next batch; false at the end of the stream.
    #[inline(never)]
    fn advance(&mut self) -> Result<bool, SourceError> {
        if self.ended {
            return Ok(false);
        }
        match self.rx.recv() {
            Ok(b) => {
                let old = std::mem::replace(&mut self.buf, b.buf);
                let old_items = std::mem::replace(&mut self.items, b.items);
                if !old.is_empty() {
                    let _ = self.recycle.send((old, old_items));
                }
                self.next = 0;
                self.warnings.extend(b.warnings);
                self.stats = b.stats;
                if self.compression == Compression::Lz4 {
                    self.shown.store(b.raw_pos, Ordering::Relaxed);
                }
                self.events_from.store(b.events_from, Ordering::Relaxed);
                self.ended = b.last;
                Ok(true)
            }
            Err(_) => {
                // The reader thread stopped without its final batch: it panicked.
                self.ended = true;
                let detail = match self.thread.take().map(|t| t.join()) {
                    Some(Err(p)) => p
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                Err(SourceError {
                    offset: self.consumed.load(Ordering::Relaxed),
                    message: format!("internal error: the capture reader stopped unexpectedly {detail}").trim_end().into(),
                })
            }
        }
    }

    /// The next event, record or end, as [`ScapReader::step`] gives them.
    #[inline(always)]
    pub fn step(&mut self) -> Result<Step<'_>, SourceError> {
        loop {
            if let Some(item) = self.items.get_mut(self.next) {
                self.next += 1;
                if let BatchItem::Event(d, end) = item {
                    // sysdig's read progress is the file offset of the
                    // event being processed (gzoffset, after its block);
                    // a compressed input only has the batch's.
                    if self.compression != Compression::Lz4 {
                        self.shown.store(*end, Ordering::Relaxed);
                    }
                    return Ok(Step::Event(d.view(&self.buf)));
                }
                match std::mem::replace(item, BatchItem::Taken) {
                    BatchItem::Record(r) => return Ok(Step::Record(r)),
                    BatchItem::Error(e) => {
                        self.ended = true;
                        self.items.clear();
                        return Err(e);
                    }
                    _ => continue,
                }
            }
            if !self.advance()? {
                return Ok(Step::End);
            }
        }
    }
}

/// The reader thread: frames items into batches until the stream ends, a
/// fault stops it, or the consumer goes away.
fn produce(mut r: ScapReader, tx: &SyncSender<Batch>, spares: &Receiver<(Vec<u8>, Vec<BatchItem>)>) {
    let mut items: Vec<BatchItem> = Vec::new();
    let mut spare_items: Vec<Vec<BatchItem>> = Vec::new();
    loop {
        r.frame_buffered_events(|d, end| items.push(BatchItem::Event(d, end)));
        let res = r.next_event();
        if !r.retired.is_empty() {
            let mut retired = std::mem::take(&mut r.retired).into_iter();
            if let Some(buf) = retired.next() {
                let next_items = spare_items.pop().unwrap_or_else(|| Vec::with_capacity(items.len()));
                let batch = Batch {
                    buf,
                    items: std::mem::replace(&mut items, next_items),
                    warnings: r.take_warnings(),
                    stats: r.stats.clone(),
                    raw_pos: r.consumed.load(Ordering::Relaxed),
                    events_from: r.events_from,
                    last: false,
                };
                if tx.send(batch).is_err() {
                    return;
                }
                while let Ok((b, mut it)) = spares.try_recv() {
                    r.spares.push(b);
                    it.clear();
                    spare_items.push(it);
                }
            }
            // Later ones held no items (only blocks that yield none).
            r.spares.extend(retired);
        }
        match res {
            Ok(Some(d)) => items.push(BatchItem::Event(d, r.offset())),
            Ok(None) if !r.pending.is_empty() => {
                while let Some(rec) = r.pending.pop_front() {
                    r.stats.records += 1;
                    items.push(BatchItem::Record(Box::new(rec)));
                }
            }
            Ok(None) => {
                if let Some(e) = r.pending_error.take() {
                    items.push(BatchItem::Error(e));
                }
                break;
            }
            Err(e) => {
                items.push(BatchItem::Error(e));
                break;
            }
        }
    }
    let batch = Batch {
        buf: std::mem::take(&mut r.buf),
        items,
        warnings: r.take_warnings(),
        stats: r.stats.clone(),
        raw_pos: r.consumed.load(Ordering::Relaxed),
        events_from: r.events_from,
        last: true,
    };
    let _ = tx.send(batch);
}

impl Source for Prefetch {
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        Ok(match self.step()? {
            Step::Event(e) => Some(Item::Event(e)),
            Step::Record(r) => Some(Item::Record(*r)),
            Step::End => None,
        })
    }

    fn progress(&self) -> f64 {
        if self.total == 0 {
            return if self.ended && self.next >= self.items.len() { 1.0 } else { 0.0 };
        }
        self.progress_handle().map_or(0.0, |h| h.percent() / 100.0)
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn progress_handle(&self) -> Option<crate::source::ProgressHandle> {
        // A plain file's offset moves in zlib's read steps from where the
        // events start; lz4 and gzip have their own (batch, gz_marks).
        let events_from = (self.compression == Compression::None).then(|| Arc::clone(&self.events_from));
        Some(crate::source::ProgressHandle {
            consumed: Arc::clone(&self.shown),
            total: self.total,
            gz_marks: self.gz_marks.clone(),
            events_from,
        })
    }
}
