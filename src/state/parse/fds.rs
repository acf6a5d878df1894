//! Fd-level handlers: open, sockets, pipes, dup, close, read/write tuples.

use super::sock::{self, Raw, AF_INET, AF_INET6, AF_UNIX, L4_RAW, L4_TCP, L4_UDP, L4_UNKNOWN};
use super::{add_fd, enter_nparams, enter_param, enter_param_i64, path, ppme, retrieve_enter, Ctx};
use crate::event::Event;
use crate::source::records::InterfaceRecord;
use crate::state::types::{fdflags, Fd, FdType};
use crate::state::State;

const AT_FDCWD: i64 = -100;
const O_DIRECTORY: u32 = 1 << 10;

/// The directory a relative path is resolved against (sysdig's parse_dirfd);
/// a real dirfd also becomes the event's fd.
pub fn dirfd_dir(st: &State, tid: i64, name: &[u8], dirfd: i64, cx: &mut Ctx) -> String {
    if name.first() == Some(&b'/') {
        ".".to_string()
    } else if dirfd == AT_FDCWD {
        super::proc::get_cwd(st, tid)
    } else {
        match st.fd(tid, dirfd) {
            Some(f) => {
                cx.fdinfo = Some(dirfd);
                // sysdig always appends '/', even when the name ends with one.
                format!("{}/", f.name)
            }
            None => {
                cx.fdinfo = None;
                "<UNKNOWN>".to_string()
            }
        }
    }
}

fn fd_mut(st: &mut State, tid: i64, fd: i64) -> Option<&mut Fd> {
    super::fdtable_mut(st, tid)?.get_mut(fd)
}

/// open/creat/openat/openat2 exit.
pub fn open_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use ppme::*;
    if !cx.has_thread {
        return;
    }
    let tid = ev.tid;
    let got_enter = retrieve_enter(st, ev);
    let fd = ev.param_i64(0).unwrap_or(-1);
    let et = ev.etype;
    let (name, flags, sdir, dev): (Vec<u8>, u32, String, u32);
    if et == OPEN_X || et == CREAT_X {
        let (ni, fi, di) = if et == OPEN_X { (1, Some(2), 4) } else { (1, None, 3) };
        let mut n = ev.param(ni).unwrap_or(b"").to_vec();
        let mut fl = fi.and_then(|i| ev.param_u64(i)).unwrap_or(0) as u32;
        dev = if ev.nparams as usize > di { ev.param_u64(di).unwrap_or(0) as u32 } else { 0 };
        let need = if et == OPEN_X { 2 } else { 1 };
        if got_enter && enter_nparams(st, tid) >= need {
            let en = enter_param(st, tid, 0).unwrap_or_default();
            if !en.is_empty() && path::cstr(&en) != b"(NULL)" {
                n = en;
                fl = if et == OPEN_X { enter_param_i64(st, tid, 1).unwrap_or(0) as u32 } else { 0 };
            }
        }
        name = n;
        flags = fl;
        sdir = super::proc::get_cwd(st, tid);
    } else if et == ppme::OPEN_BY_HANDLE_AT_X {
        // fd, mountfd, flags, path (absolute, from the kernel), dev, ino
        name = ev.param(3).unwrap_or(b"").to_vec();
        flags = ev.param_u64(2).unwrap_or(0) as u32;
        dev = ev.param_u64(4).unwrap_or(0) as u32;
        sdir = ".".to_string();
    } else if et == OPENAT_X {
        if !got_enter {
            return;
        }
        let n = enter_param(st, tid, 1).unwrap_or_default();
        flags = enter_param_i64(st, tid, 2).unwrap_or(0) as u32;
        let dirfd = enter_param_i64(st, tid, 0).unwrap_or(AT_FDCWD);
        sdir = dirfd_dir(st, tid, path::cstr(&n), dirfd, cx);
        name = n;
        dev = 0;
    } else {
        let mut n = ev.param(2).unwrap_or(b"").to_vec();
        let mut fl = ev.param_u64(3).unwrap_or(0) as u32;
        let mut dirfd = ev.param_i64(1).unwrap_or(AT_FDCWD);
        dev = if et == OPENAT_2_X && ev.nparams > 5 { ev.param_u64(5).unwrap_or(0) as u32 } else { 0 };
        if got_enter && enter_nparams(st, tid) >= 3 {
            let en = enter_param(st, tid, 1).unwrap_or_default();
            if !en.is_empty() && path::cstr(&en) != b"(NULL)" {
                n = en;
                fl = enter_param_i64(st, tid, 2).unwrap_or(0) as u32;
                dirfd = enter_param_i64(st, tid, 0).unwrap_or(AT_FDCWD);
            }
        }
        sdir = dirfd_dir(st, tid, path::cstr(&n), dirfd, cx);
        name = n;
        flags = fl;
    }
    let full = path::concatenate(sdir.as_bytes(), &name);
    if fd >= 0 {
        let f = Fd {
            ftype: if flags & O_DIRECTORY != 0 { FdType::Directory } else { FdType::FileV2 },
            openflags: flags,
            dev,
            name: full,
            flags: fdflags::IS_NOT_TRACER_FD,
            ..Default::default()
        };
        add_fd(st, tid, f, fd);
        cx.fdinfo = Some(fd);
    }
}

/// socket exit: a new socket fd typed from the enter event's domain/type/proto.
pub fn socket_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 || !cx.has_thread || !retrieve_enter(st, ev) {
        return;
    }
    let domain = enter_param_i64(st, ev.tid, 0).unwrap_or(0) as u32;
    let ty = enter_param_i64(st, ev.tid, 1).unwrap_or(0) as u32;
    let proto = enter_param_i64(st, ev.tid, 2).unwrap_or(0) as u32;
    add_socket(st, ev.tid, fd, domain, ty, proto, cx);
}

fn add_socket(st: &mut State, tid: i64, fd: i64, domain: u32, ty: u32, proto: u32, cx: &mut Ctx) {
    const SOCK_STREAM: u32 = 1;
    const SOCK_DGRAM: u32 = 2;
    const SOCK_RAW: u32 = 3;
    let mut f = Fd { ftype: FdType::Unknown, ..Default::default() };
    let mut raw = Raw([0u8; 40]);
    if domain == AF_UNIX as u32 {
        f.ftype = FdType::UnixSock;
    } else if domain == AF_INET as u32 || domain == AF_INET6 as u32 {
        f.ftype = if domain == AF_INET as u32 { FdType::Ipv4Sock } else { FdType::Ipv6Sock };
        let l4 = match proto {
            6 => if ty == SOCK_RAW { L4_RAW } else { L4_TCP },
            17 => if ty == SOCK_RAW { L4_RAW } else { L4_UDP },
            0 => match ty & 0xff {
                SOCK_STREAM => L4_TCP,
                SOCK_DGRAM => L4_UDP,
                _ => L4_UNKNOWN,
            },
            1 => if ty == SOCK_RAW { L4_RAW } else { sock::L4_ICMP },
            255 => L4_RAW,
            _ => L4_UNKNOWN,
        };
        if f.ftype == FdType::Ipv4Sock {
            raw.0[12] = l4;
        } else {
            raw.0[36] = l4;
        }
    } else if domain == 16 {
        f.ftype = FdType::Netlink;
    }
    if f.ftype == FdType::Unknown {
        return;
    }
    sock::set_raw(&mut f, &raw);
    add_fd(st, tid, f, fd);
    cx.fdinfo = Some(fd);
}

/// sendto enter on an unknown fd: assume a UDP socket of the tuple's family.
pub fn infer_sendto_fdinfo(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 {
        return;
    }
    let fam = ev.param(2).and_then(|b| b.first().copied()).unwrap_or(0);
    if fam == AF_INET || fam == AF_INET6 {
        add_socket(st, ev.tid, fd, fam as u32, 2, 17, cx);
    }
}

/// bind exit: a bound port makes the socket a server socket; name = address.
pub fn bind_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let Some(fdn) = cx.fdinfo else { return };
    if ev.param_i64(0).unwrap_or(-1) < 0 {
        return;
    }
    let Some(p) = ev.param(1) else { return };
    if p.is_empty() {
        return;
    }
    let name = sock::sockaddr_str(p);
    let Some(f) = fd_mut(st, ev.tid, fdn) else { return };
    let mut r = sock::raw_of(f);
    let fam = p[0];
    if fam == AF_INET && p.len() >= 7 {
        let port = u16::from_le_bytes([p[5], p[6]]);
        if port > 0 {
            let l4 = r.0[12];
            f.ftype = FdType::Ipv4ServSock;
            r.0[0..4].copy_from_slice(&p[1..5]);
            r.set_u16(4, port);
            r.0[6] = l4;
            f.flags |= fdflags::ROLE_SERVER;
        }
    } else if fam == AF_INET6 && p.len() >= 19 {
        let port = u16::from_le_bytes([p[17], p[18]]);
        if port > 0 {
            let l4 = r.0[36];
            if sock::is_v4_mapped(&p[1..17]) {
                f.ftype = FdType::Ipv4ServSock;
                r.0[6] = l4;
                r.0[0..4].copy_from_slice(&p[13..17]);
                r.set_u16(4, port);
            } else {
                f.ftype = FdType::Ipv6ServSock;
                r.set_u16(16, port);
                r.0[0..16].copy_from_slice(&p[1..17]);
                r.0[18] = l4;
            }
            f.flags |= fdflags::ROLE_SERVER;
        }
    }
    sock::set_raw(f, &r);
    f.name = name;
}

/// connect enter: records the destination.
pub fn connect_enter(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let Some(fdn) = cx.fdinfo else { return };
    if ev.nparams < 2 {
        return;
    }
    let Some(p) = ev.param(1) else { return };
    if p.is_empty() {
        return;
    }
    let name = sock::sockaddr_str(p);
    let Some(f) = fd_mut(st, ev.tid, fdn) else { return };
    let mut r = sock::raw_of(f);
    match p[0] {
        AF_INET if p.len() >= 7 => {
            f.ftype = FdType::Ipv4Sock;
            r.0[4..8].copy_from_slice(&p[1..5]);
            r.0[10..12].copy_from_slice(&p[5..7]);
        }
        AF_INET6 if p.len() >= 19 => {
            let port = u16::from_le_bytes([p[17], p[18]]);
            if sock::is_v4_mapped(&p[1..17]) {
                f.ftype = FdType::Ipv4Sock;
                r.0[4..8].copy_from_slice(&p[13..17]);
                r.set_u16(10, port);
            } else {
                f.ftype = FdType::Ipv6Sock;
                r.set_u16(34, port);
                r.0[16..32].copy_from_slice(&p[1..17]);
            }
        }
        AF_INET | AF_INET6 => {}
        _ => {
            f.name = name;
            if p.len() >= 17 {
                r.0[0..16].copy_from_slice(&p[1..17]);
            }
        }
    }
    sock::set_raw(f, &r);
}

/// Updates a socket tuple kept as `sip, dip` (N bytes each) then `sport,
/// dport`, unless it already matches either way (sysdig's
/// update_ipv{4,6}_addresses_and_ports); returns whether something changed.
/// `same_type` says the fd already is a socket of this address family.
fn update_tuple<const N: usize>(
    same_type: bool,
    r: &mut Raw,
    sip: [u8; N],
    sport: u16,
    dip: [u8; N],
    dport: u16,
) -> bool {
    let (ps, pd) = (2 * N, 2 * N + 2);
    if same_type {
        let (cs, cd) = (&r.0[..N], &r.0[N..2 * N]);
        let (csp, cdp) = (r.u16_at(ps), r.u16_at(pd));
        if (sip[..] == *cs && sport == csp && dip[..] == *cd && dport == cdp)
            || (dip[..] == *cs && dport == csp && sip[..] == *cd && sport == cdp)
        {
            return false;
        }
    }
    let mut changed = false;
    if r.0[..N] != sip[..] {
        r.0[..N].copy_from_slice(&sip);
        changed = true;
    }
    if r.u16_at(ps) != sport {
        r.set_u16(ps, sport);
        changed = true;
    }
    if r.0[N..2 * N].iter().all(|&b| b == 0) {
        r.0[N..2 * N].copy_from_slice(&dip);
        changed = true;
    }
    if r.u16_at(pd) == 0 {
        r.set_u16(pd, dport);
        changed = true;
    }
    changed
}

fn update_v4(ftype: FdType, r: &mut Raw, sip: [u8; 4], sport: u16, dip: [u8; 4], dport: u16) -> bool {
    update_tuple(ftype == FdType::Ipv4Sock, r, sip, sport, dip, dport)
}

fn update_v6(ftype: FdType, r: &mut Raw, sip: [u8; 16], sport: u16, dip: [u8; 16], dport: u16) -> bool {
    update_tuple(ftype == FdType::Ipv6Sock, r, sip, sport, dip, dport)
}

struct Tuple6 {
    sip: [u8; 16],
    sport: u16,
    dip: [u8; 16],
    dport: u16,
}

fn tuple6(p: &[u8]) -> Option<Tuple6> {
    if p.len() < 37 {
        return None;
    }
    let mut sip = [0u8; 16];
    let mut dip = [0u8; 16];
    sip.copy_from_slice(&p[1..17]);
    dip.copy_from_slice(&p[19..35]);
    Some(Tuple6 {
        sip,
        sport: u16::from_le_bytes([p[17], p[18]]),
        dip,
        dport: u16::from_le_bytes([p[35], p[36]]),
    })
}

fn v4_of(p: &[u8]) -> Option<([u8; 4], u16, [u8; 4], u16)> {
    if p.len() < 13 {
        return None;
    }
    Some((
        [p[1], p[2], p[3], p[4]],
        u16::from_le_bytes([p[5], p[6]]),
        [p[7], p[8], p[9], p[10]],
        u16::from_le_bytes([p[11], p[12]]),
    ))
}

fn swap(f: &Fd, r: &mut Raw) {
    if f.ftype == FdType::Ipv4Sock {
        let (s, d, sp, dp) = (r.ip4(0), r.ip4(4), r.u16_at(8), r.u16_at(10));
        r.0[0..4].copy_from_slice(&d);
        r.0[4..8].copy_from_slice(&s);
        r.set_u16(8, dp);
        r.set_u16(10, sp);
    } else {
        let (s, d, sp, dp) = (r.ip6(0), r.ip6(16), r.u16_at(32), r.u16_at(34));
        r.0[0..16].copy_from_slice(&d);
        r.0[16..32].copy_from_slice(&s);
        r.set_u16(32, dp);
        r.set_u16(34, sp);
    }
}

/// connect exit: the socket gets the full tuple and becomes a client.
pub fn connect_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let Some(fdn) = cx.fdinfo else { return };
    let res = ev.param_i64(0).unwrap_or(-1);
    let Some(f) = fd_mut(st, ev.tid, fdn) else { return };
    if res < 0 && res != -115 {
        return;
    }
    f.flags |= fdflags::SOCKET_CONNECTED;
    let Some(p) = ev.param(1) else { return };
    if p.is_empty() {
        return;
    }
    fill_client_socket_info(f, p);
}

fn fill_client_socket_info(f: &mut Fd, p: &[u8]) {
    let fam = p[0];
    if fam == AF_INET || fam == AF_INET6 {
        let mut r = sock::raw_of(f);
        let changed;
        if fam == AF_INET6 {
            let Some(t) = tuple6(p) else { return };
            if !(sock::is_v4_mapped(&t.sip) && sock::is_v4_mapped(&t.dip)) {
                let old = f.ftype;
                f.ftype = FdType::Ipv6Sock;
                changed = update_v6(old, &mut r, t.sip, t.sport, t.dip, t.dport);
            } else {
                let old = f.ftype;
                f.ftype = FdType::Ipv4Sock;
                let s4 = [t.sip[12], t.sip[13], t.sip[14], t.sip[15]];
                let d4 = [t.dip[12], t.dip[13], t.dip[14], t.dip[15]];
                changed = update_v4(old, &mut r, s4, t.sport, d4, t.dport);
            }
        } else {
            let Some((s, sp, d, dp)) = v4_of(p) else { return };
            let old = f.ftype;
            f.ftype = FdType::Ipv4Sock;
            changed = update_v4(old, &mut r, s, sp, d, dp);
        }
        let udp_server = f.flags & fdflags::ROLE_SERVER != 0
            && f.ftype == FdType::Ipv4Sock
            && r.0[12] == L4_UDP;
        if changed && udp_server {
            swap(f, &mut r);
        }
        sock::set_raw(f, &r);
        f.name = sock::sock_name(f);
    } else {
        f.name = sock::socktuple_str(p);
        if p.len() >= 17 {
            let mut r = sock::raw_of(f);
            r.0[0..16].copy_from_slice(&p[1..17]);
            sock::set_raw(f, &r);
        }
    }
    if f.is_role_none() {
        f.flags |= fdflags::ROLE_CLIENT;
    }
}

/// accept exit: a new connected server-side socket.
pub fn accept_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread {
        return;
    }
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 {
        return;
    }
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        t.last_fd = fd;
    }
    let Some(p) = ev.param(1) else { return };
    if p.is_empty() {
        return;
    }
    let mut f = Fd::default();
    let mut r = Raw([0u8; 40]);
    match p[0] {
        AF_INET => {
            let Some((s, sp, d, dp)) = v4_of(p) else { return };
            update_v4(FdType::Unknown, &mut r, s, sp, d, dp);
            f.ftype = FdType::Ipv4Sock;
            r.0[12] = L4_TCP;
        }
        AF_INET6 => {
            let Some(t) = tuple6(p) else { return };
            if sock::is_v4_mapped(&t.sip) && sock::is_v4_mapped(&t.dip) {
                let s4 = [t.sip[12], t.sip[13], t.sip[14], t.sip[15]];
                let d4 = [t.dip[12], t.dip[13], t.dip[14], t.dip[15]];
                update_v4(FdType::Unknown, &mut r, s4, t.sport, d4, t.dport);
                f.ftype = FdType::Ipv4Sock;
                r.0[12] = L4_TCP;
            } else {
                update_v6(FdType::Unknown, &mut r, t.sip, t.sport, t.dip, t.dport);
                f.ftype = FdType::Ipv6Sock;
                r.0[36] = L4_TCP;
            }
        }
        AF_UNIX => {
            f.ftype = FdType::UnixSock;
            if p.len() >= 17 {
                r.0[0..16].copy_from_slice(&p[1..17]);
            }
        }
        _ => return,
    }
    sock::set_raw(&mut f, &r);
    f.name = sock::socktuple_str(p);
    f.flags = fdflags::ROLE_SERVER | fdflags::SOCKET_CONNECTED;
    add_fd(st, ev.tid, f, fd);
    cx.fdinfo = Some(fd);
}

/// close enter: marks the fd as being closed.
pub fn close_enter(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread {
        return;
    }
    let Some(fd) = st.threads.get(&ev.tid).map(|t| t.last_fd) else { return };
    if let Some(f) = fd_mut(st, ev.tid, fd) {
        f.flags |= fdflags::CLOSE_IN_PROGRESS;
        cx.fdinfo = Some(fd);
    }
}

/// close exit: a successful close removes the fd at the start of the next event.
pub fn close_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let res = ev.param_i64(0).unwrap_or(-1);
    let Some(fdn) = cx.fdinfo else { return };
    if !cx.has_thread {
        return;
    }
    if res >= 0 {
        st.pending.fds.push((ev.tid, fdn));
    } else if let Some(f) = fd_mut(st, ev.tid, fdn) {
        f.flags &= !fdflags::CLOSE_IN_PROGRESS;
    }
}

/// pipe/pipe2 exit: two fifo fds sharing an inode.
pub fn pipe_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0).unwrap_or(-1) < 0 || !cx.has_thread {
        return;
    }
    let (Some(fd1), Some(fd2)) = (ev.param_i64(1), ev.param_i64(2)) else { return };
    let ino = ev.param_u64(3).unwrap_or(0);
    for fd in [fd1, fd2] {
        let f = Fd { ftype: FdType::Fifo, ino, ..Default::default() };
        add_fd(st, ev.tid, f, fd);
    }
    cx.fdinfo = Some(fd2);
}

/// socketpair exit: two unix sockets.
pub fn socketpair_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0).unwrap_or(-1) < 0 || !cx.has_thread {
        return;
    }
    let (Some(fd1), Some(fd2)) = (ev.param_i64(1), ev.param_i64(2)) else { return };
    let src = ev.param_u64(3).unwrap_or(0);
    let dst = ev.param_u64(4).unwrap_or(0);
    let f = Fd {
        ftype: FdType::UnixSock,
        sock: crate::state::types::SockInfo::Unix { source: src, dest: dst },
        ..Default::default()
    };
    add_fd(st, ev.tid, f.clone(), fd1);
    add_fd(st, ev.tid, f, fd2);
    cx.fdinfo = Some(fd1);
}

/// eventfd/signalfd/timerfd/inotify/epoll exits: a new nameless fd of `ty`.
pub fn simple_fd_exit(st: &mut State, ev: &Event, cx: &mut Ctx, ty: FdType) {
    if !cx.has_thread {
        return;
    }
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 {
        return;
    }
    add_fd(st, ev.tid, Fd { ftype: ty, ..Default::default() }, fd);
    cx.fdinfo = Some(fd);
}

/// dup/dup2/dup3 exit: the new fd is a copy of the old one.
pub fn dup_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use super::cl;
    if !cx.has_thread {
        return;
    }
    let r = ev.param_i64(0).unwrap_or(-1);
    if r < 0 {
        return;
    }
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        if r == 0 {
            t.flags |= cl::PIPE_DST;
        }
        if r == 1 {
            t.flags |= cl::PIPE_SRC;
        }
    }
    // Newer dup events carry the old fd in the exit event.
    let old = match ev.etype {
        ppme::DUP_X => cx.fdinfo,
        _ => {
            // (res, oldfd, ...): parameter 1 in dup_1, dup2 and dup3 alike.
            let o = ev.param_i64(1).unwrap_or(-1);
            if super::fd_exists(st, ev.tid, o) { Some(o) } else { cx.fdinfo }
        }
    };
    let Some(old) = old else { return };
    let Some(f) = st.fd(ev.tid, old).cloned() else { return };
    add_fd(st, ev.tid, f, r);
    cx.fdinfo = Some(r);
}

/// fcntl(F_DUPFD*) exit: the new fd is a copy.
pub fn fcntl_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let r = ev.param_i64(0).unwrap_or(-1);
    if !retrieve_enter(st, ev) || r < 0 {
        return;
    }
    let Some(old) = cx.fdinfo else { return };
    let Some(f) = st.fd(ev.tid, old).cloned() else { return };
    add_fd(st, ev.tid, f, r);
    cx.fdinfo = Some(r);
}

/// getsockopt exit: the fd param becomes the event's fd.
pub fn getsockopt_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread {
        return;
    }
    let fd = ev.param_i64(1).unwrap_or(-1);
    let m = st.threads.get(&ev.tid).map(super::main_tid).unwrap_or(ev.tid);
    cx.fdinfo = if st.fd(m, fd).is_some() { Some(fd) } else { None };
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        t.last_fd = fd;
    }
}

/// read/write family exits: marks sockets connected and learns UDP tuples.
pub fn rw_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use ppme::*;
    let Some(fdn) = cx.fdinfo else { return };
    let res = ev.param_i64(0).unwrap_or(-1);
    if res < 0 {
        return;
    }
    let et = ev.etype;
    let fl = super::event_flags(et);
    let tid = ev.tid;
    {
        let Some(f) = fd_mut(st, tid, fdn) else { return };
        if f.ftype == FdType::Ipv4Sock || f.ftype == FdType::Ipv6Sock {
            f.flags |= fdflags::SOCKET_CONNECTED;
        }
    }
    let reads = fl & super::ef::READS_FROM_FD != 0;
    let tuple: Option<Vec<u8>> = if reads {
        let idx = match et {
            RECVFROM_X => 2,
            RECVMSG_X => 3,
            _ => return,
        };
        if !needs_tuple(st, tid, fdn) {
            return;
        }
        ev.param(idx).map(|b| b.to_vec())
    } else {
        if !matches!(et, SENDTO_X | SENDMSG_X) || !needs_tuple(st, tid, fdn) {
            return;
        }
        if !retrieve_enter(st, ev) {
            return;
        }
        enter_param(st, tid, 2)
    };
    let Some(p) = tuple else { return };
    if !update_fd(st, tid, fdn, &p) {
        return;
    }
    // Role guessing needs the whole table (bound/used ports).
    let (ftype, role_none) = match st.fd(tid, fdn) {
        Some(f) => (f.ftype, f.is_role_none()),
        None => return,
    };
    if ftype == FdType::Ipv4Sock || ftype == FdType::Ipv6Sock {
        if role_none {
            let role = guess_role(st, tid, fdn, reads);
            if let Some(f) = fd_mut(st, tid, fdn) {
                f.flags |= role;
            }
        }
        let Some(f) = fd_mut(st, tid, fdn) else { return };
        let do_swap = if reads { f.flags & fdflags::ROLE_CLIENT != 0 } else { f.flags & fdflags::ROLE_SERVER != 0 };
        if do_swap {
            let mut r = sock::raw_of(f);
            swap(f, &mut r);
            sock::set_raw(f, &r);
        }
        f.name = sock::sock_name(f);
    } else if let Some(f) = fd_mut(st, tid, fdn) {
        f.name = sock::socktuple_str(&p);
    }
}

fn needs_tuple(st: &State, tid: i64, fd: i64) -> bool {
    match st.fd(tid, fd) {
        Some(f) => {
            let tcp = f.ftype == FdType::Ipv4Sock && sock::raw_of(f).0[12] == L4_TCP;
            f.name.is_empty() || !tcp
        }
        None => false,
    }
}

/// sysdig's update_fd; false when nothing was updated.
fn update_fd(st: &mut State, tid: i64, fdn: i64, p: &[u8]) -> bool {
    if p.is_empty() {
        return false;
    }
    let ifaces = st.interfaces.clone();
    let Some(f) = fd_mut(st, tid, fdn) else { return false };
    let mut r = sock::raw_of(f);
    match p[0] {
        AF_INET => {
            if f.ftype == FdType::Ipv4ServSock {
                r.0[12] = r.0[6];
            }
            let old = f.ftype;
            f.ftype = FdType::Ipv4Sock;
            let Some((s, sp, d, dp)) = v4_of(p) else { return false };
            if !update_v4(old, &mut r, s, sp, d, dp) {
                sock::set_raw(f, &r);
                return false;
            }
        }
        AF_INET6 => {
            let Some(t) = tuple6(p) else { return false };
            if sock::is_v4_mapped(&t.sip) && sock::is_v4_mapped(&t.dip) {
                let old = f.ftype;
                f.ftype = FdType::Ipv4Sock;
                let s4 = [t.sip[12], t.sip[13], t.sip[14], t.sip[15]];
                let d4 = [t.dip[12], t.dip[13], t.dip[14], t.dip[15]];
                if !update_v4(old, &mut r, s4, t.sport, d4, t.dport) {
                    sock::set_raw(f, &r);
                    return false;
                }
            } else if !update_v6(f.ftype, &mut r, t.sip, t.sport, t.dip, t.dport) {
                return false;
            }
        }
        AF_UNIX => {
            f.ftype = FdType::UnixSock;
            if p.len() >= 17 {
                r.0[0..16].copy_from_slice(&p[1..17]);
            }
            sock::set_raw(f, &r);
            f.name = String::from_utf8_lossy(path::cstr(p.get(17..).unwrap_or(b""))).into_owned();
            return true;
        }
        _ => {}
    }
    if f.ftype == FdType::Ipv4Sock && r.0[12] == L4_UNKNOWN {
        r.0[12] = L4_UDP;
    } else if f.ftype == FdType::Ipv6Sock && r.0[36] == L4_UNKNOWN {
        r.0[36] = L4_UDP;
    }
    patch_with_interfaces(&ifaces, f.ftype, &mut r);
    sock::set_raw(f, &r);
    true
}

/// sysdig's infer_ipv4_address: exact interface, same subnet, first non-loopback, else 0.
fn infer_v4(ifaces: &[InterfaceRecord], a: [u8; 4]) -> [u8; 4] {
    let v4s = || ifaces.iter().filter_map(|i| match i {
        InterfaceRecord::V4 { addr, netmask, .. } => Some((*addr, *netmask)),
        _ => None,
    });
    if let Some((addr, _)) = v4s().find(|(addr, _)| *addr == a) {
        return addr;
    }
    let av = u32::from_le_bytes(a);
    for (addr, mask) in v4s() {
        let (iv, mv) = (u32::from_le_bytes(addr), u32::from_le_bytes(mask));
        if iv & mv == av & mv {
            return addr;
        }
    }
    v4s().map(|(addr, _)| addr).find(|addr| *addr != [127, 0, 0, 1]).unwrap_or([0; 4])
}

/// sysdig's infer_ipv6_address: exact, same /64, first non-loopback, else `::`.
fn infer_v6(ifaces: &[InterfaceRecord], a: [u8; 16]) -> [u8; 16] {
    let v6s = || ifaces.iter().filter_map(|i| match i {
        InterfaceRecord::V6 { addr, .. } => Some(*addr),
        _ => None,
    });
    if let Some(x) = v6s().find(|x| *x == a) {
        return x;
    }
    if let Some(x) = v6s().find(|x| x[..8] == a[..8]) {
        return x;
    }
    let mut lo = [0u8; 16];
    lo[15] = 1;
    v6s().find(|x| *x != lo).unwrap_or([0; 16])
}

/// sysdig's sinsp_network_interfaces::update_fd: fills a missing address of
/// a tuple from the interface list.
fn patch_with_interfaces(ifaces: &[InterfaceRecord], ftype: FdType, r: &mut Raw) {
    match ftype {
        FdType::Ipv4Sock => patch_tuple::<4>(r, |a| infer_v4(ifaces, a)),
        FdType::Ipv6Sock => patch_tuple::<16>(r, |a| infer_v6(ifaces, a)),
        _ => {}
    }
}

/// The address-family-independent part of [`patch_with_interfaces`] for a
/// tuple kept as `sip, dip` (N bytes each) then `sport, dport`.
fn patch_tuple<const N: usize>(r: &mut Raw, infer: impl Fn([u8; N]) -> [u8; N]) {
    let mut sip = [0u8; N];
    let mut dip = [0u8; N];
    sip.copy_from_slice(&r.0[..N]);
    dip.copy_from_slice(&r.0[N..2 * N]);
    if sip != [0; N] && dip != [0; N] {
        return;
    }
    let same_ports = r.u16_at(2 * N) == r.u16_at(2 * N + 2);
    // Fill whichever side is missing from the interface facing the other.
    let (known, slot) = if sip == [0; N] { (dip, 0..N) } else { (sip, N..2 * N) };
    let n = infer(known);
    if n == known && same_ports {
        return;
    }
    r.0[slot].copy_from_slice(&n);
}

/// sysdig's set_net_role_by_guessing.
fn guess_role(st: &State, tid: i64, fdn: i64, incoming: bool) -> u32 {
    let Some(f) = st.fd(tid, fdn) else { return 0 };
    let r = sock::raw_of(f);
    let (sport, dport) = (r.u16_at(8), r.u16_at(10));
    let Some(table) = st.fdtable(tid) else { return fdflags::ROLE_CLIENT };
    let bound = table.values().any(|o| {
        let or = sock::raw_of(o);
        (o.ftype == FdType::Ipv4Sock && or.u16_at(10) == dport)
            || (o.ftype == FdType::Ipv4ServSock && or.u16_at(4) == dport)
    });
    if !bound {
        return fdflags::ROLE_CLIENT;
    }
    let uses = table
        .values()
        .any(|o| o.ftype == FdType::Ipv4Sock && sock::raw_of(o).u16_at(8) == sport);
    if !uses {
        return fdflags::ROLE_SERVER;
    }
    if incoming { fdflags::ROLE_SERVER } else { fdflags::ROLE_CLIENT }
}

/// The NUL-terminated string of parameter `i`.
fn param_str(ev: &Event, i: usize) -> String {
    String::from_utf8_lossy(path::cstr(ev.param(i).unwrap_or(b""))).into_owned()
}

/// memfd_create exit (libs' parse_memfd_create_exit): a memfd named after
/// the `name` parameter.
pub fn memfd_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 || !cx.has_thread {
        return;
    }
    let f = Fd {
        ftype: FdType::MemFd,
        name: param_str(ev, 1),
        openflags: ev.param_u64(2).unwrap_or(0) as u32,
        ..Default::default()
    };
    add_fd(st, ev.tid, f, fd);
    cx.fdinfo = Some(fd);
}

/// pidfd_open exit (libs' parse_pidfd_open_exit): a pidfd named `/proc/PID`.
pub fn pidfd_open_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 || !cx.has_thread {
        return;
    }
    let pid = ev.param_i64(1).unwrap_or(0);
    let f = Fd {
        ftype: FdType::PidFd,
        name: format!("/proc/{pid}"),
        openflags: ev.param_u64(2).unwrap_or(0) as u32,
        ..Default::default()
    };
    add_fd(st, ev.tid, f, fd);
    cx.fdinfo = Some(fd);
}

/// pidfd_getfd exit (libs' parse_pidfd_getfd_exit): a copy of the target
/// process's fd, close-on-exec.
pub fn pidfd_getfd_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let fd = ev.param_i64(0).unwrap_or(-1);
    if fd < 0 || !cx.has_thread {
        return;
    }
    let (pidfd, target) = (ev.param_i64(1).unwrap_or(-1), ev.param_i64(2).unwrap_or(-1));
    let Some(p) = st.fd(ev.tid, pidfd).filter(|f| f.ftype == FdType::PidFd) else { return };
    let Some(pid) = p.name.strip_prefix("/proc/").and_then(|s| s.parse::<i64>().ok()) else { return };
    let Some(mut f) = st.fd(pid, target).cloned() else { return };
    f.openflags |= 1 << 12; // PPM_O_CLOEXEC
    add_fd(st, ev.tid, f, fd);
    cx.fdinfo = Some(fd);
}

/// close_range exit (libs' parse_close_range_exit): fds first..=last are
/// closed, or only marked close-on-exec with CLOSE_RANGE_CLOEXEC.
pub fn close_range_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0).unwrap_or(-1) < 0 || !cx.has_thread {
        return;
    }
    let first = ev.param_u64(1).unwrap_or(0) as i64;
    let last = ev.param_u64(2).unwrap_or(0) as u32 as i64;
    let flags = ev.param_u64(3).unwrap_or(0) as u32;
    let Some(t) = super::fdtable_mut(st, ev.tid) else { return };
    let hit: Vec<i64> = t.iter().map(|(fd, _)| fd).filter(|fd| (first..=last).contains(fd)).collect();
    for fd in hit {
        if flags & (1 << 2) != 0 {
            // PPM_CLOSE_RANGE_CLOEXEC
            if let Some(f) = t.get_mut(fd) {
                f.openflags |= 1 << 12;
            }
        } else {
            t.remove(fd);
        }
    }
}
