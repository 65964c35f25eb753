// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - one record as one line of /proc/lifecycle, or as one struct
 * lc_event of its binary stream (see lifecycle.h).
 *
 * Lines are written with a few small helpers rather than vsnprintf():
 * a follower formats every record, and this is most of its cost.
 */
#include <linux/kernel.h>
#include <linux/pid_namespace.h>
#include "lc.h"

static const char *const lc_event_names[] = LC_EVENT_NAMES;
static const char *const lc_reap_names[] = LC_REAP_NAMES;
static const char *const lc_reason_names[] = LC_REPARENT_NAMES;
static const char *const lc_sigresult_names[] = LC_SIGRESULT_NAMES;

static_assert(ARRAY_SIZE(lc_event_names) == LC_EV_COUNT);

/* An output cursor; writes past end are dropped. */
struct lc_out {
	char *p;
	char *end;
};

static void out_c(struct lc_out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

/* Up to @n bytes of @s; with a constant @n the copy is a few moves. */
static __always_inline void out_mem(struct lc_out *o, const char *s,
				    size_t n)
{
	n = min_t(size_t, n, o->end - o->p);
	memcpy(o->p, s, n);
	o->p += n;
}

/* A string literal, at its length known when compiling. */
#define out_lit(o, lit)	out_mem(o, lit, sizeof(lit) - 1)

static void out_s(struct lc_out *o, const char *s)
{
	while (*s)
		out_c(o, *s++);
}

/*
 * Two digits per 64-bit division (the rest is small-number arithmetic):
 * a follower formats a dozen numbers a line.
 */
static void out_u(struct lc_out *o, u64 v)
{
	char tmp[20], *t = tmp + sizeof(tmp);
	unsigned int q;

	while (v >= 100) {
		q = v % 100;
		v /= 100;
		*--t = '0' + q % 10;
		*--t = '0' + q / 10;
	}
	if (v >= 10) {
		*--t = '0' + v % 10;
		*--t = '0' + v / 10;
	} else {
		*--t = '0' + v;
	}
	out_mem(o, t, tmp + sizeof(tmp) - t);
}

static void out_d(struct lc_out *o, s64 v)
{
	if (v < 0) {
		out_c(o, '-');
		v = -v;
	}
	out_u(o, v);
}

/* " key=" (a literal) then a signed number, or a 0/1 flag */
#define out_kd(o, key, v)	do { out_lit(o, key); out_d(o, v); } while (0)
#define out_kb(o, key, b)	do { out_lit(o, key); out_c(o, (b) ? '1' : '0'); } while (0)

static void out_hex(struct lc_out *o, u64 v)
{
	int shift = 60;

	out_lit(o, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out_c(o, hex_asc[(v >> shift) & 0xf]);
}

/* Escape all but 0x21..0x7e and '\' ','; argv turns NULs into ','. */
static void out_esc(struct lc_out *o, const char *src, size_t len, bool argv)
{
	size_t i;

	if (argv && len && !src[len - 1])
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = src[i];

		if (argv && !c) {
			out_c(o, ',');
		} else if (c > 0x20 && c < 0x7f && c != '\\' && c != ',') {
			out_c(o, c);
		} else {
			out_lit(o, "\\x");
			out_c(o, hex_asc_hi(c));
			out_c(o, hex_asc_lo(c));
		}
	}
}

/**
 * lc_escape() - copy bytes, escaping all but 0x21..0x7e and '\' ','
 * @dst: output, always NUL-terminated
 * @size: its size; 4 bytes per input byte plus one is always enough
 * @src: input
 * @len: input length
 * @argv: turn NUL separators into ',' (the last NUL is dropped)
 *
 * Return: the output length.
 */
size_t lc_escape(char *dst, size_t size, const char *src, size_t len,
		 bool argv)
{
	struct lc_out o = { dst, dst + size - 1 };

	out_esc(&o, src, len, argv);
	*o.p = '\0';
	return o.p - dst;
}

static void lc_fmt_exit(const struct lc_record *r, struct lc_out *o)
{
	int st = r->exit.status;

	out_kd(o, " status=", st);
	if (st & 0x7f) {
		out_kd(o, " code=- signal=", st & 0x7f);
		out_kb(o, " core=", st & 0x80);
	} else {
		out_kd(o, " code=", (st >> 8) & 0xff);
		out_lit(o, " signal=- core=0");
	}
	out_kb(o, " group_dead=", r->exit.group_dead);
}

static void lc_fmt_exec(const struct lc_record *r, struct lc_out *o)
{
	out_kd(o, " old_pid=", r->exec.old_pid);
	out_lit(o, " filename=");
	out_esc(o, r->exec.str, r->exec.filename_len, false);
	out_kb(o, " filename_trunc=", r->exec.filename_trunc);
	out_lit(o, " argv=");
	out_esc(o, r->exec.str + r->exec.filename_len, r->exec.argv_len,
		true);
	out_kb(o, " argv_trunc=", r->exec.argv_trunc);
}

static void lc_fmt_signal(const struct lc_record *r, struct lc_out *o)
{
	out_kd(o, " signal=", r->signal.signal);
	out_kd(o, " sender_pid=", r->signal.sender_pid);
	out_kd(o, " sender_tgid=", r->signal.sender_tgid);
	out_lit(o, " result=");
	out_s(o, r->signal.result < ARRAY_SIZE(lc_sigresult_names) ?
		 lc_sigresult_names[r->signal.result] : "unknown");
	out_kb(o, " group=", r->signal.group);
}

/* " key=" then a start time, or "-" for 0 (unknown) */
static void out_start(struct lc_out *o, const char *key, size_t klen, u64 ns)
{
	out_mem(o, key, klen);
	if (ns)
		out_u(o, ns);
	else
		out_c(o, '-');
}

#define out_ks(o, key, ns)	out_start(o, key, sizeof(key) - 1, ns)

/* The identities after the details: start times, and exit's age. */
static void lc_fmt_ids(const struct lc_record *r, struct lc_out *o)
{
	out_ks(o, " start_ns=", r->ids.start_ns);
	out_ks(o, " parent_start_ns=", r->ids.parent_start_ns);
	switch (r->type) {
	case LC_EV_FORK:
		out_ks(o, " creator_start_ns=", r->ids.peer_start_ns);
		break;
	case LC_EV_EXIT:
		out_ks(o, " age_ns=", r->ids.start_ns ? r->exit.age_ns : 0);
		break;
	case LC_EV_REAP:
		out_ks(o, " reaper_start_ns=", r->ids.peer_start_ns);
		break;
	case LC_EV_REPARENT:
		out_ks(o, " old_parent_start_ns=", r->ids.peer_start_ns);
		break;
	case LC_EV_SIGNAL:
		out_ks(o, " sender_start_ns=", r->ids.peer_start_ns);
		break;
	}
}

/* On the enum, without default: an event left out fails to compile. */
static void lc_fmt_details(const struct lc_record *r, struct lc_out *o)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		out_kd(o, " creator_pid=", r->fork.creator_pid);
		out_kd(o, " creator_tgid=", r->fork.creator_tgid);
		out_lit(o, " clone_flags=");
		out_hex(o, r->fork.clone_flags);
		out_kb(o, " thread=", r->fork.thread);
		out_kb(o, " vfork=", r->fork.vfork);
		break;
	case LC_EV_EXEC:
		lc_fmt_exec(r, o);
		break;
	case LC_EV_EXIT:
		lc_fmt_exit(r, o);
		break;
	case LC_EV_REAP:
		out_kd(o, " reaper_pid=", r->reap.reaper_pid);
		out_kd(o, " reaper_tgid=", r->reap.reaper_tgid);
		out_lit(o, " how=");
		out_s(o, lc_reap_names[r->reap.how]);
		out_kd(o, " zombie_ns=", r->reap.zombie_ns);
		break;
	case LC_EV_REPARENT:
		out_kd(o, " old_ppid=", r->reparent.old_ppid);
		out_kd(o, " new_ppid=", r->reparent.new_ppid);
		out_lit(o, " reason=");
		out_s(o, lc_reason_names[r->reparent.reason]);
		out_kb(o, " zombie=", r->reparent.zombie);
		break;
	case LC_EV_STOP:
	case LC_EV_CONT:
		out_kd(o, " signal=", r->stop.signal);
		out_kb(o, " ptrace=", r->stop.ptrace);
		break;
	case LC_EV_SIGNAL:
		lc_fmt_signal(r, o);
		break;
	case LC_EV_SETSID:
		out_kd(o, " sid=", r->setsid.sid);
		break;
	case LC_EV_SETPGID:
		out_kd(o, " pgid=", r->setpgid.pgid);
		out_kd(o, " old_pgid=", r->setpgid.old_pgid);
		break;
	case LC_EV_STATE:
		out_lit(o, " from=");
		out_c(o, r->state.from);
		out_lit(o, " to=");
		out_c(o, r->state.to);
		out_kd(o, " prev_ns=", r->state.prev_ns);
		break;
	case LC_EV_LOST:
		out_kd(o, " count=", r->lost.count);
		break;
	case LC_EV_COUNT:	/* not an event */
		break;
	}
}

/**
 * lc_view() - rewrite a reader's copy of a record for its pid namespace
 * @r: the reader's copy of the record; its pids are rewritten for @ns
 * @ns: the reader's pid namespace
 *
 * Return: false when the record's process is not visible in @ns (the
 * reader skips it).
 */
bool lc_view(struct lc_record *r, struct pid_namespace *ns)
{
	return ns == &init_pid_ns || r->type == LC_EV_LOST ||
	       lc_pidns_view(r, ns);
}

/**
 * lc_format() - render a record as one text line, newline included
 * @r: the record, as lc_view() left it
 * @buf: output
 * @size: its size, at least LC_LINE_MAX
 *
 * Return: the line's length.
 */
int lc_format(const struct lc_record *r, char *buf, size_t size)
{
	struct lc_out o = { buf, buf + size - 2 };	/* '\n' and NUL */

	out_u(&o, r->seq);
	out_c(&o, ' ');
	out_u(&o, r->ts);
	out_c(&o, ' ');
	out_u(&o, r->cpu);
	out_c(&o, ' ');
	out_s(&o, lc_event_names[r->type]);
	out_kd(&o, " ", r->pid);
	out_kd(&o, " ", r->tgid);
	out_kd(&o, " ", r->ppid);
	out_kd(&o, " ", r->uid);
	out_c(&o, ' ');
	if (r->type == LC_EV_LOST || !r->comm[0])	/* PR_SET_NAME "" */
		out_c(&o, '-');
	else
		out_esc(&o, r->comm, strnlen(r->comm, LC_COMM_LEN), false);
	lc_fmt_details(r, &o);
	lc_fmt_ids(r, &o);
	*o.p++ = '\n';
	*o.p = '\0';
	return o.p - buf;
}

static_assert(offsetof(struct lc_event, fork) == LC_EVENT_HEADER_SIZE);
static_assert(sizeof_field(struct lc_event, reap) == LC_EVENT_PAYLOAD_SIZE);
static_assert(sizeof_field(struct lc_event, exit) <= LC_EVENT_PAYLOAD_SIZE);
static_assert(sizeof(struct lc_stream_header) % 8 == 0);
static_assert(sizeof_field(struct lc_event, fork) <=
	      sizeof_field(struct lc_event, reap));
static_assert(sizeof_field(struct lc_event, signal) <=
	      sizeof_field(struct lc_event, reap));
static_assert(sizeof_field(struct lc_event, state) <=
	      sizeof_field(struct lc_event, reap));
static_assert(sizeof_field(struct lc_event, lost) <=
	      sizeof_field(struct lc_event, reap));
static_assert(sizeof(struct lc_event) % 8 == 0);

/* The kernel's record and the stream's event share their payload types. */
static_assert(sizeof_field(struct lc_record, reap) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, exec) ==
	      sizeof_field(struct lc_event, exec));
static_assert(offsetof(struct lc_record, fork) % 8 == 0);

/**
 * lc_encode() - a record as one struct lc_event of the binary stream
 * @r: the record, as lc_view() left it
 * @ev: output, 8-byte aligned, sizeof(*ev) bytes of room
 *
 * The header is filled field by field, the payload copied in one piece
 * (the same type on both sides), the rest up to the ids zeroed (no stale
 * buffer bytes leak out), then the ids at lc_event_ids_offset().
 *
 * Return: ev->size, the bytes used.
 */
size_t lc_encode(const struct lc_record *r, struct lc_event *ev)
{
	size_t len = LC_SMALL_PAYLOAD, ids = LC_EVENT_MIN_SIZE, size;
	char *dst;

	if (r->type == LC_EV_EXEC) {
		len = offsetof(struct lc_exec_info, str) +
		      r->exec.filename_len + r->exec.argv_len;
		ids = max_t(size_t, ids,
			    round_up(LC_EVENT_HEADER_SIZE + len, 8));
	}
	size = ids + sizeof(struct lc_event_ids);
	ev->size = size;
	ev->type = r->type;
	ev->reserved = 0;
	ev->cpu = r->cpu;
	ev->seq = r->seq;
	ev->ts = r->ts;
	ev->pid = r->pid;
	ev->tgid = r->tgid;
	ev->ppid = r->ppid;
	ev->uid = r->uid;
	if (r->type == LC_EV_LOST)
		memset(ev->comm, 0, LC_COMM_LEN);
	else
		memcpy(ev->comm, r->comm, LC_COMM_LEN);
	/*
	 * The union as a whole, from its offset: an exec payload runs past
	 * the first member, which FORTIFY_SOURCE would take for an overflow.
	 */
	dst = (char *)ev + LC_EVENT_HEADER_SIZE;
	if (likely(r->type != LC_EV_EXEC)) {
		/* a constant size: a few moves, not a call */
		memcpy(dst, (const char *)r + offsetof(struct lc_record, fork),
		       LC_SMALL_PAYLOAD);
	} else {
		memcpy(dst, (const char *)r + offsetof(struct lc_record, fork),
		       len);
		memset(dst + len, 0, ids - LC_EVENT_HEADER_SIZE - len);
	}
	memcpy((char *)ev + ids, &r->ids, sizeof(r->ids));
	return size;
}

/**
 * lc_decode() - an event of the log's ring back to a record
 * @ev: the event, as lc_encode() wrote it
 * @r: output; its pid-namespace view is left to the caller
 *
 * The inverse of lc_encode(): the header field by field, the payload in
 * one piece, the ids from lc_event_ids_offset().
 */
void lc_decode(const struct lc_event *ev, struct lc_record *r)
{
	char *dst = (char *)r + offsetof(struct lc_record, fork);
	size_t len;

	r->seq = ev->seq;
	r->ts = ev->ts;
	r->type = ev->type;
	r->cpu = ev->cpu;
	r->pid = ev->pid;
	r->tgid = ev->tgid;
	r->ppid = ev->ppid;
	r->uid = ev->uid;
	memcpy(r->comm, ev->comm, LC_COMM_LEN);
	if (likely(ev->type != LC_EV_EXEC)) {
		memcpy(dst, (const char *)ev + LC_EVENT_HEADER_SIZE,
		       LC_SMALL_PAYLOAD);
	} else {
		len = offsetof(struct lc_exec_info, str) +
		      ev->exec.filename_len + ev->exec.argv_len;
		memcpy(dst, (const char *)ev + LC_EVENT_HEADER_SIZE, len);
	}
	memcpy(&r->ids, (const char *)ev + lc_event_ids_offset(ev),
	       sizeof(r->ids));
}
