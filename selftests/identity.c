// SPDX-License-Identifier: GPL-2.0
/*
 * identity.c - the process key (boot_id, tgid, start_ns): start_ns on
 * every record, equal to /proc/PID/stat's starttime; the start of every
 * other process a record names (parent, creator, reaper, old parent,
 * sender); exit's age_ns; the same start after a thread's exec; and two
 * processes given the same pid, told apart.
 */
#include "kselftest_harness.h"

#include <pthread.h>
#include <signal.h>

#include "lc_test.h"

#define NS_LAST_PID	"/proc/sys/kernel/ns_last_pid"

FIXTURE(identity) {
	struct lc_log log;
};

LC_LOG_SETUP(identity);

static long long tick_ns(void)
{
	return 1000000000LL / sysconf(_SC_CLK_TCK);
}

/* @key of @r in clock ticks, as /proc/PID/stat's starttime counts them */
static long long ticks(const struct lc_rec *r, const char *key)
{
	long long v = lc_num(r, key);

	return v < 0 ? v : v / tick_ns();
}

/*
 * A child alive: its fork record's start_ns is its /proc/PID/stat
 * starttime, parent_start_ns and creator_start_ns are ours, and every
 * record of it until its reap carries the same start.
 */
TEST_F(identity, start_matches_proc_stat)
{
	const struct lc_rec *frk, *sig, *ex, *reap;
	long long me_start = lc_proc_starttime(getpid());
	unsigned long long start;
	int fds[2], status;
	pid_t child;
	char c;

	ASSERT_LT(0, me_start);
	ASSERT_EQ(0, pipe(fds));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		close(fds[0]);
		if (write(fds[1], "r", 1) != 1)
			_exit(90);
		pause();
		_exit(0);
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	close(fds[0]);
	frk = lc_wait(&self->log, 0, "fork", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, frk);
	EXPECT_EQ(lc_proc_starttime(child), ticks(frk, "start_ns"));
	EXPECT_EQ(me_start, ticks(frk, "parent_start_ns"));
	EXPECT_EQ(me_start, ticks(frk, "creator_start_ns"));
	EXPECT_EQ(lc_num(frk, "parent_start_ns"),
		  lc_num(frk, "creator_start_ns"));
	EXPECT_LE(lc_num(frk, "start_ns"), (long long)frk->ts);
	start = lc_unum(frk, "start_ns");

	ASSERT_EQ(0, kill(child, SIGTERM));
	ASSERT_EQ(child, lc_reap(child, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(SIGTERM, status);
	reap = lc_wait(&self->log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap);
	sig = lc_find(&self->log, 0, "signal", child);
	ex = lc_find(&self->log, 0, "exit", child);
	ASSERT_NE(NULL, sig);
	ASSERT_NE(NULL, ex);
	EXPECT_EQ(start, lc_unum(sig, "start_ns"));
	EXPECT_EQ(me_start, ticks(sig, "sender_start_ns"));
	EXPECT_EQ(start, lc_unum(ex, "start_ns"));
	/* the exiting thread's life: from its start to the exit record */
	EXPECT_EQ(ex->ts - start, lc_unum(ex, "age_ns"));
	EXPECT_EQ(start, lc_unum(reap, "start_ns"));
	EXPECT_EQ(lc_num(frk, "creator_start_ns"),
		  lc_num(reap, "reaper_start_ns"));
}

static void *exec_from_thread(void *arg)
{
	execl("/bin/true", "true", NULL);
	return NULL;
}

/*
 * A thread that is not the leader execs: the process keeps its start
 * (de_thread() hands the leader's to the thread), so its exec, exit and
 * reap carry the start of its fork record.
 */
TEST_F(identity, thread_exec_keeps_start)
{
	const struct lc_rec *frk, *exec, *ex;
	int status;
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		pthread_t t;

		if (pthread_create(&t, NULL, exec_from_thread, NULL))
			_exit(91);
		pause();
		_exit(92);
	}
	ASSERT_EQ(child, lc_reap(child, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(0, status);
	frk = lc_wait(&self->log, 0, "fork", child, LC_TIMEOUT_MS);
	exec = lc_wait(&self->log, 0, "exec", child, LC_TIMEOUT_MS);
	ex = lc_wait(&self->log, 0, "exit", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, frk);
	ASSERT_NE(NULL, exec);
	ASSERT_NE(NULL, ex);
	EXPECT_NE(child, lc_num(exec, "old_pid"));
	EXPECT_EQ(lc_unum(frk, "start_ns"), lc_unum(exec, "start_ns"));
	EXPECT_EQ(lc_unum(frk, "start_ns"), lc_unum(ex, "start_ns"));
}

/*
 * T forks M, M forks D and exits: D's reparent names M's start as the
 * old parent's and init's as the new parent's.
 */
TEST_F(identity, reparent_names_both_parents)
{
	const struct lc_rec *mfork, *rep;
	int fds[2], hold[2], status;
	pid_t mid, d;

	/* the pid comes over fds; the grandchild waits on hold alone */
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, pipe(hold));
	mid = fork();
	ASSERT_LE(0, mid);
	if (!mid) {
		d = fork();
		if (d < 0)
			_exit(90);
		if (!d) {
			char c;

			close(hold[1]);
			close(fds[0]);
			/* until T closes the pipe */
			if (read(hold[0], &c, 1) < 0)
				_exit(91);
			_exit(0);
		}
		if (write(fds[1], &d, sizeof(d)) != sizeof(d))
			_exit(92);
		_exit(0);
	}
	ASSERT_EQ(sizeof(d), read(fds[0], &d, sizeof(d)));
	ASSERT_EQ(mid, lc_reap(mid, &status, LC_TIMEOUT_MS));
	rep = lc_wait(&self->log, 0, "reparent", d, LC_TIMEOUT_MS);
	close(hold[1]);
	close(hold[0]);
	close(fds[1]);
	close(fds[0]);
	ASSERT_NE(NULL, rep);
	mfork = lc_find(&self->log, 0, "fork", mid);
	ASSERT_NE(NULL, mfork);
	EXPECT_EQ(mid, lc_num(rep, "old_ppid"));
	EXPECT_EQ(lc_unum(mfork, "start_ns"),
		  lc_unum(rep, "old_parent_start_ns"));
	EXPECT_EQ(rep->ppid, lc_num(rep, "new_ppid"));
	if (rep->ppid == 1)
		EXPECT_EQ(lc_proc_starttime(1), ticks(rep, "parent_start_ns"));
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "reap", d, LC_TIMEOUT_MS));
}

/* Fork a child that exits @code at once: its pid after its reap, or -1. */
static pid_t short_child(int code)
{
	return lc_run_exit(code, NULL);
}

/*
 * Two children given the same pid (ns_last_pid, as CRIU sets it): their
 * records carry different starts, each incarnation's records its own.
 */
TEST_F(identity, reused_pid_told_apart)
{
	const struct lc_rec *f1, *f2, *e1, *e2;
	char buf[32];
	pid_t a, b = -1;
	int try, fd;

	if (access(NS_LAST_PID, W_OK))
		SKIP(return, "%s is not writable", NS_LAST_PID);
	a = short_child(4);
	ASSERT_LT(0, a);
	/* another fork in the VM may take the pid first: try again */
	for (try = 0; try < 20 && b != a; try++) {
		fd = open(NS_LAST_PID, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		snprintf(buf, sizeof(buf), "%d", a - 1);
		ASSERT_LT(0, write(fd, buf, strlen(buf)));
		close(fd);
		b = short_child(5);
		ASSERT_LT(0, b);
	}
	ASSERT_EQ(a, b);
	f1 = lc_wait(&self->log, 0, "fork", a, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, f1);
	e1 = lc_find(&self->log, f1->seq, "exit", a);
	ASSERT_NE(NULL, e1);
	ASSERT_NE(NULL, lc_wait(&self->log, e1->seq, "reap", a,
				LC_TIMEOUT_MS));
	/* the last incarnation: the last fork of pid a */
	f2 = f1;
	while (lc_find(&self->log, f2->seq, "fork", a))
		f2 = lc_find(&self->log, f2->seq, "fork", a);
	ASSERT_NE(f1, f2);
	e2 = lc_wait(&self->log, f2->seq, "exit", a, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, e2);
	EXPECT_EQ(4 << 8, lc_num(e1, "status"));
	EXPECT_EQ(5 << 8, lc_num(e2, "status"));
	EXPECT_NE(lc_unum(f1, "start_ns"), lc_unum(f2, "start_ns"));
	EXPECT_LT(lc_unum(f1, "start_ns"), lc_unum(f2, "start_ns"));
	EXPECT_EQ(lc_unum(f1, "start_ns"), lc_unum(e1, "start_ns"));
	EXPECT_EQ(lc_unum(f2, "start_ns"), lc_unum(e2, "start_ns"));
	EXPECT_LT(e1->seq, f2->seq);
}

TEST_HARNESS_MAIN
