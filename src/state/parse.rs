//! Event and record handlers that keep the state current (sysdig's parsers).

use super::{EventMeta, State};
use crate::event::Event;
use crate::source::records::Record;

/// Removals sysdig defers to the start of the next event.
#[derive(Default, Debug)]
pub struct Pending {
    /// Thread to remove (procexit).
    pub tid: Option<i64>,
    /// `(tid, fd)` pairs to remove (successful close).
    pub fds: Vec<(i64, i64)>,
}

/// Seeds the state from one header record.
pub fn apply_record(_st: &mut State, _rec: Record) {}

/// Updates the state with one event.
pub fn process(_st: &mut State, _ev: &Event) -> EventMeta {
    EventMeta { fd: -1, ..Default::default() }
}
