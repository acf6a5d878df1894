//! Plain data records that sources produce besides events: the machine,
//! process, fd, user, group and interface tables found in a capture's header
//! blocks (or taken from /proc when capturing live). The state engine turns
//! them into its tables; the writer turns them back into blocks.

/// Machine information block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MachineInfo {
    pub num_cpus: u32,
    pub memory_size_bytes: u64,
    pub max_pid: u64,
    pub hostname: String,
    /// Boot time in ns since epoch (0 when the capture does not say).
    pub boot_ts_epoch: u64,
    /// Machine-info flags.
    pub flags: u64,
}

/// One thread from a process-list block (any version; absent fields are defaults).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcRecord {
    pub tid: i64,
    pub pid: i64,
    pub ptid: i64,
    pub sid: i64,
    pub vpgid: i64,
    pub pgid: i64,
    pub comm: String,
    pub exe: String,
    pub exepath: String,
    /// Arguments, NUL-separated as in the capture (without exe).
    pub args: Vec<u8>,
    pub cwd: String,
    pub fdlimit: i64,
    pub flags: u32,
    pub uid: u32,
    pub gid: u32,
    pub vmsize_kb: u32,
    pub vmrss_kb: u32,
    pub vmswap_kb: u32,
    pub pfmajor: u64,
    pub pfminor: u64,
    /// Environment, NUL-separated.
    pub env: Vec<u8>,
    pub vtid: i64,
    pub vpid: i64,
    /// cgroups, NUL-separated `subsys=path` entries.
    pub cgroups: Vec<u8>,
    pub root: String,
    pub loginuid: u32,
    pub tty: u32,
    pub pidns_init_start_ts: u64,
    pub exe_writable: bool,
    pub cap_inheritable: u64,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub exe_upper_layer: bool,
    pub exe_lower_layer: bool,
    pub exe_from_memfd: bool,
    pub exe_ino: u64,
    pub exe_ino_ctime: u64,
    pub exe_ino_mtime: u64,
}

/// Fd types as the scap format numbers them (`scap_fd_type`; the on-disk
/// byte). `SCAP_FD_UNINITIALIZED` is -1 in libscap, stored here as 255.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FdType {
    #[default]
    Unitialized = 255,
    Unknown = 0,
    File = 1,
    Directory = 2,
    Ipv4Sock = 3,
    Ipv6Sock = 4,
    Ipv4ServSock = 5,
    Ipv6ServSock = 6,
    Fifo = 7,
    UnixSock = 8,
    Event = 9,
    Unsupported = 10,
    SignalFd = 11,
    EventPoll = 12,
    Inotify = 13,
    TimerFd = 14,
    Netlink = 15,
    FileV2 = 16,
    Bpf = 17,
    UserFaultFd = 18,
    IoUring = 19,
    MemFd = 20,
    PidFd = 21,
}

impl FdType {
    /// Converts the on-disk byte; values libscap does not define map to `Unknown`.
    pub fn from_u8(v: u8) -> FdType {
        use FdType::*;
        match v {
            255 => Unitialized, 0 => Unknown, 1 => File, 2 => Directory, 3 => Ipv4Sock,
            4 => Ipv6Sock, 5 => Ipv4ServSock, 6 => Ipv6ServSock, 7 => Fifo, 8 => UnixSock,
            9 => Event, 10 => Unsupported, 11 => SignalFd, 12 => EventPoll, 13 => Inotify,
            14 => TimerFd, 15 => Netlink, 16 => FileV2, 17 => Bpf, 18 => UserFaultFd,
            19 => IoUring, 20 => MemFd, 21 => PidFd, _ => Unknown,
        }
    }
}

/// Type-specific content of an fd record.
#[derive(Clone, Debug, PartialEq)]
pub enum FdDetail {
    Ipv4 { sip: [u8; 4], dip: [u8; 4], sport: u16, dport: u16, l4proto: u8 },
    Ipv4Server { ip: [u8; 4], port: u16, l4proto: u8 },
    Ipv6 { sip: [u8; 16], dip: [u8; 16], sport: u16, dport: u16, l4proto: u8 },
    Ipv6Server { ip: [u8; 16], port: u16, l4proto: u8 },
    Unix { source: u64, dest: u64, name: String },
    /// Regular file (FILE_V2 carries flags and dev).
    File { name: String, open_flags: u32, mount_id: u32, dev: u32 },
    /// Every other type: just a name.
    Named(String),
}

/// One fd from an fd-list block.
#[derive(Clone, Debug, PartialEq)]
pub struct FdRecord {
    /// The thread (tid) whose table the fd list belongs to.
    pub tid: i64,
    pub fd: i64,
    pub ino: u64,
    pub fdtype: FdType,
    pub detail: FdDetail,
}

/// One user from a user-list block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserRecord {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
    pub homedir: String,
    pub shell: String,
    /// Container the entry belongs to ("" for the host).
    pub container_id: String,
}

/// One group from a user-list block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupRecord {
    pub gid: u32,
    pub name: String,
    pub container_id: String,
}

/// One network interface address.
#[derive(Clone, Debug, PartialEq)]
pub enum InterfaceRecord {
    V4 { name: String, addr: [u8; 4], netmask: [u8; 4], bcast: [u8; 4] },
    V6 { name: String, addr: [u8; 16], netmask: [u8; 16], bcast: [u8; 16] },
}

/// Everything a source can hand out besides events.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Machine(MachineInfo),
    /// Boxed: a process is several times the size of the other records, and
    /// every [`super::Item`] (one per event) is as large as its largest record.
    Process(Box<ProcRecord>),
    Fd(FdRecord),
    User(UserRecord),
    Group(GroupRecord),
    Interface(InterfaceRecord),
}
