//! Input plumbing: compression detection (gzip, lz4 frame, plain) and a
//! counter of raw bytes consumed, for progress reporting.

use std::io::{self, BufReader, Read};
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
pub fn decoder<R: Read + Send + 'static>(
    mut raw: R,
) -> io::Result<(Box<dyn Read + Send>, Compression)> {
    let prefix = read_prefix(&mut raw, 4)?;
    let kind = if prefix.starts_with(&GZIP_MAGIC) {
        Compression::Gzip
    } else if prefix.as_slice() == LZ4_MAGIC {
        Compression::Lz4
    } else {
        Compression::None
    };
    let joined = io::Cursor::new(prefix).chain(raw);
    let r: Box<dyn Read + Send> = match kind {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(
            BufReader::with_capacity(RAW_CHUNK, joined),
        )),
        Compression::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(joined)),
        Compression::None => Box::new(joined),
    };
    Ok((r, kind))
}
