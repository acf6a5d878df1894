//! Compiling an [`Ast`] against a [`FieldCatalog`] into a [`Filter`], and
//! evaluating it.
//!
//! Operands are parsed once here, per the field's [`FieldType`], with
//! libsinsp 0.29.3's rules (`sscanf`-style numbers, `true`/`false`,
//! dotted/colon IP addresses, `a.b.c.d/len` IPv4 networks, service names for
//! ports). Operator/type combinations that sysdig rejects (at run time) are
//! rejected here with sysdig's message.

use super::ast::{Ast, Check, Operand};
use super::error::FilterError;
use super::evttypes::EventTypes;
use super::glob::glob_match;
use super::lexer::{Spanned, Tok, tokenize};
use super::parse::parse_tokens;
use super::services::port_by_name;
use super::{CmpOp, FieldCatalog, FieldSource, FieldSpec, ResolveError, split_field};
use crate::fields::value::{FieldType, Value};
use std::collections::BTreeSet;

/// A compiled filter.
#[derive(Debug, Clone)]
pub struct Filter {
    root: Node,
    event_types: EventTypes,
    /// Some check depends on the event type alone and the filter is not
    /// stateful: [`Filter::rejects_type`] may say no.
    typed: bool,
}

#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Check(Box<Compiled>),
}

/// One compiled check.
#[derive(Debug, Clone)]
struct Compiled {
    field: FieldSpec,
    op: CmpOp,
    consts: Consts,
    /// `contains` searcher built once for the operand.
    finder: Option<memchr::memmem::Finder<'static>>,
    /// How the value is fetched (decided once from the field and operands).
    path: Path,
    /// Timestamp of the last event this check saw (per-check deltas).
    last_ts: LastTs,
}

/// The last timestamp a per-check delta saw (shared by clones, like the check).
#[derive(Debug, Clone, Default)]
struct LastTs(std::sync::Arc<std::sync::atomic::AtomicU64>);

/// Value access of a check: through [`FieldSource::get`], or directly as
/// bytes or integer bits when the field and the operands allow it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Path {
    Generic,
    Str,
    Int,
    /// `evt.around[T]=D`: T within the event time ± D ms.
    Window,
}

/// Operands, parsed per comparison class.
#[derive(Debug, Clone)]
enum Consts {
    Exists,
    Signed(Vec<i64>),
    Unsigned(Vec<u64>),
    /// C-string comparisons (operands cut at NUL).
    Str(Vec<Vec<u8>>),
    /// Path prefixes for pmatch, as component lists.
    Paths(Vec<Vec<Vec<u8>>>),
    /// Length-aware byte comparisons.
    Buf(Vec<Vec<u8>>),
    /// IP operands as libsinsp's raw 16-byte storage (zero padded).
    Ip(IpClass, Vec<[u8; 16]>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum IpClass {
    V4Net,
    V6Addr,
    V6Net,
    /// PT_IPADDR: the value's length picks v4 (unsigned compare) or v6.
    Addr,
    /// PT_IPNET: the value's length picks a v4 network or v6 /64.
    Net,
}

/// Compiles a parsed filter. `text` is the filter text (for error display).
pub fn compile(text: &str, ast: &Ast, catalog: &dyn FieldCatalog) -> Result<Filter, FilterError> {
    let mut root = node(text, ast, catalog)?;
    flatten(&mut root);
    if stateful(&root) {
        // Every operand must be evaluated in order on every event, as in sysdig.
        return Ok(Filter { root, event_types: EventTypes::All, typed: false });
    }
    cheapest_first(&mut root);
    let (event_types, _) = types_of(&root);
    let typed = any_by_type(&root);
    Ok(Filter { root, event_types, typed })
}

impl Filter {
    /// Parses and compiles in one step.
    ///
    /// When the text has a syntax error, a field or operand error in a check
    /// scanned before it is reported instead, as sysdig's single pass does.
    pub fn new(text: &str, catalog: &dyn FieldCatalog) -> Result<Filter, FilterError> {
        let tokens = tokenize(text);
        match parse_tokens(text, tokens.clone()) {
            Ok(ast) => compile(text, &ast, catalog),
            Err(pe) => match first_check_error(text, &tokens, catalog) {
                Some(ce) if ce.pos < pe.pos.max(pe.sysdig_pos) => {
                    Err(ce)
                }
                _ => Err(pe),
            },
        }
    }

    /// Whether the current event (seen through `src`) passes the filter.
    #[inline]
    pub fn matches<S: FieldSource + ?Sized>(&self, src: &mut S) -> bool {
        eval(&self.root, src)
    }

    /// The event types this filter can accept (from its `evt.type` checks).
    pub fn event_types(&self) -> &EventTypes {
        &self.event_types
    }

    /// True when some check's verdict depends on the event type alone
    /// (worth caching [`Filter::rejects_type`] per type).
    pub fn is_typed(&self) -> bool {
        self.typed
    }

    /// True when the filter rejects every event of the current event's type
    /// (and direction): the checks on fields that depend on the type alone
    /// (`evt.type`, `evt.dir`, `evt.is_io*`) decide it whatever the others
    /// would say. Only those checks are evaluated.
    pub fn rejects_type<S: FieldSource + ?Sized>(&self, src: &mut S) -> bool {
        self.typed && by_type(&self.root, src) == Some(false)
    }
}

/// Whether a check in the tree depends on the event type alone.
fn any_by_type(n: &Node) -> bool {
    match n {
        Node::And(v) | Node::Or(v) => v.iter().any(any_by_type),
        Node::Not(a) => any_by_type(a),
        Node::Check(c) => c.field.by_type,
    }
}

/// The verdict of `n` from its type-only checks: Some when they decide it,
/// None when other checks would.
fn by_type<S: FieldSource + ?Sized>(n: &Node, src: &mut S) -> Option<bool> {
    match n {
        Node::Check(c) => c.field.by_type.then(|| eval_check(c, src)),
        Node::Not(a) => by_type(a, src).map(|b| !b),
        Node::And(v) => settle(v, src, false),
        Node::Or(v) => settle(v, src, true),
    }
}

/// An `and` (`decisive` false) or `or` (`decisive` true) of `v` from its
/// type-only checks: the decisive verdict as soon as one operand has it;
/// the other one when every operand is decided; else None.
fn settle<S: FieldSource + ?Sized>(v: &[Node], src: &mut S, decisive: bool) -> Option<bool> {
    let mut open = false;
    for x in v {
        match by_type(x, src) {
            Some(b) if b == decisive => return Some(decisive),
            None => open = true,
            Some(_) => {}
        }
    }
    (!open).then_some(!decisive)
}

/// The first error among the checks framed by the scanner, even when the
/// filter as a whole does not parse. An unfinished check (no operator) has
/// only its field resolved.
fn first_check_error(text: &str, tokens: &[Spanned], cat: &dyn FieldCatalog) -> Option<FilterError> {
    let mut i = 0;
    while i < tokens.len() {
        let Ok((fpos, Tok::Field(field), _)) = &tokens[i] else {
            i += 1;
            continue;
        };
        i += 1;
        let op = match tokens.get(i) {
            Some(Ok((opos, Tok::Op(op), _))) => Some((*op, *opos)),
            _ => None,
        };
        let Some((op, op_pos)) = op else {
            let (name, arg) = split_field(field);
            return cat.resolve(name, arg).err().map(|e| field_error(text, field, *fpos, e));
        };
        i += 1;
        let mut operands = Vec::new();
        while let Some(Ok((_, t, _))) = tokens.get(i) {
            match t {
                Tok::Value(v) => operands.push(v.clone()),
                Tok::ListOpen | Tok::Comma | Tok::ListClose => {}
                _ => break,
            }
            i += 1;
        }
        let c = Check { field: field.clone(), field_pos: *fpos, op, op_pos, list: false, operands };
        if let Err(e) = check(text, &c, cat) {
            return Some(e);
        }
    }
    None
}

fn field_error(text: &str, field: &str, pos: usize, e: ResolveError) -> FilterError {
    // sysdig's scanner steps back one character when a bracket ends the field.
    let end = pos + field.len();
    let end = if matches!(text.as_bytes().get(end), Some(b'(' | b')')) { end - 1 } else { end };
    match e {
        ResolveError::Unknown => FilterError::new(
            text,
            pos,
            end,
            format!("filter error: unrecognized field {field} at pos {pos}"),
        ),
        ResolveError::Invalid(m) => FilterError::new(text, pos, end, m),
    }
}

/// True when a check of `n` reads a field with a history of its own.
fn stateful(n: &Node) -> bool {
    match n {
        Node::And(v) | Node::Or(v) => v.iter().any(stateful),
        Node::Not(x) => stateful(x),
        Node::Check(c) => c.field.stateful,
    }
}

/// Splices nested `and`s into their `and` parent and nested `or`s into
/// their `or` parent, in place and in order (`(a and b) and c` is
/// `a and b and c`), so that ordering by cost sees every operand.
fn flatten(n: &mut Node) {
    match n {
        Node::And(v) | Node::Or(v) => {
            v.iter_mut().for_each(flatten);
        }
        Node::Not(x) => return flatten(x),
        Node::Check(_) => return,
    }
    let is_and = matches!(n, Node::And(_));
    let (Node::And(v) | Node::Or(v)) = n else { return };
    if !v.iter().any(|c| matches!((c, is_and), (Node::And(_), true) | (Node::Or(_), false))) {
        return;
    }
    let mut out = Vec::with_capacity(v.len());
    for c in std::mem::take(v) {
        match (c, is_and) {
            (Node::And(inner), true) | (Node::Or(inner), false) => out.extend(inner),
            (c, _) => out.push(c),
        }
    }
    *v = out;
}

/// Estimated cost of evaluating `n`.
fn cost(n: &Node) -> u32 {
    match n {
        Node::And(v) | Node::Or(v) => v.iter().map(cost).sum(),
        Node::Not(x) => cost(x),
        Node::Check(c) => {
            let op = match c.op {
                CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge | CmpOp::Exists => 0,
                CmpOp::In | CmpOp::Intersects | CmpOp::StartsWith | CmpOp::EndsWith => 1,
                _ => 2,
            };
            let field = if c.field.is_evt_type { 0 } else { 1 + c.field.cost as u32 * 2 };
            field + op + if c.field.multi { 4 } else { 0 }
        }
    }
}

/// Orders the operands of every `and`/`or` cheapest first (stable). Checks
/// have no side effects (filters with stateful fields are not reordered),
/// so only the time to reach the answer changes.
fn cheapest_first(n: &mut Node) {
    match n {
        Node::And(v) | Node::Or(v) => {
            v.iter_mut().for_each(cheapest_first);
            v.sort_by_key(cost);
        }
        Node::Not(x) => cheapest_first(x),
        Node::Check(_) => {}
    }
}

fn node(text: &str, ast: &Ast, cat: &dyn FieldCatalog) -> Result<Node, FilterError> {
    Ok(match ast {
        Ast::And(v) => Node::And(v.iter().map(|a| node(text, a, cat)).collect::<Result<_, _>>()?),
        Ast::Or(v) => Node::Or(v.iter().map(|a| node(text, a, cat)).collect::<Result<_, _>>()?),
        Ast::Not(a) => Node::Not(Box::new(node(text, a, cat)?)),
        Ast::Check(c) => Node::Check(Box::new(check(text, c, cat)?)),
    })
}

/// Event types with an exactness flag: exact means the set describes the
/// expression precisely (so its negation is the complement).
fn types_of(n: &Node) -> (EventTypes, bool) {
    match n {
        Node::Check(c) => {
            if !c.field.is_evt_type {
                return (EventTypes::All, false);
            }
            let Consts::Str(v) = &c.consts else { return (EventTypes::All, false) };
            let set = || v.iter().cloned().collect::<BTreeSet<_>>();
            match c.op {
                CmpOp::Eq | CmpOp::In | CmpOp::Intersects => (EventTypes::Only(set()), true),
                CmpOp::Ne => (EventTypes::AllExcept(set()), true),
                _ => (EventTypes::All, false),
            }
        }
        Node::Not(a) => match types_of(a) {
            (t, true) => (t.not(), true),
            _ => (EventTypes::All, false),
        },
        Node::And(v) => v.iter().map(types_of).fold((EventTypes::All, true), |(a, ea), (b, eb)| {
            (a.and(b), ea && eb)
        }),
        Node::Or(v) => {
            let mut it = v.iter().map(types_of);
            let first = it.next().unwrap_or((EventTypes::All, false));
            it.fold(first, |(a, ea), (b, eb)| (a.or(b), ea && eb))
        }
    }
}

fn check(text: &str, c: &Check, cat: &dyn FieldCatalog) -> Result<Compiled, FilterError> {
    let (name, arg) = split_field(&c.field);
    let field =
        cat.resolve(name, arg).map_err(|e| field_error(text, &c.field, c.field_pos, e))?;
    let op = c.op;
    let op_err = |m: String| FilterError::new(text, c.op_pos, c.op_pos, m);
    if op == CmpOp::Pmatch && field.ty != FieldType::CharBuf {
        return Err(op_err("pmatch requires all charbuf arguments".into()));
    }
    cat.validate(&field, op, None).map_err(op_err)?;
    let consts = if op == CmpOp::Exists {
        Consts::Exists
    } else {
        for o in &c.operands {
            cat.validate(&field, op, Some(&o.bytes)).map_err(|m| operr(text, o, m))?;
        }
        operands(text, field.ty, op, &c.operands)?
    };
    // sysdig refuses these operators only when it compares a value (its
    // message alone, no position); refused here before any event is read.
    if let Some(m) = multi_op_support(&field, op).or_else(|| op_support(field.ty, op)) {
        return Err(FilterError::bare(text, m));
    }
    let finder = match (&consts, op) {
        (Consts::Str(k) | Consts::Buf(k), CmpOp::Contains) => {
            k.first().map(|k| memchr::memmem::Finder::new(k.as_slice()).into_owned())
        }
        _ => None,
    };
    if field.window && op != CmpOp::Eq {
        return Err(op_err("evt.around supports only '=' comparison operator".into()));
    }
    let path = match (field.fast, &consts) {
        _ if field.window => Path::Window,
        _ if field.multi => Path::Generic,
        (crate::filter::Fast::Str, Consts::Str(_) | Consts::Paths(_) | Consts::Buf(_) | Consts::Exists) => Path::Str,
        (crate::filter::Fast::Int, Consts::Signed(_) | Consts::Unsigned(_) | Consts::Exists) => Path::Int,
        _ => Path::Generic,
    };
    Ok(Compiled { field, op, consts, finder, path, last_ts: LastTs::default() })
}

fn operr(text: &str, o: &Operand, m: String) -> FilterError {
    FilterError::new(text, o.pos, o.sysdig_end, m)
}

/// The operators of sysdig's "any endpoint" fields: `fd.ip`/`fd.net` take
/// `=`, `!=` and `in`; `fd.port`/`fd.proto` also take the order comparisons.
fn multi_op_support(field: &FieldSpec, op: CmpOp) -> Option<String> {
    use CmpOp::*;
    if !field.multi {
        return None;
    }
    match field.ty {
        FieldType::IpAddr | FieldType::IpNet => match op {
            Eq | Ne | In | Intersects => None,
            _ => Some("filter error: IP filter only supports '=' and '!=' operators".into()),
        },
        FieldType::Port => match op {
            Eq | Ne | Lt | Le | Gt | Ge | In | Intersects => None,
            _ => Some("filter error: unsupported port comparison operator".into()),
        },
        _ => None,
    }
}

/// sysdig's refusal of an operator for a type, if any.
fn op_support(ty: FieldType, op: CmpOp) -> Option<String> {
    use CmpOp::*;
    use FieldType::*;
    let named = |what: &str| format!("'{}' not supported for {what}", op.as_str());
    let listed = matches!(op, Contains | IContains | StartsWith | EndsWith | Glob);
    match ty {
        CharBuf | FsPath | SockAddr | SockFamily => None,
        ByteBuf => match op {
            IContains | Glob | Lt | Le | Gt | Ge => Some(named("buffer filters")),
            _ => None,
        },
        Ipv4Net => match op {
            Eq | Ne | In | Intersects | Exists => None,
            _ if listed => Some(named("numeric filters")),
            _ => Some("comparison operator not supported for ipv4 networks".into()),
        },
        Ipv6Addr | Ipv6Net => {
            let what = if ty == Ipv6Addr { "ipv6 addresses" } else { "ipv6 networks" };
            match op {
                Eq | Ne | In | Intersects | Exists => None,
                Contains | IContains | StartsWith | Glob => Some(named(what)),
                _ => Some(format!("comparison operator not supported for {what}")),
            }
        }
        _ if listed => Some(named("numeric filters")),
        _ => None,
    }
}

fn operands(text: &str, ty: FieldType, op: CmpOp, ops: &[Operand]) -> Result<Consts, FilterError> {
    use FieldType::*;
    macro_rules! each {
        ($f:expr) => {
            ops.iter().map(|o| $f(o).map_err(|m: String| operr(text, o, m))).collect::<Result<Vec<_>, _>>()?
        };
    }
    Ok(match ty {
        Int8 | Int16 | Int32 | Int64 | Errno | Fd => {
            Consts::Signed(each!(|o: &Operand| parse_signed(&o.bytes, ty)))
        }
        Uint8 | Uint16 | Uint32 | Uint64 | Flags8 | Flags16 | Flags32 | Mode | Uid | Gid
        | L4Proto | RelTime | AbsTime => {
            Consts::Unsigned(each!(|o: &Operand| parse_unsigned(&o.bytes, ty)))
        }
        Port => Consts::Unsigned(each!(|o: &Operand| parse_port(&o.bytes))),
        Bool => Consts::Unsigned(each!(|o: &Operand| match o.bytes.as_slice() {
            b"true" => Ok(1),
            b"false" => Ok(0),
            b => Err(format!("filter error: unrecognized boolean value {}", lossy(b))),
        })),
        Ipv4Addr => Consts::Unsigned(each!(|o: &Operand| parse_v4(&o.bytes)
            .map(|b| u32::from_le_bytes(b) as u64))),
        CharBuf | FsPath | SockAddr | SockFamily => {
            let v = each!(|o: &Operand| {
                let s = cstr(&o.bytes);
                if s.len() >= 256 {
                    Err(format!("filter parameter too long:{}", lossy(s)))
                } else {
                    Ok(s.to_vec())
                }
            });
            if op == CmpOp::Pmatch {
                Consts::Paths(v.iter().map(|p| components(p).map(<[u8]>::to_vec).collect()).collect())
            } else {
                Consts::Str(v)
            }
        }
        ByteBuf => Consts::Buf(each!(|o: &Operand| {
            if o.bytes.len() >= 256 {
                Err(format!("filter parameter too long:{}", lossy(cstr(&o.bytes))))
            } else {
                Ok(o.bytes.clone())
            }
        })),
        Ipv4Net => Consts::Ip(IpClass::V4Net, each!(|o: &Operand| parse_v4net(&o.bytes))),
        Ipv6Addr => Consts::Ip(IpClass::V6Addr, each!(|o: &Operand| parse_v6(&o.bytes))),
        Ipv6Net => Consts::Ip(IpClass::V6Net, each!(|o: &Operand| parse_v6(&o.bytes))),
        IpAddr => Consts::Ip(IpClass::Addr, each!(|o: &Operand| {
            if o.bytes.contains(&b'.') {
                parse_v4(&o.bytes).map(pad4)
            } else {
                parse_v6(&o.bytes)
            }
        })),
        IpNet => Consts::Ip(IpClass::Net, each!(|o: &Operand| {
            if o.bytes.contains(&b'.') { parse_v4net(&o.bytes) } else { parse_v6(&o.bytes) }
        })),
        SyscallId | SigType | Double | SigSet | Pid => {
            let m = format!("wrong parameter type {}", ty.code());
            return Err(match ops.first() {
                Some(o) => operr(text, o, m),
                None => FilterError::new(text, 0, 0, m),
            });
        }
    })
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The bytes up to the first NUL (C-string view).
#[inline]
fn cstr(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

fn pad4(b: [u8; 4]) -> [u8; 16] {
    let mut r = [0u8; 16];
    r[..4].copy_from_slice(&b);
    r
}

/// `sscanf(s, "%d%c")`-style scan: optional blanks, sign, digits, nothing
/// after. Returns (negative, magnitude saturated at u64::MAX).
fn scan_number(s: &[u8]) -> Option<(bool, u64, bool)> {
    let s = cstr(s);
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let digits = i;
    let mut mag: u64 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_digit() {
        match mag.checked_mul(10).and_then(|m| m.checked_add((s[i] - b'0') as u64)) {
            Some(m) => mag = m,
            None => overflow = true,
        }
        i += 1;
    }
    if i == digits || i != s.len() {
        return None;
    }
    Some((neg, mag, overflow))
}

fn not_a_number(s: &[u8]) -> String {
    format!("{} is not a valid number", lossy(cstr(s)))
}

/// strtol-like: saturates to i64 range.
fn parse_signed(s: &[u8], ty: FieldType) -> Result<i64, String> {
    let (neg, mag, overflow) = scan_number(s).ok_or_else(|| not_a_number(s))?;
    let v: i64 = if overflow || mag > i64::MAX as u64 + neg as u64 {
        if neg { i64::MIN } else { i64::MAX }
    } else if neg {
        (mag as i64).wrapping_neg()
    } else {
        mag as i64
    };
    Ok(match ty {
        FieldType::Int8 => v as i32 as i8 as i64,
        FieldType::Int16 => v as i32 as i16 as i64,
        FieldType::Int32 => v as i32 as i64,
        _ => v,
    })
}

/// strtoul-like: negative values wrap, overflow saturates.
fn parse_unsigned(s: &[u8], ty: FieldType) -> Result<u64, String> {
    let (neg, mag, overflow) = scan_number(s).ok_or_else(|| not_a_number(s))?;
    let v = if overflow { u64::MAX } else if neg { mag.wrapping_neg() } else { mag };
    Ok(match ty {
        FieldType::Uint8 | FieldType::Flags8 | FieldType::L4Proto => v as u32 as u8 as u64,
        FieldType::Uint16 | FieldType::Flags16 => v as u32 as u16 as u64,
        FieldType::Uint32 | FieldType::Flags32 | FieldType::Mode | FieldType::Uid
        | FieldType::Gid => v as u32 as u64,
        _ => v,
    })
}

fn parse_port(s: &[u8]) -> Result<u64, String> {
    let s = cstr(s);
    if s.is_empty() {
        return Ok(0);
    }
    if s.iter().all(u8::is_ascii_digit) {
        let mut v: u64 = 0;
        for &d in s {
            v = v.saturating_mul(10).saturating_add((d - b'0') as u64);
        }
        if v > i32::MAX as u64 {
            return Err("error parsing the filter string".into());
        }
        return Ok(v as u16 as u64);
    }
    std::str::from_utf8(s)
        .ok()
        .and_then(port_by_name)
        .map(u64::from)
        .ok_or_else(|| format!("unrecognized protocol {}", lossy(s)))
}

fn parse_v4(s: &[u8]) -> Result<[u8; 4], String> {
    let s = cstr(s);
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.parse::<std::net::Ipv4Addr>().ok())
        .map(|a| a.octets())
        .ok_or_else(|| format!("unrecognized IPv4 address {}", lossy(s)))
}

fn parse_v6(s: &[u8]) -> Result<[u8; 16], String> {
    let s = cstr(s);
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.parse::<std::net::Ipv6Addr>().ok())
        .map(|a| a.octets())
        .ok_or_else(|| format!("unrecognized IPv6 address {}", lossy(s)))
}

/// `a.b.c.d/len` into libsinsp's ipv4net storage: 4 address bytes, then the
/// 4 mask bytes (network order).
fn parse_v4net(s: &[u8]) -> Result<[u8; 16], String> {
    let s = cstr(s);
    let Some(slash) = s.iter().position(|&c| c == b'/') else {
        return Err(format!("unrecognized IP network {}", lossy(s)));
    };
    let ip = std::str::from_utf8(&s[..slash])
        .ok()
        .and_then(|t| t.parse::<std::net::Ipv4Addr>().ok())
        .ok_or_else(|| format!("unrecognized IP address {}", lossy(s)))?;
    let mask_text = &s[slash + 1..];
    let mask_text = match mask_text.iter().position(|&c| c == b'\n') {
        Some(i) => &mask_text[..i],
        None => mask_text,
    };
    let len = parse_unsigned(mask_text, FieldType::Uint8)?;
    if len > 32 {
        return Err(format!("invalid netmask {}", lossy(mask_text)));
    }
    let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let mut r = [0u8; 16];
    r[..4].copy_from_slice(&ip.octets());
    r[4..8].copy_from_slice(&mask.to_be_bytes());
    Ok(r)
}

/// Non-empty `/`-separated components of a path.
fn components(p: &[u8]) -> impl Iterator<Item = &[u8]> {
    p.split(|&c| c == b'/').filter(|c| !c.is_empty())
}

fn eval<S: FieldSource + ?Sized>(n: &Node, src: &mut S) -> bool {
    match n {
        Node::And(v) => v.iter().all(|x| eval_child(x, src)),
        Node::Or(v) => v.iter().any(|x| eval_child(x, src)),
        Node::Not(x) => !eval_child(x, src),
        Node::Check(c) => eval_check(c, src),
    }
}

/// A child node: checks are evaluated in line, other nodes recursively.
#[inline(always)]
fn eval_child<S: FieldSource + ?Sized>(n: &Node, src: &mut S) -> bool {
    match n {
        Node::Check(c) => eval_check(c, src),
        _ => eval(n, src),
    }
}

#[inline]
fn eval_check<S: FieldSource + ?Sized>(c: &Compiled, src: &mut S) -> bool {
    if let Some(kind) = c.field.delta {
        return eval_delta(c, kind, src);
    }
    match c.path {
        Path::Str => {
            if let Some(x) = src.get_str(&c.field) {
                return x.is_some_and(|x| compare_bytes::<false>(c, c.op, x));
            }
        }
        Path::Int => {
            if let Some(x) = src.get_int(&c.field) {
                return x.is_some_and(|x| compare_int(c, c.op, x));
            }
        }
        Path::Window => return in_window(c, src),
        Path::Generic => {}
    }
    if c.field.multi {
        if c.op == CmpOp::Ne {
            // sysdig: false when there is no value at all, else no value equal.
            let mut seen = false;
            let hit = src.any(&c.field, &mut |v| {
                seen = true;
                compare(c, CmpOp::Eq, v)
            });
            return seen && !hit;
        }
        return src.any(&c.field, &mut |v| compare(c, c.op, v));
    }
    // Compared in place: moving the value out would reload the callee's
    // separate 8-byte stores as one wider load, which stalls store forwarding.
    let v = src.get(&c.field);
    match &v {
        Some(v) => compare(c, c.op, v),
        None => false,
    }
}

/// `evt.around[T]=D`: the event time `ts` (the field's value) satisfies
/// ts - D ms <= T <= ts + D ms, in wrapping unsigned arithmetic as libsinsp.
fn in_window<S: FieldSource + ?Sized>(c: &Compiled, src: &mut S) -> bool {
    let Some(ts) = src.get(&c.field).and_then(|v| v.as_u64()) else { return false };
    let Consts::Unsigned(k) = &c.consts else { return false };
    let Some(d) = k.first() else { return false };
    let d = d.wrapping_mul(1_000_000);
    let t = c.field.arg as u64;
    t >= ts.wrapping_sub(d) && t <= ts.wrapping_add(d)
}

/// A per-check delta (`evt.deltatime`): the time since the previous event
/// this very check evaluated.
#[cold]
fn eval_delta<S: FieldSource + ?Sized>(c: &Compiled, kind: super::DeltaKind, src: &mut S) -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    let Some(ts) = src.timestamp() else { return false };
    let last = c.last_ts.0.swap(ts, Relaxed);
    let d = if last == 0 { 0 } else { ts.wrapping_sub(last) };
    let v = match kind {
        super::DeltaKind::Ns => d,
        super::DeltaKind::Secs => d / 1_000_000_000,
        super::DeltaKind::Frac => d % 1_000_000_000,
    };
    compare(c, c.op, &Value::U64(v))
}

fn ord<T: PartialOrd>(op: CmpOp, a: T, b: T) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
        _ => false,
    }
}

/// Applies `op` to one extracted value: list operators match if any operand
/// is equal; other operators use the first operand.
fn compare(c: &Compiled, op: CmpOp, v: &Value<'_>) -> bool {
    match &c.consts {
        Consts::Exists => true,
        Consts::Signed(k) => v.as_i64().is_some_and(|x| signed_op(k, op, x)),
        Consts::Unsigned(k) => v.as_u64().is_some_and(|x| unsigned_op(k, op, x)),
        Consts::Str(_) | Consts::Paths(_) | Consts::Buf(_) => v.as_bytes().is_some_and(|x| compare_bytes::<true>(c, op, x)),
        Consts::Ip(class, k) => {
            let Some(x) = v.ip_bytes() else { return false };
            if matches!(op, CmpOp::In | CmpOp::Intersects) {
                k.iter().any(|k| ip_op(*class, CmpOp::Eq, x, k))
            } else {
                k.first().is_some_and(|k| ip_op(*class, op, x, k))
            }
        }
    }
}

/// [`compare`] for an integer value given as the bits of an `i64`/`u64`
/// (the conversions between the two are bit casts, so either variant gives
/// the same result).
#[inline]
fn compare_int(c: &Compiled, op: CmpOp, x: i64) -> bool {
    match &c.consts {
        Consts::Signed(k) => signed_op(k, op, x),
        Consts::Unsigned(k) => unsigned_op(k, op, x as u64),
        _ => compare(c, op, &Value::I64(x)),
    }
}

#[inline]
fn signed_op(k: &[i64], op: CmpOp, x: i64) -> bool {
    if matches!(op, CmpOp::In | CmpOp::Intersects) {
        k.contains(&x)
    } else {
        k.first().is_some_and(|&k| ord(op, x, k))
    }
}

#[inline]
fn unsigned_op(k: &[u64], op: CmpOp, x: u64) -> bool {
    if matches!(op, CmpOp::In | CmpOp::Intersects) {
        k.contains(&x)
    } else {
        k.first().is_some_and(|&k| ord(op, x, k))
    }
}

/// [`compare`] for a value given as bytes (string, path and buffer operands).
/// `CUT`: a string may hold a NUL byte, where it ends (false for values known
/// to hold none).
#[inline]
fn compare_bytes<const CUT: bool>(c: &Compiled, op: CmpOp, x: &[u8]) -> bool {
    let list = matches!(op, CmpOp::In | CmpOp::Intersects);
    match &c.consts {
        Consts::Exists => true,
        Consts::Str(k) => {
            let x = if CUT { cstr(x) } else { x };
            if let (Some(f), CmpOp::Contains) = (&c.finder, op) {
                return f.find(x).is_some();
            }
            if list {
                k.iter().any(|k| k.as_slice() == x)
            } else {
                k.first().is_some_and(|k| str_op(op, x, k))
            }
        }
        Consts::Paths(paths) => {
            let x = if CUT { cstr(x) } else { x };
            paths.iter().any(|p| {
                let mut xs = components(x);
                p.iter().all(|pc| xs.next() == Some(pc.as_slice()))
            })
        }
        Consts::Buf(k) => {
            if let (Some(f), CmpOp::Contains) = (&c.finder, op) {
                return f.find(x).is_some();
            }
            if list {
                k.iter().any(|k| k.as_slice() == x)
            } else {
                k.first().is_some_and(|k| buf_op(op, x, k))
            }
        }
        _ => compare(c, op, &Value::Str(x)),
    }
}

#[inline]
fn str_op(op: CmpOp, x: &[u8], k: &[u8]) -> bool {
    match op {
        CmpOp::Eq => x == k,
        CmpOp::Ne => x != k,
        CmpOp::Contains => find(x, k),
        CmpOp::IContains => ifind(x, k),
        CmpOp::StartsWith => x.starts_with(k),
        CmpOp::EndsWith => x.ends_with(k),
        CmpOp::Glob => glob_match(k, x),
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => ord(op, x, k),
        _ => false,
    }
}

fn buf_op(op: CmpOp, x: &[u8], k: &[u8]) -> bool {
    match op {
        CmpOp::Eq => x == k,
        CmpOp::Ne => x != k,
        CmpOp::Contains => find(x, k),
        CmpOp::StartsWith => x.starts_with(k),
        CmpOp::EndsWith => x.ends_with(k),
        _ => false,
    }
}

fn ip_op(class: IpClass, op: CmpOp, x: &[u8], k: &[u8; 16]) -> bool {
    let eq = |a: bool| match op {
        CmpOp::Eq => a,
        CmpOp::Ne => !a,
        _ => false,
    };
    let v4net = |x: &[u8]| {
        if x.len() != 4 {
            return false;
        }
        (0..4).all(|i| x[i] & k[4 + i] == k[i] & k[4 + i])
    };
    match class {
        IpClass::V4Net => eq(v4net(x)),
        IpClass::V6Addr => eq(x.len() == 16 && x == k),
        IpClass::V6Net => eq(x.len() == 16 && x[..8] == k[..8]),
        IpClass::Addr => {
            if x.len() == 4 {
                let a = u32::from_le_bytes([x[0], x[1], x[2], x[3]]);
                let b = u32::from_le_bytes([k[0], k[1], k[2], k[3]]);
                ord(op, a, b)
            } else {
                eq(x == k)
            }
        }
        IpClass::Net => {
            if x.len() == 4 {
                eq(v4net(x))
            } else {
                eq(x.len() == 16 && x[..8] == k[..8])
            }
        }
    }
}

fn find(h: &[u8], n: &[u8]) -> bool {
    n.is_empty() || memchr::memmem::find(h, n).is_some()
}

fn ifind(h: &[u8], n: &[u8]) -> bool {
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arity(n: &Node) -> (char, usize) {
        match n {
            Node::And(v) => ('&', v.len()),
            Node::Or(v) => ('|', v.len()),
            Node::Not(_) => ('!', 1),
            Node::Check(_) => ('c', 0),
        }
    }

    #[test]
    fn nested_and_or_are_flattened_in_order() {
        let reg = crate::fields::Registry::get();
        let f = Filter::new("(evt.type=read and fd.num>0) and (proc.name=a and fd.type=file)", reg).unwrap();
        assert_eq!(arity(&f.root), ('&', 4));
        // The evt.type check runs first once the operands are side by side.
        let Node::And(v) = &f.root else { unreachable!() };
        assert!(matches!(&v[0], Node::Check(c) if c.field.is_evt_type));
        let f = Filter::new("(fd.num=1 or (fd.num=2 or fd.num=3)) and not (fd.num=4 and fd.num=5)", reg).unwrap();
        let Node::And(v) = &f.root else { panic!("not an and") };
        let mut a: Vec<_> = v.iter().map(arity).collect();
        a.sort();
        assert_eq!(a, vec![('!', 1), ('|', 3)]);
        // An and inside an or stays where it is.
        let f = Filter::new("fd.num=1 or (fd.num=2 and fd.num=3)", reg).unwrap();
        let Node::Or(v) = &f.root else { panic!("not an or") };
        assert_eq!(v.iter().map(arity).collect::<Vec<_>>(), vec![('c', 0), ('&', 2)]);
    }

    #[test]
    fn type_only_checks_make_a_filter_typed() {
        let reg = crate::fields::Registry::get();
        let typed = |t: &str| Filter::new(t, reg).unwrap().is_typed();
        assert!(typed("evt.is_io_write=true and fd.num=1"));
        assert!(typed("evt.dir=< or proc.name=a"));
        assert!(typed("not evt.type=read"));
        assert!(!typed("proc.name=a and fd.num=1"));
        // A stateful filter evaluates every operand on every event.
        assert!(!typed("evt.is_io=true and thread.exectime>0"));
    }
}
