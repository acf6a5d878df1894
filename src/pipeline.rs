//! One capture through the pipeline: source → state → filter → sinks.
//!
//! [`run_capture`] reads a source to its end (or a limit), keeps one state
//! engine up to date with every event, evaluates the filter and hands each
//! event to every [`Sink`] of the run. It knows no sink by name and no
//! command-line option: the runner builds the source, filter and sinks, and
//! the Parquet export runs one pipeline per capture on its own thread.

use crate::event::Event;
use crate::fields::{EvalCtx, Scratch, TypeGate};
use crate::filter::Filter;
use crate::sink::{Flow, Sink, SinkError};
use crate::source::{scap::{prefetch::Prefetch, Step}, Item, Source};
use crate::state::{EventMeta, State};

/// The sinks of one run, fed in order.
pub type Sinks<'o> = Vec<Box<dyn Sink + 'o>>;

/// When a capture ends early.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Stop after this many events passed the filter (`-n`).
    pub max_matched: u64,
    /// Stop at the first event this many ns after the first one (`-M`).
    pub duration_ns: Option<u64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_matched: u64::MAX, duration_ns: None }
    }
}

/// What is dropped from the input before the state sees it.
#[derive(Debug, Default)]
pub struct Intake {
    /// `-E`: user and group records are dropped.
    pub exclude_users: bool,
    /// `--large-environment`: live, environments the probe may have cut are
    /// read whole from /proc (see `State::large_envs`).
    pub large_environment: bool,
    /// `-U`: events of suppressed comms are dropped before they are numbered;
    /// live, their threads are left out of the start-up scan too.
    pub suppress: Option<crate::source::suppress::CommSuppressor>,
}

/// How a capture went.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Events read (numbered).
    pub events: u64,
    /// Events that passed the filter.
    pub matched: u64,
    /// The input broke off with this error; the sinks were still finished
    /// with everything read before it.
    pub read_error: Option<String>,
}

/// A run's source; scap files are read through the concrete reader (on its
/// own thread), whose small [`Step`]s avoid copying large items per event.
pub enum Src {
    /// A capture file read ahead on its own thread.
    Scap(Box<Prefetch>),
    /// Any other source (live capture).
    Other(Box<dyn Source>),
}

impl Src {
    /// The source behind, for its progress, statistics and warnings.
    pub fn get(&mut self) -> &mut dyn Source {
        match self {
            Src::Scap(r) => &mut **r,
            Src::Other(s) => &mut **s,
        }
    }
}

/// What the loop reads: a run's [`Src`], or the prefetching file reader
/// itself (read on a reader thread by [`run_capture_adaptive`]).
pub trait Input {
    /// The source behind, for its progress, statistics and warnings.
    fn source(&mut self) -> &mut dyn Source;
    /// The next header record, event or end.
    fn step(&mut self) -> Result<Step<'_>, crate::source::SourceError>;
}

impl Input for Prefetch {
    fn source(&mut self) -> &mut dyn Source {
        self
    }

    #[inline]
    fn step(&mut self) -> Result<Step<'_>, crate::source::SourceError> {
        Prefetch::step(self)
    }
}

impl Input for Src {
    fn source(&mut self) -> &mut dyn Source {
        self.get()
    }

    #[inline]
    fn step(&mut self) -> Result<Step<'_>, crate::source::SourceError> {
        match self {
            Src::Scap(r) => r.step(),
            Src::Other(s) => Ok(match s.next_item()? {
                Some(Item::Event(e)) => Step::Event(e),
                Some(Item::Record(r)) => Step::Record(Box::new(r)),
                None => Step::End,
            }),
        }
    }
}

/// Runs one capture: reads `src` (named `name` in error messages) through
/// `filter` into `sinks`, then finishes every sink. A sink's error ends the
/// run at once (the other sinks are not finished).
pub fn run_capture<I: Input + ?Sized>(
    src: &mut I,
    filter: Option<&Filter>,
    sinks: &mut [Box<dyn Sink + '_>],
    limits: &Limits,
    name: &str,
) -> Result<Outcome, SinkError> {
    run_capture_with(src, filter, sinks, limits, &mut Intake::default(), name)
}

/// [`run_capture`], dropping what `intake` says from the input.
pub fn run_capture_with<I: Input + ?Sized>(
    src: &mut I,
    filter: Option<&Filter>,
    sinks: &mut [Box<dyn Sink + '_>],
    limits: &Limits,
    intake: &mut Intake,
    name: &str,
) -> Result<Outcome, SinkError> {
    let mut eng = Engine::new(src.source().event_num_offset());
    if src.source().is_live() {
        // Live, the container runtimes' files name the containers.
        eng.state.containers.runtime_root = Some("/".into());
        eng.state.large_envs = intake.large_environment;
    }
    eng.run_to_end(src, filter, sinks, limits, intake, name)
}

/// [`run_capture_with`] with one sink, on this thread, until the sink asks
/// to hand the rest of the capture off ([`Flow::Handoff`]). Then `handoff`
/// may give the sink that takes the rest on a reader thread of its own (with
/// the state as it is), and a companion that `beside` runs on this thread
/// meanwhile (typically serving that sink over channels: `beside` must keep
/// serving it until the capture ends, the reader's sink may wait for it).
/// When `handoff` gives nothing, the capture goes on here.
// run_capture_with's six inputs plus the two handoff closures, for one caller (runner::drive).
#[allow(clippy::too_many_arguments)]
pub fn run_capture_adaptive<K: Sink, S: Sink + Send, H>(
    src: &mut Prefetch,
    filter: Option<&Filter>,
    sink: &mut K,
    limits: &Limits,
    intake: &mut Intake,
    name: &str,
    handoff: impl FnOnce(&mut K) -> Option<(S, H)>,
    beside: impl FnOnce(&mut K, H),
) -> Result<Outcome, SinkError> {
    let mut eng = Engine::new(src.source().event_num_offset());
    let mut handoff = Some(handoff);
    loop {
        {
            let mut one: [Box<dyn Sink + '_>; 1] = [Box::new(&mut *sink)];
            if let Drove::End(read_error) = eng.drive(src, filter, &mut one, limits, intake, name)? {
                return eng.end(&mut one, read_error);
            }
        }
        let Some((rest, companion)) = handoff.take().and_then(|h| h(&mut *sink)) else {
            continue;
        };
        return std::thread::scope(|sc| {
            let eng = &mut eng;
            let reader = std::thread::Builder::new().name("rchisel-reader".into()).spawn_scoped(sc, move || {
                let mut one: [Box<dyn Sink + '_>; 1] = [Box::new(rest)];
                eng.run_to_end(src, filter, &mut one, limits, intake, name)
            });
            let reader = match reader {
                Ok(r) => r,
                Err(e) => return Err(SinkError::Failed(format!("cannot start the reader thread: {e}"))),
            };
            beside(sink, companion);
            reader.join().unwrap_or_else(|_| Err(SinkError::Failed("the reader thread panicked".into())))
        });
    }
}

/// How [`Engine::drive`] stopped.
enum Drove {
    /// The capture ended (with the read error that ended it, if any).
    End(Option<String>),
    /// A sink asked to hand the rest of the capture off.
    Handoff,
}

/// Per-capture loop state.
struct Engine {
    state: State,
    /// Filled in place per event (see State::process_filtered).
    meta: EventMeta,
    scratch: Scratch,
    type_gate: TypeGate,
    num_offset: u64,
    nevts: u64,
    matched: u64,
    first_ts: Option<u64>,
    /// Thread of the last exit event that passed the filter: its stored
    /// enter event is dropped before the next event (sysdig's event_cleanup).
    cleanup_tid: Option<i64>,
    /// Sinks begin once the capture's header (threads, fds, users, machine)
    /// is in the state, as sysdig's open() reads it before on_capture_start.
    started: bool,
}

impl Engine {
    fn new(num_offset: u64) -> Engine {
        Engine {
            state: State::new(),
            meta: EventMeta::default(),
            scratch: Scratch::default(),
            type_gate: TypeGate::default(),
            num_offset,
            nevts: 0,
            matched: 0,
            first_ts: None,
            cleanup_tid: None,
            started: false,
        }
    }

    /// Reads to the end of the capture (a sink's request to hand off goes on
    /// here: there is nowhere to hand to), then finishes the sinks.
    fn run_to_end<I: Input + ?Sized>(
        &mut self,
        src: &mut I,
        filter: Option<&Filter>,
        sinks: &mut [Box<dyn Sink + '_>],
        limits: &Limits,
        intake: &mut Intake,
        name: &str,
    ) -> Result<Outcome, SinkError> {
        let read_error = loop {
            if let Drove::End(e) = self.drive(src, filter, sinks, limits, intake, name)? {
                break e;
            }
        };
        self.end(sinks, read_error)
    }

    /// After the capture ended (with `read_error` when the input broke off):
    /// finishes the sinks and gives the run's outcome.
    fn end(&mut self, sinks: &mut [Box<dyn Sink + '_>], read_error: Option<String>) -> Result<Outcome, SinkError> {
        self.finish(sinks)?;
        Ok(Outcome { events: self.nevts, matched: self.matched, read_error })
    }

    /// Reads until the end, a limit, a stop (`Drove::End`, with the message
    /// when the input broke off) or a sink's request to hand off.
    fn drive<I: Input + ?Sized>(
        &mut self,
        src: &mut I,
        filter: Option<&Filter>,
        sinks: &mut [Box<dyn Sink + '_>],
        limits: &Limits,
        intake: &mut Intake,
        name: &str,
    ) -> Result<Drove, SinkError> {
        // A live source sees a stop signal itself and reads its tail to the end.
        let live = src.source().is_live();
        loop {
            if self.matched >= limits.max_matched || (!live && crate::signals::stop_requested()) {
                return Ok(Drove::End(None));
            }
            let mut ev = match src.step() {
                Ok(Step::Event(ev)) => ev,
                Ok(Step::Record(rec)) => {
                    if intake.exclude_users && matches!(*rec, crate::source::Record::User(_) | crate::source::Record::Group(_)) {
                        continue;
                    }
                    // -U: live, the start-up scan leaves suppressed threads out.
                    if live && intake.suppress.as_mut().is_some_and(|s| s.scanned(&rec)) {
                        continue;
                    }
                    for s in sinks.iter_mut() {
                        s.record(&rec);
                    }
                    self.state.apply_record(*rec);
                    continue;
                }
                Ok(Step::End) => return Ok(Drove::End(None)),
                Err(e) => return Ok(Drove::End(Some(format!("error reading {name}: {e}")))),
            };
            if intake.suppress.as_mut().is_some_and(|s| s.suppressed(&ev)) {
                continue;
            }
            self.begin(sinks)?;
            if let (Some(d), Some(f)) = (limits.duration_ns, self.first_ts) && ev.ts.saturating_sub(f) >= d {
                return Ok(Drove::End(None));
            }
            match self.event(&mut ev, filter, sinks)? {
                Flow::Continue => {}
                Flow::Stop => return Ok(Drove::End(None)),
                Flow::Handoff => return Ok(Drove::Handoff),
            }
        }
    }

    fn begin(&mut self, sinks: &mut [Box<dyn Sink + '_>]) -> Result<(), SinkError> {
        if !self.started {
            self.started = true;
            for s in sinks.iter_mut() {
                s.begin(&self.state)?;
            }
        }
        Ok(())
    }

    /// Numbers the event, updates the state, filters, and feeds the sinks.
    #[inline]
    fn event(
        &mut self,
        ev: &mut Event<'_>,
        filter: Option<&Filter>,
        sinks: &mut [Box<dyn Sink + '_>],
    ) -> Result<Flow, SinkError> {
        self.nevts += 1;
        ev.num = self.nevts + self.num_offset;
        if let Some(tid) = self.cleanup_tid.take() {
            self.state.event_cleanup(tid);
        }
        let first = *self.first_ts.get_or_insert(ev.ts);
        let ev: &Event<'_> = ev;
        let passed = match filter {
            // Written state-only (fatfile): parsed, never shown (libsinsp).
            _ if ev.is_state_only() => {
                self.state.process_into(ev, &mut self.meta);
                false
            }
            None => {
                self.state.process_into(ev, &mut self.meta);
                true
            }
            Some(f) => {
                let (gate, scratch) = (&mut self.type_gate, &mut self.scratch);
                self.state.process_filtered(ev, &mut self.meta, |st, meta| {
                    let mut cx = EvalCtx::new(ev, meta, st, scratch, first);
                    gate.may_pass(ev, f, &mut cx) && f.matches(&mut cx)
                })
            }
        };
        let mut ctx = EvalCtx::new(ev, &self.meta, &self.state, &mut self.scratch, first);
        if !passed {
            for s in sinks.iter_mut() {
                s.unmatched(&mut ctx)?;
            }
            return Ok(Flow::Continue);
        }
        self.matched += 1;
        if !ev.is_enter() {
            self.cleanup_tid = Some(ev.tid);
        }
        let mut flow = Flow::Continue;
        for s in sinks.iter_mut() {
            match s.matched(&mut ctx)? {
                Flow::Continue => {}
                Flow::Stop => return Ok(Flow::Stop),
                Flow::Handoff => flow = Flow::Handoff,
            }
        }
        Ok(flow)
    }

    /// Begins the sinks if no event did, then finishes them in order.
    fn finish(&mut self, sinks: &mut [Box<dyn Sink + '_>]) -> Result<(), SinkError> {
        self.begin(sinks)?;
        for s in sinks.iter_mut() {
            s.finish(&self.state)?;
        }
        Ok(())
    }
}
