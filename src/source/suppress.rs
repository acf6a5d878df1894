//! `-U COMM`: drops the events of threads whose comm is one of a set, and of
//! their children, before they are numbered — libscap's suppressed comms.
//!
//! As libscap decides it: clone/fork/vfork/clone3 and execve/execveat exit
//! events carry the thread's comm (parameter 14) and its parent (parameter 6);
//! a thread whose comm matches, or whose parent is suppressed, joins the
//! suppressed set, one that no longer matches leaves it. Every other event is
//! dropped when its thread is in the set; procexit removes the thread.

use rustc_hash::FxHashSet;

use crate::event::Event;

use crate::event::ppme;

/// The suppressed comms and threads.
#[derive(Debug, Default)]
pub struct CommSuppressor {
    comms: Vec<Vec<u8>>,
    tids: FxHashSet<i64>,
    /// Events dropped so far (sysdig's "Suppressed by Comm" with -v).
    pub dropped: u64,
}

impl CommSuppressor {
    /// A suppressor for these comms; `None` when the list is empty.
    pub fn new(comms: &[String]) -> Option<CommSuppressor> {
        if comms.is_empty() {
            return None;
        }
        Some(CommSuppressor { comms: comms.iter().map(|c| c.as_bytes().to_vec()).collect(), ..Default::default() })
    }

    /// Whether a thread or fd record of the live start-up scan is left out:
    /// as libscap's /proc scan, a thread whose comm matches (compared up to
    /// its first blank, as libscap reads `Name:` from /proc/PID/status)
    /// joins the suppressed set and is not in the thread table, nor are the
    /// fds of such a process. Records read from a file are never left out.
    pub fn scanned(&mut self, rec: &crate::source::Record) -> bool {
        match rec {
            crate::source::Record::Process(p) => {
                let word = p.comm.split([' ', '\t']).next().unwrap_or("").as_bytes();
                if self.comms.iter().any(|c| c.as_slice() == word) {
                    self.tids.insert(p.tid);
                    true
                } else {
                    self.tids.remove(&p.tid);
                    false
                }
            }
            crate::source::Record::Fd(f) => self.tids.contains(&f.tid),
            _ => false,
        }
    }

    /// Whether `ev` is suppressed (and updates the set of suppressed threads).
    pub fn suppressed(&mut self, ev: &Event<'_>) -> bool {
        let hit = match ev.etype {
            ppme::CLONE_20_X | ppme::FORK_20_X | ppme::VFORK_20_X | ppme::EXECVE_19_X | ppme::EXECVEAT_X
            | ppme::CLONE3_X => self.update(ev),
            ppme::PROCEXIT_1_E => self.tids.remove(&ev.tid),
            _ => self.tids.contains(&ev.tid),
        };
        if hit {
            self.dropped += 1;
        }
        hit
    }

    fn update(&mut self, ev: &Event<'_>) -> bool {
        if ev.nparams < 14 {
            return self.tids.contains(&ev.tid);
        }
        let ptid = ev.param_i64(5).unwrap_or(-1);
        let comm = ev.param(13).map(|c| c.split(|&b| b == 0).next().unwrap_or(c)).unwrap_or(b"");
        let hit = self.tids.contains(&ptid) || self.comms.iter().any(|c| c.as_slice() == comm);
        if hit {
            self.tids.insert(ev.tid);
        } else {
            self.tids.remove(&ev.tid);
        }
        hit
    }
}
