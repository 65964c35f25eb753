// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the inputs.  When the default source is missing the message
 * says why it may be (the module not loaded, debugfs not mounted, not
 * root); a directory is reported as one; and a file of another kind than
 * the command reads is named, with what the command expects.  And the
 * output: a failed write is remembered and reported once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"

#define DEBUGFS_MAGIC	0x64626720
#define PATH_LEN	4096

static const char *const kind_names[] = {
	[LC_KIND_LOG] = "a lifecycle log (text)",
	[LC_KIND_LINEAGE] = "a lineage table",
	[LC_KIND_STATS] = "a stats file",
};

static const char load_hint[] =
	"load the module (sudo insmod lifecycle.ko, or modprobe lifecycle)";

/**
 * lc_default_path() - the default source of a kind of input
 * @kind: what is to be read
 *
 * LIFECYCLE_PROC names another /proc/lifecycle and LIFECYCLE_DEBUGFS
 * another debugfs directory (for tests and chroots).
 *
 * Return: the path.
 */
const char *lc_default_path(enum lc_kind kind)
{
	static char path[PATH_LEN];
	const char *dir = getenv("LIFECYCLE_DEBUGFS");

	if (kind == LC_KIND_LOG)
		return getenv("LIFECYCLE_PROC") ?: LC_PROC_PATH;
	snprintf(path, sizeof(path), "%s/%s", dir ?: LC_DEBUGFS_DIR,
		 kind == LC_KIND_LINEAGE ? "lineage" : "stats");
	return path;
}

/* why a debugfs file is missing: debugfs not mounted, or no module */
static const char *debugfs_hint(const char *path)
{
	static char parent[PATH_LEN];
	struct statfs sfs;
	char *slash;
	int i;

	snprintf(parent, sizeof(parent), "%s", path);
	for (i = 0; i < 2; i++) {	/* .../debug/lifecycle/stats */
		slash = strrchr(parent, '/');
		if (!slash || slash == parent)
			return load_hint;
		*slash = '\0';
	}
	if (statfs(parent, &sfs))
		return errno == EACCES ? "debugfs is for root: run as root" :
		       "mount debugfs (sudo mount -t debugfs none /sys/kernel/debug)";
	if (sfs.f_type != DEBUGFS_MAGIC)
		return "mount debugfs (sudo mount -t debugfs none /sys/kernel/debug)";
	return load_hint;
}

static void open_error(const char *path, enum lc_kind kind, int err)
{
	const char *hint = NULL;

	if (err == EACCES || err == EPERM)
		hint = kind == LC_KIND_LOG ? "run as root, or as a member of the module's all_gid" :
		       "debugfs is for root: run as root";
	else if (err == ENOENT && !strcmp(path, lc_default_path(kind)))
		hint = kind == LC_KIND_LOG ? load_hint : debugfs_hint(path);
	fprintf(stderr, "lifecycle: %s: %s%s%s\n", path, strerror(err),
		hint ? "; " : "", hint ? hint : "");
}

/**
 * lc_open_input() - open an input for reading
 * @path: the file, or "-" for standard input
 * @kind: what it should hold, for the hints
 * @flags: more open(2) flags
 *
 * Return: the file descriptor, or -1 after printing why (with a hint
 * when the default source is missing, and "is a directory").
 */
int lc_open_input(const char *path, enum lc_kind kind, int flags)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-"))
		path = "/dev/stdin";
	fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0) {
		open_error(path, kind, errno);
		return -1;
	}
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "lifecycle: %s: is a directory, not a file\n",
			path);
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * lc_fopen_input() - lc_open_input() as a stdio stream
 * @path: the file, or "-" for standard input
 * @kind: what it should hold, for the hints
 *
 * Return: the stream, or NULL after printing why.
 */
FILE *lc_fopen_input(const char *path, enum lc_kind kind)
{
	int fd = lc_open_input(path, kind, 0);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f) {
		fprintf(stderr, "lifecycle: %s: %m\n", path);
		close(fd);
	}
	return f;
}

/* a "name value" line of the debugfs stats file */
static bool stats_line(const char *buf, size_t len)
{
	size_t n = 0;

	/* the module's first counter is events_fork */
	if (len < 7 || memcmp(buf, "events_", 7))
		return false;
	while (n < len && (buf[n] == '_' || (buf[n] >= 'a' && buf[n] <= 'z') ||
			   (buf[n] >= '0' && buf[n] <= '9')))
		n++;
	return n && n < len && buf[n] == ' ' && n + 1 < len &&
	       buf[n + 1] >= '0' && buf[n + 1] <= '9';
}

/**
 * lc_sniff() - what a file is, from its first bytes
 * @buf: the first bytes
 * @len: how many
 *
 * Return: a description ("a lineage table"), or NULL when unknown.
 */
const char *lc_sniff(const char *buf, size_t len)
{
	size_t sp = 0;

	if (len >= 6 && !memcmp(buf, LC_BIN_MAGIC, 6))
		return "a binary recording (lifecycle -r)";
	if (len >= 10 && !memcmp(buf, "lifecycle ", 10))
		return kind_names[LC_KIND_LOG];
	if (len >= 8 && !memcmp(buf, "lineage ", 8))
		return kind_names[LC_KIND_LINEAGE];
	while (sp < len && buf[sp] == ' ')
		sp++;
	if (len - sp >= 7 && !memcmp(buf + sp, "TIME(s)", 7))
		return "the timeline lifecycle prints";
	if (len && buf[0] == '{')
		return "JSON Lines from lifecycle --json";
	if (stats_line(buf, len))
		return kind_names[LC_KIND_STATS];
	return NULL;
}

/**
 * lc_wrong_kind() - say what a file is and what the command reads
 * @src: its name
 * @buf: its first bytes
 * @len: how many
 * @want: what the command reads
 */
void lc_wrong_kind(const char *src, const char *buf, size_t len,
		   enum lc_kind want)
{
	static const char *const wants[] = {
		[LC_KIND_LOG] = "lifecycle -i reads a log: /proc/lifecycle saved with cat, or a recording of lifecycle -r",
		[LC_KIND_LINEAGE] = "lifecycle tree -i reads a lineage table (" LC_DEBUGFS_DIR "/lineage) or a log",
		[LC_KIND_STATS] = "lifecycle stats -i reads a stats file (" LC_DEBUGFS_DIR "/stats)",
	};
	const char *what = lc_sniff(buf, len);

	if (what && what != kind_names[want] &&
	    !(want == LC_KIND_LOG && !strcmp(what, "a binary recording (lifecycle -r)")))
		fprintf(stderr, "lifecycle: %s: this is %s; %s\n", src, what,
			wants[want]);
}

int out_errno;
bool out_reported;

/**
 * out_error() - whether writing to standard output has failed
 *
 * The errno of the first failure is kept for out_failed().
 *
 * Return: true after a failed write.
 */
bool out_error(void)
{
	if (!ferror(stdout) && !out_errno)
		return false;
	if (!out_errno)
		out_errno = errno ? errno : EIO;
	return true;
}

/**
 * out_failed() - report that standard output failed, once
 *
 * Return: 1, the exit status for it.
 */
int out_failed(void)
{
	out_error();
	if (!out_reported)
		fprintf(stderr, "lifecycle: write error: %s\n",
			strerror(out_errno ? out_errno : EIO));
	out_reported = true;
	return 1;
}

