//! Hand-built event sequences driving the state engine through its
//! transitions: fork → exec → exit, open → dup → close, socket → bind →
//! accept, and the per-event metadata (fd, errorcode, latency).

use rchisel::event::Event;
use rchisel::source::records::{FdDetail, FdRecord, FdType, ProcRecord, Record};
use rchisel::state::State;

/// One parameter value.
enum P<'a> {
    I64(i64),
    U32(u32),
    Bytes(&'a [u8]),
}

/// Owns an event's body so tests can build `Event` views on it.
struct Ev {
    ts: u64,
    tid: i64,
    etype: u16,
    nparams: u32,
    body: Vec<u8>,
}

impl Ev {
    fn new(ts: u64, tid: i64, etype: u16, params: &[P]) -> Ev {
        let datas: Vec<Vec<u8>> = params
            .iter()
            .map(|p| match p {
                P::I64(v) => v.to_le_bytes().to_vec(),
                P::U32(v) => v.to_le_bytes().to_vec(),
                P::Bytes(b) => b.to_vec(),
            })
            .collect();
        let mut body = Vec::new();
        for d in &datas {
            body.extend_from_slice(&(d.len() as u16).to_le_bytes());
        }
        for d in &datas {
            body.extend_from_slice(d);
        }
        Ev { ts, tid, etype, nparams: params.len() as u32, body }
    }

    fn view(&self) -> Event<'_> {
        Event {
            num: 0,
            cpu: 0,
            ts: self.ts,
            tid: self.tid,
            etype: self.etype,
            nparams: self.nparams,
            flags: 0,
            large: false,
            body: &self.body,
        }
    }
}

fn seed() -> State {
    let mut st = State::new();
    st.apply_record(Record::Process(Box::new(ProcRecord {
        tid: 100,
        pid: 100,
        ptid: 1,
        comm: "bash".into(),
        exe: "/bin/bash".into(),
        args: b"-i\0".to_vec(),
        cwd: "/home/u".into(),
        fdlimit: 1024,
        uid: 1000,
        gid: 1000,
        env: b"HOME=/home/u\0".to_vec(),
        ..Default::default()
    })));
    st.apply_record(Record::Fd(FdRecord {
        tid: 100,
        fd: 0,
        ino: 3,
        fdtype: FdType::File,
        detail: FdDetail::Named("/dev/pts/0".into()),
    }));
    st
}

fn run(st: &mut State, e: &Ev) -> rchisel::state::EventMeta {
    st.process(&e.view())
}

#[test]
fn fork_exec_exit() {
    let mut st = seed();
    assert_eq!(st.cwd(100), "/home/u/");
    assert_eq!(st.thread(100).unwrap().args.to_vec(), vec!["-i"]);

    // clone() in the parent returns the child tid (CLONE_20_X = 223).
    let clone_params = |res: i64| {
        vec![
            P::I64(res),
            P::Bytes(b"/bin/bash\0"),
            P::Bytes(b"-i\0"),
            P::I64(100),
            P::I64(100),
            P::I64(1),
            P::Bytes(b"\0"),
            P::I64(1024),
            P::I64(0),
            P::I64(0),
            P::U32(100),
            P::U32(10),
            P::U32(0),
            P::Bytes(b"bash\0"),
            P::Bytes(b"cpu=/\0"),
            P::U32(0),
            P::U32(1000),
            P::U32(1000),
            P::I64(100),
            P::I64(100),
        ]
    };
    run(&mut st, &Ev::new(1, 100, 222, &[]));
    run(&mut st, &Ev::new(2, 100, 223, &clone_params(101)));
    let child = st.thread(101).expect("child created by the parent's clone exit");
    assert_eq!((child.pid, child.ptid, child.comm.as_str()), (101, 100, "bash"));
    assert_eq!(st.fd(101, 0).unwrap().name, "/dev/pts/0", "fds are copied to the child");
    assert_eq!(st.cwd(101), "/home/u/");
    // The child's own clone exit (res 0) finds the entry and changes nothing.
    run(&mut st, &Ev::new(3, 101, 223, &clone_params(0)));
    assert_eq!(st.threads.len(), 2);

    // execve (EXECVE_19 = 292/293).
    run(&mut st, &Ev::new(10, 101, 292, &[P::Bytes(b"/usr/bin/curl\0")]));
    let cg = format!("cpu=/docker/{}\0", "ab".repeat(32));
    let m = run(
        &mut st,
        &Ev::new(
            15,
            101,
            293,
            &[
                P::I64(0),
                P::Bytes(b"/usr/bin/curl\0"),
                P::Bytes(b"curl\0http://x\0"),
                P::I64(101),
                P::I64(101),
                P::I64(100),
                P::Bytes(b"\0"),
                P::I64(2048),
                P::I64(1),
                P::I64(2),
                P::U32(300),
                P::U32(30),
                P::U32(0),
                P::Bytes(b"curl\0"),
                P::Bytes(cg.as_bytes()),
                P::Bytes(b"A=1\0B=2\0"),
                P::U32(34816),
                P::I64(100),
                P::U32(1000),
            ],
        ),
    );
    assert!(m.enter_valid);
    assert_eq!(m.latency, 5);
    let t = st.thread(101).unwrap();
    assert_eq!(t.comm, "curl");
    assert_eq!(t.exe, "/usr/bin/curl");
    assert_eq!(t.exepath, "/usr/bin/curl");
    assert_eq!(t.args.to_vec(), vec!["curl", "http://x"]);
    assert_eq!(t.env.to_vec(), vec!["A=1", "B=2"]);
    assert_eq!(t.fdlimit, 2048);
    assert_eq!(t.vmsize_kb, 300);
    assert_eq!(t.container_id, "abababababab");
    assert_eq!(st.parent(101).unwrap().comm, "bash");

    // procexit: the exit event still sees the thread; the next event does not.
    let m = run(&mut st, &Ev::new(20, 101, 186, &[P::I64(0)]));
    assert!(m.has_thread);
    assert!(st.thread(101).is_some());
    run(&mut st, &Ev::new(21, 100, 222, &[]));
    assert!(st.thread(101).is_none());
    assert!(!st.fdtables.contains_key(&101), "the process' fd table goes with it");
}

#[test]
fn open_dup_close() {
    let mut st = seed();
    // open("rel.txt") relative to the cwd.
    run(&mut st, &Ev::new(1, 100, 2, &[P::Bytes(b"../u/./rel.txt\0"), P::U32(1), P::U32(0)]));
    let m = run(
        &mut st,
        &Ev::new(4, 100, 3, &[P::I64(3), P::Bytes(b"../u/./rel.txt\0"), P::U32(1), P::U32(0), P::U32(0)]),
    );
    assert_eq!((m.fd, m.fdinfo_fd, m.errorcode, m.latency), (3, 3, 0, 3));
    assert_eq!(st.fd(100, 3).unwrap().name, "/home/u/rel.txt");
    assert_eq!(st.fd(100, 3).unwrap().type_str(), "file");

    // A failed open reports its errno and adds nothing.
    run(&mut st, &Ev::new(5, 100, 2, &[P::Bytes(b"/nope\0"), P::U32(1), P::U32(0)]));
    let m = run(&mut st, &Ev::new(6, 100, 3, &[P::I64(-2), P::Bytes(b"/nope\0"), P::U32(1), P::U32(0), P::U32(0)]));
    assert_eq!(m.errorcode, 2);
    assert_eq!(st.fdtable(100).unwrap().len(), 2);

    // dup(3) = 4 (DUP_E/X = 124/125).
    run(&mut st, &Ev::new(7, 100, 124, &[P::I64(3)]));
    let m = run(&mut st, &Ev::new(8, 100, 125, &[P::I64(4)]));
    assert_eq!(m.fd, 4);
    assert_eq!(st.fd(100, 4).unwrap().name, "/home/u/rel.txt");

    // close(3): still visible during the close exit, gone at the next event.
    let m = run(&mut st, &Ev::new(9, 100, 4, &[P::I64(3)]));
    assert_eq!(m.fd, 3);
    let m = run(&mut st, &Ev::new(10, 100, 5, &[P::I64(0)]));
    assert_eq!(m.fd, 3);
    assert!(st.fd(100, 3).is_some());
    run(&mut st, &Ev::new(11, 100, 124, &[P::I64(4)]));
    assert!(st.fd(100, 3).is_none());
    assert!(st.fd(100, 4).is_some());

    // A failed close keeps the fd.
    run(&mut st, &Ev::new(12, 100, 4, &[P::I64(4)]));
    let m = run(&mut st, &Ev::new(13, 100, 5, &[P::I64(-9)]));
    assert_eq!(m.errorcode, 9);
    run(&mut st, &Ev::new(14, 100, 124, &[P::I64(4)]));
    assert!(st.fd(100, 4).is_some());
}

#[test]
fn socket_bind_accept() {
    let mut st = seed();
    run(&mut st, &Ev::new(1, 100, 18, &[P::U32(2), P::U32(1), P::U32(0)]));
    run(&mut st, &Ev::new(2, 100, 19, &[P::I64(3)]));
    let f = st.fd(100, 3).unwrap();
    assert_eq!((f.type_str(), f.l4proto()), ("ipv4", 0), "no role yet: l4proto not shown");

    let mut addr = vec![2u8, 0, 0, 0, 0];
    addr.extend_from_slice(&8080u16.to_le_bytes());
    run(&mut st, &Ev::new(3, 100, 20, &[P::I64(3)]));
    run(&mut st, &Ev::new(4, 100, 21, &[P::I64(0), P::Bytes(&addr)]));
    let f = st.fd(100, 3).unwrap();
    assert_eq!(f.name, "0.0.0.0:8080");
    assert_eq!(f.ftype, FdType::Ipv4ServSock);
    let mut d = Vec::new();
    f.write_desc(&mut d);
    assert_eq!(String::from_utf8(d).unwrap(), "<4t>0.0.0.0:8080");

    // accept (ACCEPT_5 = 246/247): new connected server-side fd.
    let mut tuple = vec![2u8, 10, 0, 0, 2];
    tuple.extend_from_slice(&5000u16.to_le_bytes());
    tuple.extend_from_slice(&[10, 0, 0, 1]);
    tuple.extend_from_slice(&8080u16.to_le_bytes());
    run(&mut st, &Ev::new(5, 100, 246, &[]));
    let m = run(
        &mut st,
        &Ev::new(6, 100, 247, &[P::I64(4), P::Bytes(&tuple), P::Bytes(&[0]), P::U32(0), P::U32(128)]),
    );
    assert_eq!(m.fd, 4);
    let f = st.fd(100, 4).unwrap();
    assert_eq!(f.name, "10.0.0.2:5000->10.0.0.1:8080");
    let mut d = Vec::new();
    f.write_desc(&mut d);
    assert_eq!(String::from_utf8(d).unwrap(), "<4t>10.0.0.2:5000->10.0.0.1:8080");
}

#[test]
fn unknown_thread_gets_placeholder() {
    let mut st = State::new();
    let m = run(&mut st, &Ev::new(1, 555, 6, &[P::I64(0), P::U32(10)]));
    assert!(m.has_thread);
    let t = st.thread(555).unwrap();
    assert_eq!((t.comm.as_str(), t.pid, t.ptid), ("<NA>", 555, -1));
    // A corrupt event (short params) must not panic.
    run(&mut st, &Ev::new(2, 555, 293, &[P::I64(0)]));
    run(&mut st, &Ev::new(3, 555, 223, &[P::Bytes(b"x")]));
    run(&mut st, &Ev::new(4, 555, 21, &[P::I64(0), P::Bytes(&[10])]));
    run(&mut st, &Ev::new(5, 555, 35, &[P::I64(5), P::Bytes(b""), P::Bytes(&[10, 1])]));
}
