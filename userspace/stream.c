// SPDX-License-Identifier: GPL-2.0
/*
 * Read records as they come, from /proc/lifecycle (ppoll() for POLLIN with
 * the caller's signals deliverable only while waiting), a pipe or a file,
 * in constant memory.  read() hands out whole lines (or binary events) but
 * a short buffer may cut one, so a partial one is kept until the rest
 * comes.
 *
 * A damaged spot (a line that does not parse, an event whose size or
 * content is impossible, a cut-short end) is skipped: the text goes on at
 * the next line, the binary stream at the next byte where a valid event
 * starts.  Each spot is reported once, when it ends, with how much was
 * skipped.  Only a missing header (or magic) is fatal: then the input is
 * not a log at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include "cli.h"
#include <unistd.h>
#include "input.h"
#include "log.h"
#include "stream.h"

#define PROC_SUPER_MAGIC	0x9fa0
#define NAP_MS			200

/*
 * A recording in a plain file polls readable for ever, so it is read by
 * naps.  /proc/lifecycle is a regular file too, but a procfs one that polls
 * and knows LC_IOC_TAIL.
 */
static bool plain_file(int fd, const struct stat *st)
{
	struct statfs sfs;

	if (!S_ISREG(st->st_mode))
		return false;
	return fstatfs(fd, &sfs) || sfs.f_type != PROC_SUPER_MAGIC;
}

/**
 * stream_open() - open a source of records
 * @s: the stream
 * @path: the file ("-" is standard input)
 * @tail: move to the end of the log first (LC_IOC_TAIL)
 *
 * Return: 0, or -1 after printing the error.
 */
int stream_open(struct stream *s, const char *path, bool tail)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->last_seq = -1;
	s->fd = lc_open_input(path, LC_KIND_LOG, O_NONBLOCK);
	if (s->fd < 0)
		return -1;
	if (fstat(s->fd, &st))
		st.st_mode = 0;		/* neither a file nor a device */
	s->regular = plain_file(s->fd, &st);
	s->chardev = S_ISCHR(st.st_mode);
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
	lc_parser_init(&s->p, strcmp(path, "-") ? path : "<stdin>", false);
	/* records from the mapped log where it maps; read() otherwise */
	s->mapped = s->mode == STREAM_BINARY && !getenv("LIFECYCLE_NO_MAP") &&
		    !lc_ring_map(&s->ring, s->fd, LC_NAP_MS);
	return 0;
}

/**
 * stream_init() - a stream with no file, fed by stream_feed()
 * @s: the stream
 * @name: its name in messages
 */
void stream_init(struct stream *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->last_seq = -1;
	lc_parser_init(&s->p, name, false);
}

/**
 * stream_close() - close the stream's file, if it has one
 * @s: the stream
 */
void stream_close(struct stream *s)
{
	if (s->mapped)
		lc_ring_unmap(&s->ring);
	s->mapped = false;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* the end of a damaged spot: one message for all of it */
static void skip_report(struct stream *s)
{
	unsigned long long n = s->skipped;

	if (!s->skipping)
		return;
	s->skipping = false;
	s->damaged++;
	if (s->mode == STREAM_BINARY)
		fprintf(stderr, "lifecycle: %s:%lu: %s; skipped %llu byte%s at offset %llu\n",
			s->p.src, s->skip_at, s->skip_why, n, n == 1 ? "" : "s",
			s->skip_off);
	else if (n == 1)
		fprintf(stderr, "lifecycle: %s:%lu: %s; skipped 1 line\n",
			s->p.src, s->skip_at, s->skip_why);
	else
		fprintf(stderr, "lifecycle: %s:%lu: %s; skipped %llu lines (%lu-%llu)\n",
			s->p.src, s->skip_at, s->skip_why, n, s->skip_at,
			s->skip_at + n - 1);
}

/*
 * n more lines or bytes of a damaged spot at lineno / offset off; the
 * first sets the message.  Returns -1 when strict (after the message).
 */
static int skip_add(struct stream *s, unsigned long lineno,
		    unsigned long long off, unsigned long long n)
{
	if (s->strict) {
		log_perror(&s->p);
		return -1;
	}
	if (!s->skipping) {
		s->skipping = true;
		s->skip_at = lineno;
		s->skip_off = off;
		s->skipped = 0;
		snprintf(s->skip_why, sizeof(s->skip_why), "%s", s->p.err);
	}
	s->skipped += n;
	return 0;
}

/* a record that parsed: the damaged spot before it, if any, is over */
static int good(struct stream *s, const struct lc_entry *r, stream_fn fn,
		void *ctx)
{
	skip_report(s);
	s->last_seq = r->seq;
	s->last_ts = r->ts_ns;
	return fn(ctx, r);
}

/* a header that is not there: the file is something else */
static int fatal(struct stream *s, const char *buf, size_t len)
{
	log_perror(&s->p);
	lc_wrong_kind(s->p.src, buf, len, LC_KIND_LOG);
	return -1;
}

static int one_line(struct stream *s, const char *line, size_t len,
		    stream_fn fn, void *ctx)
{
	struct lc_entry r;
	int ret;

	if (s->discard) {	/* the end of an overlong line */
		s->discard = false;
		return 0;
	}
	ret = lc_parse_line(&s->p, line, len, &r);
	if (ret < 0 && !s->p.header_seen)
		return fatal(s, line, len);
	if (ret < 0)
		return skip_add(s, s->p.lineno, 0, 1);
	if (ret == 1)
		return good(s, &r, fn, ctx);
	return 0;
}

/* hand out the complete lines in the buffer, keep the rest */
static int stream_lines(struct stream *s, stream_fn fn, void *ctx)
{
	char *start = s->buf, *nl;
	size_t left = s->len;

	while ((nl = memchr(start, '\n', left))) {
		if (one_line(s, start, nl - start + 1, fn, ctx))
			return -1;
		left -= nl - start + 1;
		start = nl + 1;
	}
	if (left == sizeof(s->buf)) {	/* no newline in sight */
		if (!s->discard) {
			s->p.lineno++;
			snprintf(s->p.err, sizeof(s->p.err),
				 "line too long (over %zu bytes)", left);
			if (!s->p.header_seen)
				return fatal(s, start, left);
			if (skip_add(s, s->p.lineno, 0, 1))
				return -1;
		}
		s->discard = true;
		left = 0;
	}
	memmove(s->buf, start, left);
	s->len = left;
	return 0;
}

/*
 * Whether the bytes at off are the event after r (seq + 1, no earlier
 * time): two events in a row do not come from garbage, so a candidate
 * they confirm is taken even when the last good seq (damaged itself,
 * perhaps) says otherwise.
 */
static bool chained(struct stream *s, size_t off, const struct lc_entry *r)
{
	static union {
		struct lc_event ev;
		char raw[LC_LINE_MAX];
	} u;
	struct lc_parser p = s->p;
	struct lc_entry next;
	unsigned short sz;

	if (s->len - off < 8)
		return false;
	memcpy(&sz, s->buf + off, sizeof(sz));
	if (lc_check_event_size(&p, sz) || s->len - off < sz)
		return false;
	memcpy(u.raw, s->buf + off, sz);
	return !u.ev.reserved && lc_parse_event(&p, &u.ev, sz, &next) == 1 &&
	       next.seq == r->seq + 1 && next.ts_ns >= r->ts_ns;
}

/*
 * The event at off, when its bytes are all there: 1 and *r for a good
 * one, -1 for a damaged one (p->err set; *skip: how far to move on), 0
 * when more bytes are needed.
 */
static int one_event(struct stream *s, size_t off, struct lc_entry *r,
		     size_t *skip)
{
	static union {
		struct lc_event ev;
		char raw[LC_LINE_MAX];
	} u;
	const struct lc_event *ev = (const void *)(s->buf + off);
	size_t size, have = s->len - off;
	unsigned short sz;

	*skip = 1;
	if (have < 8 && s->at_end && have) {
		snprintf(s->p.err, sizeof(s->p.err), "truncated event");
		return -1;
	}
	if (have < 8)
		return 0;
	memcpy(&sz, s->buf + off, sizeof(sz));
	size = sz;
	if (lc_check_event_size(&s->p, size))
		return -1;
	if (have < size && !s->at_end)
		return 0;
	if (have < size) {	/* cut short, or a size that is garbage */
		snprintf(s->p.err, sizeof(s->p.err), "truncated event");
		return -1;
	}
	if ((uintptr_t)ev & 7) {
		memcpy(u.raw, ev, size);
		ev = &u.ev;
	}
	/*
	 * A bad event may have a bad size too: look for the next good one
	 * from the next byte on (in a stream that is only cut, that is where
	 * this one ends).
	 */
	if (lc_parse_event(&s->p, ev, size, r) < 0)
		return -1;
	/*
	 * While resynchronising, bytes that happen to parse must also look
	 * like the next event: reserved 0, a later seq (by less than 2^32: a
	 * gap the module tells with a lost event) and no earlier time.
	 */
	if (s->skipping && (ev->reserved || (s->last_seq >= 0 &&
	    (r->seq <= s->last_seq || r->seq - s->last_seq > (1LL << 32) ||
	     r->ts_ns < s->last_ts))) && !chained(s, off + size, r)) {
		snprintf(s->p.err, sizeof(s->p.err), "event out of order");
		return -1;
	}
	*skip = size;
	return 1;
}

/* hand out the complete events in the buffer, keep the rest */
static int stream_events(struct stream *s, stream_fn fn, void *ctx)
{
	struct lc_entry r;
	size_t off = 0, skip;
	unsigned long lineno;
	int ret;

	if (!s->magic_seen) {
		ret = lc_check_magic(&s->p, s->buf, s->len);
		if (!ret)
			return 0;
		if (ret < 0) {
			s->p.lineno = 1;
			return fatal(s, s->buf, s->len);
		}
		s->magic_seen = true;
		off = ret;
	}
	for (;;) {
		lineno = s->p.lineno;
		ret = one_event(s, off, &r, &skip);
		if (!ret)
			break;
		if (ret > 0 && good(s, &r, fn, ctx))
			return -1;
		if (ret < 0) {
			/* a resync attempt does not count as an event */
			s->p.lineno = s->skipping ? lineno : lineno + 1;
			if (skip_add(s, s->p.lineno, s->off + off, skip))
				return -1;
		}
		off += skip;
	}
	memmove(s->buf, s->buf + off, s->len - off);
	s->len -= off;
	s->off += off;
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

/*
 * Wait for input or a signal in *wait_mask (NULL: none, the mask stays as
 * it is; a hup found is noted all the same).  A plain file always polls
 * readable, so it is waited for by naps, in ppoll() too: every wait lets
 * the signals through.
 */
static int stream_wait(struct stream *s, int timeout_ms,
		       const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	struct timespec ts;

	if (s->regular && (timeout_ms < 0 || timeout_ms > NAP_MS))
		timeout_ms = NAP_MS;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	if (s->regular) {
		if (!s->eof)
			return 1;
		ppoll(NULL, 0, &ts, wait_mask);
		s->eof = false;
		return 1;
	}
	if (ppoll(&pfd, 1, timeout_ms < 0 ? NULL : &ts, wait_mask) <= 0)
		return 0;
	if (pfd.revents & (POLLHUP | POLLNVAL))
		s->hup = true;
	return 1;
}

/* read until there is nothing more for now, or @reads reads; 0 or -1 */
static int stream_drain(struct stream *s, stream_fn fn, void *ctx, int reads)
{
	ssize_t n;

	while (reads--) {
		/* the end of the log is 0, as a read() without LC_IOC_FOLLOW */
		n = lc_read_or_map(s->mapped ? &s->ring : NULL, s->fd,
				   s->buf + s->len, sizeof(s->buf) - s->len,
				   false);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			fprintf(stderr, "lifecycle: %s: read: %m\n", s->p.src);
			return -1;
		}
		if (n <= 0) {
			s->eof = !n;
			/* /dev/null, a terminal's ^D: polls readable, reads 0 */
			if (!n && s->chardev)
				s->hup = true;
			/* the module is going: its file will not poll HUP */
			if (s->mapped && lc_ring_dying(&s->ring))
				s->hup = true;
			return 0;
		}
		s->len += n;
		if (stream_records(s, fn, ctx))
			return -1;
	}
	return 0;
}

/**
 * stream_feed() - hand bytes to a stream
 * @s: the stream
 * @data: the bytes, any piece of the input
 * @len: how many
 * @fn: called with every record they complete
 * @ctx: passed to @fn
 *
 * Return: 0, or -1 after a fatal (or, when strict, any) error.
 */
int stream_feed(struct stream *s, const void *data, size_t len,
		stream_fn fn, void *ctx)
{
	const char *d = data;
	size_t n;

	while (len) {
		n = sizeof(s->buf) - s->len;
		if (n > len)
			n = len;
		memcpy(s->buf + s->len, d, n);
		s->len += n;
		d += n;
		len -= n;
		if (stream_records(s, fn, ctx))
			return -1;
	}
	return 0;
}

/**
 * stream_pump() - wait for input, then read what there is
 * @s: the stream
 * @timeout_ms: how long to wait at most; -1 for ever
 * @wait_mask: the signal mask while waiting (the only time signals come)
 * @fn: called with every record
 * @ctx: passed to @fn
 *
 * Return: 0, or -1 after printing an error.
 */
int stream_pump(struct stream *s, int timeout_ms, const sigset_t *wait_mask,
		stream_fn fn, void *ctx)
{
	size_t before = s->off + s->len;

	/* more will come: gather it (not past a -t deadline), unless poll() does */
	if (s->got && !lc_ring_batched(s->mapped ? &s->ring : NULL) &&
	    (timeout_ms < 0 || timeout_ms >= LC_NAP_MS))
		lc_nap(wait_mask);
	else if (!stream_wait(s, timeout_ms, wait_mask))
		return 0;
	if (stream_drain(s, fn, ctx, INT_MAX))
		return -1;
	/* the module's stream (or a pipe) had records: nap before the next */
	s->got = !s->regular && s->off + s->len != before;
	return 0;
}

/*
 * Reads a catch-up makes at most: the log may never run dry on a busy
 * machine (64 of 64 KiB: a whole default log several times over).
 */
#define CATCH_UP_READS	64

/**
 * stream_catch_up() - read what the input holds now, without waiting
 * @s: the stream
 * @fn: called with every record
 * @ctx: passed to @fn
 *
 * For a follower that stops (a signal, -t): the records already in the
 * log are read even though poll() would not say so yet (a batched file
 * is readable only at its watermark or after its wait), up to
 * CATCH_UP_READS reads.
 *
 * Return: 0, or -1 after printing an error.
 */
int stream_catch_up(struct stream *s, stream_fn fn, void *ctx)
{
	if (s->hup)
		return 0;
	if (!s->regular)
		s->eof = false;		/* set again by a read of 0 below */
	if (stream_drain(s, fn, ctx, CATCH_UP_READS))
		return -1;
	/*
	 * A pipe's writer that left after the last wait: the end, as the
	 * hup that wait would have seen, so that a record it cut short is
	 * still reported.  Only a hup says so: a FIFO no writer has opened
	 * yet reads 0 too.  A wait of 0 ms, with the signal mask as it is.
	 */
	if (!s->regular && !s->mapped && s->eof)
		stream_wait(s, 0, NULL);
	/* the module counts this reader's losses from the last cursor */
	if (s->mapped && lc_ring_report(&s->ring, s->fd)) {
		fprintf(stderr, "lifecycle: %s: LC_IOC_CURSOR: %m\n", s->p.src);
		return -1;
	}
	return 0;
}

/**
 * stream_read_all() - read to the end of the input
 * @s: the stream
 * @fn: called with every record
 * @ctx: passed to @fn
 *
 * A pipe is waited for; the end is where read() returns 0.
 *
 * Return: 0, or -1 after printing an error.
 */
int stream_read_all(struct stream *s, stream_fn fn, void *ctx)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	for (;;) {
		if (stream_drain(s, fn, ctx, INT_MAX))
			return -1;
		if (s->eof)
			return 0;
		/* a pipe with nothing yet: wait (signals act as usual) */
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			fprintf(stderr, "lifecycle: %s: poll: %m\n", s->p.src);
			return -1;
		}
	}
}

/**
 * stream_finish() - the end of the input
 * @s: the stream
 * @fn: called with a last line that had no newline, when it parses
 * @ctx: passed to @fn
 *
 * What is left in the buffer is a record cut short: it is reported as a
 * damaged spot, as is the spot being skipped.  A text without its header
 * line is an error.
 *
 * Return: 0, or -1 after printing an error.
 */
int stream_finish(struct stream *s, stream_fn fn, void *ctx)
{
	int ret = 0;

	if (s->mode == STREAM_BINARY && !s->magic_seen && s->len) {
		s->p.lineno = 1;
		snprintf(s->p.err, sizeof(s->p.err),
			 "not a lifecycle binary stream (bad magic)");
		return fatal(s, s->buf, s->len);
	}
	if (s->mode == STREAM_BINARY && s->len) {
		/* what is left may still hold events after a false size */
		s->at_end = true;
		ret = stream_events(s, fn, ctx);
	} else if (s->len && !s->discard) {
		/* a last line without its newline: cut short, or typed so */
		ret = one_line(s, s->buf, s->len, fn, ctx);
	}
	s->len = 0;
	skip_report(s);
	if (!ret && s->mode != STREAM_BINARY && lc_parse_end(&s->p)) {
		log_perror(&s->p);
		return -1;
	}
	return ret;
}
