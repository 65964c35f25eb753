// SPDX-License-Identifier: GPL-2.0
/*
 * The details of each event: which key=value fields, in which order, and
 * how each value is checked (numbers and their range, booleans, escaped
 * strings and argv, names from lifecycle.h's tables, state letters).  Keys
 * the reader does not know may follow the known ones (the header promises
 * keys are only ever added at the end).
 */
#include <errno.h>
#include <string.h>
#include "fields.h"

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

#define FD(u, k, t, m, nm) { #k, t, offsetof(struct lc_entry, u.k), m, nm }
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

/*
 * The identities after the details: optional, as recordings made before
 * them lack them (then LC_NONE).
 */
#define TOP(k)		{ #k, F_NUM, offsetof(struct lc_entry, k), U63, NULL }
#define START		TOP(start_ns)
#define PSTART		TOP(parent_start_ns)

static const struct fdesc ids_f[] = { START, PSTART, END };

static const struct fdesc fork_ids_f[] = {
	START, PSTART, NUM(fork, creator_start_ns, U63), END
};

static const struct fdesc exit_ids_f[] = {
	START, PSTART, NUM(exit, age_ns, U63), END
};

static const struct fdesc reap_ids_f[] = {
	START, PSTART, NUM(reap, reaper_start_ns, U63), END
};

static const struct fdesc reparent_ids_f[] = {
	START, PSTART, NUM(reparent, old_parent_start_ns, U63), END
};

static const struct fdesc sig_ids_f[] = {
	START, PSTART, NUM(sig, sender_start_ns, U63), END
};

static const struct fdesc *const event_ids[] = {
	[LC_EV_FORK] = fork_ids_f, [LC_EV_EXEC] = ids_f,
	[LC_EV_EXIT] = exit_ids_f, [LC_EV_REAP] = reap_ids_f,
	[LC_EV_REPARENT] = reparent_ids_f, [LC_EV_STOP] = ids_f,
	[LC_EV_CONT] = ids_f, [LC_EV_SIGNAL] = sig_ids_f,
	[LC_EV_SETSID] = ids_f, [LC_EV_SETPGID] = ids_f,
	[LC_EV_STATE] = ids_f, [LC_EV_LOST] = ids_f,
};

static const struct fdesc *const event_fields[] = {
	[LC_EV_FORK] = fork_f, [LC_EV_EXEC] = exec_f, [LC_EV_EXIT] = exit_f,
	[LC_EV_REAP] = reap_f, [LC_EV_REPARENT] = reparent_f,
	[LC_EV_STOP] = stop_f, [LC_EV_CONT] = stop_f, [LC_EV_SIGNAL] = sig_f,
	[LC_EV_SETSID] = setsid_f, [LC_EV_SETPGID] = setpgid_f,
	[LC_EV_STATE] = state_f, [LC_EV_LOST] = lost_f,
};

_Static_assert(ARRAY_SIZE(event_names) == LC_EV_COUNT, "event names");
_Static_assert(ARRAY_SIZE(event_fields) == LC_EV_COUNT, "event fields");
_Static_assert(ARRAY_SIZE(event_ids) == LC_EV_COUNT, "event ids");

const char *lc_event_name(int type)
{
	if (type < 0 || type >= LC_EV_COUNT)
		return "?";
	return event_names[type];
}

const char *lc_reap_name(unsigned int how)
{
	return how < ARRAY_SIZE(reap_v) ? reap_v[how] : NULL;
}

const char *lc_reason_name(unsigned int reason)
{
	return reason < ARRAY_SIZE(reason_v) ? reason_v[reason] : NULL;
}

const char *lc_result_name(unsigned int result)
{
	return result < ARRAY_SIZE(result_v) ? result_v[result] :
	       result_extra_v[0];
}

int lc_event_lookup(const char *name)
{
	int i;

	for (i = 0; i < LC_EV_COUNT; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

bool lc_state_letter(const char *v)
{
	return v[0] && !v[1] && strchr(STATE_LETTERS, v[0]);
}

int lc_num_value(struct lc_parser *p, const char *key, const char *v,
		 int hex, long long max, long long *out)
{
	int err;

	err = hex ? lc_hex_number(v, max, out) : lc_number(v, max, out);
	if (err == -ERANGE)
		return lc_fail(p, "'%s' out of range (0..%lld): %s", key, max,
			       lc_quote(p, v));
	if (err)
		return lc_fail(p, "'%s': bad number '%s'", key, lc_quote(p, v));
	return 0;
}

int lc_str_value(struct lc_parser *p, const char *key, const char *v,
		 size_t cap, char *out)
{
	const char *why = NULL;

	if (lc_unescape(v, strlen(v), out, cap, &why) < 0) {
		if (!strcmp(why, "too long"))
			return lc_fail(p, "'%s' too long (max %zu bytes)", key,
				       cap - 1);
		return lc_fail(p, "'%s': %s in '%s'", key, why, lc_quote(p, v));
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
			return lc_fail(p, "'argv' too long (max %d bytes)",
				       LC_ARGV_LEN);
		n = lc_unescape(v, len, a->buf + a->len,
				sizeof(a->buf) - a->len, &why);
		if (n < 0 && !strcmp(why, "too long"))
			return lc_fail(p, "'argv' too long (max %d bytes)",
				       LC_ARGV_LEN);
		if (n < 0)
			return lc_fail(p, "'argv' element %d: %s", a->argc, why);
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
	return lc_fail(p, "'%s': unknown value '%s'", f->key, lc_quote(p, v));
found:
	*out = nm->v[i];
	return 0;
}

static int state_value(struct lc_parser *p, const char *key, const char *v,
		       long long *out)
{
	if (!lc_state_letter(v))
		return lc_fail(p, "'%s': bad state '%s' (one of %s)", key,
			       lc_quote(p, v), STATE_LETTERS);
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
		       const char *v, struct lc_entry *r)
{
	void *dst = (char *)r + f->off;

	if (!strcmp(v, "-"))
		return set_null(f, dst);
	switch (f->type) {
	case F_NUM:
	case F_HEX:
		return lc_num_value(p, f->key, v, f->type == F_HEX, f->max, dst);
	case F_BOOL:
		if ((v[0] != '0' && v[0] != '1') || v[1])
			return lc_fail(p, "'%s' must be 0 or 1, not '%s'",
				       f->key, lc_quote(p, v));
		*(long long *)dst = v[0] - '0';
		return 0;
	case F_STR:
		((struct lc_str *)dst)->null = false;
		return lc_str_value(p, f->key, v, f->max + 1,
				    ((struct lc_str *)dst)->s);
	case F_ARGV:
		return argv_value(p, v, dst);
	case F_NAME:
		return name_value(p, f, v, dst);
	case F_STATE:
		return state_value(p, f->key, v, dst);
	}
	return lc_fail(p, "internal error");
}

static int detail_field(struct lc_parser *p, const struct fdesc *f,
			char *tok, struct lc_entry *r)
{
	char *eq = strchr(tok, '=');
	size_t klen = strlen(f->key);

	if (!eq || (size_t)(eq - tok) != klen || strncmp(tok, f->key, klen))
		return lc_fail(p, "%s: expected '%s=...', got '%s'",
			       lc_event_name(r->type), f->key, lc_quote(p, tok));
	return field_value(p, f, eq + 1, r);
}

/* whether token @tok is "@key=..." */
static bool has_key(const char *tok, const char *key)
{
	size_t klen = strlen(key);

	return !strncmp(tok, key, klen) && tok[klen] == '=';
}

int lc_details(struct lc_parser *p, char **tok, int ntok,
	       struct lc_entry *r)
{
	const struct fdesc *f = event_fields[r->type];
	int i, j;

	for (i = 0; f[i].key; i++) {
		if (i >= ntok)
			return lc_fail(p, "%s: missing field '%s'",
				       lc_event_name(r->type), f[i].key);
		if (detail_field(p, &f[i], tok[i], r))
			return -1;
	}
	/* the identities, in this order, each one present or not */
	f = event_ids[r->type];
	for (j = 0; f[j].key; j++) {
		set_null(&f[j], (char *)r + f[j].off);
		if (i < ntok && has_key(tok[i], f[j].key) &&
		    detail_field(p, &f[j], tok[i++], r))
			return -1;
	}
	/* later format revisions may append keys: accept, but check shape */
	for (; i < ntok; i++)
		if (!strchr(tok[i], '=') || tok[i][0] == '=')
			return lc_fail(p, "%s: extra field '%s' is not key=value",
				       lc_event_name(r->type), lc_quote(p, tok[i]));
	return 0;
}
