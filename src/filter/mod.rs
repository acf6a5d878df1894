//! sysdig's filter language: parse, compile against a field catalog,
//! evaluate per event.
//!
//! ```text
//! parse(text) -> Ast            (lexer.rs + grammar/filter.lalrpop)
//! compile(&Ast, &dyn FieldCatalog) -> Filter   (operands parsed once)
//! Filter::matches(&mut dyn FieldSource) -> bool (no allocation)
//! ```
//!
//! The language is sysdig 0.29.3's (libsinsp e5c53d648): checks
//! `field op value`, `field in (a, b)`, `field pmatch (a, b)`,
//! `field exists`; `not` before a check or group; `and`/`or`, which may not
//! be mixed at one nesting level without brackets; parentheses.

pub mod ast;
mod compile;
pub mod error;
mod evttypes;
pub mod glob;
pub mod lexer;
mod parse;
pub mod services;

pub use ast::{Ast, Check, Operand};
pub use compile::{Filter, compile};
pub use error::FilterError;
pub use evttypes::EventTypes;
pub use parse::parse;

use crate::fields::value::{FieldType, Value};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains`
    Contains,
    /// `icontains` (ASCII case-insensitive)
    IContains,
    /// `startswith`
    StartsWith,
    /// `endswith`
    EndsWith,
    /// `glob` (fnmatch without flags)
    Glob,
    /// `in (a, b, ...)`
    In,
    /// `intersects (a, b, ...)`: never produced by the 0.29.3 scanner
    /// (which reads it as `in`), same meaning as `in`.
    Intersects,
    /// `pmatch (path, ...)`: path-prefix match
    Pmatch,
    /// `exists`
    Exists,
}

impl CmpOp {
    /// The operator as written in a filter.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "contains",
            CmpOp::IContains => "icontains",
            CmpOp::StartsWith => "startswith",
            CmpOp::EndsWith => "endswith",
            CmpOp::Glob => "glob",
            CmpOp::In => "in",
            CmpOp::Intersects => "intersects",
            CmpOp::Pmatch => "pmatch",
            CmpOp::Exists => "exists",
        }
    }
}

/// Opaque identifier of a field, chosen by the [`FieldCatalog`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId(pub u32);

/// A resolved field: what the catalog tells the compiler about it.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// The catalog's id for the field (with its argument folded in, if the
    /// catalog wants: ids are opaque to the filter).
    pub id: FieldId,
    /// Type deciding operand parsing and comparison semantics.
    pub ty: FieldType,
    /// Multi-valued field (like sysdig's `fd.ip`, `fd.port`, `fd.net`,
    /// `proc.aname` without index): the source reports each value through
    /// [`FieldSource::any`]; a check matches if any value matches, except
    /// `!=`, which matches if no value is equal.
    pub multi: bool,
    /// This is `evt.type`: `=`, `!=` and `in` checks on it feed
    /// [`Filter::event_types`].
    pub is_evt_type: bool,
    /// The value depends on the event's type (and direction) alone
    /// (`evt.type`, `evt.dir`, `evt.is_io*`): a check on it has one verdict
    /// for every event of a type (see [`Filter::rejects_type`]).
    pub by_type: bool,
    /// Catalog-defined extra (e.g. an argument index); the filter ignores it.
    pub arg: i64,
    /// The registry's description of the field, handed back to the
    /// [`FieldSource`] at evaluation time so that it needs no lookup.
    pub handle: Option<&'static crate::fields::Field>,
    /// Relative cost of extracting the field (0 = cheapest): checks joined by
    /// `and`/`or` run cheapest first, which cannot change the result.
    pub cost: u8,
    /// The source can hand this field over without building a [`Value`]
    /// (see [`FieldSource::get_str`] and [`FieldSource::get_int`]).
    pub fast: Fast,
    /// Extracting the field updates its own history (`thread.exectime`,
    /// `thread.cpu`...): a filter with such a check evaluates its operands
    /// in written order and sees every event type, as libsinsp's does.
    pub stateful: bool,
    /// A time window check (sysdig's `evt.around[T]=D`): the value is the
    /// event time; the check accepts when `arg` (T, in ns) lies within the
    /// value ± the operand in milliseconds. Only `=` is accepted.
    pub window: bool,
    /// The field is a time delta kept per check, as libsinsp's
    /// `evt.deltatime` filter checks each remember the last event they saw:
    /// the value is the time since the previous event this check evaluated
    /// (0 for its first), read through [`FieldSource::timestamp`].
    pub delta: Option<DeltaKind>,
}

/// Which part of a per-check delta a field gives (see [`FieldSpec::delta`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaKind {
    /// Nanoseconds.
    Ns,
    /// Whole seconds.
    Secs,
    /// The nanoseconds within the second.
    Frac,
}

/// Which direct accessor of a [`FieldSource`] a field supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fast {
    /// Only [`FieldSource::get`].
    #[default]
    No,
    /// [`FieldSource::get_str`].
    Str,
    /// [`FieldSource::get_int`].
    Int,
}

impl PartialEq for FieldSpec {
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id && self.ty == o.ty && self.multi == o.multi && self.is_evt_type == o.is_evt_type && self.arg == o.arg
    }
}

impl FieldSpec {
    /// A single-valued field of the given type.
    pub fn new(id: FieldId, ty: FieldType) -> Self {
        FieldSpec {
            id,
            ty,
            multi: false,
            is_evt_type: false,
            by_type: false,
            arg: 0,
            handle: None,
            cost: 1,
            fast: Fast::No,
            stateful: false,
            window: false,
            delta: None,
        }
    }

    /// Attaches the catalog's description of the field (see [`FieldSpec::handle`]).
    pub fn with_handle(mut self, h: &'static crate::fields::Field, cost: u8) -> Self {
        self.handle = Some(h);
        self.cost = cost;
        self
    }

    /// Marks the field multi-valued (see [`FieldSpec::multi`]).
    pub fn multi(mut self) -> Self {
        self.multi = true;
        self
    }

    /// Marks the field as `evt.type` (see [`FieldSpec::is_evt_type`]).
    pub fn event_type(mut self) -> Self {
        self.is_evt_type = true;
        self.by_type = true;
        self
    }
}

/// Why a field name could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No such field: the compiler reports sysdig's
    /// "filter error: unrecognized field NAME at pos N".
    Unknown,
    /// The field exists but the name/argument is invalid: reported verbatim.
    Invalid(String),
}

/// The set of fields a filter may use (the field registry implements it).
pub trait FieldCatalog {
    /// Resolves a field token.
    ///
    /// The token as written is split like this: `name[arg]` (token ends with
    /// `]` and has a `[`) gives `name` and `Some(arg)`; anything else is
    /// passed whole as `name` with `None` — including dotted arguments such
    /// as `evt.arg.fd` or `evt.rawarg.flags`, which the catalog resolves by
    /// longest prefix as libsinsp does.
    fn resolve(&self, name: &str, arg: Option<&str>) -> Result<FieldSpec, ResolveError>;

    /// Field-specific checks of an operator and operands, called once with
    /// `value: None` for the operator and once per operand with its bytes
    /// (e.g. sysdig's "unknown event type X" for `evt.type`, or "IP filter
    /// only supports '=' and '!=' operators"). Default: everything allowed.
    fn validate(&self, spec: &FieldSpec, op: CmpOp, value: Option<&[u8]>) -> Result<(), String> {
        let _ = (spec, op, value);
        Ok(())
    }
}

/// Per-event field values, handed to [`Filter::matches`].
pub trait FieldSource {
    /// The field's value for the current event; `None` when it has none
    /// (every comparison on it is then false, `not` of it true).
    fn get(&mut self, field: &FieldSpec) -> Option<Value<'_>>;

    /// For multi-valued fields: calls `pred` on each value until one returns
    /// true; returns whether one did. The default wraps [`FieldSource::get`].
    fn any(&mut self, field: &FieldSpec, pred: &mut dyn FnMut(&Value<'_>) -> bool) -> bool {
        match self.get(field) {
            Some(v) => pred(&v),
            None => false,
        }
    }

    /// A string field marked [`Fast::Str`], without building a [`Value`]:
    /// `Some(value)` (`Some(None)` when the field has no value), or `None`
    /// to ask [`FieldSource::get`] instead. Must agree with `get`, and the
    /// value must hold no NUL byte (it is compared whole, not cut at a NUL).
    #[inline]
    fn get_str(&mut self, field: &FieldSpec) -> Option<Option<&[u8]>> {
        let _ = field;
        None
    }

    /// The current event's timestamp (ns), for [`FieldSpec::delta`] fields.
    #[inline]
    fn timestamp(&mut self) -> Option<u64> {
        None
    }

    /// An integer field marked [`Fast::Int`], as the bits of its `i64`/`u64`
    /// value; otherwise as [`FieldSource::get_str`].
    #[inline]
    fn get_int(&mut self, field: &FieldSpec) -> Option<Option<i64>> {
        let _ = field;
        None
    }
}

/// Splits a field token into name and bracket argument (see
/// [`FieldCatalog::resolve`]).
pub fn split_field(token: &str) -> (&str, Option<&str>) {
    if let Some(open) = token.find('[') && token.ends_with(']') && open < token.len() - 1 {
        return (&token[..open], Some(&token[open + 1..token.len() - 1]));
    }
    (token, None)
}
