// SPDX-License-Identifier: GPL-2.0
/*
 * perms.c - a reader without CAP_SYS_ADMIN sees only records about its
 * own uid, and cannot write to the control file.
 */
#include "kselftest_harness.h"

#include "lc_test.h"

#define CONTROL		"/sys/kernel/debug/lifecycle/control"

TEST(non_root_sees_own_uid_only)
{
	int status, up[2], down[2];
	pid_t reader, mine, root_child;

	if (access(LC_PATH, R_OK) || getuid() != 0)
		SKIP(return, "needs root and lifecycle.ko");
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	reader = fork();
	ASSERT_GE(reader, 0);
	if (reader == 0) {
		struct lc_log log;
		const struct lc_rec *ex;
		size_t i;
		char c;

		close(up[0]);
		close(down[1]);
		if (setgid(LC_NOBODY) || setuid(LC_NOBODY))
			_exit(1);
		if (lc_open(&log))
			_exit(7);
		/* Our own child, as nobody. */
		mine = fork();
		if (mine == 0)
			_exit(4);
		waitpid(mine, &status, 0);
		if (write(up[1], "r", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(2);
		ex = lc_wait(&log, 0, "exit", mine, LC_TIMEOUT_MS);
		if (!ex || lc_num(ex, "code") != 4)
			_exit(3);
		lc_settle(&log, 300);
		for (i = 0; i < log.nr; i++)
			if (log.recs[i].uid != LC_NOBODY &&
			    strcmp(log.recs[i].event, "lost")) {
				lc_dump(&log, 0);
				_exit(5);
			}
		/* Writing control needs CAP_SYS_ADMIN. */
		if (open(CONTROL, O_WRONLY) >= 0 || (errno != EACCES &&
						     errno != EPERM))
			_exit(6);
		_exit(0);
	}
	/* A root process acts while the nobody reader reads. */
	close(up[1]);
	close(down[0]);
	if (lc_sync_wait(up[0]) != 'r') {
		waitpid(reader, &status, 0);
		ASSERT_EQ(0, WEXITSTATUS(status))
			TH_LOG("1 setuid, 7 open failed");
	}
	root_child = lc_run_exit(3, &status);
	ASSERT_LT(0, root_child);
	ASSERT_EQ(0, lc_sync_wake(down[1], 'g'));
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("1 setup, 3 own exit missing, 5 saw another uid, 6 control writable");
}

TEST_HARNESS_MAIN
