//! Kernel-side selection: which syscalls the probe traces when the capture
//! filter and the chisels can only ever match some event types.
//!
//! A syscall stays traced when any name its events can carry may pass (the
//! name of the dedicated event libs' drivers emit for it, and its own name,
//! which a generic event carries), or when the state engine needs its events
//! to keep threads and file descriptors right (see `src/state/parse`).
//! Events not made by syscalls (process exit, scheduler) are not affected.

use crate::event::table::{event_info, syscall_info};
use crate::filter::EventTypes;

use super::syscall_events::SYSCALL_ENTER_EVENT;

/// Syscalls whose events the state engine parses to keep its thread, fd and
/// user tables right, by their libs names: they are traced whatever the filter.
pub const STATE_SYSCALLS: &[&str] = &[
    // threads and programs
    "clone", "clone3", "fork", "vfork", "execve", "execveat", "chdir", "fchdir", "getcwd", "chroot", "setsid",
    "setpgid", "setuid", "setgid", "setresuid", "setresgid", "getrlimit", "setrlimit", "prlimit64",
    // file descriptors
    "open", "creat", "openat", "openat2", "close", "dup", "dup2", "dup3", "fcntl", "pipe", "pipe2", "socket",
    "socketpair", "bind", "connect", "accept", "accept4", "getsockopt", "shutdown", "eventfd", "eventfd2",
    "signalfd", "signalfd4", "timerfd_create", "inotify_init", "inotify_init1", "epoll_create", "epoll_create1",
];

/// x86_64 syscall number -> PPM_SC code, from the probe's own table.
fn ppm_sc_table() -> Vec<u16> {
    let mut t = vec![0u16; 512];
    let src = include_str!("../../../probe/syscall_ppm_sc.h");
    // Entries look like `[59] = 324,`.
    for part in src.split('[').skip(1) {
        let Some((nr, rest)) = part.split_once(']') else { continue };
        let Some(val) = rest.trim_start().strip_prefix('=') else { continue };
        let val: String = val.trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
        if let (Ok(nr), Ok(v)) = (nr.trim().parse::<usize>(), val.parse::<u16>()) && nr < t.len() {
            t[nr] = v;
        }
    }
    t
}

/// The event type names syscall `nr` can produce.
fn names_of(nr: usize, sc: &[u16]) -> Vec<&'static str> {
    let mut names = Vec::new();
    if let Some(info) = sc.get(nr).filter(|&&c| c != 0).and_then(|&c| syscall_info(c)) {
        names.push(info.name);
    }
    if let Ok(i) = SYSCALL_ENTER_EVENT.binary_search_by_key(&(nr as u16), |&(n, _)| n) {
        let et = SYSCALL_ENTER_EVENT[i].1;
        if et >= 2 && let Some(info) = event_info(et) {
            names.push(info.sysdig_name());
            names.push(info.name);
        }
    }
    names
}

/// The probe's syscall mask (bit `nr % 64` of word `nr / 64`) for events of
/// `types`; `None` when every syscall must be traced.
pub fn syscall_mask(types: &EventTypes) -> Option<[u64; 8]> {
    if matches!(types, EventTypes::All) {
        return None;
    }
    let sc = ppm_sc_table();
    let mut mask = [0u64; 8];
    for nr in 0..512 {
        let names = names_of(nr, &sc);
        // A syscall we cannot name is kept: it might match.
        let keep = names.is_empty()
            || names.iter().any(|n| types.may_match(n.as_bytes()) || STATE_SYSCALLS.contains(n));
        if keep {
            mask[nr / 64] |= 1 << (nr % 64);
        }
    }
    (mask != [u64::MAX; 8]).then_some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Registry;
    use crate::filter::Filter;

    fn bit(m: &[u64; 8], nr: usize) -> bool {
        m[nr / 64] >> (nr % 64) & 1 == 1
    }

    fn mask_for(f: &str) -> Option<[u64; 8]> {
        syscall_mask(Filter::new(f, Registry::get()).unwrap().event_types())
    }

    #[test]
    fn type_filter_keeps_its_syscalls_and_the_state_ones() {
        let m = mask_for("evt.type in (execve, connect) and proc.name=curl").expect("a selection");
        // execve 59, connect 42; state: openat 257, close 3, clone 56, dup2 33.
        for nr in [59, 42, 257, 3, 56, 33] {
            assert!(bit(&m, nr), "syscall {nr} must be traced");
        }
        // read 0, write 1, futex 202, mmap 9, nanosleep 35: never match.
        for nr in [0, 1, 202, 9, 35] {
            assert!(!bit(&m, nr), "syscall {nr} must not be traced");
        }
    }

    #[test]
    fn names_differing_from_the_syscall_are_found() {
        // pread64 (17) is the event "pread"; generic ones by their own name.
        let m = mask_for("evt.type=pread or evt.type=nanosleep").unwrap();
        assert!(bit(&m, 17));
        assert!(bit(&m, 35));
        assert!(!bit(&m, 0));
    }

    #[test]
    fn no_selection_when_anything_may_match() {
        assert_eq!(mask_for("proc.name=bash"), None);
        let m = mask_for("evt.type!=read").expect("read is left out");
        assert!(!bit(&m, 0));
        assert!(bit(&m, 1) && bit(&m, 202));
    }
}
