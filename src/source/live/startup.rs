//! Threads that exit while the capture starts.
//!
//! The /proc snapshot is taken after the probe is attached, so that no thread
//! born meanwhile is missed; but a thread alive at attach time that exits
//! before the snapshot reaches it has events (its last syscalls, its
//! procexit) and no entry: its events would show `<NA>` names. So a first
//! snapshot of the processes is taken just before attaching; the threads it
//! has and the second one lacks "departed" during the start. Their entries
//! are handed on, before the first event, only for those that have events
//! in the start-up stretch (up to the end of the second snapshot: a thread
//! gone by then has no later event), so no entry of a thread that exited
//! before the attach stays behind.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::source::exe_writable::IdentityError;
use crate::source::Record;
use crate::source::records::ProcRecord;

/// Every thread, as close to the attach as can be: a full scan, then scans
/// of the threads born during the previous one (each much shorter), so that
/// few threads are born between the last look and the attach.
pub(super) fn threads_now(full_env: bool) -> Result<Vec<Record>, IdentityError> {
    let mut out = crate::source::procfs::processes(full_env)?;
    for _ in 0..3 {
        if !top_up(&mut out, full_env)? {
            break;
        }
    }
    Ok(out)
}

/// Adds the threads `scan` does not have yet; false when there were none.
/// Right after the attach, this catches the threads born during it, before
/// the full snapshot (tens of ms) reaches them.
pub(super) fn top_up(scan: &mut Vec<Record>, full_env: bool) -> Result<bool, IdentityError> {
    let known: HashSet<i64> =
        scan.iter().filter_map(|r| if let Record::Process(p) = r { Some(p.tid) } else { None }).collect();
    let more = crate::source::procfs::processes_except(&known, full_env)?;
    let any = !more.is_empty();
    scan.extend(more);
    Ok(any)
}

/// The departed threads' records, by process.
pub(super) struct Departed {
    /// Thread and fd records of each process with a departed thread (fds
    /// only when the whole process is gone).
    by_pid: HashMap<i64, Vec<Record>>,
    /// Process of each departed thread.
    pid_of: HashMap<i64, i64>,
    /// Events stamped up to this time (the end of the second snapshot) are
    /// looked at.
    pub cutoff: u64,
    /// Every thread either snapshot has.
    known: HashSet<i64>,
}

impl Departed {
    /// The threads of `early` (taken before the attach) missing from `now`
    /// (taken after it), with the fds of the processes missing entirely.
    pub fn new(early: Vec<Record>, now: &[Record], cutoff: u64) -> Departed {
        let mut alive_tids = HashSet::default();
        let mut alive_pids = HashSet::default();
        for r in now {
            if let Record::Process(p) = r {
                alive_tids.insert(p.tid);
                alive_pids.insert(p.pid);
            }
        }
        let mut known = alive_tids.clone();
        known.extend(early.iter().filter_map(|r| if let Record::Process(p) = r { Some(p.tid) } else { None }));
        let mut d = Departed { by_pid: HashMap::default(), pid_of: HashMap::default(), cutoff, known };
        for r in early {
            match &r {
                Record::Process(p) if !alive_tids.contains(&p.tid) => {
                    d.pid_of.insert(p.tid, p.pid);
                    d.by_pid.entry(p.pid).or_default().push(r);
                }
                Record::Fd(f) if !alive_pids.contains(&f.tid) && d.by_pid.contains_key(&f.tid) => {
                    d.by_pid.entry(f.tid).or_default().push(r);
                }
                _ => {}
            }
        }
        d
    }

    /// True when `tid` departed.
    pub fn has(&self, tid: i64) -> bool {
        self.pid_of.contains_key(&tid)
    }

    /// True when one of the two snapshots has `tid`.
    pub fn knows(&self, tid: i64) -> bool {
        self.known.contains(&tid)
    }

    /// The records of every process one of `tids` belongs to (its departed
    /// threads, then its fds when it is gone), in process order.
    pub fn take_for(mut self, tids: &HashSet<i64>) -> Vec<Record> {
        let mut pids: Vec<i64> = tids.iter().filter_map(|t| self.pid_of.get(t).copied()).collect();
        pids.sort_unstable();
        pids.dedup();
        pids.into_iter().flat_map(|p| self.by_pid.remove(&p).unwrap_or_default()).collect()
    }
}

/// The thread record of the probe's identity record `ev` (a whole event:
/// header, then pid, parent pid and comm) of thread `tid`.
pub(super) fn identity(tid: i64, ev: &[u8]) -> Option<ProcRecord> {
    let body = ev.get(crate::event::HEADER_LEN_V2..)?;
    let lens: Vec<usize> = (0..3).map(|i| body.get(2 * i..2 * i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)).collect::<Option<_>>()?;
    let data = body.get(6..)?;
    let pid = i64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let ptid = i64::from_le_bytes(data.get(lens[0]..lens[0] + 8)?.try_into().ok()?);
    let at = lens[0] + lens[1];
    let comm = data.get(at..at + lens[2])?;
    let comm = String::from_utf8_lossy(comm.split(|&b| b == 0).next().unwrap_or(&[])).into_owned();
    Some(ProcRecord { tid, pid, ptid, exe: comm.clone(), comm, ..ProcRecord::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::records::{FdDetail, FdRecord, FdType, ProcRecord};

    fn proc(tid: i64, pid: i64) -> Record {
        Record::Process(Box::new(ProcRecord { tid, pid, comm: format!("t{tid}"), ..ProcRecord::default() }))
    }

    fn fd(pid: i64, fd: i64) -> Record {
        Record::Fd(FdRecord { tid: pid, fd, ino: 0, fdtype: FdType::File, detail: FdDetail::Named(String::new()) })
    }

    fn tids(r: &[Record]) -> Vec<(char, i64)> {
        r.iter()
            .map(|r| match r {
                Record::Process(p) => ('t', p.tid),
                Record::Fd(f) => ('f', f.fd),
                _ => ('?', 0),
            })
            .collect()
    }

    #[test]
    fn only_departed_threads_with_events_come_back() {
        // 10 lives on; 20 (with thread 21) is gone; thread 31 of 30 is gone;
        // 40 is gone but has no event.
        let early = vec![proc(10, 10), fd(10, 1), proc(20, 20), proc(21, 20), fd(20, 3), proc(30, 30), proc(31, 30), fd(30, 4), proc(40, 40)];
        let now = vec![proc(10, 10), fd(10, 1), proc(30, 30), fd(30, 4)];
        let d = Departed::new(early, &now, 0);
        assert!(d.has(21) && d.has(31) && d.has(40) && !d.has(10) && !d.has(30));
        let seen: HashSet<i64> = [10, 21, 31, 99].into_iter().collect();
        assert_eq!(tids(&d.take_for(&seen)), vec![('t', 20), ('t', 21), ('f', 3), ('t', 31)]);
        let same = Departed::new(vec![proc(1, 1)], &[proc(1, 1)], 0);
        assert!(!same.has(1) && same.knows(1) && !same.knows(2));
    }
}
