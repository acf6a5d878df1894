//! HTTP requests paired with their responses by the host, per socket
//! (`rchisel_http.lua`'s parser, for httptop).
//!
//! The Lua parser reads five fields and runs up to four `string.match`
//! patterns per I/O event on a socket, most of which carry no HTTP at all;
//! httptop only needs, per completed transaction, its method and URL, the
//! response's Content-Length and the latency. The host does the same
//! matching on the same buffer text (the patterns are written out below,
//! each with the Lua pattern it stands for) and keeps the sums per key.
//!
//! - `chisel.native_http_calls(buffer, pid, fd, rawtime)` (field handles):
//!   true when the host took the parsing over (`on_event` is then skipped);
//! - `chisel.native_http_take(by)`: the rows so far as a Lua table, key
//!   ("METHOD\1\1URL") → value: by "ncalls" the number of transactions, by
//!   "bytes" the sum of response lengths, by "time" the mean latency in ns;
//!   the rows start over;
//! - `chisel.native_http_log(buffer, pid, fd, rawtime, datetime, io_dir)`:
//!   the host prints httplog's line for each completed transaction instead.

use std::rc::Rc;

use mlua::{Function, Lua, MultiValue, Table, Value};
use rustc_hash::FxHashMap;

use super::line::{handle_index, push_i64, push_lua_text};
use super::rows::jit_int;
use super::shared::{Global, Shared};
use crate::fields::{EvalCtx, Field, Val};

/// `%g` in the C locale: printable, not blank.
fn graph(c: u8) -> bool {
    (0x21..=0x7e).contains(&c)
}

/// Length of the run of bytes at the start of `s` that satisfy `f`.
fn run(s: &[u8], f: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|&&c| f(c)).count()
}

/// Start offsets of `needle` in `hay`, first to last.
fn occurrences<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(hay, needle)
}

/// `string.match(buf, "^(%u+) (%g+)")`: the method and the URL.
pub fn request_line(buf: &[u8]) -> Option<(&[u8], &[u8])> {
    let m = run(buf, |c| c.is_ascii_uppercase());
    if m == 0 || buf.get(m) != Some(&b' ') {
        return None;
    }
    let u = run(&buf[m + 1..], graph);
    (u > 0).then(|| (&buf[..m], &buf[m + 1..m + 1 + u]))
}

/// `string.match(buf, "Host: (%g+)%.%.")`: the longest graphic run after
/// the first "Host: " that has one, cut before the last ".." in it.
pub fn host(buf: &[u8]) -> Option<&[u8]> {
    for i in occurrences(buf, b"Host: ") {
        let s = i + 6;
        let r = run(&buf[s..], graph);
        // (the dots are graphic: they are inside the run)
        if let Some(k) = (1..r.saturating_sub(1)).rev().find(|&k| &buf[s + k..s + k + 2] == b"..") {
            return Some(&buf[s..s + k]);
        }
    }
    None
}

/// `string.match(buf, "HTTP/[%g]+ (%d+)")` (the status code's digits).
pub fn status(buf: &[u8]) -> Option<&[u8]> {
    for i in occurrences(buf, b"HTTP/") {
        let s = i + 5;
        let r = run(&buf[s..], graph);
        // (no blank inside the run: only its end can be followed by one)
        if r == 0 || buf.get(s + r) != Some(&b' ') {
            continue;
        }
        let d = run(&buf[s + r + 1..], |c| c.is_ascii_digit());
        if d > 0 {
            return Some(&buf[s + r + 1..s + r + 1 + d]);
        }
    }
    None
}

/// `string.match(buf, "Content%-Length: (%d+)%.%.")`.
pub fn content_length(buf: &[u8]) -> Option<&[u8]> {
    for i in occurrences(buf, b"Content-Length: ") {
        let s = i + 16;
        let d = run(&buf[s..], |c| c.is_ascii_digit());
        if d > 0 && buf.get(s + d..s + d + 2) == Some(&b".."[..]) {
            return Some(&buf[s..s + d]);
        }
    }
    None
}

/// `tonumber` of a run of decimal digits.
fn digits_value(d: &[u8]) -> f64 {
    std::str::from_utf8(d).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0)
}

/// A request waiting for its response.
struct Pending {
    /// "METHOD\1\1URL" (with the Host header's name before the URL).
    key: Vec<u8>,
    /// Length of the method in `key`.
    method_len: usize,
    ts: f64,
    /// httplog's direction: "<" (we read the request), ">" or "<NA>".
    dir: &'static str,
}

/// httplog's line per transaction (`chisel.native_http_log`).
struct Log {
    /// evt.datetime and evt.io_dir (field indexes).
    datetime: usize,
    io_dir: usize,
    global: Rc<Global>,
    tostring: Function,
    line: Vec<u8>,
}

/// The completed transactions of one key.
#[derive(Default)]
struct Calls {
    n: u64,
    /// Response lengths summed in order, as Lua adds them.
    bytes: f64,
    /// Latencies (response minus request rawtime, as doubles) summed in order.
    time: f64,
}

/// The parser and the per-key sums (`chisel.native_http_calls`).
pub struct HttpCalls {
    /// evt.buffer, proc.pid, fd.num, evt.rawtime (field indexes).
    buffer: usize,
    pid: usize,
    fd: usize,
    rawtime: usize,
    pending: FxHashMap<(i64, i64), Pending>,
    calls: FxHashMap<Vec<u8>, Calls>,
    /// Reusable buffer text.
    text: Vec<u8>,
    /// Set: print httplog's lines instead of keeping sums.
    log: Option<Log>,
}

/// A field's value as the number Lua gets.
fn number(v: Option<Val<'_>>) -> Option<f64> {
    match v? {
        Val::I64(i) => Some(i as f64),
        Val::U64(u) => Some(u as f64),
        Val::F64(x) => Some(x),
        _ => None,
    }
}

impl HttpCalls {
    /// A parser over the evt.buffer, proc.pid, fd.num and evt.rawtime
    /// fields (indexes); with `log`, printing httplog's lines.
    fn new([buffer, pid, fd, rawtime]: [usize; 4], log: Option<Log>) -> HttpCalls {
        HttpCalls {
            buffer,
            pid,
            fd,
            rawtime,
            pending: FxHashMap::default(),
            calls: FxHashMap::default(),
            text: Vec::new(),
            log,
        }
    }

    /// Feeds the current event (`rchisel_http.parse` with httptop's
    /// transaction callback). Events without a buffer, pid or fd are left
    /// out (they cannot pass the parser's filter).
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field]) -> mlua::Result<()> {
        let (Some(fb), Some(fp), Some(ff), Some(ft)) =
            (fields.get(self.buffer), fields.get(self.pid), fields.get(self.fd), fields.get(self.rawtime))
        else {
            return Ok(());
        };
        let (Some(pid), Some(fd)) = (number(ctx.extract(fp)), number(ctx.extract(ff))) else { return Ok(()) };
        let key = (pid as i64, fd as i64);
        let ts = number(ctx.extract(ft)).unwrap_or(0.0);
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let res = if super::fast::buffer_text(ctx, fb, &mut text) { self.feed(ctx, fields, key, ts, &text) } else { Ok(()) };
        self.text = text;
        res
    }

    /// Runs the parser on one buffer of socket `key`.
    fn feed(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field], key: (i64, i64), ts: f64, buf: &[u8]) -> mlua::Result<()> {
        if !self.pending.contains_key(&key) {
            let Some((method, url)) = request_line(buf) else { return Ok(()) };
            let mut k = Vec::with_capacity(method.len() + url.len() + 40);
            k.extend_from_slice(method);
            k.extend_from_slice(b"\x01\x01");
            if let Some(h) = host(buf) {
                k.extend_from_slice(h);
            }
            k.extend_from_slice(url);
            let dir = match &self.log {
                Some(l) => match fields.get(l.io_dir).and_then(|f| ctx.extract(f)) {
                    Some(Val::Str(b"read")) => "<",
                    Some(Val::Str(b"write")) => ">",
                    Some(Val::String(d)) if d == b"read" => "<",
                    Some(Val::String(d)) if d == b"write" => ">",
                    _ => "<NA>",
                },
                None => "<NA>",
            };
            self.pending.insert(key, Pending { key: k, method_len: method.len(), ts, dir });
            return Ok(());
        }
        let Some(code) = status(buf) else { return Ok(()) };
        let len = content_length(buf).map_or(0.0, digits_value);
        let Some(p) = self.pending.remove(&key) else { return Ok(()) };
        if let Some(log) = &mut self.log {
            return log.print(ctx, fields, &p, digits_value(code), ts, len);
        }
        let c = self.calls.entry(p.key).or_default();
        c.n += 1;
        c.bytes += len;
        c.time += ts - p.ts;
        Ok(())
    }

    /// The rows by `by` (see the module docs); the sums start over.
    pub fn take(&mut self, lua: &Lua, by: &str) -> mlua::Result<Table> {
        let t = lua.create_table_with_capacity(0, self.calls.len())?;
        for (k, c) in self.calls.drain() {
            let v = match by {
                "bytes" => c.bytes,
                "time" => c.time / c.n as f64,
                _ => c.n as f64,
            };
            t.raw_set(lua.create_string(&k)?, v)?;
        }
        Ok(t)
    }
}

impl Log {
    /// httplog's line: "DATETIME DIR method=M url=U response_code=%d
    /// latency=%dms size=%dB" (numbers as `string.format`'s %d gives them).
    fn print(&mut self, ctx: &mut EvalCtx<'_>, fields: &[Field], p: &Pending, code: f64, ts: f64, len: f64) -> mlua::Result<()> {
        let out = &mut self.line;
        out.clear();
        match fields.get(self.datetime).and_then(|f| ctx.extract(f).map(|v| (v, f.def.ftype))) {
            Some((v, t)) => push_lua_text(&self.tostring, out, v, t)?,
            None => out.extend_from_slice(b"nil"),
        }
        out.push(b' ');
        out.extend_from_slice(p.dir.as_bytes());
        out.extend_from_slice(b" method=");
        out.extend_from_slice(&p.key[..p.method_len]);
        out.extend_from_slice(b" url=");
        out.extend_from_slice(&p.key[p.method_len + 2..]);
        out.extend_from_slice(b" response_code=");
        push_i64(out, jit_int(code));
        out.extend_from_slice(b" latency=");
        push_i64(out, jit_int((ts - p.ts) / 1_000_000.0));
        out.extend_from_slice(b"ms size=");
        push_i64(out, jit_int(len));
        out.extend_from_slice(b"B\n");
        self.global.write(out).map_err(mlua::Error::external)
    }
}

/// The field indexes of `n` field handles (the first arguments), if valid.
fn handles(sh: &Shared, args: &MultiValue, n: usize) -> Option<Vec<usize>> {
    let nf = sh.fields.borrow().len();
    let v: Vec<usize> = args.iter().take(n).map_while(|a| handle_index(a, nf)).collect();
    (v.len() == n).then_some(v)
}

/// Adds `native_http_calls`, `native_http_take` and `native_http_log` to
/// the `chisel` table.
pub fn install_chisel_api(lua: &Lua, t: &Table, sh: &Rc<Shared>) -> mlua::Result<()> {
    // (buffer, pid, fd, rawtime) handles; for the log also datetime, io_dir
    for (name, log) in [("native_http_calls", false), ("native_http_log", true)] {
        let s = sh.clone();
        t.set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                let Some(h) = handles(&s, &args, if log { 6 } else { 4 }) else { return Ok(false) };
                let log = match log {
                    true => Some(Log {
                        datetime: h[4],
                        io_dir: h[5],
                        global: s.global.clone(),
                        tostring: lua.globals().get("tostring")?,
                        line: Vec::new(),
                    }),
                    false => None,
                };
                let job = HttpCalls::new([h[0], h[1], h[2], h[3]], log);
                super::hooks::install_job(&s, |n| n.http = Some(job));
                Ok(true)
            })?,
        )?;
    }
    let s = sh.clone();
    t.set(
        "native_http_take",
        lua.create_function(move |lua, by: String| match s.native.borrow_mut().as_mut().and_then(|n| n.http.as_mut()) {
            Some(h) => Ok(Value::Table(h.take(lua, &by)?)),
            None => Ok(Value::Nil),
        })?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{content_length, host, request_line, status};

    /// The same buffers through the Lua patterns the parser stands for.
    #[test]
    fn patterns_match_lua() {
        let lua = mlua::Lua::new();
        let bufs: &[&[u8]] = &[
            b"GET / HTTP/1.1..Host: www.google.com..User-Agent: curl/7.58.0..Accept: */*....",
            b"GET /a/b?c=d HTTP/1.1..Host: x..",
            b"GET /x HTTP/1.1..Host: a..b..c d..",
            b"GET /x HTTP/1.1..Host: a.b Host: c..",
            b"GET /x HTTP/1.1..Host: ...",
            b"GET /x HTTP/1.1..Host: ..",
            b"GETx / HTTP/1.1",
            b"get / HTTP/1.1",
            b"GET  /",
            b"GET ",
            b"POST /p",
            b"",
            b"HTTP/1.1 200 OK..Content-Length: 219....",
            b"HTTP/1.1 301 Moved..Content-Length: 12x..Content-Length: 34....",
            b"HTTP/1.1 301..Content-Length: ..",
            b"xxHTTP/ 200 HTTP/1.0 404 x",
            b"HTTP/1.1  200",
            b"HTTP/1.1 abc HTTP/2 7",
            b"HTTP/1.1\t200",
            b"\x00\xffHTTP/1.1 5\x00Content-Length: 9..",
            b"Content-Length: 5.",
        ];
        let m = |pat: &str, b: &[u8]| -> Option<Vec<u8>> {
            let f: mlua::Function = lua.load("return function(s, p) return string.match(s, p) end").eval().unwrap();
            let r: Option<mlua::LuaString> = f.call((lua.create_string(b).unwrap(), pat)).unwrap();
            r.map(|s| s.as_bytes().to_vec())
        };
        for &b in bufs {
            let want_req = {
                let f: mlua::Function =
                    lua.load("return function(s) local a, b = string.match(s, '^(%u+) (%g+)') return a, b end").eval().unwrap();
                let (a, c): (Option<mlua::LuaString>, Option<mlua::LuaString>) = f.call(lua.create_string(b).unwrap()).unwrap();
                a.zip(c).map(|(a, c)| (a.as_bytes().to_vec(), c.as_bytes().to_vec()))
            };
            assert_eq!(request_line(b).map(|(a, c)| (a.to_vec(), c.to_vec())), want_req, "{b:?}");
            assert_eq!(host(b).map(<[u8]>::to_vec), m("Host: (%g+)%.%.", b), "{b:?}");
            assert_eq!(status(b).map(<[u8]>::to_vec), m("HTTP/[%g]+ (%d+)", b), "{b:?}");
            assert_eq!(content_length(b).map(<[u8]>::to_vec), m("Content%-Length: (%d+)%.%.", b), "{b:?}");
        }
    }
}
