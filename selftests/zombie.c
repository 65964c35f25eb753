// SPDX-License-Identifier: GPL-2.0
/*
 * zombie.c - how long a zombie waited for its parent, and the processes
 * nobody waits for: SIGCHLD ignored or SA_NOCLDWAIT (autoreap), also when
 * the group leader exits before the last thread.
 */
#include "kselftest_harness.h"

#include <pthread.h>
#include <signal.h>

#include "lc_test.h"

#define ZOMBIE_MS	300

FIXTURE(zombie) {
	struct lc_log log;
};

LC_LOG_SETUP(zombie);

/*
 * The child exits at once; we see it is a zombie (waitid WNOWAIT), sleep
 * 300 ms, then reap it.  zombie_ns is at least 300 ms and at most the
 * whole time from before fork() to after the reap.
 */
TEST_F(zombie, waited_300ms)
{
	unsigned long long t0, t1, zns;
	const struct lc_rec *ex, *reap;
	siginfo_t si;
	int status;
	pid_t child;

	t0 = lc_now_ns();
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0)
		_exit(0);
	ASSERT_EQ(0, waitid(P_PID, child, &si, WEXITED | WNOWAIT));
	ASSERT_EQ('Z', lc_proc_state(child));
	lc_sleep_ms(ZOMBIE_MS);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	t1 = lc_now_ns();
	ASSERT_EQ(0, status);

	reap = lc_wait(&self->log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(&self->log, getpid());
	ex = lc_find(&self->log, 0, "exit", child);
	ASSERT_NE(NULL, ex);

	zns = lc_unum(reap, "zombie_ns");
	TH_LOG("zombie_ns %llu, fork to reap %llu ns", zns, t1 - t0);
	EXPECT_GE(zns, ZOMBIE_MS * 1000000ULL);
	EXPECT_LE(zns, t1 - t0);
	EXPECT_LT(ex->seq, reap->seq);
	EXPECT_LE(t0, ex->ts);
	EXPECT_LE(reap->ts, t1);
	EXPECT_LE(ex->ts, reap->ts - ZOMBIE_MS * 1000000ULL);
	/* the zombie time lies between the exit and the reap records */
	EXPECT_LE(zns, reap->ts - ex->ts);
	EXPECT_EQ(getpid(), lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));
}

/* Fork a child that exits with @code; return once it is gone. */
static pid_t run_unwaited(struct __test_metadata *_metadata, int code)
{
	int status;
	pid_t child;

	child = fork();
	if (child == 0)
		_exit(code);
	/* nobody can wait: waitpid() blocks until it is gone, then ECHILD */
	EXPECT_EQ(-1, waitpid(child, &status, 0));
	EXPECT_EQ(ECHILD, errno);
	return child;
}

static void check_autoreap(struct __test_metadata *_metadata,
			   struct lc_log *log, pid_t child, int code)
{
	const struct lc_rec *ex, *reap;

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, getpid());
	ex = lc_find_tgid(log, 0, "exit", child);
	ASSERT_NE(NULL, ex);
	EXPECT_EQ(child, reap->tgid);
	EXPECT_EQ(getpid(), reap->ppid);
	EXPECT_STREQ("autoreap", lc_str(reap, "how"));
	EXPECT_EQ(child, lc_num(reap, "reaper_tgid"));
	EXPECT_EQ(code, lc_num(ex, "code"));
	EXPECT_LT(ex->seq, reap->seq);
	EXPECT_EQ(1, lc_count(log, "reap", child));
}

TEST_F(zombie, autoreap_sigchld_ignored)
{
	pid_t child;

	ASSERT_NE(SIG_ERR, signal(SIGCHLD, SIG_IGN));
	child = run_unwaited(_metadata, 2);
	ASSERT_GT(child, 0);
	check_autoreap(_metadata, &self->log, child, 2);
	EXPECT_EQ(child, lc_num(lc_find(&self->log, 0, "reap", child),
				"reaper_pid"));
}

static void on_chld(int sig)
{
	(void)sig;
}

TEST_F(zombie, autoreap_sa_nocldwait)
{
	struct sigaction sa = { .sa_handler = on_chld, .sa_flags = SA_NOCLDWAIT };
	pid_t child;

	ASSERT_EQ(0, sigaction(SIGCHLD, &sa, NULL));
	child = run_unwaited(_metadata, 3);
	ASSERT_GT(child, 0);
	check_autoreap(_metadata, &self->log, child, 3);
}

static void *last_thread(void *arg)
{
	(void)arg;
	/* outlive the leader: /proc/PID/stat shows its state */
	lc_wait_state(getpid(), 'Z', LC_TIMEOUT_MS);
	return NULL;
}

/*
 * The leader calls pthread_exit() first, the other thread ends the
 * process, SIGCHLD is ignored: the kernel frees the zombie leader inside
 * the last thread's release (zap_leader), which must still be a reap.
 */
TEST_F(zombie, autoreap_leader_exits_first)
{
	const struct lc_rec *reap, *ex;
	int status;
	pid_t child;

	ASSERT_NE(SIG_ERR, signal(SIGCHLD, SIG_IGN));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, last_thread, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	EXPECT_EQ(-1, waitpid(child, &status, 0));
	EXPECT_EQ(ECHILD, errno);

	reap = lc_wait(&self->log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(&self->log, child);
	EXPECT_STREQ("autoreap", lc_str(reap, "how"));
	EXPECT_EQ(child, lc_num(reap, "reaper_tgid"));

	/* the leader's exit does not end the process, the thread's does */
	ex = lc_find(&self->log, 0, "exit", child);
	ASSERT_NE(NULL, ex);
	EXPECT_STREQ("0", lc_str(ex, "group_dead"));
	ex = lc_find_tgid(&self->log, ex->seq, "exit", child);
	ASSERT_NE(NULL, ex) lc_dump(&self->log, child);
	EXPECT_NE(child, ex->pid);
	EXPECT_STREQ("1", lc_str(ex, "group_dead"));
	EXPECT_EQ(0, lc_num(ex, "code"));
	EXPECT_LT(ex->seq, reap->seq);
	EXPECT_EQ(1, lc_count(&self->log, "reap", child));
}

TEST_HARNESS_MAIN
