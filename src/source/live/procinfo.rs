//! procinfo events for live captures: once a second (at the first event of
//! a new second), every thread's user and system CPU ticks from
//! `/proc/PID/task/TID/stat`, as libsinsp synthesizes them from the
//! driver's thread list (`sinsp::get_procs_cpu_from_driver`). They follow
//! the event that crossed the second, on CPU 0; threads with no CPU time yet
//! are left out. `thread.cpu` and `topprocs_cpu` are computed from them.
//!
//! libsinsp stamps them 1 ns before the second that ended, which puts them
//! behind the event they follow; here they carry that event's time, so that
//! a live capture's events stay in time order.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// PPME_PROCINFO_E.
const PROCINFO_E: u16 = 234;
const SECOND: u64 = 1_000_000_000;
/// Ring-record prefix (cpu u16, then zeros) the live source's events carry.
const PREFIX: usize = 8;

/// The procinfo scheduler of one live capture.
#[derive(Default)]
pub struct ProcInfo {
    /// Event time after which the next round is due (0 = not started).
    next_flush_ns: u64,
    /// When /proc was last read (at most every half second, as sysdig).
    last_read: Option<Instant>,
    /// Records waiting to be delivered, in the live source's record layout.
    queue: VecDeque<Vec<u8>>,
}

impl ProcInfo {
    /// Notes an event's timestamp; queues a round of procinfo events when it
    /// is the first one of a new second.
    pub fn on_event(&mut self, ts: u64) {
        if ts <= self.next_flush_ns {
            return;
        }
        let next = ts - ts % SECOND + SECOND;
        let first = self.next_flush_ns == 0;
        self.next_flush_ns = next;
        if first {
            return;
        }
        if self.last_read.is_some_and(|t| t.elapsed() <= Duration::from_millis(500)) {
            return;
        }
        self.last_read = Some(Instant::now());
        let stamp = ts;
        for (tid, utime, stime) in thread_times() {
            if utime == 0 && stime == 0 {
                continue;
            }
            self.queue.push_back(record(stamp, tid, utime, stime));
        }
    }

    /// The next queued procinfo record, if any.
    pub fn pop(&mut self) -> Option<Vec<u8>> {
        self.queue.pop_front()
    }
}

/// One procinfo event (cpu_usr, cpu_sys) behind the record prefix.
fn record(ts: u64, tid: i64, utime: u64, stime: u64) -> Vec<u8> {
    let mut r = vec![0u8; PREFIX];
    let len: u32 = 26 + 2 * 2 + 16;
    r.extend_from_slice(&ts.to_le_bytes());
    r.extend_from_slice(&tid.to_le_bytes());
    r.extend_from_slice(&len.to_le_bytes());
    r.extend_from_slice(&PROCINFO_E.to_le_bytes());
    r.extend_from_slice(&2u32.to_le_bytes());
    r.extend_from_slice(&8u16.to_le_bytes());
    r.extend_from_slice(&8u16.to_le_bytes());
    r.extend_from_slice(&utime.to_le_bytes());
    r.extend_from_slice(&stime.to_le_bytes());
    r
}

/// `(tid, utime, stime)` of every thread in /proc (clock ticks).
fn thread_times() -> Vec<(i64, u64, u64)> {
    let mut out = Vec::new();
    let Ok(procs) = std::fs::read_dir("/proc") else { return out };
    for p in procs.flatten() {
        let name = p.file_name();
        let Some(pid) = name.to_str().filter(|n| n.bytes().all(|c| c.is_ascii_digit())) else { continue };
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { continue };
        for t in tasks.flatten() {
            let Ok(text) = std::fs::read_to_string(t.path().join("stat")) else { continue };
            if let Some(v) = parse_stat(&text) {
                out.push(v);
            }
        }
    }
    out
}

/// tid, utime and stime (fields 14 and 15) of a `stat` line; the command
/// name ends at the last `)`.
fn parse_stat(text: &str) -> Option<(i64, u64, u64)> {
    let tid = text.split(' ').next()?.parse().ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let mut f = rest.split_whitespace().skip(11);
    Some((tid, f.next()?.parse().ok()?, f.next()?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields() {
        let s = "42 (a (b) c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 5 100 10";
        assert_eq!(parse_stat(s), Some((42, 7, 3)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn rounds_start_at_the_second_new_second() {
        let mut p = ProcInfo::default();
        p.on_event(5 * SECOND + 10);
        assert!(p.pop().is_none(), "the first event only arms the timer");
        p.on_event(5 * SECOND + 20);
        assert!(p.pop().is_none());
        p.on_event(6 * SECOND + 1);
        let r = p.pop().expect("a round at the next second (this process has used CPU)");
        let ts = u64::from_le_bytes(r[PREFIX..PREFIX + 8].try_into().unwrap());
        assert_eq!(ts, 6 * SECOND + 1);
        assert_eq!(u16::from_le_bytes([r[PREFIX + 20], r[PREFIX + 21]]), PROCINFO_E);
        assert_eq!(r.len(), PREFIX + 46);
    }
}
