/* Calls every x86_64 syscall that falcosecurity/libs records with a dedicated
 * event (tests/data/libs_dedicated_syscalls.txt), one after the other, between
 * two marker calls (access of /rchisel-sc-begin and /rchisel-sc-end). Almost
 * all fail on purpose (bad fds, nonexistent paths, bad pointers, invalid
 * flags); the few that succeed change nothing outside this process. Built
 * and run by tests/live_syscalls.rs, watched by rchisel and strace at once.
 *
 * Every call is written T(name, args...) (or noted with a T(name) comment
 * for the libc-wrapped ones): the test reads this file to know which
 * syscalls it covers.
 *
 * `all_syscalls params` runs params() instead (not under strace: it uses
 * ptrace itself): calls whose parameters libs' modern probe reads from user
 * memory or decodes by request, with values chosen here, and prints one
 * line per exit event it expects, `E <event> <param>=<value> ...` (`<event>>`
 * for an enter event; a value
 * `hex:...` is a data buffer, shown by rchisel -b as base64). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/sem.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T(name, ...) syscall(SYS_##name, ##__VA_ARGS__)

#define NOPATH "/nonexistent-rchisel/x"
#define BADPID 0x7ffffff0

static void hex(const void *p, size_t n) {
	printf("hex:");
	for(size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
}

static int udp_bound(struct sockaddr_in *sa) {
	socklen_t l = sizeof(*sa);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if(s < 0 || bind(s, (struct sockaddr *)sa, sizeof(*sa)) || getsockname(s, (struct sockaddr *)sa, &l)) return -1;
	return s;
}

/* sendmmsg of two datagrams from one unconnected UDP socket to another,
 * recvmmsg of both with IP_PKTINFO control data: one exit event per
 * message, each with its own length, data, tuple and control bytes. */
static int mmsg(void) {
	struct sockaddr_in sa, ra, from[2];
	int s = udp_bound(&sa), r = udp_bound(&ra), one = 1;
	if(s < 0 || r < 0) return 1;
	T(setsockopt, r, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	printf("E setsockopt res=0 fd=%d level=0 optname=0 val=", r);
	hex(&one, sizeof(one));
	printf(" optlen=4\n");
	char *part[3] = {"rchisel-mmsg-", "first", "rchisel-mmsg-second!"};
	struct iovec siov[3] = {{part[0], 13}, {part[1], 5}, {part[2], 20}};
	struct mmsghdr sm[2];
	memset(sm, 0, sizeof(sm));
	for(int i = 0; i < 2; i++) {
		sm[i].msg_hdr.msg_name = &ra;
		sm[i].msg_hdr.msg_namelen = sizeof(ra);
	}
	sm[0].msg_hdr.msg_iov = siov;
	sm[0].msg_hdr.msg_iovlen = 2;
	sm[1].msg_hdr.msg_iov = siov + 2;
	sm[1].msg_hdr.msg_iovlen = 1;
	if(T(sendmmsg, s, sm, 2, 0) != 2) return 1;
	for(int i = 0; i < 2; i++) {
		printf("E sendmmsg res=%u fd=%d size=%u data=", sm[i].msg_len, s, sm[i].msg_len);
		hex(i ? "rchisel-mmsg-second!" : "rchisel-mmsg-first", sm[i].msg_len);
		printf(" tuple=127.0.0.1:%d->127.0.0.1:%d\n", ntohs(sa.sin_port), ntohs(ra.sin_port));
	}
	char data[2][32], ctl[2][64];
	struct iovec riov[2] = {{data[0], sizeof(data[0])}, {data[1], sizeof(data[1])}};
	struct mmsghdr rm[2];
	memset(rm, 0, sizeof(rm));
	for(int i = 0; i < 2; i++) {
		rm[i].msg_hdr.msg_name = &from[i];
		rm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		rm[i].msg_hdr.msg_iov = &riov[i];
		rm[i].msg_hdr.msg_iovlen = 1;
		rm[i].msg_hdr.msg_control = ctl[i];
		rm[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
	}
	if(T(recvmmsg, r, rm, 2, 0, NULL) != 2) return 1;
	for(int i = 0; i < 2; i++) {
		printf("E recvmmsg res=%u fd=%d size=%u data=", rm[i].msg_len, r, rm[i].msg_len);
		hex(data[i], rm[i].msg_len);
		printf(" tuple=127.0.0.1:%d->127.0.0.1:%d msgcontrol=", ntohs(from[i].sin_port), ntohs(ra.sin_port));
		hex(ctl[i], rm[i].msg_hdr.msg_controllen);
		printf("\n");
	}
	close(s);
	close(r);
	return 0;
}

/* sendto/recvfrom/sendmsg/recvmsg on unconnected UDP sockets: the tuple
 * takes the remote address from dest_addr/src_addr/msg_name; a failed send
 * still shows its data, not its tuple; recvmsg's control data. */
static int sockio(void) {
	struct sockaddr_in sa, ra, from;
	int s = udp_bound(&sa), r = udp_bound(&ra), one = 1;
	int sp, rp;
	socklen_t fl = sizeof(from);
	char buf[64], ctl[64];
	if(s < 0 || r < 0) return 1;
	sp = ntohs(sa.sin_port);
	rp = ntohs(ra.sin_port);
	T(setsockopt, r, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	printf("E setsockopt res=0 fd=%d level=0 optname=0 optlen=4\n", r);
	const char *m1 = "rchisel-sendto", *m2 = "fail!", *m3 = "rchisel-sendmsg";
	printf("E sendto> fd=%d size=%zu tuple=127.0.0.1:%d->127.0.0.1:%d\n", s, strlen(m1), sp, rp);
	long n = T(sendto, s, m1, strlen(m1), 0, &ra, sizeof(ra));
	printf("E sendto res=%ld data=", n);
	hex(m1, strlen(m1));
	printf(" fd=%d size=%zu tuple=127.0.0.1:%d->127.0.0.1:%d\n", s, strlen(m1), sp, rp);
	printf("E sendto> fd=%d size=%zu tuple=127.0.0.1:%d->0.0.0.0:0\n", s, strlen(m2), sp);
	n = T(sendto, s, m2, strlen(m2), 0, NULL, 0); /* no destination: EDESTADDRREQ */
	printf("E sendto res=%ld data=", n < 0 ? -(long)errno : n);
	hex(m2, strlen(m2));
	printf(" fd=%d size=%zu tuple=NULL\n", s, strlen(m2)); /* an empty tuple */
	n = T(recvfrom, r, buf, sizeof(buf), 0, &from, &fl);
	if(n < 0) return 1;
	printf("E recvfrom res=%ld data=", n);
	hex(buf, n);
	printf(" tuple=127.0.0.1:%d->127.0.0.1:%d fd=%d size=%zu\n", ntohs(from.sin_port), rp, r, sizeof(buf));
	struct iovec iov = {(void *)m3, strlen(m3)};
	struct msghdr mh = {0};
	mh.msg_name = &ra;
	mh.msg_namelen = sizeof(ra);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = T(sendmsg, s, &mh, 0);
	printf("E sendmsg res=%ld data=", n);
	hex(m3, strlen(m3));
	printf(" fd=%d size=%zu tuple=127.0.0.1:%d->127.0.0.1:%d\n", s, strlen(m3), sp, rp);
	struct iovec riov = {buf, sizeof(buf)};
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &riov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl;
	mh.msg_controllen = sizeof(ctl);
	n = T(recvmsg, r, &mh, 0);
	if(n < 0) return 1;
	printf("E recvmsg res=%ld size=%ld data=", n, n);
	hex(buf, n);
	printf(" tuple=127.0.0.1:%d->127.0.0.1:%d msgcontrol=", ntohs(from.sin_port), rp);
	hex(ctl, mh.msg_controllen);
	printf(" fd=%d\n", r);
	close(s);
	close(r);
	return 0;
}

/* setsockopt/getsockopt: the value decoded by option (int, timeout, errno,
 * cookie) or kept as bytes (SO_LINGER, other levels). */
static int sockopts(void) {
	struct sockaddr_in sa;
	int s = udp_bound(&sa), v = 12345, out = 0;
	struct timeval tv = {2, 500000};
	struct linger lg = {1, 5};
	uint64_t cookie = 0;
	socklen_t len;
	if(s < 0) return 1;
	T(setsockopt, s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	printf("E setsockopt res=0 fd=%d level=1 optname=8 val=12345 optlen=4\n", s);
	T(setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("E setsockopt res=0 fd=%d level=1 optname=20 val=2500000000 optlen=%zu\n", s, sizeof(tv));
	T(setsockopt, s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	printf("E setsockopt res=0 fd=%d level=1 optname=13 val=", s);
	hex(&lg, sizeof(lg));
	printf(" optlen=%zu\n", sizeof(lg));
	len = sizeof(out);
	T(getsockopt, s, SOL_SOCKET, SO_TYPE, &out, &len);
	printf("E getsockopt res=0 fd=%d level=1 optname=3 val=%d optlen=%u\n", s, out, len);
	len = sizeof(cookie);
	T(getsockopt, s, SOL_SOCKET, SO_COOKIE, &cookie, &len);
	printf("E getsockopt res=0 fd=%d level=1 optname=53 val=%llu optlen=%u\n", s, (unsigned long long)cookie, len);
	/* a datagram to a closed port: the ICMP error becomes SO_ERROR */
	struct sockaddr_in closed = sa;
	closed.sin_port = htons(9); /* discard: nothing listens */
	if(connect(s, (struct sockaddr *)&closed, sizeof(closed))) return 1;
	printf("E sendto> fd=%d size=1 tuple=127.0.0.1:%d->127.0.0.1:9\n", s, ntohs(sa.sin_port));
	if(T(sendto, s, "x", 1, 0, NULL, 0) != 1) return 1;
	printf("E sendto res=1 data=hex:78 fd=%d size=1 tuple=127.0.0.1:%d->127.0.0.1:9\n", s, ntohs(sa.sin_port));
	usleep(100000);
	len = sizeof(out);
	T(getsockopt, s, SOL_SOCKET, SO_ERROR, &out, &len);
	printf("E getsockopt res=0 fd=%d level=1 optname=4 val=%d optlen=%u\n", s, -out, len);
	close(s);
	return 0;
}

/* ptrace of our own child: PEEKDATA (data: the word read), CONT with a
 * signal (data: the signal). */
static int tracing(void) {
	static volatile uint64_t secret = 0x5243484953454c21ull;
	pid_t pid = fork();
	if(pid == 0) {
		T(ptrace, PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	if(pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) return 1;
	uint64_t word = 0;
	long r = T(ptrace, PTRACE_PEEKDATA, pid, &secret, &word);
	printf("E ptrace res=%ld addr=%lX data=%llX request=3 pid=%d\n", r, (unsigned long)&secret,
	       (unsigned long long)word, pid);
	r = T(ptrace, PTRACE_CONT, pid, 0, SIGWINCH);
	printf("E ptrace res=%ld addr=0 data=%d request=8 pid=%d\n", r, SIGWINCH, pid);
	waitpid(pid, &st, 0);
	return word == secret ? 0 : 1;
}

/* quotactl: the if_dqblk / if_dqinfo / format the caller passes, field by
 * field as their valid bits say (the calls fail: no such device). */
static void quotas(void) {
	const char *dev = "/dev/rchisel-no-such-device";
	struct if_dqblk q = {1000, 900, 777, 50, 40, 3, 11111, 22222, QIF_ALL};
	T(quotactl, QCMD(Q_SETQUOTA, USRQUOTA), dev, 4321, &q);
	printf("E quotactl special=%s dqb_bhardlimit=1000 dqb_bsoftlimit=900 dqb_curspace=777 dqb_ihardlimit=50 "
	       "dqb_isoftlimit=40 dqb_btime=11111 dqb_itime=22222 dqi_bgrace=0 dqi_igrace=0 quota_fmt_out=1 cmd=64 "
	       "type=1 id=4321\n", dev);
	q.dqb_valid = QIF_BLIMITS;
	T(quotactl, QCMD(Q_SETQUOTA, GRPQUOTA), dev, 99, &q);
	printf("E quotactl dqb_bhardlimit=1000 dqb_bsoftlimit=900 dqb_curspace=0 dqb_ihardlimit=0 dqb_btime=0 "
	       "cmd=64 type=2 id=99\n");
	struct if_dqinfo qi = {604800, 86400, 1, IIF_ALL};
	T(quotactl, QCMD(Q_SETINFO, USRQUOTA), dev, 4321, &qi);
	printf("E quotactl dqb_bhardlimit=0 dqi_bgrace=604800 dqi_igrace=86400 dqi_flags=1 cmd=16 id=0\n");
	uint32_t fmt = QFMT_VFS_V0;
	T(quotactl, QCMD(Q_GETFMT, USRQUOTA), dev, 0, &fmt);
	printf("E quotactl quota_fmt_out=4 cmd=4 quota_fmt=1\n");
	T(quotactl, QCMD(Q_QUOTAON, USRQUOTA), dev, QFMT_VFS_V1, "/rchisel-quota-file");
	printf("E quotactl quotafilepath=/rchisel-quota-file quota_fmt_out=1 cmd=1 id=0 quota_fmt=8\n");
}

/* keyctl: arguments as ints or strings by operation, unused ones 0. */
static void keys(void) {
	char desc[64];
	T(keyctl, 10 /* KEYCTL_SEARCH */, (long)-3 /* session keyring */, "user", "rchisel-no-such-key", 0);
	printf("E keyctl operation=10 arg2=-3 arg3=user arg4=rchisel-no-such-key arg5=0\n");
	T(keyctl, 6 /* KEYCTL_DESCRIBE */, (long)-3, desc, sizeof(desc), 99);
	printf("E keyctl operation=6 arg2=-3 arg3=%ld arg4=%zu arg5=0\n", (long)desc, sizeof(desc));
	T(keyctl, 3 /* KEYCTL_REVOKE */, 0x7ffffff1, 7, 8, 9);
	printf("E keyctl operation=3 arg2=%d arg3=0 arg4=0 arg5=0\n", 0x7ffffff1);
}

/* semop: the first two sembufs, only when the call succeeded; init_module:
 * the whole image (not cut at the snaplen) and its arguments. */
static int sems_modules(void) {
	struct sembuf ops[2] = {{0, 1, IPC_NOWAIT}, {0, -1, IPC_NOWAIT | SEM_UNDO}};
	int id = T(semget, IPC_PRIVATE, 1, 0600);
	if(id < 0) return 1;
	long r = T(semop, id, ops, 2);
	printf("E semop res=%ld nsops=2 sem_num_0=0 sem_op_0=1 sem_flg_0=1 sem_num_1=0 sem_op_1=-1 sem_flg_1=3 "
	       "semid=%d\n", r, id);
	T(semop, -1, ops, 2);
	printf("E semop nsops=2 sem_num_0=0 sem_op_0=0 sem_flg_0=0 sem_op_1=0 sem_flg_1=0 semid=-1\n");
	T(semctl, id, 0, IPC_RMID, 0);
	unsigned char img[300];
	for(int i = 0; i < (int)sizeof(img); i++) img[i] = (unsigned char)(i * 7 + 3);
	T(init_module, img, sizeof(img), "rchisel=1");
	printf("E init_module img=");
	hex(img, sizeof(img));
	printf(" length=%zu uargs=rchisel=1\n", sizeof(img));
	return 0;
}

static int params(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid %d\n", getpid());
	if(mmsg() || sockio() || sockopts() || tracing() || sems_modules()) return 1;
	quotas();
	keys();
	return 0;
}

int main(int argc, char **argv) {
	if(argc > 1 && !strcmp(argv[1], "params")) return params();
	char buf[64];
	struct stat st;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr msg = {0};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	struct timeval tv = {0, 0};
	struct timespec ts = {0, 0};
	int one = 1;
	socklen_t len = sizeof(one);
	int fds[2];
	uint64_t how[3] = {O_RDONLY, 0, 0};
	uint64_t mask = 0;
	int futex_word = 0;
	long r;

	T(access, "/rchisel-sc-begin", F_OK);

	T(read, -1, buf, 1);
	T(write, -1, buf, 1);
	T(open, NOPATH, O_RDONLY);
	T(close, -1);
	T(stat, NOPATH, &st);
	T(fstat, -1, &st);
	T(lstat, NOPATH, &st);
	T(poll, NULL, 0, 0);
	T(lseek, -1, 0, SEEK_SET);
	T(mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0);
	T(mprotect, (void *)4096, 4096, PROT_READ);
	T(munmap, NULL, 0);
	T(brk, 0);
	T(ioctl, -1, 0, 0);
	T(pread64, -1, buf, 1, 0);
	T(pwrite64, -1, buf, 1, 0);
	T(readv, -1, &iov, 1);
	T(writev, -1, &iov, 1);
	T(access, NOPATH, F_OK);
	T(pipe, NULL);
	T(select, 0, NULL, NULL, NULL, &tv);
	T(dup, -1);
	T(dup2, -1, 100);
	T(nanosleep, NULL, NULL);
	T(sendfile, -1, -1, NULL, 1);
	T(socket, -1, SOCK_STREAM, 0);
	T(connect, -1, NULL, 0);
	T(accept, -1, NULL, NULL);
	T(sendto, -1, buf, 1, 0, NULL, 0);
	T(recvfrom, -1, buf, 1, 0, NULL, NULL);
	T(sendmsg, -1, &msg, 0);
	T(recvmsg, -1, &msg, 0);
	T(shutdown, -1, SHUT_RDWR);
	T(bind, -1, NULL, 0);
	T(listen, -1, 1);
	T(getsockname, -1, NULL, NULL);
	T(getpeername, -1, NULL, NULL);
	T(socketpair, -1, SOCK_STREAM, 0, fds);
	if(T(socketpair, AF_UNIX, SOCK_STREAM, 0, fds) == 0) {
		T(close, fds[0]);
		T(close, fds[1]);
	}
	T(setsockopt, -1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	T(getsockopt, -1, SOL_SOCKET, SO_ERROR, &one, &len);
	T(clone, 0x10000 /* CLONE_THREAD without CLONE_SIGHAND: EINVAL */, NULL, NULL, NULL, 0);
	r = T(fork);
	if(r == 0) T(exit_group, 0);
	if(r > 0) waitpid(r, NULL, 0);
	/* T(vfork) through libc: the child must not return into a wrapper */
	r = vfork();
	if(r == 0) _exit(0);
	if(r > 0) waitpid(r, NULL, 0);
	T(execve, NOPATH, NULL, NULL);
	T(kill, BADPID, 0);
	T(semget, 0x7fab1234, 1, 0);
	T(semop, -1, NULL, 0);
	T(semctl, -1, 0, 2 /* IPC_STAT */, 0);
	T(fcntl, -1, F_GETFD);
	T(flock, -1, 1 /* LOCK_SH */);
	T(getdents, -1, buf, 0);
	T(getcwd, buf, 1);
	T(chdir, NOPATH);
	T(fchdir, -1);
	T(rename, NOPATH, NOPATH "2");
	T(mkdir, NOPATH, 0755);
	T(rmdir, NOPATH);
	T(creat, NOPATH, 0644);
	T(link, NOPATH, NOPATH "2");
	T(unlink, NOPATH);
	T(symlink, "x", NOPATH);
	T(chmod, NOPATH, 0644);
	T(fchmod, -1, 0644);
	T(chown, NOPATH, 0, 0);
	T(fchown, -1, 0, 0);
	T(lchown, NOPATH, 0, 0);
	T(getrlimit, 7 /* RLIMIT_NOFILE */, NULL);
	T(ptrace, 2 /* PTRACE_PEEKDATA */, BADPID, 0, 0);
	T(getuid);
	T(getgid);
	T(setuid, -1);
	T(setgid, -1);
	T(geteuid);
	T(getegid);
	T(setpgid, -1, 0);
	T(setsid);
	T(setreuid, -1, -1);
	T(setregid, -1, -1);
	T(setresuid, -1, -1, -1);
	T(getresuid, NULL, NULL, NULL);
	T(setresgid, -1, -1, -1);
	T(getresgid, NULL, NULL, NULL);
	T(capset, NULL, NULL);
	T(mknod, NOPATH, S_IFIFO | 0644, 0);
	T(mlock, NULL, 0);
	T(munlock, NULL, 0);
	T(mlockall, 0);
	T(munlockall);
	T(prctl, -1, 0, 0, 0, 0);
	T(setrlimit, 7, NULL);
	T(chroot, NOPATH);
	T(mount, "none", NOPATH, "tmpfs", 0, NULL);
	T(umount2, NOPATH, 0);
	T(init_module, NULL, 0, "");
	T(delete_module, "rchisel_no_such_module", O_NONBLOCK);
	T(quotactl, 0, NULL, 0, NULL);
	T(tkill, -1, 0);
	T(futex, &futex_word, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	T(epoll_create, 0);
	T(getdents64, -1, buf, 0);
	T(epoll_wait, -1, buf, 1, 0);
	T(tgkill, -1, -1, 0);
	T(keyctl, -1, 0, 0, 0, 0);
	r = T(inotify_init);
	if(r >= 0) T(close, r);
	T(openat, AT_FDCWD, NOPATH, O_RDONLY);
	T(mkdirat, -1, "x", 0755);
	T(mknodat, -1, "x", S_IFIFO | 0644, 0);
	T(fchownat, -1, "x", 0, 0, 0);
	T(newfstatat, -1, "x", &st, 0);
	T(unlinkat, -1, "x", 0);
	T(renameat, -1, "x", -1, "y");
	T(linkat, -1, "x", -1, "y", 0);
	T(symlinkat, "x", -1, "y");
	T(fchmodat, -1, "x", 0644);
	T(ppoll, NULL, 0, &ts, NULL, 8);
	T(unshare, 1 /* not a namespace flag: EINVAL */);
	T(splice, -1, NULL, -1, NULL, 1, 0);
	T(signalfd, -1, &mask, 1 /* bad mask size: EINVAL */);
	T(timerfd_create, -1, 0);
	r = T(eventfd, 0);
	if(r >= 0) T(close, r);
	T(accept4, -1, NULL, NULL, 0);
	T(signalfd4, -1, &mask, 1, 0);
	T(eventfd2, 0, -1);
	T(epoll_create1, -1);
	T(dup3, -1, 100, 0);
	T(pipe2, NULL, 0);
	T(inotify_init1, -1);
	T(preadv, -1, &iov, 1, 0, 0);
	T(pwritev, -1, &iov, 1, 0, 0);
	T(recvmmsg, -1, NULL, 0, 0, NULL);
	T(prlimit64, 0, 7, NULL, NULL);
	T(open_by_handle_at, -1, NULL, 0);
	T(sendmmsg, -1, NULL, 0, 0);
	T(setns, -1, 0);
	T(process_vm_readv, -1, NULL, 0, NULL, 0, 0);
	T(process_vm_writev, -1, NULL, 0, NULL, 0, 0);
	T(finit_module, -1, "", 0);
	T(renameat2, -1, "x", -1, "y", 0);
	T(seccomp, 999, 0, NULL);
	T(memfd_create, NULL, 0);
	T(bpf, 9999, NULL, 0);
	T(execveat, -1, "x", NULL, NULL, 0);
	T(userfaultfd, -1);
	T(mlock2, NULL, 0, -1);
	T(copy_file_range, -1, NULL, -1, NULL, 1, 0);
	T(io_uring_setup, 0, NULL);
	T(io_uring_enter, -1, 0, 0, 0, NULL, 0);
	T(io_uring_register, -1, 0, NULL, 0);
	T(fsconfig, -1, 0, NULL, NULL, 0);
	T(pidfd_open, BADPID, 0);
	T(clone3, NULL, 0);
	T(close_range, 100000, 99999, 0);
	T(openat2, AT_FDCWD, NOPATH, how, sizeof(how));
	T(pidfd_getfd, -1, 0, 0);

	T(access, "/rchisel-sc-end", F_OK);
	return 0;
}
