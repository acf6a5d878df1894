//! Scheduler-derived thread fields: `thread.exectime`, `thread.totexectime`
//! (from switch events) and `thread.cpu*` (from procinfo events).
//!
//! As in libsinsp, these are computed when the field is extracted, and each
//! use of the field (each `-p` token, filter term or `chisel.request_field`)
//! keeps its own history: the time of the last switch seen on each CPU, and
//! per thread the running total or the last CPU tick count.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use super::Fid;
use crate::event::Event;

/// Switch event numbers (old 1-param and current 6-param versions).
const SCHEDSWITCH_1_E: u16 = 146;
const SCHEDSWITCH_6_E: u16 = 152;
/// The procinfo meta event (cpu_usr, cpu_sys in clock ticks).
pub(crate) const PROCINFO_E: u16 = 234;

/// History kept by one use of a scheduler-derived field.
#[derive(Debug, Default)]
pub struct Acct {
    /// Timestamp of the last switch event seen on each CPU (0 = none yet).
    last_switch: Vec<u64>,
    /// Per thread: the running exec-time total (totexectime) or the last
    /// user+system tick count (thread.cpu*).
    per_thread: HashMap<i64, u64>,
}

/// Shared handle to a field use's history (cloned fields share it).
pub type AcctRef = Arc<Mutex<Acct>>;

/// True for the fields that need an [`Acct`].
pub fn needs_acct(id: Fid) -> bool {
    matches!(id, Fid::ThreadExectime | Fid::ThreadTotexectime | Fid::ThreadCpu | Fid::ThreadCpuUser | Fid::ThreadCpuSystem)
}

/// True for switch events.
pub fn is_switch(etype: u16) -> bool {
    etype == SCHEDSWITCH_1_E || etype == SCHEDSWITCH_6_E
}

impl Acct {
    /// Time since the previous switch event on this event's CPU (0 for the
    /// first one and for any other event type).
    fn exectime(&mut self, ev: &Event) -> u64 {
        if !is_switch(ev.etype) {
            return 0;
        }
        let cpu = ev.cpu as usize;
        if self.last_switch.len() <= cpu {
            self.last_switch.resize(cpu + 1, 0);
        }
        let last = std::mem::replace(&mut self.last_switch[cpu], ev.ts);
        if last != 0 {
            ev.ts.wrapping_sub(last)
        } else {
            0
        }
    }
}

/// `thread.exectime`: for switch events, the time the CPU's previous thread ran.
pub fn exectime(acct: &AcctRef, ev: &Event) -> u64 {
    lock(acct).exectime(ev)
}

/// `thread.totexectime`: the thread's running total of `exectime` values
/// (None when the thread is unknown).
pub fn totexectime(acct: &AcctRef, ev: &Event, has_thread: bool) -> Option<u64> {
    let mut a = lock(acct);
    let d = a.exectime(ev);
    if !has_thread {
        return None;
    }
    let tot = a.per_thread.entry(ev.tid).or_insert(0);
    *tot = tot.wrapping_add(d);
    Some(*tot)
}

/// `thread.cpu`, `thread.cpu.user`, `thread.cpu.system` for a procinfo event:
/// the ticks used since the thread's previous procinfo event, capped at 100
/// (0 the first time). None for other events.
pub fn cpu(acct: &AcctRef, id: Fid, ev: &Event) -> Option<f64> {
    if ev.etype != PROCINFO_E {
        return None;
    }
    let user = if id == Fid::ThreadCpuSystem { 0 } else { u64_param(ev, 0) };
    let system = if id == Fid::ThreadCpuUser { 0 } else { u64_param(ev, 1) };
    let tcpu = user.wrapping_add(system);
    let mut a = lock(acct);
    let last = a.per_thread.entry(ev.tid).or_insert(0);
    let v = if *last != 0 { (tcpu.wrapping_sub(*last) as f64).min(100.0) } else { 0.0 };
    *last = tcpu;
    Some(v)
}

fn u64_param(ev: &Event, i: usize) -> u64 {
    match ev.param(i) {
        Some(b) if b.len() >= 8 => u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8])),
        _ => 0,
    }
}

fn lock(a: &AcctRef) -> std::sync::MutexGuard<'_, Acct> {
    a.lock().unwrap_or_else(|e| e.into_inner())
}
