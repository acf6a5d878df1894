//! The event table: one entry per event type number, generated at build time
//! from `src/event/events.tbl` (data owned by this crate).

/// Parameter types (numbering follows the scap format's `ppm_param_type`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    None = 0, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, CharBuf, ByteBuf,
    Errno, SockAddr, SockTuple, Fd, Pid, FdList, FsPath, SyscallId, SigType, RelTime, AbsTime,
    Port, L4Proto, SockFamily, Bool, Ipv4Addr, Dyn, Flags8, Flags16, Flags32, Uid, Gid, Double,
    SigSet, CharBufArray, CharBufPairArray, Ipv4Net, Ipv6Addr, Ipv6Net, IpAddr, IpNet, Mode,
    FsRelPath, EnumFlags8, EnumFlags16, EnumFlags32, Fd32, Pid32,
}

/// How numeric parameters are printed.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintFmt { Na = 0, Dec, Hex, Padded10Dec, Id, Dir, Oct }

/// Extra information attached to a parameter.
#[derive(Clone, Copy, Debug)]
pub enum ParamExtra {
    None,
    /// Flag or enum value names.
    Flags(&'static [(&'static str, u32)]),
    /// For FSRELPATH: index of the dirfd parameter.
    DirFd(u8),
    /// For PT_DYN: the possible parameter layouts, selected by a u8 index prefix.
    Dyn(&'static [ParamInfo]),
}

/// Description of one event parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamInfo {
    /// Parameter name as `evt.info` and `evt.arg.NAME` use it.
    pub name: &'static str,
    /// Wire type.
    pub ptype: ParamType,
    /// Print format for numbers.
    pub fmt: PrintFmt,
    /// Flag table, dirfd index or dynamic layouts.
    pub extra: ParamExtra,
    /// The parameter as sysdig 0.29.3's libs declared it, when that differs
    /// from today's table (sysdig prints it that way).
    pub was: Option<&'static ParamInfo>,
}

impl ParamInfo {
    /// The declaration sysdig 0.29.3 uses for this parameter.
    #[inline]
    pub fn sysdig(&'static self) -> &'static ParamInfo {
        self.was.unwrap_or(self)
    }
}

/// An event type as sysdig 0.29.3's libs knew it (same number).
#[derive(Clone, Copy, Debug)]
pub struct Legacy {
    /// Name in sysdig 0.29.3.
    pub name: &'static str,
    /// EC_* category bits in sysdig 0.29.3.
    pub category: u32,
    /// EF_* flags in sysdig 0.29.3.
    pub flags: u32,
    /// Number of parameters sysdig 0.29.3 declared (a prefix of today's).
    pub nparams: usize,
}

/// One entry of the syscall-id table (PT_SYSCALLID values, generic events).
#[derive(Clone, Copy, Debug)]
pub struct SyscallInfo {
    /// Syscall name, e.g. "mprotect".
    pub name: &'static str,
    /// EC_* category.
    pub category: u32,
    /// EF_* flags (EF_DROP_SIMPLE_CONS ...).
    pub flags: u32,
}

/// Description of one event type.
#[derive(Clone, Copy, Debug)]
pub struct EventInfo {
    pub name: &'static str,
    /// EC_* category bits.
    pub category: u32,
    /// EF_* flag bits.
    pub flags: u32,
    /// Parameters in wire order (today's table).
    pub params: &'static [ParamInfo],
    /// The same event number as sysdig 0.29.3 knew it (None: it did not exist).
    pub legacy: Option<Legacy>,
}

impl EventInfo {
    /// Name sysdig 0.29.3 prints for this event type.
    #[inline]
    pub fn sysdig_name(&self) -> &'static str {
        match &self.legacy {
            Some(l) => l.name,
            None => self.name,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/events_gen.rs"));

/// Looks up an event type.
#[inline]
pub fn event_info(etype: u16) -> Option<&'static EventInfo> {
    EVENTS.get(etype as usize)
}

/// All event types, indexed by number.
pub fn all_events() -> &'static [EventInfo] {
    EVENTS
}

/// Name of an errno value (positive number), e.g. 2 → "ENOENT".
/// Negative values are accepted too (`-2` → "ENOENT"), as syscalls return them.
pub fn errno_name(errno: i64) -> Option<&'static str> {
    let e = errno.checked_abs()?;
    ERRNO_NAMES.iter().find(|(n, _)| *n == e).map(|(_, s)| *s)
}

/// Name of a signal number as sysdig prints it (9 → "SIGKILL").
pub fn signal_name(sig: i64) -> Option<&'static str> {
    SIGNAL_NAMES.iter().find(|(n, _)| *n == sig).map(|(_, s)| *s)
}

/// The syscall-id table entry for `id` (PT_SYSCALLID, generic events' `ID`).
pub fn syscall_info(id: u16) -> Option<&'static SyscallInfo> {
    SYSCALLS.get(id as usize)
}

/// Number of entries of the syscall-id table.
pub fn syscall_count() -> usize {
    SYSCALLS.len()
}

/// Looks up an event type by name (today's name or sysdig 0.29.3's);
/// returns every matching type number (enter and exit, all versions).
pub fn events_named(name: &str) -> impl Iterator<Item = u16> + '_ {
    EVENTS.iter().enumerate().filter_map(move |(i, e)| {
        (e.name == name || e.sysdig_name() == name).then_some(i as u16)
    })
}
