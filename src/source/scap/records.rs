//! Parsers for the metadata blocks (machine info, process, fd, interface and
//! user lists). Each takes the block body — everything between the 8-byte
//! block header and the trailing length, padding included — and appends
//! plain records. Field order and limits follow libscap's savefile engine.

use std::collections::VecDeque;

use super::blocks::*;
use super::cursor::{Cursor, PResult, c_string, nul_list};
use crate::source::records::*;

/// Machine-info block: libscap reads a fixed 180-byte packed struct.
pub fn machine_info(body: &[u8], be: bool) -> PResult<MachineInfo> {
    let mut c = Cursor::new(body, be);
    let num_cpus = c.u32("machine info")?;
    let memory_size_bytes = c.u64("machine info")?;
    let max_pid = c.u64("machine info")?;
    let hostname = c_string(c.bytes(128, "machine info")?);
    let boot_ts_epoch = c.u64("machine info")?;
    let flags = c.u64("machine info")?;
    Ok(MachineInfo { num_cpus, memory_size_bytes, max_pid, hostname, boot_ts_epoch, flags })
}

/// Process-list block of any version (1..=9).
pub fn proclist(body: &[u8], version: u8, be: bool, out: &mut VecDeque<Record>) -> PResult<()> {
    let mut c = Cursor::new(body, be);
    while c.remaining() >= 4 {
        let start = c.pos();
        let p = proc_entry(&mut c, version)?;
        out.push_back(Record::Process(Box::new(p.0)));
        if let Some(sub_len) = p.1 {
            let read = c.pos() - start;
            if read > sub_len {
                return Err(c.err(format!(
                    "corrupted input file. Had read {read} bytes, but proclist entry have length {sub_len}."
                )));
            }
            c.skip(sub_len - read, "proclist entry")?;
        }
    }
    Ok(())
}

/// One process entry; returns the record and the entry length (v9 only).
fn proc_entry(c: &mut Cursor<'_>, v: u8) -> PResult<(ProcRecord, Option<usize>)> {
    let start = c.pos();
    let mut t = ProcRecord {
        sid: -1,
        vpgid: -1,
        pgid: -1,
        vtid: -1,
        vpid: -1,
        loginuid: u32::MAX,
        ..Default::default()
    };
    let sub_len = if v >= 9 { Some(c.u32("proclist entry length")? as usize) } else { None };
    proc_fields(c, v, &mut t)?;
    let Some(sub_len) = sub_len else {
        return Ok((t, None));
    };
    proc_trailing(c, start, sub_len, &mut t)?;
    Ok((t, Some(sub_len)))
}

/// The fields every entry of version `v` has, in order (from the tid on).
fn proc_fields(c: &mut Cursor<'_>, v: u8, t: &mut ProcRecord) -> PResult<()> {
    t.tid = c.i64("tid")?;
    t.pid = c.i64("pid")?;
    t.ptid = c.i64("ptid")?;
    if v >= 6 {
        t.sid = c.i64("sid")?;
    }
    if v >= 8 {
        t.vpgid = c.i64("vpgid")?;
    }
    t.comm = c_string(c.lenstr(MAX_PATH, "comm")?);
    t.exe = c_string(c.lenstr(MAX_PATH, "exe")?);
    if v >= 7 {
        t.exepath = c_string(c.lenstr(MAX_PATH, "exepath")?);
    }
    t.args = nul_list(c.lenstr(MAX_ARGS, "args")?);
    t.cwd = c_string(c.lenstr(MAX_PATH, "cwd")?);
    t.fdlimit = c.i64("fdlimit")?;
    t.flags = c.u32("flags")?;
    t.uid = c.u32("uid")?;
    t.gid = c.u32("gid")?;
    if v >= 2 {
        t.vmsize_kb = c.u32("vmsize_kb")?;
        t.vmrss_kb = c.u32("vmrss_kb")?;
        t.vmswap_kb = c.u32("vmswap_kb")?;
        t.pfmajor = c.u64("pfmajor")?;
        t.pfminor = c.u64("pfminor")?;
        if v >= 3 {
            t.env = nul_list(c.lenstr(MAX_ENV, "env")?);
        }
        if v >= 4 {
            t.vtid = c.i64("vtid")?;
            t.vpid = c.i64("vpid")?;
            t.cgroups = c.lenstr(MAX_CGROUPS, "cgroups")?.to_vec();
            if v >= 5 {
                t.root = c_string(c.lenstr(MAX_PATH, "root")?);
            }
        }
    }
    Ok(())
}

/// The optional fields at the end of a v9 entry that began at `start`,
/// each read only when the entry length `sub_len` has room for it.
fn proc_trailing(c: &mut Cursor<'_>, start: usize, sub_len: usize, t: &mut ProcRecord) -> PResult<()> {
    // Optional trailing fields, present when the entry length says so.
    let fits = |c: &Cursor<'_>, n: usize| c.pos() - start + n <= sub_len;
    // libs 0.10 inserted pidns_init_start_ts and tty before loginuid; entries
    // with at most 29 bytes left are older and lack them.
    let pre_0_10 = sub_len.wrapping_sub(c.pos() - start) <= 29;
    if !pre_0_10 {
        if fits(c, 8) {
            t.pidns_init_start_ts = c.u64("pidns_init_start_ts")?;
        }
        if fits(c, 4) {
            t.tty = c.u32("tty")?;
        }
    }
    if fits(c, 4) {
        t.loginuid = c.u32("loginuid")?;
    }
    if fits(c, 1) {
        t.exe_writable = c.u8("exe_writable")? != 0;
    }
    if fits(c, 8) {
        t.cap_inheritable = c.u64("cap_inheritable")?;
    }
    if fits(c, 8) {
        t.cap_permitted = c.u64("cap_permitted")?;
    }
    if fits(c, 8) {
        t.cap_effective = c.u64("cap_effective")?;
    }
    if fits(c, 1) {
        t.exe_upper_layer = c.u8("exe_upper_layer")? != 0;
    }
    if fits(c, 8) {
        t.exe_ino = c.u64("exe_ino")?;
    }
    if fits(c, 8) {
        t.exe_ino_ctime = c.u64("exe_ino_ctime")?;
    }
    if fits(c, 8) {
        t.exe_ino_mtime = c.u64("exe_ino_mtime")?;
    }
    if fits(c, 1) {
        t.exe_from_memfd = c.u8("exe_from_memfd")? != 0;
    }
    if fits(c, 1) {
        t.exe_lower_layer = c.u8("exe_lower_layer")? != 0;
    }
    if fits(c, 8) {
        t.pgid = c.i64("pgid")?;
    }
    Ok(())
}

/// Fd-list block (v1 or v2 with per-entry lengths).
pub fn fdlist(body: &[u8], v2: bool, be: bool, out: &mut VecDeque<Record>) -> PResult<()> {
    let mut c = Cursor::new(body, be);
    let tid = c.i64("fdlist tid")?;
    while c.remaining() >= 4 {
        let start = c.pos();
        let sub_len = if v2 { c.u32("fd entry length")? as usize } else { 0 };
        let fd = c.i64("fd")?;
        let ino = c.u64("fd ino")?;
        let raw_type = c.u8("fd type")?;
        let fdtype = FdType::from_u8(raw_type);
        use FdType as T;
        let name = |c: &mut Cursor<'_>| -> PResult<String> {
            Ok(c_string(c.lenstr(MAX_PATH - 1, "fd name")?))
        };
        let (fdtype, detail) = match fdtype {
            _ if raw_type > 21 => {
                (FdType::Unsupported, FdDetail::Named(format!("unknown-type:[{raw_type}]")))
            }
            T::Ipv4Sock => {
                let sip = c.ip4("fd sip")?;
                let dip = c.ip4("fd dip")?;
                let sport = c.u16("fd sport")?;
                let dport = c.u16("fd dport")?;
                let l4proto = c.u8("fd l4proto")?;
                (fdtype, FdDetail::Ipv4 { sip, dip, sport, dport, l4proto })
            }
            T::Ipv4ServSock => {
                let ip = c.ip4("fd ip")?;
                let port = c.u16("fd port")?;
                let l4proto = c.u8("fd l4proto")?;
                (fdtype, FdDetail::Ipv4Server { ip, port, l4proto })
            }
            T::Ipv6Sock => {
                let sip = c.ip6("fd sip")?;
                let dip = c.ip6("fd dip")?;
                let sport = c.u16("fd sport")?;
                let dport = c.u16("fd dport")?;
                let l4proto = c.u8("fd l4proto")?;
                (fdtype, FdDetail::Ipv6 { sip, dip, sport, dport, l4proto })
            }
            T::Ipv6ServSock => {
                let ip = c.ip6("fd ip")?;
                let port = c.u16("fd port")?;
                let l4proto = c.u8("fd l4proto")?;
                (fdtype, FdDetail::Ipv6Server { ip, port, l4proto })
            }
            T::UnixSock => {
                let source = c.u64("unix source")?;
                let dest = c.u64("unix dest")?;
                (fdtype, FdDetail::Unix { source, dest, name: name(&mut c)? })
            }
            T::FileV2 => {
                let open_flags = c.u32("fd open flags")?;
                let fname = name(&mut c)?;
                let mut dev = 0;
                if v2 && c.pos() - start + 4 <= sub_len {
                    dev = c.u32("fd dev")?;
                }
                (fdtype, FdDetail::File { name: fname, open_flags, mount_id: 0, dev })
            }
            T::Unknown | T::Unitialized => (fdtype, FdDetail::Named(String::new())),
            _ => (fdtype, FdDetail::Named(name(&mut c)?)),
        };
        if v2 {
            let read = c.pos() - start;
            if read > sub_len {
                return Err(c.err(format!(
                    "corrupted input file. Had read {read} bytes, but fdlist entry have length {sub_len}."
                )));
            }
            c.skip(sub_len - read, "fdlist entry")?;
        }
        out.push_back(Record::Fd(FdRecord { tid, fd, ino, fdtype, detail }));
    }
    Ok(())
}

/// Interface-list block (v1 entries, or v2 entries prefixed by their length).
pub fn iflist(body: &[u8], v2: bool, be: bool, out: &mut VecDeque<Record>) -> PResult<()> {
    let mut c = Cursor::new(body, be);
    while c.remaining() >= 4 {
        let entry_len = if v2 { Some(c.u32("interface entry length")? as usize) } else { None };
        let start = c.pos();
        let iftype = c.u16("interface type")?;
        let namelen = c.u16("interface name length")? as usize;
        if namelen >= MAX_PATH {
            return Err(c.err("trace file has corrupted interface list(0)"));
        }
        let rec = match iftype {
            II_IPV4 | II_IPV4_NOLINKSPEED => {
                let addr = c.ip4("interface addr")?;
                let netmask = c.ip4("interface netmask")?;
                let bcast = c.ip4("interface bcast")?;
                if iftype == II_IPV4 {
                    c.skip(8, "interface linkspeed")?;
                }
                let name = c_string(c.bytes(namelen, "interface name")?);
                InterfaceRecord::V4 { name, addr, netmask, bcast }
            }
            II_IPV6 | II_IPV6_NOLINKSPEED => {
                let addr = c.ip6("interface addr")?;
                let netmask = c.ip6("interface netmask")?;
                let bcast = c.ip6("interface bcast")?;
                if iftype == II_IPV6 {
                    c.skip(8, "interface linkspeed")?;
                }
                let name = c_string(c.bytes(namelen, "interface name")?);
                InterfaceRecord::V6 { name, addr, netmask, bcast }
            }
            other => return Err(c.err(format!("unknown interface type {other}"))),
        };
        if let Some(len) = entry_len {
            let read = c.pos() - start;
            if read > len {
                return Err(c.err(format!(
                    "trace file has corrupted interface list(2) toread={len}, entrysize={read}"
                )));
            }
            c.skip(len - read, "interface entry")?;
        }
        out.push_back(Record::Interface(rec));
    }
    Ok(())
}

/// User-list block (users and groups; v2 entries carry their length).
pub fn userlist(body: &[u8], v2: bool, be: bool, out: &mut VecDeque<Record>) -> PResult<()> {
    let mut c = Cursor::new(body, be);
    while c.remaining() >= 4 {
        let start = c.pos();
        let sub_len = if v2 { c.u32("user entry length")? as usize } else { 0 };
        let kind = c.u8("user entry type")?;
        let max = MAX_CREDENTIALS - 1;
        if kind == USERBLOCK_USER {
            let uid = c.u32("uid")?;
            let gid = c.u32("gid")?;
            let name = c_string(c.lenstr(max, "user name")?);
            let homedir = c_string(c.lenstr(max, "user homedir")?);
            let shell = c_string(c.lenstr(max, "user shell")?);
            out.push_back(Record::User(UserRecord {
                uid,
                gid,
                name,
                homedir,
                shell,
                container_id: String::new(),
            }));
        } else {
            // libscap treats every non-user kind as a group.
            let gid = c.u32("gid")?;
            let name = c_string(c.lenstr(max, "group name")?);
            out.push_back(Record::Group(GroupRecord { gid, name, container_id: String::new() }));
        }
        if v2 && sub_len != 0 {
            let read = c.pos() - start;
            if read > sub_len {
                return Err(c.err(format!(
                    "corrupted input file. Had read {read} bytes, but userlist entry have length {sub_len}."
                )));
            }
            c.skip(sub_len - read, "userlist entry")?;
        }
    }
    Ok(())
}
