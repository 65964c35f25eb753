/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/lifecycle, a recording or a pipe read as it comes: read, split
 * lines or events, hand them out one by one.  Damaged spots are skipped
 * and reported once each (unless strict), so what is readable is read.
 */
#ifndef LC_STREAM_H
#define LC_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include "parse.h"
#include "ring.h"

#define STREAM_BUF	(64 * 1024)

enum stream_mode {
	STREAM_UNKNOWN,		/* told by the first byte: \177 is binary */
	STREAM_TEXT,
	STREAM_BINARY,		/* struct lc_event records (LC_IOC_BINARY) */
};

struct stream {
	int fd;
	bool hup;		/* the module went away, or the writer */
	bool eof;		/* the last read() returned 0 */
	bool regular;		/* a plain file: nothing to poll for */
	bool chardev;		/* a device: a read of 0 is its end */
	bool got;		/* the last pump read something: nap first */
	bool magic_seen;	/* binary: LC_BIN_MAGIC was read */
	bool strict;		/* stop at the first damaged spot */
	bool discard;		/* text: dropping an overlong line */
	bool skipping;		/* inside a damaged spot */
	bool at_end;		/* no more bytes will come */
	bool mapped;		/* records come from ring, not read() */
	enum stream_mode mode;
	struct lc_parser p;
	unsigned long damaged;	/* damaged spots reported */
	unsigned long skip_at;	/* first line (text) or event number */
	unsigned long long skip_off;	/* binary: offset of the spot */
	unsigned long long skipped;	/* lines (text) or bytes (binary) */
	long long last_seq;	/* of the last good record, or -1 */
	long long last_ts;	/* and its time */
	unsigned long long off;	/* stream offset of buf[0] */
	char skip_why[LC_ERR_LEN];
	struct lc_ring ring;	/* the mapped log, when mapped */
	size_t len;
	char buf[STREAM_BUF] __aligned(8);
};

typedef int (*stream_fn)(void *ctx, const struct lc_entry *r);

/*
 * open, and with tail move to the end of the log (LC_IOC_TAIL); the module
 * is asked for its binary stream (LC_IOC_BINARY), taken from the mapped
 * log where it maps (not with LIFECYCLE_NO_MAP set), and a file or pipe
 * may hold either form.  Prints the error (with a hint) and returns -1.
 */
int stream_open(struct stream *s, const char *path, bool tail);
/* a stream of bytes handed in with stream_feed(), named name */
void stream_init(struct stream *s, const char *name);
/* hand len bytes in and every record they complete to fn; 0 or -1 */
int stream_feed(struct stream *s, const void *data, size_t len,
		stream_fn fn, void *ctx);
/*
 * Wait up to timeout_ms (-1: for ever) with the signals in *wait_mask
 * deliverable, then hand every complete record to fn.  Returns 0, or -1
 * after printing an error (a fatal or, when strict, any parse error, a
 * read error, or fn returning non-zero).
 */
int stream_pump(struct stream *s, int timeout_ms, const sigset_t *wait_mask,
		stream_fn fn, void *ctx);
/*
 * What the input holds now, without waiting (a stopping follower: the
 * records a batched wakeup has not announced yet); 0 or -1
 */
int stream_catch_up(struct stream *s, stream_fn fn, void *ctx);
/* the whole input to its end, without waiting for more; 0 or -1 */
int stream_read_all(struct stream *s, stream_fn fn, void *ctx);
/*
 * At the end of the input: a cut-short last line or event is reported as
 * a damaged spot, and an input without a header is an error.  Returns 0,
 * or -1 after printing the error.
 */
int stream_finish(struct stream *s, stream_fn fn, void *ctx);
void stream_close(struct stream *s);

#endif /* LC_STREAM_H */
