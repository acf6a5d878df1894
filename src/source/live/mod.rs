//! Live capture with eBPF: loads the CO-RE probe (`probe/rchisel.bpf.c`) with
//! aya, attaches it to the raw tracepoints, and turns its per-CPU ring
//! buffers into [`Item`]s: first the /proc snapshot as records, then events in
//! timestamp order.
//!
//! The probe already encodes every event in the scap v2 layout; each ring
//! record is an 8-byte prefix (CPU number) followed by the event (or by a
//! syscall's enter and exit events back to back). The rings are read in place
//! ([`ring`]): an event handed on points into the ring's memory.
//!
//! The reader sleeps in epoll while the rings are empty (the probe's records
//! wake it only when written into an emptied ring), merges the rings by
//! timestamp, and at the end detaches the probe first, so that what is left
//! in the rings and the enter events the probe still holds form a finite tail
//! that is read completely.

mod procinfo;
pub mod relay;
mod ring;
pub mod select;
mod startup;
mod syscall_events;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aya::maps::{Array, MapData, PerCpuArray};
use aya::programs::{BtfTracePoint, RawTracePoint};
use aya::programs::raw_trace_point::RawTracePointLink;
use aya::programs::tp_btf::BtfTracePointLink;
use aya::{Ebpf, EbpfLoader};

use super::{Item, Record, Source, SourceError};
use crate::event::{Event, HEADER_LEN_V2, validate_body};
use ring::{Ring, PREFIX};

/// The compiled probe (empty when the build had no clang; see build/probe.rs).
static PROBE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rchisel.bpf.o"));
/// Why the probe is missing, when it is.
const PROBE_ERROR: &str = env!("RCHISEL_PROBE_ERROR");

/// The probe's ring buffers (probe/rchisel.bpf.c: RINGS); CPU `c` writes
/// `RING_NAMES[c % 16]`.
const RING_NAMES: [&str; 16] = [
    "rch_ev0", "rch_ev1", "rch_ev2", "rch_ev3", "rch_ev4", "rch_ev5", "rch_ev6", "rch_ev7", "rch_ev8", "rch_ev9",
    "rch_ev10", "rch_ev11", "rch_ev12", "rch_ev13", "rch_ev14", "rch_ev15",
];
/// Events stamped this long before the rings were last sampled may still be
/// on their way into a ring (an event being built, one CPU's record behind
/// another's): only older ones are delivered. Held enter events are waited
/// for exactly instead (see `held_floor`). This is also the batching delay of
/// an idle capture: a record that woke the reader goes out this long after
/// it was stamped, with whatever came meanwhile.
const REORDER_WINDOW_NS: u64 = 10_000_000;
/// Sleep while events wait out the reorder window after a quiet stretch:
/// how long a record that arrived on a quiet machine waits for company (a
/// trickle of events then costs the reader about 25 wake-ups a second).
const BATCH_DELAY_NS: u64 = 4 * REORDER_WINDOW_NS;
/// Fewer events than this handed out since the last such sleep make the
/// stretch quiet; a busier reader keeps sampling every SAMPLE_INTERVAL_NS so
/// that a storm never waits on the batching delay.
const QUIET_EVENTS: u64 = 1024;
/// Least time between two samples of the rings' producer positions.
const SAMPLE_INTERVAL_NS: u64 = 2_000_000;
/// Longest sleep in epoll while the rings are empty (how soon a stop is seen
/// when no signal interrupts the wait).
const IDLE_WAIT_MS: i32 = 100;
/// Most bytes of I/O buffers the probe copies per event (libs' maximum snaplen).
pub const MAX_SNAPLEN: u32 = 65000;
/// The probe's per-CPU scratch buffer (probe/rchisel.bpf.c: struct scratch).
const SCRATCH_LEN: usize = 2 * 65536 + 8192;

/// One CPU's scratch buffer, as read back at the end for held enter events.
#[repr(C)]
#[derive(Clone, Copy)]
struct Scratch([u8; SCRATCH_LEN]);

// SAFETY: plain bytes.
unsafe impl aya::Pod for Scratch {}

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

/// A CPU's batch of events held in the probe (probe/rchisel.bpf.c: struct
/// pending): they leave together in one ring record.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    /// Record bytes; 0 when nothing is held.
    len: u32,
    /// Thread of the last held event.
    tid: u32,
    /// The first held event's timestamp (boot-time ns plus the epoch offset).
    ts: u64,
    /// Events this CPU put in its ring.
    sent: u64,
    /// Events this CPU dropped (ring full, or too large).
    lost: u64,
    /// Events in the batch.
    nheld: u32,
    /// Offset of the batch's last event.
    last: u32,
    /// A program is building an event on this CPU.
    busy: u32,
    /// The CPU's flush timer is set.
    armed: u32,
    /// The CPU's flush timer was initialised.
    timer_ready: u32,
    /// The kernel refused a CPU-pinned timer: no batches, only an enter
    /// event waits for its exit.
    no_timer: u32,
}

// SAFETY: plain old data: repr(C), integers only, no padding (4 + 4 + 8 * 3 + 4 * 6).
unsafe impl aya::Pod for Pending {}

/// A held event older than this is not waited for (a syscall spinning in the
/// kernel that long would otherwise stall delivery).
const HELD_WAIT_MAX_NS: u64 = 2_000_000_000;

/// How the reader waits for events.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait {
    /// In epoll on the rings, at most this many milliseconds (nothing pending).
    Epoll(i32),
    /// This many nanoseconds (events pending wait out the reorder window).
    Sleep(u64),
}

/// What [`LiveSource::poll`] found.
pub(crate) enum Polled {
    /// A table record.
    Record(Record),
    /// The event at the head of this ring.
    Ring(usize),
    /// A procinfo event the source made itself.
    Owned,
    /// Nothing yet.
    Wait(Wait),
    /// The capture ended.
    End,
}

/// The probe's identity records at start-up (probe/rchisel.bpf.c:
/// RCH_IDENTITY_E): taken in by the reader, never handed on.
const IDENTITY_E: u16 = 0xFFF0;

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
    /// Writes to /dev/null keep up to 4096 bytes whatever the snaplen
    /// (sysdig's `-T`, libs' tracers capture).
    pub tracers: bool,
    /// Whole environments in the /proc snapshot (sysdig's
    /// `--large-environment`); else the first 4096 bytes, as libscap.
    pub large_environment: bool,
    /// Kernel-side selection: when set, only the syscalls whose bit is set
    /// (by x86_64 syscall number, bit `nr % 64` of word `nr / 64`) are traced;
    /// the probe emits nothing for the others.
    pub syscall_mask: Option<[u64; 8]>,
    /// Nice value for the reading thread (and the threads it starts later):
    /// a reader that gets its share of CPU only when the traced programs let
    /// it falls behind under a storm on every CPU and drops events; it only
    /// uses CPU when there are events to read.
    pub reader_nice: Option<i32>,
    /// Let the probe batch each CPU's events into one ring record (default);
    /// off, only a syscall's enter event waits for its exit (for comparison).
    pub batch: bool,
    /// What the syscall programs do: everything (a capture), or one of the
    /// bench's floors.
    pub floor: ProbeFloor,
}

/// For benchmarks: the syscall programs attached but cut short, to measure
/// what a part of the probe's work costs the traced programs. Nothing is
/// emitted from syscalls under a floor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProbeFloor {
    /// The whole probe (every capture).
    #[default]
    Off,
    /// The syscall programs return at once: the cost of running them.
    Attached,
    /// They read the clock, once per run as each event does, and return:
    /// the cost of the events' timestamps on top.
    Clock,
}

/// First PPM_SC code unknown to sysdig 0.29.3 (libs e5c53d648's PPM_SC_MAX).
pub const SYSDIG_0_29_SC_LIMIT: u16 = 329;

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            snaplen: 80,
            ring_bytes: 128 << 20,
            snapshot: true,
            sc_limit: None,
            syscall_mask: None,
            page_faults: false,
            large_environment: false,
            tracers: false,
            reader_nice: Some(-10),
            batch: true,
            floor: ProbeFloor::Off,
        }
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
    /// The /proc scan could not take its own identity back after checking
    /// whether a process may write its executable.
    Identity(String),
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
            LiveError::Identity(m) => write!(f, "reading the running processes: {m}"),
        }
    }
}

impl std::error::Error for LiveError {}

impl From<LiveError> for SourceError {
    fn from(e: LiveError) -> SourceError {
        SourceError { offset: 0, message: e.to_string() }
    }
}

/// An attached program; dropping it detaches it.
enum Link {
    Raw(#[allow(dead_code)] RawTracePointLink),
    Btf(#[allow(dead_code)] BtfTracePointLink),
}

/// A running live capture. Dropping it detaches the probe.
pub struct LiveSource {
    // Field order matters for drop: links and maps before the Ebpf object.
    /// Attached programs, in attach order (sys_enter last).
    links: Vec<Link>,
    /// One ring per CPU (CPUs past 16 share), by index; at the end, one more
    /// with the enter events the probe still held.
    rings: Vec<Ring>,
    counters: PerCpuArray<MapData, u64>,
    pending: PerCpuArray<MapData, Pending>,
    scratch: Array<MapData, Scratch>,
    _bpf: Ebpf,
    /// epoll instance over the rings' fds.
    epfd: std::os::fd::OwnedFd,
    /// Timestamp of the oldest enter event the probe held (not yet in a
    /// ring) when the rings were last sampled; u64::MAX when none.
    held_floor: u64,
    stop: Arc<AtomicBool>,
    records: std::collections::VecDeque<Record>,
    /// Ring of the event handed out last (moved past on the next call).
    last: Option<usize>,
    num: u64,
    /// Events taken from the rings.
    received: u64,
    /// Identity records taken in (the probe counted them as sent).
    internal: u64,
    /// `received` when the reader last slept waiting for the window.
    received_at_sleep: u64,
    /// Held enter events read out of the probe at the end.
    held_taken: u64,
    /// When the rings' producer positions were last sampled (event clock).
    sample_ns: u64,
    boot_ns: u64,
    /// The probe is detached and its tail is in the rings: read to the end.
    finished: bool,
    warnings: Vec<String>,
    /// procinfo events made from /proc once a second (see procinfo.rs).
    procinfo: procinfo::ProcInfo,
    /// The procinfo record being handed out.
    cur: Vec<u8>,
    /// Threads that exited during the start, whose entries go out before
    /// the first event (see startup.rs); None once done.
    departed: Option<startup::Departed>,
}

/// Most bytes of start-up events copied out of the rings while looking for
/// departed threads.
const STARTUP_COPY_MAX: usize = 64 << 20;

/// Nanoseconds of a clock.
fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn kerr(what: &str) -> impl Fn(&dyn std::fmt::Display) -> LiveError + '_ {
    move |e| LiveError::Kernel(format!("{what}: {e}"))
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
        if let Some(nice) = cfg.reader_nice {
            // Per thread on Linux; threads started later (the writer) inherit it.
            // SAFETY: setpriority has no memory preconditions; failure is harmless.
            unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) };
        }
        let (mut bpf, ring_sizes) = load(cfg, boot_ns)?;
        let faults: &[(&str, &str)] = if cfg.page_faults { &PAGE_FAULT_ATTACH } else { &[] };
        verify(&mut bpf, faults)?;
        // Threads as they are right before the attach (see startup.rs). The
        // scans borrow each process's identity on this thread only, to check
        // its executable (exe_writable.rs); no other thread sees it.
        let identity = |e: crate::source::exe_writable::IdentityError| LiveError::Identity(e.0);
        let mut early = if cfg.snapshot { startup::threads_now(cfg.large_environment).map_err(identity)? } else { Vec::new() };
        set_startup(&mut bpf, true)?;
        let links = attach(&mut bpf, faults)?;
        if cfg.snapshot {
            startup::top_up(&mut early, cfg.large_environment).map_err(identity)?;
        }
        let mut rings = Vec::with_capacity(ring_sizes.len());
        for (name, size) in RING_NAMES.iter().zip(&ring_sizes) {
            let map = bpf.take_map(name).ok_or_else(|| LiveError::Kernel(format!("probe has no ring buffer {name}")))?;
            let aya::maps::Map::RingBuf(map) = map else {
                return Err(LiveError::Kernel(format!("{name} is not a ring buffer")));
            };
            rings.push(Ring::map(map, *size as usize).map_err(|e| LiveError::Kernel(format!("mapping {name}: {e}")))?);
        }
        let take = |bpf: &mut Ebpf, name: &str| {
            bpf.take_map(name).ok_or_else(|| LiveError::Kernel(format!("probe has no map {name}")))
        };
        let counters = PerCpuArray::try_from(take(&mut bpf, "rch_counters")?).map_err(|e| kerr("counters")(&e))?;
        let pending = PerCpuArray::try_from(take(&mut bpf, "rch_pending")?).map_err(|e| kerr("pending map")(&e))?;
        let scratch = Array::try_from(take(&mut bpf, "rch_scratch")?).map_err(|e| kerr("scratch map")(&e))?;
        let epfd = epoll_over(&rings).map_err(|e| kerr("epoll")(&e))?;
        let records: Vec<Record> =
            if cfg.snapshot { super::procfs::snapshot(cfg.large_environment).map_err(identity)? } else { Vec::new() };
        let cutoff = clock_ns(libc::CLOCK_BOOTTIME) + boot_ns;
        set_startup(&mut bpf, false)?;
        let departed = cfg.snapshot.then(|| startup::Departed::new(early, &records, cutoff));
        Ok(LiveSource {
            links,
            rings,
            counters,
            pending,
            scratch,
            _bpf: bpf,
            epfd,
            held_floor: u64::MAX,
            stop: Arc::new(AtomicBool::new(false)),
            last: None,
            num: 0,
            received: 0,
            internal: 0,
            received_at_sleep: 0,
            held_taken: 0,
            sample_ns: 0,
            boot_ns,
            finished: false,
            warnings: Vec::new(),
            procinfo: procinfo::ProcInfo::default(),
            cur: Vec::new(),
            records: records.into(),
            departed,
        })
    }

    /// Before the first event: takes the events up to the end of the
    /// snapshot out of the rings (into a ring of their own, still merged by
    /// time), and queues the entries of the departed threads that have
    /// events among them.
    #[cold]
    #[inline(never)]
    fn hand_on_departed(&mut self, d: startup::Departed) {
        let mut identities = Vec::new();
        // Threads neither snapshot has (first seen here), and those among
        // them whose first event is not their birth (clone, fork, vfork,
        // clone3 exit).
        let mut seen = rustc_hash::FxHashSet::default();
        let mut unnamed = rustc_hash::FxHashSet::default();
        let mut copies: Vec<Vec<u8>> = Vec::new();
        let mut tids = rustc_hash::FxHashSet::default();
        let mut bytes = 0;
        while bytes < STARTUP_COPY_MAX {
            let Some(r) = self.next_ring() else { break };
            if self.rings[r].head_ts().is_none_or(|ts| ts > d.cutoff) {
                break;
            }
            let identity = self.rings[r].head_type() == IDENTITY_E;
            let Ok(Some((cpu, ev))) = self.rings[r].head() else { break };
            let tid = ev.get(8..16).map(|b| i64::from_le_bytes(b.try_into().unwrap_or_default())).unwrap_or(0);
            if identity {
                identities.extend(startup::identity(tid, ev));
                self.internal += 1;
                self.rings[r].advance();
                continue;
            }
            if d.has(tid) {
                tids.insert(tid);
            } else if !d.knows(tid) && seen.insert(tid) {
                // Unknown to both snapshots: born before the attach unless
                // its first event is its own clone's exit.
                use crate::event::ppme::{CLONE3_X, CLONE_20_X, FORK_20_X, VFORK_20_X};
                let ty = u16::from_le_bytes([ev[20], ev[21]]);
                if !matches!(ty, CLONE_20_X | FORK_20_X | VFORK_20_X | CLONE3_X) {
                    unnamed.insert(tid);
                }
            }
            let mut rec = Vec::with_capacity(ring::PREFIX + ev.len());
            rec.extend_from_slice(&(cpu as u64).to_le_bytes());
            rec.extend_from_slice(ev);
            bytes += rec.len();
            copies.push(rec);
            self.rings[r].advance();
        }
        if !copies.is_empty() {
            let mut ring = Ring::owned(&copies);
            ring.sample();
            self.rings.push(ring);
        }
        self.records.extend(d.take_for(&tids));
        // Threads no snapshot saw, gone before the second one: named by the
        // identity the probe sent at their exit.
        let named = identities.into_iter().filter(|p: &super::records::ProcRecord| unnamed.contains(&p.tid));
        self.records.extend(named.map(|p| Record::Process(Box::new(p))));
    }

    /// A flag that ends the capture when set (e.g. from a Ctrl-C handler):
    /// the source then detaches the probe, reads everything it produced and
    /// returns `Ok(None)`.
    pub fn stop_handle(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Asks the capture to end (same as setting [`LiveSource::stop_handle`]).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// `(events, drops)` so far (sysdig's `Driver Events` / `Driver Drops`):
    /// every event the probe produced, counted by the probe per CPU, whether
    /// it went into a ring, was dropped (ring full) or was still held for its
    /// exit at the end (read out then); and the drops among them.
    pub fn stats(&self) -> (u64, u64) {
        let (sent, lost) = self.probe_counts();
        (sent + lost + self.held_taken - self.internal.min(sent), lost)
    }

    /// The largest share of a ring found in use while reading (0..=1): 1
    /// means the probe may have had to drop events.
    pub fn ring_peak_use(&self) -> f64 {
        self.rings.iter().map(|r| r.peak_use()).fold(0.0, f64::max)
    }

    /// Events the probe put in the rings, and events it dropped.
    fn probe_counts(&self) -> (u64, u64) {
        let other: u64 = self.counters.get(&1, 0).map(|v| v.iter().copied().sum()).unwrap_or(0);
        let (mut sent, mut lost) = (0, other);
        if let Ok(v) = self.pending.get(&0, 0) {
            for p in v.iter() {
                sent += p.sent;
                lost += p.lost;
            }
        }
        (sent, lost)
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

    /// Now, on the events' clock.
    fn now(&self) -> u64 {
        clock_ns(libc::CLOCK_BOOTTIME) + self.boot_ns
    }

    /// Makes the records written so far visible.
    #[inline(never)]
    fn sample(&mut self) {
        let now = self.now();
        // Read before the rings: an event held after this read is stamped
        // after it, and one held before is in a ring by now or still held.
        self.held_floor = self.oldest_held(now);
        for r in &mut self.rings {
            r.sample();
        }
        self.sample_ns = now;
    }

    /// The ring whose next event is the oldest, if that event is not newer
    /// than `watermark` (ties go to the lower ring).
    #[inline]
    fn pick(&self, watermark: u64) -> Option<usize> {
        let mut best: Option<(u64, usize)> = None;
        for (i, r) in self.rings.iter().enumerate() {
            if let Some(ts) = r.head_ts() && ts <= watermark && best.is_none_or(|(b, _)| ts < b) {
                best = Some((ts, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// Ends the capture: detaches every program (process exit and exec, then
    /// sys_enter), lets the programs still running finish, then takes the
    /// enter events the probe still holds out of its scratch buffers, so
    /// that everything it produced is read.
    #[cold]
    #[inline(never)]
    fn shut_down(&mut self) {
        // Process exit and exec first (attached first): a process born after
        // the syscall programs went away would otherwise leave a procexit of
        // a thread the capture never saw (`<NA>`). Then sys_enter before
        // sys_exit, so that no enter event misses its exit.
        let n = ATTACH.len().min(self.links.len());
        drop(self.links.drain(..n));
        while let Some(l) = self.links.pop() {
            drop(l);
        }
        // A program that started before its link went away may still be
        // writing its record; the CPUs' flush timers, set at most FLUSH_NS
        // (1 ms) before, send the batches the CPUs still hold meanwhile.
        std::thread::sleep(Duration::from_millis(20));
        // What a timer could not send (a program left its CPU's scratch
        // marked busy) is taken out here: no program and no timer writes it
        // any more.
        let mut held = Vec::new();
        let mut nheld = 0;
        if let Ok(v) = self.pending.get(&0, 0) {
            for (cpu, p) in v.iter().enumerate() {
                let len = p.len as usize;
                if len < PREFIX + HEADER_LEN_V2 {
                    continue;
                }
                match self.scratch.get(&(cpu as u32), 0) {
                    Ok(s) if len <= s.0.len() => {
                        held.push(s.0[..len].to_vec());
                        nheld += u64::from(p.nheld);
                    }
                    _ => self.warnings.push(format!("lost {} events held on CPU {cpu}", p.nheld)),
                }
            }
        }
        self.held_taken = nheld;
        if !held.is_empty() {
            self.rings.push(Ring::owned(&held));
        }
        for r in &mut self.rings {
            r.sample();
        }
        self.finished = true;
    }

    /// Sleeps until a ring becomes readable, or `ms` passed.
    fn wait(&mut self, ms: i32) {
        for r in &mut self.rings {
            r.release();
        }
        let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 16];
        // SAFETY: epfd is a valid epoll fd; `evs` has room for 16 entries.
        unsafe {
            libc::epoll_wait(std::os::fd::AsRawFd::as_raw_fd(&self.epfd), evs.as_mut_ptr(), 16, ms);
        }
    }

    /// The event at the head of ring `r`, validated.
    fn event(&mut self, r: usize) -> Result<Event<'_>, SourceError> {
        let bad = |m: &str| SourceError { offset: 0, message: format!("probe wrote a malformed event: {m}") };
        self.num += 1;
        self.received += 1;
        let num = self.num;
        let (cpu, h) = match self.rings[r].head() {
            Ok(Some(x)) => x,
            Ok(None) => return Err(bad("record vanished")),
            Err(m) => return Err(bad(m.0)),
        };
        let ts = u64::from_le_bytes(h[0..8].try_into().unwrap_or_default());
        let tid = i64::from_le_bytes(h[8..16].try_into().unwrap_or_default());
        let etype = u16::from_le_bytes([h[20], h[21]]);
        let nparams = u32::from_le_bytes(h[22..26].try_into().unwrap_or_default());
        let body = &h[HEADER_LEN_V2..];
        if validate_body(body, nparams, false).is_none() {
            return Err(bad("parameter lengths exceed the event"));
        }
        Ok(Event { num, cpu, ts, tid, etype, nparams, flags: 0, large: false, body })
    }

    /// The procinfo event in `self.cur` (record prefix + event).
    fn owned_event(&mut self) -> Result<Event<'_>, SourceError> {
        let bad = || SourceError { offset: 0, message: "malformed procinfo event".into() };
        let h = self.cur.get(ring::PREFIX..).ok_or_else(bad)?;
        if h.len() < HEADER_LEN_V2 {
            return Err(bad());
        }
        let ts = u64::from_le_bytes(h[0..8].try_into().unwrap_or_default());
        let tid = i64::from_le_bytes(h[8..16].try_into().unwrap_or_default());
        let etype = u16::from_le_bytes([h[20], h[21]]);
        let nparams = u32::from_le_bytes(h[22..26].try_into().unwrap_or_default());
        let body = &h[HEADER_LEN_V2..];
        validate_body(body, nparams, false).ok_or_else(bad)?;
        self.num += 1;
        Ok(Event { num: self.num, cpu: 0, ts, tid, etype, nparams, flags: 0, large: false, body })
    }

    /// Waits until an event can be handed out; returns its ring, or None at
    /// the end of the capture.
    fn next_ring(&mut self) -> Option<usize> {
        loop {
            match self.poll_ring() {
                Ok(r) => return Some(r),
                Err(Some(w)) => self.wait_for(w),
                Err(None) => return None,
            }
        }
    }

    /// The ring whose head event may be handed out now; otherwise how to
    /// wait for one (`Err(None)` at the end of the capture).
    fn poll_ring(&mut self) -> Result<usize, Option<Wait>> {
        loop {
            if self.finished {
                return self.pick(u64::MAX).ok_or(None);
            }
            // Records committed after the last sample were stamped at most
            // the window before it; an enter event the probe still held then
            // comes later, with its exit: nothing newer goes first.
            let watermark = self.sample_ns.saturating_sub(REORDER_WINDOW_NS).min(self.held_floor.saturating_sub(1));
            if let Some(r) = self.pick(watermark) {
                return Ok(r);
            }
            if self.stop.load(Ordering::Relaxed) || crate::signals::stop_requested() {
                self.shut_down();
                continue;
            }
            // Reading the rings while the probe writes them makes the traced
            // CPUs fetch their cache lines back: sample at most this often.
            let sampled = self.now().saturating_sub(self.sample_ns) >= SAMPLE_INTERVAL_NS;
            if sampled {
                self.sample();
                let watermark =
                    self.sample_ns.saturating_sub(REORDER_WINDOW_NS).min(self.held_floor.saturating_sub(1));
                if self.pick(watermark).is_some() {
                    continue;
                }
            }
            let oldest = self.rings.iter().filter_map(|r| r.head_ts()).min();
            match oldest {
                // Nothing pending: sleep until the probe writes again.
                None if self.held_floor == u64::MAX => {
                    // Records committed since an older sample keep the rings
                    // readable: take them in rather than wake at once.
                    if !sampled {
                        self.sample();
                        if self.held_floor != u64::MAX || self.rings.iter().any(|r| r.head_ts().is_some()) {
                            continue;
                        }
                    }
                    return Err(Some(Wait::Epoll(IDLE_WAIT_MS)));
                }
                // Events wait out the window: sleep until the oldest may go,
                // at least the batching delay, so that a trickle of events
                // (an idle machine) costs one wake-up per delay, not one per
                // event.
                _ => {
                    let quiet = self.received - self.received_at_sleep < QUIET_EVENTS;
                    self.received_at_sleep = self.received;
                    let least = if quiet { BATCH_DELAY_NS } else { SAMPLE_INTERVAL_NS };
                    let due = oldest.unwrap_or(self.held_floor).saturating_add(REORDER_WINDOW_NS);
                    let ns = due.saturating_sub(self.sample_ns).clamp(least, REORDER_WINDOW_NS.max(least));
                    return Err(Some(Wait::Sleep(ns)));
                }
            }
        }
    }

    /// Waits as [`LiveSource::poll`] said, giving the space read so far back
    /// to the probe first.
    pub(crate) fn wait_for(&mut self, w: Wait) {
        match w {
            Wait::Epoll(ms) => self.wait(ms),
            Wait::Sleep(ns) => {
                for r in &mut self.rings {
                    r.release();
                }
                std::thread::sleep(Duration::from_nanos(ns));
            }
        }
    }

    /// What comes next, without waiting: the item to hand out (taken with
    /// [`LiveSource::take`]), or how to wait for one, or the end.
    pub(crate) fn poll(&mut self) -> Polled {
        if let Some(r) = self.records.pop_front() {
            return Polled::Record(r);
        }
        if let Some(r) = self.last.take() {
            self.rings[r].advance();
        }
        // procinfo events follow the event that started a new second.
        if let Some(rec) = self.procinfo.pop() {
            self.cur = rec;
            return Polled::Owned;
        }
        if let Some(d) = self.departed.take() {
            self.hand_on_departed(d);
            if let Some(r) = self.records.pop_front() {
                return Polled::Record(r);
            }
        }
        let mut next = self.poll_ring();
        while let Ok(r) = next {
            if self.rings[r].head_type() != IDENTITY_E {
                break;
            }
            // One sent after the start-up stretch was read: not needed.
            self.internal += 1;
            self.rings[r].advance();
            next = self.poll_ring();
        }
        match next {
            Ok(r) => {
                if let Some(ts) = self.rings[r].head_ts() {
                    self.procinfo.on_event(ts);
                }
                self.last = Some(r);
                Polled::Ring(r)
            }
            Err(Some(w)) => Polled::Wait(w),
            Err(None) => {
                let (sent, _) = self.probe_counts();
                let got = (self.received + self.internal).saturating_sub(self.held_taken);
                if got != sent && self.warnings.iter().all(|w| !w.starts_with("read ")) {
                    self.warnings.push(format!("read {got} events from the rings, the probe counted {sent}"));
                }
                Polled::End
            }
        }
    }

    /// The event [`LiveSource::poll`] announced (`Owned` or `Ring`).
    pub(crate) fn take(&mut self, p: &Polled) -> Result<Event<'_>, SourceError> {
        match p {
            Polled::Ring(r) => self.event(*r),
            _ => self.owned_event(),
        }
    }
}

/// Loads the probe with this capture's settings; returns it with the data
/// size of each CPU's ring.
fn load(cfg: &LiveConfig, boot_ns: u64) -> Result<(Ebpf, Vec<u32>), LiveError> {
    let pid = std::process::id();
    let snaplen = cfg.snaplen.min(MAX_SNAPLEN);
    let ncpus = aya::util::nr_cpus().unwrap_or(RING_NAMES.len()).max(1);
    let nrings = ncpus.min(RING_NAMES.len());
    let per_ring = prev_power_of_two((cfg.ring_bytes / nrings as u32).max(1 << 16));
    // SAFETY: sysconf has no preconditions.
    let page = (unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u32).max(4096);
    let sc_limit = cfg.sc_limit.unwrap_or(0) as u32;
    let tracers = cfg.tracers as u32;
    let select = cfg.syscall_mask.is_some() as u32;
    let batch = cfg.batch as u32;
    let floor = match cfg.floor {
        ProbeFloor::Off => 0u32,
        ProbeFloor::Attached => 1,
        ProbeFloor::Clock => 2,
    };
    let mask = cfg.syscall_mask.unwrap_or([u64::MAX; 8]);
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
        .set_global("rch_sc_limit", &sc_limit, true)
        .set_global("rch_tracers", &tracers, true)
        .set_global("rch_select", &select, true)
        .set_global("rch_batch", &batch, true)
        .set_global("rch_floor", &floor, true)
        .set_global("rch_sc_mask", &mask, true)
        .set_max_entries("rch_scratch", ncpus as u32)
        .set_max_entries("rch_timers", ncpus as u32);
    let mut sizes = Vec::with_capacity(nrings);
    for (i, name) in RING_NAMES.iter().enumerate() {
        // Rings no CPU writes keep one page.
        let size = if i < nrings { per_ring } else { page };
        loader.set_max_entries(name, size);
        if i < nrings {
            sizes.push(size);
        }
    }
    let bpf = loader.load(aligned).map_err(|e| LiveError::Kernel(format!("loading the probe: {}", error_chain(&e))))?;
    Ok((bpf, sizes))
}

/// Loads (verifies) every program: the verifier's time (a good part of a
/// second for the syscall programs) must pass before the first attach, not
/// between the attach and the /proc snapshot, or the threads that exit
/// meanwhile have events but no name.
fn verify(bpf: &mut Ebpf, faults: &[(&'static str, &'static str)]) -> Result<(), LiveError> {
    let btf = aya::Btf::from_sys_fs().map_err(|e| LiveError::Kernel(format!("reading kernel BTF: {e}")))?;
    let missing = |prog: &str| LiveError::Kernel(format!("probe has no program {prog}"));
    for (prog, _) in ATTACH {
        let p: &mut RawTracePoint = bpf
            .program_mut(prog)
            .ok_or_else(|| missing(prog))?
            .try_into()
            .map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?;
        p.load().map_err(|e| LiveError::Kernel(format!("verifier rejected {prog}: {}", error_chain(&e))))?;
    }
    for &(prog, tp) in faults.iter().chain(BTF_ATTACH.iter()) {
        let p: &mut BtfTracePoint = bpf
            .program_mut(prog)
            .ok_or_else(|| missing(prog))?
            .try_into()
            .map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?;
        p.load(tp, &btf).map_err(|e| LiveError::Kernel(format!("verifier rejected {prog}: {}", error_chain(&e))))?;
    }
    Ok(())
}

/// Turns the probe's start-up identity records on or off.
fn set_startup(bpf: &mut Ebpf, on: bool) -> Result<(), LiveError> {
    let map = bpf.map_mut("rch_startup").ok_or_else(|| LiveError::Kernel("probe has no map rch_startup".into()))?;
    let mut a: Array<&mut MapData, u32> = Array::try_from(map).map_err(|e| kerr("start-up map")(&e))?;
    a.set(0, on as u32, 0).map_err(|e| kerr("start-up map")(&e))
}

/// Attaches every program [`verify`] loaded, sys_enter last, in quick
/// succession.
fn attach(bpf: &mut Ebpf, faults: &[(&'static str, &'static str)]) -> Result<Vec<Link>, LiveError> {
    let missing = |prog: &str| LiveError::Kernel(format!("probe has no program {prog}"));
    let mut links = Vec::new();
    for (prog, tp) in ATTACH {
        let p: &mut RawTracePoint = bpf.program_mut(prog).ok_or_else(|| missing(prog))?.try_into().map_err(|e| {
            LiveError::Kernel(format!("{prog}: {e}"))
        })?;
        let id = p
            .attach(tp)
            .map_err(|e| LiveError::Kernel(format!("attach to tracepoint {tp}: {}", error_chain(&e))))?;
        links.push(Link::Raw(p.take_link(id).map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?));
    }
    for &(prog, tp) in faults.iter().chain(BTF_ATTACH.iter()) {
        let p: &mut BtfTracePoint = bpf.program_mut(prog).ok_or_else(|| missing(prog))?.try_into().map_err(|e| {
            LiveError::Kernel(format!("{prog}: {e}"))
        })?;
        let id = p.attach().map_err(|e| LiveError::Kernel(format!("attach to tracepoint {tp}: {}", error_chain(&e))))?;
        links.push(Link::Btf(p.take_link(id).map_err(|e| LiveError::Kernel(format!("{prog}: {e}")))?));
    }
    Ok(links)
}

/// An epoll instance watching every ring for data.
fn epoll_over(rings: &[Ring]) -> std::io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    // SAFETY: epoll_create1 has no preconditions; the fd is owned below.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fd is a fresh descriptor nobody else owns.
    let ep = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
    for (i, r) in rings.iter().enumerate() {
        let Some(rfd) = r.fd() else { continue };
        let mut ev = libc::epoll_event { events: libc::EPOLLIN as u32, u64: i as u64 };
        // SAFETY: both fds are valid; `ev` is a valid epoll_event.
        if unsafe { libc::epoll_ctl(fd, libc::EPOLL_CTL_ADD, rfd, &mut ev) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(ep)
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
        loop {
            match self.poll() {
                Polled::Record(r) => return Ok(Some(Item::Record(r))),
                Polled::Wait(w) => self.wait_for(w),
                Polled::End => return Ok(None),
                p => return self.take(&p).map(|e| Some(Item::Event(e))),
            }
        }
    }

    fn is_live(&self) -> bool {
        true
    }

    fn stats(&self) -> Option<(u64, u64)> {
        Some(LiveSource::stats(self))
    }

    fn ring_peak_use(&self) -> Option<f64> {
        Some(LiveSource::ring_peak_use(self))
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}
