// SPDX-License-Identifier: GPL-2.0
/*
 * lpt-pressure KB: takes KB of anonymous memory and keeps touching all of it, a page at a time round and round, so
 * that with more taken than the guest has, the kernel keeps reclaiming: each round faults back in what reclaim
 * swapped out since the last. Prints "ready KB kB" once all of it has been touched. The OOM killer's first choice
 * should reclaim fall short, not the shell or the SSH server.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long size, at;
	char *memory;
	FILE *adj;

	if (argc != 2) {
		fprintf(stderr, "usage: %s KB\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	adj = fopen("/proc/self/oom_score_adj", "w");
	if (adj) {
		fputs("1000", adj);
		fclose(adj);
	}
	size = strtoul(argv[1], NULL, 10) * 1024;
	memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (memory == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (at = 0; at < size; at += page)
		memory[at] = (char)(at / page);
	printf("ready %lu kB\n", size / 1024);
	for (unsigned long round = 1;; round++)
		for (at = 0; at < size; at += page)
			memory[at] = (char)(at / page + round);
}
