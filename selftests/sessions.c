// SPDX-License-Identifier: GPL-2.0
/*
 * sessions.c - process groups and sessions: setpgid() by the process
 * itself and by its parent, and setsid().
 */
#include "kselftest_harness.h"

#include "lc_test.h"

FIXTURE(sessions) {
	struct lc_log log;
};

LC_LOG_SETUP(sessions);

/* The one record of @event for @child, found after its reap. */
static const struct lc_rec *one(struct __test_metadata *_metadata,
				struct lc_log *log, const char *event,
				pid_t child)
{
	const struct lc_rec *r;

	if (!lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS))
		return NULL;
	r = lc_find(log, 0, event, child);
	EXPECT_NE(NULL, r) lc_dump(log, child);
	EXPECT_EQ(1, lc_count(log, event, child)) lc_dump(log, child);
	return r;
}

TEST_F(sessions, setpgid_self)
{
	const struct lc_rec *r;
	pid_t child, pgrp = getpgrp();
	int status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0)
		_exit(setpgid(0, 0) ? 1 : 0);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);

	r = one(_metadata, &self->log, "setpgid", child);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(child, r->tgid);
	EXPECT_EQ(getpid(), r->ppid);
	EXPECT_EQ(child, lc_num(r, "pgid"));
	EXPECT_EQ(pgrp, lc_num(r, "old_pgid"));
	EXPECT_EQ(0, lc_count(&self->log, "setsid", child));
}

/* The parent moves the child into a new group: the record is the child's. */
TEST_F(sessions, setpgid_by_parent)
{
	const struct lc_rec *r;
	pid_t child, pgrp = getpgrp();
	int go[2], status;

	ASSERT_EQ(0, pipe(go));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0)
		_exit(lc_sync_wait(go[0]) == 'g' && getpgrp() == getpid() ?
		      0 : 1);
	ASSERT_EQ(0, setpgid(child, child));
	ASSERT_EQ(0, lc_sync_wake(go[1], 'g'));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);

	r = one(_metadata, &self->log, "setpgid", child);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(child, r->pid);
	EXPECT_EQ(child, lc_num(r, "pgid"));
	EXPECT_EQ(pgrp, lc_num(r, "old_pgid"));
}

TEST_F(sessions, setsid)
{
	const struct lc_rec *r;
	pid_t child;
	int status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0)
		_exit(setsid() == getpid() && getsid(0) == getpid() ? 0 : 1);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);

	r = one(_metadata, &self->log, "setsid", child);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(child, r->tgid);
	EXPECT_EQ(getpid(), r->ppid);
	EXPECT_EQ(child, lc_num(r, "sid"));
	/* a new session is a new group too, but that is no setpgid() */
	EXPECT_EQ(0, lc_count(&self->log, "setpgid", child));
}

/* A group leader may not start a session: no record for a failure. */
TEST_F(sessions, setsid_fails_for_group_leader)
{
	pid_t child;
	int status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setpgid(0, 0))
			_exit(1);
		_exit(setsid() == -1 && errno == EPERM ? 0 : 2);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_NE(NULL, one(_metadata, &self->log, "setpgid", child));
	EXPECT_EQ(0, lc_count(&self->log, "setsid", child))
		lc_dump(&self->log, child);
}

TEST_HARNESS_MAIN
