//! Field types and extracted field values.
//!
//! [`FieldType`] mirrors the libsinsp `PT_*` parameter types that fields
//! declare; the filter compiler picks the comparison semantics from it
//! (string, buffer, signed, unsigned, IP address/network), exactly as
//! sysdig 0.29.3 does. [`Value`] is what a field extractor hands back for one
//! event; it borrows from the event or state where it can.

/// The declared type of a field (libsinsp's `ppm_param_type`, restricted to
/// the types that fields use). It decides how filter operands are parsed and
/// compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// PT_INT8: signed, compared as i64; operands truncated to 8 bits.
    Int8,
    /// PT_INT16.
    Int16,
    /// PT_INT32.
    Int32,
    /// PT_INT64.
    Int64,
    /// PT_UINT8: unsigned, compared as u64; operands truncated to 8 bits.
    Uint8,
    /// PT_UINT16.
    Uint16,
    /// PT_UINT32.
    Uint32,
    /// PT_UINT64.
    Uint64,
    /// PT_CHARBUF: NUL-terminated text, C-string comparisons.
    CharBuf,
    /// PT_BYTEBUF: raw bytes, length-aware comparisons.
    ByteBuf,
    /// PT_ERRNO: i64.
    Errno,
    /// PT_SOCKADDR: compared as a string.
    SockAddr,
    /// PT_FD: i64.
    Fd,
    /// PT_PID: i64 (not parseable as a filter operand in sysdig 0.29.3).
    Pid,
    /// PT_FSPATH: text path.
    FsPath,
    /// PT_SYSCALLID (not parseable as a filter operand in sysdig 0.29.3).
    SyscallId,
    /// PT_SIGTYPE (not parseable as a filter operand in sysdig 0.29.3).
    SigType,
    /// PT_RELTIME: u64 nanoseconds.
    RelTime,
    /// PT_ABSTIME: u64 nanoseconds since the epoch.
    AbsTime,
    /// PT_PORT: u16; operands may be service names (/etc/services).
    Port,
    /// PT_L4PROTO: u8.
    L4Proto,
    /// PT_SOCKFAMILY: compared as a string.
    SockFamily,
    /// PT_BOOL: operands `true`/`false`, compared as unsigned 0/1.
    Bool,
    /// PT_IPV4ADDR: 4 bytes, compared as the host-order u32 of those bytes.
    Ipv4Addr,
    /// PT_IPV4NET: the value is an address, the operand `a.b.c.d/len`.
    Ipv4Net,
    /// PT_IPV6ADDR: 16 bytes.
    Ipv6Addr,
    /// PT_IPV6NET: the value is an address; same /64 subnet matches.
    Ipv6Net,
    /// PT_IPADDR: an IPv4 or IPv6 address, depending on the value.
    IpAddr,
    /// PT_IPNET: an IPv4 or IPv6 network, depending on the value.
    IpNet,
    /// PT_FLAGS8: u8.
    Flags8,
    /// PT_FLAGS16: u16.
    Flags16,
    /// PT_FLAGS32: u32.
    Flags32,
    /// PT_MODE: u32.
    Mode,
    /// PT_UID: u32.
    Uid,
    /// PT_GID: u32.
    Gid,
    /// PT_DOUBLE (not parseable as a filter operand in sysdig 0.29.3).
    Double,
    /// PT_SIGSET.
    SigSet,
}

impl FieldType {
    /// libsinsp's numeric `PT_*` code (used in some error messages).
    pub fn code(self) -> u32 {
        use FieldType::*;
        match self {
            Int8 => 1,
            Int16 => 2,
            Int32 => 3,
            Int64 => 4,
            Uint8 => 5,
            Uint16 => 6,
            Uint32 => 7,
            Uint64 => 8,
            CharBuf => 9,
            ByteBuf => 10,
            Errno => 11,
            SockAddr => 12,
            Fd => 14,
            Pid => 15,
            FsPath => 17,
            SyscallId => 18,
            SigType => 19,
            RelTime => 20,
            AbsTime => 21,
            Port => 22,
            L4Proto => 23,
            SockFamily => 24,
            Bool => 25,
            Ipv4Addr => 26,
            Flags8 => 28,
            Flags16 => 29,
            Flags32 => 30,
            Uid => 31,
            Gid => 32,
            Double => 33,
            SigSet => 34,
            Ipv6Addr => 38,
            Ipv6Net => 39,
            IpAddr => 40,
            IpNet => 41,
            Mode => 42,
            Ipv4Net => 37,
        }
    }
}

/// One extracted field value.
///
/// The filter compares values according to the field's [`FieldType`], not
/// the variant: e.g. an `Int64` field may hand back `I64` or `U64`, a
/// `CharBuf` field `Str` or `String`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Borrowed text or bytes.
    Str(&'a [u8]),
    /// Owned text or bytes (built for this event).
    String(Vec<u8>),
    /// Signed integer.
    I64(i64),
    /// Unsigned integer.
    U64(u64),
    /// Floating point.
    F64(f64),
    /// Boolean.
    Bool(bool),
    /// IPv4 address, network byte order.
    Ipv4([u8; 4]),
    /// IPv6 address, network byte order.
    Ipv6([u8; 16]),
}

impl Value<'_> {
    /// The bytes of a text/bytes value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s),
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a signed integer (integers, booleans and IPv4 addresses).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::I64(v) => Some(v),
            Value::U64(v) => Some(v as i64),
            Value::Bool(b) => Some(b as i64),
            Value::F64(f) => Some(f as i64),
            Value::Ipv4(b) => Some(u32::from_le_bytes(b) as i64),
            _ => None,
        }
    }

    /// The value as an unsigned integer. IPv4 addresses become the u32 read
    /// from their bytes in host (little-endian) order, as libsinsp compares
    /// them.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::I64(v) => Some(v as u64),
            Value::U64(v) => Some(v),
            Value::Bool(b) => Some(b as u64),
            Value::F64(f) => Some(f as u64),
            Value::Ipv4(b) => Some(u32::from_le_bytes(b) as u64),
            _ => None,
        }
    }

    /// The raw address bytes of an IP value (4 or 16 bytes).
    pub fn ip_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Ipv4(b) => Some(b),
            Value::Ipv6(b) => Some(b),
            _ => None,
        }
    }
}
