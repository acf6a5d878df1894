/* Table-driven syscall events: for each x86_64 syscall that falcosecurity/libs
 * HEAD (driver/syscall_table.c) records with a dedicated event and that
 * rchisel.bpf.c does not encode by hand, the enter and exit event types and
 * one small opcode per parameter, in the order of libs' event table. The
 * parameters and their encodings follow libs' modern probe
 * (driver/modern_bpf/programs/tail_called/events/syscall_dispatched_events/);
 * emit_table() in rchisel.bpf.c interprets them.
 *
 * An opcode is src | kind << 3 | aux << 8:
 *   src  0..5 = syscall argument n, 6 = return value, 7 = none (the value is
 *        aux, or -1 when aux is 255);
 *   kind how the value becomes a parameter (K_*; 0: an empty parameter),
 *   aux its detail. */
#pragma once
#include "sc_events.h"

#define S_RET 6
#define S_NONE 7

enum {
	K_I64 = 1,   /* 8 bytes, the value as is */
	K_FD,        /* 8 bytes, (s64)(s32) */
	K_U32,       /* 4 bytes */
	K_U16,       /* 2 bytes */
	K_U8,        /* 1 byte */
	K_STR,       /* user string at v; aux 1: only when ret > 0, else empty */
	K_BUFRET,    /* user bytes at v, ret of them (snaplen) */
	K_BUFARG,    /* user bytes at v, exactly (u16)arg[aux] of them (not cut at
	              * the snaplen, as libs' init_module img) */
	K_C32,       /* 4 bytes, conv(aux, v) */
	K_C16,       /* 2 bytes, conv(aux, v) */
	K_C8,        /* 1 byte, conv(aux, v) */
	K_UFD,       /* 8 bytes: the int at user v + aux * 4; -1 when ret < 0 */
	K_UU32,      /* 4 bytes: the u32 at user v + aux * 4 (0 if unreadable) */
	K_UI64,      /* 8 bytes: the s64 at user v + (aux & 7) * 8; aux & 8: only
	              * when ret == 0; -1 otherwise or if unreadable */
	K_TS,        /* 8 bytes: struct timespec at user v in ns (0 if none) */
	K_PIPEINO,   /* 8 bytes: inode of the fd at user v (pipe2) when ret == 0 */
	K_RETFILE,   /* the file of fd ret: aux 0 dev (u32), 1 ino (u64), 2 path */
	K_VM,        /* three u32 parameters: vm_size, vm_rss, vm_swap (KiB) */
	K_FDLIST,    /* pollfd array at v, arg[aux & 7] entries; aux & 8: enter */
	K_IOV,       /* iovec data at v, arg[aux] entries, ret bytes (snaplen) */
	K_SKPAIR,    /* 8 bytes: socket of the fd at user v; aux 1: its peer */
	K_SEMBUF,    /* sembuf aux >> 2 at user v, field aux & 3 (num, op, flg);
	              * 0 unless ret == 0 */
	K_CAP,       /* 8 bytes: current credentials; aux 0 inh, 1 perm, 2 eff */
	K_SOCKOPT,   /* PT_DYN sockopt value as libs encodes it by level and
	              * optname: v = optval, aux = optlen arg; aux & 8: optlen is
	              * a pointer (getsockopt) */
	K_PRCTL,     /* prctl arg2: aux 0 the string form, 1 the integer form */
	K_FSCVAL,    /* fsconfig value: aux 0 the byte form, 1 the string form */
	K_SEMVAL,    /* 4 bytes: semctl's arg3 when cmd is SETVAL, else 0 */
	K_QUOTA,     /* quotactl, v = addr: aux 0 quotafilepath (Q_QUOTAON's
	              * path, else empty); aux 1 the 9 u64 + 2 u8 parameters
	              * dqb_* (if_dqblk at v for Q_GETQUOTA/Q_SETQUOTA), dqi_*
	              * (if_dqinfo at v for Q_GETINFO/Q_SETINFO), each field only
	              * when its valid bit is set, and quota_fmt_out (the u32 at
	              * v for Q_GETFMT) */
	K_IOUP,      /* 4 bytes, struct io_uring_params at user v: aux 0 flags,
	              * 1 features (libs' conversions) */
	K_PTRACE,    /* PT_DYN ptrace param: aux 0 addr (v; 0 when ret < 0),
	              * 1 data (by request: the u64 at v for PEEK*, a signal for
	              * CONT/SINGLESTEP/DETACH/SYSCALL, else v; 0 when ret < 0) */
	K_KEYCTL,    /* PT_DYN keyctl arg<aux> (2..5), v = that argument: an
	              * int64 or a string by operation, 0 when unused */
};

/* Conversions (aux of K_C*, CV_*), as libs' driver/ppm_flag_helpers.h. */
enum {
	CV_OPEN = 1, CV_ACCESS, CV_PROT, CV_CLONE, CV_FUTEX, CV_WHENCE, CV_FLOCK,
	CV_SEMGET, CV_SEMCTL, CV_PTRACE, CV_MOUNT, CV_UMOUNT2, CV_LINKAT, CV_FCHOWNAT,
	CV_NEWFSTATAT, CV_FDFL, CV_PIPE2, CV_EPOLL1, CV_MEMFD, CV_PIDFD, CV_SPLICE,
	CV_MLOCK2, CV_MLOCKALL, CV_MODE, CV_MKNOD, CV_DELMOD, CV_FINITMOD,
	CV_CLOSERANGE, CV_IOURING_ENTER, CV_SHUTDOWN, CV_RLIMIT, CV_DEV, CV_SOLEVEL,
	CV_SONAME, CV_UNLINKAT, CV_QCMD, CV_QTYPE, CV_QFMT, CV_QID, CV_LOW16,
};

_Static_assert(K_KEYCTL < 32, "kinds fit in 5 bits");
#define OP(s, k, x) ((__u16)((s) | ((k) << 3) | ((x) << 8)))
#define R OP(S_RET, K_I64, 0)      /* res / PT_ERRNO */
#define RFD OP(S_RET, K_FD, 0)     /* res as an fd */
#define I64(n) OP(n, K_I64, 0)
#define FD(n) OP(n, K_FD, 0)
#define U32(n) OP(n, K_U32, 0)
#define U16(n) OP(n, K_U16, 0)
#define U8(n) OP(n, K_U8, 0)
#define STR(n) OP(n, K_STR, 0)
#define C32(n, c) OP(n, K_C32, c)
#define C16(n, c) OP(n, K_C16, c)
#define C8(n, c) OP(n, K_C8, c)
#define EMPTY OP(S_NONE, 0, 0)
#define Z32 OP(S_NONE, K_U32, 0)
#define Z8 OP(S_NONE, K_U8, 0)
#define Z64 OP(S_NONE, K_I64, 0)
#define M1_64 OP(S_NONE, K_I64, 255)

#define SC_MAXE 6
#define SC_MAXX 10
struct sc_desc {
	__u16 et;   /* enter event type; 0: none (libs has no enter event) */
	__u16 xt;   /* exit event type; 0: not in the table */
	__u16 ep[SC_MAXE]; /* parameters; the list ends at the first 0 */
	__u16 xp[SC_MAXX];
};

#define SC(nr, e, x, E, X) [nr] = { e, x, E, X }
#define P(...) { __VA_ARGS__ }

static const volatile struct sc_desc rch_sc_table[RCH_SYSCALL_TABLE_SIZE] = {
	SC(8, PPME_SYSCALL_LSEEK_E, PPME_SYSCALL_LSEEK_X, /* lseek */
	   P(FD(0), I64(1), C8(2, CV_WHENCE)), P(R, FD(0), I64(1), C8(2, CV_WHENCE))),
	SC(10, PPME_SYSCALL_MPROTECT_E, PPME_SYSCALL_MPROTECT_X, /* mprotect */
	   P(I64(0), I64(1), C32(2, CV_PROT)), P(R, I64(0), I64(1), C32(2, CV_PROT))),
	SC(12, PPME_SYSCALL_BRK_4_E, PPME_SYSCALL_BRK_4_X, /* brk */
	   P(I64(0)), P(R, OP(S_NONE, K_VM, 0), I64(0))),
	SC(16, PPME_SYSCALL_IOCTL_3_E, PPME_SYSCALL_IOCTL_3_X, /* ioctl */
	   P(FD(0), I64(1), I64(2)), P(R, FD(0), I64(1), I64(2))),
	SC(21, PPME_SYSCALL_ACCESS_E, PPME_SYSCALL_ACCESS_X, /* access */
	   P(C32(1, CV_ACCESS)), P(R, STR(0), C32(1, CV_ACCESS))),
	SC(23, PPME_SYSCALL_SELECT_E, PPME_SYSCALL_SELECT_X, P(0), P(R)), /* select */
	SC(32, PPME_SYSCALL_DUP_1_E, PPME_SYSCALL_DUP_1_X, P(FD(0)), P(RFD, FD(0))), /* dup */
	SC(33, PPME_SYSCALL_DUP2_E, PPME_SYSCALL_DUP2_X, P(FD(0)), P(RFD, FD(0), FD(1))), /* dup2 */
	SC(35, PPME_SYSCALL_NANOSLEEP_E, PPME_SYSCALL_NANOSLEEP_X, /* nanosleep */
	   P(OP(0, K_TS, 0)), P(R, OP(0, K_TS, 0))),
	SC(40, PPME_SYSCALL_SENDFILE_E, PPME_SYSCALL_SENDFILE_X, /* sendfile */
	   P(FD(0), FD(1), OP(2, K_UI64, 0), I64(3)), P(R, OP(2, K_UI64, 0), FD(0), FD(1), I64(3))),
	SC(48, PPME_SOCKET_SHUTDOWN_E, PPME_SOCKET_SHUTDOWN_X, /* shutdown */
	   P(FD(0), C8(1, CV_SHUTDOWN)), P(R, FD(0), C8(1, CV_SHUTDOWN))),
	SC(51, PPME_SOCKET_GETSOCKNAME_E, PPME_SOCKET_GETSOCKNAME_X, P(0), P(0)),
	SC(52, PPME_SOCKET_GETPEERNAME_E, PPME_SOCKET_GETPEERNAME_X, P(0), P(0)),
	SC(53, PPME_SOCKET_SOCKETPAIR_E, PPME_SOCKET_SOCKETPAIR_X, /* socketpair */
	   P(U32(0), U32(1), U32(2)),
	   P(R, OP(3, K_UFD, 0), OP(3, K_UFD, 1), OP(3, K_SKPAIR, 0), OP(3, K_SKPAIR, 1),
	     U32(0), U32(1), U32(2))),
	SC(54, PPME_SOCKET_SETSOCKOPT_E, PPME_SOCKET_SETSOCKOPT_X, /* setsockopt */
	   P(0), P(R, FD(0), C8(1, CV_SOLEVEL), C8(2, CV_SONAME), OP(3, K_SOCKOPT, 4), C32(4, CV_LOW16))),
	SC(55, PPME_SOCKET_GETSOCKOPT_E, PPME_SOCKET_GETSOCKOPT_X, /* getsockopt */
	   P(0), P(R, FD(0), C8(1, CV_SOLEVEL), C8(2, CV_SONAME), OP(3, K_SOCKOPT, 4 | 8),
	           OP(4, K_UU32, 0))),
	SC(62, PPME_SYSCALL_KILL_E, PPME_SYSCALL_KILL_X, /* kill */
	   P(FD(0), U8(1)), P(R, FD(0), U8(1))),
	SC(64, PPME_SYSCALL_SEMGET_E, PPME_SYSCALL_SEMGET_X, /* semget */
	   P(U32(0), U32(1), C32(2, CV_SEMGET)), P(R, U32(0), U32(1), C32(2, CV_SEMGET))),
	SC(65, PPME_SYSCALL_SEMOP_E, PPME_SYSCALL_SEMOP_X, /* semop */
	   P(U32(0)),
	   P(R, U32(2), OP(1, K_SEMBUF, 0), OP(1, K_SEMBUF, 1), OP(1, K_SEMBUF, 2),
	     OP(1, K_SEMBUF, 4), OP(1, K_SEMBUF, 5), OP(1, K_SEMBUF, 6), U32(0))),
	SC(66, PPME_SYSCALL_SEMCTL_E, PPME_SYSCALL_SEMCTL_X, /* semctl */
	   P(U32(0), U32(1), C16(2, CV_SEMCTL), OP(3, K_SEMVAL, 0)),
	   P(R, U32(0), U32(1), C16(2, CV_SEMCTL), OP(3, K_SEMVAL, 0))),
	SC(73, PPME_SYSCALL_FLOCK_E, PPME_SYSCALL_FLOCK_X, /* flock */
	   P(FD(0), C32(1, CV_FLOCK)), P(R, FD(0), C32(1, CV_FLOCK))),
	SC(78, PPME_SYSCALL_GETDENTS_E, PPME_SYSCALL_GETDENTS_X, P(FD(0)), P(R, FD(0))),
	SC(79, PPME_SYSCALL_GETCWD_E, PPME_SYSCALL_GETCWD_X, P(0), P(R, OP(0, K_STR, 1))),
	SC(86, PPME_SYSCALL_LINK_2_E, PPME_SYSCALL_LINK_2_X, P(0), P(R, STR(0), STR(1))),
	SC(88, PPME_SYSCALL_SYMLINK_E, PPME_SYSCALL_SYMLINK_X, P(0), P(R, STR(0), STR(1))),
	SC(90, PPME_SYSCALL_CHMOD_E, PPME_SYSCALL_CHMOD_X, P(0), P(R, STR(0), C32(1, CV_MODE))),
	SC(91, PPME_SYSCALL_FCHMOD_E, PPME_SYSCALL_FCHMOD_X, P(0), P(R, FD(0), C32(1, CV_MODE))),
	SC(92, PPME_SYSCALL_CHOWN_E, PPME_SYSCALL_CHOWN_X, P(0), P(R, STR(0), U32(1), U32(2))),
	SC(93, PPME_SYSCALL_FCHOWN_E, PPME_SYSCALL_FCHOWN_X, P(0), P(R, FD(0), U32(1), U32(2))),
	SC(94, PPME_SYSCALL_LCHOWN_E, PPME_SYSCALL_LCHOWN_X, P(0), P(R, STR(0), U32(1), U32(2))),
	SC(97, PPME_SYSCALL_GETRLIMIT_E, PPME_SYSCALL_GETRLIMIT_X, /* getrlimit */
	   P(C8(0, CV_RLIMIT)), P(R, OP(1, K_UI64, 8), OP(1, K_UI64, 9), C8(0, CV_RLIMIT))),
	SC(101, PPME_SYSCALL_PTRACE_E, PPME_SYSCALL_PTRACE_X, /* ptrace */
	   P(C16(0, CV_PTRACE), FD(1)),
	   P(R, OP(2, K_PTRACE, 0), OP(3, K_PTRACE, 1), C16(0, CV_PTRACE), FD(1))),
	SC(102, PPME_SYSCALL_GETUID_E, PPME_SYSCALL_GETUID_X, P(0), P(OP(S_RET, K_U32, 0))),
	SC(104, PPME_SYSCALL_GETGID_E, PPME_SYSCALL_GETGID_X, P(0), P(OP(S_RET, K_U32, 0))),
	SC(107, PPME_SYSCALL_GETEUID_E, PPME_SYSCALL_GETEUID_X, P(0), P(OP(S_RET, K_U32, 0))),
	SC(108, PPME_SYSCALL_GETEGID_E, PPME_SYSCALL_GETEGID_X, P(0), P(OP(S_RET, K_U32, 0))),
	SC(109, PPME_SYSCALL_SETPGID_E, PPME_SYSCALL_SETPGID_X, /* setpgid */
	   P(FD(0), FD(1)), P(R, FD(0), FD(1))),
	SC(112, PPME_SYSCALL_SETSID_E, PPME_SYSCALL_SETSID_X, P(0), P(R)),
	SC(113, PPME_SYSCALL_SETREUID_E, PPME_SYSCALL_SETREUID_X, P(0), P(R, U32(0), U32(1))),
	SC(114, PPME_SYSCALL_SETREGID_E, PPME_SYSCALL_SETREGID_X, P(0), P(R, U32(0), U32(1))),
	SC(118, PPME_SYSCALL_GETRESUID_E, PPME_SYSCALL_GETRESUID_X, /* getresuid */
	   P(0), P(R, OP(0, K_UU32, 0), OP(1, K_UU32, 0), OP(2, K_UU32, 0))),
	SC(120, PPME_SYSCALL_GETRESGID_E, PPME_SYSCALL_GETRESGID_X, /* getresgid */
	   P(0), P(R, OP(0, K_UU32, 0), OP(1, K_UU32, 0), OP(2, K_UU32, 0))),
	SC(126, PPME_SYSCALL_CAPSET_E, PPME_SYSCALL_CAPSET_X, /* capset */
	   P(0), P(R, OP(S_NONE, K_CAP, 0), OP(S_NONE, K_CAP, 1), OP(S_NONE, K_CAP, 2))),
	SC(133, PPME_SYSCALL_MKNOD_E, PPME_SYSCALL_MKNOD_X, /* mknod */
	   P(0), P(R, STR(0), C32(1, CV_MKNOD), C32(2, CV_DEV))),
	SC(149, PPME_SYSCALL_MLOCK_E, PPME_SYSCALL_MLOCK_X, P(0), P(R, I64(0), I64(1))),
	SC(150, PPME_SYSCALL_MUNLOCK_E, PPME_SYSCALL_MUNLOCK_X, P(0), P(R, I64(0), I64(1))),
	SC(151, PPME_SYSCALL_MLOCKALL_E, PPME_SYSCALL_MLOCKALL_X, P(0), P(R, C32(0, CV_MLOCKALL))),
	SC(152, PPME_SYSCALL_MUNLOCKALL_E, PPME_SYSCALL_MUNLOCKALL_X, P(0), P(R)),
	SC(157, PPME_SYSCALL_PRCTL_E, PPME_SYSCALL_PRCTL_X, /* prctl */
	   P(0), P(R, U32(0), OP(1, K_PRCTL, 0), OP(1, K_PRCTL, 1))),
	SC(160, PPME_SYSCALL_SETRLIMIT_E, PPME_SYSCALL_SETRLIMIT_X, /* setrlimit */
	   P(C8(0, CV_RLIMIT)), P(R, OP(1, K_UI64, 0), OP(1, K_UI64, 1), C8(0, CV_RLIMIT))),
	SC(161, PPME_SYSCALL_CHROOT_E, PPME_SYSCALL_CHROOT_X, P(0), P(R, STR(0))),
	SC(165, PPME_SYSCALL_MOUNT_E, PPME_SYSCALL_MOUNT_X, /* mount */
	   P(C32(3, CV_MOUNT)), P(R, STR(0), STR(1), STR(2), C32(3, CV_MOUNT))),
	SC(166, PPME_SYSCALL_UMOUNT2_E, PPME_SYSCALL_UMOUNT2_X, /* umount2 */
	   P(C32(1, CV_UMOUNT2)), P(R, STR(0), C32(1, CV_UMOUNT2))),
	SC(175, PPME_SYSCALL_INIT_MODULE_E, PPME_SYSCALL_INIT_MODULE_X, /* init_module */
	   P(0), P(R, OP(0, K_BUFARG, 1), I64(1), STR(2))),
	SC(176, PPME_SYSCALL_DELETE_MODULE_E, PPME_SYSCALL_DELETE_MODULE_X, /* delete_module */
	   P(0), P(R, STR(0), C32(1, CV_DELMOD))),
	SC(179, PPME_SYSCALL_QUOTACTL_E, PPME_SYSCALL_QUOTACTL_X, /* quotactl */
	   P(C16(0, CV_QCMD), C8(0, CV_QTYPE), U32(2), C8(2, CV_QFMT)),
	   P(R, STR(1), OP(3, K_QUOTA, 0), OP(3, K_QUOTA, 1), C16(0, CV_QCMD), C8(0, CV_QTYPE),
	     C32(2, CV_QID), C8(2, CV_QFMT))),
	SC(200, PPME_SYSCALL_TKILL_E, PPME_SYSCALL_TKILL_X, /* tkill */
	   P(FD(0), U8(1)), P(R, FD(0), U8(1))),
	SC(202, PPME_SYSCALL_FUTEX_E, PPME_SYSCALL_FUTEX_X, /* futex */
	   P(I64(0), C16(1, CV_FUTEX), I64(2)), P(R, I64(0), C16(1, CV_FUTEX), I64(2))),
	SC(213, PPME_SYSCALL_EPOLL_CREATE_E, PPME_SYSCALL_EPOLL_CREATE_X, /* epoll_create */
	   P(U32(0)), P(R, U32(0))),
	SC(217, PPME_SYSCALL_GETDENTS64_E, PPME_SYSCALL_GETDENTS64_X, P(FD(0)), P(R, FD(0))),
	SC(234, PPME_SYSCALL_TGKILL_E, PPME_SYSCALL_TGKILL_X, /* tgkill */
	   P(FD(0), FD(1), U8(2)), P(R, FD(0), FD(1), U8(2))),
	SC(250, 0, PPME_SYSCALL_KEYCTL_X, /* keyctl: libs has no enter event */
	   P(0), P(R, U32(0), OP(1, K_KEYCTL, 2), OP(2, K_KEYCTL, 3), OP(3, K_KEYCTL, 4),
	           OP(4, K_KEYCTL, 5))),
	SC(253, PPME_SYSCALL_INOTIFY_INIT_E, PPME_SYSCALL_INOTIFY_INIT_X, P(Z8), P(RFD, Z8)),
	SC(259, PPME_SYSCALL_MKNODAT_E, PPME_SYSCALL_MKNODAT_X, /* mknodat */
	   P(0), P(R, FD(0), STR(1), C32(2, CV_MKNOD), C32(3, CV_DEV))),
	SC(260, PPME_SYSCALL_FCHOWNAT_E, PPME_SYSCALL_FCHOWNAT_X, /* fchownat */
	   P(0), P(R, FD(0), STR(1), U32(2), U32(3), C32(4, CV_FCHOWNAT))),
	SC(262, PPME_SYSCALL_NEWFSTATAT_E, PPME_SYSCALL_NEWFSTATAT_X, /* newfstatat */
	   P(0), P(R, FD(0), STR(1), C32(3, CV_NEWFSTATAT))),
	SC(265, PPME_SYSCALL_LINKAT_2_E, PPME_SYSCALL_LINKAT_2_X, /* linkat */
	   P(0), P(R, FD(0), STR(1), FD(2), STR(3), C32(4, CV_LINKAT))),
	SC(266, PPME_SYSCALL_SYMLINKAT_E, PPME_SYSCALL_SYMLINKAT_X, /* symlinkat */
	   P(0), P(R, STR(0), FD(1), STR(2))),
	SC(268, PPME_SYSCALL_FCHMODAT_E, PPME_SYSCALL_FCHMODAT_X, /* fchmodat */
	   P(0), P(R, FD(0), STR(1), C32(2, CV_MODE))),
	SC(271, PPME_SYSCALL_PPOLL_E, PPME_SYSCALL_PPOLL_X, /* ppoll */
	   P(OP(0, K_FDLIST, 1 | 8), OP(2, K_TS, 0), OP(3, K_UU32, 0)),
	   P(R, OP(0, K_FDLIST, 1), OP(2, K_TS, 0), OP(3, K_UU32, 0))),
	SC(272, PPME_SYSCALL_UNSHARE_E, PPME_SYSCALL_UNSHARE_X, /* unshare */
	   P(C32(0, CV_CLONE)), P(R, C32(0, CV_CLONE))),
	SC(275, PPME_SYSCALL_SPLICE_E, PPME_SYSCALL_SPLICE_X, /* splice */
	   P(FD(0), FD(2), I64(4), C32(5, CV_SPLICE)), P(R, FD(0), FD(2), I64(4), C32(5, CV_SPLICE))),
	SC(282, PPME_SYSCALL_SIGNALFD_E, PPME_SYSCALL_SIGNALFD_X, /* signalfd */
	   P(FD(0), Z32, Z8), P(RFD, FD(0), Z32, Z8)),
	SC(283, PPME_SYSCALL_TIMERFD_CREATE_E, PPME_SYSCALL_TIMERFD_CREATE_X, /* timerfd_create */
	   P(U8(0), C8(1, CV_FDFL)), P(RFD, U8(0), C8(1, CV_FDFL))),
	SC(284, PPME_SYSCALL_EVENTFD_E, PPME_SYSCALL_EVENTFD_X, /* eventfd */
	   P(I64(0), Z32), P(RFD, I64(0), Z32)),
	SC(289, PPME_SYSCALL_SIGNALFD4_E, PPME_SYSCALL_SIGNALFD4_X, /* signalfd4 */
	   P(FD(0), Z32), P(RFD, C16(3, CV_FDFL), FD(0), Z32)),
	SC(290, PPME_SYSCALL_EVENTFD2_E, PPME_SYSCALL_EVENTFD2_X, /* eventfd2 */
	   P(I64(0)), P(RFD, C16(1, CV_FDFL), I64(0))),
	SC(291, PPME_SYSCALL_EPOLL_CREATE1_E, PPME_SYSCALL_EPOLL_CREATE1_X, /* epoll_create1 */
	   P(C32(0, CV_EPOLL1)), P(R, C32(0, CV_EPOLL1))),
	SC(292, PPME_SYSCALL_DUP3_E, PPME_SYSCALL_DUP3_X, /* dup3 */
	   P(FD(0)), P(RFD, FD(0), FD(1), C32(2, CV_FDFL))),
	SC(293, PPME_SYSCALL_PIPE2_E, PPME_SYSCALL_PIPE2_X, /* pipe2 */
	   P(0), P(R, OP(0, K_UFD, 0), OP(0, K_UFD, 1), OP(0, K_PIPEINO, 0), C32(1, CV_PIPE2))),
	SC(294, PPME_SYSCALL_INOTIFY_INIT1_E, PPME_SYSCALL_INOTIFY_INIT1_X, /* inotify_init1 */
	   P(0), P(RFD, C16(0, CV_FDFL))),
	/* recvmmsg, sendmmsg: exit events by emit_mmsg_exit(), one per message */
	SC(299, PPME_SOCKET_RECVMMSG_E, PPME_SOCKET_RECVMMSG_X, P(0), P(0)),
	SC(302, PPME_SYSCALL_PRLIMIT_E, PPME_SYSCALL_PRLIMIT_X, /* prlimit64 */
	   P(FD(0), C8(1, CV_RLIMIT)),
	   P(R, OP(2, K_UI64, 0), OP(2, K_UI64, 1), OP(3, K_UI64, 8), OP(3, K_UI64, 9), FD(0),
	     C8(1, CV_RLIMIT))),
	SC(304, PPME_SYSCALL_OPEN_BY_HANDLE_AT_E, PPME_SYSCALL_OPEN_BY_HANDLE_AT_X,
	   P(0), P(RFD, FD(0), C32(2, CV_OPEN), OP(S_NONE, K_RETFILE, 2), OP(S_NONE, K_RETFILE, 0),
	           OP(S_NONE, K_RETFILE, 1))),
	SC(307, PPME_SOCKET_SENDMMSG_E, PPME_SOCKET_SENDMMSG_X, P(0), P(0)),
	SC(308, PPME_SYSCALL_SETNS_E, PPME_SYSCALL_SETNS_X, /* setns */
	   P(FD(0), C32(1, CV_CLONE)), P(R, FD(0), C32(1, CV_CLONE))),
	SC(310, PPME_SYSCALL_PROCESS_VM_READV_E, PPME_SYSCALL_PROCESS_VM_READV_X,
	   P(0), P(R, I64(0), OP(1, K_IOV, 2))),
	SC(311, PPME_SYSCALL_PROCESS_VM_WRITEV_E, PPME_SYSCALL_PROCESS_VM_WRITEV_X,
	   P(0), P(R, I64(0), OP(1, K_IOV, 2))),
	SC(313, PPME_SYSCALL_FINIT_MODULE_E, PPME_SYSCALL_FINIT_MODULE_X, /* finit_module */
	   P(0), P(R, FD(0), STR(1), C32(2, CV_FINITMOD))),
	SC(317, PPME_SYSCALL_SECCOMP_E, PPME_SYSCALL_SECCOMP_X, /* seccomp */
	   P(I64(0), I64(1)), P(R, I64(0), I64(1))),
	SC(319, PPME_SYSCALL_MEMFD_CREATE_E, PPME_SYSCALL_MEMFD_CREATE_X, /* memfd_create */
	   P(0), P(RFD, STR(0), C32(1, CV_MEMFD))),
	SC(321, PPME_SYSCALL_BPF_2_E, PPME_SYSCALL_BPF_2_X, /* bpf */
	   P(I64(0)), P(RFD, U32(0))),
	SC(323, PPME_SYSCALL_USERFAULTFD_E, PPME_SYSCALL_USERFAULTFD_X, /* userfaultfd */
	   P(0), P(R, U32(0))),
	SC(325, PPME_SYSCALL_MLOCK2_E, PPME_SYSCALL_MLOCK2_X, /* mlock2 */
	   P(0), P(R, I64(0), I64(1), C32(2, CV_MLOCK2))),
	SC(326, PPME_SYSCALL_COPY_FILE_RANGE_E, PPME_SYSCALL_COPY_FILE_RANGE_X,
	   P(FD(0), I64(1), I64(4)), P(R, FD(2), I64(3), FD(0), I64(1), I64(4))),
	SC(425, PPME_SYSCALL_IO_URING_SETUP_E, PPME_SYSCALL_IO_URING_SETUP_X, /* io_uring_setup */
	   P(0), P(R, U32(0), OP(1, K_UU32, 0), OP(1, K_UU32, 1), OP(1, K_IOUP, 0),
	           OP(1, K_UU32, 3), OP(1, K_UU32, 4), OP(1, K_IOUP, 1))),
	SC(426, PPME_SYSCALL_IO_URING_ENTER_E, PPME_SYSCALL_IO_URING_ENTER_X, /* io_uring_enter */
	   P(0), P(R, FD(0), U32(1), U32(2), C32(3, CV_IOURING_ENTER), U32(4))),
	SC(427, PPME_SYSCALL_IO_URING_REGISTER_E, PPME_SYSCALL_IO_URING_REGISTER_X,
	   P(0), P(R, FD(0), U16(1), I64(2), U32(3))),
	SC(431, PPME_SYSCALL_FSCONFIG_E, PPME_SYSCALL_FSCONFIG_X, /* fsconfig */
	   P(0), P(R, FD(0), U32(1), STR(2), OP(3, K_FSCVAL, 0), OP(3, K_FSCVAL, 1), U32(4))),
	SC(434, PPME_SYSCALL_PIDFD_OPEN_E, PPME_SYSCALL_PIDFD_OPEN_X, /* pidfd_open */
	   P(0), P(RFD, FD(0), C32(1, CV_PIDFD))),
	SC(436, 0, PPME_SYSCALL_CLOSE_RANGE_X, /* close_range: libs has no enter event */
	   P(0), P(R, U32(0), U32(1), C32(2, CV_CLOSERANGE))),
	SC(438, PPME_SYSCALL_PIDFD_GETFD_E, PPME_SYSCALL_PIDFD_GETFD_X, /* pidfd_getfd */
	   P(0), P(RFD, FD(0), FD(1), U32(2))),
};
