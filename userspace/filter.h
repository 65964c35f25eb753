/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_FILTER_H
#define LC_FILTER_H

#include <stdbool.h>
#include "parse.h"
#include "pidmap.h"

#define FILTER_TRACKED	1u

struct filter {
	long long pid;		/* -p: this process and descendants, or -1 */
	const char *comm;	/* -c, or NULL */
	unsigned int events;	/* -e: bit per enum lc_event_type, 0 = all */
	struct pidmap procs;	/* tgids descending from pid */
};

void filter_init(struct filter *f);
void filter_free(struct filter *f);
void filter_set_pid(struct filter *f, long long pid);
/* parse a comma list of event names; -1 with *bad naming the culprit */
int filter_set_events(struct filter *f, char *list, const char **bad);
/*
 * Call for every record, in order: fork records extend the -p set, so
 * descendants are followed even when they reparent away.
 */
bool filter_match(struct filter *f, const struct lc_record *r);
bool filter_tracks(const struct filter *f, long long tgid);

#endif /* LC_FILTER_H */
