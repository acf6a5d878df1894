//! Input plumbing: compression detection (gzip, lz4 frame, plain) and a
//! counter of raw bytes consumed, for progress reporting.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Mutex;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Compression of a capture stream, detected from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Uncompressed scap.
    None,
    /// gzip (one or more members).
    Gzip,
    /// lz4 frame format.
    Lz4,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const LZ4_MAGIC: [u8; 4] = [0x04, 0x22, 0x4d, 0x18];

/// Size of the reads issued to the underlying (compressed) stream.
pub const RAW_CHUNK: usize = 256 * 1024;

/// Counts bytes read through it into a shared counter.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Counting<R> {
    /// Wraps `inner`; the returned counter follows the bytes read.
    pub fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let count = Arc::new(AtomicU64::new(0));
        (Counting { inner, count: count.clone() }, count)
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads up to `n` bytes, stopping early only at end of stream.
fn read_prefix<R: Read>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let mut v = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match r.read(&mut v[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    v.truncate(got);
    Ok(v)
}

/// Sniffs the first bytes of `raw` and returns a reader of the decompressed stream.
/// Uncompressed bytes per read of zlib's gzread in sysdig (twice gzbuffer's
/// default 8 KiB): libscap's file offset (gzoffset) moves in these steps.
pub const GZ_STEP: u64 = 16384;

/// For a gzip input: the compressed bytes inflate had consumed when its
/// output reached each multiple of [`GZ_STEP`] (entry i: (i+1)*GZ_STEP), then
/// at the end of the stream.
pub type GzMarks = Arc<Mutex<Vec<u64>>>;

/// Counts the bytes a `BufRead` consumer (inflate) really used.
struct ConsumeCounting<B> {
    inner: B,
    used: u64,
    shared: Arc<AtomicU64>,
}

impl<B: BufRead> Read for ConsumeCounting<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.used += n as u64;
        self.shared.store(self.used, Ordering::Relaxed);
        Ok(n)
    }
}

impl<B: BufRead> BufRead for ConsumeCounting<B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.used += n as u64;
        self.shared.store(self.used, Ordering::Relaxed);
    }
}

/// Reads from a gzip decoder without crossing a [`GZ_STEP`] boundary of
/// its output, noting the compressed bytes used at each one.
struct Stepped<R> {
    inner: R,
    out: u64,
    used: Arc<AtomicU64>,
    marks: GzMarks,
}

impl<R: Read> Read for Stepped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = (GZ_STEP - self.out % GZ_STEP) as usize;
        let lim = buf.len().min(room);
        let n = self.inner.read(&mut buf[..lim])?;
        self.out += n as u64;
        if ((n > 0 && self.out.is_multiple_of(GZ_STEP)) || (n == 0 && lim > 0)) && let Ok(mut m) = self.marks.lock() {
            m.push(self.used.load(Ordering::Relaxed));
        }
        Ok(n)
    }
}

/// The decoded stream of `raw` and its compression; for gzip, the marks
/// that map uncompressed offsets to the compressed ones sysdig reports.
pub fn decoder<R: Read + Send + 'static>(
    mut raw: R,
) -> io::Result<(Box<dyn Read + Send>, Compression, Option<GzMarks>)> {
    let prefix = read_prefix(&mut raw, 4)?;
    let kind = if prefix.starts_with(&GZIP_MAGIC) {
        Compression::Gzip
    } else if prefix.as_slice() == LZ4_MAGIC {
        Compression::Lz4
    } else {
        Compression::None
    };
    let joined = io::Cursor::new(prefix).chain(raw);
    let mut gz_marks = None;
    let r: Box<dyn Read + Send> = match kind {
        Compression::Gzip => {
            let used = Arc::new(AtomicU64::new(0));
            let counted = ConsumeCounting { inner: BufReader::with_capacity(RAW_CHUNK, joined), used: 0, shared: used.clone() };
            let marks: GzMarks = Arc::default();
            gz_marks = Some(marks.clone());
            Box::new(Stepped { inner: flate2::bufread::MultiGzDecoder::new(counted), out: 0, used, marks })
        }
        Compression::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(joined)),
        Compression::None => Box::new(joined),
    };
    Ok((r, kind, gz_marks))
}
