// SPDX-License-Identifier: GPL-2.0
/*
 * threads.c - a process with three more threads: each thread's creation
 * is a fork record with thread=1, each thread's end an exit record, and
 * only the last exit ends the process (group_dead=1).
 */
#include "kselftest_harness.h"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>

#include "lc_test.h"

#define NR_THREADS	3

FIXTURE(threads) {
	struct lc_log log;
};

LC_LOG_SETUP(threads);

/* Threads: in /proc/self/status, which counts until the release. */
static int nr_threads(void)
{
	char buf[4096], *p;

	if (lc_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "\nThreads:");
	return p ? atoi(p + 9) : -1;
}

static void *report_tid(void *arg)
{
	*(pid_t *)arg = syscall(SYS_gettid);
	return NULL;
}

/*
 * The child starts three threads, joins them, writes their tids to us and
 * exits with 6: three thread exits, then the leader's, which ends it.
 * pthread_join() returns when the kernel clears the thread's tid, early
 * in its exit: the child waits until the threads are released as well,
 * or the leader's exit could overtake theirs.
 */
TEST_F(threads, three_pthreads)
{
	const struct lc_rec *frk, *ex, *last, *reap;
	struct lc_log *log = &self->log;
	pid_t child, tids[NR_THREADS];
	int p[2], status, i;

	ASSERT_EQ(0, pipe(p));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t[NR_THREADS];
		pid_t tid[NR_THREADS];

		for (i = 0; i < NR_THREADS; i++)
			if (pthread_create(&t[i], NULL, report_tid, &tid[i]))
				_exit(1);
		for (i = 0; i < NR_THREADS; i++)
			pthread_join(t[i], NULL);
		for (i = 0; nr_threads() != 1; i++) {
			if (i == LC_TIMEOUT_MS)
				_exit(3);
			lc_sleep_ms(1);
		}
		if (write(p[1], tid, sizeof(tid)) != sizeof(tid))
			_exit(2);
		_exit(6);
	}
	ASSERT_EQ((ssize_t)sizeof(tids), read(p[0], tids, sizeof(tids)));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(6, WEXITSTATUS(status));

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, child);
	last = lc_find(log, 0, "exit", child);
	ASSERT_NE(NULL, last) lc_dump(log, child);

	for (i = 0; i < NR_THREADS; i++) {
		frk = lc_find(log, 0, "fork", tids[i]);
		ex = lc_find(log, 0, "exit", tids[i]);
		ASSERT_NE(NULL, frk) lc_dump(log, child);
		ASSERT_NE(NULL, ex) lc_dump(log, child);
		EXPECT_EQ(child, frk->tgid);
		EXPECT_EQ(getpid(), frk->ppid);
		EXPECT_EQ(child, lc_num(frk, "creator_pid"));
		EXPECT_EQ(child, lc_num(frk, "creator_tgid"));
		EXPECT_STREQ("1", lc_str(frk, "thread"));
		EXPECT_STREQ("0", lc_str(frk, "vfork"));
		EXPECT_EQ(CLONE_THREAD, lc_num(frk, "clone_flags") & CLONE_THREAD);
		EXPECT_EQ(CLONE_VM, lc_num(frk, "clone_flags") & CLONE_VM);
		EXPECT_EQ(child, ex->tgid);
		EXPECT_STREQ("0", lc_str(ex, "group_dead"));
		EXPECT_EQ(0, lc_num(ex, "code"));
		EXPECT_LT(frk->seq, ex->seq);
		EXPECT_LT(ex->seq, last->seq);
		EXPECT_EQ(1, lc_count(log, "exit", tids[i]));
		/* threads are released by themselves, never reaped */
		EXPECT_EQ(0, lc_count(log, "reap", tids[i]));
	}
	EXPECT_EQ(child, last->tgid);
	EXPECT_STREQ("1", lc_str(last, "group_dead"));
	EXPECT_EQ(6, lc_num(last, "code"));
	EXPECT_EQ(6 << 8, lc_num(last, "status"));
	EXPECT_EQ(1, lc_count(log, "exit", child));
	EXPECT_LT(last->seq, reap->seq);
	EXPECT_EQ(getpid(), lc_num(reap, "reaper_tgid"));
}

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * exit_group() from the leader while three threads sleep: the threads'
 * exits carry the group's status, and exactly one exit says group_dead.
 */
TEST_F(threads, exit_group_kills_threads)
{
	struct lc_log *log = &self->log;
	int status, dead = 0, exits = 0, threads = 0;
	pid_t child;
	size_t i;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;
		int n;

		for (n = 0; n < NR_THREADS; n++)
			if (pthread_create(&t, NULL, spin, NULL))
				_exit(1);
		_exit(9);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(9, WEXITSTATUS(status));
	ASSERT_NE(NULL, lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS));

	for (i = 0; i < log->nr; i++) {
		const struct lc_rec *r = &log->recs[i];

		if (r->tgid != child)
			continue;
		if (!strcmp(r->event, "fork") && r->pid != child)
			threads += !strcmp(lc_str(r, "thread"), "1");
		if (strcmp(r->event, "exit"))
			continue;
		exits++;
		dead += !strcmp(lc_str(r, "group_dead"), "1");
		EXPECT_EQ(9 << 8, lc_num(r, "status"));
	}
	EXPECT_EQ(NR_THREADS, threads) lc_dump(log, child);
	EXPECT_EQ(NR_THREADS + 1, exits) lc_dump(log, child);
	EXPECT_EQ(1, dead) lc_dump(log, child);
}

TEST_HARNESS_MAIN
