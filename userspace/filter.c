// SPDX-License-Identifier: GPL-2.0
/*
 * -p/-c/-e record selection.
 *
 * -p follows the fork records: a process is in the set when its creator or
 * its parent at fork was.  A fork of an untracked creator that reuses a
 * tracked pid takes that pid out of the set again.
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

void filter_set_pid(struct filter *f, long long pid)
{
	f->pid = pid;
	track(f, pid, true);
}

bool filter_tracks(const struct filter *f, long long tgid)
{
	const struct pid_info *e = pidmap_get(&f->procs, tgid);

	return e && (e->flags & FILTER_TRACKED);
}

int filter_set_events(struct filter *f, char *list, const char **bad)
{
	char *name, *save = NULL;
	int ev;

	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		ev = lc_event_lookup(name);
		if (ev < 0) {
			*bad = name;
			return -1;
		}
		f->events |= 1u << ev;
	}
	if (!f->events) {
		*bad = "";
		return -1;
	}
	return 0;
}

static void follow_fork(struct filter *f, const struct lc_record *r)
{
	bool from_tracked;

	if (r->fork.thread == 1)
		return;
	from_tracked = filter_tracks(f, r->fork.creator_tgid) ||
		       filter_tracks(f, r->ppid);
	if (r->tgid == f->pid)
		return;		/* the root stays, whoever forked it */
	if (from_tracked || filter_tracks(f, r->tgid))
		track(f, r->tgid, from_tracked);
}

bool filter_match(struct filter *f, const struct lc_record *r)
{
	if (f->pid >= 0 && r->type == LC_EV_FORK)
		follow_fork(f, r);
	if (f->events && !(f->events & (1u << r->type)))
		return false;
	if (r->type == LC_EV_LOST)
		return true;	/* a gap concerns every filter */
	if (f->comm && strcmp(f->comm, r->comm))
		return false;
	if (f->pid >= 0 && r->pid != f->pid && !filter_tracks(f, r->tgid))
		return false;
	return true;
}
