/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - lifecycle's counters: an enum and a names table that cannot
 * drift (see stats.c), kept per CPU so the record path shares no line.
 */
#ifndef _LC_STATS_H
#define _LC_STATS_H

#include <linux/percpu.h>
#include <lifecycle.h>

enum lc_counter {
	/* One per enum lc_event_type, in the same order. */
	LC_CNT_EVENTS_FIRST,
	LC_CNT_EVENTS_LAST = LC_CNT_EVENTS_FIRST + LC_EV_COUNT - 1,
	LC_CNT_RECORDED,	/* records committed to the log */
	LC_CNT_FILTERED,	/* events dropped by the runtime event mask */
	LC_CNT_LOST_READERS,	/* times a reader was overtaken */
	LC_CNT_LINEAGE_ADDED,
	LC_CNT_LINEAGE_EVICTED,
	LC_CNT_LINEAGE_FULL,	/* no entry free, none evictable */
	LC_CNT_LINEAGE_MISSING,	/* an event for a process not in the table */
	LC_CNT_ARGV_FAULTS,	/* argv not readable without faulting */
	LC_CNT_TRACK_FULL,	/* state tracking table full */
	LC_CNT_BAD_INPUT,	/* rejected control writes */
	LC_CNT_COUNT,
};

struct lc_counters {
	u64 c[LC_CNT_COUNT];
};

DECLARE_PER_CPU(struct lc_counters, lc_counters);

static inline void lc_count(enum lc_counter c)
{
	this_cpu_inc(lc_counters.c[c]);
}

u64 lc_counter_sum(enum lc_counter c);
const char *lc_counter_name(enum lc_counter c);
void lc_counters_clear(void);

#endif /* _LC_STATS_H */
