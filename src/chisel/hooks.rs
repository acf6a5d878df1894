//! Per-event jobs a bundled chisel hands to the host instead of doing them
//! in `on_event` (rchisel extensions to the chisel API; sysdig has none of
//! these, so chisels check that they exist and keep a Lua path):
//!
//! - `chisel.request_line(parts)` → handle: a [`Line`] rendered by the host;
//!   `evt.line(handle)` gives it for the current event;
//! - `chisel.native_print(line)`: prints the line for every event that
//!   passes the chisel's filter ([`PrintEach`]); `on_event` is skipped;
//! - `chisel.native_slowest(n, value, key, mark, line)` and
//!   `chisel.native_slowest_take()`: the `n` events with the largest value
//!   ([`Slowest`], the bottlenecks chisel); `on_event` is skipped.
//!
//! Each returns false (or nil) when its arguments do not fit, and the chisel
//! then does the work in Lua.

use std::rc::Rc;

use mlua::{Lua, Table, Value};
use rustc_hash::FxHashMap;

use super::line::{handle_index, push_lua_text, Line};
use super::native::Native;
use super::shared::{Global, Shared};
use crate::fields::{EvalCtx, FType, Field, Val};

/// Prints a line for every event (`chisel.native_print`).
pub struct PrintEach {
    line: Rc<Line>,
    global: Rc<Global>,
    buf: Vec<u8>,
}

impl PrintEach {
    /// Prints the line of the current event, as Lua's `print` would.
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        self.buf.clear();
        self.line.render(ctx, fields, &mut self.buf)?;
        self.buf.push(b'\n');
        self.global.write(&self.buf).map_err(mlua::Error::external)
    }
}

/// The `n` events with the largest value of a numeric field, each with the
/// line of the latest event of its key whose value was zero
/// (`chisel.native_slowest`). With `evt.latency` and `thread.tid`: the
/// slowest system calls, each after the enter event of its thread that
/// preceded it.
///
/// As the Lua code it replaces: an event whose value is 0 renders the
/// `mark` line and keeps it for its key; an event with another value goes
/// before the first kept event it is strictly larger than (or at the end
/// while fewer than `n` are kept) with its own `line` and the mark of its
/// key (if any); events without the value, or without the key, count for
/// nothing.
pub struct Slowest {
    n: usize,
    value: usize,
    key: usize,
    mark: Rc<Line>,
    line: Rc<Line>,
    tostring: mlua::Function,
    /// Latest mark line by key text.
    marks: FxHashMap<Box<[u8]>, Vec<u8>>,
    /// (value, mark, line), largest first.
    rows: Vec<(f64, Option<Vec<u8>>, Vec<u8>)>,
    keybuf: Vec<u8>,
}

impl Slowest {
    /// Accounts the current event.
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        let (Some(vf), Some(kf)) = (fields.get(self.value), fields.get(self.key)) else { return Ok(()) };
        let v = match ctx.extract(vf) {
            None => return Ok(()),
            Some(Val::I64(i)) if vf.def.ftype != FType::Bool => i as f64,
            Some(Val::U64(u)) if vf.def.ftype != FType::Bool => u as f64,
            Some(Val::F64(x)) => x,
            Some(_) => return Err(mlua::Error::runtime("attempt to compare a non-number value")),
        };
        let pos = if v == 0.0 {
            None
        } else {
            match (0..self.n).find(|&j| j >= self.rows.len() || v > self.rows[j].0) {
                Some(p) => Some(p),
                None => return Ok(()),
            }
        };
        self.keybuf.clear();
        match ctx.extract(kf) {
            Some(k) => push_lua_text(&self.tostring, &mut self.keybuf, k, kf.def.ftype)?,
            None => return Ok(()),
        }
        let Some(pos) = pos else {
            match self.marks.get_mut(self.keybuf.as_slice()) {
                Some(m) => {
                    m.clear();
                    self.mark.render(ctx, fields, m)?;
                }
                None => {
                    let mut m = Vec::new();
                    self.mark.render(ctx, fields, &mut m)?;
                    self.marks.insert(self.keybuf.as_slice().into(), m);
                }
            }
            return Ok(());
        };
        let mut line = Vec::new();
        self.line.render(ctx, fields, &mut line)?;
        let mark = self.marks.get(self.keybuf.as_slice()).cloned();
        self.rows.insert(pos, (v, mark, line));
        self.rows.truncate(self.n);
        Ok(())
    }

    /// The kept events, largest first, as a Lua array of `{ value, mark
    /// line or nil, line }`.
    pub fn take(&self, lua: &Lua) -> mlua::Result<Table> {
        let t = lua.create_table_with_capacity(self.rows.len(), 0)?;
        for (v, mark, line) in &self.rows {
            let row = lua.create_table_with_capacity(3, 0)?;
            row.raw_set(1, *v)?;
            if let Some(m) = mark {
                row.raw_set(2, lua.create_string(m)?)?;
            }
            row.raw_set(3, lua.create_string(line)?)?;
            t.raw_push(row)?;
        }
        Ok(t)
    }
}

/// The line of a line handle.
fn line_of(sh: &Shared, v: &Value) -> Option<Rc<Line>> {
    let lines = sh.lines.borrow();
    handle_index(v, lines.len()).map(|i| lines[i].clone())
}

/// Installs `job` into the chisel's [`Native`] jobs.
pub(super) fn install_job(sh: &Shared, job: impl FnOnce(&mut Native)) {
    let mut n = sh.native.borrow_mut();
    let n = n.get_or_insert_with(Native::default);
    job(n);
    n.update_skip();
}

/// Adds `request_line`, `native_print`, `native_slowest` and
/// `native_slowest_take` to the `chisel` table.
pub fn install_chisel_api(lua: &Lua, t: &Table, sh: &Rc<Shared>) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "request_line",
        lua.create_function(move |lua, parts: Table| {
            let tostring: mlua::Function = lua.globals().get("tostring")?;
            let line = Line::from_lua(&parts, s.fields.borrow().len(), tostring)?;
            let mut lines = s.lines.borrow_mut();
            lines.push(Rc::new(line));
            Ok(mlua::LightUserData(lines.len() as *mut std::ffi::c_void))
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_print",
        lua.create_function(move |_, h: Value| {
            let Some(line) = line_of(&s, &h) else { return Ok(false) };
            let global = s.global.clone();
            install_job(&s, |n| n.print = Some(PrintEach { line, global, buf: Vec::new() }));
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_slowest",
        lua.create_function(move |lua, (n, value, key, mark, line): (usize, Value, Value, Value, Value)| {
            let nf = s.fields.borrow().len();
            let (Some(value), Some(key), Some(mark), Some(line)) =
                (handle_index(&value, nf), handle_index(&key, nf), line_of(&s, &mark), line_of(&s, &line))
            else {
                return Ok(false);
            };
            if !super::native::numeric_value(&s.fields.borrow()[value]) {
                return Ok(false);
            }
            let tostring: mlua::Function = lua.globals().get("tostring")?;
            let job = Slowest {
                n,
                value,
                key,
                mark,
                line,
                tostring,
                marks: FxHashMap::default(),
                rows: Vec::new(),
                keybuf: Vec::new(),
            };
            install_job(&s, |nt| nt.slowest = Some(job));
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_slowest_take",
        lua.create_function(move |lua, ()| match s.native.borrow().as_ref().and_then(|n| n.slowest.as_ref()) {
            Some(sl) => Ok(Value::Table(sl.take(lua)?)),
            None => Ok(Value::Nil),
        })?,
    )?;
    Ok(())
}

/// Adds `evt.line(handle)`: the line for the current event (nil outside of
/// an event or for an invalid handle).
pub fn install_evt_api(lua: &Lua, t: &Table, sh: &Rc<Shared>) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "line",
        lua.create_function(move |lua, h: Value| {
            let Some(line) = line_of(&s, &h) else { return Ok(Value::Nil) };
            let Some(ctx) = s.ctx() else { return Ok(Value::Nil) };
            let fields = s.fields.borrow();
            let mut out = Vec::new();
            line.render(ctx, &fields, &mut out)?;
            Ok(Value::String(lua.create_string(&out)?))
        })?,
    )?;
    Ok(())
}
