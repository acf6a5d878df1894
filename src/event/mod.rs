//! Events: a zero-copy view over one raw event plus the event table that
//! describes every event type (names, directions, parameters, flags).
//!
//! An [`Event`] borrows the bytes a source handed out; parameters are located
//! and decoded only when someone asks for them.

pub mod consts;
pub mod ppme;
pub mod render;
pub mod table;

pub use table::{EventInfo, ParamInfo, ParamType, PrintFmt};

/// Size of the v2 event header (`ts u64, tid u64, len u32, type u16, nparams u32`).
pub const HEADER_LEN_V2: usize = 26;
/// Size of the v1 event header (no `nparams`).
pub const HEADER_LEN_V1: usize = 22;

/// One event, borrowed from the source's buffer.
///
/// `body` starts at the parameter-length array (u16 per parameter, or u32 for
/// large-payload events) and ends at the end of the event. Sources validate
/// the lengths before constructing an `Event`, so parameter access is
/// bounds-checked but never fails on a well-formed view.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// Sequence number assigned by the pipeline (sysdig's `evt.num`).
    pub num: u64,
    /// CPU the event was recorded on.
    pub cpu: u16,
    /// Timestamp, nanoseconds since the epoch.
    pub ts: u64,
    /// Thread id that generated the event.
    pub tid: i64,
    /// Event type (PPME_* number).
    pub etype: u16,
    /// Number of parameters present in this event.
    pub nparams: u32,
    /// Event flags from EVF blocks (0 otherwise).
    pub flags: u32,
    /// True when parameter lengths are 32-bit (large-payload events).
    pub large: bool,
    /// Parameter-length array followed by parameter data.
    pub body: &'a [u8],
}

impl<'a> Event<'a> {
    /// Width in bytes of one entry of the parameter-length array.
    #[inline]
    pub fn len_width(&self) -> usize {
        if self.large { 4 } else { 2 }
    }

    /// Length of parameter `i` as recorded (no bounds check against data).
    #[inline(always)]
    fn param_len(&self, i: usize) -> usize {
        let b = self.body;
        if !self.large {
            let p = i * 2;
            u16::from_le_bytes([b[p], b[p + 1]]) as usize
        } else {
            let p = i * 4;
            u32::from_le_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]) as usize
        }
    }

    /// Raw bytes of parameter `i`, or `None` when the event has fewer parameters.
    #[inline]
    pub fn param(&self, i: usize) -> Option<&'a [u8]> {
        let n = self.nparams as usize;
        if i >= n {
            return None;
        }
        let (off, len) = if self.large { locate::<4>(self.body, n, i)? } else { locate::<2>(self.body, n, i)? };
        self.body.get(off..off + len)
    }

    /// Iterator over the raw bytes of every parameter, in order.
    pub fn params(&self) -> Params<'a> {
        let n = self.nparams as usize;
        Params { ev: *self, next: 0, off: n * self.len_width() }
    }

    /// Static description of this event type, if the table knows it.
    #[inline]
    pub fn info(&self) -> Option<&'static EventInfo> {
        table::event_info(self.etype)
    }

    /// libscap's `SCAP_DF_STATE_ONLY` dump flag (EVF blocks; fatfile mode):
    /// the event updates the state but never passes a filter or shows.
    pub const DF_STATE_ONLY: u32 = 1;

    /// True for an event written state-only (see [`Event::DF_STATE_ONLY`]).
    #[inline]
    pub fn is_state_only(&self) -> bool {
        self.flags & Self::DF_STATE_ONLY != 0
    }

    /// Event name as sysdig shows it (`evt.type`): generic syscall events
    /// are named after their syscall, older event types by their old names.
    pub fn name(&self) -> &'static str {
        render::type_name(self)
    }

    /// The syscall id of a generic event (types 0 and 1: parameter 0, u16),
    /// `None` for other events or when the parameter is short.
    #[inline]
    pub fn generic_syscall_id(&self) -> Option<u16> {
        if self.etype >= 2 {
            return None;
        }
        self.param(0)?.get(..2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    /// Enter events have even type numbers, exit events odd ones.
    #[inline]
    pub fn is_enter(&self) -> bool {
        self.etype.is_multiple_of(2)
    }

    /// Direction character as sysdig prints it: `>` enter, `<` exit.
    #[inline]
    pub fn dir_char(&self) -> char {
        if self.is_enter() { '>' } else { '<' }
    }

    /// Index of the parameter named `name` in the event table, if present.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.info()?.params.iter().position(|p| p.name == name)
    }

    /// Raw bytes of the parameter named `name`.
    pub fn param_by_name(&self, name: &str) -> Option<&'a [u8]> {
        self.param(self.param_index(name)?)
    }

    /// Decodes a little-endian integer parameter of 1, 2, 4 or 8 bytes as i64
    /// (sign-extended from its width).
    #[inline]
    pub fn param_i64(&self, i: usize) -> Option<i64> {
        let b = self.param(i)?;
        Some(match b.len() {
            1 => b[0] as i8 as i64,
            2 => i16::from_le_bytes([b[0], b[1]]) as i64,
            4 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
            8 => i64::from_le_bytes(b.try_into().ok()?),
            _ => return None,
        })
    }

    /// Decodes a little-endian integer parameter as u64 (zero-extended).
    #[inline]
    pub fn param_u64(&self, i: usize) -> Option<u64> {
        let b = self.param(i)?;
        Some(match b.len() {
            1 => b[0] as u64,
            2 => u16::from_le_bytes([b[0], b[1]]) as u64,
            4 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64,
            8 => u64::from_le_bytes(b.try_into().ok()?),
            _ => return None,
        })
    }

    /// A string parameter without its trailing NUL.
    pub fn param_str(&self, i: usize) -> Option<&'a [u8]> {
        let b = self.param(i)?;
        Some(match b.iter().position(|&c| c == 0) {
            Some(p) => &b[..p],
            None => b,
        })
    }
}

/// Offset and length of parameter `i` of `n` in a body whose length array
/// has `W`-byte little-endian entries.
#[inline(always)]
fn locate<const W: usize>(body: &[u8], n: usize, i: usize) -> Option<(usize, usize)> {
    let lens = body.get(..n * W)?;
    let mut it = lens.chunks_exact(W).map(|c| c.iter().rev().fold(0usize, |a, &b| a << 8 | b as usize));
    let mut off = n * W;
    for _ in 0..i {
        off += it.next()?;
    }
    Some((off, it.next()?))
}

/// Iterator over the raw parameters of an [`Event`].
pub struct Params<'a> {
    ev: Event<'a>,
    next: usize,
    off: usize,
}

impl<'a> Iterator for Params<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.next >= self.ev.nparams as usize {
            return None;
        }
        let len = self.ev.param_len(self.next);
        self.next += 1;
        let s = self.ev.body.get(self.off..self.off + len)?;
        self.off += len;
        Some(s)
    }
}

/// Checks that `body` holds `nparams` lengths whose data fits; used by sources
/// before they build an [`Event`]. Returns the total bytes used.
#[inline]
pub fn validate_body(body: &[u8], nparams: u32, large: bool) -> Option<usize> {
    let w = if large { 4 } else { 2 };
    let n = nparams as usize;
    let lens_len = n.checked_mul(w)?;
    let lens = body.get(..lens_len)?;
    // u16 lengths cannot overflow a usize sum of at most 2^32 entries;
    // u32 ones are summed in u64.
    let data: u64 = if large {
        lens.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64).sum()
    } else {
        lens.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]) as u64).sum()
    };
    let total = (lens_len as u64).checked_add(data)?;
    (total <= body.len() as u64).then_some(total as usize)
}
