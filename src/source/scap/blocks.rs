//! Block type numbers and fixed sizes of the scap file format
//! (libscap's `scap_savefile.h`).

/// Section header block (`\r\n\n\r`).
pub const SHB: u32 = 0x0A0D_0D0A;
/// Byte-order magic stored in the section header.
pub const SHB_MAGIC: u32 = 0x1A2B_3C4D;
/// Highest major version this reader understands.
pub const MAJOR_VERSION: u16 = 1;
/// Minor version this crate writes.
pub const MINOR_VERSION: u16 = 2;

pub const MI: u32 = 0x201;
pub const MI_INT: u32 = 0x8002_ABCD;

pub const PL_V1: u32 = 0x202;
pub const PL_V1_INT: u32 = 0x8000_ABCD;
pub const PL_V2: u32 = 0x207;
pub const PL_V2_INT: u32 = 0x8013_ABCD;
pub const PL_V3: u32 = 0x209;
pub const PL_V3_INT: u32 = 0x8014_ABCD;
pub const PL_V4: u32 = 0x210;
pub const PL_V5: u32 = 0x211;
pub const PL_V6: u32 = 0x212;
pub const PL_V7: u32 = 0x213;
pub const PL_V8: u32 = 0x214;
pub const PL_V9: u32 = 0x215;

pub const FDL: u32 = 0x203;
pub const FDL_INT: u32 = 0x8001_ABCD;
pub const FDL_V2: u32 = 0x218;

pub const EV: u32 = 0x204;
pub const EV_INT: u32 = 0x8010_ABCD;
pub const EV_V2: u32 = 0x216;
pub const EV_V2_LARGE: u32 = 0x221;
pub const EVF: u32 = 0x208;
pub const EVF_V2: u32 = 0x217;
pub const EVF_V2_LARGE: u32 = 0x222;

pub const IL: u32 = 0x205;
pub const IL_INT: u32 = 0x8011_ABCD;
pub const IL_V2: u32 = 0x219;

pub const UL: u32 = 0x206;
pub const UL_INT: u32 = 0x8012_ABCD;
pub const UL_V2: u32 = 0x220;

/// Block header (type + total length) size.
pub const BLOCK_HEADER_LEN: usize = 8;
/// Smallest possible block: header plus trailing length.
pub const MIN_BLOCK_LEN: usize = BLOCK_HEADER_LEN + 4;
/// Section header body: magic u32, major u16, minor u16, section length u64.
pub const SHB_BODY_LEN: usize = 16;
/// Size of libscap's packed `scap_machine_info`.
pub const MACHINE_INFO_LEN: usize = 180;
/// libscap's buffer for non-large event blocks (block length minus header):
/// sysdig cannot read a longer one; this reader can.
pub const READER_BUF_SIZE: usize = 1 << 16;

/// `SCAP_MAX_PATH_SIZE`.
pub const MAX_PATH: usize = 1024;
/// `SCAP_MAX_ARGS_SIZE`.
pub const MAX_ARGS: usize = 4096;
/// `SCAP_MAX_ENV_SIZE`.
pub const MAX_ENV: usize = 4096;
/// `SCAP_MAX_CGROUPS_SIZE`.
pub const MAX_CGROUPS: usize = 4096;
/// `MAX_CREDENTIALS_STR_LEN`.
pub const MAX_CREDENTIALS: usize = 256;

/// `SCAP_II_*` interface entry types.
pub const II_IPV4: u16 = 1;
pub const II_IPV6: u16 = 2;
pub const II_IPV4_NOLINKSPEED: u16 = 3;
pub const II_IPV6_NOLINKSPEED: u16 = 4;

/// User-list entry kinds.
pub const USERBLOCK_USER: u8 = 0;
pub const USERBLOCK_GROUP: u8 = 1;

/// Kind of an event block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvBlock {
    /// Event header carries `nparams` (v2 layout).
    pub v2: bool,
    /// Block carries 32 bits of flags after the cpu id.
    pub flags: bool,
    /// Block may exceed 64 KiB.
    pub large: bool,
}

/// Classifies `block_type` as an event block, if it is one.
pub fn event_block(block_type: u32) -> Option<EvBlock> {
    let (v2, flags, large) = match block_type {
        EV | EV_INT => (false, false, false),
        EVF => (false, true, false),
        EV_V2 => (true, false, false),
        EVF_V2 => (true, true, false),
        EV_V2_LARGE => (true, false, true),
        EVF_V2_LARGE => (true, true, true),
        _ => return None,
    };
    Some(EvBlock { v2, flags, large })
}

/// Process-list version (1..=9) of `block_type`, if it is a process list.
pub fn proclist_version(block_type: u32) -> Option<u8> {
    Some(match block_type {
        PL_V1 | PL_V1_INT => 1,
        PL_V2 | PL_V2_INT => 2,
        PL_V3 | PL_V3_INT => 3,
        PL_V4 => 4,
        PL_V5 => 5,
        PL_V6 => 6,
        PL_V7 => 7,
        PL_V8 => 8,
        PL_V9 => 9,
        _ => return None,
    })
}
