//! Timestamp merge of the per-CPU ring buffers' records.
//!
//! Each CPU writes its own ring, in timestamp order; records from different
//! rings interleave in time. Records wait here, one sorted queue per ring,
//! until they are older than a watermark; the oldest head of all queues goes
//! first. A ring shared by several CPUs (more CPUs than rings) is only nearly
//! sorted, so a record older than its queue's tail is inserted in place.

use std::collections::VecDeque;

/// Offset of the timestamp inside a record (after the 8-byte CPU prefix).
const TS_OFF: usize = 8;

/// Pending records, a timestamp-sorted queue per ring, with recycled buffers.
#[derive(Default)]
pub struct Reorder {
    qs: Vec<VecDeque<(u64, Vec<u8>)>>,
    free: Vec<Vec<u8>>,
}

fn ts_of(rec: &[u8]) -> u64 {
    rec.get(TS_OFF..TS_OFF + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .unwrap_or(0)
}

impl Reorder {
    /// Copies one record of ring `ring` in, given as its 8-byte prefix and
    /// its event (which may come from different places: a ring record can
    /// hold two events behind one prefix).
    pub fn push(&mut self, ring: usize, prefix: &[u8], event: &[u8]) {
        let mut buf = self.free.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(prefix);
        buf.extend_from_slice(event);
        let ts = ts_of(&buf);
        if self.qs.len() <= ring {
            self.qs.resize_with(ring + 1, VecDeque::new);
        }
        let q = &mut self.qs[ring];
        match q.back() {
            Some((last, _)) if *last > ts => {
                let pos = q.partition_point(|(t, _)| *t <= ts);
                q.insert(pos, (ts, buf));
            }
            _ => q.push_back((ts, buf)),
        }
    }

    /// Moves the oldest record of all rings into `out` if its timestamp is
    /// `<= watermark` (ties go to the lower ring).
    pub fn pop_into(&mut self, watermark: u64, out: &mut Vec<u8>) -> bool {
        let mut best: Option<(u64, usize)> = None;
        for (i, q) in self.qs.iter().enumerate() {
            if let Some(&(ts, _)) = q.front() {
                if ts <= watermark && best.is_none_or(|(b, _)| ts < b) {
                    best = Some((ts, i));
                }
            }
        }
        let Some((_, i)) = best else { return false };
        let Some((_, buf)) = self.qs[i].pop_front() else { return false };
        let old = std::mem::replace(out, buf);
        if self.free.len() < 4096 {
            self.free.push(old);
        }
        true
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.qs.iter().all(|q| q.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(ts: u64) -> Vec<u8> {
        let mut v = vec![0u8; 8];
        v.extend_from_slice(&ts.to_le_bytes());
        v
    }

    #[test]
    fn sorts_and_respects_watermark() {
        let mut r = Reorder::default();
        for ts in [5, 3, 9, 4, 9, 1] {
            r.push(0, &rec(ts)[..TS_OFF], &rec(ts)[TS_OFF..]);
        }
        let mut out = Vec::new();
        let mut got = Vec::new();
        while r.pop_into(5, &mut out) {
            got.push(ts_of(&out));
        }
        assert_eq!(got, [1, 3, 4, 5]);
        while r.pop_into(u64::MAX, &mut out) {
            got.push(ts_of(&out));
        }
        assert_eq!(got, [1, 3, 4, 5, 9, 9]);
        assert!(r.is_empty());
    }

    #[test]
    fn merges_rings_by_timestamp() {
        let mut r = Reorder::default();
        // Ring 2 drained before ring 0; ring 1 never written.
        for ts in [2, 3, 8, 20] {
            r.push(2, &rec(ts)[..TS_OFF], &rec(ts)[TS_OFF..]);
        }
        for ts in [1, 4, 7, 8, 30] {
            r.push(0, &rec(ts)[..TS_OFF], &rec(ts)[TS_OFF..]);
        }
        let mut out = Vec::new();
        let mut got = Vec::new();
        while r.pop_into(10, &mut out) {
            got.push(ts_of(&out));
        }
        assert_eq!(got, [1, 2, 3, 4, 7, 8, 8]);
        assert!(!r.is_empty());
        while r.pop_into(u64::MAX, &mut out) {
            got.push(ts_of(&out));
        }
        assert_eq!(got, [1, 2, 3, 4, 7, 8, 8, 20, 30]);
        assert!(r.is_empty());
    }
}
