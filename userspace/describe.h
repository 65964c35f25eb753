/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the timeline: a record's details in words (describe.c).
 */
#ifndef LC_DESCRIBE_H
#define LC_DESCRIBE_H

#include <stdbool.h>
#include <string.h>
#include "jsonw.h"
#include "timeline.h"

#define DETAIL_LEN	1024
#define SEEN_EXIT	1u	/* pid_info flag: the process has exited */
#define SEEN_REAP	2u	/* pid_info flag: and it was reaped */

struct sb {
	char buf[DETAIL_LEN];
	size_t len;
	bool utf8;		/* valid UTF-8 may be written as it is */
};

/* an empty buffer, without clearing its bytes */
static inline void sb_start(struct sb *b, bool utf8)
{
	b->len = 0;
	b->buf[0] = '\0';
	b->utf8 = utf8;
}

__printf(2, 3) void sb_add(struct sb *b, const char *fmt, ...);

/*
 * n bytes as they are, cut at the end of the buffer; when they fit, a
 * literal's n stays a constant, and the copy a few moves
 */
static inline void sb_put(struct sb *b, const char *s, size_t n)
{
	size_t room = sizeof(b->buf) - 1 - b->len;

	if (__builtin_expect(n > room, 0)) {
		memcpy(b->buf + b->len, s, room);
		b->len += room;
	} else {
		memcpy(b->buf + b->len, s, n);
		b->len += n;
	}
	b->buf[b->len] = '\0';
}

/*
 * the bytes of s as they are (no printf: the timeline's fast path);
 * inline, so that a literal's length is known when compiling
 */
static inline void sb_str(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_num_slow(struct sb *b, long long v);

/* v in decimal, written in place when the 20 digits and sign fit */
static inline void sb_num(struct sb *b, long long v)
{
	if (sizeof(b->buf) - 1 - b->len < 21) {
		sb_num_slow(b, v);
		return;
	}
	b->len = lc_put_sdec(b->buf + b->len, v) - b->buf;
	b->buf[b->len] = '\0';
}
/*
 * printable ASCII as is (and valid UTF-8 when b->utf8), the rest as
 * \xHH; quote args with spaces
 */
void sb_safe(struct sb *b, const char *s, bool quote_spaces);
/* the bytes at s that sb_safe() copies unchanged */
size_t sb_plain_len(const char *s);

/*
 * sb_safe(b, comm, false) for a comm array of LC_COMM_LEN bytes: plain
 * ASCII, the common case, in one copy of a constant size
 */
static inline void sb_comm(struct sb *b, const char *comm)
{
	size_t n = sb_plain_len(comm);

	if (n >= LC_COMM_LEN || comm[n] ||
	    sizeof(b->buf) - 1 - b->len < LC_COMM_LEN) {
		sb_safe(b, comm, false);
		return;
	}
	memcpy(b->buf + b->len, comm, LC_COMM_LEN);
	b->len += n;
	b->buf[b->len] = '\0';
}
/* a duration: "412 ns", "412 us", "412 ms" or "12.345 s" */
void sb_dur(struct sb *b, long long ns);
/* the columns b->buf takes on a terminal */
size_t sb_width(const struct sb *b);
/* "->", or an arrow glyph when UTF-8 is allowed */
const char *tl_arrow(const struct tl *t);
/* the details of r (with reap joined onto an exit) appended to out */
void describe(const struct tl *t, const struct lc_entry *r,
	      const struct lc_entry *reap, struct sb *out);

#endif /* LC_DESCRIBE_H */
