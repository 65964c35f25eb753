// SPDX-License-Identifier: GPL-2.0
/*
 * reparent.c - orphans: a double-fork daemon adopted by init, orphans
 * adopted by a PR_SET_CHILD_SUBREAPER ancestor (alive and as a zombie),
 * and a CLONE_PARENT child, which never becomes an orphan at all.
 *
 * The init of the test VM (scripts/vm-init.c) reaps everything, so the
 * daemon's reap by pid 1 is recorded as a wait.
 */
#include "kselftest_harness.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "lc_test.h"

FIXTURE(reparent) {
	struct lc_log log;
};

LC_LOG_SETUP(reparent);

static int read_pid(int fd)
{
	pid_t pid;

	return read(fd, &pid, sizeof(pid)) == sizeof(pid) ? pid : -1;
}

static void write_pid(int fd, pid_t pid)
{
	if (write(fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(90);
}

/*
 * T forks I, I forks D, D calls setsid() and I exits: D is adopted by
 * init, exits with 7 when T says so, and init reaps it.
 */
TEST_F(reparent, double_fork_daemon_to_init)
{
	const struct lc_rec *frk, *sid, *rep, *ex, *reap;
	int pids[2], go[2], status;
	pid_t mid, daemon;

	ASSERT_EQ(0, pipe(pids));
	ASSERT_EQ(0, pipe(go));
	mid = fork();
	ASSERT_GE(mid, 0);
	if (mid == 0) {
		int ready[2];
		pid_t d;

		if (pipe(ready))
			_exit(91);
		d = fork();
		if (d == 0) {
			if (setsid() != getpid())
				_exit(92);
			lc_sync_wake(ready[1], 'r');
			_exit(lc_sync_wait(go[0]) == 'g' ? 7 : 93);
		}
		if (d < 0 || lc_sync_wait(ready[0]) != 'r')
			_exit(94);
		write_pid(pids[1], d);
		_exit(0);
	}
	daemon = read_pid(pids[0]);
	ASSERT_GT(daemon, 0);
	ASSERT_EQ(mid, waitpid(mid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, lc_sync_wake(go[1], 'g'));

	reap = lc_wait(&self->log, 0, "reap", daemon, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(&self->log, 0);
	frk = lc_find(&self->log, 0, "fork", daemon);
	sid = lc_find(&self->log, 0, "setsid", daemon);
	rep = lc_find(&self->log, 0, "reparent", daemon);
	ex = lc_find(&self->log, 0, "exit", daemon);
	ASSERT_NE(NULL, frk);
	ASSERT_NE(NULL, sid) lc_dump(&self->log, 0);
	ASSERT_NE(NULL, rep) lc_dump(&self->log, 0);
	ASSERT_NE(NULL, ex);

	EXPECT_EQ(mid, frk->ppid);
	EXPECT_EQ(mid, lc_num(frk, "creator_pid"));
	EXPECT_EQ(daemon, lc_num(sid, "sid"));
	EXPECT_EQ(mid, sid->ppid);

	EXPECT_EQ(daemon, rep->tgid);
	EXPECT_EQ(1, rep->ppid);
	EXPECT_EQ(mid, lc_num(rep, "old_ppid"));
	EXPECT_EQ(1, lc_num(rep, "new_ppid"));
	EXPECT_STREQ("init", lc_str(rep, "reason"));
	EXPECT_STREQ("0", lc_str(rep, "zombie"));

	EXPECT_EQ(1, ex->ppid);
	EXPECT_EQ(7, lc_num(ex, "code"));
	EXPECT_STREQ("1", lc_str(ex, "group_dead"));

	EXPECT_EQ(1, lc_num(reap, "reaper_pid"));
	EXPECT_EQ(1, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));

	/* the story, in order; the middle process's exit orphans D */
	EXPECT_LT(frk->seq, sid->seq);
	EXPECT_LT(sid->seq, rep->seq);
	EXPECT_LT(lc_find(&self->log, 0, "exit", mid)->seq, rep->seq);
	EXPECT_LT(rep->seq, ex->seq);
	EXPECT_LT(ex->seq, reap->seq);
	EXPECT_EQ(1, lc_count(&self->log, "reparent", daemon));
}

FIXTURE(subreaper) {
	struct lc_log log;
};

FIXTURE_VARIANT(subreaper) {
	bool zombie;	/* the orphan has exited before its parent does */
};

FIXTURE_VARIANT_ADD(subreaper, alive) {
	.zombie = false,
};

FIXTURE_VARIANT_ADD(subreaper, zombie) {
	.zombie = true,
};

LC_LOG_SETUP(subreaper);

/*
 * We are a subreaper.  M forks O and exits; O is adopted by us, not by
 * init.  In the zombie variant O has exited before M does, so a zombie
 * moves.
 */
TEST_F(subreaper, orphan_adopted)
{
	const struct lc_rec *rep, *ex, *reap;
	struct lc_log *log = &self->log;
	bool zombie = variant->zombie;
	int pids[2], go[2], status;
	pid_t me = getpid(), mid, orphan;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, pipe(pids));
	ASSERT_EQ(0, pipe(go));
	mid = fork();
	ASSERT_GE(mid, 0);
	if (mid == 0) {
		siginfo_t si;
		pid_t o = fork();

		if (o == 0)
			_exit(zombie || lc_sync_wait(go[0]) == 'g' ? 5 : 95);
		if (o < 0)
			_exit(96);
		/* leave a zombie: wait for its exit without reaping it */
		if (zombie && waitid(P_PID, o, &si, WEXITED | WNOWAIT))
			_exit(97);
		write_pid(pids[1], o);
		_exit(0);
	}
	orphan = read_pid(pids[0]);
	ASSERT_GT(orphan, 0);
	ASSERT_EQ(mid, waitpid(mid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, lc_sync_wake(go[1], 'g'));
	/* it is ours now: waitpid() only works for our own children */
	ASSERT_EQ(orphan, waitpid(orphan, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(5, WEXITSTATUS(status));

	reap = lc_wait(log, 0, "reap", orphan, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, 0);
	rep = lc_find(log, 0, "reparent", orphan);
	ex = lc_find(log, 0, "exit", orphan);
	ASSERT_NE(NULL, rep) lc_dump(log, 0);
	ASSERT_NE(NULL, ex);

	EXPECT_EQ(me, rep->ppid);
	EXPECT_EQ(mid, lc_num(rep, "old_ppid"));
	EXPECT_EQ(me, lc_num(rep, "new_ppid"));
	EXPECT_STREQ("subreaper", lc_str(rep, "reason"));
	EXPECT_STREQ(zombie ? "1" : "0", lc_str(rep, "zombie"));

	EXPECT_EQ(zombie ? mid : me, ex->ppid);
	EXPECT_EQ(5, lc_num(ex, "code"));
	EXPECT_EQ(me, reap->ppid);
	EXPECT_EQ(me, lc_num(reap, "reaper_pid"));
	EXPECT_EQ(me, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));

	EXPECT_LT(lc_find(log, 0, "exit", mid)->seq, rep->seq);
	/* a zombie moves after its exit, a live orphan before it */
	EXPECT_EQ(zombie, ex->seq < rep->seq);
	EXPECT_LT(rep->seq, reap->seq);
	EXPECT_EQ(1, lc_count(log, "reparent", orphan));
}

/*
 * C clones G with CLONE_PARENT: G is our child from the start, so C's
 * exit orphans nobody.
 */
TEST_F(reparent, clone_parent)
{
	const struct lc_rec *frk, *ex, *reap;
	int pids[2], go[2], status;
	pid_t me = getpid(), c, g;

	ASSERT_EQ(0, pipe(pids));
	ASSERT_EQ(0, pipe(go));
	c = fork();
	ASSERT_GE(c, 0);
	if (c == 0) {
		/* raw clone, no new stack: the child returns here like fork */
		pid_t gc = syscall(SYS_clone, CLONE_PARENT, 0, 0, 0, 0);

		if (gc == 0)
			_exit(lc_sync_wait(go[0]) == 'g' ? 4 : 98);
		if (gc < 0)
			_exit(99);
		write_pid(pids[1], gc);
		_exit(0);
	}
	g = read_pid(pids[0]);
	ASSERT_GT(g, 0);
	ASSERT_EQ(c, waitpid(c, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, lc_sync_wake(go[1], 'g'));
	ASSERT_EQ(g, waitpid(g, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(4, WEXITSTATUS(status));

	reap = lc_wait(&self->log, 0, "reap", g, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(&self->log, 0);
	lc_settle(&self->log, 200);
	frk = lc_find(&self->log, 0, "fork", g);
	ex = lc_find(&self->log, 0, "exit", g);
	reap = lc_find(&self->log, 0, "reap", g);
	ASSERT_NE(NULL, frk);
	ASSERT_NE(NULL, ex);

	EXPECT_EQ(g, frk->tgid);
	EXPECT_EQ(me, frk->ppid);
	EXPECT_EQ(c, lc_num(frk, "creator_pid"));
	EXPECT_EQ(c, lc_num(frk, "creator_tgid"));
	EXPECT_EQ(CLONE_PARENT, lc_num(frk, "clone_flags") & ~CSIGNAL);
	EXPECT_STREQ("0", lc_str(frk, "thread"));

	EXPECT_EQ(0, lc_count(&self->log, "reparent", g)) lc_dump(&self->log, 0);
	EXPECT_EQ(me, ex->ppid);
	EXPECT_EQ(4, lc_num(ex, "code"));
	EXPECT_EQ(me, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));
	EXPECT_LT(lc_find(&self->log, 0, "exit", c)->seq, ex->seq);
}

TEST_HARNESS_MAIN
