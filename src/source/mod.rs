//! Capture sources: scap files (plain or gzip) and, on Linux, live eBPF capture.
//!
//! A source hands out [`Item`]s one at a time: header records (process, fd,
//! user... tables) and events borrowed from its internal buffer.

#[cfg(target_os = "linux")]
pub mod exe_writable;
#[cfg(target_os = "linux")]
pub mod live;
#[cfg(target_os = "linux")]
pub mod procfs;
pub mod records;
pub mod scap;
pub mod suppress;

use crate::event::Event;
pub use records::Record;

/// One thing read from a source.
#[derive(Debug)]
pub enum Item<'a> {
    /// An event, borrowed until the next call.
    Event(Event<'a>),
    /// A header/table record.
    Record(Record),
}

/// Why a source stopped early.
#[derive(Debug)]
pub struct SourceError {
    /// Byte offset (in the uncompressed stream) where the fault was found.
    pub offset: u64,
    /// Human-readable description.
    pub message: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte offset {})", self.message, self.offset)
    }
}

impl std::error::Error for SourceError {}

/// How far a capture file has been read (shared with the reader) and the
/// file's size.
#[derive(Clone, Debug)]
pub struct ProgressHandle {
    /// File offset read so far; with `gz_marks`, the uncompressed offset.
    pub consumed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub total: u64,
    /// Gzip input: maps uncompressed offsets to the compressed ones.
    pub gz_marks: Option<crate::source::scap::input::GzMarks>,
    /// Plain (uncompressed) file: the offset where the events after the
    /// header blocks start (see [`ProgressHandle::percent`]).
    pub events_from: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl ProgressHandle {
    /// Percentage of the file read, as sysdig's `get_read_progress` gives it
    /// (0 when the size is unknown). sysdig's offset is zlib's (gzoffset),
    /// which moves in 16 KiB read steps ([`scap::input::GZ_STEP`]):
    /// - a gzip file: the compressed bytes used to decode up to the end of
    ///   the step holding the position;
    /// - a plain file: the end of the step holding the position, the steps
    ///   counted from the first event block (libscap, reading the header
    ///   blocks, meets that block's header and seeks back to it, which
    ///   empties zlib's buffer), and at most the file's size.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let step = crate::source::scap::input::GZ_STEP;
        let mut c = self.consumed.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(m) = &self.gz_marks {
            let i = (c.div_ceil(step) as usize).saturating_sub(1);
            c = match m.lock() {
                Ok(m) => m.get(i).or(m.last()).copied().unwrap_or(0),
                Err(_) => 0,
            };
        } else if let Some(from) = &self.events_from {
            let from = from.load(std::sync::atomic::Ordering::Relaxed);
            if c > from {
                c = from + (c - from).div_ceil(step) * step;
            }
        }
        (c.min(self.total) as f64 * 100.0 / self.total as f64).min(100.0)
    }
}

/// A stream of capture items.
pub trait Source {
    /// The next item; `Ok(None)` at a clean end of the capture.
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError>;
    /// Fraction (0..=1) of the input consumed, for `sysdig.get_read_progress`.
    fn progress(&self) -> f64 {
        0.0
    }
    /// Where the read position of a file can be followed from another place
    /// (`sysdig.get_read_progress`): bytes of the file consumed so far, and
    /// the file's size. `None` when there is no file (live capture).
    fn progress_handle(&self) -> Option<ProgressHandle> {
        None
    }
    /// Warnings collected so far (e.g. unknown blocks skipped); drained by the caller.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// True for live capture.
    fn is_live(&self) -> bool {
        false
    }
    /// How many event numbers sysdig consumes before this source's first
    /// event (added to the running count to give `evt.num`).
    fn event_num_offset(&self) -> u64 {
        0
    }
    /// Driver statistics `(events, drops)` for live sources (`-v`).
    fn stats(&self) -> Option<(u64, u64)> {
        None
    }
    /// Ends the capture where the caller stopped reading early (a count or
    /// time limit, a failed sink), so that [`Source::stats`] gives final
    /// figures. Nothing to do for files.
    fn close(&mut self) {}
    /// Live sources: the largest share (0..=1) of a kernel ring buffer found
    /// in use while reading (`-v`'s `Ring Peak Use`).
    fn ring_peak_use(&self) -> Option<f64> {
        None
    }
}

/// Opens the live capture source (needs root and eBPF support) with `cfg`,
/// read on its own thread ([`live::relay`]), and forwards Ctrl-C/SIGTERM
/// to it. `types`: the event types the run can ever use; the probe leaves
/// out the syscalls that make none of them (except those the state engine
/// needs). A snaplen past the probe's maximum is cut to it, with a warning.
pub fn open_live(mut cfg: live::LiveConfig, types: &crate::filter::EventTypes) -> Result<Box<dyn Source>, String> {
    if cfg.snaplen > live::MAX_SNAPLEN {
        eprintln!("warning: -s {} is more than the probe can capture; using {} bytes", cfg.snaplen, live::MAX_SNAPLEN);
        cfg.snaplen = live::MAX_SNAPLEN;
    }
    cfg.syscall_mask = live::select::syscall_mask(types);
    let src = live::LiveSource::start(&cfg).map_err(|e| e.to_string())?;
    // The source watches the signal flag itself (and stops cleanly).
    crate::signals::install();
    // This (main) thread keeps state, filters and writes: it must not take
    // the CPU from the traced processes whenever a batch arrives.
    crate::sched::batch_thread();
    let relay = live::relay::Relay::spawn(src).map_err(|e| format!("starting the ring reader thread: {e}"))?;
    Ok(Box::new(relay))
}

#[cfg(test)]
mod tests {
    /// Sources hand out every event as an [`super::Item`]: no record variant
    /// may make it much larger than the event itself (a process record is
    /// boxed for this).
    #[test]
    fn item_stays_small() {
        let n = std::mem::size_of::<super::Item>();
        assert!(n <= 128, "Item is {n} bytes");
    }
}
