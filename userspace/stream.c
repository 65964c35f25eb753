// SPDX-License-Identifier: GPL-2.0
/*
 * Follow /proc/lifecycle without a busy loop: ppoll() for
 * POLLIN with the caller's signals deliverable only while waiting, then
 * read what is there.  read() hands out whole lines (or binary events) but
 * a short buffer may cut one, so a partial one is kept until the rest
 * comes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "stream.h"

#define PROC_SUPER_MAGIC	0x9fa0

/*
 * A recording in a plain file polls readable for ever, so it is read by
 * naps.  /proc/lifecycle is a regular file too, but a procfs one that polls
 * and knows LC_IOC_TAIL.
 */
static bool plain_file(int fd)
{
	struct statfs sfs;
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return false;
	return fstatfs(fd, &sfs) || sfs.f_type != PROC_SUPER_MAGIC;
}

int stream_open(struct stream *s, const char *path, bool tail)
{

	memset(s, 0, sizeof(*s));
	s->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		fprintf(stderr, "lifecycle: %s: %m\n", path);
		return -1;
	}
	s->regular = plain_file(s->fd);
	/* a FIFO or file replaying a recording has no end to move to */
	if (tail && !s->regular && ioctl(s->fd, LC_IOC_TAIL) < 0 &&
	    errno != ENOTTY) {
		fprintf(stderr, "lifecycle: %s: LC_IOC_TAIL: %m\n", path);
		close(s->fd);
		return -1;
	}
	/* the binary stream spares the module the formatting */
	if (!s->regular && !ioctl(s->fd, LC_IOC_BINARY))
		s->mode = STREAM_BINARY;
	lc_parser_init(&s->p, path, false);
	return 0;
}

void stream_close(struct stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* hand out the complete lines in the buffer, keep the rest */
static int stream_lines(struct stream *s, stream_fn fn, void *ctx)
{
	struct lc_record r;
	char *start = s->buf, *nl;
	size_t left = s->len;
	int ret;

	while ((nl = memchr(start, '\n', left))) {
		ret = lc_parse_line(&s->p, start, nl - start + 1, &r);
		if (ret < 0) {
			log_perror(&s->p);
			return -1;
		}
		if (ret == 1 && fn(ctx, &r))
			return -1;
		left -= nl - start + 1;
		start = nl + 1;
	}
	if (left == sizeof(s->buf)) {
		s->p.lineno++;
		snprintf(s->p.err, sizeof(s->p.err), "line too long");
		log_perror(&s->p);
		return -1;
	}
	memmove(s->buf, start, left);
	s->len = left;
	return 0;
}

/* hand out the complete events in the buffer, keep the rest */
static int stream_events(struct stream *s, stream_fn fn, void *ctx)
{
	const struct lc_event *ev;
	struct lc_record r;
	size_t off = 0, size;

	if (!s->magic_seen) {
		if (s->len < LC_BIN_MAGIC_LEN)
			return 0;
		if (lc_check_magic(&s->p, s->buf)) {
			log_perror(&s->p);
			return -1;
		}
		s->magic_seen = true;
		off = LC_BIN_MAGIC_LEN;
	}
	while (s->len - off >= 8) {
		ev = (const struct lc_event *)(s->buf + off);
		size = ev->size;
		if (lc_check_event_size(&s->p, size)) {
			s->p.lineno++;
			log_perror(&s->p);
			return -1;
		}
		if (s->len - off < size)
			break;
		if (lc_parse_event(&s->p, ev, size, &r) < 0) {
			log_perror(&s->p);
			return -1;
		}
		if (fn(ctx, &r))
			return -1;
		off += size;
	}
	memmove(s->buf, s->buf + off, s->len - off);
	s->len -= off;
	return 0;
}

static int stream_records(struct stream *s, stream_fn fn, void *ctx)
{
	if (s->mode == STREAM_UNKNOWN && s->len)
		s->mode = s->buf[0] == LC_BIN_MAGIC[0] ? STREAM_BINARY :
							 STREAM_TEXT;
	if (s->mode == STREAM_BINARY)
		return stream_events(s, fn, ctx);
	return stream_lines(s, fn, ctx);
}

static int stream_wait(struct stream *s, int timeout_ms,
		       const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	struct timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long)(timeout_ms % 1000) * 1000000,
	};

	if (s->regular) {	/* a file always polls readable: nap instead */
		if (timeout_ms < 0 || timeout_ms > 200)
			ts = (struct timespec){ .tv_nsec = 200000000 };
		return nanosleep(&ts, NULL) < 0 ? 0 : 1;
	}
	if (ppoll(&pfd, 1, timeout_ms < 0 ? NULL : &ts, wait_mask) <= 0)
		return 0;
	if (pfd.revents & (POLLHUP | POLLNVAL))
		s->hup = true;
	return 1;
}

int stream_pump(struct stream *s, int timeout_ms, const sigset_t *wait_mask,
		stream_fn fn, void *ctx)
{
	ssize_t n;

	if (!stream_wait(s, timeout_ms, wait_mask))
		return 0;
	for (;;) {
		n = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			fprintf(stderr, "lifecycle: %s: read: %m\n", s->p.src);
			return -1;
		}
		if (n <= 0)
			return 0;
		s->len += n;
		if (stream_records(s, fn, ctx))
			return -1;
	}
}
