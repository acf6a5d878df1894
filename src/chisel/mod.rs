//! The Lua 5.4 chisel host, faithful to sysdig 0.29.3's chisel API.
//!
//! - [`dirs`]: where chisels are looked up;
//! - [`args`]: how `-c NAME ARGS` consumes the command line;
//! - [`loaded`]: one loaded chisel and the callbacks sysdig drives;
//! - [`api`]: the `sysdig`, `chisel` and `evt` Lua functions;
//! - [`desc`]: `-cl` and `-i NAME`;
//! - [`native`], [`hooks`], [`line`], [`rows`]: per-event work bundled chisels hand
//!   to the host (top-N sums, lines or formatted rows printed or kept per event).
//!
//! Chisels written for sysdig's LuaJIT run unmodified: the vendored Lua
//! prints numbers as LuaJIT does, and `compat.lua` adds the 5.1 functions
//! they use (`unpack`, `table.getn`, `bit`...).

pub mod ahead;
pub mod api;
pub mod args;
pub mod desc;
pub mod dirs;
mod fast;
pub mod fdrows;
pub mod http;
pub mod iobytes;
mod lalloc;
pub mod hooks;
pub mod line;
pub mod loaded;
pub mod native;
pub mod rows;
pub mod shared;

use std::io::Write;
use std::rc::Rc;

use crate::event::render::RenderOpts;
use crate::fields::{EvalCtx, Registry, TimeType};
use crate::filter::Filter;
use crate::state::State;

pub use loaded::Flow;
use loaded::Chisel;
pub use shared::RunInfo;
use shared::Global;

/// A `-c NAME` request; `next_arg` is the index (into
/// [`ChiselOptions::positional`]) of the argument right after it on the
/// command line, if any.
#[derive(Clone, Debug)]
pub struct ChiselRequest {
    /// The chisel's name as given (`-c NAME`).
    pub name: String,
    /// Index of the positional argument right after `-c NAME`, if any.
    pub next_arg: Option<usize>,
    /// The raw command-line word after `-c NAME`, even when it is an option
    /// (sysdig gives it to a chisel with required arguments).
    pub next_word: Option<String>,
}

/// What the chisel layer needs from a run's options; the CLI layer builds it.
#[derive(Clone, Debug, Default)]
pub struct ChiselOptions {
    /// The `-c` requests, in command-line order.
    pub requests: Vec<ChiselRequest>,
    /// Positional arguments: chisel arguments first, then the filter words.
    pub positional: Vec<String>,
    /// What chisels may ask about the run (live or not, source name, `-j`...).
    pub run: RunInfo,
    /// The run's rendering settings (the printer's); chisels start from them.
    pub render: RenderOpts,
    /// The run's timestamp style (`-t`).
    pub time_type: TimeType,
    /// `-cl`: list the chisels.
    pub list_chisels: bool,
    /// `-i NAME`: describe this chisel.
    pub chisel_info: Option<String>,
}

/// The chisels of one run.
pub struct ChiselSet {
    chisels: Vec<Chisel>,
    consumed: usize,
    global: Rc<Global>,
    render: RenderOpts,
    time_type: TimeType,
}

impl ChiselSet {
    /// Event types any of the chisels may act on (their filters' union).
    pub fn event_types(&self) -> crate::filter::EventTypes {
        let mut it = self.chisels.iter().map(|c| c.event_types());
        let first = it.next().unwrap_or(crate::filter::EventTypes::All);
        it.fold(first, |a, b| a.or(b))
    }

    /// How many leading positional arguments the chisels took as their own.
    pub fn consumed_args(&self) -> usize {
        self.consumed
    }

    /// The capture filter to use when a chisel replaced it (`sysdig.set_filter`).
    pub fn global_filter(&self) -> Option<String> {
        self.global.global_filter.borrow().clone()
    }

    /// Lets `sysdig.get_read_progress` follow the capture file's reading.
    pub fn set_progress(&self, p: Option<crate::source::ProgressHandle>) {
        *self.global.progress.borrow_mut() = p;
        self.global.opened.set(true);
    }

    /// Snap length requested by a chisel (`sysdig.set_snaplen`).
    pub fn snaplen(&self) -> Option<u32> {
        self.global.snaplen.get()
    }

    /// Arguments for a second run requested with `sysdig.run_app`.
    pub fn run_app(&self) -> Option<String> {
        self.global.run_app.borrow().clone()
    }

    /// Runs the second run a chisel requested with `sysdig.run_app` (this
    /// program again, with those arguments, sharing stdin/stdout/stderr) and
    /// returns its exit status; `None` when no chisel asked for one.
    pub fn run_second_run(&self) -> Option<Result<i32, String>> {
        let args = self.run_app()?;
        if let Err(e) = self.flush() {
            return Some(Err(e));
        }
        let exe = match std::env::current_exe() {
            Ok(p) => p,
            Err(e) => return Some(Err(format!("cannot run the second run: {e}"))),
        };
        let status = std::process::Command::new(exe).args(split_run_args(&args)).status();
        Some(match status {
            Ok(s) => Ok(s.code().unwrap_or(1)),
            Err(e) => Err(format!("cannot run the second run: {e}")),
        })
    }

    fn note_ts(&self, ts: u64) {
        if self.global.first_ts.get() == 0 {
            self.global.first_ts.set(ts);
        }
        self.global.last_ts.set(ts);
    }

    fn prepare(&self, ctx: &mut EvalCtx<'_>) {
        let mut r = self.render;
        r.buf_format = self.global.buf_format.get();
        ctx.scratch.render = r;
        ctx.scratch.time_type = self.time_type;
    }

    /// Called once before the first event.
    pub fn on_capture_start(&mut self, st: &State) -> Result<(), String> {
        for c in &mut self.chisels {
            c.on_capture_start(st)?;
        }
        self.flush()
    }

    /// Called for every event that passed the capture filter.
    /// [`Flow::Stop`] when a chisel called `sysdig.end_capture()`.
    pub fn on_event(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, String> {
        self.note_ts(ctx.ev.ts);
        self.prepare(ctx);
        let mut flow = Flow::Continue;
        for c in &mut self.chisels {
            if c.run(ctx)? == Flow::Stop {
                flow = Flow::Stop;
                break;
            }
        }
        Ok(flow)
    }

    /// Called for events the capture filter rejected (drives `on_interval`).
    pub fn on_timeout(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), String> {
        self.note_ts(ctx.ev.ts);
        self.prepare(ctx);
        for c in &mut self.chisels {
            c.do_timeout(ctx)?;
        }
        Ok(())
    }

    /// What the reader thread does for these chisels when events are read
    /// ahead (see [`ahead`]), with the number of fields of each chisel; `None`
    /// when one of them needs the live state per event. Hands the chisels'
    /// own filters to the reader.
    pub fn ahead_extractor(&self) -> Option<(ahead::Extractor, Vec<usize>)> {
        if !self.ahead_allowed() {
            return None;
        }
        let mut plans = self.chisels.iter().map(|c| c.ahead_plan()).collect::<Option<Vec<_>>>()?;
        for (p, c) in plans.iter_mut().zip(&self.chisels) {
            p.filter = c.take_filter();
        }
        let widths = plans.iter().map(|p| p.fields.len()).collect();
        let mut render = self.render;
        render.buf_format = self.global.buf_format.get();
        Some((ahead::Extractor { plans, render, time_type: self.time_type, buf: Vec::new() }, widths))
    }

    /// Whether [`ChiselSet::ahead_extractor`] would give an extractor now.
    pub fn ahead_possible(&self) -> bool {
        self.ahead_allowed() && self.chisels.iter().all(|c| c.ahead_plan().is_some())
    }

    /// The run itself allows reading ahead: a capture file, and no more
    /// chisels than a [`ahead::Rec`]'s bit masks hold.
    fn ahead_allowed(&self) -> bool {
        self.chisels.len() <= 64 && !self.global.info.is_live
    }

    /// [`ChiselSet::on_event`] or [`ChiselSet::on_timeout`] for event `i` of
    /// a batch read ahead (`widths`: the chisels' field counts).
    pub fn on_batch_event(&mut self, b: &ahead::Batch, i: usize, widths: &[usize]) -> Result<Flow, String> {
        let rec = &b.recs[i];
        self.note_ts(rec.ts);
        for (c, ch) in self.chisels.iter_mut().enumerate() {
            let ev = b.event(i, c, widths);
            if !rec.matched {
                ch.timeout_ahead(&ev)?;
            } else if ch.run_ahead(&ev, rec.pass & (1 << c) != 0)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// Calls every chisel's `on_end_of_sample`.
    pub fn on_end_of_sample(&mut self, st: &State) -> Result<(), String> {
        for c in &mut self.chisels {
            c.on_end_of_sample(st)?;
        }
        Ok(())
    }

    /// Called once at the end (also after an error, as sysdig does).
    pub fn on_capture_end(&mut self, st: &State) -> Result<(), String> {
        let mut res = Ok(());
        for c in &mut self.chisels {
            if let Err(e) = c.on_capture_end(st) {
                res = Err(e);
                break;
            }
        }
        let f = self.flush();
        res.and(f)
    }

    /// The end of the input: sysdig resets the terminal colors here when
    /// its event format uses them, before the chisels' on_capture_end.
    pub fn end_of_input(&self) -> Result<(), String> {
        if self.global.info.reset_colors {
            self.global.write(b"\x1b[00m").map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Writes pending chisel output to stdout.
    pub fn flush(&self) -> Result<(), String> {
        self.global.flush().map_err(|e| e.to_string())
    }
}

impl Drop for ChiselSet {
    fn drop(&mut self) {
        let _ = self.global.flush();
    }
}

/// Loads the chisels requested by `-c`, binds their arguments and calls
/// their `on_init`; `None` when there are none.
pub fn load_all(opts: &ChiselOptions, reg: &Registry) -> Result<Option<ChiselSet>, String> {
    if opts.requests.is_empty() {
        return Ok(None);
    }
    let mut render = opts.render;
    // sysdig hands chisels whole parameters (env, args, data): only the
    // printer cuts them at the print length.
    render.full_bufs = true;
    let global = Rc::new(Global { info: opts.run.clone(), ..Global::default() });
    global.buf_format.set(render.buf_format);
    let dirs = dirs::chisel_dirs();
    let mut set = ChiselSet {
        chisels: Vec::new(),
        consumed: 0,
        global: global.clone(),
        render,
        time_type: opts.time_type,
    };
    match init_chisels(opts, reg, &dirs, &mut set) {
        Ok(()) => {
            set.flush()?;
            Ok(Some(set))
        }
        Err(e) => {
            // sysdig reports the error, then still ends the capture of the
            // chisels loaded so far (on_capture_end with zero timestamps).
            eprintln!("{e}");
            let _ = set.on_capture_end(&State::new());
            Err(String::new())
        }
    }
}

fn init_chisels(opts: &ChiselOptions, reg: &Registry, dirs: &[String], set: &mut ChiselSet) -> Result<(), String> {
    let compiles = |t: &str| Filter::new(t, reg).is_ok();
    for req in &opts.requests {
        let mut c = Chisel::load(&req.name, dirs, set.global.clone())?;
        let rest: &[String] = match req.next_arg {
            Some(i) => opts.positional.get(i..).unwrap_or(&[]),
            None => &[],
        };
        let nreq = c.args.iter().filter(|a| !a.optional).count();
        match (&req.next_word, req.next_arg) {
            // sysdig hands the next command-line word to a chisel with
            // required arguments even when it is an option (`-c X -j`), and
            // still skips one positional from the filter.
            (Some(w), None) if nreq > 0 => {
                c.set_args_word(w)?;
                set.consumed += 1;
            }
            _ => {
                if args::takes_next(&c.args, rest, &compiles, req.name.trim())? {
                    c.set_args_word(&rest[0])?;
                    set.consumed += 1;
                }
            }
        }
        set.chisels.push(c);
    }
    let filter_text = opts.positional.get(set.consumed..).unwrap_or(&[]).join(" ");
    *set.global.filter_text.borrow_mut() = filter_text;
    for c in &mut set.chisels {
        c.on_init(dirs)?;
    }
    Ok(())
}

/// `-cl` and `-i NAME`.
pub fn describe(opts: &ChiselOptions, out: &mut dyn Write) -> Result<i32, String> {
    let mut buf = Vec::new();
    let mut list = desc::chisel_list(&mut buf);
    if opts.list_chisels {
        desc::list_chisels(&mut list, true, &mut buf);
        desc::emit(out, &buf)?;
        return Ok(0);
    }
    let name = opts.chisel_info.clone().unwrap_or_default();
    match list.iter().find(|c| c.name == name) {
        Some(cd) => {
            desc::print_chisel_info(cd, &mut buf);
            desc::emit(out, &buf)?;
            Ok(0)
        }
        None => {
            desc::emit(out, &buf)?;
            Err(format!("chisel {name} not found - use -cl to list them."))
        }
    }
}

/// Splits `sysdig.run_app` arguments as sysdig does: on blanks outside
/// double quotes; the quotes themselves are dropped.
pub fn split_run_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::split_run_args;

    #[test]
    fn run_args_split_on_blanks_outside_quotes() {
        assert_eq!(split_run_args("-r x.scap -w y"), ["-r", "x.scap", "-w", "y"]);
        assert_eq!(split_run_args("-F \"a b\" c"), ["-F", "a b", "c"]);
        assert_eq!(split_run_args("a  b"), ["a", "", "b"]);
    }
}
