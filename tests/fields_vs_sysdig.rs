//! Every implemented field, printed with `-p` on both shared traces, compared
//! byte for byte with sysdig 0.29.3; plus filters over many fields and
//! operators (matching event numbers must be identical). Skips (with a
//! message) when the traces or `sysdig` are not available.

use std::path::PathBuf;
use std::process::Command;

fn shared() -> Option<PathBuf> {
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let p = if local.join("traces").exists() { local } else { PathBuf::from("/work/shared") };
    if p.join("traces").exists() {
        Some(p)
    } else {
        println!("skipping: shared traces not found");
        None
    }
}

fn traces() -> Vec<PathBuf> {
    match shared() {
        Some(s) => ["curl_google.scap", "test_ipv6_client.scap"].iter().map(|t| s.join("traces").join(t)).collect(),
        None => Vec::new(),
    }
}

fn have_sysdig() -> bool {
    let ok = Command::new("sysdig").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        println!("skipping: sysdig not available");
    }
    ok
}

/// Runs a binary with `-r trace args...` (TZ=UTC) and returns stdout+stderr.
fn run(bin: &str, trace: &PathBuf, args: &[&str]) -> Vec<u8> {
    let out = Command::new(bin).env("TZ", "UTC").arg("-r").arg(trace).args(args).output().expect("run");
    let mut v = out.stdout;
    v.extend_from_slice(&out.stderr);
    v
}

const OURS: &str = env!("CARGO_BIN_EXE_rchisel");

/// Fields whose `-p` output must equal sysdig's. Not listed: fd.dev* (sysdig
/// prints uninitialized memory for non-file fds), thread.exectime /
/// thread.totexectime, proc.sid / proc.sname / proc.vpgid / thread.vtid /
/// proc.vpid (state defaults), fd.name_changed (needs the pre-event name).
const FIELDS: &[&str] = &[
    "evt.num", "evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s", "evt.rawtime",
    "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime", "evt.reltime.s", "evt.reltime.ns", "evt.pluginname",
    "evt.plugininfo", "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human", "evt.deltatime",
    "evt.deltatime.s", "evt.deltatime.ns", "evt.dir", "evt.type", "syscall.type", "evt.category", "evt.cpu",
    "evt.args", "evt.info", "evt.buffer", "evt.buflen", "evt.res", "evt.rawres", "evt.failed", "evt.is_io",
    "evt.is_io_read", "evt.is_io_write", "evt.io_dir", "evt.is_wait", "evt.wait_latency", "evt.is_syslog",
    "evt.count", "evt.count.error", "evt.count.error.file", "evt.count.error.net", "evt.count.error.memory",
    "evt.count.error.other", "evt.count.exit", "evt.abspath", "evt.is_open_read", "evt.is_open_write",
    "evt.is_open_exec", "evt.arg[0]", "evt.arg[1]", "evt.arg[3]", "evt.arg.fd", "evt.arg.res", "evt.arg.name",
    "evt.arg.data", "evt.rawarg.res", "evt.rawarg.size", "evt.rawarg.name", "evt.type.is.open",
    "evt.latency.quantized", "evt.buflen.in", "evt.buflen.net.out", "evt.buflen.file",
    "proc.pid", "proc.exe", "proc.name", "proc.args", "proc.env", "proc.cmdline", "proc.exeline", "proc.cwd",
    "proc.nthreads", "proc.nchilds", "proc.ppid", "proc.pname", "proc.pcmdline", "proc.apid[0]", "proc.apid[1]",
    "proc.apid[2]", "proc.aname[0]", "proc.aname[1]", "proc.aname[2]", "proc.aname[3]", "proc.loginshellid",
    "proc.duration", "proc.fdopencount", "proc.fdlimit", "proc.fdusage", "proc.vmsize", "proc.vmrss",
    "proc.vmswap", "thread.pfmajor", "thread.pfminor", "thread.tid", "thread.ismain", "thread.cgroups",
    "thread.cgroup.cpu", "thread.cgroup.pids", "thread.cpu", "thread.cpu.user", "thread.cpu.system",
    "thread.vmsize", "thread.vmrss", "thread.vmsize.b", "thread.nametid", "proc.tty", "proc.exepath",
    "proc.is_container_healthcheck", "proc.is_container_liveness_probe", "proc.is_container_readiness_probe",
    "proc.is_exe_writable", "user.uid", "user.name", "user.homedir", "user.shell", "user.loginuid",
    "user.loginname", "group.gid", "group.name", "container.id", "container.name", "container.image",
    "container.image.id", "container.type", "container.privileged", "container.image.repository",
    "container.image.tag", "container.image.digest", "container.healthcheck", "container.liveness_probe",
    "container.readiness_probe", "fd.num", "fd.type", "fd.typechar", "fd.name", "fd.directory", "fd.filename",
    "fd.cip", "fd.sip", "fd.lip", "fd.rip", "fd.cport", "fd.sport", "fd.lport", "fd.rport", "fd.l4proto",
    "fd.sockfamily", "fd.is_server", "fd.uid", "fd.containername", "fd.containerdirectory", "fd.cproto",
    "fd.sproto", "fd.lproto", "fd.rproto", "fd.connected", "fd.cip.name", "fd.sip.name", "fd.lip.name",
    "fd.rip.name", "fdlist.nums", "fdlist.names", "fdlist.cips", "fdlist.sips", "fdlist.cports", "fdlist.sports",
];

fn first_diff(a: &[u8], b: &[u8]) -> String {
    let (la, lb): (Vec<&[u8]>, Vec<&[u8]>) = (a.split(|&c| c == b'\n').collect(), b.split(|&c| c == b'\n').collect());
    for i in 0..la.len().max(lb.len()) {
        let x = la.get(i).copied().unwrap_or(b"<end>");
        let y = lb.get(i).copied().unwrap_or(b"<end>");
        if x != y {
            return format!(
                "line {}:\n  sysdig: {}\n  ours:   {}",
                i + 1,
                String::from_utf8_lossy(x),
                String::from_utf8_lossy(y)
            );
        }
    }
    String::new()
}

#[test]
fn formats_match_sysdig() {
    if !have_sysdig() {
        return;
    }
    let mut failures = Vec::new();
    for t in traces() {
        for chunk in FIELDS.chunks(8) {
            let fmt = format!("*{}", chunk.iter().map(|f| format!("%{f}")).collect::<Vec<_>>().join(" | "));
            let want = run("sysdig", &t, &["-p", &fmt]);
            let got = run(OURS, &t, &["-p", &fmt]);
            if want != got {
                failures.push(format!("{} -p {fmt:?}: {}", t.display(), first_diff(&want, &got)));
            }
        }
    }
    assert!(failures.is_empty(), "{} format(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn formats_without_star_drop_lines_like_sysdig() {
    if !have_sysdig() {
        return;
    }
    for t in traces() {
        for fmt in ["%evt.num %fd.name", "%evt.num %evt.type.is.open", "%evt.num %proc.pid %fd.sport", "%evt.num %fdlist.names"] {
            let want = run("sysdig", &t, &["-p", fmt]);
            let got = run(OURS, &t, &["-p", fmt]);
            assert!(want == got, "{} -p {fmt:?}: {}", t.display(), first_diff(&want, &got));
        }
    }
}

/// Filters whose matching events must equal sysdig's.
const FILTERS: &[&str] = &[
    "fd.name contains /etc", "fd.type=ipv4", "fd.type=ipv6", "fd.typechar=f", "fd.l4proto=udp", "fd.l4proto=tcp",
    "fd.sport=53", "fd.sport=80", "fd.cport>1024", "fd.port=53", "fd.ip=8.8.8.8", "fd.ip=::1",
    "fd.net=10.0.0.0/8", "fd.cip=10.0.0.79", "fd.snet=172.217.0.0/16", "fd.is_server=true", "fd.is_server=false",
    "fd.connected=true", "fd.num=3", "fd.num>=3", "fd.directory=/etc", "fd.filename=ld.so.cache",
    "fd.sockfamily=ip", "fd.sockfamily=unix", "evt.failed=true", "evt.res=ENOENT", "evt.res!=SUCCESS",
    "evt.rawres<0", "evt.rawres>=3", "evt.is_io=true", "evt.is_io_read=true", "evt.is_io_write=true",
    "evt.io_dir=read", "evt.is_wait=true", "evt.is_open_read=true", "evt.is_open_write=true",
    "evt.count.error=1", "evt.count.error.file=1", "evt.count.error.net=1", "evt.count.error.other=1",
    "evt.count.exit=1", "evt.buffer contains HTTP", "evt.category=file", "evt.category=net",
    "evt.category=memory", "evt.type.is.open=1", "syscall.type=mprotect", "evt.latency>10000", "evt.latency.s=0",
    "evt.dir=<", "evt.cpu=0", "proc.name=curl", "proc.aname=bash", "proc.aname[1]=bash", "proc.apid=3200",
    "proc.pname=bash", "proc.pid=17497", "proc.ppid=3200", "proc.nthreads=2", "proc.nchilds=1",
    "thread.ismain=false", "proc.cmdline contains google", "proc.args contains http", "proc.exe=curl",
    "proc.cwd=/home/ubuntu/", "proc.fdopencount>5", "user.uid=1000", "user.name=ubuntu", "group.gid=1000",
    "container.id=host", "evt.arg.fd=3", "evt.arg[0]=3", "evt.arg.name contains lib", "evt.abspath contains /",
    "fdlist.nums contains 4", "fd.name in (/etc/ld.so.cache, /dev/urandom)", "fd.name startswith /usr",
    "fd.name glob /usr/lib/*", "fd.name icontains ETC", "fd.name exists", "proc.env contains HOME",
    "thread.cgroup.cpu=/user.slice", "evt.rawtime>0", "evt.reltime.s=5", "evt.num>1000",
    "evt.time contains 17:35", "evt.args contains res=", "evt.info contains fd=",
    "fd.type=file and evt.is_io_read=true", "not fd.name exists", "proc.name=curl and (fd.sport=53 or fd.sport=80)",
    "evt.rawarg.res<0", "evt.rawarg.size>100", "evt.rawarg.fd=3", "evt.rawarg.name contains lib", "fd.ip!=127.0.0.1",
    "fd.port!=443", "fd.net!=10.0.0.0/8",
];

#[test]
fn filters_match_sysdig() {
    if !have_sysdig() {
        return;
    }
    let mut failures = Vec::new();
    for t in traces() {
        for f in FILTERS {
            let want = run("sysdig", &t, &["-p", "%evt.num", f]);
            let got = run(OURS, &t, &["-p", "%evt.num", f]);
            if want != got {
                failures.push(format!("{} {f:?}: {}", t.display(), first_diff(&want, &got)));
            }
        }
    }
    assert!(failures.is_empty(), "{} filter(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn field_listing_matches_sysdig() {
    if !have_sysdig() {
        return;
    }
    for args in [&["-l"][..], &["-l", "-v"][..], &["--list-markdown"][..]] {
        let want = Command::new("sysdig").args(args).output().expect("sysdig").stdout;
        let got = Command::new(OURS).args(args).output().expect("rchisel").stdout;
        assert!(want == got, "{args:?}: {}", first_diff(&want, &got));
    }
}

#[test]
fn json_types_match_sysdig() {
    if !have_sysdig() {
        return;
    }
    let fmt = "*%evt.num %fd.name %evt.rawres %evt.failed %fd.sport %proc.pid %evt.latency %evt.deltatime \
               %evt.count %thread.ismain %fd.cip %evt.cpu %evt.outputtime %user.uid %fd.num %evt.rawtime.ns \
               %evt.latency.s %proc.vmsize %evt.dir %evt.res %user.loginuid %evt.count.exit %fd.l4proto \
               %evt.reltime %evt.latency.human %evt.time %fd.is_server %proc.ppid %evt.latency.ns %proc.name \
               %evt.info %fd.type %evt.type %evt.buflen %thread.tid %proc.tty %fd.typechar";
    for t in traces() {
        let want = run("sysdig", &t, &["-j", "-p", fmt]);
        let got = run(OURS, &t, &["-j", "-p", fmt]);
        assert!(want == got, "{}: {}", t.display(), first_diff(&want, &got));
    }
}
