//! Thread and fd entries of the state tables.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

pub use crate::source::records::FdType;

/// One thread, as sysdig's threadinfo.
#[derive(Clone, Debug, Default)]
pub struct Thread {
    pub tid: i64,
    pub pid: i64,
    pub ptid: i64,
    pub sid: i64,
    pub vpgid: i64,
    pub pgid: i64,
    pub comm: String,
    pub exe: String,
    pub exepath: String,
    pub args: NulList,
    pub env: NulList,
    pub cwd: String,
    pub fdlimit: i64,
    /// PPM_CL_* flags.
    pub flags: u32,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub vmsize_kb: u32,
    pub vmrss_kb: u32,
    pub vmswap_kb: u32,
    pub pfmajor: u64,
    pub pfminor: u64,
    pub vtid: i64,
    pub vpid: i64,
    /// `subsystem=path` entries as recorded (see [`NulList::cgroups`]).
    pub cgroups: NulList,
    pub root: String,
    pub tty: u32,
    /// PPM_EXE_WRITABLE of the last execve exit (inherited by clone).
    pub exe_writable: bool,
    /// Container id derived from cgroups ("" = host).
    pub container_id: String,
    /// Time the thread was created (clone exit), 0 when unknown.
    pub clone_ts: u64,
    /// Time of the last execve, 0 when unknown.
    pub exec_ts: u64,
    /// Pid of the process whose fd table this thread uses (normally `pid`).
    pub fd_table_pid: i64,

    // ---- per-event bookkeeping (sysdig's m_lastevent_*) ----
    /// Type of the last enter event seen for this thread.
    pub last_enter_type: u16,
    /// Fd of the last enter event (for EF_USES_FD events), or -1.
    pub last_fd: i64,
    /// Timestamp of the last enter event.
    pub last_enter_ts: u64,
    /// Copy of the last stored enter event's parameter area (for exit parsing).
    pub enter_body: Vec<u8>,
    /// Parameter count of the stored enter event.
    pub enter_nparams: u32,
    /// Whether the stored enter event used 32-bit lengths.
    pub enter_large: bool,
    /// Cumulative CPU-ish accounting hooks for chisels (bytes read/written etc.).
    pub stats: ThreadStats,
    /// Type of the stored enter event in `enter_body` (sysdig stores only some).
    pub enter_type: u16,
    /// Whether the stored enter event matches the current exit (sysdig's lastevent data validity).
    pub enter_valid: bool,
    /// Latency of the last exit event (ns), 0 after an enter event.
    pub latency: u64,
    /// Number of threads (CLONE_THREAD) that refer to this main thread.
    pub nchilds: u64,
}

/// A NUL-separated list of strings (args, env, cgroups) kept as recorded:
/// cloning a thread shares it, and it is split only when a field asks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NulList(Option<Arc<[u8]>>);

impl NulList {
    /// The list in `b`: entries end at a NUL (the last one may not).
    pub fn new(b: &[u8]) -> Self {
        if b.is_empty() { NulList(None) } else { NulList(Some(Arc::from(b))) }
    }

    /// An environment block: as [`NulList::new`], but an all-zero tail ends
    /// the list (sysdig's set_env).
    pub fn env(b: &[u8]) -> Self {
        let mut off = 0;
        while off < b.len() {
            let rest = &b[off..];
            if rest.iter().all(|&c| c == 0) {
                return Self::new(&b[..off]);
            }
            off += rest.iter().position(|&c| c == 0).map_or(rest.len(), |e| e + 1);
        }
        Self::new(b)
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The entries' bytes.
    pub fn raw(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut rest: &[u8] = self.0.as_deref().unwrap_or(&[]);
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
            let e = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or(&[]);
            Some(e)
        })
    }

    /// The entries as text (invalid UTF-8 replaced, as sysdig's strings are).
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        self.raw().map(String::from_utf8_lossy)
    }

    /// The entries as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(Cow::into_owned).collect()
    }

    /// The entries joined by single spaces (proc.args, proc.env).
    pub fn join_into(&self, out: &mut Vec<u8>) {
        for (i, a) in self.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(a.as_bytes());
        }
    }

    /// Cgroup entries as `(subsystem, path)`, split at the last `=` with the
    /// subsystem named as sysdig's set_cgroups names it; the list ends at the
    /// first entry without `=`.
    pub fn cgroups(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> + '_ {
        self.iter().map_while(|e| {
            let p = e.rfind('=')?;
            let (subsys, path) = match e {
                Cow::Borrowed(e) => (Cow::Borrowed(&e[..p]), Cow::Borrowed(&e[p + 1..])),
                Cow::Owned(e) => (Cow::Owned(e[..p].to_string()), Cow::Owned(e[p + 1..].to_string())),
            };
            Some((cgroup_subsys(subsys), path))
        })
    }
}

/// sysdig's subsystem naming: `_cgroup` dropped, short names expanded.
fn cgroup_subsys(s: Cow<'_, str>) -> Cow<'_, str> {
    let s = match s.find("_cgroup") {
        Some(q) => {
            let mut o = s.into_owned();
            o.replace_range(q..q + 7, "");
            Cow::Owned(o)
        }
        None => s,
    };
    match &*s {
        "perf" => Cow::Borrowed("perf_event"),
        "mem" => Cow::Borrowed("memory"),
        "io" => Cow::Borrowed("blkio"),
        _ => s,
    }
}

/// Counters kept per thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadStats {
    pub bytes_in: u64,
    pub bytes_out: u64,
}

impl Thread {
    /// Pid owning the fd table this thread uses.
    #[inline]
    pub fn fd_owner(&self) -> i64 {
        if self.fd_table_pid != 0 { self.fd_table_pid } else { self.pid }
    }

    /// True for the main thread of its process.
    #[inline]
    pub fn is_main_thread(&self) -> bool {
        self.tid == self.pid
    }
}

/// Socket details of an fd.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum SockInfo {
    #[default]
    None,
    Ipv4 { sip: [u8; 4], dip: [u8; 4], sport: u16, dport: u16, l4proto: u8 },
    Ipv6 { sip: [u8; 16], dip: [u8; 16], sport: u16, dport: u16, l4proto: u8 },
    Ipv4Server { ip: [u8; 4], port: u16, l4proto: u8 },
    Ipv6Server { ip: [u8; 16], port: u16, l4proto: u8 },
    Unix { source: u64, dest: u64 },
}

/// fd flags (sysdig's sinsp_fdinfo_t::FLAGS_*).
pub mod fdflags {
    pub const FROM_PROC: u32 = 1 << 0;
    pub const TRANSACTION: u32 = 1 << 1;
    pub const ROLE_CLIENT: u32 = 1 << 2;
    pub const ROLE_SERVER: u32 = 1 << 3;
    pub const CLOSE_IN_PROGRESS: u32 = 1 << 4;
    pub const CLOSE_CANCELED: u32 = 1 << 5;
    pub const IS_SOCKET_PIPE: u32 = 1 << 6;
    pub const IS_TRACER_FILE: u32 = 1 << 7;
    pub const IS_TRACER_FD: u32 = 1 << 8;
    pub const IS_NOT_TRACER_FD: u32 = 1 << 9;
    pub const IN_BASELINE_R: u32 = 1 << 10;
    pub const IN_BASELINE_RW: u32 = 1 << 11;
    pub const IN_BASELINE_OTHER: u32 = 1 << 12;
    pub const SOCKET_CONNECTED: u32 = 1 << 13;
    pub const IS_CLONED: u32 = 1 << 14;
    pub const CONNECTION_PENDING: u32 = 1 << 15;
    pub const CONNECTION_FAILED: u32 = 1 << 16;
    pub const OVERLAY_UPPER: u32 = 1 << 17;
}

/// One open fd.
#[derive(Clone, Debug, Default)]
pub struct Fd {
    pub fd: i64,
    pub ftype: FdType,
    /// Name as sysdig shows it: path, `sip:sport->dip:dport`, unix path...
    pub name: String,
    /// Raw (unresolved) name for files opened relative to a dirfd.
    pub name_raw: String,
    pub openflags: u32,
    pub ino: u64,
    pub dev: u32,
    pub mount_id: u32,
    pub sock: SockInfo,
    /// `fdflags::*`.
    pub flags: u32,
}

impl Fd {
    /// sysdig's one-letter type (`f`, `4`, `6`, `u`, `p`, ...).
    pub fn type_char(&self) -> char {
        use FdType::*;
        match self.ftype {
            File | FileV2 => 'f',
            Ipv4Sock | Ipv4ServSock => '4',
            Ipv6Sock | Ipv6ServSock => '6',
            Directory => 'd',
            Fifo => 'p',
            UnixSock => 'u',
            Event => 'e',
            Unknown => 'o',
            Unsupported => 'X',
            SignalFd => 's',
            EventPoll => 'l',
            Inotify => 'i',
            TimerFd => 't',
            Netlink => 'n',
            _ => '?',
        }
    }

    /// sysdig's type string (`file`, `ipv4`, `unix`, ... or `<NA>`).
    pub fn type_str(&self) -> &'static str {
        use FdType::*;
        match self.ftype {
            File | FileV2 => "file",
            Directory => "directory",
            Ipv4Sock | Ipv4ServSock => "ipv4",
            Ipv6Sock | Ipv6ServSock => "ipv6",
            UnixSock => "unix",
            Fifo => "pipe",
            Event => "event",
            SignalFd => "signalfd",
            EventPoll => "eventpoll",
            Inotify => "inotify",
            TimerFd => "timerfd",
            Netlink => "netlink",
            _ => "<NA>",
        }
    }

    /// True when no role (client/server) was decided.
    #[inline]
    pub fn is_role_none(&self) -> bool {
        self.flags & (fdflags::ROLE_CLIENT | fdflags::ROLE_SERVER) == 0
    }

    /// Layer-4 protocol as sysdig reports it (SCAP_L4_*: 0 NA, 1 TCP, 2 UDP, 3 ICMP, 4 RAW).
    pub fn l4proto(&self) -> u8 {
        const RAW: u8 = 5;
        match self.sock {
            SockInfo::Ipv4 { l4proto, .. } | SockInfo::Ipv6 { l4proto, .. } => {
                if l4proto == RAW {
                    RAW
                } else if self.is_role_none() {
                    0
                } else {
                    l4proto
                }
            }
            SockInfo::Ipv4Server { l4proto, .. } | SockInfo::Ipv6Server { l4proto, .. } => l4proto,
            _ => 0,
        }
    }

    /// `fd.l4proto` text: `tcp`, `udp`, `icmp`, `raw`, or `None` when unknown.
    pub fn l4proto_name(&self) -> Option<&'static str> {
        match self.l4proto() {
            2 => Some("tcp"),
            3 => Some("udp"),
            4 => Some("icmp"),
            5 => Some("raw"),
            _ => None,
        }
    }

    /// Writes `<TYPE[proto]>name` as sysdig's fd rendering does.
    pub fn write_desc(&self, out: &mut Vec<u8>) {
        out.push(b'<');
        let mut b = [0u8; 4];
        out.extend_from_slice(self.type_char().encode_utf8(&mut b).as_bytes());
        if matches!(
            self.ftype,
            FdType::Ipv4Sock | FdType::Ipv6Sock | FdType::Ipv4ServSock | FdType::Ipv6ServSock
        ) {
            match self.l4proto() {
                2 => out.push(b't'),
                3 => out.push(b'u'),
                4 => out.push(b'i'),
                5 => out.push(b'r'),
                _ => {}
            }
        }
        out.push(b'>');
        crate::event::render::push_sanitized(out, self.name.as_bytes());
    }
}

/// Fds below this number live in a directly indexed vector; others (rare)
/// in an ordered map.
const DENSE_FDS: i64 = 1024;

/// An fd table (one per process). Iteration is in fd order.
#[derive(Clone, Debug, Default)]
pub struct FdTable {
    /// Entry `i` is fd `i`; grows to the highest fd below [`DENSE_FDS`] seen.
    dense: Vec<Option<Fd>>,
    /// Negative fds and fds from [`DENSE_FDS`] on.
    sparse: BTreeMap<i64, Fd>,
    len: usize,
}

impl FdTable {
    /// Looks up an fd.
    #[inline]
    pub fn get(&self, fd: i64) -> Option<&Fd> {
        if (0..DENSE_FDS).contains(&fd) {
            self.dense.get(fd as usize)?.as_ref()
        } else {
            self.sparse.get(&fd)
        }
    }

    /// Looks up an fd for change.
    #[inline]
    pub fn get_mut(&mut self, fd: i64) -> Option<&mut Fd> {
        if (0..DENSE_FDS).contains(&fd) {
            self.dense.get_mut(fd as usize)?.as_mut()
        } else {
            self.sparse.get_mut(&fd)
        }
    }

    /// Adds or replaces an fd.
    pub fn insert(&mut self, f: Fd) {
        let fd = f.fd;
        let old = if (0..DENSE_FDS).contains(&fd) {
            let i = fd as usize;
            if i >= self.dense.len() {
                self.dense.resize_with(i + 1, || None);
            }
            self.dense[i].replace(f)
        } else {
            self.sparse.insert(fd, f)
        };
        if old.is_none() {
            self.len += 1;
        }
    }

    /// Removes an fd.
    pub fn remove(&mut self, fd: i64) -> Option<Fd> {
        let old = if (0..DENSE_FDS).contains(&fd) {
            self.dense.get_mut(fd as usize)?.take()
        } else {
            self.sparse.remove(&fd)
        };
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// Number of open fds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no fd is open.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `(fd, entry)` pairs in fd order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Fd)> + '_ {
        let dense = self.dense.iter().enumerate().filter_map(|(i, f)| Some((i as i64, f.as_ref()?)));
        let neg = self.sparse.range(..0).map(|(&k, f)| (k, f));
        let high = self.sparse.range(0..).map(|(&k, f)| (k, f));
        neg.chain(dense).chain(high)
    }

    /// The entries in fd order.
    pub fn values(&self) -> impl Iterator<Item = &Fd> + '_ {
        self.iter().map(|(_, f)| f)
    }

    /// The entries, for change (in no particular order).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Fd> + '_ {
        self.dense.iter_mut().flatten().chain(self.sparse.values_mut())
    }
}

/// Formats an IPv4 address.
pub fn fmt_ipv4(out: &mut Vec<u8>, ip: [u8; 4]) {
    let _ = write!(out, "{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(l: &NulList) -> Vec<String> {
        l.iter().map(|e| e.into_owned()).collect()
    }

    #[test]
    fn nul_list_splits_as_sysdig() {
        assert!(NulList::new(b"").is_empty());
        assert_eq!(entries(&NulList::new(b"a\0b\0")), ["a", "b"]);
        assert_eq!(entries(&NulList::new(b"a\0\0b")), ["a", "", "b"]);
        assert_eq!(entries(&NulList::new(b"a\0\0")), ["a", ""]);
        assert_eq!(entries(&NulList::new(b"\0")), [""]);
        assert_eq!(entries(&NulList::new(b"last")), ["last"]);
        assert_eq!(entries(&NulList::new(b"\xffx\0")), ["\u{fffd}x"]);
        // An environment stops at its all-zero tail.
        assert_eq!(entries(&NulList::env(b"A=1\0B=2\0\0\0\0")), ["A=1", "B=2"]);
        assert_eq!(entries(&NulList::env(b"A=1\0\0B=2\0")), ["A=1", "", "B=2"]);
        assert!(NulList::env(b"\0\0\0").is_empty());
        let mut o = Vec::new();
        NulList::new(b"curl\0-s\0x").join_into(&mut o);
        assert_eq!(o, b"curl -s x");
    }

    #[test]
    fn fd_table_keeps_fd_order_across_both_stores() {
        let mut t = FdTable::default();
        for fd in [5, 4096, 0, -3, 1023, 1024, 7] {
            t.insert(Fd { fd, name: format!("f{fd}"), ..Default::default() });
        }
        t.insert(Fd { fd: 7, name: "again".into(), ..Default::default() });
        assert_eq!(t.len(), 7);
        let order: Vec<i64> = t.iter().map(|(k, f)| { assert_eq!(k, f.fd); k }).collect();
        assert_eq!(order, [-3, 0, 5, 7, 1023, 1024, 4096]);
        assert_eq!(t.get(7).map(|f| f.name.as_str()), Some("again"));
        assert_eq!(t.remove(1023).map(|f| f.fd), Some(1023));
        assert_eq!(t.remove(1023).map(|f| f.fd), None);
        assert_eq!(t.remove(4096).map(|f| f.fd), Some(4096));
        assert!(t.get(2000).is_none() && t.get(-1).is_none() && t.get(900).is_none());
        if let Some(f) = t.get_mut(-3) {
            f.name.push('!');
        }
        assert_eq!(t.get(-3).map(|f| f.name.as_str()), Some("f-3!"));
        assert_eq!(t.len(), 5);
        assert_eq!(t.values_mut().count(), 5);
        assert_eq!(t.values().map(|f| f.fd).collect::<Vec<_>>(), [-3, 0, 5, 7, 1024]);
    }

    #[test]
    fn cgroups_are_named_as_sysdig() {
        let l = NulList::new(b"cpuset=/\0perf_event=/a=b\0mem_cgroup=/m\0io=/x\0bad\0cpu=/never\0");
        let got: Vec<(String, String)> = l.cgroups().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let want = [("cpuset", "/"), ("perf_event=/a", "b"), ("memory", "/m"), ("blkio", "/x")];
        assert_eq!(got, want.map(|(k, v)| (k.to_string(), v.to_string())));
    }
}
