/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer after bpftool's json_writer.h:
 * it places the commas, the caller only says what comes next.  Output is
 * compact; a top-level value ends with a newline (JSON Lines), and is
 * written to the FILE in one piece when it ends (or when buf is full).
 */
#ifndef LC_JSONW_H
#define LC_JSONW_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define JW_DEPTH	16

struct jw {
	FILE *out;
	int depth;
	int count[JW_DEPTH];	/* values written at each level */
	bool after_name;
	size_t len;		/* bytes in buf, written out at each top-level end */
	char buf[4096];
};

/* length of the valid UTF-8 sequence at s (not ASCII), or 0 */
/*
 * The fast path for records (json.c): bytes and keys written as they are,
 * with no separator bookkeeping.  A key from jw_key() is a literal with
 * its comma (",\"pid\":"); the structured calls that follow it (an array
 * value) see it as a name.
 */
void jw_put_slow(struct jw *w, const void *s, size_t n);

static inline void jw_raw(struct jw *w, const void *s, size_t n)
{
	if (n > sizeof(w->buf) - w->len) {
		jw_put_slow(w, s, n);
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

#define jw_key(w, lit)	do {					\
		jw_raw(w, lit, sizeof(lit) - 1);		\
		(w)->after_name = true;				\
	} while (0)

/* a number, a quoted string: values after jw_key(), no separator */
void jw_raw_int(struct jw *w, long long v);
/* v's digits, ending at end; returns their start (no NUL) */
char *lc_dec(char *end, unsigned long long v);
/* the same for a signed v, with its '-' */
char *lc_sdec(char *end, long long v);
/* v's digits (with its '-') at p, which has room for 21; returns their end */
char *lc_put_dec(char *p, unsigned long long v);
char *lc_put_sdec(char *p, long long v);
void jw_raw_string(struct jw *w, const char *s);
/* a value made elsewhere (a record from json_format()), n bytes of s */
void jw_raw_value(struct jw *w, const char *s, size_t n);
/*
 * s quoted (as jw_string()) or in base64 (as jw_b64()) at p, which has
 * room for 6 bytes per byte of s and 2, or 4 per 3 and 6; return the end
 */
char *jw_quote_to(char *p, const char *s);
char *jw_b64_to(char *p, const char *s);

int lc_utf8_len(const unsigned char *s);
/* the code point of a valid sequence of n bytes at s */
unsigned int lc_utf8_cp(const unsigned char *s, int n);

void jw_init(struct jw *w, FILE *out);
void jw_start_object(struct jw *w);
void jw_end_object(struct jw *w);
void jw_start_array(struct jw *w);
void jw_end_array(struct jw *w);
void jw_name(struct jw *w, const char *name);
void jw_string(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
/* v / 1000 with three decimals: µs from ns */
void jw_milli(struct jw *w, long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);

/* whether s is all valid UTF-8 (then jw_string() is lossless) */
bool jw_utf8(const char *s);
/* s's bytes in base64 (RFC 4648, padded), as a string value */
void jw_b64(struct jw *w, const char *s);

void jw_string_field(struct jw *w, const char *name, const char *s);
void jw_int_field(struct jw *w, const char *name, long long v);
void jw_bool_field(struct jw *w, const char *name, bool v);
void jw_null_field(struct jw *w, const char *name);

#endif /* LC_JSONW_H */
