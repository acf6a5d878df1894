//! The state engine: sysdig's "mirror of /proc". Thread table, per-process
//! fd tables, users, groups and interfaces, seeded from a capture's header
//! records and kept current by every event that changes state.
//!
//! Field extraction, the printer and chisels only read this state; only
//! [`State::apply_record`] and [`State::process`] change it.

pub mod container;
mod parse;
mod threads;
pub mod types;

use rustc_hash::FxHashMap as HashMap;

use crate::event::render::Resolve;
use crate::source::records::{GroupRecord, InterfaceRecord, MachineInfo, Record, UserRecord};
pub use threads::ThreadTable;
pub use types::{Fd, FdTable, SockInfo, Thread};
pub use parse::event_flags;
/// sysdig's path joining (concatenate_paths), used by fd.name of failed opens and evt.abspath.
pub use parse::path::concatenate as concatenate_paths;

/// What the state engine learned about the event it just processed; fields
/// read it to answer `fd.*`, `evt.failed`, `evt.latency`...
#[derive(Clone, Copy, Debug, Default)]
pub struct EventMeta {
    /// The fd this event works on (from its own params or its enter event), or -1.
    pub fd: i64,
    /// Positive errno when the event failed (`res`/`fd` < 0), else 0.
    pub errorcode: i32,
    /// Latency from the matching enter event (exit events), ns.
    pub latency: u64,
    /// True when the exit event's enter event was seen just before it.
    pub enter_valid: bool,
    /// True when the thread table has an entry for the event's tid.
    pub has_thread: bool,
    /// The fd whose entry `fd.*` fields read (sysdig's `evt->m_fdinfo`): usually
    /// `fd`, but e.g. the dirfd of a failed openat. Look it up in the event
    /// thread's table; -1 when none.
    pub fdinfo_fd: i64,
    /// `fd.name_changed`: the name of the event's fd differs after parsing
    /// from before (libsinsp's m_oldname); computed only when
    /// [`track_fd_name_changes`] was called.
    pub fd_name_changed: bool,
}

static TRACK_NAME_CHANGES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks the parser to compute [`EventMeta::fd_name_changed`] (a name copy per
/// event with an fd, so only when a filter or format uses `fd.name_changed`).
pub fn track_fd_name_changes() {
    TRACK_NAME_CHANGES.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn tracking_fd_name_changes() -> bool {
    TRACK_NAME_CHANGES.load(std::sync::atomic::Ordering::Relaxed)
}

/// The whole state.
#[derive(Default)]
pub struct State {
    /// Threads by tid.
    pub threads: ThreadTable,
    /// Fd tables by owner pid (threads of a process share one).
    pub fdtables: HashMap<i64, FdTable>,
    /// Users by uid.
    pub users: HashMap<u32, UserRecord>,
    /// Groups by gid.
    pub groups: HashMap<u32, GroupRecord>,
    /// Network interfaces.
    pub interfaces: Vec<InterfaceRecord>,
    /// Machine information, when the source had it.
    pub machine: Option<MachineInfo>,
    /// Containers found from threads' cgroups.
    pub containers: container::Containers,
    /// Deferred removals, done at the start of the next event (as sysdig does).
    pending: parse::Pending,
    /// Ports of server sockets found in the capture's fd tables (sysdig's
    /// m_server_ports), used to orient the connections read from /proc.
    pub(crate) server_ports: rustc_hash::FxHashSet<u16>,
    /// True once the header tables were fixed up (at the first event).
    pub(crate) records_fixed: bool,
    /// sysdig's `--large-environment` (live only): an execve whose
    /// environment fills the probe's buffer (possibly cut) takes the whole
    /// environment from /proc/PID/environ, when the process is still there.
    pub large_envs: bool,
}

impl State {
    /// Creates an empty state.
    pub fn new() -> State {
        State::default()
    }

    /// Seeds the state from a header record.
    pub fn apply_record(&mut self, rec: Record) {
        parse::apply_record(self, rec)
    }

    /// Updates the state with one event under a capture filter, the way
    /// sysdig does: events that do not modify state are filtered before they
    /// are parsed (a rejected one leaves the state untouched and makes its
    /// thread forget the pending enter event); the others after. Fills in
    /// `meta` (every field) and returns whether the filter accepted the event.
    #[inline]
    pub fn process_filtered<F: FnMut(&State, &EventMeta) -> bool>(
        &mut self,
        ev: &crate::event::Event,
        meta: &mut EventMeta,
        filter: F,
    ) -> bool {
        parse::process_filtered(self, ev, meta, Some(filter))
    }

    /// Updates the state with one event; returns what the event refers to.
    pub fn process(&mut self, ev: &crate::event::Event) -> EventMeta {
        parse::process(self, ev)
    }

    /// [`State::process`], writing the meta in place (the per-event path:
    /// a returned struct copied into the caller's would stall on store
    /// forwarding).
    #[inline]
    pub fn process_into(&mut self, ev: &crate::event::Event, meta: &mut EventMeta) {
        parse::process_filtered(self, ev, meta, None::<fn(&State, &EventMeta) -> bool>);
    }

    /// Call after an exit event of thread `exit_tid` passed the filter, before
    /// the next event (sysdig's `event_cleanup`): drops the thread's stored
    /// enter event. Events the filter rejects skip this, as in sysdig.
    pub fn event_cleanup(&mut self, exit_tid: i64) {
        parse::event_cleanup(self, exit_tid)
    }

    /// The thread `tid`, if known.
    #[inline]
    pub fn thread(&self, tid: i64) -> Option<&Thread> {
        self.threads.get(&tid)
    }

    /// The main thread of `tid`'s process, if known.
    pub fn main_thread(&self, tid: i64) -> Option<&Thread> {
        let t = self.threads.get(&tid)?;
        self.threads.get(&t.pid).or(Some(t))
    }

    /// The fd table `tid` uses.
    pub fn fdtable(&self, tid: i64) -> Option<&FdTable> {
        let t = self.threads.get(&tid)?;
        self.fdtables.get(&t.fd_owner())
    }

    /// The fd `fd` of thread `tid`.
    #[inline]
    pub fn fd(&self, tid: i64, fd: i64) -> Option<&Fd> {
        self.fdtable(tid)?.get(fd)
    }

    /// The working directory of `tid` (its main thread's, with a trailing `/`).
    pub fn cwd(&self, tid: i64) -> String {
        parse::cwd(self, tid)
    }

    /// The parent of `tid` (by ptid), if known.
    pub fn parent(&self, tid: i64) -> Option<&Thread> {
        let t = self.threads.get(&tid)?;
        self.threads.get(&t.ptid)
    }

    /// User name for `uid`.
    pub fn user_name(&self, uid: u32) -> Option<&str> {
        self.users.get(&uid).map(|u| u.name.as_str())
    }

    /// Group name for `gid`.
    pub fn group_name(&self, gid: u32) -> Option<&str> {
        self.groups.get(&gid).map(|g| g.name.as_str())
    }
}

impl Resolve for State {
    fn user_name(&self, uid: u32) -> Option<&str> {
        State::user_name(self, uid)
    }
    fn group_name(&self, gid: u32) -> Option<&str> {
        State::group_name(self, gid)
    }
    fn fd_desc(&self, tid: i64, fd: i64, out: &mut Vec<u8>) -> bool {
        match self.fd(tid, fd) {
            Some(f) => {
                f.write_desc(out);
                true
            }
            None => false,
        }
    }

    fn thread_comm(&self, tid: i64) -> Option<&str> {
        self.threads.get(&tid).map(|t| t.comm.as_str())
    }

    fn cwd(&self, tid: i64, out: &mut Vec<u8>) -> bool {
        if !self.threads.contains_key(&tid) {
            return false;
        }
        out.extend_from_slice(parse::cwd(self, tid).as_bytes());
        true
    }

    fn dir_fd_path(&self, tid: i64, fd: i64, out: &mut Vec<u8>) -> bool {
        match self.fd(tid, fd) {
            Some(f) => {
                out.extend_from_slice(f.name.as_bytes());
                true
            }
            None => false,
        }
    }
}
