//! Lua chisel host (placeholder until the host lands).

use std::io::Write;

use crate::event::Event;
use crate::fields::Registry;
use crate::runner::Options;
use crate::state::{EventMeta, State};

/// The chisels of one run.
pub struct ChiselSet;

impl ChiselSet {
    /// How many leading positional arguments the chisels took as their own.
    pub fn consumed_args(&self) -> usize {
        0
    }
    /// Called once before the first event.
    pub fn on_capture_start(&mut self, _st: &State) -> Result<(), String> {
        Ok(())
    }
    /// Called for every event that passed the filter; false ends the capture.
    pub fn on_event(&mut self, _ev: &Event, _m: &EventMeta, _st: &State) -> Result<bool, String> {
        Ok(true)
    }
    /// Called for events the filter rejected (drives time-based callbacks).
    pub fn on_timeout(&mut self, _ev: &Event, _st: &State) -> Result<(), String> {
        Ok(())
    }
    /// Called once at the end.
    pub fn on_capture_end(&mut self, _st: &State) -> Result<(), String> {
        Ok(())
    }
}

/// Loads the chisels requested by `-c`; `None` when there are none.
pub fn load_all(opts: &Options, _reg: &Registry) -> Result<Option<ChiselSet>, String> {
    if opts.chisels.is_empty() {
        return Ok(None);
    }
    Err(format!("unable to load chisel {}", opts.chisels[0].name))
}

/// `-cl` and `-i NAME`.
pub fn describe(_opts: &Options, _out: &mut dyn Write) -> Result<i32, String> {
    Err("chisel listing is not available yet".into())
}
