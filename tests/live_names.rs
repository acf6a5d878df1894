//! Live process names from the first event: processes alive when the capture
//! starts that exit while it starts (between the attach and the /proc
//! snapshot reaching them) keep their names. Needs root and a BTF kernel;
//! skips otherwise.

mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::Duration;

/// 581 `sleep` processes ending 10 ms apart from 0.2 s to 6 s cover the
/// capture's start, whenever it happens (loading the probe takes seconds on
/// a loaded machine): a few of them exit between the
/// attach and the snapshot. Every event of theirs is named `sleep`.
#[test]
fn processes_exiting_during_the_start_keep_their_names() {
    if !common::live_ready() {
        return;
    }
    let mut sleepers = Vec::new();
    for i in 20..=600 {
        let secs = format!("{}.{:02}", i / 100, i % 100);
        sleepers.push(Command::new("sleep").arg(secs).spawn().expect("run sleep"));
    }
    let pids: HashSet<String> = sleepers.iter().map(|c| c.id().to_string()).collect();
    let rec = Command::new(env!("CARGO_BIN_EXE_rchisel"))
        .args(["-p", "%thread.tid %proc.name %evt.type", "evt.type in (procexit, exit_group, close, clock_nanosleep)"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run rchisel");
    std::thread::sleep(Duration::from_millis(6500));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let out = rec.wait_with_output().unwrap();
    for mut s in sleepers {
        let _ = s.wait();
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let theirs: Vec<&str> = text.lines().filter(|l| l.split(' ').next().is_some_and(|t| pids.contains(t))).collect();
    assert!(theirs.len() > 100, "too few events of the sleepers were captured ({}):\n{text:.2000}", theirs.len());
    let unnamed: Vec<&&str> = theirs.iter().filter(|l| l.split(' ').nth(1) != Some("sleep")).collect();
    assert!(unnamed.is_empty(), "{} of {} events without the name:\n{:?}", unnamed.len(), theirs.len(), &unnamed[..unnamed.len().min(20)]);
}
