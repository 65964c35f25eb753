// SPDX-License-Identifier: GPL-2.0
/*
 * basic.c - the foundation: a forked child appears, its exec shows the
 * program, and its exit shows the exit code or the killing signal.
 */
#include "kselftest_harness.h"

#include <sched.h>
#include <signal.h>
#include <sys/resource.h>

#include "lc_test.h"

FIXTURE(basic) {
	struct lc_log log;
};

LC_LOG_SETUP(basic);

/* @child's exit record says "status code signal core" as @want. */
static void expect_exit(struct __test_metadata *_metadata,
			const struct lc_log *log, pid_t child,
			const char *want)
{
	const struct lc_rec *r = lc_find(log, 0, "exit", child);
	static const char * const keys[] = { "status", "code", "signal", "core" };
	char got[128];
	size_t i, o = 0;

	ASSERT_NE(NULL, r);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		o += snprintf(got + o, sizeof(got) - o, "%s%s", i ? " " : "",
			      lc_str(r, keys[i]) ?: "(none)");
	EXPECT_STREQ(want, got);
}

/* Wait for @child's reap and check the records every child gets. */
static void check_life(struct __test_metadata *_metadata,
		       struct lc_log *log, pid_t child, int status)
{
	const struct lc_rec *frk, *exit, *reap;
	pid_t me = getpid();

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, me);
	frk = lc_find(log, 0, "fork", child);
	exit = lc_find(log, 0, "exit", child);
	ASSERT_NE(NULL, frk) lc_dump(log, me);
	ASSERT_NE(NULL, exit) lc_dump(log, me);

	EXPECT_TRUE(log->header_seen);
	EXPECT_EQ(0, log->bad_lines);
	if (!lc_lost(log))
		EXPECT_EQ(0, lc_seq_gaps(log));

	/* fork: the child's ids, its parent and its creator are us */
	EXPECT_EQ(child, frk->tgid);
	EXPECT_EQ(me, frk->ppid);
	EXPECT_EQ(me, lc_num(frk, "creator_pid"));
	EXPECT_EQ(me, lc_num(frk, "creator_tgid"));
	EXPECT_STREQ("0", lc_str(frk, "thread"));
	EXPECT_STREQ("0", lc_str(frk, "vfork"));
	/*
	 * glibc's fork() is clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
	 * SIGCHLD); the kernel keeps the exit signal apart from the flags.
	 */
	EXPECT_EQ(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
		  lc_num(frk, "clone_flags") & ~CSIGNAL);
	EXPECT_EQ(getuid(), frk->uid);

	/* exit: the wait status waitpid() reported, ending the process */
	EXPECT_EQ(child, exit->tgid);
	EXPECT_EQ(me, exit->ppid);
	EXPECT_EQ(status, lc_num(exit, "status"));
	EXPECT_STREQ("1", lc_str(exit, "group_dead"));
	if (WIFEXITED(status)) {
		EXPECT_EQ(WEXITSTATUS(status), lc_num(exit, "code"));
		EXPECT_STREQ("-", lc_str(exit, "signal"));
		EXPECT_STREQ("0", lc_str(exit, "core"));
	} else {
		EXPECT_STREQ("-", lc_str(exit, "code"));
		EXPECT_EQ(WTERMSIG(status), lc_num(exit, "signal"));
		EXPECT_STREQ(WCOREDUMP(status) ? "1" : "0",
			     lc_str(exit, "core"));
	}

	/* reap: by us, through wait */
	EXPECT_EQ(child, reap->tgid);
	EXPECT_EQ(me, lc_num(reap, "reaper_pid"));
	EXPECT_EQ(me, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));

	EXPECT_LT(frk->seq, exit->seq);
	EXPECT_LT(exit->seq, reap->seq);
	EXPECT_EQ(1, lc_count(log, "fork", child));
	EXPECT_EQ(1, lc_count(log, "exit", child));
	EXPECT_EQ(1, lc_count(log, "reap", child));
}

TEST_F(basic, fork_appears)
{
	int status;
	pid_t child;

	child = lc_run_exit(0, &status);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, status);
	check_life(_metadata, &self->log, child, status);
}

TEST_F(basic, exec_shows_filename_and_argv)
{
	const struct lc_rec *exec, *frk;
	int status;
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		static char *const argv[] = { "true", "a b", "x,y", "\\", NULL };
		static char *const envp[] = { NULL };

		execve("/bin/true", argv, envp);
		_exit(127);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);
	check_life(_metadata, &self->log, child, status);

	exec = lc_find(&self->log, 0, "exec", child);
	frk = lc_find(&self->log, 0, "fork", child);
	ASSERT_NE(NULL, exec) lc_dump(&self->log, getpid());
	ASSERT_NE(NULL, frk);
	EXPECT_EQ(child, exec->tgid);
	EXPECT_EQ(getpid(), exec->ppid);
	EXPECT_EQ(child, lc_num(exec, "old_pid"));
	EXPECT_STREQ("/bin/true", lc_str(exec, "filename"));
	EXPECT_STREQ("0", lc_str(exec, "filename_trunc"));
	EXPECT_STREQ("true,a\\x20b,x\\x2cy,\\x5c", lc_str(exec, "argv"));
	EXPECT_STREQ("0", lc_str(exec, "argv_trunc"));
	EXPECT_STREQ("true", exec->comm);
	EXPECT_LT(frk->seq, exec->seq);
	EXPECT_LT(exec->seq, lc_find(&self->log, 0, "exit", child)->seq);
	EXPECT_EQ(1, lc_count(&self->log, "exec", child));
}

TEST_F(basic, exit_code)
{
	int status;
	pid_t child;

	child = lc_run_exit(3, &status);
	ASSERT_LT(0, child);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(3, WEXITSTATUS(status));
	check_life(_metadata, &self->log, child, status);

	expect_exit(_metadata, &self->log, child, "768 3 - 0");
}

TEST_F(basic, exit_killed_by_sigkill)
{
	const struct lc_rec *sig;
	int status, sync[2];
	pid_t child;

	ASSERT_EQ(0, pipe(sync));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		close(sync[0]);
		lc_sync_wake(sync[1], 'r');
		for (;;)
			pause();
	}
	close(sync[1]);
	ASSERT_EQ('r', lc_sync_wait(sync[0]));
	close(sync[0]);
	ASSERT_EQ(0, kill(child, SIGKILL));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	check_life(_metadata, &self->log, child, status);

	expect_exit(_metadata, &self->log, child, "9 - 9 0");

	/* the SIGKILL itself: generated by us for the child */
	sig = lc_find(&self->log, 0, "signal", child);
	ASSERT_NE(NULL, sig) lc_dump(&self->log, getpid());
	EXPECT_EQ(SIGKILL, lc_num(sig, "signal"));
	EXPECT_EQ(getpid(), lc_num(sig, "sender_pid"));
	EXPECT_EQ(getpid(), lc_num(sig, "sender_tgid"));
	EXPECT_STREQ("delivered", lc_str(sig, "result"));
	EXPECT_STREQ("1", lc_str(sig, "group"));
	EXPECT_LT(sig->seq, lc_find(&self->log, 0, "exit", child)->seq);
}

/*
 * abort() with core dumps allowed into the guest's tmpfs /tmp.  Whether a
 * core is really written depends on core_pattern, so the record is
 * compared with what waitpid() said, bit for bit.
 */
TEST_F(basic, exit_abort_core)
{
	const struct lc_rec *exit;
	int status;
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		if (chdir("/tmp") || setrlimit(RLIMIT_CORE, &rl))
			_exit(100);
		signal(SIGABRT, SIG_DFL);
		abort();
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x", status);
	ASSERT_EQ(SIGABRT, WTERMSIG(status));
	TH_LOG("waitpid status %#x, core dumped: %d", status,
	       !!WCOREDUMP(status));
	check_life(_metadata, &self->log, child, status);

	exit = lc_find(&self->log, 0, "exit", child);
	ASSERT_NE(NULL, exit);
	EXPECT_EQ(SIGABRT, lc_num(exit, "signal"));
}

TEST_HARNESS_MAIN
