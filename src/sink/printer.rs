//! The event printer: sysdig's default line, `-p` formats and `-j` JSON.
//!
//! A format string is compiled once into literal and field tokens; printing
//! an event walks the tokens into one reusable line buffer.

use std::io::{self, Write};

use crate::event::render::RenderOpts;
use crate::fields::{EvalCtx, Field, Registry};
use crate::fields::TimeType;

/// sysdig's default output format (no tty).
pub const DEFAULT_FORMAT: &str =
    "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";

/// sysdig's default format on a terminal (colours), used when stdout is a
/// terminal and `NO_COLOR` is not set.
pub const TTY_FORMAT: &str = "*%evt.num %evt.outputtime %evt.cpu \x1b[01;32m%proc.name\x1b[00m (\x1b[01;36m%proc.pid\x1b[00m.%thread.tid) %evt.dir \x1b[01;34m%evt.type\x1b[00m %evt.info";

/// `-pc`/`-pcontainer`.
pub const CONTAINER_FORMAT: &str =
    "*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";
/// `-pk`/`-pkubernetes`.
pub const K8S_FORMAT: &str =
    "*%evt.num %evt.outputtime %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";
/// `-pm`/`-pmesos`.
pub const MESOS_FORMAT: &str =
    "*%evt.num %evt.outputtime %evt.cpu %mesos.task.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";

/// Whether colours may be used on stdout: a terminal, and `NO_COLOR` unset
/// or empty (<https://no-color.org>).
pub fn colors_allowed() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    let tty = unsafe { libc::isatty(1) } != 0;
    tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The format used without `-p` (what `-pp` prints).
pub fn default_format() -> &'static str {
    if colors_allowed() { TTY_FORMAT } else { DEFAULT_FORMAT }
}

/// The preset a `-p` value names (`c`/`container`, `k`/`kubernetes`,
/// `m`/`mesos`), if it is one.
pub fn preset_or(p: &str) -> Option<&'static str> {
    match p {
        "c" | "container" => Some(CONTAINER_FORMAT),
        "k" | "kubernetes" => Some(K8S_FORMAT),
        "m" | "mesos" => Some(MESOS_FORMAT),
        _ => None,
    }
}

/// Printer settings (the runner derives them from its options).
#[derive(Clone, Debug)]
pub struct PrinterOpts {
    pub format: String,
    pub json: bool,
    pub render: RenderOpts,
    pub time_type: TimeType,
}

/// Expands sysdig's escapes in a user format (`\n`, `\t`, `\e`, `\\`).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek() {
                Some('n') => { out.push('\n'); it.next(); }
                Some('r') => { out.push('\r'); it.next(); }
                Some('t') => { out.push('\t'); it.next(); }
                Some('e') => { out.push('\x1b'); it.next(); }
                Some('\\') => { out.push('\\'); it.next(); }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The widest `%NNfield` a format may ask for (a line of that many bytes).
pub const MAX_FIELD_WIDTH: usize = 1 << 20;

enum Token {
    Lit(String),
    Field { field: Field, name: String, width: usize },
}

/// A compiled output format.
pub struct Format {
    tokens: Vec<Token>,
    require_all: bool,
}

impl Format {
    /// Compiles `%field` tokens (with optional `%NNfield` widths) against the registry.
    pub fn compile(fmt: &str, reg: &Registry) -> Result<Format, String> {
        let (require_all, body) = match fmt.strip_prefix('*') {
            Some(rest) => (false, rest),
            None => (true, fmt),
        };
        if body.is_empty() {
            return Err("empty formatting token".into());
        }
        let mut tokens = Vec::new();
        let b = body.as_bytes();
        let mut lit_start = 0;
        let mut j = 0;
        while j < b.len() {
            if b[j] != b'%' {
                j += 1;
                continue;
            }
            if lit_start != j {
                tokens.push(Token::Lit(body[lit_start..j].to_string()));
            }
            if j == b.len() - 1 {
                return Err("invalid formatting syntax: formatting cannot end with a %".into());
            }
            let mut k = j + 1;
            let mut width = 0usize;
            while k < b.len() && b[k].is_ascii_digit() {
                width = width.saturating_mul(10).saturating_add((b[k] - b'0') as usize);
                k += 1;
            }
            // sysdig reads the width into an int (and overflows past it); a
            // width this large would only allocate a line of that size.
            if width > MAX_FIELD_WIDTH {
                return Err(format!(
                    "invalid formatting syntax: field width {} is larger than {MAX_FIELD_WIDTH}",
                    &body[j + 1..k]
                ));
            }
            if k >= b.len() {
                return Err("invalid formatting syntax: formatting cannot end with a number".into());
            }
            let rest = &body[k..];
            // libsinsp's messages: unknown fields name the whole rest of the
            // format; argument errors are passed on as they are.
            let (field, used) = reg.parse_prefix(rest).map_err(|e| {
                if e.starts_with("invalid formatting token") { format!("invalid formatting token {rest}") } else { e }
            })?;
            if field.def.flags.contains(crate::fields::FieldFlags::FILTER_ONLY)
                && field.id != crate::fields::Fid::EvtAround
            {
                return Err(format!("{rest} is filter only and cannot be used as a display field"));
            }
            let name = body[k..k + used].to_string();
            tokens.push(Token::Field { field, name, width });
            j = k + used;
            lit_start = j;
        }
        if lit_start < b.len() {
            tokens.push(Token::Lit(body[lit_start..].to_string()));
        }
        Ok(Format { tokens, require_all })
    }

    /// Renders the event as text into `line`; false when a required field is missing.
    pub fn render(&self, c: &mut EvalCtx<'_>, line: &mut Vec<u8>) -> bool {
        line.clear();
        for (i, t) in self.tokens.iter().enumerate() {
            match t {
                Token::Lit(s) => line.extend_from_slice(s.as_bytes()),
                Token::Field { field, width, .. } => {
                    let start = line.len();
                    if !c.format(field, line) {
                        if self.require_all {
                            self.extract_rest(c, i + 1);
                            return false;
                        }
                        line.extend_from_slice(b"<NA>");
                    }
                    if *width != 0 {
                        let len = line.len() - start;
                        if len < *width {
                            line.resize(start + *width, b' ');
                        } else {
                            line.truncate(start + *width);
                        }
                    }
                }
            }
        }
        true
    }

    /// sysdig extracts every field of the format even after a missing one:
    /// fields with a history of their own (`thread.exectime`...) must see
    /// the event all the same.
    fn extract_rest(&self, c: &mut EvalCtx<'_>, from: usize) {
        for t in &self.tokens[from..] {
            if let Token::Field { field, .. } = t && field.acct.is_some() {
                let _ = c.extract(field);
            }
        }
    }

    /// Renders the event as one JSON object (keys sorted, as sysdig's writer does).
    pub fn render_json(&self, c: &mut EvalCtx<'_>, line: &mut Vec<u8>) -> bool {
        let mut pairs: Vec<(&str, Vec<u8>)> = Vec::with_capacity(self.tokens.len());
        for (i, t) in self.tokens.iter().enumerate() {
            let Token::Field { field, name, .. } = t else { continue };
            let mut v = Vec::new();
            if !json_value(c, field, &mut v) {
                if self.require_all {
                    self.extract_rest(c, i + 1);
                    return false;
                }
                v.extend_from_slice(b"null");
            } else if field.acct.is_some() {
                // sysdig reads a present value a second time to store it.
                v.clear();
                if !json_value(c, field, &mut v) {
                    v.extend_from_slice(b"null");
                }
            }
            match pairs.iter_mut().find(|(n, _)| n == name) {
                Some(p) => p.1 = v,
                None => pairs.push((name.as_str(), v)),
            }
        }
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        line.clear();
        line.push(b'{');
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            crate::fields::json_string(line, k.as_bytes());
            line.push(b':');
            line.extend_from_slice(v);
        }
        line.push(b'}');
        true
    }
}

/// Appends the JSON form of a field; false when unavailable.
fn json_value(c: &mut EvalCtx<'_>, f: &Field, out: &mut Vec<u8>) -> bool {
    // Typed as libsinsp's tojson does (numbers, booleans, strings, null).
    c.json(f, out)
}


/// Prints events.
pub struct Printer {
    format: Format,
    json: bool,
    line: Vec<u8>,
    render: RenderOpts,
    time_type: TimeType,
    last_ts: u64,
    /// The format holds escape sequences: reset the colours at the end.
    reset_colors: bool,
}

impl Printer {
    /// Builds a printer for the given options.
    pub fn new(reg: &Registry, o: &PrinterOpts) -> Result<Printer, String> {
        Ok(Printer {
            format: Format::compile(&o.format, reg)?,
            json: o.json,
            line: Vec::with_capacity(4096),
            render: o.render,
            time_type: o.time_type,
            last_ts: 0,
            reset_colors: o.format.contains('\x1b') && !o.json,
        })
    }

    /// Prints one event (if the format's required fields are all present).
    pub fn print(&mut self, c: &mut EvalCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        c.scratch.render = self.render;
        c.scratch.time_type = self.time_type;
        c.scratch.prev_ts = self.last_ts;
        let ok = if self.json {
            self.format.render_json(c, &mut self.line)
        } else {
            self.format.render(c, &mut self.line)
        };
        self.last_ts = c.ev.ts;
        if ok {
            self.line.push(b'\n');
            out.write_all(&self.line)?;
        }
        Ok(())
    }

    /// Called at the end of the capture.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.reset_colors {
            out.write_all(b"\x1b[00m")?;
        }
        out.flush()
    }
}

/// The printer as a [`super::Sink`]: prints each matched event to `out`.
pub struct PrintSink<'o> {
    printer: Printer,
    out: &'o mut dyn Write,
    /// Print internal events (procinfo...) too (`-D`); they are numbered
    /// either way.
    show_internal: bool,
    /// Flush after every event (`--unbuffered`, `-j`).
    flush_each: bool,
    /// `-d`: only events this filter accepts are printed.
    display: Option<crate::filter::Filter>,
    /// An event other than a container event went by: container events
    /// from now on are printed (sysdig consumes only those at the start).
    past_leading: bool,
}

/// libs' container JSON events (PPME_CONTAINER_JSON_E, _2_E).
fn is_container_event(etype: u16) -> bool {
    matches!(etype, 272 | 324)
}

impl<'o> PrintSink<'o> {
    /// Prints through `printer` into `out`.
    pub fn new(printer: Printer, out: &'o mut dyn Write, show_internal: bool, flush_each: bool) -> PrintSink<'o> {
        PrintSink { printer, out, show_internal, flush_each, display: None, past_leading: false }
    }

    /// Prints only the events `filter` accepts (`-d`: a display filter,
    /// applied after the state has seen every event).
    pub fn with_display_filter(mut self, filter: Option<crate::filter::Filter>) -> Self {
        self.display = filter;
        self
    }
}

/// A reader that went away (`| head`) ends the run quietly with code 0.
fn print_error(e: io::Error) -> super::SinkError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        super::SinkError::Exit(0)
    } else {
        super::SinkError::Failed(e.to_string())
    }
}

impl super::Sink for PrintSink<'_> {
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<super::Flow, super::SinkError> {
        // sysdig's open() consumes the container events a capture starts
        // with (their numbers too) without printing them, even with -D;
        // later ones are printed as any event.
        if is_container_event(ctx.ev.etype) {
            if !self.past_leading {
                return Ok(super::Flow::Continue);
            }
        } else {
            self.past_leading = true;
        }
        let internal =
            ctx.ev.info().map(|i| i.category & crate::event::consts::EC_INTERNAL != 0).unwrap_or(false);
        if internal && !self.show_internal {
            return Ok(super::Flow::Continue);
        }
        if self.display.as_ref().is_some_and(|d| !d.matches(ctx)) {
            return Ok(super::Flow::Continue);
        }
        self.printer.print(ctx, self.out).map_err(print_error)?;
        if self.flush_each {
            self.out.flush().map_err(|e| super::SinkError::Failed(e.to_string()))?;
        }
        Ok(super::Flow::Continue)
    }

    fn unmatched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<(), super::SinkError> {
        self.past_leading |= !is_container_event(ctx.ev.etype);
        Ok(())
    }

    fn finish(&mut self, _st: &crate::state::State) -> Result<(), super::SinkError> {
        self.printer.finish(self.out).map_err(|e| super::SinkError::Failed(e.to_string()))
    }
}
