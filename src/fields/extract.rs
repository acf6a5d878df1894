//! Field extraction: from an event, its state meta and the state tables to a
//! typed [`Val`].

use super::{EvalCtx, Field, FieldArg, Fid};
use crate::event::consts::{EF_CREATES_FD, EF_READS_FROM_FD, EF_WRITES_TO_FD, EF_WAITS};
use crate::event::table::ParamType;
use crate::event::Event;
use crate::state::{Fd, SockInfo, State, Thread};

pub use super::value::Value as Val;

fn s(x: &str) -> Val<'_> {
    Val::Str(x.as_bytes())
}

/// The `res` value as sysdig's evt.res/evt.rawres/evt.failed see it.
pub(crate) fn res_value(ev: &Event) -> Option<i64> {
    if let Some(i) = ev.param_index("res") {
        return ev.param_i64(i);
    }
    let info = ev.info()?;
    if info.flags & EF_CREATES_FD != 0 && !ev.is_enter() {
        return ev.param_i64(ev.param_index("fd")?);
    }
    None
}

/// The thread of the event.
#[inline]
fn thread<'s>(st: &'s State, ev: &Event) -> Option<&'s Thread> {
    st.thread(ev.tid)
}

/// The fd the event refers to (from the state's meta).
fn event_fd<'s>(c: &EvalCtx<'s>) -> Option<&'s Fd> {
    if c.meta.fdinfo_fd < 0 {
        return None;
    }
    c.state.fd(c.ev.tid, c.meta.fdinfo_fd)
}

/// Ancestor `n` of a thread (0 = itself), following parent pids.
pub(crate) fn ancestor<'s>(st: &'s State, t: &'s Thread, n: i64) -> Option<&'s Thread> {
    let mut cur = st.main_thread(t.tid).unwrap_or(t);
    for _ in 0..n {
        let p = st.threads.get(&cur.ptid)?;
        cur = st.main_thread(p.tid).unwrap_or(p);
    }
    Some(cur)
}

fn join_args(out: &mut Vec<u8>, args: &[String]) {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(a.as_bytes());
    }
}

/// Server/client endpoints of a socket fd: `(client ip, client port, server ip, server port)`.
fn endpoints(fd: &Fd) -> Option<(Val<'static>, u16, Val<'static>, u16)> {
    match fd.sock {
        SockInfo::Ipv4 { sip, dip, sport, dport, .. } => Some((Val::Ipv4(sip), sport, Val::Ipv4(dip), dport)),
        SockInfo::Ipv6 { sip, dip, sport, dport, .. } => Some((Val::Ipv6(sip), sport, Val::Ipv6(dip), dport)),
        SockInfo::Ipv4Server { ip, port, .. } => Some((Val::Ipv4(ip), 0, Val::Ipv4(ip), port)),
        SockInfo::Ipv6Server { ip, port, .. } => Some((Val::Ipv6(ip), 0, Val::Ipv6(ip), port)),
        _ => None,
    }
}

/// Extracts `f` for the event in `c`.
pub fn extract<'c>(c: &'c mut EvalCtx<'_>, f: &Field) -> Option<Val<'c>> {
    let ev = c.ev;
    let st = c.state;
    use Fid::*;
    Some(match f.id {
        EvtNum => Val::U64(ev.num),
        EvtCpu => Val::I64(ev.cpu as i64),
        EvtRawtime => Val::U64(ev.ts),
        EvtRawtimeS => Val::U64(ev.ts / 1_000_000_000),
        EvtRawtimeNs => Val::U64(ev.ts % 1_000_000_000),
        EvtReltime => Val::U64(ev.ts.saturating_sub(c.first_ts)),
        EvtReltimeS => Val::U64(ev.ts.saturating_sub(c.first_ts) / 1_000_000_000),
        EvtReltimeNs => Val::U64(ev.ts.saturating_sub(c.first_ts) % 1_000_000_000),
        EvtLatency => Val::U64(if ev.is_enter() { 0 } else { c.meta.latency }),
        EvtLatencyS => Val::U64(if ev.is_enter() { 0 } else { c.meta.latency / 1_000_000_000 }),
        EvtLatencyNs => Val::U64(if ev.is_enter() { 0 } else { c.meta.latency % 1_000_000_000 }),
        EvtDeltatime => Val::U64(ev.ts.saturating_sub(c.scratch.prev_ts)),
        EvtDeltatimeS => Val::U64(ev.ts.saturating_sub(c.scratch.prev_ts) / 1_000_000_000),
        EvtDeltatimeNs => Val::U64(ev.ts.saturating_sub(c.scratch.prev_ts) % 1_000_000_000),
        EvtDir => s(if ev.is_enter() { ">" } else { "<" }),
        EvtType => s(ev.name()),
        EvtTypeIs => match &f.arg {
            FieldArg::Name(n) => Val::U64((ev.name() == n) as u64),
            _ => return None,
        },
        SyscallType => {
            let info = ev.info()?;
            if info.category & crate::event::consts::EC_SYSCALL == 0 {
                return None;
            }
            s(info.name)
        }
        EvtCategory => s(crate::event::consts::category_name(ev.info()?.category)),
        EvtRes => {
            let r = res_value(ev)?;
            if r >= 0 {
                s("SUCCESS")
            } else {
                s(crate::event::table::errno_name(-r).unwrap_or("UNKNOWN"))
            }
        }
        EvtRawres => Val::I64(res_value(ev)?),
        EvtFailed => Val::Bool(res_value(ev).map(|r| r < 0).unwrap_or(false)),
        EvtCount => Val::U64(1),
        EvtCountExit => Val::U64(!ev.is_enter() as u64),
        EvtCountError => Val::U64(res_value(ev).map(|r| r < 0).unwrap_or(false) as u64),
        EvtIsIo => Val::Bool(ev.info()?.flags & (EF_READS_FROM_FD | EF_WRITES_TO_FD) != 0),
        EvtIsIoRead => Val::Bool(ev.info()?.flags & EF_READS_FROM_FD != 0),
        EvtIsIoWrite => Val::Bool(ev.info()?.flags & EF_WRITES_TO_FD != 0),
        EvtIoDir => {
            let fl = ev.info()?.flags;
            if fl & EF_READS_FROM_FD != 0 {
                s("read")
            } else if fl & EF_WRITES_TO_FD != 0 {
                s("write")
            } else {
                return None;
            }
        }
        EvtIsWait => Val::Bool(ev.info()?.flags & EF_WAITS != 0),
        EvtBuffer => {
            let info = ev.info()?;
            let i = info.params.iter().position(|p| p.ptype == ParamType::ByteBuf)?;
            Val::Str(ev.param(i)?)
        }
        EvtBuflen => {
            let info = ev.info()?;
            let i = info.params.iter().position(|p| p.ptype == ParamType::ByteBuf)?;
            Val::U64(ev.param(i)?.len() as u64)
        }
        EvtRawarg => {
            let FieldArg::Name(n) = &f.arg else { return None };
            let i = crate::event::render::param_index(ev, n)?;
            let info = &ev.info()?.params[i];
            let raw = ev.param(i)?;
            raw_param_val(info.ptype, raw)?
        }

        ProcPid => Val::I64(thread(st, ev)?.pid),
        ThreadTid => Val::I64(ev.tid),
        ThreadVtid => Val::I64(thread(st, ev)?.vtid),
        ProcVpid => Val::I64(thread(st, ev)?.vpid),
        ProcName => Val::Str(thread(st, ev)?.comm.as_bytes()),
        ProcExe => Val::Str(thread(st, ev)?.exe.as_bytes()),
        ProcExepath => Val::Str(thread(st, ev)?.exepath.as_bytes()),
        ProcCwd => {
            let t = st.main_thread(ev.tid)?;
            Val::Str(t.cwd.as_bytes())
        }
        ProcArgs => {
            let mut o = Vec::new();
            join_args(&mut o, &thread(st, ev)?.args);
            Val::String(o)
        }
        ProcEnv => {
            let mut o = Vec::new();
            join_args(&mut o, &thread(st, ev)?.env);
            Val::String(o)
        }
        ProcCmdline | ProcExeline => {
            let t = thread(st, ev)?;
            let mut o = Vec::new();
            o.extend_from_slice(if f.id == ProcCmdline { t.comm.as_bytes() } else { t.exe.as_bytes() });
            for a in &t.args {
                o.push(b' ');
                o.extend_from_slice(a.as_bytes());
            }
            Val::String(o)
        }
        ProcPpid => Val::I64(st.main_thread(ev.tid)?.ptid),
        ProcPname => {
            let t = thread(st, ev)?;
            Val::Str(ancestor(st, t, 1)?.comm.as_bytes())
        }
        ProcPcmdline => {
            let t = thread(st, ev)?;
            let p = ancestor(st, t, 1)?;
            let mut o = p.comm.as_bytes().to_vec();
            for a in &p.args {
                o.push(b' ');
                o.extend_from_slice(a.as_bytes());
            }
            Val::String(o)
        }
        ProcAname | ProcApid => {
            let t = thread(st, ev)?;
            let n = match f.arg {
                FieldArg::Index(n) => n,
                _ => 0,
            };
            let a = ancestor(st, t, n)?;
            if f.id == ProcAname { Val::Str(a.comm.as_bytes()) } else { Val::I64(a.pid) }
        }
        ProcNthreads | ProcNchilds => {
            let t = thread(st, ev)?;
            let n = st.threads.values().filter(|x| x.pid == t.pid).count() as u64;
            let main_alive = st.threads.contains_key(&t.pid);
            Val::U64(if f.id == ProcNthreads { n } else { n - main_alive as u64 })
        }
        ProcFdlimit => Val::I64(st.main_thread(ev.tid)?.fdlimit),
        ProcFdopencount => Val::U64(st.fdtable(ev.tid)?.fds.len() as u64),
        ProcVmsize => Val::U64(st.main_thread(ev.tid)?.vmsize_kb as u64),
        ProcVmrss => Val::U64(st.main_thread(ev.tid)?.vmrss_kb as u64),
        ProcVmswap => Val::U64(st.main_thread(ev.tid)?.vmswap_kb as u64),
        ThreadVmsize => {
            let t = thread(st, ev)?;
            Val::U64(if t.is_main_thread() { t.vmsize_kb as u64 } else { 0 })
        }
        ThreadVmrss => {
            let t = thread(st, ev)?;
            Val::U64(if t.is_main_thread() { t.vmrss_kb as u64 } else { 0 })
        }
        ThreadPfmajor => Val::U64(thread(st, ev)?.pfmajor),
        ThreadPfminor => Val::U64(thread(st, ev)?.pfminor),
        ThreadIsmain => Val::Bool(thread(st, ev)?.is_main_thread()),
        ProcSid => Val::I64(thread(st, ev)?.sid),
        ProcVpgid => Val::I64(thread(st, ev)?.vpgid),
        ProcTty => Val::I64(thread(st, ev)?.tty as i64),
        ProcDuration => {
            let t = st.main_thread(ev.tid)?;
            if t.clone_ts == 0 {
                return None;
            }
            Val::U64(ev.ts.saturating_sub(t.clone_ts))
        }
        ThreadCgroups => {
            let t = thread(st, ev)?;
            let mut o = Vec::new();
            for (k, v) in &t.cgroups {
                o.extend_from_slice(k.as_bytes());
                o.push(b'=');
                o.extend_from_slice(v.as_bytes());
                o.push(b' ');
            }
            Val::String(o)
        }
        ThreadCgroup => {
            let FieldArg::Name(n) = &f.arg else { return None };
            let t = thread(st, ev)?;
            let (_, v) = t.cgroups.iter().find(|(k, _)| k == n)?;
            Val::Str(v.as_bytes())
        }
        ProcLoginshellid => {
            let t = thread(st, ev)?;
            let mut found = None;
            let mut cur = Some(t);
            let mut guard = 0;
            while let Some(x) = cur {
                if is_shell(&x.comm) {
                    found = Some(x.pid);
                }
                cur = st.threads.get(&x.ptid);
                guard += 1;
                if guard > 256 {
                    break;
                }
            }
            Val::I64(found?)
        }

        UserUid => Val::U64(thread(st, ev)?.uid as u64),
        UserName => Val::Str(st.users.get(&thread(st, ev)?.uid)?.name.as_bytes()),
        UserHomedir => Val::Str(st.users.get(&thread(st, ev)?.uid)?.homedir.as_bytes()),
        UserShell => Val::Str(st.users.get(&thread(st, ev)?.uid)?.shell.as_bytes()),
        UserLoginuid => Val::I64(thread(st, ev)?.loginuid as i32 as i64),
        UserLoginname => Val::Str(st.users.get(&thread(st, ev)?.loginuid)?.name.as_bytes()),
        GroupGid => Val::U64(thread(st, ev)?.gid as u64),
        GroupName => Val::Str(st.groups.get(&thread(st, ev)?.gid)?.name.as_bytes()),
        ContainerId => {
            let t = thread(st, ev)?;
            s(if t.container_id.is_empty() { "host" } else { &t.container_id })
        }
        ContainerName => {
            let t = thread(st, ev)?;
            s(if t.container_id.is_empty() { "host" } else { "<NA>" })
        }

        FdNum => {
            if c.meta.fd < 0 && event_fd(c).is_none() {
                return None;
            }
            Val::I64(c.meta.fd)
        }
        FdType => s(event_fd(c)?.type_str()),
        FdTypechar => {
            let ch = event_fd(c)?.type_char();
            let mut b = [0u8; 4];
            Val::String(ch.encode_utf8(&mut b).as_bytes().to_vec())
        }
        FdName => Val::Str(event_fd(c)?.name.as_bytes()),
        FdDirectory | FdFilename => {
            let fd = event_fd(c)?;
            if !matches!(fd.ftype, crate::state::types::FdType::File | crate::state::types::FdType::FileV2 | crate::state::types::FdType::Directory) {
                return None;
            }
            let name = fd.name.as_str();
            let (dir, file) = match name.rfind('/') {
                Some(0) => ("/", &name[1..]),
                Some(p) => (&name[..p], &name[p + 1..]),
                None => ("", name),
            };
            if f.id == FdDirectory {
                if fd.ftype == crate::state::types::FdType::Directory { s(name) } else { s(dir) }
            } else {
                if fd.ftype == crate::state::types::FdType::Directory {
                    return None;
                }
                s(file)
            }
        }
        FdL4proto => {
            let fd = event_fd(c)?;
            s(match fd.l4proto() {
                1 => "tcp",
                2 => "udp",
                3 => "icmp",
                4 => "raw",
                _ => return None,
            })
        }
        FdSockfamily => {
            let fd = event_fd(c)?;
            s(match fd.sock {
                SockInfo::Ipv4 { .. } | SockInfo::Ipv6 { .. } | SockInfo::Ipv4Server { .. } | SockInfo::Ipv6Server { .. } => "ip",
                SockInfo::Unix { .. } => "unix",
                SockInfo::None => return None,
            })
        }
        FdIsServer => {
            let fd = event_fd(c)?;
            Val::Bool(fd.flags & crate::state::types::fdflags::ROLE_SERVER != 0
                || matches!(fd.sock, SockInfo::Ipv4Server { .. } | SockInfo::Ipv6Server { .. }))
        }
        FdCip | FdSip | FdIp | FdNet | FdCnet | FdSnet => {
            let (cip, _, sip, _) = endpoints(event_fd(c)?)?;
            if matches!(f.id, FdSip | FdSnet) { sip } else { cip }
        }
        FdCport | FdPort => Val::U64(endpoints(event_fd(c)?)?.1 as u64),
        FdSport => Val::U64(endpoints(event_fd(c)?)?.3 as u64),
        FdLip | FdRip | FdLport | FdRport | FdLnet | FdRnet => {
            let fd = event_fd(c)?;
            let (cip, cport, sip, sport) = endpoints(fd)?;
            // Local = server side when this process is the server.
            let server = fd.flags & crate::state::types::fdflags::ROLE_SERVER != 0;
            let local = matches!(f.id, FdLip | FdLport | FdLnet);
            let pick_server = server == local;
            match f.id {
                FdLip | FdRip | FdLnet | FdRnet => if pick_server { sip } else { cip },
                _ => Val::U64(if pick_server { sport } else { cport } as u64),
            }
        }
        FdUid => {
            let mut o = Vec::new();
            use std::io::Write;
            let _ = write!(o, "{}{}", ev.tid, c.meta.fd);
            event_fd(c)?;
            Val::String(o)
        }
        FdContainername | FdContainerdirectory => {
            let fd = event_fd(c)?;
            let t = thread(st, ev)?;
            let mut o = t.container_id.as_bytes().to_vec();
            o.push(b':');
            o.extend_from_slice(fd.name.as_bytes());
            Val::String(o)
        }
        FdConnected => Val::Bool(event_fd(c)?.flags & crate::state::types::fdflags::SOCKET_CONNECTED != 0),
        FdDev => Val::U64(event_fd(c)?.dev as u64),
        FdDevMajor => Val::U64(((event_fd(c)?.dev >> 20) & 0xfff) as u64),
        FdDevMinor => Val::U64((event_fd(c)?.dev & 0xfffff) as u64),
        _ => return super::format::extract_text_field(c, f),
    })
}

fn is_shell(comm: &str) -> bool {
    comm.ends_with("sh")
}

/// A parameter's raw value as `evt.rawarg` sees it.
fn raw_param_val(t: ParamType, raw: &[u8]) -> Option<Val<'_>> {
    use ParamType::*;
    let le = |n: usize| -> Option<u64> {
        let mut b = [0u8; 8];
        b.get_mut(..n)?.copy_from_slice(raw.get(..n)?);
        Some(u64::from_le_bytes(b))
    };
    Some(match t {
        Int8 => Val::I64(*raw.first()? as i8 as i64),
        Int16 => Val::I64(le(2)? as u16 as i16 as i64),
        Int32 => Val::I64(le(4)? as u32 as i32 as i64),
        Int64 | Errno | Fd | Pid => Val::I64(le(8)? as i64),
        Uint8 | Flags8 | EnumFlags8 | SigType | L4Proto | SockFamily => Val::U64(le(1)?),
        Uint16 | Flags16 | EnumFlags16 | Port | SyscallId => Val::U64(le(2)?),
        Uint32 | Flags32 | EnumFlags32 | Uid | Gid | Mode | Bool | SigSet => Val::U64(le(4)?),
        Fd32 | Pid32 => Val::I64(le(4)? as u32 as i32 as i64),
        Uint64 | RelTime | AbsTime => Val::U64(le(8)?),
        Ipv4Addr => Val::Ipv4(raw.get(..4)?.try_into().ok()?),
        Ipv6Addr => Val::Ipv6(raw.get(..16)?.try_into().ok()?),
        CharBuf | FsPath | FsRelPath => {
            let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
            Val::Str(&raw[..end])
        }
        _ => Val::Str(raw),
    })
}

