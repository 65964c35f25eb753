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
void jw_raw_string(struct jw *w, const char *s);

#ifndef __always_inline		/* the Makefile's, as the kernel's */
#define __always_inline inline
#endif

/* "00" to "99" */
extern const char lc_pairs[];

/*
 * The 8 digits of n < 10^8 at p, two by two from a fixed-point n / 10^6
 * (32 bits of fraction, each pair a multiplication by 100): exact for
 * every such n, which was checked for all of them.
 */
static __always_inline void dig8(char *p, unsigned int n)
{
	unsigned long long y = ((unsigned long long)n * 281474977 >> 16) + 1;

	memcpy(p, lc_pairs + 2 * (y >> 32), 2);
	y = (unsigned int)y * 100ULL;
	memcpy(p + 2, lc_pairs + 2 * (y >> 32), 2);
	y = (unsigned int)y * 100ULL;
	memcpy(p + 4, lc_pairs + 2 * (y >> 32), 2);
	y = (unsigned int)y * 100ULL;
	memcpy(p + 6, lc_pairs + 2 * (y >> 32), 2);
}

/*
 * n < 10^8 without its leading zeros, by comparisons; up to 8 bytes
 * written
 */
static __always_inline char *lead8(char *p, unsigned int n)
{
	char t[24];
	int k;

	if (n < 10) {
		*p = '0' + n;
		return p + 1;
	}
	if (n < 100) {
		memcpy(p, lc_pairs + 2 * n, 2);
		return p + 2;
	}
	if (n < 1000) {
		*p = '0' + n / 100;
		memcpy(p + 1, lc_pairs + 2 * (n % 100), 2);
		return p + 3;
	}
	if (n < 10000) {
		memcpy(p, lc_pairs + 2 * (n / 100), 2);
		memcpy(p + 2, lc_pairs + 2 * (n % 100), 2);
		return p + 4;
	}
	if (n < 1000000)
		k = n < 100000 ? 5 : 6;
	else
		k = n < 10000000 ? 7 : 8;
	memset(t + 16, 0, 8);
	dig8(t + 8, n);
	memcpy(p, t + 16 - k, 8);	/* one move: the k digits and zeros */
	return p + k;
}

/**
 * lc_put_dec() - a number in decimal at @p
 * @p: where it goes: room for 20 bytes (all may be written)
 * @v: the number
 *
 * Return: the end of the digits (no NUL).
 */
static __always_inline char *lc_put_dec(char *p, unsigned long long v)
{
	if (v < 100000000)
		return lead8(p, v);
	if (v < 10000000000000000ULL) {
		p = lead8(p, v / 100000000);
		dig8(p, v % 100000000);
		return p + 8;
	}
	p = lead8(p, v / 10000000000000000ULL);
	v %= 10000000000000000ULL;
	dig8(p, v / 100000000);
	dig8(p + 8, v % 100000000);
	return p + 16;
}

/**
 * lc_put_sdec() - a signed number in decimal at @p, as lc_put_dec()
 * @p: where it goes: room for 21 bytes
 * @v: the number
 *
 * Return: the end of the number (no NUL).
 */
static __always_inline char *lc_put_sdec(char *p, long long v)
{
	if (v >= 0)
		return lc_put_dec(p, v);
	*p = '-';
	return lc_put_dec(p + 1, -(unsigned long long)v);
}

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
void jw_num_field(struct jw *w, const char *name, long long v);
void jw_comm_field(struct jw *w, const char *name, const char *s);

#endif /* LC_JSONW_H */
