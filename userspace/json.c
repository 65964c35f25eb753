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
 */
#include <string.h>
#include "json.h"
#include "jsonw.h"
#include "signames.h"

/*
 * Keys are literals with their comma, written in one copy (jw_key());
 * this is the reader's hot path when it follows the log as JSON.
 */
#define KEY(k)		",\"" k "\":"

static void val_num(struct jw *w, long long v)
{
	if (v == LC_NONE)
		jw_raw(w, "null", 4);
	else
		jw_raw_int(w, v);
}

static void val_flag(struct jw *w, long long v)
{
	if (v == LC_NONE)
		jw_raw(w, "null", 4);
	else if (v)
		jw_raw(w, "true", 4);
	else
		jw_raw(w, "false", 5);
}

static void val_str(struct jw *w, const char *s)
{
	if (s)
		jw_raw_string(w, s);
	else
		jw_raw(w, "null", 4);
}

#define num(w, k, v)	do { jw_key(w, KEY(k)); val_num(w, v); } while (0)
#define flag(w, k, v)	do { jw_key(w, KEY(k)); val_flag(w, v); } while (0)
#define str(w, k, s)	do { jw_key(w, KEY(k)); val_str(w, s); } while (0)

/* a string from the kernel: its bytes again in KEY_b64 when not UTF-8 */
#define bytes(w, k, s)	do {					\
		const char *_s = (s);				\
								\
		str(w, k, _s);					\
		if (_s && !jw_utf8(_s)) {			\
			jw_key(w, KEY(k "_b64"));		\
			jw_b64(w, _s);				\
		}						\
	} while (0)

static void signal_field(struct jw *w, long long sig)
{
	num(w, "signal", sig);
	if (sig != LC_NONE && sig_name(sig))
		str(w, "signal_name", sig_name(sig));
}

static void argv_field(struct jw *w, const struct lc_argv *a)
{
	const char *s = a->buf;
	bool utf8 = true;
	int i;

	jw_key(w, KEY("argv"));
	if (a->null) {
		jw_raw(w, "null", 4);
		w->after_name = false;
		return;
	}
	jw_start_array(w);
	for (i = 0; i < a->argc; i++, s += strlen(s) + 1) {
		jw_string(w, s);
		utf8 = utf8 && jw_utf8(s);
	}
	jw_end_array(w);
	if (utf8)
		return;
	jw_key(w, KEY("argv_b64"));
	jw_start_array(w);
	for (s = a->buf, i = 0; i < a->argc; i++, s += strlen(s) + 1)
		jw_b64(w, s);
	jw_end_array(w);
}

static void fork_fields(struct jw *w, const struct lc_entry *r)
{
	num(w, "creator_pid", r->fork.creator_pid);
	num(w, "creator_tgid", r->fork.creator_tgid);
	flag(w, "thread", r->fork.thread);
	num(w, "clone_flags", r->fork.clone_flags);
	flag(w, "vfork", r->fork.vfork);
	num(w, "creator_start_ns", r->fork.creator_start_ns);
}

static void exec_fields(struct jw *w, const struct lc_entry *r)
{
	const struct lc_str *f = &r->exec.filename;

	num(w, "old_pid", r->exec.old_pid);
	bytes(w, "filename", f->null ? NULL : f->s);
	flag(w, "filename_truncated", r->exec.filename_trunc);
	argv_field(w, &r->exec.argv);
	flag(w, "argv_truncated", r->exec.argv_trunc);
}

static void exit_fields(struct jw *w, const struct lc_entry *r)
{
	num(w, "status", r->exit.status);
	num(w, "code", r->exit.code);
	signal_field(w, r->exit.signal);
	flag(w, "core_dumped", r->exit.core);
	flag(w, "group_dead", r->exit.group_dead);
	num(w, "age_ns", r->exit.age_ns);
}

static void reap_fields(struct jw *w, const struct lc_entry *r)
{
	num(w, "reaper_pid", r->reap.reaper_pid);
	num(w, "reaper_tgid", r->reap.reaper_tgid);
	str(w, "how", r->reap.how);
	num(w, "zombie_ns", r->reap.zombie_ns);
	num(w, "reaper_start_ns", r->reap.reaper_start_ns);
}

static void reparent_fields(struct jw *w, const struct lc_entry *r)
{
	num(w, "old_ppid", r->reparent.old_ppid);
	num(w, "new_ppid", r->reparent.new_ppid);
	str(w, "reason", r->reparent.reason);
	flag(w, "zombie", r->reparent.zombie);
	num(w, "old_parent_start_ns", r->reparent.old_parent_start_ns);
}

static void signal_fields(struct jw *w, const struct lc_entry *r)
{
	signal_field(w, r->sig.signal);
	num(w, "sender_pid", r->sig.sender_pid);
	num(w, "sender_tgid", r->sig.sender_tgid);
	str(w, "result", r->sig.result);
	flag(w, "group", r->sig.group);
	num(w, "sender_start_ns", r->sig.sender_start_ns);
}

static void state_letter(struct jw *w, long long c)
{
	char s[2] = { (char)c, '\0' };

	val_str(w, c == LC_NONE ? NULL : s);
}

/* On the enum, without default: an event left out fails to compile. */
static void detail_fields(struct jw *w, const struct lc_entry *r)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		return fork_fields(w, r);
	case LC_EV_EXEC:
		return exec_fields(w, r);
	case LC_EV_EXIT:
		return exit_fields(w, r);
	case LC_EV_REAP:
		return reap_fields(w, r);
	case LC_EV_REPARENT:
		return reparent_fields(w, r);
	case LC_EV_STOP:
	case LC_EV_CONT:
		signal_field(w, r->stop.signal);
		flag(w, "ptrace", r->stop.ptrace);
		return;
	case LC_EV_SIGNAL:
		return signal_fields(w, r);
	case LC_EV_SETSID:
		num(w, "sid", r->setsid.sid);
		return;
	case LC_EV_SETPGID:
		num(w, "pgid", r->setpgid.pgid);
		num(w, "old_pgid", r->setpgid.old_pgid);
		return;
	case LC_EV_STATE:
		jw_key(w, KEY("from"));
		state_letter(w, r->state.from);
		jw_key(w, KEY("to"));
		state_letter(w, r->state.to);
		num(w, "prev_ns", r->state.prev_ns);
		return;
	case LC_EV_LOST:
		num(w, "count", r->lost.count);
		return;
	case LC_EV_COUNT:	/* not an event: parse refuses it */
		return;
	}
}

/**
 * json_record_jw() - one record as a JSON object, where @w is
 * @w: the writer, expecting a value
 * @r: the record
 */
void json_record_jw(struct jw *w, const struct lc_entry *r)
{
	jw_start_object(w);
	jw_key(w, "\"seq\":");
	jw_raw_int(w, r->seq);
	num(w, "ts_ns", r->ts_ns);
	num(w, "cpu", r->cpu);
	str(w, "event", lc_event_name(r->type));
	num(w, "pid", r->pid);
	num(w, "tgid", r->tgid);
	num(w, "ppid", r->ppid);
	bytes(w, "comm", r->comm);
	num(w, "uid", r->uid);
	num(w, "start_ns", r->start_ns);
	num(w, "parent_start_ns", r->parent_start_ns);
	str(w, "boot_id", r->boot_id);
	detail_fields(w, r);
	w->after_name = false;
	jw_end_object(w);
}

void json_record(FILE *out, const struct lc_entry *r)
{
	struct jw w;

	jw_init(&w, out);
	json_record_jw(&w, r);
}
