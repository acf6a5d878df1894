/* Process and file parameters that libs' modern probe reads from the kernel
 * (not from the syscall's arguments), exercised with values known here
 * independently of the probe. Built and run by tests/live_syscalls.rs
 * (`live_process_params_match_kernel`) while rchisel records.
 *
 * Usage: proc_params DIR (a fresh empty directory). Prints one line per
 * event it expects, `P <tid> <event> <param>=<value> ...`, where a value is
 * the parameter's number; `<param>&<mask>=<value>` compares the masked
 * number; `<param>/<div>~=<value>` compares number/div within 1 (clock ticks
 * of /proc/PID/stat against nanoseconds); a key written `@<param>` selects,
 * among the thread's events of that type, those with that value (then the
 * n-th such line takes the n-th such event). `note ...` lines say
 * what was skipped (e.g. no overlayfs).
 *
 * Covered: openat/open/openat2/creat created bit (PPM_O_F_CREATED) and
 * overlay layers (PPM_FD_UPPER_LAYER / LOWER_LAYER, creat_flags), execve's
 * tty and exe flags (PPM_EXE_WRITABLE, UPPER/LOWER_LAYER, FROM_MEMFD),
 * clone's PPM_CL_CHILD_IN_PIDNS and pidns_init_start_ts, procexit's
 * reaper_tid (a child subreaper, another live thread, no children); a failed
 * execve/execveat's filename, exe, args and env from its own arguments;
 * connect's tuple when connected, none when refused. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>
#include <sys/sysmacros.h>
#include <linux/openat2.h>

#define CREATED 0x4000
#define UPPER 0x8000
#define LOWER 0x10000
#define LAYERS (CREATED | UPPER | LOWER)

static const char *dir;
static char truebin[4096];

static void die(const char *what) {
	fprintf(stderr, "proc_params: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *path(const char *name) {
	static char b[8][4096];
	static int i;
	char *p = b[i++ & 7];
	snprintf(p, 4096, "%s/%s", dir, name);
	return p;
}

static void copy_file(const char *from, int to) {
	int in = open(from, O_RDONLY);
	if(in < 0) die(from);
	char buf[65536];
	ssize_t n;
	while((n = read(in, buf, sizeof(buf))) > 0)
		if(write(to, buf, n) != n) die("write copy");
	close(in);
}

static void copy_to(const char *from, const char *to, mode_t mode) {
	int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if(fd < 0) die(to);
	copy_file(from, fd);
	close(fd);
}

static void wait_ok(pid_t p) {
	int st;
	if(waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "proc_params: child %d failed (status %d)\n", p, st);
		exit(1);
	}
}

/* Runs `file` in a child after `prep` (may be NULL); returns the child's pid. */
static pid_t run(const char *file, void (*prep)(void)) {
	pid_t p = fork();
	if(p < 0) die("fork");
	if(p == 0) {
		if(prep) prep();
		char *argv[] = {(char *)file, NULL};
		execv(file, argv);
		_exit(127);
	}
	wait_ok(p);
	return p;
}

static void files(void) {
	/* openat: created, then opened again (exists: not created). */
	int fd = openat(AT_FDCWD, path("new"), O_WRONLY | O_CREAT, 0755);
	if(fd < 0) die("openat new");
	close(fd);
	printf("P %d openat @name=%s flags&%d=%d\n", getpid(), path("new"), LAYERS, CREATED);
	fd = openat(AT_FDCWD, path("new"), O_WRONLY | O_CREAT, 0755);
	if(fd < 0) die("openat new again");
	close(fd);
	printf("P %d openat @name=%s flags&%d=0\n", getpid(), path("new"), LAYERS);
	fd = syscall(SYS_open, path("new_open"), O_RDWR | O_CREAT | O_EXCL, 0600);
	if(fd < 0) die("open new_open");
	close(fd);
	printf("P %d open @name=%s flags&%d=%d\n", getpid(), path("new_open"), LAYERS, CREATED);
	struct open_how how = {.flags = O_RDWR | O_CREAT, .mode = 0600};
	fd = syscall(SYS_openat2, AT_FDCWD, path("new_openat2"), &how, sizeof(how));
	if(fd < 0) die("openat2 new_openat2");
	close(fd);
	printf("P %d openat2 @name=%s flags&%d=%d\n", getpid(), path("new_openat2"), LAYERS, CREATED);
	fd = syscall(SYS_creat, path("new_creat"), 0640);
	if(fd < 0) die("creat");
	close(fd);
	printf("P %d creat @name=%s creat_flags=0\n", getpid(), path("new_creat"));
}

static void overlay(void) {
	char opts[3 * 4096 + 64];
	const char *subs[] = {"ovl", "ovl/lower", "ovl/upper", "ovl/work", "ovl/merged"};
	for(int i = 0; i < 5; i++)
		if(mkdir(path(subs[i]), 0755)) die(subs[i]);
	copy_to(truebin, path("ovl/lower/lowtrue"), 0755);
	copy_to(truebin, path("ovl/upper/uptrue"), 0755);
	close(open(path("ovl/lower/low"), O_WRONLY | O_CREAT, 0644));
	close(open(path("ovl/upper/up"), O_WRONLY | O_CREAT, 0644));
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", path("ovl/lower"), path("ovl/upper"),
	         path("ovl/work"));
	if(mount("overlay", path("ovl/merged"), "overlay", 0, opts)) {
		printf("note overlayfs not mountable here (%s): overlay layers not checked\n", strerror(errno));
		return;
	}
	int pid = getpid();
	int fd = open(path("ovl/merged/low"), O_RDONLY);
	if(fd < 0) die("open merged/low");
	close(fd);
	printf("P %d openat @name=%s flags&%d=%d\n", pid, path("ovl/merged/low"), LAYERS, LOWER);
	fd = open(path("ovl/merged/up"), O_RDONLY);
	if(fd < 0) die("open merged/up");
	close(fd);
	printf("P %d openat @name=%s flags&%d=%d\n", pid, path("ovl/merged/up"), LAYERS, UPPER);
	fd = open(path("ovl/merged/made"), O_WRONLY | O_CREAT, 0644);
	if(fd < 0) die("open merged/made");
	close(fd);
	printf("P %d openat @name=%s flags&%d=%d\n", pid, path("ovl/merged/made"), LAYERS, CREATED | UPPER);
	fd = syscall(SYS_creat, path("ovl/merged/made_creat"), 0644);
	if(fd < 0) die("creat merged/made_creat");
	close(fd);
	printf("P %d creat @name=%s creat_flags=1\n", pid, path("ovl/merged/made_creat"));
	pid_t c = run(path("ovl/merged/lowtrue"), NULL);
	printf("P %d execve flags&10=8\n", c);
	c = run(path("ovl/merged/uptrue"), NULL);
	printf("P %d execve flags&10=2\n", c);
	if(umount(path("ovl/merged"))) die("umount");
}

static void as_nobody(void) {
	if(setgroups(0, NULL) || setgid(65534) || setuid(65534)) _exit(3);
}

static void new_session(void) {
	if(setsid() < 0) _exit(3);
}

static int pts_fd = -1;
static char pts_name[256];

static void on_pty(void) {
	if(setsid() < 0) _exit(3);
	int fd = open(pts_name, O_RDWR); /* a session leader's first tty: its controlling terminal */
	if(fd < 0) _exit(4);
}

static void exec_flags(void) {
	/* root owns /bin/true's copy: writable (owner); nobody: not writable. */
	copy_to(truebin, path("true"), 0755);
	pid_t c = run(path("true"), NULL);
	printf("P %d execve flags&15=1\n", c);
	c = run(path("true"), as_nobody);
	printf("P %d execve flags&15=0\n", c);
	/* A memfd, executed through its fd (glibc fexecve: execveat AT_EMPTY_PATH). */
	c = fork();
	if(c < 0) die("fork");
	if(c == 0) {
		int m = memfd_create("rchisel-memfd", 0);
		if(m < 0) _exit(5);
		copy_file(truebin, m);
		char *argv[] = {"memfd-true", NULL};
		char *envp[] = {NULL};
		syscall(SYS_execveat, m, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	wait_ok(c);
	/* A successful execveat exits as execve on x86_64 (libs records it so too). */
	printf("P %d execve flags&15=5\n", c);
}

/* Failed calls show their own filename, argv and envp (libs reads them from
 * the arguments then), not the caller's. */
static void failed_execs(void) {
	char *argv[] = {"rch-exe", "arg1", "arg two", NULL};
	char *envp[] = {"RCH_A=1", "RCH_B=two", NULL};
	const char *nf = "/nonexistent-rchisel/prog";
	/* args and env as NUL-separated bytes, in hex */
	char args[128] = "", env[128] = "";
	const char a[] = "arg1\0arg two", e[] = "RCH_A=1\0RCH_B=two";
	for(size_t i = 0; i < sizeof(a); i++) sprintf(args + 2 * i, "%02x", (unsigned char)a[i]);
	for(size_t i = 0; i < sizeof(e); i++) sprintf(env + 2 * i, "%02x", (unsigned char)e[i]);
	if(execve(nf, argv, envp) != -1 || errno != ENOENT) die("execve of a missing file");
	printf("P %d execve @res=-2 filename=%s exe=rch-exe args=hex:%s env=hex:%s\n", getpid(), nf, args, env);
	if(syscall(SYS_execveat, AT_FDCWD, nf, argv, envp, 0) != -1 || errno != ENOENT) die("execveat of a missing file");
	printf("P %d execveat @res=-2 exe=rch-exe args=hex:%s env=hex:%s\n", getpid(), args, env);
}

static void ttys(void) {
	pid_t c = run(truebin, new_session);
	printf("P %d execve tty=0\n", c);
	pts_fd = posix_openpt(O_RDWR | O_NOCTTY);
	if(pts_fd < 0 || grantpt(pts_fd) || unlockpt(pts_fd)) die("posix_openpt");
	if(ptsname_r(pts_fd, pts_name, sizeof(pts_name))) die("ptsname");
	struct stat st;
	if(stat(pts_name, &st)) die(pts_name);
	/* The device number as the kernel encodes it for user space (new_encode_dev). */
	unsigned maj = major(st.st_rdev), min = minor(st.st_rdev);
	unsigned enc = (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
	c = run(truebin, on_pty);
	printf("P %d execve tty=%u\n", c, enc);
	close(pts_fd);
}

/* Field 22 of /proc/PID/stat: start time in clock ticks after boot. */
static unsigned long long start_ticks(pid_t p) {
	char f[64], b[1024];
	snprintf(f, sizeof(f), "/proc/%d/stat", p);
	int fd = open(f, O_RDONLY);
	if(fd < 0) die(f);
	ssize_t n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if(n <= 0) die("read stat");
	b[n] = 0;
	char *s = strrchr(b, ')');
	int field = 2;
	for(; s && *s; s++)
		if(*s == ' ' && ++field == 22) return strtoull(s + 1, NULL, 10);
	return 0;
}

/* Whether this process already lives in a child pid namespace (NSpid has
 * more than one number): then every clone shows PPM_CL_CHILD_IN_PIDNS. */
static unsigned nested_pidns(void) {
	FILE *f = fopen("/proc/self/status", "r");
	if(!f) die("/proc/self/status");
	char line[512];
	unsigned r = 0;
	while(fgets(line, sizeof(line), f)) {
		int a, b;
		if(sscanf(line, "NSpid: %d %d", &a, &b) == 2) r = 1u << 29;
	}
	fclose(f);
	return r;
}

static void pidns(void) {
	long tick = 1000000000L / sysconf(_SC_CLK_TCK);
	unsigned nested = nested_pidns();
	/* An ordinary child: its namespace's init is pid 1. */
	int pp[2];
	if(pipe(pp)) die("pipe");
	pid_t c = fork();
	if(c < 0) die("fork");
	if(c == 0) {
		char x;
		if(read(pp[0], &x, 1) != 1) _exit(2);
		_exit(0);
	}
	printf("P %d clone @res=0 pidns_init_start_ts/%ld~=%llu flags&%u=%u\n", c, tick, start_ticks(1), 1u << 29, nested);
	/* the whole flags: fork (glibc: clone with SIGCHLD|CHILD_SETTID|CHILD_CLEARTID)
	 * shows CHILD_CLEARTID|CHILD_SETTID only, as libs (no libsinsp-only bits) */
	printf("P %d clone @res=%d pidns_init_start_ts=0 flags=%u\n", getpid(), c, (1u << 23) | (1u << 24) | nested);
	if(write(pp[1], "x", 1) != 1) die("write");
	wait_ok(c);
	close(pp[0]);
	close(pp[1]);
	/* A child in a new pid namespace: it is that namespace's init. */
	if(pipe(pp)) die("pipe");
	int back[2];
	if(pipe(back)) die("pipe");
	c = fork();
	if(c < 0) die("fork");
	if(c == 0) {
		if(unshare(CLONE_NEWPID)) _exit(6);
		pid_t g = fork();
		if(g < 0) _exit(7);
		if(g == 0) {
			char x;
			if(read(pp[0], &x, 1) != 1) _exit(2);
			_exit(0);
		}
		if(write(back[1], &g, sizeof(g)) != sizeof(g)) _exit(8);
		int st;
		waitpid(g, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 9);
	}
	pid_t g;
	if(read(back[0], &g, sizeof(g)) != sizeof(g)) die("read back");
	unsigned long long gs = start_ticks(g);
	if(write(pp[1], "x", 1) != 1) die("write");
	wait_ok(c);
	printf("P %d clone @res=0 pidns_init_start_ts/%ld~=%llu flags&%u=%u\n", g, tick, gs, 1u << 29, 1u << 29);
	printf("P %d clone @res=%d pidns_init_start_ts=0 flags&%u=%u\n", c, g, 1u << 29, 1u << 29);
	close(pp[0]);
	close(pp[1]);
	close(back[0]);
	close(back[1]);
}

/* vfork: flags 0, as fork, in libs' drivers. */
static void vforked(void) {
	pid_t c = vfork();
	if(c < 0) die("vfork");
	if(c == 0) _exit(0);
	wait_ok(c);
	printf("P %d vfork @res=%d flags=%u\n", getpid(), c, nested_pidns());
	printf("P %d vfork @res=0 flags=%u\n", c, nested_pidns());
}

static void *sleeper(void *arg) {
	int fd = *(int *)arg;
	char x;
	if(read(fd, &x, 1) != 1) return NULL;
	return NULL;
}

static void reapers(void) {
	/* This process is a child subreaper: a grandchild left by its exiting
	 * parent comes here. */
	if(prctl(PR_SET_CHILD_SUBREAPER, 1)) die("PR_SET_CHILD_SUBREAPER");
	int pp[2];
	if(pipe(pp)) die("pipe");
	int back[2];
	if(pipe(back)) die("pipe");
	pid_t c = fork();
	if(c < 0) die("fork");
	if(c == 0) {
		pid_t g = fork();
		if(g < 0) _exit(7);
		if(g == 0) {
			char x;
			if(read(pp[0], &x, 1) != 1) _exit(2);
			_exit(0);
		}
		if(write(back[1], &g, sizeof(g)) != sizeof(g)) _exit(8);
		_exit(0);
	}
	pid_t g;
	if(read(back[0], &g, sizeof(g)) != sizeof(g)) die("read back");
	wait_ok(c);
	printf("P %d procexit reaper_tid=%d\n", c, getpid());
	if(write(pp[1], "x", 1) != 1) die("write");
	wait_ok(g); /* reparented to us */
	printf("P %d procexit reaper_tid=0\n", g);

	/* The main thread leaves while a thread and a child live on: the
	 * thread adopts the child. */
	int tidp[2];
	if(pipe(tidp)) die("pipe");
	c = fork();
	if(c < 0) die("fork");
	if(c == 0) {
		pthread_t th;
		if(pthread_create(&th, NULL, sleeper, &pp[0])) _exit(9);
		pid_t g2 = fork();
		if(g2 < 0) _exit(7);
		if(g2 == 0) {
			char x;
			if(read(pp[0], &x, 1) != 1) _exit(2);
			_exit(0);
		}
		if(write(back[1], &g2, sizeof(g2)) != sizeof(g2)) _exit(8);
		syscall(SYS_exit, 0); /* this thread only */
	}
	if(read(back[0], &g, sizeof(g)) != sizeof(g)) die("read back");
	/* The thread's tid: the only other task of c's group. */
	char tdir[64];
	snprintf(tdir, sizeof(tdir), "/proc/%d/task", c);
	pid_t th = 0;
	for(int tries = 0; tries < 200 && !th; tries++) {
		FILE *ls = NULL;
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "ls %s", tdir);
		ls = popen(cmd, "r");
		if(!ls) die("popen");
		int id;
		while(fscanf(ls, "%d", &id) == 1)
			if(id != c) th = id;
		pclose(ls);
		if(!th) usleep(10000);
	}
	if(!th) die("find the thread");
	/* wait for the main thread to be gone (zombie leader) */
	usleep(200000);
	printf("P %d procexit reaper_tid=%d\n", c, th);
	if(write(pp[1], "xx", 2) != 2) die("write");
	wait_ok(c);
	wait_ok(g);
	close(pp[0]);
	close(pp[1]);
	close(back[0]);
	close(back[1]);
	close(tidp[0]);
	close(tidp[1]);
}

/* connect's tuple: recorded when connected (or in progress), empty when
 * the connection failed, as libs. */
static void connects(void) {
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	if(l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) || getsockname(l, (struct sockaddr *)&sa, &len))
		die("listen");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if(c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa))) die("connect");
	struct sockaddr_in me;
	len = sizeof(me);
	if(getsockname(c, (struct sockaddr *)&me, &len)) die("getsockname");
	printf("P %d connect @res=0 tuple=127.0.0.1:%d->127.0.0.1:%d\n", getpid(), ntohs(me.sin_port), ntohs(sa.sin_port));
	close(c);
	close(l); /* nobody listens there now */
	c = socket(AF_INET, SOCK_STREAM, 0);
	if(c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != ECONNREFUSED) die("connect to a closed port");
	printf("P %d connect @res=-111 tuple=NULL\n", getpid()); /* an empty tuple */
	close(c);
}

int main(int argc, char **argv) {
	if(argc != 2) {
		fprintf(stderr, "usage: proc_params DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	dir = argv[1];
	if(!realpath("/bin/true", truebin)) die("/bin/true");
	/* A tmpfs of our own: the files' layers are known (not the overlay a
	 * container's /tmp may be). */
	if(mount("tmpfs", dir, "tmpfs", 0, "mode=0755")) die("mount tmpfs");
	files();
	exec_flags();
	failed_execs();
	connects();
	ttys();
	pidns();
	vforked();
	reapers();
	overlay();
	if(umount(dir)) die("umount tmpfs");
	return 0;
}
