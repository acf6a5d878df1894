/* Opens N paths (argv[2]) that each sit at the start of a page of a file
 * mapping (argv[1]) no one has touched yet: at sys_enter the page is not
 * mapped, so a probe cannot read the path until the syscall itself faults
 * it in. Half the calls are openat, half open; all fail with ENOENT.
 * Used by tests/live_syscalls.rs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if(argc < 3) return 2;
	long n = atol(argv[2]);
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if(fd < 0) return 3;
	char *page = calloc(1, pg);
	for(long i = 0; i < n; i++) {
		memset(page, 0, pg);
		snprintf(page, pg, "/nonexistent-rchisel-fresh/%ld", i);
		if(write(fd, page, pg) != pg) return 4;
	}
	char *base = mmap(NULL, n * pg, PROT_READ, MAP_PRIVATE, fd, 0);
	if(base == MAP_FAILED) return 5;
	madvise(base, n * pg, MADV_RANDOM); /* no fault-around: one page per fault */
	for(long i = 0; i < n; i++) {
		const char *p = base + i * pg;
		if(i % 2) syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
		else syscall(SYS_open, p, O_RDONLY);
	}
	return 0;
}
