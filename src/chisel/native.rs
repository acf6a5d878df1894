//! Native accumulation for the bundled top-N tables (`rchisel_topn.lua`).
//!
//! The Lua table sums one numeric field per key (the key fields' texts joined
//! by a separator). Calling into Lua for every event dominates such chisels,
//! so the table may hand its fields to the host (`chisel.native_topn`): the
//! host then sums per event, exactly as the Lua code does (same keys, same
//! float additions in the same order), and gives the rows back as a Lua table
//! when the chisel renders (`chisel.native_topn_take`).
//!
//! [`Native`] holds every such per-event job a chisel handed to the host:
//! the top-N table and the jobs of [`super::hooks`] (printing a line per
//! event, keeping the slowest calls).

use mlua::{Function, Lua, Table};
use rustc_hash::{FxHashMap, FxHashSet};

use super::line::push_lua_text;
use crate::fields::{EvalCtx, FType, Field, Val};

/// The per-event work a chisel handed to the host. The host runs it for
/// every event that passes the chisel's filter, before `on_event`, which it
/// skips when [`Native::skip_on_event`] is set.
#[derive(Default)]
pub struct Native {
    /// Set when every job says `on_event` has nothing left to do.
    pub skip_on_event: bool,
    /// `chisel.native_topn` / `chisel.native_distinct`.
    pub topn: Option<NativeTopn>,
    /// `chisel.native_print`.
    pub print: Option<super::hooks::PrintEach>,
    /// `chisel.native_slowest`.
    pub slowest: Option<super::hooks::Slowest>,
    /// `chisel.native_rows`.
    pub rows: Option<super::rows::NativeRows>,
    /// `chisel.native_io_bytes`.
    pub iobytes: Option<super::iobytes::IoBytes>,
    /// `chisel.native_http_calls`.
    pub http: Option<super::http::HttpCalls>,
}

impl Native {
    /// Runs every job on the current event.
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        if let Some(t) = &mut self.topn {
            t.add(ctx, fields)?;
        }
        if let Some(p) = &mut self.print {
            p.add(ctx, fields)?;
        }
        if let Some(s) = &mut self.slowest {
            s.add(ctx, fields)?;
        }
        if let Some(r) = &mut self.rows {
            r.add(ctx, fields)?;
        }
        if let Some(io) = &mut self.iobytes {
            io.add(ctx, fields)?;
        }
        if let Some(h) = &mut self.http {
            h.add(ctx, fields)?;
        }
        Ok(())
    }

    /// Recomputes [`Native::skip_on_event`] after a job was installed: set
    /// when each job replaces `on_event` (a top-N table may not).
    pub fn update_skip(&mut self) {
        self.skip_on_event = self.topn.as_ref().is_none_or(|t| t.skip_on_event)
            && (self.topn.is_some()
                || self.print.is_some()
                || self.slowest.is_some()
                || self.rows.is_some()
                || self.iobytes.is_some()
                || self.http.is_some());
    }
}

/// Distinct-count state: the counted fields, and the key + fields texts seen.
type Distinct = (Vec<usize>, FxHashSet<Box<[u8]>>);

/// One natively kept top-N table.
pub struct NativeTopn {
    /// Key fields (indexes into the chisel's requested fields).
    keys: Vec<usize>,
    /// Value field index.
    value: usize,
    /// Text between key parts.
    sep: Vec<u8>,
    /// `common.str`, for key values that are numbers (their text is Lua's).
    str_fn: Function,
    /// Sums by key.
    rows: FxHashMap<Box<[u8]>, f64>,
    /// Reusable key buffer.
    key: Vec<u8>,
    /// Set when `on_event` only forwards to the table: the host skips it.
    skip_on_event: bool,
    /// Distinct-count mode ([`NativeTopn::count_distinct`]): the fields, and
    /// the key + fields texts seen.
    distinct: Option<Distinct>,
    /// Scaled mode ([`NativeTopn::scaled`]): every event adds value * this.
    scale: Option<f64>,
}

/// True for catalog types whose values reach Lua as numbers (not booleans,
/// not strings): the only value fields the native path takes.
pub fn numeric_type(t: FType) -> bool {
    use FType as T;
    matches!(
        t,
        T::Int8 | T::Int16 | T::Int32 | T::Int64 | T::Uint8 | T::Uint16 | T::Uint32 | T::Uint64
            | T::RelTime | T::AbsTime | T::Double | T::Errno | T::Fd | T::Pid | T::Port
            | T::SyscallId | T::Uid | T::Gid
    )
}

/// True when `f`'s values reach Lua as numbers: a numeric catalog type, or
/// `evt.rawarg.NAME` (typed by the event's parameter; a string value there
/// makes [`NativeTopn::add`] fail as Lua's `v > 0` would).
pub fn numeric_value(f: &Field) -> bool {
    numeric_type(f.def.ftype) || f.id == crate::fields::Fid::EvtRawarg
}

/// The current event's value of `f` as the number a chisel's `v > 0` sees:
/// None when the field is missing; the error Lua's comparison raises for a
/// boolean or a string (only `evt.rawarg.NAME` among [`numeric_value`]
/// fields can give those).
pub fn lua_number(ctx: &mut EvalCtx<'_>, f: &Field) -> Option<mlua::Result<f64>> {
    Some(match ctx.extract(f)? {
        Val::I64(i) if f.def.ftype != FType::Bool => Ok(i as f64),
        Val::U64(u) if f.def.ftype != FType::Bool => Ok(u as f64),
        Val::F64(x) => Ok(x),
        Val::Bool(_) | Val::I64(_) | Val::U64(_) => Err(mlua::Error::runtime("attempt to compare number with boolean")),
        _ => Err(mlua::Error::runtime("attempt to compare number with string")),
    })
}

impl NativeTopn {
    /// A table over the given field indexes.
    pub fn new(keys: Vec<usize>, value: usize, sep: Vec<u8>, str_fn: Function, skip_on_event: bool) -> NativeTopn {
        NativeTopn { keys, value, sep, str_fn, rows: FxHashMap::default(), key: Vec::new(), skip_on_event, distinct: None, scale: None }
    }

    /// Counts distinct values instead of summing: a row's value is the
    /// number of different `fields` texts (joined) seen with its key, and
    /// an event counts only when every one of them is there, numbers above
    /// zero and strings not empty (fdcount_by: fd.num and fd.name).
    pub fn count_distinct(&mut self, fields: Vec<usize>) {
        self.distinct = Some((fields, FxHashSet::default()));
    }

    /// Sums `value * scale` for every event, whatever its sign (topprocs_cpu:
    /// `thread.cpu * 10^7`); a missing value fails as Lua's arithmetic on nil.
    pub fn scaled(&mut self, scale: f64) {
        self.scale = Some(scale);
    }

    /// Accounts the current event (Lua's `Table:event`): skipped when a key
    /// field is missing or the value is missing or not positive.
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        // A plain sum skips most events on their value (enter events have
        // none, failed calls are not positive): it is looked at before the
        // key is built. A value Lua's `v > 0` raises on still waits for the
        // key (no key: the Lua table returns first, without an error).
        let mut value = None;
        if self.distinct.is_none() && self.scale.is_none() {
            let Some(f) = fields.get(self.value) else { return Ok(()) };
            match lua_number(ctx, f) {
                None => return Ok(()),
                // Lua: `v > 0`; NaN waits for the key with the raising values.
                Some(Ok(v)) if v <= 0.0 => return Ok(()),
                Some(Ok(v)) if !v.is_nan() => value = Some(v),
                _ => {}
            }
        }
        if !self.build_key(ctx, fields)? {
            return Ok(());
        }
        if self.distinct.is_some() {
            return self.add_distinct(ctx, fields);
        }
        let Some(f) = fields.get(self.value) else { return Ok(()) };
        if let Some(scale) = self.scale {
            let v = match ctx.extract(f) {
                Some(Val::I64(i)) => i as f64,
                Some(Val::U64(u)) => u as f64,
                Some(Val::F64(x)) => x,
                _ => return Err(mlua::Error::runtime("attempt to perform arithmetic on a nil value")),
            } * scale;
            self.add_to_row(v);
            return Ok(());
        }
        let v = match value {
            Some(v) => v,
            None => match lua_number(ctx, f) {
                None => return Ok(()),
                Some(v) => v?,
            },
        };
        // Lua: `v > 0` (false for NaN).
        if v.is_nan() || v <= 0.0 {
            return Ok(());
        }
        self.add_to_row(v);
        Ok(())
    }

    /// Builds the current event's key (its key fields' texts joined by the
    /// separator) in `self.key`; false when a key field is missing.
    #[inline]
    fn build_key(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<bool> {
        self.key.clear();
        for (i, &k) in self.keys.iter().enumerate() {
            let Some(f) = fields.get(k) else { return Ok(false) };
            if i > 0 {
                self.key.extend_from_slice(&self.sep);
            }
            let Some(v) = ctx.extract(f) else { return Ok(false) };
            push_lua_text(&self.str_fn, &mut self.key, v, f.def.ftype)?;
        }
        Ok(true)
    }

    /// Distinct-count mode: counts the key once for each new combination of
    /// the counted fields' values (all present and non-empty / positive).
    fn add_distinct(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        let Some((dfields, seen)) = &mut self.distinct else { return Ok(()) };
        let klen = self.key.len();
        self.key.extend_from_slice(&self.sep);
        for &d in dfields.iter() {
            let Some(f) = fields.get(d) else { return Ok(()) };
            let Some(v) = ctx.extract(f) else { return Ok(()) };
            let ok = match &v {
                Val::Str(s) => !s.is_empty(),
                Val::String(s) => !s.is_empty(),
                Val::I64(i) => *i > 0,
                Val::U64(u) => *u > 0,
                Val::F64(x) => *x > 0.0,
                _ => true,
            };
            if !ok {
                return Ok(());
            }
            push_lua_text(&self.str_fn, &mut self.key, v, f.def.ftype)?;
        }
        if seen.contains(self.key.as_slice()) {
            return Ok(());
        }
        seen.insert(self.key.as_slice().into());
        self.key.truncate(klen);
        *self.rows.entry(self.key.as_slice().into()).or_insert(0.0) += 1.0;
        Ok(())
    }

    /// Adds `v` to the current key's row.
    #[inline]
    fn add_to_row(&mut self, v: f64) {
        match self.rows.get_mut(self.key.as_slice()) {
            Some(s) => *s += v,
            None => {
                self.rows.insert(self.key.as_slice().into(), v);
            }
        }
    }

    /// The rows as a Lua table (key → sum); the table starts over.
    pub fn take(&mut self, lua: &Lua) -> mlua::Result<Table> {
        let t = lua.create_table_with_capacity(0, self.rows.len())?;
        for (k, v) in self.rows.drain() {
            t.raw_set(lua.create_string(&k)?, v)?;
        }
        Ok(t)
    }
}
