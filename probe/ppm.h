/* Event numbers, parameter conventions and flag conversions of the scap
 * format, as facts from falcosecurity/libs (driver/ppm_events_public.h and
 * driver/ppm_flag_helpers.h). Only what rchisel.bpf.c uses.
 *
 * Every event type here is one sysdig 0.29.3 knows (libs e5c53d648, whose
 * PPM_EVENT_MAX is 336). Each event's parameters start with the list 0.29.3
 * declares for that type (later libs only append parameters, and 0.29.3
 * reads min(its count, the event's count)). Syscalls today's libs record
 * with newer types (dup2, dup3, accept4, pipe2, newfstatat, ...) use those
 * types, numbered as in libs (sc_events.h): sysdig 0.29.3 skips them when
 * reading, and the file stays readable by it. */
#pragma once

/* Event types (enum ppm_event_type). */
#define PPME_GENERIC_E 0
#define PPME_GENERIC_X 1
#define PPME_SYSCALL_OPEN_E 2
#define PPME_SYSCALL_OPEN_X 3
#define PPME_SYSCALL_CLOSE_E 4
#define PPME_SYSCALL_CLOSE_X 5
#define PPME_SYSCALL_READ_E 6
#define PPME_SYSCALL_READ_X 7
#define PPME_SYSCALL_WRITE_E 8
#define PPME_SYSCALL_WRITE_X 9
#define PPME_SOCKET_SOCKET_E 18
#define PPME_SOCKET_SOCKET_X 19
#define PPME_SOCKET_BIND_E 20
#define PPME_SOCKET_BIND_X 21
#define PPME_SOCKET_CONNECT_E 22
#define PPME_SOCKET_CONNECT_X 23
#define PPME_SOCKET_LISTEN_E 24
#define PPME_SOCKET_LISTEN_X 25
#define PPME_SOCKET_SENDTO_E 30
#define PPME_SOCKET_SENDTO_X 31
#define PPME_SOCKET_RECVFROM_E 34
#define PPME_SOCKET_RECVFROM_X 35
#define PPME_SOCKET_SENDMSG_E 48
#define PPME_SOCKET_SENDMSG_X 49
#define PPME_SOCKET_RECVMSG_E 52
#define PPME_SOCKET_RECVMSG_X 53
#define PPME_SYSCALL_CREAT_E 58
#define PPME_SYSCALL_CREAT_X 59
#define PPME_SYSCALL_PIPE_E 60
#define PPME_SYSCALL_PIPE_X 61
#define PPME_SYSCALL_STAT_E 66
#define PPME_SYSCALL_STAT_X 67
#define PPME_SYSCALL_LSTAT_E 68
#define PPME_SYSCALL_LSTAT_X 69
#define PPME_SYSCALL_FSTAT_E 70
#define PPME_SYSCALL_FSTAT_X 71
#define PPME_SYSCALL_EPOLLWAIT_E 78
#define PPME_SYSCALL_EPOLLWAIT_X 79
#define PPME_SYSCALL_POLL_E 80
#define PPME_SYSCALL_POLL_X 81
#define PPME_SYSCALL_CHDIR_E 94
#define PPME_SYSCALL_CHDIR_X 95
#define PPME_SYSCALL_FCHDIR_E 96
#define PPME_SYSCALL_FCHDIR_X 97
#define PPME_SYSCALL_PREAD_E 112
#define PPME_SYSCALL_PREAD_X 113
#define PPME_SYSCALL_PWRITE_E 114
#define PPME_SYSCALL_PWRITE_X 115
#define PPME_SYSCALL_READV_E 116
#define PPME_SYSCALL_READV_X 117
#define PPME_SYSCALL_WRITEV_E 118
#define PPME_SYSCALL_WRITEV_X 119
#define PPME_SYSCALL_PREADV_E 120
#define PPME_SYSCALL_PREADV_X 121
#define PPME_SYSCALL_PWRITEV_E 122
#define PPME_SYSCALL_PWRITEV_X 123
#define PPME_SYSCALL_DUP_E 124
#define PPME_SYSCALL_DUP_X 125
#define PPME_SYSCALL_FCNTL_E 150
#define PPME_SYSCALL_FCNTL_X 151
#define PPME_SYSCALL_MMAP_E 160
#define PPME_SYSCALL_MMAP_X 161
#define PPME_SYSCALL_MUNMAP_E 164
#define PPME_SYSCALL_MUNMAP_X 165
#define PPME_SYSCALL_RENAME_E 174
#define PPME_SYSCALL_RENAME_X 175
#define PPME_SYSCALL_RENAMEAT_E 176
#define PPME_SYSCALL_RENAMEAT_X 177
#define PPME_PROCEXIT_1_E 186
#define PPME_SYSCALL_SETRESUID_E 192
#define PPME_SYSCALL_SETRESUID_X 193
#define PPME_SYSCALL_SETRESGID_E 194
#define PPME_SYSCALL_SETRESGID_X 195
#define PPME_SYSCALL_SETUID_E 198
#define PPME_SYSCALL_SETUID_X 199
#define PPME_SYSCALL_SETGID_E 200
#define PPME_SYSCALL_SETGID_X 201
#define PPME_SYSCALL_CLONE_20_E 222
#define PPME_SYSCALL_CLONE_20_X 223
#define PPME_SYSCALL_FORK_20_E 224
#define PPME_SYSCALL_FORK_20_X 225
#define PPME_SYSCALL_VFORK_20_E 226
#define PPME_SYSCALL_VFORK_20_X 227
#define PPME_SOCKET_ACCEPT_5_E 246
#define PPME_SOCKET_ACCEPT_5_X 247
#define PPME_SOCKET_ACCEPT4_5_E 248
#define PPME_SOCKET_ACCEPT4_5_X 249
#define PPME_SYSCALL_MKDIR_2_E 276
#define PPME_SYSCALL_MKDIR_2_X 277
#define PPME_SYSCALL_RMDIR_2_E 278
#define PPME_SYSCALL_RMDIR_2_X 279
#define PPME_SYSCALL_EXECVE_19_E 292
#define PPME_SYSCALL_EXECVE_19_X 293
#define PPME_SYSCALL_UNLINK_2_E 300
#define PPME_SYSCALL_UNLINK_2_X 301
#define PPME_SYSCALL_UNLINKAT_2_E 302
#define PPME_SYSCALL_UNLINKAT_2_X 303
#define PPME_SYSCALL_MKDIRAT_E 304
#define PPME_SYSCALL_MKDIRAT_X 305
#define PPME_SYSCALL_OPENAT_2_E 306
#define PPME_SYSCALL_OPENAT_2_X 307
#define PPME_SYSCALL_RENAMEAT2_E 318
#define PPME_SYSCALL_RENAMEAT2_X 319
#define PPME_SYSCALL_OPENAT2_E 326
#define PPME_SYSCALL_OPENAT2_X 327
#define PPME_SYSCALL_EXECVEAT_E 330
#define PPME_SYSCALL_EXECVEAT_X 331
#define PPME_SYSCALL_CLONE3_E 334
#define PPME_SYSCALL_CLONE3_X 335
/* Types past this are libs' newer ones (sc_events.h). */
#define RCH_SYSDIG_EVENT_MAX 336

/* Open flags (PPM_O_*). */
#define PPM_O_RDONLY (1 << 0)
#define PPM_O_WRONLY (1 << 1)
#define PPM_O_RDWR (PPM_O_RDONLY | PPM_O_WRONLY)
#define PPM_O_CREAT (1 << 2)
#define PPM_O_APPEND (1 << 3)
#define PPM_O_DSYNC (1 << 4)
#define PPM_O_EXCL (1 << 5)
#define PPM_O_NONBLOCK (1 << 6)
#define PPM_O_SYNC (1 << 7)
#define PPM_O_TRUNC (1 << 8)
#define PPM_O_DIRECT (1 << 9)
#define PPM_O_DIRECTORY (1 << 10)
#define PPM_O_LARGEFILE (1 << 11)
#define PPM_O_CLOEXEC (1 << 12)
#define PPM_O_TMPFILE (1 << 13)

/* Linux x86_64 open flags (octal, as in asm-generic/fcntl.h). */
#define L_O_ACCMODE 00000003
#define L_O_WRONLY 00000001
#define L_O_RDWR 00000002
#define L_O_CREAT 00000100
#define L_O_EXCL 00000200
#define L_O_TRUNC 00001000
#define L_O_APPEND 00002000
#define L_O_NONBLOCK 00004000
#define L_O_DSYNC 00010000
#define L_O_DIRECT 00040000
#define L_O_LARGEFILE 00100000
#define L_O_DIRECTORY 00200000
#define L_O_CLOEXEC 02000000
#define L_O_SYNC 04000000 /* __O_SYNC; O_SYNC = __O_SYNC | O_DSYNC */
#define L_O_TMPFILE 020000000

static __always_inline __u32 open_flags_to_scap(__u64 f) {
	__u32 r;
	switch(f & L_O_ACCMODE) {
	case L_O_WRONLY: r = PPM_O_WRONLY; break;
	case L_O_RDWR: r = PPM_O_RDWR; break;
	default: r = PPM_O_RDONLY; break;
	}
	if(f & L_O_CREAT) r |= PPM_O_CREAT;
	if(f & L_O_TMPFILE) r |= PPM_O_TMPFILE;
	if(f & L_O_APPEND) r |= PPM_O_APPEND;
	if(f & L_O_DSYNC) r |= PPM_O_DSYNC;
	if(f & L_O_EXCL) r |= PPM_O_EXCL;
	if(f & L_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	if(f & L_O_SYNC) r |= PPM_O_SYNC;
	if(f & L_O_TRUNC) r |= PPM_O_TRUNC;
	if(f & L_O_DIRECT) r |= PPM_O_DIRECT;
	if(f & L_O_DIRECTORY) r |= PPM_O_DIRECTORY;
	if(f & L_O_LARGEFILE) r |= PPM_O_LARGEFILE;
	if(f & L_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	return r;
}

/* PPM_S_* mode bits coincide with the octal permission bits; the driver
 * reports a mode only when the file may be created. */
static __always_inline __u32 open_mode_to_scap(__u64 flags, __u64 mode) {
	if(!(flags & (L_O_CREAT | L_O_TMPFILE))) return 0;
	return (__u32)(mode & 07777);
}

/* Clone flags (PPM_CL_*). */
#define L_CLONE_VM 0x00000100
#define L_CLONE_FS 0x00000200
#define L_CLONE_FILES 0x00000400
#define L_CLONE_SIGHAND 0x00000800
#define L_CLONE_PTRACE 0x00002000
#define L_CLONE_VFORK 0x00004000
#define L_CLONE_PARENT 0x00008000
#define L_CLONE_THREAD 0x00010000
#define L_CLONE_NEWNS 0x00020000
#define L_CLONE_SYSVSEM 0x00040000
#define L_CLONE_SETTLS 0x00080000
#define L_CLONE_PARENT_SETTID 0x00100000
#define L_CLONE_CHILD_CLEARTID 0x00200000
#define L_CLONE_UNTRACED 0x00800000
#define L_CLONE_CHILD_SETTID 0x01000000
#define L_CLONE_NEWCGROUP 0x02000000
#define L_CLONE_NEWUTS 0x04000000
#define L_CLONE_NEWIPC 0x08000000
#define L_CLONE_NEWUSER 0x10000000
#define L_CLONE_NEWPID 0x20000000
#define L_CLONE_NEWNET 0x40000000
#define L_CLONE_IO 0x80000000

static __always_inline __u32 clone_flags_to_scap(__u64 f) {
	__u32 r = 0;
	if(f & L_CLONE_FILES) r |= 1 << 0;
	if(f & L_CLONE_FS) r |= 1 << 1;
	if(f & L_CLONE_IO) r |= 1 << 2;
	if(f & L_CLONE_NEWIPC) r |= 1 << 3;
	if(f & L_CLONE_NEWNET) r |= 1 << 4;
	if(f & L_CLONE_NEWNS) r |= 1 << 5;
	if(f & L_CLONE_NEWPID) r |= 1 << 6;
	if(f & L_CLONE_NEWUTS) r |= 1 << 7;
	if(f & L_CLONE_PARENT) r |= 1 << 8;
	if(f & L_CLONE_PARENT_SETTID) r |= 1 << 9;
	if(f & L_CLONE_PTRACE) r |= 1 << 10;
	if(f & L_CLONE_SIGHAND) r |= 1 << 11;
	if(f & L_CLONE_SYSVSEM) r |= 1 << 12;
	if(f & L_CLONE_THREAD) r |= 1 << 13;
	if(f & L_CLONE_UNTRACED) r |= 1 << 14;
	if(f & L_CLONE_VM) r |= 1 << 15;
	if(f & L_CLONE_NEWUSER) r |= 1 << 20;
	if(f & L_CLONE_CHILD_CLEARTID) r |= 1 << 23;
	if(f & L_CLONE_CHILD_SETTID) r |= 1 << 24;
	if(f & L_CLONE_SETTLS) r |= 1 << 25;
	if(f & L_CLONE_VFORK) r |= 1 << 27;
	if(f & L_CLONE_NEWCGROUP) r |= 1 << 28;
	return r;
}

/* fcntl commands (PPM_FCNTL_*). */
static __always_inline __u8 fcntl_cmd_to_scap(__u64 cmd) {
	switch(cmd) {
	case 0: return 1;     /* F_DUPFD */
	case 1: return 2;     /* F_GETFD */
	case 2: return 3;     /* F_SETFD */
	case 3: return 4;     /* F_GETFL */
	case 4: return 5;     /* F_SETFL */
	case 5: return 6;     /* F_GETLK */
	case 6: return 8;     /* F_SETLK */
	case 7: return 9;     /* F_SETLKW */
	case 8: return 10;    /* F_SETOWN */
	case 9: return 12;    /* F_GETOWN */
	case 10: return 13;   /* F_SETSIG */
	case 11: return 15;   /* F_GETSIG */
	case 15: return 21;   /* F_SETOWN_EX */
	case 16: return 22;   /* F_GETOWN_EX */
	case 1024: return 23; /* F_SETLEASE */
	case 1025: return 24; /* F_GETLEASE */
	case 1029: return 25; /* F_CANCELLK */
	case 1030: return 26; /* F_DUPFD_CLOEXEC */
	case 1026: return 27; /* F_NOTIFY */
	case 1031: return 28; /* F_SETPIPE_SZ */
	case 1032: return 29; /* F_GETPIPE_SZ */
	case 36: return 30;   /* F_OFD_GETLK */
	case 37: return 31;   /* F_OFD_SETLK */
	case 38: return 32;   /* F_OFD_SETLKW */
	default: return 0;
	}
}

/* mmap protection / flags (PPM_PROT_*, PPM_MAP_*); MAP_FILE is 0 on Linux. */
static __always_inline __u32 prot_to_scap(__u64 p) {
	__u32 r = 0;
	if(p & 1) r |= 1 << 0;          /* READ */
	if(p & 2) r |= 1 << 1;          /* WRITE */
	if(p & 4) r |= 1 << 2;          /* EXEC */
	if(p & 8) r |= 1 << 3;          /* SEM */
	if(p & 0x01000000) r |= 1 << 4; /* GROWSDOWN */
	if(p & 0x02000000) r |= 1 << 5; /* GROWSUP */
	return r;
}

static __always_inline __u32 mmap_flags_to_scap(__u64 f) {
	__u32 r = 0;
	if(f & 0x01) r |= 1 << 0;     /* SHARED */
	if(f & 0x02) r |= 1 << 1;     /* PRIVATE */
	if(f & 0x10) r |= 1 << 2;     /* FIXED */
	if(f & 0x20) r |= 1 << 3;     /* ANONYMOUS */
	if(f & 0x40) r |= 1 << 4;     /* 32BIT */
	if(f & 0x4000) r |= 1 << 6;   /* NORESERVE */
	if(f & 0x8000) r |= 1 << 7;   /* POPULATE */
	if(f & 0x10000) r |= 1 << 8;  /* NONBLOCK */
	if(f & 0x100) r |= 1 << 9;    /* GROWSDOWN */
	if(f & 0x800) r |= 1 << 10;   /* DENYWRITE */
	if(f & 0x1000) r |= 1 << 11;  /* EXECUTABLE */
	if(f & 0x2000) r |= 1 << 14;  /* LOCKED */
	return r;
}

/* poll events (PPM_POLL*). */
static __always_inline __u16 poll_events_to_scap(short ev) {
	__u16 r = 0;
	if(ev & 0x001) r |= 1 << 0;  /* POLLIN */
	if(ev & 0x002) r |= 1 << 1;  /* POLLPRI */
	if(ev & 0x004) r |= 1 << 2;  /* POLLOUT */
	if(ev & 0x2000) r |= 1 << 3; /* POLLRDHUP */
	if(ev & 0x008) r |= 1 << 4;  /* POLLERR */
	if(ev & 0x010) r |= 1 << 5;  /* POLLHUP */
	if(ev & 0x020) r |= 1 << 6;  /* POLLNVAL */
	if(ev & 0x040) r |= 1 << 7;  /* POLLRDNORM */
	if(ev & 0x080) r |= 1 << 8;  /* POLLRDBAND */
	if(ev & 0x100) r |= 1 << 9;  /* POLLWRNORM */
	if(ev & 0x200) r |= 1 << 10; /* POLLWRBAND */
	return r;
}

/* ---- conversions of the table-driven syscalls (sc_table.h C_*) ----------
 * Values as libs' driver/ppm_flag_helpers.h produces them; where the PPM_*
 * bits equal the x86_64 kernel bits the conversion is a mask. */

/* O_NONBLOCK / O_CLOEXEC only (eventfd2, signalfd4, inotify_init1,
 * timerfd_create, accept4, dup3); negative flags give 0. */
static __always_inline __u32 fdfl_to_scap(__u64 f) {
	if((__s32)f < 0) return 0;
	__u32 r = 0;
	if(f & L_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	if(f & L_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	return r;
}

static __always_inline __u32 pipe2_flags_to_scap(__u64 f) {
	if((__s32)f < 0) return 0;
	__u32 r = 0;
	if(f & L_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	if(f & L_O_DIRECT) r |= PPM_O_DIRECT;
	if(f & L_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	return r;
}

static __always_inline __u16 futex_op_to_scap(__u64 op) {
	__u16 base = op & 127;
	__u16 r = base <= 12 ? base : 0; /* FUTEX_WAIT .. FUTEX_CMP_REQUEUE_PI */
	return r | (op & 384);           /* PRIVATE_FLAG 128, CLOCK_REALTIME 256 */
}

static __always_inline __u32 semctl_cmd_to_scap(__u64 cmd) {
	switch(cmd) {
	case 2: return 1 << 0;   /* IPC_STAT */
	case 1: return 1 << 1;   /* IPC_SET */
	case 0: return 1 << 2;   /* IPC_RMID */
	case 3: return 1 << 3;   /* IPC_INFO */
	case 19: return 1 << 4;  /* SEM_INFO */
	case 18: return 1 << 5;  /* SEM_STAT */
	case 13: return 1 << 6;  /* GETALL */
	case 14: return 1 << 7;  /* GETNCNT */
	case 11: return 1 << 8;  /* GETPID */
	case 12: return 1 << 9;  /* GETVAL */
	case 15: return 1 << 10; /* GETZCNT */
	case 17: return 1 << 11; /* SETALL */
	case 16: return 1 << 12; /* SETVAL */
	default: return 0;
	}
}

static __always_inline __u16 ptrace_req_to_scap(__u64 req) {
	if(req <= 9) return (__u16)req + 1; /* TRACEME .. SINGLESTEP */
	switch(req) {
	case 12: return 26; /* GETREGS */
	case 13: return 27; /* SETREGS */
	case 14: return 28; /* GETFPREGS */
	case 15: return 29; /* SETFPREGS */
	case 16: return 11; /* ATTACH */
	case 17: return 12; /* DETACH */
	case 18: return 30; /* GETFPXREGS */
	case 19: return 31; /* SETFPXREGS */
	case 21: return 32; /* OLDSETOPTIONS */
	case 24: return 13; /* SYSCALL */
	case 25: return 33; /* GET_THREAD_AREA */
	case 26: return 34; /* SET_THREAD_AREA */
	case 30: return 35; /* ARCH_PRCTL */
	case 31: return 36; /* SYSEMU */
	case 32: return 37; /* SYSEMU_SINGLESTEP */
	case 33: return 38; /* SINGLEBLOCK */
	case 0x4200: return 14; /* SETOPTIONS */
	case 0x4201: return 15; /* GETEVENTMSG */
	case 0x4202: return 16; /* GETSIGINFO */
	case 0x4203: return 17; /* SETSIGINFO */
	case 0x4204: return 18; /* GETREGSET */
	case 0x4205: return 19; /* SETREGSET */
	case 0x4206: return 20; /* SEIZE */
	case 0x4207: return 21; /* INTERRUPT */
	case 0x4208: return 22; /* LISTEN */
	case 0x4209: return 23; /* PEEKSIGINFO */
	case 0x420a: return 24; /* GETSIGMASK */
	case 0x420b: return 25; /* SETSIGMASK */
	default: return 0;
	}
}

/* mknod: permission bits (PPM_S_* equal the octal bits) and the file type
 * (PPM_S_IF* equal the kernel's; type 0 means a regular file). */
static __always_inline __u32 mknod_mode_to_scap(__u64 m) {
	__u32 r = m & 07777;
	__u32 t = m & 0170000;
	if(t == 0) t = 0100000;
	if(t == 0140000 || t == 0100000 || t == 0060000 || t == 0020000 || t == 0010000) r |= t;
	return r;
}

/* quotactl command (cmd >> SUBCMDSHIFT) -> PPM_Q_*. */
static __always_inline __u16 quotactl_cmd_to_scap(__u64 cmd) {
	/* cmd is QCMD(subcmd, type) = subcmd << 8 | type, an int */
	switch((__u32)cmd >> 8) {
	case 0x800001: return 1 << 7;  /* Q_SYNC */
	case 0x800002: return 1 << 0;  /* Q_QUOTAON */
	case 0x800003: return 1 << 1;  /* Q_QUOTAOFF */
	case 0x800004: return 1 << 2;  /* Q_GETFMT */
	case 0x800005: return 1 << 3;  /* Q_GETINFO */
	case 0x800006: return 1 << 4;  /* Q_SETINFO */
	case 0x800007: return 1 << 5;  /* Q_GETQUOTA */
	case 0x800008: return 1 << 6;  /* Q_SETQUOTA */
	case 0x5801: return 1 << 8;  /* Q_XQUOTAON */
	case 0x5802: return 1 << 9;  /* Q_XQUOTAOFF */
	case 0x5803: return 1 << 10; /* Q_XGETQUOTA */
	case 0x5804: return 1 << 11; /* Q_XSETQLIM */
	case 0x5805: return 1 << 12; /* Q_XGETQSTAT */
	case 0x5806: return 1 << 13; /* Q_XQUOTARM */
	case 0x5807: return 1 << 14; /* Q_XQUOTASYNC */
	default: return 0;
	}
}

/* openat2 resolve flags (RESOLVE_*) -> PPM_RESOLVE_*. */
static __always_inline __u32 openat2_resolve_to_scap(__u64 f) {
	__u32 r = 0;
	if(f & 0x01) r |= 1 << 4; /* NO_XDEV */
	if(f & 0x02) r |= 1 << 2; /* NO_MAGICLINKS */
	if(f & 0x04) r |= 1 << 3; /* NO_SYMLINKS */
	if(f & 0x08) r |= 1 << 0; /* BENEATH */
	if(f & 0x10) r |= 1 << 1; /* IN_ROOT */
	if(f & 0x20) r |= 1 << 5; /* CACHED */
	return r;
}

/* io_uring_setup flags -> PPM_IORING_SETUP_*; libs also reports bit 0 as
 * PPM_IORING_SQ_NEED_WAKEUP (IORING_SQ_NEED_WAKEUP is 1 as well). */
static __always_inline __u32 io_uring_setup_flags_to_scap(__u64 f) {
	__u32 r = f & 3;                /* IOPOLL, SQPOLL */
	if(f & 1) r |= 1 << 2;          /* SQ_NEED_WAKEUP */
	r |= (__u32)(f & 0x7c) << 1;    /* SQ_AFF .. R_DISABLED */
	return r;
}
