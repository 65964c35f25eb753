// SPDX-License-Identifier: GPL-2.0
/*
 * -p/--only/-c/-e record selection.
 *
 * -p follows the fork records: a process is in the set when its creator or
 * its parent at fork was.  A fork of an untracked creator that reuses a
 * tracked pid takes that pid out of the set again, and so does its reap
 * (the table is pruned as they add up, so it holds the live processes
 * only).  A tracked process keeps its start time when known (from its fork
 * record or the lineage table), so that a record of another process with
 * its pid is told apart.
 *
 * --only selects a process alone: the records whose subject it is.  It is
 * the first process with that pid in the input (its start latched from
 * its first record), up to its reap.
 */
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "lineage.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->pid = -1;
}

void filter_free(struct filter *f)
{
	pidmap_free(&f->procs);
}

static void track(struct filter *f, long long tgid, long long start,
		  bool on)
{
	struct pid_info *e;

	e = on ? pidmap_add(&f->procs, tgid) : pidmap_get(&f->procs, tgid);
	if (!e)
		return;
	if (on) {
		e->flags |= FILTER_TRACKED;
		e->start = start == LC_NONE ? -1 : start;
	} else {
		e->flags &= ~FILTER_TRACKED;
	}
}

int filter_set_pid(struct filter *f, long long pid)
{
	struct pid_info *e;

	if (f->npids == FILTER_MAX)
		return -1;
	if (f->pid < 0)
		f->pid = pid;
	f->npids++;
	track(f, pid, LC_NONE, true);
	e = pidmap_get(&f->procs, pid);
	if (e)
		e->flags |= FILTER_ROOT;
	return 0;
}

int filter_set_only(struct filter *f, long long pid)
{
	struct pid_info *e;

	if (f->nonly == FILTER_MAX)
		return -1;
	e = pidmap_add(&f->procs, pid);
	if (!e)
		return -1;
	e->flags |= FILTER_ONLY;
	f->only[f->nonly++] = pid;
	return 0;
}

static bool is_root(const struct filter *f, long long pid)
{
	const struct pid_info *e = pidmap_get(&f->procs, pid);

	return e && (e->flags & FILTER_ROOT);
}

/* split at commas; an empty item is refused: -1 with *bad set */
static int each_item(char *list, const char **bad,
		     int (*fn)(struct filter *f, char *item), struct filter *f)
{
	char *item = list, *comma;

	for (;;) {
		comma = strchr(item, ',');
		if (comma)
			*comma = '\0';
		if (!*item || fn(f, item)) {
			*bad = item;
			return -1;
		}
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

static int add_comm(struct filter *f, char *comm)
{
	if (f->ncomms == FILTER_MAX || strlen(comm) >= LC_COMM_LEN)
		return -1;
	f->comms[f->ncomms++] = comm;
	return 0;
}

/**
 * filter_add_comms() - -c: more comms to match
 * @f: the filter
 * @list: comma-separated names, split in place (kept as they are)
 * @bad: set to the name refused
 * @why: set to why
 *
 * Return: 0, or -1 for an empty name, one of 16 bytes or more (a comm
 * never has that many), or more than FILTER_MAX names.
 */
int filter_add_comms(struct filter *f, char *list, const char **bad,
		     const char **why)
{
	if (!each_item(list, bad, add_comm, f))
		return 0;
	if (!**bad)
		*why = "an empty name";
	else if (strlen(*bad) >= LC_COMM_LEN)
		*why = "longer than 15 bytes, the most a comm holds: it can never match";
	else
		*why = "too many names";
	return -1;
}

static int add_event(struct filter *f, char *name)
{
	int ev = lc_event_lookup(name);

	if (ev < 0)
		return -1;
	f->events |= 1u << ev;
	return 0;
}

bool filter_tracks(const struct filter *f, long long tgid)
{
	const struct pid_info *e = pidmap_get(&f->procs, tgid);

	return e && (e->flags & FILTER_TRACKED);
}

/* tracked, and the record's process is the tracked one (start times) */
static bool tracks_record(const struct filter *f, const struct lc_entry *r)
{
	const struct pid_info *e = pidmap_get(&f->procs, r->tgid);

	if (!e || !(e->flags & FILTER_TRACKED))
		return false;
	return e->start < 0 || r->start_ns == LC_NONE ||
	       e->start == r->start_ns;
}

/* --only: the record is the named process's own */
static bool only_match(struct filter *f, const struct lc_entry *r)
{
	struct pid_info *e = pidmap_get(&f->procs, r->tgid);

	if (!e || !(e->flags & FILTER_ONLY) || (e->flags & FILTER_GONE))
		return false;
	if (r->start_ns != LC_NONE) {
		if (e->start < 0)
			e->start = r->start_ns;
		else if (e->start != r->start_ns)
			return false;
	}
	if (r->type == LC_EV_REAP && r->pid == r->tgid)
		e->flags |= FILTER_GONE;
	return true;
}

int filter_set_events(struct filter *f, char *list, const char **bad)
{
	return each_item(list, bad, add_event, f);
}

static bool filter_test(struct filter *f, const struct lc_entry *r);

static bool comm_match(const struct filter *f, const char *comm)
{
	int i;

	for (i = 0; i < f->ncomms; i++)
		if (!strcmp(f->comms[i], comm))
			return true;
	return false;
}

static bool tracks_start(const struct filter *f, long long tgid,
			 long long start)
{
	const struct pid_info *e = pidmap_get(&f->procs, tgid);

	if (!e || !(e->flags & FILTER_TRACKED))
		return false;
	return e->start < 0 || start == LC_NONE || e->start == start;
}

static void follow_fork(struct filter *f, const struct lc_entry *r)
{
	bool from_tracked;

	if (r->fork.thread == 1)
		return;
	from_tracked = tracks_start(f, r->fork.creator_tgid,
				    r->fork.creator_start_ns) ||
		       tracks_start(f, r->ppid, r->parent_start_ns);
	if (is_root(f, r->tgid))
		return;		/* a root stays, whoever forked it */
	if (from_tracked || filter_tracks(f, r->tgid))
		track(f, r->tgid, r->start_ns, from_tracked);
}

static bool tracked_or_root(const struct pid_info *e, const void *arg)
{
	(void)arg;
	return e->flags != 0;
}

/* a reaped process forks no more: forget it once its reap is shown */
static void forget(struct filter *f, const struct lc_entry *r)
{
	struct pid_info *e = pidmap_get(&f->procs, r->tgid);

	if (!e || !(e->flags & FILTER_TRACKED) || (e->flags & FILTER_ROOT))
		return;
	e->flags &= ~FILTER_TRACKED;
	if (++f->reaped > 4096 && f->reaped > f->procs.n / 2) {
		pidmap_prune(&f->procs, tracked_or_root, NULL);
		f->reaped = 0;
	}
}

bool filter_match(struct filter *f, const struct lc_entry *r)
{
	bool ret;

	if (!f->npids && !f->nonly && !f->ncomms && !f->events)
		return true;	/* no filter: the usual case, per record */
	if (!f->npids || r->type != LC_EV_REAP || r->pid != r->tgid ||
	    !tracks_record(f, r))
		return filter_test(f, r);
	ret = filter_test(f, r);
	forget(f, r);
	return ret;
}

static bool filter_test(struct filter *f, const struct lc_entry *r)
{
	if (f->npids && r->type == LC_EV_FORK)
		follow_fork(f, r);
	if (f->events && !(f->events & (1u << r->type)))
		return false;
	if (r->type == LC_EV_LOST)
		return true;	/* a gap concerns every filter */
	if (f->ncomms && !comm_match(f, r->comm))
		return false;
	if (!f->npids && !f->nonly)
		return true;
	if (f->nonly && only_match(f, r))
		return true;
	return f->npids && (is_root(f, r->pid) || tracks_record(f, r));
}

static int cmp_birth(const void *a, const void *b, void *arg)
{
	const struct lineage *l = arg;
	const struct lin_node *x = &l->v[*(const size_t *)a];
	const struct lin_node *y = &l->v[*(const size_t *)b];

	if (x->birth != y->birth)
		return x->birth < y->birth ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * Walk the table in birth order: a process descends from a root when its
 * creator does, the creator being the newest process with its tgid born
 * before it (a pid reused earlier is not the creator).  The current
 * process of each tgid, newest, is kept in newest; marks say which
 * descend.
 */
static int seed_walk(struct filter *f, const struct lineage *l,
		     const size_t *order, bool *mark)
{
	struct pidmap newest = { 0 };
	const struct lin_node *e;
	struct pid_info *c, *m;
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		k = order[i];
		e = &l->v[k];
		c = pidmap_get(&newest, e->creator_tgid);
		mark[k] = (is_root(f, e->tgid) && e->state != 'X') ||
			  (c && c->idx >= 0 && mark[c->idx] &&
			   e->creator_tgid != e->tgid);
		m = pidmap_add(&newest, e->tgid);
		if (!m) {
			pidmap_free(&newest);
			return -1;
		}
		m->idx = k;
	}
	pidmap_free(&newest);
	return 0;
}

int filter_seed(struct filter *f, const struct lineage *l, long long since_ns)
{
	const struct lin_node *e;
	bool *mark = calloc(l->n + 1, sizeof(*mark));
	size_t *order = malloc((l->n + 1) * sizeof(*order));
	size_t i;
	int ret = -1;

	if (!mark || !order)
		goto out;
	for (i = 0; i < l->n; i++)
		order[i] = i;
	qsort_r(order, l->n, sizeof(*order), cmp_birth, (void *)l);
	if (seed_walk(f, l, order, mark))
		goto out;
	for (i = 0; i < l->n; i++) {
		e = &l->v[order[i]];
		if (!mark[order[i]] || is_root(f, e->tgid))
			continue;
		if (e->state == 'X' && (e->reap == LC_NONE || e->reap < since_ns))
			continue;
		track(f, e->tgid, e->birth, true);
	}
	ret = 0;
out:
	free(mark);
	free(order);
	return ret;
}
