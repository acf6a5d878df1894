//! Thread-table filters and `chisel.print_fd_rows`: a row per open fd of
//! every thread, printed by the host.
//!
//! `sysdig.get_thread_table(filter)` hands a chisel every thread with all
//! its fields and fd entries as Lua tables; lsof then pads and joins a few of
//! them per fd in Lua. Building those tables and strings is most of lsof's
//! own time, so the bundled lsof asks the host for the rows instead: the
//! same threads and fds (the filter evaluated per fd exactly as for the
//! thread table), the same texts and padding as `rchisel_common.pad`.

use std::rc::Rc;

use mlua::{Lua, Table, Value};

use super::shared::Shared;
use crate::event::Event;
use crate::fields::{EvalCtx, Registry, Scratch};
use crate::filter::Filter;
use crate::state::{EventMeta, State, Thread};

/// PPME_SYSCALL_READ_X: the type of the synthetic event a thread-table
/// filter is evaluated on.
const READ_X: u16 = 7;

/// The filter of a thread-table call (`get_thread_table(filter)`), checked
/// against each fd of a thread as sysdig does: a synthetic read exit event
/// of the thread, on that fd, at the last event's time.
pub struct ThreadFilter {
    filter: Option<Filter>,
    first_ts: u64,
    last_ts: u64,
    scratch: Scratch,
}

impl ThreadFilter {
    /// Compiles `flt` (a string or number; anything else or an empty text:
    /// no filter). The error names the calling function and chisel.
    pub fn new(lua: &Lua, sh: &Shared, flt: &Value, func: &str) -> mlua::Result<ThreadFilter> {
        let filter = match flt {
            Value::String(_) | Value::Integer(_) | Value::Number(_) => {
                let text = super::api::arg_str(lua, flt).unwrap_or_default();
                if text.is_empty() {
                    None
                } else {
                    match Filter::new(&text, Registry::get()) {
                        Ok(f) => Some(f),
                        Err(e) => {
                            return Err(super::api::api_err(format!(
                                "invalid filter argument for {func} in chisel {}: {}",
                                sh.name(),
                                super::api::first_line(&e)
                            )))
                        }
                    }
                }
            }
            _ => None,
        };
        Ok(ThreadFilter { filter, first_ts: sh.global.first_ts.get(), last_ts: sh.global.last_ts.get(), scratch: Scratch::default() })
    }

    /// True when a filter was given.
    pub fn is_some(&self) -> bool {
        self.filter.is_some()
    }

    /// Whether fd `fd` of thread `t` passes (always, without a filter).
    pub fn matches(&mut self, st: &State, t: &Thread, fd: i64) -> bool {
        let Some(f) = &self.filter else { return true };
        let ev = Event { num: 0, cpu: 0, ts: self.last_ts, tid: t.tid, etype: READ_X, nparams: 0, flags: 0, large: false, body: &[] };
        let meta = EventMeta { fd, fdinfo_fd: fd, has_thread: true, ..EventMeta::default() };
        let mut ctx = EvalCtx::new(&ev, &meta, st, &mut self.scratch, self.first_ts);
        f.matches(&mut ctx)
    }
}

/// One column of a row: what it shows and its width.
#[derive(Clone, Copy)]
enum Col {
    Comm,
    Pid,
    Tid,
    User,
    Fd,
    Type,
    Name,
}

impl Col {
    fn parse(name: &str) -> Option<Col> {
        Some(match name {
            "comm" => Col::Comm,
            "pid" => Col::Pid,
            "tid" => Col::Tid,
            "username" => Col::User,
            "fd" => Col::Fd,
            "type" => Col::Type,
            "name" => Col::Name,
            _ => return None,
        })
    }
}

/// Appends `s` padded as `rchisel_common.pad(s, width)`: blanks up to
/// `width` bytes, or cut to width-1 bytes and one blank; `None` appends `s`
/// as it is.
fn push_padded(out: &mut Vec<u8>, s: &[u8], width: Option<usize>) {
    match width {
        None => out.extend_from_slice(s),
        Some(w) if s.len() < w => {
            out.extend_from_slice(s);
            out.resize(out.len() + w - s.len(), b' ');
        }
        Some(0) => {}
        Some(w) => {
            out.extend_from_slice(&s[..w - 1]);
            out.push(b' ');
        }
    }
}

/// The columns of `chisel.print_fd_rows`: a list of `{key, width}` (width
/// left out: the text as it is). Keys: comm, pid, tid, username (the
/// thread's), fd, type, name (the fd's, as `get_thread_table` gives them).
fn columns(spec: &Table) -> mlua::Result<Vec<(Col, Option<usize>)>> {
    let mut cols = Vec::new();
    for c in spec.sequence_values::<Table>() {
        let c = c?;
        let key: String = c.raw_get(1)?;
        let Some(col) = Col::parse(&key) else {
            return Err(mlua::Error::runtime(format!("print_fd_rows: unknown column {key}")));
        };
        let width: Option<i64> = c.raw_get(2)?;
        cols.push((col, width.map(|w| w.max(0) as usize)));
    }
    Ok(cols)
}

/// `chisel.print_fd_rows(filter, columns)`: prints a row per fd of every
/// thread that passes `filter` (see [`ThreadFilter`]), threads by thread id,
/// fds by number; returns the number of rows.
pub fn print_fd_rows(lua: &Lua, sh: &Rc<Shared>, flt: Value, spec: Table) -> mlua::Result<u64> {
    let Some(st) = sh.state() else {
        return Err(super::api::api_err("print_fd_rows called outside of a callback"));
    };
    let cols = columns(&spec)?;
    let mut filter = ThreadFilter::new(lua, sh, &flt, "print_fd_rows")?;
    let mut threads: Vec<&Thread> = st.threads.values().collect();
    threads.sort_unstable_by_key(|t| t.tid as u32);
    let mut out = Vec::new();
    let mut fds = Vec::new();
    let mut text = Vec::new();
    let mut rows = 0;
    for t in threads {
        let Some(fdt) = st.fdtables.get(&t.fd_owner()) else { continue };
        fds.clear();
        fds.extend(fdt.iter().filter(|&(n, _)| filter.matches(st, t, n)));
        fds.sort_unstable_by_key(|&(n, _)| n as u32);
        for &(n, fd) in &fds {
            for &(col, width) in &cols {
                text.clear();
                match col {
                    Col::Comm => text.extend_from_slice(t.comm.as_bytes()),
                    Col::Pid => text.extend_from_slice((t.pid as u32).to_string().as_bytes()),
                    Col::Tid => text.extend_from_slice((t.tid as u32).to_string().as_bytes()),
                    Col::User => {
                        let user = if t.uid == u32::MAX { None } else { st.user_name(t.uid) };
                        text.extend_from_slice(user.unwrap_or("<NA>").as_bytes());
                    }
                    Col::Fd => text.extend_from_slice((n as u32).to_string().as_bytes()),
                    Col::Type => text.extend_from_slice(fd.type_str().as_bytes()),
                    Col::Name => crate::event::render::push_sanitized(&mut text, fd.name.as_bytes()),
                }
                push_padded(&mut out, &text, width);
            }
            out.push(b'\n');
            rows += 1;
        }
    }
    sh.global.write(&out).map_err(mlua::Error::external)?;
    Ok(rows)
}

/// `chisel.process_pids(filter)`: the main threads (thread id = process id)
/// of `get_thread_table_barebone_nofds(filter)`, as a Lua table pid → 1, and
/// their number: what wsysdig_summary counts per sample, without a Lua
/// table per thread.
pub fn process_pids(lua: &Lua, sh: &Rc<Shared>, flt: Value) -> mlua::Result<(Table, u64)> {
    let Some(st) = sh.state() else {
        return Err(super::api::api_err("process_pids called outside of a callback"));
    };
    let mut filter = ThreadFilter::new(lua, sh, &flt, "process_pids")?;
    let out = lua.create_table()?;
    let mut n = 0;
    let empty = Default::default();
    for t in st.threads.values() {
        if t.tid as u32 != t.pid as u32 {
            continue;
        }
        if filter.is_some() {
            let fdt = st.fdtables.get(&t.fd_owner()).unwrap_or(&empty);
            if !fdt.iter().any(|(fd, _)| filter.matches(st, t, fd)) {
                continue;
            }
        }
        out.raw_set(t.pid as u32 as i64, 1)?;
        n += 1;
    }
    Ok((out, n))
}

#[cfg(test)]
mod tests {
    use super::push_padded;

    #[test]
    fn pads_like_rchisel_common_pad() {
        let pad = |s: &str, w: Option<usize>| {
            let mut o = Vec::new();
            push_padded(&mut o, s.as_bytes(), w);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(pad("ab", Some(4)), "ab  ");
        assert_eq!(pad("abcd", Some(4)), "abc ");
        assert_eq!(pad("abcdef", Some(4)), "abc ");
        assert_eq!(pad("abc", Some(0)), "");
        assert_eq!(pad("abc", None), "abc");
    }
}
