//! Runs the pipeline for one invocation: source → state → filter → sinks.
//! Knows nothing about command-line parsing: it takes [`Options`].

use std::io::{self, Write};
use std::path::PathBuf;

use crate::event::consts::EC_INTERNAL;
use crate::event::render::BufFormat;
use crate::fields::{self, EvalCtx, Registry};
use crate::filter::Filter;
use crate::sink::printer::{Printer, PrinterOpts};
use crate::sink::writer::{cycle::{CycleConfig, RotatingWriter}, Compression};
use crate::source::{scap::{prefetch::Prefetch, ScapReader, Step}, Item, Record, Source};
use crate::state::State;

/// How `%evt.time`-style timestamps are shown (`-t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeType {
    /// Local wall-clock time (default).
    #[default]
    Human,
    /// Absolute epoch ns.
    Absolute,
    /// Relative to the first event.
    Relative,
    /// Delta from the previous printed event.
    Delta,
    /// Delta from the previous event of the same thread.
    DeltaSameThread,
}

/// A `-c NAME` request; `next_arg` is the index (into `Options::positional`)
/// of the argument right after it on the command line, if any.
#[derive(Clone, Debug)]
pub struct ChiselRequest {
    pub name: String,
    pub next_arg: Option<usize>,
    /// The raw command-line word after `-c NAME`, even when it is an option
    /// (sysdig gives it to a chisel with required arguments).
    pub next_word: Option<String>,
}

/// Everything one run needs to know.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub read_file: Option<PathBuf>,
    pub write_file: Option<PathBuf>,
    pub compress: bool,
    pub lz4: bool,
    pub format: Option<String>,
    pub json: bool,
    pub buf_format: BufFormat,
    pub verbose: bool,
    pub quiet: bool,
    pub debug: bool,
    pub display_filter: bool,
    pub unbuffered: bool,
    pub progress: bool,
    pub summary: bool,
    pub exclude_users: bool,
    pub resolve_ports: bool,
    pub list_fields: bool,
    pub list_markdown: bool,
    pub verbose_list: bool,
    pub list_events: bool,
    pub list_chisels: bool,
    pub chisel_info: Option<String>,
    pub snaplen: Option<u32>,
    pub num_events: Option<u64>,
    pub duration_s: Option<u64>,
    pub rollover_mb: Option<u64>,
    pub rollover_s: Option<u64>,
    pub rollover_events: Option<u64>,
    pub file_limit: Option<u32>,
    pub time_type: TimeType,
    pub chisels: Vec<ChiselRequest>,
    /// Positional arguments (chisel arguments first, then the filter words).
    pub positional: Vec<String>,
}

/// Runs; returns the exit code.
pub fn run(opts: Options) -> i32 {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = match run_inner(&opts, &mut out) {
        Ok(code) => code,
        Err(msg) => {
            let _ = out.flush();
            // A reader that went away (`| head`) is not an error.
            if msg.contains("os error 32") {
                return 0;
            }
            // An empty message: already reported (chisel errors).
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            1
        }
    };
    if let Err(e) = out.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe && code == 0 {
            eprintln!("error writing output: {e}");
            return 1;
        }
    }
    code
}

fn run_inner(opts: &Options, out: &mut dyn Write) -> Result<i32, String> {
    let registry = Registry::get();
    if opts.list_events {
        crate::event::render::list_events(&mut &mut *out).map_err(|e| e.to_string())?;
        return Ok(0);
    }
    if opts.list_fields {
        registry.list(out, opts.verbose_list, opts.list_markdown).map_err(|e| e.to_string())?;
        return Ok(0);
    }
    if opts.list_chisels || opts.chisel_info.is_some() {
        return crate::chisel::describe(opts, out);
    }

    // Chisels consume leading positionals as their arguments; the rest is the filter.
    let mut chisels = crate::chisel::load_all(opts, registry)?;
    let consumed = chisels.as_ref().map(|c| c.consumed_args()).unwrap_or(0);
    let mut filter_text = opts.positional.get(consumed..).unwrap_or(&[]).join(" ");
    // A chisel may replace the capture filter (sysdig.set_filter in on_init).
    if let Some(f) = chisels.as_ref().and_then(|c| c.global_filter()) {
        filter_text = f;
    }
    let filter = if filter_text.trim().is_empty() {
        None
    } else {
        Some(Filter::new(&filter_text, registry).map_err(|e| e.to_string())?)
    };

    let mut source = match &opts.read_file {
        Some(path) => Src::Scap(Box::new(Prefetch::spawn(
            ScapReader::open(path).map_err(|e| format!("{}: {e}", path.display()))?,
        ))),
        None => Src::Other(crate::source::open_live(opts)?),
    };

    if let Some(ch) = chisels.as_ref() {
        ch.set_progress(source.get().progress_handle());
    }
    let popts = PrinterOpts::from_options(opts);
    let mut printer = if opts.quiet || chisels.is_some() {
        None
    } else {
        Some(Printer::new(registry, &popts).map_err(|e| e.to_string())?)
    };

    let mut type_gate = TypeGate::default();
    let mut writer: Option<RotatingWriter> = None;
    let mut header: Vec<Record> = Vec::new();
    let duration_ns = opts.duration_s.map(|s| s.saturating_mul(1_000_000_000));
    let mut state = State::new();
    let mut nevts: u64 = 0;
    // Thread of the last exit event that passed the filter: its stored enter
    // event is dropped before the next event (sysdig's event_cleanup).
    let mut cleanup_tid: Option<i64> = None;
    let mut matched: u64 = 0;
    let limit = opts.num_events.unwrap_or(u64::MAX);
    let mut ctx_scratch = fields::Scratch::default();
    // Filled in place per event (see State::process_filtered).
    let mut meta = crate::state::EventMeta::default();
    let mut first_ts: Option<u64> = None;
    let mut result = Ok(0);
    let num_offset = source.get().event_num_offset();
    let live = source.get().is_live();
    // Chisels start once the capture's header (threads, fds, users, machine)
    // is in the state, as sysdig's open() reads it before on_capture_start.
    let mut chisels_started = false;
    loop {
        if matched >= limit || crate::signals::stop_requested() {
            break;
        }
        let mut ev = match source.step() {
            Ok(Step::Event(ev)) => ev,
            Ok(Step::Record(rec)) => {
                if opts.write_file.is_some() {
                    header.push((*rec).clone());
                }
                state.apply_record(*rec);
                continue;
            }
            Ok(Step::End) => break,
            Err(e) => {
                result = Err(format!("error reading {}: {e}", source_name(opts)));
                break;
            }
        };
        if !chisels_started {
            chisels_started = true;
            if let Some(ch) = chisels.as_mut() {
                if let Err(e) = ch.on_capture_start(&state) {
                    eprintln!("{e}");
                    let _ = ch.on_capture_end(&state);
                    return Ok(1);
                }
            }
        }
        if let (Some(d), Some(f)) = (duration_ns, first_ts) {
            if ev.ts.saturating_sub(f) >= d {
                break;
            }
        }
        nevts += 1;
        ev.num = nevts + num_offset;
        if let Some(tid) = cleanup_tid.take() {
            state.event_cleanup(tid);
        }
        let first = *first_ts.get_or_insert(ev.ts);
        let passed = match &filter {
            None => {
                meta = state.process(&ev);
                true
            }
            Some(f) => state.process_filtered(&ev, &mut meta, |st, meta| {
                type_gate.may_pass(&ev, f) && f.matches(&mut EvalCtx::new(&ev, meta, st, &mut ctx_scratch, first))
            }),
        };
        let mut ctx = EvalCtx::new(&ev, &meta, &state, &mut ctx_scratch, first);
        if !passed {
            if let Some(ch) = chisels.as_mut() {
                if let Err(e) = ch.on_timeout(&mut ctx) {
                    eprintln!("{e}");
                    let _ = ch.on_capture_end(&state);
                    return Ok(1);
                }
            }
            continue;
        }
        matched += 1;
        if !ev.is_enter() {
            cleanup_tid = Some(ev.tid);
        }
        if let Some(path) = &opts.write_file {
            if writer.is_none() {
                let w = open_writer(opts, path, live, std::mem::take(&mut header))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                writer = Some(w);
            }
            if let Some(w) = writer.as_mut() {
                w.write_event(&ev).map_err(|e| format!("error writing {}: {e}", path.display()))?;
            }
        }
        if let Some(ch) = chisels.as_mut() {
            match ch.on_event(&mut ctx) {
                Ok(crate::chisel::Flow::Continue) => {}
                Ok(crate::chisel::Flow::Stop) => break,
                Err(e) => {
                    // sysdig prints the error, then still ends the capture for the chisels.
                    eprintln!("{e}");
                    let _ = ch.on_capture_end(&state);
                    return Ok(1);
                }
            }
        } else if let Some(p) = printer.as_mut() {
            // Internal events (procinfo...) are numbered but only printed with -D.
            let internal = ev.info().map(|i| i.category & EC_INTERNAL != 0).unwrap_or(false);
            if internal && !opts.debug {
                continue;
            }
            if let Err(e) = p.print(&mut ctx, out) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(0);
                }
                return Err(e.to_string());
            }
            if opts.unbuffered || opts.json {
                out.flush().map_err(|e| e.to_string())?;
            }
        }
    }
    if let Some(ch) = chisels.as_mut() {
        if !chisels_started {
            if let Err(e) = ch.on_capture_start(&state) {
                eprintln!("{e}");
                let _ = ch.on_capture_end(&state);
                return Ok(1);
            }
        }
        ch.on_capture_end(&state)?;
    }
    if let Some(path) = &opts.write_file {
        // A capture with no matching event still gets its header tables.
        let w = match writer.take() {
            Some(w) => w,
            None => open_writer(opts, path, live, std::mem::take(&mut header))
                .map_err(|e| format!("{}: {e}", path.display()))?,
        };
        w.finish().map_err(|e| format!("error closing {}: {e}", path.display()))?;
    }
    if opts.verbose {
        if let Some((events, drops)) = source.get().stats() {
            eprintln!("Driver Events:{events}");
            eprintln!("Driver Drops:{drops}");
        }
    }
    for w in source.get().take_warnings() {
        eprintln!("warning: {w}");
    }
    if let Some(p) = printer.as_mut() {
        p.finish(out).map_err(|e| e.to_string())?;
    }
    result
}

/// The run's source; scap files are read through the concrete reader (on its
/// own thread), whose small [`Step`]s avoid copying large items per event.
enum Src {
    Scap(Box<Prefetch>),
    Other(Box<dyn Source>),
}

impl Src {
    fn get(&mut self) -> &mut dyn Source {
        match self {
            Src::Scap(r) => &mut **r,
            Src::Other(s) => &mut **s,
        }
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

/// Caches, per event type, whether the filter's `evt.type` checks can accept
/// it, so most non-matching events are rejected before any field is read.
#[derive(Default)]
struct TypeGate {
    /// 0 = unknown, 1 = may pass, 2 = rejected.
    by_type: Vec<u8>,
    /// The same for generic events, by syscall id (they are named after it).
    by_syscall: Vec<u8>,
}

impl TypeGate {
    #[inline]
    fn may_pass(&mut self, ev: &crate::event::Event, f: &Filter) -> bool {
        let types = f.event_types();
        if matches!(types, crate::filter::EventTypes::All) {
            return true;
        }
        let (cache, i) = if ev.etype <= 1 {
            // Generic events are named after their syscall.
            match ev.generic_syscall_id() {
                Some(id) => (&mut self.by_syscall, id as usize),
                None => return types.may_match(ev.name().as_bytes()),
            }
        } else {
            (&mut self.by_type, ev.etype as usize)
        };
        if i >= cache.len() {
            cache.resize(i + 1, 0);
        }
        if cache[i] == 0 {
            cache[i] = if types.may_match(ev.name().as_bytes()) { 1 } else { 2 };
        }
        cache[i] == 1
    }
}

fn open_writer(opts: &Options, path: &std::path::Path, live: bool, header: Vec<Record>) -> io::Result<RotatingWriter> {
    let compression = if opts.compress {
        Compression::Gzip
    } else if opts.lz4 {
        Compression::Lz4
    } else {
        Compression::None
    };
    let cfg = CycleConfig {
        base: path.to_string_lossy().into_owned(),
        rollover_mb: opts.rollover_mb.unwrap_or(0),
        duration_secs: opts.rollover_s.unwrap_or(0),
        file_limit: opts.file_limit.unwrap_or(0),
        event_limit: opts.rollover_events.unwrap_or(0),
        live,
    };
    RotatingWriter::new(cfg, compression, header)
}

fn source_name(opts: &Options) -> String {
    match &opts.read_file {
        Some(p) => p.display().to_string(),
        None => "live capture".into(),
    }
}
