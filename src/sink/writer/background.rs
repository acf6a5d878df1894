//! A writer whose output (compression included) happens on its own thread.
//!
//! The caller's writes are appended to a shared buffer; the thread takes the
//! buffer whenever it holds [`BATCH`] bytes, or at the latest every
//! [`FLUSH_EVERY`], writes it through the inner writer and flushes that (a
//! gzip sync flush, an lz4 block), so that a capture killed without warning
//! still holds everything up to about a second before. The buffer is bounded:
//! a writer more than [`MAX_PENDING`] bytes ahead of the disk waits.
//!
//! The first write error (a full disk) is kept: every later write and
//! [`Background::finish`] return it.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes that make the thread take the buffer at once.
const BATCH: usize = 1 << 20;
/// Bytes the caller may be ahead of the thread before it waits.
const MAX_PENDING: usize = 16 << 20;
/// Longest time written data stays unflushed.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

struct State {
    data: Vec<u8>,
    /// The caller is done: write what is left and finish.
    closed: bool,
    /// The first error of the inner writer.
    error: Option<(io::ErrorKind, String)>,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when data is due (a full batch, or the end).
    due: Condvar,
    /// Signalled when the thread took the buffer.
    taken: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
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
}

fn err_of(e: &(io::ErrorKind, String)) -> io::Error {
    io::Error::new(e.0, e.1.clone())
}

impl Background {
    /// Starts the thread that writes to `inner`.
    pub fn spawn(inner: Box<dyn Finish>) -> io::Result<Background> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State { data: Vec::with_capacity(BATCH), closed: false, error: None }),
            due: Condvar::new(),
            taken: Condvar::new(),
        });
        let sh = shared.clone();
        let thread = std::thread::Builder::new().name("rchisel-writer".into()).spawn(move || run(&sh, inner))?;
        Ok(Background { shared, thread: Some(thread) })
    }

    /// Writes what is left, ends the stream and waits for the thread; the
    /// first error the thread met, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.close()
    }

    fn close(&mut self) -> io::Result<()> {
        {
            let mut st = self.shared.lock();
            st.closed = true;
        }
        self.shared.due.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        match &self.shared.lock().error {
            Some(e) => Err(err_of(e)),
            None => Ok(()),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

impl Background {
    /// Lets `f` append to the buffer in place (no intermediate copy); returns
    /// what `f` returns.
    pub fn append(&mut self, f: impl FnOnce(&mut Vec<u8>) -> usize) -> io::Result<usize> {
        let mut st = self.shared.lock();
        while st.data.len() >= MAX_PENDING && st.error.is_none() {
            st = self.shared.taken.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        if let Some(e) = &st.error {
            return Err(err_of(e));
        }
        let before = st.data.len();
        let n = f(&mut st.data);
        let wake = before == 0 || (before < BATCH && st.data.len() >= BATCH);
        drop(st);
        if wake {
            self.shared.due.notify_one();
        }
        Ok(n)
    }
}

impl Write for Background {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.append(|d| {
            d.extend_from_slice(buf);
            buf.len()
        })
    }

    /// Data reaches the file within [`FLUSH_EVERY`] anyway; this only
    /// reports an error already met.
    fn flush(&mut self) -> io::Result<()> {
        match &self.shared.lock().error {
            Some(e) => Err(err_of(e)),
            None => Ok(()),
        }
    }
}

/// The thread: takes batches, writes them, flushes at least every second.
fn run(sh: &Shared, mut inner: Box<dyn Finish>) {
    let mut spare: Vec<u8> = Vec::with_capacity(BATCH);
    let mut last_flush = Instant::now();
    let mut unflushed = false;
    loop {
        let (closed, batch) = {
            let mut st = sh.lock();
            loop {
                if st.closed || st.data.len() >= BATCH {
                    break;
                }
                if st.data.is_empty() && !unflushed {
                    // Idle: nothing to write or flush until the caller writes.
                    st = sh.due.wait(st).unwrap_or_else(|p| p.into_inner());
                    continue;
                }
                let left = FLUSH_EVERY.saturating_sub(last_flush.elapsed());
                if left.is_zero() {
                    break;
                }
                st = sh.due.wait_timeout(st, left).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
            }
            spare.clear();
            std::mem::swap(&mut st.data, &mut spare);
            (st.closed, std::mem::take(&mut spare))
        };
        sh.taken.notify_all();
        let mut res = Ok(());
        if !batch.is_empty() {
            res = inner.write_all(&batch);
            unflushed = true;
        }
        spare = batch;
        if res.is_ok() && unflushed && (closed || last_flush.elapsed() >= FLUSH_EVERY) {
            res = inner.flush();
            unflushed = false;
            last_flush = Instant::now();
        }
        if let Err(e) = res {
            let mut st = sh.lock();
            st.error = Some((e.kind(), e.to_string()));
            st.data = Vec::new();
            drop(st);
            sh.taken.notify_all();
            return;
        }
        if closed {
            if let Err(e) = inner.finish_stream() {
                sh.lock().error = Some((e.kind(), e.to_string()));
            }
            return;
        }
    }
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

    fn disk(limit: usize) -> (Box<Disk>, Arc<Mutex<Vec<u8>>>, Arc<Mutex<u32>>) {
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
