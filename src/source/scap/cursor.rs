//! A bounds-checked little/big-endian cursor over one block body.

/// Parse failure inside a block: message and position relative to the body start.
#[derive(Debug)]
pub struct ParseError {
    pub pos: usize,
    pub message: String,
}

/// Result of parsing inside a block.
pub type PResult<T> = Result<T, ParseError>;

/// Reads integers and byte runs from a slice, never past its end.
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    big_endian: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `buf`.
    pub fn new(buf: &'a [u8], big_endian: bool) -> Self {
        Cursor { buf, pos: 0, big_endian }
    }

    /// Bytes consumed so far.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// An error located at the current position.
    pub fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError { pos: self.pos, message: message.into() }
    }

    #[cold]
    #[inline(never)]
    fn short(&self, n: usize, what: &str) -> ParseError {
        self.err(format!("truncated {what}: need {n} bytes, {} left in block", self.remaining()))
    }

    /// Takes `n` raw bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize, what: &str) -> PResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.short(n, what));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize, what: &str) -> PResult<()> {
        self.bytes(n, what).map(|_| ())
    }

    #[inline]
    fn array<const N: usize>(&mut self, what: &str) -> PResult<[u8; N]> {
        let b = self.bytes(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    #[inline]
    pub fn u8(&mut self, what: &str) -> PResult<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    #[inline]
    pub fn u16(&mut self, what: &str) -> PResult<u16> {
        let a = self.array::<2>(what)?;
        Ok(if self.big_endian { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) })
    }

    #[inline]
    pub fn u32(&mut self, what: &str) -> PResult<u32> {
        let a = self.array::<4>(what)?;
        Ok(if self.big_endian { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) })
    }

    #[inline]
    pub fn u64(&mut self, what: &str) -> PResult<u64> {
        let a = self.array::<8>(what)?;
        Ok(if self.big_endian { u64::from_be_bytes(a) } else { u64::from_le_bytes(a) })
    }

    #[inline]
    pub fn i64(&mut self, what: &str) -> PResult<i64> {
        Ok(self.u64(what)? as i64)
    }

    /// Raw 4 bytes (IPv4 addresses are stored in network order, never swapped).
    pub fn ip4(&mut self, what: &str) -> PResult<[u8; 4]> {
        self.array::<4>(what)
    }

    /// Raw 16 bytes (IPv6 address).
    pub fn ip6(&mut self, what: &str) -> PResult<[u8; 16]> {
        self.array::<16>(what)
    }

    /// A u16-length-prefixed byte run whose length must not exceed `max`.
    pub fn lenstr(&mut self, max: usize, what: &str) -> PResult<&'a [u8]> {
        let n = self.u16(what)? as usize;
        if n > max {
            return Err(self.err(format!("invalid {what} length {n}")));
        }
        self.bytes(n, what)
    }
}

/// Text of a C string stored without terminator: cut at the first NUL, lossy UTF-8.
pub fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// A NUL-separated list, with a terminating NUL added when missing (as libscap does).
pub fn nul_list(b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    if let Some(&last) = v.last() && last != 0 {
        v.push(0);
    }
    v
}
