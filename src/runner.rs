//! Runs the pipeline for one invocation: source → state → filter → sinks.
//! Knows nothing about command-line parsing: it takes [`Options`].

use std::io::{self, Write};
use std::path::PathBuf;

use crate::chisel::{ChiselOptions, ChiselSet, RunInfo};
use crate::event::render::{BufFormat, RenderOpts};
use crate::export::ExportOpts;
use crate::fields::Registry;
use crate::filter::{EventTypes, Filter};
use crate::pipeline::{run_capture_adaptive, run_capture_with, Intake, Limits, Outcome, Sinks, Src};
use crate::sink::capture::CaptureSink;
use crate::sink::chisels::ChiselSink;
use crate::sink::printer::{default_format, preset_or, unescape, PrintSink, Printer, PrinterOpts};
use crate::sink::writer::{cycle::CycleConfig, Compression};
use crate::sink::SinkError;
use crate::source::scap::{prefetch::Prefetch, ScapReader};

pub use crate::fields::TimeType;

pub use crate::chisel::ChiselRequest;

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
    /// Record page faults in live captures (`--page-faults`).
    pub page_faults: bool,
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
    /// `--export FORMAT DIR`: (format, output folder).
    pub export: Option<(String, PathBuf)>,
    /// `-U`: events of threads with these comms (and their children) are dropped.
    pub suppress_comms: Vec<String>,
    /// `--large-environment`: read long environments from /proc (live).
    pub large_environment: bool,
    /// `-F`: write filtered-out state-changing events as state-only events.
    pub fatfile: bool,
    /// `-m URL[,MARATHON_URL]`: the Mesos master sysdig would ask (this
    /// build checks it as sysdig does and stops; see [`crate::mesos`]).
    pub mesos_api: Option<String>,
    /// `--filter-proclist`: the thread table written with `-w` keeps only
    /// the threads and fds the filter matches.
    pub filter_proclist: bool,
    /// `-T`: capture full tracer writes to /dev/null (live).
    pub force_tracers: bool,
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
    if let Err(e) = out.flush() && e.kind() != io::ErrorKind::BrokenPipe && code == 0 {
        eprintln!("error writing output: {e}");
        return 1;
    }
    code
}

/// The pipeline, step by step: lists and exports that need no capture;
/// else what the run selects (chisels, filters), its source, where events go
/// (the sinks), the capture itself, and the report at the end.
fn run_inner(opts: &Options, out: &mut dyn Write) -> Result<i32, String> {
    let registry = Registry::get();
    // -R: ports by service name in parameters, fd names and fields.
    crate::filter::services::set_port_names(opts.resolve_ports);
    if let Some(code) = run_listing(opts, registry, out)? {
        return Ok(code);
    }
    if opts.export.is_some() {
        return run_export(opts);
    }
    let sel = select(opts, registry)?;
    let mut source = open_input(opts, &sel)?;
    let mut intake = intake(opts);
    let cpu_start = process_cpu_secs();
    let route = route(opts, registry, sel.chisels, (sel.display, sel.proclist), &mut source, out)?;
    let outcome = drive(route, sel.filter.as_ref(), &limits(opts), &mut intake, &source_name(opts));
    report(opts, &mut source, &intake, &outcome, cpu_start);
    exit_code(outcome)
}

/// What a run acts on, decided before its source opens.
struct Selection {
    /// The `-c` chisels, loaded.
    chisels: Option<ChiselSet>,
    /// The capture filter: only the events it matches reach the sinks.
    filter: Option<Filter>,
    /// `-d`: the filter that only decides what is printed.
    display: Option<Filter>,
    /// `--filter-proclist`: the filter for the thread table written with `-w`.
    proclist: Option<Filter>,
    /// What the capture can ever match, for the probe's kernel-side selection.
    types: EventTypes,
}

/// Loads the chisels and builds the filters from the positionals they leave.
fn select(opts: &Options, registry: &Registry) -> Result<Selection, String> {
    // Chisels consume leading positionals as their arguments; the rest is the filter.
    let chisels = crate::chisel::load_all(&chisel_options(opts), registry)?;
    let filter = build_filter(opts, chisels.as_ref(), registry)?;
    // -d: every event is parsed and kept; the filter only decides what is printed.
    let (filter, display) = if opts.display_filter { (None, filter) } else { (filter, None) };
    // What the capture can ever match, for the probe's kernel-side selection:
    // the capture filter's types, and among them what a chisel acts on.
    let mut types = filter.as_ref().map(|f| f.event_types().clone()).unwrap_or(EventTypes::All);
    if let Some(ch) = chisels.as_ref() {
        types = types.and(ch.event_types());
    }
    let proclist = if opts.filter_proclist { filter.clone() } else { None };
    Ok(Selection { chisels, filter, display, proclist, types })
}

/// Opens the run's source for the selected event types, then does what
/// sysdig does once its input is open: the Mesos check, and the chisels'
/// progress handle.
fn open_input(opts: &Options, sel: &Selection) -> Result<Src, String> {
    let mut source = open_source(opts, &sel.types)?;
    // sysdig asks the Mesos master once the input is open, before any event.
    if let Some(m) = &opts.mesos_api {
        crate::mesos::check(m)?;
    }
    if let Some(ch) = sel.chisels.as_ref() {
        ch.set_progress(source.get().progress_handle());
    }
    Ok(source)
}

/// What the pipeline drops or adds before state sees an event (`-E`, `-U`,
/// `--large-environment`).
fn intake(opts: &Options) -> Intake {
    Intake {
        exclude_users: opts.exclude_users,
        large_environment: opts.large_environment,
        suppress: crate::source::suppress::CommSuppressor::new(&opts.suppress_comms),
    }
}

/// When the capture stops early (`-n`, `-M`).
fn limits(opts: &Options) -> Limits {
    Limits {
        max_matched: opts.num_events.unwrap_or(u64::MAX),
        duration_ns: opts.duration_s.map(|s| s.saturating_mul(1_000_000_000)),
    }
}

/// How events reach the run's outputs.
enum Route<'s, 'o> {
    /// Chisels alone on a capture file: the chisel sink is the run's only
    /// sink, and may read ahead on a thread of its own when that pays (see
    /// [`ChiselSink::adaptive`]; chisels that cannot simply stay in step).
    ReadAhead(&'s mut Prefetch, ChiselSink),
    /// Every other run: the source through the sinks of [`build_sinks`].
    Sinks(&'s mut Src, Sinks<'o>),
}

/// Builds the run's outputs and picks the [`Route`] to them.
fn route<'s, 'o>(
    opts: &Options,
    registry: &Registry,
    chisels: Option<ChiselSet>,
    filters: (Option<Filter>, Option<Filter>),
    source: &'s mut Src,
    out: &'o mut dyn Write,
) -> Result<Route<'s, 'o>, String> {
    let live = source.get().is_live();
    let progress = opts.progress.then(|| source.get().progress_handle());
    // RCHISEL_READ_AHEAD=N reads ahead after N events without measuring
    // (tests), RCHISEL_NO_READ_AHEAD turns reading ahead off.
    let alone = opts.write_file.is_none() && progress.is_none() && std::env::var_os("RCHISEL_NO_READ_AHEAD").is_none();
    let after = std::env::var("RCHISEL_READ_AHEAD").ok().and_then(|v| v.parse::<u64>().ok());
    Ok(match (alone, chisels, source) {
        (true, Some(set), Src::Scap(reader)) => Route::ReadAhead(reader, ChiselSink::new(set).adaptive(after)),
        (_, chisels, source) => Route::Sinks(source, build_sinks(opts, registry, chisels, live, filters, progress, out)?),
    })
}

/// Runs the capture: every event of the source through the filter to the
/// route's outputs, until the input ends or a limit or a sink stops it.
fn drive(route: Route, filter: Option<&Filter>, limits: &Limits, intake: &mut Intake, name: &str) -> Result<Outcome, SinkError> {
    match route {
        Route::ReadAhead(reader, mut cs) => {
            let handoff = |cs: &mut ChiselSink| {
                let (ex, widths) = cs.ahead_extractor()?;
                // Tests check that this path ran.
                if std::env::var_os("RCHISEL_AHEAD_NOTE").is_some() {
                    eprintln!("reading ahead");
                }
                Some(crate::sink::chisels::ahead_pair(ex, widths))
            };
            let serve = |cs: &mut ChiselSink, host: crate::sink::chisels::AheadHost| host.serve(cs);
            run_capture_adaptive(reader, filter, &mut cs, limits, intake, name, handoff, serve)
        }
        Route::Sinks(source, mut sinks) => run_capture_with(source, filter, &mut sinks, limits, intake, name),
    }
}

/// What the run says at the end, however the capture ended (a full disk
/// too): the `-v` statistics, then the source's warnings.
fn report(opts: &Options, source: &mut Src, intake: &Intake, outcome: &Result<Outcome, SinkError>, cpu_start: f64) {
    if opts.verbose {
        let suppressed = intake.suppress.as_ref().map_or(0, |s| s.dropped);
        let captured = outcome.as_ref().ok().map(|o| o.matched);
        let src = source.get();
        src.close();
        print_stats(src.stats(), suppressed, captured, process_cpu_secs() - cpu_start);
        if let Some(peak) = src.ring_peak_use() {
            // Not in sysdig: how close the reader came to dropping events.
            eprintln!("Ring Peak Use:{:.0}%", peak * 100.0);
        }
    }
    for w in source.get().take_warnings() {
        eprintln!("warning: {w}");
    }
}

/// The exit code of a finished capture, or the error to print.
fn exit_code(outcome: Result<Outcome, SinkError>) -> Result<i32, String> {
    match outcome {
        Ok(o) => match o.read_error {
            Some(e) => Err(e),
            None => Ok(0),
        },
        Err(SinkError::Exit(code)) => Ok(code),
        Err(SinkError::Failed(m)) => Err(m),
    }
}

/// `--export parquet DIR`: every capture named by `-r` (a path or a
/// pattern) to its own Parquet file; see [`crate::export`].
fn run_export(opts: &Options) -> Result<i32, String> {
    let Some((format, dir)) = &opts.export else { return Ok(0) };
    if format != "parquet" {
        return Err(format!("unsupported export format {format} (supported: parquet)"));
    }
    let Some(pattern) = &opts.read_file else {
        return Err("--export needs captures to read (-r FILE or -r 'PATTERN')".into());
    };
    if !opts.chisels.is_empty() || opts.write_file.is_some() {
        return Err("--export cannot be combined with -c or -w".into());
    }
    let eopts = ExportOpts {
        pattern: pattern.to_string_lossy().into_owned(),
        out_dir: dir.clone(),
        fields: opts.format.clone(),
        filter: opts.positional.join(" "),
        limits: limits(opts),
        force_progress: opts.progress,
        threads: 0,
    };
    let sum = crate::export::run(&eopts)?;
    if opts.verbose {
        eprintln!("exported {} rows ({} events read) from {} captures to {}", sum.rows, sum.events, sum.files, dir.display());
    }
    for e in &sum.errors {
        eprintln!("{e}");
    }
    Ok(if sum.errors.is_empty() { 0 } else { 1 })
}

/// CPU seconds this process used so far (what sysdig's `clock()` measures).
fn process_cpu_secs() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// `-v` statistics at the end, as sysdig 0.29.3 prints them (for files too,
/// with zero driver counts); the second line when the capture completed.
fn print_stats(driver: Option<(u64, u64)>, suppressed: u64, captured: Option<u64>, cpu_secs: f64) {
    let (events, drops) = driver.unwrap_or((0, 0));
    eprintln!("Driver Events:{events}\nDriver Drops:{drops}\nSuppressed by Comm:{suppressed}");
    if let Some(n) = captured {
        eprintln!("Elapsed time: {cpu_secs:.3}, Captured Events: {n}, {:.2} eps", n as f64 / cpu_secs);
    }
}

/// `-L`, `-l`, `-cl`, `-i`: lists that need no capture; `None` otherwise.
fn run_listing(opts: &Options, registry: &Registry, out: &mut dyn Write) -> Result<Option<i32>, String> {
    if opts.list_events {
        crate::event::render::list_events(&mut &mut *out).map_err(|e| e.to_string())?;
        return Ok(Some(0));
    }
    if opts.list_fields {
        registry.list(out, opts.verbose_list, opts.list_markdown).map_err(|e| e.to_string())?;
        return Ok(Some(0));
    }
    if opts.list_chisels || opts.chisel_info.is_some() {
        return crate::chisel::describe(&chisel_options(opts), out).map(Some);
    }
    Ok(None)
}

/// The filter: the positionals the chisels did not take, unless a chisel
/// replaced it (`sysdig.set_filter` in on_init).
fn build_filter(opts: &Options, chisels: Option<&ChiselSet>, registry: &Registry) -> Result<Option<Filter>, String> {
    let consumed = chisels.map(|c| c.consumed_args()).unwrap_or(0);
    let mut filter_text = opts.positional.get(consumed..).unwrap_or(&[]).join(" ");
    if let Some(f) = chisels.and_then(|c| c.global_filter()) {
        filter_text = f;
    }
    if filter_text.trim().is_empty() {
        return Ok(None);
    }
    let filter = Filter::new(&filter_text, registry).map_err(|e| e.to_string())?;
    // -d: the filter only selects what is displayed; chisels see every event.
    if opts.display_filter && chisels.is_some_and(|c| c.global_filter().is_none()) {
        return Ok(None);
    }
    Ok(Some(filter))
}

/// The `-r` capture file (read ahead on its own thread), else a live capture
/// of `types`.
fn open_source(opts: &Options, types: &EventTypes) -> Result<Src, String> {
    Ok(match &opts.read_file {
        Some(path) => Src::Scap(Box::new(Prefetch::spawn(
            ScapReader::open(path).map_err(|e| format!("{}: {e}", path.display()))?,
        ))),
        None => Src::Other(crate::source::open_live(live_config(opts), types)?),
    })
}

/// The live capture settings `opts` ask for.
fn live_config(opts: &Options) -> crate::source::live::LiveConfig {
    crate::source::live::LiveConfig {
        snaplen: opts.snaplen.unwrap_or(80),
        page_faults: opts.page_faults,
        large_environment: opts.large_environment,
        tracers: opts.force_tracers,
        // Captures must stay readable by sysdig 0.29.3, which crashes on
        // syscall codes past its table: record those as unknown generic events.
        sc_limit: opts.write_file.is_some().then_some(crate::source::live::SYSDIG_0_29_SC_LIMIT),
        ..Default::default()
    }
}

/// The run's outputs, in the order they see each event: the capture writer
/// (`-w`), the chisels (`-c`), else the printer (unless `-q`).
fn build_sinks<'o>(
    opts: &Options,
    registry: &Registry,
    chisels: Option<ChiselSet>,
    live: bool,
    (display, proclist): (Option<Filter>, Option<Filter>),
    progress: Option<Option<crate::source::ProgressHandle>>,
    out: &'o mut dyn Write,
) -> Result<Sinks<'o>, String> {
    let mut sinks: Sinks<'o> = Vec::new();
    // First: it reports before the others finish, as sysdig does.
    if let Some(handle) = progress {
        sinks.push(Box::new(crate::sink::progress::Progress::new(handle)));
    }
    if let Some(path) = &opts.write_file {
        let sink = CaptureSink::new(cycle_config(opts, path, live), compression(opts))
            .fatfile(opts.fatfile)
            .proclist_filter(proclist);
        sinks.push(Box::new(sink));
    }
    let quiet = opts.quiet || chisels.is_some();
    // -S counts what sysdig's own loop sees: not with chisels.
    let summary = opts.summary && chisels.is_none();
    if let Some(ch) = chisels {
        sinks.push(Box::new(ChiselSink::new(ch)));
    }
    if !quiet {
        let printer = Printer::new(registry, &printer_opts(opts))?;
        let print = PrintSink::new(printer, out, opts.debug, opts.unbuffered || opts.json);
        sinks.push(Box::new(print.with_display_filter(display)));
    }
    if summary {
        sinks.push(Box::new(crate::sink::summary::Summary::new(Box::new(io::stdout()))));
    }
    Ok(sinks)
}

/// Printer settings from the run options (also the chisels' defaults).
pub fn printer_opts(o: &Options) -> PrinterOpts {
    let mut render = RenderOpts { buf_format: o.buf_format, ..RenderOpts::default() };
    if o.json && render.buf_format == BufFormat::Normal {
        render.buf_format = BufFormat::JsonNormal;
    }
    render.full_bufs = o.verbose;
    if let Some(s) = o.snaplen {
        render.print_len = s as usize;
    }
    let format = match o.format.as_deref() {
        None => default_format().to_string(),
        Some(p) => match preset_or(p) {
            Some(f) => f.to_string(),
            None => unescape(p),
        },
    };
    PrinterOpts { format, json: o.json, render, time_type: o.time_type }
}

/// What the chisel layer needs from `o`: the `-c` requests and their
/// arguments, what chisels may ask about the run, and the printer's settings.
fn chisel_options(o: &Options) -> ChiselOptions {
    let popts = printer_opts(o);
    let run = RunInfo {
        is_live: o.read_file.is_none(),
        print_container: o.format.as_deref().is_some_and(|p| preset_or(p).is_some()),
        source_name: o.read_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
        cmd_buf_format: o.buf_format,
        json: o.json,
        // sysdig resets the colors at the end when its event format uses
        // them: the default one on a terminal, or a -p format with escapes.
        reset_colors: match o.format.as_deref() {
            // SAFETY: isatty only queries the descriptor.
            None => (unsafe { libc::isatty(1) }) != 0,
            Some(f) => f.contains("\\e") || f.contains('\x1b'),
        },
    };
    ChiselOptions {
        requests: o.chisels.clone(),
        positional: o.positional.clone(),
        run,
        render: popts.render,
        time_type: popts.time_type,
        list_chisels: o.list_chisels,
        chisel_info: o.chisel_info.clone(),
    }
}

/// The `-w` file's compression: `-z` gzip, `--lz4`, else none.
fn compression(opts: &Options) -> Compression {
    if opts.compress {
        Compression::Gzip
    } else if opts.lz4 {
        Compression::Lz4
    } else {
        Compression::None
    }
}

/// How `-w` rotates its files (`-C`, `-G`, `-W`, `-e`).
fn cycle_config(opts: &Options, path: &std::path::Path, live: bool) -> CycleConfig {
    CycleConfig {
        base: path.to_string_lossy().into_owned(),
        rollover_mb: opts.rollover_mb.unwrap_or(0),
        duration_secs: opts.rollover_s.unwrap_or(0),
        file_limit: opts.file_limit.unwrap_or(0),
        event_limit: opts.rollover_events.unwrap_or(0),
        live,
    }
}

/// The input's name in messages: the `-r` path, else "live capture".
fn source_name(opts: &Options) -> String {
    match &opts.read_file {
        Some(p) => p.display().to_string(),
        None => "live capture".into(),
    }
}
