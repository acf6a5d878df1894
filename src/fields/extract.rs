//! Field extraction: from an event, its state meta and the state tables to a
//! typed [`Val`], following sysdig 0.29.3's filterchecks rules class by class.

use super::{EvalCtx, Field, FieldArg, Fid};
use crate::event::consts::{EF_CREATES_FD, EF_DESTROYS_FD, EF_READS_FROM_FD, EF_USES_FD, EF_WAITS, EF_WRITES_TO_FD};
use crate::event::table::ParamType;
use crate::event::Event;
use crate::state::types::FdType as FT;
use crate::state::{Fd, SockInfo, State, Thread};

pub use super::value::Value as Val;

use crate::event::ppme;

/// EC_* values of sysdig 0.29.3.
mod ec {
    pub const MEMORY: u32 = 5;
    pub const IO_BASE: u32 = 32;
    pub const IO_READ: u32 = 32;
    pub const IO_WRITE: u32 = 33;
    pub const INTERNAL: u32 = 1 << 8;
}

fn s(x: &str) -> Val<'_> {
    Val::Str(x.as_bytes())
}

/// The event's EF_* flags as sysdig 0.29.3 declared them.
#[inline]
fn eflags(ev: &Event) -> u32 {
    crate::state::event_flags(ev.etype) as u32
}

/// The event's EC_* category as sysdig 0.29.3 declared it.
fn ecategory(ev: &Event) -> u32 {
    match ev.info() {
        Some(i) => match &i.legacy {
            Some(l) => l.category,
            None => i.category,
        },
        None => 0,
    }
}

#[inline]
fn is_exit(ev: &Event) -> bool {
    ev.etype & 1 == 1
}

/// The raw bytes of the parameter sysdig names `name`.
fn raw_param<'a>(ev: &Event<'a>, name: &str) -> Option<&'a [u8]> {
    let i = crate::event::render::param_index(ev, name)?;
    if i >= ev.nparams as usize {
        return None;
    }
    ev.param(i)
}

fn le_i64(b: &[u8]) -> Option<i64> {
    Some(i64::from_le_bytes(b.get(..8)?.try_into().ok()?))
}

/// The `res` value as sysdig's evt.res/evt.rawres/evt.failed see it: the
/// `res` parameter, or `fd` for exit events that create an fd.
pub(crate) fn res_value(ev: &Event) -> Option<i64> {
    use crate::event::render::named_index;
    if let Some(b) = named_index(ev.etype, 0).filter(|&i| i < ev.nparams as usize).and_then(|i| ev.param(i)) {
        return le_i64(b);
    }
    if eflags(ev) & EF_CREATES_FD != 0 && is_exit(ev) {
        let i = named_index(ev.etype, 1).filter(|&i| i < ev.nparams as usize)?;
        return le_i64(ev.param(i)?);
    }
    None
}

/// sysdig's extract_error_count: Some(1) when the event returned an error.
fn error_count(ev: &Event) -> Option<Val<'static>> {
    if let Some(b) = raw_param(ev, "res") {
        return if le_i64(b)? < 0 { Some(Val::U64(1)) } else { None };
    }
    if eflags(ev) & EF_CREATES_FD != 0 && is_exit(ev) && le_i64(raw_param(ev, "fd")?)? < 0 {
        return Some(Val::U64(1));
    }
    None
}

/// The event's fd entry (sysdig's `evt->m_fdinfo`).
fn evt_fdinfo<'s>(c: &EvalCtx<'s>) -> Option<&'s Fd> {
    if c.meta.fdinfo_fd < 0 {
        return None;
    }
    c.state.fd(c.ev.tid, c.meta.fdinfo_fd)
}

/// The event's thread, for events that work on an fd (fd fields have no
/// value otherwise).
fn fd_event_thread<'s>(c: &EvalCtx<'s>) -> Option<&'s Thread> {
    if eflags(c.ev) & (EF_CREATES_FD | EF_USES_FD | EF_DESTROYS_FD) == 0 {
        return None;
    }
    c.state.thread(c.ev.tid)
}

/// The fd entry the event's fd fields read: its fdinfo, else its fd's entry.
fn event_fd<'s>(c: &EvalCtx<'s>) -> Option<&'s Fd> {
    let lastfd = c.meta.fd;
    evt_fdinfo(c).or_else(|| if lastfd != -1 { c.state.fd(c.ev.tid, lastfd) } else { None })
}

/// Ancestor `n` of a thread (0 = its main thread), following parent pids.
pub(crate) fn ancestor<'s>(st: &'s State, t: &'s Thread, n: i64) -> Option<&'s Thread> {
    let mut cur = if t.is_main_thread() { t } else { st.main_thread(t.tid)? };
    for _ in 0..n {
        cur = st.threads.get(&cur.ptid)?;
    }
    Some(cur)
}

fn cmdline(t: &Thread) -> Vec<u8> {
    let mut o = t.comm.as_bytes().to_vec();
    for a in t.args.iter() {
        o.push(b' ');
        o.extend_from_slice(a.as_bytes());
    }
    o
}

/// Keeps only the bytes 0x20..=0x7e (sysdig's sanitize_string).
fn sanitized(b: &[u8]) -> Vec<u8> {
    b.iter().copied().filter(|c| (0x20..0x7f).contains(c)).collect()
}

/// `b` sanitized as sysdig does, borrowed when it is already clean (the
/// common case), so filters on names do not allocate.
fn sanitized_val(b: &[u8]) -> Val<'_> {
    if is_sanitized(b) { Val::Str(b) } else { Val::String(sanitized(b)) }
}

/// True when sanitizing `b` would change nothing (every byte 0x20..=0x7e).
#[inline]
fn is_sanitized(b: &[u8]) -> bool {
    // Without early exit, so that the check vectorizes.
    b.iter().fold(true, |ok, &c| ok & (c.wrapping_sub(0x20) < 0x5f))
}

/// `v` for [`fast_str`], unless it holds a NUL byte (left to [`extract`]).
#[inline]
fn no_nul(v: Option<&[u8]>) -> Option<Option<&[u8]>> {
    match v {
        // Without early exit, so that the check vectorizes.
        Some(b) if b.iter().fold(false, |nul, &c| nul | (c == 0)) => None,
        v => Some(v),
    }
}

/// Which fields [`fast_str`] and [`fast_int`] answer (the filter's direct paths).
pub fn fast_kind(f: &Field) -> crate::filter::Fast {
    use crate::filter::Fast;
    use Fid::*;
    if f.arg != FieldArg::None {
        return Fast::No;
    }
    match f.id {
        ProcName | ProcExe | EvtType | FdName | FdType => Fast::Str,
        EvtNum | ThreadTid | ProcPid | FdNum | EvtFailed | EvtIsIo | EvtIsIoRead | EvtIsIoWrite | EvtLatency => Fast::Int,
        _ => Fast::No,
    }
}

/// A string field without building a [`Val`]: `Some(value)`, or `None` where
/// only [`extract`] knows the answer (it must agree with `extract`; a test
/// checks both on every event of the traces). A value given here holds no
/// NUL byte (fd names are sanitized; other values are checked).
#[inline]
pub fn fast_str<'c>(c: &EvalCtx<'c>, f: &Field) -> Option<Option<&'c [u8]>> {
    let ev = c.ev;
    let st = c.state;
    use Fid::*;
    match f.id {
        ProcName => no_nul(st.thread(ev.tid).map(|t| t.comm.as_bytes())),
        ProcExe => no_nul(st.thread(ev.tid).map(|t| t.exe.as_bytes())),
        EvtType => Some(Some(crate::event::render::type_name(ev).as_bytes())),
        FdName => {
            // No fd thread: extract's fd fields have no value either.
            if fd_event_thread(c).is_none() {
                return Some(None);
            }
            // connect exits and events without an fd entry: extract's cases.
            if ev.etype == ppme::CONNECT_X {
                return None;
            }
            let n = event_fd(c)?.name.as_bytes();
            is_sanitized(n).then_some(Some(n))
        }
        FdType => {
            fd_event_thread(c)?;
            Some(Some(event_fd(c)?.type_str().as_bytes()))
        }
        _ => None,
    }
}

/// An integer field as the bits of its value, as [`fast_str`].
#[inline]
pub fn fast_int(c: &EvalCtx<'_>, f: &Field) -> Option<Option<i64>> {
    let ev = c.ev;
    use Fid::*;
    match f.id {
        EvtNum => Some(Some(ev.num as i64)),
        ThreadTid => Some(Some(ev.tid)),
        // As `event`: 0 without a thread, no value for internal events.
        EvtLatency => Some(if c.state.thread(ev.tid).is_none() {
            Some(0)
        } else if ecategory(ev) & ec::INTERNAL != 0 {
            None
        } else {
            Some(c.meta.latency as i64)
        }),
        ProcPid => Some(c.state.thread(ev.tid).map(|t| t.pid)),
        FdNum => Some(fd_event_thread(c).map(|_| c.meta.fd)),
        // Booleans as 0/1, as the filter compares them.
        EvtFailed => Some(Some(res_value(ev).is_some_and(|r| r < 0) as i64)),
        EvtIsIo => Some(Some((eflags(ev) & (EF_READS_FROM_FD | EF_WRITES_TO_FD) != 0) as i64)),
        EvtIsIoRead => Some(Some((eflags(ev) & EF_READS_FROM_FD != 0) as i64)),
        EvtIsIoWrite => Some(Some((eflags(ev) & EF_WRITES_TO_FD != 0) as i64)),
        _ => None,
    }
}

/// Extracts `f` for the event in `c`; None when sysdig's extract returns NULL.
pub fn extract<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    match f.def.class {
        0 => gen_event(c, f),
        1 => event(c, f),
        2 => thread_field(c, f),
        3 => user_field(c, f),
        4 => group_field(c, f),
        5 => container_field(c, f),
        6 => fd_field(c, f),
        9 => fdlist_field(c, f),
        _ => None,
    }
}

fn gen_event<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    Some(match f.id {
        EvtNum => Val::U64(ev.num),
        EvtRawtime => Val::U64(ev.ts),
        EvtRawtimeS => Val::U64(ev.ts / 1_000_000_000),
        EvtRawtimeNs => Val::U64(ev.ts % 1_000_000_000),
        EvtReltime => Val::U64(ev.ts.wrapping_sub(c.first_ts)),
        EvtReltimeS => Val::U64(ev.ts.wrapping_sub(c.first_ts) / 1_000_000_000),
        EvtReltimeNs => Val::U64(ev.ts.wrapping_sub(c.first_ts) % 1_000_000_000),
        EvtTime | EvtTimeS | EvtDatetime | EvtDatetimeS | EvtTimeIso8601 => {
            return super::format::extract_text_field(c, f)
        }
        _ => return None,
    })
}

/// Class 1 (evt.* of syscall events): routes each field to its family.
fn event<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    match f.id {
        EvtAround | EvtLatency | EvtLatencyS | EvtLatencyNs | EvtLatencyQuantized | EvtDeltatime | EvtDeltatimeS
        | EvtDeltatimeNs | EvtWaitLatency => event_time(c, f),
        EvtDir | EvtType | EvtTypeIs | SyscallType | EvtCategory | EvtCpu | EvtRawarg | EvtBuffer => event_info(c, f),
        EvtArgs | EvtInfo | EvtArg | EvtLatencyHuman | EvtOutputtime => super::format::extract_text_field(c, f),
        EvtAbspath => abspath(c, f),
        EvtBuflen | EvtBuflenIn | EvtBuflenOut | EvtBuflenFile | EvtBuflenFileIn | EvtBuflenFileOut | EvtBuflenNet
        | EvtBuflenNetIn | EvtBuflenNetOut => event_buflen(c, f),
        EvtRes | EvtRawres | EvtFailed | EvtIsIo | EvtIsIoRead | EvtIsIoWrite | EvtIoDir | EvtIsWait | EvtIsSyslog
        | EvtIsOpenRead | EvtIsOpenWrite | EvtIsOpenExec => event_outcome(c, f),
        EvtCount | EvtCountError | EvtCountErrorFile | EvtCountErrorNet | EvtCountErrorOther | EvtCountErrorMemory
        | EvtCountExit | EvtCountProcinfo | EvtCountThreadinfo => event_counter(c, f),
        _ => None,
    }
}

/// The event's time fields: evt.around, the latencies and the delta to the
/// previous event.
#[inline]
fn event_time<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let st = c.state;
    // Looked up only by the fields that need it.
    let has_thread = || st.thread(ev.tid).is_some();
    let latency = c.meta.latency;
    use Fid::*;
    Some(match f.id {
        // the event time; filters compare it as a window (FieldSpec::window)
        EvtAround => Val::U64(ev.ts),
        EvtLatency | EvtLatencyS | EvtLatencyNs => {
            if !has_thread() {
                return Some(Val::U64(0));
            }
            if ecategory(ev) & ec::INTERNAL != 0 {
                return None;
            }
            Val::U64(match f.id {
                EvtLatency => latency,
                EvtLatencyS => latency / 1_000_000_000,
                _ => latency % 1_000_000_000,
            })
        }
        EvtLatencyQuantized => {
            if !has_thread() || ecategory(ev) & ec::INTERNAL != 0 || latency == 0 {
                return None;
            }
            // g_screen_w is 0 outside csysdig, so the quantized value is 1.
            Val::U64(1)
        }
        EvtDeltatime | EvtDeltatimeS | EvtDeltatimeNs => {
            let prev = c.scratch.prev_ts;
            let d = if prev == 0 { 0 } else { ev.ts.wrapping_sub(prev) };
            Val::U64(match f.id {
                EvtDeltatime => d,
                EvtDeltatimeS => d / 1_000_000_000,
                _ => d % 1_000_000_000,
            })
        }
        EvtWaitLatency => {
            if eflags(ev) & EF_WAITS == 0 || !is_exit(ev) {
                return None;
            }
            Val::U64(if has_thread() { latency } else { 0 })
        }
        _ => return None,
    })
}

/// What the event is: direction, type, category, CPU and its raw
/// parameters (evt.rawarg, evt.buffer).
#[inline]
fn event_info<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    Some(match f.id {
        EvtDir => s(if ev.etype & 1 == 0 { ">" } else { "<" }),
        EvtType => s(crate::event::render::type_name(ev)),
        EvtTypeIs => match &f.arg {
            FieldArg::Name(n) => {
                let hit = match n.parse::<u32>() {
                    Ok(id) => ev.etype as u32 == id,
                    Err(_) => crate::event::table::all_events()
                        .iter()
                        .position(|e| e.sysdig_name() == n)
                        .map(|j| ev.etype as usize == j || ev.etype as usize == j + 1)
                        .unwrap_or(false),
                };
                Val::U64(hit as u64)
            }
            _ => return None,
        },
        SyscallType => {
            if ev.etype == ppme::SCHEDSWITCH_6_E || eflags(ev) & (1 << 8) != 0 {
                return None;
            }
            s(crate::event::render::type_name(ev))
        }
        EvtCategory => s(category_text(c)),
        EvtCpu => Val::I64(ev.cpu as i16 as i64),
        EvtRawarg => {
            let FieldArg::Name(n) = &f.arg else { return None };
            let i = crate::event::render::param_index(ev, n)?;
            if i >= ev.nparams as usize {
                return None;
            }
            let info = ev.info()?.params.get(i)?.sysdig();
            raw_param_val(info.ptype, ev.param(i)?)?
        }
        EvtBuffer => {
            let i = crate::event::render::param_index(ev, "data")?;
            if i >= ev.nparams as usize {
                return None;
            }
            Val::Str(ev.param(i)?)
        }
        _ => return None,
    })
}

/// evt.buflen and its direction (in/out) and fd kind (file/net) variants.
#[inline]
fn event_buflen<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    let fd = evt_fdinfo(c)?;
    let cat = ecategory(ev);
    let dir_ok = match f.id {
        EvtBuflenIn | EvtBuflenFileIn | EvtBuflenNetIn => cat == ec::IO_READ,
        EvtBuflenOut | EvtBuflenFileOut | EvtBuflenNetOut => cat == ec::IO_WRITE,
        _ => cat & ec::IO_BASE != 0,
    };
    let kind_ok = match f.id {
        EvtBuflenFile | EvtBuflenFileIn | EvtBuflenFileOut => matches!(fd.ftype, FT::File | FT::FileV2),
        EvtBuflenNet | EvtBuflenNetIn | EvtBuflenNetOut => {
            matches!(fd.ftype, FT::Ipv4Sock | FT::Ipv6Sock | FT::Ipv4ServSock | FT::Ipv6ServSock)
        }
        _ => true,
    };
    if !dir_ok || !kind_ok {
        return None;
    }
    buflen(ev)
}

/// How the event went and what it does: its result, whether it failed, and
/// its I/O, wait, syslog and open-mode flags.
#[inline]
fn event_outcome<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    Some(match f.id {
        EvtRes => {
            let r = res_value(ev)?;
            if r >= 0 {
                s("SUCCESS")
            } else {
                match crate::event::table::errno_name(-r) {
                    Some(n) => s(n),
                    None => Val::String(r.to_string().into_bytes()),
                }
            }
        }
        EvtRawres => Val::I64(res_value(ev)?),
        EvtFailed => Val::Bool(res_value(ev).map(|r| r < 0).unwrap_or(false)),
        EvtIsIo => Val::Bool(eflags(ev) & (EF_READS_FROM_FD | EF_WRITES_TO_FD) != 0),
        EvtIsIoRead => Val::Bool(eflags(ev) & EF_READS_FROM_FD != 0),
        EvtIsIoWrite => Val::Bool(eflags(ev) & EF_WRITES_TO_FD != 0),
        EvtIoDir => {
            let fl = eflags(ev);
            if fl & EF_WRITES_TO_FD != 0 {
                s("write")
            } else if fl & EF_READS_FROM_FD != 0 {
                s("read")
            } else {
                return None;
            }
        }
        EvtIsWait => Val::Bool(eflags(ev) & EF_WAITS != 0),
        EvtIsSyslog => {
            let yes = eflags(ev) & EF_WRITES_TO_FD != 0
                && evt_fdinfo(c).map(|fd| fd.name.contains("/dev/log")).unwrap_or(false);
            Val::Bool(yes)
        }
        EvtIsOpenRead | EvtIsOpenWrite | EvtIsOpenExec => Val::Bool(is_open(ev, f.id).unwrap_or(false)),
        _ => return None,
    })
}

/// The evt.count* counters: 1 when the event counts, no value otherwise.
#[inline]
fn event_counter<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    Some(match f.id {
        EvtCount => Val::U64(1),
        EvtCountError => error_count(ev)?,
        EvtCountErrorFile | EvtCountErrorNet | EvtCountErrorOther => error_count_by_kind(c, f.id)?,
        EvtCountErrorMemory => {
            if ecategory(ev) != ec::MEMORY {
                return None;
            }
            error_count(ev)?
        }
        EvtCountExit => {
            if !is_exit(ev) {
                return None;
            }
            Val::U64(1)
        }
        EvtCountProcinfo | EvtCountThreadinfo => {
            if ev.etype != 234 {
                return None;
            }
            if f.id == EvtCountProcinfo && !c.state.thread(ev.tid).map(|t| t.is_main_thread()).unwrap_or(false) {
                return None;
            }
            Val::U64(1)
        }
        _ => return None,
    })
}

/// evt.count.error.file / .net / .other: the error count of events on that
/// kind of fd (or, without an fd entry, of that kind of event).
fn error_count_by_kind(c: &EvalCtx<'_>, id: Fid) -> Option<Val<'static>> {
    use Fid::*;
    let ev = c.ev;
    let file_evt = matches!(
        ev.etype,
        ppme::OPEN_X | ppme::CREAT_X | ppme::OPENAT_X | ppme::OPENAT_2_X | ppme::OPENAT2_X
    );
    let net_evt = matches!(
        ev.etype,
        ppme::ACCEPT_X | ppme::ACCEPT_5_X | ppme::ACCEPT4_X | ppme::ACCEPT4_5_X | ppme::CONNECT_X
    );
    let (is_file, is_net) = match evt_fdinfo(c) {
        Some(fd) => (
            matches!(fd.ftype, FT::File | FT::FileV2 | FT::Directory),
            matches!(
                fd.ftype,
                FT::Ipv4Sock | FT::Ipv6Sock | FT::Ipv4ServSock | FT::Ipv6ServSock | FT::UnixSock
            ),
        ),
        None => (file_evt, net_evt || (id == EvtCountErrorOther && ecategory(ev) == ec::MEMORY)),
    };
    let hit = match id {
        EvtCountErrorFile => is_file,
        EvtCountErrorNet => is_net && (evt_fdinfo(c).is_some() || net_evt),
        _ => !is_file && !is_net,
    };
    if !hit {
        return None;
    }
    error_count(ev)
}

/// sysdig's extract_buflen: the non-negative return value of an exit event.
fn buflen(ev: &Event) -> Option<Val<'static>> {
    if !is_exit(ev) {
        return None;
    }
    let r = le_i64(ev.param(0)?)?;
    if r >= 0 {
        Some(Val::U64(r as u64))
    } else {
        None
    }
}

fn is_open(ev: &Event, id: Fid) -> Option<bool> {
    const O_RDONLY: u32 = 1 << 0;
    const O_WRONLY: u32 = 1 << 1;
    const O_CREAT: u32 = 1 << 2;
    const O_TMPFILE: u32 = 1 << 14;
    const EXEC: u32 = 0o111;
    let u32p = |i: usize| -> Option<u32> { Some(u32::from_le_bytes(ev.param(i)?.get(..4)?.try_into().ok()?)) };
    match ev.etype {
        ppme::OPEN_X | ppme::OPENAT_E | ppme::OPENAT_2_X | ppme::OPENAT2_X => {
            let newv = matches!(ev.etype, ppme::OPENAT_2_X | ppme::OPENAT2_X);
            let flags = u32p(if newv { 3 } else { 2 })?;
            Some(match id {
                Fid::EvtIsOpenRead => flags & O_RDONLY != 0,
                Fid::EvtIsOpenWrite => flags & O_WRONLY != 0,
                _ => {
                    if flags & (O_TMPFILE | O_CREAT) != 0 {
                        u32p(if newv { 4 } else { 3 })? & EXEC != 0
                    } else {
                        false
                    }
                }
            })
        }
        ppme::CREAT_X if id == Fid::EvtIsOpenExec => Some(u32p(2)? & EXEC != 0),
        _ => Some(false),
    }
}

fn category_text(c: &EvalCtx<'_>) -> &'static str {
    let ev = c.ev;
    let cat = if ev.etype == ppme::GENERIC_E || ev.etype == ppme::GENERIC_X {
        let id = ev.param(0).and_then(|b| Some(u16::from_le_bytes(b.get(..2)?.try_into().ok()?)));
        match id.and_then(crate::event::table::syscall_info) {
            Some(si) => si.category,
            None => 0,
        }
    } else {
        ecategory(ev)
    };
    let base = cat & !(crate::event::consts::EC_SYSCALL | crate::event::consts::EC_TRACEPOINT);
    match base {
        0 => "unknown",
        1 => "other",
        2 => "file",
        3 => "net",
        4 => "IPC",
        5 => "memory",
        6 => "process",
        7 => "sleep",
        8 => "system",
        9 => "signal",
        10 => "user",
        11 => "time",
        12 => "processing",
        32..=34 => match evt_fdinfo(c) {
            None => "unknown",
            Some(fd) => match fd.ftype {
                FT::File | FT::FileV2 | FT::Directory => "file",
                FT::Ipv4Sock | FT::Ipv6Sock | FT::Ipv4ServSock | FT::Ipv6ServSock => "net",
                FT::Fifo | FT::UnixSock | FT::Event | FT::SignalFd | FT::Inotify => "ipc",
                _ => "unknown",
            },
        },
        64 => "wait",
        128 => "scheduler",
        _ => "unknown",
    }
}

fn abspath<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let st = c.state;
    let t = st.thread(ev.tid)?;
    let which = match &f.arg {
        FieldArg::Name(n) if n == "src" => 1,
        FieldArg::Name(n) if n == "dst" => 2,
        _ => 0,
    };
    let (dirarg, patharg) = match ev.etype {
        ppme::RENAMEAT_X | ppme::RENAMEAT2_X => {
            if which == 2 { ("newdirfd", "newpath") } else { ("olddirfd", "oldpath") }
        }
        ppme::SYMLINKAT_X => ("linkdirfd", "linkpath"),
        ppme::OPENAT_E | ppme::OPENAT_2_X | ppme::OPENAT2_X => ("dirfd", "name"),
        ppme::LINKAT_E | ppme::LINKAT_2_X => {
            if which == 2 { ("newdir", "newpath") } else { ("olddir", "oldpath") }
        }
        ppme::UNLINKAT_E | ppme::UNLINKAT_2_X => ("dirfd", "name"),
        ppme::MKDIRAT_X => ("dirfd", "path"),
        ppme::FCHMODAT_X => ("dirfd", "filename"),
        _ => return None,
    };
    let dirfd = le_i64(raw_param(ev, dirarg)?)?;
    let path = raw_param(ev, patharg)?;
    let path = match path.iter().position(|&b| b == 0) {
        Some(p) => &path[..p],
        None => path,
    };
    let dir = if path.first() == Some(&b'/') {
        ".".to_string()
    } else if dirfd == -100 {
        st.cwd(t.tid)
    } else {
        match st.fd(t.tid, dirfd) {
            Some(fd) => format!("{}/", fd.name),
            None => "<UNKNOWN>/".to_string(),
        }
    };
    Some(Val::String(crate::state::concatenate_paths(dir.as_bytes(), path).into_bytes()))
}

/// Class 2 (proc.* and thread.*): routes each field to its family.
fn thread_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let st = c.state;
    use Fid::*;
    let Some(t) = st.thread(ev.tid) else {
        return thread_missing(ev, f);
    };
    match f.id {
        ProcName => Some(Val::Str(t.comm.as_bytes())),
        ThreadTid | ProcPid | ProcSid | ProcVpgid | ProcTty | ProcPpid | ThreadVtid | ProcVpid | ThreadIsmain
        | ProcNthreads | ProcNchilds | ProcApid | ProcLoginshellid => thread_ids(st, ev, t, f),
        ProcSname | ProcExe | ProcExepath | ProcPname | ProcAname | ThreadNametid | ProcIsExeWritable
        | ProcIsContainerHealthcheck | ProcIsContainerLivenessProbe | ProcIsContainerReadinessProbe => {
            thread_names(st, ev, t, f)
        }
        ProcArgs | ProcEnv | ProcCmdline | ProcExeline | ProcCwd | ProcPcmdline => thread_args(st, t, f),
        ThreadCgroups | ThreadCgroup => thread_cgroups(t, f),
        ThreadExectime | ThreadTotexectime | ThreadCpu | ThreadCpuUser | ThreadCpuSystem | ProcDuration => {
            thread_times(ev, t, f)
        }
        ProcFdopencount | ProcFdlimit | ProcFdusage | ProcVmsize | ProcVmrss | ProcVmswap | ThreadVmsize
        | ThreadVmrss | ThreadVmsizeB | ThreadVmrssB | ThreadPfmajor | ThreadPfminor => thread_memory(st, t, f),
        _ => None,
    }
}

/// Class 2 fields of an event whose thread is not in the table: only the
/// tid and the exec-time counters have a value.
#[inline]
fn thread_missing<'c>(ev: &Event, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    match f.id {
        ThreadTid => Some(Val::I64(ev.tid)),
        ThreadExectime => Some(Val::U64(f.acct.as_ref().map_or(0, |a| super::sched::exectime(a, ev)))),
        // Still advances the CPU's switch time, as libsinsp does.
        ThreadTotexectime => f.acct.as_ref().and_then(|a| super::sched::totexectime(a, ev, false)).map(Val::U64),
        _ => None,
    }
}

/// The thread's numeric ids: tid, pid, session, process group, tty, parent,
/// namespace ids, ancestors' pids and its thread / child counts.
#[inline]
fn thread_ids<'c>(st: &'c State, ev: &Event, t: &'c Thread, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    Some(match f.id {
        ThreadTid => Val::I64(ev.tid),
        ProcPid => Val::I64(t.pid),
        ProcSid => Val::I64(t.sid),
        ProcVpgid => Val::I64(t.vpgid),
        ProcTty => Val::I64(t.tty as i32 as i64),
        ProcPpid => {
            if t.is_main_thread() {
                Val::I64(t.ptid)
            } else {
                Val::I64(st.main_thread(t.tid)?.ptid)
            }
        }
        ThreadVtid => {
            if t.vtid == -1 {
                return None;
            }
            Val::I64(t.vtid)
        }
        ProcVpid => {
            if t.vpid == -1 {
                return None;
            }
            Val::I64(t.vpid)
        }
        ThreadIsmain => Val::Bool(t.is_main_thread()),
        ProcNthreads => {
            let mt = if t.is_main_thread() { t } else { st.main_thread(t.tid)? };
            Val::U64(mt.nchilds + 1)
        }
        ProcNchilds => Val::U64(t.nchilds),
        ProcApid => Val::I64(ancestor(st, t, ancestor_index(f))?.pid),
        ProcLoginshellid => {
            let mt = if t.is_main_thread() { t } else { st.main_thread(t.tid)? };
            let mut found = None;
            let mut cur = Some(mt);
            let mut guard = 0;
            while let Some(x) = cur {
                if x.comm.len() >= 2 && x.comm.ends_with("sh") {
                    found = Some(x.pid);
                }
                guard += 1;
                if guard > 1024 {
                    break;
                }
                cur = st.threads.get(&x.ptid).filter(|p| p.tid != x.tid);
            }
            Val::I64(found?)
        }
        _ => return None,
    })
}

/// The ancestor proc.apid / proc.aname name: `[N]`, else 0 (the main thread).
#[inline]
fn ancestor_index(f: &Field) -> i64 {
    let n = match f.arg {
        FieldArg::Index(n) => n,
        _ => -1,
    };
    n.max(0)
}

/// The names of the thread, its session leader, parent and ancestors, its
/// executable and the flags about it.
#[inline]
fn thread_names<'c>(st: &'c State, ev: &Event, t: &'c Thread, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    Some(match f.id {
        ProcSname => match st.threads.get(&t.sid) {
            Some(x) => Val::Str(x.comm.as_bytes()),
            None => {
                let mut mt = if t.is_main_thread() { t } else { st.main_thread(t.tid)? };
                let sid = mt.sid;
                let mut guard = 0;
                while let Some(p) = st.threads.get(&mt.ptid) {
                    if p.sid != sid || guard > 1024 || p.tid == mt.tid {
                        break;
                    }
                    mt = p;
                    guard += 1;
                }
                Val::Str(mt.comm.as_bytes())
            }
        },
        ProcExe => Val::Str(t.exe.as_bytes()),
        ProcExepath => Val::Str(t.exepath.as_bytes()),
        ProcPname => Val::Str(st.threads.get(&t.ptid)?.comm.as_bytes()),
        ProcAname => Val::Str(ancestor(st, t, ancestor_index(f))?.comm.as_bytes()),
        ThreadNametid => {
            let mut o = t.comm.as_bytes().to_vec();
            o.extend_from_slice(ev.tid.to_string().as_bytes());
            Val::String(o)
        }
        ProcIsContainerHealthcheck | ProcIsContainerLivenessProbe | ProcIsContainerReadinessProbe => Val::Bool(false),
        ProcIsExeWritable => Val::Bool(t.exe_writable),
        _ => return None,
    })
}

/// The thread's command line parts: arguments, environment, command lines
/// (its own and its parent's) and working directory.
#[inline]
fn thread_args<'c>(st: &'c State, t: &'c Thread, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    Some(match f.id {
        ProcArgs => {
            let mut o = Vec::new();
            t.args.join_into(&mut o);
            Val::String(o)
        }
        ProcEnv => {
            // The environment is the main thread's.
            let mt = if t.is_main_thread() { t } else { st.main_thread(t.tid).unwrap_or(t) };
            let env = if t.env.is_empty() { &mt.env } else { &t.env };
            let mut o = Vec::new();
            env.join_into(&mut o);
            Val::String(o)
        }
        ProcCmdline => Val::String(cmdline(t)),
        ProcExeline => {
            let mut o = t.exe.as_bytes().to_vec();
            o.push(b' ');
            t.args.join_into(&mut o);
            Val::String(o)
        }
        ProcCwd => Val::String(st.cwd(t.tid).into_bytes()),
        ProcPcmdline => Val::String(cmdline(st.threads.get(&t.ptid)?)),
        _ => return None,
    })
}

/// thread.cgroups (every `subsystem=path`) and thread.cgroup.NAME.
#[inline]
fn thread_cgroups<'c>(t: &'c Thread, f: &Field) -> Option<Val<'c>> {
    if f.id == Fid::ThreadCgroup {
        let FieldArg::Name(n) = &f.arg else { return None };
        let (_, v) = t.cgroups.cgroups().find(|(k, _)| k == n)?;
        return Some(match v {
            std::borrow::Cow::Borrowed(v) => Val::Str(v.as_bytes()),
            std::borrow::Cow::Owned(v) => Val::String(v.into_bytes()),
        });
    }
    if t.cgroups.is_empty() {
        return None;
    }
    let mut o = Vec::new();
    for (i, (k, v)) in t.cgroups.cgroups().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        o.extend_from_slice(k.as_bytes());
        o.push(b'=');
        o.extend_from_slice(v.as_bytes());
    }
    Some(Val::String(o))
}

/// The thread's CPU times (from the scheduler accounting) and the process's
/// age.
#[inline]
fn thread_times<'c>(ev: &Event, t: &Thread, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    Some(match f.id {
        ThreadExectime => Val::U64(f.acct.as_ref().map_or(0, |a| super::sched::exectime(a, ev))),
        ThreadTotexectime => Val::U64(super::sched::totexectime(f.acct.as_ref()?, ev, true)?),
        ThreadCpu | ThreadCpuUser | ThreadCpuSystem => Val::F64(super::sched::cpu(f.acct.as_ref()?, f.id, ev)?),
        ProcDuration => {
            if t.clone_ts == 0 {
                return None;
            }
            Val::I64(ev.ts.wrapping_sub(t.clone_ts) as i64)
        }
        _ => return None,
    })
}

/// The thread's resources: open fds and their limit, memory sizes and page
/// faults.
#[inline]
fn thread_memory<'c>(st: &State, t: &Thread, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    let main = t.is_main_thread();
    Some(match f.id {
        ProcFdopencount => Val::U64(st.fdtable(t.tid).map(|x| x.len()).unwrap_or(0) as u64),
        ProcFdlimit => Val::I64(fd_limit(st, t)),
        ProcFdusage => {
            let lim = fd_limit(st, t);
            let open = st.fdtable(t.tid).map(|x| x.len()).unwrap_or(0) as f64;
            Val::F64(if lim > 0 { open * 100.0 / lim as f64 } else { 0.0 })
        }
        ProcVmsize => Val::U64(t.vmsize_kb as u64),
        ProcVmrss => Val::U64(t.vmrss_kb as u64),
        ProcVmswap => Val::U64(t.vmswap_kb as u64),
        ThreadVmsize => Val::U64(if main { t.vmsize_kb as u64 } else { 0 }),
        ThreadVmrss => Val::U64(if main { t.vmrss_kb as u64 } else { 0 }),
        ThreadVmsizeB => Val::U64(if main { t.vmsize_kb as u64 * 1024 } else { 0 }),
        ThreadVmrssB => Val::U64(if main { t.vmrss_kb as u64 * 1024 } else { 0 }),
        ThreadPfmajor => Val::U64(t.pfmajor),
        ThreadPfminor => Val::U64(t.pfminor),
        _ => return None,
    })
}

/// sysdig's get_fd_limit: the main thread's limit.
fn fd_limit(st: &State, t: &Thread) -> i64 {
    if t.is_main_thread() {
        t.fdlimit
    } else {
        st.main_thread(t.tid).map(|m| m.fdlimit).unwrap_or(t.fdlimit)
    }
}

fn user_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let st = c.state;
    let t = st.thread(c.ev.tid)?;
    use Fid::*;
    Some(match f.id {
        UserUid => Val::U64(t.uid as u64),
        UserLoginuid => Val::I64(t.loginuid as i32 as i64),
        UserLoginname => Val::Str(st.users.get(&t.loginuid)?.name.as_bytes()),
        UserName => Val::Str(st.users.get(&t.uid)?.name.as_bytes()),
        UserHomedir => Val::Str(st.users.get(&t.uid)?.homedir.as_bytes()),
        UserShell => Val::Str(st.users.get(&t.uid)?.shell.as_bytes()),
        _ => return None,
    })
}

fn group_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let st = c.state;
    let t = st.thread(c.ev.tid)?;
    Some(match f.id {
        // sysdig reads the 32-bit gid as a 64-bit value: the upper half is
        // the low half of the next thread field (m_nchilds).
        Fid::GroupGid => Val::U64(t.gid as u64 | ((t.nchilds as u32 as u64) << 32)),
        Fid::GroupName => Val::Str(st.groups.get(&t.gid)?.name.as_bytes()),
        _ => return None,
    })
}

fn container_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let t = c.state.thread(c.ev.tid)?;
    use Fid::*;
    if !t.container_id.is_empty() {
        // As sysdig: the id and type from the cgroups, the rest when a
        // container event or the runtime's files told it.
        let ct = c.state.containers.get(&t.container_id);
        let nonempty = |s: &'c str| if s.is_empty() { None } else { Some(Val::Str(s.as_bytes())) };
        return match f.id {
            ContainerId => Some(Val::Str(t.container_id.as_bytes())),
            ContainerName => nonempty(&ct?.name),
            ContainerImage => nonempty(&ct?.image),
            ContainerImageId => nonempty(&ct?.image_id),
            ContainerImageRepository => nonempty(&ct?.image_repo),
            ContainerImageTag => nonempty(&ct?.image_tag),
            ContainerImageDigest => nonempty(&ct?.image_digest),
            ContainerType => Some(s(ct?.ctype?.name())),
            ContainerPrivileged => {
                let ct = ct?;
                ct.ctype?.docker_compatible().then_some(Val::Bool(ct.privileged))
            }
            ContainerMounts => ct.map(|_| s("")),
            _ => None,
        };
    }
    Some(match f.id {
        ContainerId | ContainerName => s("host"),
        ContainerImage | ContainerImageId => return None,
        ContainerType => s("host"),
        ContainerPrivileged => return None,
        ContainerMounts | ContainerMount | ContainerMountSource | ContainerMountDest | ContainerMountMode
        | ContainerMountRdwr | ContainerMountPropagation => return None,
        ContainerImageRepository | ContainerImageTag | ContainerImageDigest => return None,
        ContainerHealthcheck | ContainerLivenessProbe | ContainerReadinessProbe => return None,
        _ => return None,
    })
}

/// True when `ip` is an address of this machine (sysdig's
/// is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine).
fn is_local_v4(st: &State, ip: [u8; 4]) -> bool {
    st.interfaces
        .iter()
        .any(|i| matches!(i, crate::source::records::InterfaceRecord::V4 { addr, .. } if *addr == ip))
}

fn is_local_v6(st: &State, t: Option<&Thread>, ip: &[u8; 16]) -> bool {
    if t.map(|t| !t.container_id.is_empty()).unwrap_or(false) {
        return false;
    }
    st.interfaces
        .iter()
        .any(|i| matches!(i, crate::source::records::InterfaceRecord::V6 { addr, .. } if addr[..8] == ip[..8]))
}

/// The name sysdig derives for an fd-creating exit event that has no fd
/// entry (a failed open/connect/accept): extract_fdname_from_creator.
fn fdname_from_creator(c: &EvalCtx<'_>) -> Option<Vec<u8>> {
    let ev = c.ev;
    if !is_exit(ev) {
        return None;
    }
    match ev.etype {
        ppme::OPEN_X | ppme::ACCEPT_X | ppme::ACCEPT_5_X | ppme::ACCEPT4_X | ppme::ACCEPT4_5_X | ppme::CREAT_X
        | ppme::CONNECT_X => {
            let mut raw = Vec::new();
            let mut resolved = Vec::new();
            let ro = c.scratch.render;
            if !crate::event::render::render_param_parts(ev, 1, c.state, &ro, &mut raw, &mut resolved) {
                return Some(Vec::new());
            }
            Some(if resolved.is_empty() { raw } else { resolved })
        }
        ppme::OPENAT_2_X | ppme::OPENAT2_X => {
            let name = ev.param(2)?;
            let name = match name.iter().position(|&b| b == 0) {
                Some(p) => &name[..p],
                None => name,
            };
            let dirfd = le_i64(ev.param(1)?)?;
            let dir = if name.first() == Some(&b'/') {
                ".".to_string()
            } else if dirfd == -100 {
                c.state.cwd(ev.tid)
            } else {
                match c.state.fd(ev.tid, dirfd) {
                    Some(fd) => format!("{}/", fd.name),
                    None => "<UNKNOWN>".to_string(),
                }
            };
            Some(sanitized(crate::state::concatenate_paths(dir.as_bytes(), name).as_bytes()))
        }
        // The old openat exit needs its enter event; not kept here.
        ppme::OPENAT_X => None,
        _ => Some(Vec::new()),
    }
}

/// Directory part of a file name as sysdig cuts it.
fn dir_of(name: &[u8]) -> Vec<u8> {
    match name.iter().rposition(|&b| b == b'/') {
        Some(p) if p != 0 => {
            if p < name.len() - 1 {
                name[..p].to_vec()
            } else {
                name.to_vec()
            }
        }
        _ => b"/".to_vec(),
    }
}

fn with_container(t: Option<&Thread>, v: Vec<u8>) -> Vec<u8> {
    let mut o = t.map(|t| t.container_id.as_bytes().to_vec()).unwrap_or_default();
    o.push(b':');
    o.extend_from_slice(&v);
    o
}

/// fd.* fields when the event has no fd entry (extract_from_null_fd).
fn fd_null<'c>(c: &EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let t = c.state.thread(ev.tid);
    use Fid::*;
    Some(match f.id {
        FdName => Val::String(fdname_from_creator(c)?),
        FdContainername => Val::String(with_container(t, fdname_from_creator(c)?)),
        FdDirectory | FdContainerdirectory => {
            let n = sanitized(&fdname_from_creator(c)?);
            let d = dir_of(&n);
            Val::String(if f.id == FdContainerdirectory { with_container(t, d) } else { d })
        }
        FdFilename => {
            if !matches!(
                ev.etype,
                ppme::OPEN_E | ppme::OPENAT_E | ppme::OPENAT_2_E | ppme::OPENAT2_E | ppme::CREAT_E
            ) {
                return None;
            }
            // Enter events never have a creator name.
            return None;
        }
        FdTypechar => {
            let ch = match ev.etype & !1 {
                ppme::OPEN_E | ppme::OPENAT_E | ppme::OPENAT_2_E | ppme::OPENAT2_E | ppme::CREAT_E => "f",
                ppme::SOCKET_E | ppme::ACCEPT_E | ppme::ACCEPT_5_E | ppme::ACCEPT4_E | ppme::ACCEPT4_5_E => "4",
                ppme::PIPE_E => "p",
                ppme::EVENTFD_E => "e",
                ppme::SIGNALFD_E => "s",
                ppme::TIMERFD_CREATE_E => "t",
                ppme::INOTIFY_INIT_E => "i",
                _ => "o",
            };
            s(ch)
        }
        _ => return None,
    })
}

/// Class 6 (fd.*): the fd number and uid, then routes each field of the
/// event's fd entry to its family (no entry: [`fd_null`]).
fn fd_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let t = fd_event_thread(c)?;
    let lastfd = c.meta.fd;
    use Fid::*;
    if f.id == FdNum {
        return Some(Val::I64(lastfd));
    }
    let fdinfo = event_fd(c);
    if f.id == FdUid {
        if matches!(ev.etype, ppme::CONTAINER_JSON_E | ppme::CONTAINER_JSON_2_E) {
            return None;
        }
        return Some(Val::String(format!("{}{}", t.tid, lastfd).into_bytes()));
    }
    let Some(fd) = fdinfo else {
        return fd_null(c, f);
    };
    match f.id {
        FdName | FdContainername | FdType | FdDirectory | FdContainerdirectory | FdFilename | FdTypechar | FdDev
        | FdDevMajor | FdDevMinor | FdNameChanged => fd_file(c, t, fd, f),
        FdCip | FdCnet | FdIp | FdNet | FdSip | FdSnet => fd_sock_ip(fd, f),
        FdLip | FdRip | FdLnet | FdRnet | FdLport | FdRport | FdLproto | FdRproto => fd_sock_side(c.state, t, fd, f),
        FdCport | FdPort | FdCproto | FdSport | FdSproto | FdProto => fd_sock_port(fd, f),
        FdL4proto | FdIsServer | FdSockfamily | FdConnected => fd_sock_kind(c.state, t, fd, f),
        _ => None,
    }
}

/// The fd entry's name in its forms (full, with the container, directory,
/// file name), its type and device.
#[inline]
fn fd_file<'c>(c: &'c EvalCtx<'_>, t: &Thread, fd: &'c Fd, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    use Fid::*;
    Some(match f.id {
        FdName | FdContainername => {
            if ev.etype == ppme::CONNECT_X && ev.param(0).and_then(le_i64).map(|r| r < 0).unwrap_or(false) {
                return fd_null(c, f);
            }
            if f.id == FdName {
                return Some(sanitized_val(fd.name.as_bytes()));
            }
            Val::String(with_container(Some(t), sanitized(fd.name.as_bytes())))
        }
        FdType => s(fd.type_str()),
        FdDirectory | FdContainerdirectory => {
            let is_file = matches!(fd.ftype, FT::File | FT::FileV2);
            if !(is_file || fd.ftype == FT::Directory) {
                return None;
            }
            let n = sanitized(fd.name.as_bytes());
            let d = if is_file { dir_of(&n) } else { n };
            Val::String(if f.id == FdContainerdirectory { with_container(Some(t), d) } else { d })
        }
        FdFilename => {
            if !matches!(fd.ftype, FT::File | FT::FileV2) {
                return None;
            }
            let n = sanitized(fd.name.as_bytes());
            Val::String(match n.iter().rposition(|&b| b == b'/') {
                Some(p) if p < n.len() - 1 => n[p + 1..].to_vec(),
                Some(_) => n,
                None => b"/".to_vec(),
            })
        }
        FdTypechar => {
            let mut b = [0u8; 4];
            Val::String(fd.type_char().encode_utf8(&mut b).as_bytes().to_vec())
        }
        FdNameChanged => Val::Bool(c.meta.fd_name_changed),
        FdDev => Val::I64(fd.dev as i32 as i64),
        FdDevMajor => Val::I64(((fd.dev & 0xfff00) >> 8) as i64),
        FdDevMinor => Val::I64(((fd.dev & 0xff) | ((fd.dev >> 12) & 0xfff00)) as i64),
        _ => return None,
    })
}

/// The client (fd.cip, fd.cnet) and server (fd.sip, fd.snet) addresses of
/// a socket with a role.
#[inline]
fn fd_sock_ip<'c>(fd: &Fd, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    if fd.is_role_none() {
        return None;
    }
    Some(match f.id {
        FdCip | FdCnet | FdIp | FdNet => match fd.sock {
            SockInfo::Ipv4 { sip, .. } if fd.ftype == FT::Ipv4Sock => Val::Ipv4(sip),
            SockInfo::Ipv6 { sip, .. } if fd.ftype == FT::Ipv6Sock => Val::Ipv6(sip),
            _ => return None,
        },
        FdSip | FdSnet => match fd.sock {
            SockInfo::Ipv4 { dip, .. } => Val::Ipv4(dip),
            SockInfo::Ipv4Server { ip, .. } => Val::Ipv4(ip),
            SockInfo::Ipv6 { dip, .. } => Val::Ipv6(dip),
            SockInfo::Ipv6Server { ip, .. } => Val::Ipv6(ip),
            _ => return None,
        },
        _ => return None,
    })
}

/// The local (fd.l*) and remote (fd.r*) address, port and protocol of a
/// connected socket: the local side is the one whose address is this
/// machine's.
#[inline]
fn fd_sock_side<'c>(st: &State, t: &Thread, fd: &Fd, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    if fd.is_role_none() {
        return None;
    }
    let local_side = matches!(f.id, FdLip | FdLnet | FdLport | FdLproto);
    let (ip_s, ip_d, sport, dport) = match fd.sock {
        SockInfo::Ipv4 { sip, dip, sport, dport, .. } => (Val::Ipv4(sip), Val::Ipv4(dip), sport, dport),
        SockInfo::Ipv6 { sip, dip, sport, dport, .. } => (Val::Ipv6(sip), Val::Ipv6(dip), sport, dport),
        _ => return None,
    };
    let is_local = match fd.sock {
        SockInfo::Ipv4 { sip, .. } => is_local_v4(st, sip),
        SockInfo::Ipv6 { sip, .. } => is_local_v6(st, Some(t), &sip),
        _ => false,
    };
    // Local side is the "source" when the source address is ours.
    let pick_src = is_local == local_side;
    Some(match f.id {
        FdLip | FdRip | FdLnet | FdRnet => {
            if pick_src {
                ip_s
            } else {
                ip_d
            }
        }
        FdLport | FdRport => Val::U64(if pick_src { sport } else { dport } as u64),
        _ => {
            // int16 in sysdig, then printed as unsigned by to_string of the port.
            let p = if pick_src { sport } else { dport };
            Val::String(port_string(p as i16 as i64))
        }
    })
}

/// The client (fd.cport, fd.cproto) and server (fd.sport, fd.sproto) ports
/// of a socket, as numbers or protocol names.
#[inline]
fn fd_sock_port<'c>(fd: &Fd, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    let role_none = fd.is_role_none();
    Some(match f.id {
        FdCport | FdPort => {
            if role_none {
                return None;
            }
            match fd.sock {
                SockInfo::Ipv4 { sport, .. } | SockInfo::Ipv6 { sport, .. } => Val::U64(sport as u64),
                // Falls through to the client protocol: an empty string read as a port.
                _ => Val::U64(0),
            }
        }
        FdCproto => {
            if role_none {
                return None;
            }
            match fd.sock {
                SockInfo::Ipv4 { sport, .. } | SockInfo::Ipv6 { sport, .. } => Val::String(port_string(sport as i64)),
                _ => Val::String(Vec::new()),
            }
        }
        FdSport | FdSproto | FdProto => {
            let port = match fd.sock {
                SockInfo::Ipv4 { dport, .. } | SockInfo::Ipv6 { dport, .. } => {
                    if role_none {
                        return None;
                    }
                    dport
                }
                SockInfo::Ipv4Server { port, .. } | SockInfo::Ipv6Server { port, .. } => port,
                _ => return None,
            };
            if f.id == FdSport {
                Val::U64(port as u64)
            } else {
                match fd.sock {
                    SockInfo::Ipv4 { .. } | SockInfo::Ipv6 { .. } => Val::String(port_string(port as i64)),
                    _ => Val::String(Vec::new()),
                }
            }
        }
        _ => return None,
    })
}

/// What kind of socket the fd is: its layer-4 protocol and family, whether
/// it is a server's, whether it is connected.
#[inline]
fn fd_sock_kind<'c>(st: &State, t: &Thread, fd: &Fd, f: &Field) -> Option<Val<'c>> {
    use Fid::*;
    Some(match f.id {
        FdL4proto => s(fd.l4proto_name().unwrap_or("<NA>")),
        FdIsServer => Val::Bool(match fd.sock {
            SockInfo::Ipv4Server { .. } | SockInfo::Ipv6Server { .. } => true,
            SockInfo::Ipv4 { dip, .. } => is_local_v4(st, dip),
            SockInfo::Ipv6 { dip, .. } => is_local_v6(st, Some(t), &dip),
            _ => false,
        }),
        FdSockfamily => match fd.ftype {
            FT::Ipv4Sock | FT::Ipv6Sock | FT::Ipv4ServSock | FT::Ipv6ServSock => s("ip"),
            FT::UnixSock => s("unix"),
            _ => return None,
        },
        FdConnected => Val::Bool(fd.flags & crate::state::types::fdflags::SOCKET_CONNECTED != 0),
        _ => return None,
    })
}

/// sysdig's port_to_string: the decimal port, or its service name with `-R`.
fn port_string(p: i64) -> Vec<u8> {
    crate::filter::services::port_text(p as u16, None).into_bytes()
}

/// Class 9 (fdlist.*): the field's item for each fd of a poll event, joined
/// by commas; no value when no fd gives one.
fn fdlist_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let st = c.state;
    use Fid::*;
    if !matches!(f.id, FdlistNums | FdlistNames | FdlistCips | FdlistSips | FdlistCports | FdlistSports) {
        return None;
    }
    let idx = match ev.etype {
        ppme::POLL_E | ppme::PPOLL_E => 0,
        ppme::POLL_X | ppme::PPOLL_X => 1,
        _ => return None,
    };
    let p = ev.param(idx)?;
    let nfds = u16::from_le_bytes(p.get(..2)?.try_into().ok()?) as usize;
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 2;
    for _ in 0..nfds {
        let Some(fdn) = p.get(pos..pos + 8).and_then(le_i64) else { break };
        pos += 10;
        if fdlist_item(&mut out, f.id, fdn, st.fd(ev.tid, fdn)) {
            out.push(b',');
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.last() == Some(&b',') {
        out.pop();
    }
    Some(Val::String(out))
}

/// Appends fd `fdn`'s fdlist item (its number, name, client or server
/// address or port) to `out`; false when it has none.
#[inline]
fn fdlist_item(out: &mut Vec<u8>, id: Fid, fdn: i64, fd: Option<&Fd>) -> bool {
    use Fid::*;
    match id {
        FdlistNums => out.extend_from_slice(fdn.to_string().as_bytes()),
        FdlistNames => match fd {
            Some(x) if !x.name.is_empty() => out.extend_from_slice(x.name.as_bytes()),
            _ => out.extend_from_slice(b"<NA>"),
        },
        FdlistCips => match fd.map(|x| &x.sock) {
            Some(SockInfo::Ipv4 { sip, .. }) => write_ipv4(out, *sip),
            Some(SockInfo::Ipv6 { sip, .. }) => super::format::write_ipv6(out, sip),
            _ => return false,
        },
        FdlistSips => match fd.map(|x| &x.sock) {
            Some(SockInfo::Ipv4 { dip: a, .. } | SockInfo::Ipv4Server { ip: a, .. }) => write_ipv4(out, *a),
            Some(SockInfo::Ipv6 { dip, .. }) => super::format::write_ipv6(out, dip),
            // sysdig formats it with AF_INET: the first 4 bytes.
            Some(SockInfo::Ipv6Server { ip, .. }) => write_ipv4(out, [ip[0], ip[1], ip[2], ip[3]]),
            _ => return false,
        },
        FdlistCports | FdlistSports => match fd.map(|x| &x.sock) {
            Some(SockInfo::Ipv4 { sport, dport, .. } | SockInfo::Ipv6 { sport, dport, .. }) => {
                let port = if id == FdlistCports { sport } else { dport };
                out.extend_from_slice(port.to_string().as_bytes());
            }
            _ => return false,
        },
        _ => return false,
    }
    true
}

/// Appends an IPv4 address as the fd fields print it.
fn write_ipv4(out: &mut Vec<u8>, a: [u8; 4]) {
    super::format::write_val(out, &Val::Ipv4(a), super::FType::IpAddr, super::PFmt::Na);
}

/// A parameter's raw value as `evt.rawarg` sees it.
fn raw_param_val(t: ParamType, raw: &[u8]) -> Option<Val<'_>> {
    use ParamType::*;
    let le = |n: usize| -> Option<u64> {
        let mut b = [0u8; 8];
        b.get_mut(..n)?.copy_from_slice(raw.get(..n)?);
        Some(u64::from_le_bytes(b))
    };
    Some(match t {
        Int8 => Val::I64(*raw.first()? as i8 as i64),
        Int16 => Val::I64(le(2)? as u16 as i16 as i64),
        Int32 => Val::I64(le(4)? as u32 as i32 as i64),
        Int64 | Errno | Fd | Pid => Val::I64(le(8)? as i64),
        Uint8 | Flags8 | EnumFlags8 | SigType | L4Proto | SockFamily => Val::U64(le(1)?),
        Uint16 | Flags16 | EnumFlags16 | Port | SyscallId => Val::U64(le(2)?),
        Uint32 | Flags32 | EnumFlags32 | Uid | Gid | Mode | Bool | SigSet => Val::U64(le(4)?),
        Fd32 | Pid32 => Val::I64(le(4)? as u32 as i32 as i64),
        Uint64 | RelTime | AbsTime => Val::U64(le(8)?),
        Ipv4Addr => Val::Ipv4(raw.get(..4)?.try_into().ok()?),
        Ipv6Addr => Val::Ipv6(raw.get(..16)?.try_into().ok()?),
        CharBuf | FsPath | FsRelPath => {
            let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
            Val::Str(&raw[..end])
        }
        _ => Val::Str(raw),
    })
}

/// The values the filter-only fd.ip / fd.net / fd.port fields match against:
/// both endpoints of the event's socket fd, whatever its role (libsinsp's
/// compare_ip / compare_net / compare_port).
pub(crate) fn fd_endpoint_values(c: &EvalCtx<'_>, id: Fid) -> Vec<Val<'static>> {
    if fd_event_thread(c).is_none() {
        return Vec::new();
    }
    let Some(fd) = event_fd(c) else {
        return Vec::new();
    };
    let port = id == Fid::FdPort;
    match fd.sock {
        SockInfo::Ipv4 { sip, dip, sport, dport, .. } if fd.ftype == FT::Ipv4Sock => {
            if port {
                vec![Val::U64(sport as u64), Val::U64(dport as u64)]
            } else {
                vec![Val::Ipv4(sip), Val::Ipv4(dip)]
            }
        }
        SockInfo::Ipv6 { sip, dip, sport, dport, .. } if fd.ftype == FT::Ipv6Sock => {
            if port {
                vec![Val::U64(sport as u64), Val::U64(dport as u64)]
            } else {
                vec![Val::Ipv6(sip), Val::Ipv6(dip)]
            }
        }
        SockInfo::Ipv4Server { ip, port: p, .. } => {
            if port {
                vec![Val::U64(p as u64)]
            } else {
                vec![Val::Ipv4(ip)]
            }
        }
        SockInfo::Ipv6Server { ip, port: p, .. } => {
            if port {
                vec![Val::U64(p as u64)]
            } else {
                vec![Val::Ipv6(ip)]
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{Registry, Scratch};
    use crate::source::scap::ScapReader;
    use crate::source::{Item, Source};

    /// Captures to check: the project's own, and sysdig's when `../shared` is there.
    fn traces() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut v = Vec::new();
        for dir in [root.join("traces"), root.join("../shared/traces")] {
            let Ok(rd) = std::fs::read_dir(&dir) else { continue };
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "scap") {
                    v.push(p);
                }
            }
        }
        v.sort();
        v
    }

    #[test]
    fn fast_paths_agree_with_extract_on_every_event() {
        let reg = Registry::get();
        let names = [
            "proc.name", "proc.exe", "evt.type", "fd.name", "fd.type", "evt.num", "thread.tid", "proc.pid", "fd.num",
            "evt.failed", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "evt.latency",
        ];
        let fields: Vec<Field> = names.iter().map(|n| reg.lookup(n).unwrap()).collect();
        for f in &fields {
            assert_ne!(fast_kind(f), crate::filter::Fast::No, "{}", f.def.name);
        }
        let (mut fast_hits, mut checked) = (0u64, 0u64);
        for path in traces() {
            let Ok(mut r) = ScapReader::open(&path) else { continue };
            let mut st = State::new();
            let mut scratch = Scratch::default();
            let mut num = 0;
            while let Ok(Some(item)) = r.next_item() {
                let mut ev = match item {
                    Item::Event(ev) => ev,
                    Item::Record(rec) => {
                        st.apply_record(rec);
                        continue;
                    }
                };
                num += 1;
                ev.num = num;
                let meta = st.process(&ev);
                let mut c = EvalCtx::new(&ev, &meta, &st, &mut scratch, 0);
                for f in &fields {
                    checked += 1;
                    let fast_s = fast_str(&c, f).map(|v| v.map(|b| b.to_vec()));
                    let fast_i = fast_int(&c, f);
                    let slow = extract(&mut c, f);
                    let at = format!("{} event {num} ({}) {}", path.display(), ev.name(), f.def.name);
                    if let Some(v) = fast_s {
                        fast_hits += 1;
                        assert_eq!(v.as_deref(), slow.as_ref().and_then(|s| s.as_bytes()), "{at}");
                    }
                    if let Some(v) = fast_i {
                        fast_hits += 1;
                        let slow = slow.as_ref().map(|s| s.as_i64().expect("integer field"));
                        assert_eq!(v, slow, "{at}");
                    }
                }
            }
        }
        eprintln!("{checked} values checked, {fast_hits} through fast paths");
        assert!(checked > 0 && fast_hits * 10 > checked * 9, "{fast_hits} of {checked} through the fast paths");
    }
}
