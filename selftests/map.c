// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the mapped log (mmap of /proc/lifecycle): its control page, the
 * same bytes as read() gives for the same seqs (two children's exit codes
 * among them), LC_IOC_CURSOR feeding poll() and the lost counters, and
 * every other mapping refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <lifecycle.h>
#include "kselftest_harness.h"
#include "lc_test.h"

#define BUF_SIZE	(4 << 20)

FIXTURE(map) {
	struct lc_log log;
	int fd;			/* mapped */
	const struct lc_ring_ctl *ctl;
	size_t len;
	char *buf;
};

FIXTURE_SETUP(map)
{
	long page = sysconf(_SC_PAGESIZE);
	const struct lc_ring_ctl *ctl;
	void *p;

	self->ctl = NULL;
	self->buf = NULL;
	if (!lc_log_setup(_metadata, &self->log))
		return;
	if (getuid() != 0)
		SKIP(return, "the log maps for admins only");
	self->fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ctl = p;
	self->len = ctl->data_offset + (size_t)ctl->nslots * ctl->slot_size;
	self->len = (self->len + page - 1) / page * page;
	ASSERT_EQ(0, munmap(p, page));
	p = mmap(NULL, self->len, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	self->ctl = p;
	self->buf = aligned_alloc(8, BUF_SIZE);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(map)
{
	if (self->ctl)
		munmap((void *)self->ctl, self->len);
	free(self->buf);
	if (self->fd >= 0)
		close(self->fd);
	lc_close(&self->log);
}

static const struct lc_event *slot(const struct lc_ring_ctl *ctl,
				   unsigned long long seq)
{
	return (const void *)((const char *)ctl + ctl->data_offset +
			      (seq & (ctl->nslots - 1)) * ctl->slot_size);
}

/*
 * Copy record @seq out of the map as lifecycle.h says: its slot's seq,
 * the bytes, its seq again.  Return the size, or 0 if it was overwritten.
 */
static size_t take(const struct lc_ring_ctl *ctl, unsigned long long seq,
		   void *out)
{
	const struct lc_event *ev = slot(ctl, seq);
	__u16 size;

	if (__atomic_load_n(&ev->seq, __ATOMIC_ACQUIRE) != seq)
		return 0;
	size = __atomic_load_n(&ev->size, __ATOMIC_RELAXED);
	if (size < LC_EVENT_SMALL_SIZE || size > ctl->slot_size)
		return 0;
	memcpy(out, ev, size);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&ev->seq, __ATOMIC_RELAXED) != seq)
		return 0;
	((struct lc_event *)out)->seq = seq;
	return size;
}

/* The control page: what the module was loaded with. */
TEST_F(map, control_page)
{
	char v[32];

	ASSERT_LT(0, lc_read_file("/sys/module/lifecycle/parameters/log_size",
				  v, sizeof(v)));
	EXPECT_EQ(LC_RING_MAGIC, self->ctl->magic);
	EXPECT_EQ(sizeof(struct lc_ring_ctl), self->ctl->size);
	EXPECT_EQ(sizeof(struct lc_event) + sizeof(struct lc_event_ids),
		  self->ctl->slot_size);
	EXPECT_EQ(sysconf(_SC_PAGESIZE), self->ctl->data_offset);
	EXPECT_EQ(atol(v), self->ctl->nslots);
	EXPECT_EQ(0, self->ctl->dying);
	EXPECT_LE(1, self->ctl->first);
	EXPECT_LE(self->ctl->first, self->ctl->head);
}

/*
 * Children exit 6 and 9 (the second after an exec of sh): the map holds,
 * for every seq a binary read() gives, the same bytes.
 */
TEST_F(map, same_bytes_as_read)
{
	struct lc_cursor c = { 0, 0 };
	unsigned long long head, seq;
	size_t len = 0, off, n;
	int rd, status, found = 0;
	pid_t a, b;
	ssize_t got;
	__u64 ev[LC_LINE_MAX / 8];

	rd = open(LC_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, rd);
	ASSERT_EQ(0, ioctl(rd, LC_IOC_TAIL));
	ASSERT_EQ(0, ioctl(rd, LC_IOC_BINARY));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_TAIL));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_CURSOR, &c));
	EXPECT_LE(c.seq, self->ctl->head);
	a = lc_run_exit(6, &status);
	ASSERT_LT(0, a);
	ASSERT_EQ(6 << 8, status);
	b = fork();
	ASSERT_LE(0, b);
	if (!b) {
		execl("/bin/sh", "sh", "-c", "exit 9", NULL);
		_exit(99);
	}
	ASSERT_EQ(b, lc_reap(b, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(9 << 8, status);
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "reap", b, LC_TIMEOUT_MS));
	while (len < BUF_SIZE &&
	       (got = read(rd, self->buf + len, BUF_SIZE - len)) > 0)
		len += got;
	close(rd);
	ASSERT_LT(LC_BIN_PROLOGUE_LEN, len);
	head = __atomic_load_n(&self->ctl->head, __ATOMIC_ACQUIRE);
	seq = c.seq;
	for (off = LC_BIN_PROLOGUE_LEN; off < len; off += n) {
		const struct lc_event *want = (void *)(self->buf + off);

		n = want->size;
		ASSERT_LE(LC_EVENT_SMALL_SIZE, n);
		ASSERT_NE(LC_EV_LOST, want->type);
		ASSERT_EQ(seq, want->seq);
		ASSERT_LT(want->seq, head);
		ASSERT_EQ(n, take(self->ctl, want->seq, ev));
		ASSERT_EQ(0, memcmp(want, ev, n)) TH_LOG("seq %llu", seq);
		if (want->type == LC_EV_EXIT &&
		    ((want->pid == a && want->exit.status == 6 << 8) ||
		     (want->pid == b && want->exit.status == 9 << 8)))
			found++;
		if (want->type == LC_EV_EXEC && want->pid == b)
			EXPECT_EQ(0, memcmp(want->exec.str, "/bin/sh", 7));
		seq++;
	}
	EXPECT_EQ(2, found);
}

/*
 * LC_IOC_CURSOR: seq 0 reads the cursor back (head after LC_IOC_TAIL);
 * poll() counts from the cursor told; a cursor behind the file's, past
 * the head, or losing more than it moved is -EINVAL; the losses told are
 * added to the stats.
 */
TEST_F(map, cursor_feeds_poll_and_stats)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct lc_cursor c = { 0, 0 }, bad;
	long long lost0, reports0;
	unsigned long long start, head;
	pid_t a;

	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_TAIL));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_BINARY));
	ASSERT_EQ(LC_BIN_PROLOGUE_LEN,
		  read(self->fd, self->buf, LC_BIN_PROLOGUE_LEN));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_CURSOR, &c));
	start = c.seq;
	ASSERT_LE(1, start);
	a = lc_run_exit(5, NULL);
	ASSERT_LT(0, a);
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "reap", a, LC_TIMEOUT_MS));
	/* a fork, an exit, a reap past the cursor: ready */
	head = __atomic_load_n(&self->ctl->head, __ATOMIC_ACQUIRE);
	ASSERT_LE(start + 3, head);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLIN);

	bad = (struct lc_cursor){ head + 1000000, 0 };
	EXPECT_EQ(-1, ioctl(self->fd, LC_IOC_CURSOR, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = (struct lc_cursor){ start + 2, 3 };
	EXPECT_EQ(-1, ioctl(self->fd, LC_IOC_CURSOR, &bad));
	EXPECT_EQ(EINVAL, errno);

	lost0 = lc_stat("lost_total");
	reports0 = lc_stat("lost_reports");
	ASSERT_LE(0, lost0);
	c = (struct lc_cursor){ start + 3, 2 };
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_CURSOR, &c));
	EXPECT_EQ(start + 3, c.seq);
	EXPECT_EQ(lost0 + 2, lc_stat("lost_total"));
	EXPECT_EQ(reports0 + 1, lc_stat("lost_reports"));
	bad = (struct lc_cursor){ start + 1, 0 };
	EXPECT_EQ(-1, ioctl(self->fd, LC_IOC_CURSOR, &bad));
	EXPECT_EQ(EINVAL, errno);
	c = (struct lc_cursor){ 0, 0 };
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_CURSOR, &c));
	EXPECT_EQ(start + 3, c.seq);

	/* at the head: nothing to wait for, until the next record */
	c = (struct lc_cursor){ head, 0 };
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_CURSOR, &c));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	a = lc_run_exit(2, NULL);
	ASSERT_LT(0, a);
	EXPECT_EQ(1, poll(&pfd, 1, LC_TIMEOUT_MS));
}

/*
 * Read-only and for admins: writable, executable and out-of-range maps
 * fail, mprotect() cannot add write, and nobody gets -EACCES.
 */
TEST_F(map, others_refused)
{
	long page = sysconf(_SC_PAGESIZE);
	int status;
	pid_t pid;
	void *p;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	p = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	p = mmap(NULL, self->len + page, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mprotect((void *)self->ctl, page,
			       PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (setgid(LC_NOBODY) || setuid(LC_NOBODY))
			_exit(1);
		fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
		_exit(p == MAP_FAILED && errno == EACCES ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("1 setuid, 2 open, 3 mapped");
}

TEST_HARNESS_MAIN
