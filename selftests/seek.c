// SPDX-License-Identifier: GPL-2.0
/*
 * seek.c - /proc/lifecycle as a regular file: lseek() gives back bytes of
 * the last read(), which the next read() returns again; SEEK_CUR 0 tells
 * the position; every other move fails.  GNU head and tail rely on it.
 *
 * A test compares what one open file reads with what a second one, opened
 * at the same time, reads straight through.  Both skip to the end of the
 * log (LC_IOC_TAIL) and read the header and then the records made after,
 * so that a full log, which drops its oldest records while the test runs,
 * changes nothing.
 */
#include "kselftest_harness.h"

#include <sys/stat.h>

#include "lc_test.h"

#define CHUNK		300
#define BIG		(64 * 1024)

/* Fork and reap @n children, so the log holds some kilobytes. */
static void make_records(int n)
{
	pid_t child;

	while (n--) {
		child = fork();
		if (child == 0)
			_exit(0);
		if (child > 0)
			waitpid(child, NULL, 0);
	}
}

/* Open /proc/lifecycle at the end of the log; -1 on error. */
static int open_at_end(void)
{
	int fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && ioctl(fd, LC_IOC_TAIL)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* read() until @len bytes or the end; return how many. */
static size_t read_full(int fd, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n <= 0)
			break;
		done += n;
	}
	return done;
}

FIXTURE(seek) {
	int fd;
	int ref;	/* a second open, read straight through */
};

FIXTURE_SETUP(seek)
{
	self->fd = -1;
	self->ref = -1;
	if (access(LC_PATH, F_OK))
		SKIP(return, "%s missing: lifecycle.ko is not loaded", LC_PATH);
	self->fd = open_at_end();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	self->ref = open_at_end();
	ASSERT_LE(0, self->ref) TH_LOG("open: %s", strerror(errno));
	make_records(50);
}

FIXTURE_TEARDOWN(seek)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->ref >= 0)
		close(self->ref);
}

/* lseek() that must fail with @err. */
#define EXPECT_SEEK_FAILS(err, fd, off, whence) do {			\
	errno = 0;							\
	EXPECT_EQ(-1, lseek(fd, off, whence));				\
	EXPECT_EQ(err, errno) TH_LOG("lseek(%lld, %d): %s",		\
				     (long long)(off), whence,		\
				     strerror(errno));			\
} while (0)

/*
 * The fixture's 50 forks alone can take most of the harness's default
 * 30 s on the debug kernel (KASAN, under TCG) when the host is busy: the
 * tests on it get 120 s (the one making 250 more, 300).
 */
TEST_F_TIMEOUT(seek, unread_and_read_again, 120)
{
	char a[CHUNK], b[CHUNK], ref[2 * CHUNK];
	char hdr[80];
	ssize_t n;

	lc_header(hdr, sizeof(hdr));
	ASSERT_EQ(2 * CHUNK, read_full(self->ref, ref, sizeof(ref)));
	ASSERT_EQ(0, memcmp(ref, hdr, strlen(hdr)));

	/* a fresh file is at 0, and nothing lies before it */
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_SEEK_FAILS(EINVAL, self->fd, -1, SEEK_CUR);

	ASSERT_EQ(CHUNK, read(self->fd, a, CHUNK));
	ASSERT_EQ(0, memcmp(a, ref, CHUNK));
	EXPECT_EQ(CHUNK, lseek(self->fd, 0, SEEK_CUR));

	/* give back the last 100 bytes: they come again, then what follows */
	ASSERT_EQ(CHUNK - 100, lseek(self->fd, -100, SEEK_CUR));
	EXPECT_EQ(CHUNK - 100, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(CHUNK, read(self->fd, b, CHUNK));
	EXPECT_EQ(0, memcmp(b, a + CHUNK - 100, 100));
	EXPECT_EQ(0, memcmp(b, ref + CHUNK - 100, CHUNK));
	EXPECT_EQ(2 * CHUNK - 100, lseek(self->fd, 0, SEEK_CUR));

	/* the whole last read can be given back, in steps, but no more */
	EXPECT_EQ(2 * CHUNK - 150, lseek(self->fd, -50, SEEK_CUR));
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, -(CHUNK - 50 + 1), SEEK_CUR);
	EXPECT_EQ(CHUNK - 100, lseek(self->fd, -(CHUNK - 50), SEEK_CUR));
	n = read(self->fd, b, 10);
	ASSERT_EQ(10, n);
	EXPECT_EQ(0, memcmp(b, ref + CHUNK - 100, 10));

	/* no move forward, nor to before the last read, nor from the end */
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, 1, SEEK_CUR);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, -11, SEEK_CUR);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, 0, SEEK_SET);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, CHUNK, SEEK_SET);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, 0, SEEK_END);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, -1, SEEK_END);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, 0, SEEK_DATA);
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, 0, SEEK_HOLE);
	EXPECT_SEEK_FAILS(EINVAL, self->fd, -1, SEEK_SET);

	/* SEEK_SET within the last read is the same move (tail does it) */
	EXPECT_EQ(CHUNK - 90, lseek(self->fd, CHUNK - 90, SEEK_SET));
	EXPECT_EQ(CHUNK - 95, lseek(self->fd, CHUNK - 95, SEEK_SET));
	EXPECT_EQ(CHUNK - 95, lseek(self->fd, 0, SEEK_CUR));

	/* the failures moved nothing: the stream goes on where it was */
	ASSERT_EQ(CHUNK, read(self->fd, b, CHUNK));
	EXPECT_EQ(0, memcmp(b, ref + CHUNK - 95, CHUNK));

	/* no pread(), as before */
	errno = 0;
	EXPECT_EQ(-1, pread(self->fd, b, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
}

/*
 * A read bigger than what is kept can be given back only in part: a
 * seek beyond what is kept fails instead of returning other bytes.
 */
/*
 * 300 forks: well over the harness's default 30 s on the debug kernel
 * (KASAN, lockdep) under TCG when the host is busy, as in make check.
 */
TEST_F_TIMEOUT(seek, big_read_gives_back_what_is_kept, 300)
{
	static char a[BIG], ref[BIG + 4096];
	size_t n;

	make_records(250);
	n = read_full(self->ref, ref, sizeof(ref));
	ASSERT_LT(BIG, n) TH_LOG("the log holds only %zu bytes", n);

	ASSERT_EQ(BIG, read(self->fd, a, BIG));
	EXPECT_EQ(0, memcmp(a, ref, BIG));
	EXPECT_SEEK_FAILS(ESPIPE, self->fd, -(BIG - 1), SEEK_CUR);
	EXPECT_EQ(BIG, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(BIG - 4096, lseek(self->fd, -4096, SEEK_CUR));
	ASSERT_EQ(4096, read_full(self->fd, a, 4096));
	EXPECT_EQ(0, memcmp(a, ref + BIG - 4096, 4096));
	ASSERT_EQ(4096, read_full(self->fd, a, 4096));
	EXPECT_EQ(0, memcmp(a, ref + BIG, 4096));
}

/*
 * A read() that returns nothing (the end of the log) forgets nothing: the
 * last read() that returned bytes can still be given back.
 */
TEST_F_TIMEOUT(seek, end_of_log_keeps_last_read, 120)
{
	static char a[BIG];
	char tail[10], b[sizeof(tail)];
	ssize_t n, last = 0;
	off_t pos;

	while ((n = read(self->fd, a, sizeof(a))) > 0) {
		ASSERT_LE(sizeof(tail), n);
		memcpy(tail, a + n - sizeof(tail), sizeof(tail));
		last = n;
	}
	ASSERT_EQ(0, n);
	ASSERT_LT(0, last);
	pos = lseek(self->fd, 0, SEEK_CUR);
	ASSERT_LE(last, pos);
	ASSERT_EQ(pos - 10, lseek(self->fd, -10, SEEK_CUR));
	ASSERT_EQ(10, read(self->fd, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, tail, sizeof(tail)));
}

/*
 * Run @cmd with sh -c, stdin from @in (unless -1); collect its stdout and
 * stderr.  Return the wait status, or -1.
 */
static int run(const char *cmd, int in, char *out, size_t outlen, char *err,
	       size_t errlen)
{
	int po[2], pe[2], status;
	pid_t pid;

	if (pipe(po) || pipe(pe))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (in >= 0)
			dup2(in, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	out[read_full(po[0], out, outlen - 1)] = '\0';
	err[read_full(pe[0], err, errlen - 1)] = '\0';
	close(po[0]);
	close(pe[0]);
	if (lc_reap(pid, &status, LC_TIMEOUT_MS) != pid)
		return -1;
	return status;
}

#define HEAD	"/usr/bin/head"
#define TAIL	"/usr/bin/tail"

FIXTURE(tools) {
	char hdr[80];
	char out[4 * LC_LINE_MAX];
	char err[1024];
};

FIXTURE_SETUP(tools)
{
	if (access(LC_PATH, F_OK))
		SKIP(return, "%s missing: lifecycle.ko is not loaded", LC_PATH);
	if (access(HEAD, X_OK) || access(TAIL, X_OK))
		SKIP(return, "no %s or %s", HEAD, TAIL);
	lc_header(self->hdr, sizeof(self->hdr));
}

FIXTURE_TEARDOWN(tools)
{
}

/* head reads a block and gives back what follows the first line. */
TEST_F(tools, head_first_line)
{
	int status;

	status = run(HEAD " -n 1 " LC_PATH, -1, self->out, sizeof(self->out),
		     self->err, sizeof(self->err));
	EXPECT_EQ(0, status) TH_LOG("stderr: %s", self->err);
	EXPECT_STREQ("", self->err);
	EXPECT_STREQ(self->hdr, self->out);
}

/* A second head on the same open file starts where the first one ended. */
TEST_F(tools, head_gives_back_the_rest)
{
	char ref[4 * LC_LINE_MAX], *nl;
	int status, in, fd, i;
	size_t n;

	in = open_at_end();
	ASSERT_LE(0, in);
	fd = open_at_end();
	ASSERT_LE(0, fd);
	make_records(20);
	status = run("{ " HEAD " -n 1 && " HEAD " -n 2; }", in, self->out,
		     sizeof(self->out), self->err, sizeof(self->err));
	close(in);
	EXPECT_EQ(0, status) TH_LOG("stderr: %s", self->err);
	EXPECT_STREQ("", self->err);

	/* the first three lines, read straight through */
	n = read_full(fd, ref, sizeof(ref) - 1);
	close(fd);
	ref[n] = '\0';
	for (i = 0, nl = ref; i < 3 && nl; i++) {
		nl = strchr(nl, '\n');
		if (nl)
			nl++;
	}
	ASSERT_NE(NULL, nl);
	*nl = '\0';
	EXPECT_STREQ(ref, self->out);
	EXPECT_EQ(0, strncmp(self->out, self->hdr, strlen(self->hdr)));
}

/*
 * tail asks lseek(SEEK_CUR) and lseek(SEEK_END), and seeks back to where
 * it was with SEEK_SET before it reads like a pipe.
 */
TEST_F(tools, tail_last_line)
{
	int status;

	status = run(TAIL " -n 1 " LC_PATH, -1, self->out, sizeof(self->out),
		     self->err, sizeof(self->err));
	EXPECT_EQ(0, status) TH_LOG("stderr: %s", self->err);
	EXPECT_STREQ("", self->err);
	/* one whole line */
	ASSERT_NE(NULL, strchr(self->out, '\n')) TH_LOG("out: %s", self->out);
	EXPECT_STREQ("", strchr(self->out, '\n') + 1);
}

TEST_HARNESS_MAIN
