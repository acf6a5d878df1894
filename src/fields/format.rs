//! Text form of fields (as `-p` prints them), text-only fields (evt.info,
//! time strings...) and the `-l` listing.

use std::io::{self, Write};

use super::catalog::{FieldFlags, FType, PFmt, FIELDS, CLASSES};
use super::extract::Val;
use super::{EvalCtx, Field, FieldArg, Fid};
use crate::event::render;

/// Broken-down local time of one second, cached.
#[derive(Clone, Copy, Default)]
pub struct LocalTime {
    pub sec: i64,
    pub year: i32,
    pub mon: u32,
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub secs: u32,
    pub valid: bool,
    /// `YYYY-MM-DD HH:MM:SS` of this second (all zero bytes when the year
    /// has more than four digits: then written piece by piece).
    pub text: [u8; 19],
}

/// Converts epoch seconds to local time (TZ honoured through libc).
pub fn local_time(cache: &mut LocalTime, sec: i64) -> LocalTime {
    if cache.valid && cache.sec == sec {
        return *cache;
    }
    // SAFETY: localtime_r writes into the tm we own; time_t from i64.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = sec as libc::time_t;
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    let mut lt = LocalTime {
        sec,
        year: tm.tm_year + 1900,
        mon: (tm.tm_mon + 1) as u32,
        mday: tm.tm_mday as u32,
        hour: tm.tm_hour as u32,
        min: tm.tm_min as u32,
        secs: tm.tm_sec as u32,
        valid: ok,
        text: [0; 19],
    };
    if (0..=9999).contains(&lt.year) {
        let mut t = Vec::with_capacity(20);
        write_date(&mut t, lt.year, lt.mon, lt.mday);
        write_hms(&mut t, lt.hour, lt.min, lt.secs);
        if t.len() == 19 {
            lt.text.copy_from_slice(&t);
        }
    }
    *cache = lt;
    lt
}

/// Text fields: time strings, evt.arg/evt.args/evt.info, evt.latency.human.
pub(crate) fn extract_text_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let mut o: Vec<u8> = Vec::with_capacity(64);
    write_text_field(c, f, &mut o).then_some(Val::String(o))
}

/// The fields [`write_text_field`] produces (all CharBuf).
pub(crate) fn is_text_field(id: Fid) -> bool {
    matches!(
        id,
        Fid::EvtTime | Fid::EvtTimeS | Fid::EvtDatetime | Fid::EvtDatetimeS | Fid::EvtTimeIso8601
            | Fid::EvtOutputtime | Fid::EvtLatencyHuman | Fid::EvtInfo | Fid::EvtArgs | Fid::EvtArg
    )
}

/// Appends a text field's value to `o` (the printer's line directly, or a
/// fresh buffer for [`extract_text_field`]); false when the field has no
/// value (sysdig's NULL), possibly after writing part of it.
pub(crate) fn write_text_field(c: &mut EvalCtx<'_>, f: &Field, o: &mut Vec<u8>) -> bool {
    let ev = c.ev;
    match f.id {
        Fid::EvtTime | Fid::EvtTimeS | Fid::EvtDatetime | Fid::EvtDatetimeS => {
            let lt = local_time(&mut c.scratch.tm, (ev.ts / 1_000_000_000) as i64);
            let with_date = matches!(f.id, Fid::EvtDatetime | Fid::EvtDatetimeS);
            if lt.text[0] != 0 {
                // The second's text, made once per second.
                o.extend_from_slice(if with_date { &lt.text } else { &lt.text[11..] });
            } else {
                if with_date {
                    write_date(o, lt.year, lt.mon, lt.mday);
                }
                write_hms(o, lt.hour, lt.min, lt.secs);
            }
            if matches!(f.id, Fid::EvtTime | Fid::EvtDatetime) {
                o.push(b'.');
                push_padded(o, ev.ts % 1_000_000_000, 9);
            }
        }
        Fid::EvtTimeIso8601 => {
            let secs = (ev.ts / 1_000_000_000) as i64;
            let (y, m, d, hh, mm, ss) = utc_parts(secs);
            let _ = write!(o, "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{:09}+0000", ev.ts % 1_000_000_000);
        }
        Fid::EvtOutputtime => write_outputtime(c, o),
        Fid::EvtLatencyHuman => {
            if c.state.thread(ev.tid).is_none() {
                return true;
            }
            let Some(info) = ev.info() else { return false };
            let cat = info.legacy.map(|l| l.category).unwrap_or(info.category);
            if cat & (1 << 8) != 0 {
                return false;
            }
            let lat = c.meta.latency;
            write_human_time(o, lat);
        }
        Fid::EvtInfo | Fid::EvtArgs => {
            let ro = c.scratch.render;
            render::render_info_with(ev, c.state, &ro, o, &mut c.scratch.res);
        }
        Fid::EvtArg => {
            let idx = match &f.arg {
                FieldArg::Index(i) => {
                    if *i < 0 {
                        return false;
                    }
                    *i as usize
                }
                FieldArg::Name(n) => match render::param_index(ev, n) {
                    Some(i) => i,
                    None => return false,
                },
                FieldArg::None => return false,
            };
            if idx >= ev.nparams as usize {
                return false;
            }
            let ro = c.scratch.render;
            if !render::render_param(ev, idx, c.state, &ro, o) {
                return false;
            }
        }
        _ => return false,
    }
    true
}

/// Decimal text of `v` (what `{}` prints), without core::fmt.
#[inline]
pub(crate) fn push_u64(o: &mut Vec<u8>, v: u64) {
    crate::event::render::push_num(o, v);
}

/// Decimal text of `v` (what `{}` prints), without core::fmt.
#[inline]
pub(crate) fn push_i64(o: &mut Vec<u8>, v: i64) {
    if v < 0 {
        o.push(b'-');
    }
    push_u64(o, v.unsigned_abs());
}

/// `v` zero-padded to at least `width` digits (`{:0width$}` of an unsigned).
#[inline]
fn push_padded(o: &mut Vec<u8>, v: u64, width: usize) {
    if width <= 20 {
        // Digits from the right into a zero-filled buffer: one pass, one copy.
        let mut buf = [b'0'; 20];
        let (mut n, mut x) = (0, v);
        while x != 0 {
            n += 1;
            buf[20 - n] = b'0' + (x % 10) as u8;
            x /= 10;
        }
        o.extend_from_slice(&buf[20 - n.max(width).max(1)..]);
        return;
    }
    let mut digits = 1;
    let mut x = v / 10;
    while x != 0 {
        digits += 1;
        x /= 10;
    }
    for _ in digits..width {
        o.push(b'0');
    }
    push_u64(o, v);
}

/// `YYYY-MM-DD ` (what `{:04}-{:02}-{:02} ` prints), without core::fmt for
/// the years that have four digits.
fn write_date(o: &mut Vec<u8>, year: i32, mon: u32, mday: u32) {
    if (0..=9999).contains(&year) {
        push_padded(o, year as u64, 4);
    } else {
        let _ = write!(o, "{year:04}");
    }
    o.push(b'-');
    push_padded(o, mon as u64, 2);
    o.push(b'-');
    push_padded(o, mday as u64, 2);
    o.push(b' ');
}

/// `HH:MM:SS` (each at least two digits).
#[inline]
fn write_hms(o: &mut Vec<u8>, h: u32, m: u32, s: u32) {
    push_padded(o, h as u64, 2);
    o.push(b':');
    push_padded(o, m as u64, 2);
    o.push(b':');
    push_padded(o, s as u64, 2);
}

fn write_outputtime(c: &mut EvalCtx<'_>, o: &mut Vec<u8>) {
    use crate::fields::TimeType;
    let ts = c.ev.ts;
    match c.scratch.time_type {
        TimeType::Human => {
            let lt = local_time(&mut c.scratch.tm, (ts / 1_000_000_000) as i64);
            write_hms(o, lt.hour, lt.min, lt.secs);
            o.push(b'.');
            push_padded(o, ts % 1_000_000_000, 9);
        }
        TimeType::Absolute => {
            let _ = write!(o, "{}.{:09}", ts / 1_000_000_000, ts % 1_000_000_000);
        }
        TimeType::Relative => {
            let d = ts.saturating_sub(c.first_ts);
            let _ = write!(o, "{}.{:09}", d / 1_000_000_000, d % 1_000_000_000);
        }
        TimeType::Delta => {
            // The thread's enter/exit latency (0 on enter events and
            // without a thread), as sysdig's `-t d`.
            let d = c.meta.latency;
            let _ = write!(o, "{}.{:09}", d / 1_000_000_000, d % 1_000_000_000);
        }
        TimeType::DeltaSameThread => {
            let prev = if c.scratch.prev_ts == 0 { ts } else { c.scratch.prev_ts };
            let d = ts.saturating_sub(prev);
            let _ = write!(o, "{}.{:09}", d / 1_000_000_000, d % 1_000_000_000);
        }
    }
}

/// sysdig's human-readable duration (format_time: `3.43us`, `12ms`, `1.50s`, `2:05`...).
pub fn write_human_time(o: &mut Vec<u8>, val: u64) {
    const S: u64 = 1_000_000_000;
    let u = |x: u64| x as u32;
    let _ = if val >= 3600 * S {
        write!(o, "{:02}:{:02}:{:02}", u(val / (3600 * S)), u((val / (60 * S)) % 60), u((val / S) % 60))
    } else if val >= 60 * S {
        write!(o, "{}:{}", u(val / (60 * S)), u((val / S) % 60))
    } else if val >= S {
        write!(o, "{}.{:02}s", u(val / S), u((val % S) / 10_000_000))
    } else if val >= S / 100 {
        write!(o, "{}ms", u(val / 1_000_000))
    } else if val >= S / 1000 {
        write!(o, "{}.{:02}ms", u(val / 1_000_000), u((val % 1_000_000) / 10_000))
    } else if val >= S / 100_000 {
        write!(o, "{}us", u(val / 1000))
    } else if val >= S / 1_000_000 {
        write!(o, "{}.{:02}us", u(val / 1000), u((val % 1000) / 10))
    } else {
        write!(o, "{}ns", u(val))
    };
}

fn utc_parts(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32)
}

/// Formats an IPv6 address the way inet_ntop does.
pub fn write_ipv6(o: &mut Vec<u8>, a: &[u8; 16]) {
    let _ = write!(o, "{}", std::net::Ipv6Addr::from(*a));
}

/// Appends the text form of a value of type `t` printed with format `pf`,
/// as libsinsp's rawval_to_string does. Returns false when sysdig prints
/// nothing (NULL) for that type/format pair.
pub fn write_val(o: &mut Vec<u8>, v: &Val<'_>, t: FType, pf: PFmt) -> bool {
    use FType as T;
    let int = |v: &Val<'_>| -> i64 { v.as_i64().unwrap_or(0) };
    match t {
        T::Int8 | T::Int16 | T::Int32 | T::Int64 | T::Pid | T::Errno | T::Fd => {
            let n = int(v);
            let _ = match (t, pf) {
                (_, PFmt::Oct) => write!(o, "{:o}", n),
                (T::Int8, PFmt::Hex) => write!(o, "{:X}", n as i8),
                (T::Int16, PFmt::Hex) => write!(o, "{:X}", n as i16),
                (T::Int32, PFmt::Hex) => write!(o, "{:X}", n as i32),
                (_, PFmt::Hex) => write!(o, "{:X}", n),
                (T::Int64 | T::Pid | T::Errno | T::Fd, PFmt::Padded) => write!(o, "{:09}", n),
                (T::Int64 | T::Pid | T::Errno | T::Fd, _) | (_, PFmt::Dec | PFmt::Id) => {
                    push_i64(o, n);
                    Ok(())
                }
                _ => return false,
            };
            true
        }
        T::Uint8 | T::Uint16 | T::Uint32 | T::Port | T::L4Proto => {
            let n = v.as_u64().unwrap_or(0);
            let _ = match pf {
                PFmt::Oct => write!(o, "{:o}", n),
                PFmt::Dec | PFmt::Id | PFmt::Hex => {
                    push_u64(o, n);
                    Ok(())
                }
                _ => return false,
            };
            true
        }
        T::Uint64 | T::RelTime | T::AbsTime => {
            let n = v.as_u64().unwrap_or(0);
            let _ = match pf {
                PFmt::Oct => write!(o, "{:o}", n),
                PFmt::Dec | PFmt::Id => {
                    push_u64(o, n);
                    Ok(())
                }
                PFmt::Padded => write!(o, "{:09}", n),
                PFmt::Hex => write!(o, "{:X}", n),
                _ => return false,
            };
            true
        }
        T::Bool => {
            let b = v.as_u64().unwrap_or(0) != 0;
            o.extend_from_slice(if b { b"true" } else { b"false" });
            true
        }
        T::SigSet => false,
        T::Double => {
            let d = match v {
                Val::F64(d) => *d,
                other => other.as_i64().unwrap_or(0) as f64,
            };
            let _ = write!(o, "{d:.1}");
            true
        }
        _ => {
            match v {
                Val::U64(n) => push_u64(o, *n),
                Val::I64(n) => push_i64(o, *n),
                Val::Bool(b) => o.extend_from_slice(if *b { b"true" } else { b"false" }),
                Val::F64(d) => {
                    let _ = write!(o, "{d:.1}");
                }
                Val::Str(s) => o.extend_from_slice(s),
                Val::String(s) => o.extend_from_slice(s),
                Val::Ipv4(a) => {
                    let _ = write!(o, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
                }
                Val::Ipv6(a) => write_ipv6(o, a),
            }
            true
        }
    }
}

/// The type and print format a field's value is printed with (`evt.rawarg`
/// takes its parameter's type, keeping PF_NA).
pub(crate) fn print_type(_c: &EvalCtx<'_>, f: &Field) -> (FType, PFmt) {
    if f.id == Fid::EvtRawarg {
        // libsinsp takes the type of the first parameter of that name in
        // the whole event table (find_longest_matching_evt_param).
        if let FieldArg::Name(n) = &f.arg {
            for e in crate::event::table::all_events() {
                if let Some(p) = e.params.iter().map(|p| p.sysdig()).find(|p| p.name == n) {
                    return (rawarg_type(p.ptype), PFmt::Na);
                }
            }
        }
        return (FType::CharBuf, PFmt::Na);
    }
    (f.def.ftype, f.def.pfmt)
}

fn rawarg_type(t: crate::event::table::ParamType) -> FType {
    use crate::event::table::ParamType as P;
    match t {
        P::Int8 => FType::Int8,
        P::Int16 => FType::Int16,
        P::Int32 | P::Fd32 | P::Pid32 => FType::Int32,
        P::Int64 | P::Pid | P::Errno => FType::Int64,
        P::Uint8 => FType::Uint8,
        P::Uint16 | P::Port => FType::Uint16,
        P::Uint32 => FType::Uint32,
        P::Uint64 => FType::Uint64,
        P::RelTime => FType::RelTime,
        P::AbsTime => FType::AbsTime,
        P::Bool => FType::Bool,
        P::Ipv4Addr => FType::Ipv4Addr,
        P::Ipv6Addr => FType::Ipv6Addr,
        P::L4Proto => FType::L4Proto,
        P::Double => FType::Double,
        P::CharBuf | P::FsPath | P::FsRelPath | P::ByteBuf => FType::CharBuf,
        // Types rawval_to_string cannot print (sysdig throws "wrong event type").
        _ => FType::SigSet,
    }
}

/// Appends a field as `-p` prints it; false when unavailable (sysdig's NULL).
pub fn format_field(c: &mut EvalCtx<'_>, f: &Field, out: &mut Vec<u8>) -> bool {
    if f.id == Fid::EvtBuffer {
        // Printed as the rendered `data` parameter (filters see the raw bytes).
        let ev = c.ev;
        let Some(i) = render::param_index(ev, "data") else { return false };
        let ro = c.scratch.render;
        let mut res = Vec::new();
        return render::render_param_parts(ev, i, c.state, &ro, out, &mut res);
    }
    let (t, pf) = print_type(c, f);
    let mark = out.len();
    if t == FType::CharBuf && is_text_field(f.id) {
        // Written straight into the line (write_val would copy the text as is).
        if write_text_field(c, f, out) {
            return true;
        }
        out.truncate(mark);
        return false;
    }
    match c.extract(f) {
        Some(v) => {
            if write_val(out, &v, t, pf) {
                true
            } else {
                out.truncate(mark);
                false
            }
        }
        None => false,
    }
}

/// Prints the field catalog like `sysdig -l` (`-l -v`, `--list-markdown`).
pub fn list_fields(out: &mut dyn Write, verbose: bool, markdown: bool) -> io::Result<()> {
    const COL: usize = 30;
    for (ci, class) in CLASSES.iter().enumerate() {
        if class.hidden {
            continue;
        }
        let fields = FIELDS
            .iter()
            .filter(|d| d.class == ci && !d.flags.contains(FieldFlags::PRINT_ONLY) && !d.flags.contains(FieldFlags::TABLE_ONLY));
        if markdown {
            write!(out, "\n## Field Class: {}\n\n{}\n\n", class.name, class.desc)?;
            write!(out, "Name | Type | Description\n:----|:-----|:-----------\n")?;
            for d in fields {
                writeln!(out, "`{}` | {} | {}", d.name, d.ftype.name(), d.desc)?;
            }
            continue;
        }
        let mut o = String::new();
        o.push_str("-------------------------------\n");
        o.push_str(&format!("{:<COL$}{}", "Field Class:", class.name));
        if !class.shortdesc.is_empty() {
            o.push_str(&format!(" ({})", class.shortdesc));
        }
        o.push('\n');
        if !class.desc.is_empty() {
            o.push_str(&format!("{:<COL$}", "Description:"));
            wrap(&mut o, class.desc);
            o.push('\n');
        }
        o.push('\n');
        for d in fields {
            if d.name.len() > COL {
                o.push_str(d.name);
                o.push('\n');
                o.push_str(&" ".repeat(COL));
            } else {
                o.push_str(&format!("{:<COL$}", d.name));
            }
            let mut desc = String::new();
            if verbose {
                desc.push_str(&format!("(Type: {}) ", d.ftype.name()));
            }
            if d.flags.contains(FieldFlags::FILTER_ONLY) {
                desc.push_str("(FILTER ONLY) ");
            }
            desc.push_str(d.desc);
            wrap(&mut o, &desc);
            o.push('\n');
        }
        // sysdig prints each class followed by an empty line.
        o.push('\n');
        out.write_all(o.as_bytes())?;
    }
    Ok(())
}

/// Appends `text` word by word (each followed by a space), breaking lines
/// so that the right block stays within 90 columns, like libsinsp's wrapstring.
fn wrap(o: &mut String, text: &str) {
    const COL: usize = 30;
    const WIDTH: usize = 120;
    let mut len = 0;
    for w in text.split_ascii_whitespace() {
        let wl = w.len() + 1;
        if len + wl <= WIDTH - COL {
            len += wl;
        } else {
            o.push('\n');
            o.push_str(&" ".repeat(COL));
            len = wl;
        }
        o.push_str(w);
        o.push(' ');
    }
}

/// Appends a field as `-j` prints it (libsinsp's tojson: extract_as_js,
/// then rawval_to_json). Returns false for JSON `null`.
pub fn json_field(c: &mut EvalCtx<'_>, f: &Field, out: &mut Vec<u8>) -> bool {
    use Fid::*;
    let ts = c.ev.ts;
    match f.id {
        EvtTime | EvtTimeS | EvtTimeIso8601 | EvtDatetime | EvtDatetimeS | EvtOutputtime => {
            let _ = write!(out, "{}", ts as i64);
            return true;
        }
        // Extracted twice per event by sysdig's JSON formatter: the second
        // extraction sees no time elapsed.
        EvtDeltatime | EvtDeltatimeS | EvtDeltatimeNs => {
            out.push(b'0');
            return true;
        }
        EvtRawtime | EvtRawtimeS | EvtRawtimeNs | EvtReltime | EvtReltimeS | EvtReltimeNs | EvtLatency
        | EvtLatencyS | EvtLatencyNs => {
            return match c.extract(f).and_then(|v| v.as_u64()) {
                Some(n) => {
                    let _ = write!(out, "{}", n as i64);
                    true
                }
                None => false,
            };
        }
        EvtCount => {
            out.push(b'1');
            return true;
        }
        EvtBuffer => {
            let mut text = Vec::new();
            if !format_field(c, f, &mut text) {
                return false;
            }
            json_string(out, &text);
            return true;
        }
        _ => {}
    }
    let (t, pf) = print_type(c, f);
    let Some(v) = c.extract(f) else { return false };
    use FType as T;
    let number = match t {
        T::Int8 | T::Int16 | T::Int32 | T::Uint8 | T::Uint16 | T::Uint32 | T::Port | T::L4Proto => match pf {
            PFmt::Dec | PFmt::Id => true,
            PFmt::Oct | PFmt::Hex => false,
            _ => return false,
        },
        T::Int64 | T::Pid => matches!(pf, PFmt::Dec | PFmt::Id),
        T::Uint64 | T::RelTime | T::AbsTime => match pf {
            PFmt::Dec | PFmt::Id => true,
            PFmt::Padded | PFmt::Oct | PFmt::Hex => false,
            _ => return false,
        },
        T::Bool => {
            let b = v.as_u64().unwrap_or(0) != 0;
            out.extend_from_slice(if b { b"true" } else { b"false" });
            return true;
        }
        T::CharBuf | T::FsPath | T::ByteBuf | T::Ipv4Addr | T::Ipv6Addr | T::IpAddr => false,
        // rawval_to_json has no case for these (sysdig throws).
        _ => return false,
    };
    let mut text = Vec::new();
    if !write_val(&mut text, &v, t, pf) {
        return false;
    }
    if number {
        out.extend_from_slice(&text);
    } else {
        json_string(out, &text);
    }
    true
}

/// Appends `s` as a JSON string literal (jsoncpp-style escaping).
pub fn json_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &ch in s {
        match ch {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            c if c < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c);
            }
            c => out.push(c),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn padded_numbers_are_what_format_prints() {
        for &v in &[0u64, 7, 42, 999, 1000, 123_456_789, 999_999_999, u64::MAX] {
            for w in [1usize, 2, 4, 9, 20, 21, 25] {
                let mut o = Vec::new();
                super::push_padded(&mut o, v, w);
                assert_eq!(String::from_utf8(o).unwrap(), format!("{v:0w$}"));
            }
        }
        let mut o = Vec::new();
        super::write_date(&mut o, 2026, 3, 9);
        super::write_date(&mut o, 12026, 11, 30);
        assert_eq!(o, b"2026-03-09 12026-11-30 ");
    }
}
