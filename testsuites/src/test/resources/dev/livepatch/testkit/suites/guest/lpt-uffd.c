// SPDX-License-Identifier: GPL-2.0
/*
 * lpt-uffd: puts this process's main thread to sleep in a page fault that no one serves until told to.
 *
 * "lpt-uffd probe" only opens a userfaultfd and agrees its API: exit status 0, or 3 with the reason.
 * "lpt-uffd FIFO" registers one anonymous page with a userfaultfd, then asks the getcpu system call to write into
 * it: the kernel's put_user faults on the missing page and the thread sleeps in handle_userfault, below
 * getcpu's frame. A second thread reads the fault's message, prints it, waits for a line on FIFO, then serves
 * the page with UFFDIO_COPY, which wakes the first; that one prints what getcpu returned and exits 0 when it
 * succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int uffd;
static long page_size;
static const char *fifo;

static int open_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API };

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0) {
		printf("userfaultfd: %s\n", strerror(errno));
		return -1;
	}
	if (ioctl(uffd, UFFDIO_API, &api) < 0) {
		printf("UFFDIO_API: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void *serve(void *unused)
{
	struct uffd_msg msg;
	struct uffdio_copy copy;
	char line[16];
	char *source;
	int fd;

	(void)unused;
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT) {
		printf("no page fault message: %s\n", strerror(errno));
		exit(1);
	}
	printf("fault at 0x%llx\n", (unsigned long long)msg.arg.pagefault.address);
	fflush(stdout);
	fd = open(fifo, O_RDONLY);
	if (fd < 0 || read(fd, line, sizeof(line)) < 0) {
		printf("%s: %s\n", fifo, strerror(errno));
		exit(1);
	}
	source = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(source, 0x5a, page_size);
	copy.dst = msg.arg.pagefault.address & ~(page_size - 1);
	copy.src = (unsigned long)source;
	copy.len = page_size;
	copy.mode = 0;
	if (ioctl(uffd, UFFDIO_COPY, &copy) < 0) {
		printf("UFFDIO_COPY: %s\n", strerror(errno));
		exit(1);
	}
	printf("served\n");
	fflush(stdout);
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_register reg;
	pthread_t server;
	unsigned int *page;
	long ret;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s probe | %s FIFO\n", argv[0], argv[0]);
		return 2;
	}
	if (open_uffd() < 0)
		return 3;
	if (strcmp(argv[1], "probe") == 0)
		return 0;
	fifo = argv[1];
	if (mkfifo(fifo, 0600) < 0 && errno != EEXIST) {
		printf("mkfifo %s: %s\n", fifo, strerror(errno));
		return 1;
	}
	page_size = sysconf(_SC_PAGESIZE);
	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)page;
	reg.range.len = page_size;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (page == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		printf("UFFDIO_REGISTER: %s\n", strerror(errno));
		return 1;
	}
	if (pthread_create(&server, NULL, serve, NULL) != 0) {
		printf("pthread_create failed\n");
		return 1;
	}
	printf("pid %d waits\n", getpid());
	/* A system call, not a store of ours: the fault is the kernel's, taken inside getcpu's frame. */
	ret = syscall(SYS_getcpu, page, NULL, NULL);
	printf("getcpu returned %ld (%s), cpu %u\n", ret, ret == 0 ? "ok" : strerror(errno), *page);
	pthread_join(server, NULL);
	return ret == 0 ? 0 : 1;
}
