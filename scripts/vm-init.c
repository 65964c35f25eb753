// SPDX-License-Identifier: GPL-2.0
/*
 * vm-init.c - PID 1 of lifecycle's test VMs.
 *
 * The initramfs mounts the host root (read-only 9p under a tmpfs overlay)
 * and switch_roots into this program.  It mounts the usual filesystems,
 * loads the module, runs one command, reaps every process the kernel
 * reparents to it, prints "LC-VM-EXIT=<status>" on the console and powers
 * the machine off.  Reparent and reap tests depend on PID 1 reaping, so
 * SIGCHLD keeps its default disposition and the loop waits for anything.
 * /tmp is a tmpfs of the guest's own, unless the project lives under the
 * host's /tmp.
 *
 * Kernel command line:
 *   lc.module=PATH     module to load with finit_module()
 *   lc.modparams=STR   its parameters (lc.modparams="a=1 b=2")
 *   lc.nomodule        load no module
 *   lc.rmmod           unload the module after the command
 *   lc.cmd=PATH        script to run as "/bin/sh PATH"
 *   lc.cwd=DIR         its working directory
 *   lc.interactive     give it /dev/ttyS0 as controlling terminal
 *   lc.loglevel=N      console log level while it runs (default 5)
 *   lc.kmemleak        report kmemleak's findings after the unload, and fail
 *
 * The command gets PATH, HOME, TERM, LC_VM=1 and LC_MODULE=PATH (if any).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_INIT_FAILED	125	/* this program, not the command, failed */
#define MAX_PARAMS		256
#define LINGER_MS		2000	/* how long orphans may outlive the command */
#define SYSLOG_ACTION_CONSOLE_LEVEL	8

static char cmdline[4096];
static char *params[MAX_PARAMS];
static int nr_params;

static void poweroff(int status)
{
	printf("\nLC-VM-EXIT=%d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("lc-init: ", stdout);
	vprintf(fmt, ap);
	printf(": %s\n", strerror(errno));
	va_end(ap);
	fflush(stdout);
	if (getpid() != 1)
		_exit(EXIT_INIT_FAILED);
	poweroff(EXIT_INIT_FAILED);
}

/* Split /proc/cmdline into words; double quotes group, as in the kernel. */
static void read_cmdline(void)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t len;
	char *src, *dst;
	int quoted = 0;

	if (fd < 0)
		die("open /proc/cmdline");
	len = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	if (len < 0)
		die("read /proc/cmdline");
	cmdline[len] = '\0';

	for (src = dst = cmdline; *src && nr_params < MAX_PARAMS; src++) {
		if (*src == '"') {
			quoted = !quoted;
		} else if (!quoted && (*src == ' ' || *src == '\n')) {
			*dst++ = '\0';
		} else {
			if (dst == cmdline || dst[-1] == '\0')
				params[nr_params++] = dst;
			*dst++ = *src;
		}
	}
	*dst = '\0';
}

/* The value of "key=value", "" for a bare "key", NULL if absent. */
static const char *param(const char *key)
{
	size_t len = strlen(key);
	int i;

	for (i = nr_params - 1; i >= 0; i--) {
		if (strncmp(params[i], key, len))
			continue;
		if (params[i][len] == '=')
			return params[i] + len + 1;
		if (params[i][len] == '\0')
			return "";
	}
	return NULL;
}

static int is_mountpoint(const char *dir)
{
	char parent[256];
	struct stat a, b;

	snprintf(parent, sizeof(parent), "%s/..", dir);
	return !stat(dir, &a) && !stat(parent, &b) && a.st_dev != b.st_dev;
}

static void mount_fs(const char *type, const char *dir, const char *opts)
{
	mkdir(dir, 0755);
	if (is_mountpoint(dir))
		return;
	if (mount(type, dir, type, MS_NOSUID, opts))
		printf("lc-init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void mount_filesystems(void)
{
	mount_fs("proc", "/proc", NULL);
	mount_fs("sysfs", "/sys", NULL);
	mount_fs("devtmpfs", "/dev", NULL);
	mount_fs("devpts", "/dev/pts", "ptmxmode=0666");
	mount_fs("tmpfs", "/dev/shm", NULL);
	mount_fs("tmpfs", "/run", "mode=0755");
	mount_fs("debugfs", "/sys/kernel/debug", NULL);
	mount_fs("tracefs", "/sys/kernel/tracing", NULL);
}

static int under_tmp(const char *path)
{
	return path && !strncmp(path, "/tmp", 4) &&
	       (path[4] == '/' || path[4] == '\0');
}

/*
 * The guest's /tmp is a tmpfs of its own, unless the project lives under
 * the host's /tmp: a tmpfs there would hide the module, the command and
 * the shared output directory.  /tmp then stays the overlay's, writable
 * all the same, its writes kept in the guest's memory.
 */
static void mount_tmp(void)
{
	static const char *const keys[] = {
		"lc.cwd", "lc.cmd", "lc.module", "lc.out",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (under_tmp(param(keys[i])))
			return;
	}
	mount_fs("tmpfs", "/tmp", "mode=1777");
}

static const char *module_path(void)
{
	return param("lc.nomodule") ? NULL : param("lc.module");
}

static void load_module(void)
{
	const char *path = module_path();
	const char *args = param("lc.modparams");
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	if (syscall(SYS_finit_module, fd, args ? args : "", 0))
		die("insmod %s", path);
	close(fd);
}

/* Returns 0 if the module is gone, whoever unloaded it. */
static int unload_module(void)
{
	const char *path = module_path();
	const char *base;
	char name[64], *p;

	if (!path || !*path || !param("lc.rmmod"))
		return 0;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(name, sizeof(name), "%s", base);
	p = strstr(name, ".ko");
	if (p)
		*p = '\0';
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	if (!syscall(SYS_delete_module, name, O_NONBLOCK) || errno == ENOENT)
		return 0;
	printf("lc-init: rmmod %s: %s\n", name, strerror(errno));
	return -1;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		printf("lc-init: write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

/* Forget what boot leaked, so that only the test's leaks are reported. */
static void kmemleak_clear(void)
{
	if (param("lc.kmemleak"))
		write_file(KMEMLEAK, "clear");
}

/* Returns -1, after printing them, if kmemleak finds unreferenced objects. */
static int kmemleak_check(void)
{
	char buf[4096];
	ssize_t len, total = 0;
	int fd;

	if (!param("lc.kmemleak"))
		return 0;
	sleep(5);	/* kmemleak ignores objects younger than 5 s */
	write_file(KMEMLEAK, "scan");
	fd = open(KMEMLEAK, O_RDONLY);
	if (fd < 0)
		return 0;
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, len, stdout);
		total += len;
	}
	close(fd);
	if (!total) {
		printf("lc-init: kmemleak scan: no unreferenced object\n");
		return 0;
	}
	printf("lc-init: kmemleak reports unreferenced objects\n");
	return -1;
}

static void setup_child(int interactive)
{
	const char *tty = interactive ? "/dev/ttyS0" : "/dev/console";
	const char *cwd = param("lc.cwd");
	int fd;

	setsid();
	fd = open(tty, interactive ? O_RDWR : O_RDWR | O_NOCTTY);
	if (fd < 0)
		die("open %s", tty);
	if (interactive)
		ioctl(fd, TIOCSCTTY, 1);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	if (cwd && chdir(cwd))
		printf("lc-init: chdir %s: %s\n", cwd, strerror(errno));
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	setenv("TERM", interactive ? "vt100" : "dumb", 1);
	setenv("LC_VM", "1", 1);
	if (module_path())
		setenv("LC_MODULE", module_path(), 1);
}

static pid_t start_command(void)
{
	const char *script = param("lc.cmd");
	pid_t pid;

	if (!script)
		die("no lc.cmd= on the kernel command line");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		setup_child(param("lc.interactive") != NULL);
		execl("/bin/sh", "sh", script, (char *)NULL);
		die("exec /bin/sh %s", script);
	}
	return pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Give orphans the command left behind a moment, then kill and reap them. */
static void reap_stragglers(void)
{
	long waited = 0;
	pid_t pid;

	while (waited < LINGER_MS) {
		pid = waitpid(-1, NULL, WNOHANG);
		if (pid < 0 && errno == ECHILD)
			return;
		if (pid <= 0) {
			sleep_ms(20);
			waited += 20;
		}
	}
	printf("lc-init: killing processes left after the command\n");
	kill(-1, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/* Reap everything until the command itself is reaped. */
static int wait_for(pid_t cmd)
{
	int status;
	pid_t pid;

	do {
		pid = wait(&status);
		if (pid < 0 && errno != EINTR)
			die("wait");
	} while (pid != cmd);

	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(void)
{
	const char *loglevel;
	int status;

	mount_filesystems();
	read_cmdline();
	mount_tmp();
	sethostname("lc-vm", 5);
	kmemleak_clear();
	load_module();
	loglevel = param("lc.loglevel");
	klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, loglevel ? atoi(loglevel) : 5);

	status = wait_for(start_command());
	reap_stragglers();
	if (unload_module() && !status)
		status = 1;
	if (kmemleak_check() && !status)
		status = 1;
	poweroff(status);
	return 0;
}
