//! A snapshot of the running system taken from /proc and /etc, as the records
//! a capture header would hold: machine, every thread, every fd (files
//! resolved through /proc/PID/fd, sockets through /proc/net/* by inode),
//! users, groups and interfaces. Processes that vanish mid-scan are skipped.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::exe_writable::{exe_writable, IdentityError, User};
use super::records::{
    FdDetail, FdRecord, FdType, GroupRecord, InterfaceRecord, MachineInfo, ProcRecord, Record,
    UserRecord,
};

/// Bytes of a process's environment libscap's /proc scan reads
/// (SCAP_MAX_ENV_SIZE); `--large-environment` reads all of it.
pub const ENV_MAX: usize = 4096;

/// Takes the whole snapshot: machine first, then users, groups, interfaces,
/// threads (each process's threads followed by its fds). `full_env`: whole
/// environments, else their first [`ENV_MAX`] bytes as libscap reads them.
/// Fails only when the scan could not take its own identity back after
/// checking an executable (see [`super::exe_writable`]).
pub fn snapshot(full_env: bool) -> Result<Vec<Record>, IdentityError> {
    let mut out = vec![Record::Machine(machine())];
    out.extend(users().into_iter().map(Record::User));
    out.extend(groups().into_iter().map(Record::Group));
    out.extend(interfaces().into_iter().map(Record::Interface));
    out.extend(processes(full_env)?);
    Ok(out)
}

/// Every thread (each process's threads followed by its fds).
pub fn processes(full_env: bool) -> Result<Vec<Record>, IdentityError> {
    processes_except(&Default::default(), full_env)
}

/// Every thread whose tid is not in `known` (each process's new threads,
/// followed by its fds when the process itself is new).
pub fn processes_except(known: &rustc_hash::FxHashSet<i64>, full_env: bool) -> Result<Vec<Record>, IdentityError> {
    let mut out = Vec::new();
    let mut socks = None;
    for pid in numeric_dirs(Path::new("/proc")) {
        let tids = numeric_dirs(&Path::new("/proc").join(pid.to_string()).join("task"));
        let mut any = false;
        // Threads of a process share its executable: one check per user.
        let mut checked: Vec<(User, bool)> = Vec::new();
        for tid in tids.into_iter().filter(|t| !known.contains(t)) {
            let Some((mut p, groups)) = read_process(pid, tid, full_env) else { continue };
            let user = User { uid: p.uid, gid: p.gid, groups };
            p.exe_writable = match checked.iter().find(|(u, _)| *u == user) {
                Some(&(_, w)) => w,
                None => {
                    let w = exe_writable(pid, &p.exepath, &user)?;
                    checked.push((user, w));
                    w
                }
            };
            out.push(Record::Process(Box::new(p)));
            any = true;
        }
        if any && !known.contains(&pid) {
            let socks = socks.get_or_insert_with(SocketTable::load);
            out.extend(fds(pid, socks).into_iter().map(Record::Fd));
        }
    }
    Ok(out)
}

fn numeric_dirs(dir: &Path) -> Vec<i64> {
    let mut v: Vec<i64> = fs::read_dir(dir)
        .map(|rd| rd.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default();
    v.sort_unstable();
    v
}

/// Machine information from sysconf, /proc/meminfo, /proc/stat.
pub fn machine() -> MachineInfo {
    // SAFETY: sysconf has no preconditions.
    let cpus = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1) as u32;
    let mem_kb = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .unwrap_or(0);
    let max_pid = read_trim("/proc/sys/kernel/pid_max").and_then(|s| s.parse().ok()).unwrap_or(0);
    let btime = fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("btime "))?.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0);
    MachineInfo {
        num_cpus: cpus,
        memory_size_bytes: mem_kb * 1024,
        max_pid,
        hostname: read_trim("/proc/sys/kernel/hostname").unwrap_or_default(),
        boot_ts_epoch: btime * 1_000_000_000,
        flags: 0,
    }
}

fn read_trim(p: impl AsRef<Path>) -> Option<String> {
    fs::read_to_string(p).ok().map(|s| s.trim().to_string())
}

/// Users from /etc/passwd.
pub fn users() -> Vec<UserRecord> {
    parse_passwd(&fs::read_to_string("/etc/passwd").unwrap_or_default())
}

/// Parses passwd(5) text; malformed lines are skipped.
pub fn parse_passwd(text: &str) -> Vec<UserRecord> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(UserRecord {
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                name: f[0].into(),
                homedir: f[5].into(),
                shell: f[6].into(),
                container_id: String::new(),
            })
        })
        .collect()
}

/// Groups from /etc/group.
pub fn groups() -> Vec<GroupRecord> {
    parse_group(&fs::read_to_string("/etc/group").unwrap_or_default())
}

/// Parses group(5) text; malformed lines are skipped.
pub fn parse_group(text: &str) -> Vec<GroupRecord> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 3 {
                return None;
            }
            Some(GroupRecord { gid: f[2].parse().ok()?, name: f[0].into(), container_id: String::new() })
        })
        .collect()
}

/// Interface addresses (getifaddrs).
pub fn interfaces() -> Vec<InterfaceRecord> {
    let mut out = Vec::new();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` with a list we free below; we only read
    // entries whose address family says which sockaddr type they point to.
    unsafe {
        if libc::getifaddrs(&mut head) != 0 {
            return out;
        }
        let mut cur = head;
        while !cur.is_null() {
            let ifa = &*cur;
            cur = ifa.ifa_next;
            if ifa.ifa_addr.is_null() || ifa.ifa_name.is_null() {
                continue;
            }
            let name = std::ffi::CStr::from_ptr(ifa.ifa_name).to_string_lossy().into_owned();
            let fam = (*ifa.ifa_addr).sa_family as i32;
            if fam == libc::AF_INET {
                let v4 = |p: *const libc::sockaddr| -> [u8; 4] {
                    if p.is_null() {
                        [0; 4]
                    } else {
                        (*(p as *const libc::sockaddr_in)).sin_addr.s_addr.to_ne_bytes()
                    }
                };
                out.push(InterfaceRecord::V4 {
                    name,
                    addr: v4(ifa.ifa_addr),
                    netmask: v4(ifa.ifa_netmask),
                    bcast: v4(ifa.ifa_ifu),
                });
            } else if fam == libc::AF_INET6 {
                let v6 = |p: *const libc::sockaddr| -> [u8; 16] {
                    if p.is_null() {
                        [0; 16]
                    } else {
                        (*(p as *const libc::sockaddr_in6)).sin6_addr.s6_addr
                    }
                };
                out.push(InterfaceRecord::V6 {
                    name,
                    addr: v6(ifa.ifa_addr),
                    netmask: v6(ifa.ifa_netmask),
                    bcast: v6(ifa.ifa_ifu),
                });
            }
        }
        libc::freeifaddrs(head);
    }
    out
}

/// `Key:\tvalue` lines of /proc/PID/status.
fn status_map(text: &str) -> HashMap<&str, &str> {
    text.lines().filter_map(|l| l.split_once(':')).map(|(k, v)| (k, v.trim())).collect()
}

fn first_num<T: std::str::FromStr>(v: Option<&&str>, idx: usize) -> Option<T> {
    v?.split_whitespace().nth(idx)?.parse().ok()
}

fn kb(v: Option<&&str>) -> u32 {
    first_num::<u64>(v, 0).unwrap_or(0).min(u32::MAX as u64) as u32
}

/// One thread of process `pid` (its whole environment when `full_env`);
/// `None` when it is gone. Fails only as [`snapshot`] does.
pub fn process(pid: i64, tid: i64, full_env: bool) -> Result<Option<ProcRecord>, IdentityError> {
    let Some((mut p, groups)) = read_process(pid, tid, full_env) else { return Ok(None) };
    // The effective ids, as libscap passes them (and as the record has them).
    let user = User { uid: p.uid, gid: p.gid, groups };
    p.exe_writable = exe_writable(pid, &p.exepath, &user)?;
    Ok(Some(p))
}

/// Everything of one thread's entry but `exe_writable`, and the thread's
/// supplementary groups.
fn read_process(pid: i64, tid: i64, full_env: bool) -> Option<(ProcRecord, Vec<u32>)> {
    let pdir = format!("/proc/{pid}");
    let tdir = format!("/proc/{pid}/task/{tid}");
    let status = fs::read_to_string(format!("{tdir}/status")).ok()?;
    let st = status_map(&status);
    let stat = fs::read_to_string(format!("{tdir}/stat")).ok()?;
    // Fields after the parenthesised comm (which may itself hold spaces/parens).
    let after = &stat[stat.rfind(')')? + 1..];
    let sf: Vec<&str> = after.split_whitespace().collect();
    let sfn = |i: usize| -> i64 { sf.get(i).and_then(|s| s.parse().ok()).unwrap_or(0) };
    let comm = read_trim(format!("{tdir}/comm")).unwrap_or_default();
    let cmdline = fs::read(format!("{pdir}/cmdline")).unwrap_or_default();
    let (exe, args) = match cmdline.iter().position(|&c| c == 0) {
        Some(p) => (String::from_utf8_lossy(&cmdline[..p]).into_owned(), cmdline[p + 1..].to_vec()),
        None if !cmdline.is_empty() => (String::from_utf8_lossy(&cmdline).into_owned(), Vec::new()),
        None => (comm.clone(), Vec::new()),
    };
    let link = |p: String| fs::read_link(p).map(|l| l.to_string_lossy().into_owned()).unwrap_or_default();
    let exepath = link(format!("{pdir}/exe"));
    let exe_meta = fs::metadata(format!("{pdir}/exe")).ok();
    let exe_from_memfd = exepath.starts_with("/memfd:");
    let fdlimit = fs::read_to_string(format!("{pdir}/limits"))
        .ok()
        .and_then(|s| {
            let l = s.lines().find(|l| l.starts_with("Max open files"))?;
            l["Max open files".len()..].split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0);
    let cgroups = fs::read_to_string(format!("{tdir}/cgroup"))
        .map(|s| cgroups_from_proc(&s))
        .unwrap_or_default();
    let last = |k: &str| -> i64 {
        st.get(k).and_then(|v| v.split_whitespace().last()?.parse().ok()).unwrap_or(0)
    };
    let hex = |k: &str| -> u64 { st.get(k).and_then(|v| u64::from_str_radix(v, 16).ok()).unwrap_or(0) };
    let ptid = first_num::<i64>(st.get("PPid"), 0).unwrap_or(0);
    let groups = st.get("Groups").map(|g| g.split_whitespace().filter_map(|n| n.parse().ok()).collect());
    let record = ProcRecord {
        tid,
        pid,
        ptid,
        sid: sfn(3),
        vpgid: sfn(2),
        pgid: sfn(2),
        comm,
        exe,
        exepath,
        args,
        cwd: link(format!("{tdir}/cwd")),
        fdlimit,
        flags: 0,
        uid: first_num(st.get("Uid"), 1).unwrap_or(0),
        gid: first_num(st.get("Gid"), 1).unwrap_or(0),
        vmsize_kb: kb(st.get("VmSize")),
        vmrss_kb: kb(st.get("VmRSS")),
        vmswap_kb: kb(st.get("VmSwap")),
        pfmajor: sfn(9).max(0) as u64,
        pfminor: sfn(7).max(0) as u64,
        env: environ(pid, full_env),
        vtid: if st.contains_key("NStgid") { last("NSpid") } else { tid },
        vpid: if st.contains_key("NStgid") { last("NStgid") } else { pid },
        cgroups,
        root: link(format!("{pdir}/root")),
        loginuid: read_trim(format!("{pdir}/loginuid")).and_then(|s| s.parse().ok()).unwrap_or(u32::MAX),
        tty: sfn(4) as u32,
        pidns_init_start_ts: 0,
        exe_writable: false, // decided by the callers, per user
        cap_inheritable: hex("CapInh"),
        cap_permitted: hex("CapPrm"),
        cap_effective: hex("CapEff"),
        exe_upper_layer: false,
        exe_lower_layer: false,
        exe_from_memfd,
        exe_ino: exe_meta.as_ref().map(|m| m.ino()).unwrap_or(0),
        exe_ino_ctime: exe_meta.as_ref().map(|m| m.ctime() as u64 * 1_000_000_000 + m.ctime_nsec() as u64).unwrap_or(0),
        exe_ino_mtime: exe_meta.as_ref().map(|m| m.mtime() as u64 * 1_000_000_000 + m.mtime_nsec() as u64).unwrap_or(0),
    };
    Some((record, groups.unwrap_or_default()))
}

/// `/proc/PID/environ`: all of it, or as libscap reads it (the first
/// [`ENV_MAX`] bytes, the last of them made a NUL).
fn environ(pid: i64, full: bool) -> Vec<u8> {
    let mut env = fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    if !full && env.len() >= ENV_MAX {
        env.truncate(ENV_MAX);
        env[ENV_MAX - 1] = 0;
    }
    env
}

/// `/proc/PID/cgroup` lines (`id:subsys:path`) → NUL-separated `subsys=path`,
/// as libscap reads them: each controller of a v1 line keeps its name as
/// written (`name=systemd` included); the v2 line (`0::path`) stands for
/// cpu, memory and cpuset (the controllers container engines read); a v1
/// line without controllers is skipped.
pub fn cgroups_from_proc(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for l in text.lines() {
        let mut it = l.splitn(3, ':');
        let (id, subs, path) = match (it.next(), it.next(), it.next()) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => continue,
        };
        let names: Vec<&str> = if subs.is_empty() {
            if id != "0" {
                continue;
            }
            vec!["cpu", "memory", "cpuset"]
        } else {
            subs.split(',').collect()
        };
        for n in names {
            out.extend_from_slice(n.as_bytes());
            out.push(b'=');
            out.extend_from_slice(path.as_bytes());
            out.push(0);
        }
    }
    out
}

/// One socket from /proc/net/*.
#[derive(Clone, Debug, PartialEq)]
pub enum SockInfo {
    V4 { local: [u8; 4], lport: u16, remote: [u8; 4], rport: u16, proto: u8, listen: bool },
    V6 { local: [u8; 16], lport: u16, remote: [u8; 16], rport: u16, proto: u8, listen: bool },
    Unix { addr: u64, path: String },
}

/// Sockets of the current network namespace, by inode.
#[derive(Default)]
pub struct SocketTable {
    pub by_ino: HashMap<u64, SockInfo>,
}

/// SCAP_L4_TCP, as fd records carry it.
const L4_TCP: u8 = 2;
/// SCAP_L4_UDP.
const L4_UDP: u8 = 3;

impl SocketTable {
    /// Reads /proc/net/{tcp,tcp6,udp,udp6,unix}.
    pub fn load() -> SocketTable {
        let mut t = SocketTable::default();
        for (f, proto) in [("tcp", L4_TCP), ("udp", L4_UDP), ("tcp6", L4_TCP), ("udp6", L4_UDP)] {
            if let Ok(s) = fs::read_to_string(format!("/proc/net/{f}")) {
                t.parse_inet(&s, proto);
            }
        }
        if let Ok(s) = fs::read_to_string("/proc/net/unix") {
            t.parse_unix(&s);
        }
        t
    }

    /// Parses a /proc/net/{tcp,udp}[6] table.
    pub fn parse_inet(&mut self, text: &str, proto: u8) {
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 10 {
                continue;
            }
            let (Some((la, lp)), Some((ra, rp))) = (f[1].split_once(':'), f[2].split_once(':')) else { continue };
            let (Ok(lport), Ok(rport), Ok(ino)) =
                (u16::from_str_radix(lp, 16), u16::from_str_radix(rp, 16), f[9].parse::<u64>())
            else {
                continue;
            };
            // TCP_LISTEN is 0A; an unconnected UDP socket (state 07, no peer) serves too.
            let listen = f[3] == "0A" || (proto == L4_UDP && rport == 0);
            let info = match (hex_addr::<4>(la), hex_addr::<4>(ra), hex_addr::<16>(la), hex_addr::<16>(ra)) {
                (Some(local), Some(remote), _, _) => SockInfo::V4 { local, lport, remote, rport, proto, listen },
                (_, _, Some(local), Some(remote)) => SockInfo::V6 { local, lport, remote, rport, proto, listen },
                _ => continue,
            };
            self.by_ino.insert(ino, info);
        }
    }

    /// Parses /proc/net/unix.
    pub fn parse_unix(&mut self, text: &str) {
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 7 {
                continue;
            }
            let addr = u64::from_str_radix(f[0].trim_end_matches(':'), 16).unwrap_or(0);
            let Ok(ino) = f[6].parse::<u64>() else { continue };
            let path = f.get(7).map(|p| p.trim_start_matches('@').to_string()).unwrap_or_default();
            self.by_ino.insert(ino, SockInfo::Unix { addr, path });
        }
    }
}

/// Address as /proc/net prints it: 32-bit words in host order, hex.
fn hex_addr<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for w in 0..N / 4 {
        let word = u32::from_str_radix(s.get(w * 8..w * 8 + 8)?, 16).ok()?;
        out[w * 4..w * 4 + 4].copy_from_slice(&word.to_le_bytes());
    }
    Some(out)
}

/// Linux open flags (from /proc/PID/fdinfo) → PPM_O_* flags.
pub fn open_flags_to_ppm(f: u32) -> u32 {
    let mut r = match f & 3 {
        1 => 1 << 1,
        2 => 3,
        _ => 1,
    };
    for (l, p) in [
        (0o100, 1 << 2),
        (0o2000, 1 << 3),
        (0o10000, 1 << 4),
        (0o200, 1 << 5),
        (0o4000, 1 << 6),
        (0o4000000, 1 << 7),
        (0o1000, 1 << 8),
        (0o40000, 1 << 9),
        (0o200000, 1 << 10),
        (0o100000, 1 << 11),
        (0o2000000, 1 << 12),
    ] {
        if f & l != 0 {
            r |= p;
        }
    }
    r
}

/// Every fd of process `pid`.
pub fn fds(pid: i64, socks: &SocketTable) -> Vec<FdRecord> {
    let dir = format!("/proc/{pid}/fd");
    let mut out = Vec::new();
    for fd in numeric_dirs(Path::new(&dir)) {
        let p = format!("{dir}/{fd}");
        let Ok(target) = fs::read_link(&p) else { continue };
        let target = target.to_string_lossy().into_owned();
        let meta = fs::metadata(&p).ok();
        let ino = meta.as_ref().map(|m| m.ino()).unwrap_or(0);
        let (fdtype, detail) = classify(pid, fd, &target, meta.as_ref(), socks);
        out.push(FdRecord { tid: pid, fd, ino, fdtype, detail });
    }
    out
}

fn fdinfo(pid: i64, fd: i64) -> (u32, u32) {
    let s = fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).unwrap_or_default();
    let get = |k: &str, radix: u32| -> u32 {
        s.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| u32::from_str_radix(v.trim(), radix).ok())
            .unwrap_or(0)
    };
    (get("flags:", 8), get("mnt_id:", 10))
}

fn classify(pid: i64, fd: i64, target: &str, meta: Option<&fs::Metadata>, socks: &SocketTable) -> (FdType, FdDetail) {
    let bracket = |prefix: &str| -> Option<u64> { target.strip_prefix(prefix)?.strip_suffix(']')?.parse().ok() };
    if let Some(ino) = bracket("socket:[") {
        return match socks.by_ino.get(&ino) {
            Some(SockInfo::V4 { local, lport, remote, rport, proto, listen: true }) if *rport == 0 || remote == &[0; 4] => {
                let _ = remote;
                (FdType::Ipv4ServSock, FdDetail::Ipv4Server { ip: *local, port: *lport, l4proto: *proto })
            }
            Some(SockInfo::V4 { local, lport, remote, rport, proto, .. }) => (
                FdType::Ipv4Sock,
                FdDetail::Ipv4 { sip: *local, dip: *remote, sport: *lport, dport: *rport, l4proto: *proto },
            ),
            Some(SockInfo::V6 { local, lport, remote, rport, proto, listen: true }) if *rport == 0 || remote == &[0; 16] => {
                let _ = remote;
                (FdType::Ipv6ServSock, FdDetail::Ipv6Server { ip: *local, port: *lport, l4proto: *proto })
            }
            Some(SockInfo::V6 { local, lport, remote, rport, proto, .. }) => (
                FdType::Ipv6Sock,
                FdDetail::Ipv6 { sip: *local, dip: *remote, sport: *lport, dport: *rport, l4proto: *proto },
            ),
            Some(SockInfo::Unix { addr, path }) => {
                (FdType::UnixSock, FdDetail::Unix { source: *addr, dest: 0, name: path.clone() })
            }
            None => (FdType::Unknown, FdDetail::Named(target.to_string())),
        };
    }
    if bracket("pipe:[").is_some() {
        return (FdType::Fifo, FdDetail::Named(String::new()));
    }
    if let Some(kind) = target.strip_prefix("anon_inode:") {
        let k = kind.trim_start_matches('[').trim_end_matches(']');
        let t = match k {
            "eventpoll" => FdType::EventPoll,
            "eventfd" => FdType::Event,
            "inotify" => FdType::Inotify,
            "signalfd" => FdType::SignalFd,
            "timerfd" => FdType::TimerFd,
            "userfaultfd" => FdType::UserFaultFd,
            "io_uring" => FdType::IoUring,
            "pidfd" => FdType::PidFd,
            k if k.starts_with("bpf") => FdType::Bpf,
            _ => FdType::Unknown,
        };
        return (t, FdDetail::Named(String::new()));
    }
    if target.starts_with("/memfd:") {
        return (FdType::MemFd, FdDetail::Named(target.to_string()));
    }
    if meta.is_some_and(|m| m.is_dir()) {
        return (FdType::Directory, FdDetail::Named(target.to_string()));
    }
    if target.starts_with('/') {
        let (flags, mount_id) = fdinfo(pid, fd);
        let dev = meta.map(|m| m.dev() as u32).unwrap_or(0);
        return (
            FdType::File,
            FdDetail::File { name: target.to_string(), open_flags: open_flags_to_ppm(flags), mount_id, dev },
        );
    }
    (FdType::Unknown, FdDetail::Named(target.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_net_tcp() {
        let text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 12346 1 0000000000000000 100 0 0 10 0\n";
        let mut t = SocketTable::default();
        t.parse_inet(text, L4_TCP);
        assert_eq!(
            t.by_ino[&12345],
            SockInfo::V4 { local: [127, 0, 0, 1], lport: 8080, remote: [0; 4], rport: 0, proto: L4_TCP, listen: true }
        );
        assert_eq!(
            t.by_ino[&12346],
            SockInfo::V4 { local: [127, 0, 0, 1], lport: 50000, remote: [127, 0, 0, 1], rport: 8080, proto: L4_TCP, listen: false }
        );
    }

    #[test]
    fn parses_ipv6_and_unix() {
        let mut t = SocketTable::default();
        t.parse_inet("hdr\n 0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 777 1\n", L4_TCP);
        let mut lo = [0u8; 16];
        lo[15] = 1;
        assert_eq!(t.by_ino[&777], SockInfo::V6 { local: lo, lport: 22, remote: [0; 16], rport: 0, proto: L4_TCP, listen: true });
        t.parse_unix("Num       RefCount Protocol Flags    Type St Inode Path\nffff888100a1b000: 00000002 00000000 00010000 0001 01 999 /run/x.sock\n");
        assert_eq!(t.by_ino[&999], SockInfo::Unix { addr: 0xffff888100a1b000, path: "/run/x.sock".into() });
    }

    #[test]
    fn parses_passwd_group_cgroups() {
        let u = parse_passwd("root:x:0:0:root:/root:/bin/bash\nbad line\n");
        assert_eq!(u.len(), 1);
        assert_eq!((u[0].uid, u[0].name.as_str(), u[0].shell.as_str()), (0, "root", "/bin/bash"));
        let g = parse_group("wheel:x:10:a,b\n");
        assert_eq!((g[0].gid, g[0].name.as_str()), (10, "wheel"));
        let c = cgroups_from_proc("4:cpu,cpuacct:/user\n1:name=systemd:/init\n3::/skipped\n0::/docker/x\n");
        assert_eq!(c, b"cpu=/user\0cpuacct=/user\0name=systemd=/init\0cpu=/docker/x\0memory=/docker/x\0cpuset=/docker/x\0");
    }

    #[test]
    fn snapshot_has_self() {
        let recs = snapshot(false).unwrap();
        assert!(matches!(recs.first(), Some(Record::Machine(m)) if m.num_cpus > 0));
        let me = std::process::id() as i64;
        let p = recs.iter().find_map(|r| match r {
            Record::Process(p) if p.tid == me => Some(p),
            _ => None,
        });
        let p = p.expect("own process in snapshot");
        assert_eq!(p.pid, me);
        assert!(!p.cwd.is_empty());
        assert!(recs.iter().any(|r| matches!(r, Record::Fd(f) if f.tid == me)));
    }

    #[test]
    fn environment_cut_as_libscap_unless_whole() {
        let me = std::process::id() as i64;
        let whole = std::fs::read(format!("/proc/{me}/environ")).unwrap();
        let cut = process(me, me, false).unwrap().unwrap().env;
        if whole.len() >= ENV_MAX {
            assert_eq!(cut.len(), ENV_MAX);
            assert_eq!((&cut[..ENV_MAX - 1], cut[ENV_MAX - 1]), (&whole[..ENV_MAX - 1], 0));
        } else {
            assert_eq!(cut, whole);
        }
        assert_eq!(process(me, me, true).unwrap().unwrap().env, whole);
    }

    #[test]
    fn open_flags() {
        assert_eq!(open_flags_to_ppm(0), 1);
        assert_eq!(open_flags_to_ppm(0o2 | 0o100 | 0o2000000), 3 | 4 | (1 << 12));
    }
}
