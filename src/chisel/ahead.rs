//! Reading ahead: the capture's reading, state and field extraction on one
//! thread, the chisels' Lua on another.
//!
//! Most of a Lua chisel's time is its own Lua; the rest is reading events,
//! keeping the state and extracting the fields it asked for. When every
//! chisel of a run only reads its requested fields per event (no thread
//! table, no host-side per-event jobs), the reader thread extracts those
//! fields for each event into [`Batch`]es and the Lua thread runs the
//! callbacks on them, both at once.
//!
//! Values are the ones `evt.field` would give at that event: the reader
//! extracts them right after the state saw the event, as the Lua call would
//! have, and sends them in order. A run reads ahead only when the chisels
//! take most of its time (`sink::chisels::ChiselSink::adaptive`).

use crate::event::render::RenderOpts;
use crate::event::Event;
use crate::fields::{EvalCtx, Field, TimeType, TypeGate};
use crate::filter::Filter;

/// Names in a chisel's source that keep it from reading ahead: the API
/// calls that read the state or the event beyond its requested fields
/// while a callback runs (the thread table, read progress, formatted
/// events), stop the capture, or hand per-event work to the host.
const NEEDS_LIVE_STATE: &[&str] = &[
    "get_thread_table",
    "end_capture",
    "get_read_progress",
    "set_event_formatter",
    "evt.format",
    "request_format",
    "request_line",
    "native_",
    "process_pids",
    "print_fd_rows",
];

/// Whether a chisel with this source text may run on read-ahead events.
pub fn source_allows(src: &[u8]) -> bool {
    !NEEDS_LIVE_STATE.iter().any(|w| src.windows(w.len()).any(|x| x == w.as_bytes()))
}

/// A requested field's value for one event, as `evt.field` pushes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AVal {
    /// No value.
    Nil,
    /// A boolean.
    Bool(bool),
    /// A number (Lua gets every number as a float, as from sysdig).
    Num(f64),
    /// Text at `[start, start + len)` of the batch's text.
    Str(u32, u32),
}

/// One event as the chisels get it.
#[derive(Clone, Copy, Debug)]
pub struct Rec {
    /// Timestamp.
    pub ts: u64,
    /// Event number.
    pub num: u64,
    /// CPU.
    pub cpu: u16,
    /// `evt.get_type()`.
    pub type_name: &'static str,
    /// Passed the capture filter (else only the chisels' timers see it).
    pub matched: bool,
    /// Bit `i`: chisel `i`'s own filter let it through.
    pub pass: u64,
    /// Bit `i`: chisel `i`'s field values are in `vals` (in chisel order).
    pub has: u64,
    /// Where this event's values start in the batch's `vals`.
    pub vals_at: u32,
}

/// Events read ahead, in order, with their values.
#[derive(Default)]
pub struct Batch {
    /// The events.
    pub recs: Vec<Rec>,
    /// Their values, chisel after chisel.
    pub vals: Vec<AVal>,
    /// The text the values point into.
    pub text: Vec<u8>,
}

impl Batch {
    /// Events a batch holds before it is sent.
    pub const EVENTS: usize = 1024;

    /// Empties the batch for reuse.
    pub fn clear(&mut self) {
        self.recs.clear();
        self.vals.clear();
        self.text.clear();
    }

    /// Full: send it.
    pub fn full(&self) -> bool {
        self.recs.len() >= Batch::EVENTS || self.text.len() >= 1 << 20
    }

    /// The view of event `i` for chisel `c` (whose earlier siblings have
    /// `widths` values each).
    pub fn event(&self, i: usize, c: usize, widths: &[usize]) -> AheadEvt<'_> {
        let r = &self.recs[i];
        let vals = if r.has & (1 << c) != 0 {
            let before: usize = (0..c).filter(|j| r.has & (1 << j) != 0).map(|j| widths[j]).sum();
            let at = r.vals_at as usize + before;
            &self.vals[at..at + widths[c]]
        } else {
            &[]
        };
        AheadEvt { rec: *r, vals, text: &self.text }
    }
}

/// One event seen by one chisel: what its Lua callbacks may ask for.
pub struct AheadEvt<'a> {
    /// The event.
    pub rec: Rec,
    /// The chisel's field values (by handle - 1), empty when not extracted.
    pub vals: &'a [AVal],
    /// Their text.
    pub text: &'a [u8],
}

impl AheadEvt<'_> {
    /// The bytes of a text value.
    pub fn bytes(&self, start: u32, len: u32) -> &[u8] {
        &self.text[start as usize..(start + len) as usize]
    }
}

/// What the reader does for one chisel.
pub struct Plan {
    /// Its requested fields.
    pub fields: Vec<Field>,
    /// Its own filter (`chisel.set_filter`).
    pub filter: Option<Filter>,
    /// The filter's verdicts by event type.
    pub gate: TypeGate,
    /// Its timer (`on_interval`), which may read the values of an event its
    /// filter rejected.
    pub timer: Timer,
}

/// When a chisel's `on_interval` may run: at the first event of each
/// interval (`chisel.set_interval_*` as set when reading ahead began). The
/// reader extracts a rejected event's values only then.
#[derive(Default)]
pub struct Timer {
    /// The interval (ns); 0: no timer.
    every: u64,
    /// Aligned to multiples of the interval (else counted from `start`:
    /// `set_precise_interval_ns`).
    aligned: bool,
    /// Where precise intervals are counted from (the first event's
    /// timestamp, or the start of the current interval).
    start: Option<u64>,
    /// The interval the last event fell in.
    last: u64,
}

impl Timer {
    /// The timer of `chisel.set_interval_*` (`interval`, else `precise`;
    /// ns); `phase`: the start of the chisel's current precise interval,
    /// if it saw an event already.
    pub fn new(interval: u64, precise: u64, phase: Option<u64>) -> Timer {
        let every = if interval != 0 { interval } else { precise };
        Timer { every, aligned: interval != 0, start: phase, last: 0 }
    }

    /// Whether `on_interval` may run at an event at `ts` (the first event
    /// of an interval; also the very first event).
    #[inline]
    fn due(&mut self, ts: u64) -> bool {
        if self.every == 0 {
            return false;
        }
        let start = *self.start.get_or_insert(ts);
        let base = if self.aligned { 0 } else { start };
        let n = ts.wrapping_sub(base) / self.every;
        let first = n != self.last || ts == start;
        self.last = n;
        first
    }
}

/// The reader's side: fills batches from events.
pub struct Extractor {
    /// One plan per chisel, in order.
    pub plans: Vec<Plan>,
    /// How the chisels render text fields.
    pub render: RenderOpts,
    /// How the chisels' time fields read.
    pub time_type: TimeType,
    /// Text fields are rendered here, then copied into the batch.
    pub buf: Vec<u8>,
}

impl Extractor {
    /// Adds one event (`matched`: it passed the capture filter).
    pub fn add(&mut self, ctx: &mut EvalCtx<'_>, matched: bool, b: &mut Batch) {
        ctx.scratch.render = self.render;
        ctx.scratch.time_type = self.time_type;
        let ev = ctx.ev;
        let mut rec = Rec {
            ts: ev.ts,
            num: ev.num,
            cpu: ev.cpu,
            type_name: type_name(ev),
            matched,
            pass: 0,
            has: 0,
            vals_at: b.vals.len() as u32,
        };
        for (i, p) in self.plans.iter_mut().enumerate() {
            let pass = matched
                && match &p.filter {
                    Some(f) => p.gate.may_pass(ev, f, ctx) && f.matches(ctx),
                    None => true,
                };
            if pass {
                rec.pass |= 1 << i;
            }
            if pass || p.timer.due(ev.ts) {
                rec.has |= 1 << i;
                for f in &p.fields {
                    let mut out = BatchOut { text: &mut b.text, val: AVal::Nil };
                    super::fast::emit_field(ctx, f, Some(&mut self.buf), &mut out);
                    b.vals.push(out.val);
                }
            }
        }
        b.recs.push(rec);
    }
}

/// `evt.get_type()`: the event name, generic events named after their
/// syscall.
pub fn type_name(ev: &Event<'_>) -> &'static str {
    // PPME_GENERIC_E / PPME_GENERIC_X carry the syscall id as parameter 0.
    if (ev.etype == 0 || ev.etype == 1)
        && let Some(i) = ev.param_u64(0).and_then(|id| crate::event::table::syscall_info(id as u16))
    {
        return i.name;
    }
    ev.name()
}

/// [`super::fast::FieldOut`] into a batch: the value, its text appended
/// to the batch's.
struct BatchOut<'a> {
    text: &'a mut Vec<u8>,
    val: AVal,
}

impl super::fast::FieldOut for BatchOut<'_> {
    fn nil(&mut self) {
        self.val = AVal::Nil;
    }

    fn boolean(&mut self, b: bool) {
        self.val = AVal::Bool(b);
    }

    fn number(&mut self, n: f64) {
        self.val = AVal::Num(n);
    }

    fn borrowed(&mut self, s: &[u8]) {
        self.made(s);
    }

    fn made(&mut self, s: &[u8]) {
        self.val = AVal::Str(self.text.len() as u32, s.len() as u32);
        self.text.extend_from_slice(s);
    }
}

#[cfg(test)]
mod tests {
    use super::source_allows;

    #[test]
    fn sources_that_read_the_state_run_in_step() {
        assert!(source_allows(b"function on_event() x = evt.field(f) end"));
        assert!(!source_allows(b"local t = sysdig.get_thread_table(f)"));
        assert!(!source_allows(b"sysdig.end_capture()"));
        assert!(!source_allows(b"chisel.set_event_formatter(fmt)"));
    }
}
