//! The generated event table: numbering, names, flags, errno/syscall names,
//! and the `sysdig -L` listing compared with sysdig itself when installed.

use rchisel::event::render::list_events;
use rchisel::event::table::{self, ParamExtra, ParamType};

#[test]
fn numbering_matches_todays_libs() {
    let all = table::all_events();
    assert_eq!(all.len(), table::EVENT_COUNT);
    assert!(all.len() >= 454, "today's libs have PPM_EVENT_MAX = 454");
    let open_x = table::event_info(3).unwrap();
    assert_eq!(open_x.name, "open");
    assert_eq!(open_x.params[0].name, "fd");
    assert_eq!(open_x.params[0].ptype, ParamType::Fd);
    assert!(matches!(open_x.params[2].extra, ParamExtra::Flags(f) if f.iter().any(|(n, v)| *n == "O_CLOEXEC" && *v == 4096)));
    assert!(open_x.flags & table::EF_CREATES_FD != 0);
    assert_eq!(open_x.category & 0xff, table::EC_FILE);
    // execve 19 exit
    let ex = table::event_info(293).unwrap();
    assert_eq!(ex.name, "execve");
    assert_eq!(ex.params[1].name, "exe");
    // renamed parameter keeps sysdig 0.29.3's name available
    assert_eq!(ex.params[17].name, "vpgid");
    assert_eq!(ex.params[17].sysdig().name, "pgid");
    assert!(table::event_info(u16::MAX).is_none());
}

#[test]
fn errno_signal_syscall_names() {
    assert_eq!(table::errno_name(2), Some("ENOENT"));
    assert_eq!(table::errno_name(-2), Some("ENOENT"));
    assert_eq!(table::errno_name(1), Some("EPERM"));
    assert_eq!(table::errno_name(115), Some("EINPROGRESS"));
    assert_eq!(table::errno_name(0), None);
    assert_eq!(table::errno_name(i64::MIN), None);
    assert_eq!(table::signal_name(9), Some("SIGKILL"));
    assert_eq!(table::syscall_info(0).unwrap().name, "<unknown>");
    assert!(table::syscall_count() > 300);
    assert!(table::events_named("open").any(|t| t == 3));
}

#[test]
fn list_matches_sysdig_dash_l() {
    let mut ours = Vec::new();
    list_events(&mut ours).unwrap();
    let ours = String::from_utf8(ours).unwrap();
    assert!(ours.starts_with("> syscall(SYSCALLID ID, UINT16 nativeID)\n< syscall(SYSCALLID ID)\n> open("));
    let Ok(o) = std::process::Command::new("sysdig").arg("-L").output() else {
        println!("sysdig not installed: skipping the comparison with sysdig -L");
        return;
    };
    let theirs = String::from_utf8_lossy(&o.stdout);
    assert_eq!(ours, theirs);
}
