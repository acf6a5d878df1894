//! Reads the shared real traces end to end.

use std::collections::BTreeMap;

use rchisel::source::records::*;
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};

mod common;
use common::shared_trace as trace;

#[derive(Default, Debug)]
struct Summary {
    events: u64,
    by_type: BTreeMap<u16, u64>,
    procs: Vec<ProcRecord>,
    fds: Vec<FdRecord>,
    users: Vec<UserRecord>,
    groups: Vec<GroupRecord>,
    ifaces: Vec<InterfaceRecord>,
    machine: Option<MachineInfo>,
    first_ts: u64,
    last_ts: u64,
}

fn read_all(name: &str) -> Option<Summary> {
    let p = trace(name)?;
    let mut r = ScapReader::open(&p).expect("open");
    let mut s = Summary::default();
    while let Some(item) = r.next_item().expect("read") {
        match item {
            Item::Event(e) => {
                if s.events == 0 {
                    s.first_ts = e.ts;
                }
                s.last_ts = e.ts;
                s.events += 1;
                *s.by_type.entry(e.etype).or_default() += 1;
                // Every parameter must be reachable.
                assert_eq!(e.params().count(), e.nparams as usize);
            }
            Item::Record(Record::Process(p)) => s.procs.push(*p),
            Item::Record(Record::Fd(f)) => s.fds.push(f),
            Item::Record(Record::User(u)) => s.users.push(u),
            Item::Record(Record::Group(g)) => s.groups.push(g),
            Item::Record(Record::Interface(i)) => s.ifaces.push(i),
            Item::Record(Record::Machine(m)) => s.machine = Some(m),
        }
    }
    assert!((r.progress() - 1.0).abs() < 1e-9, "progress {}", r.progress());
    assert!(r.take_warnings().is_empty());
    Some(s)
}

#[test]
fn curl_google_reads_completely() {
    let Some(s) = read_all("curl_google.scap") else { return };
    eprintln!("{:?} procs={} fds={} users={} groups={} ifaces={}", s.by_type, s.procs.len(), s.fds.len(), s.users.len(), s.groups.len(), s.ifaces.len());
    eprintln!("{:?}", s.machine);
    assert_eq!(s.events, 1536);
    assert_eq!(s.procs.len(), 54);
    assert_eq!(s.fds.len(), 316);
    assert_eq!((s.users.len(), s.groups.len(), s.ifaces.len()), (31, 55, 5));
    assert_eq!(s.machine.as_ref().map(|m| m.hostname.as_str()), Some("ip-10-0-0-79"));
    // sshd's listening sockets (lsof shows 0.0.0.0:22 and :::22).
    let sshd = s.procs.iter().find(|p| p.comm == "sshd" && p.tid == 1397).expect("sshd 1397");
    assert_eq!(sshd.pid, 1397);
    assert!(s.fds.iter().any(|f| f.tid == 1397
        && f.fd == 3
        && matches!(f.detail, FdDetail::Ipv4Server { ip: [0, 0, 0, 0], port: 22, .. })));
    assert!(s.fds.iter().any(|f| f.tid == 1397
        && f.fd == 4
        && matches!(f.detail, FdDetail::Ipv6Server { port: 22, .. })));
    assert!(s.fds.iter().any(|f| f.tid == 1397
        && f.fd == 0
        && f.fdtype == FdType::File
        && f.detail == FdDetail::Named("/dev/null".into())));
    // curl's execve exit is in the capture.
    assert!(s.by_type.contains_key(&23));
}

#[test]
fn ipv6_client_reads_completely() {
    let Some(s) = read_all("test_ipv6_client.scap") else { return };
    eprintln!("{:?} procs={} fds={} users={} groups={} ifaces={}", s.by_type, s.procs.len(), s.fds.len(), s.users.len(), s.groups.len(), s.ifaces.len());
    assert_eq!(s.events, 326);
}

/// evt.num as sysdig prints it equals the ordinal of the event in the reader's
/// stream (procinfo events count but are not printed).
fn check_numbering(name: &str, first_printed: u64) {
    let Some(p) = trace(name) else { return };
    let mut r = ScapReader::open(&p).unwrap();
    let mut ours = Vec::new();
    let mut n = 0u64;
    while let Some(item) = r.next_item().unwrap() {
        if let Item::Event(e) = item {
            n += 1;
            if e.etype != 234 {
                ours.push(format!("{n} {} {}", e.ts, e.tid));
            }
        }
    }
    assert_eq!(r.stats().events, n);
    assert!(ours[0].starts_with(&format!("{first_printed} ")), "{}", ours[0]);
    let Ok(out) = std::process::Command::new("sysdig")
        .env("TZ", "UTC")
        .arg("-r")
        .arg(&p)
        .args(["-p", "%evt.num %evt.rawtime %thread.tid"])
        .output()
    else {
        println!("skipping sysdig comparison: sysdig not installed");
        return;
    };
    let theirs: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn curl_numbering_matches_sysdig() {
    check_numbering("curl_google.scap", 211);
}

#[test]
fn ipv6_numbering_matches_sysdig() {
    check_numbering("test_ipv6_client.scap", 173);
}
