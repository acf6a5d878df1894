//! The Lua API of chisels: the `sysdig`, `chisel` and `evt` tables
//! (libsinsp's chisel_api.cpp), plus output redirection.

use std::ffi::c_void;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, UdpSocket};
use std::rc::Rc;

use mlua::{Function, LightUserData, Lua, MultiValue, Table, Value};

use super::shared::Shared;
use crate::event::render::BufFormat;
use crate::fields::{FType, Registry, Val};
use crate::filter::Filter;
use crate::sink::printer::{Format, DEFAULT_FORMAT};
use crate::state::{Fd, SockInfo, State, Thread};

/// The error sysdig's LuaJIT reports when an API function throws: the real
/// message goes to stderr first.
pub(super) fn api_err(msg: impl AsRef<str>) -> mlua::Error {
    eprintln!("{}", msg.as_ref());
    mlua::Error::RuntimeError("C++ exception".into())
}

/// The first line of an error (filter errors add a caret line).
pub(super) fn first_line(e: &dyn std::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or("").to_string()
}

fn num(v: f64) -> Value {
    Value::Number(v)
}

/// Lua's `lua_tostring` on an argument (strings and numbers), else None.
pub(super) fn arg_str(lua: &Lua, v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string_lossy()),
        Value::Integer(_) | Value::Number(_) => {
            lua.coerce_string(v.clone()).ok().flatten().map(|s| s.to_string_lossy())
        }
        _ => None,
    }
}

/// Lua's `lua_tonumber` on an argument (0 when not convertible).
fn arg_num(v: &Value) -> f64 {
    match v {
        Value::Integer(i) => *i as f64,
        Value::Number(n) => *n,
        Value::String(s) => s.to_string_lossy().trim().parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn get(args: &MultiValue, i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// Converts an extracted field to the Lua value sysdig pushes (numbers are
/// doubles, as in LuaJIT).
pub fn val_to_lua(lua: &Lua, v: Val<'_>, t: FType) -> mlua::Result<Value> {
    Ok(match v {
        Val::Bool(b) => Value::Boolean(b),
        Val::I64(i) if t == FType::Bool => Value::Boolean(i != 0),
        Val::U64(u) if t == FType::Bool => Value::Boolean(u != 0),
        Val::I64(i) => num(i as f64),
        Val::U64(u) => num(u as f64),
        Val::F64(f) => num(f),
        Val::Str(s) => Value::String(lua.create_string(s)?),
        Val::String(s) => Value::String(lua.create_string(&s)?),
        Val::Ipv4(b) => Value::String(lua.create_string(Ipv4Addr::from(b).to_string())?),
        Val::Ipv6(b) => Value::String(lua.create_string(Ipv6Addr::from(b).to_string())?),
    })
}

/// Installs `sysdig`, `chisel` and `evt`, the 5.1 compatibility layer and
/// the output redirection into a fresh Lua state.
pub fn install(lua: &Lua, sh: &Rc<Shared>, package_path: &str) -> mlua::Result<()> {
    let g = lua.globals();
    lua.load(include_str!("compat.lua")).set_name("=compat").exec()?;
    let package: Table = g.get("package")?;
    let p: String = package.get("path")?;
    package.set("path", format!("{p}{package_path}"))?;
    install_output(lua, sh)?;
    g.set("sysdig", sysdig_table(lua, sh)?)?;
    g.set("chisel", chisel_table(lua, sh)?)?;
    g.set("evt", evt_table(lua, sh)?)?;
    lua.load(PLAIN_ERRORS).set_name("=api").exec()?;
    Ok(())
}

/// sysdig's API functions fail with C++ exceptions, which Lua code catching
/// them with pcall sees as the string "C++ exception": the `sysdig` and
/// `chisel` functions raise exactly that string (mlua would hand over an
/// error object with a traceback).
const PLAIN_ERRORS: &str = r#"
local pcall, error, tostring, find, pack, unpack = pcall, error, tostring, string.find, table.pack, table.unpack
local function plain(f)
  return function(...)
    local r = pack(pcall(f, ...))
    if r[1] then return unpack(r, 2, r.n) end
    local e = r[2]
    if find(tostring(e), "C++ exception", 1, true) then e = "C++ exception" end
    error(e, 0)
  end
end
-- rchisel's own getters called once per interval or more (no sysdig
-- counterpart, no error to mimic) are left unwrapped.
local own = { native_topn_take = true, native_slowest_take = true, native_io_bytes_take = true,
  native_http_take = true, process_pids = true, events_seen = true }
for _, t in ipairs({ sysdig, chisel }) do
  for k, f in pairs(t) do
    if type(f) == "function" and not (t == chisel and own[k]) then t[k] = plain(f) end
  end
end
"#;

/// `print`, `io.write` and `io.stdout:write` go to the run's output buffer
/// so that chisel text and formatted events keep their order.
fn install_output(lua: &Lua, sh: &Rc<Shared>) -> mlua::Result<()> {
    let g = lua.globals();
    let gl = sh.global.clone();
    super::fast::install_print(lua, &gl);
    let gl = sh.global.clone();
    let write_fn = lua.create_function(move |lua, args: MultiValue| {
        let mut buf = Vec::new();
        for v in args.iter() {
            match v {
                Value::String(s) => buf.extend_from_slice(&s.as_bytes()),
                Value::Integer(_) | Value::Number(_) => append_tostring(lua, v, &mut buf)?,
                _ => return Err(mlua::Error::RuntimeError("bad argument to 'write' (string expected)".into())),
            }
        }
        gl.write(&buf).map_err(mlua::Error::external)?;
        let io: Table = lua.globals().get("io")?;
        io.get::<Value>("stdout")
    })?;
    let io: Table = g.get("io")?;
    io.set("write", write_fn.clone())?;
    // io.stdout: a stand-in object whose methods write to the same buffer.
    let stdout = lua.create_table()?;
    let w = write_fn.clone();
    stdout.set(
        "write",
        lua.create_function(move |_, args: MultiValue| {
            let mut it = args.into_iter();
            it.next();
            w.call::<Value>(MultiValue::from_iter(it))
        })?,
    )?;
    let gl = sh.global.clone();
    stdout.set("flush", lua.create_function(move |_, _: MultiValue| gl.flush().map_err(mlua::Error::external))?)?;
    stdout.set("setvbuf", lua.create_function(|_, _: MultiValue| Ok(true))?)?;
    stdout.set("close", lua.create_function(|_, _: MultiValue| Ok(true))?)?;
    io.set("stdout", stdout)?;
    // os.exit: flush what the chisel printed before the process ends.
    let os: Table = g.get("os")?;
    let exit: Function = os.get("exit")?;
    let gl = sh.global.clone();
    os.set(
        "exit",
        lua.create_function(move |_, args: MultiValue| {
            let _ = gl.flush();
            exit.call::<()>(args)
        })?,
    )?;
    Ok(())
}

/// Appends what Lua's `tostring` gives for `v`.
fn append_tostring(lua: &Lua, v: &Value, out: &mut Vec<u8>) -> mlua::Result<()> {
    match v {
        Value::String(s) => out.extend_from_slice(&s.as_bytes()),
        Value::Integer(_) | Value::Number(_) => {
            if let Some(s) = lua.coerce_string(v.clone())? {
                out.extend_from_slice(&s.as_bytes());
            }
        }
        Value::Nil => out.extend_from_slice(b"nil"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        _ => {
            let ts: Function = lua.globals().get("tostring")?;
            let s: Value = ts.call(v.clone())?;
            match s {
                Value::String(s) => out.extend_from_slice(&s.as_bytes()),
                _ => return Err(mlua::Error::RuntimeError("'tostring' must return a string to 'print'".into())),
            }
        }
    }
    Ok(())
}

fn chisel_table(lua: &Lua, sh: &Rc<Shared>) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    chisel_fields(lua, sh, &t)?;
    chisel_topn(lua, sh, &t)?;
    chisel_native(lua, sh, &t)?;
    chisel_control(lua, sh, &t)?;
    Ok(t)
}

/// `chisel.*`: request_field, set_filter, request_format and set_event_formatter: what the chisel reads from each event.
fn chisel_fields(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "request_field",
        lua.create_function(move |lua, name: Value| {
            let Some(name) = arg_str(lua, &name) else {
                return Err(api_err("chisel requesting nil field"));
            };
            // Like sysdig, text after a valid field name is ignored.
            let f = match Registry::get().parse_prefix(&name) {
                Ok((f, _)) => f,
                Err(_) => return Err(api_err(format!("chisel requesting nonexistent field {name}"))),
            };
            let mut fields = s.fields.borrow_mut();
            fields.push(f);
            Ok(LightUserData(fields.len() as *mut c_void))
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_filter",
        lua.create_function(move |lua, v: Value| {
            let text = arg_str(lua, &v).unwrap_or_default();
            if text.is_empty() {
                *s.filter.borrow_mut() = None;
                *s.filter_gate.borrow_mut() = Default::default();
                return Ok(());
            }
            match Filter::new(&text, Registry::get()) {
                Ok(f) => {
                    *s.filter.borrow_mut() = Some(f);
                    *s.filter_gate.borrow_mut() = Default::default();
                    Ok(())
                }
                Err(e) => Err(api_err(format!("invalid filter in chisel {}: {}", s.name(), first_line(&e)))),
            }
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "request_format",
        lua.create_function(move |_, text: String| {
            // rchisel extension: a -p style format rendered in one call by
            // evt.format(handle) (nil when one of its fields is missing).
            match Format::compile(&text, Registry::get()) {
                Ok(f) => {
                    let mut v = s.formats.borrow_mut();
                    v.push(f);
                    Ok(LightUserData(v.len() as *mut std::ffi::c_void))
                }
                Err(e) => Err(api_err(e)),
            }
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_event_formatter",
        lua.create_function(move |lua, v: Value| {
            let text = arg_str(lua, &v).unwrap_or_default();
            let text = if text.is_empty() || text == "default" { DEFAULT_FORMAT.to_string() } else { text };
            match Format::compile(&text, Registry::get()) {
                Ok(f) => {
                    *s.formatter.borrow_mut() = Some(f);
                    Ok(())
                }
                Err(e) => Err(api_err(e)),
            }
        })?,
    )?;
    Ok(())
}

/// `chisel.*`: native_topn, native_distinct and native_topn_take: top-N sums and distinct counts kept by the host for bundled chisels.
fn chisel_topn(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "native_topn",
        lua.create_function(move |lua, (keys, value, sep, str_fn, skip, scale): (Table, Value, mlua::LuaString, Function, bool, Option<f64>)| {
            // chisel.native_topn(key handles, value handle, separator,
            // common.str, skip on_event[, scale]): with a scale, every event
            // adds value * scale (see NativeTopn::scaled).
            // Field handles are index + 1; the value must reach Lua as a number.
            let handle = |v: &Value| match v {
                Value::LightUserData(LightUserData(p)) => (*p as usize).checked_sub(1),
                _ => None,
            };
            let fields = s.fields.borrow();
            let mut key_idx = Vec::new();
            for v in keys.sequence_values::<Value>() {
                match handle(&v?) {
                    Some(i) if i < fields.len() => key_idx.push(i),
                    _ => return Ok(false),
                }
            }
            let Some(vi) = handle(&value).filter(|&i| i < fields.len()) else { return Ok(false) };
            if key_idx.is_empty() || !super::native::numeric_value(&fields[vi]) {
                return Ok(false);
            }
            let _ = lua;
            let mut nt = super::native::NativeTopn::new(key_idx, vi, sep.as_bytes().to_vec(), str_fn, skip);
            if let Some(k) = scale {
                nt.scaled(k);
            }
            drop(fields);
            set_topn(&s, nt);
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_distinct",
        lua.create_function(move |_, (keys, distinct, str_fn): (Table, Table, Function)| {
            // chisel.native_distinct(key handles, field handles, common.str):
            // rows count the distinct field texts per key (fdcount_by); the
            // host skips on_event.
            let fields = s.fields.borrow();
            let idx = |t: &Table| -> mlua::Result<Option<Vec<usize>>> {
                let mut v = Vec::new();
                for h in t.sequence_values::<Value>() {
                    match h? {
                        Value::LightUserData(LightUserData(p)) if (p as usize) >= 1 && (p as usize) <= fields.len() => {
                            v.push(p as usize - 1)
                        }
                        _ => return Ok(None),
                    }
                }
                Ok((!v.is_empty()).then_some(v))
            };
            let (Some(k), Some(d)) = (idx(&keys)?, idx(&distinct)?) else { return Ok(false) };
            let mut nt = super::native::NativeTopn::new(k, 0, vec![1u8, 1], str_fn, true);
            nt.count_distinct(d);
            drop(fields);
            set_topn(&s, nt);
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "native_topn_take",
        lua.create_function(move |lua, ()| match s.native.borrow_mut().as_mut().and_then(|n| n.topn.as_mut()) {
            Some(nt) => Ok(Value::Table(nt.take(lua)?)),
            None => Ok(Value::Nil),
        })?,
    )?;
    Ok(())
}

/// `chisel.*`: the other host helpers bundled chisels call instead of per-event Lua (slow-call hooks, I/O bytes, HTTP pairing, rows, fd tables, events seen).
fn chisel_native(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    super::hooks::install_chisel_api(lua, t, sh)?;
    super::iobytes::install_chisel_api(lua, t, sh)?;
    super::http::install_chisel_api(lua, t, sh)?;
    let s = sh.clone();
    t.set(
        "native_rows",
        lua.create_function(move |lua, (template, args): (mlua::LuaString, Table)| {
            // chisel.native_rows(template, args): the host prints one row
            // per event that passes the chisel's filter and skips on_event
            // (see rows.rs for the template and the arguments).
            let nfields = s.fields.borrow().len();
            let mut list = Vec::new();
            for v in args.sequence_values::<Value>() {
                list.push(super::rows::Arg::from_lua(&v?, nfields).map_err(api_err)?);
            }
            let tostring: Function = lua.globals().get("tostring")?;
            let rows = super::rows::NativeRows::new(&template.as_bytes(), list, s.global.clone(), tostring)
                .map_err(api_err)?;
            let mut n = s.native.borrow_mut();
            let n = n.get_or_insert_with(super::native::Native::default);
            n.rows = Some(rows);
            n.update_skip();
            Ok(true)
        })?,
    )?;
    let s = sh.clone();
    t.set("process_pids", lua.create_function(move |lua, flt: Value| super::fdrows::process_pids(lua, &s, flt))?)?;
    let s = sh.clone();
    t.set(
        "print_fd_rows",
        lua.create_function(move |lua, (flt, spec): (Value, Table)| super::fdrows::print_fd_rows(lua, &s, flt, spec))?,
    )?;
    let s = sh.clone();
    // rchisel extension: how many events reached the chisel (before its
    // filter), so that a chisel can count events without seeing each one.
    t.set("events_seen", lua.create_function(move |_, ()| Ok(s.events_seen.get() as f64))?)?;
    Ok(())
}

/// `chisel.*`: set_interval_ns, set_interval_s, set_precise_interval_ns and exec.
fn chisel_control(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "set_interval_ns",
        lua.create_function(move |_, v: Value| {
            s.interval.set(arg_num(&v) as u64);
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_interval_s",
        lua.create_function(move |_, v: Value| {
            s.interval.set((arg_num(&v) as u64).saturating_mul(1_000_000_000));
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_precise_interval_ns",
        lua.create_function(move |_, v: Value| {
            s.precise_interval.set(arg_num(&v) as u64);
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "exec",
        lua.create_function(move |lua, args: MultiValue| {
            let Some(name) = arg_str(lua, &get(&args, 0)) else {
                return Err(api_err(format!("invalid exec field name in chisel {}", s.name())));
            };
            let mut vals = Vec::new();
            for v in args.iter().skip(1) {
                match arg_str(lua, v) {
                    Some(x) => vals.push(x),
                    None => break,
                }
            }
            *s.exec.borrow_mut() = Some((name, vals));
            Ok(())
        })?,
    )?;
    Ok(())
}

/// Installs the chisel's top-N table among its host jobs.
fn set_topn(sh: &Shared, nt: super::native::NativeTopn) {
    let mut n = sh.native.borrow_mut();
    let n = n.get_or_insert_with(super::native::Native::default);
    n.topn = Some(nt);
    n.update_skip();
}

fn evt_table(lua: &Lua, sh: &Rc<Shared>) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("field", super::fast::make_evt_field(lua)?)?;
    // SAFETY: as evt_field.
    t.set("format", unsafe { lua.create_c_function(super::fast::evt_format)? })?;
    super::hooks::install_evt_api(lua, &t, sh)?;
    let s = sh.clone();
    t.set(
        "get_num",
        lua.create_function(move |_, ()| match basics(&s) {
            Some(b) => Ok(num(b.num as f64)),
            None => Err(api_err("invalid call to evt.get_num()")),
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "get_ts",
        lua.create_function(move |_, ()| match basics(&s) {
            Some(b) => Ok(((b.ts / 1_000_000_000) as u32 as i64, (b.ts % 1_000_000_000) as u32 as i64)),
            None => Err(api_err("invalid call to evt.get_ts()")),
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "get_type",
        lua.create_function(move |_, ()| match basics(&s) {
            Some(b) => Ok(b.type_name),
            None => Err(api_err("invalid call to evt.get_type()")),
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "get_cpuid",
        lua.create_function(move |_, ()| match basics(&s) {
            Some(b) => Ok(b.cpu as i64),
            None => Err(api_err("invalid call to evt.get_cpuid()")),
        })?,
    )?;
    Ok(t)
}

/// What `evt.get_*` tell of the current event, live or read ahead.
fn basics(s: &Shared) -> Option<super::ahead::Rec> {
    if let Some(c) = s.ctx() {
        let ev = c.ev;
        let type_name = super::ahead::type_name(ev);
        return Some(super::ahead::Rec { ts: ev.ts, num: ev.num, cpu: ev.cpu, type_name, matched: true, pass: 0, has: 0, vals_at: 0 });
    }
    s.ahead().map(|a| a.rec)
}

fn sysdig_table(lua: &Lua, sh: &Rc<Shared>) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    sysdig_setup(lua, sh, &t)?;
    sysdig_environment(lua, sh, &t)?;
    sysdig_timestamps(lua, sh, &t)?;
    sysdig_control(lua, sh, &t)?;
    sysdig_udp(lua, sh, &t)?;
    Ok(t)
}

/// `sysdig.*`: set_filter, set_snaplen, set_output_format and set_fatfile_dump_mode: what a chisel asks of the capture.
fn sysdig_setup(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "set_filter",
        lua.create_function(move |lua, v: Value| {
            let text = arg_str(lua, &v).unwrap_or_default();
            if !text.is_empty() && let Err(e) = Filter::new(&text, Registry::get()) {
                return Err(api_err(format!("invalid filter in chisel {}: {}", s.name(), first_line(&e))));
            }
            *s.global.filter_text.borrow_mut() = text.clone();
            *s.global.global_filter.borrow_mut() = Some(text);
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_snaplen",
        lua.create_function(move |_, v: Value| {
            s.global.snaplen.set(Some(arg_num(&v) as u32));
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "set_output_format",
        lua.create_function(move |lua, v: Value| {
            if !matches!(s.global.info.cmd_buf_format, BufFormat::Normal) {
                return Ok(());
            }
            let f = arg_str(lua, &v).unwrap_or_default();
            let bf = match f.as_str() {
                "normal" | "simple" => BufFormat::Normal,
                "json" => BufFormat::JsonNormal,
                "hex" => BufFormat::Hex,
                "hexascii" => BufFormat::HexAscii,
                "ascii" => BufFormat::Ascii,
                "base64" | "jsonbase64" => BufFormat::Base64,
                _ => return Err(api_err(format!("invalid set_output_format value in chisel {}", s.name()))),
            };
            s.global.buf_format.set(bf);
            Ok(())
        })?,
    )?;
    t.set("set_fatfile_dump_mode", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    Ok(())
}

/// `sysdig.*`: what a chisel may ask about its run: live or file, terminal, filter, machine, output format, thread and container tables.
fn sysdig_environment(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set("is_live", lua.create_function(move |_, ()| Ok(s.global.info.is_live))?)?;
    // Chisels colour their output when this is true: NO_COLOR turns it off.
    t.set("is_tty", lua.create_function(|_, ()| Ok(crate::sink::printer::colors_allowed()))?)?;
    t.set(
        "get_terminal_info",
        lua.create_function(|lua, ()| {
            let (mut w, mut h) = (-1i32, -1i32);
            // SAFETY: TIOCGWINSZ fills a winsize struct we own.
            unsafe {
                let mut ws: libc::winsize = std::mem::zeroed();
                if libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) != -1 {
                    w = ws.ws_col as i32;
                    h = ws.ws_row as i32;
                }
            }
            let t = lua.create_table()?;
            t.set("width", num(w as f64))?;
            t.set("height", num(h as f64))?;
            Ok(t)
        })?,
    )?;
    let s = sh.clone();
    t.set("get_filter", lua.create_function(move |_, ()| Ok(s.global.filter_text.borrow().clone()))?)?;
    let s = sh.clone();
    t.set(
        "get_machine_info",
        lua.create_function(move |lua, ()| {
            let Some(m) = s.state().and_then(|st| st.machine.as_ref()) else {
                return Err(api_err("get_machine_info can only be called from the on_capture_start callback"));
            };
            let t = lua.create_table()?;
            t.set("num_cpus", num(m.num_cpus as f64))?;
            t.set("memory_size_bytes", num(m.memory_size_bytes as f64))?;
            t.set("max_pid", num(m.max_pid as f64))?;
            t.set("hostname", m.hostname.as_str())?;
            Ok(t)
        })?,
    )?;
    for (name, fds, bare) in [
        ("get_thread_table", true, false),
        ("get_thread_table_nofds", false, false),
        ("get_thread_table_barebone", true, true),
        ("get_thread_table_barebone_nofds", false, true),
    ] {
        let s = sh.clone();
        t.set(name, lua.create_function(move |lua, flt: Value| thread_table(lua, &s, flt, fds, bare))?)?;
    }
    t.set("get_container_table", lua.create_function(|lua, ()| lua.create_table())?)?;
    let s = sh.clone();
    t.set("is_print_container_data", lua.create_function(move |_, ()| Ok(s.global.info.print_container))?)?;
    let s = sh.clone();
    t.set(
        "get_output_format",
        lua.create_function(move |_, ()| {
            Ok(if s.global.info.json || matches!(s.global.buf_format.get(), BufFormat::JsonNormal) {
                "json"
            } else {
                "normal"
            })
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "get_evtsource_name",
        lua.create_function(move |_, ()| Ok(if s.global.info.is_live { String::new() } else { s.global.info.source_name.clone() }))?,
    )?;
    Ok(())
}

/// `sysdig.*`: first and last event timestamps, and sysdig's arithmetic on timestamps as decimal strings.
fn sysdig_timestamps(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set("get_firstevent_ts", lua.create_function(move |_, ()| Ok(s.global.first_ts.get().to_string()))?)?;
    let s = sh.clone();
    t.set("get_lastevent_ts", lua.create_function(move |_, ()| Ok(s.global.last_ts.get().to_string()))?)?;
    t.set(
        "make_ts",
        lua.create_function(|_, (a, b): (Value, Value)| {
            let s = (arg_num(&a) as i64 as u32 as u64) * 1_000_000_000 + (arg_num(&b) as i64 as u32 as u64);
            Ok((s as i64).to_string())
        })?,
    )?;
    t.set(
        "add_ts",
        lua.create_function(|lua, (a, b): (Value, Value)| {
            let s = parse_u64(lua, &a).wrapping_add(parse_u64(lua, &b));
            Ok((s as i64).to_string())
        })?,
    )?;
    t.set(
        "subtract_ts",
        lua.create_function(|lua, (a, b): (Value, Value)| {
            let s = parse_u64(lua, &a).wrapping_sub(parse_u64(lua, &b));
            Ok((s as i64).to_string())
        })?,
    )?;
    Ok(())
}

/// `sysdig.*`: run_app, end_capture, log, get_read_progress and push_metric.
fn sysdig_control(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "run_app",
        lua.create_function(move |lua, v: Value| {
            *s.global.run_app.borrow_mut() = arg_str(lua, &v);
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "end_capture",
        lua.create_function(move |_, ()| {
            s.end_capture.set(true);
            Ok(())
        })?,
    )?;
    t.set(
        "log",
        lua.create_function(|lua, (m, sev): (Value, Value)| {
            // sysdig's logger is silent unless enabled (-v, SYSDIG_LOG...).
            let _ = (arg_str(lua, &m), arg_str(lua, &sev));
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "get_read_progress",
        lua.create_function(move |_, ()| {
            // Before the capture is open (on_init) sysdig has no reader: it throws.
            if !s.global.opened.get() {
                return Err(mlua::Error::RuntimeError("C++ exception".into()));
            }
            Ok(num(s.global.progress.borrow().as_ref().map(|p| p.percent()).unwrap_or(0.0)))
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "push_metric",
        lua.create_function(move |lua, (n, v, tags): (Value, Value, Value)| {
            if !matches!(tags, Value::Table(_)) {
                return Err(api_err(format!("error in chisel {}: third argument must be a table", s.name())));
            }
            let Some(name) = arg_str(lua, &n) else {
                return Err(api_err(format!("errord in chisel {}: first argument must be a string", s.name())));
            };
            if !matches!(v, Value::Integer(_) | Value::Number(_)) {
                return Err(api_err(format!("errord in chisel {}: second argument must be a number", s.name())));
            }
            s.global.metrics.borrow_mut().push((name, arg_num(&v)));
            Ok(())
        })?,
    )?;
    Ok(())
}

/// `sysdig.*`: udp_setpeername and udp_send, on a real UDP socket to the address the chisel gives.
fn sysdig_udp(lua: &Lua, sh: &Rc<Shared>, t: &Table) -> mlua::Result<()> {
    let s = sh.clone();
    t.set(
        "udp_setpeername",
        lua.create_function(move |lua, (a, p): (Value, Value)| {
            let addr = arg_str(lua, &a).unwrap_or_default();
            let port = arg_str(lua, &p).unwrap_or_default();
            let Ok(port) = port.trim().parse::<u16>() else {
                return Err(api_err(format!("{port} is not a valid number")));
            };
            let Ok(ip) = addr.parse::<Ipv4Addr>() else {
                return Err(api_err("inet_pton error occurred"));
            };
            let sock = UdpSocket::bind("0.0.0.0:0")
                .map_err(|_| api_err("udp_setpeername error: unable to create the socket"))?;
            *s.udp.borrow_mut() = Some((sock, SocketAddrV4::new(ip, port)));
            Ok(())
        })?,
    )?;
    let s = sh.clone();
    t.set(
        "udp_send",
        lua.create_function(move |lua, m: Value| {
            let msg = arg_str(lua, &m).unwrap_or_default();
            let u = s.udp.borrow();
            let ok = match &*u {
                Some((sock, peer)) => sock.send_to(msg.as_bytes(), peer).is_ok(),
                None => false,
            };
            if !ok {
                return Err(api_err("udp_send error: cannot send the buffer: "));
            }
            Ok(())
        })?,
    )?;
    Ok(())
}

/// sysdig_numparser::parseu64: decimal digits, else an error.
fn parse_u64(lua: &Lua, v: &Value) -> u64 {
    arg_str(lua, v).and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0)
}

fn thread_table(lua: &Lua, sh: &Shared, flt: Value, include_fds: bool, barebone: bool) -> mlua::Result<Table> {
    let Some(st) = sh.state() else {
        if sh.ahead().is_some() {
            // Reached through a module the chisel's own source does not name
            // (see chisel::ahead::source_allows).
            return Err(api_err(
                "get_thread_table is not available while events are read ahead: run with RCHISEL_NO_READ_AHEAD=1",
            ));
        }
        return Err(api_err("get_thread_table called outside of a callback"));
    };
    let mut filter = super::fdrows::ThreadFilter::new(lua, sh, &flt, "get_thread_table")?;
    let has_filter = filter.is_some();
    let mut matches = |t: &Thread, fd: i64| filter.matches(st, t, fd);
    let out = lua.create_table()?;
    let empty = Default::default();
    // sysdig's m_nchilds: a main thread counts the CLONE_THREAD threads
    // referring to it, whatever order the capture's process list had.
    // (barebone entries do not show it)
    let mut nchilds: rustc_hash::FxHashMap<i64, u64> = Default::default();
    if !barebone {
        for t in st.threads.values() {
            if t.tid != t.pid && t.flags & PPM_CL_CLONE_THREAD != 0 {
                *nchilds.entry(t.pid).or_default() += 1;
            }
        }
    }
    for t in st.threads.values() {
        let fdt = if has_filter || include_fds { st.fdtables.get(&t.fd_owner()).unwrap_or(&empty) } else { &empty };
        if has_filter && !fdt.iter().any(|(fd, _)| matches(t, fd)) {
            continue;
        }
        let e = thread_entry(lua, st, t, nchilds.get(&t.tid).copied().unwrap_or(0), barebone)?;
        let fdtab = lua.create_table()?;
        if include_fds {
            for (fdn, fd) in fdt.iter() {
                if !matches(t, fdn) {
                    continue;
                }
                fdtab.raw_set(fdn as u32 as i64, fd_entry(lua, fd, barebone)?)?;
            }
        }
        e.raw_set("fdtable", fdtab)?;
        out.raw_set(t.tid as u32 as i64, e)?;
    }
    Ok(out)
}

/// PPM_CL_CLONE_THREAD in a thread's flags.
const PPM_CL_CLONE_THREAD: u32 = 1 << 13;

/// sysdig's thread flags as chisels see them: every thread carries 0x20000.
const CHISEL_THREAD_FLAG: u64 = 0x20000;

/// One thread of `sysdig.get_thread_table()` (without its fd table). A
/// thread that is not its process's main thread shows the process's
/// environment, as in sysdig.
fn thread_entry(lua: &Lua, st: &State, t: &Thread, nchilds: u64, barebone: bool) -> mlua::Result<Table> {
    // Sized up front (19 keys with the fd table): no rehash while filling.
    let e = lua.create_table_with_capacity(0, if barebone { 3 } else { 19 })?;
    e.raw_set("tid", num(t.tid as u32 as f64))?;
    e.raw_set("pid", num(t.pid as u32 as f64))?;
    if barebone {
        return Ok(e);
    }
    e.raw_set("ptid", num(t.ptid as u32 as f64))?;
    e.raw_set("comm", t.comm.as_str())?;
    e.raw_set("exe", t.exe.as_str())?;
    e.raw_set("flags", num((t.flags as u64 | CHISEL_THREAD_FLAG) as f64))?;
    e.raw_set("fdlimit", num(t.fdlimit as u32 as f64))?;
    e.raw_set("uid", num(t.uid as f64))?;
    e.raw_set("gid", num(t.gid as f64))?;
    e.raw_set("nchilds", num(nchilds as f64))?;
    e.raw_set("vmsize_kb", num(t.vmsize_kb as f64))?;
    e.raw_set("vmrss_kb", num(t.vmrss_kb as f64))?;
    e.raw_set("vmswap_kb", num(t.vmswap_kb as f64))?;
    e.raw_set("pfmajor", num(t.pfmajor as u32 as f64))?;
    e.raw_set("pfminor", num(t.pfminor as u32 as f64))?;
    e.raw_set("clone_ts", (t.clone_ts as i64).to_string())?;
    let user = if t.uid == u32::MAX { None } else { st.user_name(t.uid) };
    e.raw_set("username", user.unwrap_or("<NA>"))?;
    let args = lua.create_table_with_capacity(t.args.raw().count(), 0)?;
    for (i, a) in t.args.iter().enumerate() {
        args.raw_set(i + 1, &*a)?;
    }
    e.raw_set("args", args)?;
    let main = if t.tid != t.pid { st.threads.get(&t.pid) } else { None };
    let envs = &main.unwrap_or(t).env;
    let env = lua.create_table_with_capacity(envs.raw().count(), 0)?;
    for (i, a) in envs.iter().enumerate() {
        env.raw_set(i + 1, &*a)?;
    }
    e.raw_set("env", env)?;
    Ok(e)
}

fn fd_entry(lua: &Lua, fd: &Fd, barebone: bool) -> mlua::Result<Table> {
    let e = lua.create_table_with_capacity(0, 9)?;
    if !barebone {
        let mut name = Vec::new();
        crate::event::render::push_sanitized(&mut name, fd.name.as_bytes());
        e.raw_set("name", lua.create_string(&name)?)?;
        e.raw_set("type", fd.type_str())?;
    }
    let (cip, sip, cport, sport, is_server): (Option<String>, String, u16, u16, bool) = match fd.sock {
        SockInfo::Ipv4 { sip, dip, sport, dport, .. } => (
            Some(Ipv4Addr::from(sip).to_string()),
            Ipv4Addr::from(dip).to_string(),
            sport,
            dport,
            fd.flags & crate::state::types::fdflags::ROLE_SERVER != 0,
        ),
        SockInfo::Ipv6 { sip, dip, sport, dport, .. } => (
            Some(Ipv6Addr::from(sip).to_string()),
            Ipv6Addr::from(dip).to_string(),
            sport,
            dport,
            fd.flags & crate::state::types::fdflags::ROLE_SERVER != 0,
        ),
        SockInfo::Ipv4Server { ip, port, .. } => (None, Ipv4Addr::from(ip).to_string(), 0, port, true),
        SockInfo::Ipv6Server { ip, port, .. } => (None, Ipv6Addr::from(ip).to_string(), 0, port, true),
        _ => return Ok(e),
    };
    if let Some(c) = cip {
        e.raw_set("cip", c)?;
    }
    e.raw_set("sip", sip)?;
    if !matches!(fd.sock, SockInfo::Ipv4Server { .. } | SockInfo::Ipv6Server { .. }) {
        e.raw_set("cport", num(cport as f64))?;
    }
    e.raw_set("sport", num(sport as f64))?;
    e.raw_set("is_server", is_server)?;
    let l4 = fd.l4proto_name().unwrap_or("<NA>");
    e.raw_set("l4proto", l4)?;
    Ok(e)
}
