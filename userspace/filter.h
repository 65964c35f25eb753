/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_FILTER_H
#define LC_FILTER_H

#include <stdbool.h>
#include "parse.h"
#include "pidmap.h"

#define FILTER_TRACKED	1u
#define FILTER_ROOT	2u	/* given with -p */
#define FILTER_ONLY	4u	/* given with --only */
#define FILTER_GONE	8u	/* --only: reaped, its pid free for others */
#define FILTER_MAX	64	/* -p, --only and -c values */

struct filter {
	long long pid;		/* the first -p, or -1 */
	int npids;		/* -p values */
	int nonly;		/* --only values */
	long long only[FILTER_MAX];
	int ncomms;		/* -c values */
	const char *comms[FILTER_MAX];
	unsigned int events;	/* -e: bit per enum lc_event_type, 0 = all */
	struct pidmap procs;	/* tgids descending from the -p pids */
	size_t reaped;		/* untracked on their reap since pruning */
};

void filter_init(struct filter *f);
void filter_free(struct filter *f);
/* one more -p pid: 0, or -1 when there are too many */
int filter_set_pid(struct filter *f, long long pid);
/* one more --only pid: 0, or -1 when there are too many */
int filter_set_only(struct filter *f, long long pid);
struct lineage;
/*
 * -p's descendants alive now (or reaped at since_ns or later), from the
 * lineage table's creator links: tracked as if their forks had been seen
 */
int filter_seed(struct filter *f, const struct lineage *l, long long since_ns);
/*
 * a comma list of comms (more with each -c); -1 with *bad naming the
 * culprit and *why saying what is wrong with it
 */
int filter_add_comms(struct filter *f, char *list, const char **bad,
		     const char **why);
/* parse a comma list of event names; -1 with *bad naming the culprit */
int filter_set_events(struct filter *f, char *list, const char **bad);
/*
 * Call for every record, in order: fork records extend the -p set, so
 * descendants are followed even when they reparent away.  A process is
 * its tgid and, when the records carry it, its start time: a record of a
 * reused pid (another start) is not a tracked process's.
 */
bool filter_match(struct filter *f, const struct lc_entry *r);
bool filter_tracks(const struct filter *f, long long tgid);

#endif /* LC_FILTER_H */
