//! Mock field catalog and event for the filter tests.
#![allow(dead_code)]

use rchisel::fields::value::{FieldType, Value};
use rchisel::filter::{
    CmpOp, FieldCatalog, FieldId, FieldSource, FieldSpec, Filter, FilterError, ResolveError,
};

pub const FIELDS: &[(&str, FieldType, bool)] = &[
    ("proc.name", FieldType::CharBuf, false),
    ("proc.pid", FieldType::Int64, false),
    ("proc.aname", FieldType::CharBuf, true),
    ("evt.type", FieldType::CharBuf, false),
    ("evt.num", FieldType::Uint64, false),
    ("evt.cpu", FieldType::Int16, false),
    ("evt.count", FieldType::Uint32, false),
    ("evt.latency", FieldType::RelTime, false),
    ("evt.is_io", FieldType::Bool, false),
    ("evt.buffer", FieldType::ByteBuf, false),
    ("evt.arg", FieldType::CharBuf, false),
    ("evt.rawarg.res", FieldType::Int64, false),
    ("fd.name", FieldType::CharBuf, false),
    ("fd.directory", FieldType::FsPath, false),
    ("fd.num", FieldType::Int64, false),
    ("fd.ip", FieldType::IpAddr, true),
    ("fd.sip", FieldType::Ipv4Addr, false),
    ("fd.net", FieldType::IpNet, true),
    ("fd.snet", FieldType::Ipv4Net, false),
    ("fd.sip6", FieldType::Ipv6Addr, false),
    ("fd.net6", FieldType::Ipv6Net, false),
    ("fd.port", FieldType::Port, true),
    ("thread.cpu", FieldType::Double, false),
];

pub struct Catalog;

impl FieldCatalog for Catalog {
    fn resolve(&self, name: &str, arg: Option<&str>) -> Result<FieldSpec, ResolveError> {
        // evt.arg.NAME / evt.arg[N]
        let base = if name.starts_with("evt.arg.") { "evt.arg" } else { name };
        let i = FIELDS.iter().position(|f| f.0 == base).ok_or(ResolveError::Unknown)?;
        let (n, ty, multi) = FIELDS[i];
        if arg.is_some() && n != "proc.aname" && n != "evt.arg" {
            return Err(ResolveError::Invalid(format!("filter syntax error: {name}")));
        }
        let mut spec = FieldSpec::new(FieldId(i as u32), ty);
        if multi && arg.is_none() {
            spec = spec.multi();
        }
        if n == "evt.type" {
            spec = spec.event_type();
        }
        if let Some(a) = arg {
            spec.arg = a.parse().map_err(|_| ResolveError::Invalid(format!("bad arg {a}")))?;
        }
        Ok(spec)
    }

    fn validate(&self, spec: &FieldSpec, op: CmpOp, value: Option<&[u8]>) -> Result<(), String> {
        if FIELDS[spec.id.0 as usize].0 == "evt.type"
            && let Some(v) = value
            && !matches!(v, b"open" | b"openat" | b"close" | b"read" | b"write")
        {
            return Err(format!("unknown event type {}", String::from_utf8_lossy(v)));
        }
        let _ = op;
        Ok(())
    }
}

/// An event: field name -> values (several for multi-valued fields).
#[derive(Default)]
pub struct Event {
    pub vals: Vec<(&'static str, Vec<Value<'static>>)>,
    pub gets: usize,
}

impl Event {
    pub fn new(vals: &[(&'static str, Value<'static>)]) -> Self {
        let mut e = Event::default();
        for (n, v) in vals {
            match e.vals.iter_mut().find(|(k, _)| k == n) {
                Some((_, vs)) => vs.push(v.clone()),
                None => e.vals.push((n, vec![v.clone()])),
            }
        }
        e
    }
    fn lookup(&self, spec: &FieldSpec) -> Option<&Vec<Value<'static>>> {
        let name = FIELDS[spec.id.0 as usize].0;
        self.vals.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

impl FieldSource for Event {
    fn get(&mut self, field: &FieldSpec) -> Option<Value<'_>> {
        self.gets += 1;
        if FIELDS[field.id.0 as usize].0 == "proc.aname" {
            // proc.aname[N]
            return self.lookup(field)?.get(field.arg as usize).cloned();
        }
        self.lookup(field)?.first().cloned()
    }
    fn any(&mut self, field: &FieldSpec, pred: &mut dyn FnMut(&Value<'_>) -> bool) -> bool {
        self.gets += 1;
        match self.lookup(field) {
            Some(vs) => vs.iter().any(pred),
            None => false,
        }
    }
}

pub fn compile(text: &str) -> Result<Filter, FilterError> {
    Filter::new(text, &Catalog)
}

pub fn err(text: &str) -> FilterError {
    match compile(text) {
        Ok(_) => panic!("filter {text:?} unexpectedly compiled"),
        Err(e) => e,
    }
}

pub fn curl() -> Event {
    Event::new(&[
        ("proc.name", Value::Str(b"curl")),
        ("proc.pid", Value::I64(1234)),
        ("proc.aname", Value::Str(b"curl")),
        ("proc.aname", Value::Str(b"bash")),
        ("proc.aname", Value::Str(b"sshd")),
        ("evt.type", Value::Str(b"openat")),
        ("evt.num", Value::U64(42)),
        ("evt.cpu", Value::I64(1)),
        ("evt.count", Value::U64(3)),
        ("evt.latency", Value::U64(15000)),
        ("evt.is_io", Value::Bool(false)),
        ("evt.buffer", Value::Str(b"GET / HTTP/1.1\r\nHost: google.com\0\x01")),
        ("evt.arg", Value::Str(b"/etc/ld.so.cache")),
        ("evt.rawarg.res", Value::I64(-2)),
        ("fd.name", Value::Str(b"/etc/ld.so.cache")),
        ("fd.directory", Value::Str(b"/etc")),
        ("fd.num", Value::I64(3)),
        ("fd.ip", Value::Ipv4([10, 1, 2, 3])),
        ("fd.ip", Value::Ipv4([142, 250, 74, 46])),
        ("fd.sip", Value::Ipv4([142, 250, 74, 46])),
        ("fd.net", Value::Ipv4([10, 1, 2, 3])),
        ("fd.net", Value::Ipv4([142, 250, 74, 46])),
        ("fd.snet", Value::Ipv4([142, 250, 74, 46])),
        ("fd.sip6", Value::Ipv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ("fd.net6", Value::Ipv6([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ("fd.port", Value::U64(443)),
        ("fd.port", Value::U64(51234)),
    ])
}

/// Whether `text` matches the curl event.
pub fn m(text: &str) -> bool {
    match compile(text) {
        Ok(f) => f.matches(&mut curl()),
        Err(e) => panic!("filter {text:?} failed: {e}"),
    }
}
