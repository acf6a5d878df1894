//! The field registry: ONE catalog of fields (evt.*, proc.*, thread.*, fd.*,
//! fdlist.*, user.*, group.*, container.*) used by filters, `-p` formats,
//! `-j`, `-l` and `chisel.request_field`.
//!
//! A field name (with its optional argument, e.g. `proc.aname[2]` or
//! `evt.arg.fd`) is resolved once into a [`Field`]; extracting it from an
//! event is then a match on the field id.

mod catalog;
pub mod value;
mod extract;
pub mod filtering;
mod gate;
mod format;
pub mod sched;

use std::io::{self, Write};
use std::sync::OnceLock;

pub use catalog::{Fid, FieldDef, FieldFlags, FType, PFmt, CLASSES};
pub use extract::{fast_int, fast_kind, fast_str, Val};
pub use gate::TypeGate;
pub use format::json_string;
pub(crate) use format::is_text_field;

use crate::event::Event;
use crate::state::{EventMeta, State};

/// The argument given to a field (`[N]`, `.name` or `[name]`).
#[derive(Clone, Debug, PartialEq)]
pub enum FieldArg {
    /// No argument.
    None,
    /// Numeric argument: `proc.aname[2]`, `evt.arg[1]`, `evt.around[T]`.
    Index(i64),
    /// Name argument: `evt.arg.fd`, `evt.type.is.open`, `thread.cgroup.cpu`,
    /// `evt.abspath.src`.
    Name(String),
}

/// A resolved field reference: what filters and formats hold.
#[derive(Clone, Debug)]
pub struct Field {
    /// Which field.
    pub id: Fid,
    /// Its argument.
    pub arg: FieldArg,
    /// Its catalog entry.
    pub def: &'static FieldDef,
    /// History of this use of a scheduler-derived field (exectime, cpu).
    pub acct: Option<sched::AcctRef>,
}

/// True for fields whose name argument follows a dot (`evt.arg.fd`).
fn dot_arg(id: Fid) -> bool {
    matches!(id, Fid::EvtArg | Fid::EvtRawarg | Fid::EvtTypeIs | Fid::EvtAbspath | Fid::ThreadCgroup)
}

impl Field {
    /// A field use of `id` with `arg` (scheduler-derived fields get their
    /// own history, as each libsinsp filtercheck does).
    pub fn new(id: Fid, arg: FieldArg, def: &'static FieldDef) -> Field {
        let acct = if sched::needs_acct(id) { Some(Default::default()) } else { None };
        Field { id, arg, def, acct }
    }

    /// Full name as written, e.g. `proc.aname[2]`.
    pub fn display_name(&self) -> String {
        match &self.arg {
            FieldArg::None => self.def.name.to_string(),
            FieldArg::Index(i) => format!("{}[{}]", self.def.name, i),
            FieldArg::Name(n) if dot_arg(self.id) => format!("{}.{}", self.def.name, n),
            FieldArg::Name(n) => format!("{}[{}]", self.def.name, n),
        }
    }

    /// True when the field may be used only in filters.
    pub fn filter_only(&self) -> bool {
        self.def.flags.contains(FieldFlags::FILTER_ONLY)
    }
}

/// The registry of every field.
pub struct Registry {
    /// Every event parameter name sysdig 0.29.3 knows (for `evt.arg.NAME`).
    param_names: Vec<&'static str>,
}

/// Parses a signed 32-bit decimal as sysdig's `parsed32` (error on junk).
fn parse_d32(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i32>()
        .map(|v| v as i64)
        .map_err(|_| format!("{s} is not a valid number"))
}

/// The generic argument of a field that requires one, in `text` after the
/// field's name (which takes `used` bytes): `[x]` (an index when it is a
/// number) or `.x`; the argument and how many bytes it takes.
fn generic_arg(text: &str, used: usize) -> Result<(FieldArg, usize), String> {
    let rest = &text[used..];
    if let Some(r) = rest.strip_prefix('[') {
        let close = r.find(']').ok_or_else(|| format!("filter syntax error: {text}"))?;
        let inner = &r[..close];
        let arg = match inner.parse::<i64>() {
            Ok(n) => FieldArg::Index(n),
            Err(_) => FieldArg::Name(inner.to_string()),
        };
        return Ok((arg, close + 2));
    }
    if let Some(r) = rest.strip_prefix('.') {
        let end = r.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-' || b == b'/')).unwrap_or(r.len());
        return Ok((FieldArg::Name(r[..end].to_string()), 1 + end));
    }
    Err(format!("filter syntax error: {text}"))
}

impl Registry {
    /// The process-wide registry.
    pub fn get() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| {
            let mut param_names: Vec<&'static str> = Vec::new();
            for e in crate::event::table::all_events() {
                for p in e.params {
                    let n = p.sysdig().name;
                    if !param_names.contains(&n) {
                        param_names.push(n);
                    }
                }
            }
            Registry { param_names }
        })
    }

    /// Every field definition, in listing order.
    pub fn all(&self) -> &'static [FieldDef] {
        catalog::FIELDS
    }

    /// The catalog entry of a field id.
    pub fn def(&self, id: Fid) -> &'static FieldDef {
        // FIELDS is generated in Fid order.
        &catalog::FIELDS[id as usize]
    }

    /// The longest field name of class `ci` that prefixes `text`.
    fn longest_in_class(&self, ci: usize, text: &str) -> Option<&'static FieldDef> {
        catalog::FIELDS
            .iter()
            .filter(|d| d.class == ci && text.starts_with(d.name))
            .max_by_key(|d| d.name.len())
    }

    /// Resolves a field written at the start of `text` (as in a `-p` format or
    /// a filter), returning the field and how many bytes it used.
    ///
    /// Like libsinsp, the classes are tried in listing order; within a class
    /// the longest field name that prefixes `text` wins, and a few fields
    /// (`evt.arg`, `evt.rawarg`, `evt.around`, `evt.abspath`, `evt.type.is`,
    /// `proc.apid`, `proc.aname`, `thread.cgroup`) parse their own argument.
    pub fn parse_prefix(&self, text: &str) -> Result<(Field, usize), String> {
        for ci in 0..CLASSES.len() {
            if let Some(r) = self.parse_in_class(ci, text)? {
                if r.0.id == Fid::FdNameChanged {
                    crate::state::track_fd_name_changes();
                }
                return Ok(r);
            }
        }
        let end = text
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.'))
            .unwrap_or(text.len());
        Err(format!("invalid formatting token {}", &text[..end]))
    }

    fn field(&self, id: Fid, arg: FieldArg) -> Field {
        Field::new(id, arg, self.def(id))
    }

    /// Parses a `[...]`/`.name` argument of evt.arg / evt.rawarg / evt.around.
    fn evt_arg(&self, id: Fid, base: &str, text: &str) -> Result<(Field, usize), String> {
        let rest = &text[base.len()..];
        if let Some(r) = rest.strip_prefix('[') {
            if id == Fid::EvtRawarg {
                return Err("evt.arg fields must be expressed explicitly".into());
            }
            let close = r.find(']').ok_or_else(|| format!("filter syntax error: {text}"))?;
            let n = if id == Fid::EvtAround {
                r[..close].trim().parse::<u64>().map_err(|_| format!("{} is not a valid number", &r[..close]))? as i64
            } else {
                parse_d32(&r[..close])?
            };
            return Ok((self.field(id, FieldArg::Index(n)), base.len() + close + 2));
        }
        if let Some(r) = rest.strip_prefix('.') {
            if id == Fid::EvtAround {
                return Err("wrong syntax for evt.around".into());
            }
            let best = self.param_names.iter().filter(|n| r.starts_with(**n)).max_by_key(|n| n.len());
            let Some(name) = best else {
                return Err(format!("unknown event argument {r}"));
            };
            return Ok((self.field(id, FieldArg::Name(name.to_string())), base.len() + 1 + name.len()));
        }
        Err(format!("filter syntax error: {text}"))
    }

    /// The longest field of class `ci` at the start of `text`, with its
    /// argument, and how much text it takes; None when none matches.
    fn parse_in_class(&self, ci: usize, text: &str) -> Result<Option<(Field, usize)>, String> {
        let special = match ci {
            1 => self.evt_special(text),
            2 => self.thread_special(text),
            _ => None,
        };
        if let Some(r) = special {
            return r.map(Some);
        }
        let Some(def) = self.longest_in_class(ci, text) else { return Ok(None) };
        let mut used = def.name.len();
        let mut arg = FieldArg::None;
        if def.flags.contains(FieldFlags::REQUIRES_ARG) {
            let (a, n) = generic_arg(text, used)?;
            arg = a;
            used += n;
        }
        Ok(Some((Field::new(def.id, arg, def), used)))
    }

    /// The evt.* fields whose argument has a form of its own (evt.arg,
    /// evt.rawarg, evt.around, evt.abspath, evt.type.is); None for others.
    fn evt_special(&self, text: &str) -> Option<Result<(Field, usize), String>> {
        if text.starts_with("evt.arg") && !text.starts_with("evt.args") {
            return Some(self.evt_arg(Fid::EvtArg, "evt.arg", text));
        }
        if text.starts_with("evt.rawarg") {
            return Some(self.evt_arg(Fid::EvtRawarg, "evt.rawarg", text));
        }
        if text.starts_with("evt.around") {
            return Some(self.evt_arg(Fid::EvtAround, "evt.around", text));
        }
        if let Some(rest) = text.strip_prefix("evt.abspath") {
            for sub in ["src", "dst"] {
                if rest.strip_prefix('.').is_some_and(|r| r.starts_with(sub)) {
                    return Some(Ok((self.field(Fid::EvtAbspath, FieldArg::Name(sub.into())), 15)));
                }
            }
            return Some(Ok((self.field(Fid::EvtAbspath, FieldArg::None), 11)));
        }
        let rest = text.strip_prefix("evt.type.is")?;
        let Some(r) = rest.strip_prefix('.') else {
            return Some(Err(format!("filter syntax error: {text}")));
        };
        // libsinsp compares the whole rest of the text with the event
        // names: inside a longer format nothing matches and the field
        // consumes no text at all.
        let known =
            r.parse::<u32>().is_ok() || crate::event::table::all_events().iter().any(|e| e.sysdig_name() == r);
        if known {
            return Some(Ok((self.field(Fid::EvtTypeIs, FieldArg::Name(r.into())), text.len())));
        }
        Some(Ok((self.field(Fid::EvtTypeIs, FieldArg::Name(String::new())), 0)))
    }

    /// The proc.* / thread.* fields whose argument has a form of its own
    /// (proc.apid, proc.aname, thread.cgroup); None for others.
    fn thread_special(&self, text: &str) -> Option<Result<(Field, usize), String>> {
        for (base, id) in [("proc.apid", Fid::ProcApid), ("proc.aname", Fid::ProcAname)] {
            if let Some(rest) = text.strip_prefix(base) {
                // libsinsp: `[N]` with a valid number; the bare name when
                // nothing follows it; otherwise the field with index 0
                // that consumes no text (a format then prints the rest
                // literally, a filter rejects the token).
                let indexed = rest.strip_prefix('[').and_then(|r| {
                    let close = r.find(']')?;
                    parse_d32(&r[..close]).ok().map(|n| (n, close))
                });
                return Some(Ok(match indexed {
                    Some((n, close)) => (self.field(id, FieldArg::Index(n)), base.len() + close + 2),
                    None if rest.is_empty() => (self.field(id, FieldArg::None), base.len()),
                    None => (self.field(id, FieldArg::Index(0)), 0),
                }));
            }
        }
        if text.starts_with("thread.cgroup") && !text.starts_with("thread.cgroups") {
            let Some(r) = text[13..].strip_prefix('.') else {
                return Some(Err(format!("filter syntax error: {text}")));
            };
            let end = r.bytes().position(|b| !(b.is_ascii_alphabetic() || b == b'_')).unwrap_or(r.len());
            return Some(Ok((self.field(Fid::ThreadCgroup, FieldArg::Name(r[..end].into())), 14 + end)));
        }
        None
    }

    /// Resolves a whole field name (with its argument).
    pub fn lookup(&self, name: &str) -> Result<Field, String> {
        let (f, used) = self.parse_prefix(name)?;
        if used != name.len() {
            return Err(format!("invalid field name {name}"));
        }
        Ok(f)
    }

    /// Prints the catalog as `sysdig -l` does (`verbose` adds types).
    pub fn list(&self, out: &mut dyn Write, verbose: bool, markdown: bool) -> io::Result<()> {
        format::list_fields(out, verbose, markdown)
    }
}

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
    /// `-t d`: the delta between an exit event and its enter event (0 on
    /// enter events), as libsinsp's thread latency.
    Delta,
    /// `-t D`: the delta from the previous printed event.
    DeltaSameThread,
}

/// Reusable buffers for extraction (so that steady-state evaluation does not allocate).
#[derive(Default)]
pub struct Scratch {
    pub buf: Vec<u8>,
    /// Timestamp of the previous event (evt.deltatime, -t d).
    pub prev_ts: u64,
    /// Cached local-time conversion.
    pub tm: format::LocalTime,
    /// How parameters are rendered (buffer format, lengths).
    pub render: crate::event::render::RenderOpts,
    /// How evt.outputtime is shown.
    pub time_type: TimeType,
    /// Resolved parameter text while rendering evt.info (the raw text goes
    /// straight to the output).
    pub res: Vec<u8>,
}

/// Everything a field may read for one event.
pub struct EvalCtx<'a> {
    pub ev: &'a Event<'a>,
    pub meta: &'a EventMeta,
    pub state: &'a State,
    pub scratch: &'a mut Scratch,
    /// Timestamp of the first event of the capture (for evt.reltime).
    pub first_ts: u64,
}

impl<'a> EvalCtx<'a> {
    /// Bundles the per-event context.
    pub fn new(
        ev: &'a Event<'a>,
        meta: &'a EventMeta,
        state: &'a State,
        scratch: &'a mut Scratch,
        first_ts: u64,
    ) -> EvalCtx<'a> {
        EvalCtx { ev, meta, state, scratch, first_ts }
    }

    /// For the text-only fields (time strings, evt.arg/args/info...): appends
    /// the value [`extract`](Self::extract) would give to `out` and says
    /// whether there is one; `None` for every other field. Lets a caller
    /// reuse one buffer instead of a new string per event.
    pub fn write_text(&mut self, f: &Field, out: &mut Vec<u8>) -> Option<bool> {
        is_text_field(f.id).then(|| format::write_text_field(self, f, out))
    }

    /// Extracts a field's value; `None` when it does not apply to this event.
    pub fn extract(&mut self, f: &Field) -> Option<Val<'_>> {
        extract::extract(self, f)
    }

    /// Appends the field as sysdig prints it in `-p` output; false when unavailable.
    pub fn format(&mut self, f: &Field, out: &mut Vec<u8>) -> bool {
        format::format_field(self, f, out)
    }

    /// Appends the field's JSON value as sysdig's `-j` prints it (a number,
    /// `true`/`false` or a string literal); false for `null`.
    pub fn json(&mut self, f: &Field, out: &mut Vec<u8>) -> bool {
        format::json_field(self, f, out)
    }
}
