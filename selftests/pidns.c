// SPDX-License-Identifier: GPL-2.0
/*
 * pidns.c - a reader inside a pid namespace sees only that namespace's
 * processes, with the pids it knows them by; the namespace's init is the
 * "init" that adopts its orphans; nested namespaces are seen with the
 * outer namespace's numbers.
 *
 * The test forks a child that unshares a pid and a mount namespace; the
 * child's first child is the namespace's init (pid 1).  It mounts its own
 * /proc, opens /proc/lifecycle there, acts, checks, and reports failures
 * through its exit status: the number of the first check that failed.
 */
#define _GNU_SOURCE
#include "kselftest_harness.h"

#include <sched.h>
#include <sys/mount.h>

#include "lc_test.h"

/* Inside the namespace: fail with the check's line number. */
#define NS_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "line %d: %s\n", __LINE__, #cond); \
			lc_dump(log, 0);				\
			_exit(__LINE__ % 250 + 1);			\
		}							\
	} while (0)

/* A forks B and exits; B, orphaned, is adopted by the namespace's init. */
static void ns_orphan(struct lc_log *log)
{
	const struct lc_rec *fa, *fb, *rep, *ex, *reap;
	int status;
	pid_t a;

	a = fork();
	if (a == 0) {
		if (fork() == 0) {
			while (getppid() != 1)
				lc_sleep_ms(5);
			_exit(7);
		}
		_exit(0);
	}
	NS_CHECK(a == 2);
	NS_CHECK(waitpid(a, &status, 0) == a && status == 0);
	NS_CHECK(wait(&status) == 3 && WEXITSTATUS(status) == 7);

	reap = lc_wait(log, 0, "reap", 3, LC_TIMEOUT_MS);
	NS_CHECK(reap);
	fa = lc_find(log, 0, "fork", 2);
	fb = lc_find(log, 0, "fork", 3);
	rep = lc_find(log, 0, "reparent", 3);
	ex = lc_find(log, 0, "exit", 3);
	NS_CHECK(fa && fa->ppid == 1 && lc_num(fa, "creator_tgid") == 1);
	NS_CHECK(fb && fb->ppid == 2 && lc_num(fb, "creator_tgid") == 2);
	NS_CHECK(rep && lc_num(rep, "old_ppid") == 2);
	NS_CHECK(lc_num(rep, "new_ppid") == 1 && rep->ppid == 1);
	NS_CHECK(!strcmp(lc_str(rep, "reason"), "init"));
	NS_CHECK(ex && lc_num(ex, "code") == 7);
	NS_CHECK(lc_num(reap, "reaper_tgid") == 1);
	NS_CHECK(!strcmp(lc_str(reap, "how"), "wait"));
}

/* A nested namespace's init (pid 1 there) is seen with our numbers. */
static void ns_nested(struct lc_log *log)
{
	const struct lc_rec *ex;
	int status, fds[2];
	pid_t x, inner;

	NS_CHECK(pipe(fds) == 0);
	x = fork();
	NS_CHECK(x >= 0);
	if (x == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(1);
		inner = fork();
		if (inner == 0)
			_exit(getpid() == 1 ? 9 : 1);
		if (write(fds[1], &inner, sizeof(inner)) != sizeof(inner))
			_exit(1);
		waitpid(inner, &status, 0);
		_exit(WEXITSTATUS(status) == 9 ? 0 : 1);
	}
	NS_CHECK(read(fds[0], &inner, sizeof(inner)) == sizeof(inner));
	NS_CHECK(waitpid(x, &status, 0) == x && status == 0);
	ex = lc_wait(log, 0, "exit", inner, LC_TIMEOUT_MS);
	NS_CHECK(ex && lc_num(ex, "code") == 9 && ex->ppid == x);
	NS_CHECK(lc_find(log, 0, "fork", inner)->ppid == x);
}

/* Every record read is about a process of this namespace. */
static void ns_only_ours(struct lc_log *log)
{
	size_t i;

	for (i = 0; i < log->nr; i++)
		NS_CHECK(log->recs[i].tgid > 0 && log->recs[i].tgid < 100);
	NS_CHECK(log->bad_lines == 0 && !lc_lost(log));
}

static void ns_init(void)
{
	struct lc_log store, *log = &store;

	NS_CHECK(getpid() == 1);
	NS_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	NS_CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0);
	NS_CHECK(lc_open(log) == 0);
	ns_orphan(log);
	ns_nested(log);
	lc_settle(log, 200);
	ns_only_ours(log);
	lc_close(log);
	_exit(0);
}

TEST(reader_in_pid_namespace)
{
	int status;
	pid_t outer, init;

	if (access(LC_PATH, R_OK))
		SKIP(return, "lifecycle.ko is not loaded");
	outer = fork();
	ASSERT_GE(outer, 0);
	if (outer == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS))
			_exit(200);
		init = fork();
		if (init == 0)
			ns_init();
		if (init < 0 || waitpid(init, &status, 0) != init)
			_exit(201);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 202);
	}
	ASSERT_EQ(outer, waitpid(outer, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("a check inside the namespace failed (see above)");
}

TEST_HARNESS_MAIN
