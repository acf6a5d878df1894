//! Rendering of event parameters as sysdig prints them (`evt.info`, `evt.arg.*`).
//!
//! Every parameter renders to two strings, as in libsinsp: the *raw* text
//! (`3`, `-2`, `4097`) and an optional *resolved* text (`<f>/etc/passwd`,
//! `ENOENT`, `O_RDONLY|O_CLOEXEC`). `evt.info` prints `name=raw(resolved) `
//! or `name=raw ` per parameter; `evt.arg.NAME` prints the resolved text when
//! there is one, the raw text otherwise.
//!
//! Parameters are interpreted with the declaration sysdig 0.29.3 used for
//! them ([`ParamInfo::sysdig`]), so output matches sysdig on old and new
//! captures alike.

use std::io::Write;

use super::table::{self, EventInfo, ParamExtra, ParamInfo, ParamType, PrintFmt};
use super::Event;

/// State lookups the renderer needs (implemented by the state engine).
pub trait Resolve {
    /// Writes sysdig's fd description for `fd` of thread `tid`, e.g. `<f>/etc/passwd`
    /// or `<4t>10.0.0.1:22->10.0.0.2:5000`; returns false when the fd is unknown.
    /// The text is `<` type char [l4 char] `>` followed by the fd name with
    /// non-printable bytes removed.
    fn fd_desc(&self, tid: i64, fd: i64, out: &mut Vec<u8>) -> bool;
    /// The command name of thread `tid`, for PT_PID parameters (`17497(curl)`).
    fn thread_comm(&self, tid: i64) -> Option<&str>;
    /// Whether thread `tid` is known. sysdig resolves fds, errno values of fd
    /// parameters, fd lists and relative paths only for known threads.
    fn has_thread(&self, _tid: i64) -> bool {
        true
    }
    /// Type character of an fd (`f`, `4`, `6`, `u`, `p`, ...), for PT_FDLIST.
    /// Defaults to the character [`Resolve::fd_desc`] writes after `<`.
    fn fd_typechar(&self, tid: i64, fd: i64) -> Option<u8> {
        let mut v = Vec::new();
        if self.fd_desc(tid, fd, &mut v) && v.len() > 1 && v[0] == b'<' {
            Some(v[1])
        } else {
            None
        }
    }
    /// Working directory of `tid` as sysdig stores it (with a trailing `/`),
    /// for resolving relative PT_FSPATH parameters. Returns false when unknown.
    fn cwd(&self, _tid: i64, _out: &mut Vec<u8>) -> bool {
        false
    }
    /// Path of directory fd `fd` of `tid` (no trailing `/`), for PT_FSRELPATH
    /// parameters relative to a dirfd. Returns false when unknown.
    fn dir_fd_path(&self, _tid: i64, _fd: i64, _out: &mut Vec<u8>) -> bool {
        false
    }
    /// User name of `uid` (PT_UID); None prints `<NA>`.
    fn user_name(&self, _uid: u32) -> Option<&str> {
        None
    }
    /// Group name of `gid` (PT_GID); None prints `<NA>`.
    fn group_name(&self, _gid: u32) -> Option<&str> {
        None
    }
}

/// A [`Resolve`] that knows nothing: no thread, no fd, no user.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoResolve;

impl Resolve for NoResolve {
    fn fd_desc(&self, _tid: i64, _fd: i64, _out: &mut Vec<u8>) -> bool {
        false
    }
    fn thread_comm(&self, _tid: i64) -> Option<&str> {
        None
    }
    fn has_thread(&self, _tid: i64) -> bool {
        false
    }
}

/// How byte buffers are shown (`-A`, `-x`, `-X`, `-b`, default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BufFormat {
    /// Printable bytes as is, others as `.` (default).
    #[default]
    Normal,
    /// `-A`: printable bytes only, line ends kept (`PF_EOLS`).
    Ascii,
    /// `-x`: hex dump.
    Hex,
    /// `-X`: hex dump with an ASCII column.
    HexAscii,
    /// `-b`: base64.
    Base64,
    /// `-j` with the default buffer format (like Normal but never cut).
    JsonNormal,
}

/// Options for rendering parameters.
#[derive(Clone, Copy, Debug)]
pub struct RenderOpts {
    /// Buffer format.
    pub buf_format: BufFormat,
    /// Print buffers in full (`-v`) instead of cutting at `print_len`.
    pub full_bufs: bool,
    /// Maximum bytes of a buffer shown when not `full_bufs` (only the Normal
    /// format is ever cut, as in sysdig).
    pub print_len: usize,
    /// Show only the parameters sysdig 0.29.3's table declared (it ignores
    /// parameters that newer drivers append). `evt.info` uses this.
    pub sysdig_params: bool,
}

impl Default for RenderOpts {
    fn default() -> Self {
        RenderOpts { buf_format: BufFormat::Normal, full_bufs: false, print_len: 80, sysdig_params: true }
    }
}

/// AT_FDCWD as the drivers encode it.
const PPM_AT_FDCWD: i64 = -100;

/// Number of parameters sysdig shows for `ev` (the event's count, capped by
/// the table sysdig 0.29.3 used, or today's when `sysdig_params` is off).
pub fn shown_params(ev: &Event, opts: &RenderOpts) -> usize {
    let Some(info) = ev.info() else { return 0 };
    let decl = match (&info.legacy, opts.sysdig_params) {
        (Some(l), true) => l.nparams,
        _ => info.params.len(),
    };
    decl.min(ev.nparams as usize)
}

/// Appends sysdig's `evt.info` text (`name=value name=value ...`) for `ev`.
/// Every parameter is followed by one space, as sysdig prints it.
pub fn render_info(ev: &Event, res: &dyn Resolve, opts: &RenderOpts, out: &mut Vec<u8>) {
    render_info_with(ev, res, opts, out, &mut Vec::new());
}

/// [`render_info`] with `scratch`, a reusable buffer for the resolved texts
/// (its content is replaced).
pub fn render_info_with(ev: &Event, res: &dyn Resolve, opts: &RenderOpts, out: &mut Vec<u8>, scratch: &mut Vec<u8>) {
    // generic events' arguments are internal: sysdig prints nothing
    if ev.etype < 2 {
        return;
    }
    let Some(info) = ev.info() else { return };
    let n = shown_params(ev, opts);
    // The payloads in one pass (Event::param looks each up from the start);
    // after a short one, each by itself as param_strs would.
    let mut params = Some(ev.params());
    for i in 0..n {
        scratch.clear();
        out.extend_from_slice(info.params[i].sysdig().name.as_bytes());
        out.push(b'=');
        let payload = match params.as_mut().and_then(|p| p.next()) {
            Some(p) => p,
            None => {
                params = None;
                ev.param(i).unwrap_or(&[])
            }
        };
        // The raw text goes straight to `out` (renderers only append).
        param_strs_of(ev, info, i, payload, res, opts, out, scratch);
        if !scratch.is_empty() {
            out.push(b'(');
            out.extend_from_slice(scratch);
            out.push(b')');
        }
        out.push(b' ');
    }
}

/// The event type name sysdig prints (`evt.type`): for generic events the
/// syscall name of their `ID` parameter (`mprotect`), otherwise the name
/// sysdig 0.29.3's table gives the type; "UNKNOWN" for unknown types.
pub fn type_name(ev: &Event) -> &'static str {
    if ev.etype < 2 {
        let id = ev.generic_syscall_id().unwrap_or(0);
        return table::syscall_info(id).map(|s| s.name).unwrap_or("<unknown>");
    }
    ev.info().map(|i| i.sysdig_name()).unwrap_or("UNKNOWN")
}

/// Renders parameter `idx` as `evt.arg.NAME` / `evt.arg[N]` show it: the
/// resolved text when there is one, the raw text otherwise. Returns false
/// (writing nothing) when the event has no such parameter.
pub fn render_param(ev: &Event, idx: usize, res: &dyn Resolve, opts: &RenderOpts, out: &mut Vec<u8>) -> bool {
    let mut raw = Vec::new();
    let mut resolved = Vec::new();
    if !render_param_parts(ev, idx, res, opts, &mut raw, &mut resolved) {
        return false;
    }
    out.extend_from_slice(if resolved.is_empty() { &raw } else { &resolved });
    true
}

/// Renders parameter `idx` into its raw and resolved texts (resolved is left
/// empty when sysdig has none). Returns false when there is no such parameter.
pub fn render_param_parts(
    ev: &Event,
    idx: usize,
    res: &dyn Resolve,
    opts: &RenderOpts,
    raw: &mut Vec<u8>,
    resolved: &mut Vec<u8>,
) -> bool {
    let Some(info) = ev.info() else { return false };
    if idx >= info.params.len() || idx >= ev.nparams as usize {
        return false;
    }
    param_strs(ev, info, idx, res, opts, raw, resolved);
    true
}

/// Index of the parameter named `name` as sysdig 0.29.3 names it (falls
/// back to today's names).
pub fn param_index(ev: &Event, name: &str) -> Option<usize> {
    // The names asked per event (evt.res, evt.failed, fd lookups, data) are
    // looked up once per event type.
    match name {
        "res" => named_index(ev.etype, 0),
        "fd" => named_index(ev.etype, 1),
        "data" => named_index(ev.etype, 2),
        _ => param_index_slow(ev.etype, name),
    }
}

/// The names [`named_index`] knows, in its column order.
const NAMED: [&str; 3] = ["res", "fd", "data"];

/// Per event type, for each of [`NAMED`]: 1 + the parameter's index, 0 for none.
static NAMED_INDEX: std::sync::OnceLock<Box<[[u8; 3]]>> = std::sync::OnceLock::new();

/// Index of the parameter `NAMED[col]` in events of type `etype`.
#[inline]
pub fn named_index(etype: u16, col: usize) -> Option<usize> {
    let t = NAMED_INDEX.get_or_init(|| {
        let n = crate::event::table::all_events().len();
        (0..n)
            .map(|e| NAMED.map(|name| param_index_slow(e as u16, name).map_or(0, |i| (i + 1).min(255) as u8)))
            .collect()
    });
    match t.get(etype as usize)?[col] {
        0 => None,
        i => Some(i as usize - 1),
    }
}

fn param_index_slow(etype: u16, name: &str) -> Option<usize> {
    let info = crate::event::table::event_info(etype)?;
    info.params
        .iter()
        .position(|p| p.sysdig().name == name)
        .or_else(|| info.params.iter().position(|p| p.name == name))
}

/// A parameter decoded by type, for `evt.rawarg.*` and typed comparisons.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamValue<'a> {
    /// Signed integers, errno values, fds, pids.
    Int(i64),
    /// Unsigned integers, flags, modes, uids, times, syscall ids, signals.
    Uint(u64),
    /// Floating point values.
    Double(f64),
    /// A NUL-terminated string without its NUL (charbuf, paths).
    Str(&'a [u8]),
    /// Raw bytes (byte buffers, socket addresses, tuples, fd lists, ...).
    Bytes(&'a [u8]),
}

/// Decodes parameter `idx` according to its (sysdig 0.29.3) declared type.
pub fn param_value<'a>(ev: &Event<'a>, idx: usize) -> Option<ParamValue<'a>> {
    let info = ev.info()?;
    let p = info.params.get(idx)?.sysdig();
    let b = ev.param(idx)?;
    let mut ptype = p.ptype;
    let mut b = b;
    if ptype == ParamType::Dyn
        && let (ParamExtra::Dyn(alts), Some(&k)) = (p.extra, b.first())
        && let Some(a) = alts.get(k as usize)
    {
        ptype = a.ptype;
        b = &b[1..];
    }
    use ParamType as T;
    Some(match ptype {
        T::Int8 | T::Int16 | T::Int32 | T::Int64 | T::Errno | T::Fd | T::Pid | T::Fd32 | T::Pid32 => {
            ParamValue::Int(le_signed(b))
        }
        T::Uint8 | T::Uint16 | T::Uint32 | T::Uint64 | T::Flags8 | T::Flags16 | T::Flags32
        | T::EnumFlags8 | T::EnumFlags16 | T::EnumFlags32 | T::Mode | T::Uid | T::Gid
        | T::RelTime | T::AbsTime | T::SyscallId | T::SigType | T::SigSet | T::Port
        | T::L4Proto | T::SockFamily | T::Bool => ParamValue::Uint(le_unsigned(b)),
        T::Double => ParamValue::Double(f64::from_bits(le_unsigned(b))),
        T::CharBuf | T::FsPath | T::FsRelPath => ParamValue::Str(until_nul(b)),
        _ => ParamValue::Bytes(b),
    })
}

// ---------------------------------------------------------------------------
// byte-level helpers

/// Little-endian unsigned value of up to 8 bytes (missing bytes are zero).
fn le_unsigned(b: &[u8]) -> u64 {
    let mut v = [0u8; 8];
    let n = b.len().min(8);
    v[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(v)
}

/// Little-endian signed value, sign-extended from its width (1, 2, 4 or 8 bytes).
fn le_signed(b: &[u8]) -> i64 {
    let v = le_unsigned(b);
    match b.len() {
        1 => v as u8 as i8 as i64,
        2 => v as u16 as i16 as i64,
        3 | 4 => v as u32 as i32 as i64,
        _ => v as i64,
    }
}

fn until_nul(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(p) => &b[..p],
        None => b,
    }
}

/// libsinsp's notion of a character that must not be printed.
#[inline]
fn printable(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// Copies `s` dropping non-printable bytes (libsinsp `sanitize_string`:
/// only 0x20..=0x7e are kept).
pub fn push_sanitized(out: &mut Vec<u8>, s: &[u8]) {
    // Names are almost always clean: one copy after a check without early
    // exit (it vectorizes), instead of a push per byte.
    if s.iter().fold(true, |ok, &c| ok & printable(c)) {
        out.extend_from_slice(s);
        return;
    }
    out.extend(s.iter().copied().filter(|&c| printable(c)));
}

/// "00" to "99".
const DIGITS2: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends the decimal text of `v` (what `{}` prints; any integer of at
/// most 64 bits), without core::fmt.
#[inline]
pub(crate) fn push_num(out: &mut Vec<u8>, v: impl Into<i128>) {
    let v: i128 = v.into();
    // Every caller passes at most 64 bits: the magnitude fits a u64.
    let mut m = v.unsigned_abs() as u64;
    let mut buf = [0u8; 21];
    let mut i = buf.len();
    // Two digits a step.
    while m >= 100 {
        let r = (m % 100) as usize * 2;
        m /= 100;
        i -= 2;
        buf[i] = DIGITS2[r];
        buf[i + 1] = DIGITS2[r + 1];
    }
    if m >= 10 {
        let r = m as usize * 2;
        i -= 2;
        buf[i] = DIGITS2[r];
        buf[i + 1] = DIGITS2[r + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + m as u8;
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    out.extend_from_slice(&buf[i..]);
}

/// `u` as `%X` prints it (upper-case hex digits, no prefix), without the
/// formatting machinery (mmap and mprotect addresses, on every event).
fn push_hex_upper(out: &mut Vec<u8>, mut u: u64) {
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789ABCDEF"[(u & 15) as usize];
        u >>= 4;
        if u == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Integer formatted as libsinsp does for a declared width and print format
/// (C printf semantics: `%d` of the value at its C width, `%X`, `%#o`, `%09d`).
fn push_int(out: &mut Vec<u8>, b: &[u8], width: usize, signed: bool, fmt: PrintFmt) {
    // Value as C would hand it to printf: types narrower than int are
    // promoted (sign-extended when signed), 32-bit values stay 32-bit.
    let (v64, bits32) = match width {
        1 => {
            let v = if signed { b.first().copied().unwrap_or(0) as i8 as i32 } else { b.first().copied().unwrap_or(0) as i32 };
            (v as i64, true)
        }
        2 => {
            let u = le_unsigned(&b[..b.len().min(2)]) as u16;
            let v = if signed { u as i16 as i32 } else { u as i32 };
            (v as i64, true)
        }
        4 => (le_unsigned(&b[..b.len().min(4)]) as u32 as i32 as i64, true),
        _ => (le_unsigned(b) as i64, false),
    };
    match fmt {
        PrintFmt::Oct => {
            let u = if bits32 { v64 as i32 as u32 as u64 } else { v64 as u64 };
            if u == 0 {
                out.push(b'0');
            } else {
                let _ = write!(out, "0{u:o}");
            }
        }
        PrintFmt::Hex => {
            let u = if bits32 { v64 as i32 as u32 as u64 } else { v64 as u64 };
            push_hex_upper(out, u);
        }
        PrintFmt::Padded10Dec => {
            let _ = write!(out, "{v64:09}");
        }
        _ => push_num(out, v64),
    }
}

/// C's `%g` (6 significant digits).
fn push_g(out: &mut Vec<u8>, v: f64) {
    if v == 0.0 {
        out.push(b'0');
        return;
    }
    if !v.is_finite() {
        let _ = write!(out, "{}", if v.is_nan() { "nan" } else if v > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let e = format!("{v:.5e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let strip = |s: &str| -> String {
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() }
    };
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "{}e{}{:02}", strip(mant), sign, exp.abs());
    } else {
        let prec = (5 - exp) as usize;
        let _ = write!(out, "{}", strip(&format!("{v:.prec$}")));
    }
}

/// glibc `inet_ntop(AF_INET6)` text of a 16-byte address.
pub fn push_ipv6(out: &mut Vec<u8>, a: &[u8; 16]) {
    let w: Vec<u16> = (0..8).map(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]])).collect();
    // longest run (first one wins) of at least two zero words
    let (mut best_base, mut best_len) = (usize::MAX, 0usize);
    let mut i = 0;
    while i < 8 {
        if w[i] == 0 {
            let s = i;
            while i < 8 && w[i] == 0 {
                i += 1;
            }
            if i - s > best_len {
                best_base = s;
                best_len = i - s;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_base = usize::MAX;
    }
    for i in 0..8 {
        if best_base != usize::MAX && i >= best_base && i < best_base + best_len {
            if i == best_base {
                out.push(b':');
            }
            continue;
        }
        if i != 0 {
            out.push(b':');
        }
        if i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)) {
            let _ = write!(out, "{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
            return;
        }
        let _ = write!(out, "{:x}", w[i]);
    }
    if best_base != usize::MAX && best_base + best_len == 8 {
        out.push(b':');
    }
}

fn push_ipv4(out: &mut Vec<u8>, a: &[u8]) {
    push_num(out, a[0]);
    for &b in &a[1..4] {
        out.push(b'.');
        push_num(out, b);
    }
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2).map(|s| u16::from_le_bytes([s[0], s[1]])).unwrap_or(0)
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8).map(le_unsigned).unwrap_or(0)
}

/// Path normalisation of libsinsp's `copy_and_sanitize_path`: appends `path`
/// to `target` (whose first `base` bytes may not be rewound past), replacing
/// invalid bytes with `.`, resolving `.`/`..` and collapsing `//`.
fn append_sanitized_path(target: &mut Vec<u8>, base: usize, path: &[u8]) {
    // `base` is the index of targetbase in `target` (always 0 here: sysdig passes
    // the start of the whole buffer), `start` where copying begins.
    let at = |p: &[u8], i: usize| p.get(i).copied().unwrap_or(0);
    let rewind = |t: &mut Vec<u8>| {
        // rewind_to_parent_path: drop the last component
        if t.len() <= base + 1 {
            return;
        }
        t.pop();
        while t.len() > base && t[t.len() - 1] != b'/' {
            t.pop();
        }
    };
    let mut i = 0;
    loop {
        let c = at(path, i);
        if c == 0 {
            if target.len() > base + 1 && target.last() == Some(&b'/') {
                target.pop();
            }
            return;
        }
        if !printable(c) {
            target.push(b'.');
            i += 1;
        } else if c == b'.' && at(path, i + 1) == b'.' && at(path, i + 2) == b'/' {
            rewind(target);
            i += 3;
        } else if c == b'.' && at(path, i + 1) == b'.' {
            if at(path, i + 2) == 0 {
                rewind(target);
                i += 2;
            } else {
                target.extend_from_slice(b"..");
                i += 2;
            }
        } else if c == b'.' && at(path, i + 1) == b'/' {
            i += 2;
        } else if c == b'.' {
            if at(path, i + 1) != 0 {
                target.push(b'.');
            }
            i += 1;
        } else if c == b'/' {
            if target.len() > base && target.last() == Some(&b'/') {
                i += 1;
            } else {
                target.push(b'/');
                i += 1;
            }
        } else {
            target.push(c);
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// buffers

/// Renders a byte buffer in `fmt` (libsinsp `binary_buffer_to_string`) and
/// applies the `print_len` cut of the Normal format.
pub fn push_buffer(out: &mut Vec<u8>, src: &[u8], opts: &RenderOpts) {
    if src.is_empty() {
        return;
    }
    let start = out.len();
    match opts.buf_format {
        BufFormat::Hex => push_hex(out, src, false),
        BufFormat::HexAscii => push_hex(out, src, true),
        BufFormat::Base64 => push_base64(out, src),
        BufFormat::Ascii => {
            out.push(b'\n');
            for (j, &c) in src.iter().enumerate() {
                if printable(c) {
                    out.push(c);
                } else if c == b'\r' || (c == b'\n' && j > 0 && src[j - 1] != b'\r') {
                    out.push(b'\n');
                }
            }
        }
        BufFormat::Normal | BufFormat::JsonNormal => {
            out.extend(src.iter().map(|&c| if printable(c) { c } else { b'.' }));
        }
    }
    if opts.buf_format == BufFormat::Normal && !opts.full_bufs && opts.print_len != 0 {
        let len = out.len() - start;
        if len > opts.print_len {
            out.truncate(start + opts.print_len);
            if opts.print_len > 3 {
                let e = out.len();
                out[e - 3..].copy_from_slice(b"...");
            }
        }
    }
}

fn push_hex(out: &mut Vec<u8>, src: &[u8], ascii: bool) {
    for (row, chunk) in src.chunks(16).enumerate() {
        let _ = write!(out, "\n\t0x{:04x}:", row * 16);
        let mut words = 0;
        for pair in chunk.chunks(2) {
            if pair.len() == 2 {
                let _ = write!(out, " {:02x}{:02x}", pair[0], pair[1]);
            } else {
                let _ = write!(out, " {:02x}", pair[0]);
            }
            words += 1;
        }
        if ascii {
            for _ in words..8 {
                out.extend_from_slice(b"     ");
            }
            out.extend_from_slice(b"  ");
            out.extend(chunk.iter().map(|&c| if printable(c) { c } else { b'.' }));
        }
    }
    out.push(b'\n');
}

fn push_base64(out: &mut Vec<u8>, src: &[u8]) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for c in src.chunks(3) {
        let a = c[0] as u32;
        let b = c.get(1).copied().unwrap_or(0) as u32;
        let d = c.get(2).copied().unwrap_or(0) as u32;
        let t = (a << 16) | (b << 8) | d;
        out.push(T[(t >> 18) as usize & 63]);
        out.push(T[(t >> 12) as usize & 63]);
        out.push(if c.len() > 1 { T[(t >> 6) as usize & 63] } else { b'=' });
        out.push(if c.len() > 2 { T[t as usize & 63] } else { b'=' });
    }
}

// ---------------------------------------------------------------------------
// the per-type renderer

/// Flag-table resolution of libsinsp (PT_FLAGS*, PT_MODE): names of the bits
/// set, in table order, `|`-separated; an exact match ends the walk.
fn push_flag_names(out: &mut Vec<u8>, table: &[(&str, u32)], initial: u32) {
    let mut val = initial;
    let mut sep = false;
    for &(name, fv) in table {
        if fv == initial {
            if sep {
                out.push(b'|');
            }
            out.extend_from_slice(name.as_bytes());
            return;
        }
        if (fv == 0 && initial == 0) || (fv != 0 && (val & fv) == fv && val != 0) {
            if sep {
                out.push(b'|');
            }
            out.extend_from_slice(name.as_bytes());
            sep = true;
            val &= !fv;
        }
    }
}

fn flags_of(p: &ParamInfo) -> &'static [(&'static str, u32)] {
    match p.extra {
        ParamExtra::Flags(t) => t,
        _ => &[],
    }
}

fn render_fd(ev: &Event, fd: i64, res: &dyn Resolve, raw: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    push_num(raw, fd);
    if !res.has_thread(ev.tid) {
        return;
    }
    if fd >= 0 {
        res.fd_desc(ev.tid, fd, resolved);
    } else if fd == PPM_AT_FDCWD {
        resolved.extend_from_slice(b"AT_FDCWD");
    } else if let Some(n) = table::errno_name(fd) {
        resolved.extend_from_slice(n.as_bytes());
    }
}

fn render_pid(pid: i64, res: &dyn Resolve, raw: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    push_num(raw, pid);
    if let Some(c) = res.thread_comm(pid) {
        resolved.extend_from_slice(c.as_bytes());
    }
}

/// Renders parameter `idx` of `ev` into raw/resolved texts.
fn param_strs(
    ev: &Event,
    info: &'static EventInfo,
    idx: usize,
    res: &dyn Resolve,
    opts: &RenderOpts,
    raw: &mut Vec<u8>,
    resolved: &mut Vec<u8>,
) {
    param_strs_of(ev, info, idx, ev.param(idx).unwrap_or(&[]), res, opts, raw, resolved)
}

/// [`param_strs`] with the parameter's payload already looked up.
#[allow(clippy::too_many_arguments)]
fn param_strs_of(
    ev: &Event,
    info: &'static EventInfo,
    idx: usize,
    mut payload: &[u8],
    res: &dyn Resolve,
    opts: &RenderOpts,
    raw: &mut Vec<u8>,
    resolved: &mut Vec<u8>,
) {
    let decl: &'static ParamInfo = info.params[idx].sysdig();
    let mut p = decl;
    if decl.ptype == ParamType::Dyn {
        match (decl.extra, payload.first()) {
            (ParamExtra::Dyn(alts), Some(&k)) if (k as usize) < alts.len() => {
                p = &alts[k as usize];
                payload = &payload[1..];
            }
            _ => {}
        }
    }
    // numbers use the outer declaration's print format, flags its table
    let fmt = decl.fmt;
    use ParamType as T;
    match p.ptype {
        T::Int8 => push_int(raw, payload, 1, true, fmt),
        T::Int16 => push_int(raw, payload, 2, true, fmt),
        T::Int32 => push_int(raw, payload, 4, true, fmt),
        T::Int64 => push_int(raw, payload, 8, true, fmt),
        T::Uint8 => push_int(raw, payload, 1, false, fmt),
        T::Uint16 => push_int(raw, payload, 2, false, fmt),
        T::Uint32 => push_int(raw, payload, 4, false, fmt),
        T::Uint64 => push_int(raw, payload, 8, false, fmt),
        T::Fd | T::Fd32 => render_fd(ev, le_signed(payload), res, raw, resolved),
        T::Pid | T::Pid32 => render_pid(le_signed(payload), res, raw, resolved),
        T::Errno | T::SyscallId | T::SigType | T::RelTime => render_named_number(p.ptype, payload, raw, resolved),
        T::Uid | T::Gid => render_owner(p.ptype, payload, res, raw, resolved),
        T::CharBuf => raw.extend_from_slice(until_nul(payload)),
        T::FsPath | T::FsRelPath => render_path(ev, info, decl, payload, res, raw, resolved),
        T::ByteBuf => push_buffer(raw, payload, opts),
        T::SockAddr => render_sockaddr(raw, payload),
        T::SockTuple => render_socktuple(raw, payload),
        T::FdList => render_fdlist(ev, payload, res, raw),
        T::Flags8 | T::Flags16 | T::Flags32 | T::EnumFlags8 | T::EnumFlags16 | T::EnumFlags32 | T::Mode | T::SigSet => {
            render_flags(p.ptype, decl, payload, raw, resolved)
        }
        T::CharBufArray | T::CharBufPairArray => render_string_array(p.ptype, payload, raw),
        T::AbsTime | T::Dyn => raw.extend_from_slice(b"INVALID DYNAMIC PARAMETER"),
        // types sysdig 0.29.3 cannot print
        T::None | T::Port | T::L4Proto | T::SockFamily | T::Bool | T::Ipv4Addr | T::Double
        | T::Ipv4Net | T::Ipv6Addr | T::Ipv6Net | T::IpAddr | T::IpNet => raw.extend_from_slice(b"(n.a.)"),
    }
}

/// Numbers with a name beside them: an errno (its name when negative), a
/// syscall id (its name), a signal (its name), a relative time (in seconds).
#[inline]
fn render_named_number(ptype: ParamType, payload: &[u8], raw: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    use ParamType as T;
    match ptype {
        T::Errno => {
            let v = le_signed(payload);
            push_num(raw, v);
            if v < 0 && let Some(n) = table::errno_name(v as i32 as i64) {
                resolved.extend_from_slice(n.as_bytes());
            }
        }
        T::SyscallId => {
            let id = u16_at(payload, 0);
            if (id as usize) >= table::syscall_count() {
                raw.extend_from_slice(b"<unknown syscall>");
            } else {
                push_num(raw, id);
                if let Some(s) = table::syscall_info(id) {
                    resolved.extend_from_slice(s.name.as_bytes());
                }
            }
        }
        T::SigType => {
            let v = payload.first().copied().unwrap_or(0);
            push_num(raw, v);
            if let Some(s) = table::signal_name(v as i64) {
                resolved.extend_from_slice(s.as_bytes());
            }
        }
        T::RelTime => {
            let v = le_unsigned(payload);
            if v == u64::MAX {
                raw.extend_from_slice(b"none");
            } else {
                push_num(raw, v);
                push_g(resolved, v as f64 / 1e9);
                resolved.push(b's');
            }
        }
        _ => {}
    }
}

/// A uid or gid, with the user's or group's name (`-1` / `<NONE>` for the
/// unset id).
#[inline]
fn render_owner(ptype: ParamType, payload: &[u8], res: &dyn Resolve, raw: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    let v = le_unsigned(&payload[..payload.len().min(4)]) as u32;
    if v == u32::MAX {
        raw.extend_from_slice(b"-1");
        resolved.extend_from_slice(b"<NONE>");
        return;
    }
    push_num(raw, v as i32);
    let name = if ptype == ParamType::Uid { res.user_name(v) } else { res.group_name(v) };
    match name {
        Some(n) => push_sanitized(resolved, n.as_bytes()),
        None => resolved.extend_from_slice(b"<NA>"),
    }
}

/// A poll fd list: `fd:<type char><flags in hex>` for each fd, when the
/// thread is known.
#[inline]
fn render_fdlist(ev: &Event, payload: &[u8], res: &dyn Resolve, raw: &mut Vec<u8>) {
    if !res.has_thread(ev.tid) {
        return;
    }
    let n = u16_at(payload, 0) as usize;
    let mut pos = 2;
    for j in 0..n {
        if pos + 10 > payload.len() {
            break;
        }
        let fd = le_unsigned(&payload[pos..pos + 8]);
        let fl = u16_at(payload, pos + 8) as i16 as i32 as u32;
        let tch = res.fd_typechar(ev.tid, fd as i64).unwrap_or(b'?');
        let _ = write!(raw, "{fd}:{}{fl:x}", tch as char);
        if j + 1 < n {
            raw.push(b' ');
        }
        pos += 10;
    }
}

/// Bit sets: flags (the value and the names of its bits, from `decl`'s
/// table), enum flags (the one exact name), a mode (number and names) and a
/// signal set (the names only).
#[inline]
fn render_flags(ptype: ParamType, decl: &'static ParamInfo, payload: &[u8], raw: &mut Vec<u8>, resolved: &mut Vec<u8>) {
    use ParamType as T;
    let width = match ptype {
        T::Flags8 | T::EnumFlags8 => 1,
        T::Flags16 | T::EnumFlags16 => 2,
        _ => 4,
    };
    let v = le_unsigned(&payload[..payload.len().min(width)]) as u32;
    match ptype {
        T::Flags8 | T::Flags16 | T::Flags32 => {
            push_num(raw, v);
            push_flag_names(resolved, flags_of(decl), v);
        }
        T::EnumFlags8 | T::EnumFlags16 | T::EnumFlags32 => {
            // not in sysdig 0.29.3's libs: today's rule, the one exact name
            push_num(raw, v);
            if let Some((n, _)) = flags_of(decl).iter().find(|(_, fv)| *fv == v) {
                resolved.extend_from_slice(n.as_bytes());
            }
        }
        T::Mode => {
            push_int(raw, payload, 4, false, decl.fmt);
            push_flag_names(resolved, flags_of(decl), v);
        }
        T::SigSet => {
            let mut first = true;
            for sig in 0..32 {
                if v & (1u32 << sig) != 0 && let Some(s) = table::signal_name(sig + 1) {
                    if !first {
                        raw.push(b' ');
                    }
                    raw.extend_from_slice(s.as_bytes());
                    first = false;
                }
            }
        }
        _ => {}
    }
}

/// NUL-separated strings on the wire: an array shown joined by '.', a pair
/// array shown as `a:b,c:d`.
#[inline]
fn render_string_array(ptype: ParamType, payload: &[u8], raw: &mut Vec<u8>) {
    let parts: Vec<&[u8]> = payload.split(|&c| c == 0).collect();
    let n = if payload.last() == Some(&0) { parts.len() - 1 } else { parts.len() };
    if ptype == ParamType::CharBufArray {
        for (i, s) in parts[..n].iter().enumerate() {
            if i > 0 {
                raw.push(b'.');
            }
            raw.extend_from_slice(s);
        }
        return;
    }
    for (i, pair) in parts[..n].chunks(2).enumerate() {
        if i > 0 {
            raw.push(b',');
        }
        raw.extend_from_slice(pair[0]);
        raw.push(b':');
        if let Some(s) = pair.get(1) {
            raw.extend_from_slice(s);
        }
    }
}

fn render_path(
    ev: &Event,
    info: &'static EventInfo,
    decl: &'static ParamInfo,
    payload: &[u8],
    res: &dyn Resolve,
    raw: &mut Vec<u8>,
    resolved: &mut Vec<u8>,
) {
    let path = until_nul(payload);
    push_sanitized(raw, path);
    if payload.is_empty() || !res.has_thread(ev.tid) || path.starts_with(b"<NA>") {
        return;
    }
    // an absolute path has no resolved text
    if path.first() == Some(&b'/') {
        return;
    }
    // base: the thread's cwd, or the dirfd's path + '/'
    let mut base = Vec::new();
    let mut use_cwd = true;
    if let (ParamType::FsRelPath, ParamExtra::DirFd(d)) = (decl.ptype, decl.extra) {
        let d = d as usize;
        if let Some(dp) = info.params.get(d)
            && matches!(dp.sysdig().ptype, ParamType::Fd | ParamType::Fd32) && d < ev.nparams as usize
        {
            let dirfd = le_signed(ev.param(d).unwrap_or(&[]));
            if dirfd != PPM_AT_FDCWD {
                use_cwd = false;
                let mut dir = Vec::new();
                if res.dir_fd_path(ev.tid, dirfd, &mut dir) && !dir.is_empty() {
                    push_sanitized(&mut base, &dir);
                    base.push(b'/');
                }
            }
        }
    }
    if use_cwd {
        res.cwd(ev.tid, &mut base);
    }
    // copy_and_sanitize_path may rewind into the base: it works on the whole text
    let mut t = base;
    append_sanitized_path(&mut t, 0, path);
    resolved.extend_from_slice(&t);
}

fn render_sockaddr(raw: &mut Vec<u8>, b: &[u8]) {
    let Some(&fam) = b.first() else {
        raw.extend_from_slice(b"NULL");
        return;
    };
    match fam {
        1 => push_sanitized(raw, until_nul(&b[1..])),
        2 => {
            if b.len() == 7 {
                push_ipv4(raw, &b[1..5]);
                raw.push(b':');
                push_port(raw, u16_at(b, 5));
            } else {
                raw.extend_from_slice(b"INVALID IPv4");
            }
        }
        10 => {
            if b.len() == 19 {
                let mut a = [0u8; 16];
                a.copy_from_slice(&b[1..17]);
                push_ipv6(raw, &a);
                raw.push(b':');
                push_port(raw, u16_at(b, 17));
            } else {
                raw.extend_from_slice(b"INVALID IPv6");
            }
        }
        f => {
            let _ = write!(raw, "family {}", f as i8);
        }
    }
}

fn is_ipv4_mapped(a: &[u8]) -> bool {
    a[..10].iter().all(|&c| c == 0)
        && ((a[10] == 0xff && a[11] == 0xff) || a[10..16].iter().all(|&c| c == 0))
}

/// A port as sysdig prints it: by service name with `-R` (the event's
/// protocol is not known here: the first service on the port).
fn push_port(raw: &mut Vec<u8>, port: u16) {
    crate::filter::services::push_port(raw, port, None);
}

fn render_socktuple(raw: &mut Vec<u8>, b: &[u8]) {
    let Some(&fam) = b.first() else {
        raw.extend_from_slice(b"NULL");
        return;
    };
    match fam {
        2 => {
            if b.len() == 13 {
                push_ipv4(raw, &b[1..5]);
                raw.push(b':');
                push_port(raw, u16_at(b, 5));
                raw.extend_from_slice(b"->");
                push_ipv4(raw, &b[7..11]);
                raw.push(b':');
                push_port(raw, u16_at(b, 11));
            } else {
                raw.extend_from_slice(b"INVALID IPv4");
            }
        }
        10 => {
            if b.len() == 37 {
                let s = &b[1..17];
                let d = &b[19..35];
                let sport = u16_at(b, 17);
                let dport = u16_at(b, 35);
                if is_ipv4_mapped(s) && is_ipv4_mapped(d) {
                    push_ipv4(raw, &s[12..16]);
                    raw.push(b':');
                    push_port(raw, sport);
                    raw.extend_from_slice(b"->");
                    push_ipv4(raw, &d[12..16]);
                    raw.push(b':');
                    push_port(raw, dport);
                } else {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(s);
                    push_ipv6(raw, &a);
                    raw.push(b':');
                    push_port(raw, sport);
                    raw.extend_from_slice(b"->");
                    a.copy_from_slice(d);
                    push_ipv6(raw, &a);
                    raw.push(b':');
                    push_port(raw, dport);
                }
            } else {
                raw.extend_from_slice(b"INVALID IPv6");
            }
        }
        1 => {
            let _ = write!(raw, "{:x}->{:x} ", u64_at(b, 1), u64_at(b, 9));
            if b.len() > 17 {
                push_sanitized(raw, until_nul(&b[17..]));
            }
        }
        f => {
            let _ = write!(raw, "family {}", f as i8);
        }
    }
}

// ---------------------------------------------------------------------------
// sysdig -L

/// Name of a parameter type as `sysdig -L` prints it (`FSPATH`, `UINT32`, ...).
pub fn param_type_name(t: ParamType) -> &'static str {
    use ParamType as T;
    match t {
        T::None => "NONE",
        T::Int8 => "INT8",
        T::Int16 => "INT16",
        T::Int32 => "INT32",
        T::Int64 => "INT64",
        T::Uint8 => "UINT8",
        T::Uint16 => "UINT16",
        T::Uint32 => "UINT32",
        T::Uint64 => "UINT64",
        T::CharBuf => "CHARBUF",
        T::ByteBuf => "BYTEBUF",
        T::Errno => "ERRNO",
        T::SockAddr => "SOCKADDR",
        T::SockTuple => "SOCKTUPLE",
        T::Fd => "FD",
        T::Pid => "PID",
        T::FdList => "FDLIST",
        T::FsPath => "FSPATH",
        T::SyscallId => "SYSCALLID",
        T::SigType => "SIGTYPE",
        T::RelTime => "RELTIME",
        T::AbsTime => "ABSTIME",
        T::Port => "PORT",
        T::L4Proto => "L4PROTO",
        T::SockFamily => "SOCKFAMILY",
        T::Bool => "BOOL",
        T::Ipv4Addr => "IPV4ADDR",
        T::Dyn => "DYNAMIC",
        T::Flags8 => "FLAGS8",
        T::Flags16 => "FLAGS16",
        T::Flags32 => "FLAGS32",
        T::Uid => "UID",
        T::Gid => "GID",
        T::Double => "DOUBLE",
        T::SigSet => "SIGSET",
        T::CharBufArray => "CHARBUFARRAY",
        T::CharBufPairArray => "CHARBUF_PAIR_ARRAY",
        T::Ipv4Net => "IPV4NET",
        T::Ipv6Addr => "IPV6ADDR",
        T::Ipv6Net => "IPV6NET",
        T::IpAddr => "IPADDR",
        T::IpNet => "IPNET",
        T::Mode => "MODE",
        T::FsRelPath => "FSRELPATH",
        T::EnumFlags8 => "ENUMFLAGS8",
        T::EnumFlags16 => "ENUMFLAGS16",
        T::EnumFlags32 => "ENUMFLAGS32",
        T::Fd32 => "FD32",
        T::Pid32 => "PID32",
    }
}

/// Prints the event list as `sysdig -L` does: one `> name(TYPE param, ...)`
/// line per event type sysdig 0.29.3 lists, with its parameters as it knew them.
pub fn list_events(out: &mut impl Write) -> std::io::Result<()> {
    for (num, e) in table::all_events().iter().enumerate() {
        let Some(l) = &e.legacy else { continue };
        if l.flags & (table::EF_UNUSED | table::EF_OLD_VERSION) != 0 || l.category & table::EC_INTERNAL != 0 {
            continue;
        }
        let dir = if num % 2 == 0 { '>' } else { '<' };
        write!(out, "{dir} {}(", l.name)?;
        for (k, p) in e.params.iter().take(l.nparams).enumerate() {
            let p = p.sysdig();
            if k != 0 {
                out.write_all(b", ")?;
            }
            write!(out, "{} {}", param_type_name(p.ptype), p.name)?;
        }
        out.write_all(b")\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{push_hex_upper, push_num};

    #[test]
    fn numbers_print_as_core_fmt_does() {
        let mut vals: Vec<i128> = vec![0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 4096, 65535, 1 << 32];
        vals.extend([i64::MAX as i128, i64::MIN as i128, u64::MAX as i128, -1, -10, -100, -12345]);
        let mut x: u64 = 1;
        for _ in 0..64 {
            vals.push(x as i128);
            vals.push(x as i128 - 1);
            vals.push(-(x as i128));
            x = x.wrapping_mul(3).wrapping_add(7);
        }
        for v in vals {
            let mut out = b"x".to_vec();
            push_num(&mut out, v);
            assert_eq!(out, format!("x{v}").into_bytes(), "{v}");
            if v >= 0 && v <= u64::MAX as i128 {
                let mut out = Vec::new();
                push_hex_upper(&mut out, v as u64);
                assert_eq!(out, format!("{:X}", v as u64).into_bytes(), "{v}");
            }
        }
    }
}
