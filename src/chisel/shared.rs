//! State shared between a chisel's Lua callbacks (the `sysdig`, `chisel` and
//! `evt` functions) and the host that drives it.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::net::{SocketAddrV4, UdpSocket};
use std::rc::Rc;

use crate::event::render::BufFormat;
use crate::fields::{EvalCtx, Field};
use crate::filter::Filter;
use crate::sink::printer::Format;
use crate::state::State;

/// What the chisels may ask about the run.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// Live capture (no `-r`).
    pub is_live: bool,
    /// `-pc`/`-pcontainer` was given.
    pub print_container: bool,
    /// The capture file name ("" when live).
    pub source_name: String,
    /// The buffer format given on the command line (chisels may only change Normal).
    pub cmd_buf_format: BufFormat,
    /// `-j`.
    pub json: bool,
    /// sysdig writes "\e[00m" at the end of the input when the event
    /// format holds colors (the default one on a terminal).
    pub reset_colors: bool,
}

/// Per-run state common to every chisel of the run.
#[derive(Default)]
pub struct Global {
    /// Text printed by chisels, flushed to stdout in blocks.
    pub out: RefCell<Vec<u8>>,
    /// Timestamp of the first event (0 before it).
    pub first_ts: Cell<u64>,
    /// Timestamp of the last event seen.
    pub last_ts: Cell<u64>,
    /// The capture filter (`sysdig.get_filter`).
    pub filter_text: RefCell<String>,
    /// Set by `sysdig.set_filter`: replaces the capture filter.
    pub global_filter: RefCell<Option<String>>,
    /// Set by `sysdig.set_snaplen`.
    pub snaplen: Cell<Option<u32>>,
    /// Buffer format (`sysdig.set_output_format`).
    pub buf_format: Cell<BufFormat>,
    /// Facts about the run.
    pub info: RunInfo,
    /// Arguments for a second run (`sysdig.run_app`).
    pub run_app: RefCell<Option<String>>,
    /// Metrics pushed with `sysdig.push_metric` (name, value).
    pub metrics: RefCell<Vec<(String, f64)>>,
    /// How far the capture file has been read (`sysdig.get_read_progress`).
    pub progress: RefCell<Option<crate::source::ProgressHandle>>,
    /// The capture is open (after every on_init): `get_read_progress` works.
    pub opened: Cell<bool>,
    /// When the pending text was last written out.
    pub last_flush: Cell<Option<std::time::Instant>>,
}

impl Global {
    /// Appends printed text. It reaches stdout at once on live captures,
    /// else when the block is large or 100 ms after the last write-out, so
    /// output of long runs streams through pipes.
    pub fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.borrow_mut().extend_from_slice(bytes);
        self.wrote()
    }

    /// Writes the pending text out when due (see [`Global::write`]); call
    /// after appending to `out` directly.
    pub fn wrote(&self) -> std::io::Result<()> {
        let big = self.out.borrow().len() >= 1 << 16;
        let now = std::time::Instant::now();
        let Some(last) = self.last_flush.get() else {
            self.last_flush.set(Some(now));
            return if big || self.info.is_live { self.flush() } else { Ok(()) };
        };
        if big || self.info.is_live || now.duration_since(last).as_millis() >= 100 {
            self.last_flush.set(Some(now));
            return self.flush();
        }
        Ok(())
    }

    /// Writes the pending text to stdout.
    pub fn flush(&self) -> std::io::Result<()> {
        let data = std::mem::take(&mut *self.out.borrow_mut());
        if data.is_empty() {
            return Ok(());
        }
        let mut so = std::io::stdout();
        so.write_all(&data)?;
        so.flush()
    }
}

/// Per-chisel state reachable from its Lua callbacks.
pub struct Shared {
    /// The chisel name as given (`-c NAME`), used in messages.
    pub filename: RefCell<String>,
    /// Fields requested with `chisel.request_field`; handles are index + 1.
    pub fields: RefCell<Vec<Field>>,
    /// The event being processed (only set while a callback runs).
    ctx: Cell<*mut EvalCtx<'static>>,
    /// The state (only set while a callback runs).
    state: Cell<*const State>,
    /// The event read ahead (instead of `ctx`, while a callback runs on it).
    ahead: Cell<*const super::ahead::AheadEvt<'static>>,
    /// The warning about a field requested too late to be read ahead was given.
    late_warned: Cell<bool>,
    /// True once an event was handed to the chisel (`evt.*` then work).
    pub seen_event: Cell<bool>,
    /// `chisel.set_filter`.
    pub filter: RefCell<Option<Filter>>,
    /// The filter's event-type verdicts (reset with the filter).
    pub filter_gate: RefCell<crate::fields::TypeGate>,
    /// `chisel.set_event_formatter`.
    pub formatter: RefCell<Option<Format>>,
    /// Formats requested with `chisel.request_format` (an rchisel
    /// extension for bundled chisels); handles are index + 1.
    pub formats: RefCell<Vec<Format>>,
    /// Reused buffer for `evt.format`'s lines and `evt.field`'s text fields.
    pub format_buf: RefCell<Vec<u8>>,
    /// The Lua strings `evt.field` pushed lately.
    pub str_cache: RefCell<super::fast::StrCache>,
    /// `chisel.set_interval_s/ns` (ns).
    pub interval: Cell<u64>,
    /// `chisel.set_precise_interval_ns`.
    pub precise_interval: Cell<u64>,
    /// `sysdig.end_capture` was called.
    pub end_capture: Cell<bool>,
    /// Events handed to the chisel so far, before its own filter
    /// (`chisel.events_seen`, an rchisel extension).
    pub events_seen: Cell<u64>,
    /// `chisel.exec(name, args...)` request.
    pub exec: RefCell<Option<(String, Vec<String>)>>,
    /// `sysdig.udp_setpeername` socket and peer.
    pub udp: RefCell<Option<(UdpSocket, SocketAddrV4)>>,
    /// Run-wide state.
    pub global: Rc<Global>,
    /// Per-event work done by the host (`chisel.native_topn`,
    /// `chisel.native_print`, `chisel.native_rows`...).
    pub native: RefCell<Option<super::native::Native>>,
    /// Lines requested with `chisel.request_line`; handles are index + 1.
    pub lines: RefCell<Vec<Rc<super::line::Line>>>,
}

impl Shared {
    /// New per-chisel state.
    pub fn new(filename: &str, global: Rc<Global>) -> Shared {
        Shared {
            filename: RefCell::new(filename.to_string()),
            fields: RefCell::new(Vec::new()),
            ctx: Cell::new(std::ptr::null_mut()),
            state: Cell::new(std::ptr::null()),
            ahead: Cell::new(std::ptr::null()),
            late_warned: Cell::new(false),
            seen_event: Cell::new(false),
            filter: RefCell::new(None),
            filter_gate: RefCell::new(Default::default()),
            formatter: RefCell::new(None),
            formats: RefCell::new(Vec::new()),
            format_buf: RefCell::new(Vec::new()),
            str_cache: RefCell::new(Default::default()),
            interval: Cell::new(0),
            precise_interval: Cell::new(0),
            end_capture: Cell::new(false),
            events_seen: Cell::new(0),
            exec: RefCell::new(None),
            udp: RefCell::new(None),
            global,
            native: RefCell::new(None),
            lines: RefCell::new(Vec::new()),
        }
    }

    /// The chisel name for messages.
    pub fn name(&self) -> String {
        self.filename.borrow().clone()
    }

    /// Runs `f` with the event context (and its state) reachable from Lua.
    #[inline]
    pub fn with_ctx<R>(&self, ctx: &mut EvalCtx<'_>, f: impl FnOnce() -> R) -> R {
        let st: *const State = ctx.state;
        let p: *mut EvalCtx<'_> = ctx;
        self.seen_event.set(true);
        let _g = Guard::set(self, p.cast(), st, std::ptr::null());
        f()
    }

    /// Runs `f` with an event read ahead reachable from Lua (no state).
    #[inline]
    pub fn with_ahead<R>(&self, ev: &super::ahead::AheadEvt<'_>, f: impl FnOnce() -> R) -> R {
        self.seen_event.set(true);
        let p: *const super::ahead::AheadEvt<'_> = ev;
        let _g = Guard::set(self, std::ptr::null_mut(), std::ptr::null(), p.cast());
        f()
    }

    /// The event read ahead, if a callback runs on one.
    pub fn ahead(&self) -> Option<&super::ahead::AheadEvt<'static>> {
        let p = self.ahead.get();
        // SAFETY: as for `ctx`: set by `with_ahead` from a live reference
        // for the duration of the call.
        if p.is_null() { None } else { unsafe { Some(&*p) } }
    }

    /// Says once that a field requested after the capture started has no
    /// values while reading ahead.
    pub fn warn_late_field(&self) {
        if !self.late_warned.replace(true) {
            eprintln!(
                "warning: chisel {} requested a field after on_init: it reads nil while events are read ahead (RCHISEL_NO_READ_AHEAD=1 turns that off)",
                self.name()
            );
        }
    }

    /// Runs `f` with only the state reachable from Lua.
    pub fn with_state<R>(&self, st: &State, f: impl FnOnce() -> R) -> R {
        let _g = Guard::set(self, std::ptr::null_mut(), st, std::ptr::null());
        f()
    }

    /// The current event context, if a callback with an event is running.
    ///
    /// The returned reference must not outlive the Lua callback that asked
    /// for it (the host clears the pointer when its call returns).
    #[allow(clippy::mut_from_ref)]
    pub fn ctx(&self) -> Option<&mut EvalCtx<'static>> {
        let p = self.ctx.get();
        // SAFETY: the pointer is set by `with_ctx` from a live `&mut EvalCtx`
        // for exactly the duration of the Lua call, and only the Lua
        // callbacks (which run inside that call, on this thread, one at a
        // time) dereference it.
        if p.is_null() { None } else { unsafe { Some(&mut *p) } }
    }

    /// The current state, if a callback is running.
    pub fn state(&self) -> Option<&State> {
        let p = self.state.get();
        // SAFETY: as for `ctx`: set from a live reference for the duration of the call.
        if p.is_null() { None } else { unsafe { Some(&*p) } }
    }
}

/// Restores the previous pointers when a callback returns (also on error).
struct Guard<'a> {
    sh: &'a Shared,
    ctx: *mut EvalCtx<'static>,
    state: *const State,
    ahead: *const super::ahead::AheadEvt<'static>,
    current: *const Shared,
}

impl<'a> Guard<'a> {
    #[inline]
    fn set(
        sh: &'a Shared,
        ctx: *mut EvalCtx<'static>,
        state: *const State,
        ahead: *const super::ahead::AheadEvt<'static>,
    ) -> Guard<'a> {
        let current = super::fast::set_current(sh);
        let g = Guard { sh, ctx: sh.ctx.get(), state: sh.state.get(), ahead: sh.ahead.get(), current };
        sh.ctx.set(ctx);
        sh.state.set(state);
        sh.ahead.set(ahead);
        g
    }
}

impl Drop for Guard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.sh.ctx.set(self.ctx);
        self.sh.state.set(self.state);
        self.sh.ahead.set(self.ahead);
        super::fast::set_current(self.current);
    }
}
