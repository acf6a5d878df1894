//! The registry as the filter compiler's catalog, and the per-event context
//! as its value source.

use std::cell::RefCell;
use std::sync::Mutex;

use super::catalog::FType;
use super::extract::{ancestor, Val};
use super::value::FieldType;
use super::{EvalCtx, Field, FieldArg, Fid, Registry};
use crate::filter::{CmpOp, FieldCatalog, FieldId, FieldSource, FieldSpec, ResolveError};

/// Resolved fields, by filter field id (append-only, leaked: a process
/// compiles a handful of filters).
static INTERNED: Mutex<Vec<&'static Field>> = Mutex::new(Vec::new());

thread_local! {
    static LOCAL: RefCell<Vec<&'static Field>> = const { RefCell::new(Vec::new()) };
}

/// The field behind a filter field id.
pub fn field_by_id(id: FieldId) -> Option<&'static Field> {
    let i = id.0 as usize;
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        if i >= l.len() {
            let g = INTERNED.lock().ok()?;
            l.clear();
            l.extend(g.iter().copied());
        }
        l.get(i).copied()
    })
}

fn intern(f: Field) -> (FieldId, &'static Field) {
    let mut g = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    let f: &'static Field = Box::leak(Box::new(f));
    g.push(f);
    (FieldId((g.len() - 1) as u32), f)
}

/// The field a spec refers to: its handle, else the interned table.
#[inline]
fn spec_field(spec: &FieldSpec) -> Option<&'static Field> {
    match spec.handle {
        Some(f) => Some(f),
        None => field_by_id(spec.id),
    }
}

/// Relative extraction cost by field class (see `FieldSpec::cost`).
fn class_cost(f: &Field) -> u8 {
    match f.def.class {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    }
}

/// Maps a catalog type to the filter's comparison type.
pub fn filter_type(t: FType) -> FieldType {
    use FType as T;
    match t {
        T::Int8 => FieldType::Int8,
        T::Int16 => FieldType::Int16,
        T::Int32 => FieldType::Int32,
        T::Int64 => FieldType::Int64,
        T::Uint8 => FieldType::Uint8,
        T::Uint16 => FieldType::Uint16,
        T::Uint32 => FieldType::Uint32,
        T::Uint64 => FieldType::Uint64,
        T::CharBuf | T::CharBufArray | T::Dyn | T::SockTuple | T::FdList | T::SigSet => FieldType::CharBuf,
        T::ByteBuf => FieldType::ByteBuf,
        T::Errno => FieldType::Errno,
        T::SockAddr => FieldType::SockAddr,
        T::Fd => FieldType::Fd,
        T::Pid => FieldType::Pid,
        T::FsPath => FieldType::FsPath,
        T::SyscallId => FieldType::SyscallId,
        T::SigType => FieldType::SigType,
        T::RelTime => FieldType::RelTime,
        T::AbsTime => FieldType::AbsTime,
        T::Port => FieldType::Port,
        T::L4Proto => FieldType::L4Proto,
        T::SockFamily => FieldType::SockFamily,
        T::Bool => FieldType::Bool,
        T::Ipv4Addr => FieldType::Ipv4Addr,
        T::Ipv4Net => FieldType::Ipv4Net,
        T::Ipv6Addr => FieldType::Ipv6Addr,
        T::Ipv6Net => FieldType::Ipv6Net,
        T::IpAddr => FieldType::IpAddr,
        T::IpNet => FieldType::IpNet,
        T::Flags8 => FieldType::Flags8,
        T::Flags16 => FieldType::Flags16,
        T::Flags32 => FieldType::Flags32,
        T::Mode => FieldType::Mode,
        T::Uid => FieldType::Uid,
        T::Gid => FieldType::Gid,
        T::Double => FieldType::Double,
    }
}

/// Fields that match any of several values when used in filters.
fn is_multi(f: &Field) -> bool {
    match f.id {
        Fid::FdIp | Fid::FdPort | Fid::FdNet | Fid::FdProto => true,
        Fid::ProcAname | Fid::ProcApid => f.arg == FieldArg::None,
        _ => false,
    }
}

impl FieldCatalog for Registry {
    fn resolve(&self, name: &str, arg: Option<&str>) -> Result<FieldSpec, ResolveError> {
        let full;
        let text = match arg {
            Some(a) => {
                full = format!("{name}[{a}]");
                full.as_str()
            }
            None => name,
        };
        let f = match self.lookup(text) {
            Ok(f) => f,
            Err(e) => {
                // Unknown when no registered name prefixes the token.
                // Unknown when no registered name prefixes the token; an
                // argument error keeps its own message (`x is not a valid number`).
                let unknown = match self.parse_prefix(text) {
                    Ok((_, used)) => used == 0,
                    Err(m) => m.starts_with("invalid formatting token"),
                };
                return Err(if unknown {
                    ResolveError::Unknown
                } else {
                    ResolveError::Invalid(e)
                });
            }
        };
        let ty = if f.id == Fid::EvtRawarg { rawarg_filter_type(&f) } else { filter_type(f.def.ftype) };
        let multi = is_multi(&f);
        let evt_type = f.id == Fid::EvtType;
        let (id, field) = intern(f);
        let mut spec = FieldSpec::new(id, ty).with_handle(field, class_cost(field));
        spec.fast = super::extract::fast_kind(field);
        spec.stateful = field.acct.is_some();
        if field.id == Fid::EvtAround {
            spec.window = true;
            if let crate::fields::FieldArg::Index(t) = field.arg {
                spec.arg = t;
            }
        }
        if multi {
            spec = spec.multi();
        }
        if evt_type {
            spec = spec.event_type();
        }
        spec.by_type |= matches!(field.id, Fid::EvtDir | Fid::EvtIsIo | Fid::EvtIsIoRead | Fid::EvtIsIoWrite);
        spec.delta = match field.id {
            Fid::EvtDeltatime => Some(crate::filter::DeltaKind::Ns),
            Fid::EvtDeltatimeS => Some(crate::filter::DeltaKind::Secs),
            Fid::EvtDeltatimeNs => Some(crate::filter::DeltaKind::Frac),
            _ => None,
        };
        // A per-check delta depends on which events reach the check.
        spec.stateful |= spec.delta.is_some();
        Ok(spec)
    }

    fn validate(&self, spec: &FieldSpec, op: CmpOp, value: Option<&[u8]>) -> Result<(), String> {
        let Some(f) = spec_field(spec) else { return Ok(()) };
        if f.id == Fid::EvtType && let Some(v) = value {
            let name = String::from_utf8_lossy(v);
            // Event names, then every name of the syscall table (generic
            // events are named after their syscall).
            let is_syscall = || {
                (0..crate::event::table::syscall_count())
                    .any(|i| crate::event::table::syscall_info(i as u16).is_some_and(|s| s.name == name))
            };
            if crate::event::table::events_named(&name).next().is_none() && !is_syscall() {
                return Err(format!("unknown event type {name}"));
            }
        }
        let _ = op;
        Ok(())
    }
}

impl FieldSource for EvalCtx<'_> {
    #[inline]
    fn get(&mut self, spec: &FieldSpec) -> Option<Val<'_>> {
        let f = spec_field(spec)?;
        self.extract(f)
    }

    #[inline]
    fn timestamp(&mut self) -> Option<u64> {
        Some(self.ev.ts)
    }

    #[inline]
    fn get_str(&mut self, spec: &FieldSpec) -> Option<Option<&[u8]>> {
        super::extract::fast_str(self, spec.handle?)
    }

    #[inline]
    fn get_int(&mut self, spec: &FieldSpec) -> Option<Option<i64>> {
        super::extract::fast_int(self, spec.handle?)
    }

    fn any(&mut self, spec: &FieldSpec, pred: &mut dyn FnMut(&Val<'_>) -> bool) -> bool {
        let Some(f) = spec_field(spec) else { return false };
        match f.id {
            Fid::FdIp | Fid::FdPort | Fid::FdNet => {
                for v in super::extract::fd_endpoint_values(self, f.id) {
                    if pred(&v) {
                        return true;
                    }
                }
                false
            }
            Fid::FdProto => {
                let (a, b) = match f.id {
                    Fid::FdIp | Fid::FdNet => (Fid::FdCip, Fid::FdSip),
                    Fid::FdPort => (Fid::FdCport, Fid::FdSport),
                    _ => (Fid::FdCproto, Fid::FdSproto),
                };
                let reg = Registry::get();
                for id in [a, b] {
                    let Some(def) = reg.all().iter().find(|d| d.id == id) else { continue };
                    let sub = Field::new(id, FieldArg::None, def);
                    if let Some(v) = self.extract(&sub) && pred(&v) {
                        return true;
                    }
                }
                false
            }
            Fid::ProcAname | Fid::ProcApid if f.arg == FieldArg::None => {
                let st = self.state;
                let Some(t) = st.thread(self.ev.tid) else { return false };
                let mut n = 1;
                while let Some(a) = ancestor(st, t, n) {
                    let v = if f.id == Fid::ProcAname { Val::Str(a.comm.as_bytes()) } else { Val::I64(a.pid) };
                    if pred(&v) {
                        return true;
                    }
                    n += 1;
                    if n > 64 {
                        break;
                    }
                }
                false
            }
            _ => match self.extract(f) {
                Some(v) => pred(&v),
                None => false,
            },
        }
    }
}

/// The comparison type of `evt.rawarg.NAME`: the type of the first parameter
/// with that name in the event table (libsinsp's find_longest_matching_evt_param).
fn rawarg_filter_type(f: &Field) -> FieldType {
    use crate::event::table::ParamType as P;
    let FieldArg::Name(n) = &f.arg else { return FieldType::CharBuf };
    for e in crate::event::table::all_events() {
        if let Some(p) = e.params.iter().map(|p| p.sysdig()).find(|p| p.name == n) {
            return match p.ptype {
                P::Int8 => FieldType::Int8,
                P::Int16 => FieldType::Int16,
                P::Int32 | P::Fd32 | P::Pid32 => FieldType::Int32,
                P::Int64 => FieldType::Int64,
                // libsinsp cannot compare PT_PID arguments ("wrong parameter type 15").
                P::Pid => FieldType::Pid,
                P::Errno => FieldType::Errno,
                P::Fd => FieldType::Fd,
                P::Uint8 => FieldType::Uint8,
                P::Uint16 => FieldType::Uint16,
                P::Uint32 => FieldType::Uint32,
                P::Uint64 => FieldType::Uint64,
                P::Port => FieldType::Port,
                P::RelTime => FieldType::RelTime,
                P::AbsTime => FieldType::AbsTime,
                P::Flags8 => FieldType::Flags8,
                P::Flags16 => FieldType::Flags16,
                P::Flags32 => FieldType::Flags32,
                P::Mode => FieldType::Mode,
                P::Uid => FieldType::Uid,
                P::Gid => FieldType::Gid,
                P::Bool => FieldType::Bool,
                P::Ipv4Addr => FieldType::Ipv4Addr,
                P::Ipv6Addr => FieldType::Ipv6Addr,
                P::ByteBuf => FieldType::ByteBuf,
                P::FsPath => FieldType::FsPath,
                _ => FieldType::CharBuf,
            };
        }
    }
    FieldType::CharBuf
}
