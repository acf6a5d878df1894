//! Live scheduler, signal, page-fault and container events, end to end:
//! `rchisel -w` records a workload, then the capture is read back by rchisel
//! (and by sysdig 0.29.3 when installed, which must agree). Needs root and a
//! BTF kernel; skips otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_rchisel");

/// One live capture at a time: on a small machine, parallel captures slow
/// each other's start and reading past what the tests allow for.
static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rchisel-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/bash\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    p
}

/// Records with `rchisel -w cap extra... filter` while `workload` runs.
fn record(cap: &Path, extra: &[&str], filter: &str, workload: impl FnOnce()) {
    let rec: Child = Command::new(BIN)
        .arg("-w")
        .arg(cap)
        .arg("-v")
        .args(extra)
        .arg(filter)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rchisel -w");
    // Loading and attaching the probe takes a moment (longer on a busy
    // machine): wait until every tracepoint is attached.
    let links = if extra.contains(&"--page-faults") { 8 } else { 6 };
    common::wait_attached(rec.id(), links);
    // The /proc snapshot follows the attach.
    std::thread::sleep(Duration::from_millis(200));
    workload();
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: kill only signals the child we spawned.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let out = rec.wait_with_output().unwrap();
    assert!(out.status.success(), "rchisel -w failed: {}", String::from_utf8_lossy(&out.stderr));
    println!("rchisel -w {}: {}", cap.display(), String::from_utf8_lossy(&out.stderr));
}


/// Asserts two outputs are equal, showing the first differing line only.
fn same_text(ours: &str, theirs: &str, what: &str) {
    if ours != theirs {
        let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let i = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        panic!(
            "{what}: outputs differ at line {} (rchisel {} lines, sysdig {}):\n  rchisel: {:?}\n  sysdig:  {:?}",
            i + 1,
            a.len(),
            b.len(),
            a.get(i),
            b.get(i)
        );
    }
}

fn read(bin: &str, cap: &Path, args: &[&str]) -> String {
    common::read_capture(bin, cap, args)
}

/// A docker-style cgroup made for the test (removed on drop).
struct DockerCgroup {
    dir: PathBuf,
    made_parent: Option<PathBuf>,
}

impl DockerCgroup {
    /// `<root>/docker/<id>`: the unified hierarchy when /sys/fs/cgroup is
    /// cgroup v2, else the v1 cpu controller's hierarchy.
    fn new(id: &str) -> Option<DockerCgroup> {
        let base = Path::new("/sys/fs/cgroup");
        let root = if base.join("cgroup.controllers").exists() {
            base.to_path_buf()
        } else if base.join("cpu/cgroup.procs").exists() {
            base.join("cpu")
        } else {
            println!("skipping: no writable cgroup hierarchy found");
            return None;
        };
        let parent = root.join("docker");
        let made_parent = if parent.exists() { None } else { Some(parent.clone()) };
        let dir = parent.join(id);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            println!("skipping: cannot create {}: {e}", dir.display());
            return None;
        }
        Some(DockerCgroup { dir, made_parent })
    }
}

impl Drop for DockerCgroup {
    fn drop(&mut self) {
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if let Some(p) = &self.made_parent {
            let _ = std::fs::remove_dir(p);
        }
    }
}

/// A random 64-hex container id.
fn random_id() -> String {
    let mut b = [0u8; 32];
    std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut b)).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// docker's own file for container `id` (`/var/lib/docker/containers/<id>/
/// config.v2.json`, what the live source reads names from without asking the
/// daemon), made for the test and removed on drop.
struct DockerFiles {
    made: Vec<PathBuf>,
}

impl DockerFiles {
    fn new(id: &str, name: &str, image: &str) -> DockerFiles {
        let mut made = Vec::new();
        let dir = Path::new("/var/lib/docker/containers").join(id);
        // Remember every folder made here, deepest last, to remove them again.
        for d in dir.ancestors().collect::<Vec<_>>().into_iter().rev() {
            if !d.exists() {
                std::fs::create_dir(d).unwrap();
                made.push(d.to_path_buf());
            }
        }
        let cfg = format!(r#"{{"ID":"{id}","Image":"sha256:4f0a1b2c3d4e5f","Name":"/{name}","Config":{{"Hostname":"x","Image":"{image}"}}}}"#);
        std::fs::write(dir.join("config.v2.json"), cfg).unwrap();
        made.push(dir.join("config.v2.json"));
        DockerFiles { made }
    }
}

impl Drop for DockerFiles {
    fn drop(&mut self) {
        for p in self.made.iter().rev() {
            let _ = if p.is_dir() { std::fs::remove_dir(p) } else { std::fs::remove_file(p) };
        }
    }
}

/// A process moved into a docker-style cgroup during the capture, then
/// exec'ing a program there, is in container <first 12 hex> of type docker;
/// sysdig 0.29.3 reading the same file says the same. The container's name
/// and image, from docker's files, travel in the file as a container event
/// that both read back.
#[test]
fn live_docker_cgroup_gives_container_fields() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let id = random_id();
    let Some(cg) = DockerCgroup::new(&id) else { return };
    let dir = tmpdir("ct");
    let cap = dir.join("ct.scap");
    let inner = script(&dir, "rch_ct_inner", "cat /etc/hostname >/dev/null");
    let outer = script(
        &dir,
        "rch_ct_outer",
        &format!("echo $$ > {}/cgroup.procs\nexec {}", cg.dir.display(), inner.display()),
    );
    let files = DockerFiles::new(&id, "rch_web", "nginx:1.25");
    record(&cap, &[], "proc.name startswith rch_ct or proc.aname startswith rch_ct", || {
        assert!(Command::new(&outer).status().unwrap().success(), "workload failed");
    });
    drop(files);
    let fmt = "*%proc.name %container.id %container.type %container.name %container.image";
    let filter = "evt.type=execve and evt.dir=< and proc.name=rch_ct_inner";
    let ours = read(BIN, &cap, &["-p", fmt, filter]);
    assert_eq!(ours, format!("rch_ct_inner {} docker rch_web nginx:1.25\n", &id[..12]), "full output:\n{ours}");
    // The cgroups parameter itself, as libs records it.
    // Every entry is `subsystem=/path` (no empty component, no trailing
    // '/'), and the hierarchy the process moved in names the cgroup whole.
    let cgroups = read(BIN, &cap, &["-p", "%thread.cgroups", filter]);
    let entries: Vec<&str> = cgroups.split_whitespace().collect();
    assert!(!entries.is_empty(), "{cgroups}");
    for e in &entries {
        let (sub, path) = e.split_once('=').unwrap_or_else(|| panic!("{e} in {cgroups}"));
        assert!(!sub.is_empty() && path.starts_with('/'), "{e} in {cgroups}");
        assert!(path == "/" || (!path.ends_with('/') && !path.contains("//")), "{e} in {cgroups}");
    }
    let want = format!("/docker/{id}");
    assert!(entries.iter().any(|e| e.ends_with(&format!("={want}"))), "{cgroups}");
    // Before the move, the same process was on the host.
    let outer_line = read(BIN, &cap, &["-p", fmt, "evt.type=execve and evt.dir=< and proc.name=rch_ct_outer"]);
    assert!(outer_line.starts_with("rch_ct_outer host host host"), "{outer_line}");
    // One container event, before the first event of the container's threads.
    let events = read(BIN, &cap, &["-p", "%evt.type %container.id"]);
    let first_in = events
        .lines()
        .position(|l| l.ends_with(&id[..12]) && !l.starts_with("container "))
        .expect("no event in the container");
    let json: Vec<usize> = events.lines().enumerate().filter(|(_, l)| l.starts_with("container ")).map(|(i, _)| i).collect();
    assert_eq!(json.len(), 1, "{events}");
    assert!(json[0] < first_in, "container event after the container's first event:\n{events}");
    if common::have_sysdig() {
        for f in [fmt, "*%evt.num %evt.type %proc.name %container.id %container.type %container.name %container.image %container.privileged"] {
            same_text(&read(BIN, &cap, &["-p", f]), &read("sysdig", &cap, &["-p", f]), f);
        }
    }
    // Rotated pieces each start with the containers known when they open.
    let piece = dir.join("piece.scap");
    let o = Command::new(BIN).arg("-r").arg(&cap).arg("-w").arg(&piece).args(["-e", "200"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pieces: Vec<(bool, bool)> = (0..)
        .map(|i| dir.join(format!("piece.scap{i}")))
        .take_while(|p| p.exists())
        .map(|p| container_events(&p))
        .collect();
    let seen = pieces.iter().position(|&(_, any)| any).expect("no piece has the container event");
    assert!(pieces.len() > seen + 1, "too few pieces after the container appeared: {pieces:?}");
    assert!(pieces[seen + 1..].iter().all(|&(first, _)| first), "pieces do not start with the container event: {pieces:?}");
    drop(cg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether a capture's first event is a container event naming `rch_web`,
/// and whether it has such an event at all.
fn container_events(path: &Path) -> (bool, bool) {
    use rchisel::source::{Item, Source};
    let mut r = rchisel::source::scap::ScapReader::open(path).unwrap();
    let (mut first, mut any, mut n) = (false, false, 0);
    while let Some(item) = r.next_item().unwrap() {
        if let Item::Event(e) = item {
            let named = matches!(e.etype, 272 | 324)
                && e.param(0).is_some_and(|j| String::from_utf8_lossy(j).contains("\"name\":\"rch_web\""));
            first |= n == 0 && named;
            any |= named;
            n += 1;
        }
    }
    (first, any)
}

/// A container without runtime files (a bare cgroup) has no name; a
/// container event, as sysdig writes at the start of a capture when the
/// runtime told it the container's details, names it for both readers.
#[test]
fn live_container_named_by_container_event() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let id = random_id();
    let Some(cg) = DockerCgroup::new(&id) else { return };
    let dir = tmpdir("ctn");
    let cap = dir.join("ct.scap");
    let inner = script(&dir, "rch_ct_inner", "cat /etc/hostname >/dev/null");
    let outer = script(
        &dir,
        "rch_ct_outer",
        &format!("echo $$ > {}/cgroup.procs\nexec {}", cg.dir.display(), inner.display()),
    );
    record(&cap, &[], "proc.name startswith rch_ct or proc.aname startswith rch_ct", || {
        assert!(Command::new(&outer).status().unwrap().success(), "workload failed");
    });
    let fmt = "*%proc.name %container.id %container.type %container.name";
    let filter = "evt.type=execve and evt.dir=< and proc.name=rch_ct_inner";
    let ours = read(BIN, &cap, &["-p", fmt, filter]);
    assert_eq!(ours, format!("rch_ct_inner {} docker <NA>\n", &id[..12]), "full output:\n{ours}");
    if common::have_sysdig() {
        same_text(&read(BIN, &cap, &["-p", fmt]), &read("sysdig", &cap, &["-p", fmt]), fmt);
    }
    let named = dir.join("ct_named.scap");
    let json = format!(
        r#"{{"container":{{"Mounts":[],"full_id":"{id}","id":"{}","image":"nginx:1.25","imagedigest":"","imageid":"4f0a1b2c3d4e","imagerepo":"nginx","imagetag":"1.25","ip":"172.17.0.2","is_pod_sandbox":false,"labels":null,"lookup_state":1,"name":"rch_web","privileged":false,"type":0}}}}"#,
        &id[..12]
    );
    with_container_event(&cap, &named, &json);
    let fmt2 = "*%proc.name %container.id %container.type %container.name %container.image %container.image.repository %container.image.tag %container.privileged";
    let ours = read(BIN, &named, &["-p", fmt2, "proc.name=rch_ct_inner and evt.type=procexit"]);
    assert_eq!(ours, format!("rch_ct_inner {} docker rch_web nginx:1.25 nginx 1.25 false\n", &id[..12]));
    if common::have_sysdig() {
        same_text(&read(BIN, &named, &["-p", fmt2]), &read("sysdig", &named, &["-p", fmt2]), fmt2);
    }
    drop(cg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A process already in a container when the capture starts (found by the
/// /proc snapshot): its container is named in the file from the start, for
/// rchisel and sysdig 0.29.3 alike.
#[test]
fn live_container_known_at_start_is_named() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let id = random_id();
    let Some(cg) = DockerCgroup::new(&id) else { return };
    let dir = tmpdir("cts");
    let cap = dir.join("ct.scap");
    let trigger = dir.join("go");
    let waiter = script(
        &dir,
        "rch_cs_wait",
        &format!("while [ ! -e {t} ]; do sleep 0.02; done\ncat /etc/hostname >/dev/null", t = trigger.display()),
    );
    let outer = script(&dir, "rch_cs_outer", &format!("echo $$ > {}/cgroup.procs\nexec {}", cg.dir.display(), waiter.display()));
    let files = DockerFiles::new(&id, "rch_db", "postgres:16");
    let mut w = Command::new(&outer).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    record(&cap, &[], "proc.name startswith rch_cs", || {
        std::fs::write(&trigger, b"").unwrap();
        assert!(w.wait().unwrap().success(), "waiter failed");
    });
    drop(files);
    let fmt = "*%proc.name %container.id %container.type %container.name %container.image";
    let ours = read(BIN, &cap, &["-p", fmt, "evt.type=procexit"]);
    // (A child forked for a command may exit before exec'ing: same line.)
    let want = format!("rch_cs_wait {} docker rch_db postgres:16", &id[..12]);
    assert!(!ours.is_empty() && ours.lines().all(|l| l == want), "full output:\n{ours}");
    if common::have_sysdig() {
        same_text(&read(BIN, &cap, &["-p", fmt]), &read("sysdig", &cap, &["-p", fmt]), fmt);
    }
    drop(cg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copies capture `src` to `dst` with a container JSON event (type 272,
/// tid -1) before the first event, leaving out the container events `src`
/// had.
fn with_container_event(src: &Path, dst: &Path, json: &str) {
    use rchisel::source::{Item, Source};
    let mut r = rchisel::source::scap::ScapReader::open(src).unwrap();
    let mut w = rchisel::sink::writer::ScapWriter::create(dst, rchisel::sink::writer::Compression::None).unwrap();
    let mut recs = Vec::new();
    let mut first = true;
    while let Some(item) = r.next_item().unwrap() {
        match item {
            Item::Record(rec) => recs.push(rec),
            Item::Event(e) if matches!(e.etype, 272 | 324) => {}
            Item::Event(e) => {
                if first {
                    first = false;
                    w.write_records(&recs).unwrap();
                    let mut body = Vec::new();
                    body.extend_from_slice(&((json.len() + 1) as u16).to_le_bytes());
                    body.extend_from_slice(json.as_bytes());
                    body.push(0);
                    let ce = rchisel::event::Event {
                        num: 0,
                        cpu: e.cpu,
                        ts: e.ts,
                        tid: -1,
                        etype: 272,
                        nparams: 1,
                        flags: 0,
                        large: false,
                        body: &body,
                    };
                    w.write_event(&ce).unwrap();
                }
                w.write_event(&e).unwrap();
            }
        }
    }
    w.finish().unwrap();
}

/// Rows of a top table valued above its last row (sorted), and the row count.
fn rows(out: &str) -> (Vec<String>, usize) {
    let body: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    let pct = |l: &str| l.split('%').next().and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0);
    // The table is cut at N rows: rows tied with the last one may differ.
    let min = body.iter().map(|l| pct(l)).fold(f64::INFINITY, f64::min);
    let mut top: Vec<String> = body.iter().filter(|l| pct(l) > min).map(|s| s.to_string()).collect();
    top.sort();
    (top, body.len())
}

/// A busy process: switch events give it exec time, procinfo events CPU
/// use, topprocs_cpu lists it (as sysdig does on the same file). A child
/// killed with SIGUSR1 gets a signaldeliver event naming it and the signal.
#[test]
fn live_switch_procinfo_and_signals() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tmpdir("sw");
    let cap = dir.join("sw.scap");
    let busy = script(&dir, "rch_sw_busy", "end=$((SECONDS+4)); while [ $SECONDS -lt $end ]; do :; done");
    let waiter = script(&dir, "rch_sw_sig", "trap 'exit 0' USR1\nwhile :; do sleep 0.05; done");
    let mut sig_pid = 0;
    record(&cap, &[], "proc.name startswith rch_sw or evt.type in (procinfo, switch, signaldeliver)", || {
        let mut w = Command::new(&waiter).spawn().unwrap();
        sig_pid = w.id() as i32;
        assert!(Command::new(&busy).status().unwrap().success());
        // SAFETY: signals the child we spawned.
        unsafe { libc::kill(sig_pid, libc::SIGUSR1) };
        assert!(w.wait().unwrap().success(), "the waiter did not take SIGUSR1");
    });

    // Switch events of the busy process, with exec time summed per thread.
    let sw = read(BIN, &cap, &["-p", "%thread.exectime %thread.totexectime", "evt.type=switch and proc.name=rch_sw_busy"]);
    let tot: Vec<u64> = sw.lines().filter_map(|l| l.split(' ').nth(1)?.parse().ok()).collect();
    assert!(!tot.is_empty(), "no switch event of the busy process");
    assert!(*tot.last().unwrap() > 100_000_000, "busy for 4 s but totexectime {:?}", tot.last());
    // procinfo events: the busy process used CPU.
    let cpu = read(BIN, &cap, &["-D", "-p", "%thread.cpu", "evt.type=procinfo and proc.name=rch_sw_busy"]);
    let used: Vec<f64> = cpu.lines().filter_map(|l| l.trim().parse().ok()).collect();
    // (The machine may be shared: any CPU use measured will do.)
    assert!(used.iter().any(|&v| v > 0.0), "thread.cpu of the busy process: {used:?}");
    let top = read(BIN, &cap, &["-c", "topprocs_cpu"]);
    assert!(
        top.lines().any(|l| l.contains("rch_sw_busy") && !l.starts_with("0.00%")),
        "topprocs_cpu does not list the busy process:\n{top}"
    );
    // The signal.
    let sig = read(BIN, &cap, &["-p", "%evt.args", "evt.type=signaldeliver"]);
    let want = format!("dpid={sig_pid}(rch_sw_sig) sig=10(SIGUSR1)");
    assert!(sig.lines().any(|l| l.contains(&want)), "no {want} in:\n{sig}");
    if common::have_sysdig() {
        assert_eq!(rows(&read("sysdig", &cap, &["-c", "topprocs_cpu"])), rows(&top), "topprocs_cpu differs from sysdig's");
        let f = "*%evt.num %evt.type %thread.tid %thread.exectime %thread.totexectime %evt.args";
        let filter = "evt.type in (switch, signaldeliver)";
        same_text(&read(BIN, &cap, &["-p", f, filter]), &read("sysdig", &cap, &["-p", f, filter]), f);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Page faults are recorded with --page-faults only.
#[test]
fn live_page_faults_only_when_asked() {
    if !common::live_ready() {
        return;
    }
    let _one = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tmpdir("pf");
    let wl = script(&dir, "rch_pf_wl", "x=$(head -c 4000000 /dev/zero | tr '\\0' a); echo ${#x} >/dev/null");
    let count = |extra: &[&str], name: &str| -> usize {
        let cap = dir.join(name);
        record(&cap, extra, "proc.name=rch_pf_wl", || {
            assert!(Command::new(&wl).status().unwrap().success());
        });
        let pf = read(BIN, &cap, &["-p", "%evt.type %evt.args", "evt.type=page_fault"]);
        let all = read(BIN, &cap, &["-p", "%evt.type"]);
        assert!(all.lines().count() > 10, "the workload was not recorded");
        if !pf.is_empty() {
            assert!(pf.lines().all(|l| l.starts_with("page_fault addr=")), "{pf}");
            assert!(pf.contains("USER_FAULT"), "no user fault in:\n{}", &pf[..pf.len().min(2000)]);
        }
        pf.lines().count()
    };
    assert_eq!(count(&[], "off.scap"), 0, "page faults recorded without --page-faults");
    let n = count(&["--page-faults"], "on.scap");
    assert!(n > 100, "only {n} page faults with --page-faults");
    if common::have_sysdig() {
        let on = dir.join("on.scap");
        let f = "*%evt.num %evt.type %proc.name %evt.args %thread.pfminor %thread.pfmajor";
        same_text(&read(BIN, &on, &["-p", f]), &read("sysdig", &on, &["-p", f]), f);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
