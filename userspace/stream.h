/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/lifecycle read as it grows: poll(), read, split lines or events.
 */
#ifndef LC_STREAM_H
#define LC_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include "parse.h"

enum stream_mode {
	STREAM_UNKNOWN,		/* told by the first byte: \177 is binary */
	STREAM_TEXT,
	STREAM_BINARY,		/* struct lc_event records (LC_IOC_BINARY) */
};

struct stream {
	int fd;
	bool hup;		/* the module went away */
	bool regular;		/* a plain file: nothing to poll for */
	bool magic_seen;	/* binary: LC_BIN_MAGIC was read */
	enum stream_mode mode;
	struct lc_parser p;
	size_t len;
	char buf[4 * LC_LINE_MAX] __aligned(8);
};

typedef int (*stream_fn)(void *ctx, const struct lc_record *r);

/*
 * open, and with tail move to the end of the log (LC_IOC_TAIL); the module
 * is asked for its binary stream (LC_IOC_BINARY), and a file or pipe may
 * hold either form
 */
int stream_open(struct stream *s, const char *path, bool tail);
/*
 * Wait up to timeout_ms (-1: for ever) with the signals in *wait_mask
 * deliverable, then hand every complete record to fn.  Returns 0, or -1
 * after printing an error (a parse error, or fn returning non-zero).
 */
int stream_pump(struct stream *s, int timeout_ms, const sigset_t *wait_mask,
		stream_fn fn, void *ctx);
void stream_close(struct stream *s);

#endif /* LC_STREAM_H */
