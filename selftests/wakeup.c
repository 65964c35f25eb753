// SPDX-License-Identifier: GPL-2.0
/*
 * wakeup.c - batched wakeups (LC_IOC_WAKEUP): poll() says readable once
 * the watermark's records wait, or once the first waiting record has
 * waited the asked time, and not at the first record as by default; the
 * records are all there after it; epoll sees the same, and every
 * EPOLLEXCLUSIVE waiter is woken; a file that closes no longer shortens
 * the others' wait; bad arguments get -EINVAL, a change after the first
 * poll() -EBUSY.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <lifecycle.h>
#include "kselftest_harness.h"
#include "lc_test.h"

/* the poller's report: what poll() gave, and how long it took */
struct poll_report {
	int ret;
	short revents;
	long long ms;
};

FIXTURE(wakeup) {
	struct lc_log log;
};

LC_LOG_SETUP(wakeup);

static int set_wakeup(int fd, unsigned int records, unsigned int ms)
{
	struct lc_wakeup w = { records, ms };

	return ioctl(fd, LC_IOC_WAKEUP, &w) ? -errno : 0;
}

/*
 * Wait once for @fd to be readable, up to @timeout_ms: with poll(), or,
 * when @ep_flags is not 0, through an epoll instance of its own with
 * those events (EPOLLIN | EPOLLEXCLUSIVE, say).  ret is poll()'s or
 * epoll_wait()'s (-1 when the epoll calls failed), revents the event's.
 */
static void wait_once(int fd, int timeout_ms, unsigned int ep_flags,
		      struct poll_report *rep)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct epoll_event ev = { .events = ep_flags }, got;
	int ep;

	rep->ret = -1;
	rep->revents = 0;
	if (!ep_flags) {
		rep->ret = poll(&pfd, 1, timeout_ms);
		rep->revents = pfd.revents;
		return;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep >= 0 && !epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		rep->ret = epoll_wait(ep, &got, 1, timeout_ms);
		rep->revents = rep->ret == 1 ? got.events : 0;
	}
}

/* Fork a child that waits once (wait_once()) and reports on @wfd. */
static pid_t start_poller(int fd, int wfd, int timeout_ms,
			  unsigned int ep_flags)
{
	pid_t pid = fork();

	if (!pid) {
		struct poll_report rep;
		unsigned long long t0 = lc_now_ns();

		wait_once(fd, timeout_ms, ep_flags, &rep);
		rep.ms = (lc_now_ns() - t0) / 1000000;
		_exit(write(wfd, &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
	}
	return pid;
}

static void poller_report(struct __test_metadata *_metadata, pid_t pid,
			  int rfd, struct poll_report *rep)
{
	int status;

	ASSERT_EQ(sizeof(*rep), read(rfd, rep, sizeof(*rep)));
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(0, status);
}

/*
 * With nothing left to read, a poller starts, then a child exits with
 * @code: the poller must wake after @min_ms at least (and well before
 * its 8 s), and the log then holds the child's exit code.
 */
static void woken_after(struct __test_metadata *_metadata, struct lc_log *log,
			int code, long long min_ms)
{
	struct poll_report rep;
	const struct lc_rec *r;
	pid_t poller, child;
	int status, p[2];

	ASSERT_EQ(0, lc_drain(log));
	ASSERT_EQ(0, pipe(p));
	poller = start_poller(log->fd, p[1], 8000, 0);
	ASSERT_LT(0, poller);
	child = lc_run_exit(code, &status);
	ASSERT_LT(0, child);
	poller_report(_metadata, poller, p[0], &rep);
	EXPECT_EQ(1, rep.ret);
	EXPECT_TRUE(rep.revents & POLLIN);
	EXPECT_LE(min_ms, rep.ms);
	EXPECT_LT(rep.ms, 8000);
	close(p[0]);
	close(p[1]);

	r = lc_wait(log, 0, "exit", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(code, lc_num(r, "code"));
}

/*
 * A watermark of 64 records with a 10 s wait: one child (a fork, an exit
 * and a reap at least) leaves the file unreadable; a poller asleep in
 * poll() wakes once 30 more children have gone, well before 8 s, and the
 * log then holds every child's exit code and reap by us.
 */
TEST_F(wakeup, watermark_wakes)
{
	struct poll_report rep;
	struct pollfd pfd = { .fd = self->log.fd, .events = POLLIN };
	const struct lc_rec *r;
	pid_t poller, first, kids[30];
	int status, p[2], i;

	ASSERT_EQ(0, set_wakeup(self->log.fd, 64, 10000));
	ASSERT_EQ(0, lc_drain(&self->log));
	first = lc_run_exit(3, &status);
	ASSERT_LT(0, first);
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	ASSERT_EQ(0, pipe(p));
	poller = start_poller(self->log.fd, p[1], 8000, 0);
	ASSERT_LT(0, poller);
	lc_sleep_ms(200);	/* asleep in poll() by now */
	for (i = 0; i < 30; i++) {
		kids[i] = lc_run_exit(4, &status);
		ASSERT_LT(0, kids[i]);
	}
	poller_report(_metadata, poller, p[0], &rep);
	EXPECT_EQ(1, rep.ret);
	EXPECT_TRUE(rep.revents & POLLIN);
	EXPECT_LT(rep.ms, 8000);
	EXPECT_LE(150, rep.ms);
	close(p[0]);
	close(p[1]);

	r = lc_wait(&self->log, 0, "exit", first, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(3, lc_num(r, "code"));
	r = lc_wait(&self->log, 0, "reap", kids[29], LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	for (i = 0; i < 30; i++) {
		r = lc_find(&self->log, 0, "exit", kids[i]);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(4, lc_num(r, "code"));
		r = lc_find(&self->log, 0, "reap", kids[i]);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(getpid(), lc_num(r, "reaper_pid"));
	}
	if (!lc_lost(&self->log))
		EXPECT_EQ(0, lc_seq_gaps(&self->log));
}

/*
 * A watermark of 1,000 records with a 300 ms wait: a poller with records
 * already waiting (its own fork at least) is not woken at once, as by
 * default, but after about 300 ms, and then reads our child's exit code 5.
 */
TEST_F(wakeup, time_bound)
{
	ASSERT_EQ(0, set_wakeup(self->log.fd, 1000, 300));
	/* the timer runs from the first record: the poller's fork, before */
	woken_after(_metadata, &self->log, 5, 150);
}

/*
 * epoll, as poll(): with a watermark of 64 records and a 10 s wait, two
 * waiters, each with an epoll instance of its own and EPOLLEXCLUSIVE on
 * the same file, both sleep through one child (and 500 ms after it) and
 * both wake once 30 more have gone, well before 8 s (an exclusive wakeup
 * would wake one).
 */
TEST_F(wakeup, epoll_exclusive_all_wake)
{
	struct poll_report rep[2];
	pid_t poller[2], kids[30];
	int status, p[2], i;

	ASSERT_EQ(0, set_wakeup(self->log.fd, 64, 10000));
	ASSERT_EQ(0, lc_drain(&self->log));
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < 2; i++) {
		poller[i] = start_poller(self->log.fd, p[1], 8000,
					 EPOLLIN | EPOLLEXCLUSIVE);
		ASSERT_LT(0, poller[i]);
	}
	lc_sleep_ms(200);	/* both asleep in epoll_wait() by now */
	ASSERT_LT(0, lc_run_exit(3, &status));
	lc_sleep_ms(500);
	for (i = 0; i < 30; i++) {
		kids[i] = lc_run_exit(4, &status);
		ASSERT_LT(0, kids[i]);
	}
	for (i = 0; i < 2; i++) {
		poller_report(_metadata, poller[i], p[0], &rep[i]);
		EXPECT_EQ(1, rep[i].ret);
		EXPECT_TRUE(rep[i].revents & EPOLLIN);
		EXPECT_LE(500, rep[i].ms);
		EXPECT_LT(rep[i].ms, 8000);
	}
	close(p[0]);
	close(p[1]);

	for (i = 0; i < 30; i++) {
		const struct lc_rec *r;

		r = lc_wait(&self->log, 0, "exit", kids[i], LC_TIMEOUT_MS);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(4, lc_num(r, "code"));
	}
}

/*
 * Two batched files, ours waiting up to 2 s and another up to 100 ms: the
 * timer runs at the shortest wait, 100 ms.  Once the other is closed (and
 * a timer it armed has run out), ours waits its own 2 s again: a poller
 * with our child's records waiting is not woken at 100 ms but after more
 * than 1 s, and then reads the child's exit code 6.
 */
TEST_F(wakeup, closed_file_leaves_wait)
{
	struct lc_log other = { .fd = -1 };
	int status;

	ASSERT_EQ(0, set_wakeup(self->log.fd, 1000, 2000));
	ASSERT_EQ(0, lc_open(&other));
	ASSERT_EQ(0, set_wakeup(other.fd, 1000, 100));
	ASSERT_LT(0, lc_run_exit(0, &status));	/* arms the 100 ms timer */
	lc_close(&other);
	lc_sleep_ms(300);
	woken_after(_metadata, &self->log, 6, 1000);
}

/* The default, for comparison: the first record wakes the poller. */
TEST_F(wakeup, default_wakes_at_first_record)
{
	struct poll_report rep;
	pid_t poller;
	int p[2];

	ASSERT_EQ(0, lc_drain(&self->log));
	ASSERT_EQ(0, pipe(p));
	poller = start_poller(self->log.fd, p[1], 8000, 0);
	ASSERT_LT(0, poller);
	poller_report(_metadata, poller, p[0], &rep);
	EXPECT_EQ(1, rep.ret);
	EXPECT_TRUE(rep.revents & POLLIN);
	close(p[0]);
	close(p[1]);
}

/*
 * Out of range: more than half the log, a watermark without a wait or a
 * wait without one, a wait over LC_WAKEUP_MS_MAX: -EINVAL.  After the
 * first poll(), even a valid change: -EBUSY.  0 and 0 before it: fine.
 */
TEST_F(wakeup, bad_arguments)
{
	struct pollfd pfd = { .fd = self->log.fd, .events = POLLIN };
	char v[32];
	long cap;

	ASSERT_LT(0, lc_read_file("/sys/module/lifecycle/parameters/log_size",
				  v, sizeof(v)));
	cap = atol(v);
	EXPECT_EQ(-EINVAL, set_wakeup(self->log.fd, cap / 2 + 1, 100));
	EXPECT_EQ(-EINVAL, set_wakeup(self->log.fd, 10, 0));
	EXPECT_EQ(-EINVAL, set_wakeup(self->log.fd, 0, 10));
	EXPECT_EQ(-EINVAL, set_wakeup(self->log.fd, 10, LC_WAKEUP_MS_MAX + 1));
	EXPECT_EQ(0, set_wakeup(self->log.fd, cap / 2, LC_WAKEUP_MS_MAX));
	EXPECT_EQ(0, set_wakeup(self->log.fd, 0, 0));
	ASSERT_LE(0, poll(&pfd, 1, 0));
	EXPECT_EQ(-EBUSY, set_wakeup(self->log.fd, 10, 100));
	EXPECT_EQ(-EBUSY, set_wakeup(self->log.fd, 0, 0));
}

TEST_HARNESS_MAIN
