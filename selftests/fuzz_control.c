// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_control.c - random, garbage and overlong writes into the only
 * writable file, debugfs control.  Nothing crashes, every write is either
 * a command or refused (-EINVAL, -ESRCH), a reader open throughout loses
 * nothing, and the module works normally afterwards.
 */
#include "kselftest_harness.h"

#include "lc_test.h"

#define CONTROL		"/sys/kernel/debug/lifecycle/control"
#define ROUNDS		20000
#define SECONDS		60	/* the debug kernel is 10x slower */

static const char *const seeds[] = {
	"events all", "events fork,exec,exit", "events fork", "track pid 1",
	"track comm sh", "track off", "events reap,reparent", "track pid 2",
};

/* One input: random bytes, an overlong run, or a mutated command. */
static size_t make_input(char *buf, size_t size, unsigned int *seed)
{
	size_t len, i;

	switch (rand_r(seed) % 4) {
	case 0:
		len = rand_r(seed) % 300;
		for (i = 0; i < len; i++)
			buf[i] = rand_r(seed);
		return len;
	case 1:
		len = 100 + rand_r(seed) % (size - 100);
		memset(buf, "a,9\n "[rand_r(seed) % 5], len);
		memcpy(buf, "events ", 7);
		return len;
	default:
		snprintf(buf, size, "%s", seeds[rand_r(seed) % 8]);
		len = strlen(buf);
		for (i = rand_r(seed) % 4; i; i--)
			buf[rand_r(seed) % len] = rand_r(seed) % 128;
		if (rand_r(seed) % 3 == 0)
			len = rand_r(seed) % (len + 1);
		return len;
	}
}

/* "clear" is a command that empties the log on purpose: never send it. */
static bool is_clear(const char *buf, size_t len)
{
	return len >= 5 && !memcmp(buf, "clear", 5) &&
	       (len == 5 || (len == 6 && buf[5] == '\n'));
}

TEST(control_garbage)
{
	static char buf[8192];
	unsigned int seed = 42, i, accepted = 0, refused = 0;
	unsigned long long end = lc_now_ns() + SECONDS * LC_NSEC;
	struct lc_log log;
	const struct lc_rec *r;
	size_t len;
	pid_t child;
	int fd;

	if (access(CONTROL, W_OK) || lc_open(&log))
		SKIP(return, "needs root, debugfs and lifecycle.ko");
	fd = open(CONTROL, O_WRONLY);
	ASSERT_GE(fd, 0);
	for (i = 0; i < ROUNDS && lc_now_ns() < end; i++) {
		len = make_input(buf, sizeof(buf), &seed);
		if (is_clear(buf, len))
			continue;
		if (write(fd, buf, len) == (ssize_t)len) {
			accepted++;
			continue;
		}
		refused++;
		ASSERT_TRUE(errno == EINVAL || errno == ESRCH)
			TH_LOG("input %u: %s", i, strerror(errno));
	}
	TH_LOG("%u inputs: %u accepted, %u refused", i, accepted, refused);
	ASSERT_EQ(9, write(fd, "track off", 9));
	ASSERT_EQ(10, write(fd, "events all", 10));
	close(fd);

	child = lc_run_exit(5, NULL);
	ASSERT_LT(0, child);
	r = lc_wait(&log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, r);
	r = lc_find(&log, 0, "exit", child);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(5, lc_num(r, "code"));
	EXPECT_FALSE(lc_lost(&log));
	EXPECT_EQ(0, lc_seq_gaps(&log));
	EXPECT_EQ(0, log.bad_lines);
	EXPECT_LT(i / 2, refused);
	lc_close(&log);
}

TEST_HARNESS_MAIN
