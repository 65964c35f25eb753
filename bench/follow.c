// SPDX-License-Identifier: GPL-2.0
/*
 * follow.c - the smallest /proc/lifecycle follower: LC_IOC_FOLLOW, then
 * read every record and drop it.  Used by scripts/bench.sh to measure the
 * cost of a reader.  Prints "lcfollow: ready" once following, and on
 * SIGTERM/SIGINT the bytes and lines it read, to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <lifecycle.h>

static sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long bytes = 0, lines = 0;
	static char buf[64 * 1024];
	ssize_t len, i;
	int fd;

	fd = open(argc > 1 ? argv[1] : "/proc/lifecycle", O_RDONLY);
	if (fd < 0 || ioctl(fd, LC_IOC_TAIL) || ioctl(fd, LC_IOC_FOLLOW)) {
		fprintf(stderr, "lcfollow: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "lcfollow: ready\n");
	while (!stop) {
		len = read(fd, buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		bytes += len;
		for (i = 0; i < len; i++)
			lines += buf[i] == '\n';
	}
	fprintf(stderr, "lcfollow: %llu bytes %llu lines\n", bytes, lines);
	return 0;
}
