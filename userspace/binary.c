// SPDX-License-Identifier: GPL-2.0
/*
 * The binary stream of /proc/lifecycle (LC_IOC_BINARY): struct lc_event in,
 * struct lc_entry out, exactly as lc_parse_line() reads the same record's
 * text line.  Every value is checked against the same ranges and tables as
 * the text, and a record the text parser would refuse is refused here with
 * the same kind of message.  The formatting is all on this side.
 */
#include <string.h>
#include "fields.h"

#define U63		LLONG_MAX

/* A number field in 0..max, into *out. */
static int num(struct lc_parser *p, const char *key, long long v,
	       long long max, long long *out)
{
	if (v < 0 || v > max)
		return lc_fail(p, "'%s' out of range (0..%lld): %lld", key, max,
			       v);
	*out = v;
	return 0;
}

#define PID(k, v, out)	num(p, k, v, LC_PID_MAX, out)
#define SIG(k, v, out)	num(p, k, v, LC_SIG_MAX, out)
#define BOOL(k, v, out)	num(p, k, v, 1, out)

/* raw bytes, no NUL among them, as a NUL-terminated string in cap */
static int str(struct lc_parser *p, const char *key, const char *v,
	       size_t len, char *out, size_t cap)
{
	if (len + 1 > cap)
		return lc_fail(p, "'%s' too long (max %zu bytes)", key, cap - 1);
	if (memchr(v, '\0', len))
		return lc_fail(p, "'%s': NUL byte", key);
	memcpy(out, v, len);
	out[len] = '\0';
	return 0;
}

/* NUL-separated elements; a last NUL ends the last one, as in the text */
static void argv_raw(const char *v, size_t len, struct lc_argv *a)
{
	size_t i;

	a->null = false;
	a->argc = 0;
	a->len = 0;
	if (len && !v[len - 1])
		len--;
	if (!len && !v[0])
		return;
	memcpy(a->buf, v, len);
	a->buf[len] = '\0';
	a->len = len + 1;
	a->argc = 1;
	for (i = 0; i < len; i++)
		a->argc += !v[i];
}

static int exit_fields(struct lc_parser *p, const struct lc_event *ev,
		       struct lc_entry *r)
{
	long long st = 0;

	if (num(p, "status", ev->exit.status, 0xffff, &st))
		return -1;
	r->exit.status = st;
	if (st & 0x7f) {
		r->exit.code = LC_NONE;
		if (SIG("signal", st & 0x7f, &r->exit.signal))
			return -1;
		r->exit.core = !!(st & 0x80);
	} else {
		r->exit.code = (st >> 8) & 0xff;
		r->exit.signal = LC_NONE;
		r->exit.core = 0;
	}
	return BOOL("group_dead", ev->exit.group_dead, &r->exit.group_dead);
}

static int exec_fields(struct lc_parser *p, const struct lc_event *ev,
		       size_t len, struct lc_entry *r)
{
	size_t fl = ev->exec.filename_len, al = ev->exec.argv_len;

	if (offsetof(struct lc_event, exec.str) + fl + al > len)
		return lc_fail(p, "exec: strings (%zu bytes) past the event's end",
			       fl + al);
	if (al > LC_ARGV_LEN)
		return lc_fail(p, "'argv' too long (max %d bytes)", LC_ARGV_LEN);
	r->exec.filename.null = false;
	if (PID("old_pid", ev->exec.old_pid, &r->exec.old_pid) ||
	    str(p, "filename", ev->exec.str, fl, r->exec.filename.s,
		sizeof(r->exec.filename.s)) ||
	    BOOL("filename_trunc", ev->exec.filename_trunc,
		 &r->exec.filename_trunc) ||
	    BOOL("argv_trunc", ev->exec.argv_trunc, &r->exec.argv_trunc))
		return -1;
	argv_raw(ev->exec.str + fl, al, &r->exec.argv);
	return 0;
}

static int name(struct lc_parser *p, const char *key, const char *v,
		unsigned int i, const char **out)
{
	if (!v)
		return lc_fail(p, "'%s': unknown value %u", key, i);
	*out = v;
	return 0;
}

/* On the enum, without default: an event left out fails to compile. */
static int details(struct lc_parser *p, const struct lc_event *ev,
		   size_t len, struct lc_entry *r)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		r->fork.clone_flags = ev->fork.clone_flags;
		if (ev->fork.clone_flags > (unsigned long long)U63)
			return lc_fail(p, "'clone_flags' out of range");
		return PID("creator_pid", ev->fork.creator_pid,
			   &r->fork.creator_pid) ||
		       PID("creator_tgid", ev->fork.creator_tgid,
			   &r->fork.creator_tgid) ||
		       BOOL("thread", ev->fork.thread, &r->fork.thread) ||
		       BOOL("vfork", ev->fork.vfork, &r->fork.vfork) ? -1 : 0;
	case LC_EV_EXEC:
		return exec_fields(p, ev, len, r);
	case LC_EV_EXIT:
		return exit_fields(p, ev, r);
	case LC_EV_REAP:
		return PID("reaper_pid", ev->reap.reaper_pid,
			   &r->reap.reaper_pid) ||
		       PID("reaper_tgid", ev->reap.reaper_tgid,
			   &r->reap.reaper_tgid) ||
		       name(p, "how", lc_reap_name(ev->reap.how),
			    ev->reap.how, &r->reap.how) ||
		       num(p, "zombie_ns", ev->reap.zombie_ns, U63,
			   &r->reap.zombie_ns) ? -1 : 0;
	case LC_EV_REPARENT:
		return PID("old_ppid", ev->reparent.old_ppid,
			   &r->reparent.old_ppid) ||
		       PID("new_ppid", ev->reparent.new_ppid,
			   &r->reparent.new_ppid) ||
		       name(p, "reason", lc_reason_name(ev->reparent.reason),
			    ev->reparent.reason, &r->reparent.reason) ||
		       BOOL("zombie", ev->reparent.zombie,
			    &r->reparent.zombie) ? -1 : 0;
	case LC_EV_STOP:
	case LC_EV_CONT:
		return SIG("signal", ev->stop.signal, &r->stop.signal) ||
		       BOOL("ptrace", ev->stop.ptrace, &r->stop.ptrace) ? -1 : 0;
	case LC_EV_SIGNAL:
		r->sig.result = lc_result_name(ev->signal.result);
		return SIG("signal", ev->signal.signal, &r->sig.signal) ||
		       PID("sender_pid", ev->signal.sender_pid,
			   &r->sig.sender_pid) ||
		       PID("sender_tgid", ev->signal.sender_tgid,
			   &r->sig.sender_tgid) ||
		       BOOL("group", ev->signal.group, &r->sig.group) ? -1 : 0;
	case LC_EV_SETSID:
		return PID("sid", ev->setsid.sid, &r->setsid.sid);
	case LC_EV_SETPGID:
		return PID("pgid", ev->setpgid.pgid, &r->setpgid.pgid) ||
		       PID("old_pgid", ev->setpgid.old_pgid,
			   &r->setpgid.old_pgid) ? -1 : 0;
	case LC_EV_STATE: {
		const char from[2] = { ev->state.from }, to[2] = { ev->state.to };

		if (!lc_state_letter(from) || !lc_state_letter(to))
			return lc_fail(p, "state: bad state letter");
		r->state.from = from[0];
		r->state.to = to[0];
		return num(p, "prev_ns", ev->state.prev_ns, U63,
			   &r->state.prev_ns);
	}
	case LC_EV_LOST:
		return num(p, "count", ev->lost.count, U63, &r->lost.count);
	case LC_EV_COUNT:	/* refused with the type, before this */
		break;
	}
	return lc_fail(p, "internal error");
}

/* a start time: 0 is unknown */
static long long start_of(__u64 ns)
{
	return ns && ns <= U63 ? (long long)ns : LC_NONE;
}

/* struct lc_event_ids, when the event is long enough to hold them */
static void ids(const struct lc_event *ev, size_t len, struct lc_entry *r)
{
	__u32 off = lc_event_ids_offset(ev);
	struct lc_event_ids id;
	long long peer;

	if (len < off + sizeof(id)) {
		switch (r->type) {
		case LC_EV_FORK:
			r->fork.creator_start_ns = LC_NONE;
			break;
		case LC_EV_EXIT:
			r->exit.age_ns = LC_NONE;
			break;
		case LC_EV_REAP:
			r->reap.reaper_start_ns = LC_NONE;
			break;
		case LC_EV_REPARENT:
			r->reparent.old_parent_start_ns = LC_NONE;
			break;
		case LC_EV_SIGNAL:
			r->sig.sender_start_ns = LC_NONE;
			break;
		default:	/* no start beyond the process's and parent's */
			break;
		}
		return;
	}
	memcpy(&id, (const char *)ev + off, sizeof(id));
	r->start_ns = start_of(id.start_ns);
	r->parent_start_ns = start_of(id.parent_start_ns);
	peer = start_of(id.peer_start_ns);
	switch (r->type) {
	case LC_EV_FORK:
		r->fork.creator_start_ns = peer;
		break;
	case LC_EV_EXIT:
		/* as the text: no age without the process's start */
		r->exit.age_ns = r->start_ns == LC_NONE ? LC_NONE :
				 start_of(ev->exit.age_ns);
		break;
	case LC_EV_REAP:
		r->reap.reaper_start_ns = peer;
		break;
	case LC_EV_REPARENT:
		r->reparent.old_parent_start_ns = peer;
		break;
	case LC_EV_SIGNAL:
		r->sig.sender_start_ns = peer;
		break;
	default:
		break;
	}
}

/**
 * lc_check_magic() - check what comes before a binary stream's events
 * @p: the parser, for its error message; its boot_id is set
 * @buf: the first bytes of the stream
 * @len: how many there are
 *
 * LC_BIN_MAGIC and struct lc_stream_header (its size from its first
 * field), or LC_BIN_MAGIC_V1 alone (a recording from before the header).
 *
 * Return: the bytes to skip to the first event, 0 when @len is too short
 * to tell, or -1 with p->err set.
 */
int lc_check_magic(struct lc_parser *p, const char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct lc_stream_header h;
	char *o = p->boot_id;
	size_t i;

	if (len < LC_BIN_MAGIC_LEN)
		return 0;
	p->boot_id[0] = '\0';
	if (!memcmp(buf, LC_BIN_MAGIC_V1, LC_BIN_MAGIC_LEN)) {
		p->header_seen = true;
		return LC_BIN_MAGIC_LEN;
	}
	if (memcmp(buf, LC_BIN_MAGIC, LC_BIN_MAGIC_LEN))
		return lc_fail(p, "not a lifecycle binary stream (bad magic)");
	if (len < LC_BIN_PROLOGUE_LEN)
		return 0;
	memcpy(&h, buf + LC_BIN_MAGIC_LEN, sizeof(h));
	if (h.size < sizeof(h) || h.size % 8 || h.size > LC_LINE_MAX)
		return lc_fail(p, "bad stream header size %u", h.size);
	if (len < (size_t)LC_BIN_MAGIC_LEN + h.size)
		return 0;
	if (h.flags & LC_STREAM_BOOT_ID) {
		for (i = 0; i < sizeof(h.boot_id); i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				*o++ = '-';
			*o++ = hex[h.boot_id[i] >> 4];
			*o++ = hex[h.boot_id[i] & 0xf];
		}
		*o = '\0';
	}
	p->header_seen = true;
	return LC_BIN_MAGIC_LEN + h.size;
}

/**
 * lc_check_event_size() - whether an event's size field can be right
 * @p: the parser, for its error message
 * @size: ev->size, read before the rest of the event
 *
 * Return: 0, or -1 with p->err set.
 */
int lc_check_event_size(struct lc_parser *p, size_t size)
{
	if (size < LC_EVENT_MIN_SIZE || size > LC_LINE_MAX || size % 8)
		return lc_fail(p, "bad event size %zu", size);
	return 0;
}

/**
 * lc_parse_event() - decode one event of the binary stream
 * @p: the parser, for its error message and its record count
 * @ev: the event, 8-byte aligned
 * @len: its bytes, ev->size
 * @r: the record, as lc_parse_line() would read it from the text
 *
 * Return: 1, or -1 with p->err set.
 */
int lc_parse_event(struct lc_parser *p, const struct lc_event *ev,
		   size_t len, struct lc_entry *r)
{
	size_t comm_len;

	p->lineno++;
	if (lc_check_event_size(p, len))
		return -1;
	if (len != ev->size)
		return lc_fail(p, "event size %u in %zu bytes", ev->size, len);
	lc_entry_init(r);
	r->boot_id = p->boot_id[0] ? p->boot_id : NULL;
	if (ev->type >= LC_EV_COUNT)
		return lc_fail(p, "unknown event type %u", ev->type);
	r->type = ev->type;
	if (num(p, "seq", ev->seq, U63, &r->seq) ||
	    num(p, "ts_ns", ev->ts, U63, &r->ts_ns) ||
	    num(p, "cpu", ev->cpu, 65535, &r->cpu) ||
	    PID("pid", ev->pid, &r->pid) || PID("tgid", ev->tgid, &r->tgid) ||
	    PID("ppid", ev->ppid, &r->ppid))
		return -1;
	r->uid = ev->uid;
	/* the text writes an empty comm, and a lost record's, as "-" */
	comm_len = strnlen(ev->comm, LC_COMM_LEN);
	if (r->type == LC_EV_LOST || !comm_len) {
		memcpy(r->comm, "-", 2);
	} else if (comm_len < LC_COMM_LEN) {	/* no NUL in it: strnlen() */
		memcpy(r->comm, ev->comm, LC_COMM_LEN);
		r->comm[comm_len] = '\0';
	} else if (str(p, "comm", ev->comm, comm_len, r->comm,
		       sizeof(r->comm))) {
		return -1;
	}
	if (details(p, ev, len, r))
		return -1;
	ids(ev, len, r);
	return 1;
}
