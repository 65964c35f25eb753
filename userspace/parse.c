// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parser for the /proc/lifecycle text format.
 *
 * The format is drawn in include/lifecycle.h.  Every line is checked in
 * full: field count, key order, number syntax and range, escapes and string
 * lengths.  The first problem found is described in p->err; the caller adds
 * the "source:line:" prefix.  Keys the reader does not know may follow the
 * known ones (the header promises keys are only ever added at the end).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

#define MAX_TOKENS	(LC_LINE_MAX / 2 + 1)
#define NPREFIX		9
#define U63		LLONG_MAX
/* task_state_to_char() can also give I (idle) and P (parked) kthreads */
#define STATE_LETTERS	"RSDTtZXIP"

enum ftype { F_NUM, F_HEX, F_BOOL, F_STR, F_ARGV, F_NAME, F_STATE };

struct names {
	const char *const *v;
	size_t n;
};

struct fdesc {
	const char *key;
	enum ftype type;
	size_t off;
	long long max;		/* numbers: 0..max; strings: bytes */
	const struct names *names;
};

static const char *const event_names[] = LC_EVENT_NAMES;
static const char *const reap_v[] = LC_REAP_NAMES;
/*
 * Values the module or the reader's JSON contract use beyond lifecycle.h's
 * tables: "ptrace" for a reap, "unknown" for an out-of-range signal result.
 */
static const char *const reap_extra_v[] = { "ptrace" };
static const char *const result_extra_v[] = { "unknown" };
static const char *const reason_v[] = LC_REPARENT_NAMES;
static const char *const result_v[] = LC_SIGRESULT_NAMES;
static const struct names reap_names = { reap_v, ARRAY_SIZE(reap_v) };
static const struct names reap_extra = { reap_extra_v, 1 };
static const struct names result_extra = { result_extra_v, 1 };
static const struct names reason_names = { reason_v, ARRAY_SIZE(reason_v) };
static const struct names result_names = { result_v, ARRAY_SIZE(result_v) };

#define FD(u, k, t, m, nm) { #k, t, offsetof(struct lc_record, u.k), m, nm }
#define NUM(u, k, m)	FD(u, k, F_NUM, m, NULL)
#define BOOL(u, k)	FD(u, k, F_BOOL, 1, NULL)
#define PID(u, k)	NUM(u, k, LC_PID_MAX)
#define SIG(u, k)	NUM(u, k, LC_SIG_MAX)
#define NAME(u, k, nm)	FD(u, k, F_NAME, 0, nm)
#define END		{ NULL }

static const struct fdesc fork_f[] = {
	PID(fork, creator_pid), PID(fork, creator_tgid),
	FD(fork, clone_flags, F_HEX, U63, NULL),
	BOOL(fork, thread), BOOL(fork, vfork), END
};

static const struct fdesc exec_f[] = {
	PID(exec, old_pid),
	FD(exec, filename, F_STR, LC_FILENAME_LEN, NULL),
	BOOL(exec, filename_trunc),
	FD(exec, argv, F_ARGV, LC_ARGV_LEN, NULL),
	BOOL(exec, argv_trunc), END
};

static const struct fdesc exit_f[] = {
	NUM(exit, status, 0xffff), NUM(exit, code, 255), SIG(exit, signal),
	BOOL(exit, core), BOOL(exit, group_dead), END
};

static const struct fdesc reap_f[] = {
	PID(reap, reaper_pid), PID(reap, reaper_tgid),
	NAME(reap, how, &reap_names), NUM(reap, zombie_ns, U63), END
};

static const struct fdesc reparent_f[] = {
	PID(reparent, old_ppid), PID(reparent, new_ppid),
	NAME(reparent, reason, &reason_names), BOOL(reparent, zombie), END
};

static const struct fdesc stop_f[] = {
	SIG(stop, signal), BOOL(stop, ptrace), END
};

static const struct fdesc sig_f[] = {
	SIG(sig, signal),
	PID(sig, sender_pid), PID(sig, sender_tgid),
	NAME(sig, result, &result_names), BOOL(sig, group), END
};

static const struct fdesc setsid_f[] = { PID(setsid, sid), END };
static const struct fdesc setpgid_f[] = {
	PID(setpgid, pgid), PID(setpgid, old_pgid), END
};

static const struct fdesc state_f[] = {
	FD(state, from, F_STATE, 0, NULL), FD(state, to, F_STATE, 0, NULL),
	NUM(state, prev_ns, U63), END
};

static const struct fdesc lost_f[] = { NUM(lost, count, U63), END };

static const struct fdesc *const event_fields[] = {
	[LC_EV_FORK] = fork_f, [LC_EV_EXEC] = exec_f, [LC_EV_EXIT] = exit_f,
	[LC_EV_REAP] = reap_f, [LC_EV_REPARENT] = reparent_f,
	[LC_EV_STOP] = stop_f, [LC_EV_CONT] = stop_f, [LC_EV_SIGNAL] = sig_f,
	[LC_EV_SETSID] = setsid_f, [LC_EV_SETPGID] = setpgid_f,
	[LC_EV_STATE] = state_f, [LC_EV_LOST] = lost_f,
};

_Static_assert(ARRAY_SIZE(event_names) == LC_EV_COUNT, "event names");
_Static_assert(ARRAY_SIZE(event_fields) == LC_EV_COUNT, "event fields");

static __printf(2, 3) int fail(struct lc_parser *p, const char *fmt, ...);

static int fail(struct lc_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* a token for a message: cut short, unprintable bytes as \xHH */
static const char *quote(struct lc_parser *p, const char *v)
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

const char *lc_event_name(int type)
{
	if (type < 0 || type >= LC_EV_COUNT)
		return "?";
	return event_names[type];
}

int lc_event_lookup(const char *name)
{
	int i;

	for (i = 0; i < LC_EV_COUNT; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

void lc_parser_init(struct lc_parser *p, const char *src, bool header_optional)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->header_optional = header_optional;
}

bool lc_state_letter(const char *v)
{
	return v[0] && !v[1] && strchr(STATE_LETTERS, v[0]);
}

static int num_value(struct lc_parser *p, const char *key, const char *v,
		     int hex, long long max, long long *out)
{
	int err;

	err = hex ? lc_hex_number(v, max, out) : lc_number(v, max, out);
	if (err == -ERANGE)
		return fail(p, "'%s' out of range (0..%lld): %s", key, max,
			    quote(p, v));
	if (err)
		return fail(p, "'%s': bad number '%s'", key, quote(p, v));
	return 0;
}

static int str_value(struct lc_parser *p, const char *key, const char *v,
		     size_t cap, char *out)
{
	const char *why = NULL;

	if (lc_unescape(v, strlen(v), out, cap, &why) < 0) {
		if (!strcmp(why, "too long"))
			return fail(p, "'%s' too long (max %zu bytes)", key,
				    cap - 1);
		return fail(p, "'%s': %s in '%s'", key, why, quote(p, v));
	}
	return 0;
}

static int argv_value(struct lc_parser *p, const char *v, struct lc_argv *a)
{
	const char *why = NULL, *end;
	size_t len;
	int n;

	a->null = false;
	a->argc = 0;
	a->len = 0;
	if (!*v)
		return 0;
	for (;;) {
		end = strchr(v, ',');
		len = end ? (size_t)(end - v) : strlen(v);
		if (a->len >= sizeof(a->buf))	/* no room even for a NUL */
			return fail(p, "'argv' too long (max %d bytes)",
				    LC_ARGV_LEN);
		n = lc_unescape(v, len, a->buf + a->len,
				sizeof(a->buf) - a->len, &why);
		if (n < 0 && !strcmp(why, "too long"))
			return fail(p, "'argv' too long (max %d bytes)",
				    LC_ARGV_LEN);
		if (n < 0)
			return fail(p, "'argv' element %d: %s", a->argc, why);
		a->len += n + 1;
		a->argc++;
		if (!end)
			return 0;
		v = end + 1;
	}
}

static int name_value(struct lc_parser *p, const struct fdesc *f,
		      const char *v, const char **out)
{
	const struct names *nm = f->names;
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (nm->v[i] && !strcmp(v, nm->v[i]))
			goto found;
	nm = nm == &reap_names ? &reap_extra :
	     nm == &result_names ? &result_extra : NULL;
	for (i = 0; nm && i < nm->n; i++)
		if (!strcmp(v, nm->v[i]))
			goto found;
	return fail(p, "'%s': unknown value '%s'", f->key, quote(p, v));
found:
	*out = nm->v[i];
	return 0;
}

static int state_value(struct lc_parser *p, const char *key, const char *v,
		       long long *out)
{
	if (!lc_state_letter(v))
		return fail(p, "'%s': bad state '%s' (one of %s)", key,
			    quote(p, v), STATE_LETTERS);
	*out = v[0];
	return 0;
}

static int set_null(const struct fdesc *f, void *dst)
{
	switch (f->type) {
	case F_STR:
		((struct lc_str *)dst)->null = true;
		((struct lc_str *)dst)->s[0] = '\0';
		break;
	case F_ARGV:
		memset(dst, 0, sizeof(struct lc_argv));
		((struct lc_argv *)dst)->null = true;
		break;
	case F_NAME:
		*(const char **)dst = NULL;
		break;
	default:
		*(long long *)dst = LC_NONE;
	}
	return 0;
}

static int field_value(struct lc_parser *p, const struct fdesc *f,
		       const char *v, struct lc_record *r)
{
	void *dst = (char *)r + f->off;

	if (!strcmp(v, "-"))
		return set_null(f, dst);
	switch (f->type) {
	case F_NUM:
	case F_HEX:
		return num_value(p, f->key, v, f->type == F_HEX, f->max, dst);
	case F_BOOL:
		if ((v[0] != '0' && v[0] != '1') || v[1])
			return fail(p, "'%s' must be 0 or 1, not '%s'",
				    f->key, quote(p, v));
		*(long long *)dst = v[0] - '0';
		return 0;
	case F_STR:
		((struct lc_str *)dst)->null = false;
		return str_value(p, f->key, v, f->max + 1,
				 ((struct lc_str *)dst)->s);
	case F_ARGV:
		return argv_value(p, v, dst);
	case F_NAME:
		return name_value(p, f, v, dst);
	case F_STATE:
		return state_value(p, f->key, v, dst);
	}
	return fail(p, "internal error");
}

static int detail_field(struct lc_parser *p, const struct fdesc *f,
			char *tok, struct lc_record *r)
{
	char *eq = strchr(tok, '=');
	size_t klen = strlen(f->key);

	if (!eq || (size_t)(eq - tok) != klen || strncmp(tok, f->key, klen))
		return fail(p, "%s: expected '%s=...', got '%s'",
			    lc_event_name(r->type), f->key, quote(p, tok));
	return field_value(p, f, eq + 1, r);
}

static int details(struct lc_parser *p, char **tok, int ntok,
		   struct lc_record *r)
{
	const struct fdesc *f = event_fields[r->type];
	int i;

	for (i = 0; f[i].key; i++) {
		if (i >= ntok)
			return fail(p, "%s: missing field '%s'",
				    lc_event_name(r->type), f[i].key);
		if (detail_field(p, &f[i], tok[i], r))
			return -1;
	}
	/* later format revisions may append keys: accept, but check shape */
	for (; i < ntok; i++)
		if (!strchr(tok[i], '=') || tok[i][0] == '=')
			return fail(p, "%s: extra field '%s' is not key=value",
				    lc_event_name(r->type), quote(p, tok[i]));
	return 0;
}

struct pfield {
	const char *name;
	size_t off;
	long long max;
};

#define PF(k, m) { #k, offsetof(struct lc_record, k), m }

static const struct pfield prefix_f[] = {
	PF(seq, U63), PF(ts_ns, U63), PF(cpu, 65535), { NULL },
	PF(pid, LC_PID_MAX), PF(tgid, LC_PID_MAX), PF(ppid, LC_PID_MAX),
	PF(uid, 4294967295LL),
};

static int prefix(struct lc_parser *p, char **tok, struct lc_record *r)
{
	const struct pfield *f;
	int i;

	for (i = 0; i < NPREFIX - 1; i++) {
		f = &prefix_f[i];
		if (f->name && num_value(p, f->name, tok[i], 0, f->max,
					 (long long *)((char *)r + f->off)))
			return -1;
	}
	i = lc_event_lookup(tok[3]);
	if (i < 0)
		return fail(p, "unknown event '%s'", quote(p, tok[3]));
	r->type = i;
	return str_value(p, "comm", tok[8], sizeof(r->comm), r->comm);
}

static int split(struct lc_parser *p, char *buf, char **tok)
{
	int n = 0;
	char *s = buf, *sp;

	for (;;) {
		if (n >= MAX_TOKENS)
			return fail(p, "too many fields");
		sp = strchr(s, ' ');
		if (sp)
			*sp = '\0';
		if (!*s)
			return fail(p, "empty field %d (stray space?)", n + 1);
		tok[n++] = s;
		if (!sp)
			return n;
		s = sp + 1;
	}
}

static int parse_header(struct lc_parser *p, const char *buf)
{
	long long v;

	if (strncmp(buf, "lifecycle ", 10) || lc_number(buf + 10, INT_MAX, &v))
		return fail(p, "missing header 'lifecycle %d' (got '%s')",
			    LC_FORMAT_VERSION, quote(p, buf));
	if (v != LC_FORMAT_VERSION)
		return fail(p, "unsupported format version %lld (this reader knows %d)",
			    v, LC_FORMAT_VERSION);
	p->header_seen = true;
	return 0;
}

static int check_line(struct lc_parser *p, const char *line, size_t len,
		      char *buf)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len + 1 > LC_LINE_MAX)
		return fail(p, "line too long (%zu bytes, max %d)", len + 1,
			    LC_LINE_MAX);
	if (memchr(line, '\0', len))
		return fail(p, "NUL byte in line");
	memcpy(buf, line, len);
	buf[len] = '\0';
	return 0;
}

int lc_parse_line(struct lc_parser *p, const char *line, size_t len,
		  struct lc_record *r)
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
		return fail(p, "unexpected header line after the first");
	p->header_seen = true;
	n = split(p, buf, tok);
	if (n < 0)
		return -1;
	if (n < NPREFIX)
		return fail(p, "%d fields, a record has at least %d", n,
			    NPREFIX);
	memset(r, 0, sizeof(*r));
	if (prefix(p, tok, r) || details(p, tok + NPREFIX, n - NPREFIX, r))
		return -1;
	return 1;
}

int lc_parse_end(struct lc_parser *p)
{
	if (p->header_seen || p->header_optional)
		return 0;
	p->lineno++;
	return fail(p, "missing header 'lifecycle %d' (empty input)",
		    LC_FORMAT_VERSION);
}
