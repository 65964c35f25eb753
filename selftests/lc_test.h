/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lc_test.h - helpers shared by the lifecycle selftests.
 *
 * A test opens /proc/lifecycle and moves its cursor to the end with
 * LC_IOC_TAIL *before* it acts, so it reads only the records its own
 * actions caused (plus whatever else the machine did meanwhile).  After
 * acting it reads the new records into an array of parsed lines and looks
 * up the ones it expects by (event, pid), after a given sequence number.
 *
 * The file is opened O_NONBLOCK with LC_IOC_FOLLOW, so a read at the end
 * of the log fails with EAGAIN instead of returning 0, and poll() waits
 * for more.  lc_wait() therefore copes with records that arrive after the
 * test's own actions finished (a reap by init, say).
 */
#ifndef _LC_TEST_H
#define _LC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <lifecycle.h>

#define LC_PATH		"/proc/lifecycle"
#define LC_MAX_KV	16
#define LC_TIMEOUT_MS	10000	/* TCG is slow: wait this long for a record */
#define LC_NSEC		1000000000ULL
#define LC_NOBODY	65534		/* the uid (and gid) the non-root tests take */

struct lc_rec {
	unsigned long long seq;
	unsigned long long ts;
	unsigned int cpu;
	char event[16];
	int pid;
	int tgid;
	int ppid;
	unsigned int uid;
	char comm[LC_COMM_LEN * 4 + 1];
	int nkv;
	char *key[LC_MAX_KV];
	char *val[LC_MAX_KV];
	char *line;		/* the details, split in place */
};

struct lc_log {
	int fd;
	bool header_seen;
	int bad_lines;		/* lines that did not parse */
	struct lc_rec *recs;
	size_t nr;
	size_t cap;
	size_t partial;		/* bytes of an unfinished line in buf */
	char buf[2 * LC_LINE_MAX];
};

/* CLOCK_BOOTTIME in ns: the clock of the records' ts field. */
static inline unsigned long long lc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * LC_NSEC + ts.tv_nsec;
}

static inline void lc_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/**
 * lc_open() - open /proc/lifecycle at its end, in follow mode
 * @log: zeroed by the caller (a FIXTURE's self is)
 *
 * Return: 0, or -errno (-ENOENT: the module is not loaded).
 */
static inline int lc_open(struct lc_log *log)
{
	memset(log, 0, sizeof(*log));
	log->fd = open(LC_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (log->fd < 0)
		return -errno;
	if (ioctl(log->fd, LC_IOC_TAIL) || ioctl(log->fd, LC_IOC_FOLLOW)) {
		int err = -errno;

		close(log->fd);
		log->fd = -1;
		return err;
	}
	return 0;
}

static inline void lc_close(struct lc_log *log)
{
	size_t i;

	for (i = 0; i < log->nr; i++)
		free(log->recs[i].line);
	free(log->recs);
	if (log->fd >= 0)
		close(log->fd);
	memset(log, 0, sizeof(*log));
	log->fd = -1;
}

/**
 * lc_log_setup() - open the log in a FIXTURE_SETUP
 * @_metadata: the harness's test state (named so that SKIP/ASSERT work)
 * @log: the fixture's struct lc_log
 *
 * Skips the test when the module is not loaded, fails it on any other
 * error.  Pair with lc_close() in the FIXTURE_TEARDOWN.
 *
 * Return: true when the log is open; on false, return from the setup.
 */
static inline bool lc_log_setup(struct __test_metadata *_metadata,
				struct lc_log *log)
{
	int ret = lc_open(log);

	if (ret == -ENOENT)
		SKIP(return false, "%s missing: lifecycle.ko is not loaded",
		     LC_PATH);
	ASSERT_EQ(0, ret) TH_LOG("open %s: %s", LC_PATH, strerror(-ret));
	return true;
}

/*
 * LC_LOG_SETUP() - the setup and teardown of the fixture most tests use,
 * FIXTURE(name) { struct lc_log log; }: the log opened by lc_log_setup()
 * (a skip without the module) and closed at teardown.  The declaration
 * at the end takes the caller's semicolon.
 */
#define LC_LOG_SETUP(name)						\
	FIXTURE_SETUP(name)						\
	{								\
		lc_log_setup(_metadata, &self->log);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		lc_close(&self->log);					\
	}								\
	struct lc_log_fixture_##name

/* Split "k=v k=v ..." in place. */
static inline void lc_split_kv(struct lc_rec *r)
{
	char *save = NULL, *tok, *eq;

	for (tok = strtok_r(r->line, " ", &save); tok && r->nkv < LC_MAX_KV;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		r->key[r->nkv] = tok;
		r->val[r->nkv] = eq + 1;
		r->nkv++;
	}
}

/* Parse one line without its newline. Return 0 or -1. */
static inline int lc_parse_line(const char *s, struct lc_rec *r)
{
	int n = 0;

	memset(r, 0, sizeof(*r));
	if (sscanf(s, "%llu %llu %u %15s %d %d %d %u %64s %n", &r->seq,
		   &r->ts, &r->cpu, r->event, &r->pid, &r->tgid, &r->ppid,
		   &r->uid, r->comm, &n) != 9)
		return -1;
	r->line = strdup(s + n);
	if (!r->line)
		return -1;
	lc_split_kv(r);
	return 0;
}

static inline void lc_add_line(struct lc_log *log, const char *s)
{
	struct lc_rec r;

	if (!log->header_seen) {
		int ver;

		if (sscanf(s, "lifecycle %d", &ver) == 1 &&
		    ver == LC_FORMAT_VERSION)
			log->header_seen = true;
		else
			log->bad_lines++;
		return;
	}
	if (lc_parse_line(s, &r)) {
		log->bad_lines++;
		return;
	}
	if (log->nr == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 256;
		struct lc_rec *p = realloc(log->recs, cap * sizeof(*p));

		if (!p) {
			free(r.line);
			log->bad_lines++;
			return;
		}
		log->recs = p;
		log->cap = cap;
	}
	log->recs[log->nr++] = r;
}

/**
 * lc_drain() - read every record available now
 * @log: an lc_open()ed log
 *
 * Return: 0 at the end of the log, 1 at EOF (the module went away), or
 * -errno.
 */
static inline int lc_drain(struct lc_log *log)
{
	for (;;) {
		char *start, *nl;
		ssize_t n;

		n = read(log->fd, log->buf + log->partial,
			 sizeof(log->buf) - log->partial - 1);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return 1;
		log->partial += n;
		log->buf[log->partial] = '\0';
		start = log->buf;
		while ((nl = strchr(start, '\n'))) {
			*nl = '\0';
			lc_add_line(log, start);
			start = nl + 1;
		}
		log->partial -= start - log->buf;
		memmove(log->buf, start, log->partial);
		if (log->partial >= sizeof(log->buf) - 1) {
			log->bad_lines++;	/* longer than LC_LINE_MAX */
			log->partial = 0;
		}
	}
}

/* The value of @key in @r, or NULL. */
static inline const char *lc_str(const struct lc_rec *r, const char *key)
{
	int i;

	for (i = 0; i < r->nkv; i++)
		if (!strcmp(r->key[i], key))
			return r->val[i];
	return NULL;
}

/* A numeric value (decimal or 0x hex); -1000000 if absent or "-". */
#define LC_MISSING		(-1000000LL)
static inline long long lc_num(const struct lc_rec *r, const char *key)
{
	const char *v = lc_str(r, key);
	char *end;
	long long n;

	if (!v || !*v || !strcmp(v, "-"))
		return LC_MISSING;
	errno = 0;
	n = strtoll(v, &end, 0);
	if (errno || *end)
		return LC_MISSING;
	return n;
}

static inline unsigned long long lc_unum(const struct lc_rec *r,
					 const char *key)
{
	const char *v = lc_str(r, key);

	return v ? strtoull(v, NULL, 0) : 0;
}

/**
 * lc_find_in() - the first record of @event for @id after @after
 * @log: the records read so far
 * @after: a seq; only records with a larger seq match (0: any)
 * @event: event name, NULL for any
 * @id: thread id (or process id, with @by_tgid), or 0 for any
 * @by_tgid: match @id against the process id instead of the thread id
 *
 * The one finder; lc_find() and lc_find_tgid() name its two uses.
 *
 * Return: the record or NULL.
 */
static inline const struct lc_rec *lc_find_in(const struct lc_log *log,
					      unsigned long long after,
					      const char *event, int id,
					      bool by_tgid)
{
	size_t i;

	for (i = 0; i < log->nr; i++) {
		const struct lc_rec *r = &log->recs[i];

		if (after && r->seq <= after)
			continue;
		if (event && strcmp(r->event, event))
			continue;
		if (id && (by_tgid ? r->tgid : r->pid) != id)
			continue;
		return r;
	}
	return NULL;
}

/* The first record of @event for thread @pid (0: any) after @after. */
static inline const struct lc_rec *lc_find(const struct lc_log *log,
					   unsigned long long after,
					   const char *event, int pid)
{
	return lc_find_in(log, after, event, pid, false);
}

/* The same, matching the process (tgid) instead of the thread. */
static inline const struct lc_rec *lc_find_tgid(const struct lc_log *log,
						unsigned long long after,
						const char *event, int tgid)
{
	return lc_find_in(log, after, event, tgid, true);
}

/* How many records of @event for thread @pid (0: any) were read. */
static inline int lc_count(const struct lc_log *log, const char *event,
			   int pid)
{
	size_t i;
	int n = 0;

	for (i = 0; i < log->nr; i++)
		if (!strcmp(log->recs[i].event, event) &&
		    (!pid || log->recs[i].pid == pid))
			n++;
	return n;
}

/**
 * lc_wait() - read until a record of @event for @pid after @after appears
 * @log: an lc_open()ed log
 * @after: as for lc_find()
 * @event: event name
 * @pid: thread id, or 0 for any
 * @timeout_ms: give up after this long
 *
 * Return: the record, or NULL on timeout or error.  The pointer is valid
 * until the next read of @log.
 */
static inline const struct lc_rec *lc_wait(struct lc_log *log,
					   unsigned long long after,
					   const char *event, int pid,
					   int timeout_ms)
{
	unsigned long long end = lc_now_ns() + timeout_ms * 1000000ULL;
	struct pollfd pfd = { .fd = log->fd, .events = POLLIN };
	const struct lc_rec *r;

	for (;;) {
		unsigned long long now;

		if (lc_drain(log))
			return lc_find(log, after, event, pid);
		r = lc_find(log, after, event, pid);
		now = lc_now_ns();
		if (r || now >= end)
			return r;
		poll(&pfd, 1, (end - now) / 1000000 + 1);
	}
}

/* Read for another @ms, so that stray records would be seen. */
static inline void lc_settle(struct lc_log *log, int ms)
{
	lc_wait(log, 0, "-no-such-event-", 0, ms);
}

/**
 * lc_seq_gaps() - check that seq counts up by one from record to record
 * @log: the records read
 *
 * A "lost" record with count=N stands for N records: the next one has
 * seq + N.
 *
 * Return: the number of places where the sequence breaks.
 */
static inline int lc_seq_gaps(const struct lc_log *log)
{
	size_t i;
	int gaps = 0;

	for (i = 1; i < log->nr; i++) {
		const struct lc_rec *p = &log->recs[i - 1];
		unsigned long long step = 1;

		if (!strcmp(p->event, "lost"))
			step = lc_unum(p, "count");
		if (log->recs[i].seq != p->seq + step)
			gaps++;
	}
	return gaps;
}

/* Any record lost? Tests that need every record cannot judge then. */
static inline bool lc_lost(const struct lc_log *log)
{
	return lc_count(log, "lost", 0) > 0;
}

/* Print the records of process @tgid (0: all) to stderr, for TH_LOG. */
static inline void lc_dump(const struct lc_log *log, int tgid)
{
	size_t i;
	int k;

	for (i = 0; i < log->nr; i++) {
		const struct lc_rec *r = &log->recs[i];

		if (tgid && r->tgid != tgid && r->ppid != tgid)
			continue;
		fprintf(stderr, "#   %llu %s %d %d %d %s", r->seq, r->event,
			r->pid, r->tgid, r->ppid, r->comm);
		for (k = 0; k < r->nkv; k++)
			fprintf(stderr, " %s=%s", r->key[k], r->val[k]);
		fprintf(stderr, "\n");
	}
}

/* A pipe pair used to make one process wait for another. */
static inline int lc_sync_wait(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? c : -1;
}

static inline int lc_sync_wake(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

/**
 * lc_reap() - waitpid() that never blocks the harness for ever
 * @pid: the child
 * @status: its wait status
 * @timeout_ms: how long to wait before killing it
 *
 * Return: @pid, or -1 (the child was killed and reaped on timeout).
 */
static inline pid_t lc_reap(pid_t pid, int *status, int timeout_ms)
{
	unsigned long long end = lc_now_ns() + timeout_ms * 1000000ULL;
	pid_t ret;

	for (;;) {
		ret = waitpid(pid, status, WNOHANG);
		if (ret)
			return ret;
		if (lc_now_ns() >= end)
			break;
		lc_sleep_ms(5);
	}
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return -1;
}

/*
 * Fork a child that exits with @code at once, and reap it: its pid, or -1;
 * its wait status in *@status unless that is NULL.
 */
static inline pid_t lc_run_exit(int code, int *status)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(code);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (status)
		*status = st;
	return pid;
}

/* Stop @pid with @sig, then continue it, each seen through waitpid(). */
static inline void lc_stop_cont(struct __test_metadata *_metadata, pid_t pid,
				int sig)
{
	int status;

	ASSERT_EQ(0, kill(pid, sig));
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(sig, WSTOPSIG(status));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(pid, waitpid(pid, &status, WCONTINUED));
	ASSERT_TRUE(WIFCONTINUED(status));
}

#define LC_STATS	"/sys/kernel/debug/lifecycle/stats"

/* A value of the module's debugfs stats by name, or -1 when it is missing. */
static inline long long lc_stat(const char *name)
{
	char line[256], key[128];
	long long v, found = -1;
	FILE *f = fopen(LC_STATS, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", key, &v) == 2 &&
		    !strcmp(key, name)) {
			found = v;
			break;
		}
	fclose(f);
	return found;
}

/* Read @path into @buf, NUL-terminated: the bytes read, or -1. */
static inline ssize_t lc_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * The header /proc/lifecycle must start with: the version and this boot's
 * id, as /proc/sys/kernel/random/boot_id gives it.
 */
static inline void lc_header(char *buf, size_t size)
{
	char id[40];	/* a UUID, its newline and NUL */

	if (lc_read_file("/proc/sys/kernel/random/boot_id", id, sizeof(id)) <= 0)
		snprintf(id, sizeof(id), "-");
	id[strcspn(id, "\n")] = '\0';
	snprintf(buf, size, LC_HEADER_FMT, LC_FORMAT_VERSION, id);
}

/*
 * /proc/@pid/stat's starttime (field 22), in clock ticks since boot; -1
 * if unreadable.  A record's start_ns is this times 1e9 / USER_HZ, to the
 * tick.
 */
static inline long long lc_proc_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	long long v = -1;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (lc_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');	/* field 2, comm, may hold spaces */
	for (i = 2; p && i < 22; i++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%lld", &v);
	return v;
}

/* The state letter of /proc/@pid/stat ('?' if unreadable). */
static inline char lc_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (lc_read_file(path, buf, sizeof(buf)) <= 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

/**
 * lc_wait_state() - wait until /proc/@pid/stat shows state @state
 * @pid: the process
 * @state: e.g. 'Z', 'T', 'S'
 * @timeout_ms: give up after this long
 *
 * Return: true if it did.
 */
static inline bool lc_wait_state(pid_t pid, char state, int timeout_ms)
{
	unsigned long long end = lc_now_ns() + timeout_ms * 1000000ULL;

	while (lc_proc_state(pid) != state) {
		if (lc_now_ns() >= end)
			return false;
		lc_sleep_ms(2);
	}
	return true;
}

#endif /* _LC_TEST_H */
