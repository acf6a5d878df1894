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

/// A shell spawning `true` in a loop while the capture starts: some child is
/// born between the last look at /proc before the attach and the attach, and
/// exits before the snapshot after it reaches it. Seen by neither snapshot,
/// it is named by the identity the probe sends at its exit during start-up.
/// No event of the written capture is unnamed, as rchisel and sysdig read it.
#[test]
fn processes_born_right_before_the_attach_keep_their_names() {
    if !common::live_ready() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rchisel-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cap = dir.join("loop.scap");
    let mut spawner =
        Command::new("sh").args(["-c", "while :; do /bin/true; done"]).spawn().expect("run the spawning loop");
    let mut unnamed_runs = Vec::new();
    for round in 0..3 {
        let rec = Command::new(env!("CARGO_BIN_EXE_rchisel"))
            .args(["-w", cap.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run rchisel");
        common::wait_attached(rec.id(), 5);
        std::thread::sleep(Duration::from_millis(500));
        // SAFETY: kill only signals the child we spawned.
        unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
        let _ = rec.wait_with_output();
        let out = Command::new(env!("CARGO_BIN_EXE_rchisel"))
            .args(["-r", cap.to_str().unwrap(), "-p", "%evt.num %thread.tid %evt.type", "proc.name=<NA>"])
            .output()
            .unwrap();
        let all = Command::new(env!("CARGO_BIN_EXE_rchisel")).args(["-r", cap.to_str().unwrap(), "-q", "-v"]).output().unwrap();
        assert!(String::from_utf8_lossy(&all.stderr).contains("Captured Events"), "capture unreadable");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        // sysdig, where installed, reads the same names from the file.
        if let Ok(o) = Command::new("sysdig").args(["-r", cap.to_str().unwrap(), "proc.name=<NA>"]).output() {
            text.push_str(&String::from_utf8_lossy(&o.stdout));
        }
        if !text.is_empty() {
            unnamed_runs.push(format!("round {round}:\n{text:.1500}"));
        }
    }
    let _ = spawner.kill();
    let _ = spawner.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(unnamed_runs.is_empty(), "events without a process name:\n{}", unnamed_runs.join("\n"));
}
