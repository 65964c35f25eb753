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

static void jw_escape_byte(struct jw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"':
		jw_put(w, "\\\"", 2);
		break;
	case '\\':
		jw_put(w, "\\\\", 2);
		break;
	case '\n':
		jw_put(w, "\\n", 2);
		break;
	case '\t':
		jw_put(w, "\\t", 2);
		break;
	default:
		jw_put(w, u, sizeof(u));
	}
}

static bool jw_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* runs of plain bytes and of valid UTF-8 are copied in one piece each */
static void jw_quote(struct jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run;
	int n;

	jw_putc(w, '"');
	while (*s) {
		for (run = s; jw_plain(*s); s++)
			;
		while (*s >= 0x80 && (n = lc_utf8_len(s)))
			s += n;
		if (s > run) {
			jw_put(w, run, s - run);
			continue;
		}
		jw_escape_byte(w, *s++);
	}
	jw_putc(w, '"');
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

/**
 * jw_b64() - a string value: the bytes of @str in base64 (RFC 4648)
 * @w: the writer
 * @str: the bytes, up to their NUL
 */
void jw_b64(struct jw *w, const char *str)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i;
	unsigned int v;
	char q[4];

	jw_sep(w);
	jw_putc(w, '"');
	for (i = 0; i < n; i += 3) {
		v = s[i] << 16 | (i + 1 < n ? s[i + 1] << 8 : 0) |
		    (i + 2 < n ? s[i + 2] : 0);
		q[0] = tab[v >> 18];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		jw_put(w, q, 4);
	}
	jw_putc(w, '"');
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

/**
 * lc_dec() - a number in decimal, written backwards, two digits at a time
 * @end: one past the last byte the digits may take (at least 20 before it)
 * @v: the number
 *
 * Return: where the digits start (they end at @end; no NUL).
 */
char *lc_dec(char *end, unsigned long long v)
{
	static char pairs[200];		/* "00" to "99", made once */
	char *t = end;
	unsigned int i;

	if (!pairs[1]) {
		for (i = 0; i < 100; i++) {
			pairs[2 * i] = '0' + i / 10;
			pairs[2 * i + 1] = '0' + i % 10;
		}
	}
	while (v >= 100) {
		t -= 2;
		memcpy(t, pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, pairs + v * 2, 2);
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
 * jw_raw_int() - a number, two digits per division (a record has twenty)
 * @w: the writer
 * @v: the number
 *
 * The digits are made right-aligned in tmp, then a constant 24 bytes from
 * their first go to the buffer (a few moves, no call), of which only the
 * digits count.
 */
void jw_raw_int(struct jw *w, long long v)
{
	char tmp[48], *end = tmp + 24, *t;

	t = lc_sdec(end, v);
	if (sizeof(w->buf) - w->len < 24)
		jw_flush(w);
	memcpy(w->buf + w->len, t, 24);
	w->len += end - t;
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
