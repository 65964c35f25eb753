// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle story PID --json": the story as one JSON object on one
 * line.  Its keys are the man page's JSON contract (lifecycle(1), the
 * story command); the records in it are the log's objects (json.c).
 */
#include <string.h>
#include "clonefl.h"
#include "json.h"
#include "jsonw.h"
#include "signames.h"
#include "story.h"

/* PREFIX_pid, PREFIX_comm, PREFIX_key, PREFIX_start_ns of a process */
static void ident(struct jw *w, const struct story_db *db, const char *pre,
		  int sp, long long tgid)
{
	const struct sproc *p = sp == SP_NONE ? NULL : &db->v[sp];
	char key[64], name[48];

	snprintf(name, sizeof(name), "%spid", pre);
	jw_num_field(w, name, p ? p->tgid : tgid < 0 ? LC_NONE : tgid);
	snprintf(name, sizeof(name), "%scomm", pre);
	if (p && p->comm[0])
		jw_comm_field(w, name, p->comm);
	else
		jw_null_field(w, name);
	snprintf(name, sizeof(name), "%skey", pre);
	if (p && sp_key_start(p) != LC_NONE)
		jw_string_field(w, name, sp_key(p, key, sizeof(key)));
	else
		jw_null_field(w, name);
	snprintf(name, sizeof(name), "%sstart_ns", pre);
	jw_num_field(w, name, p ? p->start : LC_NONE);
}

static const char *state_of(const struct story *st, const struct sproc *p)
{
	if (p->reaped)
		return "reaped";
	if (p->exited)
		return "zombie";
	if (st->live && p->state && p->state != 'X' && p->state != 'Z')
		return "alive";
	return "unknown";
}

/* exit_code, signal, signal_name, core_dumped */
static void status_fields(struct jw *w, const struct sproc *p)
{
	long long code = LC_NONE, sig = LC_NONE;
	bool core = false;

	if (p->exited)
		sp_status(p, &code, &sig, &core);
	jw_num_field(w, "exit_code", code);
	jw_num_field(w, "signal", sig);
	if (sig != LC_NONE && sig_name(sig))
		jw_string_field(w, "signal_name", sig_name(sig));
	else
		jw_null_field(w, "signal_name");
	jw_bool_field(w, "core_dumped", core);
}

static void birth(struct jw *w, const struct story *st,
		  const struct sproc *p)
{
	const char *names[CLONE_NAMES_MAX];
	unsigned long long rest;
	char hex[24];
	int i, n;

	jw_name(w, "birth");
	jw_start_object(w);
	jw_num_field(w, "ts_ns", p->fork_ts);
	jw_bool_field(w, "in_log", p->fork_ts != LC_NONE);
	jw_num_field(w, "creator_thread", p->creator_pid < 0 ? LC_NONE :
	    p->creator_pid);
	ident(w, st->db, "creator_", p->creator, p->creator_tgid);
	ident(w, st->db, "parent_", p->parent_sp, p->parent);
	jw_num_field(w, "clone_flags", p->clone_flags);
	jw_name(w, "clone_flag_names");
	if (p->clone_flags == LC_NONE) {
		jw_null(w);
	} else {
		jw_start_array(w);
		n = clone_names(p->clone_flags, names, &rest);
		for (i = 0; i < n; i++)
			jw_string(w, names[i]);
		if (rest) {
			snprintf(hex, sizeof(hex), "%#llx", rest);
			jw_string(w, hex);
		}
		jw_end_array(w);
	}
	jw_bool_field(w, "vfork", p->vfork);
	jw_end_object(w);
}

static bool in_life(const struct sproc *p, long long ts)
{
	long long b = sp_birth(p);

	return ts >= (b == LLONG_MIN ? p->first_ts : b) &&
	       (!p->reaped || p->reap_ts == LC_NONE || ts <= p->reap_ts);
}

/* events: the records about it; signals_sent: those it sent */
static void records(struct jw *w, const struct story *st, bool sent)
{
	const struct story_db *db = st->db;
	const struct sproc *p = &db->v[st->sp];
	const struct skept *k;
	size_t i;

	jw_name(w, sent ? "signals_sent" : "events");
	jw_start_array(w);
	for (i = 0; i < db->recs.n; i++) {
		k = &db->kept[i];
		if (k->sp == SP_NONE ? sent || !in_life(p, db->recs.v[i].ts_ns) :
		    k->sp != st->sp || k->sent != sent)
			continue;
		json_record_jw(w, &db->recs.v[i]);
	}
	jw_end_array(w);
}

static void adoptions(struct jw *w, const struct story *st)
{
	const struct story_db *db = st->db;
	const struct sproc *p = &db->v[st->sp];
	const struct lc_entry *r;
	size_t i, n = 0;

	jw_name(w, "adoptions");
	jw_start_array(w);
	for (i = 0; i < db->recs.n; i++) {
		r = &db->recs.v[i];
		if (db->kept[i].sp != st->sp || r->type != LC_EV_REPARENT)
			continue;
		n++;
		jw_start_object(w);
		jw_int_field(w, "ts_ns", r->ts_ns);
		jw_string_field(w, "reason", r->reparent.reason ?
				r->reparent.reason : "?");
		jw_num_field(w, "old_ppid", r->reparent.old_ppid);
		ident(w, db, "adopter_", db->kept[i].other,
		      r->reparent.new_ppid);
		jw_bool_field(w, "zombie", r->reparent.zombie == 1);
		jw_end_object(w);
	}
	if (!n && p->nadopt) {	/* the lineage table's word only */
		jw_start_object(w);
		jw_null_field(w, "ts_ns");
		jw_null_field(w, "reason");
		jw_null_field(w, "old_ppid");
		ident(w, db, "adopter_", p->adopter, -1);
		jw_null_field(w, "zombie");
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void death(struct jw *w, const struct story *st,
		  const struct sproc *p)
{
	long long z = p->zombie_ns;

	jw_name(w, "exit");
	if (!p->exited) {
		jw_null(w);
	} else {
		jw_start_object(w);
		jw_num_field(w, "ts_ns", p->exit_ts);
		jw_num_field(w, "status", p->status);
		status_fields(w, p);
		jw_num_field(w, "lifetime_ns", sp_lifetime(p));
		jw_end_object(w);
	}
	jw_name(w, "reap");
	if (!p->reaped) {
		jw_null(w);
		return;
	}
	if (z == LC_NONE && p->exit_ts != LC_NONE && p->reap_ts != LC_NONE)
		z = p->reap_ts - p->exit_ts;
	jw_start_object(w);
	jw_num_field(w, "ts_ns", p->reap_ts);
	ident(w, st->db, "reaper_", p->reaper, p->reaper_tgid);
	if (p->how)
		jw_string_field(w, "how", p->how);
	else
		jw_null_field(w, "how");
	jw_num_field(w, "zombie_ns", z);
	jw_end_object(w);
}

static void ancestors(struct jw *w, const struct story *st)
{
	const struct story_db *db = st->db;
	const struct sproc *p = &db->v[st->sp];
	bool complete = p->creator_tgid == 0 || p->tgid == 1;
	size_t steps = 0;
	int c = p->creator;

	jw_name(w, "ancestors");
	jw_start_array(w);
	while (!complete && c != SP_NONE && steps++ < db->n) {
		jw_start_object(w);
		ident(w, db, "", c, -1);
		jw_end_object(w);
		p = &db->v[c];
		complete = p->tgid == 1 || p->creator_tgid == 0;
		c = p->creator;
	}
	jw_end_array(w);
	jw_bool_field(w, "ancestors_complete", complete);
}

static void descendants(struct jw *w, const struct story *st)
{
	const struct sproc *p;
	size_t i;

	jw_name(w, "descendants");
	jw_start_array(w);
	for (i = 0; i < st->ndesc; i++) {
		p = &st->db->v[st->desc[i].sp];
		jw_start_object(w);
		ident(w, st->db, "", st->desc[i].sp, -1);
		jw_int_field(w, "depth", st->desc[i].depth);
		jw_num_field(w, "creator_pid", p->creator_tgid < 0 ? LC_NONE :
		    p->creator_tgid);
		jw_num_field(w, "parent_pid", p->parent < 0 ? LC_NONE : p->parent);
		jw_bool_field(w, "adopted_away", p->nadopt > 0);
		ident(w, st->db, "adopter_", p->adopter, -1);
		jw_string_field(w, "state", state_of(st, p));
		status_fields(w, p);
		ident(w, st->db, "reaper_", p->reaper,
		      p->reaped ? p->reaper_tgid : -1);
		jw_end_object(w);
	}
	jw_end_array(w);
}

/**
 * story_json() - the story as one JSON object (a line) on standard output
 * @st: the story
 */
void story_json(const struct story *st)
{
	const struct sproc *p = &st->db->v[st->sp];
	struct jw w;
	char key[64];
	size_t i;

	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_int_field(&w, "pid", p->tgid);
	jw_comm_field(&w, "comm", p->comm);
	jw_string_field(&w, "key", sp_key(p, key, sizeof(key)));
	jw_num_field(&w, "start_ns", p->start);
	jw_name(&w, "incarnations");
	jw_start_array(&w);
	for (i = 0; i < st->ninc; i++)
		jw_string(&w, sp_key(&st->db->v[st->inc[i]], key, sizeof(key)));
	jw_end_array(&w);
	birth(&w, st, p);
	records(&w, st, false);
	records(&w, st, true);
	adoptions(&w, st);
	death(&w, st, p);
	jw_string_field(&w, "state", state_of(st, p));
	ancestors(&w, st);
	descendants(&w, st);
	jw_end_object(&w);
}
