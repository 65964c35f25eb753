// SPDX-License-Identifier: GPL-2.0
/*
 * stress.c - the event log under load: followers, a sleeper, a 20,000
 * process storm and rmmod while readers are blocked.
 *
 * Run in a VM with -smp 2 and default module parameters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <lifecycle.h>
#include "kselftest_harness.h"

#define LC_PATH		"/proc/lifecycle"
#define STATS_PATH	"/sys/kernel/debug/lifecycle/stats"

/* What one reader saw. */
struct seen {
	unsigned long long last_seq;
	unsigned long long records;
	unsigned long long lost;	/* sum of lost counts */
	unsigned long long gaps;	/* seq jumps not explained by lost */
	unsigned long long forks;	/* forks by our storm's workers */
	int parent;
	int marker;			/* stop at this pid's exit */
	bool done;
	bool bad_header;
};

static long stat_value(const char *name)
{
	char key[64], line[128];
	long v, ret = -1;
	FILE *f = fopen(STATS_PATH, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %li", key, &v) == 2 &&
		    !strcmp(key, name))
			ret = v;
	fclose(f);
	return ret;
}

static void see_line(struct seen *s, char *line)
{
	unsigned long long seq, count;
	char event[16], comm[80];
	int pid, tgid, ppid;
	char *p;

	if (s->done)
		return;
	if (!strncmp(line, "lifecycle ", 10)) {
		s->bad_header |= atoi(line + 10) != LC_FORMAT_VERSION;
		return;
	}
	if (sscanf(line, "%llu %*u %*u %15s %d %d %d %*u %79s", &seq, event,
		   &pid, &tgid, &ppid, comm) != 6)
		return;
	if (s->last_seq && seq != s->last_seq + 1)
		s->gaps++;
	s->last_seq = seq;
	s->records++;
	if (!strcmp(event, "lost")) {
		p = strstr(line, "count=");
		count = p ? strtoull(p + 6, NULL, 10) : 0;
		s->lost += count;
		s->last_seq = seq + count - 1;
	} else if (!strcmp(event, "fork") && ppid != s->parent &&
		   !strcmp(comm, "stress")) {
		s->forks++;
	} else if (!strcmp(event, "exit") && s->marker && pid == s->marker) {
		s->done = true;
	}
}

/* Feed whatever can be read now; return bytes read, 0 at EOF, -errno. */
static long feed(int fd, struct seen *s, char *buf, size_t size,
		 size_t *have)
{
	char *nl, *start;
	ssize_t n;

	n = read(fd, buf + *have, size - *have - 1);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	*have += n;
	buf[*have] = '\0';
	start = buf;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		see_line(s, start);
		start = nl + 1;
	}
	*have -= start - buf;
	memmove(buf, start, *have);
	return n;
}

/*
 * A follower: blocking reads from the end of the log until the marker's
 * exit record; the marker pid arrives on @ctl once the storm is over, and
 * is acknowledged on @out before the marker may exit: a follower that read
 * the marker's exit before it knew the pid would wait for it forever.
 * Reports its struct seen on @out.
 */
static void follower(int ctl, int out, int parent, bool sleeper)
{
	static char buf[256 * 1024];
	struct seen s = { .parent = parent };
	struct pollfd pfd[2];
	size_t have = 0;
	int fd;

	fd = open(LC_PATH, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || ioctl(fd, LC_IOC_TAIL) || ioctl(fd, LC_IOC_FOLLOW))
		_exit(2);
	if (write(out, "r", 1) != 1)	/* ready */
		_exit(2);
	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = ctl, .events = POLLIN };
	while (!s.done) {
		if (!sleeper || s.marker) {
			while (feed(fd, &s, buf, sizeof(buf), &have) > 0)
				;
			if (s.done)
				break;
			usleep(5000);	/* batch: let records gather */
		}
		if (poll(pfd + (sleeper && !s.marker), 2 -
			 (sleeper && !s.marker), -1) <= 0) {
			fprintf(stderr, "# reader %d: poll timed out after %llu records, seq %llu, marker %d\n",
				getpid(), s.records, s.last_seq, s.marker);
			_exit(3);
		}
		if (pfd[1].revents && !s.marker) {
			if (read(ctl, &s.marker, sizeof(s.marker)) !=
			    sizeof(s.marker) || write(out, "m", 1) != 1)
				_exit(4);
		}
	}
	if (write(out, &s, sizeof(s)) != sizeof(s))
		_exit(5);
	_exit(0);
}

struct reader {
	pid_t pid;
	int ctl;
	int out;
};

static void start_reader(struct __test_metadata *_metadata, struct reader *r,
			 bool sleeper)
{
	int ctl[2], out[2];
	char c;

	ASSERT_EQ(0, pipe(ctl));
	ASSERT_EQ(0, pipe(out));
	r->pid = fork();
	ASSERT_LE(0, r->pid);
	if (!r->pid) {
		close(ctl[1]);
		close(out[0]);
		follower(ctl[0], out[1], getppid(), sleeper);
	}
	close(ctl[0]);
	close(out[1]);
	r->ctl = ctl[1];
	r->out = out[0];
	ASSERT_EQ(1, read(r->out, &c, 1));
}

/* Tell a reader which pid's exit ends its reading; wait until it knows. */
static void tell_reader(struct __test_metadata *_metadata, struct reader *r,
			pid_t marker)
{
	char c = 0;

	ASSERT_EQ(sizeof(marker), write(r->ctl, &marker, sizeof(marker)));
	ASSERT_EQ(1, read(r->out, &c, 1));
	ASSERT_EQ('m', c);
}

static void finish_reader(struct __test_metadata *_metadata, struct reader *r,
			  struct seen *s)
{
	int status;

	ASSERT_EQ(sizeof(*s), read(r->out, s, sizeof(*s)));
	ASSERT_EQ(r->pid, waitpid(r->pid, &status, 0));
	ASSERT_EQ(0, status);
	close(r->ctl);
	close(r->out);
}

/* @procs processes, each forking @n children that exit at once. */
static void storm(struct __test_metadata *_metadata, int procs, int n)
{
	int i, j, status;
	pid_t pid;

	for (i = 0; i < procs; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid)
			continue;
		for (j = 0; j < n; j++) {
			pid = fork();
			if (pid < 0)
				_exit(1);
			if (!pid)
				_exit(0);
			if (waitpid(pid, &status, 0) != pid || status)
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < procs; i++) {
		ASSERT_LT(0, wait(&status));
		ASSERT_EQ(0, status);
	}
}

/*
 * The marker: a child whose exit ends every reader.  Every reader knows
 * its pid before it exits, so none can read past its exit unaware.
 */
static void marker(struct __test_metadata *_metadata, struct reader *r,
		   int n)
{
	int go[2], i;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(read(go[0], &c, 1) != 1);
	for (i = 0; i < n; i++)
		tell_reader(_metadata, &r[i], pid);
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(go[0]);
	close(go[1]);
}

FIXTURE(log) {
	long capacity;
	int cpus;
};

FIXTURE_SETUP(log)
{
	if (access(LC_PATH, R_OK))
		SKIP(return, "lifecycle is not loaded");
	self->capacity = stat_value("log_capacity");
	ASSERT_LT(0, self->capacity);
	self->cpus = sysconf(_SC_NPROCESSORS_ONLN);
}

FIXTURE_TEARDOWN(log)
{
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - t0->tv_sec + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Storm on every CPU, about 1.5 log capacities of records, while three
 * readers follow and one sleeps: the sleeper is told it lost records, the
 * followers lose none and see every seq in order.  Seconds on Debian's
 * kernels, many minutes on a KASAN kernel on a loaded host: the timeout
 * is the runner's (600 s, 3000 s on a kmemleak kernel) before this one.
 */
TEST_F_TIMEOUT(log, followers_keep_up_sleeper_loses, 2400)
{
	struct reader r[4];
	struct seen s[4];
	/* a fork, a SIGCHLD, an exit and a reap per child: 1.5 capacities */
	int per = self->capacity * 3 / 8 / self->cpus;
	struct timespec t0;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 4; i++)
		start_reader(_metadata, &r[i], i == 3);
	storm(_metadata, self->cpus, per);
	marker(_metadata, r, 4);
	for (i = 0; i < 4; i++)
		finish_reader(_metadata, &r[i], &s[i]);
	TH_LOG("%d processes, 4 readers: %.1f s", per * self->cpus,
	       seconds_since(&t0));
	for (i = 0; i < 3; i++) {
		TH_LOG("follower %d: %llu records, lost %llu, gaps %llu", i,
		       s[i].records, s[i].lost, s[i].gaps);
		EXPECT_EQ(0, s[i].lost);
		EXPECT_EQ(0, s[i].gaps);
		EXPECT_FALSE(s[i].bad_header);
	}
	TH_LOG("sleeper: %llu records, lost %llu, gaps %llu", s[3].records,
	       s[3].lost, s[3].gaps);
	EXPECT_LT(0, s[3].lost);
	EXPECT_EQ(0, s[3].gaps);
	/* All stopped at the same record: the marker's exit. */
	EXPECT_EQ(s[0].last_seq, s[3].last_seq);
	EXPECT_EQ(s[0].last_seq, s[1].last_seq);
	EXPECT_EQ((unsigned long long)per * self->cpus, s[0].forks);
}

/*
 * 20,000 processes with default sizes and one follower: nothing lost.  A
 * KASAN/lockdep kernel (kmemleak present) is ten times slower, so it gets
 * 5,000: still 20,000 records, more than the log holds.
 */
TEST_F_TIMEOUT(log, storm_nothing_lost, 2400)
{
	if (getenv("LC_QUICK"))
		SKIP(return, "LC_QUICK");
	int procs = access("/sys/kernel/debug/kmemleak", F_OK) ? 20000 : 5000;
	struct timespec t0;
	struct reader r;
	struct seen s;

	if (self->capacity != 16384)
		SKIP(return, "needs the default log_size");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	start_reader(_metadata, &r, false);
	storm(_metadata, self->cpus, procs / self->cpus);
	marker(_metadata, &r, 1);
	finish_reader(_metadata, &r, &s);
	TH_LOG("%d processes: %llu records, lost %llu, gaps %llu, %.1f s",
	       procs, s.records, s.lost, s.gaps, seconds_since(&t0));
	EXPECT_EQ(0, s.lost);
	EXPECT_EQ(0, s.gaps);
	EXPECT_EQ((unsigned long long)(procs / self->cpus) * self->cpus,
		  s.forks);
}

TEST_HARNESS_MAIN
