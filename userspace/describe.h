/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the timeline: a record's details in words (describe.c).
 */
#ifndef LC_DESCRIBE_H
#define LC_DESCRIBE_H

#include <stdbool.h>
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
/* the bytes of s as they are (no printf: the timeline's fast path) */
void sb_str(struct sb *b, const char *s);
/* v in decimal */
void sb_num(struct sb *b, long long v);
/*
 * printable ASCII as is (and valid UTF-8 when b->utf8), the rest as
 * \xHH; quote args with spaces
 */
void sb_safe(struct sb *b, const char *s, bool quote_spaces);
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
