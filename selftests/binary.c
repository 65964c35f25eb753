// SPDX-License-Identifier: GPL-2.0
/*
 * binary.c - the binary stream (LC_IOC_BINARY): its magic and sizes, EBUSY
 * once reading began, and three children's records read both ways: the
 * events carry exactly what the children did, and the text line of the
 * same seq has the same prefix.  A reader a log behind is told what it
 * lost, and one without CAP_SYS_ADMIN gets its own uid's records only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <lifecycle.h>
#include "kselftest_harness.h"
#include "lc_test.h"

/* the largest log (log_size 1048576 is allowed) is not read whole here */
#define MAX_EVENTS	65536
#define BUF_SIZE	(MAX_EVENTS * LC_EVENT_SMALL_SIZE * 2)

struct events {
	size_t n;
	struct lc_event **ev;
	struct lc_stream_header head;
};

/*
 * Read a binary fd to its end: the magic and the stream header, then
 * whole events, each with its ids after the payload.
 */
static int read_events(int fd, struct events *e, char *buf, size_t size)
{
	size_t len = 0, off;
	ssize_t n = 0;

	while (len < size && (n = read(fd, buf + len, size - len)) > 0)
		len += n;
	if (n < 0 || len < LC_BIN_PROLOGUE_LEN ||
	    memcmp(buf, LC_BIN_MAGIC, LC_BIN_MAGIC_LEN))
		return -1;
	memcpy(&e->head, buf + LC_BIN_MAGIC_LEN, sizeof(e->head));
	if (e->head.size != sizeof(e->head))
		return -1;
	for (off = LC_BIN_PROLOGUE_LEN; off < len && e->n < MAX_EVENTS;) {
		struct lc_event *ev = (struct lc_event *)(buf + off);

		if (len - off < LC_EVENT_SMALL_SIZE || ev->size % 8 ||
		    ev->size < LC_EVENT_SMALL_SIZE || ev->size > len - off ||
		    ev->size != lc_event_ids_offset(ev) +
				sizeof(struct lc_event_ids))
			return -1;
		e->ev[e->n++] = ev;
		off += ev->size;
	}
	return off == len ? 0 : -1;
}

static const struct lc_event_ids *ids_of(const struct lc_event *ev)
{
	return (const void *)((const char *)ev + lc_event_ids_offset(ev));
}

/* a text start time: "-" (unknown) is 0, as in the binary */
static unsigned long long start_in(const struct lc_rec *t, const char *key)
{
	const char *v = lc_str(t, key);

	return v && strcmp(v, "-") ? strtoull(v, NULL, 10) : 0;
}

static const struct lc_event *find(const struct events *e, int type,
				   pid_t pid)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->ev[i]->type == type && e->ev[i]->pid == pid)
			return e->ev[i];
	return NULL;
}

static const struct lc_rec *text_of(const struct lc_log *log,
				    unsigned long long seq)
{
	size_t i;

	for (i = 0; i < log->nr; i++)
		if (log->recs[i].seq == seq)
			return &log->recs[i];
	return NULL;
}

FIXTURE(bin) {
	struct lc_log log;
	int fd;
	char *buf;
	size_t size;
	struct events e;
};

FIXTURE_SETUP(bin)
{
	if (!lc_log_setup(_metadata, &self->log))
		return;
	self->fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->size = BUF_SIZE;
	self->buf = aligned_alloc(8, self->size);
	ASSERT_NE(NULL, self->buf);
	self->e.ev = calloc(MAX_EVENTS, sizeof(*self->e.ev));
	ASSERT_NE(NULL, self->e.ev);
}

FIXTURE_TEARDOWN(bin)
{
	free(self->buf);
	free(self->e.ev);
	if (self->fd >= 0)
		close(self->fd);
	lc_close(&self->log);
}

/*
 * The magic and the header, with this boot's id, first; then events whose
 * seqs count up by one.
 */
TEST_F(bin, magic_then_events)
{
	char id[64], want[40];
	const unsigned char *b = self->e.head.boot_id;
	size_t i;

	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_BINARY));
	ASSERT_EQ(0, read_events(self->fd, &self->e, self->buf, self->size));
	ASSERT_LT(0, self->e.n);
	ASSERT_LT(0, lc_read_file("/proc/sys/kernel/random/boot_id", id,
				  sizeof(id)));
	ASSERT_EQ(LC_STREAM_BOOT_ID, self->e.head.flags);
	snprintf(want, sizeof(want),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	EXPECT_STREQ(want, id);
	for (i = 1; i < self->e.n; i++) {
		if (self->e.ev[i - 1]->type == LC_EV_LOST)
			continue;
		ASSERT_EQ(self->e.ev[i - 1]->seq + 1, self->e.ev[i]->seq);
		ASSERT_LE(self->e.ev[i - 1]->ts, self->e.ev[i]->ts);
	}
}

/* Once anything was read, the stream stays text: EBUSY. */
TEST_F(bin, busy_after_first_read)
{
	char c;

	ASSERT_EQ(1, read(self->fd, &c, 1));
	ASSERT_EQ('l', c);
	EXPECT_EQ(-1, ioctl(self->fd, LC_IOC_BINARY));
	EXPECT_EQ(EBUSY, errno);
}

/*
 * A child named "" exits 3; a child execs sh with argv holding a comma, a
 * space and a byte above 0x7e, and exits 5; a child is killed.  Both ways
 * of reading tell the same, and the binary holds the raw bytes.
 */
TEST_F(bin, three_children_both_ways)
{
	static const char argv_raw[] = "sh\0-c\0exit 5\0a,b c\xff";
	const struct lc_event *ev;
	const struct lc_rec *t;
	pid_t me = getpid(), a, b, c;
	int status;
	size_t i;

	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_TAIL));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_BINARY));
	a = fork();
	ASSERT_LE(0, a);
	if (!a) {
		prctl(PR_SET_NAME, "", 0, 0, 0);
		_exit(3);
	}
	b = fork();
	ASSERT_LE(0, b);
	if (!b) {
		execl("/bin/sh", "sh", "-c", "exit 5", "a,b c\xff", NULL);
		_exit(99);
	}
	c = fork();
	ASSERT_LE(0, c);
	if (!c) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(a, lc_reap(a, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(3 << 8, status);
	ASSERT_EQ(b, lc_reap(b, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(5 << 8, status);
	ASSERT_EQ(0, kill(c, SIGKILL));
	ASSERT_EQ(c, lc_reap(c, &status, LC_TIMEOUT_MS));
	ASSERT_EQ(SIGKILL, status);
	ASSERT_NE(NULL, lc_wait(&self->log, 0, "reap", c, LC_TIMEOUT_MS));
	ASSERT_EQ(0, read_events(self->fd, &self->e, self->buf, self->size));

	/* a: fork by us, an empty comm at exit ("-" in the text), reap */
	ev = find(&self->e, LC_EV_FORK, a);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(me, ev->fork.creator_pid);
	EXPECT_EQ(me, ev->ppid);
	/* our start, as creator and as parent: /proc/self/stat's, in ticks */
	EXPECT_EQ(lc_proc_starttime(me),
		  ids_of(ev)->peer_start_ns / (1000000000 / sysconf(_SC_CLK_TCK)));
	EXPECT_EQ(ids_of(ev)->peer_start_ns, ids_of(ev)->parent_start_ns);
	EXPECT_LE(ids_of(ev)->peer_start_ns, ids_of(ev)->start_ns);
	EXPECT_GE(ev->ts, ids_of(ev)->start_ns);
	ev = find(&self->e, LC_EV_EXIT, a);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(3 << 8, ev->exit.status);
	EXPECT_EQ(1, ev->exit.group_dead);
	EXPECT_EQ('\0', ev->comm[0]);
	t = text_of(&self->log, ev->seq);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("-", t->comm);
	EXPECT_EQ(ev->ts - ids_of(ev)->start_ns, ev->exit.age_ns);
	ev = find(&self->e, LC_EV_REAP, a);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(me, ev->reap.reaper_pid);
	EXPECT_EQ(LC_REAP_WAIT, ev->reap.how);
	EXPECT_EQ(ids_of(find(&self->e, LC_EV_FORK, a))->start_ns,
		  ids_of(ev)->start_ns);
	EXPECT_EQ(ids_of(find(&self->e, LC_EV_FORK, a))->peer_start_ns,
		  ids_of(ev)->peer_start_ns);

	/* b: the exec's raw strings, and its exit */
	ev = find(&self->e, LC_EV_EXEC, b);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(b, ev->exec.old_pid);
	ASSERT_EQ(7, ev->exec.filename_len);
	EXPECT_EQ(0, memcmp(ev->exec.str, "/bin/sh", 7));
	ASSERT_EQ(sizeof(argv_raw), ev->exec.argv_len);
	EXPECT_EQ(0, memcmp(ev->exec.str + 7, argv_raw, sizeof(argv_raw)));
	EXPECT_EQ(0, ev->exec.argv_trunc);
	EXPECT_EQ(ev->size, (offsetof(struct lc_event, exec.str) + 7 +
			     sizeof(argv_raw) + 7) / 8 * 8 +
			    sizeof(struct lc_event_ids));
	t = text_of(&self->log, ev->seq);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("/bin/sh", lc_str(t, "filename"));
	EXPECT_STREQ("sh,-c,exit\\x205,a\\x2cb\\x20c\\xff", lc_str(t, "argv"));
	ev = find(&self->e, LC_EV_EXIT, b);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(5 << 8, ev->exit.status);
	EXPECT_EQ(0, memcmp(ev->comm, "sh\0", 3));

	/* c: our SIGKILL, and death by it */
	ev = find(&self->e, LC_EV_SIGNAL, c);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(SIGKILL, ev->signal.signal);
	EXPECT_EQ(me, ev->signal.sender_pid);
	EXPECT_EQ(ids_of(find(&self->e, LC_EV_FORK, a))->peer_start_ns,
		  ids_of(ev)->peer_start_ns);
	ev = find(&self->e, LC_EV_EXIT, c);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(SIGKILL, ev->exit.status);

	/* every event: the text line of its seq has the same prefix */
	for (i = 0; i < self->e.n; i++) {
		ev = self->e.ev[i];
		t = text_of(&self->log, ev->seq);
		if (!t)
			continue;	/* read by one side only */
		EXPECT_EQ(ev->ts, t->ts);
		EXPECT_EQ(ev->cpu, t->cpu);
		EXPECT_STREQ(t->event, ((const char *[])LC_EVENT_NAMES)[ev->type]);
		EXPECT_EQ(ev->pid, t->pid);
		EXPECT_EQ(ev->tgid, t->tgid);
		EXPECT_EQ(ev->ppid, t->ppid);
		EXPECT_EQ(ev->uid, t->uid);
		EXPECT_EQ(ids_of(ev)->start_ns, start_in(t, "start_ns"));
		EXPECT_EQ(ids_of(ev)->parent_start_ns,
			  start_in(t, "parent_start_ns"));
	}
	EXPECT_LT(8, self->e.n);
	ASSERT_NE(NULL, find(&self->e, LC_EV_REAP, c));
	EXPECT_NE(NULL, text_of(&self->log, find(&self->e, LC_EV_REAP, c)->seq));
}

/*
 * A binary reader a log behind (the log holds log_size records) is told
 * so in one lost event whose seq and count join the last record it missed
 * to the first it gets; then come all the retained records, in order,
 * ending with our last child's exit code 7 and its reap by us.  Some
 * 4,000 to 5,500 children: about 40 s under TCG, 6 to 9 minutes on the
 * debug kernel.
 */
TEST_F_TIMEOUT(bin, a_log_behind_told_lost, 2400)
{
	const struct lc_event *ev;
	pid_t me = getpid(), last = -1;
	long long start;
	int status = 0;
	char v[32];
	long cap, i;

	ASSERT_LT(0, lc_read_file("/sys/module/lifecycle/parameters/log_size",
				  v, sizeof(v)));
	cap = atol(v);
	if (cap >= MAX_EVENTS)
		SKIP(return, "log_size %ld is more than this test reads", cap);
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_TAIL));
	ASSERT_EQ(0, ioctl(self->fd, LC_IOC_BINARY));
	start = lc_stat("recorded");
	/*
	 * A fork, an exit and a reap at least each: more than the log.  The
	 * stats say when the log has gone round (SIGCHLD adds a record per
	 * child), which spares a quarter of the children on slow kernels.
	 */
	for (i = 0; i < cap / 3 + 64; i++) {
		last = lc_run_exit(7, &status);
		ASSERT_LT(0, last);
		ASSERT_EQ(7 << 8, status);
		if (start >= 0 && i % 64 == 63 &&
		    lc_stat("recorded") - start > cap + 256)
			break;
	}
	ASSERT_EQ(0, read_events(self->fd, &self->e, self->buf, self->size));
	ASSERT_LT(cap, self->e.n);
	ev = self->e.ev[0];
	ASSERT_EQ(LC_EV_LOST, ev->type);
	ASSERT_LT(0, ev->lost.count);
	EXPECT_EQ(ev->seq + ev->lost.count, self->e.ev[1]->seq);
	for (i = 2; i < (long)self->e.n; i++)
		ASSERT_EQ(self->e.ev[i - 1]->seq + 1, self->e.ev[i]->seq);
	ev = find(&self->e, LC_EV_EXIT, last);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(7 << 8, ev->exit.status);
	ev = find(&self->e, LC_EV_REAP, last);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(me, ev->reap.reaper_pid);
}

/*
 * A binary reader without CAP_SYS_ADMIN gets only its own uid's records:
 * its child's exit code 4 and reap, and nothing of root's child, which
 * exits meanwhile.
 */
TEST_F(bin, non_root_gets_own_uid_only)
{
	int status, up[2], down[2];
	pid_t reader, root_child;

	if (getuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		const struct lc_event *ev;
		pid_t mine;
		size_t i;
		int fd;
		char c;

		if (setgid(LC_NOBODY) || setuid(LC_NOBODY))
			_exit(1);
		fd = open(LC_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, LC_IOC_TAIL) ||
		    ioctl(fd, LC_IOC_BINARY))
			_exit(2);
		mine = lc_run_exit(4, NULL);
		if (mine < 0 || write(up[1], "r", 1) != 1 ||
		    read(down[0], &c, 1) != 1)
			_exit(3);
		if (read_events(fd, &self->e, self->buf, self->size))
			_exit(4);
		for (i = 0; i < self->e.n; i++)
			if (self->e.ev[i]->uid != LC_NOBODY &&
			    self->e.ev[i]->type != LC_EV_LOST)
				_exit(5);
		ev = find(&self->e, LC_EV_EXIT, mine);
		if (!ev || ev->exit.status != 4 << 8 ||
		    !find(&self->e, LC_EV_REAP, mine))
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ('r', lc_sync_wait(up[0]));
	root_child = lc_run_exit(3, &status);
	ASSERT_LT(0, root_child);
	ASSERT_EQ(3 << 8, status);
	ASSERT_EQ(0, lc_sync_wake(down[1], 'g'));
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("1 setuid, 2 open, 3 sync, 4 bad stream, 5 another uid, 6 own exit missing");
}

TEST_HARNESS_MAIN
