//! A writer whose output (compression included) happens on its own thread.
//!
//! The caller copies each write into a byte ring shared with the thread
//! (one producer, one consumer) and publishes how far it wrote with a plain
//! atomic store: no lock and no system call per write, which matters for a
//! live capture writing millions of events a second (a mutex per event was a
//! sixth of the reading thread's time in a two-CPU storm). The thread takes
//! what is there whenever [`BATCH`] bytes are waiting (the caller wakes it)
//! or every [`POLL`] (up to every [`FLUSH_EVERY`] while nothing comes),
//! writes it through the inner writer, and flushes that (a
//! gzip sync flush, an lz4 block) when the data stops flowing and at least
//! every [`FLUSH_EVERY`], so that a capture killed without warning still
//! holds everything up to about a second before. The ring is bounded: a
//! caller more than [`RING`] bytes ahead of the disk waits.
//!
//! The first write error (a full disk) is kept: every later write and
//! [`Background::finish`] return it.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes waiting that make the caller wake the thread.
const BATCH: u64 = 1 << 20;
/// Size of the ring: how far the caller may be ahead of the thread.
const RING: usize = 16 << 20;
/// How often the thread looks for data nobody woke it for.
const POLL: Duration = Duration::from_millis(100);
/// Longest time written data stays unflushed while data keeps coming.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// The ring's bytes. The caller writes only the free part (from `head` on,
/// up to `tail + RING`), the thread reads only `[tail, head)`; each side
/// publishes its position with release stores after it is done with the
/// bytes, and reads the other's with acquire loads.
struct Bytes(*mut u8);

// SAFETY: access to the bytes is split between the two threads by the
// head/tail protocol above; no byte is read and written at the same time.
unsafe impl Sync for Bytes {}
// SAFETY: the allocation is owned by this value alone.
unsafe impl Send for Bytes {}

impl Bytes {
    fn new() -> Bytes {
        // Zeroed memory comes from the allocator untouched: pages count
        // only once the ring reaches them.
        Bytes(Box::into_raw(vec![0u8; RING].into_boxed_slice()) as *mut u8)
    }

    /// Where the byte at stream position `at` lives.
    fn ptr(&self, at: u64) -> *mut u8 {
        // SAFETY: the offset is below RING, inside the allocation.
        unsafe { self.0.add(at as usize % RING) }
    }
}

impl Drop for Bytes {
    fn drop(&mut self) {
        // SAFETY: made by Box::into_raw of a RING-byte boxed slice in new().
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.0, RING)) });
    }
}

struct Shared {
    bytes: Bytes,
    /// Bytes the caller has written in all (the ring's producer position).
    head: AtomicU64,
    /// Bytes the thread has taken in all (the consumer position).
    tail: AtomicU64,
    /// Set (with the first error's text in `state`) when the thread failed.
    failed: AtomicBool,
    state: Mutex<State>,
    /// Signalled when a batch is due or the caller is done.
    due: Condvar,
    /// Signalled when the thread took bytes out of the ring.
    taken: Condvar,
}

struct State {
    /// The caller is done: write what is left and finish.
    closed: bool,
    /// The first error of the inner writer.
    error: Option<(io::ErrorKind, String)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self) -> Option<io::Error> {
        self.lock().error.as_ref().map(|e| io::Error::new(e.0, e.1.clone()))
    }
}

/// Something the thread can write to and finish (flush, end a compressed stream).
pub trait Finish: Write + Send + 'static {
    /// Writes what is buffered and ends the stream.
    fn finish_stream(self: Box<Self>) -> io::Result<()>;
}

/// The caller's end of a background writer.
pub struct Background {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// The caller's own copy of `head`.
    head: u64,
    /// `head` when the thread was last woken.
    woken_at: u64,
    /// Where an append's closure assembles its bytes before they are copied in.
    stage: Vec<u8>,
}

impl Background {
    /// Starts the thread that writes to `inner`.
    pub fn spawn(inner: Box<dyn Finish>) -> io::Result<Background> {
        let bytes = Bytes::new();
        let shared = Arc::new(Shared {
            bytes,
            head: AtomicU64::new(0),
            tail: AtomicU64::new(0),
            failed: AtomicBool::new(false),
            state: Mutex::new(State { closed: false, error: None }),
            due: Condvar::new(),
            taken: Condvar::new(),
        });
        let sh = shared.clone();
        let thread = std::thread::Builder::new().name("rchisel-writer".into()).spawn(move || {
            // It wakes every few milliseconds to write: during a live
            // capture, it must not take the CPU from the traced processes.
            crate::sched::batch_thread();
            run(&sh, inner)
        })?;
        Ok(Background { shared, thread: Some(thread), head: 0, woken_at: 0, stage: Vec::new() })
    }

    /// Writes what is left, ends the stream and waits for the thread; the
    /// first error the thread met, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.close()
    }

    fn close(&mut self) -> io::Result<()> {
        self.shared.lock().closed = true;
        self.shared.due.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        match self.shared.error() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Lets `f` assemble bytes (appending to the vector it is given), then
    /// puts them in the ring; returns what `f` returns.
    pub fn append(&mut self, f: impl FnOnce(&mut Vec<u8>) -> usize) -> io::Result<usize> {
        let mut stage = std::mem::take(&mut self.stage);
        stage.clear();
        let n = f(&mut stage);
        let res = self.push(&stage);
        self.stage = stage;
        res.map(|()| n)
    }

    /// Copies `data` into the ring (waiting for room) and publishes it.
    fn push(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            if self.shared.failed.load(Ordering::Relaxed) {
                return Err(self.shared.error().unwrap_or_else(|| io::Error::other("writer failed")));
            }
            let tail = self.shared.tail.load(Ordering::Acquire);
            let free = RING as u64 - (self.head - tail);
            if free == 0 {
                self.wait_for_room();
                continue;
            }
            // Up to the free space and the end of the ring's storage.
            let to_end = RING as u64 - self.head % RING as u64;
            let k = (data.len() as u64).min(free).min(to_end) as usize;
            // SAFETY: [head, head + k) is free (not yet published, already
            // taken by the thread) and does not wrap; only this thread writes it.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.shared.bytes.ptr(self.head), k) };
            self.head += k as u64;
            data = &data[k..];
            self.shared.head.store(self.head, Ordering::Release);
        }
        if self.head - self.woken_at >= BATCH {
            self.woken_at = self.head;
            let _g = self.shared.lock();
            self.shared.due.notify_one();
        }
        Ok(())
    }

    /// The ring is full: wakes the thread and waits until it took some.
    fn wait_for_room(&mut self) {
        self.woken_at = self.head;
        let st = self.shared.lock();
        self.shared.due.notify_one();
        if self.shared.tail.load(Ordering::Acquire) + RING as u64 == self.head && !self.shared.failed.load(Ordering::Relaxed) {
            // A timeout too: a lost wake-up costs a few milliseconds, not a hang.
            let _ = self.shared.taken.wait_timeout(st, Duration::from_millis(10));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

impl Write for Background {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.push(buf)?;
        Ok(buf.len())
    }

    /// Data reaches the file within [`FLUSH_EVERY`] anyway; this only
    /// reports an error already met.
    fn flush(&mut self) -> io::Result<()> {
        match self.shared.error() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// The thread: takes what the caller wrote, writes it, flushes when the data
/// stops flowing and at least every [`FLUSH_EVERY`].
fn run(sh: &Shared, mut inner: Box<dyn Finish>) {
    let mut last_flush = Instant::now();
    let mut unflushed = false;
    // How long to sleep: POLL while data comes, doubling (up to
    // FLUSH_EVERY) while none does, so that an idle capture wakes once a
    // second, and data after a pause reaches the file within a second.
    let mut nap = POLL;
    loop {
        let closed = {
            let mut st = sh.lock();
            let waiting = |sh: &Shared| sh.head.load(Ordering::Acquire) - sh.tail.load(Ordering::Relaxed);
            if !st.closed && waiting(sh) < BATCH {
                st = sh.due.wait_timeout(st, nap).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
            }
            st.closed
        };
        let tail = sh.tail.load(Ordering::Relaxed);
        let head = sh.head.load(Ordering::Acquire);
        nap = if head != tail || unflushed { POLL } else { (nap * 2).min(FLUSH_EVERY) };
        let res = write_out(sh, &mut *inner, tail, head).and_then(|()| {
            let flowing = head != tail;
            unflushed |= flowing;
            if unflushed && (closed || !flowing || last_flush.elapsed() >= FLUSH_EVERY) {
                unflushed = false;
                last_flush = Instant::now();
                return inner.flush();
            }
            Ok(())
        });
        if let Err(e) = res {
            sh.lock().error = Some((e.kind(), e.to_string()));
            sh.failed.store(true, Ordering::Release);
            let _g = sh.lock();
            sh.taken.notify_all();
            return;
        }
        if closed {
            if let Err(e) = inner.finish_stream() {
                sh.lock().error = Some((e.kind(), e.to_string()));
                sh.failed.store(true, Ordering::Release);
            }
            return;
        }
    }
}

/// Writes the ring's bytes `[tail, head)` (in up to two pieces) and gives
/// their room back to the caller.
fn write_out(sh: &Shared, inner: &mut dyn Finish, tail: u64, head: u64) -> io::Result<()> {
    let mut at = tail;
    while at < head {
        let to_end = RING as u64 - at % RING as u64;
        let k = (head - at).min(to_end) as usize;
        // SAFETY: [at, at + k) lies in [tail, head): published by the caller
        // (acquire load of head) and not reused by it until tail passes it.
        let piece = unsafe { std::slice::from_raw_parts(sh.bytes.ptr(at) as *const u8, k) };
        inner.write_all(piece)?;
        at += k as u64;
        sh.tail.store(at, Ordering::Release);
        let _g = sh.lock();
        sh.taken.notify_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects what reaches it; fails after `limit` bytes (a full disk).
    struct Disk {
        got: Arc<Mutex<Vec<u8>>>,
        flushes: Arc<Mutex<u32>>,
        limit: usize,
    }
    impl Write for Disk {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let mut g = self.got.lock().unwrap();
            if g.len() + b.len() > self.limit {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device"));
            }
            g.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            *self.flushes.lock().unwrap() += 1;
            Ok(())
        }
    }
    impl Finish for Disk {
        fn finish_stream(self: Box<Self>) -> io::Result<()> {
            Ok(())
        }
    }

    /// The sink, the bytes it got and its flush count.
    type DiskHandles = (Box<Disk>, Arc<Mutex<Vec<u8>>>, Arc<Mutex<u32>>);

    fn disk(limit: usize) -> DiskHandles {
        let got = Arc::new(Mutex::new(Vec::new()));
        let flushes = Arc::new(Mutex::new(0));
        (Box::new(Disk { got: got.clone(), flushes: flushes.clone(), limit }), got, flushes)
    }

    #[test]
    fn everything_arrives_in_order() {
        let (d, got, _) = disk(usize::MAX);
        let mut w = Background::spawn(d).unwrap();
        let mut want = Vec::new();
        for i in 0..300_000u32 {
            w.write_all(&i.to_le_bytes()).unwrap();
            want.extend_from_slice(&i.to_le_bytes());
        }
        w.finish().unwrap();
        assert_eq!(*got.lock().unwrap(), want);
    }

    #[test]
    fn bytes_wrap_around_the_ring_in_order() {
        let (d, got, _) = disk(usize::MAX);
        let mut w = Background::spawn(d).unwrap();
        let mut want = Vec::new();
        let mut x = 1u32;
        // Odd sizes up to 12 KiB, 2.5 rings' worth: pieces end and wrap anywhere.
        while want.len() < RING * 5 / 2 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let piece: Vec<u8> = (0..(x >> 8) % 12_289).map(|i| (i ^ x) as u8).collect();
            want.extend_from_slice(&piece);
            let n = w
                .append(|b| {
                    b.extend_from_slice(&piece);
                    piece.len()
                })
                .unwrap();
            assert_eq!(n, piece.len());
        }
        w.finish().unwrap();
        let got = got.lock().unwrap();
        assert_eq!(got.len(), want.len());
        assert!(*got == want, "bytes differ");
    }

    #[test]
    fn idle_data_is_flushed_within_a_second_or_so() {
        let (d, got, flushes) = disk(usize::MAX);
        let mut w = Background::spawn(d).unwrap();
        w.write_all(b"abc").unwrap();
        std::thread::sleep(FLUSH_EVERY + Duration::from_millis(500));
        assert_eq!(*got.lock().unwrap(), b"abc");
        assert!(*flushes.lock().unwrap() >= 1);
        w.finish().unwrap();
    }

    #[test]
    fn full_disk_error_reaches_the_caller() {
        let (d, got, _) = disk(3 << 20);
        let mut w = Background::spawn(d).unwrap();
        let chunk = vec![7u8; 4096];
        let mut err = None;
        for _ in 0..10_000 {
            if let Err(e) = w.write_all(&chunk) {
                err = Some(e);
                break;
            }
        }
        let e = err.expect("the writer reports the full disk");
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(w.finish().is_err());
        assert!(got.lock().unwrap().len() <= 3 << 20);
    }
}
