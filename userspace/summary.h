/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "lifecycle summary": what a log holds, in a few lists.  Internal to
 * summary.c (the command), sumdb.c (the records, one by one, into counts,
 * a table of the live processes and bounded lists) and sumout.c,
 * sumjson.c (the summary in words and as JSON).
 *
 * Memory does not grow with the log: the processes are kept while they
 * live (at most SUM_PROCS_MAX at once; a reaped process is dropped), the
 * comms up to SUM_COMMS_MAX, the longest zombies and the shortest and
 * longest lives in top-SUM_TOP lists, the adoptions and the signal deaths
 * up to SUM_LIST_MAX each (the rest are counted).
 */
#ifndef LC_SUMMARY_H
#define LC_SUMMARY_H

#include <stdbool.h>
#include "filter.h"
#include "lineage.h"
#include "parse.h"

#define SUM_TOP		10
#define SUM_LIST_MAX	1000
#define SUM_PROCS_MAX	(1 << 18)	/* 262144 live processes */
#define SUM_COMMS_MAX	4096

/* one live process (the newest incarnation of its tgid) */
struct sum_proc {
	int tgid;		/* 0: a free slot */
	int parent;		/* its real parent's tgid, as last seen */
	long long start;	/* start_ns, or LC_NONE */
	long long parent_start;	/* the parent's start_ns, or LC_NONE */
	long long fork_ts;	/* its fork record's ts, or LC_NONE */
	long long exit_ts;	/* its group_dead exit's, or LC_NONE */
	bool born;		/* its birth is in the log */
	bool exit_shown;	/* its exit record was selected */
	/* the last fatal-by-default signal sent to it, for a signal death */
	int kill_sig;		/* 0: none */
	int killer_pid, killer_tgid;
	long long killer_start;
	char killer_comm[LC_COMM_LEN];
	char comm[LC_COMM_LEN];
};

/* one row of a list: a process, and the one that acted on it */
struct sum_row {
	long long seq, ts;	/* the record's */
	long long pid, start;	/* the process (start LC_NONE: unknown) */
	long long value;	/* zombie_ns, lifetime_ns; or LC_NONE */
	/* the reaper, new parent, sender or parent; pid LC_NONE: none */
	long long peer, peer_tgid, peer_start;
	/* the old parent of an adoption */
	long long old, old_start;
	long long sig, core, zombie;	/* LC_NONE when not told */
	const char *word;	/* reap how, adoption reason */
	char comm[LC_COMM_LEN];
	char peer_comm[LC_COMM_LEN];	/* "" unknown */
	char old_comm[LC_COMM_LEN];
};

/* the SUM_TOP rows with the largest (or smallest) value, best first */
struct sum_top {
	bool smallest;
	int n;
	struct sum_row v[SUM_TOP];
};

/* rows in the order they came, the first SUM_LIST_MAX; total counts all */
struct sum_list {
	struct sum_row *v;
	size_t n, cap;
	unsigned long long total;
};

struct sum_comm {
	char comm[LC_COMM_LEN];	/* "" a free slot */
	unsigned long long total;
	unsigned long long ev[LC_EV_COUNT];
};

struct summary {
	struct filter *filter;	/* -p, -c, -e; NULL: every record */
	unsigned long long records;	/* read */
	unsigned long long shown;	/* selected by the filter */
	unsigned long long ev[LC_EV_COUNT];	/* selected, by event */
	unsigned long long lost;	/* records the lost records stand for */
	long long first_ts, last_ts;	/* of every record read; LC_NONE */
	long long first_seq, last_seq;
	char boot_id[37];
	/* the live processes, by tgid (linear probing) */
	struct sum_proc *procs;
	size_t procs_cap, nprocs;
	unsigned long long untracked;	/* processes the table had no room for */
	/* the comms of the selected records */
	struct sum_comm *comms;
	size_t comms_cap, ncomms;
	struct sum_comm **order;	/* sum_end(): the comms, sorted */
	struct sum_comm comm_other;	/* the records of the comms beyond */
	struct sum_top zombies;		/* the longest exit-to-reap */
	struct sum_top shortest, longest;	/* lifetimes */
	unsigned long long lives;	/* lifetimes measured */
	unsigned long long unborn;	/* exits left out: birth not in the log */
	struct sum_list orphans;	/* reparent records */
	struct sum_list deaths;		/* exits by a signal */
	struct sum_list unreaped;	/* filled by sum_end() */
	bool oom;
};

/* sumdb.c */
/* 0, or -1 when out of memory */
int sum_init(struct summary *s, struct filter *f);
void sum_free(struct summary *s);
/* one record, in log order; 0, or -1 when out of memory */
int sum_add(struct summary *s, const struct lc_entry *r);
/*
 * At the end: the zombies never reaped into s->unreaped (oldest exit
 * first), names the log lacks taken from the lineage table l (may be
 * NULL), the comms sorted.  0, or -1 when out of memory.
 */
int sum_end(struct summary *s, const struct lineage *l);
/* the comms, most records first, then by name; NULL when none */
const struct sum_comm *sum_comm_at(const struct summary *s, size_t i);

/* sumout.c: the summary in words */
void summary_text(const struct summary *s, bool utf8);
/* sumjson.c: the summary as one JSON object on one line */
void summary_json(const struct summary *s);

#endif /* LC_SUMMARY_H */
