//! Lines the host renders from a chisel's requested fields
//! (`chisel.request_line`), for chisels that print or keep one line per
//! event: building that line in Lua costs a Lua call and a string per event.
//!
//! A line is a list of pieces: literal text, or a requested field shown as
//! `common.str(evt.field(h))` shows it (strings as they are, numbers as Lua
//! prints them, booleans as true/false, nil as "nil" or a given text),
//! optionally transformed the way the bundled chisels transform values
//! (`common.format_bytes`, seconds.nanoseconds, a word chosen by a boolean).

use std::io::Write as _;

use mlua::{Function, LightUserData, Table, Value};

use crate::fields::{EvalCtx, FType, Fid, Field, Val};

/// How a field's value becomes text.
#[derive(Clone, Debug, PartialEq)]
pub enum Show {
    /// As `common.str(value)`.
    Text,
    /// As `common.format_bytes(value)`: "1.50KB", "2.00M", "512B"...; a
    /// value that is not a number fails as Lua's comparison would.
    Bytes,
    /// A nanosecond count as `string.format("%d.%.9d", trunc(v / 10^9),
    /// v % 10^9)`; a value that is not a number fails as Lua's arithmetic.
    Seconds,
    /// `yes` when the value is the boolean true, else `no` (nil included).
    Choice {
        /// Text for true.
        yes: Vec<u8>,
        /// Text for anything else.
        no: Vec<u8>,
    },
}

enum Piece {
    Lit(Vec<u8>),
    Field { idx: usize, show: Show, nil: Vec<u8> },
}

/// A compiled line (`chisel.request_line`).
pub struct Line {
    pieces: Vec<Piece>,
    /// Lua's `tostring`, for numbers that are not small integers.
    tostring: Function,
}

/// The field index of a field handle (handles are index + 1), if valid.
pub fn handle_index(v: &Value, nfields: usize) -> Option<usize> {
    match v {
        Value::LightUserData(LightUserData(p)) => (*p as usize).checked_sub(1).filter(|&i| i < nfields),
        _ => None,
    }
}

fn bad_part(i: usize, why: &str) -> mlua::Error {
    mlua::Error::runtime(format!("chisel.request_line: part {i}: {why}"))
}

impl Line {
    /// Compiles a line from its Lua description, an array whose items are
    /// strings (literal text), field handles (the field as `common.str`
    /// shows it), or tables `{ handle, missing = TEXT, show = "bytes" |
    /// "seconds", yes = TEXT, no = TEXT }` (`missing`: the text for a missing
    /// value, "nil" by default; `yes`/`no`: a [`Show::Choice`]).
    /// `nfields` is the number of fields requested so far.
    pub fn from_lua(parts: &Table, nfields: usize, tostring: Function) -> mlua::Result<Line> {
        let mut pieces = Vec::new();
        for (i, v) in parts.sequence_values::<Value>().enumerate() {
            let i = i + 1;
            match v? {
                Value::String(s) => pieces.push(Piece::Lit(s.as_bytes().to_vec())),
                h @ Value::LightUserData(_) => {
                    let idx = handle_index(&h, nfields).ok_or_else(|| bad_part(i, "not a field handle"))?;
                    pieces.push(Piece::Field { idx, show: Show::Text, nil: b"nil".to_vec() });
                }
                Value::Table(t) => pieces.push(Self::field_piece(i, &t, nfields)?),
                _ => return Err(bad_part(i, "a string, a field handle or a table expected")),
            }
        }
        Ok(Line { pieces, tostring })
    }

    fn field_piece(i: usize, t: &Table, nfields: usize) -> mlua::Result<Piece> {
        let idx = handle_index(&t.raw_get::<Value>(1)?, nfields).ok_or_else(|| bad_part(i, "not a field handle"))?;
        let text = |k: &str| -> mlua::Result<Option<Vec<u8>>> {
            match t.raw_get::<Value>(k)? {
                Value::Nil => Ok(None),
                Value::String(s) => Ok(Some(s.as_bytes().to_vec())),
                _ => Err(bad_part(i, &format!("{k} must be a string"))),
            }
        };
        let show = match (text("show")?.as_deref(), text("yes")?, text("no")?) {
            (None, None, None) => Show::Text,
            (Some(b"bytes"), None, None) => Show::Bytes,
            (Some(b"seconds"), None, None) => Show::Seconds,
            (None, yes, no) => Show::Choice { yes: yes.unwrap_or_default(), no: no.unwrap_or_default() },
            _ => return Err(bad_part(i, "show must be \"bytes\" or \"seconds\", without yes/no")),
        };
        Ok(Piece::Field { idx, show, nil: text("missing")?.unwrap_or_else(|| b"nil".to_vec()) })
    }

    /// Appends the line for the current event to `out`.
    pub fn render(&self, ctx: &mut EvalCtx<'_>, fields: &[Field], out: &mut Vec<u8>) -> mlua::Result<()> {
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.extend_from_slice(s),
                Piece::Field { idx, show, nil } => {
                    let Some(f) = fields.get(*idx) else { return Err(mlua::Error::runtime("invalid field handle")) };
                    if *show == Show::Text && written_text(f.id) {
                        // The text evt.field gives, written in place.
                        let mark = out.len();
                        if !ctx.format(f, out) {
                            out.truncate(mark);
                            out.extend_from_slice(nil);
                        }
                        continue;
                    }
                    let opts = ctx.scratch.render;
                    let v = ctx.extract(f);
                    match show {
                        Show::Text => match v {
                            None => out.extend_from_slice(nil),
                            // As evt.field: the buffer rendered in the current buffer format.
                            Some(v) if f.id == Fid::EvtBuffer => {
                                if let Some(b) = v.as_bytes() {
                                    crate::event::render::push_buffer(out, b, &opts);
                                } else {
                                    out.extend_from_slice(nil);
                                }
                            }
                            Some(v) => push_lua_text(&self.tostring, out, v, f.def.ftype)?,
                        },
                        Show::Choice { yes, no } => {
                            let t = matches!(lua_bool(v.as_ref(), f.def.ftype), Some(true));
                            out.extend_from_slice(if t { yes } else { no });
                        }
                        Show::Bytes => push_bytes(out, number(v.as_ref(), f.def.ftype, "compare")?),
                        Show::Seconds => push_seconds(out, number(v.as_ref(), f.def.ftype, "perform arithmetic on")?),
                    }
                }
            }
        }
        Ok(())
    }
}

/// Text fields whose value (as `evt.field` gives it) the printer writes
/// with the same text straight into the line.
fn written_text(id: Fid) -> bool {
    matches!(id, Fid::EvtArgs | Fid::EvtInfo | Fid::EvtTime | Fid::EvtTimeS | Fid::EvtDatetime | Fid::EvtDatetimeS)
}

/// Appends the decimal text of `v`.
#[inline]
pub fn push_i64(out: &mut Vec<u8>, v: i64) {
    crate::event::render::push_num(out, v);
}

/// The boolean a value reaches Lua as, if it is one.
fn lua_bool(v: Option<&Val<'_>>, t: FType) -> Option<bool> {
    match v? {
        Val::Bool(b) => Some(*b),
        Val::I64(i) if t == FType::Bool => Some(*i != 0),
        Val::U64(u) if t == FType::Bool => Some(*u != 0),
        _ => None,
    }
}

/// The number a value reaches Lua as, or the error Lua's `what` gives.
fn number(v: Option<&Val<'_>>, t: FType, what: &str) -> mlua::Result<f64> {
    if lua_bool(v, t).is_some() {
        return Err(mlua::Error::runtime(format!("attempt to {what} a boolean value")));
    }
    match v {
        Some(Val::I64(i)) => Ok(*i as f64),
        Some(Val::U64(u)) => Ok(*u as f64),
        Some(Val::F64(x)) => Ok(*x),
        None => Err(mlua::Error::runtime(format!("attempt to {what} a nil value"))),
        Some(_) => Err(mlua::Error::runtime(format!("attempt to {what} a string value"))),
    }
}

/// C's `snprintf(fmt, v)` with one double argument, appended to `out`.
fn push_printf(out: &mut Vec<u8>, fmt: &std::ffi::CStr, v: f64) {
    let mut buf = [0u8; 64];
    // SAFETY: snprintf writes at most buf.len() bytes, NUL-terminated; the
    // format takes exactly one double.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr() as *mut libc::c_char, buf.len(), fmt.as_ptr(), v) };
    out.extend_from_slice(&buf[..(n.max(0) as usize).min(buf.len() - 1)]);
}

/// `common.format_bytes(v)`.
pub fn push_bytes(out: &mut Vec<u8>, v: f64) {
    const KB: f64 = 1024.0;
    const MB: f64 = KB * 1024.0;
    const GB: f64 = MB * 1024.0;
    const TB: f64 = GB * 1024.0;
    const PB: f64 = TB * 1024.0;
    let (div, fmt) = if v > PB {
        (PB, c"%.2fP")
    } else if v > TB {
        (TB, c"%.2fT")
    } else if v > GB {
        (GB, c"%.2fG")
    } else if v > MB {
        (MB, c"%.2fM")
    } else if v > KB {
        (KB, c"%.2fKB")
    } else {
        push_i64(out, super::rows::jit_int(v));
        out.push(b'B');
        return;
    };
    // "%.2f" rounds ties away from zero in LuaJIT (1152 bytes: 1.13KB).
    push_printf(out, fmt, super::rows::jit_tiefix(v / div, 2));
}

/// `string.format("%d.%.9d", trunc(v / 10^9), v % 10^9)` (Lua's floored modulo).
pub fn push_seconds(out: &mut Vec<u8>, v: f64) {
    const S: f64 = 1e9;
    let secs = (v / S).trunc();
    let ns = v - (v / S).floor() * S;
    let _ = write!(out, "{}.{:09}", secs as i64, ns as i64);
}

/// Appends the text `common.str` gives for the field value `v` of type `t`;
/// numbers as [`super::rows::number_text`] writes them (`tostring` is
/// Lua's, for the numbers it leaves to Lua).
pub fn push_lua_text(tostring: &Function, out: &mut Vec<u8>, v: Val<'_>, t: FType) -> mlua::Result<()> {
    let tf = |on: bool| -> &'static [u8] { if on { b"true" } else { b"false" } };
    match v {
        Val::Str(s) => out.extend_from_slice(s),
        Val::String(s) => out.extend_from_slice(&s),
        Val::Bool(b) => out.extend_from_slice(tf(b)),
        Val::I64(i) if t == FType::Bool => out.extend_from_slice(tf(i != 0)),
        Val::U64(u) if t == FType::Bool => out.extend_from_slice(tf(u != 0)),
        Val::Ipv4(b) => out.extend_from_slice(std::net::Ipv4Addr::from(b).to_string().as_bytes()),
        Val::Ipv6(b) => out.extend_from_slice(std::net::Ipv6Addr::from(b).to_string().as_bytes()),
        Val::I64(i) => return super::rows::number_text(i as f64, out, tostring),
        Val::U64(u) => return super::rows::number_text(u as f64, out, tostring),
        Val::F64(x) => return super::rows::number_text(x, out, tostring),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{push_bytes, push_seconds};

    fn bytes(v: f64) -> String {
        let mut o = Vec::new();
        push_bytes(&mut o, v);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn bytes_as_format_bytes() {
        assert_eq!(bytes(0.0), "0B");
        assert_eq!(bytes(1024.0), "1024B");
        assert_eq!(bytes(1536.0), "1.50KB");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0 + 1.0), "3.00M");
        assert_eq!(bytes(-5.0), "-5B");
    }

    #[test]
    fn integers_in_decimal() {
        let mut o = Vec::new();
        for v in [0, 7, -7, 1234567890, i64::MIN, i64::MAX] {
            super::push_i64(&mut o, v);
            o.push(b' ');
        }
        assert_eq!(String::from_utf8(o).unwrap(), "0 7 -7 1234567890 -9223372036854775808 9223372036854775807 ");
    }

    #[test]
    fn seconds_split_at_the_decimal_point() {
        let mut o = Vec::new();
        push_seconds(&mut o, 1_000_000_123.0);
        push_seconds(&mut o, 42.0);
        assert_eq!(String::from_utf8(o).unwrap(), "1.0000001230.000000042");
    }
}
