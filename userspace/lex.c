// SPDX-License-Identifier: GPL-2.0
/*
 * The lexical half of the parser: \xHH strings and bounded numbers.
 * Kept apart from parse.c, which knows the record layout, so each stays
 * small; nothing here knows what a field means.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"

/**
 * lc_fail() - describe a parse error in p->err
 * @p: the parser
 * @fmt: printf format of the message
 *
 * Here, with the lexer, so that parse.c and fields.c both depend on this
 * file and not on each other.
 *
 * Return: -1, for "return lc_fail(...)".
 */
int lc_fail(struct lc_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/**
 * lc_quote() - a token for a message: cut short, unprintable bytes as \xHH
 * @p: the parser, whose buffer holds the result
 * @v: the token
 *
 * Return: p->quoted, valid until the next call.
 */
const char *lc_quote(struct lc_parser *p, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t o = 0;
	int n;

	for (n = 0; *s && n < 40; s++, n++) {
		if (*s >= 0x20 && *s < 0x7f)
			p->quoted[o++] = *s;
		else
			o += sprintf(p->quoted + o, "\\x%02x", *s);
	}
	p->quoted[o] = '\0';
	return p->quoted;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escaped byte at in[*i]; returns the byte, or -1 with *why set. */
static int unescape_one(const char *in, size_t len, size_t *i,
			const char **why)
{
	unsigned char c = in[*i];
	int hi, lo;

	if (c < 0x21 || c > 0x7e || c == ',') {
		*why = c == ',' ? "unescaped ','" : "unescaped byte";
		return -1;
	}
	if (c != '\\') {
		(*i)++;
		return c;
	}
	if (*i + 1 < len && in[*i + 1] != 'x') {
		*why = "bad escape";
		return -1;
	}
	if (*i + 3 >= len) {
		*why = "truncated escape";
		return -1;
	}
	hi = hexval(in[*i + 2]);
	lo = hexval(in[*i + 3]);
	if (hi < 0 || lo < 0) {
		*why = "bad escape";
		return -1;
	}
	*i += 4;
	if (!(hi | lo)) {
		*why = "NUL byte";
		return -1;
	}
	return hi << 4 | lo;
}

int lc_unescape(const char *in, size_t len, char *out, size_t cap,
		const char **why)
{
	size_t i = 0, o = 0;
	int c;

	if (!cap) {
		*why = "too long";
		return -1;
	}
	while (i < len) {
		c = unescape_one(in, len, &i, why);
		if (c < 0)
			return -1;
		if (o + 1 >= cap) {
			*why = "too long";
			return -1;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (int)o;
}

int lc_number(const char *v, long long max, long long *out)
{
	unsigned long long n = 0;
	const char *s;

	if (!*v)
		return -EINVAL;
	for (s = v; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (n > ((unsigned long long)max - (*s - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (*s - '0');
	}
	*out = (long long)n;
	return 0;
}

int lc_hex_number(const char *v, long long max, long long *out)
{
	unsigned long long n = 0;
	int d;

	if (v[0] == '0' && v[1] == 'x')
		v += 2;
	if (!*v)
		return -EINVAL;
	for (; *v; v++) {
		d = hexval(*v);
		if (d < 0)
			return -EINVAL;
		if (n > ((unsigned long long)max - d) / 16)
			return -ERANGE;
		n = n * 16 + d;
	}
	*out = (long long)n;
	return 0;
}
