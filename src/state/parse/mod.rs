//! Event and record handlers that keep the state current (sysdig's parsers).
//!
//! [`process`] follows sysdig's order: deferred removals from the previous
//! event, then the per-event reset (thread lookup, enter/exit bookkeeping,
//! fd of the event, error code, latency), then the handler of the type.

mod evflags;
mod fds;
pub mod path;
mod proc;
pub mod sock;

use super::types::{Fd, FdTable, SockInfo, Thread};
use super::{EventMeta, State};
use crate::event::Event;
use crate::source::records::Record;

use crate::event::ppme;

/// Event flag bits (EF_*) as in the event table.
#[allow(dead_code)]
pub mod ef {
    pub const CREATES_FD: u16 = 1 << 0;
    pub const DESTROYS_FD: u16 = 1 << 1;
    pub const USES_FD: u16 = 1 << 2;
    pub const READS_FROM_FD: u16 = 1 << 3;
    pub const WRITES_TO_FD: u16 = 1 << 4;
    pub const MODIFIES_STATE: u16 = 1 << 5;
    pub const SKIPPARSERESET: u16 = 1 << 8;
    /// Not an EF flag: the first parameter is named `res` or `fd`.
    pub const FIRST_RES: u16 = 1 << 15;
}

/// PPM_CL_* thread flags sysdig's parsers use.
#[allow(dead_code)]
pub mod cl {
    pub const CLONE_FILES: u32 = 1 << 0;
    pub const CLONE_THREAD: u32 = 1 << 13;
    pub const CLONE_INVERTED: u32 = 1 << 16;
    pub const NAME_CHANGED: u32 = 1 << 17;
    pub const CLOSED: u32 = 1 << 18;
    pub const ACTIVE: u32 = 1 << 19;
    pub const PIPE_SRC: u32 = 1 << 21;
    pub const PIPE_DST: u32 = 1 << 22;
    pub const CHILD_IN_PIDNS: u32 = 1 << 29;
    pub const IS_MAIN_THREAD: u32 = 1 << 30;
}

/// Flags of an event type (`ef::*` bits), 0 for unknown types.
#[inline]
pub fn event_flags(etype: u16) -> u16 {
    evflags::EVFLAGS.get(etype as usize).copied().unwrap_or(0)
}

/// The working directory of `tid` (its main thread's).
pub fn cwd(st: &State, tid: i64) -> String {
    proc::get_cwd(st, tid)
}

/// Removals sysdig defers to the start of the next event.
#[derive(Default, Debug)]
pub struct Pending {
    /// Thread to remove (procexit).
    pub tid: Option<i64>,
    /// `(tid, fd)` pairs to remove (successful close).
    pub fds: Vec<(i64, i64)>,
    /// The thread made up for a container event (tid -1) is to go.
    pub container_thread: bool,
}

/// Seeds the state from one header record.
pub fn apply_record(st: &mut State, rec: Record) {
    proc::apply_record(st, rec)
}

/// sysdig's fix_sockets_coming_from_proc, run once after the header tables
/// are loaded: IPv4 connections whose source port is a known server port are
/// turned around so the client comes first, and every IPv4 connection from
/// the tables gets its role.
fn fix_sockets_from_proc(st: &mut State) {
    use crate::state::types::{fdflags, FdType};
    let ports = &st.server_ports;
    for table in st.fdtables.values_mut() {
        for f in table.values_mut() {
            if f.ftype != FdType::Ipv4Sock {
                continue;
            }
            if let SockInfo::Ipv4 { sip, dip, sport, dport, l4proto } = f.sock {
                if ports.contains(&sport) {
                    f.sock = SockInfo::Ipv4 { sip: dip, dip: sip, sport: dport, dport: sport, l4proto };
                    f.name = sock::v4_tuple(dip, dport, sip, sport);
                    f.flags = (f.flags & !fdflags::ROLE_CLIENT) | fdflags::ROLE_SERVER;
                } else {
                    f.flags = (f.flags & !fdflags::ROLE_SERVER) | fdflags::ROLE_CLIENT;
                }
            }
        }
    }
}

/// Per-event scratch shared by the handlers (sysdig's `evt->m_tinfo`/`m_fdinfo`).
pub(crate) struct Ctx {
    /// The event's thread is known (sysdig's m_tinfo != NULL).
    pub has_thread: bool,
    /// Number of the fd entry the event refers to (sysdig's m_fdinfo), if any.
    pub fdinfo: Option<i64>,
    /// `(table owner, fd)` the reset found for the event, not yet looked up:
    /// fields look the fd up anyway, so an event the filter rejects before
    /// parsing never needs [`Ctx::fdinfo`].
    pub fd_unchecked: Option<(i64, i64)>,
    pub errorcode: i32,
}

/// Updates the state with one event.
pub fn process(st: &mut State, ev: &Event) -> EventMeta {
    let mut meta = EventMeta::default();
    process_filtered(st, ev, &mut meta, None::<fn(&State, &EventMeta) -> bool>);
    meta
}

/// Updates the state with one event, running `filter` where sysdig runs its
/// capture filter: before parsing for events that do not modify state (a
/// rejected one is not parsed at all, and its thread forgets the pending
/// enter event), after parsing for the others. Fills in the event's meta and
/// returns whether it passed. Generic so that the filter inlines into the
/// per-event path; the parsing around it is not. The meta is written in place
/// (not returned): the caller's copy of a freshly stored struct would stall
/// on store forwarding.
#[inline]
pub fn process_filtered<F>(st: &mut State, ev: &Event, meta: &mut EventMeta, mut filter: Option<F>) -> bool
where
    F: FnMut(&State, &EventMeta) -> bool,
{
    let mut cx = begin(st, ev);
    let fl = event_flags(ev.etype);
    let filter_later = fl & ef::MODIFIES_STATE != 0;
    if let Some(f) = filter.as_mut().filter(|_| !filter_later) {
        event_meta(st, ev, &cx, meta);
        if !f(st, meta) {
            rejected(st, ev, &cx, fl);
            return false;
        }
    }
    parse(st, ev, &mut cx, meta);
    match filter {
        Some(mut f) if filter_later => {
            // libsinsp runs this filter before it compares the fd names:
            // fd.name_changed is still false for it.
            let changed = std::mem::take(&mut meta.fd_name_changed);
            let pass = f(st, meta);
            meta.fd_name_changed = changed;
            pass
        }
        _ => true,
    }
}

/// Deferred removals from the previous event, then the per-event reset.
#[inline(never)]
fn begin(st: &mut State, ev: &Event) -> Ctx {
    if !st.records_fixed {
        fix_sockets_from_proc(st);
        st.records_fixed = true;
    }
    // Deferred removals (sysdig's next(): thread first, then fds).
    if let Some(tid) = st.pending.tid.take() {
        remove_thread(st, tid, false);
    }
    if std::mem::take(&mut st.pending.container_thread) {
        st.threads.remove(&-1);
    }
    if !st.pending.fds.is_empty() {
        let fds = std::mem::take(&mut st.pending.fds);
        for &(tid, fd) in &fds {
            if let Some(t) = fdtable_mut(st, tid) {
                t.remove(fd);
            }
        }
        st.pending.fds = fds;
        st.pending.fds.clear();
    }
    let mut cx = Ctx { has_thread: false, fdinfo: None, fd_unchecked: None, errorcode: 0 };
    reset(st, ev, &mut cx);
    cx
}

/// An event the filter rejected before parsing: its thread forgets the
/// pending enter event.
#[inline]
fn rejected(st: &mut State, ev: &Event, cx: &Ctx, fl: u16) {
    if cx.has_thread && fl & ef::SKIPPARSERESET == 0 && ev.etype != ppme::SCHEDSWITCH_6_E
        && let Some(t) = st.threads.get_mut(&ev.tid)
    {
        t.last_enter_type = u16::MAX;
    }
}

/// Parses the event (its fd entry looked up, then its handler).
#[inline(never)]
fn parse(st: &mut State, ev: &Event, cx: &mut Ctx, meta: &mut EventMeta) {
    if let Some((owner, fd)) = cx.fd_unchecked.take() && owner_has_fd(st, owner, fd) {
        cx.fdinfo = Some(fd);
    }
    // libsinsp remembers the name of the fd it looked up before parsing;
    // an fd the event creates starts with no old name.
    let old_name = match cx.fdinfo {
        Some(fd) if crate::state::tracking_fd_name_changes() => {
            Some(st.fd(ev.tid, fd).map(|f| f.name.clone()).unwrap_or_default())
        }
        None if crate::state::tracking_fd_name_changes() => Some(String::new()),
        _ => None,
    };
    dispatch(st, ev, cx);
    event_meta(st, ev, cx, meta);
    meta.fd_name_changed = match old_name {
        Some(old) if meta.fdinfo_fd >= 0 => {
            st.fd(ev.tid, meta.fdinfo_fd).is_some_and(|f| f.name != old)
        }
        _ => false,
    };
}

/// What fields need to know about the event after reset (and parsing).
#[inline]
fn event_meta(st: &State, ev: &Event, cx: &Ctx, meta: &mut EventMeta) {
    meta.errorcode = cx.errorcode;
    meta.fd_name_changed = false;
    meta.fd = -1;
    meta.latency = 0;
    meta.enter_valid = false;
    meta.has_thread = false;
    if cx.has_thread && let Some(t) = st.threads.get(&ev.tid) {
        meta.fd = t.last_fd;
        meta.latency = t.latency;
        meta.enter_valid = t.enter_valid;
        meta.has_thread = true;
    }
    // An unchecked fd that is not in the table is not found by the fields
    // either: the same as no fd entry.
    meta.fdinfo_fd = match cx.fdinfo.or(cx.fd_unchecked.map(|(_, fd)| fd)) {
        Some(f) if cx.has_thread => f,
        _ => -1,
    };
}

/// sysdig's `sinsp_parser::reset`.
fn reset(st: &mut State, ev: &Event, cx: &mut Ctx) {
    use ppme::*;
    let et = ev.etype;
    let fl = event_flags(et);
    if fl & ef::SKIPPARSERESET != 0 {
        cx.has_thread = et == PROCINFO_E && st.threads.contains_key(&ev.tid);
        return;
    }
    let query_os = !(proc::is_clone_exit(et) || et == SCHEDSWITCH_6_E);
    if et == CONTAINER_JSON_E || et == CONTAINER_JSON_2_E {
        return;
    }
    if query_os && !st.threads.contains_key(&ev.tid) {
        get_or_fake_thread(st, ev.tid);
    }
    let Some(t) = st.threads.get_mut(&ev.tid) else { return };
    cx.has_thread = true;
    if et == SCHEDSWITCH_6_E {
        return;
    }
    if query_os {
        t.flags |= cl::ACTIVE;
    }
    if ev.is_enter() {
        t.last_fd = -1;
        t.last_enter_type = et;
        t.latency = 0;
        t.last_enter_ts = ev.ts;
        if fl & ef::USES_FD != 0 {
            t.last_fd = ev.param_i64(0).unwrap_or(-1);
            cx.fd_unchecked = Some((t.fd_owner(), t.last_fd));
        }
    } else {
        if t.last_enter_ts != 0 {
            t.latency = ev.ts.wrapping_sub(t.last_enter_ts);
        }
        if et as u32 == t.last_enter_type as u32 + 1 {
            t.enter_valid = true;
        } else {
            t.enter_valid = false;
            if t.last_enter_type != TRACER_E {
                return;
            }
        }
        if ev.nparams > 0 && fl & ef::FIRST_RES != 0 && let Some(res) = ev.param_i64(0) && res < 0 {
            cx.errorcode = (res as i32).wrapping_neg();
        }
        if fl & ef::USES_FD != 0 {
            if et == COPY_FILE_RANGE_X && let Some(v) = ev.param_i64(1) {
                t.last_fd = v;
            }
            cx.fd_unchecked = Some((t.fd_owner(), t.last_fd));
        }
    }
}

/// True when the fd table of process `owner` has `fd` (`fd_exists` for a
/// thread whose table owner is already known).
#[inline]
fn owner_has_fd(st: &State, owner: i64, fd: i64) -> bool {
    st.fdtables.get(&owner).is_some_and(|t| t.get(fd).is_some())
}

/// Routes the event to its handler: the first family that knows its type
/// handles it (the families' types do not overlap). The routers inline
/// into one match on the type.
fn dispatch(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let _ = fd_event(st, ev, cx) || process_event(st, ev, cx) || socket_event(st, ev, cx) || enter_to_store(st, ev, cx);
}

/// Files, pipes and the other non-socket fds: reads and writes, opens,
/// closes, dups, fcntl and the fd-making calls. False for other types.
#[inline(always)]
fn fd_event(st: &mut State, ev: &Event, cx: &mut Ctx) -> bool {
    use super::types::FdType;
    use ppme::*;
    match ev.etype {
        READ_X | WRITE_X | RECV_X | SEND_X | RECVFROM_X | RECVMSG_X | SENDTO_X | SENDMSG_X
        | READV_X | WRITEV_X | PREAD_X | PWRITE_X | PREADV_X | PWRITEV_X => {
            fds::rw_exit(st, ev, cx)
        }
        OPEN_X | CREAT_X | OPENAT_X | OPENAT_2_X | OPENAT2_X | OPEN_BY_HANDLE_AT_X => {
            fds::open_exit(st, ev, cx)
        }
        PIPE_X | PIPE2_X => fds::pipe_exit(st, ev, cx),
        CLOSE_E => fds::close_enter(st, ev, cx),
        CLOSE_X => fds::close_exit(st, ev, cx),
        FCNTL_X => fds::fcntl_exit(st, ev, cx),
        DUP_X | DUP_1_X | DUP2_X | DUP3_X => fds::dup_exit(st, ev, cx),
        EVENTFD_X | EVENTFD2_X => fds::simple_fd_exit(st, ev, cx, FdType::Event),
        SIGNALFD_X | SIGNALFD4_X => fds::simple_fd_exit(st, ev, cx, FdType::SignalFd),
        TIMERFD_CREATE_X => fds::simple_fd_exit(st, ev, cx, FdType::TimerFd),
        INOTIFY_INIT_X | INOTIFY_INIT1_X => fds::simple_fd_exit(st, ev, cx, FdType::Inotify),
        EPOLL_CREATE_X | EPOLL_CREATE1_X => fds::simple_fd_exit(st, ev, cx, FdType::EventPoll),
        BPF_2_X => fds::simple_fd_exit(st, ev, cx, FdType::Bpf),
        USERFAULTFD_X => fds::simple_fd_exit(st, ev, cx, FdType::UserFaultFd),
        IO_URING_SETUP_X => fds::simple_fd_exit(st, ev, cx, FdType::IoUring),
        MEMFD_CREATE_X => fds::memfd_exit(st, ev, cx),
        PIDFD_OPEN_X => fds::pidfd_open_exit(st, ev, cx),
        PIDFD_GETFD_X => fds::pidfd_getfd_exit(st, ev, cx),
        CLOSE_RANGE_X => fds::close_range_exit(st, ev, cx),
        _ => return false,
    }
    true
}

/// Processes and threads: clone, execve, exit, scheduler switches, cwd,
/// ids, limits, memory, root, session and container events. False for
/// other types.
#[inline(always)]
fn process_event(st: &mut State, ev: &Event, cx: &mut Ctx) -> bool {
    use ppme::*;
    match ev.etype {
        et if proc::is_clone_exit(et) => proc::clone_exit(st, ev, cx),
        EXECVE_8_X | EXECVE_13_X | EXECVE_14_X | EXECVE_15_X | EXECVE_16_X | EXECVE_17_X
        | EXECVE_18_X | EXECVE_19_X | EXECVEAT_X => proc::execve_exit(st, ev, cx),
        PROCEXIT_E | PROCEXIT_1_E => procexit(st, ev, cx),
        SCHEDSWITCH_1_E | SCHEDSWITCH_6_E => proc::context_switch(st, ev, cx),
        CHDIR_X | GETCWD_X => proc::chdir_exit(st, ev, cx),
        FCHDIR_X => proc::fchdir_exit(st, ev, cx),
        SETRESUID_X | SETRESGID_X | SETUID_X | SETGID_X => proc::setid_exit(st, ev, cx),
        SETREUID_X | SETREGID_X => proc::setre_exit(st, ev, cx),
        GETRLIMIT_X | SETRLIMIT_X => proc::rlimit_exit(st, ev, cx),
        PRLIMIT_X => proc::prlimit_exit(st, ev, cx),
        BRK_4_X | MMAP_X | MMAP2_X | MUNMAP_X => proc::vm_exit(st, ev, cx),
        CHROOT_X => proc::chroot_exit(st, ev, cx),
        SETSID_X => proc::setsid_exit(st, ev, cx),
        CONTAINER_JSON_E | CONTAINER_JSON_2_E => container_event(st, ev, cx),
        _ => return false,
    }
    true
}

/// Sockets: socket, bind, connect, accept, socketpair and getsockopt.
/// False for other types.
#[inline(always)]
fn socket_event(st: &mut State, ev: &Event, cx: &mut Ctx) -> bool {
    use ppme::*;
    match ev.etype {
        SOCKET_X => fds::socket_exit(st, ev, cx),
        BIND_X => fds::bind_exit(st, ev, cx),
        CONNECT_E => fds::connect_enter(st, ev, cx),
        CONNECT_X => fds::connect_exit(st, ev, cx),
        ACCEPT_X | ACCEPT_5_X | ACCEPT4_X | ACCEPT4_5_X | ACCEPT4_6_X => fds::accept_exit(st, ev, cx),
        SOCKETPAIR_X => fds::socketpair_exit(st, ev, cx),
        GETSOCKOPT_X if ev.nparams > 0 => fds::getsockopt_exit(st, ev, cx),
        GETSOCKOPT_X => {}
        _ => return false,
    }
    true
}

/// Enter events whose parameters the exit handler needs: stored in the
/// thread (sendto first gets the fd it may have to infer; fcntl is stored
/// only for F_DUPFD and F_DUPFD_CLOEXEC). False for other types.
#[inline(always)]
fn enter_to_store(st: &mut State, ev: &Event, cx: &mut Ctx) -> bool {
    use ppme::*;
    let store = match ev.etype {
        SENDTO_E => {
            if cx.fdinfo.is_none() && cx.has_thread {
                fds::infer_sendto_fdinfo(st, ev, cx);
            }
            true
        }
        OPEN_E | CREAT_E | OPENAT_E | OPENAT_2_E | OPENAT2_E | SOCKET_E | EVENTFD_E | CHDIR_E
        | FCHDIR_E | SHUTDOWN_E | GETRLIMIT_E | SETRLIMIT_E | PRLIMIT_E | SENDMSG_E
        | SENDFILE_E | SETRESUID_E | SETRESGID_E | SETUID_E | SETGID_E | EXECVE_18_E
        | EXECVE_19_E | EXECVEAT_E | SETPGID_E => true,
        FCNTL_E => {
            cx.has_thread && {
                let cmd = ev.param(1).and_then(|b| b.first().copied()).unwrap_or(0);
                cmd == 1 || cmd == 26
            }
        }
        _ => return false,
    };
    if store {
        store_event(st, ev, cx);
    }
    true
}

/// procexit: the thread is marked closed and removed at the next event.
#[inline(always)]
fn procexit(st: &mut State, ev: &Event, cx: &mut Ctx) {
    if cx.has_thread {
        if let Some(t) = st.threads.get_mut(&ev.tid) {
            t.flags |= cl::CLOSED;
        }
        st.pending.tid = Some(ev.tid);
    }
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Pid of the main thread of `t` (sysdig's get_main_thread), which may be absent.
#[inline]
pub(crate) fn main_tid(t: &Thread) -> i64 {
    if t.tid == t.pid || t.flags & cl::IS_MAIN_THREAD != 0 { t.tid } else { t.pid }
}

/// Recomputes which fd table a thread uses (sysdig's get_fd_table).
pub(crate) fn fix_fd_owner(t: &mut Thread) {
    t.fd_table_pid = if t.flags & cl::CLONE_FILES != 0 { main_tid(t) } else { t.tid };
}

/// A thread with sysdig's initial bookkeeping values.
pub(crate) fn new_thread(tid: i64) -> Thread {
    Thread {
        tid,
        pid: tid,
        ptid: -1,
        // sysdig's threadinfo starts these unknown (-1), not 0.
        sid: -1,
        vpgid: -1,
        vtid: -1,
        vpid: -1,
        fd_table_pid: tid,
        last_enter_type: u16::MAX,
        last_fd: -1,
        fdlimit: -1,
        ..Default::default()
    }
}

/// Looks `tid` up, adding sysdig's placeholder entry when unknown.
pub(crate) fn get_or_fake_thread(st: &mut State, tid: i64) {
    if st.threads.contains_key(&tid) {
        return;
    }
    let mut t = new_thread(tid);
    t.comm = "<NA>".into();
    t.exe = "<NA>".into();
    t.uid = u32::MAX;
    t.gid = u32::MAX;
    t.loginuid = u32::MAX;
    t.nchilds = st.threads.values().filter(|o| o.pid == tid).count() as u64;
    add_thread(st, t);
}

/// A container JSON event: records the container, and gives the event the
/// thread libsinsp makes up for it (tid and pid -1, vtid and vpid -2, comm
/// `container:<id>`, in that container), until the next event.
fn container_event(st: &mut State, ev: &Event, cx: &mut Ctx) {
    let Some(j) = ev.param(0) else { return };
    let Some(c) = st.containers.add_json(&String::from_utf8_lossy(path::cstr(j))) else { return };
    let mut t = new_thread(-1);
    t.vtid = -2;
    t.vpid = -2;
    t.comm = format!("container:{c}");
    t.container_id = c;
    st.threads.insert(-1, t);
    st.pending.container_thread = true;
    cx.has_thread = ev.tid == -1;
}

/// Adds a thread, counting it in its main thread (sysdig's add_thread).
pub(crate) fn add_thread(st: &mut State, t: Thread) {
    if t.flags & cl::CLONE_THREAD != 0 && let Some(m) = st.threads.get_mut(&t.pid) {
        m.nchilds += 1;
    }
    st.threads.insert(t.tid, t);
}

/// sysdig's remove_thread: a main thread with live threads stays unless forced.
pub(crate) fn remove_thread(st: &mut State, tid: i64, force: bool) {
    let Some(t) = st.threads.get(&tid) else { return };
    let nchilds = t.nchilds;
    if nchilds != 0 && !force {
        return;
    }
    let (flags, pid, owner) = (t.flags, t.pid, t.fd_owner());
    if flags & cl::CLONE_THREAD != 0 && let Some(m) = st.threads.get_mut(&pid) {
        m.nchilds = m.nchilds.saturating_sub(1);
    }
    if owner == tid {
        st.fdtables.remove(&tid);
    }
    st.threads.remove(&tid);
    if nchilds != 0 {
        for t in st.threads.values_mut() {
            t.nchilds = 0;
        }
        let mains: Vec<i64> = st
            .threads
            .values()
            .filter(|t| t.flags & cl::CLONE_THREAD != 0)
            .map(|t| t.pid)
            .collect();
        for p in mains {
            if let Some(m) = st.threads.get_mut(&p) {
                m.nchilds += 1;
            }
        }
    }
}

/// The fd table thread `tid` uses, for change.
pub(crate) fn fdtable_mut(st: &mut State, tid: i64) -> Option<&mut FdTable> {
    let owner = st.threads.get(&tid)?.fd_owner();
    st.fdtables.get_mut(&owner)
}

/// True when thread `tid`'s table has `fd`.
pub(crate) fn fd_exists(st: &State, tid: i64, fd: i64) -> bool {
    st.fd(tid, fd).is_some()
}

/// sysdig's `event_cleanup` (end of `sinsp::next`, reached only by events
/// that passed the filter): an exit event frees its thread's stored enter
/// event, so a later exit cannot retrieve it (e.g. an `fcntl(F_GETFD)` exit
/// after an `fcntl(F_DUPFD)` pair does not copy an fd again).
pub fn event_cleanup(st: &mut State, exit_tid: i64) {
    if let Some(t) = st.threads.get_mut(&exit_tid) && (!t.enter_body.is_empty() || t.enter_nparams != 0) {
        t.enter_body.clear();
        t.enter_nparams = 0;
        t.enter_valid = false;
    }
}

/// sysdig's `add_fd`: inserts into the thread's table and makes it the event's fd.
pub(crate) fn add_fd(st: &mut State, tid: i64, mut f: Fd, fd: i64) {
    let Some(t) = st.threads.get_mut(&tid) else { return };
    t.last_fd = fd;
    let owner = t.fd_owner();
    f.fd = fd;
    st.fdtables.entry(owner).or_default().insert(f);
}

/// Stores the enter event's parameters in its thread (sysdig's store_event).
#[inline]
fn store_event(st: &mut State, ev: &Event, cx: &Ctx) {
    if !cx.has_thread {
        return;
    }
    if let Some(t) = st.threads.get_mut(&ev.tid) {
        t.enter_body.clear();
        t.enter_body.extend_from_slice(ev.body);
        t.enter_nparams = ev.nparams;
        t.enter_large = ev.large;
        t.enter_type = ev.etype;
    }
}

/// sysdig's retrieve_enter_event: true when the stored enter event belongs to `ev`.
pub(crate) fn retrieve_enter(st: &mut State, ev: &Event) -> bool {
    let Some(t) = st.threads.get_mut(&ev.tid) else { return false };
    if !t.enter_valid || t.enter_body.is_empty() && t.enter_nparams == 0 {
        return false;
    }
    if t.enter_type as u32 + 1 != ev.etype as u32 {
        t.enter_valid = false;
        return false;
    }
    true
}

/// View of a thread's stored enter event.
pub(crate) fn enter_view(t: &Thread) -> Option<Event<'_>> {
    crate::event::validate_body(&t.enter_body, t.enter_nparams, t.enter_large)?;
    Some(Event {
        num: 0,
        cpu: 0,
        ts: t.last_enter_ts,
        tid: t.tid,
        etype: t.enter_type,
        nparams: t.enter_nparams,
        flags: 0,
        large: t.enter_large,
        body: &t.enter_body,
    })
}

/// Owned copy of parameter `i` of the stored enter event of `tid`.
pub(crate) fn enter_param(st: &State, tid: i64, i: usize) -> Option<Vec<u8>> {
    let t = st.threads.get(&tid)?;
    enter_view(t)?.param(i).map(|b| b.to_vec())
}

/// Integer parameter `i` of the stored enter event of `tid`.
pub(crate) fn enter_param_i64(st: &State, tid: i64, i: usize) -> Option<i64> {
    let t = st.threads.get(&tid)?;
    enter_view(t)?.param_i64(i)
}

/// Parameter count of the stored enter event of `tid`.
pub(crate) fn enter_nparams(st: &State, tid: i64) -> u32 {
    st.threads.get(&tid).map(|t| t.enter_nparams).unwrap_or(0)
}
