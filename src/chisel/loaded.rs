//! One loaded chisel: its Lua state and the callbacks sysdig drives
//! (libsinsp's sinsp_chisel).

use std::rc::Rc;

use mlua::{Function, Lua, Table, Value};

use super::api;
use super::args::{self, ArgDesc};
use super::ahead::{AheadEvt, Plan};
use super::shared::{Global, Shared};
use crate::fields::EvalCtx;
use crate::state::State;

/// What sysdig makes of a timer callback's (`cb`'s) result: its error, or
/// `nil`/`false` returned, ends the run.
fn timer_verdict(name: &str, cb: &str, r: mlua::Result<Value>) -> Result<(), String> {
    let r = r.map_err(|e| format!("{name} chisel error: calling {cb}() failed:{}", lua_msg(&e)))?;
    if matches!(r, Value::Nil | Value::Boolean(false)) {
        return Err(format!("execution terminated by the {name} chisel"));
    }
    Ok(())
}

/// The message of a Lua error, without mlua's decorations and traceback.
pub fn lua_msg(e: &mlua::Error) -> String {
    let s = match e {
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::CallbackError { cause, .. } => return lua_msg(cause),
        mlua::Error::ExternalError(x) => x.to_string(),
        mlua::Error::MemoryError(m) => m.clone(),
        other => other.to_string(),
    };
    match s.find("\nstack traceback:") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Reads a chisel's declared arguments from its `args` table.
pub fn parse_args_table(t: &Table, out: &mut dyn FnMut(&str)) -> Result<(Vec<ArgDesc>, Option<String>), String> {
    let mut v = Vec::new();
    let mut desc = None;
    for pair in t.pairs::<Value, Value>() {
        let (k, val) = pair.map_err(|e| lua_msg(&e))?;
        match &val {
            Value::String(s) => {
                let ks = value_text(&k);
                out(&format!("{} = {}\n", ks, s.to_string_lossy()));
                desc = Some(s.to_string_lossy());
            }
            Value::Integer(_) | Value::Number(_) => {
                let txt = value_text(&val);
                out(&format!("{} = {}\n", value_text(&k), txt));
                desc = Some(txt);
            }
            Value::Table(a) => {
                let mut d = ArgDesc::default();
                for p in a.pairs::<Value, Value>() {
                    let (ak, av) = p.map_err(|e| lua_msg(&e))?;
                    let key = value_text(&ak);
                    match &av {
                        Value::String(_) | Value::Integer(_) | Value::Number(_) => {
                            let s = value_text(&av);
                            match key.as_str() {
                                "name" => d.name = s,
                                "argtype" => d.argtype = s,
                                "description" => d.description = s,
                                _ => {}
                            }
                        }
                        Value::Boolean(b) => {
                            if key == "optional" {
                                d.optional = *b;
                            }
                        }
                        _ => return Err(format!("{key} is not a string")),
                    }
                }
                v.push(d);
            }
            _ => return Err(format!("{} is not a string", value_text(&k))),
        }
    }
    Ok((v, desc))
}

/// Text of a string or number value (numbers as Lua prints them).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string_lossy(),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => fmt_g14(*n),
        _ => String::new(),
    }
}

/// `%.14g`, as LuaJIT prints numbers.
pub fn fmt_g14(n: f64) -> String {
    if n.is_nan() {
        return "nan".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut buf = [0u8; 64];
    // SAFETY: snprintf writes at most buf.len() bytes, NUL-terminated.
    let len = unsafe {
        libc::snprintf(buf.as_mut_ptr() as *mut libc::c_char, buf.len(), c"%.14g".as_ptr(), n)
    };
    String::from_utf8_lossy(&buf[..(len.max(0) as usize).min(buf.len() - 1)]).into_owned()
}

/// A loaded chisel.
pub struct Chisel {
    lua: Lua,
    sh: Rc<Shared>,
    /// Declared arguments.
    pub args: Vec<ArgDesc>,
    /// Values given (kept for `chisel.exec`).
    argvals: Vec<String>,
    on_event: Option<Function>,
    /// The per-event call of the global `on_event`.
    on_event_call: super::fast::GlobalCall,
    first_evt: bool,
    /// Reused buffer for formatted event lines.
    line: Vec<u8>,
    last_sample_time: u64,
    /// The interval `last_sample_time` is a multiple of (0: none): while the
    /// interval stays this one, events before `last_sample_time + it` need
    /// no division to know they are in the same sample.
    sample_iv: u64,
    last_interval_ts: u64,
    /// The source calls no API that needs the live state per event (see
    /// [`super::ahead::source_allows`]).
    ahead_ok: bool,
}

/// The event a callback runs on: live, or read ahead.
enum Cx<'a, 'e> {
    Live(&'a mut EvalCtx<'e>),
    Ahead(&'a AheadEvt<'a>),
}

impl Cx<'_, '_> {
    fn ts(&self) -> u64 {
        match self {
            Cx::Live(c) => c.ev.ts,
            Cx::Ahead(a) => a.rec.ts,
        }
    }
}

/// What the runner should do after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next event.
    Continue,
    /// `sysdig.end_capture()` was called: stop now.
    Stop,
}

impl Chisel {
    /// Loads chisel `name` (as given to `-c`) from the chisel directories.
    pub fn load(name: &str, dirs: &[String], global: Rc<Global>) -> Result<Chisel, String> {
        let name = name.trim();
        let path = super::dirs::find_chisel(name, dirs).ok_or_else(|| {
            format!(
                "can't open file {name}\nno chisel {name} (or {name}.lua) in: {}\nuse -cl to list the available chisels",
                super::dirs::searched(dirs)
            )
        })?;
        // Code that runs (maybe as root) must not be writable by others:
        // the chisel, and every folder `require` may load from.
        super::dirs::check_trusted(&path)?;
        if let Some(e) = super::dirs::untrusted_dirs(dirs).into_iter().next() {
            return Err(e);
        }
        let src = std::fs::read(&path).map_err(|_| format!("can't open file {name}"))?;
        let lua = Lua::new();
        super::lalloc::install(&lua);
        // Chisels make short-lived strings per event (fields, formatted
        // lines): the generational collector frees them with less work.
        super::fast::generational_gc(&lua);
        let sh = Rc::new(Shared::new(name, global.clone()));
        let fail = |m: String| format!("Failed to load chisel {name}: {m}");
        // Besides the chisel directories, the chisel's own directory, so that a
        // chisel run by path finds its siblings (`require "common"`).
        let mut ppath = super::dirs::package_path(dirs);
        if let Some(parent) = path.parent() {
            let p = parent.to_string_lossy();
            let p = if p.is_empty() { "." } else { &p };
            ppath.push_str(&format!(";{p}/?.lua"));
        }
        api::install(&lua, &sh, &ppath).map_err(|e| fail(lua_msg(&e)))?;
        lua.load(&src[..])
            .set_name(format!("@{}", path.display()))
            .exec()
            .map_err(|e| fail(lua_msg(&e)))?;
        let g = lua.globals();
        let Ok(Value::Table(at)) = g.get::<Value>("args") else {
            return Err(fail("args table missing".into()));
        };
        let gl = global.clone();
        let (args, _) = parse_args_table(&at, &mut |s| {
            let _ = gl.write(s.as_bytes());
        })
        .map_err(fail)?;
        let on_event = match g.get::<Value>("on_event") {
            Ok(Value::Function(f)) => Some(f),
            _ => None,
        };
        let on_event_call = super::fast::GlobalCall::new(&lua, c"on_event");
        Ok(Chisel {
            lua,
            sh,
            args,
            argvals: Vec::new(),
            on_event,
            on_event_call,
            first_evt: true,
            line: Vec::with_capacity(256),
            last_sample_time: 0,
            sample_iv: 0,
            last_interval_ts: 0,
            ahead_ok: super::ahead::source_allows(&src),
        })
    }

    fn name(&self) -> String {
        self.sh.name()
    }

    /// Splits and passes the argument word to `on_set_arg` (sysdig's set_args(string)).
    pub fn set_args_word(&mut self, word: &str) -> Result<(), String> {
        let vals = args::split_args(word).ok_or_else(|| format!("corrupted parameters for chisel {}", self.name()))?;
        args::check_count(&self.args, vals.len(), &self.name())?;
        self.argvals = vals.clone();
        self.set_args(&vals)
    }

    fn set_args(&mut self, vals: &[String]) -> Result<(), String> {
        args::check_count(&self.args, vals.len(), &self.name())?;
        let name = self.name();
        for (d, v) in self.args.iter().zip(vals) {
            let f = match self.lua.globals().get::<Value>("on_set_arg") {
                Ok(Value::Function(f)) => f,
                _ => return Err(format!("chisel {name} misses a set_arg() function.")),
            };
            let r: Value = f
                .call((d.name.as_str(), v.as_str()))
                .map_err(|e| format!("{name} chisel error: {}", lua_msg(&e)))?;
            match r {
                Value::Boolean(true) => {}
                Value::Boolean(false) => return Err(format!("set_arg() for chisel {name} failed.")),
                _ => return Err(format!("{name} chisel error: wrong set_arg() return value.")),
            }
        }
        Ok(())
    }

    /// Calls `on_init` (following `chisel.exec` requests).
    pub fn on_init(&mut self, dirs: &[String]) -> Result<(), String> {
        let f = match self.lua.globals().get::<Value>("on_init") {
            Ok(Value::Function(f)) => f,
            _ => return Ok(()),
        };
        let name = self.name();
        let r: Value = f.call(()).map_err(|e| format!("{name}: error in init(): {}", lua_msg(&e)))?;
        let exec = self.sh.exec.borrow_mut().take();
        match exec {
            None => match r {
                Value::Boolean(true) => Ok(()),
                Value::Boolean(false) => Err(format!("init() for chisel {name} failed.")),
                _ => Err(format!("{name} chisel error: wrong init() return value.")),
            },
            Some((newname, vals)) => {
                let global = self.sh.global.clone();
                let mut n = Chisel::load(&newname, dirs, global)?;
                let mut word = String::new();
                for (i, v) in vals.iter().enumerate() {
                    if v.contains(' ') {
                        word.push('\'');
                        word.push_str(v);
                        word.push('\'');
                    } else {
                        word.push_str(v);
                    }
                    if i + 1 < vals.len() {
                        word.push(' ');
                    }
                }
                n.set_args_word(&word)?;
                *self = n;
                self.on_init(dirs)
            }
        }
    }

    /// Calls `on_capture_start`.
    pub fn on_capture_start(&mut self, st: &State) -> Result<(), String> {
        let f = match self.lua.globals().get::<Value>("on_capture_start") {
            Ok(Value::Function(f)) => f,
            _ => return Ok(()),
        };
        let name = self.name();
        let r: Value = self
            .sh
            .with_state(st, || f.call(()))
            .map_err(|e| format!("{name} chisel error: {}", lua_msg(&e)))?;
        match r {
            Value::Boolean(true) => Ok(()),
            Value::Boolean(false) => Err(format!("init() for chisel {name} failed.")),
            _ => Err(format!(
                "{name} chisel error: wrong on_capture_start() return value. Boolean expected."
            )),
        }
    }

    /// Event types the chisel's own filter may let through.
    pub fn event_types(&self) -> crate::filter::EventTypes {
        match &*self.sh.filter.borrow() {
            Some(f) => f.event_types().clone(),
            None => crate::filter::EventTypes::All,
        }
    }

    /// Runs the chisel on an event that passed the capture filter.
    pub fn run(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, String> {
        self.do_timeout(ctx)?;
        self.sh.events_seen.set(self.sh.events_seen.get() + 1);
        if let Some(f) = &*self.sh.filter.borrow() {
            // Most events fail on their type alone (cached per type).
            if !self.sh.filter_gate.borrow_mut().may_pass(ctx.ev, f, ctx) || !f.matches(ctx) {
                return Ok(Flow::Continue);
            }
        }
        let mut skip_on_event = false;
        if let Some(nt) = self.sh.native.borrow_mut().as_mut() {
            let fields = self.sh.fields.borrow();
            nt.add(ctx, &fields).map_err(|e| format!("{} chisel error: {}", self.sh.name(), lua_msg(&e)))?;
            skip_on_event = nt.skip_on_event;
        }
        if self.on_event.is_some() && !skip_on_event {
            let sh = &self.sh;
            let lua = &self.lua;
            let call = &self.on_event_call;
            let r = sh
                .with_ctx(ctx, || call.call(lua))
                .map_err(|e| format!("{} chisel error: {e}", sh.name()))?;
            if self.sh.end_capture.get() {
                return Ok(Flow::Stop);
            }
            if !r {
                return Ok(Flow::Continue);
            }
        }
        let fmt = self.sh.formatter.borrow();
        if let Some(fm) = &*fmt {
            let line = &mut self.line;
            line.clear();
            let ok = if self.sh.global.info.json { fm.render_json(ctx, line) } else { fm.render(ctx, line) };
            if ok {
                line.push(b'\n');
                self.sh.global.write(line).map_err(|e| e.to_string())?;
            }
        }
        Ok(Flow::Continue)
    }

    /// [`Chisel::run`] on an event read ahead (`pass`: the chisel's own
    /// filter let it through).
    pub fn run_ahead(&mut self, ev: &AheadEvt<'_>, pass: bool) -> Result<Flow, String> {
        self.timeout_ahead(ev)?;
        self.sh.events_seen.set(self.sh.events_seen.get() + 1);
        if !pass || self.on_event.is_none() {
            return Ok(Flow::Continue);
        }
        let (sh, lua, call) = (&self.sh, &self.lua, &self.on_event_call);
        sh.with_ahead(ev, || call.call(lua)).map_err(|e| format!("{} chisel error: {e}", sh.name()))?;
        Ok(if self.sh.end_capture.get() { Flow::Stop } else { Flow::Continue })
    }

    /// [`Chisel::do_timeout`] on an event read ahead.
    #[inline]
    pub fn timeout_ahead(&mut self, ev: &AheadEvt<'_>) -> Result<(), String> {
        if self.timer_idle(ev.rec.ts) {
            return Ok(());
        }
        self.do_timeout_with_interval(&mut Cx::Ahead(ev))
    }

    /// What the reader thread must do for this chisel when events are read
    /// ahead, or `None` when the chisel needs the live state per event: its
    /// source calls such an API, it handed per-event work to the host, it
    /// prints events with a formatter, or a requested field keeps a history
    /// of the calls that read it (thread.exectime...). Takes the chisel's
    /// filter, which only the reader uses from then on.
    pub fn ahead_plan(&self) -> Option<Plan> {
        let sh = &self.sh;
        let host_work = sh.native.borrow().is_some() || sh.formatter.borrow().is_some();
        let handles = !sh.formats.borrow().is_empty() || !sh.lines.borrow().is_empty();
        let fields = sh.fields.borrow();
        if !self.ahead_ok || host_work || handles || fields.iter().any(|f| f.acct.is_some()) || !self.modules_allow() {
            return None;
        }
        let (iv, piv) = (sh.interval.get(), sh.precise_interval.get());
        let phase = (!self.first_evt).then_some(self.last_sample_time);
        let timer = super::ahead::Timer::new(iv, piv, phase);
        Some(Plan { fields: fields.clone(), filter: None, gate: Default::default(), timer })
    }

    /// The Lua modules the chisel loaded with `require` (their files, found
    /// again on `package.path`) call no API that needs the live state either.
    fn modules_allow(&self) -> bool {
        let g = self.lua.globals();
        let Ok(package) = g.get::<Table>("package") else { return true };
        let (Ok(loaded), Ok(path)) = (package.get::<Table>("loaded"), package.get::<String>("path")) else {
            return true;
        };
        let Ok(search) = package.get::<Function>("searchpath") else { return true };
        for pair in loaded.pairs::<String, Value>() {
            let Ok((name, _)) = pair else { continue };
            // The standard libraries and the host's own tables have no file.
            let Ok(Value::String(file)) = search.call::<Value>((name.as_str(), path.as_str())) else { continue };
            match std::fs::read(file.to_string_lossy()) {
                Ok(src) if !super::ahead::source_allows(&src) => return false,
                _ => {}
            }
        }
        true
    }

    /// Hands the chisel's filter to a read-ahead [`Plan`].
    pub fn take_filter(&self) -> Option<crate::filter::Filter> {
        self.sh.filter.borrow_mut().take()
    }

    /// The time-driven part: `on_interval` (sysdig's do_timeout).
    #[inline]
    pub fn do_timeout(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), String> {
        if self.timer_idle(ctx.ev.ts) {
            return Ok(());
        }
        self.do_timeout_with_interval(&mut Cx::Live(ctx))
    }

    /// No `on_interval` is due at `ts`.
    #[inline]
    fn timer_idle(&self, ts: u64) -> bool {
        if self.first_evt {
            return false;
        }
        let iv = self.sh.interval.get();
        // Most chisels have no interval: nothing to do after the first event.
        if iv == 0 && self.sh.precise_interval.get() == 0 {
            return true;
        }
        // Still in the current sample.
        iv != 0 && iv == self.sample_iv && ts.wrapping_sub(self.last_sample_time) < iv
    }

    #[inline(never)]
    fn do_timeout_with_interval(&mut self, cx: &mut Cx<'_, '_>) -> Result<(), String> {
        let ts = cx.ts();
        if self.first_evt {
            let iv = self.sh.interval.get();
            self.sample_iv = iv;
            if iv != 0 {
                self.last_sample_time = ts - ts % iv;
            } else if self.sh.precise_interval.get() != 0 {
                self.last_sample_time = ts;
            }
            self.first_evt = false;
            return Ok(());
        }
        let iv = self.sh.interval.get();
        let piv = self.sh.precise_interval.get();
        if iv != 0 {
            let sample = ts - ts % iv;
            if sample != self.last_sample_time {
                let mut delta: i64 = 0;
                if self.last_interval_ts != 0 {
                    delta = ts.wrapping_sub(self.last_interval_ts) as i64;
                    if delta == 0 {
                        return Ok(());
                    }
                }
                self.call_interval(cx, ts, delta as f64)?;
                self.last_sample_time = sample;
                self.sample_iv = iv;
                self.last_interval_ts = ts;
            }
        } else if piv != 0 && ts.wrapping_sub(self.last_sample_time) >= piv && ts >= piv {
            let mut t = self.last_sample_time;
            while t <= ts - piv {
                self.call_interval(cx, t, piv as f64)?;
                t += piv;
            }
            self.last_sample_time = t;
            self.sample_iv = 0;
        }
        Ok(())
    }

    fn call_interval(&mut self, cx: &mut Cx<'_, '_>, ts: u64, delta: f64) -> Result<(), String> {
        let name = self.name();
        let f: Value = self.lua.globals().get("on_interval").unwrap_or(Value::Nil);
        let r: Result<Value, mlua::Error> = match f {
            Value::Function(f) => {
                let call = || f.call(((ts / 1_000_000_000) as f64, (ts % 1_000_000_000) as f64, delta));
                match cx {
                    Cx::Live(ctx) => self.sh.with_ctx(ctx, call),
                    Cx::Ahead(ev) => self.sh.with_ahead(ev, call),
                }
            }
            _ => Err(mlua::Error::RuntimeError("attempt to call a nil value".into())),
        };
        timer_verdict(&name, "on_interval", r)
    }

    /// Calls `on_end_of_sample` (sysdig's do_end_of_sample).
    pub fn on_end_of_sample(&mut self, st: &State) -> Result<(), String> {
        let name = self.name();
        let f: Value = self.lua.globals().get("on_end_of_sample").unwrap_or(Value::Nil);
        let r = match f {
            Value::Function(f) => self.sh.with_state(st, || f.call::<Value>(())),
            _ => Err(mlua::Error::RuntimeError("attempt to call a nil value".into())),
        };
        timer_verdict(&name, "on_end_of_sample", r)
    }

    /// Calls `on_capture_end(ts_s, ts_ns, delta)`.
    pub fn on_capture_end(&mut self, st: &State) -> Result<(), String> {
        let f = match self.lua.globals().get::<Value>("on_capture_end") {
            Ok(Value::Function(f)) => f,
            _ => return Ok(()),
        };
        let g = &self.sh.global;
        let (ts, te) = (g.first_ts.get(), g.last_ts.get());
        let delta = te.wrapping_sub(ts) as i64;
        let name = self.name();
        self.sh
            .with_state(st, || {
                f.call::<()>(((te / 1_000_000_000) as f64, (te % 1_000_000_000) as f64, delta as f64))
            })
            .map_err(|e| format!("{name} chisel error: {}", lua_msg(&e)))
    }
}
