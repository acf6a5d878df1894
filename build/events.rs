//! Turns src/event/events.tbl into Rust (OUT_DIR/events_gen.rs).
//!
//! The table format is documented at the top of events.tbl. Any malformed
//! line stops the build with the file, line number and reason.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// A parsed parameter (`param` or `alt` line, or a `was=` annotation).
struct Param {
    name: String,
    ptype: String,
    fmt: String,
    extra: Extra,
    was: Option<Box<Param>>,
}

enum Extra {
    None,
    Flags(String),
    DirFd(u8),
    Dyn(String),
}

struct Event {
    num: usize,
    name: String,
    category: u32,
    flags: u32,
    legacy: Option<(String, u32, u32, usize)>,
    params: Vec<Param>,
}

/// Where the current `value` / `alt` / `param` lines go.
enum Cur {
    Nothing,
    Flags(usize),
    Dyn(usize),
    Event(usize),
}

struct Ctx {
    consts: HashMap<(String, String), i64>,
    path: String,
    line: usize,
}

impl Ctx {
    fn fail(&self, msg: &str) -> ! {
        panic!("{}:{}: malformed event table line: {}", self.path, self.line, msg);
    }

    fn num<T: std::str::FromStr>(&self, s: &str, what: &str) -> T {
        s.parse().unwrap_or_else(|_| self.fail(&format!("bad {what} `{s}`")))
    }

    /// Resolves `A|B|C` (or `0`) against the constants of `kind`.
    fn bits(&self, kind: &str, s: &str) -> u32 {
        if s == "0" {
            return 0;
        }
        let mut v = 0i64;
        for n in s.split('|') {
            match self.consts.get(&(kind.to_string(), n.to_string())) {
                Some(x) => v |= *x,
                None => self.fail(&format!("unknown {kind} constant `{n}`")),
            }
        }
        v as u32
    }

    fn check_const(&self, kind: &str, n: &str) {
        if !self.consts.contains_key(&(kind.to_string(), n.to_string())) {
            self.fail(&format!("unknown {kind} constant `{n}`"));
        }
    }

    fn param(&self, f: &[&str], alt: bool) -> Param {
        // alt lines: <PT> <PF>; param lines: <name> <PT> <PF> [extra] [was=...]
        let (name, rest) = if alt { ("", f) } else { (f[0], &f[1..]) };
        if rest.len() < 2 {
            self.fail("parameter needs a type and a print format");
        }
        let ptype = rest[0];
        let fmt = rest[1];
        self.check_const("PT", ptype);
        self.check_const("PF", fmt);
        let mut p = Param {
            name: name.replace('~', " "),
            ptype: ptype.to_string(),
            fmt: fmt.to_string(),
            extra: Extra::None,
            was: None,
        };
        for opt in &rest[2..] {
            if let Some(t) = opt.strip_prefix("flags=") {
                p.extra = Extra::Flags(t.to_string());
            } else if let Some(t) = opt.strip_prefix("dirfd=") {
                p.extra = Extra::DirFd(self.num(t, "dirfd index"));
            } else if let Some(t) = opt.strip_prefix("dyn=") {
                p.extra = Extra::Dyn(t.to_string());
            } else if let Some(t) = opt.strip_prefix("was=") {
                let parts: Vec<&str> = t.split(',').collect();
                if parts.len() < 3 {
                    self.fail("was= needs name,type,format");
                }
                p.was = Some(Box::new(self.param(&parts, false)));
            } else {
                self.fail(&format!("unknown parameter option `{opt}`"));
            }
        }
        p
    }
}

fn need(ctx: &Ctx, f: &[&str], n: usize) {
    if f.len() < n {
        ctx.fail(&format!("`{}` needs {} fields", f[0], n - 1));
    }
}

fn ident(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

fn ptype_variant(pt: &str) -> &'static str {
    match pt {
        "PT_NONE" => "None",
        "PT_INT8" => "Int8",
        "PT_INT16" => "Int16",
        "PT_INT32" => "Int32",
        "PT_INT64" => "Int64",
        "PT_UINT8" => "Uint8",
        "PT_UINT16" => "Uint16",
        "PT_UINT32" => "Uint32",
        "PT_UINT64" => "Uint64",
        "PT_CHARBUF" => "CharBuf",
        "PT_BYTEBUF" => "ByteBuf",
        "PT_ERRNO" => "Errno",
        "PT_SOCKADDR" => "SockAddr",
        "PT_SOCKTUPLE" => "SockTuple",
        "PT_FD" => "Fd",
        "PT_PID" => "Pid",
        "PT_FDLIST" => "FdList",
        "PT_FSPATH" => "FsPath",
        "PT_SYSCALLID" => "SyscallId",
        "PT_SIGTYPE" => "SigType",
        "PT_RELTIME" => "RelTime",
        "PT_ABSTIME" => "AbsTime",
        "PT_PORT" => "Port",
        "PT_L4PROTO" => "L4Proto",
        "PT_SOCKFAMILY" => "SockFamily",
        "PT_BOOL" => "Bool",
        "PT_IPV4ADDR" => "Ipv4Addr",
        "PT_DYN" => "Dyn",
        "PT_FLAGS8" => "Flags8",
        "PT_FLAGS16" => "Flags16",
        "PT_FLAGS32" => "Flags32",
        "PT_UID" => "Uid",
        "PT_GID" => "Gid",
        "PT_DOUBLE" => "Double",
        "PT_SIGSET" => "SigSet",
        "PT_CHARBUFARRAY" => "CharBufArray",
        "PT_CHARBUF_PAIR_ARRAY" => "CharBufPairArray",
        "PT_IPV4NET" => "Ipv4Net",
        "PT_IPV6ADDR" => "Ipv6Addr",
        "PT_IPV6NET" => "Ipv6Net",
        "PT_IPADDR" => "IpAddr",
        "PT_IPNET" => "IpNet",
        "PT_MODE" => "Mode",
        "PT_FSRELPATH" => "FsRelPath",
        "PT_ENUMFLAGS8" => "EnumFlags8",
        "PT_ENUMFLAGS16" => "EnumFlags16",
        "PT_ENUMFLAGS32" => "EnumFlags32",
        "PT_FD32" => "Fd32",
        "PT_PID32" => "Pid32",
        _ => "",
    }
}

fn fmt_variant(pf: &str) -> &'static str {
    match pf {
        "PF_NA" => "Na",
        "PF_DEC" => "Dec",
        "PF_HEX" => "Hex",
        "PF_10_PADDED_DEC" => "Padded10Dec",
        "PF_ID" => "Id",
        "PF_DIR" => "Dir",
        "PF_OCT" => "Oct",
        _ => "",
    }
}

fn emit_param(p: &Param, out: &mut String, ctx: &Ctx) {
    let pt = ptype_variant(&p.ptype);
    let pf = fmt_variant(&p.fmt);
    if pt.is_empty() || pf.is_empty() {
        ctx.fail(&format!("type {} / format {} has no Rust variant", p.ptype, p.fmt));
    }
    let extra = match &p.extra {
        Extra::None => "ParamExtra::None".to_string(),
        Extra::Flags(t) => format!("ParamExtra::Flags(FLAGS_{})", ident(t)),
        Extra::DirFd(i) => format!("ParamExtra::DirFd({i})"),
        Extra::Dyn(t) => format!("ParamExtra::Dyn(DYN_{})", ident(t)),
    };
    let _ = write!(
        out,
        "ParamInfo {{ name: {:?}, ptype: ParamType::{pt}, fmt: PrintFmt::{pf}, extra: {extra}, was: ",
        p.name
    );
    match &p.was {
        None => out.push_str("None"),
        Some(w) => {
            out.push_str("Some(&");
            emit_param(w, out, ctx);
            out.push(')');
        }
    }
    out.push_str(" }");
}

/// Parses the table and writes the generated Rust source.
pub fn generate() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let tbl = root.join("src/event/events.tbl");
    println!("cargo:rerun-if-changed={}", tbl.display());
    println!("cargo:rerun-if-changed=build/events.rs");
    let text = std::fs::read_to_string(&tbl)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", tbl.display()));

    let mut ctx = Ctx { consts: HashMap::new(), path: tbl.display().to_string(), line: 0 };
    let mut const_order: Vec<(String, String, i64)> = Vec::new();
    let mut flag_tables: Vec<(String, Vec<(String, u32)>)> = Vec::new();
    let mut dyn_tables: Vec<(String, Vec<Param>)> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut errnos: Vec<(i64, String)> = Vec::new();
    let mut signals: Vec<(i64, String)> = Vec::new();
    let mut syscalls: Vec<(usize, String, u32, u32)> = Vec::new();
    let mut cur = Cur::Nothing;

    for (i, raw) in text.lines().enumerate() {
        ctx.line = i + 1;
        let l = match raw.find('#') {
            Some(p) => &raw[..p],
            None => raw,
        };
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        match f[0] {
            "const" => {
                need(&ctx, &f, 4);
                if !matches!(f[1], "EC" | "EF" | "PT" | "PF") {
                    ctx.fail("const kind must be EC, EF, PT or PF");
                }
                let v: i64 = ctx.num(f[3], "constant value");
                ctx.consts.insert((f[1].to_string(), f[2].to_string()), v);
                const_order.push((f[1].to_string(), f[2].to_string(), v));
            }
            "flags" => {
                need(&ctx, &f, 2);
                flag_tables.push((f[1].to_string(), Vec::new()));
                cur = Cur::Flags(flag_tables.len() - 1);
            }
            "value" => {
                need(&ctx, &f, 3);
                let Cur::Flags(t) = cur else { ctx.fail("`value` outside a flags table") };
                let v: u32 = ctx.num(f[2], "flag value");
                flag_tables[t].1.push((f[1].to_string(), v));
            }
            "dyn" => {
                need(&ctx, &f, 2);
                dyn_tables.push((f[1].to_string(), Vec::new()));
                cur = Cur::Dyn(dyn_tables.len() - 1);
            }
            "alt" => {
                need(&ctx, &f, 4);
                let Cur::Dyn(t) = cur else { ctx.fail("`alt` outside a dyn table") };
                let idx: usize = ctx.num(f[1], "alt index");
                if idx != dyn_tables[t].1.len() {
                    ctx.fail("alt indices must be consecutive from 0");
                }
                let p = ctx.param(&f[2..], true);
                dyn_tables[t].1.push(p);
            }
            "event" => {
                need(&ctx, &f, 5);
                let num: usize = ctx.num(f[1], "event number");
                if num != events.len() {
                    ctx.fail(&format!("event numbers must be consecutive (expected {})", events.len()));
                }
                events.push(Event {
                    num,
                    name: f[2].to_string(),
                    category: ctx.bits("EC", f[3]),
                    flags: ctx.bits("EF", f[4]),
                    legacy: None,
                    params: Vec::new(),
                });
                cur = Cur::Event(num);
            }
            "legacy" => {
                need(&ctx, &f, 5);
                let Cur::Event(e) = cur else { ctx.fail("`legacy` outside an event") };
                let n: usize = ctx.num(f[4], "legacy parameter count");
                events[e].legacy =
                    Some((f[1].to_string(), ctx.bits("EC", f[2]), ctx.bits("EF", f[3]), n));
            }
            "param" => {
                need(&ctx, &f, 4);
                let Cur::Event(e) = cur else { ctx.fail("`param` outside an event") };
                let p = ctx.param(&f[1..], false);
                events[e].params.push(p);
            }
            "errno" | "signal" => {
                need(&ctx, &f, 3);
                let n: i64 = ctx.num(f[1], "number");
                let v = (n, f[2].to_string());
                if f[0] == "errno" { errnos.push(v) } else { signals.push(v) }
            }
            "syscall" => {
                need(&ctx, &f, 5);
                let id: usize = ctx.num(f[1], "syscall id");
                if id != syscalls.len() {
                    ctx.fail("syscall ids must be consecutive from 0");
                }
                syscalls.push((id, f[2].to_string(), ctx.bits("EC", f[3]), ctx.bits("EF", f[4])));
            }
            other => ctx.fail(&format!("unknown record `{other}`")),
        }
    }
    ctx.line = 0;

    // Cross-checks: referenced tables exist, legacy counts fit, dirfd points at an fd.
    let fnames: Vec<&str> = flag_tables.iter().map(|t| t.0.as_str()).collect();
    let dnames: Vec<&str> = dyn_tables.iter().map(|t| t.0.as_str()).collect();
    for e in &events {
        let check = |p: &Param| match &p.extra {
            Extra::Flags(t) if !fnames.contains(&t.as_str()) => {
                panic!("{}: event {}: unknown flags table {t}", ctx.path, e.num)
            }
            Extra::Dyn(t) if !dnames.contains(&t.as_str()) => {
                panic!("{}: event {}: unknown dyn table {t}", ctx.path, e.num)
            }
            Extra::DirFd(i) if *i as usize >= e.params.len() => {
                panic!("{}: event {}: dirfd index {i} out of range", ctx.path, e.num)
            }
            _ => {}
        };
        for p in &e.params {
            check(p);
            if let Some(w) = &p.was {
                check(w);
            }
        }
        if let Some(l) = &e.legacy && l.3 > e.params.len() {
            panic!("{}: event {}: legacy has more params than today's table", ctx.path, e.num);
        }
    }
    if events.is_empty() {
        panic!("{}: no events", ctx.path);
    }

    let mut out = String::new();
    out.push_str("// @generated by build/events.rs from src/event/events.tbl. Do not edit.\n\n");
    for (kind, name, v) in &const_order {
        let ty = if kind == "EC" || kind == "EF" { "u32" } else { "u8" };
        let _ = writeln!(out, "/// `{name}` ({kind} constant from events.tbl).\npub const {name}: {ty} = {v};");
    }
    for (name, vals) in &flag_tables {
        let _ = write!(out, "#[allow(dead_code)]\nstatic FLAGS_{}: &[(&str, u32)] = &[", ident(name));
        for (n, v) in vals {
            let _ = write!(out, "({n:?}, {v}), ");
        }
        out.push_str("];\n");
    }
    for (name, alts) in &dyn_tables {
        let _ = write!(out, "static DYN_{}: &[ParamInfo] = &[", ident(name));
        for p in alts {
            emit_param(p, &mut out, &ctx);
            out.push_str(", ");
        }
        out.push_str("];\n");
    }
    let _ = writeln!(out, "/// Number of event types known to the table.\npub const EVENT_COUNT: usize = {};", events.len());
    out.push_str("static EVENTS: &[EventInfo] = &[\n");
    for e in &events {
        let _ = write!(
            out,
            "EventInfo {{ name: {:?}, category: {}, flags: {}, params: &[",
            e.name, e.category, e.flags
        );
        for p in &e.params {
            emit_param(p, &mut out, &ctx);
            out.push_str(", ");
        }
        out.push_str("], legacy: ");
        match &e.legacy {
            None => out.push_str("None"),
            Some((n, c, f, k)) => {
                let _ = write!(out, "Some(Legacy {{ name: {n:?}, category: {c}, flags: {f}, nparams: {k} }})");
            }
        }
        out.push_str(" },\n");
    }
    out.push_str("];\n");
    out.push_str("static ERRNO_NAMES: &[(i64, &str)] = &[");
    for (n, s) in &errnos {
        let _ = write!(out, "({n}, {s:?}), ");
    }
    out.push_str("];\nstatic SIGNAL_NAMES: &[(i64, &str)] = &[");
    for (n, s) in &signals {
        let _ = write!(out, "({n}, {s:?}), ");
    }
    out.push_str("];\nstatic SYSCALLS: &[SyscallInfo] = &[\n");
    for (_, n, c, f) in &syscalls {
        let _ = writeln!(out, "SyscallInfo {{ name: {n:?}, category: {c}, flags: {f} }},");
    }
    out.push_str("];\n");

    let dst = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("events_gen.rs");
    std::fs::write(&dst, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dst.display()));
}
