//! Filter parsing: structure, sysdig's scanning rules, error messages and
//! caret positions, event-type extraction.

mod filter_common;
use filter_common::*;
use rchisel::filter::{Ast, CmpOp, EventTypes, parse};

fn p(text: &str) -> Ast {
    parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn check_of(a: &Ast) -> &rchisel::filter::Check {
    match a {
        Ast::Check(c) => c,
        other => panic!("not a check: {other:?}"),
    }
}

#[test]
fn structure() {
    let a = p("proc.name=curl and not evt.type=open and (fd.num=3 or fd.num=4)");
    let Ast::And(v) = &a else { panic!("{a:?}") };
    assert_eq!(v.len(), 3);
    assert!(matches!(&v[1], Ast::Not(_)));
    assert!(matches!(&v[2], Ast::Or(o) if o.len() == 2));
    let c = check_of(&v[0]);
    assert_eq!((c.field.as_str(), c.op, c.field_pos, c.op_pos), ("proc.name", CmpOp::Eq, 0, 9));
    assert_eq!(c.operands[0].bytes, b"curl");
    // repeated not collapses
    assert!(matches!(p("not not not proc.name=x"), Ast::Not(ref x) if matches!(**x, Ast::Check(_))));
    let c = p("proc.aname[2] in ('a b', c,d)");
    let c = check_of(&c);
    assert_eq!(c.field, "proc.aname[2]");
    assert_eq!(c.op, CmpOp::In);
    let vals: Vec<&[u8]> = c.operands.iter().map(|o| o.bytes.as_slice()).collect();
    assert_eq!(vals, [&b"a b"[..], b"c", b"d"]);
    assert!(check_of(&p("proc.name exists")).operands.is_empty());
}

#[test]
fn scanner_rules() {
    // `==` is `=` followed by an operand starting with '='
    assert_eq!(check_of(&p("proc.name==curl")).operands[0].bytes, b"=curl");
    // values may contain operator characters
    assert_eq!(check_of(&p("evt.arg.flags=O_RDONLY|O_CLOEXEC")).operands[0].bytes, b"O_RDONLY|O_CLOEXEC");
    assert_eq!(check_of(&p("evt.dir=<")).operands[0].bytes, b"<");
    assert_eq!(check_of(&p("evt.dir = >")).operands[0].bytes, b">");
    // empty operand at the end is allowed
    assert_eq!(check_of(&p("proc.name=")).operands[0].bytes, b"");
    // empty list item
    assert_eq!(check_of(&p("proc.name in ()")).operands[0].bytes, b"");
    // escapes: \\ \" \xHH, others kept
    assert_eq!(check_of(&p(r#"proc.name="a\\b\"c\x41\q""#)).operands[0].bytes, b"a\\b\"cA\\q");
    // \' does not close a quoted string and is kept
    assert_eq!(check_of(&p(r"proc.name='a\'b'")).operands[0].bytes, b"a\\'b");
    // a cut-short \x at the end is dropped
    assert_eq!(check_of(&p(r"proc.name=cu\x7")).operands[0].bytes, b"cu");
    // blanks of all kinds
    assert!(parse("\tproc.name\n=\r\ncurl\t and  proc.pid = 1 ").is_ok());
    // and/or need no blank after them
    assert!(parse("proc.name=curl andevt.type=openat").is_ok());
    // intersects is read as `in` by sysdig 0.29.3 and fails
    let e = parse("proc.name intersects (curl)").unwrap_err();
    assert_eq!(e.message, "expected '(' after 'in/intersects/pmatch' operand");
}

fn e(text: &str) -> (String, usize, usize) {
    let e = filter_common::err(text);
    (e.message.clone(), e.caret_column(), e.sysdig_pos)
}

#[test]
fn errors_match_sysdig() {
    // (filter, message, caret column, sysdig's "position N")
    let cases: &[(&str, &str, usize, usize)] = &[
        ("bad.field=1", "filter error: unrecognized field bad.field at pos 0", 0, 9),
        ("proc.name=x and bad.field=1", "filter error: unrecognized field bad.field at pos 16", 16, 25),
        ("or", "filter error: unrecognized field or at pos 0", 0, 2),
        ("proc.pid=abc", "abc is not a valid number", 9, 12),
        ("proc.pid<1k", "1k is not a valid number", 9, 11),
        ("(proc.name=curl", "filter error: unexpected end of filter", 15, 16),
        ("evt.type=open and", "filter error: unexpected end of filter", 17, 17),
        ("proc.name=curl or", "filter error: unexpected end of filter", 17, 17),
        ("proc.name bcontains x", "filter error: unrecognized comparison operator after proc.name ", 10, 10),
        ("proc.name iglob C*", "filter error: unrecognized comparison operator after proc.name ", 10, 10),
        ("proc.name", "filter error: unrecognized comparison operator after proc.name", 9, 9),
        ("proc.name intersects (curl)", "expected '(' after 'in/intersects/pmatch' operand", 12, 12),
        ("proc.name in (curl", "expected either ')' or ',' after a value inside the 'in/pmatch' clause", 18, 19),
        ("proc.name in (curl sh)", "expected either ')' or ',' after a value inside the 'in/pmatch' clause", 19, 19),
        ("proc.name='cu", "filter error: unclosed quotes", 10, 13),
        ("fd.port=httpx", "unrecognized protocol httpx", 8, 13),
        ("fd.sip=1.2.3", "unrecognized IPv4 address 1.2.3", 7, 12),
        ("fd.snet=10.0.0.0/33", "invalid netmask 33", 8, 19),
        ("evt.is_io=1", "filter error: unrecognized boolean value 1", 10, 11),
        ("n", "syntax error in filter", 0, 1),
        ("proc.name=curl and n proc.name=x", "syntax error in filter", 19, 20),
        ("proc.name=x proc.pid=1", "syntax error in filter", 12, 12),
        ("(a.b=1 or proc.pid=1 and proc.pid=2)", "filter error: unrecognized field a.b at pos 1", 1, 4),
        ("proc.name=x exists", "syntax error in filter", 12, 12),
        ("proc.name exists foo", "syntax error in filter", 17, 17),
        ("evt.type=foo", "unknown event type foo", 9, 12),
        ("proc.name[1]=x", "filter syntax error: proc.name", 0, 12),
        ("proc.name=x (proc.pid=1)", "unexpected '(' after proc.name=x ", 12, 12),
        ("proc.name=x and or proc.pid=1", "filter error: unrecognized field or at pos 16", 16, 18),
        ("proc.name=x and (or", "filter error: unrecognized field or at pos 17", 17, 19),
        (
            "proc.name = curl and evt.type=open or proc.pid=1",
            "expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.",
            35,
            49,
        ),
        (
            "(proc.pid=1 or proc.pid=1 and proc.pid=2)",
            "expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.",
            26,
            40,
        ),
        ("proc.name=\"a\\xZZ\"", "filter error: unrecognized escape sequence at a\\xZZ\"", 11, 15),
    ];
    for &(f, msg, col, spos) in cases {
        assert_eq!(e(f), (msg.to_string(), col, spos), "filter {f:?}");
    }
}

#[test]
fn display_has_caret_line() {
    let err = parse("proc.name=x and (proc.pid=1").unwrap_err();
    let s = err.to_string();
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "filter error at position 28: filter error: unexpected end of filter");
    assert_eq!(lines[1], "proc.name=x and (proc.pid=1");
    assert_eq!(lines[2], format!("{}^", " ".repeat(27)));
    let err = err_of("proc.name=x and bad.f=1");
    assert_eq!(err.to_string().lines().nth(2).unwrap(), format!("{}^", " ".repeat(16)));
}

fn err_of(t: &str) -> rchisel::filter::FilterError {
    filter_common::err(t)
}

#[test]
fn event_types() {
    let set = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect();
    let t = |f: &str| compile(f).unwrap().event_types().clone();
    assert_eq!(t("proc.name=curl"), EventTypes::All);
    assert_eq!(t("evt.type=open"), EventTypes::Only(set(&["open"])));
    assert_eq!(t("evt.type in (open, close)"), EventTypes::Only(set(&["close", "open"])));
    assert_eq!(t("evt.type=open and proc.name=curl"), EventTypes::Only(set(&["open"])));
    assert_eq!(t("evt.type=open or proc.name=curl"), EventTypes::All);
    assert_eq!(t("evt.type=open or evt.type=read"), EventTypes::Only(set(&["open", "read"])));
    assert_eq!(t("evt.type!=open"), EventTypes::AllExcept(set(&["open"])));
    assert_eq!(t("not evt.type=open"), EventTypes::AllExcept(set(&["open"])));
    assert_eq!(t("not evt.type in (open, read)"), EventTypes::AllExcept(set(&["open", "read"])));
    // negating an inexact set must not narrow
    assert_eq!(t("not (evt.type=open and proc.name=curl)"), EventTypes::All);
    assert_eq!(t("not (evt.type=open or evt.type=read)"), EventTypes::AllExcept(set(&["open", "read"])));
    assert_eq!(t("evt.type in (open, read) and evt.type!=read"), EventTypes::Only(set(&["open"])));
    assert_eq!(t("evt.type contains open"), EventTypes::All);
    let f = compile("(evt.type=open or evt.type=close) and proc.name=curl").unwrap();
    assert!(f.event_types().may_match(b"open"));
    assert!(!f.event_types().may_match(b"read"));
}

#[test]
fn event_types_sound_on_mock_events() {
    // For every filter and every type name: may_match false => no match.
    let filters = [
        "evt.type=open",
        "not evt.type=open",
        "not (evt.type=open and proc.name=curl)",
        "evt.type in (open, read) or proc.name=x",
        "not (evt.type in (open, read) or proc.name=curl)",
        "(evt.type=open or evt.type=close) and not evt.type=close",
        "not (not evt.type=write)",
    ];
    for f in filters {
        let flt = compile(f).unwrap();
        for ty in ["open", "openat", "close", "read", "write"] {
            for name in ["curl", "x"] {
                let mut ev = Event::new(&[
                    ("evt.type", rchisel::fields::value::Value::Str(ty.as_bytes())),
                    ("proc.name", rchisel::fields::value::Value::Str(name.as_bytes())),
                ]);
                if flt.matches(&mut ev) {
                    assert!(flt.event_types().may_match(ty.as_bytes()), "{f} / {ty} / {name}");
                }
            }
        }
    }
}
