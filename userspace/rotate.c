// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle -f --rotate DIR": the module's binary stream into DIR, in
 * files of at most --max-bytes, the oldest deleted beyond --max-files; and
 * "lifecycle -i DIR": those files read back in order, with the sequence
 * numbers checked across them.
 *
 * Each file, DIR/lifecycle-NNNNNNNNNN.bin (the number grows by one a
 * file), is a complete binary stream: the module's prologue (LC_BIN_MAGIC
 * and its stream header, with the boot id), then whole events, so any one
 * of them reads with -i alone.  A recorder that starts again in
 * the same boot (DIR/boot_id says which) goes on after the last recorded
 * event: what the module still holds of the recorded ones is skipped, and
 * a gap (records the module dropped while nobody recorded) is written as
 * a "lost" event, as the module tells a reader it overtook.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"
#include "stream.h"

#define ROT_PREFIX	"lifecycle-"
#define ROT_SUFFIX	".bin"
#define ROT_NAME_LEN	32
#define ROT_BUF		(64 * 1024)
#define ROT_MIN_BYTES	(ROT_PROLOGUE_MAX + LC_LINE_MAX)
/* the longest stream header a recorder copies into each file */
#define ROT_PROLOGUE_MAX	(LC_BIN_MAGIC_LEN + 256)
#define BOOT_ID_LEN	37
/* after a signal, reads of what the log already holds (as raw.c) */
#define DRAIN_READS	64

static atomic_int stop;

struct rot {
	const char *dir;
	int dfd;			/* DIR */
	int fd;				/* the file being written, or -1 */
	unsigned long long size;	/* its bytes */
	unsigned long long max_bytes;
	unsigned long max_files;
	unsigned long first, next;	/* oldest file number, next one */
	long long last_seq, last_ts;	/* last event written, or -1 */
	bool resume;			/* same boot: skip what is recorded */
	char prologue[ROT_PROLOGUE_MAX];	/* the stream's, for each file */
	size_t prologue_len;
};

static void on_signal(int sig)
{
	stop = sig;
}

/* a number with an optional K, M or G (powers of 1024) */
static int parse_size(const char *s, unsigned long long min,
		      unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k':
		mul = 1ULL << 10;
		end++;
		break;
	case 'M': case 'm':
		mul = 1ULL << 20;
		end++;
		break;
	case 'G': case 'g':
		mul = 1ULL << 30;
		end++;
		break;
	}
	if (*end || v > (1ULL << 50) / mul || v * mul < min)
		return -1;
	*out = v * mul;
	return 0;
}

static int opt_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lifecycle: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'lifecycle --help'.\n");
	return 2;
}

/**
 * record_opt() - the options of the recorders (rotation and journal)
 * @o: the options so far
 * @c: getopt_long()'s value for it (enum lc_record_opt)
 * @arg: its argument, or NULL
 *
 * Return: 0, or 2 after a usage message (also for an unknown @c).
 */
int record_opt(struct opts *o, int c, const char *arg)
{
	unsigned long long v;

	switch (c) {
	case OPT_ROTATE:
		if (!*arg)
			return opt_error("--rotate: an empty directory name%s",
					 "");
		o->rotate_dir = arg;
		o->raw = true;
		return 0;
	case OPT_MAX_BYTES:
		if (parse_size(arg, ROT_MIN_BYTES, &v))
			return opt_error("--max-bytes: '%s' is not a size of 10K or more (K, M, G)",
					 arg);
		o->max_bytes = v;
		return 0;
	case OPT_MAX_FILES:
		if (parse_size(arg, 1, &v) || v > 1000000)
			return opt_error("--max-files: '%s' is not a number from 1 to 1000000",
					 arg);
		o->max_files = v;
		return 0;
	case OPT_JOURNAL:
		o->journal = true;
		return 0;
	}
	return 2;
}

/* "lifecycle-0000000042.bin": 42; 0 for any other name */
static unsigned long file_number(const char *name)
{
	size_t n = strlen(ROT_PREFIX);
	unsigned long v;
	char *end;

	if (strncmp(name, ROT_PREFIX, n) || name[n] < '0' || name[n] > '9')
		return 0;
	errno = 0;
	v = strtoul(name + n, &end, 10);
	if (errno || strcmp(end, ROT_SUFFIX))
		return 0;
	return v;
}

static void file_name(char *buf, unsigned long num)
{
	snprintf(buf, ROT_NAME_LEN, ROT_PREFIX "%010lu" ROT_SUFFIX, num);
}

static int rot_filter(const struct dirent *d)
{
	return file_number(d->d_name) != 0;
}

static int rot_sort(const struct dirent **a, const struct dirent **b)
{
	unsigned long x = file_number((*a)->d_name);
	unsigned long y = file_number((*b)->d_name);

	return x < y ? -1 : x > y;
}

/* the recording's files in order; their count, or -1 after a message */
static int list_files(const char *dir, struct dirent ***list)
{
	int n = scandir(dir, list, rot_filter, rot_sort);

	if (n < 0)
		fprintf(stderr, "lifecycle: %s: %m\n", dir);
	return n;
}

static void free_list(struct dirent **list, int n)
{
	while (n-- > 0)
		free(list[n]);
	free(list);
}

/* the seq and ts of the last whole event of file name, if any */
static void last_event(struct rot *r, const char *name)
{
	static char buf[ROT_BUF] __aligned(8);
	struct lc_event ev;
	size_t len = 0, off, size;
	struct lc_parser p;
	ssize_t n;
	int fd = openat(r->dfd, name, O_RDONLY | O_CLOEXEC);
	bool magic = false;
	int ret;

	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		off = 0;
		if (!magic) {
			lc_parser_init(&p, name, false);
			ret = lc_check_magic(&p, buf, len);
			if (!ret)
				continue;
			if (ret < 0)
				break;
			magic = true;
			off = ret;
		}
		while (len - off >= LC_EVENT_HEADER_SIZE) {
			memcpy(&ev, buf + off, LC_EVENT_HEADER_SIZE);
			size = ev.size;
			if (size < LC_EVENT_MIN_SIZE || size > LC_LINE_MAX ||
			    size % 8)
				goto out;	/* damaged: keep what came before */
			if (len - off < size)
				break;
			r->last_seq = ev.seq;
			r->last_ts = ev.ts;
			off += size;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
out:
	close(fd);
}

/* this boot's id; whether DIR was recorded in the same boot */
static bool same_boot(struct rot *r)
{
	char now[BOOT_ID_LEN] = "", then[BOOT_ID_LEN] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	bool same;
	int fd;

	if (f) {
		if (!fgets(now, sizeof(now), f))
			now[0] = '\0';
		fclose(f);
	}
	fd = openat(r->dfd, "boot_id", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, then, sizeof(then) - 1) < 0)
			then[0] = '\0';
		close(fd);
	}
	same = now[0] && !strcmp(now, then);
	fd = openat(r->dfd, "boot_id", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0640);
	if (fd >= 0) {
		if (write(fd, now, strlen(now)) < 0)
			fprintf(stderr, "lifecycle: %s/boot_id: %m\n", r->dir);
		close(fd);
	}
	return same;
}

/* DIR's files so far: where to go on, and from which event */
static int rot_scan(struct rot *r)
{
	struct dirent **list;
	int n;

	n = list_files(r->dir, &list);
	if (n < 0)
		return -1;
	r->first = n ? file_number(list[0]->d_name) : 1;
	r->next = n ? file_number(list[n - 1]->d_name) + 1 : 1;
	r->last_seq = -1;
	r->last_ts = -1;
	if (n)
		last_event(r, list[n - 1]->d_name);
	free_list(list, n);
	r->resume = same_boot(r) && r->last_seq >= 0;
	return 0;
}

/* delete the oldest files until at most max_files are left */
static void rot_prune(struct rot *r)
{
	char name[ROT_NAME_LEN];

	while (r->next - r->first > r->max_files) {
		file_name(name, r->first++);
		if (unlinkat(r->dfd, name, 0) && errno != ENOENT)
			fprintf(stderr, "lifecycle: %s/%s: %m\n", r->dir, name);
	}
}

/* close the file (its data on disk first), and start the next one */
static int rot_open_next(struct rot *r)
{
	char name[ROT_NAME_LEN];

	if (r->fd >= 0) {
		fdatasync(r->fd);
		close(r->fd);
	}
	file_name(name, r->next);
	r->fd = openat(r->dfd, name,
		       O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
	if (r->fd < 0) {
		fprintf(stderr, "lifecycle: %s/%s: %m\n", r->dir, name);
		return -1;
	}
	r->next++;
	rot_prune(r);
	r->size = r->prologue_len;
	if (lc_write_all(r->fd, r->prologue, r->prologue_len)) {
		fprintf(stderr, "lifecycle: %s/%s: write: %m\n", r->dir, name);
		return -1;
	}
	return 0;
}

/* len bytes of whole events into the files, rotating between events */
static int rot_write(struct rot *r, const char *buf, size_t len)
{
	size_t off = 0, start = 0, size;
	unsigned short sz;

	while (off < len) {
		memcpy(&sz, buf + off, sizeof(sz));
		size = sz;
		if (r->fd < 0 ||
		    (r->size + (off - start) + size > r->max_bytes &&
		     r->size + (off - start) > r->prologue_len)) {
			if (r->fd >= 0 &&
			    lc_write_all(r->fd, buf + start, off - start))
				goto fail;
			r->size += off - start;
			start = off;
			if (rot_open_next(r))
				return -1;
		}
		off += size;
	}
	if (lc_write_all(r->fd, buf + start, off - start))
		goto fail;
	r->size += off - start;
	return 0;
fail:
	fprintf(stderr, "lifecycle: %s: write: %m\n", r->dir);
	return -1;
}

/*
 * The first event of a recorder that goes on in the same boot: 0 to skip
 * it (it is recorded already), 1 to keep it, after a "lost" event for the
 * records in between, if any.  A seq that went back at a later time is a
 * module loaded again: a new sequence, with no gap to tell.
 */
static int rot_resume(struct rot *r, const struct lc_event *ev)
{
	struct lc_event lost;

	if ((long long)ev->seq <= r->last_seq) {
		if ((long long)ev->ts <= r->last_ts)
			return 0;
		r->resume = false;
		return 1;
	}
	r->resume = false;
	if ((long long)ev->seq == r->last_seq + 1)
		return 1;
	memset(&lost, 0, sizeof(lost));
	lost.size = LC_EVENT_SMALL_SIZE;
	lost.type = LC_EV_LOST;
	lost.cpu = ev->cpu;
	lost.seq = r->last_seq + 1;
	lost.ts = ev->ts;
	lost.lost.count = ev->seq - lost.seq;
	fprintf(stderr, "lifecycle: %s: %llu records between seq %llu and %llu were not recorded\n",
		r->dir, (unsigned long long)lost.lost.count,
		(unsigned long long)r->last_seq, (unsigned long long)ev->seq);
	return rot_write(r, (const char *)&lost, LC_EVENT_SMALL_SIZE) ? -1 : 1;
}

/*
 * The whole events at buf: written, except those a resuming recorder
 * skips.  Returns the bytes used (a cut event waits for its rest), or -1.
 */
static ssize_t rot_events(struct rot *r, const char *buf, size_t len)
{
	struct lc_event ev;
	size_t off = 0, start = 0, size;
	int keep;

	while (len - off >= LC_EVENT_HEADER_SIZE) {
		memcpy(&ev, buf + off, LC_EVENT_HEADER_SIZE);
		size = ev.size;
		if (size < LC_EVENT_MIN_SIZE || size > LC_LINE_MAX ||
		    size % 8) {
			fprintf(stderr, "lifecycle: %s: bad event size %zu in the module's stream\n",
				r->dir, size);
			return -1;
		}
		if (len - off < size)
			break;
		if (r->resume) {
			keep = rot_resume(r, &ev);
			if (keep < 0)
				return -1;
			if (!keep)
				start = off + size;
		}
		off += size;
	}
	if (off > start && rot_write(r, buf + start, off - start))
		return -1;
	return off;
}

/* SIGINT, SIGTERM and SIGALRM (-t) stop it; they arrive only in ppoll() */
static void setup_signals(long long timeout_ms, sigset_t *wait_mask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGALRM };

	lc_catch(sigs, ARRAY_SIZE(sigs), on_signal, NULL, wait_mask);
	if (timeout_ms >= 0)
		alarm(timeout_ms ? (timeout_ms + 999) / 1000 : 1);
}

/*
 * Copy until the end (without -f) or a signal, then drain as raw.c does;
 * from the mapped log when @ring is there.
 */
static int rot_copy(struct rot *r, int fd, struct lc_ring *ring, bool follow,
		    const sigset_t *wait_mask)
{
	static char buf[ROT_BUF + LC_LINE_MAX] __aligned(8);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t len = 0;
	bool magic = false;
	int drain = DRAIN_READS;
	struct lc_parser p;
	bool got = false;
	ssize_t n;

	while (!stop || drain--) {
		n = lc_read_or_map(ring, fd, buf + len, ROT_BUF, follow);
		if (n < 0 && errno == EAGAIN) {
			if (stop)
				break;
			/* more will come: gather it, unless poll() does */
			if (got && !lc_ring_batched(ring))
				lc_nap(wait_mask);
			else if (ppoll(&pfd, 1, NULL, wait_mask) < 0 &&
				 errno != EINTR)
				goto fail;
			got = false;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;	/* the end, or the module went away */
		len += n;
		got = true;
		if (!magic) {	/* the module's prologue: each file gets it */
			lc_parser_init(&p, LC_PROC_PATH, false);
			n = lc_check_magic(&p, buf, len);
			if (!n)
				continue;
			if (n < 0 || n > ROT_PROLOGUE_MAX) {
				fprintf(stderr, "lifecycle: not a binary stream: %s\n",
					n < 0 ? p.err : "stream header too long");
				return 1;
			}
			memcpy(r->prologue, buf, n);
			r->prologue_len = n;
			memmove(buf, buf + n, len - n);
			len -= n;
			magic = true;
		}
		n = rot_events(r, buf, len);
		if (n < 0)
			return 1;
		memmove(buf, buf + n, len - n);
		len -= n;
	}
	if (len)
		fprintf(stderr, "lifecycle: %zu bytes of a cut event left out\n",
			len);
	if (ring && lc_ring_report(ring, fd))
		goto fail;
	if (r->fd >= 0 && fdatasync(r->fd) && errno != EINVAL) {
		fprintf(stderr, "lifecycle: %s: fdatasync: %m\n", r->dir);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "lifecycle: read: %m\n");
	return 1;
}

/**
 * cmd_rotate() - record the binary stream into rotated files
 * @o: the options: rotate_dir, max_bytes, max_files, follow, tail,
 *     timeout_ms, input
 *
 * Return: the exit status.
 */
int cmd_rotate(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct rot r = {
		.dir = o->rotate_dir, .fd = -1,
		.max_bytes = o->max_bytes ? o->max_bytes : ROT_DEF_BYTES,
		.max_files = o->max_files ? o->max_files : ROT_DEF_FILES,
	};
	struct lc_ring ring;
	sigset_t wait_mask;
	int fd, ret = 1;
	bool mapped;

	if (mkdir(r.dir, 0750) && errno != EEXIST) {
		fprintf(stderr, "lifecycle: %s: %m\n", r.dir);
		return 1;
	}
	r.dfd = open(r.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.dfd < 0) {
		fprintf(stderr, "lifecycle: %s: %m\n", r.dir);
		return 1;
	}
	fd = lc_open_input(src, LC_KIND_LOG, O_NONBLOCK);
	if (fd < 0)
		goto out_dir;
	if (ioctl(fd, LC_IOC_BINARY)) {
		fprintf(stderr, "lifecycle: %s: LC_IOC_BINARY: %m; --rotate records %s\n",
			src, LC_PROC_PATH);
		goto out;
	}
	if ((o->tail && ioctl(fd, LC_IOC_TAIL)) ||
	    (o->follow && ioctl(fd, LC_IOC_FOLLOW))) {
		fprintf(stderr, "lifecycle: LC_IOC_TAIL/FOLLOW: %m\n");
		goto out;
	}
	if (rot_scan(&r))
		goto out;
	setup_signals(o->timeout_ms, &wait_mask);
	mapped = !getenv("LIFECYCLE_NO_MAP") &&
		 !lc_ring_map(&ring, fd, LC_RING_RECORD_WAKE_MS);
	ret = rot_copy(&r, fd, mapped ? &ring : NULL, o->follow, &wait_mask);
	if (mapped)
		lc_ring_unmap(&ring);
	if (r.fd >= 0 && close(r.fd)) {
		fprintf(stderr, "lifecycle: %s: close: %m\n", r.dir);
		ret = 1;
	}
out:
	close(fd);
out_dir:
	close(r.dfd);
	return ret;
}

/**
 * rotate_is_dir() - whether -i names a directory of --rotate's files
 * @path: the -i argument
 *
 * Return: true for a directory holding at least one lifecycle-N.bin.
 */
bool rotate_is_dir(const char *path)
{
	struct dirent *d;
	struct stat st;
	bool found = false;
	DIR *dir;

	if (!strcmp(path, "-") || stat(path, &st) || !S_ISDIR(st.st_mode))
		return false;
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (d = readdir(dir)))
		found = file_number(d->d_name) != 0;
	closedir(dir);
	return found;
}

/* the records of every file, with the seq checked from one to the next */
struct seq_check {
	stream_fn fn;
	void *ctx;
	struct stream *s;
	const char *file;
	long long expect;	/* the next seq, or -1 */
	unsigned long gaps;
};

static int seq_one(void *ctx, const struct lc_entry *r)
{
	struct seq_check *c = ctx;

	if (c->expect >= 0 && r->seq > c->expect) {
		fprintf(stderr, "lifecycle: %s: seq %lld follows %lld: %lld records missing\n",
			c->file, r->seq, c->expect - 1, r->seq - c->expect);
		c->gaps++;
	} else if (c->expect >= 0 && r->seq < c->expect) {
		fprintf(stderr, "lifecycle: %s: seq %lld after %lld: a new recording (the module was loaded again)\n",
			c->file, r->seq, c->expect - 1);
	}
	c->expect = r->seq + (r->type == LC_EV_LOST ? r->lost.count : 1);
	return c->fn(c->ctx, r);
}

/**
 * rotate_read_dir() - read a --rotate directory's files in order
 * @s: the stream to read each file with (closed at the end)
 * @dir: the directory
 * @strict: stop at the first damaged spot
 * @fn: called for each record, in order
 * @ctx: its context
 *
 * A seq that skips ahead from one record to the next, within a file or
 * across two, is reported and counted in s->damaged (a "lost" record
 * accounts for the ones it tells of); a seq that goes back starts a new
 * recording (the module was loaded again, or the machine booted).
 *
 * Return: 0, or -1 after a message.
 */
int rotate_read_dir(struct stream *s, const char *dir, bool strict,
		    stream_fn fn, void *ctx)
{
	struct seq_check c = { .fn = fn, .ctx = ctx, .s = s, .expect = -1 };
	unsigned long damaged = 0;
	struct dirent **list;
	char path[4096];
	int i, n, ret = 0;

	n = list_files(dir, &list);
	if (n < 0)
		return -1;
	if (!n)
		fprintf(stderr, "lifecycle: %s: no " ROT_PREFIX "N" ROT_SUFFIX
			" files\n", dir);
	for (i = 0; i < n && !ret; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		c.file = path;
		if (stream_open(s, path, false)) {
			ret = -1;
			break;
		}
		s->strict = strict;
		ret = stream_read_all(s, seq_one, &c);
		if (!ret)
			ret = stream_finish(s, seq_one, &c);
		damaged += s->damaged;
		stream_close(s);
	}
	free_list(list, n);
	s->damaged = damaged + c.gaps;
	s->fd = -1;
	if (!ret && strict && c.gaps)
		ret = -1;
	return ret;
}
