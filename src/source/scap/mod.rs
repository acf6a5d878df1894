//! Reader for scap capture files (plain, gzip or lz4 frame), every block type
//! libscap defines.
//!
//! The reader streams: it keeps one reusable buffer holding at least the
//! current block, so memory stays flat whatever the file size. Events are
//! handed out borrowed from that buffer; metadata blocks (machine info,
//! process/fd/user/interface lists) are decoded into [`Record`]s.
//!
//! Faults (truncation, bad lengths, bad magic, corrupt events) end the stream
//! with a [`SourceError`] whose offset is in the uncompressed stream; every
//! item before the fault has been delivered.
//!
//! # Event numbering (`evt.num`)
//!
//! sysdig 0.29.3 numbers events in `sinsp::next`: `m_nevts` is incremented
//! for every event libscap hands over, before parsing or filtering, and
//! `evt.num` is the new value. Reading a file there are no synthetic events
//! (the process/fd/user/interface tables in the header do not consume
//! numbers), so **`evt.num` is the 1-based ordinal of the event among the
//! events this reader yields** (`ReadStats::events` after the event was
//! returned). Events libscap drops before sinsp sees them take no number:
//! sysdig 0.29.3 drops event types `>= 336` ([`SYSDIG_EVENT_MAX`]). This
//! reader keeps every type its (libs HEAD) event table knows by default, so
//! that the syscalls live capture records with newer libs events (access,
//! newfstatat, dup2, ...) are seen; `set_event_type_limit(SYSDIG_EVENT_MAX)`
//! or `RCHISEL_SYSDIG_EVENT_TYPES=1` restores sysdig 0.29.3's behaviour and
//! numbering.
//!
//! Events that take a number but are not printed by sysdig still count:
//! `procinfo` (type 234, internal) events and events carrying the EVF
//! `SCAP_DF_STATE_ONLY` flag (1). The shared traces start with such procinfo
//! events: `curl_google.scap` has 210 of them before curl's `execve` (sysdig's
//! first printed line is evt.num 211), `test_ipv6_client.scap` has 172 (first
//! printed 173). Concatenated captures (a new section header mid-stream) do
//! not reset the numbering; sysdig re-reads the tables (see
//! `ReadStats::sections`).

pub mod blocks;
mod cursor;
mod events;
pub mod input;
mod records;
pub mod prefetch;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::event::Event;
use crate::source::{Item, Record, Source, SourceError};
use blocks::*;
pub use input::Compression;

/// Initial size of the reusable block buffer.
const INITIAL_BUF: usize = 2 << 20;
/// How much to ask the decompressed stream for at once.
const READ_CHUNK: usize = 1024 * 1024;
/// Size of each buffer in batch mode (one batch of events).
const BATCH_BUF: usize = 512 * 1024;
/// Half the first batch buffer's size (batches double up to [`BATCH_BUF`]).
const FIRST_BATCH: usize = 16 * 1024;
/// Largest block accepted; larger lengths are treated as corruption.
const MAX_BLOCK_LEN: usize = 1 << 30;
/// Cap on stored warnings (the rest are counted).
const MAX_WARNINGS: usize = 64;

/// `PPM_EVENT_MAX` of the libs sysdig 0.29.3 is built from: its reader skips
/// events whose type is at or above it, and they take no `evt.num`.
pub const SYSDIG_EVENT_MAX: u16 = 336;

/// Environment variable: `1` makes readers skip the event types sysdig 0.29.3
/// skips (`>= SYSDIG_EVENT_MAX`), for comparing with it on captures that
/// hold newer libs events.
pub const SYSDIG_EVENT_TYPES_ENV: &str = "RCHISEL_SYSDIG_EVENT_TYPES";

/// Streaming reader of one scap capture.
pub struct ScapReader {
    input: Box<dyn Read + Send>,
    compression: Compression,
    /// Gzip input: compressed offsets at uncompressed steps (see [`input::GzMarks`]).
    gz_marks: Option<input::GzMarks>,
    /// Reusable storage; valid data is `buf[lo..hi]`.
    buf: Vec<u8>,
    lo: usize,
    hi: usize,
    /// Uncompressed offset of `buf[0]`.
    base: u64,
    input_eof: bool,
    /// Raw bytes consumed and total raw size (0 when unknown).
    consumed: Arc<AtomicU64>,
    total: u64,
    /// Section state.
    seen_shb: bool,
    big_endian: bool,
    version: (u16, u16),
    pending: VecDeque<Record>,
    /// Batch mode (see [`prefetch`]): data already handed out is never moved;
    /// instead the buffer is retired here and a fresh one taken.
    batch_mode: bool,
    /// Buffers retired during the last call, oldest first; only the first
    /// can hold items handed out before that call.
    retired: Vec<Vec<u8>>,
    batch_buf: usize,
    /// Size of the last batch buffer (see `fill`).
    batch_grow: usize,
    spares: Vec<Vec<u8>>,
    warnings: Vec<String>,
    dropped_warnings: u64,
    done: bool,
    /// Fault found inside a metadata block, reported after its records.
    pending_error: Option<SourceError>,
    stats: ReadStats,
    type_limit: u16,
    /// Offset just past the last non-event block (the file offset where
    /// libscap, meeting the first event block after the header blocks,
    /// seeks back to; see [`crate::source::ProgressHandle::percent`]).
    events_from: u64,
}

/// Counters the reader keeps while reading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Section headers read (more than one: concatenated captures).
    pub sections: u64,
    /// Blocks read, of any type.
    pub blocks: u64,
    /// Events handed out.
    pub events: u64,
    /// Events skipped because their type is unknown to the event table.
    pub skipped_events: u64,
    /// Records handed out.
    pub records: u64,
    /// Process-list entries seen (threads in the capture header).
    pub threads: u64,
    /// Fd-list entries seen.
    pub fds: u64,
}

impl ScapReader {
    /// Opens a capture file; compression is detected from its first bytes.
    pub fn open(path: impl AsRef<Path>) -> Result<ScapReader, SourceError> {
        let path = path.as_ref();
        let f = File::open(path).map_err(|e| SourceError {
            offset: 0,
            message: format!("can't open {}: {e}", path.display()),
        })?;
        let total = f.metadata().map(|m| m.len()).unwrap_or(0);
        let mut r = ScapReader::new(f)?;
        r.total = total;
        Ok(r)
    }

    /// Reads a capture from any byte stream (plain, gzip or lz4 frame).
    pub fn new(raw: impl Read + Send + 'static) -> Result<ScapReader, SourceError> {
        let (counting, consumed) = input::Counting::new(raw);
        let (input, compression, gz_marks) = input::decoder(counting).map_err(|e| SourceError {
            offset: 0,
            message: format!("error reading capture: {e}"),
        })?;
        Ok(ScapReader {
            input,
            compression,
            gz_marks,
            buf: vec![0u8; INITIAL_BUF],
            lo: 0,
            hi: 0,
            base: 0,
            input_eof: false,
            consumed,
            total: 0,
            seen_shb: false,
            big_endian: false,
            version: (0, 0),
            pending: VecDeque::new(),
            batch_mode: false,
            retired: Vec::new(),
            batch_buf: BATCH_BUF,
            batch_grow: 0,
            spares: Vec::new(),
            warnings: Vec::new(),
            dropped_warnings: 0,
            done: false,
            pending_error: None,
            stats: ReadStats::default(),
            type_limit: if std::env::var_os(SYSDIG_EVENT_TYPES_ENV).is_some_and(|v| v == "1") {
                SYSDIG_EVENT_MAX
            } else {
                u16::MAX
            },
            events_from: 0,
        })
    }

    /// Event types at or above `limit` are skipped (default `u16::MAX`: every
    /// type the event table knows; [`SYSDIG_EVENT_MAX`] drops what sysdig
    /// 0.29.3 drops).
    pub fn set_event_type_limit(&mut self, limit: u16) {
        self.type_limit = limit;
    }

    /// Compression detected on the input.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Section header version (major, minor) of the current section.
    pub fn version(&self) -> (u16, u16) {
        self.version
    }

    /// True when the current section is big-endian.
    pub fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    /// Counters so far.
    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }

    /// Uncompressed offset of the next unread byte.
    pub fn offset(&self) -> u64 {
        self.base + self.lo as u64
    }

    fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        } else {
            self.dropped_warnings += 1;
        }
    }

    fn fail(&mut self, offset: u64, message: impl Into<String>) -> SourceError {
        self.done = true;
        SourceError { offset, message: message.into() }
    }

    /// Makes at least `need` bytes available at `buf[lo..]`. Returns false
    /// when the stream ends first (what is there stays available).
    fn fill(&mut self, need: usize) -> Result<bool, SourceError> {
        while self.hi - self.lo < need {
            if self.input_eof {
                return Ok(false);
            }
            if self.batch_mode && self.lo > 0 && (self.buf.len() - self.lo < need || self.hi == self.buf.len()) {
                // Items handed out from this buffer stay valid: retire it and
                // carry the partial block over to a fresh one.
                // Batches start small and double up to batch_buf: a run that
                // stops at its first events (lsof, ps, -n) reads little ahead.
                self.batch_grow = (self.batch_grow.max(FIRST_BATCH) * 2).min(self.batch_buf);
                let size = self.batch_grow.max(need);
                let mut fresh = self.spares.pop().unwrap_or_default();
                if fresh.len() < size {
                    fresh.resize(size, 0);
                }
                let live = self.hi - self.lo;
                fresh[..live].copy_from_slice(&self.buf[self.lo..self.hi]);
                self.base += self.lo as u64;
                self.hi = live;
                self.lo = 0;
                self.retired.push(std::mem::replace(&mut self.buf, fresh));
            }
            if self.buf.len() - self.lo < need || self.hi == self.buf.len() {
                // Move live data to the front, growing only as data arrives.
                self.buf.copy_within(self.lo..self.hi, 0);
                self.base += self.lo as u64;
                self.hi -= self.lo;
                self.lo = 0;
                if self.hi == self.buf.len() {
                    let grown = (self.buf.len() * 2).min(need.max(self.buf.len() + 1));
                    self.buf.resize(grown.max(self.buf.len() + 1), 0);
                }
            }
            let end = (self.hi + READ_CHUNK.max(need - (self.hi - self.lo))).min(self.buf.len());
            match self.input.read(&mut self.buf[self.hi..end]) {
                Ok(0) => self.input_eof = true,
                Ok(n) => self.hi += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let offset = self.base + self.hi as u64;
                    let what = match self.compression {
                        Compression::Gzip => "gzip stream",
                        Compression::Lz4 => "lz4 stream",
                        Compression::None => "file",
                    };
                    let message = if e.kind() == io::ErrorKind::UnexpectedEof {
                        format!("truncated {what}: {e}")
                    } else {
                        format!("error reading {what}: {e}")
                    };
                    return Err(self.fail(offset, message));
                }
            }
        }
        Ok(true)
    }

    #[inline]
    fn rd32(&self, at: usize) -> u32 {
        let a = [self.buf[at], self.buf[at + 1], self.buf[at + 2], self.buf[at + 3]];
        if self.big_endian { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
    }

    /// Reads blocks until an event is decoded or records are queued in
    /// `pending` (then `Ok(None)` with `pending` non-empty).
    fn next_event(&mut self) -> Result<Option<events::Decoded>, SourceError> {
        loop {
            if !self.pending.is_empty() {
                return Ok(None);
            }
            if self.done {
                return Ok(None);
            }
            let start = self.offset();
            let (btype, blen) = match self.block_header(start)? {
                BlockHead::End => return Ok(None),
                BlockHead::Section => continue,
                BlockHead::Block { btype, blen } => (btype, blen),
            };
            // libscap refuses a non-large event block past its 64 KiB read
            // buffer, making the whole capture unreadable; any block up to
            // MAX_BLOCK_LEN is read here (the event decoder checks lengths).
            let ev_kind = event_block(btype);
            let (body_range, trailer) = self.take_block(start, btype, blen)?;
            if let Some(k) = ev_kind {
                match self.event_in_block(start, k, body_range, blen, trailer)? {
                    Some(ev) => return Ok(Some(ev)),
                    None => continue,
                }
            }
            self.metadata_block(start, btype, blen, body_range, trailer)?;
        }
    }

    /// Reads the 8-byte header of the block at `start` (the current offset).
    /// A section header block is parsed whole here ([`BlockHead::Section`]);
    /// a clean end of stream is [`BlockHead::End`]. Faults: a partial header
    /// at the end, no section header first, a length outside
    /// `MIN_BLOCK_LEN..=MAX_BLOCK_LEN`.
    #[inline]
    fn block_header(&mut self, start: u64) -> Result<BlockHead, SourceError> {
        if !self.fill(BLOCK_HEADER_LEN)? {
            return self.end_of_stream(start);
        }
        let btype_raw = u32::from_le_bytes(self.buf[self.lo..self.lo + 4].try_into().unwrap_or([0; 4]));
        if btype_raw == SHB {
            self.section_header(start)?;
            self.events_from = self.offset();
            return Ok(BlockHead::Section);
        }
        if !self.seen_shb {
            return Err(self.fail(
                start,
                format!("bad magic: file does not start with a section header block (block type {btype_raw:#x})"),
            ));
        }
        let btype = self.rd32(self.lo);
        let blen = self.rd32(self.lo + 4) as usize;
        if !(MIN_BLOCK_LEN..=MAX_BLOCK_LEN).contains(&blen) {
            return Err(self.fail(start, format!("bad block length {blen} (block type {btype:#x})")));
        }
        Ok(BlockHead::Block { btype, blen })
    }

    /// The stream ended before a whole block header at `start`: a clean end
    /// when nothing is left (an error if no section header was ever seen),
    /// else a truncation fault.
    #[cold]
    fn end_of_stream(&mut self, start: u64) -> Result<BlockHead, SourceError> {
        let left = self.hi - self.lo;
        if left == 0 {
            self.done = true;
            if !self.seen_shb {
                return Err(self.fail(0, "empty capture: no section header block"));
            }
            return Ok(BlockHead::End);
        }
        Err(self.fail(start, format!("truncated file: {left} bytes of a block header at end of stream")))
    }

    /// Makes the whole block (`blen` bytes at `start`) available, counts it
    /// and moves past it. Returns the body's range in `buf` (between the
    /// header and the trailing length) and the trailing length.
    #[inline]
    fn take_block(&mut self, start: u64, btype: u32, blen: usize) -> Result<(Range<usize>, usize), SourceError> {
        if !self.fill(blen)? {
            return Err(self.fail(
                start,
                format!(
                    "truncated file: block of type {btype:#x} needs {blen} bytes, {} available",
                    self.hi - self.lo
                ),
            ));
        }
        self.stats.blocks += 1;
        let lo = self.lo;
        let trailer = self.rd32(lo + blen - 4) as usize;
        let body_range = lo + BLOCK_HEADER_LEN..lo + blen - 4;
        self.lo += blen;
        Ok((body_range, trailer))
    }

    /// Decodes the event block at `start` whose body is `buf[body_range]`.
    /// `Ok(None)`: its type is skipped (counted, the first one warned
    /// about). A trailer differing from the header length only warns, as
    /// libscap does not check it for events.
    #[inline]
    fn event_in_block(
        &mut self,
        start: u64,
        k: EvBlock,
        body_range: Range<usize>,
        blen: usize,
        trailer: usize,
    ) -> Result<Option<events::Decoded>, SourceError> {
        if trailer != blen {
            self.warn(format!(
                "event block at offset {start}: trailer length {trailer} differs from header length {blen}"
            ));
        }
        let body_off = start + BLOCK_HEADER_LEN as u64;
        let res = events::decode(&mut self.buf[body_range.clone()], k, self.big_endian, self.type_limit);
        match res {
            Ok(Some(mut ev)) => {
                ev.body_start += body_range.start;
                self.stats.events += 1;
                Ok(Some(ev))
            }
            Ok(None) => {
                self.stats.skipped_events += 1;
                if self.stats.skipped_events == 1 {
                    self.warn(format!("event of a type unknown to the event table skipped at offset {start}"));
                }
                Ok(None)
            }
            Err(e) => Err(self.fail(body_off + e.pos as u64, e.message)),
        }
    }

    /// Handles a non-event block at `start` (body `buf[body_range]`): its
    /// records are queued in `pending` and counted; an unknown type is
    /// skipped with a warning. A trailer differing from the header length is
    /// a fault; a fault inside the body is kept in `pending_error`, reported
    /// after the records parsed before it.
    fn metadata_block(
        &mut self,
        start: u64,
        btype: u32,
        blen: usize,
        body_range: Range<usize>,
        trailer: usize,
    ) -> Result<(), SourceError> {
        if trailer != blen {
            return Err(self.fail(
                start + blen as u64 - 4,
                format!("wrong block total length, header={blen}, trailer={trailer}"),
            ));
        }
        let body_off = start + BLOCK_HEADER_LEN as u64;
        let before = self.pending.len();
        let res = match metadata_records(btype, &self.buf[body_range], self.big_endian, &mut self.pending) {
            Some(res) => res,
            None => {
                self.warn(format!("unknown block type {btype:#x} ({blen} bytes) at offset {start} skipped"));
                Ok(())
            }
        };
        self.events_from = self.offset();
        let added = (self.pending.len() - before) as u64;
        match btype {
            FDL | FDL_INT | FDL_V2 => self.stats.fds += added,
            _ if proclist_version(btype).is_some() => self.stats.threads += added,
            _ => {}
        }
        if let Err(e) = res {
            // Records parsed before the fault in this block are still delivered.
            self.pending_error = Some(SourceError { offset: body_off + e.pos as u64, message: e.message });
            self.done = true;
        }
        Ok(())
    }

    /// Batch mode's fast path: frames the well-formed little-endian event
    /// blocks already complete in the buffer, without reading, and pushes
    /// them through `push` with the stream offset where each block ends.
    /// Stops at anything else (another block type, an
    /// incomplete block, a fault, a skipped type), which the general path
    /// ([`ScapReader::next_event`]) then handles with its messages.
    fn frame_buffered_events(&mut self, mut push: impl FnMut(events::Decoded, u64)) {
        if self.big_endian || !self.seen_shb || self.done || !self.pending.is_empty() {
            return;
        }
        loop {
            let lo = self.lo;
            let avail = self.hi - lo;
            if avail < MIN_BLOCK_LEN {
                return;
            }
            let b = &self.buf[lo..self.hi];
            let btype = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let blen = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
            let Some(k) = event_block(btype) else { return };
            if blen < MIN_BLOCK_LEN || blen > avail {
                return;
            }
            let trailer = u32::from_le_bytes([b[blen - 4], b[blen - 3], b[blen - 2], b[blen - 1]]) as usize;
            if trailer != blen {
                return;
            }
            let body = lo + BLOCK_HEADER_LEN..lo + blen - 4;
            match events::decode(&mut self.buf[body.clone()], k, false, self.type_limit) {
                Ok(Some(mut d)) => {
                    d.body_start += body.start;
                    self.lo += blen;
                    self.stats.blocks += 1;
                    self.stats.events += 1;
                    push(d, self.offset());
                }
                _ => return,
            }
        }
    }

    /// Parses a section header block at `buf[lo..]` (8 header bytes are available).
    fn section_header(&mut self, start: u64) -> Result<(), SourceError> {
        if !self.fill(BLOCK_HEADER_LEN + 4)? {
            return Err(self.fail(start, "truncated file: section header block"));
        }
        let lo = self.lo;
        let magic = u32::from_le_bytes(self.buf[lo + 8..lo + 12].try_into().unwrap_or([0; 4]));
        self.big_endian = if magic == SHB_MAGIC {
            false
        } else if magic == SHB_MAGIC.swap_bytes() {
            true
        } else {
            return Err(self.fail(start + 8, format!("bad magic: invalid section header magic number {magic:#010x}")));
        };
        let blen = self.rd32(lo + 4) as usize;
        let min = MIN_BLOCK_LEN + SHB_BODY_LEN;
        if blen < min || blen > MAX_BLOCK_LEN {
            return Err(self.fail(
                start,
                format!("bad block length: section header block length {blen} less than {min}"),
            ));
        }
        if !self.fill(blen)? {
            return Err(self.fail(start, "truncated file: section header block"));
        }
        // `fill` may have moved the data (to the front of the buffer, or to
        // a fresh batch buffer): the header is at the new `lo`.
        let lo = self.lo;
        let major = self.rd16(lo + 12);
        let minor = self.rd16(lo + 14);
        if major > MAJOR_VERSION {
            return Err(self.fail(
                start + 12,
                format!("cannot correctly parse the capture (scap version {major}.{minor}). Upgrade your version."),
            ));
        }
        let trailer = self.rd32(lo + blen - 4) as usize;
        if trailer != blen {
            self.warn(format!(
                "section header at offset {start}: trailer length {trailer} differs from header length {blen}"
            ));
        }
        self.version = (major, minor);
        self.seen_shb = true;
        self.stats.sections += 1;
        self.stats.blocks += 1;
        self.lo += blen;
        Ok(())
    }

    #[inline]
    fn rd16(&self, at: usize) -> u16 {
        let a = [self.buf[at], self.buf[at + 1]];
        if self.big_endian { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) }
    }
}

/// What [`ScapReader::block_header`] found at the current offset.
enum BlockHead {
    /// Clean end of the stream.
    End,
    /// A section header block, already parsed and consumed.
    Section,
    /// Any other block: its type and total length (header checked).
    Block { btype: u32, blen: usize },
}

/// Parses the records of a metadata block of type `btype` into `out`;
/// `None` when the type is not one this reader knows (the caller skips the
/// block). Records parsed before a fault stay in `out`.
fn metadata_records(btype: u32, body: &[u8], be: bool, out: &mut VecDeque<Record>) -> Option<cursor::PResult<()>> {
    Some(match btype {
        MI | MI_INT => records::machine_info(body, be).map(|m| {
            out.push_back(Record::Machine(m));
        }),
        FDL | FDL_INT | FDL_V2 => records::fdlist(body, btype == FDL_V2, be, out),
        IL | IL_INT | IL_V2 => records::iflist(body, btype == IL_V2, be, out),
        UL | UL_INT | UL_V2 => records::userlist(body, btype == UL_V2, be, out),
        _ => records::proclist(body, proclist_version(btype)?, be, out),
    })
}

/// One step of [`ScapReader::step`]: like [`Item`], but small (the record is
/// boxed), so handing out events costs no large copies.
#[derive(Debug)]
pub enum Step<'a> {
    /// An event, borrowed until the next call.
    Event(Event<'a>),
    /// A header/table record.
    Record(Box<Record>),
    /// Clean end of the capture.
    End,
}

impl ScapReader {
    /// The event located by `d`, borrowed from the reader's buffer.
    #[inline]
    fn view(&self, d: &events::Decoded) -> Event<'_> {
        d.view(&self.buf)
    }

    /// The next event, record or end: the same sequence as
    /// [`Source::next_item`], for callers that hold the concrete reader.
    #[inline]
    pub fn step(&mut self) -> Result<Step<'_>, SourceError> {
        if let Some(d) = self.next_event()? {
            return Ok(Step::Event(self.view(&d)));
        }
        if let Some(r) = self.pending.pop_front() {
            self.stats.records += 1;
            return Ok(Step::Record(Box::new(r)));
        }
        match self.pending_error.take() {
            Some(e) => Err(e),
            None => Ok(Step::End),
        }
    }
}

impl Source for ScapReader {
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        if let Some(d) = self.next_event()? {
            return Ok(Some(Item::Event(self.view(&d))));
        }
        if let Some(r) = self.pending.pop_front() {
            self.stats.records += 1;
            return Ok(Some(Item::Record(r)));
        }
        match self.pending_error.take() {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }

    fn progress(&self) -> f64 {
        if self.total == 0 {
            return if self.done { 1.0 } else { 0.0 };
        }
        (self.consumed.load(Ordering::Relaxed) as f64 / self.total as f64).min(1.0)
    }

    fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        if self.dropped_warnings > 0 {
            w.push(format!("{} more warnings not shown", self.dropped_warnings));
            self.dropped_warnings = 0;
        }
        w
    }
}
