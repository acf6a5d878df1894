//! `--export parquet DIR`: many captures to Parquet files, in parallel.
//!
//! Each capture is independent: a worker thread runs one whole pipeline
//! ([`crate::pipeline::run_capture`]: its own reader, state engine and filter)
//! into a [`ParquetSink`], so the values are those `-p` prints. Workers take
//! captures from a shared queue; there are as many as cores (or captures).
//! A file is written as `DIR/.NAME.parquet.partial` and renamed to
//! `DIR/NAME.parquet` (NAME: the capture's file name) when complete, so a
//! query over `DIR/*.parquet` never reads half a file.
//!
//! A capture that breaks off (truncated, corrupt) keeps the rows read before
//! the fault, and the run reports it and exits with 1; so does a capture that
//! cannot be read at all. The others are exported regardless.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::fields::Registry;
use crate::filter::Filter;
use crate::pipeline::{run_capture, Limits, Sinks, Src};
use crate::sink::parquet::{parse_columns, Column, ParquetOpts, ParquetSink};
use crate::sink::SinkError;
use crate::source::scap::{prefetch::Prefetch, ScapReader};
use crate::source::ProgressHandle;

/// What to export, and how.
#[derive(Clone, Debug, Default)]
pub struct ExportOpts {
    /// The captures: a path, or a pattern with `*`, `?`, `[...]` in its
    /// file name (`captures/*.scap*`).
    pub pattern: String,
    /// Where the Parquet files go (created if missing).
    pub out_dir: PathBuf,
    /// `-p`: a format or a field list; `None`: the default schema.
    pub fields: Option<String>,
    /// The filter (empty: every event).
    pub filter: String,
    /// Per-capture limits (`-n`, `-M`).
    pub limits: Limits,
    /// Show the progress bar even when stderr is not a terminal (`-P`).
    pub force_progress: bool,
    /// Worker threads; 0: one per core.
    pub threads: usize,
}

/// What a run exported.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Captures exported (completely or up to a fault).
    pub files: usize,
    /// Rows written.
    pub rows: u64,
    /// Events read.
    pub events: u64,
    /// Errors, one per failed capture.
    pub errors: Vec<String>,
}

/// Expands `pattern` into the capture files it names, sorted. Wildcards are
/// allowed in the file name only; a pattern without any names one file.
pub fn expand(pattern: &str) -> Result<Vec<PathBuf>, String> {
    let wild = |s: &str| s.contains(['*', '?', '[']);
    if !wild(pattern) {
        return Ok(vec![PathBuf::from(pattern)]);
    }
    let p = Path::new(pattern);
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if wild(&dir.to_string_lossy()) || !wild(name) {
        return Err(format!("{pattern}: wildcards are only supported in the file name"));
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let n = e.file_name();
        let Some(n) = n.to_str() else { continue };
        if n.starts_with('.') && !name.starts_with('.') {
            continue;
        }
        let is_file = e.file_type().map(|t| t.is_file() || t.is_symlink()).unwrap_or(false);
        if is_file && crate::filter::glob::glob_match(name.as_bytes(), n.as_bytes()) {
            out.push(if p.parent().map(|d| d.as_os_str().is_empty()).unwrap_or(true) {
                PathBuf::from(n)
            } else {
                dir.join(n)
            });
        }
    }
    if out.is_empty() {
        return Err(format!("{pattern}: no capture file matches"));
    }
    out.sort();
    Ok(out)
}

/// Shared between workers and the progress bar.
#[derive(Default)]
struct Progress {
    /// Total input bytes.
    total: u64,
    /// Input bytes of finished captures.
    done_bytes: AtomicU64,
    /// Captures finished.
    done_files: AtomicUsize,
    /// Rows written so far.
    rows: Arc<AtomicU64>,
    /// Readers in flight.
    active: Mutex<Vec<ProgressHandle>>,
}

impl Progress {
    fn consumed(&self) -> u64 {
        let active: u64 = self
            .active
            .lock()
            .map(|a| a.iter().map(|h| h.consumed.load(Ordering::Relaxed)).sum())
            .unwrap_or(0);
        self.done_bytes.load(Ordering::Relaxed) + active
    }
}

/// Runs the export; returns the summary (errors included), or an error
/// that stops everything before any capture is read.
pub fn run(o: &ExportOpts) -> Result<Summary, String> {
    let reg = Registry::get();
    let columns = parse_columns(o.fields.as_deref(), reg)?;
    if !o.filter.trim().is_empty() {
        Filter::new(&o.filter, reg).map_err(|e| e.to_string())?;
    }
    let files = expand(&o.pattern)?;
    std::fs::create_dir_all(&o.out_dir).map_err(|e| format!("{}: {e}", o.out_dir.display()))?;
    let outputs = output_names(&files, &o.out_dir)?;
    let total = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let progress = Progress { total, ..Progress::default() };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let threads = if o.threads == 0 { cores } else { o.threads }.clamp(1, files.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Done)>> = Mutex::new(Vec::new());
    let stop_bar = AtomicBool::new(false);
    let show = o.force_progress || std::io::stderr().is_terminal();
    let start = Instant::now();
    std::thread::scope(|s| {
        let bar = show.then(|| s.spawn(|| progress_bar(&progress, files.len(), &stop_bar, start)));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let r = export_one(&files[i], &outputs[i], &columns, o, &progress);
                    progress.done_files.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut v) = results.lock() {
                        v.push((i, r));
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
        stop_bar.store(true, Ordering::Relaxed);
        if let Some(b) = bar {
            let _ = b.join();
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut sum = Summary::default();
    if results.len() != files.len() {
        sum.errors.push(format!("{} of {} captures were not exported (a worker failed)", files.len() - results.len(), files.len()));
    }
    for (_, d) in results {
        if d.written {
            sum.files += 1;
        }
        sum.events += d.events;
        sum.rows += d.rows;
        sum.errors.extend(d.error);
    }
    Ok(sum)
}

/// `DIR/NAME.parquet` for each capture; two captures with the same file
/// name (from different folders) would overwrite each other: refused.
fn output_names(files: &[PathBuf], dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = Vec::with_capacity(files.len());
    for f in files {
        let name = f.file_name().ok_or_else(|| format!("{}: not a file name", f.display()))?;
        let mut n = name.to_os_string();
        n.push(".parquet");
        let p = dir.join(n);
        if out.contains(&p) {
            return Err(format!("two captures would both be exported to {}", p.display()));
        }
        out.push(p);
    }
    Ok(out)
}

/// How one capture went.
#[derive(Default)]
struct Done {
    /// The Parquet file exists (complete, or up to a read error).
    written: bool,
    events: u64,
    rows: u64,
    error: Option<String>,
}

impl Done {
    fn failed(e: String) -> Done {
        Done { error: Some(e), ..Done::default() }
    }
}

/// Exports one capture.
fn export_one(path: &Path, out: &Path, columns: &[Column], o: &ExportOpts, progress: &Progress) -> Done {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let finish_bytes = || progress.done_bytes.fetch_add(size, Ordering::Relaxed);
    let reader = match ScapReader::open(path) {
        Ok(r) => r,
        Err(e) => {
            finish_bytes();
            return Done::failed(format!("{}: {e}", path.display()));
        }
    };
    let mut src = Src::Scap(Box::new(Prefetch::spawn(reader)));
    let handle = src.get().progress_handle();
    let slot = handle.as_ref().and_then(|h| {
        let mut a = progress.active.lock().ok()?;
        a.push(h.clone());
        Some(Arc::as_ptr(&h.consumed))
    });
    let r = export_source(&mut src, path, out, columns, o, progress);
    if let (Some(ptr), Ok(mut a)) = (slot, progress.active.lock()) {
        a.retain(|h| Arc::as_ptr(&h.consumed) != ptr);
    }
    finish_bytes();
    r
}

fn export_source(
    src: &mut Src,
    path: &Path,
    out: &Path,
    columns: &[Column],
    o: &ExportOpts,
    progress: &Progress,
) -> Done {
    let filter = if o.filter.trim().is_empty() {
        None
    } else {
        match Filter::new(&o.filter, Registry::get()) {
            Ok(f) => Some(f),
            Err(e) => return Done::failed(e.to_string()),
        }
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = out.with_file_name(format!(".{name}.partial"));
    let capture = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let popts = ParquetOpts::new(columns.to_vec(), partial.clone(), capture, o.filter.clone());
    let sink = ParquetSink::new(popts, Some(progress.rows.clone()));
    let mut sinks: Sinks = vec![Box::new(sink)];
    let name = path.display().to_string();
    let outcome = match run_capture(src, filter.as_ref(), &mut sinks, &o.limits, &name) {
        Ok(oc) => oc,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Done::failed(match e {
                SinkError::Failed(m) => m,
                SinkError::Exit(c) => format!("{name}: stopped ({c})"),
            });
        }
    };
    if let (Some(e), 0) = (&outcome.read_error, outcome.events) {
        // Not a capture (or broken from its start): no file at all.
        let _ = std::fs::remove_file(&partial);
        return Done::failed(e.clone());
    }
    if let Err(e) = std::fs::rename(&partial, out) {
        let _ = std::fs::remove_file(&partial);
        return Done::failed(format!("{}: {e}", out.display()));
    }
    let error = outcome
        .read_error
        .map(|e| format!("{e} (the {} rows before it are in {})", outcome.matched, out.display()));
    Done { written: true, events: outcome.events, rows: outcome.matched, error }
}

/// Redraws one status line on stderr until `stop`.
fn progress_bar(p: &Progress, nfiles: usize, stop: &AtomicBool, start: Instant) {
    let mut err = std::io::stderr();
    loop {
        let done = stop.load(Ordering::Relaxed);
        let consumed = if done { p.total } else { p.consumed().min(p.total) };
        let frac = if p.total == 0 { 1.0 } else { consumed as f64 / p.total as f64 };
        let width = 30;
        let filled = ((frac * width as f64) as usize).min(width);
        let rows = p.rows.load(Ordering::Relaxed);
        let secs = start.elapsed().as_secs_f64().max(1e-3);
        let _ = write!(
            err,
            "\r[{}{}] {:5.1}%  {}/{} captures  {} rows  {:.0} rows/s ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            frac * 100.0,
            p.done_files.load(Ordering::Relaxed),
            nfiles,
            rows,
            rows as f64 / secs
        );
        let _ = err.flush();
        if done {
            let _ = writeln!(err);
            return;
        }
        let mut slept = 0;
        while slept < 250 && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(25));
            slept += 25;
        }
    }
}
