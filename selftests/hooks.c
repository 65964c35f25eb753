// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - every live hook fires.
 *
 * debugfs stats lists each tracepoint and kprobe the module uses, whether
 * it is live, and how often its probe ran ("tracepoint_NAME_fired N",
 * "kprobe_SYMBOL_fired N").  Each test plays the one scenario that must
 * reach a hook and asserts that every live hook of that scenario fired
 * and that the scenario's own record is in the log.  A hook that
 * registers but never fires (a function the compiler partly inlined or
 * cloned, so that callers bypass the probed copy) fails here.
 */
#include "kselftest_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "lc_test.h"

#define CONTROL		"/sys/kernel/debug/lifecycle/control"

/* The stats names of a hook: "tracepoint_X" or "kprobe_X", and _fired. */
static long long hook_live(const char *hook)
{
	return lc_stat(hook);
}

static long long hook_fired(const char *hook)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_fired", hook);
	return lc_stat(name);
}

static int control(const char *cmd)
{
	int fd = open(CONTROL, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -errno;
}

#define MAX_HOOKS	8

struct snap {
	const char *hook[MAX_HOOKS];
	long long before[MAX_HOOKS];
	int n;
};

FIXTURE(hooks) {
	struct lc_log log;
	struct snap snap;
};

FIXTURE_SETUP(hooks)
{
	if (!lc_log_setup(_metadata, &self->log))
		return;
	if (access(LC_STATS, R_OK))
		SKIP(return, "%s missing: debugfs not mounted", LC_STATS);
	self->snap.n = 0;
}

FIXTURE_TEARDOWN(hooks)
{
	lc_close(&self->log);
}

/* Remember the fire count of @hook; a hook that is not live is skipped. */
static void watch(struct __test_metadata *_metadata, struct snap *s,
		  const char *hook)
{
	long long live = hook_live(hook);

	ASSERT_NE(-1, live) TH_LOG("no '%s' line in %s", hook, LC_STATS);
	if (!live) {
		TH_LOG("%s is not live (its fallback is in use): not checked",
		       hook);
		return;
	}
	ASSERT_LT(s->n, MAX_HOOKS);
	s->hook[s->n] = hook;
	s->before[s->n] = hook_fired(hook);
	ASSERT_LE(0, s->before[s->n]) TH_LOG("no %s_fired line", hook);
	s->n++;
}

/* Every watched hook fired at least once since watch(). */
static void all_fired(struct __test_metadata *_metadata, struct snap *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		long long now = hook_fired(s->hook[i]);

		EXPECT_LT(s->before[i], now)
			TH_LOG("%s is live but did not fire (%lld -> %lld)",
			       s->hook[i], s->before[i], now);
	}
}

static pid_t spawn(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid;
}

static void do_exec(void)
{
	execl("/bin/true", "true", (char *)NULL);
	_exit(99);
}

/* fork, exec, exit, the SIGCHLD to the parent, and the wait's reap. */
TEST_F(hooks, fork_exec_exit_signal_reap)
{
	const struct lc_rec *r;
	int status;
	pid_t pid;

	watch(_metadata, &self->snap, "tracepoint_task_newtask");
	watch(_metadata, &self->snap, "tracepoint_sched_process_fork");
	watch(_metadata, &self->snap, "tracepoint_sched_process_exec");
	watch(_metadata, &self->snap, "tracepoint_sched_process_exit");
	watch(_metadata, &self->snap, "tracepoint_signal_generate");
	watch(_metadata, &self->snap, "kprobe_posix_cpu_timers_exit_group");
	pid = spawn(do_exec);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	r = lc_wait(&self->log, 0, "reap", pid, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(getpid(), lc_num(r, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(r, "how"));
	r = lc_find(&self->log, 0, "exec", pid);
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("/bin/true", lc_str(r, "filename"));
	r = lc_find(&self->log, 0, "signal", getpid());
	ASSERT_NE(NULL, r);
	EXPECT_EQ(SIGCHLD, lc_num(r, "signal"));
	all_fired(_metadata, &self->snap);
}

/* The reap fallback, sched_process_free, is live only without the kprobe. */
TEST_F(hooks, free_fallback)
{
	int status;
	pid_t pid;

	if (hook_live("tracepoint_sched_process_free") != 1)
		SKIP(return, "the reap kprobe is live; sched_process_free is not used");
	watch(_metadata, &self->snap, "tracepoint_sched_process_free");
	pid = spawn(do_exec);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	/* The task is freed from an RCU callback, some time after the reap. */
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "reap", pid, LC_TIMEOUT_MS));
	all_fired(_metadata, &self->snap);
}

/* A child whose own child outlives it: that orphan goes to us. */
TEST_F(hooks, reparent)
{
	const struct lc_rec *r;
	int pids[2], go[2], status;
	pid_t mid, orphan;

	watch(_metadata, &self->snap, "kprobe_kill_orphaned_pgrp");
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(pids));
	ASSERT_EQ(0, pipe(go));
	mid = fork();
	ASSERT_LE(0, mid);
	if (mid == 0) {
		close(pids[0]);
		close(go[1]);
		orphan = fork();
		if (orphan == 0) {
			char c;

			close(pids[1]);
			/* EOF once the test has seen the adoption. */
			_exit(read(go[0], &c, 1) < 0 ? 91 : 0);
		}
		if (write(pids[1], &orphan, sizeof(orphan)) != sizeof(orphan))
			_exit(90);
		_exit(0);
	}
	close(pids[1]);
	close(go[0]);
	ASSERT_EQ(sizeof(orphan), read(pids[0], &orphan, sizeof(orphan)));
	close(pids[0]);
	ASSERT_EQ(mid, lc_reap(mid, &status, LC_TIMEOUT_MS));
	r = lc_wait(&self->log, 0, "reparent", orphan, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(mid, lc_num(r, "old_ppid"));
	EXPECT_EQ(getpid(), lc_num(r, "new_ppid"));
	close(go[1]);
	ASSERT_EQ(orphan, lc_reap(orphan, &status, LC_TIMEOUT_MS));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 0));
	all_fired(_metadata, &self->snap);
}

static void do_stop(void)
{
	raise(SIGSTOP);
	_exit(0);
}

/* A job-control stop and continue, told to the parent. */
TEST_F(hooks, stop_cont)
{
	const struct lc_rec *r;
	int status;
	pid_t pid;

	watch(_metadata, &self->snap, "kprobe_do_notify_parent_cldstop");
	pid = spawn(do_stop);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	r = lc_wait(&self->log, 0, "stop", pid, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(SIGSTOP, lc_num(r, "signal"));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "cont", pid, LC_TIMEOUT_MS));
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	all_fired(_metadata, &self->snap);
}

static void do_setsid(void)
{
	_exit(setsid() == getpid() ? 0 : 1);
}

static void do_setpgid(void)
{
	_exit(setpgid(0, 0) ? 1 : 0);
}

TEST_F(hooks, setsid)
{
	const struct lc_rec *r;
	int status;
	pid_t pid;

	watch(_metadata, &self->snap, "kprobe_ksys_setsid");
	pid = spawn(do_setsid);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(0, WEXITSTATUS(status));
	r = lc_wait(&self->log, 0, "setsid", pid, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(pid, lc_num(r, "sid"));
	all_fired(_metadata, &self->snap);
}

TEST_F(hooks, setpgid)
{
	const struct lc_rec *r;
	int status;
	pid_t pid;

	watch(_metadata, &self->snap, "kprobe___do_sys_setpgid");
	pid = spawn(do_setpgid);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(0, WEXITSTATUS(status));
	r = lc_wait(&self->log, 0, "setpgid", pid, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(pid, lc_num(r, "pgid"));
	all_fired(_metadata, &self->snap);
}

static void do_sleep_fork(void)
{
	pid_t pid;

	usleep(200000);
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	usleep(200000);
}

/* The scheduler hooks are registered only while a selection is active. */
TEST_F(hooks, state_tracking)
{
	int ret, status;
	char cmd[64];
	pid_t pid;

	ret = control("track off");
	if (ret == -ENOENT || ret == -EPERM || ret == -EACCES)
		SKIP(return, "cannot write %s: %s", CONTROL, strerror(-ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, hook_live("tracepoint_sched_switch"));
	pid = spawn(do_sleep_fork);
	ASSERT_LT(0, pid);
	snprintf(cmd, sizeof(cmd), "track pid %d", pid);
	ASSERT_EQ(0, control(cmd));
	watch(_metadata, &self->snap, "tracepoint_sched_switch");
	watch(_metadata, &self->snap, "tracepoint_sched_wakeup");
	watch(_metadata, &self->snap, "tracepoint_sched_wakeup_new");
	EXPECT_EQ(3, self->snap.n) TH_LOG("tracking on, yet not every scheduler hook is live");
	ASSERT_EQ(pid, lc_reap(pid, &status, LC_TIMEOUT_MS));
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "state", pid, LC_TIMEOUT_MS));
	all_fired(_metadata, &self->snap);
	ASSERT_EQ(0, control("track off"));
	EXPECT_EQ(0, hook_live("tracepoint_sched_switch"));
}

TEST_HARNESS_MAIN
