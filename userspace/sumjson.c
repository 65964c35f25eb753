// SPDX-License-Identifier: GPL-2.0
/*
 * The summary as one JSON object on one line; its keys are the reader's
 * contract, listed in lifecycle(1).  Unknown values are null; a comm that
 * is not valid UTF-8 is followed by KEY_b64, its bytes in base64, as in
 * the records' JSON.
 */
#include <stdio.h>
#include "jsonw.h"
#include "signames.h"
#include "summary.h"

/* a comm, null when empty (not known) */
static void comm(struct jw *w, const char *key, const char *s)
{
	if (s[0])
		jw_comm_field(w, key, s);
	else
		jw_null_field(w, key);
}

static void word(struct jw *w, const char *key, const char *s)
{
	if (s)
		jw_string_field(w, key, s);
	else
		jw_null_field(w, key);
}

/* pid, start_ns, comm of the row's process */
static void who(struct jw *w, const struct sum_row *r)
{
	jw_int_field(w, "pid", r->pid);
	jw_num_field(w, "start_ns", r->start);
	comm(w, "comm", r->comm);
}

static void event_counts(struct jw *w, const unsigned long long *ev)
{
	int i;

	jw_start_object(w);
	for (i = 0; i < LC_EV_COUNT; i++)
		jw_int_field(w, lc_event_name(i), ev[i]);
	jw_end_object(w);
}

static void one_comm(struct jw *w, const struct sum_comm *c, const char *name)
{
	jw_start_object(w);
	if (name)
		comm(w, "comm", name);
	else
		jw_null_field(w, "comm");
	jw_int_field(w, "records", c->total);
	jw_name(w, "events");
	event_counts(w, c->ev);
	jw_end_object(w);
}

static void comms(struct jw *w, const struct summary *s)
{
	const struct sum_comm *c;
	size_t i;

	jw_name(w, "comms");
	jw_start_array(w);
	for (i = 0; (c = sum_comm_at(s, i)); i++)
		one_comm(w, c, c->comm);
	jw_end_array(w);
	jw_name(w, "comms_other");
	if (s->comm_other.total)
		one_comm(w, &s->comm_other, NULL);
	else
		jw_null(w);
}

static void zombies(struct jw *w, const struct summary *s)
{
	int i;

	jw_name(w, "longest_zombies");
	jw_start_array(w);
	for (i = 0; i < s->zombies.n; i++) {
		const struct sum_row *r = &s->zombies.v[i];

		jw_start_object(w);
		who(w, r);
		jw_int_field(w, "zombie_ns", r->value);
		jw_int_field(w, "reap_ts_ns", r->ts);
		jw_num_field(w, "reaper_pid", r->peer);
		jw_num_field(w, "reaper_start_ns", r->peer_start);
		comm(w, "reaper_comm", r->peer_comm);
		word(w, "how", r->word);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void unreaped(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_name(w, "unreaped");
	jw_start_array(w);
	for (i = 0; i < s->unreaped.n; i++) {
		const struct sum_row *r = &s->unreaped.v[i];

		jw_start_object(w);
		who(w, r);
		jw_int_field(w, "exit_ts_ns", r->ts);
		jw_int_field(w, "zombie_ns", r->value);
		jw_num_field(w, "ppid", r->peer);
		jw_num_field(w, "parent_start_ns", r->peer_start);
		comm(w, "parent_comm", r->peer_comm);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_int_field(w, "unreaped_total", s->unreaped.total);
}

static void orphans(struct jw *w, const struct summary *s)
{
	size_t i;

	jw_name(w, "orphans");
	jw_start_array(w);
	for (i = 0; i < s->orphans.n; i++) {
		const struct sum_row *r = &s->orphans.v[i];

		jw_start_object(w);
		who(w, r);
		jw_int_field(w, "ts_ns", r->ts);
		jw_num_field(w, "old_ppid", r->old);
		jw_num_field(w, "old_parent_start_ns", r->old_start);
		comm(w, "old_parent_comm", r->old_comm);
		jw_num_field(w, "new_ppid", r->peer);
		jw_num_field(w, "new_parent_start_ns", r->peer_start);
		comm(w, "new_parent_comm", r->peer_comm);
		word(w, "reason", r->word);
		if (r->zombie == LC_NONE)
			jw_null_field(w, "zombie");
		else
			jw_bool_field(w, "zombie", r->zombie == 1);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_int_field(w, "orphans_total", s->orphans.total);
}

static void deaths(struct jw *w, const struct summary *s)
{
	const char *name;
	size_t i;

	jw_name(w, "signal_deaths");
	jw_start_array(w);
	for (i = 0; i < s->deaths.n; i++) {
		const struct sum_row *r = &s->deaths.v[i];

		jw_start_object(w);
		who(w, r);
		jw_int_field(w, "ts_ns", r->ts);
		jw_int_field(w, "signal", r->sig);
		name = sig_name(r->sig);
		word(w, "signal_name", name);
		jw_bool_field(w, "core_dumped", r->core == 1);
		jw_num_field(w, "sender_pid", r->peer);
		jw_num_field(w, "sender_tgid", r->peer_tgid);
		jw_num_field(w, "sender_start_ns", r->peer_start);
		comm(w, "sender_comm", r->peer_comm);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_int_field(w, "signal_deaths_total", s->deaths.total);
}

static void lives(struct jw *w, const char *key, const struct sum_top *top)
{
	int i;

	jw_name(w, key);
	jw_start_array(w);
	for (i = 0; i < top->n; i++) {
		jw_start_object(w);
		who(w, &top->v[i]);
		jw_int_field(w, "lifetime_ns", top->v[i].value);
		jw_int_field(w, "exit_ts_ns", top->v[i].ts);
		jw_end_object(w);
	}
	jw_end_array(w);
}

/**
 * summary_json() - the summary as one JSON object on stdout
 * @s: the finished summary (sum_end())
 */
void summary_json(const struct summary *s)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_int_field(&w, "records", s->records);
	jw_int_field(&w, "selected", s->shown);
	jw_num_field(&w, "first_seq", s->first_seq);
	jw_num_field(&w, "last_seq", s->last_seq);
	jw_num_field(&w, "first_ts_ns", s->first_ts);
	jw_num_field(&w, "last_ts_ns", s->last_ts);
	if (s->boot_id[0])
		jw_string_field(&w, "boot_id", s->boot_id);
	else
		jw_null_field(&w, "boot_id");
	jw_int_field(&w, "lost", s->lost);
	jw_int_field(&w, "untracked", s->untracked);
	jw_name(&w, "events");
	event_counts(&w, s->ev);
	comms(&w, s);
	zombies(&w, s);
	unreaped(&w, s);
	orphans(&w, s);
	deaths(&w, s);
	lives(&w, "shortest_lives", &s->shortest);
	lives(&w, "longest_lives", &s->longest);
	jw_int_field(&w, "lifetimes", s->lives);
	jw_int_field(&w, "lifetimes_unknown", s->unborn);
	jw_end_object(&w);
}
