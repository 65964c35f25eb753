// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle --raw": copy the module's binary stream (LC_IOC_BINARY) to
 * stdout, as it comes, for later reading with -i.  The module does no
 * formatting for it and neither does this: recording costs the copy only.
 * An admin takes the records from the mapped log (ring.c), which spares
 * the read() and its copies in the kernel; others, or anyone with
 * LIFECYCLE_NO_MAP set, read().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"
#include "ring.h"

static atomic_int stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int fail(const char *what)
{
	fprintf(stderr, "lifecycle: %s: %m\n", what);
	return 1;
}

/* SIGINT, SIGTERM and SIGALRM (-t) stop it; they arrive only in ppoll() */
static void setup_signals(long long timeout_ms, sigset_t *wait_mask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGALRM };

	lc_catch(sigs, ARRAY_SIZE(sigs), on_signal, NULL, wait_mask);
	if (timeout_ms >= 0)
		alarm(timeout_ms ? (timeout_ms + 999) / 1000 : 1);
}

/*
 * Copy until the end (without -f) or a signal; after the signal, what is
 * already in the log is still copied, up to DRAIN_READS more reads (the
 * log may never run dry on a busy machine).
 */
#define DRAIN_READS	64

static int copy(int fd, struct lc_ring *ring, bool follow,
		const sigset_t *wait_mask)
{
	static char buf[64 * 1024] __aligned(8);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int drain = DRAIN_READS;
	bool got = false;
	ssize_t n;

	while (!stop || drain--) {
		n = lc_read_or_map(ring, fd, buf, sizeof(buf), follow);
		if (n < 0 && errno == EAGAIN) {
			if (stop)
				return 0;
			/* more will come: gather it, unless poll() does */
			if (got && !lc_ring_batched(ring))
				lc_nap(wait_mask);
			else if (ppoll(&pfd, 1, NULL, wait_mask) < 0 &&
				 errno != EINTR)
				return fail("poll");
			got = false;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("read");
		if (!n)
			return 0;	/* the end, or the module went away */
		if (lc_write_all(STDOUT_FILENO, buf, n))
			return fail("write");
		got = true;
	}
	/* the drain ran out: tell the losses, as the end does */
	return ring && lc_ring_report(ring, fd) ?
	       fail("LC_IOC_CURSOR") : 0;
}

/* -r -i FILE: only the module has a binary stream to copy */
static int not_the_module(int fd, const char *src)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	const char *what = n > 0 ? lc_sniff(buf, n) : NULL;

	if (errno != ENOTTY && errno != EINVAL)
		return fail("LC_IOC_BINARY");
	fprintf(stderr, "lifecycle: %s: %s%s; -r records %s (leave out -r to read a file)\n",
		src, what ? "this is " : "not the module's log",
		what ? what : "", LC_PROC_PATH);
	return 1;
}

int cmd_raw(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct lc_ring ring;
	sigset_t wait_mask;
	int fd, ret;

	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lifecycle: --raw writes binary: redirect stdout to a file\n");
		return 2;
	}
	fd = lc_open_input(src, LC_KIND_LOG, O_NONBLOCK);
	if (fd < 0)
		return 1;
	if (ioctl(fd, LC_IOC_BINARY))
		ret = not_the_module(fd, src);
	else if ((o->tail && ioctl(fd, LC_IOC_TAIL)) ||
		 (o->follow && ioctl(fd, LC_IOC_FOLLOW)))
		ret = fail("LC_IOC_TAIL/FOLLOW");
	else
		ret = 0;
	if (!ret) {
		setup_signals(o->timeout_ms, &wait_mask);
		if (!getenv("LIFECYCLE_NO_MAP") &&
		    !lc_ring_map(&ring, fd, LC_RING_RECORD_WAKE_MS)) {
			ret = copy(fd, &ring, o->follow, &wait_mask);
			lc_ring_unmap(&ring);
		} else {
			ret = copy(fd, NULL, o->follow, &wait_mask);
		}
	}
	close(fd);
	return ret;
}
