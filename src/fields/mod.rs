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
mod format;

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::OnceLock;

pub use catalog::{Fid, FieldDef, FieldFlags, FType, CLASSES};
pub use extract::Val;

use crate::event::Event;
use crate::state::{EventMeta, State};

/// The argument given to a field (`[N]`, `.name` or `[name]`).
#[derive(Clone, Debug, PartialEq)]
pub enum FieldArg {
    None,
    /// Numeric argument: `proc.aname[2]`, `evt.arg[1]`.
    Index(i64),
    /// Name argument: `evt.arg.fd`, `evt.type.is.open`, `thread.cgroup.cpu`.
    Name(String),
}

/// A resolved field reference: what filters and formats hold.
#[derive(Clone, Debug)]
pub struct Field {
    pub id: Fid,
    pub arg: FieldArg,
    pub def: &'static FieldDef,
}

impl Field {
    /// Full name as written, e.g. `proc.aname[2]`.
    pub fn display_name(&self) -> String {
        match &self.arg {
            FieldArg::None => self.def.name.to_string(),
            FieldArg::Index(i) => format!("{}[{}]", self.def.name, i),
            FieldArg::Name(n) if self.def.flags.contains(FieldFlags::ARG_DOT) => format!("{}.{}", self.def.name, n),
            FieldArg::Name(n) => format!("{}[{}]", self.def.name, n),
        }
    }
}

/// The registry of every field.
pub struct Registry {
    by_name: HashMap<&'static str, &'static FieldDef>,
}

impl Registry {
    /// The process-wide registry.
    pub fn get() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| {
            let by_name = catalog::FIELDS.iter().map(|d| (d.name, d)).collect();
            Registry { by_name }
        })
    }

    /// Every field definition, in listing order.
    pub fn all(&self) -> &'static [FieldDef] {
        catalog::FIELDS
    }

    /// Resolves a field written at the start of `text` (as in a `-p` format or
    /// a filter), returning the field and how many bytes it used.
    ///
    /// The longest known field name that prefixes `text` wins; then an
    /// argument is parsed when the field takes one.
    pub fn parse_prefix(&self, text: &str) -> Result<(Field, usize), String> {
        let bytes = text.as_bytes();
        // Field names are made of [A-Za-z0-9_.]; find the longest registered prefix.
        let mut end = 0;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] == b'.') {
            end += 1;
        }
        let word = &text[..end];
        let mut best: Option<&'static FieldDef> = None;
        // Candidate lengths: at each '.' boundary and at the end.
        let mut cands: Vec<usize> = word.match_indices('.').map(|(i, _)| i).collect();
        cands.push(word.len());
        for &l in cands.iter().rev() {
            if let Some(d) = self.by_name.get(&word[..l]) {
                best = Some(d);
                break;
            }
        }
        let def = match best {
            Some(d) => d,
            None => return Err(format!("invalid formatting token {word}")),
        };
        let mut used = def.name.len();
        let mut arg = FieldArg::None;
        let rest = &text[used..];
        if def.flags.contains(FieldFlags::ARG_ALLOWED) || def.flags.contains(FieldFlags::ARG_REQUIRED) {
            if let Some(r) = rest.strip_prefix('[') {
                let close = r.find(']').ok_or_else(|| format!("missing ']' in {text}"))?;
                let inner = &r[..close];
                arg = match inner.parse::<i64>() {
                    Ok(n) if !def.flags.contains(FieldFlags::ARG_NAME) || def.flags.contains(FieldFlags::ARG_INDEX) => {
                        FieldArg::Index(n)
                    }
                    _ => FieldArg::Name(inner.to_string()),
                };
                used += 1 + close + 1;
            } else if def.flags.contains(FieldFlags::ARG_DOT) && rest.starts_with('.') {
                let r = &rest[1..];
                let mut e = 0;
                let rb = r.as_bytes();
                while e < rb.len() && (rb[e].is_ascii_alphanumeric() || rb[e] == b'_' || rb[e] == b'.') {
                    e += 1;
                }
                if e == 0 {
                    return Err(format!("invalid argument for field {}", def.name));
                }
                arg = FieldArg::Name(r[..e].to_string());
                used += 1 + e;
            } else if def.flags.contains(FieldFlags::ARG_REQUIRED) {
                return Err(format!("filter syntax error: field {} requires an argument", def.name));
            }
        }
        Ok((Field { id: def.id, arg, def }, used))
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
    pub time_type: crate::runner::TimeType,
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

    /// Extracts a field's value; `None` when it does not apply to this event.
    pub fn extract(&mut self, f: &Field) -> Option<Val<'_>> {
        extract::extract(self, f)
    }

    /// Appends the field as sysdig prints it in `-p` output; false when unavailable.
    pub fn format(&mut self, f: &Field, out: &mut Vec<u8>) -> bool {
        format::format_field(self, f, out)
    }
}
