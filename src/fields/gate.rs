//! A per-event-type verdict cache for a filter's `evt.type` checks.

use crate::event::Event;
use crate::filter::Filter;

/// Caches, per event type, whether the filter's `evt.type` checks can accept
/// it, so most non-matching events are rejected before any field is read.
#[derive(Default, Debug)]
pub struct TypeGate {
    /// 0 = unknown, 1 = may pass, 2 = rejected.
    by_type: Vec<u8>,
    /// The same for generic events, by syscall id (they are named after it).
    by_syscall: Vec<u8>,
}

impl TypeGate {
    /// False when `f` rejects every event of `ev`'s type (from its
    /// `evt.type` checks); the verdict is cached per type. A gate serves one
    /// filter: make a new one when the filter changes.
    #[inline]
    pub fn may_pass(&mut self, ev: &Event, f: &Filter) -> bool {
        let types = f.event_types();
        if matches!(types, crate::filter::EventTypes::All) {
            return true;
        }
        let (cache, i) = if ev.etype <= 1 {
            // Generic events are named after their syscall.
            match ev.generic_syscall_id() {
                Some(id) => (&mut self.by_syscall, id as usize),
                None => return types.may_match(ev.name().as_bytes()),
            }
        } else {
            (&mut self.by_type, ev.etype as usize)
        };
        if i >= cache.len() {
            cache.resize(i + 1, 0);
        }
        if cache[i] == 0 {
            cache[i] = if types.may_match(ev.name().as_bytes()) { 1 } else { 2 };
        }
        cache[i] == 1
    }
}
