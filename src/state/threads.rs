//! The thread table: threads by tid, with a one-entry cache of the last
//! thread looked up (consecutive events mostly come from the same thread, and
//! every event looks its thread up several times).
//!
//! Threads live in slots; a map gives each tid its slot. Iteration follows
//! that map, so its order is the order a plain tid-keyed map would give.

use std::cell::Cell;

use rustc_hash::FxHashMap;

use super::types::Thread;

/// Marks the cache empty (no slot has this index).
const NO_SLOT: usize = usize::MAX;

/// Threads by tid (methods mirror a map's).
#[derive(Debug)]
pub struct ThreadTable {
    slots: Vec<Option<Thread>>,
    free: Vec<usize>,
    index: FxHashMap<i64, usize>,
    /// `(tid, slot)` of the last lookup that found a thread.
    last: Cell<(i64, usize)>,
}

impl Default for ThreadTable {
    fn default() -> Self {
        ThreadTable { slots: Vec::new(), free: Vec::new(), index: FxHashMap::default(), last: Cell::new((0, NO_SLOT)) }
    }
}

impl ThreadTable {
    /// Slot of `tid`, if present.
    #[inline]
    fn slot(&self, tid: i64) -> Option<usize> {
        let (t, s) = self.last.get();
        if t == tid && s != NO_SLOT {
            return Some(s);
        }
        let s = *self.index.get(&tid)?;
        self.last.set((tid, s));
        Some(s)
    }

    /// The thread `tid`.
    #[inline]
    pub fn get(&self, tid: &i64) -> Option<&Thread> {
        let s = self.slot(*tid)?;
        self.slots.get(s)?.as_ref()
    }

    /// The thread `tid`, for change.
    #[inline]
    pub fn get_mut(&mut self, tid: &i64) -> Option<&mut Thread> {
        let s = self.slot(*tid)?;
        self.slots.get_mut(s)?.as_mut()
    }

    /// True when `tid` is in the table.
    #[inline]
    pub fn contains_key(&self, tid: &i64) -> bool {
        self.slot(*tid).is_some()
    }

    /// Adds or replaces the thread `tid`; returns the replaced one.
    pub fn insert(&mut self, tid: i64, t: Thread) -> Option<Thread> {
        if let Some(&s) = self.index.get(&tid) {
            return self.slots.get_mut(s).and_then(|x| x.replace(t));
        }
        let s = match self.free.pop() {
            Some(s) => {
                self.slots[s] = Some(t);
                s
            }
            None => {
                self.slots.push(Some(t));
                self.slots.len() - 1
            }
        };
        self.index.insert(tid, s);
        None
    }

    /// Removes the thread `tid`.
    pub fn remove(&mut self, tid: &i64) -> Option<Thread> {
        let s = self.index.remove(tid)?;
        if self.last.get().0 == *tid {
            self.last.set((0, NO_SLOT));
        }
        let t = self.slots.get_mut(s)?.take();
        self.free.push(s);
        t
    }

    /// Number of threads.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there is no thread.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Every thread.
    pub fn values(&self) -> impl Iterator<Item = &Thread> + '_ {
        self.index.values().filter_map(|&s| self.slots.get(s)?.as_ref())
    }

    /// Every thread, for change (slot order: callers must not depend on it).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Thread> + '_ {
        self.slots.iter_mut().flatten()
    }

    /// `(tid, thread)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&i64, &Thread)> + '_ {
        self.index.iter().filter_map(|(k, &s)| Some((k, self.slots.get(s)?.as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn th(tid: i64, comm: &str) -> Thread {
        Thread { tid, pid: tid, comm: comm.into(), ..Default::default() }
    }

    #[test]
    fn cache_follows_inserts_and_removals() {
        let mut t = ThreadTable::default();
        assert!(t.insert(1, th(1, "a")).is_none());
        assert!(t.insert(2, th(2, "b")).is_none());
        assert_eq!(t.get(&1).map(|x| x.comm.as_str()), Some("a"));
        // Removing the cached thread, then reusing its slot for another tid.
        assert_eq!(t.remove(&1).map(|x| x.comm), Some("a".to_string()));
        assert!(t.get(&1).is_none());
        assert!(!t.contains_key(&1));
        t.insert(3, th(3, "c"));
        assert!(t.get(&1).is_none());
        assert_eq!(t.get(&3).map(|x| x.comm.as_str()), Some("c"));
        assert_eq!(t.get(&2).map(|x| x.comm.as_str()), Some("b"));
        // Replacing keeps one entry.
        assert_eq!(t.insert(3, th(3, "d")).map(|x| x.comm), Some("c".to_string()));
        assert_eq!(t.get_mut(&3).map(|x| x.comm.as_str()), Some("d"));
        assert_eq!(t.len(), 2);
        let mut tids: Vec<i64> = t.iter().map(|(k, _)| *k).collect();
        tids.sort();
        assert_eq!(tids, vec![2, 3]);
        assert_eq!(t.values().count(), 2);
        assert_eq!(t.values_mut().count(), 2);
    }
}
