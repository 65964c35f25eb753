// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer.
 *
 * Strings are raw bytes (a comm can hold anything).  Valid UTF-8 is copied,
 * control characters are escaped, and each byte that is not part of valid
 * UTF-8 is written as \u00XX (its Latin-1 reading) so the output is always
 * valid JSON and no byte is silently dropped.  That reading is not
 * lossless (0xff and U+00FF look the same), so the caller adds the bytes
 * in base64 next to such a string (jw_utf8(), jw_b64()).
 */
#include <limits.h>
#include <string.h>
#include "jsonw.h"

void jw_init(struct jw *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->count[0] = 0;
	w->after_name = false;
	w->len = 0;
}

static void jw_flush(struct jw *w)
{
	fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

/**
 * jw_put_slow() - @n bytes that do not fit in the buffer's room
 * @w: the writer
 * @s: the bytes
 * @n: how many
 */
void jw_put_slow(struct jw *w, const void *s, size_t n)
{
	jw_flush(w);
	if (n > sizeof(w->buf)) {
		fwrite(s, 1, n, w->out);
		return;
	}
	memcpy(w->buf, s, n);
	w->len = n;
}

static void jw_put(struct jw *w, const void *s, size_t n)
{
	jw_raw(w, s, n);
}

static void jw_putc(struct jw *w, char c)
{
	if (w->len == sizeof(w->buf))
		jw_flush(w);
	w->buf[w->len++] = c;
}

/* comma before every value but the first of its container */
static void jw_sep(struct jw *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->count[w->depth]++)
		jw_putc(w, ',');
}

static void jw_open(struct jw *w, char c)
{
	jw_sep(w);
	jw_putc(w, c);
	if (w->depth < JW_DEPTH - 1)
		w->depth++;
	w->count[w->depth] = 0;
}

static void jw_close(struct jw *w, char c)
{
	jw_putc(w, c);
	if (w->depth > 0)
		w->depth--;
	if (!w->depth) {
		jw_putc(w, '\n');
		jw_flush(w);
		w->count[0] = 0;
	}
}

void jw_start_object(struct jw *w)
{
	jw_open(w, '{');
}

void jw_end_object(struct jw *w)
{
	jw_close(w, '}');
}

void jw_start_array(struct jw *w)
{
	jw_open(w, '[');
}

void jw_end_array(struct jw *w)
{
	jw_close(w, ']');
}

/**
 * lc_utf8_len() - the length of a valid UTF-8 sequence
 * @s: a NUL-terminated string, at a byte of 0x80 or more
 *
 * Overlong forms, surrogates and code points past U+10FFFF are invalid.
 *
 * Return: 2 to 4, or 0 when the bytes at @s are not valid UTF-8.
 */
int lc_utf8_len(const unsigned char *s)
{
	int n, i;
	unsigned int cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/**
 * lc_utf8_cp() - decode a valid UTF-8 sequence
 * @s: its bytes
 * @n: its length, from lc_utf8_len()
 *
 * Return: the code point.
 */
unsigned int lc_utf8_cp(const unsigned char *s, int n)
{
	unsigned int cp = s[0] & (0x7f >> n);
	int i;

	for (i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* the escape of byte c, which is not copied as it is */
static char *escape_to(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':
		memcpy(p, "\\\"", 2);
		return p + 2;
	case '\\':
		memcpy(p, "\\\\", 2);
		return p + 2;
	case '\n':
		memcpy(p, "\\n", 2);
		return p + 2;
	case '\t':
		memcpy(p, "\\t", 2);
		return p + 2;
	}
	memcpy(p, "\\u00", 4);
	p[4] = hex[c >> 4];
	p[5] = hex[c & 15];
	return p + 6;
}

static bool jw_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * The bytes [s, e) quoted at p, 6 bytes of room per byte: runs of plain
 * bytes and of valid UTF-8 are copied in one piece each.  e must not be
 * inside a valid UTF-8 sequence (see quote_cut()).
 */
static char *quote_part(char *p, const unsigned char *s,
			const unsigned char *e)
{
	const unsigned char *run;
	int n;

	while (s < e) {
		for (run = s; s < e && jw_plain(*s); s++)
			;
		while (s < e && *s >= 0x80 && (n = lc_utf8_len(s)))
			s += n;
		if (s > run) {
			memcpy(p, run, s - run);
			p += s - run;
			continue;
		}
		p = escape_to(p, *s++);
	}
	return p;
}

/*
 * Where to end a piece of at most max bytes of [s, e): not inside a valid
 * UTF-8 sequence, which is a lead byte and at most 3 continuation bytes.
 */
static const unsigned char *quote_cut(const unsigned char *s,
				      const unsigned char *e, size_t max)
{
	const unsigned char *cut = s + max, *c;
	int i;

	if ((size_t)(e - s) <= max)
		return e;
	for (c = cut, i = 0; i < 3 && c > s + 1 && (*c & 0xc0) == 0x80; i++)
		c--;
	return (*c & 0xc0) == 0x80 ? cut : c;
}

/* a string too long for the buffer goes in pieces */
static void jw_quote(struct jw *w, const char *str)
{
	const size_t max = (sizeof(w->buf) - 2) / 6;
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *e = s + strlen(str), *cut;

	jw_putc(w, '"');
	for (; s < e; s = cut) {
		cut = quote_cut(s, e, max);
		if (sizeof(w->buf) - w->len < 6 * (size_t)(cut - s))
			jw_flush(w);
		w->len = quote_part(w->buf + w->len, s, cut) - w->buf;
	}
	jw_putc(w, '"');
}

/**
 * jw_quote_to() - @str as a quoted string at @p, as jw_string() writes it
 * @p: where it goes: room for 6 bytes per byte of @str, and 2
 * @str: the bytes, up to their NUL
 *
 * Return: the end of what was written.
 */
char *jw_quote_to(char *p, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	*p++ = '"';
	p = quote_part(p, s, s + strlen(str));
	*p++ = '"';
	return p;
}

/**
 * jw_utf8() - whether a string is all valid UTF-8
 * @str: the string
 *
 * Return: true when jw_string() writes it without loss.
 */
bool jw_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		n = lc_utf8_len(s);
		if (!n)
			return false;
		s += n;
	}
	return true;
}

/*
 * n bytes at s in base64 (RFC 4648, padded) at p: 4 bytes per 3 (or part
 * of 3); pieces whose lengths are multiples of 3 join up exactly.
 */
static char *b64_part(char *p, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int v;
	size_t i;

	for (i = 0; i < n; i += 3, p += 4) {
		v = s[i] << 16 | (i + 1 < n ? s[i + 1] << 8 : 0) |
		    (i + 2 < n ? s[i + 2] : 0);
		p[0] = tab[v >> 18];
		p[1] = tab[v >> 12 & 63];
		p[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		p[3] = i + 2 < n ? tab[v & 63] : '=';
	}
	return p;
}

/**
 * jw_b64_to() - the bytes of @str in base64 (RFC 4648, padded), quoted, at @p
 * @p: where it goes: room for 4 bytes per 3 of @str, and 6
 * @str: the bytes, up to their NUL
 *
 * Return: the end of what was written.
 */
char *jw_b64_to(char *p, const char *str)
{
	*p++ = '"';
	p = b64_part(p, (const unsigned char *)str, strlen(str));
	*p++ = '"';
	return p;
}

/**
 * jw_b64() - a string value: the bytes of @str in base64 (RFC 4648)
 * @w: the writer
 * @str: the bytes, up to their NUL
 *
 * A string too long for the buffer goes in pieces of whole 3-byte groups.
 */
void jw_b64(struct jw *w, const char *str)
{
	const size_t max = sizeof(w->buf) / 4 * 3;
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), k;

	jw_sep(w);
	jw_putc(w, '"');
	for (; n; s += k, n -= k) {
		k = n < max ? n : max;
		if (sizeof(w->buf) - w->len < (k + 2) / 3 * 4)
			jw_flush(w);
		w->len = b64_part(w->buf + w->len, s, k) - w->buf;
	}
	jw_putc(w, '"');
}

/**
 * jw_raw_value() - a value written already (a JSON object), as @n bytes
 * @w: the writer
 * @s: its bytes
 * @n: how many
 *
 * A value at the top level ends its line, as jw_end_object() would.
 */
void jw_raw_value(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	jw_put(w, s, n);
	if (!w->depth) {
		jw_putc(w, '\n');
		jw_flush(w);
		w->count[0] = 0;
	}
}

void jw_name(struct jw *w, const char *name)
{
	const char *s = name;

	jw_sep(w);
	while (jw_plain(*s))
		s++;
	if (*s) {		/* from input (a stats file): escape */
		jw_quote(w, name);
		jw_putc(w, ':');
	} else {		/* the usual key: copied as it is */
		jw_putc(w, '"');
		jw_put(w, name, s - name);
		jw_put(w, "\":", 2);
	}
	w->after_name = true;
}

void jw_string(struct jw *w, const char *s)
{
	jw_sep(w);
	jw_quote(w, s);
}

/* "00" to "99" */
const char lc_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/**
 * lc_dec() - a number in decimal, written backwards, two digits at a time
 * @end: one past the last byte the digits may take (at least 20 before it)
 * @v: the number
 *
 * Return: where the digits start (they end at @end; no NUL).
 */
char *lc_dec(char *end, unsigned long long v)
{
	char *t = end;

	while (v >= 100) {
		t -= 2;
		memcpy(t, lc_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, lc_pairs + 2 * v, 2);
	} else {
		*--t = '0' + v;
	}
	return t;
}

/**
 * lc_sdec() - a signed number in decimal, as lc_dec()
 * @end: one past the last byte the digits may take (at least 21 before it)
 * @v: the number
 *
 * Return: where the number (with its '-') starts.
 */
char *lc_sdec(char *end, long long v)
{
	char *t = lc_dec(end, v < 0 ? -(unsigned long long)v :
				      (unsigned long long)v);

	if (v < 0)
		*--t = '-';
	return t;
}

/**
 * jw_raw_int() - a number, with no separator
 * @w: the writer
 * @v: the number
 */
void jw_raw_int(struct jw *w, long long v)
{
	if (sizeof(w->buf) - w->len < 24)
		jw_flush(w);
	w->len = lc_put_sdec(w->buf + w->len, v) - w->buf;
}

/**
 * jw_raw_string() - a quoted string, plain ASCII copied in one piece
 * @w: the writer
 * @str: the bytes, up to their NUL
 */
void jw_raw_string(struct jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (jw_plain(*s))
		s++;
	if (*s) {
		jw_quote(w, str);
		return;
	}
	if ((size_t)(s - (const unsigned char *)str) + 2 <=
	    sizeof(w->buf) - w->len) {
		w->buf[w->len++] = '"';
		memcpy(w->buf + w->len, str, s - (const unsigned char *)str);
		w->len += s - (const unsigned char *)str;
		w->buf[w->len++] = '"';
		return;
	}
	jw_quote(w, str);
}

void jw_int(struct jw *w, long long v)
{
	jw_sep(w);
	jw_raw_int(w, v);
}

/**
 * jw_milli() - a number given in thousandths, with three decimals
 * @w: the writer
 * @v: the value times 1000 (ns for a value in µs)
 */
void jw_milli(struct jw *w, long long v)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v :
					 (unsigned long long)v;
	char tmp[32];
	int n;

	jw_sep(w);
	n = snprintf(tmp, sizeof(tmp), "%s%llu.%03llu", v < 0 ? "-" : "",
		     u / 1000, u % 1000);
	jw_put(w, tmp, n);
}

void jw_bool(struct jw *w, bool v)
{
	jw_sep(w);
	if (v)
		jw_put(w, "true", 4);
	else
		jw_put(w, "false", 5);
}

void jw_null(struct jw *w)
{
	jw_sep(w);
	jw_put(w, "null", 4);
}

void jw_string_field(struct jw *w, const char *name, const char *s)
{
	jw_name(w, name);
	jw_string(w, s);
}

void jw_int_field(struct jw *w, const char *name, long long v)
{
	jw_name(w, name);
	jw_int(w, v);
}

/**
 * jw_num_field() - "name": v, or null for LLONG_MIN (LC_NONE: unknown)
 * @w: the writer
 * @name: the key
 * @v: the value
 */
void jw_num_field(struct jw *w, const char *name, long long v)
{
	if (v == LLONG_MIN)
		jw_null_field(w, name);
	else
		jw_int_field(w, name, v);
}

/**
 * jw_comm_field() - "name": s, then "name_b64" with its bytes in base64
 * when s is not valid UTF-8, as the records' JSON has it
 * @w: the writer
 * @name: the key
 * @s: the string from the kernel
 */
void jw_comm_field(struct jw *w, const char *name, const char *s)
{
	char key[64];

	jw_string_field(w, name, s);
	if (jw_utf8(s))
		return;
	snprintf(key, sizeof(key), "%s_b64", name);
	jw_name(w, key);
	jw_b64(w, s);
}

void jw_bool_field(struct jw *w, const char *name, bool v)
{
	jw_name(w, name);
	jw_bool(w, v);
}

void jw_null_field(struct jw *w, const char *name)
{
	jw_name(w, name);
	jw_null(w);
}
