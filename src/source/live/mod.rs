//! Live capture with eBPF: loads the CO-RE probe (`probe/rchisel.bpf.c`) with
//! aya, attaches it to the raw tracepoints, and turns its per-CPU ring
//! buffers into [`Item`]s: first the /proc snapshot as records, then events in
//! timestamp order.
//!
//! The probe already encodes every event in the scap v2 layout; each ring
//! record is an 8-byte prefix (CPU number) followed by the event (or by a
//! syscall's enter and exit events back to back), so handing an event on is
//! a copy.

mod procinfo;
mod reorder;

use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aya::maps::{MapData, PerCpuArray, RingBuf};
use aya::programs::{BtfTracePoint, RawTracePoint};
use aya::{Ebpf, EbpfLoader};

use super::{Item, Record, Source, SourceError};
use crate::event::{Event, HEADER_LEN_V2, validate_body};
use reorder::Reorder;

/// The compiled probe (empty when the build had no clang; see build/probe.rs).
static PROBE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rchisel.bpf.o"));
/// Why the probe is missing, when it is.
const PROBE_ERROR: &str = env!("RCHISEL_PROBE_ERROR");

/// Bytes before the scap header in each ring record.
const PREFIX: usize = 8;
/// The probe's ring buffers (probe/rchisel.bpf.c: RINGS); CPU `c` writes
/// `RING_NAMES[c % 16]`.
const RING_NAMES: [&str; 16] = [
    "rch_ev0", "rch_ev1", "rch_ev2", "rch_ev3", "rch_ev4", "rch_ev5", "rch_ev6", "rch_ev7", "rch_ev8", "rch_ev9",
    "rch_ev10", "rch_ev11", "rch_ev12", "rch_ev13", "rch_ev14", "rch_ev15",
];
/// Events stamped this long before a drain may still be on their way into a
/// ring (an event being built, one CPU's record behind another's): only older
/// ones are delivered after that drain. Held enter events are waited for
/// exactly instead (see `held_floor`).
const REORDER_WINDOW_NS: u64 = 10_000_000;
/// Least time between two drains of the ring buffer (well inside the
/// reorder window, so it delays no event).
const DRAIN_INTERVAL_NS: u64 = 2_000_000;

/// BTF-typed raw tracepoints the probe attaches to: (program, tracepoint).
/// sys_enter goes last: attaching takes a while, and a capture that starts
/// with exits whose enters it missed is normal, while enters whose exits were
/// not yet traced would show syscalls that never return.
const BTF_ATTACH: [(&str, &str); 4] = [
    ("rch_sched_switch", "sched_switch"),
    ("rch_signal_deliver", "signal_deliver"),
    ("rch_sys_exit", "sys_exit"),
    ("rch_sys_enter", "sys_enter"),
];

/// Page-fault tracepoints, attached only when asked for (sysdig's `--page-faults`).
const PAGE_FAULT_ATTACH: [(&str, &str); 2] =
    [("rch_page_fault_user", "page_fault_user"), ("rch_page_fault_kernel", "page_fault_kernel")];

/// Raw tracepoints the probe attaches to: (program, tracepoint).
const ATTACH: [(&str, &str); 2] = [
    ("rch_sched_exit", "sched_process_exit"),
    ("rch_sched_exec", "sched_process_exec"),
];

/// A CPU's enter event held in the probe for its exit (probe/rchisel.bpf.c:
/// struct pending).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    /// Record bytes; 0 when nothing is held.
    len: u32,
    tid: u32,
    /// The held event's timestamp (boot-time ns plus the epoch offset).
    ts: u64,
}

// SAFETY: plain old data: repr(C), integers only, no padding (4 + 4 + 8).
unsafe impl aya::Pod for Pending {}

/// A held event older than this is not waited for (a syscall spinning in the
/// kernel that long would otherwise stall delivery and grow the queue).
const HELD_WAIT_MAX_NS: u64 = 2_000_000_000;

/// Capture settings.
#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// Bytes of I/O buffers kept per event (sysdig's `-s`, default 80).
    pub snaplen: u32,
    /// Ring buffer bytes in all, shared out among the per-CPU rings (each
    /// gets a power of two, at least 64 KiB).
    pub ring_bytes: u32,
    /// Emit the /proc snapshot records before the events.
    pub snapshot: bool,
    /// When set, generic events whose syscall code (`ID`) is `>=` this limit
    /// carry 0 (unknown) instead: sysdig 0.29.3 knows codes below 329
    /// ([`SYSDIG_0_29_SC_LIMIT`]) and crashes on larger ones.
    pub sc_limit: Option<u16>,
    /// Record user and kernel page faults (sysdig's `--page-faults`).
    pub page_faults: bool,
}

/// First PPM_SC code unknown to sysdig 0.29.3 (libs e5c53d648's PPM_SC_MAX).
pub const SYSDIG_0_29_SC_LIMIT: u16 = 329;

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig { snaplen: 80, ring_bytes: 64 << 20, snapshot: true, sc_limit: None, page_faults: false }
    }
}

/// Why live capture could not start.
#[derive(Debug)]
pub enum LiveError {
    /// Not running as root (or without CAP_BPF + CAP_PERFMON).
    NotPermitted(String),
    /// The kernel has no BTF (/sys/kernel/btf/vmlinux), needed by the CO-RE probe.
    NoBtf,
    /// This binary was built without the probe (no clang at build time).
    NoProbe(String),
    /// The kernel refused to load the probe or attach a tracepoint.
    Kernel(String),
}

impl std::fmt::Display for LiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveError::NotPermitted(m) => write!(f, "live capture needs root privileges: {m}"),
            LiveError::NoBtf => write!(
                f,
                "live capture needs a kernel with BTF (/sys/kernel/btf/vmlinux is missing; CONFIG_DEBUG_INFO_BTF=y)"
            ),
            LiveError::NoProbe(m) => write!(f, "this rchisel was built without its eBPF probe: {m}"),
            LiveError::Kernel(m) => write!(f, "cannot start the eBPF probe: {m}"),
        }
    }
}

impl std::error::Error for LiveError {}

impl From<LiveError> for SourceError {
    fn from(e: LiveError) -> SourceError {
        SourceError { offset: 0, message: e.to_string() }
    }
}

/// A running live capture. Dropping it detaches the probe.
pub struct LiveSource {
    // Field order matters for drop: maps before the Ebpf object that owns programs.
    /// One ring per CPU (CPUs past 16 share), by index.
    rings: Vec<RingBuf<MapData>>,
    counters: PerCpuArray<MapData, u64>,
    pending: PerCpuArray<MapData, Pending>,
    /// Timestamp of the oldest enter event the probe held (not yet in a
    /// ring) when the last drain began; u64::MAX when none.
    held_floor: u64,
    _bpf: Ebpf,
    stop: Arc<AtomicBool>,
    records: std::collections::VecDeque<Record>,
    queue: Reorder,
    cur: Vec<u8>,
    num: u64,
    /// Records taken from the ring buffer (events the probe wrote).
    received: u64,
    /// When the ring buffer was last drained (same clock as event times).
    last_drain_ns: u64,
    boot_ns: u64,
    finished: bool,
    /// procinfo events made from /proc once a second (see procinfo.rs).
    procinfo: procinfo::ProcInfo,
}

/// Nanoseconds of a clock.
fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl LiveSource {
    /// Loads and attaches the probe, then takes the /proc snapshot.
    pub fn start(cfg: &LiveConfig) -> Result<LiveSource, LiveError> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err(LiveError::NotPermitted("run rchisel as root (sudo)".into()));
        }
        if !std::path::Path::new("/sys/kernel/btf/vmlinux").exists() {
            return Err(LiveError::NoBtf);
        }
        if PROBE.is_empty() {
            return Err(LiveError::NoProbe(PROBE_ERROR.to_string()));
        }
        let boot_ns = clock_ns(libc::CLOCK_REALTIME).saturating_sub(clock_ns(libc::CLOCK_BOOTTIME));
        let pid = std::process::id();
        let snaplen = cfg.snaplen.min(4095);
        let nrings = aya::util::nr_cpus().unwrap_or(RING_NAMES.len()).clamp(1, RING_NAMES.len());
        let per_ring = prev_power_of_two((cfg.ring_bytes / nrings as u32).max(1 << 16));
        // SAFETY: sysconf has no preconditions.
        let page = (unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u32).max(4096);
        let sc_limit = cfg.sc_limit.unwrap_or(0) as u32;
        // The ELF parser needs 8-byte aligned data; include_bytes! gives no alignment.
        let mut words = vec![0u64; PROBE.len().div_ceil(8)];
        // SAFETY: `words` owns at least PROBE.len() initialised bytes; u8 has no alignment needs.
        let aligned = unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr() as *mut u8, PROBE.len()) };
        aligned.copy_from_slice(PROBE);
        let mut loader = EbpfLoader::new();
        loader
            .set_global("rch_self_tgid", &pid, true)
            .set_global("rch_snaplen", &snaplen, true)
            .set_global("rch_boot_ns", &boot_ns, true)
            .set_global("rch_sc_limit", &sc_limit, true);
        for (i, name) in RING_NAMES.iter().enumerate() {
            // Rings no CPU writes keep one page.
            loader.set_max_entries(name, if i < nrings { per_ring } else { page });
        }
        let mut bpf = loader
            .load(aligned)
            .map_err(|e| LiveError::Kernel(format!("loading the probe: {}", error_chain(&e))))?;
        let btf = aya::Btf::from_sys_fs().map_err(|e| LiveError::Kernel(format!("reading kernel BTF: {e}")))?;
        for (prog, tp) in ATTACH {
            let p: &mut RawTracePoint = bpf
                .program_mut(prog)
                .ok_or_else(|| LiveError::Kernel(format!("probe has no program {prog}")))?
                .try_into()
                .map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?;
            p.load().map_err(|e| LiveError::Kernel(format!("verifier rejected {prog}: {}", error_chain(&e))))?;
            p.attach(tp)
                .map_err(|e| LiveError::Kernel(format!("attach to tracepoint {tp}: {}", error_chain(&e))))?;
        }
        let faults: &[(&str, &str)] = if cfg.page_faults { &PAGE_FAULT_ATTACH } else { &[] };
        for &(prog, tp) in faults.iter().chain(BTF_ATTACH.iter()) {
            let p: &mut BtfTracePoint = bpf
                .program_mut(prog)
                .ok_or_else(|| LiveError::Kernel(format!("probe has no program {prog}")))?
                .try_into()
                .map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?;
            p.load(tp, &btf)
                .map_err(|e| LiveError::Kernel(format!("verifier rejected {prog}: {}", error_chain(&e))))?;
            p.attach().map_err(|e| LiveError::Kernel(format!("attach to tracepoint {tp}: {}", error_chain(&e))))?;
        }
        let mut rings = Vec::with_capacity(nrings);
        for name in &RING_NAMES[..nrings] {
            let map = bpf.take_map(name).ok_or_else(|| LiveError::Kernel(format!("probe has no ring buffer {name}")))?;
            rings.push(RingBuf::try_from(map).map_err(|e| LiveError::Kernel(format!("ring buffer {name}: {e}")))?);
        }
        let counters = PerCpuArray::try_from(
            bpf.take_map("rch_counters").ok_or_else(|| LiveError::Kernel("probe has no counters".into()))?,
        )
        .map_err(|e| LiveError::Kernel(format!("counters: {e}")))?;
        let pending = PerCpuArray::try_from(
            bpf.take_map("rch_pending").ok_or_else(|| LiveError::Kernel("probe has no pending map".into()))?,
        )
        .map_err(|e| LiveError::Kernel(format!("pending map: {e}")))?;
        let records = if cfg.snapshot { super::procfs::snapshot().into() } else { Default::default() };
        Ok(LiveSource {
            rings,
            counters,
            pending,
            held_floor: u64::MAX,
            _bpf: bpf,
            stop: Arc::new(AtomicBool::new(false)),
            records,
            queue: Reorder::default(),
            cur: Vec::new(),
            num: 0,
            received: 0,
            last_drain_ns: 0,
            boot_ns,
            finished: false,
            procinfo: procinfo::ProcInfo::default(),
        })
    }

    /// A flag that ends the capture when set (e.g. from a Ctrl-C handler):
    /// the source then drains what the probe already wrote and returns `Ok(None)`.
    pub fn stop_handle(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Asks the capture to end (same as setting [`LiveSource::stop_handle`]).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// `(events, drops)` so far: events the probe produced (taken from the
    /// ring buffer, plus lost), and events lost because the ring buffer was
    /// full (sysdig's `Driver Events` / `Driver Drops`).
    pub fn stats(&self) -> (u64, u64) {
        let drops: u64 = self.counters.get(&1, 0).map(|v| v.iter().copied().sum()).unwrap_or(0);
        (self.received + drops, drops)
    }

    /// Moves every event available in the ring buffers into the reorder queue.
    /// A record holds one event, or a syscall's enter and exit events back to
    /// back (the probe sends them together): each goes in on its own, behind
    /// the record's prefix.
    fn drain_rings(&mut self) -> usize {
        let mut n = 0;
        for (r, ring) in self.rings.iter_mut().enumerate() {
            while let Some(item) = ring.next() {
                let rec: &[u8] = &item;
                let (prefix, body) = rec.split_at(PREFIX.min(rec.len()));
                match second_event_at(rec) {
                    None => self.queue.push(r, prefix, body),
                    Some(at) => {
                        self.queue.push(r, prefix, &rec[PREFIX..at]);
                        self.queue.push(r, prefix, &rec[at..]);
                        n += 1;
                    }
                }
                n += 1;
            }
        }
        self.received += n as u64;
        n
    }

    /// Timestamp of the oldest enter event a CPU holds for its exit (not
    /// older than [`HELD_WAIT_MAX_NS`] before `now`), or u64::MAX.
    fn oldest_held(&self, now: u64) -> u64 {
        let Ok(v) = self.pending.get(&0, 0) else { return u64::MAX };
        v.iter()
            .filter(|p| p.len != 0 && p.ts.saturating_add(HELD_WAIT_MAX_NS) > now)
            .map(|p| p.ts)
            .min()
            .unwrap_or(u64::MAX)
    }

    /// Waits up to `ms` for a ring buffer to become readable.
    fn wait(&self, ms: i32) {
        let mut pfds: Vec<libc::pollfd> =
            self.rings.iter().map(|r| libc::pollfd { fd: r.as_raw_fd(), events: libc::POLLIN, revents: 0 }).collect();
        // SAFETY: `pfds` holds pfds.len() valid pollfds; the timeout is bounded.
        unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, ms) };
    }

    /// Validates `self.cur` and builds the event view over it.
    fn event(&mut self) -> Result<Event<'_>, SourceError> {
        let b = &self.cur;
        let bad = |m: &str| SourceError { offset: 0, message: format!("probe wrote a malformed event: {m}") };
        if b.len() < PREFIX + HEADER_LEN_V2 {
            return Err(bad("short record"));
        }
        let h = &b[PREFIX..];
        let cpu = u16::from_le_bytes([b[0], b[1]]);
        let ts = u64::from_le_bytes(h[0..8].try_into().unwrap_or_default());
        let tid = i64::from_le_bytes(h[8..16].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(h[16..20].try_into().unwrap_or_default()) as usize;
        let etype = u16::from_le_bytes([h[20], h[21]]);
        let nparams = u32::from_le_bytes(h[22..26].try_into().unwrap_or_default());
        if len < HEADER_LEN_V2 || len > h.len() {
            return Err(bad("length field out of range"));
        }
        let body = &h[HEADER_LEN_V2..len];
        if validate_body(body, nparams, false).is_none() {
            return Err(bad("parameter lengths exceed the event"));
        }
        self.num += 1;
        Ok(Event { num: self.num, cpu, ts, tid, etype, nparams, flags: 0, large: false, body })
    }

    /// The event just taken from the queue into `self.cur`; procinfo events
    /// are due after it when it starts a new second.
    fn delivered(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        let ts = self.cur.get(PREFIX..PREFIX + 8).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()));
        self.procinfo.on_event(ts);
        self.event().map(|e| Some(Item::Event(e)))
    }

    /// The raw scap bytes (header + params) of the event last returned.
    pub fn last_event_bytes(&self) -> &[u8] {
        self.cur.get(PREFIX..).unwrap_or(&[])
    }
}

/// Where a second event starts in a ring record, if the first one (after the
/// prefix) does not fill it. A length that does not fit is left for
/// [`LiveSource::event`] to report.
fn second_event_at(rec: &[u8]) -> Option<usize> {
    let len = rec.get(PREFIX + 16..PREFIX + 20)?;
    let end = PREFIX + u32::from_le_bytes(len.try_into().ok()?) as usize;
    (end >= PREFIX + HEADER_LEN_V2 && end + HEADER_LEN_V2 <= rec.len()).then_some(end)
}

/// The largest power of two `<= x` (x > 0).
fn prev_power_of_two(x: u32) -> u32 {
    1 << (31 - x.max(1).leading_zeros())
}

/// Formats an error with its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    // The verifier log can be huge; keep its tail, where the reason is.
    if s.len() > 4000 {
        let cut = s.len() - 4000;
        let cut = (cut..s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
        s = format!("...{}", &s[cut..]);
    }
    s
}

impl Source for LiveSource {
    fn next_item(&mut self) -> Result<Option<Item<'_>>, SourceError> {
        if let Some(r) = self.records.pop_front() {
            return Ok(Some(Item::Record(r)));
        }
        loop {
            if let Some(rec) = self.procinfo.pop() {
                self.cur = rec;
                return self.event().map(|e| Some(Item::Event(e)));
            }
            if self.finished {
                if self.queue.pop_into(u64::MAX, &mut self.cur) {
                    return self.delivered();
                }
                return Ok(None);
            }
            // Records committed after the last drain are not in the queue
            // yet; the oldest of them was stamped at most the window before
            // that drain. So the watermark follows the last drain, not the
            // clock: a reader running behind must not deliver events that
            // such a record would precede.
            // An enter event the probe still held at that drain comes later,
            // with its exit: nothing newer goes before it.
            let watermark = self.last_drain_ns.saturating_sub(REORDER_WINDOW_NS).min(self.held_floor.saturating_sub(1));
            if self.queue.pop_into(watermark, &mut self.cur) {
                return self.delivered();
            }
            let now = clock_ns(libc::CLOCK_BOOTTIME) + self.boot_ns;
            if self.stop.load(Ordering::SeqCst) {
                // Give in-flight events a moment to land, then drain for good.
                std::thread::sleep(Duration::from_millis(20));
                self.drain_rings();
                self.finished = true;
                continue;
            }
            // Drain in batches: every record waits out the reorder window
            // anyway, and reading the ring while the probe writes it makes
            // the traced CPUs fetch its cache lines back on every event.
            let since = now.saturating_sub(self.last_drain_ns);
            if since < DRAIN_INTERVAL_NS {
                std::thread::sleep(Duration::from_nanos(DRAIN_INTERVAL_NS - since));
                continue;
            }
            self.last_drain_ns = now;
            // Read before draining: an event held after this read is stamped
            // after it, and one held before is either drained now or counted.
            self.held_floor = self.oldest_held(now);
            if self.drain_rings() == 0 {
                // The probe never wakes us: poll with a short timeout.
                self.wait(if self.queue.is_empty() { 10 } else { 2 });
            }
        }
    }

    fn is_live(&self) -> bool {
        true
    }

    fn stats(&self) -> Option<(u64, u64)> {
        Some(LiveSource::stats(self))
    }
}
