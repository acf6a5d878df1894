//! `-P`: the progress of reading a capture file, on stderr, as sysdig 0.29.3
//! shows it: the percentage every 10000 events (when it moved by more than
//! 0.1), rewritten in place with `\r`, and the last value and a newline at
//! the end.

use std::io::Write;

use crate::source::ProgressHandle;

/// Progress reporter for one run.
pub struct Progress {
    handle: Option<ProgressHandle>,
    last_pct: f64,
    /// The text shown last (blanked before the next one).
    line: String,
}

impl Progress {
    /// A reporter following `handle` (no handle: always 0%).
    pub fn new(handle: Option<ProgressHandle>) -> Progress {
        Progress { handle, last_pct: 0.0, line: String::new() }
    }

    /// Called for every event with its number.
    #[inline]
    pub fn tick(&mut self, num: u64) {
        if num.is_multiple_of(10000) {
            self.output();
        }
    }

    fn percent(&self) -> f64 {
        self.handle.as_ref().map(|h| h.percent()).unwrap_or(0.0)
    }

    fn clean(&mut self) {
        self.line = " ".repeat(self.line.len());
        eprint!("\r{}", self.line);
    }

    fn output(&mut self) {
        let pct = self.percent();
        if pct - self.last_pct > 0.1 {
            self.clean();
            self.line = format!("{pct:.2}");
            eprint!("\r{}", self.line);
            let _ = std::io::stderr().flush();
            self.last_pct = pct;
        }
    }

    /// The end of the capture: the final percentage and a newline.
    pub fn finish(&mut self) {
        self.clean();
        self.output();
        eprintln!();
        let _ = std::io::stderr().flush();
    }
}

/// Every event counts, matched or not (sysdig reports from its read loop).
impl super::Sink for Progress {
    fn matched(&mut self, ctx: &mut crate::fields::EvalCtx<'_>) -> Result<super::Flow, super::SinkError> {
        self.tick(ctx.ev.num);
        Ok(super::Flow::Continue)
    }

    fn unmatched(&mut self, ctx: &mut crate::fields::EvalCtx<'_>) -> Result<(), super::SinkError> {
        self.tick(ctx.ev.num);
        Ok(())
    }

    fn finish(&mut self, _st: &crate::state::State) -> Result<(), super::SinkError> {
        Progress::finish(self);
        Ok(())
    }
}
