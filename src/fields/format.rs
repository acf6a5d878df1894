//! Text form of fields (as `-p` prints them), text-only fields (evt.info,
//! time strings...) and the `-l` listing.

use std::io::{self, Write};

use super::catalog::{FieldFlags, FType, FIELDS, CLASSES};
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
    let lt = LocalTime {
        sec,
        year: tm.tm_year + 1900,
        mon: (tm.tm_mon + 1) as u32,
        mday: tm.tm_mday as u32,
        hour: tm.tm_hour as u32,
        min: tm.tm_min as u32,
        secs: tm.tm_sec as u32,
        valid: ok,
    };
    *cache = lt;
    lt
}

/// Text-only fields not covered by typed extraction.
pub(crate) fn extract_text_field<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let mut o: Vec<u8> = Vec::new();
    match f.id {
        Fid::EvtTime | Fid::EvtTimeS | Fid::EvtDatetime | Fid::EvtDatetimeS => {
            let lt = local_time(&mut c.scratch.tm, (ev.ts / 1_000_000_000) as i64);
            if matches!(f.id, Fid::EvtDatetime | Fid::EvtDatetimeS) {
                let _ = write!(o, "{:04}-{:02}-{:02} ", lt.year, lt.mon, lt.mday);
            }
            let _ = write!(o, "{:02}:{:02}:{:02}", lt.hour, lt.min, lt.secs);
            if matches!(f.id, Fid::EvtTime | Fid::EvtDatetime) {
                let _ = write!(o, ".{:09}", ev.ts % 1_000_000_000);
            }
        }
        Fid::EvtTimeIso8601 => {
            let secs = (ev.ts / 1_000_000_000) as i64;
            let (y, m, d, hh, mm, ss) = utc_parts(secs);
            let _ = write!(o, "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{:09}Z", ev.ts % 1_000_000_000);
        }
        Fid::EvtOutputtime => write_outputtime(c, &mut o),
        Fid::EvtLatencyHuman => {
            if ev.is_enter() {
                o.extend_from_slice(b"0ns");
            } else {
                write_human_time(&mut o, c.meta.latency);
            }
        }
        Fid::EvtInfo | Fid::EvtArgs => {
            if ev.etype == GENERIC_E || ev.etype == GENERIC_X {
                return Some(Val::Str(b""));
            }
            let ro = c.scratch.render;
            render::render_info(ev, c.state, &ro, &mut o);
        }
        Fid::EvtArg => {
            let idx = match &f.arg {
                FieldArg::Index(i) => *i as usize,
                FieldArg::Name(n) => render::param_index(ev, n)?,
                FieldArg::None => return None,
            };
            if idx >= ev.nparams as usize {
                return None;
            }
            let ro = c.scratch.render;
            if !render::render_param(ev, idx, c.state, &ro, &mut o) {
                return None;
            }
        }
        _ => return None,
    }
    Some(Val::String(o))
}

const GENERIC_E: u16 = 0;
const GENERIC_X: u16 = 1;

fn write_outputtime(c: &mut EvalCtx<'_>, o: &mut Vec<u8>) {
    use crate::runner::TimeType;
    let ts = c.ev.ts;
    match c.scratch.time_type {
        TimeType::Human => {
            let lt = local_time(&mut c.scratch.tm, (ts / 1_000_000_000) as i64);
            let _ = write!(o, "{:02}:{:02}:{:02}.{:09}", lt.hour, lt.min, lt.secs, ts % 1_000_000_000);
        }
        TimeType::Absolute => {
            let _ = write!(o, "{}.{:09}", ts / 1_000_000_000, ts % 1_000_000_000);
        }
        TimeType::Relative => {
            let d = ts.saturating_sub(c.first_ts);
            let _ = write!(o, "{}.{:09}", d / 1_000_000_000, d % 1_000_000_000);
        }
        TimeType::Delta | TimeType::DeltaSameThread => {
            let prev = if c.scratch.prev_ts == 0 { ts } else { c.scratch.prev_ts };
            let d = ts.saturating_sub(prev);
            let _ = write!(o, "{}.{:09}", d / 1_000_000_000, d % 1_000_000_000);
        }
    }
}

/// sysdig's human-readable duration (`10.3ms`, `2.50s`, `300ns`...).
pub fn write_human_time(o: &mut Vec<u8>, ns: u64) {
    if ns >= 3_600_000_000_000 {
        let _ = write!(o, "{:.2}h", ns as f64 / 3_600_000_000_000.0);
    } else if ns >= 60_000_000_000 {
        let _ = write!(o, "{:.2}m", ns as f64 / 60_000_000_000.0);
    } else if ns >= 1_000_000_000 {
        let _ = write!(o, "{:.2}s", ns as f64 / 1_000_000_000.0);
    } else if ns >= 1_000_000 {
        let _ = write!(o, "{:.2}ms", ns as f64 / 1_000_000.0);
    } else if ns >= 1_000 {
        let _ = write!(o, "{:.2}us", ns as f64 / 1_000.0);
    } else {
        let _ = write!(o, "{ns}ns");
    }
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

/// Appends the text form of a value of type `t`.
pub fn write_val(o: &mut Vec<u8>, v: &Val<'_>, t: FType) {
    match v {
        Val::U64(n) => {
            let _ = write!(o, "{n}");
        }
        Val::I64(n) => {
            let _ = write!(o, "{n}");
        }
        Val::Bool(b) => {
            if t == FType::Bool {
                o.extend_from_slice(if *b { b"true" } else { b"false" });
            } else {
                let _ = write!(o, "{}", *b as u8);
            }
        }
        Val::F64(d) => {
            let _ = write!(o, "{d:.2}");
        }
        Val::Str(s) => o.extend_from_slice(s),
        Val::String(s) => o.extend_from_slice(s),
        Val::Ipv4(a) => {
            let _ = write!(o, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
        }
        Val::Ipv6(a) => write_ipv6(o, a),
    }
}

/// Appends a field as `-p` prints it; false when unavailable.
pub fn format_field(c: &mut EvalCtx<'_>, f: &Field, out: &mut Vec<u8>) -> bool {
    let t = f.def.ftype;
    match c.extract(f) {
        Some(v) => {
            write_val(out, &v, t);
            true
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
