// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle story PID" in words:
 *
 *   story of 156 (python3), key 156@9456482499
 *       TIME(s)  EVENT     DETAILS
 *   9.456482     born      child of 155@9450601539 (python3), ...
 *   ...
 *   ancestors at birth:
 *     155@9450601539 python3
 *   descendants (by creation):
 *     none
 *
 * TIME is seconds since boot, the clock of the keys.  A record's details
 * are the timeline's words (describe.c), except for those about other
 * processes, which name them by key.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "clonefl.h"
#include "describe.h"
#include "signames.h"
#include "story.h"

struct out {
	const struct story *st;
	struct tl t;		/* for describe(): no names, no colours */
};

static void put_line(long long ts, const char *ev, struct sb *d)
{
	if (ts == LC_NONE)
		printf("%15s  %-9s %s\n", "-", ev, d->buf);
	else
		printf("%8lld.%06lld  %-9s %s\n", ts / 1000000000,
		       ts / 1000 % 1000000, ev, d->buf);
}

/* "155@9450601539 (python3)", or "155 (python3)" when its start is unknown */
static void who(struct out *o, struct sb *b, int sp, long long tgid)
{
	const struct sproc *p;
	char key[48];

	if (sp == SP_NONE) {
		sb_add(b, "%lld", tgid);
		return;
	}
	p = &o->st->db->v[sp];
	if (sp_key_start(p) == LC_NONE)
		sb_add(b, "%d", p->tgid);
	else
		sb_add(b, "%s", sp_key(p, key, sizeof(key)));
	if (!p->comm[0])
		return;
	sb_add(b, " (");
	sb_safe(b, p->comm, false);
	sb_add(b, ")");
}

static void status_words(struct sb *b, const struct sproc *p)
{
	long long code, sig;
	char name[32];
	bool core;

	sp_status(p, &code, &sig, &core);
	if (sig != LC_NONE)
		sb_add(b, "killed by signal %lld (%s)", sig,
		       sig_format(name, sizeof(name), sig));
	else if (code != LC_NONE)
		sb_add(b, "exit code %lld", code);
	else
		sb_add(b, "exit status unknown");
	if (core)
		sb_add(b, ", core dumped");
}

/* how a process ended, or that it did not (yet) */
static void fate(struct out *o, struct sb *b, const struct sproc *p)
{
	if (!p->exited) {
		if (o->st->live && p->state && p->state != 'X' &&
		    p->state != 'Z')
			sb_add(b, "alive (state %c)", p->state);
		else
			sb_add(b, "no exit seen");
		return;
	}
	status_words(b, p);
	if (!p->reaped) {
		sb_add(b, ", not reaped");
	} else if (p->how && !strcmp(p->how, "autoreap")) {
		sb_add(b, ", autoreaped");
	} else if (p->reaper != SP_NONE) {
		sb_add(b, ", reaped by ");
		who(o, b, p->reaper, p->reaper_tgid);
	} else {
		sb_add(b, ", reaped");
	}
}

static void born(struct out *o, const struct sproc *p)
{
	struct sb d = { .utf8 = o->st->utf8 };
	char flags[512];

	if (p->fork_ts == LC_NONE) {
		sb_add(&d, "before the log");
		if (p->creator_tgid >= 0) {
			sb_add(&d, ": created by ");
			who(o, &d, p->creator, p->creator_tgid);
		}
		if (p->parent >= 0 && p->parent != p->creator_tgid)
			sb_add(&d, ", real parent %d", p->parent);
		put_line(p->start, "born", &d);
		return;
	}
	sb_add(&d, "child of ");
	who(o, &d, p->parent_sp, p->parent);
	if (p->creator_tgid != p->parent) {
		sb_add(&d, ", created by ");
		who(o, &d, p->creator, p->creator_tgid);
	}
	if (p->creator_pid != p->creator_tgid && p->creator_pid >= 0)
		sb_add(&d, "%sthread %d", p->creator_tgid != p->parent ?
		       " in its " : ", created by thread ", p->creator_pid);
	if (p->clone_flags != LC_NONE)
		sb_add(&d, "; clone flags %s",
		       clone_format(flags, sizeof(flags), p->clone_flags));
	put_line(p->fork_ts, "born", &d);
}

static void exited(struct out *o, const struct sproc *p, long long ts)
{
	struct sb d = { .utf8 = o->st->utf8 };
	long long life = sp_lifetime(p);

	status_words(&d, p);
	if (life != LC_NONE) {
		sb_add(&d, "; lived ");
		sb_dur(&d, life);
	}
	put_line(ts, "exit", &d);
}

static void reaped(struct out *o, const struct sproc *p, long long ts)
{
	struct sb d = { .utf8 = o->st->utf8 };
	long long z = p->zombie_ns;

	if (p->how && !strcmp(p->how, "autoreap")) {
		sb_add(&d, "autoreaped (nobody waited)");
	} else if (p->reaper != SP_NONE) {
		sb_add(&d, "by ");
		who(o, &d, p->reaper, p->reaper_tgid);
		if (p->how)
			sb_add(&d, " [%s]", p->how);
	} else {
		sb_add(&d, "by an unknown reaper");
	}
	if (z == LC_NONE && p->exit_ts != LC_NONE && p->reap_ts != LC_NONE)
		z = p->reap_ts - p->exit_ts;
	if (z != LC_NONE) {
		sb_add(&d, "; zombie ");
		sb_dur(&d, z);
	}
	put_line(ts, "reaped", &d);
}

static void adopted(struct out *o, const struct lc_entry *r, int by)
{
	struct sb d = { .utf8 = o->st->utf8 };
	const struct story_db *db = o->st->db;
	const struct sproc *p = &db->v[o->st->sp];

	sb_add(&d, "by ");
	who(o, &d, by, r->reparent.new_ppid);
	sb_add(&d, " [%s]; left ", r->reparent.reason ?
	       r->reparent.reason : "?");
	if (r->reparent.old_ppid == p->parent && p->parent_sp != SP_NONE) {
		who(o, &d, p->parent_sp, p->parent);
		if (db->v[p->parent_sp].exited &&
		    db->v[p->parent_sp].exit_ts <= r->ts_ns)
			sb_add(&d, ", which had exited");
	} else {
		sb_add(&d, "%lld", r->reparent.old_ppid);
	}
	if (r->reparent.zombie == 1)
		sb_add(&d, "; already a zombie");
	put_line(r->ts_ns, "adopted", &d);
}

/* a signal it received (other: the sender) or sent (other: to whom) */
static void signal_line(struct out *o, const struct lc_entry *r, int other,
			bool sent)
{
	struct sb d = { .utf8 = o->st->utf8 };
	char name[32];

	sb_add(&d, "%s ", sig_format(name, sizeof(name), r->sig.signal));
	if (sent) {
		sb_add(&d, "to %s", r->sig.group == 1 ? "the group of " : "");
		who(o, &d, other, r->tgid);
	} else if (r->sig.sender_pid == LC_NONE || r->sig.sender_pid <= 0) {
		sb_add(&d, "from the kernel");
	} else {
		sb_add(&d, "from ");
		who(o, &d, other, r->sig.sender_tgid);
	}
	if (!sent && r->sig.group == 1)
		sb_add(&d, " to the group");
	sb_add(&d, ": %s", r->sig.result ? r->sig.result : "?");
	put_line(r->ts_ns, sent ? "sent" : "signal", &d);
}

/* one kept record; returns what it told of the end (1 exit, 2 reap) */
static int record_line(struct out *o, const struct lc_entry *r,
		       const struct skept *k)
{
	const struct sproc *p = &o->st->db->v[o->st->sp];
	struct sb d = { .utf8 = o->st->utf8 };

	switch (r->type) {
	case LC_EV_FORK:
		if (r->fork.thread != 1)	/* its birth, told already */
			return 0;
		break;
	case LC_EV_EXIT:
		if (r->exit.group_dead != 1)
			break;
		exited(o, p, r->ts_ns);
		return 1;
	case LC_EV_REAP:
		if (r->pid != r->tgid)
			return 0;	/* a thread's */
		reaped(o, p, r->ts_ns);
		return 2;
	case LC_EV_REPARENT:
		adopted(o, r, k->other);
		return 0;
	case LC_EV_SIGNAL:
		signal_line(o, r, k->other, k->sent);
		return 0;
	case LC_EV_LOST:
		sb_add(&d, "%lld records lost here: the story may miss some",
		       r->lost.count);
		put_line(r->ts_ns, "lost", &d);
		return 0;
	default:
		break;
	}
	describe(&o->t, r, NULL, &d);
	put_line(r->ts_ns, r->type == LC_EV_FORK ? "thread" :
		 lc_event_name(r->type), &d);
	return 0;
}

/* a lost record tells about the process when it came in its life */
static bool in_life(const struct sproc *p, long long ts)
{
	long long b = sp_birth(p);

	return ts >= (b == LLONG_MIN ? p->first_ts : b) &&
	       (!p->reaped || p->reap_ts == LC_NONE || ts <= p->reap_ts);
}

static void events(struct out *o)
{
	const struct story_db *db = o->st->db;
	const struct sproc *p = &db->v[o->st->sp];
	struct sb d = { .utf8 = o->st->utf8 };
	int told = 0;
	size_t i;

	printf("%15s  %-9s %s\n", "TIME(s)", "EVENT", "DETAILS");
	born(o, p);
	for (i = 0; i < db->recs.n; i++) {
		if (db->kept[i].sp == SP_NONE ?
		    !in_life(p, db->recs.v[i].ts_ns) :
		    db->kept[i].sp != o->st->sp)
			continue;
		told |= record_line(o, &db->recs.v[i], &db->kept[i]);
	}
	/* what only the lineage table told */
	if (p->exited && !(told & 1))
		exited(o, p, p->exit_ts);
	if (p->reaped && !(told & 2))
		reaped(o, p, p->reap_ts);
	if (p->exited)
		return;
	fate(o, &d, p);
	put_line(LC_NONE, "now", &d);
}

static void incarnations(struct out *o)
{
	const struct story *st = o->st;
	struct sb d = { .utf8 = st->utf8 };
	char key[48];
	size_t i;

	if (st->ninc < 2)
		return;
	sb_add(&d, "pid %d was %zu processes here:", st->db->v[st->sp].tgid,
	       st->ninc);
	for (i = 0; i < st->ninc; i++) {
		sb_add(&d, "%s %s", i ? "," : "",
		       sp_key(&st->db->v[st->inc[i]], key, sizeof(key)));
		if (st->db->v[st->inc[i]].comm[0]) {
			sb_add(&d, " (");
			sb_safe(&d, st->db->v[st->inc[i]].comm, false);
			sb_add(&d, ")");
		}
		if (st->inc[i] == st->sp)
			sb_add(&d, " [this story]");
	}
	printf("%s\n(lifecycle story PID@START tells another)\n", d.buf);
}

static void tell_ancestors(struct out *o)
{
	const struct story_db *db = o->st->db;
	const struct sproc *p = &db->v[o->st->sp];
	bool complete = p->creator_tgid == 0 || p->tgid == 1;
	struct sb d = { .utf8 = o->st->utf8 };
	size_t steps = 0;
	int c = p->creator;

	printf("ancestors at birth:\n");
	if (complete)
		printf("  none: the kernel made it\n");
	while (!complete && c != SP_NONE && steps++ < db->n) {
		d.len = 0;
		d.buf[0] = '\0';
		who(o, &d, c, db->v[c].tgid);
		printf("  %s\n", d.buf);
		p = &db->v[c];
		complete = p->tgid == 1 || p->creator_tgid == 0;
		c = p->creator;
	}
	if (complete)
		return;
	if (p == &db->v[o->st->sp])
		printf("  not known: the log begins after its birth\n");
	else
		printf("  (the log's edge: %d's creator is not known)\n",
		       p->tgid);
}

static void tell_descendants(struct out *o)
{
	const struct story *st = o->st;
	const struct sproc *p;
	struct sb d = { .utf8 = st->utf8 };
	size_t i;

	printf("descendants (by creation):\n");
	if (!st->ndesc)
		printf("  none\n");
	for (i = 0; i < st->ndesc && !out_error(); i++) {
		p = &st->db->v[st->desc[i].sp];
		d.len = 0;
		d.buf[0] = '\0';
		who(o, &d, st->desc[i].sp, p->tgid);
		sb_add(&d, ": ");
		fate(o, &d, p);
		if (p->nadopt && p->adopter != SP_NONE) {
			sb_add(&d, "; adopted away by ");
			who(o, &d, p->adopter, -1);
		} else if (p->nadopt) {
			sb_add(&d, "; adopted away");
		}
		printf("%*s%s\n", 2 * st->desc[i].depth, "", d.buf);
	}
}

/**
 * story_text() - tell the story in words on standard output
 * @st: the story
 */
void story_text(const struct story *st)
{
	struct out o = { .st = st };
	struct sb d = { .utf8 = st->utf8 };
	char key[48];

	tl_init(&o.t, stdout, false, st->utf8);
	sb_safe(&d, st->db->v[st->sp].comm, false);
	printf("story of %d (%s), key %s\n", st->db->v[st->sp].tgid, d.buf,
	       sp_key(&st->db->v[st->sp], key, sizeof(key)));
	incarnations(&o);
	events(&o);
	tell_ancestors(&o);
	tell_descendants(&o);
	tl_free(&o.t);
}
