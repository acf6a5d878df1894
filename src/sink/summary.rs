//! `-S`: sysdig's event summary, as a [`Sink`]. Every event that passed the
//! capture filter is counted by type (generic events by syscall and
//! direction), and at the end the 100 most frequent are printed:
//!
//! ```text
//! ----------------------
//! Event           #Calls
//! ----------------------
//! > procinfo        315
//! < mmap            110
//! ```
//!
//! sysdig sorts its table (336 event types, then 329 syscalls times two
//! directions) with libstdc++'s `std::sort`, which is not stable: rows with
//! the same count come out in the order that algorithm leaves them.
//! [`introsort`] is that algorithm, so ties print as sysdig prints them.

use std::io::Write;

use super::{Flow, Sink, SinkError};
use crate::fields::EvalCtx;
use crate::state::State;

/// sysdig 0.29.3's `PPM_EVENT_MAX`.
const EVENT_MAX: usize = 336;
/// sysdig 0.29.3's `PPM_SC_MAX`.
const SC_MAX: usize = 329;
/// Rows printed.
const ROWS: usize = 100;

/// One row of the table: (count, id, generic syscall).
#[derive(Clone, Copy, Debug)]
struct Entry {
    calls: u64,
    id: u16,
    syscall: bool,
}

/// Counts events by type and prints sysdig's summary at the end.
pub struct Summary {
    table: Vec<Entry>,
    out: Box<dyn Write>,
}

impl Summary {
    /// A summary printed to `out` when the capture ends.
    pub fn new(out: Box<dyn Write>) -> Summary {
        let mut table: Vec<Entry> = (0..EVENT_MAX).map(|j| Entry { calls: 0, id: j as u16, syscall: false }).collect();
        table.extend((0..SC_MAX * 2).map(|j| Entry { calls: 0, id: j as u16, syscall: true }));
        Summary { table, out }
    }

    fn count(&mut self, ev: &crate::event::Event<'_>) {
        let slot = if ev.etype <= 1 {
            // Generic events: by syscall id, enter and exit apart.
            match ev.generic_syscall_id() {
                Some(id) if (id as usize) < SC_MAX => EVENT_MAX + id as usize * 2 + ev.etype as usize,
                _ => return,
            }
        } else if (ev.etype as usize) < EVENT_MAX {
            ev.etype as usize
        } else {
            return;
        };
        self.table[slot].calls += 1;
    }

    /// The table as sysdig prints it.
    fn render(&mut self) -> Vec<u8> {
        let mut o = Vec::new();
        o.extend_from_slice(b"----------------------\nEvent           #Calls\n----------------------\n");
        introsort(&mut self.table, &|a: &Entry, b: &Entry| a.calls > b.calls);
        for e in self.table.iter().take(ROWS) {
            if e.calls == 0 {
                break;
            }
            let name = if e.syscall {
                crate::event::table::syscall_info(e.id / 2).map(|s| s.name).unwrap_or("")
            } else {
                crate::event::table::event_info(e.id).map(|i| i.sysdig_name()).unwrap_or("")
            };
            let dir = if e.id % 2 == 0 { "> " } else { "< " };
            // The name padded (or cut) to 16 columns, as std::string::resize.
            let mut col: Vec<u8> = name.as_bytes().iter().copied().take(16).collect();
            col.resize(16, b' ');
            o.extend_from_slice(dir.as_bytes());
            o.extend_from_slice(&col);
            let _ = writeln!(o, "{}", e.calls);
        }
        o
    }
}

impl Sink for Summary {
    fn matched(&mut self, ctx: &mut EvalCtx<'_>) -> Result<Flow, SinkError> {
        self.count(ctx.ev);
        Ok(Flow::Continue)
    }

    fn finish(&mut self, _st: &State) -> Result<(), SinkError> {
        let text = self.render();
        self.out
            .write_all(&text)
            .and_then(|_| self.out.flush())
            .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })
            .map_err(|e| SinkError::Failed(e.to_string()))
    }
}

/// libstdc++'s `std::sort` (introsort: median-of-three quicksort down to
/// slices of 16, heapsort past the depth limit, then one insertion sort),
/// step for step, so that equal elements end where sysdig's end.
pub fn introsort<T: Copy>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
    introsort_loop(v, 0, n, depth, less);
    final_insertion_sort(v, less);
}

const THRESHOLD: usize = 16;

fn introsort_loop<T: Copy>(v: &mut [T], first: usize, mut last: usize, mut depth: usize, less: &dyn Fn(&T, &T) -> bool) {
    while last - first > THRESHOLD {
        if depth == 0 {
            heap_sort(&mut v[first..last], less);
            return;
        }
        depth -= 1;
        let cut = partition_pivot(v, first, last, less);
        introsort_loop(v, cut, last, depth, less);
        last = cut;
    }
}

/// `__unguarded_partition_pivot`: the median of (first+1, mid, last-1) moved
/// to `first`, then Hoare's partition of the rest around it.
fn partition_pivot<T: Copy>(v: &mut [T], first: usize, last: usize, less: &dyn Fn(&T, &T) -> bool) -> usize {
    let mid = first + (last - first) / 2;
    move_median_to_first(v, first, first + 1, mid, last - 1, less);
    let (mut lo, mut hi) = (first + 1, last);
    loop {
        while less(&v[lo], &v[first]) {
            lo += 1;
        }
        hi -= 1;
        while less(&v[first], &v[hi]) {
            hi -= 1;
        }
        if lo >= hi {
            return lo;
        }
        v.swap(lo, hi);
        lo += 1;
    }
}

fn move_median_to_first<T: Copy>(v: &mut [T], result: usize, a: usize, b: usize, c: usize, less: &dyn Fn(&T, &T) -> bool) {
    let m = if less(&v[a], &v[b]) {
        if less(&v[b], &v[c]) {
            b
        } else if less(&v[a], &v[c]) {
            c
        } else {
            a
        }
    } else if less(&v[a], &v[c]) {
        a
    } else if less(&v[b], &v[c]) {
        c
    } else {
        b
    };
    v.swap(result, m);
}

fn final_insertion_sort<T: Copy>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n > THRESHOLD {
        insertion_sort(v, 0, THRESHOLD, less);
        for i in THRESHOLD..n {
            unguarded_linear_insert(v, i, less);
        }
    } else {
        insertion_sort(v, 0, n, less);
    }
}

fn insertion_sort<T: Copy>(v: &mut [T], first: usize, last: usize, less: &dyn Fn(&T, &T) -> bool) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if less(&v[i], &v[first]) {
            let val = v[i];
            v.copy_within(first..i, first + 1);
            v[first] = val;
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

fn unguarded_linear_insert<T: Copy>(v: &mut [T], mut last: usize, less: &dyn Fn(&T, &T) -> bool) {
    let val = v[last];
    let mut next = last - 1;
    while less(&val, &v[next]) {
        v[last] = v[next];
        last = next;
        if next == 0 {
            break;
        }
        next -= 1;
    }
    v[last] = val;
}

/// `std::__partial_sort(first, last, last)`: make_heap, then sort_heap.
fn heap_sort<T: Copy>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    // make_heap
    let mut parent = (n - 2) / 2;
    loop {
        let val = v[parent];
        adjust_heap(v, parent, n, val, less);
        if parent == 0 {
            break;
        }
        parent -= 1;
    }
    // sort_heap
    let mut last = n;
    while last > 1 {
        last -= 1;
        let val = v[last];
        v[last] = v[0];
        adjust_heap(v, 0, last, val, less);
    }
}

fn adjust_heap<T: Copy>(v: &mut [T], mut hole: usize, len: usize, val: T, less: &dyn Fn(&T, &T) -> bool) {
    let top = hole;
    let mut child = hole;
    while child < (len - 1) / 2 {
        child = 2 * (child + 1);
        if less(&v[child], &v[child - 1]) {
            child -= 1;
        }
        v[hole] = v[child];
        hole = child;
    }
    if len.is_multiple_of(2) && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        v[hole] = v[child - 1];
        hole = child - 1;
    }
    // push_heap
    let mut parent = if hole > 0 { (hole - 1) / 2 } else { 0 };
    while hole > top && less(&v[parent], &val) {
        v[hole] = v[parent];
        hole = parent;
        if hole == 0 {
            break;
        }
        parent = (hole - 1) / 2;
    }
    v[hole] = val;
}

#[cfg(test)]
mod tests {
    use super::introsort;

    #[test]
    fn sorts_like_a_sort() {
        let mut seed = 12345u64;
        for n in [0usize, 1, 2, 5, 16, 17, 40, 300, 994] {
            let mut v: Vec<u64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 33) % 7
                })
                .collect();
            let mut w = v.clone();
            introsort(&mut v, &|a, b| a > b);
            w.sort_by(|a, b| b.cmp(a));
            assert_eq!(v, w, "n={n}");
        }
    }
}
