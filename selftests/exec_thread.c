// SPDX-License-Identifier: GPL-2.0
/*
 * exec_thread.c - the ways a new program starts: execve() from a thread
 * that is not the group leader (the kernel gives it the leader's pid),
 * vfork() + execve(), and posix_spawn().
 */
#include "kselftest_harness.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>

#include "lc_test.h"

FIXTURE(exec) {
	struct lc_log log;
};

LC_LOG_SETUP(exec);

static int tid_pipe;

static void *exec_thread(void *arg)
{
	static char *const argv[] = { "true", "from-thread", NULL };
	static char *const envp[] = { NULL };
	pid_t tid = syscall(SYS_gettid);

	(void)arg;
	if (write(tid_pipe, &tid, sizeof(tid)) != sizeof(tid))
		_exit(80);
	execve("/bin/true", (char **)argv, (char **)envp);
	_exit(81);
}

/*
 * A second thread of the child calls execve().  de_thread() kills the
 * leader and gives the thread the leader's pid: the exec record shows
 * pid == tgid == the child and old_pid == the thread's tid.  The process
 * lives on, so nothing but /bin/true's exit may say group_dead=1.
 */
TEST_F(exec, from_non_leader_thread)
{
	const struct lc_rec *exec, *ex, *reap;
	struct lc_log *log = &self->log;
	int p[2], status;
	pid_t child, tid;
	size_t i;

	ASSERT_EQ(0, pipe(p));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;

		tid_pipe = p[1];
		if (pthread_create(&t, NULL, exec_thread, NULL))
			_exit(82);
		for (;;)
			pause();
	}
	ASSERT_EQ((ssize_t)sizeof(tid), read(p[0], &tid, sizeof(tid)));
	ASSERT_NE(child, tid);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, child);
	exec = lc_find(log, 0, "exec", child);
	ASSERT_NE(NULL, exec) lc_dump(log, child);
	EXPECT_EQ(child, exec->pid);
	EXPECT_EQ(child, exec->tgid);
	EXPECT_EQ(getpid(), exec->ppid);
	EXPECT_EQ(tid, lc_num(exec, "old_pid"));
	EXPECT_STREQ("/bin/true", lc_str(exec, "filename"));
	EXPECT_STREQ("true,from-thread", lc_str(exec, "argv"));
	EXPECT_STREQ("true", exec->comm);

	/* the thread was created as a thread of the child */
	EXPECT_NE(NULL, lc_find(log, 0, "fork", tid));
	EXPECT_EQ(child, lc_find(log, 0, "fork", tid)->tgid);
	/* the thread never exits under its own tid: it became the leader */
	EXPECT_EQ(0, lc_count(log, "exit", tid));
	EXPECT_EQ(0, lc_count(log, "reap", tid));

	/* exactly one exit ends the process: /bin/true's, after the exec */
	for (i = 0; i < log->nr; i++) {
		ex = &log->recs[i];
		if (strcmp(ex->event, "exit") || ex->tgid != child ||
		    strcmp(lc_str(ex, "group_dead"), "1"))
			continue;
		EXPECT_LT(exec->seq, ex->seq) lc_dump(log, child);
		EXPECT_EQ(child, ex->pid);
		EXPECT_EQ(0, lc_num(ex, "code"));
		EXPECT_STREQ("true", ex->comm);
	}
	ex = lc_find(log, exec->seq, "exit", child);
	ASSERT_NE(NULL, ex);
	EXPECT_STREQ("1", lc_str(ex, "group_dead"));
	EXPECT_EQ(1, lc_count(log, "reap", child));
	EXPECT_EQ(getpid(), lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));
}

/* The records of a child that exec'd @path with @argv and exited 0. */
static const struct lc_rec *check_spawned(struct __test_metadata *_metadata,
					  struct lc_log *log, pid_t child,
					  const char *path, const char *argv)
{
	const struct lc_rec *frk, *exec, *ex, *reap;

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	if (!reap) {
		lc_dump(log, getpid());
		return NULL;
	}
	frk = lc_find(log, 0, "fork", child);
	exec = lc_find(log, 0, "exec", child);
	ex = lc_find(log, 0, "exit", child);
	if (!frk || !exec || !ex) {
		lc_dump(log, getpid());
		return NULL;
	}
	EXPECT_EQ(child, frk->tgid);
	EXPECT_EQ(getpid(), frk->ppid);
	EXPECT_EQ(getpid(), lc_num(frk, "creator_pid"));
	EXPECT_EQ(getpid(), lc_num(frk, "creator_tgid"));
	EXPECT_STREQ("0", lc_str(frk, "thread"));
	EXPECT_STREQ(path, lc_str(exec, "filename"));
	EXPECT_STREQ(argv, lc_str(exec, "argv"));
	EXPECT_EQ(child, lc_num(exec, "old_pid"));
	EXPECT_EQ(0, lc_num(ex, "code"));
	EXPECT_STREQ("1", lc_str(ex, "group_dead"));
	EXPECT_EQ(getpid(), lc_num(reap, "reaper_tgid"));
	EXPECT_LT(frk->seq, exec->seq);
	EXPECT_LT(exec->seq, ex->seq);
	EXPECT_LT(ex->seq, reap->seq);
	return frk;
}

/*
 * vfork() in a function of its own: the child must never return from the
 * function that called vfork(), and gcc never inlines a function that
 * calls it, so the harness's setjmp() stays apart from it.
 */
static pid_t vfork_true(void)
{
	static char *const argv[] = { "true", "vforked", NULL };
	static char *const envp[] = { NULL };
	pid_t child = vfork();

	if (child == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	return child;
}

TEST_F(exec, vfork_exec)
{
	const struct lc_rec *frk;
	int status;
	pid_t child;

	child = vfork_true();
	ASSERT_GE(child, 0);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);
	frk = check_spawned(_metadata, &self->log, child, "/bin/true",
			    "true,vforked");
	ASSERT_NE(NULL, frk);
	EXPECT_STREQ("1", lc_str(frk, "vfork"));
	/* glibc's vfork() is clone(CLONE_VM | CLONE_VFORK | SIGCHLD) */
	EXPECT_EQ(CLONE_VM | CLONE_VFORK, lc_num(frk, "clone_flags") & ~CSIGNAL);
}

TEST_F(exec, posix_spawn)
{
	static char *const argv[] = { "echo", "spawned", "two words", NULL };
	static char *const envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	const struct lc_rec *frk;
	long long flags;
	int status;
	pid_t child;

	ASSERT_EQ(0, posix_spawn_file_actions_init(&fa));
	ASSERT_EQ(0, posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
						      O_WRONLY, 0));
	ASSERT_EQ(0, posix_spawn(&child, "/bin/echo", &fa, NULL, argv, envp));
	posix_spawn_file_actions_destroy(&fa);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);
	frk = check_spawned(_metadata, &self->log, child, "/bin/echo",
			    "echo,spawned,two\\x20words");
	ASSERT_NE(NULL, frk);
	flags = lc_num(frk, "clone_flags");
	TH_LOG("posix_spawn clone_flags %#llx", flags);
	EXPECT_STREQ(flags & CLONE_VFORK ? "1" : "0", lc_str(frk, "vfork"));
}

TEST_HARNESS_MAIN
