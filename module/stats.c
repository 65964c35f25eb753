// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - per-CPU counters and their names.
 */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include "stats.h"

DEFINE_PER_CPU(struct lc_counters, lc_counters);

#define EV(e, name) \
	[LC_CNT_EVENTS_FIRST + (e)] = "events_" name

static const char *const counter_names[] = {
	EV(LC_EV_FORK, "fork"),
	EV(LC_EV_EXEC, "exec"),
	EV(LC_EV_EXIT, "exit"),
	EV(LC_EV_REAP, "reap"),
	EV(LC_EV_REPARENT, "reparent"),
	EV(LC_EV_STOP, "stop"),
	EV(LC_EV_CONT, "cont"),
	EV(LC_EV_SIGNAL, "signal"),
	EV(LC_EV_SETSID, "setsid"),
	EV(LC_EV_SETPGID, "setpgid"),
	EV(LC_EV_STATE, "state"),
	EV(LC_EV_LOST, "lost"),
	[LC_CNT_RECORDED] = "recorded",
	[LC_CNT_FILTERED] = "filtered",
	[LC_CNT_LOST_READERS] = "lost_reports",
	[LC_CNT_LINEAGE_ADDED] = "lineage_added",
	[LC_CNT_LINEAGE_EVICTED] = "lineage_evictions",
	[LC_CNT_LINEAGE_FULL] = "lineage_full",
	[LC_CNT_LINEAGE_MISSING] = "lineage_missing",
	[LC_CNT_ARGV_FAULTS] = "argv_faults",
	[LC_CNT_TRACK_FULL] = "track_full",
	[LC_CNT_BAD_INPUT] = "bad_input",
};

static_assert(ARRAY_SIZE(counter_names) == LC_CNT_COUNT);

/**
 * lc_counter_sum() - a counter's total over all CPUs
 * @c: the counter
 *
 * Return: the sum; racy against writers, which is fine for statistics.
 */
u64 lc_counter_sum(enum lc_counter c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(lc_counters.c[c], cpu);
	return sum;
}

/**
 * lc_counter_name() - a counter's name in debugfs stats
 * @c: the counter
 *
 * Return: the name.
 */
const char *lc_counter_name(enum lc_counter c)
{
	return counter_names[c];
}

/**
 * lc_counters_clear() - zero every counter
 */
void lc_counters_clear(void)
{
	int cpu, c;

	for_each_possible_cpu(cpu)
		for (c = 0; c < LC_CNT_COUNT; c++)
			per_cpu(lc_counters.c[c], cpu) = 0;
}
