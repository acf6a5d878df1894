//! Writer of scap 1.2 capture files that sysdig 0.29.3 reads back.
//!
//! Block layout follows the libscap dumper sysdig 0.29.3 is built with: a
//! section header, then machine info (MI), interfaces (IL_V2), users and
//! groups (UL_V2), threads (PL_V9), one FDL_V2 block per thread, and the
//! events as EV_V2 / EVF_V2 (or their `_LARGE` variants) blocks. Every block
//! is padded to 4 bytes and ends with its length.
//!
//! Output can be plain, gzip (what `sysdig -z` writes) or an lz4 frame.
//! [`cycle`] holds the file-rotation policy behind `-C`, `-G`, `-W` and `-e`.

pub mod background;
pub mod cycle;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::event::Event;
use crate::source::records::*;

/// Block type numbers written (a subset of what the reader understands).
mod bt {
    pub const SHB: u32 = 0x0A0D_0D0A;
    pub const MI: u32 = 0x201;
    pub const PL_V9: u32 = 0x215;
    pub const FDL_V2: u32 = 0x218;
    pub const IL_V2: u32 = 0x219;
    pub const UL_V2: u32 = 0x220;
    pub const EV_V2: u32 = 0x216;
    pub const EVF_V2: u32 = 0x217;
    pub const EV_V2_LARGE: u32 = 0x221;
    pub const EVF_V2_LARGE: u32 = 0x222;
}

/// Output compression.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compression {
    /// Plain scap.
    #[default]
    None,
    /// One gzip stream (as `sysdig -z` writes).
    Gzip,
    /// An lz4 frame.
    Lz4,
}

/// Largest event that fits a non-large block (libscap's 64 KiB read buffer).
const MAX_SMALL_BLOCK: usize = 1 << 16;
const MAX_PATH: usize = 1024;
const MAX_CREDENTIALS: usize = 256;

/// Counts uncompressed bytes on their way to the encoder.
struct Counter<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Sink {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(flate2::write::GzEncoder<BufWriter<Box<dyn Write + Send>>>),
    Lz4(lz4_flex::frame::FrameEncoder<BufWriter<Box<dyn Write + Send>>>),
    /// One of the above, written (and compressed) on its own thread.
    Background(background::Background),
}

impl Sink {
    fn new(w: Box<dyn Write + Send>, compression: Compression) -> Sink {
        let buffered = BufWriter::with_capacity(256 * 1024, w);
        match compression {
            Compression::None => Sink::Plain(buffered),
            Compression::Gzip => Sink::Gzip(flate2::write::GzEncoder::new(buffered, flate2::Compression::default())),
            Compression::Lz4 => Sink::Lz4(lz4_flex::frame::FrameEncoder::new(buffered)),
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Plain(mut w) => w.flush(),
            Sink::Gzip(w) => w.finish()?.flush(),
            Sink::Lz4(w) => w.finish().map_err(io::Error::other)?.flush(),
            Sink::Background(b) => b.finish(),
        }
    }
}

impl background::Finish for Sink {
    fn finish_stream(self: Box<Self>) -> io::Result<()> {
        (*self).finish()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
            Sink::Lz4(w) => w.write(buf),
            Sink::Background(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
            Sink::Lz4(w) => w.flush(),
            Sink::Background(w) => w.flush(),
        }
    }
}

/// Streaming scap writer. Call the table writers first (any subset, in the
/// order sysdig uses: machine, interfaces, users, processes, fds), then
/// [`ScapWriter::write_event`] for each event, then [`ScapWriter::finish`].
pub struct ScapWriter {
    out: Counter<Sink>,
    /// Reusable block assembly buffer.
    block: Vec<u8>,
    events: u64,
}

/// Appends little-endian integers and length-prefixed strings.
trait Put {
    fn u8(&mut self, v: u8);
    fn u16(&mut self, v: u16);
    fn u32(&mut self, v: u32);
    fn u64(&mut self, v: u64);
    /// u16 length + bytes, cut at `max` bytes and at the first NUL (C `strnlen`).
    fn cstr(&mut self, s: &[u8], max: usize);
    /// u16 length + raw bytes (args/env/cgroups), cut to fit a u16.
    fn blob(&mut self, b: &[u8], max: usize);
}

impl Put for Vec<u8> {
    fn u8(&mut self, v: u8) {
        self.push(v)
    }
    fn u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes())
    }
    fn u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes())
    }
    fn cstr(&mut self, s: &[u8], max: usize) {
        let s = &s[..s.len().min(max)];
        let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
        self.u16(s.len() as u16);
        self.extend_from_slice(s);
    }
    fn blob(&mut self, b: &[u8], max: usize) {
        let b = &b[..b.len().min(max).min(u16::MAX as usize)];
        self.u16(b.len() as u16);
        self.extend_from_slice(b);
    }
}

static CREATE_MODE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0o600);

/// Sets the mode of the capture files created from now on (`--file-mode`).
pub fn set_create_mode(mode: u32) {
    CREATE_MODE.store(mode & 0o777, std::sync::atomic::Ordering::Relaxed);
}

/// The mode capture files are created with (default 0600).
pub fn create_mode() -> u32 {
    CREATE_MODE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Creates (or truncates) `path` with mode [`create_mode`].
pub fn create_private(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mode = create_mode();
    let f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(mode).open(path)?;
    // A file that already existed keeps its old mode through open(): set it.
    // Devices and pipes (-w /dev/stdout) are left alone.
    if f.metadata()?.is_file() {
        // Best effort: a file owned by someone else keeps its mode.
        let _ = f.set_permissions(std::fs::Permissions::from_mode(mode));
    }
    Ok(f)
}

/// Appends one event as an EV_V2/EVF_V2 block (or its `_LARGE` variant) to
/// `b`; returns the block's length.
fn event_block(b: &mut Vec<u8>, e: &Event<'_>) -> usize {
    let len = crate::event::HEADER_LEN_V2 + e.body.len();
    let flags_len = if e.flags != 0 { 4 } else { 0 };
    let total = block_len(2 + flags_len + len);
    let large = e.large || total - 8 > MAX_SMALL_BLOCK;
    let ty = match (e.flags != 0, large) {
        (false, false) => bt::EV_V2,
        (true, false) => bt::EVF_V2,
        (false, true) => bt::EV_V2_LARGE,
        (true, true) => bt::EVF_V2_LARGE,
    };
    let start = b.len();
    b.reserve(total);
    b.u32(ty);
    b.u32(total as u32);
    b.u16(e.cpu);
    if e.flags != 0 {
        b.u32(e.flags);
    }
    b.u64(e.ts);
    b.u64(e.tid as u64);
    b.u32(len as u32);
    b.u16(e.etype);
    b.u32(e.nparams);
    b.extend_from_slice(e.body);
    b.resize(start + total - 4, 0);
    b.u32(total as u32);
    total
}

/// Length of a block whose body is `body` bytes, padded to 4 bytes.
fn block_len(body: usize) -> usize {
    (8 + body + 4 + 3) & !3
}

/// The fd type written for `t`: types newer than sysdig 0.29.3 become
/// "unsupported".
#[inline]
fn written_fd_type(t: FdType) -> FdType {
    match t {
        FdType::Bpf | FdType::UserFaultFd | FdType::IoUring | FdType::MemFd | FdType::PidFd => FdType::Unsupported,
        t => t,
    }
}

/// The name an fd detail carries (empty for the socket details).
fn fd_name(d: &FdDetail) -> Vec<u8> {
    match d {
        FdDetail::Named(n) => n.as_bytes().to_vec(),
        FdDetail::File { name, .. } => name.as_bytes().to_vec(),
        FdDetail::Unix { name, .. } => name.as_bytes().to_vec(),
        _ => Vec::new(),
    }
}

/// Appends the type-specific part of an fd entry whose type byte `ty` was
/// just written (the last byte of `b`): addresses for sockets, source/dest
/// and name for unix sockets, flags, name and device for files, else the
/// name. A socket type without its address detail is rewritten as
/// "unsupported" with a name.
#[inline]
fn put_fd_detail(b: &mut Vec<u8>, detail: &FdDetail, ty: FdType) {
    match (detail, ty) {
        (FdDetail::Ipv4 { sip, dip, sport, dport, l4proto }, FdType::Ipv4Sock) => {
            b.extend_from_slice(sip);
            b.extend_from_slice(dip);
            b.u16(*sport);
            b.u16(*dport);
            b.u8(*l4proto);
        }
        (FdDetail::Ipv4Server { ip, port, l4proto }, FdType::Ipv4ServSock) => {
            b.extend_from_slice(ip);
            b.u16(*port);
            b.u8(*l4proto);
        }
        (FdDetail::Ipv6 { sip, dip, sport, dport, l4proto }, FdType::Ipv6Sock) => {
            b.extend_from_slice(sip);
            b.extend_from_slice(dip);
            b.u16(*sport);
            b.u16(*dport);
            b.u8(*l4proto);
        }
        (FdDetail::Ipv6Server { ip, port, l4proto }, FdType::Ipv6ServSock) => {
            b.extend_from_slice(ip);
            b.u16(*port);
            b.u8(*l4proto);
        }
        (d, FdType::UnixSock) => {
            let (s, t) = match d {
                FdDetail::Unix { source, dest, .. } => (*source, *dest),
                _ => (0, 0),
            };
            b.u64(s);
            b.u64(t);
            b.cstr(&fd_name(d), MAX_PATH - 1);
        }
        (d, FdType::FileV2) => {
            let (flags, dev) = match d {
                FdDetail::File { open_flags, dev, .. } => (*open_flags, *dev),
                _ => (0, 0),
            };
            b.u32(flags);
            b.cstr(&fd_name(d), MAX_PATH - 1);
            b.u32(dev);
        }
        (d, FdType::Ipv4Sock | FdType::Ipv4ServSock | FdType::Ipv6Sock | FdType::Ipv6ServSock) => {
            // Socket type without matching address detail: keep it as a named fd.
            let at_type = b.len() - 1;
            b[at_type] = FdType::Unsupported as u8;
            b.cstr(&fd_name(d), MAX_PATH - 1);
        }
        (d, _) => b.cstr(&fd_name(d), MAX_PATH - 1),
    }
}

impl ScapWriter {
    /// Creates `path` and writes the section header.
    ///
    /// The file is created with mode [`create_mode`] (0600 unless the user
    /// asked otherwise): a capture holds every byte processes read and wrote.
    /// An existing file is truncated and given that mode too.
    pub fn create(path: impl AsRef<Path>, compression: Compression) -> io::Result<ScapWriter> {
        let f = create_private(path.as_ref())?;
        ScapWriter::new(f, compression)
    }

    /// Writes a capture to `w`, starting with the section header.
    pub fn new(w: impl Write + Send + 'static, compression: Compression) -> io::Result<ScapWriter> {
        ScapWriter::start(Sink::new(Box::new(w), compression))
    }

    /// Like [`ScapWriter::new`], but the output (and its compression) runs
    /// on its own thread, which flushes it at least once a second (see
    /// [`background`]): for live captures.
    pub fn new_background(w: impl Write + Send + 'static, compression: Compression) -> io::Result<ScapWriter> {
        let inner = Sink::new(Box::new(w), compression);
        ScapWriter::start(Sink::Background(background::Background::spawn(Box::new(inner))?))
    }

    fn start(sink: Sink) -> io::Result<ScapWriter> {
        let mut wr = ScapWriter { out: Counter { inner: sink, written: 0 }, block: Vec::new(), events: 0 };
        wr.begin();
        wr.block.u32(0x1A2B_3C4D);
        wr.block.u16(1);
        wr.block.u16(2);
        wr.block.u64(u64::MAX);
        wr.end(bt::SHB)?;
        Ok(wr)
    }

    /// Uncompressed bytes written so far (what `-C` compares against).
    pub fn bytes_written(&self) -> u64 {
        self.out.written
    }

    /// Events written so far.
    pub fn events_written(&self) -> u64 {
        self.events
    }

    fn begin(&mut self) {
        self.block.clear();
        self.block.extend_from_slice(&[0u8; 8]);
    }

    /// Pads, fills in the header, appends the trailer and writes the block.
    fn end(&mut self, block_type: u32) -> io::Result<()> {
        let body = self.block.len() - 8;
        let total = block_len(body);
        if total > u32::MAX as usize {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "block too large"));
        }
        self.block.resize(total - 4, 0);
        self.block.u32(total as u32);
        self.block[0..4].copy_from_slice(&block_type.to_le_bytes());
        self.block[4..8].copy_from_slice(&(total as u32).to_le_bytes());
        self.out.write_all(&self.block)
    }

    /// Machine-info block.
    pub fn write_machine_info(&mut self, m: &MachineInfo) -> io::Result<()> {
        self.begin();
        self.block.u32(m.num_cpus);
        self.block.u64(m.memory_size_bytes);
        self.block.u64(m.max_pid);
        let mut host = [0u8; 128];
        let h = m.hostname.as_bytes();
        let n = h.len().min(127);
        host[..n].copy_from_slice(&h[..n]);
        self.block.extend_from_slice(&host);
        self.block.u64(m.boot_ts_epoch);
        self.block.u64(m.flags);
        self.block.u64(0);
        self.block.u64(0);
        self.end(bt::MI)
    }

    /// Interface-list block (IL_V2): IPv4 entries first, then IPv6, as libscap does.
    pub fn write_interfaces(&mut self, ifs: &[InterfaceRecord]) -> io::Result<()> {
        self.begin();
        let v4 = ifs.iter().filter(|i| matches!(i, InterfaceRecord::V4 { .. }));
        let v6 = ifs.iter().filter(|i| matches!(i, InterfaceRecord::V6 { .. }));
        for i in v4.chain(v6) {
            let (ty, name, addrs): (u16, &str, Vec<u8>) = match i {
                InterfaceRecord::V4 { name, addr, netmask, bcast } => {
                    (1, name, [&addr[..], &netmask[..], &bcast[..]].concat())
                }
                InterfaceRecord::V6 { name, addr, netmask, bcast } => {
                    (2, name, [&addr[..], &netmask[..], &bcast[..]].concat())
                }
            };
            let name = &name.as_bytes()[..name.len().min(MAX_PATH - 1)];
            let entry = 2 + 2 + addrs.len() + 8 + name.len();
            self.block.u32(entry as u32);
            self.block.u16(ty);
            self.block.u16(name.len() as u16);
            self.block.extend_from_slice(&addrs);
            self.block.u64(0); // linkspeed
            self.block.extend_from_slice(name);
        }
        self.end(bt::IL_V2)
    }

    /// User-list block (UL_V2): users then groups.
    pub fn write_users(&mut self, users: &[UserRecord], groups: &[GroupRecord]) -> io::Result<()> {
        self.begin();
        let max = MAX_CREDENTIALS - 1;
        for u in users {
            let at = self.block.len();
            self.block.u32(0);
            self.block.u8(0);
            self.block.u32(u.uid);
            self.block.u32(u.gid);
            self.block.cstr(u.name.as_bytes(), max);
            self.block.cstr(u.homedir.as_bytes(), max);
            self.block.cstr(u.shell.as_bytes(), max);
            self.patch_len(at);
        }
        for g in groups {
            let at = self.block.len();
            self.block.u32(0);
            self.block.u8(1);
            self.block.u32(g.gid);
            self.block.cstr(g.name.as_bytes(), max);
            self.patch_len(at);
        }
        self.end(bt::UL_V2)
    }

    /// Writes the length of the entry starting at `at` (length field included).
    fn patch_len(&mut self, at: usize) {
        let len = (self.block.len() - at) as u32;
        self.block[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }

    /// Process-list block (PL_V9, the layout sysdig 0.29.3 writes: up to `exe_writable`).
    pub fn write_processes(&mut self, procs: &[ProcRecord]) -> io::Result<()> {
        self.begin();
        for p in procs {
            let b = &mut self.block;
            let at = b.len();
            b.u32(0);
            b.u64(p.tid as u64);
            b.u64(p.pid as u64);
            b.u64(p.ptid as u64);
            b.u64(p.sid as u64);
            b.u64(p.vpgid as u64);
            b.cstr(p.comm.as_bytes(), MAX_PATH);
            b.cstr(p.exe.as_bytes(), MAX_PATH);
            b.cstr(p.exepath.as_bytes(), MAX_PATH);
            b.blob(&p.args, 4096);
            b.cstr(p.cwd.as_bytes(), MAX_PATH);
            b.u64(p.fdlimit as u64);
            b.u32(p.flags);
            b.u32(p.uid);
            b.u32(p.gid);
            b.u32(p.vmsize_kb);
            b.u32(p.vmrss_kb);
            b.u32(p.vmswap_kb);
            b.u64(p.pfmajor);
            b.u64(p.pfminor);
            b.blob(&p.env, 4096);
            b.u64(p.vtid as u64);
            b.u64(p.vpid as u64);
            b.blob(&p.cgroups, 4096);
            b.cstr(p.root.as_bytes(), MAX_PATH);
            b.u32(p.loginuid);
            b.u8(p.exe_writable as u8);
            self.patch_len(at);
        }
        self.end(bt::PL_V9)
    }

    /// Fd-list block (FDL_V2) for thread `tid`. Fds of unknown type are
    /// skipped (libscap does the same); types newer than sysdig 0.29.3
    /// (bpf, userfaultfd, io_uring, memfd, pidfd) are written as "unsupported".
    pub fn write_fds(&mut self, tid: i64, fds: &[FdRecord]) -> io::Result<()> {
        self.begin();
        self.block.u64(tid as u64);
        for f in fds {
            if matches!(f.fdtype, FdType::Unknown | FdType::Unitialized) {
                continue;
            }
            let ty = written_fd_type(f.fdtype);
            let b = &mut self.block;
            let at = b.len();
            b.u32(0);
            b.u64(f.fd as u64);
            b.u64(f.ino);
            b.u8(ty as u8);
            put_fd_detail(b, &f.detail, ty);
            self.patch_len(at);
        }
        self.end(bt::FDL_V2)
    }

    /// Writes every table of a record set in sysdig's order; fds are grouped per thread.
    pub fn write_records(&mut self, records: &[Record]) -> io::Result<()> {
        let mut machine = None;
        let (mut ifs, mut users, mut groups, mut procs) = (vec![], vec![], vec![], vec![]);
        let mut fds: Vec<(i64, Vec<FdRecord>)> = Vec::new();
        for r in records {
            match r {
                Record::Machine(m) => machine = Some(m),
                Record::Interface(i) => ifs.push(i.clone()),
                Record::User(u) => users.push(u.clone()),
                Record::Group(g) => groups.push(g.clone()),
                Record::Process(p) => procs.push((**p).clone()),
                Record::Fd(f) => match fds.last_mut() {
                    Some((tid, v)) if *tid == f.tid => v.push(f.clone()),
                    _ => fds.push((f.tid, vec![f.clone()])),
                },
            }
        }
        if let Some(m) = machine {
            self.write_machine_info(m)?;
        }
        if !ifs.is_empty() {
            self.write_interfaces(&ifs)?;
        }
        if !users.is_empty() || !groups.is_empty() {
            self.write_users(&users, &groups)?;
        }
        if !procs.is_empty() {
            self.write_processes(&procs)?;
        }
        for (tid, v) in &fds {
            self.write_fds(*tid, v)?;
        }
        Ok(())
    }

    /// Writes one event as an EV_V2/EVF_V2 block (the `_LARGE` variant when
    /// the event uses 32-bit lengths or exceeds 64 KiB). The body is copied
    /// byte for byte; v1 events gain the `nparams` header field. A background
    /// writer gets the block assembled straight in its buffer.
    pub fn write_event(&mut self, e: &Event<'_>) -> io::Result<()> {
        let len = crate::event::HEADER_LEN_V2 + e.body.len();
        if len > u32::MAX as usize - 64 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "event too large"));
        }
        self.events += 1;
        if let Sink::Background(bg) = &mut self.out.inner {
            let n = bg.append(|buf| event_block(buf, e))?;
            self.out.written += n as u64;
            return Ok(());
        }
        self.block.clear();
        event_block(&mut self.block, e);
        self.out.write_all(&self.block)
    }

    /// Flushes buffers and finishes the compressed stream.
    pub fn finish(self) -> io::Result<()> {
        self.out.inner.finish()
    }
}
