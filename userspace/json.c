// SPDX-License-Identifier: GPL-2.0
/*
 * A record as one JSON object (JSON Lines).  Key names are the
 * reader's contract: the text keys, except core -> core_dumped,
 * filename_trunc -> filename_truncated and argv_trunc -> argv_truncated.
 * A "-" value is null.  Extra keys (signal_name) may be added freely.
 *
 * A string with bytes that are not valid UTF-8 (comm, filename, an argv
 * element) is followed by KEY_b64, its bytes in base64 (argv_b64: every
 * element), so that nothing is lost; valid UTF-8 has no such key.
 *
 * This is the reader's hot path when it follows the log as JSON: a
 * record is written straight into a buffer known to hold JSON_RECORD_MAX
 * bytes, with no bounds checks, no separator bookkeeping and no stdio.
 * Keys are literals with their comma and colon, each one copy of a
 * constant size (a few moves).
 */
#include <stdint.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "jsonw.h"
#include "signames.h"

/* the bytes a string value of n bytes can take, escaped or in base64 */
#define STR_MAX(n)	(6 * (n) + 2)
#define B64_MAX(n)	(4 * (((n) + 2) / 3) + 2)
/*
 * argv: k elements of B bytes in all, B + k <= LC_ARGV_LEN + 1 (each has
 * its NUL): 6B + 3k escaped with quotes and commas, (4B + 8k) / 3 + 3k in
 * base64, less than 9 per byte of the buffer
 */
#define ARGV_MAX	(9 * (LC_ARGV_LEN + 1))

_Static_assert(1024 + STR_MAX(LC_COMM_LEN) + B64_MAX(LC_COMM_LEN) +
	       STR_MAX(LC_FILENAME_LEN) + B64_MAX(LC_FILENAME_LEN) +
	       ARGV_MAX <= JSON_RECORD_MAX, "JSON_RECORD_MAX");

/* a literal, without its NUL: one copy of a constant size */
#define LIT(p, lit)	do {					\
		memcpy(p, lit, sizeof(lit) - 1);		\
		p += sizeof(lit) - 1;				\
	} while (0)

#define KEY(k)		",\"" k "\":"

/* bytes copied as they are into a JSON string: printable ASCII but " \ */
static const unsigned char plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

/*
 * The digits of large numbers written lately, by value.  Start times come
 * back record after record (a process's start_ns in its fork, signal,
 * exit and reap records; its parent's in every child's; a sender's), and
 * one of 64 bits takes ~30 instructions to write but ~6 to copy.  A
 * direct-mapped table: a slot holds the last value that hashed to it.
 * Small numbers are quicker to write than to look up; seq and ts_ns never
 * repeat, and have their own (val_seq(), val_ts()).
 */
#define NUM_CACHE_BITS	6

static struct num_slot {
	unsigned long long v;
	unsigned char len;	/* 0: empty */
	char d[23];		/* the digits, '-' included; room to spare */
} num_cache[1 << NUM_CACHE_BITS];

/* a large or negative number not in the table: written, then kept */
static char *num_miss(char *p, long long v, struct num_slot *c)
{
	char *end = lc_put_sdec(p, v);

	c->v = v;
	c->len = end - p;
	memcpy(c->d, p, sizeof(c->d));
	return end;
}

static __always_inline char *val_num(char *p, long long v)
{
	unsigned long long u = v;
	struct num_slot *c;

	if (u < 100000000)
		return lead8(p, u);
	if (v == LC_NONE) {
		LIT(p, "null");
		return p;
	}
	c = &num_cache[(u * 0x9e3779b97f4a7c15ULL) >> (64 - NUM_CACHE_BITS)];
	if (c->v == u && c->len) {
		memcpy(p, c->d, sizeof(c->d));
		return p + c->len;
	}
	return num_miss(p, v, c);
}

/*
 * seq is most often one more than the last record's: its digits are kept
 * and counted up in place.  Anything else is written as val_num() would.
 */
static char *val_seq(char *p, long long v)
{
	static long long last = LC_NONE;
	static unsigned char len;
	static char d[23];
	int i;

	if (len && v > 0 && v - 1 == last) {	/* len: last is a seq */
		for (i = len - 1; i >= 0 && d[i] == '9'; i--)
			d[i] = '0';
		if (i >= 0) {
			d[i]++;
			last = v;
			memcpy(p, d, sizeof(d));
			return p + len;
		}
	}
	if (v < 0) {			/* LC_NONE included */
		len = 0;
		return val_num(p, v);
	}
	len = lc_put_dec(p, v) - p;
	last = v;
	memcpy(d, p, sizeof(d));
	return p + len;
}

/*
 * ts_ns: its digits above the last 8 (whole tenths of a second) are
 * those of the last record's most of the time, and kept.
 */
static char *val_ts(char *p, long long v)
{
	static unsigned long long last_hi;
	static unsigned char hi_len;	/* 0: none kept */
	static char hi_d[16];
	unsigned long long u = v, hi;

	if (v < 100000000)		/* LC_NONE included */
		return val_num(p, v);
	hi = u / 100000000;
	if (hi != last_hi || !hi_len) {
		if (hi >= 100000000) {
			hi_len = 0;
			return lc_put_dec(p, u);
		}
		hi_len = lead8(hi_d, hi) - hi_d;
		last_hi = hi;
	}
	memcpy(p, hi_d, sizeof(hi_d));
	p += hi_len;
	dig8(p, u - hi * 100000000);
	return p + 8;
}

static char *val_flag(char *p, long long v)
{
	if (v == LC_NONE)
		LIT(p, "null");
	else if (v)
		LIT(p, "true");
	else
		LIT(p, "false");
	return p;
}

/*
 * A quoted string.  Printable ASCII is copied as it is checked; any other
 * byte sends the whole string to jw_quote_to() (escapes, UTF-8).  *ascii
 * tells whether the fast path took it all (then it is valid UTF-8).
 */
static char *put_str(char *p, const char *str, bool *ascii)
{
	const unsigned char *s = (const unsigned char *)str;
	char *q = p + 1;

	*p = '"';
	while (plain[*s])
		*q++ = *s++;
	*ascii = !*s;
	if (*s)
		return jw_quote_to(p, str);
	*q = '"';
	return q + 1;
}

static char *val_str(char *p, const char *s)
{
	bool ascii;

	if (!s) {
		LIT(p, "null");
		return p;
	}
	return put_str(p, s, &ascii);
}

#define num(p, k, v)	do { LIT(p, KEY(k)); p = val_num(p, v); } while (0)
#define flag(p, k, v)	do { LIT(p, KEY(k)); p = val_flag(p, v); } while (0)
#define str(p, k, s)	do { LIT(p, KEY(k)); p = val_str(p, s); } while (0)

/* a string from the kernel: its bytes again in KEY_b64 when not UTF-8 */
#define bytes(p, k, s)	do {					\
		const char *_s = (s);				\
		bool _ascii;					\
								\
		LIT(p, KEY(k));					\
		if (!_s) {					\
			LIT(p, "null");				\
			break;					\
		}						\
		p = put_str(p, _s, &_ascii);			\
		if (!_ascii && !jw_utf8(_s)) {			\
			LIT(p, KEY(k "_b64"));			\
			p = jw_b64_to(p, _s);			\
		}						\
	} while (0)

/*
 * ,"signal":N,"signal_name":"NAME": made once for each signal number
 * (sig_name() is fixed for a number), then copied.
 */
static char *signal_field(char *p, long long sig)
{
	static char frag[LC_SIG_MAX + 1][48];
	static unsigned char len[LC_SIG_MAX + 1];
	char tmp[JSON_RECORD_MAX], *q = tmp;

	if (sig >= 0 && sig <= LC_SIG_MAX && len[sig]) {
		memcpy(p, frag[sig], sizeof(frag[sig]));
		return p + len[sig];
	}
	num(q, "signal", sig);
	if (sig != LC_NONE && sig_name(sig))
		str(q, "signal_name", sig_name(sig));
	if (sig >= 0 && sig <= LC_SIG_MAX &&
	    q - tmp <= (long)sizeof(frag[sig])) {
		memcpy(frag[sig], tmp, q - tmp);
		len[sig] = q - tmp;
	}
	memcpy(p, tmp, q - tmp);
	return p + (q - tmp);
}

/*
 * A value from one of the reader's fixed name tables (fields.c: a
 * signal's result, a reap's how, a reparent's reason), which are never
 * written: its quoted form is kept by address and copied.
 */
static char *val_name(char *p, const char *s)
{
	static struct name_slot {
		const char *s;
		unsigned char len;
		char d[23];
	} cache[16];
	struct name_slot *c;
	char *end;

	if (!s) {
		LIT(p, "null");
		return p;
	}
	c = &cache[((uintptr_t)s * 0x9e3779b97f4a7c15ULL) >> 60];
	if (c->s == s) {
		memcpy(p, c->d, sizeof(c->d));
		return p + c->len;
	}
	end = val_str(p, s);
	if (end - p <= (long)sizeof(c->d)) {
		c->s = s;
		c->len = end - p;
		memcpy(c->d, p, sizeof(c->d));
	}
	return end;
}

#define name(p, k, s)	do { LIT(p, KEY(k)); p = val_name(p, s); } while (0)

/*
 * ,"comm":"NAME": comms come back record after record, so the field is
 * kept by the comm's 16 bytes (NUL and what follows it included: equal
 * bytes give equal output) in a direct-mapped table, and copied.
 */
static char *comm_field(char *p, const char *comm)
{
	static struct comm_slot {
		unsigned long long k[2];
		unsigned char len;	/* 0: empty */
		char d[31];
	} cache[64];
	struct comm_slot *c;
	unsigned long long k0, k1;
	char *q = p;

	_Static_assert(LC_COMM_LEN == 16, "the comm is two 8-byte keys");
	memcpy(&k0, comm, 8);
	memcpy(&k1, comm + 8, 8);
	c = &cache[((k0 ^ (k1 * 31)) * 0x9e3779b97f4a7c15ULL) >> 58];
	if (c->len && c->k[0] == k0 && c->k[1] == k1) {
		memcpy(p, c->d, sizeof(c->d));
		return p + c->len;
	}
	bytes(q, "comm", comm);
	if (q - p <= (long)sizeof(c->d)) {
		c->k[0] = k0;
		c->k[1] = k1;
		c->len = q - p;
		memcpy(c->d, p, sizeof(c->d));
	}
	return q;
}

static char *argv_field(char *p, const struct lc_argv *a)
{
	const char *s = a->buf;
	bool utf8 = true, ascii;
	int i;

	LIT(p, KEY("argv"));
	if (a->null) {
		LIT(p, "null");
		return p;
	}
	*p++ = '[';
	for (i = 0; i < a->argc; i++, s += strlen(s) + 1) {
		if (i)
			*p++ = ',';
		p = put_str(p, s, &ascii);
		utf8 = utf8 && (ascii || jw_utf8(s));
	}
	*p++ = ']';
	if (utf8)
		return p;
	LIT(p, KEY("argv_b64"));
	*p++ = '[';
	for (s = a->buf, i = 0; i < a->argc; i++, s += strlen(s) + 1) {
		if (i)
			*p++ = ',';
		p = jw_b64_to(p, s);
	}
	*p++ = ']';
	return p;
}

static char *fork_fields(char *p, const struct lc_entry *r)
{
	num(p, "creator_pid", r->fork.creator_pid);
	num(p, "creator_tgid", r->fork.creator_tgid);
	flag(p, "thread", r->fork.thread);
	num(p, "clone_flags", r->fork.clone_flags);
	flag(p, "vfork", r->fork.vfork);
	num(p, "creator_start_ns", r->fork.creator_start_ns);
	return p;
}

static char *exec_fields(char *p, const struct lc_entry *r)
{
	const struct lc_str *f = &r->exec.filename;

	num(p, "old_pid", r->exec.old_pid);
	bytes(p, "filename", f->null ? NULL : f->s);
	flag(p, "filename_truncated", r->exec.filename_trunc);
	p = argv_field(p, &r->exec.argv);
	flag(p, "argv_truncated", r->exec.argv_trunc);
	return p;
}

static char *exit_fields(char *p, const struct lc_entry *r)
{
	num(p, "status", r->exit.status);
	num(p, "code", r->exit.code);
	p = signal_field(p, r->exit.signal);
	flag(p, "core_dumped", r->exit.core);
	flag(p, "group_dead", r->exit.group_dead);
	num(p, "age_ns", r->exit.age_ns);
	return p;
}

static char *reap_fields(char *p, const struct lc_entry *r)
{
	num(p, "reaper_pid", r->reap.reaper_pid);
	num(p, "reaper_tgid", r->reap.reaper_tgid);
	name(p, "how", r->reap.how);
	num(p, "zombie_ns", r->reap.zombie_ns);
	num(p, "reaper_start_ns", r->reap.reaper_start_ns);
	return p;
}

static char *reparent_fields(char *p, const struct lc_entry *r)
{
	num(p, "old_ppid", r->reparent.old_ppid);
	num(p, "new_ppid", r->reparent.new_ppid);
	name(p, "reason", r->reparent.reason);
	flag(p, "zombie", r->reparent.zombie);
	num(p, "old_parent_start_ns", r->reparent.old_parent_start_ns);
	return p;
}

static char *signal_fields(char *p, const struct lc_entry *r)
{
	p = signal_field(p, r->sig.signal);
	num(p, "sender_pid", r->sig.sender_pid);
	num(p, "sender_tgid", r->sig.sender_tgid);
	name(p, "result", r->sig.result);
	flag(p, "group", r->sig.group);
	num(p, "sender_start_ns", r->sig.sender_start_ns);
	return p;
}

static char *state_letter(char *p, long long c)
{
	char s[2] = { (char)c, '\0' };

	return val_str(p, c == LC_NONE ? NULL : s);
}

/* On the enum, without default: an event left out fails to compile. */
static char *detail_fields(char *p, const struct lc_entry *r)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		return fork_fields(p, r);
	case LC_EV_EXEC:
		return exec_fields(p, r);
	case LC_EV_EXIT:
		return exit_fields(p, r);
	case LC_EV_REAP:
		return reap_fields(p, r);
	case LC_EV_REPARENT:
		return reparent_fields(p, r);
	case LC_EV_STOP:
	case LC_EV_CONT:
		p = signal_field(p, r->stop.signal);
		flag(p, "ptrace", r->stop.ptrace);
		return p;
	case LC_EV_SIGNAL:
		return signal_fields(p, r);
	case LC_EV_SETSID:
		num(p, "sid", r->setsid.sid);
		return p;
	case LC_EV_SETPGID:
		num(p, "pgid", r->setpgid.pgid);
		num(p, "old_pgid", r->setpgid.old_pgid);
		return p;
	case LC_EV_STATE:
		LIT(p, KEY("from"));
		p = state_letter(p, r->state.from);
		LIT(p, KEY("to"));
		p = state_letter(p, r->state.to);
		num(p, "prev_ns", r->state.prev_ns);
		return p;
	case LC_EV_LOST:
		num(p, "count", r->lost.count);
		return p;
	case LC_EV_COUNT:	/* not an event: parse refuses it */
		return p;
	}
	return p;
}

/*
 * ,"boot_id":"..." is the same for every record of a stream: made once
 * for each boot id seen last, then copied (a UUID is 36 bytes).
 */
static char *boot_id_field(char *p, const char *id)
{
	static char last[40], frag[64];
	static size_t frag_len;
	const unsigned char *s = (const unsigned char *)id;
	char *q = frag;

	if (!id) {
		LIT(p, KEY("boot_id") "null");
		return p;
	}
	if (!frag_len || strcmp(last, id)) {
		while (plain[*s])
			s++;
		if (*s || (size_t)(s - (const unsigned char *)id) >=
			  sizeof(last)) {
			frag_len = 0;		/* not a UUID: as it is */
			str(p, "boot_id", id);
			return p;
		}
		memcpy(last, id, s - (const unsigned char *)id + 1);
		str(q, "boot_id", id);
		frag_len = q - frag;
	}
	memcpy(p, frag, sizeof(frag));
	return p + frag_len;
}

/* ,"event":"fork": one per event type, made at first use, then copied */
static char *event_field(char *p, int type)
{
	static char frag[LC_EV_COUNT][32];
	static unsigned char len[LC_EV_COUNT];
	char *q, tmp[JSON_RECORD_MAX];

	if (type < 0 || type >= LC_EV_COUNT) {
		str(p, "event", lc_event_name(type));
		return p;
	}
	if (!len[type]) {
		q = tmp;
		str(q, "event", lc_event_name(type));
		if (q - tmp > (long)sizeof(frag[type])) {
			memcpy(p, tmp, q - tmp);	/* too long to keep */
			return p + (q - tmp);
		}
		memcpy(frag[type], tmp, q - tmp);
		len[type] = q - tmp;
	}
	memcpy(p, frag[type], sizeof(frag[type]));
	return p + len[type];
}

/**
 * json_format() - one record as a JSON object, with its newline
 * @p: where it goes: room for JSON_RECORD_MAX bytes
 * @r: the record
 *
 * Return: the end of what was written (no NUL).
 */
char *json_format(char *p, const struct lc_entry *r)
{
	LIT(p, "{\"seq\":");
	p = val_seq(p, r->seq);
	LIT(p, KEY("ts_ns"));
	p = val_ts(p, r->ts_ns);
	num(p, "cpu", r->cpu);
	p = event_field(p, r->type);
	num(p, "pid", r->pid);
	num(p, "tgid", r->tgid);
	num(p, "ppid", r->ppid);
	p = comm_field(p, r->comm);
	num(p, "uid", r->uid);
	num(p, "start_ns", r->start_ns);
	num(p, "parent_start_ns", r->parent_start_ns);
	p = boot_id_field(p, r->boot_id);
	p = detail_fields(p, r);
	LIT(p, "}\n");
	return p;
}

/**
 * json_record_jw() - one record as a JSON object, where @w is
 * @w: the writer, expecting a value
 * @r: the record
 */
void json_record_jw(struct jw *w, const struct lc_entry *r)
{
	char buf[JSON_RECORD_MAX];
	char *end = json_format(buf, r);

	jw_raw_value(w, buf, end - buf - 1);	/* without the newline */
}

void json_record(FILE *out, const struct lc_entry *r)
{
	char buf[JSON_RECORD_MAX];

	fwrite(buf, 1, json_format(buf, r) - buf, out);
}

/**
 * json_emit() - one record as a JSON line to standard output, through
 * the output buffer (lc_out_room()); the caller flushes it
 * @r: the record
 */
void json_emit(const struct lc_entry *r)
{
	lc_out_done(json_format(lc_out_room(JSON_RECORD_MAX), r));
}
