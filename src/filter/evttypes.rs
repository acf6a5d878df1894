//! Which event types a filter can possibly accept, derived from its
//! `evt.type` checks, so the pipeline can skip other events before decoding.

use std::collections::BTreeSet;

/// Event type names (as `evt.type` renders them) a filter may accept.
///
/// Sound: if [`EventTypes::may_match`] is false for an event's type name, the
/// filter rejects the event. The converse does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTypes {
    /// Any type may match.
    All,
    /// Only these types may match.
    Only(BTreeSet<Vec<u8>>),
    /// Any type except these may match.
    AllExcept(BTreeSet<Vec<u8>>),
}

impl EventTypes {
    /// Whether an event whose `evt.type` is `name` may pass the filter.
    pub fn may_match(&self, name: &[u8]) -> bool {
        match self {
            EventTypes::All => true,
            EventTypes::Only(s) => s.contains(name),
            EventTypes::AllExcept(s) => !s.contains(name),
        }
    }

    pub(crate) fn not(self) -> Self {
        match self {
            EventTypes::All => EventTypes::All,
            EventTypes::Only(s) => EventTypes::AllExcept(s),
            EventTypes::AllExcept(s) => EventTypes::Only(s),
        }
    }

    /// Types that may pass both.
    pub fn and(self, other: Self) -> Self {
        use EventTypes::*;
        match (self, other) {
            (All, x) | (x, All) => x,
            (Only(a), Only(b)) => Only(a.intersection(&b).cloned().collect()),
            (Only(a), AllExcept(b)) | (AllExcept(b), Only(a)) => {
                Only(a.difference(&b).cloned().collect())
            }
            (AllExcept(a), AllExcept(b)) => AllExcept(a.union(&b).cloned().collect()),
        }
    }

    /// Types that may pass either.
    pub fn or(self, other: Self) -> Self {
        use EventTypes::*;
        match (self, other) {
            (All, _) | (_, All) => All,
            (Only(a), Only(b)) => Only(a.union(&b).cloned().collect()),
            (Only(a), AllExcept(b)) | (AllExcept(b), Only(a)) => {
                let s: BTreeSet<_> = b.difference(&a).cloned().collect();
                if s.is_empty() { All } else { AllExcept(s) }
            }
            (AllExcept(a), AllExcept(b)) => {
                let s: BTreeSet<_> = a.intersection(&b).cloned().collect();
                if s.is_empty() { All } else { AllExcept(s) }
            }
        }
    }
}
