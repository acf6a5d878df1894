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
    pub name: &'static str,
    pub ptype: ParamType,
    pub fmt: PrintFmt,
    pub extra: ParamExtra,
}

/// Description of one event type.
#[derive(Clone, Copy, Debug)]
pub struct EventInfo {
    pub name: &'static str,
    /// EC_* category bits.
    pub category: u32,
    /// EF_* flag bits.
    pub flags: u32,
    pub params: &'static [ParamInfo],
}

static EVENTS: &[EventInfo] = &[];

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
pub fn errno_name(_errno: i64) -> Option<&'static str> {
    None
}
