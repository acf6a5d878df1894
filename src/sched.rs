//! Scheduling of rchisel's own threads during a live capture.

/// Marks the calling thread `SCHED_BATCH`: it no longer preempts the task
/// running on a CPU when it wakes up, and waits for that task's time slice
/// to end instead. The capture's consumer threads (ring reader, state and
/// filters, file writer) wake every few milliseconds in a syscall storm; as
/// normal threads each wake-up took the CPU from the traced workload at once
/// (a `dd bs=1` under capture: ~450 involuntary context switches a second).
/// They still get their fair share of CPU time, which the rings' slack
/// (megabytes per CPU) absorbs. Best effort: an error leaves the policy as
/// it was.
pub fn batch_thread() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: pid 0 is the calling thread; `param` is a valid sched_param
    // (priority 0, as SCHED_BATCH requires).
    unsafe {
        libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
    }
}
