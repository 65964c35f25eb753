// SPDX-License-Identifier: GPL-2.0
/*
 * System-call helpers the reader's commands share: their stop signals,
 * blocked at all times but while waiting, so that every wait (ppoll) can
 * be interrupted and nothing else ever is; and a write that finishes.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

/**
 * lc_nap() - let records gather after a read that found some
 * @wait_mask: the signals let in meanwhile (a stop signal ends the nap)
 *
 * A follower that reads again at once is woken for every few records;
 * one that naps LC_NAP_MS reads them in one go, with one wakeup, as perf
 * and BPF ring buffer readers batch theirs.  It naps only after finding
 * records, so an idle follower sleeps in ppoll() until the next one.
 */
void lc_nap(const sigset_t *wait_mask)
{
	static const struct timespec ts = { 0, LC_NAP_MS * 1000000L };

	ppoll(NULL, 0, &ts, wait_mask);
}

/**
 * lc_catch() - block @sigs and handle them with @fn, for ppoll() to let in
 * @sigs: the signals
 * @n: how many
 * @fn: their handler
 * @old: where the mask before goes, or NULL
 * @wait_mask: the mask to wait with: the one before, without @sigs
 */
void lc_catch(const int *sigs, size_t n, void (*fn)(int), sigset_t *old,
	      sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = fn };
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < n; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	if (old)
		*old = *wait_mask;
	for (i = 0; i < n; i++) {
		sigaction(sigs[i], &sa, NULL);
		sigdelset(wait_mask, sigs[i]);
	}
}

/**
 * lc_write_all() - write all of @buf to @fd, again after EINTR
 * @fd: the file
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0, or -1 with errno set (ENOSPC from write(2) returning 0).
 */
int lc_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ENOSPC;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

struct lc_out lc_out;

/**
 * lc_out_flush() - write what the output buffer holds to standard output
 *
 * What stdio holds for stdout goes first.  After a failure (out_errno,
 * which out_error() reports) the buffer's bytes are dropped.
 *
 * Return: 0, or -1 when stdout failed, now or before.
 */
int lc_out_flush(void)
{
	size_t len = lc_out.len;

	lc_out.len = 0;
	errno = 0;
	if (fflush(stdout) == EOF) {
		if (!out_errno)
			out_errno = errno ? errno : EIO;
		return -1;
	}
	if (out_errno)
		return -1;
	if (len && lc_write_all(STDOUT_FILENO, lc_out.buf, len)) {
		out_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}
