// SPDX-License-Identifier: GPL-2.0
/* rchisel capture probe (CO-RE).
 *
 * Raw tracepoints sys_enter / sys_exit / sched_process_exit /
 * sched_process_exec. Every event is encoded here in the scap layout
 * (ppm_evt_hdr v2: ts u64, tid u64, len u32, type u16, nparams u32; then one
 * u16 length per parameter; then the parameter data) so that userspace only
 * copies it. Each ring-buffer record is an 8-byte prefix (cpu u16, 6 bytes
 * zero) followed by one or more events: a CPU's batch (struct pending).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ppm.h"
#include "syscall_ppm_sc.h"
#include "sc_table.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load. */
const volatile __u32 rch_self_tgid = 0;  /* our own process: filtered out */
const volatile __u32 rch_snaplen = 80;   /* max bytes of I/O buffers */
const volatile __u64 rch_boot_ns = 0;    /* epoch ns at boot (CLOCK_BOOTTIME 0) */
const volatile __u32 rch_sc_limit = 0;   /* if set, generic IDs >= this become 0 (old readers) */
/* Kernel-side selection: when rch_select is set, only syscalls whose bit is
 * set in rch_sc_mask (by x86_64 syscall number) are traced at all. */
const volatile __u32 rch_select = 0;
const volatile __u64 rch_sc_mask[8] = {};
/* 0: no batches, only an enter event waits for its exit (for comparison). */
const volatile __u32 rch_batch = 1;
/* sysdig's -T (libs' tracers_enabled): a write to /dev/null keeps up to
 * RW_SNAPLEN_EVENT bytes whatever the snaplen. */
const volatile __u32 rch_tracers = 0;
/* Bench floors (bench/live_overhead.sh), 0 in every capture: 1 = the syscall
 * programs return at once (what attaching them costs); 2 = they only read
 * the clock, once per program run as every event does (what the format's
 * timestamps cost). Nothing is emitted either way. */
const volatile __u32 rch_floor = 0;

/* The floors' early return: true when the program is to do nothing more. */
static __always_inline int rch_floored(void) {
	if(!rch_floor) return 0;
	if(rch_floor == 2) bpf_ktime_get_boot_ns();
	return 1;
}

#define HALF 65536u
#define MASK (HALF - 1)
#define PREFIX 8u
#define HDR 26u
#define MAX_PARAMS 32u
#define MAX_PATH 4096u
#define MAX_SNAP 65536u /* libs' -s maximum is 65000 */
#define MAX_ARGS 4096u

/* Clamp that the compiler cannot drop (the verifier needs to see the mask). */
#define BOUND(x, m) ({ asm volatile("" : "+r"(x)); (x) &= (m); })

/* Events wait at the start of the scratch buffer, in a batch of at most
 * BATCH_MAX bytes (see ev_begin / ev_submit), and leave in one ring-buffer
 * record: one reservation per batch instead of one per event. The next event
 * is built right after the batch; offsets into the batch stay below
 * PEND_ROOM. 8 KiB: the ring-buffer reservation (its lock, the wakeup
 * check on the consumer position the reader keeps writing) and commit cost
 * about 200 ns per record; with 1 KiB batches (~10 syscalls of dd bs=1)
 * they were ~5% of a traced dd's time, about 3% with 8-16 KiB (perf). */
#define PEND_ROOM 8192u
#define BATCH_MAX 8192u
/* A batch is sent at the latest this long after its first event was held
 * (rch_flush_timer), however quiet the CPU turns. */
#define FLUSH_NS 1000000ull

/* An event is built at b[base..], base < PEND_ROOM, its fields at offsets
 * masked to HALF - 1 and up to MAX_SNAP bytes long: 2 * HALF + PEND_ROOM. */
struct scratch {
	__u8 b[2 * HALF + PEND_ROOM];
};

/* Per CPU: the batch of events waiting in scratch[0..len): a syscall's enter
 * event and its exit, and the events after them, so that they leave in one
 * ring-buffer record. The batch leaves when the next event would not fit,
 * when a task is switched out (rch_sched_switch: a blocking syscall's enter
 * is never held while its task sleeps), with any event that is not held
 * (procexit, signals, page faults), and at the latest FLUSH_NS after its
 * first event (rch_flush_timer). */
struct pending {
	__u32 len; /* bytes, including the record prefix; 0 = none */
	__u32 tid; /* thread of the last held event */
	__u64 ts;  /* the first held event's timestamp: userspace delivers
	            * nothing newer until it arrives (see LiveSource::held_floor) */
	__u64 sent; /* events this CPU put in its ring */
	__u64 lost; /* events this CPU dropped (ring full, too large) */
	__u32 nheld; /* events in the batch */
	__u32 last;  /* offset of the last held event (its header) */
	__u32 busy;  /* a program is building an event in this CPU's scratch */
	__u32 armed; /* the flush timer is set (or being set) */
	__u32 timer_ready; /* the flush timer was initialised */
	__u32 no_timer; /* the kernel has no CPU-pinned BPF timers (before 6.7):
	                 * only an enter event waits, for its exit */
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending);
} rch_pending SEC(".maps");

/* One scratch buffer per CPU, by CPU number (userspace sets max_entries to
 * the number of possible CPUs; too large for a per-CPU array). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} rch_scratch SEC(".maps");

static __always_inline struct scratch *cpu_scratch(void) {
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&rch_scratch, &cpu);
}

/* Kernel-side selection (rch_select): true when syscall `nr` is not traced. */
static __always_inline int rch_skip(long nr) {
	if(!rch_select) return 0;
	if(nr < 0 || nr >= 512) return 1;
	return !((rch_sc_mask[(nr >> 6) & 7] >> (nr & 63)) & 1);
}

/* One counter pair per CPU: [0] = batches sent by the flush timer, [1] =
 * events dropped outside the event builder (the builder counts in struct
 * pending: sent and lost). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} rch_counters SEC(".maps");

/* Start-up switch (entry 0), set by userspace from before the attach until
 * its /proc snapshot is in: meanwhile every process exit is followed by an
 * identity record (RCH_IDENTITY_E), so that a thread born just before the
 * attach and gone before the snapshot reached it still gets its name. The
 * reader takes these records in and never hands them on. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rch_startup SEC(".maps");
#define RCH_IDENTITY_E 0xFFF0

/* Per-CPU ring buffers: CPU c writes rch_ev<c % RINGS> (rings are
 * multi-producer, so CPUs past RINGS share one correctly). Userspace sizes the
 * rings of CPUs that exist and shrinks the others to one page. Each CPU's
 * records come out in timestamp order (a CPU runs one probe program at a
 * time), which the reader's merge relies on. */
#define RINGS 16
#define RING(n) struct { \
	__uint(type, BPF_MAP_TYPE_RINGBUF); \
	__uint(max_entries, 4096); \
} rch_ev##n SEC(".maps")
RING(0); RING(1); RING(2); RING(3); RING(4); RING(5); RING(6); RING(7);
RING(8); RING(9); RING(10); RING(11); RING(12); RING(13); RING(14); RING(15);

/* bpf_ringbuf_output of scratch bytes [off, off + size) into the ring of
 * the CPU named in the record prefix (its first u32). Flags 0: the kernel
 * wakes the reader only for a record written into a ring the reader had
 * emptied (it sleeps in epoll then); while it is behind, no record costs a
 * wakeup. A global function: the verifier checks its sixteen cases once,
 * not once per call site (they were an eighth of rch_sys_exit's
 * instructions, a sixteen-way fork at every call to verify). */
__noinline long ring_out(struct scratch *s, __u32 off, __u32 size) {
	if(!s) return -1;
	BOUND(off, PEND_ROOM - 1);
	BOUND(size, 2 * HALF - 1);
	void *data = &s->b[off];
	switch(*(__u32 *)&s->b[off] % RINGS) {
	case 0: return bpf_ringbuf_output(&rch_ev0, data, size, 0);
	case 1: return bpf_ringbuf_output(&rch_ev1, data, size, 0);
	case 2: return bpf_ringbuf_output(&rch_ev2, data, size, 0);
	case 3: return bpf_ringbuf_output(&rch_ev3, data, size, 0);
	case 4: return bpf_ringbuf_output(&rch_ev4, data, size, 0);
	case 5: return bpf_ringbuf_output(&rch_ev5, data, size, 0);
	case 6: return bpf_ringbuf_output(&rch_ev6, data, size, 0);
	case 7: return bpf_ringbuf_output(&rch_ev7, data, size, 0);
	case 8: return bpf_ringbuf_output(&rch_ev8, data, size, 0);
	case 9: return bpf_ringbuf_output(&rch_ev9, data, size, 0);
	case 10: return bpf_ringbuf_output(&rch_ev10, data, size, 0);
	case 11: return bpf_ringbuf_output(&rch_ev11, data, size, 0);
	case 12: return bpf_ringbuf_output(&rch_ev12, data, size, 0);
	case 13: return bpf_ringbuf_output(&rch_ev13, data, size, 0);
	case 14: return bpf_ringbuf_output(&rch_ev14, data, size, 0);
	default: return bpf_ringbuf_output(&rch_ev15, data, size, 0);
	}
}

/* Filename seen by sched_process_exec, consumed by the execve exit event. */
struct exec_name {
	char s[256];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exec_name);
} rch_exec_names SEC(".maps");

/* ---- event builder ------------------------------------------------------ */

struct ev {
	__u8 *s;       /* the CPU's scratch buffer */
	__u8 *b;       /* this event's record, inside s (after a held enter) */
	struct pending *p;
	__u32 base;    /* offset of b in s */
	__u32 hold;    /* an enter event that may wait for its exit */
	__u32 off;     /* next data byte (absolute, includes PREFIX) */
	__u32 idx;     /* next parameter index */
	__u32 lenbase; /* offset of the length array */
};

static __always_inline void count(__u32 which);

/* Sends the first `n` bytes of the scratch buffer (`k` events) as one record;
 * the events after them stay. */
static __always_inline void send_head(struct pending *p, __u8 *sb, __u32 n, __u32 k) {
	BOUND(n, 2 * PEND_ROOM - 1);
	if(ring_out((struct scratch *)sb, 0, n) != 0) p->lost += k;
	else p->sent += k;
	p->nheld -= k;
}

/* Sends this CPU's batch (all of it: it is one record). */
static __always_inline void flush_pending(struct pending *p, __u8 *sb) {
	__u32 n = p->len;
	p->len = 0;
	if(n) send_head(p, sb, n, p->nheld);
	p->nheld = 0;
}

/* A compiler barrier: the store before it happens before the loads after. */
#define BARRIER() asm volatile("" ::: "memory")

static __always_inline int ev_begin(struct ev *e, __u16 type, __u32 nparams) {
	__u32 zero = 0;
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch *s = bpf_map_lookup_elem(&rch_scratch, &cpu);
	if(!s) return 0;
	struct pending *p = bpf_map_lookup_elem(&rch_pending, &zero);
	if(!p) return 0;
	__u64 id = bpf_get_current_pid_tgid();
	/* Our own events are dropped here (the syscall handlers do not check
	 * earlier: one helper call less per event). */
	if((__u32)(id >> 32) == rch_self_tgid) return 0;
	/* From here until ev_submit this CPU's scratch is being written: the
	 * flush timer, which may interrupt this program, leaves it alone. */
	p->busy = 1;
	BARRIER();
	/* The event goes after the batch held so far. */
	__u32 base = 0;
	if(p->len) {
		if(p->len > BATCH_MAX) flush_pending(p, s->b);
		else {
			base = p->len - PREFIX;
			BOUND(base, PEND_ROOM - 1);
		}
	}
	e->s = s->b;
	e->b = s->b + base;
	e->p = p;
	e->base = base;
	e->hold = type != PPME_PROCEXIT_1_E;
	e->idx = 0;
	e->lenbase = PREFIX + HDR;
	e->off = PREFIX + HDR + nparams * 2;
	if(!base) *(__u64 *)&e->b[0] = cpu;
	*(__u64 *)&e->b[PREFIX] = bpf_ktime_get_boot_ns() + rch_boot_ns;
	*(__u64 *)&e->b[PREFIX + 8] = (__u32)id;
	*(__u16 *)&e->b[PREFIX + 20] = type;
	*(__u32 *)&e->b[PREFIX + 22] = nparams;
	return 1;
}

static __always_inline void set_len(struct ev *e, __u32 len) {
	__u32 p = (e->lenbase + (e->idx & (MAX_PARAMS - 1)) * 2) & MASK;
	*(__u16 *)&e->b[p] = (__u16)len;
	e->idx++;
}

static __always_inline void p_u64(struct ev *e, __u64 v) {
	*(__u64 *)&e->b[e->off & MASK] = v;
	e->off += 8;
	set_len(e, 8);
}
static __always_inline void p_u32(struct ev *e, __u32 v) {
	*(__u32 *)&e->b[e->off & MASK] = v;
	e->off += 4;
	set_len(e, 4);
}
static __always_inline void p_u16(struct ev *e, __u16 v) {
	*(__u16 *)&e->b[e->off & MASK] = v;
	e->off += 2;
	set_len(e, 2);
}
static __always_inline void p_u8(struct ev *e, __u8 v) {
	e->b[e->off & MASK] = v;
	e->off += 1;
	set_len(e, 1);
}
static __always_inline void p_empty(struct ev *e) {
	set_len(e, 0);
}

/* NUL-terminated user string; a bad pointer gives an empty string. */
static __always_inline void p_ustr(struct ev *e, const void *u) {
	long n = 0;
	if(u) n = bpf_probe_read_user_str(&e->b[e->off & MASK], MAX_PATH, u);
	if(n <= 0) {
		e->b[e->off & MASK] = 0;
		n = 1;
	}
	e->off += (__u32)n;
	set_len(e, (__u32)n);
}

/* NUL-terminated kernel string. */
static __always_inline void p_kstr(struct ev *e, const void *k, __u32 max) {
	long n = bpf_probe_read_kernel_str(&e->b[e->off & MASK], max & (MAX_PATH - 1), k);
	if(n <= 0) {
		e->b[e->off & MASK] = 0;
		n = 1;
	}
	e->off += (__u32)n;
	set_len(e, (__u32)n);
}

/* Raw user bytes, cut at `snap` bytes. Up to 8 bytes (a storm of tiny
 * reads and writes) are read onto the stack, then stored as one word: dd's
 * CPU time under a bs=1 storm was lower so in 5 of 5 paired rounds. (Not
 * because hardened usercopy stops early for a stack destination: from 6.13
 * these programs run on a per-CPU private stack, which takes the heap
 * checks too.) The word's bytes past `n` are overwritten by the next
 * parameter or lie past the event's end. */
static __always_inline void p_ubuf_cut(struct ev *e, const void *u, __s64 len, __u32 snap) {
	__u32 n = 0;
	if(u && len > 0) {
		n = len > snap ? snap : (__u32)len;
		if(n <= 8) {
			__u64 w = 0;
			/* n - 1 masked to 0..7: the verifier then knows the size fits. */
			__u32 m = n - 1;
			BOUND(m, 7);
			n = m + 1;
			if(bpf_probe_read_user(&w, n, u) != 0) n = 0;
			else *(__u64 *)&e->b[e->off & MASK] = w;
		} else {
			BOUND(n, MAX_SNAP - 1);
			if(bpf_probe_read_user(&e->b[e->off & MASK], n, u) != 0) n = 0;
		}
	}
	e->off += n;
	set_len(e, n);
}

/* Raw user bytes, cut at the snaplen. */
static __always_inline void p_ubuf(struct ev *e, const void *u, __s64 len) {
	p_ubuf_cut(e, u, len, rch_snaplen);
}

/* Copies the contents of user iovec array `iov` (`cnt` entries, at most 8
 * looked at) to scratch bytes from `at`, at most `lim` bytes; returns the
 * bytes copied. Global, as the other loops over user arrays below: the
 * verifier checks it once, not at each of its call sites. */
__noinline __u32 iov_copy(struct scratch *s, __u32 at, __u64 iov, __u64 cnt, __u32 lim) {
	if(!s) return 0;
	const struct iovec *u = (const struct iovec *)iov;
	__u32 total = 0;
	lim &= (MAX_SNAP - 1);
	for(int i = 0; i < 8; i++) {
		if(i >= cnt || total >= lim) break;
		struct iovec v;
		if(bpf_probe_read_user(&v, sizeof(v), &u[i])) break;
		__u32 take = lim - total;
		if(v.iov_len < take) take = (__u32)v.iov_len;
		BOUND(take, MAX_SNAP - 1);
		__u32 pos = at + total;
		if(pos >= HALF + PEND_ROOM) break;
		if(bpf_probe_read_user(&s->b[pos], take, v.iov_base)) break;
		total += take;
	}
	return total;
}

/* Concatenated iovec contents, at most `len` bytes and the snaplen. */
static __always_inline void p_iov(struct ev *e, const struct iovec *iov, __u64 cnt, __s64 len) {
	__u32 lim = len > 0 ? (len > rch_snaplen ? rch_snaplen : (__u32)len) : 0;
	__u32 total = iov_copy((struct scratch *)e->s, e->base + e->off, (__u64)iov, cnt, lim);
	total &= (MAX_SNAP - 1);
	e->off += total;
	set_len(e, total);
}

/* PT_FDLIST from a user pollfd array: u16 count, then per fd an i64 fd and
 * u16 PPM_POLL* flags (events on enter, revents on exit); at most 16 fds. */
#define MAX_POLLFDS 16
static __always_inline void p_pollfds(struct ev *e, const struct pollfd *u, __u64 n, int enter) {
	__u32 o = e->off;
	__u32 cnt = 0;
	for(int i = 0; i < MAX_POLLFDS; i++) {
		if(i >= n) break;
		struct pollfd p;
		if(bpf_probe_read_user(&p, sizeof(p), &u[i])) break;
		__u32 at = o + 2 + cnt * 10;
		*(__s64 *)&e->b[at & MASK] = p.fd;
		*(__u16 *)&e->b[(at + 8) & MASK] = poll_events_to_scap(enter ? p.events : p.revents);
		cnt++;
	}
	*(__u16 *)&e->b[o & MASK] = (__u16)cnt;
	e->off += 2 + cnt * 10;
	set_len(e, 2 + cnt * 10);
}

/* The sum of the lengths in user iovec array `iov` (at most 16 entries). */
__noinline __u64 iov_sum(__u64 iov, __u64 cnt) {
	const struct iovec *u = (const struct iovec *)iov;
	__u64 sum = 0;
	for(int i = 0; i < 16; i++) {
		if(i >= cnt) break;
		struct iovec v;
		if(bpf_probe_read_user(&v, sizeof(v), &u[i])) break;
		sum += v.iov_len;
	}
	return sum;
}

static __always_inline __u64 iov_size(const struct iovec *iov, __u64 cnt) {
	return iov_sum((__u64)iov, cnt);
}

static __always_inline void count(__u32 which) {
	__u64 *c = bpf_map_lookup_elem(&rch_counters, &which);
	if(c) *c += 1;
}

static __always_inline void arm_flush_timer(struct pending *p);

/* Moves the event at sb[from + PREFIX, from + size) to sb[PREFIX, size),
 * through the path-walk area (free between events): the two may overlap. */
static __always_inline void move_to_front(__u8 *sb, __u32 from, __u32 size) {
	__u32 n = size - PREFIX;
	BOUND(n, 2 * PEND_ROOM - 1);
	BOUND(from, PEND_ROOM - 1);
	bpf_probe_read_kernel(sb + HALF, n, sb + from + PREFIX);
	bpf_probe_read_kernel(sb + PREFIX, n, sb + HALF);
}

/* Ends the event being built: it joins this CPU's batch, or leaves with it. */
static __always_inline int ev_submit(struct ev *e) {
	struct pending *p = e->p;
	__u32 size = e->off;
	__u32 base = e->base;
	/* Past HALF the event would reach the path-walk area: too large. */
	if(size > HALF) {
		p->lost += 1;
		goto out;
	}
	*(__u32 *)&e->b[PREFIX + 16] = size - PREFIX;
	__u32 total = base + size;
	/* Without a flush timer only a syscall's enter event waits (for its
	 * exit, which follows at once or after a task switch). */
	int enter = !(e->b[PREFIX + 20] & 1);
	int batching = rch_batch && !p->no_timer;
	if(e->hold && enter && base && size <= BATCH_MAX && (total > BATCH_MAX || !batching)) {
		/* An enter event that does not join the batch still waits for its
		 * exit (refill_open_enter may rebuild it then): the batch before
		 * it leaves, and it moves to the front of the scratch buffer. */
		send_head(p, e->s, base + PREFIX, p->nheld);
		move_to_front(e->s, base, size);
		base = 0;
		total = size;
	}
	if(e->hold && total <= BATCH_MAX && (batching || (!base && enter))) {
		__u8 *ev = e->s + base;
		if(!base) p->ts = *(__u64 *)&ev[PREFIX];
		p->tid = *(__u32 *)&ev[PREFIX + 8];
		p->last = base + PREFIX;
		p->len = total;
		p->nheld += 1;
		if(rch_batch && !p->armed && !p->no_timer) arm_flush_timer(p);
		goto out;
	}
	/* Every event is counted, sent or lost, so that the reader can account
	 * for each one (Driver Events / Driver Drops). */
	if(total > HALF) {
		/* A large event after a batch: the batch leaves first, then the
		 * event on its own (its record prefix overwrites the batch's last
		 * bytes, already sent). Only I/O data makes events this large, and
		 * those never use the path-walk area. */
		if(base) flush_pending(p, e->s);
		*(__u64 *)&e->b[0] = *(__u64 *)e->s;
		BOUND(size, 2 * HALF - 1);
		if(ring_out((struct scratch *)e->s, e->base, size) != 0) p->lost += 1;
		else p->sent += 1;
		p->len = 0;
		p->nheld = 0;
		goto out;
	}
	BOUND(total, 2 * HALF - 1);
	__u32 n = p->nheld + 1;
	if(ring_out((struct scratch *)e->s, 0, total) != 0) p->lost += n;
	else p->sent += n;
	p->len = 0;
	p->nheld = 0;
out:
	BARRIER();
	p->busy = 0;
	return 0;
}

/* One flush timer per CPU, by CPU number (userspace sets max_entries to the
 * number of possible CPUs). Pinned to its CPU, it sends the batch that CPU
 * still holds FLUSH_NS after the batch began, so that a CPU that turns quiet
 * (a task computing without a syscall) holds no event for long. */
struct flush_timer {
	struct bpf_timer t;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flush_timer);
} rch_timers SEC(".maps");

/* The timer's callback, in softirq context on the timer's CPU: it may have
 * interrupted a program building an event there (busy); it then tries again
 * shortly. */
static int rch_flush_timer(void *map, __u32 *key, struct flush_timer *ft) {
	__u32 zero = 0;
	struct pending *p = bpf_map_lookup_elem(&rch_pending, &zero);
	if(!p) return 0;
	if(p->busy) {
		bpf_timer_start(&ft->t, FLUSH_NS / 8, BPF_F_TIMER_CPU_PIN);
		return 0;
	}
	struct scratch *s = cpu_scratch();
	if(!s || !p->len) {
		p->armed = 0;
		return 0;
	}
	/* The batch ends with the enter event of the syscall this CPU is in
	 * (the timer interrupted it): that event waits for its exit, the rest
	 * leaves. */
	__u32 last = p->last;
	BOUND(last, PEND_ROOM - 1);
	if(p->tid == (__u32)bpf_get_current_pid_tgid() && !(s->b[last + 20] & 1)) {
		if(last > PREFIX) {
			__u32 size = p->len - last + PREFIX;
			send_head(p, s->b, last, p->nheld - 1);
			move_to_front(s->b, last - PREFIX, size);
			p->ts = *(__u64 *)&s->b[PREFIX];
			p->last = PREFIX;
			p->len = size;
			count(0);
		}
		bpf_timer_start(&ft->t, FLUSH_NS, BPF_F_TIMER_CPU_PIN);
		return 0;
	}
	p->armed = 0;
	flush_pending(p, s->b);
	count(0);
	return 0;
}

static __always_inline void arm_flush_timer(struct pending *p) {
	__u32 cpu = bpf_get_smp_processor_id();
	struct flush_timer *ft = bpf_map_lookup_elem(&rch_timers, &cpu);
	if(!ft) return;
	if(!p->timer_ready) {
		bpf_timer_init(&ft->t, &rch_timers, 1 /* CLOCK_MONOTONIC */);
		bpf_timer_set_callback(&ft->t, rch_flush_timer);
		p->timer_ready = 1;
	}
	p->armed = 1;
	if(bpf_timer_start(&ft->t, FLUSH_NS, BPF_F_TIMER_CPU_PIN) != 0) {
		p->armed = 0;
		p->no_timer = 1;
	}
}

/* ---- kernel state ------------------------------------------------------- */

static __always_inline struct file *fd_file(long fd) {
	if(fd < 0) return NULL;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if((unsigned long)fd >= max) return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* True when fd is /dev/null (its inode's rdev is MKDEV(1, 3), libs'
 * PPM_NULL_RDEV). */
static __always_inline int is_dev_null(long fd) {
	struct file *f = fd_file(fd);
	return f && BPF_CORE_READ(f, f_inode, i_rdev) == ((1u << 20) | 3u);
}

static __always_inline __u32 encode_dev(__u32 kdev) {
	__u32 major = kdev >> 20, minor = kdev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline void p_dev_ino(struct ev *e, long fd) {
	__u32 dev = 0;
	__u64 ino = 0;
	struct file *f = fd_file(fd);
	if(f) {
		struct inode *in = BPF_CORE_READ(f, f_inode);
		ino = BPF_CORE_READ(in, i_ino);
		dev = encode_dev(BPF_CORE_READ(in, i_sb, s_dev));
	}
	p_u32(e, dev);
	p_u64(e, ino);
}

/* Overlay layer of a file as libs tells it: 0 not on overlayfs, 1 upper,
 * 2 lower. An overlay inode is the vfs_inode of a struct ovl_inode whose
 * next field is the upper dentry (NULL or negative: lower layer only). */
#define OVL_NONE 0
#define OVL_UPPER 1
#define OVL_LOWER 2
#define L_OVERLAYFS_MAGIC 0x794c7630
static __always_inline int overlay_layer(struct file *f) {
	if(!f) return OVL_NONE;
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	if(!d || BPF_CORE_READ(d, d_sb, s_magic) != L_OVERLAYFS_MAGIC) return OVL_NONE;
	struct inode *in = BPF_CORE_READ(d, d_inode);
	if(!in) return OVL_LOWER;
	__u64 off;
	if(bpf_core_type_exists(struct ovl_inode))
		off = bpf_core_field_offset(struct ovl_inode, __upperdentry) -
		      bpf_core_field_offset(struct ovl_inode, vfs_inode);
	else
		off = bpf_core_type_size(struct inode);
	struct dentry *up = NULL;
	bpf_probe_read_kernel(&up, sizeof(up), (char *)in + off);
	if(!up) return OVL_LOWER;
	return BPF_CORE_READ(up, d_inode, i_ino) ? OVL_UPPER : OVL_LOWER;
}

/* What libs' open exits add to the flags: PPM_O_F_CREATED when the call
 * created the file (FMODE_CREATED), PPM_FD_UPPER_LAYER / LOWER_LAYER. */
#define L_FMODE_CREATED 0x100000
static __always_inline __u32 open_result_flags(long fd) {
	if(fd < 0) return 0;
	struct file *f = fd_file(fd);
	if(!f) return 0;
	__u32 r = 0;
	if(BPF_CORE_READ(f, f_mode) & L_FMODE_CREATED) r |= 1 << 14;
	int ol = overlay_layer(f);
	if(ol == OVL_UPPER) r |= 1 << 15;
	else if(ol == OVL_LOWER) r |= 1 << 16;
	return r;
}

static __always_inline struct sock *fd_sock(long fd) {
	struct file *f = fd_file(fd);
	if(!f) return NULL;
	struct socket *s = BPF_CORE_READ(f, private_data);
	if(!s) return NULL;
	/* Only trust private_data when the file really is a socket. */
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if((mode & 00170000) != 0140000) return NULL;
	return BPF_CORE_READ(s, sk);
}

#define OUTBOUND 0
#define INBOUND 1

/* PT_SOCKTUPLE of the socket behind `fd`. Where the socket has no remote
 * end (unconnected UDP, unconnected unix datagram) and `usa` is given, the
 * remote address comes from that user sockaddr (msg_name), as libs does. */
static __always_inline void p_tuple_ua(struct ev *e, long fd, int dir, const void *usa) {
	struct sock *sk = fd_sock(fd);
	if(!sk) {
		p_empty(e);
		return;
	}
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u32 o = e->off;
	__u8 *b = e->b;
	if(fam == 2) {
		__u32 lip = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 rip = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if(rport == 0 && usa) {
			struct sockaddr_in sin = {};
			bpf_probe_read_user(&sin, sizeof(sin), usa);
			rip = sin.sin_addr.s_addr;
			rport = __builtin_bswap16(sin.sin_port);
		}
		b[o & MASK] = 2;
		if(dir == OUTBOUND) {
			*(__u32 *)&b[(o + 1) & MASK] = lip;
			*(__u16 *)&b[(o + 5) & MASK] = lport;
			*(__u32 *)&b[(o + 7) & MASK] = rip;
			*(__u16 *)&b[(o + 11) & MASK] = rport;
		} else {
			*(__u32 *)&b[(o + 1) & MASK] = rip;
			*(__u16 *)&b[(o + 5) & MASK] = rport;
			*(__u32 *)&b[(o + 7) & MASK] = lip;
			*(__u16 *)&b[(o + 11) & MASK] = lport;
		}
		e->off += 13;
		set_len(e, 13);
	} else if(fam == 10) {
		struct in6_addr l = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		struct in6_addr r = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if(rport == 0 && usa) {
			struct sockaddr_in6 sin6 = {};
			bpf_probe_read_user(&sin6, sizeof(sin6), usa);
			__builtin_memcpy(&r, &sin6.sin6_addr, 16);
			rport = __builtin_bswap16(sin6.sin6_port);
		}
		b[o & MASK] = 10;
		struct in6_addr *a = dir == OUTBOUND ? &l : &r;
		struct in6_addr *c = dir == OUTBOUND ? &r : &l;
		__builtin_memcpy(&b[(o + 1) & MASK], a, 16);
		*(__u16 *)&b[(o + 17) & MASK] = dir == OUTBOUND ? lport : rport;
		__builtin_memcpy(&b[(o + 19) & MASK], c, 16);
		*(__u16 *)&b[(o + 35) & MASK] = dir == OUTBOUND ? rport : lport;
		e->off += 37;
		set_len(e, 37);
	} else if(fam == 1) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		b[o & MASK] = 1;
		struct unix_sock *named = dir == OUTBOUND ? (struct unix_sock *)peer : us;
		*(__u64 *)&b[(o + 1) & MASK] = dir == OUTBOUND ? (__u64)peer : (__u64)sk;
		*(__u64 *)&b[(o + 9) & MASK] = dir == OUTBOUND ? (__u64)sk : (__u64)peer;
		__u32 n = 1;
		b[(o + 17) & MASK] = 0;
		struct unix_address *ua = named ? BPF_CORE_READ(named, addr) : NULL;
		if(dir == OUTBOUND && !peer && usa) {
			const char *path = (const char *)usa + 2;
			char first = 0;
			bpf_probe_read_user(&first, 1, path);
			if(first == 0) path++;
			long r = bpf_probe_read_user_str(&b[(o + 17) & MASK], 108, path);
			if(r > 0) n = (__u32)r;
			else b[(o + 17) & MASK] = 0;
		} else if(ua) {
			/* name[] is a flexible array: offset by hand (CO-RE cannot index it). */
			char *path = (char *)ua + bpf_core_field_offset(struct unix_address, name) + 2;
			char first = 0;
			bpf_probe_read_kernel(&first, 1, path);
			if(first == 0) path++;
			long r = bpf_probe_read_kernel_str(&b[(o + 17) & MASK], 108, path);
			if(r > 0) n = (__u32)r;
		}
		e->off += 17 + n;
		set_len(e, 17 + n);
	} else {
		p_empty(e);
	}
}

static __always_inline void p_tuple(struct ev *e, long fd, int dir) {
	p_tuple_ua(e, fd, dir, NULL);
}

/* PT_SOCKADDR from a user sockaddr. */
static __always_inline void p_usockaddr(struct ev *e, const void *u, __u64 ulen) {
	if(!u || ulen < 2) {
		p_empty(e);
		return;
	}
	__u16 fam = 0;
	bpf_probe_read_user(&fam, 2, u);
	__u32 o = e->off;
	__u8 *b = e->b;
	if(fam == 2) {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), u);
		b[o & MASK] = 2;
		*(__u32 *)&b[(o + 1) & MASK] = sin.sin_addr.s_addr;
		*(__u16 *)&b[(o + 5) & MASK] = __builtin_bswap16(sin.sin_port);
		e->off += 7;
		set_len(e, 7);
	} else if(fam == 10) {
		struct sockaddr_in6 sin6 = {};
		bpf_probe_read_user(&sin6, sizeof(sin6), u);
		b[o & MASK] = 10;
		__builtin_memcpy(&b[(o + 1) & MASK], &sin6.sin6_addr, 16);
		*(__u16 *)&b[(o + 17) & MASK] = __builtin_bswap16(sin6.sin6_port);
		e->off += 19;
		set_len(e, 19);
	} else if(fam == 1) {
		b[o & MASK] = 1;
		const char *path = (const char *)u + 2;
		char first = 0;
		bpf_probe_read_user(&first, 1, path);
		if(first == 0) path++;
		long r = bpf_probe_read_user_str(&b[(o + 1) & MASK], 108, path);
		__u32 n = r > 0 ? (__u32)r : 1;
		if(r <= 0) b[(o + 1) & MASK] = 0;
		e->off += 1 + n;
		set_len(e, 1 + n);
	} else {
		p_empty(e);
	}
}

static __always_inline __u64 rss_count(struct mm_struct *mm, int i) {
	__s64 v = 0;
	bpf_core_read(&v, sizeof(v), &mm->rss_stat[i & 3].count);
	return v > 0 ? (__u64)v : 0;
}

/* vm_size, vm_rss, vm_swap in KiB. */
static __always_inline void p_vm(struct ev *e, struct task_struct *t) {
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	__u32 size = 0, rss = 0, swap = 0;
	if(mm) {
		size = BPF_CORE_READ(mm, total_vm) << 2;
		rss = (rss_count(mm, 0) + rss_count(mm, 1) + rss_count(mm, 3)) << 2;
		swap = rss_count(mm, 2) << 2;
	}
	p_u32(e, size);
	p_u32(e, rss);
	p_u32(e, swap);
}

/* exe (argv[0]) then args (the rest, NUL separated) from the arg area. */
static __always_inline void p_exe_args(struct ev *e, struct task_struct *t) {
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = mm ? BPF_CORE_READ(mm, arg_start) : 0;
	unsigned long end = mm ? BPF_CORE_READ(mm, arg_end) : 0;
	if(!mm || end <= start) {
		p_kstr(e, t->comm, 16);
		p_empty(e);
		return;
	}
	__u64 total = end - start;
	if(total > MAX_ARGS - 1) total = MAX_ARGS - 1;
	long n = bpf_probe_read_user_str(&e->b[e->off & MASK], total & (MAX_ARGS - 1), (void *)start);
	if(n <= 0) {
		e->b[e->off & MASK] = 0;
		n = 1;
	}
	e->off += (__u32)n;
	set_len(e, (__u32)n);
	__u32 rest = (__u32)total > (__u32)n ? (__u32)total - (__u32)n : 0;
	BOUND(rest, MAX_ARGS - 1);
	if(rest && bpf_probe_read_user(&e->b[e->off & MASK], rest, (void *)(start + n)) != 0) rest = 0;
	e->off += rest;
	set_len(e, rest);
}

static __always_inline void p_env(struct ev *e, struct task_struct *t) {
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = mm ? BPF_CORE_READ(mm, env_start) : 0;
	unsigned long end = mm ? BPF_CORE_READ(mm, env_end) : 0;
	__u32 n = 0;
	if(mm && end > start) {
		__u64 total = end - start;
		if(total > MAX_ARGS - 1) total = MAX_ARGS - 1;
		n = (__u32)total;
		BOUND(n, MAX_ARGS - 1);
		if(bpf_probe_read_user(&e->b[e->off & MASK], n, (void *)start) != 0) n = 0;
	}
	e->off += n;
	set_len(e, n);
}

/* Writes the path of (dentry, vfsmount) backwards into a 4 KiB window of the
 * scratch's upper half, ending with a NUL at PW - 1; returns where it starts.
 * Global, so the verifier checks the walk once. Up to 24 components. */
#define PW 4096u
#define PWM (PW - 1)
struct walk {
	struct dentry *d;
	struct mount *mnt;
	struct dentry *mroot;
	__u8 *b;
	__u32 pos;
};

/* One step of the walk (bpf_loop callback): 0 = continue, 1 = stop. */
static long walk_step(__u64 i, struct walk *w) {
	struct dentry *d = w->d;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if(d == w->mroot) {
		struct mount *m = w->mnt;
		struct mount *up = BPF_CORE_READ(m, mnt_parent);
		if(up == m) return 1;
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->mnt = up;
		w->mroot = BPF_CORE_READ(up, mnt.mnt_root);
		return 0;
	}
	if(d == parent) return 1;
	struct qstr q = BPF_CORE_READ(d, d_name);
	__u32 l = q.len & 255;
	__u32 pos = w->pos;
	if(pos < l + 2 || pos > PW - 1) return 1;
	pos -= l;
	BOUND(pos, PWM);
	bpf_probe_read_kernel(&w->b[HALF + pos], l, q.name);
	pos -= 1;
	BOUND(pos, PWM);
	w->b[HALF + pos] = '/';
	w->pos = pos;
	w->d = parent;
	return 0;
}

__noinline int path_walk(__u64 dentry, __u64 vfsmnt) {
	struct scratch *s = cpu_scratch();
	if(!s) return PW - 1;
	struct walk w = {};
	w.b = s->b;
	w.d = (struct dentry *)dentry;
	struct vfsmount *vm = (struct vfsmount *)vfsmnt;
	w.mnt = container_of(vm, struct mount, mnt);
	w.mroot = BPF_CORE_READ(vm, mnt_root);
	w.pos = PW - 1;
	s->b[HALF + PW - 1] = 0;
	bpf_loop(32, walk_step, &w, 0);
	__u32 pos = w.pos;
	if(pos == PW - 1) {
		pos = PW - 2;
		s->b[HALF + PW - 2] = '/';
	}
	return pos;
}

static __always_inline void p_path(struct ev *e, struct dentry *d, struct vfsmount *vmnt) {
	__u32 pos = (__u32)path_walk((__u64)d, (__u64)vmnt);
	BOUND(pos, PWM);
	__u32 len = PW - pos; /* includes the NUL */
	BOUND(len, PWM);
	bpf_probe_read_kernel(&e->b[e->off & MASK], len, &e->s[HALF + pos]);
	e->off += len;
	set_len(e, len);
}

static __always_inline void p_cwd(struct ev *e, struct task_struct *t) {
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	if(!fs) {
		p_empty(e);
		return;
	}
	struct path pwd = BPF_CORE_READ(fs, pwd);
	p_path(e, pwd.dentry, pwd.mnt);
}

static __always_inline __u64 fdlimit(struct task_struct *t) {
	return BPF_CORE_READ(t, signal, rlim[7].rlim_cur);
}

static __always_inline __s64 vnr(struct pid *p) {
	if(!p) return 0;
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid u = {};
	/* numbers[] is a flexible array: offset by hand (CO-RE cannot index it). */
	__u64 off = bpf_core_field_offset(struct pid, numbers) + (__u64)(level & 31) * bpf_core_type_size(struct upid);
	bpf_probe_read_kernel(&u, sizeof(u), (char *)p + off);
	return u.nr;
}

/* Global pid number (level 0) of a struct pid. */
static __always_inline __s64 pid_nr0(struct pid *p) {
	if(!p) return 0;
	struct upid u = {};
	bpf_probe_read_kernel(&u, sizeof(u), (char *)p + bpf_core_field_offset(struct pid, numbers));
	return u.nr;
}

/* Up to ARGV_MAX strings of a NULL-terminated user array (a failed execve's
 * argv or envp, as libs reads them then), NUL-separated, at most MAX_ARGS
 * bytes: with `split`, element 0 is one parameter (exe) and the rest the
 * next (args); otherwise all is one parameter. */
#define ARGV_MAX 32
static __always_inline void p_uargv(struct ev *e, const void *uarr, int split) {
	const char *const *argv = uarr;
	const char *u = NULL;
	int first = 0;
	if(split) {
		if(argv) bpf_probe_read_user(&u, sizeof(u), &argv[0]);
		p_ustr(e, u);
		first = 1;
	}
	__u32 start = e->off;
	for(int i = 0; i < ARGV_MAX; i++) {
		u = NULL;
		if(!argv || bpf_probe_read_user(&u, sizeof(u), &argv[i + first]) != 0 || !u) break;
		__u32 used = e->off - start;
		if(used >= MAX_ARGS - 1) break;
		__u32 room = MAX_ARGS - 1 - used;
		BOUND(room, MAX_ARGS - 1);
		long n = bpf_probe_read_user_str(&e->b[e->off & MASK], room, u);
		if(n <= 0) break;
		e->off += (__u32)n;
	}
	set_len(e, e->off - start);
}

/* Common head of clone/fork/execve exit events: res .. cwd ... comm. A
 * failed execve takes exe and args from its argv (uargv), as libs. */
static __always_inline void p_proc_head(struct ev *e, struct task_struct *t, __s64 res, const void *uargv) {
	p_u64(e, res);
	if(uargv) p_uargv(e, uargv, 1);
	else p_exe_args(e, t);
	p_u64(e, BPF_CORE_READ(t, pid));
	p_u64(e, BPF_CORE_READ(t, tgid));
	p_u64(e, BPF_CORE_READ(t, real_parent, pid));
	p_cwd(e, t);
	p_u64(e, fdlimit(t));
	p_u64(e, BPF_CORE_READ(t, maj_flt));
	p_u64(e, BPF_CORE_READ(t, min_flt));
	p_vm(e, t);
	p_kstr(e, t->comm, 16);
}

/* ---- cgroups ------------------------------------------------------------ */

/* Path components read per cgroup (leaf first) and bytes per component. */
#define CG_DEPTH 8
#define CG_NAME 128u

/* Kernels before 6.15 name the parent pointer `parent`. */
struct kernfs_node___old {
	struct kernfs_node *parent;
};

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn) {
	if(bpf_core_field_exists(kn->__parent)) return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

static __always_inline void put_byte(struct ev *e, __u8 c) {
	e->b[e->off & MASK] = c;
	e->off++;
}

/* Appends "subsys=/path\0" for cgroup subsystem `id` of task `t` (as libs
 * fills the cgroups parameter); returns the bytes written. The path loops
 * have no branches (a NULL node reads as a NULL name; a component counts by
 * arithmetic on its name's length): the verifier walks them once per call,
 * not once per combination of depth and name lengths (a tenth of
 * rch_sys_exit's verification before). */
static __noinline __u32 cg_one(struct ev *e, struct task_struct *t, int id) {
	__u32 start = e->off;
	const char *name = BPF_CORE_READ(t, cgroups, subsys[id & 15], ss, name);
	long n = bpf_probe_read_kernel_str(&e->b[e->off & MASK], 32, name);
	if(n <= 1) return 0;
	e->off += (__u32)n - 1;
	put_byte(e, '=');
	struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, subsys[id & 15], cgroup, kn);
	const char *part[CG_DEPTH];
#pragma unroll
	for(int k = 0; k < CG_DEPTH; k++) {
		/* A NULL kn reads as NULL name and parent (the read fails). */
		part[k] = BPF_CORE_READ(kn, name);
		kn = kn_parent(kn);
	}
	/* Leaf last: each component with a name as "/name" (the root's name is
	 * empty: it adds nothing). Deeper paths than CG_DEPTH keep their last
	 * CG_DEPTH components. */
	__u32 before = e->off;
#pragma unroll
	for(int k = CG_DEPTH - 1; k >= 0; k--) {
		e->b[e->off & MASK] = '/';
		long m = bpf_probe_read_kernel_str(&e->b[(e->off + 1) & MASK], CG_NAME, part[k]);
		/* m > 1 (a name, its NUL counted): advance by m; else by 0. */
		__u64 keep = -(((__u64)(1 - m)) >> 63);
		e->off += (__u32)(m & keep);
	}
	if(e->off == before) put_byte(e, '/');
	put_byte(e, 0);
	return e->off - start;
}

/* The cgroups parameter: cpuset, cpu, cpuacct, io and memory, as libs'
 * modern probe records them. */
static __always_inline void p_cgroups(struct ev *e, struct task_struct *t) {
	__u32 len = 0;
	if(bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuset_cgrp_id))
		len += cg_one(e, t, bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id));
	if(bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
		len += cg_one(e, t, bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id));
	if(bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuacct_cgrp_id))
		len += cg_one(e, t, bpf_core_enum_value(enum cgroup_subsys_id, cpuacct_cgrp_id));
	if(bpf_core_enum_value_exists(enum cgroup_subsys_id, io_cgrp_id))
		len += cg_one(e, t, bpf_core_enum_value(enum cgroup_subsys_id, io_cgrp_id));
	if(bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		len += cg_one(e, t, bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id));
	set_len(e, len);
}

/* ---- process details of clone/execve exits ------------------------------ */

/* The pid namespace a struct pid was allocated in (numbers[level].ns). */
static __always_inline struct pid_namespace *pid_ns_of(struct pid *p) {
	if(!p) return NULL;
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid u = {};
	__u64 off = bpf_core_field_offset(struct pid, numbers) + (__u64)(level & 31) * bpf_core_type_size(struct upid);
	bpf_probe_read_kernel(&u, sizeof(u), (char *)p + off);
	return u.ns;
}

/* PPM_CL_CHILD_IN_PIDNS: the thread lives in a child pid namespace, or (seen
 * from the parent) its children will. */
static __always_inline __u32 child_in_pidns(struct task_struct *t) {
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(t, thread_pid));
	if(!ns) return 0;
	if(BPF_CORE_READ(ns, level) != 0) return 1u << 29;
	if(BPF_CORE_READ(t, nsproxy, pid_ns_for_children) != ns) return 1u << 29;
	return 0;
}

/* pidns_init_start_ts: start time (monotonic ns) of the init of the child's
 * pid namespace; libs fills it in the child only (res == 0). */
static __always_inline __u64 pidns_init_start(struct task_struct *t, __s64 res) {
	if(res != 0) return 0;
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(t, group_leader, thread_pid));
	if(!ns) return 0;
	return BPF_CORE_READ(ns, child_reaper, start_time);
}

/* The controlling terminal, encoded as a device number (0: none). */
static __always_inline __u32 task_tty(struct task_struct *t) {
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	if(!tty) return 0;
	struct tty_driver *drv = BPF_CORE_READ(tty, driver);
	if(!drv) return 0;
	__u32 index = BPF_CORE_READ(tty, index);
	__u32 major = BPF_CORE_READ(drv, major);
	__u32 minor = BPF_CORE_READ(drv, minor_start);
	return encode_dev((major << 20) + minor + index);
}

/* Whether `id` has a mapping in a user namespace's uid/gid map (up to the
 * five inline extents). */
static __always_inline int id_mapped(struct uid_gid_map *m, __u32 id) {
	__u32 n = BPF_CORE_READ(m, nr_extents);
#pragma unroll
	for(int j = 0; j < 5; j++) {
		if(j >= n) break;
		__u32 first = BPF_CORE_READ(m, extent[j].lower_first);
		__u32 cnt = BPF_CORE_READ(m, extent[j].count);
		if(id >= first && id - first < cnt) return 1;
	}
	return 0;
}

/* Whether gid is among the task's supplementary groups (sorted: binary search). */
static __always_inline int in_groups(struct task_struct *t, __u32 gid) {
	struct group_info *gi = BPF_CORE_READ(t, cred, group_info);
	if(!gi) return 0;
	__u32 lo = 0, hi = BPF_CORE_READ(gi, ngroups);
#pragma unroll
	for(int j = 0; j < 16; j++) {
		if(lo >= hi) break;
		__u32 mid = (lo + hi) / 2;
		__u32 g = 0;
		bpf_probe_read_kernel(&g, sizeof(g), (char *)gi + bpf_core_field_offset(struct group_info, gid) + (__u64)(mid & 0xffff) * 4);
		if(gid > g) lo = mid + 1;
		else if(gid < g) hi = mid;
		else return 1;
	}
	return 0;
}

/* PPM_EXE_WRITABLE as libs decides it: the executable could be written by
 * the exec'ing task (owner, mode bits for its uid/gid/groups, or
 * CAP_DAC_OVERRIDE / CAP_FOWNER with mapped ids), unless the file system is
 * read-only or the inode immutable. POSIX ACLs are not consulted. */
static __always_inline int exe_writable(struct task_struct *t, struct inode *in) {
	if(!in) return 0;
	__u16 mode = BPF_CORE_READ(in, i_mode);
	__u32 fmt = mode & 0170000;
	if((BPF_CORE_READ(in, i_sb, s_flags) & 1 /* SB_RDONLY */) && (fmt == 0100000 || fmt == 0040000 || fmt == 0120000))
		return 0;
	if(BPF_CORE_READ(in, i_flags) & 8 /* S_IMMUTABLE */) return 0;
	__u32 iuid = BPF_CORE_READ(in, i_uid.val), igid = BPF_CORE_READ(in, i_gid.val);
	__u32 fsuid = BPF_CORE_READ(t, cred, fsuid.val), fsgid = BPF_CORE_READ(t, cred, fsgid.val);
	if(iuid == (__u32)-1 || igid == (__u32)-1) return 0;
	if(fsuid == iuid) return 1;
	__u32 m = mode;
	if(igid == fsgid || in_groups(t, igid)) m >>= 3;
	if(m & 2 /* MAY_WRITE */) return 1;
	struct user_namespace *ns = BPF_CORE_READ(t, cred, user_ns);
	if(!ns) return 0;
	int uid_ok = id_mapped(&ns->uid_map, iuid), gid_ok = id_mapped(&ns->gid_map, igid);
	__u64 caps = BPF_CORE_READ(t, cred, cap_effective.val);
	if((caps & (1ull << 1)) && uid_ok && gid_ok) return 1; /* CAP_DAC_OVERRIDE */
	if((caps & (1ull << 3)) && uid_ok) return 1;           /* CAP_FOWNER */
	return 0;
}

/* A memfd_create file: its dentry is its own parent and named "memfd:...". */
static __always_inline int exe_from_memfd(struct file *f) {
	struct dentry *d = f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
	if(!d || BPF_CORE_READ(d, d_parent) != d) return 0;
	char name[7] = {};
	if(bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(d, d_name.name)) != 7) return 0;
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' && name[5] == ':';
}

/* execve's flags: PPM_EXE_WRITABLE 1, UPPER_LAYER 2, FROM_MEMFD 4, LOWER_LAYER 8. */
static __always_inline __u32 exe_flags(struct task_struct *t) {
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	if(!exe) return 0;
	__u32 r = 0;
	if(exe_writable(t, BPF_CORE_READ(exe, f_inode))) r |= 1;
	int ol = overlay_layer(exe);
	if(ol == OVL_UPPER) r |= 2;
	else if(ol == OVL_LOWER) r |= 8;
	if(exe_from_memfd(exe)) r |= 4;
	return r;
}

/* Global (separately verified) functions keep the exit program small. */
__noinline int emit_clone_exit(__u32 type, __s64 res, __u64 raw_flags) {
	struct ev e;
	if(!ev_begin(&e, type, 21)) return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	p_proc_head(&e, t, res, NULL);
	p_cgroups(&e, t);
	__u32 fl = clone_flags_to_scap(raw_flags);
	fl |= child_in_pidns(t); /* (PPM_CL_IS_MAIN_THREAD is libsinsp's own: no driver sets it) */
	p_u32(&e, fl);
	p_u32(&e, BPF_CORE_READ(t, cred, euid.val));
	p_u32(&e, BPF_CORE_READ(t, cred, egid.val));
	p_u64(&e, vnr(BPF_CORE_READ(t, thread_pid)));
	p_u64(&e, vnr(BPF_CORE_READ(t, group_leader, thread_pid)));
	p_u64(&e, pidns_init_start(t, res));
	return ev_submit(&e);
}

/* A failed call (res != 0) shows its own argv, envp and filename, as libs'
 * modern probe; a successful one the new program's. */
__noinline int emit_execve_exit(__u32 type, __s64 res, __u64 uargv, __u64 uenvp, __u64 ufilename) {
	struct ev e;
	__u32 np = type == PPME_SYSCALL_EXECVE_19_X ? 31 : 30;
	if(!ev_begin(&e, type, np)) return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	p_proc_head(&e, t, res, res ? (const void *)uargv : NULL);
	p_cgroups(&e, t);
	if(res) p_uargv(&e, (const void *)uenvp, 0);
	else p_env(&e, t);
	p_u32(&e, task_tty(t));
	p_u64(&e, vnr(BPF_CORE_READ(t, group_leader, signal, pids[PIDTYPE_PGID]))); /* vpgid */
	p_u32(&e, BPF_CORE_READ(t, loginuid.val));
	p_u32(&e, exe_flags(t));
	p_u64(&e, BPF_CORE_READ(t, cred, cap_inheritable.val));
	p_u64(&e, BPF_CORE_READ(t, cred, cap_permitted.val));
	p_u64(&e, BPF_CORE_READ(t, cred, cap_effective.val));
	struct inode *ino = BPF_CORE_READ(t, mm, exe_file, f_inode);
	p_u64(&e, ino ? BPF_CORE_READ(ino, i_ino) : 0);
	__u64 ct = 0, mt = 0;
	if(ino) {
		ct = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_ctime_nsec);
		mt = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_mtime_nsec);
	}
	p_u64(&e, ct);
	p_u64(&e, mt);
	p_u32(&e, BPF_CORE_READ(t, cred, euid.val));
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	if(exe) {
		struct path fp = BPF_CORE_READ(exe, f_path);
		p_path(&e, fp.dentry, fp.mnt);
	} else {
		p_empty(&e);
	}
	p_u64(&e, pid_nr0(BPF_CORE_READ(t, group_leader, signal, pids[PIDTYPE_PGID])));
	p_u32(&e, BPF_CORE_READ(t, cred, egid.val));
	if(np == 31) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();
		struct exec_name *nm = bpf_map_lookup_elem(&rch_exec_names, &tid);
		if(res) {
			p_ustr(&e, (const void *)ufilename);
		} else if(nm) {
			p_kstr(&e, nm->s, sizeof(nm->s));
		} else {
			p_empty(&e);
		}
		if(nm) bpf_map_delete_elem(&rch_exec_names, &tid);
	}
	return ev_submit(&e);
}

static __always_inline void emit_generic(__u16 type, long nr) {
	struct ev e;
	if(!ev_begin(&e, type, 2)) return;
	__u16 sc = 0;
	if(nr >= 0 && nr < RCH_SYSCALL_TABLE_SIZE) sc = rch_ppm_sc[nr & (RCH_SYSCALL_TABLE_SIZE - 1)];
	if(rch_sc_limit && sc >= rch_sc_limit) sc = 0;
	p_u16(&e, sc);
	p_u16(&e, (__u16)nr);
	ev_submit(&e);
}

static __always_inline int filtered(void) {
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	return tgid == rch_self_tgid;
}

/* Syscall arguments from pt_regs (x86_64 syscall ABI). */
struct args {
	__u64 a[6];
};

/* Reads the syscall arguments from the BTF-typed frame pointer of a tp_btf
 * program (plain loads, no helper call); returns the syscall number. */
static __always_inline long read_args(struct pt_regs *regs, struct args *x) {
	x->a[0] = regs->di;
	x->a[1] = regs->si;
	x->a[2] = regs->dx;
	x->a[3] = regs->r10;
	x->a[4] = regs->r8;
	x->a[5] = regs->r9;
	return (long)regs->orig_ax;
}

/* ---- table-driven syscalls (sc_table.h) --------------------------------- */

/* SOL_SOCKET option names (x86_64 values) -> PPM_SOCKOPT_SO_*: 1..50 are
 * the same numbers; a few later ones (and the *_NEW timeouts) map back. */
static __always_inline __u8 sockopt_name_to_scap(__s32 n) {
	if(n >= 1 && n <= 50) return (__u8)n;
	switch(n) {
	case 55: return 52; /* SO_MEMINFO */
	case 57: return 53; /* SO_COOKIE */
	case 59: return 51; /* SO_PEERGROUPS */
	case 66: return 20; /* SO_RCVTIMEO_NEW */
	case 67: return 21; /* SO_SNDTIMEO_NEW */
	default: return 0;
	}
}

/* QFMT_VFS_OLD 1, VFS_V0 2, VFS_V1 4 -> PPM_QFMT_*; else NOT_USED. */
static __always_inline __u8 quota_fmt_to_scap(__u64 f) {
	return f == 1 ? 2 : f == 2 ? 4 : f == 4 ? 8 : 1;
}

/* PPM_Q_* commands whose id is a user or group id: GETQUOTA, SETQUOTA,
 * XGETQUOTA, XSETQLIM. */
#define Q_WITH_ID ((1 << 5) | (1 << 6) | (1 << 10) | (1 << 11))

static __always_inline __u64 sc_conv(__u32 c, __u64 v, const __u64 *a) {
	switch(c) {
	case CV_OPEN: return open_flags_to_scap(v);
	case CV_ACCESS: return v & 7;           /* F_OK 0, X_OK 1, W_OK 2, R_OK 4 */
	case CV_PROT: return prot_to_scap(v);
	case CV_CLONE: return clone_flags_to_scap(v);
	case CV_FUTEX: return futex_op_to_scap(v);
	case CV_WHENCE: return v <= 2 ? v : 0;
	case CV_FLOCK: return v & 15;           /* LOCK_SH 1, EX 2, NB 4, UN 8 */
	case CV_SEMGET: return ((v & 01000) ? 1 << 13 : 0) | ((v & 02000) ? 1 << 14 : 0);
	case CV_SEMCTL: return semctl_cmd_to_scap(v);
	case CV_PTRACE: return ptrace_req_to_scap(v);
	case CV_MOUNT: /* the old magic number in the high half is dropped */
		return (v & 0xffff0000) == 0xc0ed0000 ? (__u32)v & 0xffff : (__u32)v;
	case CV_UMOUNT2: return v & 15;         /* FORCE, DETACH, EXPIRE, NOFOLLOW */
	case CV_LINKAT: return v & 0x1400;      /* AT_SYMLINK_FOLLOW, AT_EMPTY_PATH */
	case CV_FCHOWNAT: return v & 0x1400;
	case CV_NEWFSTATAT: return v & 0x1900;  /* SYMLINK_NOFOLLOW, NO_AUTOMOUNT, EMPTY_PATH */
	case CV_UNLINKAT: return v & 0x200;
	case CV_FDFL: return fdfl_to_scap(v);
	case CV_PIPE2: return pipe2_flags_to_scap(v);
	case CV_EPOLL1: return (v & L_O_CLOEXEC) ? 1 : 0;
	case CV_MEMFD: return v & 7;            /* CLOEXEC, ALLOW_SEALING, HUGETLB */
	case CV_PIDFD: return (v & L_O_NONBLOCK) ? 1 : 0;
	case CV_SPLICE: return v & 15;
	case CV_MLOCK2: return v & 1;
	case CV_MLOCKALL: return v & 7;
	case CV_MODE: return v & 07777;
	case CV_MKNOD: return mknod_mode_to_scap(v);
	case CV_DELMOD: return ((v & L_O_TRUNC) ? 1 : 0) | ((v & L_O_NONBLOCK) ? 2 : 0);
	case CV_FINITMOD: return v & 7;
	case CV_CLOSERANGE: return v & 6;
	case CV_IOURING_ENTER: return v & 15;
	case CV_SHUTDOWN: return v <= 2 ? v : 0xff;
	case CV_RLIMIT: return (__u32)v <= 15 ? v : 255;
	case CV_DEV: return encode_dev((__u32)v);
	case CV_SOLEVEL: return (__s32)v == 1 ? 1 : (__s32)v == 6 ? 2 : 0;
	case CV_SONAME: return (__s32)a[1] == 1 ? sockopt_name_to_scap((__s32)v) : 0;
	case CV_QCMD: return quotactl_cmd_to_scap(v);
	case CV_QTYPE: return (v & 0xff) == 0 ? 1 : (v & 0xff) == 1 ? 2 : 0; /* USR, GRP */
	case CV_QFMT: /* the format id of Q_QUOTAON */
		if(quotactl_cmd_to_scap(a[0]) != 1) return 1; /* not Q_QUOTAON: PPM_QFMT_NOT_USED */
		return quota_fmt_to_scap(v);
	case CV_QID: /* an id only for the commands whose id is a user or group */
		return (quotactl_cmd_to_scap(a[0]) & Q_WITH_ID) ? (__u32)v : 0;
	case CV_LOW16: return (__u16)v;
	default: return v;
	}
}

/* Raw user bytes, exactly `len` of them (none if unreadable; libs' sockopt
 * buffer, not cut at the snaplen), after a PT_DYN index. */
static __always_inline void p_dynbuf(struct ev *e, __u8 idx, const void *u, __u64 len) {
	__u32 n = len > MAX_SNAP - 1 ? MAX_SNAP - 1 : (__u32)len;
	BOUND(n, MAX_SNAP - 1);
	e->b[e->off & MASK] = idx;
	if(!u || bpf_probe_read_user(&e->b[(e->off + 1) & MASK], n, u) != 0) n = 0;
	e->off += 1 + n;
	set_len(e, 1 + n);
}

/* Raw user bytes, exactly `len` of them (none if unreadable; not cut at
 * the snaplen: libs' msg_control). */
static __always_inline void p_dynbuf_raw(struct ev *e, const void *u, __u64 len) {
	__u32 n = len > MAX_SNAP - 1 ? MAX_SNAP - 1 : (__u32)len;
	BOUND(n, MAX_SNAP - 1);
	if(!u || bpf_probe_read_user(&e->b[e->off & MASK], n, u) != 0) n = 0;
	e->off += n;
	set_len(e, n);
}

/* Largest K_BUFARG buffer (init_module's image): with a MAX_PATH string and
 * the other parameters the event stays under HALF. */
#define BUFARG_MAX (HALF - MAX_PATH - 512)

/* A user string after a PT_DYN index (keyctl): the index alone when the
 * pointer is NULL or unreadable. */
static __always_inline void p_dynstr(struct ev *e, __u8 idx, const void *u) {
	long n = 0;
	e->b[e->off & MASK] = idx;
	if(u) {
		n = bpf_probe_read_user_str(&e->b[(e->off + 1) & MASK], MAX_PATH, u);
		if(n == 0) {
			e->b[(e->off + 1) & MASK] = 0;
			n = 1;
		}
		if(n < 0) n = 0;
	}
	e->off += 1 + (__u32)n;
	set_len(e, 1 + (__u32)n);
}

static __always_inline void p_dyn64(struct ev *e, __u8 idx, __u64 v) {
	e->b[e->off & MASK] = idx;
	*(__u64 *)&e->b[(e->off + 1) & MASK] = v;
	e->off += 9;
	set_len(e, 9);
}

/* PT_DYN sockopt value as libs encodes it: SOL_SOCKET options by kind
 * (SO_ERROR as an errno, timeouts as a reltime, SO_COOKIE as a u64, the
 * int options as a u32), anything else as the raw optlen bytes. `plen`:
 * `len` is a user pointer to an int (getsockopt). Read whatever the result,
 * as libs does. */
#define SO_U32_SET 0x3ffffebcddfeeull /* int-valued SOL_SOCKET options 1..49 */
static __always_inline void p_sockopt(struct ev *e, __s32 level, __s32 name, __u64 val, __u64 len,
                                      int plen) {
	if(plen) {
		__s32 l = 0;
		bpf_probe_read_user(&l, 4, (void *)len);
		len = (__u16)l;
	} else {
		len = (__u16)len;
	}
	if(level != 1) {
		p_dynbuf(e, 0, (void *)val, len);
		return;
	}
	if(name == 4) { /* SO_ERROR */
		__s32 x = 0;
		bpf_probe_read_user(&x, 4, (void *)val);
		p_dyn64(e, 1, (__s64)-x);
	} else if(name == 20 || name == 21 || name == 66 || name == 67) { /* SO_{RCV,SND}TIMEO */
		struct { __s64 sec, usec; } tv = {};
		bpf_probe_read_user(&tv, sizeof(tv), (void *)val);
		p_dyn64(e, 4, tv.sec * 1000000000ull + tv.usec * 1000ull);
	} else if(name == 57) { /* SO_COOKIE */
		__u64 x = 0;
		bpf_probe_read_user(&x, 8, (void *)val);
		p_dyn64(e, 3, x);
	} else if(name >= 1 && name <= 49 && ((SO_U32_SET >> name) & 1)) {
		__u32 x = 0;
		bpf_probe_read_user(&x, 4, (void *)val);
		e->b[e->off & MASK] = 2;
		*(__u32 *)&e->b[(e->off + 1) & MASK] = x;
		e->off += 5;
		set_len(e, 5);
	} else {
		p_dynbuf(e, 0, (void *)val, len);
	}
}

/* quotactl's dqb_* (7 u64), dqi_bgrace, dqi_igrace (u64), dqi_flags (u8)
 * and quota_fmt_out (u8), read from the user struct at `addr` whatever the
 * result (for Q_SET* it is the caller's input); a field counts only when
 * its valid bit is set, as libs does. `cmd` is the PPM_Q_* command. */
static __always_inline void p_quota(struct ev *e, __u32 cmd, const void *addr) {
	struct if_dqblk q = {};
	struct if_dqinfo qi = {};
	__u32 fmt = 0;
	if(cmd & ((1 << 5) | (1 << 6))) bpf_probe_read_user(&q, sizeof(q), addr);   /* GET/SETQUOTA */
	if(cmd & ((1 << 3) | (1 << 4))) bpf_probe_read_user(&qi, sizeof(qi), addr); /* GET/SETINFO */
	__u32 v = q.dqb_valid, vi = qi.dqi_valid;
	p_u64(e, (v & 1) ? q.dqb_bhardlimit : 0); /* QIF_BLIMITS */
	p_u64(e, (v & 1) ? q.dqb_bsoftlimit : 0);
	p_u64(e, (v & 2) ? q.dqb_curspace : 0);   /* QIF_SPACE */
	p_u64(e, (v & 4) ? q.dqb_ihardlimit : 0); /* QIF_ILIMITS */
	p_u64(e, (v & 4) ? q.dqb_isoftlimit : 0);
	p_u64(e, (v & 16) ? q.dqb_btime : 0);     /* QIF_BTIME */
	p_u64(e, (v & 32) ? q.dqb_itime : 0);     /* QIF_ITIME */
	p_u64(e, (vi & 1) ? qi.dqi_bgrace : 0);   /* IIF_BGRACE */
	p_u64(e, (vi & 2) ? qi.dqi_igrace : 0);   /* IIF_IGRACE */
	p_u8(e, (vi & 4) ? (__u8)qi.dqi_flags : 0); /* IIF_FLAGS */
	if(cmd & (1 << 2)) bpf_probe_read_user(&fmt, 4, addr); /* Q_GETFMT */
	p_u8(e, (cmd & (1 << 2)) ? quota_fmt_to_scap(fmt) : 1);
}

/* ptrace's PT_DYN addr (`which` 0) or data (1) of PPM request `req`: 0 when
 * the call failed; data is the word a PEEK* request stored at `v`, the
 * signal of CONT/SINGLESTEP/DETACH/SYSCALL, else `v` itself. */
static __always_inline void p_ptrace(struct ev *e, __u32 which, __u16 req, __u64 v, __s64 ret) {
	if(ret < 0) {
		p_dyn64(e, 0, 0);
	} else if(which == 0) {
		p_dyn64(e, 0, v);
	} else if(req >= 2 && req <= 4) { /* PEEKTEXT, PEEKDATA, PEEKUSR */
		__u64 w = 0;
		bpf_probe_read_user(&w, 8, (void *)v);
		p_dyn64(e, 0, w);
	} else if(req == 8 || req == 10 || req == 12 || req == 13) {
		e->b[e->off & MASK] = 1; /* PPM_PTRACE_IDX_SIGTYPE */
		e->b[(e->off + 1) & MASK] = (__u8)v;
		e->off += 2;
		set_len(e, 2);
	} else {
		p_dyn64(e, 0, v);
	}
}

/* keyctl: how many of arg2..arg5 operation `op` uses (low 3 bits) and which
 * of them are strings (bit 3 + n for arg n + 2), as libs' modern probe. */
static __always_inline __u32 keyctl_layout(__u32 op) {
	switch(op) {
	case 1: return 1 | 8;                 /* JOIN_SESSION_KEYRING name */
	case 3: case 7: case 14: case 16: case 21: return 1;
	case 0: case 5: case 8: case 9: case 15: case 22: case 31: return 2;
	case 2: case 4: case 6: case 11: case 13: case 17: case 32: return 3;
	case 29: return 3 | 16 | 32;          /* RESTRICT_KEYRING type, restriction */
	case 24: return 3 | 32;               /* PKEY_QUERY info */
	case 10: return 4 | 16 | 32;          /* SEARCH type, description */
	case 12: case 19: case 20: case 23: case 30: return 4;
	case 25: case 26: case 27: case 28: return 4 | 16; /* PKEY_* info */
	default: return 0;                    /* SESSION_TO_PARENT, unknown */
	}
}

/* One table parameter. */
static __always_inline void sc_param(struct ev *e, __u16 op, const __u64 *a, __s64 ret) {
	__u32 src = op & 7, kind = (op >> 3) & 31, aux = op >> 8;
	__u64 v;
	switch(src) {
	case 0: v = a[0]; break;
	case 1: v = a[1]; break;
	case 2: v = a[2]; break;
	case 3: v = a[3]; break;
	case 4: v = a[4]; break;
	case 5: v = a[5]; break;
	case S_RET: v = ret; break;
	default: v = aux == 255 ? (__u64)-1 : aux; break;
	}
	switch(kind) {
	case K_I64: p_u64(e, v); break;
	case K_FD: p_u64(e, (__s64)(__s32)v); break;
	case K_U32: p_u32(e, (__u32)v); break;
	case K_U16: p_u16(e, (__u16)v); break;
	case K_U8: p_u8(e, (__u8)v); break;
	case K_STR:
		if(aux == 1 && ret <= 0) p_empty(e);
		else p_ustr(e, (void *)v);
		break;
	case K_BUFRET: p_ubuf(e, (void *)v, ret); break;
	case K_BUFARG: { /* libs: exactly (u16)len bytes, no snaplen; capped so
	                  * that the event stays one record */
		__u64 n = (__u16)a[aux & 7];
		p_dynbuf_raw(e, (void *)v, n > BUFARG_MAX ? BUFARG_MAX : n);
		break;
	}
	case K_C32: p_u32(e, (__u32)sc_conv(aux, v, a)); break;
	case K_C16: p_u16(e, (__u16)sc_conv(aux, v, a)); break;
	case K_C8: p_u8(e, (__u8)sc_conv(aux, v, a)); break;
	case K_UFD: {
		__s32 fd = -1;
		if(ret < 0 || bpf_probe_read_user(&fd, 4, (char *)v + (aux & 1) * 4)) fd = -1;
		p_u64(e, (__s64)fd);
		break;
	}
	case K_UU32: {
		__u32 x = 0;
		if(!v || bpf_probe_read_user(&x, 4, (char *)v + (aux & 7) * 4)) x = 0;
		p_u32(e, x);
		break;
	}
	case K_UI64: {
		__s64 x = 0;
		if((aux & 8) && ret != 0) x = -1;
		else if(!v || bpf_probe_read_user(&x, 8, (char *)v + (aux & 7) * 8)) x = (aux & 8) ? -1 : 0;
		p_u64(e, x);
		break;
	}
	case K_TS: {
		struct { __s64 sec, nsec; } ts = {};
		__u64 ns = 0;
		if(v && !bpf_probe_read_user(&ts, sizeof(ts), (void *)v)) ns = ts.sec * 1000000000ull + ts.nsec;
		p_u64(e, ns);
		break;
	}
	case K_PIPEINO: {
		__s32 fd = -1;
		__u64 ino = 0;
		if(ret == 0 && !bpf_probe_read_user(&fd, 4, (void *)v)) {
			struct file *f = fd_file(fd);
			if(f) ino = BPF_CORE_READ(f, f_inode, i_ino);
		}
		p_u64(e, ino);
		break;
	}
	case K_RETFILE: {
		struct file *f = ret >= 0 ? fd_file(ret) : NULL;
		if(aux == 2) {
			if(f) {
				struct path fp = BPF_CORE_READ(f, f_path);
				p_path(e, fp.dentry, fp.mnt);
			} else {
				p_empty(e);
			}
		} else if(aux == 1) {
			p_u64(e, f ? BPF_CORE_READ(f, f_inode, i_ino) : 0);
		} else {
			p_u32(e, f ? encode_dev(BPF_CORE_READ(f, f_inode, i_sb, s_dev)) : 0);
		}
		break;
	}
	case K_VM: p_vm(e, (struct task_struct *)bpf_get_current_task()); break;
	case K_FDLIST: p_pollfds(e, (void *)v, a[aux & 7], (aux & 8) != 0); break;
	case K_IOV: p_iov(e, (void *)v, a[aux & 7], ret); break;
	case K_SKPAIR: {
		__s32 fd = -1;
		__u64 x = 0;
		if(ret >= 0 && !bpf_probe_read_user(&fd, 4, (void *)v)) {
			struct sock *sk = fd_sock(fd);
			if(sk && aux == 1) sk = BPF_CORE_READ((struct unix_sock *)sk, peer);
			x = (__u64)sk;
		}
		p_u64(e, x);
		break;
	}
	case K_SEMBUF: {
		struct { __u16 num; __s16 op; __s16 flg; } sb = {};
		__u32 i = aux >> 2;
		/* zeros unless the call succeeded, as libs */
		if(ret == 0 && v && a[2] > i) bpf_probe_read_user(&sb, 6, (char *)v + i * 6);
		__u32 f = aux & 3;
		if(f == 0) p_u16(e, sb.num);
		else if(f == 1) p_u16(e, (__u16)sb.op);
		else p_u16(e, ((sb.flg & 04000) ? 1 : 0) | ((sb.flg & 010000) ? 2 : 0));
		break;
	}
	case K_CAP: {
		struct task_struct *t = (struct task_struct *)bpf_get_current_task();
		__u64 c = aux == 0 ? BPF_CORE_READ(t, cred, cap_inheritable.val)
			: aux == 1 ? BPF_CORE_READ(t, cred, cap_permitted.val)
			: BPF_CORE_READ(t, cred, cap_effective.val);
		p_u64(e, c);
		break;
	}
	case K_SOCKOPT: p_sockopt(e, (__s32)a[1], (__s32)a[2], v, a[aux & 7], aux & 8); break;
	case K_PRCTL: {
		__u64 opt = a[0];
		int named = opt == 15 || opt == 16; /* PR_SET_NAME, PR_GET_NAME */
		if(aux == 0) {
			if(named) p_ustr(e, (void *)v);
			else p_empty(e);
		} else if(opt == 37) { /* PR_GET_CHILD_SUBREAPER */
			__s32 x = 0;
			bpf_probe_read_user(&x, 4, (void *)v);
			p_u64(e, (__s64)x);
		} else {
			p_u64(e, named ? 0 : v);
		}
		break;
	}
	case K_FSCVAL: {
		__u64 cmd = a[1];
		if(ret < 0) p_empty(e);
		else if(aux == 0 && cmd == 2) p_ubuf(e, (void *)v, (__s32)a[4]); /* SET_BINARY */
		else if(aux == 1 && (cmd == 1 || cmd == 3 || cmd == 4)) p_ustr(e, (void *)v);
		else p_empty(e);
		break;
	}
	case K_SEMVAL: p_u32(e, a[2] == 16 ? (__u32)v : 0); break;
	case K_IOUP: {
		__u32 x = 0;
		if(ret < 0 || !v || bpf_probe_read_user(&x, 4, (char *)v + (aux ? 20 : 8))) x = 0;
		p_u32(e, aux ? (x & 0x7ff) : io_uring_setup_flags_to_scap(x));
		break;
	}
	case K_QUOTA:
		if(aux == 0) {
			if(quotactl_cmd_to_scap(a[0]) == 1) p_ustr(e, (void *)v); /* Q_QUOTAON */
			else p_empty(e);
		} else {
			p_quota(e, quotactl_cmd_to_scap(a[0]), (void *)v);
		}
		break;
	case K_PTRACE: p_ptrace(e, aux, ptrace_req_to_scap(a[0]), v, ret); break;
	case K_KEYCTL: {
		__u32 l = keyctl_layout((__u32)a[0]), j = (aux - 2) & 3;
		if(j >= (l & 7)) p_dyn64(e, 0, 0);
		else if(l & (8 << j)) p_dynstr(e, 1, (void *)v);
		else p_dyn64(e, 0, v);
		break;
	}
	default: p_empty(e); break;
	}
}

/* What one table parameter needs, all scalars: a global function's pointer
 * arguments carry no pointers across, so the event's place in the scratch
 * buffer travels as offsets. */
struct sc_state {
	__u64 a[6];
	__s64 ret;
	__u32 base, off, idx, lenbase;
};

/* Global: the verifier checks the parameter encoder once, for any opcode and
 * any offsets, instead of once per table entry and parameter position. */
__noinline int sc_param_g(struct sc_state *st, __u32 op) {
	if(!st) return 0;
	__u32 zero = 0;
	struct scratch *s = cpu_scratch();
	if(!s) return 0;
	struct ev e = {};
	__u32 base = st->base;
	BOUND(base, PEND_ROOM - 1);
	e.s = s->b;
	e.b = s->b + base;
	e.base = base;
	e.off = st->off;
	e.idx = st->idx;
	e.lenbase = st->lenbase;
	sc_param(&e, (__u16)op, st->a, st->ret);
	st->off = e.off;
	st->idx = e.idx;
	return 0;
}

/* Emits the enter (exit = 0) or exit event of syscall `nr` from rch_sc_table;
 * returns 0 when the table has no entry for it. */
static __always_inline int emit_table(long nr, const __u64 *a, __s64 ret, int exit) {
	if(nr < 0 || nr >= RCH_SYSCALL_TABLE_SIZE) return 0;
	const volatile struct sc_desc *d = &rch_sc_table[nr & (RCH_SYSCALL_TABLE_SIZE - 1)];
	if(!d->xt) return 0;
	__u16 type = exit ? d->xt : d->et;
	if(!type) return 1; /* no enter event in libs: nothing to send */
	__u16 ops[SC_MAXX];
	__u32 n = 0;
	for(int i = 0; i < SC_MAXX; i++) {
		__u16 op = 0;
		if(exit) op = d->xp[i];
		else if(i < SC_MAXE) op = d->ep[i];
		ops[i] = op;
		__u32 k = (op >> 3) & 31;
		if(op) n += k == K_VM ? 3 : (k == K_QUOTA && (op >> 8) == 1) ? 11 : 1;
	}
	struct ev e;
	if(!ev_begin(&e, type, n)) return 1;
	struct sc_state st = {};
	for(int i = 0; i < 6; i++) st.a[i] = a[i];
	st.ret = ret;
	st.base = e.base;
	st.off = e.off;
	st.idx = e.idx;
	st.lenbase = e.lenbase;
	for(int i = 0; i < SC_MAXX; i++) {
		if(!ops[i]) break;
		sc_param_g(&st, ops[i]);
	}
	e.off = st.off;
	e.idx = st.idx;
	ev_submit(&e);
	return 1;
}

/* ---- recvmmsg / sendmmsg ------------------------------------------------ */

/* libs HEAD's modern probe sends one exit event per message (at most 16),
 * each with that message's length as res, its data, tuple (and for
 * recvmmsg its control data). rchisel keeps the enter events sysdig 0.29.3
 * expects, so every message after the first also gets an enter event: one
 * enter/exit pair per message. */
#define MMSG_MAX 16

struct mmsg_state {
	__u64 fd;   /* the socket (the syscall's first argument) */
	__u64 mmh;  /* user struct mmsghdr array */
	__u32 i;    /* the message */
	__u32 recv; /* recvmmsg (1) or sendmmsg (0) */
};

/* Global: verified once for any message index. */
__noinline int emit_mmsg_one(struct mmsg_state *st) {
	if(!st) return 0;
	struct mmsghdr m = {};
	__u32 i = st->i & (MMSG_MAX - 1);
	long fd = (__s32)st->fd;
	int recv = st->recv != 0;
	bpf_probe_read_user(&m, sizeof(m), (void *)(st->mmh + i * sizeof(struct mmsghdr)));
	struct ev e;
	if(i > 0) {
		if(!ev_begin(&e, recv ? PPME_SOCKET_RECVMMSG_E : PPME_SOCKET_SENDMMSG_E, 0)) return 0;
		ev_submit(&e);
	}
	if(!ev_begin(&e, recv ? PPME_SOCKET_RECVMMSG_X : PPME_SOCKET_SENDMMSG_X, recv ? 6 : 5)) return 0;
	p_u64(&e, m.msg_len);
	p_u64(&e, fd);
	if(recv) {
		p_u32(&e, m.msg_len);
		p_iov(&e, m.msg_hdr.msg_iov, m.msg_hdr.msg_iovlen, m.msg_len);
		p_tuple_ua(&e, fd, INBOUND, m.msg_hdr.msg_name);
		__u64 clen = m.msg_hdr.msg_controllen & 0xffff;
		if(m.msg_hdr.msg_control && clen) p_dynbuf_raw(&e, m.msg_hdr.msg_control, clen);
		else p_empty(&e);
	} else {
		p_u32(&e, (__u32)iov_size(m.msg_hdr.msg_iov, m.msg_hdr.msg_iovlen));
		/* a zero-length message still shows its buffers (up to the snaplen) */
		p_iov(&e, m.msg_hdr.msg_iov, m.msg_hdr.msg_iovlen, m.msg_len ? m.msg_len : MAX_SNAP);
		p_tuple_ua(&e, fd, OUTBOUND, m.msg_hdr.msg_name);
	}
	ev_submit(&e);
	return 0;
}

/* The exit event(s) of recvmmsg (299) or sendmmsg (307). */
static __always_inline void emit_mmsg_exit(long nr, const __u64 *a, __s64 ret) {
	int recv = nr == 299;
	if(ret <= 0) {
		struct ev e;
		if(!ev_begin(&e, recv ? PPME_SOCKET_RECVMMSG_X : PPME_SOCKET_SENDMMSG_X, recv ? 6 : 5)) return;
		p_u64(&e, ret);
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, 0);
		p_empty(&e);
		p_empty(&e);
		if(recv) p_empty(&e);
		ev_submit(&e);
		return;
	}
	struct mmsg_state st = { .fd = a[0], .mmh = a[1], .recv = recv };
	for(int i = 0; i < MMSG_MAX; i++) {
		if(i >= ret) break;
		st.i = i;
		emit_mmsg_one(&st);
	}
}

/* ---- open-family enter events ------------------------------------------ */

/* Builds the enter event of open (2), creat (85), openat (257) or openat2
 * (437); a non-zero `ts` replaces the event's timestamp. */
static __always_inline void emit_open_enter(long nr, const __u64 *a, __u64 ts) {
	struct ev e;
	switch(nr) {
	case 2:
		if(!ev_begin(&e, PPME_SYSCALL_OPEN_E, 3)) return;
		p_ustr(&e, (void *)a[0]);
		p_u32(&e, open_flags_to_scap(a[1]));
		p_u32(&e, open_mode_to_scap(a[1], a[2]));
		break;
	case 85:
		if(!ev_begin(&e, PPME_SYSCALL_CREAT_E, 2)) return;
		p_ustr(&e, (void *)a[0]);
		p_u32(&e, (__u32)(a[1] & 07777));
		break;
	case 257:
		if(!ev_begin(&e, PPME_SYSCALL_OPENAT_2_E, 4)) return;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, open_flags_to_scap(a[2]));
		p_u32(&e, open_mode_to_scap(a[2], a[3]));
		break;
	default: {
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (void *)a[2]);
		if(!ev_begin(&e, PPME_SYSCALL_OPENAT2_E, 5)) return;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, open_flags_to_scap(how.flags));
		p_u32(&e, open_mode_to_scap(how.flags, how.mode));
		p_u32(&e, openat2_resolve_to_scap(how.resolve));
		break;
	}
	}
	if(ts) *(__u64 *)&e.b[PREFIX] = ts;
	ev_submit(&e);
}

/* True when the batch's last event is not this thread's open-family enter
 * event `nr` with an empty path (nothing to rebuild). */
static __always_inline int refill_keep(struct pending *p, long nr) {
	if(!p->len || p->tid != (__u32)bpf_get_current_pid_tgid()) return 1;
	struct scratch *s = cpu_scratch();
	if(!s) return 1;
	__u32 last = p->last;
	BOUND(last, PEND_ROOM - 1);
	__u16 type = *(__u16 *)&s->b[last + 20];
	__u16 want = nr == 2 ? PPME_SYSCALL_OPEN_E : nr == 85 ? PPME_SYSCALL_CREAT_E
		: nr == 257 ? PPME_SYSCALL_OPENAT_2_E : PPME_SYSCALL_OPENAT2_E;
	if(type != want) return 1;
	__u32 pidx = (nr == 2 || nr == 85) ? 0 : 1;
	return *(__u16 *)&s->b[last + HDR + pidx * 2] > 1; /* the path is there */
}

/* At an open-family exit: when this thread's enter event is still held and
 * its path came out empty (the user page holding the path was not yet
 * faulted in when sys_enter read it; the syscall itself faulted it in), the
 * enter event is built again with the path read now, keeping its timestamp.
 * An enter already sent (its task slept in between) cannot be mended. */
static __always_inline void refill_open_enter(long nr, const __u64 *a) {
	__u32 zero = 0;
	struct pending *p = bpf_map_lookup_elem(&rch_pending, &zero);
	if(!p) return;
	/* Busy before the batch is looked at: the flush timer may not send or
	 * move it between this look and the drop below. */
	p->busy = 1;
	BARRIER();
	if(refill_keep(p, nr)) {
		BARRIER();
		p->busy = 0;
		return;
	}
	__u32 last = p->last;
	BOUND(last, PEND_ROOM - 1);
	struct scratch *s = cpu_scratch();
	if(!s) {
		p->busy = 0;
		return;
	}
	__u64 ts = *(__u64 *)&s->b[last];
	/* Drop the held event (the batch's last): rebuilt below (ev_submit
	 * ends the busy stretch). */
	p->nheld -= 1;
	p->len = last > PREFIX ? last : 0;
	emit_open_enter(nr, a, ts);
}

/* ---- sys_enter ---------------------------------------------------------- */

/* BTF-typed raw tracepoints (tp_btf): the frame's registers are read with
 * plain loads instead of a helper call. */
SEC("tp_btf/sys_enter")
int rch_sys_enter(__u64 *ctx) {
	if(rch_floored()) return 0;
	struct pt_regs *regs = (struct pt_regs *)ctx[0];
	long nr = (long)ctx[1];
	if(rch_skip(nr)) return 0;
	struct args x;
	read_args(regs, &x);
	__u64 *a = x.a;
	struct ev e;

	switch(nr) {
	case 2: /* open */
	case 85: /* creat */
	case 257: /* openat */
	case 437: /* openat2 */
		emit_open_enter(nr, a, 0);
		return 0;
	case 3: /* close */
	case 5: /* fstat */
	case 81: /* fchdir */
	case 49: /* bind */
	case 19: /* readv */
	case 47: /* recvmsg */ {
		__u16 t = nr == 3 ? PPME_SYSCALL_CLOSE_E : nr == 5 ? PPME_SYSCALL_FSTAT_E
			: nr == 81 ? PPME_SYSCALL_FCHDIR_E : nr == 49 ? PPME_SOCKET_BIND_E
			: nr == 19 ? PPME_SYSCALL_READV_E : PPME_SOCKET_RECVMSG_E;
		if(!ev_begin(&e, t, 1)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		break;
	}
	case 0: /* read */
	case 1: /* write */
	case 45: /* recvfrom */
		if(!ev_begin(&e, nr == 0 ? PPME_SYSCALL_READ_E : nr == 1 ? PPME_SYSCALL_WRITE_E : PPME_SOCKET_RECVFROM_E, 2))
			return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)a[2]);
		break;
	case 17: /* pread */
	case 18: /* pwrite */
		if(!ev_begin(&e, nr == 17 ? PPME_SYSCALL_PREAD_E : PPME_SYSCALL_PWRITE_E, 3)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)a[2]);
		p_u64(&e, a[3]);
		break;
	case 20: /* writev */
		if(!ev_begin(&e, PPME_SYSCALL_WRITEV_E, 2)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		break;
	case 295: /* preadv */
		if(!ev_begin(&e, PPME_SYSCALL_PREADV_E, 2)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u64(&e, a[3]);
		break;
	case 296: /* pwritev */
		if(!ev_begin(&e, PPME_SYSCALL_PWRITEV_E, 3)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		p_u64(&e, a[3]);
		break;
	case 41: /* socket */
		if(!ev_begin(&e, PPME_SOCKET_SOCKET_E, 3)) return 0;
		p_u32(&e, (__u32)a[0]);
		p_u32(&e, (__u32)a[1]);
		p_u32(&e, (__u32)a[2]);
		break;
	case 42: /* connect */
		if(!ev_begin(&e, PPME_SOCKET_CONNECT_E, 2)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_usockaddr(&e, (void *)a[1], a[2]);
		break;
	case 50: /* listen */
		if(!ev_begin(&e, PPME_SOCKET_LISTEN_E, 2)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)a[1]);
		break;
	case 43: /* accept */
		if(!ev_begin(&e, PPME_SOCKET_ACCEPT_5_E, 0)) return 0;
		break;
	case 288: /* accept4 */
		if(!ev_begin(&e, PPME_SOCKET_ACCEPT4_6_E, 1)) return 0;
		p_u32(&e, (__u32)a[3]);
		break;
	case 44: /* sendto */
		if(!ev_begin(&e, PPME_SOCKET_SENDTO_E, 3)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)a[2]);
		p_tuple_ua(&e, (__s32)a[0], OUTBOUND, (void *)a[4]); /* dest_addr, as libs' drivers */
		break;
	case 46: { /* sendmsg */
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
		if(!ev_begin(&e, PPME_SOCKET_SENDMSG_E, 3)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u32(&e, (__u32)iov_size(m.msg_iov, m.msg_iovlen));
		p_tuple_ua(&e, (__s32)a[0], OUTBOUND, m.msg_name);
		break;
	}
	case 59: /* execve */
		if(!ev_begin(&e, PPME_SYSCALL_EXECVE_19_E, 1)) return 0;
		p_ustr(&e, (void *)a[0]);
		break;
	case 322: /* execveat */
		if(!ev_begin(&e, PPME_SYSCALL_EXECVEAT_E, 3)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, (__u32)a[4]);
		break;
	case 56: case 57: case 58: case 435: case 22: case 80: case 84: case 82:
	case 87: case 258: case 263: case 264: case 316: case 4: case 6: {
		__u16 t;
		switch(nr) {
		case 56: t = PPME_SYSCALL_CLONE_20_E; break;
		case 57: t = PPME_SYSCALL_FORK_20_E; break;
		case 58: t = PPME_SYSCALL_VFORK_20_E; break;
		case 435: t = PPME_SYSCALL_CLONE3_E; break;
		case 22: t = PPME_SYSCALL_PIPE_E; break;
		case 80: t = PPME_SYSCALL_CHDIR_E; break;
		case 84: t = PPME_SYSCALL_RMDIR_2_E; break;
		case 82: t = PPME_SYSCALL_RENAME_E; break;
		case 87: t = PPME_SYSCALL_UNLINK_2_E; break;
		case 258: t = PPME_SYSCALL_MKDIRAT_E; break;
		case 263: t = PPME_SYSCALL_UNLINKAT_2_E; break;
		case 264: t = PPME_SYSCALL_RENAMEAT_E; break;
		case 316: t = PPME_SYSCALL_RENAMEAT2_E; break;
		case 4: t = PPME_SYSCALL_STAT_E; break;
		default: t = PPME_SYSCALL_LSTAT_E; break;
		}
		if(!ev_begin(&e, t, 0)) return 0;
		break;
	}
	case 83: /* mkdir */
		if(!ev_begin(&e, PPME_SYSCALL_MKDIR_2_E, 1)) return 0;
		p_u32(&e, (__u32)a[1]);
		break;
	case 72: /* fcntl */
		if(!ev_begin(&e, PPME_SYSCALL_FCNTL_E, 2)) return 0;
		p_u64(&e, (__s64)(__s32)a[0]);
		p_u8(&e, fcntl_cmd_to_scap(a[1]));
		break;
	case 105: /* setuid */
	case 106: /* setgid */
		if(!ev_begin(&e, nr == 105 ? PPME_SYSCALL_SETUID_E : PPME_SYSCALL_SETGID_E, 1)) return 0;
		p_u32(&e, (__u32)a[0]);
		break;
	case 117: /* setresuid */
	case 119: /* setresgid */
		if(!ev_begin(&e, nr == 117 ? PPME_SYSCALL_SETRESUID_E : PPME_SYSCALL_SETRESGID_E, 3)) return 0;
		p_u32(&e, (__u32)a[0]);
		p_u32(&e, (__u32)a[1]);
		p_u32(&e, (__u32)a[2]);
		break;
	case 9: /* mmap */
		if(!ev_begin(&e, PPME_SYSCALL_MMAP_E, 6)) return 0;
		p_u64(&e, a[0]);
		p_u64(&e, a[1]);
		p_u32(&e, prot_to_scap(a[2]));
		p_u32(&e, mmap_flags_to_scap(a[3]));
		p_u64(&e, (__s64)(__s32)a[4]);
		p_u64(&e, a[5]);
		break;
	case 11: /* munmap */
		if(!ev_begin(&e, PPME_SYSCALL_MUNMAP_E, 2)) return 0;
		p_u64(&e, a[0]);
		p_u64(&e, a[1]);
		break;
	case 7: /* poll */
		if(!ev_begin(&e, PPME_SYSCALL_POLL_E, 2)) return 0;
		p_pollfds(&e, (void *)a[0], a[1], 1);
		p_u64(&e, (__s64)(__s32)a[2]);
		break;
	case 232: /* epoll_wait */
		if(!ev_begin(&e, PPME_SYSCALL_EPOLLWAIT_E, 1)) return 0;
		p_u64(&e, (__s64)(__s32)a[2]);
		break;
	default:
		if(!emit_table(nr, a, 0, 0)) emit_generic(PPME_GENERIC_E, nr);
		return 0;
	}
	ev_submit(&e);
	return 0;
}

/* ---- sys_exit ----------------------------------------------------------- */

static __always_inline __u16 exit_type_simple(long nr) {
	switch(nr) {
	case 3: return PPME_SYSCALL_CLOSE_X;
	case 5: return PPME_SYSCALL_FSTAT_X;
	case 81: return PPME_SYSCALL_FCHDIR_X;
	default: return 0;
	}
}

SEC("tp_btf/sys_exit")
int rch_sys_exit(__u64 *ctx) {
	if(rch_floored()) return 0;
	struct pt_regs *regs = (struct pt_regs *)ctx[0];
	__s64 ret = (__s64)ctx[1];
	struct args x;
	long nr = read_args(regs, &x);
	if(rch_skip(nr)) return 0;
	__u64 *a = x.a;
	struct ev e;
	__s64 fd0 = (__s64)(__s32)a[0];

	switch(nr) {
	case 2: /* open */
		refill_open_enter(nr, a);
		if(!ev_begin(&e, PPME_SYSCALL_OPEN_X, 6)) return 0;
		p_u64(&e, ret);
		p_ustr(&e, (void *)a[0]);
		p_u32(&e, open_flags_to_scap(a[1]) | open_result_flags(ret));
		p_u32(&e, open_mode_to_scap(a[1], a[2]));
		p_dev_ino(&e, ret);
		break;
	case 85: /* creat */
		refill_open_enter(nr, a);
		if(!ev_begin(&e, PPME_SYSCALL_CREAT_X, 6)) return 0;
		p_u64(&e, ret);
		p_ustr(&e, (void *)a[0]);
		p_u32(&e, open_mode_to_scap(L_O_CREAT, a[1]));
		p_dev_ino(&e, ret);
		{ /* creat_flags: PPM_FD_UPPER_LAYER_CREAT (1) / LOWER_LAYER_CREAT (2) */
			int ol = ret >= 0 ? overlay_layer(fd_file(ret)) : OVL_NONE;
			p_u16(&e, ol == OVL_UPPER ? 1 : ol == OVL_LOWER ? 2 : 0);
		}
		break;
	case 257: /* openat */
		refill_open_enter(nr, a);
		if(!ev_begin(&e, PPME_SYSCALL_OPENAT_2_X, 7)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, open_flags_to_scap(a[2]) | open_result_flags(ret));
		p_u32(&e, open_mode_to_scap(a[2], a[3]));
		p_dev_ino(&e, ret);
		break;
	case 437: { /* openat2 */
		refill_open_enter(nr, a);
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (void *)a[2]);
		if(!ev_begin(&e, PPME_SYSCALL_OPENAT2_X, 8)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, open_flags_to_scap(how.flags) | open_result_flags(ret));
		p_u32(&e, open_mode_to_scap(how.flags, how.mode));
		p_u32(&e, openat2_resolve_to_scap(how.resolve));
		p_dev_ino(&e, ret);
		break;
	}
	case 3: case 5: case 81: /* res, fd */
		if(!ev_begin(&e, exit_type_simple(nr), 2)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		break;
	case 0: /* read */
	case 1: /* write */
		if(!ev_begin(&e, nr == 0 ? PPME_SYSCALL_READ_X : PPME_SYSCALL_WRITE_X, 4)) return 0;
		p_u64(&e, ret);
		p_ubuf_cut(&e, (void *)a[1], ret, nr == 1 && rch_tracers && is_dev_null(fd0) ? 4096 : rch_snaplen);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)a[2]);
		break;
	case 17: /* pread */
	case 18: /* pwrite */
		if(!ev_begin(&e, nr == 17 ? PPME_SYSCALL_PREAD_X : PPME_SYSCALL_PWRITE_X, 5)) return 0;
		p_u64(&e, ret);
		p_ubuf(&e, (void *)a[1], ret);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)a[2]);
		p_u64(&e, a[3]);
		break;
	case 19: /* readv: res, size, data, fd */
		if(!ev_begin(&e, PPME_SYSCALL_READV_X, 4)) return 0;
		p_u64(&e, ret);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		p_iov(&e, (void *)a[1], a[2], ret);
		p_u64(&e, fd0);
		break;
	case 20: /* writev: res, data, fd, size */
		if(!ev_begin(&e, PPME_SYSCALL_WRITEV_X, 4)) return 0;
		p_u64(&e, ret);
		p_iov(&e, (void *)a[1], a[2], ret);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		break;
	case 295: /* preadv: res, size, data, fd, pos */
		if(!ev_begin(&e, PPME_SYSCALL_PREADV_X, 5)) return 0;
		p_u64(&e, ret);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		p_iov(&e, (void *)a[1], a[2], ret);
		p_u64(&e, fd0);
		p_u64(&e, a[3]);
		break;
	case 296: /* pwritev: res, data, fd, size, pos */
		if(!ev_begin(&e, PPME_SYSCALL_PWRITEV_X, 5)) return 0;
		p_u64(&e, ret);
		p_iov(&e, (void *)a[1], a[2], ret);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)iov_size((void *)a[1], a[2]));
		p_u64(&e, a[3]);
		break;
	case 41: /* socket: fd, domain, type, proto, flags */
		if(!ev_begin(&e, PPME_SOCKET_SOCKET_X, 5)) return 0;
		p_u64(&e, ret);
		p_u32(&e, (__u32)a[0]);
		p_u32(&e, (__u32)a[1] & 0xf);
		p_u32(&e, (__u32)a[2]);
		p_u32(&e, ((a[1] & L_O_CLOEXEC) ? PPM_O_CLOEXEC : 0) | ((a[1] & L_O_NONBLOCK) ? PPM_O_NONBLOCK : 0));
		break;
	case 49: /* bind: res, addr, fd */
		if(!ev_begin(&e, PPME_SOCKET_BIND_X, 3)) return 0;
		p_u64(&e, ret);
		p_usockaddr(&e, (void *)a[1], a[2]);
		p_u64(&e, fd0);
		break;
	case 42: /* connect: res, tuple, fd, addr */
		if(!ev_begin(&e, PPME_SOCKET_CONNECT_X, 4)) return 0;
		p_u64(&e, ret);
		/* the tuple as libs: only when connected or in progress (EINPROGRESS) */
		if(ret == 0 || ret == -115) p_tuple_ua(&e, fd0, OUTBOUND, (void *)a[1]);
		else p_empty(&e);
		p_u64(&e, fd0);
		p_usockaddr(&e, (void *)a[1], a[2]);
		break;
	case 50: /* listen: res, fd, backlog */
		if(!ev_begin(&e, PPME_SOCKET_LISTEN_X, 3)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)a[1]);
		break;
	case 43: /* accept */
	case 288: { /* accept4: fd, tuple, queuepct, queuelen, queuemax, flags */
		if(!ev_begin(&e, nr == 43 ? PPME_SOCKET_ACCEPT_5_X : PPME_SOCKET_ACCEPT4_6_X, nr == 43 ? 5 : 6))
			return 0;
		p_u64(&e, ret);
		p_tuple(&e, ret, INBOUND);
		struct sock *ls = fd_sock(fd0);
		__u32 qlen = ls ? BPF_CORE_READ(ls, sk_ack_backlog) : 0;
		__u32 qmax = ls ? BPF_CORE_READ(ls, sk_max_ack_backlog) : 0;
		p_u8(&e, qmax ? (__u8)(qlen * 100 / qmax) : 0);
		p_u32(&e, qlen);
		p_u32(&e, qmax);
		if(nr == 288) p_u32(&e, fdfl_to_scap(a[3]));
		break;
	}
	/* sendto/recvfrom/sendmsg/recvmsg as libs' modern probe: the user's
	 * address (dest_addr, src_addr, msg_name) completes the tuple of an
	 * unconnected socket; data and tuple only when the call succeeded (a
	 * failed send still shows the bytes it tried to send). */
	case 44: /* sendto: res, data, fd, size, tuple */
		if(!ev_begin(&e, PPME_SOCKET_SENDTO_X, 5)) return 0;
		p_u64(&e, ret);
		p_ubuf(&e, (void *)a[1], ret > 0 ? ret : (__s64)(__u32)a[2]);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)a[2]);
		if(ret >= 0) p_tuple_ua(&e, fd0, OUTBOUND, (void *)a[4]);
		else p_empty(&e);
		break;
	case 45: /* recvfrom: res, data, tuple, fd, size */
		if(!ev_begin(&e, PPME_SOCKET_RECVFROM_X, 5)) return 0;
		p_u64(&e, ret);
		if(ret >= 0) {
			p_ubuf(&e, (void *)a[1], ret);
			p_tuple_ua(&e, fd0, INBOUND, (void *)a[4]);
		} else {
			p_empty(&e);
			p_empty(&e);
		}
		p_u64(&e, fd0);
		p_u32(&e, (__u32)a[2]);
		break;
	case 46: { /* sendmsg: res, data, fd, size, tuple */
		struct user_msghdr m = {};
		long bad = bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
		if(!ev_begin(&e, PPME_SOCKET_SENDMSG_X, 5)) return 0;
		p_u64(&e, ret);
		if(bad) {
			p_empty(&e);
			p_u64(&e, fd0);
			p_empty(&e);
			p_empty(&e);
			break;
		}
		p_iov(&e, m.msg_iov, m.msg_iovlen, ret > 0 ? ret : MAX_SNAP);
		p_u64(&e, fd0);
		p_u32(&e, (__u32)iov_size(m.msg_iov, m.msg_iovlen));
		if(ret >= 0) p_tuple_ua(&e, fd0, OUTBOUND, m.msg_name);
		else p_empty(&e);
		break;
	}
	case 47: { /* recvmsg: res, size, data, tuple, msgcontrol, fd */
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
		if(!ev_begin(&e, PPME_SOCKET_RECVMSG_X, 6)) return 0;
		p_u64(&e, ret);
		if(ret >= 0) {
			p_u32(&e, (__u32)ret);
			p_iov(&e, m.msg_iov, m.msg_iovlen, ret);
			p_tuple_ua(&e, fd0, INBOUND, m.msg_name);
			if(m.msg_control && m.msg_controllen > 0 && m.msg_controllen <= 0xffff)
				p_dynbuf_raw(&e, m.msg_control, m.msg_controllen);
			else
				p_empty(&e);
		} else {
			p_u32(&e, 0);
			p_empty(&e);
			p_empty(&e);
			p_empty(&e);
		}
		p_u64(&e, fd0);
		break;
	}
	case 59: /* execve */
		emit_execve_exit(PPME_SYSCALL_EXECVE_19_X, ret, a[1], a[2], a[0]);
		return 0;
	case 322: /* execveat */
		emit_execve_exit(PPME_SYSCALL_EXECVEAT_X, ret, a[2], a[3], a[1]);
		return 0;
	case 56: /* clone */
		emit_clone_exit(PPME_SYSCALL_CLONE_20_X, ret, a[0]);
		return 0;
	case 57: /* fork */
		emit_clone_exit(PPME_SYSCALL_FORK_20_X, ret, 0);
		return 0;
	case 58: /* vfork */
		emit_clone_exit(PPME_SYSCALL_VFORK_20_X, ret, 0); /* as fork: libs' drivers record no flags */
		return 0;
	case 435: { /* clone3 */
		__u64 fl = 0;
		bpf_probe_read_user(&fl, sizeof(fl), (void *)a[0]);
		emit_clone_exit(PPME_SYSCALL_CLONE3_X, ret, fl);
		return 0;
	}
	case 22: { /* pipe: res, fd1, fd2, ino */
		int fds[2] = {-1, -1};
		bpf_probe_read_user(fds, sizeof(fds), (void *)a[0]);
		if(!ev_begin(&e, PPME_SYSCALL_PIPE_X, 4)) return 0;
		p_u64(&e, ret);
		p_u64(&e, ret == 0 ? fds[0] : -1);
		p_u64(&e, ret == 0 ? fds[1] : -1);
		__u64 ino = 0;
		struct file *f = ret == 0 ? fd_file(fds[0]) : NULL;
		if(f) ino = BPF_CORE_READ(f, f_inode, i_ino);
		p_u64(&e, ino);
		break;
	}
	case 72: /* fcntl: res, fd, cmd, arg */
		if(!ev_begin(&e, PPME_SYSCALL_FCNTL_X, 4)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_u8(&e, fcntl_cmd_to_scap(a[1]));
		p_u64(&e, a[2]);
		break;
	case 80: /* chdir: res, path */
	case 84: /* rmdir */
	case 87: /* unlink */
	case 4: /* stat */
	case 6: { /* lstat */
		__u16 t = nr == 80 ? PPME_SYSCALL_CHDIR_X : nr == 84 ? PPME_SYSCALL_RMDIR_2_X
			: nr == 87 ? PPME_SYSCALL_UNLINK_2_X : nr == 4 ? PPME_SYSCALL_STAT_X : PPME_SYSCALL_LSTAT_X;
		if(!ev_begin(&e, t, 2)) return 0;
		p_u64(&e, ret);
		p_ustr(&e, (void *)a[0]);
		break;
	}
	case 83: /* mkdir: res, path, mode */
		if(!ev_begin(&e, PPME_SYSCALL_MKDIR_2_X, 3)) return 0;
		p_u64(&e, ret);
		p_ustr(&e, (void *)a[0]);
		p_u32(&e, (__u32)a[1]);
		break;
	case 258: /* mkdirat: res, dirfd, path, mode */
		if(!ev_begin(&e, PPME_SYSCALL_MKDIRAT_X, 4)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, (__u32)a[2]);
		break;
	case 263: /* unlinkat: res, dirfd, name, flags */
		if(!ev_begin(&e, PPME_SYSCALL_UNLINKAT_2_X, 4)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_ustr(&e, (void *)a[1]);
		p_u32(&e, (a[2] & 0x200) ? 1 : 0); /* AT_REMOVEDIR -> PPM_AT_REMOVEDIR */
		break;
	case 82: /* rename: res, oldpath, newpath */
		if(!ev_begin(&e, PPME_SYSCALL_RENAME_X, 3)) return 0;
		p_u64(&e, ret);
		p_ustr(&e, (void *)a[0]);
		p_ustr(&e, (void *)a[1]);
		break;
	case 264: /* renameat */
	case 316: /* renameat2 */
		if(!ev_begin(&e, nr == 264 ? PPME_SYSCALL_RENAMEAT_X : PPME_SYSCALL_RENAMEAT2_X, nr == 264 ? 5 : 6)) return 0;
		p_u64(&e, ret);
		p_u64(&e, fd0);
		p_ustr(&e, (void *)a[1]);
		p_u64(&e, (__s64)(__s32)a[2]);
		p_ustr(&e, (void *)a[3]);
		if(nr == 316) p_u32(&e, (__u32)a[4] & 7);
		break;
	case 105: /* setuid */
	case 106: /* setgid */
		if(!ev_begin(&e, nr == 105 ? PPME_SYSCALL_SETUID_X : PPME_SYSCALL_SETGID_X, 2)) return 0;
		p_u64(&e, ret);
		p_u32(&e, (__u32)a[0]);
		break;
	case 117: /* setresuid */
	case 119: /* setresgid */
		if(!ev_begin(&e, nr == 117 ? PPME_SYSCALL_SETRESUID_X : PPME_SYSCALL_SETRESGID_X, 4)) return 0;
		p_u64(&e, ret);
		p_u32(&e, (__u32)a[0]);
		p_u32(&e, (__u32)a[1]);
		p_u32(&e, (__u32)a[2]);
		break;
	case 9: /* mmap: res, vm..., addr, length, prot, flags, fd, offset */
	case 11: { /* munmap: res, vm..., addr, length */
		__u32 np = nr == 9 ? 10 : 6;
		if(!ev_begin(&e, nr == 9 ? PPME_SYSCALL_MMAP_X : PPME_SYSCALL_MUNMAP_X, np)) return 0;
		p_u64(&e, ret);
		p_vm(&e, (struct task_struct *)bpf_get_current_task());
		p_u64(&e, a[0]);
		p_u64(&e, a[1]);
		if(np == 10) {
			p_u32(&e, prot_to_scap(a[2]));
			p_u32(&e, mmap_flags_to_scap(a[3]));
			p_u64(&e, (__s64)(__s32)a[4]);
			p_u64(&e, a[5]);
		}
		break;
	}
	case 7: /* poll: res, fds, timeout */
		if(!ev_begin(&e, PPME_SYSCALL_POLL_X, 3)) return 0;
		p_u64(&e, ret);
		p_pollfds(&e, (void *)a[0], a[1], 0);
		p_u64(&e, (__s64)(__s32)a[2]);
		break;
	case 232: /* epoll_wait: res, maxevents */
		if(!ev_begin(&e, PPME_SYSCALL_EPOLLWAIT_X, 2)) return 0;
		p_u64(&e, ret);
		p_u64(&e, (__s64)(__s32)a[2]);
		break;
	case 299: /* recvmmsg */
	case 307: /* sendmmsg */
		emit_mmsg_exit(nr, a, ret);
		return 0;
	default:
		if(!emit_table(nr, a, ret, 1)) emit_generic(PPME_GENERIC_X, nr);
		return 0;
	}
	ev_submit(&e);
	return 0;
}

/* ---- scheduler tracepoints ---------------------------------------------- */

/* ---- procexit's reaper_tid ---------------------------------------------- */

#define REAP_THREADS 16
#define REAP_ANCESTORS 16
#define L_PF_EXITING 0x4

/* A thread of t's group not exiting: its tid; 0 none; -1 too many to look at. */
static __always_inline __s64 alive_thread(struct task_struct *t) {
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	if(!sig) return 0;
	__u64 head = (__u64)sig + bpf_core_field_offset(struct signal_struct, thread_head);
	__u64 node_off = bpf_core_field_offset(struct task_struct, thread_node);
	struct list_head *n = BPF_CORE_READ(sig, thread_head.next);
#pragma unroll
	for(int i = 0; i < REAP_THREADS; i++) {
		if(!n || (__u64)n == head) return 0;
		struct task_struct *th = (struct task_struct *)((__u64)n - node_off);
		if(!(BPF_CORE_READ(th, flags) & L_PF_EXITING)) return BPF_CORE_READ(th, pid);
		n = BPF_CORE_READ(th, thread_node.next);
	}
	return -1;
}

/* The thread that will adopt the children of exiting `t` (kernel's
 * find_new_reaper): another live thread of its group, else the nearest
 * child-subreaper ancestor in its pid namespace, else the namespace's init.
 * 0 when t has no children (or is the namespace's last init); -1 when the
 * bounded walk cannot tell. */
__noinline __s64 reaper_of(__u64 task) {
	struct task_struct *t = (struct task_struct *)task;
	__u64 kids = task + bpf_core_field_offset(struct task_struct, children);
	if((__u64)BPF_CORE_READ(t, children.next) == kids) return 0;
	__s64 r = alive_thread(t);
	if(r) return r;
	struct pid_namespace *ns = pid_ns_of(BPF_CORE_READ(t, thread_pid));
	struct task_struct *init = BPF_CORE_READ(ns, child_reaper);
	if(init == t) return 0;
	__s64 init_pid = BPF_CORE_READ(init, pid);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	if(!BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper)) return init_pid;
	unsigned int level = BPF_CORE_READ(t, thread_pid, level);
	struct task_struct *a = BPF_CORE_READ(t, real_parent);
	for(int i = 0; i < REAP_ANCESTORS; i++) {
		if(!a || BPF_CORE_READ(a, thread_pid, level) != level || a == init) return init_pid;
		sig = BPF_CORE_READ(a, signal);
		if(BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper)) {
			r = alive_thread(a);
			if(r) return r;
		}
		a = BPF_CORE_READ(a, real_parent);
	}
	return -1;
}

/* sched_process_exit(struct task_struct *p): procexit for every thread. */
SEC("raw_tracepoint/sched_process_exit")
int rch_sched_exit(struct bpf_raw_tracepoint_args *ctx) {
	if(filtered()) return 0;
	__u64 *raw = (__u64 *)ctx;
	struct task_struct *t = (struct task_struct *)raw[0];
	struct ev e;
	if(!ev_begin(&e, PPME_PROCEXIT_1_E, 5)) return 0;
	int code = BPF_CORE_READ(t, exit_code);
	p_u64(&e, code);
	p_u64(&e, (code >> 8) & 0xff);
	p_u8(&e, code & 0x7f);
	p_u8(&e, (code & 0x80) ? 1 : 0);
	p_u64(&e, reaper_of((__u64)t));
	ev_submit(&e);
	__u32 zero = 0;
	__u32 *startup = bpf_map_lookup_elem(&rch_startup, &zero);
	if(!startup || !*startup) return 0;
	/* Identity: pid (tgid), parent pid, comm. */
	if(!ev_begin(&e, RCH_IDENTITY_E, 3)) return 0;
	e.hold = 0;
	p_u64(&e, BPF_CORE_READ(t, tgid));
	p_u64(&e, BPF_CORE_READ(t, real_parent, pid));
	p_kstr(&e, t->comm, 16);
	ev_submit(&e);
	return 0;
}

/* Scheduler, signal and page-fault events (numbers of libs' event table). */
#define RCH_SCHEDSWITCH_6_E 152
#define RCH_SIGNALDELIVER_E 232
#define RCH_PAGE_FAULT_E 290

/* sched_switch(preempt, prev, next): the switch event, in the leaving task's
 * name, as libs fills it (next's pid, prev's fault counters and memory).
 * ev_begin first sends this CPU's held enter event: a task leaving the CPU
 * takes none with it. */
SEC("tp_btf/sched_switch")
int rch_sched_switch(__u64 *ctx) {
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_struct *next = (struct task_struct *)ctx[2];
	struct ev e;
	if(!ev_begin(&e, RCH_SCHEDSWITCH_6_E, 6)) {
		/* Our own task: nothing recorded, but no enter event stays held. */
		__u32 zero = 0;
		struct pending *p = bpf_map_lookup_elem(&rch_pending, &zero);
		if(!p || !p->len) return 0;
		struct scratch *s = cpu_scratch();
		if(!s) return 0;
		flush_pending(p, s->b);
		return 0;
	}
	e.hold = 0;
	p_u64(&e, BPF_CORE_READ(next, pid));
	p_u64(&e, BPF_CORE_READ(prev, maj_flt));
	p_u64(&e, BPF_CORE_READ(prev, min_flt));
	p_vm(&e, prev);
	ev_submit(&e);
	return 0;
}

/* signal_deliver(sig, info, ka): the receiving thread takes the signal. The
 * sender is known for kill-like signals, SIGCHLD and real-time signals, as
 * libs reads it. */
SEC("tp_btf/signal_deliver")
int rch_signal_deliver(__u64 *ctx) {
	int sig = (int)ctx[0];
	struct kernel_siginfo *info = (struct kernel_siginfo *)ctx[1];
	__s64 spid = 0;
	if(info) {
		int code = BPF_CORE_READ(info, si_code);
		switch(sig) {
		case 9: /* SIGKILL */
			spid = BPF_CORE_READ(info, _sifields._kill._pid);
			break;
		case 15: case 1: case 2: case 20: case 3: /* SIGTERM SIGHUP SIGINT SIGTSTP SIGQUIT */
			if(code == 0 || code == -1 || code <= 0) spid = BPF_CORE_READ(info, _sifields._kill._pid);
			break;
		case 17: /* SIGCHLD */
			spid = BPF_CORE_READ(info, _sifields._sigchld._pid);
			break;
		default:
			break;
		}
		if(sig >= 32 && sig <= 64) spid = BPF_CORE_READ(info, _sifields._rt._pid);
	}
	struct ev e;
	if(!ev_begin(&e, RCH_SIGNALDELIVER_E, 3)) return 0;
	e.hold = 0;
	p_u64(&e, spid);
	p_u64(&e, (__u32)bpf_get_current_pid_tgid());
	p_u8(&e, (__u8)sig);
	ev_submit(&e);
	return 0;
}

/* x86 page-fault error code → PPM_PF_* flags. */
static __always_inline __u32 pf_flags(unsigned long ec) {
	__u32 r = (ec & 1) ? (1 << 0) : (1 << 1);  /* protection violation : page not present */
	r |= (ec & 2) ? (1 << 2) : (1 << 3);        /* write : read */
	r |= (ec & 4) ? (1 << 4) : (1 << 5);        /* user : supervisor */
	if(ec & 8) r |= 1 << 6;                     /* reserved page */
	if(ec & 16) r |= 1 << 7;                    /* instruction fetch */
	return r;
}

static __always_inline int emit_page_fault(__u64 *ctx) {
	unsigned long addr = ctx[0];
	struct pt_regs *regs = (struct pt_regs *)ctx[1];
	unsigned long ec = ctx[2];
	struct ev e;
	if(!ev_begin(&e, RCH_PAGE_FAULT_E, 3)) return 0;
	e.hold = 0;
	p_u64(&e, addr);
	p_u64(&e, regs ? BPF_CORE_READ(regs, ip) : 0);
	p_u32(&e, pf_flags(ec));
	ev_submit(&e);
	return 0;
}

/* page_fault_user / page_fault_kernel(address, regs, error_code): attached
 * only with --page-faults. */
SEC("tp_btf/page_fault_user")
int rch_page_fault_user(__u64 *ctx) {
	return emit_page_fault(ctx);
}

SEC("tp_btf/page_fault_kernel")
int rch_page_fault_kernel(__u64 *ctx) {
	/* Faults with page faults disabled come from no-fault reads, e.g. this
	 * probe's own reads of user memory while it builds an event in the
	 * CPU's scratch: recording them would overwrite that event. */
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if(BPF_CORE_READ(t, pagefault_disabled)) return 0;
	return emit_page_fault(ctx);
}

/* sched_process_exec(p, old_pid, bprm): remember the filename for execve's exit. */
SEC("raw_tracepoint/sched_process_exec")
int rch_sched_exec(struct bpf_raw_tracepoint_args *ctx) {
	if(filtered()) return 0;
	__u64 *raw = (__u64 *)ctx;
	struct linux_binprm *bprm = (struct linux_binprm *)raw[2];
	struct exec_name nm = {};
	const char *fn = BPF_CORE_READ(bprm, filename);
	bpf_probe_read_kernel_str(nm.s, sizeof(nm.s), fn);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&rch_exec_names, &tid, &nm, BPF_ANY);
	return 0;
}
