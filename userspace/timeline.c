// SPDX-License-Identifier: GPL-2.0
/*
 * Records as aligned lines with their details in plain words:
 *
 *      TIME(s) EVENT    PID     PPID    COMM             DETAILS
 *        0.000 fork     4170    4169    bash             child 4170 of 4169
 *        0.004 exit     4170    4169    ls               exit code 3; ...
 *
 * Batch output is two-pass, so an exit line can tell how its zombie ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "describe.h"
#include "timeline.h"

static const char *const ev_color[LC_EV_COUNT] = {
	[LC_EV_FORK] = "\033[32m", [LC_EV_EXEC] = "\033[36m",
	[LC_EV_EXIT] = "\033[31m", [LC_EV_REAP] = "\033[35m",
	[LC_EV_REPARENT] = "\033[33m", [LC_EV_STOP] = "\033[34m",
	[LC_EV_CONT] = "\033[34m", [LC_EV_SIGNAL] = "\033[33m",
	[LC_EV_LOST] = "\033[1;31m",
};

void tl_init(struct tl *t, FILE *out, bool color, bool utf8)
{
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->color = color;
	t->utf8 = utf8;
	t->t0 = LC_NONE;
}

void tl_free(struct tl *t)
{
	pidmap_free(&t->names);
}

/* first pass: learn a comm for every tgid, from the creator of a fork too */
static void tl_learn(struct tl *t, const struct lc_record *r)
{
	struct pid_info *e;

	if (r->type == LC_EV_LOST)
		return;
	e = pidmap_add(&t->names, r->tgid);
	if (e && !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
	if (r->type != LC_EV_FORK || r->fork.creator_tgid == LC_NONE)
		return;
	e = pidmap_add(&t->names, r->fork.creator_tgid);
	if (e && !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
}

void tl_note(struct tl *t, const struct lc_record *r)
{
	struct pid_info *e;

	if (r->type == LC_EV_LOST)
		return;
	e = pidmap_add(&t->names, r->tgid);
	if (!e)
		return;
	if (r->type == LC_EV_FORK && r->fork.thread != 1) {
		e->flags = 0;	/* a new process, perhaps on a reused pid */
		e->parent = r->ppid;
	}
	if (r->pid == r->tgid || !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
	if (r->type == LC_EV_EXIT && r->exit.group_dead == 1)
		e->flags |= SEEN_EXIT;
}

static void header(struct tl *t)
{
	fprintf(t->out, "%10s %-8s %-7s %-7s %-16s %s\n", "TIME(s)", "EVENT",
		"PID", "PPID", "COMM", "DETAILS");
	t->header_done = true;
}

/* seconds.milliseconds since the first printed record */
static void print_time(struct tl *t, long long ts)
{
	char buf[32];
	long long d;

	if (t->t0 == LC_NONE)
		t->t0 = ts;
	d = ts - t->t0;
	snprintf(buf, sizeof(buf), "%s%lld.%03lld", d < 0 ? "-" : "",
		 (d < 0 ? -d : d) / 1000000000, (d < 0 ? -d : d) / 1000000 % 1000);
	fprintf(t->out, "%10s ", buf);
}

void tl_print(struct tl *t, const struct lc_record *r,
	      const struct lc_record *reap)
{
	struct sb comm = { .len = 0 }, details = { .len = 0 };
	const char *col = t->color ? ev_color[r->type] : NULL;

	if (!t->header_done)
		header(t);
	describe(t, r, reap, &details);
	sb_safe(&comm, r->comm, false);
	print_time(t, r->ts_ns);
	fprintf(t->out, "%s%-8s%s %-7lld %-7lld %-16s %s\n", col ? col : "",
		lc_event_name(r->type), col ? "\033[0m" : "", r->pid, r->ppid,
		comm.buf, details.buf);
}

/* join[i]: index of the reap record that ends exit record i, or -1 */
static long *join_reaps(const struct lc_record *recs, const bool *show,
			size_t n)
{
	struct pidmap open = { 0 };
	struct pid_info *e;
	long *join = malloc(n * sizeof(*join) + 1);
	size_t i;

	for (i = 0; join && i < n; i++) {
		join[i] = -1;
		if (!show[i] || recs[i].type == LC_EV_LOST)
			continue;
		if (recs[i].type == LC_EV_EXIT) {
			e = pidmap_add(&open, recs[i].pid);
			if (e)
				e->idx = i;
		} else if (recs[i].type == LC_EV_REAP) {
			e = pidmap_get(&open, recs[i].pid);
			if (e && e->idx >= 0)
				join[e->idx] = i;
			if (e)
				e->idx = -1;
		}
	}
	pidmap_free(&open);
	return join;
}

void tl_print_all(struct tl *t, const struct lc_record *recs,
		  const bool *show, size_t n)
{
	long *join = join_reaps(recs, show, n);
	bool *joined = calloc(n + 1, sizeof(*joined));
	size_t i;

	for (i = 0; join && joined && i < n; i++)
		if (join[i] >= 0)
			joined[join[i]] = true;
	for (i = 0; i < n; i++)
		tl_learn(t, &recs[i]);
	for (i = 0; i < n; i++) {
		tl_note(t, &recs[i]);
		if (!show[i] || (joined && joined[i]))
			continue;
		tl_print(t, &recs[i],
			 join && join[i] >= 0 ? &recs[join[i]] : NULL);
	}
	free(join);
	free(joined);
}
