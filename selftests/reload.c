// SPDX-License-Identifier: GPL-2.0
/*
 * reload.c - unload and reload lifecycle.ko ten times while readers are
 * open: one only holds /proc/lifecycle, one is blocked in a follow read,
 * one is blocked in poll().  The storm variant does it while every CPU
 * forks.  Unloading must not wait for them, must end
 * the blocked calls with EOF (read) and EPOLLHUP (poll), and the module
 * must load again.
 *
 * The module is the one vm-init loaded: lc.module=PATH (and
 * lc.modparams="...") on the kernel command line, or, on a real machine,
 * LC_MODULE=PATH (and LC_MODPARAMS="...") in the environment, with that
 * module loaded.  Without either the test skips, so it never unloads a
 * module on a machine it was not meant for.
 */
#include "kselftest_harness.h"

#include <ctype.h>
#include <sys/syscall.h>

#include "lc_test.h"

#define RELOADS		10

/* What a reader child reports through its exit code. */
enum {
	READER_EOF,		/* read() returned 0 / poll() said EPOLLHUP */
	READER_GONE,		/* -EIO: it came back after the file died */
	READER_ERROR,
};

FIXTURE(reload) {
	char path[4096];
	char params[1024];
	char name[64];
	pid_t storm[8];
	int nstorm;
};

/* quiet: nothing else runs; storm: every CPU forks throughout. */
FIXTURE_VARIANT(reload) {
	bool storm;
};

FIXTURE_VARIANT_ADD(reload, quiet) {
	.storm = false,
};

FIXTURE_VARIANT_ADD(reload, storm) {
	.storm = true,
};

static void storm_worker(void)
{
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

/* Copy the value of "key=" from the kernel command line; quotes group. */
static bool cmdline_param(const char *key, char *out, size_t size)
{
	char buf[4096], *p;
	size_t klen = strlen(key), o = 0;
	bool quoted = false;

	if (lc_read_file("/proc/cmdline", buf, sizeof(buf)) <= 0)
		return false;
	for (p = buf; (p = strstr(p, key)); p += klen) {
		if ((p == buf || p[-1] == ' ') && p[klen] == '=')
			break;
	}
	if (!p)
		return false;
	for (p += klen + 1; *p && o + 1 < size; p++) {
		if (!quoted && isspace((unsigned char)*p))
			break;
		if (*p == '"')
			quoted = !quoted;
		else
			out[o++] = *p;
	}
	out[o] = '\0';
	return true;
}

FIXTURE_SETUP(reload)
{
	const char *env = getenv("LC_MODULE");
	char *base, *dot;

	if (env && *env) {
		snprintf(self->path, sizeof(self->path), "%s", env);
		env = getenv("LC_MODPARAMS");
		snprintf(self->params, sizeof(self->params), "%s",
			 env ? env : "");
	} else {
		if (!cmdline_param("lc.module", self->path,
				   sizeof(self->path)) || !self->path[0])
			SKIP(return, "no lc.module= on the kernel command line, no LC_MODULE");
		if (!cmdline_param("lc.modparams", self->params,
				   sizeof(self->params)))
			self->params[0] = '\0';
	}
	base = strrchr(self->path, '/');
	base = base ? base + 1 : self->path;
	snprintf(self->name, sizeof(self->name), "%.*s",
		 (int)sizeof(self->name) - 1, base);
	dot = strstr(self->name, ".ko");
	if (dot)
		*dot = '\0';
	for (dot = self->name; *dot; dot++)
		if (*dot == '-')
			*dot = '_';
	ASSERT_EQ(0, access(LC_PATH, R_OK)) TH_LOG("%s is not loaded", self->name);
	self->nstorm = 0;
	while (variant->storm && self->nstorm < sysconf(_SC_NPROCESSORS_ONLN) &&
	       self->nstorm < 8) {
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (pid == 0)
			storm_worker();
		self->storm[self->nstorm++] = pid;
	}
}

FIXTURE_TEARDOWN(reload)
{
	int i;

	for (i = 0; i < self->nstorm; i++) {
		kill(self->storm[i], SIGKILL);
		waitpid(self->storm[i], NULL, 0);
	}
}

/* The syscall number /proc/@pid/syscall shows, -1 if running/unknown. */
static long blocked_in(pid_t pid)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || !isdigit((unsigned char)buf[0]))
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* Wait until @pid sleeps in syscall @nr1 or @nr2. */
static bool wait_blocked(pid_t pid, long nr1, long nr2)
{
	unsigned long long end = lc_now_ns() + LC_TIMEOUT_MS * 1000000ULL;
	long nr;

	while (lc_now_ns() < end) {
		nr = blocked_in(pid);
		if ((nr == nr1 || nr == nr2) && lc_proc_state(pid) == 'S')
			return true;
		lc_sleep_ms(5);
	}
	return false;
}

static int open_reader(int ready)
{
	int fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, LC_IOC_TAIL))
		_exit(READER_ERROR);
	lc_sync_wake(ready, 'r');
	return fd;
}

/* Child: hold the file until told, then read once. */
static void holder(int ready, int go)
{
	int fd = open_reader(ready);
	char buf[LC_LINE_MAX];
	ssize_t n;

	if (lc_sync_wait(go) != 'g')
		_exit(READER_ERROR);
	n = read(fd, buf, sizeof(buf));
	if (n == 0)
		_exit(READER_EOF);
	_exit(n < 0 && errno == EIO ? READER_GONE : READER_ERROR);
}

/* Child: follow the log until read() stops returning lines. */
static void follower(int ready)
{
	int fd = open_reader(ready);
	char buf[LC_LINE_MAX];
	ssize_t n;

	if (ioctl(fd, LC_IOC_FOLLOW))
		_exit(READER_ERROR);
	do {
		n = read(fd, buf, sizeof(buf));
	} while (n > 0);
	if (n == 0)
		_exit(READER_EOF);
	_exit(errno == EIO ? READER_GONE : READER_ERROR);
}

/* Child: poll() until EPOLLHUP, draining the lines that arrive. */
static void poller(int ready)
{
	int fd = open_reader(ready);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[LC_LINE_MAX];
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, -1) != 1)
			_exit(READER_ERROR);
		if (pfd.revents & POLLHUP)
			_exit(READER_EOF);
		do {
			n = read(fd, buf, sizeof(buf));
		} while (n > 0);
		if (n < 0)
			_exit(errno == EIO ? READER_GONE : READER_ERROR);
	}
}

static pid_t start(void (*fn)(int), int ready)
{
	pid_t pid = fork();

	if (pid == 0)
		fn(ready);
	return pid;
}

static int reader_result(pid_t pid)
{
	int status;

	if (lc_reap(pid, &status, LC_TIMEOUT_MS) != pid)
		return -1;	/* still blocked: the unload did not wake it */
	return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

/* The new module's file works: the header, then a record of ours. */
static void check_fresh(struct __test_metadata *_metadata)
{
	struct lc_log log;
	const struct lc_rec *r;
	pid_t child;

	ASSERT_EQ(0, lc_open(&log));
	child = lc_run_exit(0, NULL);
	ASSERT_LT(0, child);
	r = lc_wait(&log, 0, "reap", child, LC_TIMEOUT_MS);
	EXPECT_TRUE(log.header_seen);
	EXPECT_NE(NULL, r);
	EXPECT_NE(NULL, lc_find(&log, 0, "fork", child));
	lc_close(&log);
}

/* Unload the module; its file must be gone. */
static void unload(struct __test_metadata *_metadata, const char *name)
{
	ASSERT_EQ(0, syscall(SYS_delete_module, name, O_NONBLOCK))
		TH_LOG("delete_module %s: %s", name, strerror(errno));
	EXPECT_NE(0, access(LC_PATH, F_OK));
}

/* Load the module from @path with @params. */
static void load(struct __test_metadata *_metadata, const char *path,
		 const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ASSERT_GE(fd, 0) TH_LOG("open %s: %s", path, strerror(errno));
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, params, 0))
		TH_LOG("finit_module %s: %s", path, strerror(errno));
	close(fd);
}

static void one_reload(struct __test_metadata *_metadata, const char *name,
		       const char *path, const char *params, int hups[2])
{
	int ready[2], go[2], i, res;
	pid_t hold, follow, pollp;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	hold = fork();
	ASSERT_GE(hold, 0);
	if (hold == 0) {
		close(go[1]);
		holder(ready[1], go[0]);
	}
	close(go[0]);
	follow = start(follower, ready[1]);
	pollp = start(poller, ready[1]);
	ASSERT_GE(follow, 0);
	ASSERT_GE(pollp, 0);
	for (i = 0; i < 3; i++)
		ASSERT_EQ('r', lc_sync_wait(ready[0]));
	ASSERT_TRUE(wait_blocked(follow, SYS_read, SYS_read));
	ASSERT_TRUE(wait_blocked(pollp, SYS_poll, SYS_ppoll));

	unload(_metadata, name);

	res = reader_result(follow);
	EXPECT_TRUE(res == READER_EOF || res == READER_GONE)
		TH_LOG("follow reader: %d", res);
	hups[0] += res == READER_EOF;
	res = reader_result(pollp);
	EXPECT_TRUE(res == READER_EOF || res == READER_GONE)
		TH_LOG("poll reader: %d", res);
	hups[1] += res == READER_EOF;

	load(_metadata, path, params);

	/* The holder's file belongs to the old module: it is dead. */
	ASSERT_EQ(0, lc_sync_wake(go[1], 'g'));
	res = reader_result(hold);
	EXPECT_TRUE(res == READER_EOF || res == READER_GONE)
		TH_LOG("holder: %d", res);
	close(ready[0]);
	close(ready[1]);
	close(go[1]);
	check_fresh(_metadata);
}

TEST_F_TIMEOUT(reload, unload_with_readers, 280)
{
	int i, hups[2] = { 0, 0 };

	for (i = 0; i < RELOADS && !_metadata->exit_code; i++)
		one_reload(_metadata, self->name, self->path, self->params,
			   hups);
	/*
	 * A record arriving between our check that a reader sleeps and the
	 * unload can have it outside the call at that moment; it then gets
	 * -EIO instead.  That is rare: the follow reads must end with EOF.
	 * A poller woken by the unload often polls again only after
	 * proc_remove(): procfs then answers for the dead file with its
	 * default mask (no EPOLLHUP) and read() fails with EIO, which the
	 * module cannot prevent, so either ending is accepted for poll.
	 */
	TH_LOG("of %d: %d follow reads ended with EOF, %d polls with EPOLLHUP",
	       RELOADS, hups[0], hups[1]);
	EXPECT_GE(hups[0], RELOADS - 2);
}

/*
 * 100 unload/load cycles (20 under the storm, where each unload waits for
 * RCU grace periods behind the forks), each with a reader open across it.
 */
TEST_F_TIMEOUT(reload, hundred_cycles, 600)
{
	int i, fd, lc, cycles = variant->storm ? 20 : 100;

	fd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	for (i = 0; i < cycles; i++) {
		lc = open(LC_PATH, O_RDONLY);
		ASSERT_GE(lc, 0) TH_LOG("cycle %d: %s", i, strerror(errno));
		ASSERT_EQ(0, syscall(SYS_delete_module, self->name, O_NONBLOCK))
			TH_LOG("cycle %d: delete_module: %s", i, strerror(errno));
		ASSERT_EQ(0, syscall(SYS_finit_module, fd, self->params, 0))
			TH_LOG("cycle %d: finit_module: %s", i, strerror(errno));
		close(lc);
	}
	close(fd);
	check_fresh(_metadata);
}

/*
 * Nonsense parameters fail the load with EINVAL; the module then loads
 * with its real parameters and works.  The storm variant loads under
 * load as well.
 */
TEST_F(reload, bad_params_refused)
{
	static const char *const bad[] = {
		"log_size=300", "log_size=128", "log_size=abc",
		"log_size=4294967296", "lineage_size=0", "lineage_size=-1",
		"track_size=0", "track_size=5000", "argv_max=161",
		"fallback=32", "all_gid=4294967296", "log_size=",
	};
	unsigned int i;
	int fd;

	ASSERT_EQ(0, syscall(SYS_delete_module, self->name, O_NONBLOCK))
		TH_LOG("delete_module %s: %s", self->name, strerror(errno));
	fd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, syscall(SYS_finit_module, fd, bad[i], 0))
			TH_LOG("%s was accepted", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s: %s", bad[i],
						strerror(errno));
		EXPECT_NE(0, access(LC_PATH, F_OK));
	}
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, self->params, 0))
		TH_LOG("finit_module %s: %s", self->path, strerror(errno));
	close(fd);
	check_fresh(_metadata);
}

/*
 * A process stopped before the load: its continue is logged once, after
 * our SIGCONT, and no stop is made up for it.
 */
TEST_F(reload, stopped_before_load)
{
	const struct lc_rec *sig, *cont;
	struct lc_log log;
	int status;
	pid_t child;

	if (variant->storm)
		SKIP(return, "the storm adds nothing here");
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(0, kill(child, SIGSTOP));
	ASSERT_EQ(child, waitpid(child, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	unload(_metadata, self->name);
	load(_metadata, self->path, self->params);

	ASSERT_EQ(0, lc_open(&log));
	ASSERT_EQ(0, kill(child, SIGCONT));
	ASSERT_EQ(child, waitpid(child, &status, WCONTINUED));
	ASSERT_TRUE(WIFCONTINUED(status));
	ASSERT_EQ(0, kill(child, SIGTERM));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));

	ASSERT_NE(NULL, lc_wait(&log, 0, "reap", child, LC_TIMEOUT_MS));
	sig = lc_find(&log, 0, "signal", child);
	cont = lc_find(&log, 0, "cont", child);
	ASSERT_NE(NULL, sig);
	ASSERT_NE(NULL, cont) lc_dump(&log, child);
	EXPECT_EQ(SIGCONT, lc_num(sig, "signal"));
	EXPECT_LT(sig->seq, cont->seq);
	EXPECT_EQ(SIGCONT, lc_num(cont, "signal"));
	EXPECT_EQ(getpid(), cont->ppid);
	EXPECT_EQ(0, lc_count(&log, "stop", child));
	EXPECT_EQ(1, lc_count(&log, "cont", child));
	lc_close(&log);
}

TEST_HARNESS_MAIN
