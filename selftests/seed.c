// SPDX-License-Identifier: GPL-2.0
/*
 * seed.c - the teaching programs of the process-management chapter
 * (selftests/seed/, copied from it unchanged but for trailing blanks),
 * run as they are, and the log must tell the story they print.
 *
 * Python runs with PYTHONUNBUFFERED=1, as on the terminal the chapter
 * used: a pipe would otherwise lose what the child printed before execve.
 * intignore.py, which waits for Ctrl-C, Ctrl-Z and kill, gets the same
 * signals from us instead.
 */
#include "kselftest_harness.h"

#include <libgen.h>
#include <limits.h>
#include <signal.h>

#include "lc_test.h"

#define PYTHON		"/usr/bin/python3"
#define BASH		"/bin/bash"

FIXTURE(seed) {
	struct lc_log log;
	char dir[PATH_MAX];	/* selftests/seed */
	char out[4096];		/* what the program printed */
	char path[PATH_MAX + 64];
};

/* build/selftests/seed -> selftests/seed; else relative to the cwd. */
static void find_seed_dir(char *dir, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		snprintf(dir, size, "%s/../../selftests/seed", dirname(exe));
		if (!access(dir, R_OK))
			return;
	}
	snprintf(dir, size, "selftests/seed");
	if (access(dir, R_OK))
		snprintf(dir, size, "../../selftests/seed");
}

FIXTURE_SETUP(seed)
{
	find_seed_dir(self->dir, sizeof(self->dir));
	if (access(self->dir, R_OK))
		SKIP(return, "no selftests/seed directory");
	lc_log_setup(_metadata, &self->log);
}

FIXTURE_TEARDOWN(seed)
{
	lc_close(&self->log);
}

/* Start @interp @script with stdout on a pipe; *@fd gets its read end. */
static pid_t start(const char *interp, const char *script, int *fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *const argv[] = { (char *)interp, (char *)script, NULL };

		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		setenv("PYTHONUNBUFFERED", "1", 1);
		execv(interp, argv);
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* Read everything @fd gives until EOF. */
static void slurp(int fd, char *out, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fd);
}

/* Run a script to its end: its pid, with its output in self->out. */
static pid_t run(FIXTURE_DATA(seed) * self, const char *interp,
		 const char *name, int *status)
{
	pid_t pid;
	int fd;

	snprintf(self->path, sizeof(self->path), "%s/%s", self->dir, name);
	pid = start(interp, self->path, &fd);
	if (pid < 0)
		return -1;
	slurp(fd, self->out, sizeof(self->out));
	if (lc_reap(pid, status, LC_TIMEOUT_MS) != pid)
		return -1;
	return pid;
}

/* The module's escaping of a string value (lifecycle.h). */
static void escape(char *dst, size_t size, const char *src)
{
	size_t o = 0;

	for (; *src && o + 5 < size; src++) {
		unsigned char c = *src;

		if (c > 0x20 && c < 0x7f && c != '\\' && c != ',')
			dst[o++] = c;
		else
			o += snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

/* The interpreter's own records: exec of @interp @script, exit 0. */
static void check_interp(struct __test_metadata *_metadata,
			 struct lc_log *log, pid_t pid, const char *interp,
			 const char *script)
{
	const struct lc_rec *exec, *ex;
	char argv[PATH_MAX * 2], esc[PATH_MAX];

	ASSERT_NE(NULL, lc_wait(log, 0, "reap", pid, LC_TIMEOUT_MS));
	exec = lc_find(log, 0, "exec", pid);
	ex = lc_find(log, 0, "exit", pid);
	ASSERT_NE(NULL, exec) lc_dump(log, pid);
	ASSERT_NE(NULL, ex);
	escape(esc, sizeof(esc), script);
	snprintf(argv, sizeof(argv), "%s,%s", interp, esc);
	EXPECT_STREQ(interp, lc_str(exec, "filename"));
	EXPECT_STREQ(argv, lc_str(exec, "argv"));
	EXPECT_EQ(0, lc_num(ex, "code"));
	EXPECT_STREQ("1", lc_str(ex, "group_dead"));
}

/*
 * A child nobody waits for: the parent, @parent, exits without wait(), so
 * init adopts the child (alive or as a zombie) and reaps it.
 */
static void check_orphan(struct __test_metadata *_metadata,
			 struct lc_log *log, pid_t parent, pid_t child)
{
	const struct lc_rec *frk, *ex, *rep, *reap;

	reap = lc_wait(log, 0, "reap", child, LC_TIMEOUT_MS);
	ASSERT_NE(NULL, reap) lc_dump(log, parent);
	frk = lc_find(log, 0, "fork", child);
	ex = lc_find(log, 0, "exit", child);
	rep = lc_find(log, 0, "reparent", child);
	ASSERT_NE(NULL, frk);
	ASSERT_NE(NULL, ex);
	ASSERT_NE(NULL, rep) lc_dump(log, parent);
	EXPECT_EQ(parent, frk->ppid);
	EXPECT_EQ(parent, lc_num(frk, "creator_tgid"));
	EXPECT_EQ(0, lc_num(ex, "code"));
	EXPECT_EQ(parent, lc_num(rep, "old_ppid"));
	EXPECT_EQ(1, lc_num(rep, "new_ppid"));
	EXPECT_STREQ("init", lc_str(rep, "reason"));
	/*
	 * A zombie moves only if it died first.  Its exit record comes
	 * before exit_notify() makes it a zombie, so an exit just before
	 * the reparent may still be a live (exiting) child: zombie=0.
	 */
	if (lc_num(rep, "zombie"))
		EXPECT_LT(ex->seq, rep->seq);
	EXPECT_LT(lc_find(log, 0, "exit", parent)->seq, rep->seq);
	EXPECT_EQ(1, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));
}

/* "부모 프로세스: pid=P, 자식 프로세스의 pid=C" and the child's line */
TEST_F(seed, fork_py)
{
	int status, ppid_printed, n, p1 = 0, c1 = 0, c2 = 0;
	const char *line;
	pid_t pid;

	pid = run(self, PYTHON, "fork.py", &status);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, status) TH_LOG("output: %s", self->out);
	TH_LOG("output:\n%s", self->out);

	line = strstr(self->out, "부모 프로세스: ");
	ASSERT_NE(NULL, line);
	n = sscanf(line, "부모 프로세스: pid=%d, 자식 프로세스의 pid=%d",
			    &p1, &c1);
	ASSERT_EQ(2, n);
	line = strstr(self->out, "자식 프로세스: ");
	ASSERT_NE(NULL, line);
	n = sscanf(line, "자식 프로세스: pid=%d, 부모 프로세스의 pid=%d",
			    &c2, &ppid_printed);
	ASSERT_EQ(2, n);
	EXPECT_EQ(pid, p1);
	EXPECT_EQ(c1, c2);
	/* the child may print after its parent has gone: then init's */
	EXPECT_TRUE(ppid_printed == pid || ppid_printed == 1);

	check_interp(_metadata, &self->log, pid, PYTHON, self->path);
	check_orphan(_metadata, &self->log, pid, c1);
	EXPECT_EQ(pid, lc_num(lc_find(&self->log, 0, "fork", c1),
			      "creator_pid"));
	EXPECT_EQ(0, lc_count(&self->log, "exec", c1));
}

/* fork.py, and the child becomes /bin/echo "pid=C에서 안녕" */
TEST_F(seed, fork_and_exec_py)
{
	char argv[512], esc[256], said[128];
	const struct lc_rec *exec;
	int status, n, p1 = 0, c1 = 0, c2 = 0, c3 = 0, pp;
	const char *line;
	pid_t pid;

	pid = run(self, PYTHON, "fork-and-exec.py", &status);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, status);
	TH_LOG("output:\n%s", self->out);

	line = strstr(self->out, "부모 프로세스: ");
	ASSERT_NE(NULL, line);
	n = sscanf(line, "부모 프로세스: pid=%d, 자식 프로세스 pid=%d",
			    &p1, &c1);
	ASSERT_EQ(2, n);
	line = strstr(self->out, "자식 프로세스: ");
	ASSERT_NE(NULL, line);
	n = sscanf(line, "자식 프로세스: pid=%d, 부모 프로세스 pid=%d",
			    &c2, &pp);
	ASSERT_EQ(2, n);
	line = strstr(self->out, "\npid=");
	ASSERT_NE(NULL, line) TH_LOG("echo printed nothing");
	n = sscanf(line + 1, "pid=%d%127[^\n]", &c3, said);
	ASSERT_EQ(2, n);
	EXPECT_EQ(pid, p1);
	EXPECT_EQ(c1, c2);
	EXPECT_EQ(c1, c3);
	EXPECT_STREQ("에서 안녕", said);

	check_interp(_metadata, &self->log, pid, PYTHON, self->path);
	check_orphan(_metadata, &self->log, pid, c1);
	exec = lc_find(&self->log, 0, "exec", c1);
	ASSERT_NE(NULL, exec) lc_dump(&self->log, pid);
	snprintf(said, sizeof(said), "pid=%d에서 안녕", c1);
	escape(esc, sizeof(esc), said);
	snprintf(argv, sizeof(argv), "echo,%s", esc);
	EXPECT_STREQ("/bin/echo", lc_str(exec, "filename"));
	EXPECT_STREQ(argv, lc_str(exec, "argv"));
	EXPECT_EQ(c1, lc_num(exec, "old_pid"));
	EXPECT_STREQ("echo", exec->comm);
	EXPECT_LT(lc_find(&self->log, 0, "fork", c1)->seq, exec->seq);
	EXPECT_LT(exec->seq, lc_find(&self->log, 0, "exit", c1)->seq);
}

/* os.posix_spawn("/bin/echo", ...): a child that is echo from the start */
TEST_F(seed, posix_spawn_py)
{
	const struct lc_rec *frk = NULL, *exec;
	char argv[512], esc[256];
	int status;
	size_t i;
	pid_t pid;

	pid = run(self, PYTHON, "spawn.py", &status);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, status);
	TH_LOG("output:\n%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "posix_spawn()로 생성되었습니다\n"));
	EXPECT_NE(NULL, strstr(self->out, "echo 명령어를 생성했습니다\n"));

	check_interp(_metadata, &self->log, pid, PYTHON, self->path);
	/* python's only child: the spawned one */
	for (i = 0; i < self->log.nr; i++) {
		const struct lc_rec *r = &self->log.recs[i];

		if (!strcmp(r->event, "fork") &&
		    lc_num(r, "creator_tgid") == pid &&
		    !strcmp(lc_str(r, "thread"), "0")) {
			EXPECT_EQ(NULL, frk) lc_dump(&self->log, pid);
			frk = r;
		}
	}
	ASSERT_NE(NULL, frk) lc_dump(&self->log, pid);
	check_orphan(_metadata, &self->log, pid, frk->pid);
	exec = lc_find(&self->log, 0, "exec", frk->pid);
	ASSERT_NE(NULL, exec);
	escape(esc, sizeof(esc), "posix_spawn()로 생성되었습니다");
	snprintf(argv, sizeof(argv), "echo,%s", esc);
	EXPECT_STREQ("/bin/echo", lc_str(exec, "filename"));
	EXPECT_STREQ(argv, lc_str(exec, "argv"));
}

/* "false &; wait $!" prints 1: bash's child exits 1, bash reaps it */
TEST_F(seed, wait_ret_sh)
{
	const struct lc_rec *frk = NULL, *ex, *reap;
	int status;
	size_t i;
	pid_t pid;

	pid = run(self, BASH, "wait-ret.sh", &status);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, status);
	TH_LOG("output: %s", self->out);
	EXPECT_STREQ("false 명령어가 종료되었습니다: 1\n", self->out);

	check_interp(_metadata, &self->log, pid, BASH, self->path);
	for (i = 0; i < self->log.nr; i++) {
		const struct lc_rec *r = &self->log.recs[i];

		if (!strcmp(r->event, "fork") && r->ppid == pid) {
			EXPECT_EQ(NULL, frk) lc_dump(&self->log, pid);
			frk = r;
		}
	}
	ASSERT_NE(NULL, frk) lc_dump(&self->log, pid);
	EXPECT_EQ(pid, lc_num(frk, "creator_tgid"));
	reap = lc_find(&self->log, 0, "reap", frk->pid);
	ex = lc_find(&self->log, 0, "exit", frk->pid);
	ASSERT_NE(NULL, reap);
	ASSERT_NE(NULL, ex);
	EXPECT_EQ(1, lc_num(ex, "code"));	/* the 1 that was printed */
	EXPECT_EQ(pid, lc_num(reap, "reaper_tgid"));
	EXPECT_STREQ("wait", lc_str(reap, "how"));
	EXPECT_LT(reap->seq, lc_find(&self->log, 0, "exit", pid)->seq);
}

/* SigIgn of /proc/@pid/status has @sig. */
static bool ignores(pid_t pid, int sig)
{
	char path[64], buf[2048], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (lc_read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, "SigIgn:");
	return p && (strtoull(p + 7, NULL, 16) >> (sig - 1) & 1);
}

/*
 * intignore.py spins with SIGINT ignored.  The chapter's session: Ctrl-C
 * does nothing, Ctrl-Z stops it, bg continues it, kill -TERM ends it.
 */
TEST_F(seed, intignore_py)
{
	struct lc_log *log = &self->log;
	const struct lc_rec *sig, *stop, *cont, *ex;
	int status, fd, i;
	pid_t pid;

	snprintf(self->path, sizeof(self->path), "%s/intignore.py", self->dir);
	pid = start(PYTHON, self->path, &fd);
	ASSERT_GT(pid, 0);
	close(fd);
	for (i = 0; !ignores(pid, SIGINT); i++) {
		if (i == LC_TIMEOUT_MS / 10)
			kill(pid, SIGKILL);
		ASSERT_LT(i, LC_TIMEOUT_MS / 10) TH_LOG("SIGINT never ignored");
		lc_sleep_ms(10);
	}

	ASSERT_EQ(0, kill(pid, SIGINT));
	lc_stop_cont(_metadata, pid, SIGTSTP);
	EXPECT_NE(NULL, lc_wait(log, 0, "cont", pid, LC_TIMEOUT_MS));
	ASSERT_EQ(0, kill(pid, SIGTERM));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGTERM, WTERMSIG(status));

	ASSERT_NE(NULL, lc_wait(log, 0, "reap", pid, LC_TIMEOUT_MS));
	sig = lc_find(log, 0, "signal", pid);
	while (sig && lc_num(sig, "signal") != SIGINT)
		sig = lc_find(log, sig->seq, "signal", pid);
	stop = lc_find(log, 0, "stop", pid);
	cont = lc_find(log, 0, "cont", pid);
	ex = lc_find(log, 0, "exit", pid);
	ASSERT_NE(NULL, sig) lc_dump(log, pid);
	ASSERT_NE(NULL, stop) lc_dump(log, pid);
	ASSERT_NE(NULL, cont) lc_dump(log, pid);
	ASSERT_NE(NULL, ex);
	EXPECT_STREQ("ignored", lc_str(sig, "result"));
	EXPECT_EQ(getpid(), lc_num(sig, "sender_tgid"));
	EXPECT_EQ(SIGTSTP, lc_num(stop, "signal"));
	EXPECT_EQ(SIGCONT, lc_num(cont, "signal"));
	EXPECT_EQ(SIGTERM, lc_num(ex, "signal"));
	EXPECT_STREQ("-", lc_str(ex, "code"));
	EXPECT_LT(sig->seq, stop->seq);
	EXPECT_LT(stop->seq, cont->seq);
	EXPECT_LT(cont->seq, ex->seq);
}

TEST_HARNESS_MAIN
