// SPDX-License-Identifier: GPL-2.0
/*
 * workload.c - the process workloads of scripts/validate.sh and
 * scripts/bench.sh.
 *
 *   lcwork mixed MAPFILE TRUE [ROUNDS]
 *	A mixed process workload for validation: forks, exits with various
 *	codes, execs of the static binary TRUE (also from a thread, and after
 *	vfork and posix_spawn), threads, orphans whose parent dies first,
 *	an orphaned process group with a stopped member, signals (handled,
 *	ignored, fatal, to a thread, to a process group), stop and continue,
 *	setsid and setpgid.  Every task it creates appends "tid tgid" to
 *	MAPFILE before anything else, so the checker knows the process tree.
 *	Returns once every task it created has exited.
 *
 *   lcwork bench MODE N TRUE [PID,...]
 *	Times N operations of MODE with CLOCK_MONOTONIC and prints
 *	"MODE N ELAPSED_NS TOOL_NS TOOL_ALL_NS": fork (fork+exit+wait), exec
 *	(fork+exec TRUE+wait), spawn (posix_spawn TRUE+wait), thread
 *	(pthread create+join), storm (8 children at once, each doing
 *	fork+exit+wait N/8 times) or signal (kill(getpid(), SIGURG), which
 *	is ignored: one signal record a call and nothing else, so that what
 *	a record costs is not lost in the noise of fork's memory work).
 *	TOOL_NS is the CPU time the given processes (all their threads,
 *	from /proc/PID/task/TID/schedstat) spent after the timed loop
 *	until they went quiet: work a tool deferred and the elapsed time
 *	does not hold.  TOOL_ALL_NS is
 *	their CPU time from the start of the loop until they went quiet:
 *	a tool's whole own cost, counted directly rather than as a
 *	difference of two noisy totals.  On one vCPU with icount,
 *	ELAPSED_NS + TOOL_NS counts guest instructions.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STORM_WORKERS	8
#define MAX_TOOLS	8

static int map_fd = -1;
static const char *true_path;

static void die(const char *what)
{
	fprintf(stderr, "lcwork: %s: %s\n", what, strerror(errno));
	exit(100);
}

/* Append "tid tgid" for the calling task: the checker's view of the tree. */
static void note_self(void)
{
	char line[64];
	int len;

	if (map_fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%ld %d\n", syscall(SYS_gettid),
		       getpid());
	if (write(map_fd, line, len) != len)
		die("write map");
}

static pid_t xfork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		note_self();
	return pid;
}

/* Wait for @pid and check how it ended against @want (a wait status). */
static void reap(pid_t pid, int want)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (want >= 0 && status != want) {
		fprintf(stderr, "lcwork: pid %d status 0x%x, want 0x%x\n",
			pid, status, want);
		exit(101);
	}
}

static void exec_true(const char *code)
{
	char *argv[3];

	argv[0] = "lctrue";
	argv[1] = (char *)code;
	argv[2] = NULL;
	execve(true_path, argv, environ);
	die("execve");
}

/* Block until the write end of @fds is closed by every holder. */
static void wait_eof(int fds[2])
{
	char c;

	close(fds[1]);
	while (read(fds[0], &c, 1) > 0)
		;
	close(fds[0]);
}

/* A child that says it is ready through a pipe, then runs @fn. */
static pid_t ready_child(void (*fn)(void))
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		die("pipe");
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], "r", 1) != 1)
			die("write ready");
		close(fds[1]);
		fn();
		_exit(99);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		die("read ready");
	close(fds[0]);
	return pid;
}

static sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void pause_forever(void)
{
	for (;;)
		pause();
}

/*
 * Exits 3 on SIGTERM.  The parent installs the handler and blocks SIGTERM
 * before the fork (see mixed_signals), so no SIGTERM can come too early.
 */
static void term_child(void)
{
	sigset_t none;

	sigemptyset(&none);
	while (!got_signal)
		sigsuspend(&none);
	_exit(3);
}

static void *thread_fn(void *arg)
{
	long how = (long)arg;

	note_self();
	if (how == 1)
		pthread_exit((void *)2);
	return NULL;
}

static void *thread_wait_usr1(void *arg)
{
	sigset_t set;
	int sig;

	note_self();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
	return NULL;
}

static void *thread_exec(void *arg)
{
	note_self();
	exec_true("5");
	return NULL;
}

static void mixed_threads(void)
{
	pthread_t t[4];
	long i;

	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, thread_fn, (void *)(i & 1)))
			die("pthread_create");
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

/* A thread signalled with pthread_kill (tgkill), SIGUSR1 blocked everywhere. */
static void mixed_thread_signal(void)
{
	sigset_t set, old;
	pthread_t t;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (pthread_create(&t, NULL, thread_wait_usr1, NULL))
		die("pthread_create");
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* A non-leader thread execs: de_thread kills the leader, pid changes. */
static void mixed_thread_exec(void)
{
	pid_t pid = xfork();
	pthread_t t;

	if (pid == 0) {
		if (pthread_create(&t, NULL, thread_exec, NULL))
			die("pthread_create");
		pause_forever();
	}
	reap(pid, 5 << 8);
}

/* The parent exits first: the child is reparented to init, then exits. */
static void mixed_orphan(void)
{
	int fds[2];
	pid_t pid, parent;

	if (pipe(fds))
		die("pipe");
	pid = xfork();
	if (pid == 0) {
		parent = getpid();
		if (xfork() == 0) {
			close(fds[0]);
			while (getppid() == parent)
				usleep(1000);
			_exit(7);
		}
		_exit(0);
	}
	reap(pid, 0);
	wait_eof(fds);
}

/*
 * A process group leader with a stopped child exits: the group is orphaned
 * and the kernel sends the stopped member SIGHUP and SIGCONT.
 */
static void mixed_orphaned_pgrp(void)
{
	int fds[2], status;
	pid_t pid, child;

	if (pipe(fds))
		die("pipe");
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		setpgid(0, 0);
		child = xfork();
		if (child == 0) {
			raise(SIGSTOP);
			_exit(0);	/* not reached: SIGHUP kills it */
		}
		close(fds[1]);
		if (waitpid(child, &status, WUNTRACED) != child)
			die("waitpid stopped");
		_exit(0);
	}
	reap(pid, 0);
	wait_eof(fds);
}

static void mixed_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set, old;
	pid_t pid, grp[3];
	int status, i;

	/* Handled SIGTERM: exit code 3. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigaction(SIGTERM, &sa, NULL);
	pid = ready_child(term_child);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	kill(pid, SIGTERM);
	reap(pid, 3 << 8);

	/* Fatal SIGKILL. */
	pid = ready_child(pause_forever);
	kill(pid, SIGKILL);
	reap(pid, SIGKILL);

	/* Stop, continue, then a default-fatal SIGTERM. */
	pid = ready_child(pause_forever);
	kill(pid, SIGSTOP);
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status))
		die("waitpid WUNTRACED");
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, WCONTINUED) != pid || !WIFCONTINUED(status))
		die("waitpid WCONTINUED");
	kill(pid, SIGTERM);
	reap(pid, SIGTERM);

	/* An ignored signal to self. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_DFL);

	/* SIGTERM to a process group of three. */
	grp[0] = ready_child(pause_forever);
	setpgid(grp[0], grp[0]);
	for (i = 1; i < 3; i++) {
		grp[i] = ready_child(pause_forever);
		setpgid(grp[i], grp[0]);
	}
	kill(-grp[0], SIGTERM);
	for (i = 0; i < 3; i++)
		reap(grp[i], SIGTERM);

	mixed_thread_signal();
}

static void mixed_round(void)
{
	static const int codes[] = { 0, 1, 3, 42, 255 };
	posix_spawnattr_t attr;
	static char *const argv[] = { "lctrue", "9", NULL };
	pid_t pid;
	int i;

	for (i = 0; i < 5; i++) {
		pid = xfork();
		if (pid == 0)
			_exit(codes[i]);
		reap(pid, codes[i] << 8);
	}

	for (i = 0; i < 3; i++) {
		pid = xfork();
		if (pid == 0)
			exec_true(i ? "4" : NULL);
		reap(pid, (i ? 4 : 0) << 8);
	}

	pid = vfork();
	if (pid == 0) {
		note_self();
		exec_true("6");
	}
	reap(pid, 6 << 8);

	/* The spawned child cannot note itself: the parent does it for it. */
	posix_spawnattr_init(&attr);
	if (posix_spawn(&pid, true_path, NULL, &attr, argv, environ))
		die("posix_spawn");
	posix_spawnattr_destroy(&attr);
	if (map_fd >= 0)
		dprintf(map_fd, "%d %d\n", pid, pid);
	reap(pid, 9 << 8);

	mixed_threads();
	mixed_thread_exec();
	mixed_orphan();
	mixed_orphaned_pgrp();
	mixed_signals();

	pid = xfork();
	if (pid == 0) {
		if (setsid() < 0)
			die("setsid");
		_exit(0);
	}
	reap(pid, 0);
}

static int mixed(int argc, char **argv)
{
	int rounds = argc > 4 ? atoi(argv[4]) : 3;
	int i;

	if (argc < 4)
		return 2;
	true_path = argv[3];
	map_fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (map_fd < 0)
		die(argv[2]);
	note_self();
	for (i = 0; i < rounds; i++)
		mixed_round();
	return 0;
}

/* --- bench ---------------------------------------------------------- */

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static pid_t tools[MAX_TOOLS];
static int nr_tools;

/*
 * tools_cpu()'s buffers.  It must not allocate: opendir() and fopen()
 * would give the workload a heap, one more VMA and more pages that every
 * fork then copies (anon_vma_fork(), the page tables) and every exit
 * frees, about 8,000 instructions per fork that a run without tools does
 * not pay.  These are static and touched in every run (tools_touch()),
 * so the workload's memory is the same with and without tools.
 */
static unsigned long long tools_dents[512];	/* 4 KiB, 8-byte aligned */
static char tools_buf[64];

static void tools_touch(void)
{
	memset(tools_dents, 0, sizeof(tools_dents));
	memset(tools_buf, 0, sizeof(tools_buf));
}

/* The run time in one schedstat file (its first field), or 0. */
static unsigned long long schedstat_ns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, tools_buf, sizeof(tools_buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	tools_buf[n] = '\0';
	return strtoull(tools_buf, NULL, 10);
}

/* Run time of every thread of every tool process, in ns. */
static unsigned long long tools_cpu(void)
{
	unsigned long long sum = 0;
	struct dirent64 *d;
	char path[320];
	ssize_t n, off;
	int i, dfd;

	for (i = 0; i < nr_tools; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task", tools[i]);
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		while ((n = getdents64(dfd, tools_dents,
				       sizeof(tools_dents))) > 0) {
			for (off = 0; off < n; off += d->d_reclen) {
				d = (struct dirent64 *)((char *)tools_dents +
							off);
				if (d->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path),
					 "/proc/%d/task/%s/schedstat",
					 tools[i], d->d_name);
				sum += schedstat_ns(path);
			}
		}
		close(dfd);
	}
	return sum;
}

/* Wait until the tools stop running: 10 quiet polls 20 ms apart, or 3 s. */
static unsigned long long tools_settle(void)
{
	unsigned long long last = tools_cpu(), cur;
	int quiet = 0, polls;

	for (polls = 0; quiet < 10 && polls < 150; polls++) {
		usleep(20000);
		cur = tools_cpu();
		quiet = cur == last ? quiet + 1 : 0;
		last = cur;
	}
	return last;
}

static void op_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	reap(pid, 0);
}

static void op_exec(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		exec_true(NULL);
	reap(pid, 0);
}

static void op_spawn(void)
{
	static char *const argv[] = { "lctrue", NULL };
	pid_t pid;

	if (posix_spawn(&pid, true_path, NULL, NULL, argv, environ))
		die("posix_spawn");
	reap(pid, 0);
}

static void *op_thread_fn(void *arg)
{
	return arg;
}

static void op_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, op_thread_fn, NULL))
		die("pthread_create");
	pthread_join(t, NULL);
}

static void op_storm(int n)
{
	pid_t pids[STORM_WORKERS];
	int i, j, each = (n + STORM_WORKERS - 1) / STORM_WORKERS;

	for (i = 0; i < STORM_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			for (j = 0; j < each; j++)
				op_fork();
			_exit(0);
		}
	}
	for (i = 0; i < STORM_WORKERS; i++)
		reap(pids[i], 0);
}

static void op_signal(pid_t self)
{
	if (syscall(SYS_kill, self, SIGURG))
		die("kill");
}

static int bench(int argc, char **argv)
{
	unsigned long long t0, t1, c0, c1, c2;
	const char *mode;
	char *list, *tok;
	int i, n;

	if (argc < 5)
		return 2;
	mode = argv[2];
	n = atoi(argv[3]);
	true_path = argv[4];
	if (argc > 5) {
		list = argv[5];
		while ((tok = strsep(&list, ",")) && nr_tools < MAX_TOOLS)
			if (atoi(tok) > 0)
				tools[nr_tools++] = atoi(tok);
	}
	if (n <= 0)
		return 2;

	tools_touch();
	c0 = tools_cpu();
	t0 = now_ns();
	if (!strcmp(mode, "fork")) {
		for (i = 0; i < n; i++)
			op_fork();
	} else if (!strcmp(mode, "exec")) {
		for (i = 0; i < n; i++)
			op_exec();
	} else if (!strcmp(mode, "spawn")) {
		for (i = 0; i < n; i++)
			op_spawn();
	} else if (!strcmp(mode, "thread")) {
		for (i = 0; i < n; i++)
			op_thread();
	} else if (!strcmp(mode, "storm")) {
		n = (n + STORM_WORKERS - 1) / STORM_WORKERS * STORM_WORKERS;
		op_storm(n);
	} else if (!strcmp(mode, "signal")) {
		pid_t self = getpid();

		for (i = 0; i < n; i++)
			op_signal(self);
	} else {
		fprintf(stderr, "lcwork: unknown mode %s\n", mode);
		return 2;
	}
	t1 = now_ns();
	c1 = tools_cpu();
	c2 = nr_tools ? tools_settle() : c1;
	printf("%s %d %llu %llu %llu\n", mode, n, t1 - t0, c2 - c1, c2 - c0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "mixed"))
		return mixed(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "bench"))
		return bench(argc, argv);
	fprintf(stderr,
		"usage: lcwork mixed MAPFILE TRUE [ROUNDS]\n"
		"       lcwork bench fork|exec|spawn|thread|storm|signal N TRUE [PID,...]\n");
	return 2;
}
