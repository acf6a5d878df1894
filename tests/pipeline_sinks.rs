//! The runner's one loop drives any [`Sink`]: a counting sink sees exactly
//! the events `rchisel -r X FILTER` prints, in the same order, and a sink's
//! `Flow::Stop` ends the capture after that event (on the bundled traces).

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Command;
use std::rc::Rc;

use rchisel::fields::{EvalCtx, Registry};
use rchisel::filter::Filter;
use rchisel::pipeline::{run_capture, Limits, Sinks, Src};
use rchisel::sink::{Flow, Sink, SinkError};
use rchisel::source::scap::{prefetch::Prefetch, ScapReader};
use rchisel::state::State;

#[derive(Default)]
struct Seen {
    calls: Vec<&'static str>,
    matched: Vec<u64>,
    unmatched: u64,
}

struct Counter {
    seen: Rc<RefCell<Seen>>,
    stop_after: Option<usize>,
}

impl Sink for Counter {
    fn begin(&mut self, _st: &State) -> Result<(), SinkError> {
        self.seen.borrow_mut().calls.push("begin");
        Ok(())
    }
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        let mut s = self.seen.borrow_mut();
        s.matched.push(ctx.ev.num);
        Ok(if Some(s.matched.len()) == self.stop_after { Flow::Stop } else { Flow::Continue })
    }
    fn unmatched(&mut self, _ctx: &mut EvalCtx<'_>) -> Result<(), SinkError> {
        self.seen.borrow_mut().unmatched += 1;
        Ok(())
    }
    fn finish(&mut self, _st: &State) -> Result<(), SinkError> {
        self.seen.borrow_mut().calls.push("finish");
        Ok(())
    }
}

fn run(path: &PathBuf, filter: &str, stop_after: Option<usize>) -> (Seen, u64) {
    let reg = Registry::get();
    let f = Filter::new(filter, reg).unwrap();
    let mut src = Src::Scap(Box::new(Prefetch::spawn(ScapReader::open(path).unwrap())));
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut sinks: Sinks = vec![Box::new(Counter { seen: seen.clone(), stop_after })];
    let out = run_capture(&mut src, Some(&f), &mut sinks, &Limits::default(), "t").unwrap();
    assert!(out.read_error.is_none());
    drop(sinks);
    (Rc::try_unwrap(seen).ok().unwrap().into_inner(), out.events)
}

#[test]
fn counting_sink_sees_what_the_printer_prints() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("traces");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_rchisel"));
    for name in ["fd_leak.scap", "port_conflict.scap", "password.scap"] {
        let path = dir.join(name);
        let filter = "evt.type in (open, openat, close, connect, bind, read) or proc.name=bash";
        let (seen, events) = run(&path, filter, None);
        let out = Command::new(&bin).arg("-r").arg(&path).args(["-p", "%evt.num"]).arg(filter).output().unwrap();
        assert!(out.status.success());
        let printed: Vec<u64> =
            String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().parse().unwrap()).collect();
        assert!(!printed.is_empty(), "{name}: nothing printed");
        assert_eq!(seen.matched, printed, "{name}");
        assert_eq!(seen.matched.len() as u64 + seen.unmatched, events, "{name}");
        assert_eq!(seen.calls, ["begin", "finish"], "{name}");

        let (stopped, _) = run(&path, filter, Some(3));
        assert_eq!(stopped.matched, printed[..3], "{name}: Flow::Stop after the third event");
        assert_eq!(stopped.calls, ["begin", "finish"], "{name}");
    }
}
