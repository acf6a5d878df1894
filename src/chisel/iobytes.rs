//! Bytes read and written, summed by the host (`rchisel_io.byte_counter`:
//! iobytes, iobytes_file, iobytes_net).
//!
//! The Lua counter adds each event's byte count to a read or a write sum
//! and prints them once per second. As a top-N table keyed by the direction
//! the host built a key text per event and handed Lua a table per interval,
//! which then formatted four numbers: most of those chisels' own time. Here
//! the host keeps the two sums and writes the interval's text itself.
//!
//! - `chisel.native_io_bytes(res handle, is-read handle)`: true when the
//!   host took the sums over (the chisel's `on_event` is then skipped);
//! - `chisel.native_io_bytes_take()`: "in:N out:N tot:N" for the sums so far
//!   (numbers as `rchisel_common.str` writes them), which start over.

use std::rc::Rc;

use mlua::{Function, Lua, Table, Value};

use super::line::handle_index;
use super::shared::Shared;
use crate::fields::{EvalCtx, FType, Field, Val};

/// The read and write sums (`chisel.native_io_bytes`).
pub struct IoBytes {
    /// Byte count field (an index into the chisel's requested fields).
    res: usize,
    /// Direction field: read when true, as Lua's `if evt.field(isread)`.
    isread: usize,
    bytes_in: f64,
    bytes_out: f64,
    total: f64,
    /// Lua's `tostring`, for numbers [`super::rows::number_text`] leaves to it.
    tostring: Function,
}

impl IoBytes {
    /// Accounts the current event as the Lua counter does: a missing or not
    /// positive count is skipped; a missing direction counts as a write.
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        let Some(f) = fields.get(self.res) else { return Ok(()) };
        let n = match super::native::lua_number(ctx, f) {
            None => return Ok(()),
            Some(n) => n?,
        };
        // Lua: `n > 0` (false for NaN).
        if n.is_nan() || n <= 0.0 {
            return Ok(());
        }
        self.total += n;
        let read = match fields.get(self.isread) {
            Some(f) => match ctx.extract(f) {
                None => false,
                Some(Val::Bool(b)) => b,
                Some(Val::I64(i)) if f.def.ftype == FType::Bool => i != 0,
                Some(Val::U64(u)) if f.def.ftype == FType::Bool => u != 0,
                Some(_) => true,
            },
            None => false,
        };
        if read {
            self.bytes_in += n;
        } else {
            self.bytes_out += n;
        }
        Ok(())
    }

    /// The interval's text, "in:N out:N tot:N"; the sums start over.
    pub fn take(&mut self) -> mlua::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(48);
        for (label, v) in [(&b"in:"[..], self.bytes_in), (b" out:", self.bytes_out), (b" tot:", self.total)] {
            out.extend_from_slice(label);
            super::rows::number_text(v, &mut out, &self.tostring)?;
        }
        (self.bytes_in, self.bytes_out, self.total) = (0.0, 0.0, 0.0);
        Ok(out)
    }
}

/// Adds `native_io_bytes` and `native_io_bytes_take` to the `chisel` table.
pub fn install_chisel_api(lua: &Lua, t: &Table, sh: &Rc<Shared>) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "native_io_bytes",
        lua.create_function(move |lua, (res, isread): (Value, Value)| {
            let nf = s.fields.borrow().len();
            let (Some(res), Some(isread)) = (handle_index(&res, nf), handle_index(&isread, nf)) else {
                return Ok(false);
            };
            if !super::native::numeric_value(&s.fields.borrow()[res]) {
                return Ok(false);
            }
            let tostring: Function = lua.globals().get("tostring")?;
            let job = IoBytes { res, isread, bytes_in: 0.0, bytes_out: 0.0, total: 0.0, tostring };
            super::hooks::install_job(&s, |n| n.iobytes = Some(job));
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_io_bytes_take",
        lua.create_function(move |lua, ()| match s.native.borrow_mut().as_mut().and_then(|n| n.iobytes.as_mut()) {
            Some(io) => Ok(Value::String(lua.create_string(io.take()?)?)),
            None => Ok(Value::Nil),
        })?,
    )?;
    Ok(())
}
