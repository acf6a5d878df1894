//! Rendering of hand-built events, with expectations taken from sysdig's
//! golden outputs (/work/shared/conformance/golden), plus robustness checks.

use rchisel::event::render::{
    param_value, push_buffer, render_info, render_param, BufFormat, NoResolve, ParamValue, RenderOpts, Resolve,
};
use rchisel::event::table;
use rchisel::event::{validate_body, Event};

/// Builds an event body (u16 lengths + data).
fn body(params: &[&[u8]]) -> Vec<u8> {
    let mut b = Vec::new();
    for p in params {
        b.extend_from_slice(&(p.len() as u16).to_le_bytes());
    }
    for p in params {
        b.extend_from_slice(p);
    }
    b
}

fn ev<'a>(etype: u16, n: usize, body: &'a [u8]) -> Event<'a> {
    Event { num: 1, cpu: 0, ts: 0, tid: 17497, etype, nparams: n as u32, flags: 0, large: false, body }
}

/// The event type named `name` in direction `exit` whose sysdig 0.29.3
/// parameter names start with `names` (picks the right version).
fn etype(name: &str, exit: bool, names: &[&str]) -> u16 {
    table::events_named(name)
        .find(|&t| {
            let i = table::event_info(t).unwrap();
            (t % 2 == 1) == exit
                && i.legacy.is_some()
                && i.params.len() >= names.len()
                && i.params.iter().zip(names).all(|(p, n)| p.sysdig().name == *n)
        })
        .unwrap_or_else(|| panic!("no {name} event with params {names:?}"))
}

fn i64b(v: i64) -> [u8; 8] {
    v.to_le_bytes()
}
fn u64b(v: u64) -> [u8; 8] {
    v.to_le_bytes()
}
fn u32b(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// A tiny state: thread 17497 "curl" (cwd /home/ubuntu/), parent 3200 "bash",
/// fd 3 = /etc/ld.so.cache, fd 4 = an IPv6 UDP socket.
struct Curl;
impl Resolve for Curl {
    fn fd_desc(&self, tid: i64, fd: i64, out: &mut Vec<u8>) -> bool {
        match (tid, fd) {
            (17497, 3) => out.extend_from_slice(b"<f>/etc/ld.so.cache"),
            (17497, 4) => out.extend_from_slice(b"<6u>::1:0->::1:2345"),
            _ => return false,
        }
        true
    }
    fn thread_comm(&self, tid: i64) -> Option<&str> {
        match tid {
            17497 => Some("curl"),
            3200 => Some("bash"),
            _ => None,
        }
    }
    fn has_thread(&self, tid: i64) -> bool {
        tid == 17497
    }
    fn cwd(&self, _tid: i64, out: &mut Vec<u8>) -> bool {
        out.extend_from_slice(b"/home/ubuntu/");
        true
    }
    fn user_name(&self, uid: u32) -> Option<&str> {
        (uid == 0).then_some("root")
    }
}

fn info(e: &Event, res: &dyn Resolve, opts: &RenderOpts) -> String {
    let mut out = Vec::new();
    render_info(e, res, opts, &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn open_exit_with_fd_and_flags() {
    // curl-default.out: 219 ... < open fd=3(<f>/etc/ld.so.cache) name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0
    let t = etype("open", true, &["fd", "name", "flags", "mode"]);
    let b = body(&[&i64b(3), b"/etc/ld.so.cache\0", &u32b(4097), &u32b(0)]);
    let e = ev(t, 4, &b);
    assert_eq!(
        info(&e, &Curl, &RenderOpts::default()),
        "fd=3(<f>/etc/ld.so.cache) name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 "
    );
    // evt.arg.* takes the resolved text, evt.rawarg-like values are typed
    let mut a = Vec::new();
    assert!(render_param(&e, 2, &Curl, &RenderOpts::default(), &mut a));
    assert_eq!(a, b"O_RDONLY|O_CLOEXEC");
    assert_eq!(param_value(&e, 0), Some(ParamValue::Int(3)));
    assert_eq!(param_value(&e, 1), Some(ParamValue::Str(b"/etc/ld.so.cache")));
    assert!(!render_param(&e, 4, &Curl, &RenderOpts::default(), &mut a));
}

#[test]
fn open_enter_without_params() {
    // old drivers recorded `> open` with no parameters: sysdig prints nothing
    let t = etype("open", false, &["name", "flags", "mode"]);
    let b = body(&[]);
    assert_eq!(info(&ev(t, 0, &b), &Curl, &RenderOpts::default()), "");
}

#[test]
fn mmap_negative_fd_is_an_errno() {
    // 234 ... > mmap addr=0 length=4096 prot=3(PROT_READ|PROT_WRITE) flags=10(MAP_PRIVATE|MAP_ANONYMOUS) fd=-1(EPERM) offset=0
    let t = etype("mmap", false, &["addr", "length", "prot", "flags", "fd", "offset"]);
    let b = body(&[&u64b(0), &u64b(4096), &u32b(3), &u32b(10), &i64b(-1), &u64b(0)]);
    let e = ev(t, 6, &b);
    assert_eq!(
        info(&e, &Curl, &RenderOpts::default()),
        "addr=0 length=4096 prot=3(PROT_READ|PROT_WRITE) flags=10(MAP_PRIVATE|MAP_ANONYMOUS) fd=-1(EPERM) offset=0 "
    );
    // without a known thread sysdig prints only the number
    assert!(info(&e, &NoResolve, &RenderOpts::default()).contains(" fd=-1 offset=0 "));
    // the exit's res is a hex u64 in sysdig 0.29.3 (an errno today)
    let tx = etype("mmap", true, &["res", "vm_size", "vm_rss", "vm_swap"]);
    let b = body(&[&u64b(0x7FA69774E000), &u32b(536), &u32b(4), &u32b(0)]);
    assert_eq!(info(&ev(tx, 4, &b), &Curl, &RenderOpts::default()), "res=7FA69774E000 vm_size=536 vm_rss=4 vm_swap=0 ");
}

#[test]
fn access_errno_and_enum_zero() {
    // > access mode=0(F_OK)   < access res=-2(ENOENT) name=/etc/ld.so.nohwcap
    let t = etype("access", false, &["mode"]);
    let b = body(&[&u32b(0)]);
    assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), "mode=0(F_OK) ");
    let b = body(&[&u32b(4)]);
    assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), "mode=4(R_OK) ");
    let tx = etype("access", true, &["res", "name"]);
    let b = body(&[&i64b(-2), b"/etc/ld.so.nohwcap\0"]);
    assert_eq!(info(&ev(tx, 2, &b), &Curl, &RenderOpts::default()), "res=-2(ENOENT) name=/etc/ld.so.nohwcap ");
}

#[test]
fn relative_paths_resolve_against_cwd() {
    let tx = etype("access", true, &["res", "name"]);
    let b = body(&[&i64b(0), b"./a/../b/\0"]);
    assert_eq!(info(&ev(tx, 2, &b), &Curl, &RenderOpts::default()), "res=0 name=./a/../b/(/home/ubuntu/b) ");
    let b = body(&[&i64b(0), b"../x\0"]);
    assert_eq!(info(&ev(tx, 2, &b), &Curl, &RenderOpts::default()), "res=0 name=../x(/home/x) ");
    // unknown thread: no resolution
    assert_eq!(info(&ev(tx, 2, &b), &NoResolve, &RenderOpts::default()), "res=0 name=../x ");
}

#[test]
fn pids_signals_and_fcntl() {
    // kill pid=3200(bash) sig=9(SIGKILL)
    let t = etype("kill", false, &["pid", "sig"]);
    let b = body(&[&i64b(3200), &[9u8]]);
    assert_eq!(info(&ev(t, 2, &b), &Curl, &RenderOpts::default()), "pid=3200(bash) sig=9(SIGKILL) ");
    // 942 ... > fcntl fd=3(<f>/dev/urandom) cmd=2(F_GETFD)
    let t = etype("fcntl", false, &["fd", "cmd"]);
    let b = body(&[&i64b(5), &[2u8]]);
    assert_eq!(info(&ev(t, 2, &b), &Curl, &RenderOpts::default()), "fd=5 cmd=2(F_GETFD) ");
}

#[test]
fn ipv6_tuple_and_sockaddr() {
    // ipv6client: > sendto fd=3(<6>) size=6 tuple=:::0->::1:2345
    let t = etype("sendto", false, &["fd", "size", "tuple"]);
    let mut tup = vec![10u8];
    tup.extend_from_slice(&[0u8; 16]);
    tup.extend_from_slice(&0u16.to_le_bytes());
    let mut one = [0u8; 16];
    one[15] = 1;
    tup.extend_from_slice(&one);
    tup.extend_from_slice(&2345u16.to_le_bytes());
    let b = body(&[&i64b(4), &u32b(6), &tup]);
    assert_eq!(
        info(&ev(t, 3, &b), &Curl, &RenderOpts::default()),
        "fd=4(<6u>::1:0->::1:2345) size=6 tuple=:::0->::1:2345 "
    );
    // curl-hex: tuple=2001:4860:4860::8888:53->2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251
    let s: [u8; 16] = [0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88];
    let d: [u8; 16] = [0x26, 0, 0x1f, 0x18, 0x26, 0x2c, 0x65, 0x42, 0x9a, 0xa6, 0xdf, 0x7a, 0x9a, 0x47, 0xd2, 0x9e];
    let mut tup = vec![10u8];
    tup.extend_from_slice(&s);
    tup.extend_from_slice(&53u16.to_le_bytes());
    tup.extend_from_slice(&d);
    tup.extend_from_slice(&40251u16.to_le_bytes());
    let b = body(&[&i64b(4), &u32b(6), &tup]);
    assert!(info(&ev(t, 3, &b), &NoResolve, &RenderOpts::default())
        .ends_with("tuple=2001:4860:4860::8888:53->2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251 "));
    // IPv4-mapped tuples print as IPv4
    let mut tup = vec![10u8];
    let mut m = [0u8; 16];
    m[10] = 0xff;
    m[11] = 0xff;
    m[12..].copy_from_slice(&[10, 0, 0, 1]);
    tup.extend_from_slice(&m);
    tup.extend_from_slice(&80u16.to_le_bytes());
    tup.extend_from_slice(&m);
    tup.extend_from_slice(&81u16.to_le_bytes());
    let b = body(&[&i64b(4), &u32b(6), &tup]);
    assert!(info(&ev(t, 3, &b), &NoResolve, &RenderOpts::default()).ends_with("tuple=10.0.0.1:80->10.0.0.1:81 "));
}

#[test]
fn buffers_in_every_format() {
    let data = b"GET / HTTP/1.1\r\nHost: www.google.com\r\n\r\n";
    let mut o = Vec::new();
    push_buffer(&mut o, data, &RenderOpts::default());
    assert_eq!(o, b"GET / HTTP/1.1..Host: www.google.com....");
    o.clear();
    push_buffer(&mut o, data, &RenderOpts { buf_format: BufFormat::Ascii, ..Default::default() });
    assert_eq!(o, b"\nGET / HTTP/1.1\nHost: www.google.com\n\n");
    o.clear();
    push_buffer(&mut o, &data[..5], &RenderOpts { buf_format: BufFormat::Hex, ..Default::default() });
    assert_eq!(o, b"\n\t0x0000: 4745 5420 2f\n");
    o.clear();
    push_buffer(&mut o, &data[..5], &RenderOpts { buf_format: BufFormat::HexAscii, ..Default::default() });
    assert_eq!(
        String::from_utf8(o.clone()).unwrap(),
        format!("\n\t0x0000: 4745 5420 2f{}  GET /\n", " ".repeat(5 * 5))
    );
    o.clear();
    push_buffer(&mut o, b"Testme", &RenderOpts { buf_format: BufFormat::Base64, ..Default::default() });
    assert_eq!(o, b"VGVzdG1l");
    o.clear();
    push_buffer(&mut o, b"ab", &RenderOpts { buf_format: BufFormat::Base64, ..Default::default() });
    assert_eq!(o, b"YWI=");
    // the 80-byte cut with "..." (execve cgroups/env in curl-default.out)
    let long = [b'x'; 100];
    o.clear();
    push_buffer(&mut o, &long, &RenderOpts::default());
    assert_eq!(o.len(), 80);
    assert!(o.ends_with(b"x..."));
    o.clear();
    push_buffer(&mut o, &long, &RenderOpts { full_bufs: true, ..Default::default() });
    assert_eq!(o.len(), 100);
    o.clear();
    push_buffer(&mut o, &long, &RenderOpts { buf_format: BufFormat::JsonNormal, ..Default::default() });
    assert_eq!(o.len(), 100);
}

#[test]
fn generic_events_print_nothing() {
    let b = body(&[&93u16.to_le_bytes(), &10u16.to_le_bytes()]);
    assert_eq!(info(&ev(1, 2, &b), &Curl, &RenderOpts::default()), "");
    let mut a = Vec::new();
    assert!(render_param(&ev(1, 2, &b), 0, &Curl, &RenderOpts::default(), &mut a));
    assert_eq!(a, table::syscall_info(93).unwrap().name.as_bytes());
}

#[test]
fn uid_and_reltime() {
    let t = etype("setuid", false, &["uid"]);
    let b = body(&[&u32b(0)]);
    assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), "uid=0(root) ");
    let b = body(&[&u32b(1000)]);
    assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), "uid=1000(<NA>) ");
    let b = body(&[&u32b(u32::MAX)]);
    assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), "uid=-1(<NONE>) ");
    let t = etype("nanosleep", false, &["interval"]);
    for (ns, want) in [(1_500_000_000u64, "1.5s"), (1_000u64, "1e-06s"), (123_456_789_000_000, "123457s"), (0, "0s")] {
        let b = body(&[&u64b(ns)]);
        assert_eq!(info(&ev(t, 1, &b), &Curl, &RenderOpts::default()), format!("interval={ns}({want}) "));
    }
}

/// Deterministic pseudo-random bytes.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn never_panics_on_odd_parameters() {
    let mut rng = Lcg(7);
    let formats = [BufFormat::Normal, BufFormat::Ascii, BufFormat::Hex, BufFormat::HexAscii, BufFormat::Base64, BufFormat::JsonNormal];
    for etype in 0..table::all_events().len() as u16 + 3 {
        for round in 0..8 {
            let n = (rng.next() % 8) as usize;
            let params: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let len = match rng.next() % 5 {
                        0 => 0,
                        1 => 1,
                        2 => 8,
                        _ => (rng.next() % 64) as usize,
                    };
                    (0..len).map(|_| rng.next() as u8).collect()
                })
                .collect();
            let refs: Vec<&[u8]> = params.iter().map(|p| p.as_slice()).collect();
            let b = body(&refs);
            assert!(validate_body(&b, n as u32, false).is_some());
            let e = ev(etype, n, &b);
            let opts = RenderOpts { buf_format: formats[round % formats.len()], ..Default::default() };
            let mut out = Vec::new();
            render_info(&e, &Curl, &opts, &mut out);
            render_info(&e, &NoResolve, &opts, &mut out);
            for i in 0..n + 1 {
                render_param(&e, i, &Curl, &opts, &mut out);
                let _ = param_value(&e, i);
            }
        }
    }
}

#[test]
fn type_names() {
    use rchisel::event::render::type_name;
    // curl-default.out 238: `> mprotect` is a generic event
    let id = (0..table::syscall_count() as u16).find(|&i| table::syscall_info(i).unwrap().name == "mprotect").unwrap();
    let b = body(&[&id.to_le_bytes(), &10u16.to_le_bytes()]);
    assert_eq!(type_name(&ev(0, 2, &b)), "mprotect");
    let b = body(&[]);
    assert_eq!(type_name(&ev(0, 0, &b)), "<unknown>");
    assert_eq!(type_name(&ev(3, 0, &b)), "open");
    assert_eq!(type_name(&ev(196, 0, &b)), "sysdigevent");
    assert_eq!(type_name(&ev(u16::MAX, 0, &b)), "UNKNOWN");
}
