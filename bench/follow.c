// SPDX-License-Identifier: GPL-2.0
/*
 * follow.c - the smallest /proc/lifecycle follower: LC_IOC_TAIL and
 * LC_IOC_FOLLOW, then read every record and write it to OUT (default
 * /dev/null), as the bpftrace and forkstat configurations of
 * scripts/bench.sh write theirs to a file.  Prints "lcfollow: ready" once
 * following, and on SIGTERM/SIGINT the bytes and lines it read, to stderr.
 *
 *   lcfollow [-o OUT] [PATH]
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
	const char *out = "/dev/null";
	int fd, ofd, arg = 1;
	char *p, *end;
	ssize_t len;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		arg = 3;
	}
	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ofd < 0) {
		fprintf(stderr, "lcfollow: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fd = open(argc > arg ? argv[arg] : "/proc/lifecycle", O_RDONLY);
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
		end = buf + len;
		for (p = buf; (p = memchr(p, '\n', end - p)); p++)
			lines++;
		if (write(ofd, buf, len) != len) {
			fprintf(stderr, "lcfollow: write: %s\n", strerror(errno));
			break;
		}
	}
	fprintf(stderr, "lcfollow: %llu bytes %llu lines\n", bytes, lines);
	return 0;
}
