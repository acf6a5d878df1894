//! Timestamp reordering of ring-buffer records.
//!
//! CPUs write into the ring in commit order, which can differ slightly from
//! timestamp order. Records wait here, sorted by timestamp, until they are
//! older than a watermark. Records arrive almost sorted, so insertion is
//! usually an append.

use std::collections::VecDeque;

/// Offset of the timestamp inside a record (after the 8-byte CPU prefix).
const TS_OFF: usize = 8;

/// Pending records sorted by timestamp, with recycled buffers.
#[derive(Default)]
pub struct Reorder {
    q: VecDeque<(u64, Vec<u8>)>,
    free: Vec<Vec<u8>>,
}

fn ts_of(rec: &[u8]) -> u64 {
    rec.get(TS_OFF..TS_OFF + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .unwrap_or(0)
}

impl Reorder {
    /// Copies one record in.
    pub fn push(&mut self, rec: &[u8]) {
        let ts = ts_of(rec);
        let mut buf = self.free.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(rec);
        match self.q.back() {
            Some((last, _)) if *last > ts => {
                let pos = self.q.partition_point(|(t, _)| *t <= ts);
                self.q.insert(pos, (ts, buf));
            }
            _ => self.q.push_back((ts, buf)),
        }
    }

    /// Moves the oldest record into `out` if its timestamp is `<= watermark`.
    pub fn pop_into(&mut self, watermark: u64, out: &mut Vec<u8>) -> bool {
        match self.q.front() {
            Some((ts, _)) if *ts <= watermark => {}
            _ => return false,
        }
        let Some((_, buf)) = self.q.pop_front() else { return false };
        let old = std::mem::replace(out, buf);
        if self.free.len() < 4096 {
            self.free.push(old);
        }
        true
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
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
            r.push(&rec(ts));
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
}
