/* Calls every x86_64 syscall that falcosecurity/libs records with a dedicated
 * event (tests/data/libs_dedicated_syscalls.txt), one after the other, between
 * two marker calls (access of /rchisel-sc-begin and /rchisel-sc-end). Almost
 * all fail on purpose (bad fds, nonexistent paths, bad pointers, invalid
 * flags); the few that succeed change nothing outside this process. Built
 * and run by tests/live_syscalls.rs, watched by rchisel and strace at once.
 *
 * Every call is written T(name, args...) (or noted with a T(name) comment
 * for the libc-wrapped ones): the test reads this file to know which
 * syscalls it covers. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
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

int main(void) {
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
