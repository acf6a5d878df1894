//! A BPF ring buffer read in place: the reader maps the ring's pages (as
//! libbpf does) and hands out events that point into the ring's memory, so no
//! event is copied or allocated on its way to the pipeline. The kernel may
//! reuse a record's space only once the consumer position passes it, which
//! happens after the event was handed on (and in batches, so that the traced
//! CPUs do not fetch the consumer's cache line back on every record).
//!
//! Each record is the probe's 8-byte prefix (CPU number) followed by one or
//! more events back to back (a CPU's batch, in timestamp order).

use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::event::HEADER_LEN_V2;

/// Bytes before the scap header in each record.
pub const PREFIX: usize = 8;
/// Kernel record header: u32 length (with the two flag bits), u32 page offset.
const RB_HDR: u64 = 8;
const BUSY_BIT: u32 = 1 << 31;
const DISCARD_BIT: u32 = 1 << 30;
/// The consumer position is published after this many bytes were consumed
/// (and whenever the reader goes idle).
const RELEASE_EVERY: u64 = 256 * 1024;

/// Where the ring's bytes live.
enum Mem {
    /// A kernel ring buffer mapped into this process.
    Mapped {
        /// The consumer page (read-write).
        cons: *mut u8,
        /// The producer page followed by the data pages, mapped once (the
        /// kernel offers them twice over, so that a record that wraps is
        /// contiguous, but every mapped page counts in the reader's RSS: a
        /// record that wraps is copied out instead, see `Ring::wrapped`).
        prod: *mut u8,
        prod_len: usize,
        page: usize,
        _map: aya::maps::MapData,
    },
    /// Records already taken out of the kernel (the enter events the probe
    /// still held at the end), laid out as in a ring; never wraps.
    Owned(Vec<u8>),
}

// SAFETY: the mappings belong to this value alone and are only used through
// &self/&mut self; the kernel side is synchronised with atomics.
unsafe impl Send for Mem {}

/// One ring buffer and the reader's position in it.
pub struct Ring {
    mem: Mem,
    mask: u64,
    /// Consumer position last published to the kernel.
    released: u64,
    /// Start of the record holding the next event to hand out.
    read: u64,
    /// Offset of that event in its record (PREFIX for the first).
    sub: usize,
    /// Producer position when last sampled: records past it are not looked at.
    prod: u64,
    /// Timestamp of the next event (cached), None when there is none yet.
    head_ts: Option<u64>,
    /// Event type of the next event (with `head_ts`).
    head_type: u16,
    /// A copy of the record that wraps around the end of the data pages,
    /// with its ring position.
    wrapped: Option<(u64, Vec<u8>)>,
    /// Most bytes the kernel saw in use (written, not yet released) at a sample.
    peak: u64,
}

/// What is wrong with a record the probe wrote.
#[derive(Debug)]
pub struct Malformed(pub &'static str);

impl Ring {
    /// Maps the ring buffer `map` whose data area is `size` bytes (a power of
    /// two, a multiple of the page size).
    pub fn map(map: aya::maps::MapData, size: usize) -> io::Result<Ring> {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let fd: RawFd = map.fd().as_fd().as_raw_fd();
        // SAFETY: mapping a BPF ring buffer fd as the kernel documents: one
        // writable consumer page at offset 0, then the read-only producer page
        // and the data pages (mapped twice by the kernel) at offset `page`.
        let cons = unsafe {
            libc::mmap(std::ptr::null_mut(), page, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED, fd, 0)
        };
        if cons == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let prod_len = page + size;
        // SAFETY: as above.
        let prod =
            unsafe { libc::mmap(std::ptr::null_mut(), prod_len, libc::PROT_READ, libc::MAP_SHARED, fd, page as i64) };
        if prod == libc::MAP_FAILED {
            let e = io::Error::last_os_error();
            // SAFETY: `cons` was mapped above with this length.
            unsafe { libc::munmap(cons, page) };
            return Err(e);
        }
        let mut r = Ring {
            mem: Mem::Mapped { cons: cons as *mut u8, prod: prod as *mut u8, prod_len, page, _map: map },
            mask: size as u64 - 1,
            released: 0,
            read: 0,
            sub: PREFIX,
            prod: 0,
            head_ts: None,
            head_type: 0,
            wrapped: None,
            peak: 0,
        };
        r.released = r.cons_pos().load(Ordering::Acquire);
        r.read = r.released;
        r.prod = r.read;
        Ok(r)
    }

    /// A ring over records given as bytes (prefix + event(s) each).
    pub fn owned(records: &[Vec<u8>]) -> Ring {
        let mut buf = Vec::new();
        for rec in records {
            buf.extend_from_slice(&(rec.len() as u32).to_le_bytes());
            buf.extend_from_slice(&[0; 4]);
            buf.extend_from_slice(rec);
            buf.resize(buf.len().next_multiple_of(8), 0);
        }
        let prod = buf.len() as u64;
        Ring {
            mem: Mem::Owned(buf),
            mask: u64::MAX,
            released: 0,
            read: 0,
            sub: PREFIX,
            prod,
            head_ts: None,
            head_type: 0,
            wrapped: None,
            peak: 0,
        }
    }

    fn cons_pos(&self) -> &AtomicU64 {
        match &self.mem {
            // SAFETY: the consumer page is mapped, page-aligned, and lives as
            // long as self; the kernel reads it atomically.
            Mem::Mapped { cons, .. } => unsafe { AtomicU64::from_ptr(*cons as *mut u64) },
            Mem::Owned(_) => unreachable!("owned rings have no consumer page"),
        }
    }

    /// True when the `len` bytes at ring position `pos` run past the end of
    /// the data pages (the record must be copied out, see `Ring::wrapped`).
    fn wraps(&self, pos: u64, len: usize) -> bool {
        matches!(self.mem, Mem::Mapped { .. }) && (pos & self.mask) as usize + len > self.mask as usize + 1
    }

    /// Bytes at ring position `pos` (`len` of them, not wrapping: see
    /// [`Ring::wraps`]).
    fn bytes(&self, pos: u64, len: usize) -> &[u8] {
        match &self.mem {
            Mem::Mapped { prod, page, .. } => {
                let at = (pos & self.mask) as usize;
                // SAFETY: page + at + len stays inside the mapping: the
                // caller checked with `wraps` that at + len <= the data size.
                unsafe { std::slice::from_raw_parts(prod.add(page + at), len) }
            }
            Mem::Owned(b) => b.get(pos as usize..pos as usize + len).unwrap_or(&[]),
        }
    }

    /// The `len` bytes at ring position `pos` of a record that wraps, copied
    /// into one piece (once per record).
    fn wrapped(&mut self, pos: u64, len: usize) -> &[u8] {
        let Mem::Mapped { prod, page, .. } = &self.mem else { return &[] };
        let (prod, page) = (*prod, *page);
        let size = self.mask as usize + 1;
        if len > size {
            return &[];
        }
        let fresh = matches!(&self.wrapped, Some((p, b)) if *p == pos && b.len() == len);
        if !fresh {
            let mut buf = self.wrapped.take().map(|(_, b)| b).unwrap_or_default();
            let at = (pos & self.mask) as usize;
            let first = (size - at).min(len);
            buf.clear();
            // SAFETY: [page + at, page + size) and [page, page + len - first)
            // lie in the data pages (len <= size, checked above).
            unsafe {
                buf.extend_from_slice(std::slice::from_raw_parts(prod.add(page + at), first));
                buf.extend_from_slice(std::slice::from_raw_parts(prod.add(page), len - first));
            }
            self.wrapped = Some((pos, buf));
        }
        self.wrapped.as_ref().map(|(_, b)| b.as_slice()).unwrap_or(&[])
    }

    /// Reads the producer position: records written up to now become visible.
    pub fn sample(&mut self) {
        if let Mem::Mapped { prod, .. } = &self.mem {
            // SAFETY: the producer page starts the read-only mapping.
            self.prod = unsafe { AtomicU64::from_ptr(*prod as *mut u64) }.load(Ordering::Acquire);
            self.peak = self.peak.max(self.prod - self.released);
        }
        if self.head_ts.is_none() {
            self.head_ts = self.peek_ts();
        }
    }

    /// The record at `read`: (length of its data, its data), skipping
    /// discarded records; None when there is none (yet).
    fn record(&mut self) -> Option<(u32, &[u8])> {
        loop {
            if self.read >= self.prod {
                return None;
            }
            let len = match &self.mem {
                Mem::Mapped { prod, page, .. } => {
                    let off = page + (self.read & self.mask) as usize;
                    // SAFETY: the header is 8-aligned inside the mapping; the
                    // kernel commits it with an atomic store.
                    unsafe { AtomicU32::from_ptr(prod.add(off) as *mut u32) }.load(Ordering::Acquire)
                }
                Mem::Owned(b) => {
                    let p = self.read as usize;
                    b.get(p..p + 4).map(|x| u32::from_le_bytes(x.try_into().unwrap_or_default())).unwrap_or(0)
                }
            };
            if len & BUSY_BIT != 0 {
                return None;
            }
            let n = len & !(BUSY_BIT | DISCARD_BIT);
            if len & DISCARD_BIT != 0 {
                self.read += (n as u64 + RB_HDR).next_multiple_of(8);
                self.sub = PREFIX;
                continue;
            }
            let pos = self.read + RB_HDR;
            if self.wraps(pos, n as usize) {
                return Some((n, self.wrapped(pos, n as usize)));
            }
            return Some((n, self.bytes(pos, n as usize)));
        }
    }

    /// Timestamp of the next event (its type goes to `head_type`).
    fn peek_ts(&mut self) -> Option<u64> {
        let sub = self.sub;
        let (_, rec) = self.record()?;
        let ty = rec.get(sub + 20..sub + 22).map(|b| u16::from_le_bytes([b[0], b[1]])).unwrap_or(0);
        let ts = rec.get(sub..sub + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default())).unwrap_or(0);
        self.head_type = ty;
        Some(ts)
    }

    /// Event type of the next event (valid while [`Ring::head_ts`] is Some).
    #[inline]
    pub fn head_type(&self) -> u16 {
        self.head_type
    }

    /// The largest share of the ring (0..=1) found in use at a sample: how
    /// close the reader came to making the probe drop events.
    pub fn peak_use(&self) -> f64 {
        match self.mem {
            Mem::Mapped { .. } => self.peak as f64 / (self.mask + 1) as f64,
            Mem::Owned(_) => 0.0,
        }
    }

    /// Timestamp of the next event, if one is visible.
    #[inline]
    pub fn head_ts(&self) -> Option<u64> {
        self.head_ts
    }

    /// True when every visible record was handed out.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.head_ts.is_none() && self.read >= self.prod
    }

    /// The next event: (cpu, scap event bytes); the caller checks the event.
    pub fn head(&mut self) -> Result<Option<(u16, &[u8])>, Malformed> {
        let sub = self.sub;
        let Some((_, rec)) = self.record() else { return Ok(None) };
        if rec.len() < PREFIX + HEADER_LEN_V2 || sub + HEADER_LEN_V2 > rec.len() {
            return Err(Malformed("short record"));
        }
        let cpu = u16::from_le_bytes([rec[0], rec[1]]);
        let ev = &rec[sub..];
        let len = u32::from_le_bytes(ev[16..20].try_into().unwrap_or_default()) as usize;
        if len < HEADER_LEN_V2 || len > ev.len() {
            return Err(Malformed("length field out of range"));
        }
        Ok(Some((cpu, &ev[..len])))
    }

    /// Moves past the event [`Ring::head`] returned.
    pub fn advance(&mut self) {
        let sub = self.sub;
        let Some((n, rec)) = self.record() else { return };
        let len = rec
            .get(sub + 16..sub + 20)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()) as usize)
            .unwrap_or(0);
        let next = sub + len;
        if len >= HEADER_LEN_V2 && next + HEADER_LEN_V2 <= n as usize {
            self.sub = next;
        } else {
            self.read += (n as u64 + RB_HDR).next_multiple_of(8);
            self.sub = PREFIX;
            if self.read - self.released >= RELEASE_EVERY {
                self.release();
            }
        }
        self.head_ts = self.peek_ts();
    }

    /// Gives the space of every record handed out back to the kernel.
    pub fn release(&mut self) {
        if self.read != self.released {
            if let Mem::Mapped { .. } = self.mem {
                self.cons_pos().store(self.read, Ordering::Release);
            }
            self.released = self.read;
        }
    }

    /// The ring's file descriptor (for epoll), if it is a kernel ring.
    pub fn fd(&self) -> Option<RawFd> {
        match &self.mem {
            Mem::Mapped { _map, .. } => Some(_map.fd().as_fd().as_raw_fd()),
            Mem::Owned(_) => None,
        }
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        if let Mem::Mapped { cons, prod, prod_len, page, .. } = &self.mem {
            // SAFETY: both were mapped in Ring::map with these lengths and are
            // not used after this.
            unsafe {
                libc::munmap(*cons as *mut libc::c_void, *page);
                libc::munmap(*prod as *mut libc::c_void, *prod_len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ts: u64, extra: usize) -> Vec<u8> {
        let mut e = ts.to_le_bytes().to_vec();
        e.extend_from_slice(&7u64.to_le_bytes());
        e.extend_from_slice(&((HEADER_LEN_V2 + extra) as u32).to_le_bytes());
        e.extend_from_slice(&[0; 6]);
        e.extend(std::iter::repeat_n(0xAA, extra));
        e
    }

    #[test]
    fn owned_ring_hands_out_single_and_batched_events() {
        let mut one = vec![3, 0, 0, 0, 0, 0, 0, 0];
        one.extend(event(5, 3));
        let mut two = vec![1, 0, 0, 0, 0, 0, 0, 0];
        two.extend(event(9, 0));
        two.extend(event(10, 4));
        two.extend(event(11, 1));
        let mut r = Ring::owned(&[one, two]);
        r.sample();
        let mut got = Vec::new();
        while let Some((cpu, ev)) = r.head().unwrap() {
            got.push((cpu, u64::from_le_bytes(ev[..8].try_into().unwrap()), ev.len()));
            assert_eq!(r.head_ts(), Some(got.last().unwrap().1));
            r.advance();
        }
        assert_eq!(got, [(3, 5, 29), (1, 9, 26), (1, 10, 30), (1, 11, 27)]);
        assert!(r.is_empty());
    }

    #[test]
    fn malformed_length_is_an_error_not_a_panic() {
        let mut rec = vec![0u8; 8];
        let mut e = event(1, 0);
        e[16..20].copy_from_slice(&1000u32.to_le_bytes());
        rec.extend(e);
        let mut r = Ring::owned(&[rec, vec![0; 3]]);
        r.sample();
        assert!(r.head().is_err());
        r.advance();
        assert!(r.head().is_err());
    }
}
