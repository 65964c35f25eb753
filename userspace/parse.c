// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parser for the /proc/lifecycle text format.
 *
 * The format is drawn in include/lifecycle.h.  Every line is checked in
 * full: field count, key order, number syntax and range, escapes and string
 * lengths (the details of each event in fields.c).  The first problem found
 * is described in p->err; the caller adds the "source:line:" prefix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "fields.h"

#define MAX_TOKENS	(LC_LINE_MAX / 2 + 1)
#define NPREFIX		9
#define U63		LLONG_MAX

void lc_parser_init(struct lc_parser *p, const char *src, bool header_optional)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->header_optional = header_optional;
}

struct pfield {
	const char *name;
	size_t off;
	long long max;
};

#define PF(k, m) { #k, offsetof(struct lc_entry, k), m }

static const struct pfield prefix_f[] = {
	PF(seq, U63), PF(ts_ns, U63), PF(cpu, 65535), { NULL },
	PF(pid, LC_PID_MAX), PF(tgid, LC_PID_MAX), PF(ppid, LC_PID_MAX),
	PF(uid, 4294967295LL),
};

static int prefix(struct lc_parser *p, char **tok, struct lc_entry *r)
{
	const struct pfield *f;
	int i;

	for (i = 0; i < NPREFIX - 1; i++) {
		f = &prefix_f[i];
		if (f->name && lc_num_value(p, f->name, tok[i], 0, f->max,
					    (long long *)((char *)r + f->off)))
			return -1;
	}
	i = lc_event_lookup(tok[3]);
	if (i < 0)
		return lc_fail(p, "unknown event '%s'", lc_quote(p, tok[3]));
	r->type = i;
	return lc_str_value(p, "comm", tok[8], sizeof(r->comm), r->comm);
}

static int split(struct lc_parser *p, char *buf, char **tok)
{
	int n = 0;
	char *s = buf;

	for (;;) {
		if (n >= MAX_TOKENS)
			return lc_fail(p, "too many fields");
		tok[n] = s;
		while (*s && *s != ' ')
			s++;
		if (s == tok[n])
			return lc_fail(p, "empty field %d (stray space?)", n + 1);
		n++;
		if (!*s)
			return n;
		*s++ = '\0';
	}
}

/* a boot id as /proc/sys/kernel/random/boot_id writes it */
static bool uuid_ok(const char *v)
{
	int i;

	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ?
		    v[i] != '-' : !strchr("0123456789abcdef", v[i]) || !v[i])
			return false;
	return !v[36];
}

/* "lifecycle VERSION" then key=value pairs: boot_id, and keys to ignore */
static int parse_header(struct lc_parser *p, char *buf)
{
	const char *whole = lc_quote(p, buf);	/* before split() cuts it */
	char *tok[MAX_TOKENS];
	long long v;
	int n, i;

	if (strncmp(buf, "lifecycle ", 10))
		goto bad;
	n = split(p, buf, tok);
	if (n < 2 || lc_number(tok[1], INT_MAX, &v))
		goto bad;
	if (v != LC_FORMAT_VERSION)
		return lc_fail(p, "unsupported format version %lld (this reader knows %d)",
			       v, LC_FORMAT_VERSION);
	p->boot_id[0] = '\0';
	for (i = 2; i < n; i++) {
		if (!strchr(tok[i], '=') || tok[i][0] == '=')
			return lc_fail(p, "header: '%s' is not key=value",
				       lc_quote(p, tok[i]));
		if (strncmp(tok[i], "boot_id=", 8) || !strcmp(tok[i] + 8, "-"))
			continue;
		if (!uuid_ok(tok[i] + 8))
			return lc_fail(p, "header: bad boot_id '%s'",
				       lc_quote(p, tok[i] + 8));
		memcpy(p->boot_id, tok[i] + 8, sizeof(p->boot_id));
	}
	p->header_seen = true;
	return 0;
bad:
	return lc_fail(p, "missing header 'lifecycle %d' (got '%s')",
		       LC_FORMAT_VERSION, whole);
}

static int check_line(struct lc_parser *p, const char *line, size_t len,
		      char *buf)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len + 1 > LC_LINE_MAX)
		return lc_fail(p, "line too long (%zu bytes, max %d)", len + 1,
			       LC_LINE_MAX);
	if (memchr(line, '\0', len))
		return lc_fail(p, "NUL byte in line");
	memcpy(buf, line, len);
	buf[len] = '\0';
	return 0;
}

/*
 * All zero but the bytes of exec's strings after their first (empty
 * strings): a record is made for every event read, and those buffers are
 * most of its size.  Nothing reads past a string's NUL or argv's argc.
 */
void lc_entry_init(struct lc_entry *r)
{
	char *b = (char *)r;
	size_t fs = offsetof(struct lc_entry, exec.filename.s),
	       ft = offsetof(struct lc_entry, exec.filename_trunc),
	       ab = offsetof(struct lc_entry, exec.argv.buf),
	       at = offsetof(struct lc_entry, exec.argv_trunc);

	memset(b, 0, fs + 1);
	memset(b + ft, 0, ab + 1 - ft);
	memset(b + at, 0, sizeof(*r) - at);
	r->start_ns = LC_NONE;
	r->parent_start_ns = LC_NONE;
	/* union members: the event's own fields are parsed over the rest */
	r->fork.creator_start_ns = LC_NONE;
	r->exit.age_ns = LC_NONE;
	r->reap.reaper_start_ns = LC_NONE;
	r->reparent.old_parent_start_ns = LC_NONE;
	r->sig.sender_start_ns = LC_NONE;
}

int lc_parse_line(struct lc_parser *p, const char *line, size_t len,
		  struct lc_entry *r)
{
	char buf[LC_LINE_MAX], *tok[MAX_TOKENS];
	int n;

	p->lineno++;
	if (check_line(p, line, len, buf))
		return -1;
	if (!p->header_seen &&
	    (!p->header_optional || !strncmp(buf, "lifecycle ", 10)))
		return parse_header(p, buf);
	if (!strncmp(buf, "lifecycle ", 10))
		return lc_fail(p, "unexpected header line after the first");
	p->header_seen = true;
	n = split(p, buf, tok);
	if (n < 0)
		return -1;
	if (n < NPREFIX)
		return lc_fail(p, "%d fields, a record has at least %d", n,
			       NPREFIX);
	lc_entry_init(r);
	r->boot_id = p->boot_id[0] ? p->boot_id : NULL;
	if (prefix(p, tok, r) || lc_details(p, tok + NPREFIX, n - NPREFIX, r))
		return -1;
	return 1;
}

int lc_parse_end(struct lc_parser *p)
{
	if (p->header_seen || p->header_optional)
		return 0;
	p->lineno++;
	return lc_fail(p, "missing header 'lifecycle %d' (empty input)",
		       LC_FORMAT_VERSION);
}
