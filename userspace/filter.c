// SPDX-License-Identifier: GPL-2.0
/*
 * -p/-c/-e record selection.
 *
 * -p follows the fork records: a process is in the set when its creator or
 * its parent at fork was.  A fork of an untracked creator that reuses a
 * tracked pid takes that pid out of the set again, and so does its reap
 * (the table is pruned as they add up, so it holds the live processes
 * only).
 */
#include <string.h>
#include "filter.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->pid = -1;
}

void filter_free(struct filter *f)
{
	pidmap_free(&f->procs);
}

static void track(struct filter *f, long long tgid, bool on)
{
	struct pid_info *e;

	e = on ? pidmap_add(&f->procs, tgid) : pidmap_get(&f->procs, tgid);
	if (!e)
		return;
	if (on)
		e->flags |= FILTER_TRACKED;
	else
		e->flags &= ~FILTER_TRACKED;
}

int filter_set_pid(struct filter *f, long long pid)
{
	struct pid_info *e;

	if (f->npids == FILTER_MAX)
		return -1;
	if (f->pid < 0)
		f->pid = pid;
	f->npids++;
	track(f, pid, true);
	e = pidmap_get(&f->procs, pid);
	if (e)
		e->flags |= FILTER_ROOT;
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

static void follow_fork(struct filter *f, const struct lc_entry *r)
{
	bool from_tracked;

	if (r->fork.thread == 1)
		return;
	from_tracked = filter_tracks(f, r->fork.creator_tgid) ||
		       filter_tracks(f, r->ppid);
	if (is_root(f, r->tgid))
		return;		/* a root stays, whoever forked it */
	if (from_tracked || filter_tracks(f, r->tgid))
		track(f, r->tgid, from_tracked);
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

	if (!f->npids || r->type != LC_EV_REAP || r->pid != r->tgid)
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
	if (f->npids && !is_root(f, r->pid) && !filter_tracks(f, r->tgid))
		return false;
	return true;
}
