// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer.
 *
 * Strings are raw bytes (a comm can hold anything).  Valid UTF-8 is copied,
 * control characters are escaped, and each byte that is not part of valid
 * UTF-8 is written as \u00XX (its Latin-1 reading) so the output is always
 * valid JSON and no byte is silently dropped.
 */
#include "jsonw.h"

void jw_init(struct jw *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->count[0] = 0;
	w->after_name = false;
}

/* comma before every value but the first of its container */
static void jw_sep(struct jw *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->count[w->depth]++)
		fputc(',', w->out);
}

static void jw_open(struct jw *w, char c)
{
	jw_sep(w);
	fputc(c, w->out);
	if (w->depth < JW_DEPTH - 1)
		w->depth++;
	w->count[w->depth] = 0;
}

static void jw_close(struct jw *w, char c)
{
	fputc(c, w->out);
	if (w->depth > 0)
		w->depth--;
	if (!w->depth) {
		fputc('\n', w->out);
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

/* length of the valid UTF-8 sequence at s, or 0 */
static int utf8_len(const unsigned char *s)
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

static void jw_escape_byte(FILE *out, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", out);
		break;
	case '\\':
		fputs("\\\\", out);
		break;
	case '\n':
		fputs("\\n", out);
		break;
	case '\t':
		fputs("\\t", out);
		break;
	default:
		if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

static void jw_quote(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	fputc('"', out);
	while (*s) {
		n = *s >= 0x80 ? utf8_len(s) : 0;
		if (n) {
			fwrite(s, 1, n, out);
			s += n;
		} else {
			jw_escape_byte(out, *s++);
		}
	}
	fputc('"', out);
}

void jw_name(struct jw *w, const char *name)
{
	jw_sep(w);
	jw_quote(w->out, name);
	fputc(':', w->out);
	w->after_name = true;
}

void jw_string(struct jw *w, const char *s)
{
	jw_sep(w);
	jw_quote(w->out, s);
}

void jw_int(struct jw *w, long long v)
{
	jw_sep(w);
	fprintf(w->out, "%lld", v);
}

void jw_bool(struct jw *w, bool v)
{
	jw_sep(w);
	fputs(v ? "true" : "false", w->out);
}

void jw_null(struct jw *w)
{
	jw_sep(w);
	fputs("null", w->out);
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
