//! Process-level handlers: header records, clone/fork, execve, cwd, ids,
//! limits and memory counters.

use super::{
    add_thread, cl, enter_param, enter_param_i64, fix_fd_owner, main_tid, new_thread, path, ppme,
    remove_thread, retrieve_enter, Ctx,
};
use crate::event::Event;
use crate::source::records::{FdDetail, ProcRecord, Record};
use crate::state::types::{fdflags, Fd, FdType, NulList, SockInfo, Thread};
use crate::state::State;

/// sysdig's CLONE_STALE_TIME_NS.
const CLONE_STALE_TIME_NS: u64 = 2_000_000_000;

/// Seeds the state from a header record.
pub fn apply_record(st: &mut State, rec: Record) {
    match rec {
        Record::Machine(m) => st.machine = Some(m),
        Record::User(u) => {
            st.users.insert(u.uid, u);
        }
        Record::Group(g) => {
            st.groups.insert(g.gid, g);
        }
        Record::Interface(i) => st.interfaces.push(i),
        Record::Process(p) => add_proc_record(st, *p),
        Record::Fd(f) => {
            let fd = fd_from_record(&f);
            if let Some(fd) = fd {
                if let SockInfo::Ipv4Server { port, .. } | SockInfo::Ipv6Server { port, .. } = fd.sock {
                    st.server_ports.insert(port);
                }
                let tid = f.tid;
                // sysdig adds the fd to the listed thread's own table.
                st.fdtables.entry(tid).or_default().insert(fd);
            }
        }
    }
}

fn add_proc_record(st: &mut State, p: ProcRecord) {
    let mut t = new_thread(p.tid);
    t.pid = p.pid;
    t.ptid = p.ptid;
    t.sid = p.sid;
    t.vpgid = p.vpgid;
    t.pgid = p.pgid;
    t.comm = p.comm;
    t.exe = p.exe;
    t.exepath = p.exepath;
    t.args = NulList::new(&p.args);
    t.flags = p.flags | cl::ACTIVE;
    t.fdlimit = p.fdlimit;
    t.uid = p.uid;
    t.gid = p.gid;
    t.vmsize_kb = p.vmsize_kb;
    t.vmrss_kb = p.vmrss_kb;
    t.vmswap_kb = p.vmswap_kb;
    t.pfmajor = p.pfmajor;
    t.pfminor = p.pfminor;
    t.vtid = p.vtid;
    t.vpid = p.vpid;
    t.tty = p.tty;
    t.exe_writable = p.exe_writable;
    t.loginuid = p.loginuid;
    t.cgroups = NulList::new(&p.cgroups);
    t.root = p.root;
    if t.is_main_thread() {
        t.env = NulList::env(&p.env);
        let cwd = set_cwd_value("", p.cwd.as_bytes());
        t.cwd = cwd;
    }
    st.containers.resolve_thread(&mut t);
    fix_fd_owner(&mut t);
    // Threads from the proc table are not counted in their main thread.
    st.threads.insert(t.tid, t);
}

/// Converts a header fd record to an fd entry (sysdig's add_fd_from_scap).
fn fd_from_record(r: &crate::source::records::FdRecord) -> Option<Fd> {
    let mut f = Fd { fd: r.fd, ftype: r.fdtype, ino: r.ino, flags: fdflags::FROM_PROC, ..Default::default() };
    match (&r.detail, r.fdtype) {
        (FdDetail::Ipv4 { sip, dip, sport, dport, l4proto }, _) => {
            f.ftype = FdType::Ipv4Sock;
            f.sock = SockInfo::Ipv4 { sip: *sip, dip: *dip, sport: *sport, dport: *dport, l4proto: *l4proto };
            if *l4proto == super::sock::L4_TCP {
                f.flags |= fdflags::SOCKET_CONNECTED;
            }
            f.name = super::sock::v4_tuple(*sip, *sport, *dip, *dport);
        }
        (FdDetail::Ipv4Server { ip, port, l4proto }, _) => {
            f.ftype = FdType::Ipv4ServSock;
            f.sock = SockInfo::Ipv4Server { ip: *ip, port: *port, l4proto: *l4proto };
            let mut s = String::new();
            super::sock::v4_addr(&mut s, *ip, *port);
            f.name = s;
        }
        (FdDetail::Ipv6 { sip, dip, sport, dport, l4proto }, _) => {
            if *l4proto == super::sock::L4_TCP {
                f.flags |= fdflags::SOCKET_CONNECTED;
            }
            if super::sock::is_v4_mapped(sip) && super::sock::is_v4_mapped(dip) {
                let s4 = [sip[12], sip[13], sip[14], sip[15]];
                let d4 = [dip[12], dip[13], dip[14], dip[15]];
                f.ftype = FdType::Ipv4Sock;
                f.sock = SockInfo::Ipv4 { sip: s4, dip: d4, sport: *sport, dport: *dport, l4proto: *l4proto };
                f.name = super::sock::v4_tuple(s4, *sport, d4, *dport);
            } else {
                f.ftype = FdType::Ipv6Sock;
                f.sock = SockInfo::Ipv6 { sip: *sip, dip: *dip, sport: *sport, dport: *dport, l4proto: *l4proto };
                f.name = super::sock::v6_tuple(sip, *sport, dip, *dport);
            }
        }
        (FdDetail::Ipv6Server { ip, port, l4proto }, _) => {
            f.ftype = FdType::Ipv6ServSock;
            f.sock = SockInfo::Ipv6Server { ip: *ip, port: *port, l4proto: *l4proto };
            let mut s = String::new();
            super::sock::v6_addr(&mut s, ip, *port);
            f.name = s;
        }
        (FdDetail::Unix { source, dest, name }, _) => {
            f.ftype = FdType::UnixSock;
            f.sock = SockInfo::Unix { source: *source, dest: *dest };
            f.name = name.clone();
            f.flags |= if f.name.is_empty() { fdflags::ROLE_CLIENT } else { fdflags::ROLE_SERVER };
        }
        (FdDetail::File { name, open_flags, mount_id, dev }, _) => {
            f.name = name.clone();
            if r.fdtype == FdType::FileV2 {
                f.openflags = *open_flags;
                f.mount_id = *mount_id;
                f.dev = *dev;
            }
            f.flags |= fdflags::IS_NOT_TRACER_FD;
        }
        (FdDetail::Named(name), t) => {
            match t {
                FdType::Fifo | FdType::File | FdType::FileV2 | FdType::Directory | FdType::Unsupported
                | FdType::SignalFd | FdType::EventPoll | FdType::Event | FdType::Inotify
                | FdType::TimerFd | FdType::Netlink => {}
                _ => return None,
            }
            f.name = name.clone();
            f.flags |= fdflags::IS_NOT_TRACER_FD;
        }
    }
    Some(f)
}

/// True for every clone/fork/vfork/clone3 exit type.
pub fn is_clone_exit(et: u16) -> bool {
    use ppme::*;
    matches!(
        et,
        CLONE_11_X | CLONE_16_X | CLONE_17_X | CLONE_20_X | FORK_X | FORK_17_X | FORK_20_X
            | VFORK_X | VFORK_17_X | VFORK_20_X | CLONE3_X
    )
}

fn pstr(ev: &Event, i: usize) -> String {
    ev.param_str(i).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
}

/// sysdig's set_cwd: joins with the current cwd and keeps a trailing `/`.
fn set_cwd_value(cur: &str, new: &[u8]) -> String {
    let mut s = path::concatenate(cur.as_bytes(), new);
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// The cwd of `tid` (its main thread's), as sysdig's get_cwd.
pub fn get_cwd(st: &State, tid: i64) -> String {
    let Some(t) = st.threads.get(&tid) else { return String::new() };
    let m = main_tid(t);
    match st.threads.get(&m) {
        Some(mt) => mt.cwd.clone(),
        None => "./".to_string(),
    }
}

fn set_cwd(st: &mut State, tid: i64, new: &[u8]) {
    let Some(t) = st.threads.get(&tid) else { return };
    let m = main_tid(t);
    if let Some(mt) = st.threads.get_mut(&m) {
        let v = set_cwd_value(&mt.cwd, new);
        mt.cwd = v;
    }
}

/// clone/fork/vfork/clone3 exit (sysdig's parse_clone_exit): the new thread
/// enters the table, made from the caller's exit or, when the child's own
/// exit comes first, from that one (an inverted clone).
pub fn clone_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let Some(childtid) = ev.param_i64(0) else { return };
    let p = clone_params(ev);
    if childtid < 0 {
        return; // clone() failed
    }
    let Some((tid, childtid, inverted)) = clone_sides(st, ev, cx, &p, childtid) else { return };
    let Some(valid_parent) = clone_caller(st, tid) else { return };
    let Some(mut tid_collision) = clone_replace_old_child(st, childtid) else { return };

    let mut t = new_thread(childtid);
    t.ptid = tid;
    let names = clone_names(ev, p.et);
    if valid_parent {
        if !clone_inherit(st, tid, &mut t, p.flags) {
            return;
        }
    } else {
        clone_names_to_caller(st, tid, &mut t, &names);
        tid_collision = true;
    }
    t.pid = ev.param_i64(4).unwrap_or(childtid);
    t.flags = p.flags;
    if p.flags & cl::CLONE_THREAD == 0 {
        t.pid = childtid;
        clone_fd_table(st, tid, childtid);
        t.cwd = get_cwd(st, tid);
    }
    if inverted {
        t.flags |= cl::CLONE_INVERTED;
    }
    clone_event_values(ev, p.et, &mut t, names);
    clone_virtual_ids(&mut t, &p);
    clone_container(st, ev, p.et, &mut t);
    t.clone_ts = ev.ts;
    fix_fd_owner(&mut t);
    if p.flags & cl::CLONE_THREAD == 0 {
        t.fd_table_pid = childtid;
    }
    add_thread(st, t);
    if tid_collision {
        // sysdig re-runs its reset for the event's thread.
        cx.has_thread = st.threads.contains_key(&ev.tid);
    }
}

/// What a clone exit says before any thread is looked up.
struct CloneParams {
    /// The event type: its version decides where the later parameters are.
    et: u16,
    /// The PPM_CL_* clone flags.
    flags: u32,
    /// The returning thread's tid in its pid namespace (the event's tid when
    /// the event version has none).
    vtid: i64,
    /// The returning thread's pid in its pid namespace (-1 when the event
    /// version has none).
    vpid: i64,
    /// The clone happened inside a pid namespace (a container).
    in_container: bool,
}

/// Reads the clone flags and the namespace ids (sysdig: "get the vtid to
/// check if the clone is within a container").
#[inline]
fn clone_params(ev: &Event) -> CloneParams {
    use ppme::*;
    let et = ev.etype;
    let flags_idx = match et {
        CLONE_11_X => 8,
        CLONE_16_X | FORK_X | VFORK_X => 13,
        CLONE_17_X | FORK_17_X | VFORK_17_X => 14,
        _ => 15,
    };
    let flags = ev.param_u64(flags_idx).unwrap_or(0) as u32;
    let (mut vtid, mut vpid) = (ev.tid, -1i64);
    if matches!(et, CLONE_20_X | FORK_20_X | VFORK_20_X | CLONE3_X) {
        vtid = ev.param_i64(18).unwrap_or(ev.tid);
        vpid = ev.param_i64(19).unwrap_or(-1);
    }
    let in_container = flags & cl::CHILD_IN_PIDNS != 0 || ev.tid != vtid;
    CloneParams { et, flags, vtid, vpid, in_container }
}

/// Decides who is the caller and who the child, as `(caller, child,
/// inverted)`. The caller's exit names its child, except inside a container,
/// where only the child's exit knows the host tid. The child's exit (child
/// tid 0) makes the child only when the child is not known yet (it returned
/// first, the caller's exit was lost, or the clone ran in a container);
/// when it is known, it just gets its namespace ids. None: nothing more to do.
#[inline]
fn clone_sides(st: &mut State, ev: &Event, cx: &mut Ctx, p: &CloneParams, childtid: i64) -> Option<(i64, i64, bool)> {
    let tid = ev.tid;
    if childtid != 0 {
        return if p.in_container { None } else { Some((tid, childtid, false)) };
    }
    drop_stale_child(st, ev, cx);
    // The parent of a thread is its process, the parent of a process its ptid.
    let parenttid = if p.flags & cl::CLONE_THREAD != 0 {
        ev.param_i64(4).unwrap_or(-1)
    } else {
        ev.param_i64(5).unwrap_or(-1)
    };
    if !cx.has_thread {
        return Some((parenttid, tid, true));
    }
    if p.in_container && let Some(t) = st.threads.get_mut(&tid) {
        t.vtid = p.vtid;
        t.vpid = p.vpid;
    }
    None
}

/// In the child's own exit: an entry for the child made more than
/// CLONE_STALE_TIME_NS ago belongs to an older thread whose exit was lost,
/// and goes (the event then has no thread).
#[inline]
fn drop_stale_child(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread {
        return;
    }
    if let Some(t) = st.threads.get(&ev.tid)
        && t.clone_ts != 0 && ev.ts.wrapping_sub(t.clone_ts) > CLONE_STALE_TIME_NS
    {
        remove_thread(st, ev.tid, true);
        cx.has_thread = false;
    }
}

/// Looks up the caller of clone() (faking it when unknown, as sysdig does)
/// and says whether it is a real entry to copy from, not sysdig's
/// placeholder (comm `<NA>`, uid -1). None when there is no caller.
#[inline]
fn clone_caller(st: &mut State, tid: i64) -> Option<bool> {
    super::get_or_fake_thread(st, tid);
    let pt = st.threads.get(&tid)?;
    Some(!(pt.comm == "<NA>" && pt.uid == u32::MAX))
}

/// A child already in the table: one its own exit made (an inverted clone)
/// stays and the event is done (None); any other is an older thread whose
/// exit was lost and is removed (Some(true): a tid collision).
#[inline]
fn clone_replace_old_child(st: &mut State, childtid: i64) -> Option<bool> {
    let Some(child) = st.threads.get(&childtid) else { return Some(false) };
    if child.flags & cl::CLONE_INVERTED != 0 {
        return None;
    }
    remove_thread(st, childtid, true);
    Some(true)
}

/// A program's names as an event reports them.
struct ExecNames {
    exe: String,
    comm: String,
    args: NulList,
}

/// The child's exe, comm and args from the event (older versions have no
/// comm: it is the exe).
#[inline]
fn clone_names(ev: &Event, et: u16) -> ExecNames {
    use ppme::*;
    let exe = pstr(ev, 1);
    let comm = match et {
        CLONE_11_X | CLONE_16_X | FORK_X | VFORK_X => exe.clone(),
        _ => pstr(ev, 13),
    };
    let args = ev.param(2).map(NulList::new).unwrap_or_default();
    ExecNames { exe, comm, args }
}

/// Copies what the child inherits from a known caller: names, root,
/// session, process group, terminal, login uid, and for a new process the
/// environment. False when the caller is gone.
#[inline]
fn clone_inherit(st: &State, tid: i64, t: &mut Thread, flags: u32) -> bool {
    let Some(pt) = st.threads.get(&tid) else { return false };
    t.comm = pt.comm.clone();
    t.exe = pt.exe.clone();
    t.exepath = pt.exepath.clone();
    t.args = pt.args.clone();
    t.root = pt.root.clone();
    t.sid = pt.sid;
    t.vpgid = pt.vpgid;
    t.tty = pt.tty;
    t.exe_writable = pt.exe_writable;
    t.loginuid = pt.loginuid;
    if flags & cl::CLONE_THREAD == 0 {
        t.env = pt.env.clone();
    }
    true
}

/// The caller is sysdig's placeholder. Offline there is no /proc to re-read
/// it from, so, as sysdig does when /proc fails, the caller is made afresh
/// and both it and the child take the event's names.
#[inline]
fn clone_names_to_caller(st: &mut State, tid: i64, t: &mut Thread, names: &ExecNames) {
    remove_thread(st, tid, true);
    super::get_or_fake_thread(st, tid);
    t.exe = names.exe.clone();
    t.comm = names.comm.clone();
    t.args = names.args.clone();
    if let Some(pt) = st.threads.get_mut(&tid) {
        pt.comm = t.comm.clone();
        pt.exe = t.exe.clone();
        pt.exepath = t.exepath.clone();
        pt.args = t.args.clone();
    }
}

/// A new process gets a copy of the caller's fd table, its entries marked
/// as cloned.
#[inline]
fn clone_fd_table(st: &mut State, tid: i64, childtid: i64) {
    let mut table = super::fdtable_mut(st, tid).cloned().unwrap_or_default();
    for f in table.values_mut() {
        f.flags |= fdflags::IS_CLONED;
    }
    st.fdtables.insert(childtid, table);
}

/// The event's own values for the child: its names, fd limit, page faults
/// and memory, user and group.
#[inline]
fn clone_event_values(ev: &Event, et: u16, t: &mut Thread, names: ExecNames) {
    use ppme::*;
    t.exe = names.exe;
    t.comm = names.comm;
    t.args = names.args;
    t.fdlimit = ev.param_i64(7).unwrap_or(-1);
    if et != CLONE_11_X {
        set_mem_counters(ev, t);
    }
    let (ui, gi) = match et {
        CLONE_11_X => (9, 10),
        CLONE_16_X | FORK_X | VFORK_X => (14, 15),
        CLONE_17_X | FORK_17_X | VFORK_17_X => (15, 16),
        _ => (16, 17),
    };
    t.uid = ev.param_u64(ui).unwrap_or(0) as u32;
    t.gid = ev.param_u64(gi).unwrap_or(0) as u32;
}

/// The child's namespace ids: the event's inside a container, else the same
/// as its host ids.
#[inline]
fn clone_virtual_ids(t: &mut Thread, p: &CloneParams) {
    if p.in_container {
        t.vtid = p.vtid;
        t.vpid = p.vpid;
    } else {
        t.vtid = t.tid;
        t.vpid = t.pid;
    }
}

/// The child's cgroups (event versions that have them) and the container
/// they name.
#[inline]
fn clone_container(st: &mut State, ev: &Event, et: u16, t: &mut Thread) {
    use ppme::*;
    if matches!(et, CLONE_20_X | FORK_20_X | VFORK_20_X | CLONE3_X) {
        t.cgroups = ev.param(14).map(NulList::new).unwrap_or_default();
        st.containers.resolve_thread(t);
    }
}

/// Page faults and memory counters (parameters 8-12 of clone and execve
/// exits).
#[inline(always)]
fn set_mem_counters(ev: &Event, t: &mut Thread) {
    t.pfmajor = ev.param_u64(8).unwrap_or(0);
    t.pfminor = ev.param_u64(9).unwrap_or(0);
    t.vmsize_kb = ev.param_u64(10).unwrap_or(0) as u32;
    t.vmrss_kb = ev.param_u64(11).unwrap_or(0) as u32;
    t.vmswap_kb = ev.param_u64(12).unwrap_or(0) as u32;
}

/// execve/execveat exit (sysdig's parse_execve_exit): the thread takes the
/// new program's names, ids, counters, environment, container and path,
/// keeps only its pipe, main-thread and inverted-clone flags, and its fd
/// table owner is worked out again.
pub fn execve_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use ppme::*;
    let et = ev.etype;
    if ev.param_i64(0).unwrap_or(-1) < 0 || !cx.has_thread {
        return;
    }
    // exepath needs the enter event and the cwd (before the thread is borrowed).
    let exepath = exec_exepath(st, ev, cx);
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    exec_names_and_ids(ev, t);
    exec_env(ev, t, st.large_envs);
    if !matches!(et, EXECVE_14_X | EXECVE_15_X | EXECVE_8_X | EXECVE_13_X) {
        t.cgroups = ev.param(14).map(NulList::new).unwrap_or_default();
        st.containers.resolve_thread(t);
    }
    exec_late_params(ev, t);
    if let Some(p) = exepath {
        t.exepath = p;
    }
    let keep = t.flags & (cl::PIPE_SRC | cl::PIPE_DST | cl::IS_MAIN_THREAD | cl::CLONE_INVERTED);
    t.flags = cl::ACTIVE | keep | cl::NAME_CHANGED;
    t.exec_ts = ev.ts;
    fix_fd_owner(t);
}

/// The new program's full path (sysdig's exepath), from the stored enter
/// event of the versions that have it: `<NA>` stays as is, execveat's name
/// is resolved against its dirfd, execve's against the cwd. None without
/// the enter event.
#[inline]
fn exec_exepath(st: &mut State, ev: &Event, cx: &mut Ctx) -> Option<String> {
    use ppme::*;
    let et = ev.etype;
    if !(matches!(et, EXECVE_18_X | EXECVE_19_X | EXECVEAT_X) && retrieve_enter(st, ev)) {
        return None;
    }
    let tid = ev.tid;
    if et == EXECVEAT_X {
        let dirfd = enter_param_i64(st, tid, 0).unwrap_or(-100);
        let name = enter_param(st, tid, 1).unwrap_or_default();
        let name = path::cstr(&name).to_vec();
        if name.starts_with(b"<NA>") {
            return Some("<NA>".into());
        }
        let fl = enter_param_i64(st, tid, 2).unwrap_or(0) as u32;
        let sdir = super::fds::dirfd_dir(st, tid, &name, dirfd, cx);
        // AT_EMPTY_PATH with no name: the dirfd is the program.
        let name = if fl & 1 != 0 && name.is_empty() { sdir.clone().into_bytes() } else { name };
        Some(path::concatenate(sdir.as_bytes(), &name))
    } else {
        let name = enter_param(st, tid, 0).unwrap_or_default();
        if name.starts_with(b"<NA>") {
            return Some("<NA>".into());
        }
        let cwd = st.threads.get(&tid).map(|t| t.cwd.clone()).unwrap_or_default();
        Some(path::concatenate(cwd.as_bytes(), &name))
    }
}

/// The new program's exe, comm (the exe in versions without one) and args,
/// the pid (and the parent when unknown), the fd limit and the counters.
#[inline]
fn exec_names_and_ids(ev: &Event, t: &mut Thread) {
    use ppme::*;
    let et = ev.etype;
    t.exe = pstr(ev, 1);
    t.comm = match et {
        EXECVE_8_X | EXECVE_13_X | EXECVE_14_X => t.exe.clone(),
        _ => pstr(ev, 13),
    };
    t.args = ev.param(2).map(NulList::new).unwrap_or_default();
    if let Some(p) = ev.param_i64(4) {
        t.pid = p;
    }
    if t.ptid == -1 && let Some(p) = ev.param_i64(5) {
        t.ptid = p;
    }
    t.fdlimit = ev.param_i64(7).unwrap_or(t.fdlimit);
    if et != EXECVE_8_X {
        set_mem_counters(ev, t);
    }
}

/// The new environment (versions that have one); with `large_envs`
/// (`--large-environment`) one the probe may have cut is read again from
/// /proc.
#[inline]
fn exec_env(ev: &Event, t: &mut Thread, large_envs: bool) {
    use ppme::*;
    let et = ev.etype;
    if matches!(et, EXECVE_8_X | EXECVE_13_X) {
        return;
    }
    let env_param = match et {
        EXECVE_14_X => ev.param(13),
        EXECVE_15_X => ev.param(14),
        _ => ev.param(15),
    };
    t.env = match env_param {
        Some(e) if large_envs && e.len() >= LARGE_ENV_LEN => large_env(t.pid).unwrap_or_else(|| NulList::env(e)),
        Some(e) => NulList::env(e),
        None => NulList::default(),
    };
}

/// The parameters later event versions added: terminal, writable exe,
/// process group and login uid.
#[inline]
fn exec_late_params(ev: &Event, t: &mut Thread) {
    use ppme::*;
    let et = ev.etype;
    if matches!(et, EXECVE_17_X | EXECVE_18_X | EXECVE_19_X | EXECVEAT_X) {
        t.tty = ev.param_u64(16).unwrap_or(0) as u32;
    }
    if ev.nparams > 19 && matches!(et, EXECVE_19_X | EXECVEAT_X) {
        t.exe_writable = ev.param_u64(19).unwrap_or(0) & 1 != 0; // PPM_EXE_WRITABLE
    }
    if matches!(et, EXECVE_19_X | EXECVEAT_X) {
        t.vpgid = ev.param_i64(17).unwrap_or(t.vpgid);
    }
    if ev.nparams > 18 && let Some(v) = ev.param_u64(18) {
        t.loginuid = v as u32;
    }
}

/// chdir/getcwd exit: the path param (1) becomes the cwd.
pub fn chdir_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread || ev.param_i64(0).unwrap_or(-1) < 0 {
        return;
    }
    if let Some(p) = ev.param(1) {
        let p = p.to_vec();
        set_cwd(st, ev.tid, &p);
    }
}

/// fchdir exit: the fd's name becomes the cwd.
pub fn fchdir_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0).unwrap_or(-1) < 0 || !cx.has_thread {
        return;
    }
    let Some(fd) = cx.fdinfo else { return };
    let Some(name) = st.fd(ev.tid, fd).map(|f| f.name.clone()) else { return };
    set_cwd(st, ev.tid, name.as_bytes());
}

/// getrlimit/setrlimit exit: RLIMIT_NOFILE updates the main thread's fdlimit.
pub fn rlimit_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread || ev.param_i64(0).unwrap_or(-1) < 0 || !retrieve_enter(st, ev) {
        return;
    }
    let res = enter_param(st, ev.tid, 0).and_then(|b| b.first().copied()).unwrap_or(0xff);
    if res != 7 {
        return;
    }
    let cur = ev.param_i64(1).unwrap_or(-1);
    if cur != -1 {
        let m = st.threads.get(&ev.tid).map(main_tid).unwrap_or(ev.tid);
        if let Some(mt) = st.threads.get_mut(&m) {
            mt.fdlimit = cur;
        }
    }
}

/// prlimit exit: RLIMIT_NOFILE of the target process.
pub fn prlimit_exit(st: &mut State, ev: &Event, _cx: &mut Ctx) {
    if ev.param_i64(0).unwrap_or(-1) < 0 || !retrieve_enter(st, ev) {
        return;
    }
    let res = enter_param(st, ev.tid, 1).and_then(|b| b.first().copied()).unwrap_or(0xff);
    if res != 7 {
        return;
    }
    let newcur = ev.param_i64(1).unwrap_or(-1);
    if newcur == -1 {
        return;
    }
    let mut target = enter_param_i64(st, ev.tid, 0).unwrap_or(0);
    if target == 0 {
        target = ev.tid;
    }
    super::get_or_fake_thread(st, target);
    let m = st.threads.get(&target).map(main_tid).unwrap_or(target);
    if let Some(mt) = st.threads.get_mut(&m) {
        mt.fdlimit = newcur;
    }
}

/// Context switch: page faults of the thread, memory of its process.
pub fn context_switch(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread || ev.nparams < 6 {
        return;
    }
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    t.pfmajor = ev.param_u64(1).unwrap_or(t.pfmajor);
    t.pfminor = ev.param_u64(2).unwrap_or(t.pfminor);
    let m = main_tid(t);
    if let Some(mt) = st.threads.get_mut(&m) {
        mt.vmsize_kb = ev.param_u64(3).unwrap_or(0) as u32;
        mt.vmrss_kb = ev.param_u64(4).unwrap_or(0) as u32;
        mt.vmswap_kb = ev.param_u64(5).unwrap_or(0) as u32;
    }
}

/// brk/mmap/munmap exit: memory counters of the thread.
pub fn vm_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if !cx.has_thread {
        return;
    }
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    if let Some(v) = ev.param_u64(1) {
        t.vmsize_kb = v as u32;
    }
    if let Some(v) = ev.param_u64(2) {
        t.vmrss_kb = v as u32;
    }
    if let Some(v) = ev.param_u64(3) {
        t.vmswap_kb = v as u32;
    }
}

/// setuid/setgid/setresuid/setresgid exit: the new effective id from the enter event.
pub fn setid_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use ppme::*;
    if ev.param_i64(0).unwrap_or(-1) < 0 || !retrieve_enter(st, ev) || !cx.has_thread {
        return;
    }
    let idx = if matches!(ev.etype, SETRESUID_X | SETRESGID_X) { 1 } else { 0 };
    let Some(v) = enter_param_i64(st, ev.tid, idx) else { return };
    let v = v as u32;
    let resx = matches!(ev.etype, SETRESUID_X | SETRESGID_X);
    if resx && v == u32::MAX {
        return;
    }
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    if matches!(ev.etype, SETRESUID_X | SETUID_X) {
        t.uid = v;
    } else {
        t.gid = v;
    }
}

/// setreuid/setregid exit (libs' parse_setreuid_exit): a successful call
/// with an effective id other than -1 sets the thread's user/group.
pub fn setre_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0) != Some(0) || !cx.has_thread {
        return;
    }
    let Some(v) = ev.param_u64(2).map(|v| v as u32) else { return };
    if v == u32::MAX {
        return;
    }
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    if ev.etype == ppme::SETREUID_X {
        t.uid = v;
    } else {
        t.gid = v;
    }
}

/// chroot exit: the new root.
pub fn chroot_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if ev.param_i64(0) != Some(0) || !cx.has_thread {
        return;
    }
    let p = pstr(ev, 1);
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        t.root = p;
    }
}

/// setsid exit: the new session id.
pub fn setsid_exit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let r = ev.param_i64(0).unwrap_or(-1);
    if r < 0 || !cx.has_thread {
        return;
    }
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        t.sid = r;
    }
}

/// An execve environment this long may have been cut by the probe (its
/// buffer holds 4095 bytes; libs' 4096): `--large-environment` reads it again.
const LARGE_ENV_LEN: usize = 4095;

/// The whole environment of process `pid` from /proc (sysdig's
/// set_env_from_proc), if the process is still there.
fn large_env(pid: i64) -> Option<NulList> {
    let env = std::fs::read(format!("/proc/{pid}/environ")).ok().filter(|e| !e.is_empty())?;
    Some(NulList::env(&env))
}
