//! Fuzz target: arbitrary text through the filter parser, compiler (mock
//! catalog with every comparison class) and evaluator (mock event). Must
//! never panic; errors must point inside the text; the per-type verdict
//! (`rejects_type`, from the checks on type-only fields) never rejects an
//! event the whole filter accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rchisel::fields::value::{FieldType, Value};
use rchisel::filter::{FieldCatalog, FieldId, FieldSource, FieldSpec, Filter, ResolveError};

const FIELDS: &[(&str, FieldType)] = &[
    ("proc.name", FieldType::CharBuf),
    ("proc.pid", FieldType::Int64),
    ("evt.type", FieldType::CharBuf),
    ("evt.cpu", FieldType::Int16),
    ("evt.num", FieldType::Uint64),
    ("evt.is_io", FieldType::Bool),
    ("evt.buffer", FieldType::ByteBuf),
    ("fd.directory", FieldType::FsPath),
    ("fd.ip", FieldType::IpAddr),
    ("fd.net", FieldType::IpNet),
    ("fd.sip", FieldType::Ipv4Addr),
    ("fd.snet", FieldType::Ipv4Net),
    ("fd.sip6", FieldType::Ipv6Addr),
    ("fd.net6", FieldType::Ipv6Net),
    ("fd.port", FieldType::Port),
    ("thread.cpu", FieldType::Double),
];

struct Catalog;

impl FieldCatalog for Catalog {
    fn resolve(&self, name: &str, arg: Option<&str>) -> Result<FieldSpec, ResolveError> {
        let i = FIELDS.iter().position(|f| f.0 == name).ok_or(ResolveError::Unknown)?;
        let mut s = FieldSpec::new(FieldId(i as u32), FIELDS[i].1);
        if arg.is_some() {
            s = s.multi();
        }
        if name == "evt.type" {
            s = s.event_type();
        }
        // Type-only fields (the registry marks evt.dir and evt.is_io* so).
        s.by_type |= name == "evt.is_io";
        Ok(s)
    }
}

struct Ev;

impl FieldSource for Ev {
    fn get(&mut self, f: &FieldSpec) -> Option<Value<'_>> {
        Some(match f.ty {
            FieldType::CharBuf | FieldType::FsPath => Value::Str(b"/etc/a*b"),
            FieldType::ByteBuf => Value::Str(b"\0\x01abc"),
            FieldType::IpAddr | FieldType::IpNet if f.id.0 % 2 == 0 => Value::Ipv6([1; 16]),
            FieldType::IpAddr | FieldType::IpNet | FieldType::Ipv4Addr | FieldType::Ipv4Net => {
                Value::Ipv4([10, 0, 0, 1])
            }
            FieldType::Ipv6Addr | FieldType::Ipv6Net => Value::Ipv6([0; 16]),
            FieldType::Bool => Value::Bool(true),
            _ => Value::I64(-1),
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Filter::new(text, &Catalog) {
        Ok(f) => {
            let passes = f.matches(&mut Ev);
            assert!(!(passes && f.rejects_type(&mut Ev)), "the type verdict rejects an accepted event: {text:?}");
            let _ = f.event_types().may_match(b"open");
        }
        Err(e) => {
            assert!(e.pos <= text.len(), "error position past the end");
            let _ = e.to_string();
        }
    }
});
