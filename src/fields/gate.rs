//! A per-event-type verdict cache for a filter's checks on fields that
//! depend on the event type alone (`evt.type`, `evt.dir`, `evt.is_io*`).

use crate::event::Event;
use crate::filter::{FieldSource, Filter};

/// Caches, per event type (and direction), whether the filter's checks on
/// fields that depend on the type alone (`evt.type`, `evt.dir`, `evt.is_io*`)
/// can accept it, so most non-matching events are rejected before any other
/// field is read.
#[derive(Default, Debug)]
pub struct TypeGate {
    /// 0 = unknown, 1 = may pass, 2 = rejected.
    by_type: Vec<u8>,
    /// The same for generic events, by syscall id and direction (they are
    /// named after the syscall).
    by_syscall: Vec<u8>,
}

impl TypeGate {
    /// False when `f` rejects every event of `ev`'s type; the verdict is
    /// cached per type. `src` shows `ev` to the filter's type-only checks
    /// (only on a cache miss). A gate serves one filter: make a new one
    /// when the filter changes.
    #[inline]
    pub fn may_pass<S: FieldSource + ?Sized>(&mut self, ev: &Event, f: &Filter, src: &mut S) -> bool {
        if !f.is_typed() {
            return true;
        }
        let (cache, i) = if ev.etype <= 1 {
            // Generic events are named after their syscall.
            match ev.generic_syscall_id() {
                Some(id) => (&mut self.by_syscall, id as usize * 2 + ev.etype as usize),
                None => return !f.rejects_type(src),
            }
        } else {
            (&mut self.by_type, ev.etype as usize)
        };
        if i >= cache.len() {
            cache.resize(i + 1, 0);
        }
        if cache[i] == 0 {
            cache[i] = if f.rejects_type(src) { 2 } else { 1 };
        }
        cache[i] == 1
    }
}
