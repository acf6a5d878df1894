//! `--filter-proclist` (issue 12): `-r in -w out --filter-proclist FILTER`
//! writes only the threads with an fd the filter matches, and only those fds,
//! as sysdig 0.29.3 does; compared with sysdig's own output file.
//!
//! sysdig 0.29.3 writes a broken interface-list block whenever it copies a
//! file (`-r` with `-w`; it cannot read such a file back itself), so its
//! tables are read from a copy of its file's well-formed table blocks.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use rchisel::source::{Item, Record, Source};

/// Threads as (tid, comm).
type Threads = BTreeSet<(i64, String)>;
/// Fds as (tid, fd).
type Fds = BTreeSet<(i64, i64)>;

/// The threads and fds of a capture's tables.
fn tables(path: &Path) -> (Threads, Fds) {
    let mut r = rchisel::source::scap::ScapReader::open(path).unwrap();
    let (mut threads, mut fds) = (BTreeSet::new(), BTreeSet::new());
    while let Some(item) = r.next_item().unwrap() {
        match item {
            Item::Record(Record::Process(p)) => {
                threads.insert((p.tid, p.comm.clone()));
            }
            Item::Record(Record::Fd(f)) => {
                fds.insert((f.tid, f.fd));
            }
            Item::Record(_) => {}
            Item::Event(_) => break,
        }
    }
    (threads, fds)
}

/// A copy of capture `path` with its section header and its well-formed
/// table blocks only (a block whose trailing length does not match its
/// header is skipped up to the next well-formed one), up to the first event.
fn table_blocks(path: &Path, out: &Path) {
    const TABLES: [u32; 5] = [0x201, 0x215, 0x218, 0x219, 0x220];
    let b = std::fs::read(path).unwrap();
    let u32_at = |o: usize| b.get(o..o + 4).map(|x| u32::from_le_bytes(x.try_into().unwrap()));
    let whole = |o: usize| -> Option<(u32, usize)> {
        let (t, l) = (u32_at(o)?, u32_at(o + 4)? as usize);
        (l >= 12 && o + l <= b.len() && u32_at(o + l - 4)? as usize == l).then_some((t, l))
    };
    let (_, shb) = whole(0).expect("no section header");
    let mut copy = b[..shb].to_vec();
    let mut off = shb;
    while off + 8 <= b.len() {
        match whole(off) {
            Some((t, l)) if TABLES.contains(&t) => {
                copy.extend_from_slice(&b[off..off + l]);
                off += l;
            }
            Some(_) => break,
            None => {
                off += 4;
                while off + 8 <= b.len() && !whole(off).is_some_and(|(t, _)| TABLES.contains(&t)) {
                    off += 4;
                }
            }
        }
    }
    std::fs::write(out, copy).unwrap();
}

fn write(bin: &str, trace: &Path, out: &Path, filter: &str, proclist: bool) {
    let mut c = Command::new(bin);
    c.arg("-r").arg(trace).arg("-w").arg(out);
    if proclist {
        c.arg("--filter-proclist");
    }
    let o = c.arg(filter).output().unwrap();
    assert!(o.status.success(), "{bin} --filter-proclist {filter}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn proclist_filtered_as_sysdig() {
    let Some(trace) = common::shared_trace("curl_google.scap") else { return };
    if !common::have_sysdig() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rchisel-fpl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ours, theirs, fixed) = (dir.join("ours.scap"), dir.join("theirs.scap"), dir.join("fixed.scap"));
    let (all_threads, all_fds) = {
        write(env!("CARGO_BIN_EXE_rchisel"), &trace, &ours, "proc.name=curl", false);
        tables(&ours)
    };
    let mut kept_some = false;
    for filter in [
        "proc.name=curl",
        "fd.name contains /etc",
        "fd.type=ipv4 or fd.type=unix",
        "evt.type=open",
        "proc.name=curl and fd.num>2",
        "fd.num=0",
    ] {
        write(env!("CARGO_BIN_EXE_rchisel"), &trace, &ours, filter, true);
        write("sysdig", &trace, &theirs, filter, true);
        table_blocks(&theirs, &fixed);
        let (a, b) = (tables(&ours), tables(&fixed));
        assert_eq!(a, b, "tables written with --filter-proclist {filter:?} differ from sysdig's");
        assert!(a.0.len() < all_threads.len() && a.1.len() < all_fds.len(), "{filter}: nothing was left out");
        if !a.1.is_empty() {
            kept_some = true;
        }
    }
    assert!(kept_some, "no filter kept anything");
    // Without the flag, every thread and fd stays.
    write("sysdig", &trace, &theirs, "proc.name=curl", false);
    table_blocks(&theirs, &fixed);
    assert_eq!(tables(&fixed), (all_threads, all_fds));
    let _ = std::fs::remove_dir_all(&dir);
}
