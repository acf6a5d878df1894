//! Decoding of one event block (EV/EVF, v1 or v2, normal or large) into
//! positions the reader turns into a borrowed [`crate::event::Event`].

use super::cursor::{Cursor, PResult, ParseError};
use crate::event::table::{self, ParamType};
use crate::event::{HEADER_LEN_V1, HEADER_LEN_V2, validate_body};

use super::blocks::EvBlock;

/// `EF_LARGE_PAYLOAD`: parameter lengths are u32.
pub const EF_LARGE_PAYLOAD: u32 = 1 << 11;
/// `PPME_NOTIFICATION_E` and `PPME_INFRASTRUCTURE_EVENT_E`: old captures
/// recorded their length 3 bytes too long.
const NOTIFICATION_E: u16 = 280;
const INFRASTRUCTURE_EVENT_E: u16 = 286;

/// A decoded event; `body_start`/`body_len` locate the parameter-length array
/// and data, relative to the block body (big-endian parameters are converted
/// to little-endian in place).
#[derive(Clone, Copy, Debug)]
pub struct Decoded {
    pub cpu: u16,
    pub flags: u32,
    pub ts: u64,
    pub tid: i64,
    pub etype: u16,
    pub nparams: u32,
    pub large: bool,
    pub body_start: usize,
    pub body_len: usize,
}

impl Decoded {
    /// The event, borrowed from `buf` (the buffer `body_start` refers to).
    #[inline]
    pub fn view<'a>(&self, buf: &'a [u8]) -> crate::event::Event<'a> {
        crate::event::Event {
            num: 0,
            cpu: self.cpu,
            ts: self.ts,
            tid: self.tid,
            etype: self.etype,
            nparams: self.nparams,
            flags: self.flags,
            large: self.large,
            body: buf.get(self.body_start..self.body_start + self.body_len).unwrap_or(&[]),
        }
    }
}

fn perr(pos: usize, message: String) -> ParseError {
    ParseError { pos, message }
}

/// Number of parameters the event table declares, or `None` when the type is
/// unknown. With an empty table (still being built) every type is accepted.
fn table_nparams(etype: u16) -> Option<Option<usize>> {
    match table::event_info(etype) {
        Some(i) => Some(Some(i.params.len())),
        None if table::all_events().is_empty() => Some(None),
        None => None,
    }
}

/// Width of the parameter lengths: the event table's `EF_LARGE_PAYLOAD` flag
/// decides (as in libscap); for types the table does not know, the block type.
fn is_large(etype: u16, large_block: bool) -> bool {
    match table::event_info(etype) {
        Some(i) => i.flags & EF_LARGE_PAYLOAD != 0,
        None => large_block,
    }
}

/// libscap's rule for v1 events (no `nparams` in the header): start from the
/// table's parameter count and decrease it until the u16 lengths add up to
/// exactly the event size.
fn v1_nparams(params: &[u8], start_from: usize, be: bool) -> Result<u32, String> {
    let end = params.len();
    let rd = |i: usize| -> usize {
        let a = [params[i * 2], params[i * 2 + 1]];
        (if be { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) }) as usize
    };
    let mut n = start_from;
    loop {
        if n * 2 <= end {
            let mut val = n * 2;
            for i in 0..n {
                val += rd(i);
            }
            if val < end {
                return Err(
                    "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams)."
                        .into(),
                );
            }
            if val == end {
                return Ok(n as u32);
            }
        }
        if n == 0 {
            return Err("cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams) (2).".into());
        }
        n -= 1;
    }
}

/// The event header fields the general path reads before the parameters.
struct Header {
    cpu: u16,
    flags: u32,
    /// Offset of the event header in the block body.
    ev_off: usize,
    /// Bytes of the body from `ev_off` on.
    avail: usize,
    ts: u64,
    tid: i64,
    /// Event length as recorded (header included).
    len: usize,
    etype: u16,
}

/// Decodes the event in an event block body. `Ok(None)`: the event type is
/// unknown to the event table and is skipped, as libscap does.
pub fn decode(body: &mut [u8], kind: EvBlock, be: bool, type_limit: u16) -> PResult<Option<Decoded>> {
    if !be && kind.v2 && let Some(d) = decode_v2_le(body, kind, type_limit) {
        return Ok(d);
    }
    decode_general(body, kind, be, type_limit)
}

/// [`decode`]'s general path: any byte order and version, with the exact
/// error for each fault. Kept out of line so the common case stays small.
#[inline(never)]
fn decode_general(body: &mut [u8], kind: EvBlock, be: bool, type_limit: u16) -> PResult<Option<Decoded>> {
    let mut c = Cursor::new(&*body, be);
    let mut h = read_header(&mut c, kind)?;
    if h.etype >= type_limit {
        return Ok(None);
    }
    let Some(declared) = table_nparams(h.etype) else {
        return Ok(None);
    };
    let (nparams, large) = if kind.v2 {
        v2_nparams(&mut c, &h, kind.large)?
    } else {
        v1_params(body, &mut h, declared, be)?
    };
    finish(body, &h, kind, nparams, large, be).map(Some)
}

/// Reads the cpu id, the flags (EVF blocks) and the event header up to the
/// type, after checking the body holds a whole header.
#[inline]
fn read_header(c: &mut Cursor<'_>, kind: EvBlock) -> PResult<Header> {
    let cpu = c.u16("event block cpu id")?;
    let flags = if kind.flags { c.u32("event flags")? } else { 0 };
    let ev_off = c.pos();
    let hdr_len = if kind.v2 { HEADER_LEN_V2 } else { HEADER_LEN_V1 };
    let avail = c.remaining();
    if avail < hdr_len {
        return Err(perr(
            ev_off,
            format!(
                "bad event length: event header exceeds block payload (available {avail}, header size {hdr_len})"
            ),
        ));
    }
    let ts = c.u64("event ts")?;
    let tid = c.i64("event tid")?;
    let len = c.u32("event len")? as usize;
    let etype = c.u16("event type")?;
    Ok(Header { cpu, flags, ev_off, avail, ts, tid, len, etype })
}

/// v2 event: reads `nparams` from the header and checks the event length
/// against the header size and the block; the parameter-length width
/// follows [`is_large`].
#[inline]
fn v2_nparams(c: &mut Cursor<'_>, h: &Header, large_block: bool) -> PResult<(u32, bool)> {
    let nparams = c.u32("event nparams")?;
    let (len, avail) = (h.len, h.avail);
    if len < HEADER_LEN_V2 {
        return Err(perr(h.ev_off, format!(
            "bad event length: invalid event: len {len} is smaller than the event header size {HEADER_LEN_V2}"
        )));
    }
    if len > avail {
        return Err(perr(h.ev_off, format!(
            "bad event length: invalid event: len {len} is larger than the {avail} bytes available in the block"
        )));
    }
    Ok((nparams, is_large(h.etype, large_block)))
}

/// v1 event: corrects the length old captures recorded too long for two
/// types, checks it, and counts the parameters ([`v1_nparams`], starting
/// from the table's count `declared`). Lengths are u16.
#[inline]
fn v1_params(body: &[u8], h: &mut Header, declared: Option<usize>, be: bool) -> PResult<(u32, bool)> {
    if h.etype == NOTIFICATION_E || h.etype == INFRASTRUCTURE_EVENT_E {
        h.len = h.len.saturating_sub(3);
    }
    let (ev_off, len, avail) = (h.ev_off, h.len, h.avail);
    if len < HEADER_LEN_V1 || len > avail {
        return Err(perr(ev_off, format!(
            "bad event length: v1 event len {len} outside {HEADER_LEN_V1}..={avail}"
        )));
    }
    let params = &body[ev_off + HEADER_LEN_V1..ev_off + len];
    let start_from = declared.unwrap_or((params.len() / 2).min(64));
    let n = v1_nparams(params, start_from, be).map_err(|m| perr(ev_off, m))?;
    Ok((n, false))
}

/// Locates the parameters, converts them to little-endian when `be`, and
/// checks that the `nparams` lengths fit in the event.
#[inline]
fn finish(body: &mut [u8], h: &Header, kind: EvBlock, nparams: u32, large: bool, be: bool) -> PResult<Decoded> {
    let hdr_len = if kind.v2 { HEADER_LEN_V2 } else { HEADER_LEN_V1 };
    let start = h.ev_off + hdr_len;
    let plen = h.len - hdr_len;
    let d = Decoded {
        cpu: h.cpu,
        flags: h.flags,
        ts: h.ts,
        tid: h.tid,
        etype: h.etype,
        nparams,
        large,
        body_start: start,
        body_len: plen,
    };
    let params = &mut body[start..start + plen];
    if be {
        swap_params(params, h.etype, nparams, large);
    }
    if validate_body(params, nparams, large).is_none() {
        let len = h.len;
        return Err(perr(
            h.ev_off,
            format!("bad event length: invalid event: nparams {nparams} do not fit in event len {len}"),
        ));
    }
    Ok(d)
}

#[inline(always)]
fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

#[inline(always)]
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

#[inline(always)]
fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// The common case (little-endian v2 event of a known type, well formed)
/// decoded with one length check; `None` sends the block to the general
/// path, which produces the exact error or skip.
#[inline]
fn decode_v2_le(body: &[u8], kind: EvBlock, type_limit: u16) -> Option<Option<Decoded>> {
    let ev_off = if kind.flags { 6 } else { 2 };
    if body.len() < ev_off + HEADER_LEN_V2 {
        return None;
    }
    let h = &body[ev_off..ev_off + HEADER_LEN_V2];
    let etype = le16(h, 20);
    if etype >= type_limit {
        return Some(None);
    }
    let info = table::event_info(etype)?;
    let len = le32(h, 16) as usize;
    let avail = body.len() - ev_off;
    if !(HEADER_LEN_V2..=avail).contains(&len) {
        return None;
    }
    let nparams = le32(h, 22);
    let large = info.flags & EF_LARGE_PAYLOAD != 0;
    let start = ev_off + HEADER_LEN_V2;
    let plen = len - HEADER_LEN_V2;
    validate_body(&body[start..start + plen], nparams, large)?;
    Some(Some(Decoded {
        cpu: le16(body, 0),
        flags: if kind.flags { le32(body, 2) } else { 0 },
        ts: le64(h, 0),
        tid: le64(h, 8) as i64,
        etype,
        nparams,
        large,
        body_start: start,
        body_len: plen,
    }))
}

/// Converts a big-endian parameter block to little-endian in place: the
/// length array and every fixed-width integer parameter.
fn swap_params(b: &mut [u8], etype: u16, nparams: u32, large: bool) {
    let w = if large { 4 } else { 2 };
    let n = nparams as usize;
    if n.saturating_mul(w) > b.len() {
        return;
    }
    let mut lens = Vec::with_capacity(n);
    for i in 0..n {
        let s = &mut b[i * w..i * w + w];
        s.reverse();
        let len = if large {
            u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize
        } else {
            u16::from_le_bytes([s[0], s[1]]) as usize
        };
        lens.push(len);
    }
    let info = table::event_info(etype);
    let mut off = n * w;
    for (i, len) in lens.into_iter().enumerate() {
        let Some(end) = off.checked_add(len).filter(|&e| e <= b.len()) else {
            return;
        };
        let ptype = info.and_then(|inf| inf.params.get(i)).map(|p| p.ptype);
        if matches!(len, 2 | 4 | 8) && ptype.is_some_and(is_scalar) {
            b[off..end].reverse();
        }
        off = end;
    }
}

fn is_scalar(t: ParamType) -> bool {
    use ParamType::*;
    matches!(
        t,
        Int16 | Int32 | Int64 | Uint16 | Uint32 | Uint64 | Errno | Fd | Pid | SyscallId | RelTime
            | AbsTime | Port | Flags16 | Flags32 | Uid | Gid | Double | SigSet | Mode
            | EnumFlags16 | EnumFlags32 | Fd32 | Pid32
    )
}
