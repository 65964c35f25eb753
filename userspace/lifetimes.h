/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log as processes with lifetimes, for the pictures (chart.c,
 * perfetto.c): each process once, named by (tgid, start), with its fork,
 * exit and reap, and the marks of its life (exec, stop, signal, setsid,
 * setpgid, reparent) in record order.
 *
 * A process is told apart from an earlier one with the same tgid by its
 * start_ns, or, in recordings without it, by a new fork record.  A
 * process the log names only as a peer (a creator, reaper, adopter or old
 * parent) gets a row too, with what is known of it.
 */
#ifndef LC_LIFETIMES_H
#define LC_LIFETIMES_H

#include <stdbool.h>
#include "parse.h"
#include "pidmap.h"

struct lt_proc {
	long long tgid;
	long long start;	/* start_ns, or LC_NONE */
	long long first_ts;	/* the first record naming it */
	long long fork_ts, fork_seq;	/* LC_NONE: not seen */
	long long exit_ts, exit_seq, status;
	long long reap_ts, reap_seq, zombie_ns;
	const char *how;	/* reap how, or NULL */
	int creator, reaper;	/* process indices, or -1 */
	int parent;		/* the parent at fork, or -1 */
	long open_stop;		/* its stop mark awaiting a cont, or -1 */
	bool comm_known;
	char comm[LC_COMM_LEN];	/* at fork (or the first seen) */
	char last_comm[LC_COMM_LEN];
};

struct lt_mark {
	int proc;
	int peer, peer2;	/* signal: sender; reparent: old, new parent */
	enum lc_event_type type;	/* exec, stop, signal, setsid, setpgid,
					 * reparent
					 */
	long long seq, ts;
	long long end, end_seq;	/* stop: the cont, or LC_NONE */
	long long a, b;		/* signal: signo, group; setsid: sid;
				 * setpgid: pgid, old pgid; reparent: zombie;
				 * stop: signal, ptrace
				 */
	const char *s;		/* signal result, reparent reason */
	char name[LC_COMM_LEN];	/* exec: comm after it */
	char *file;		/* exec: the file name */
};

struct lifetimes {
	struct lt_proc *p;
	size_t n, cap;
	struct lt_mark *m;
	size_t nm, mcap;
	struct pidmap cur;	/* tgid -> index of its newest process */
	long long t0, t1;	/* first and last record time, or LC_NONE */
	long long seq0, seq1;	/* first and last record seq, or LC_NONE */
	unsigned long records;
};

void lt_init(struct lifetimes *s);
void lt_free(struct lifetimes *s);
/* one record (in log order): 0, or -1 when out of memory */
int lt_add(struct lifetimes *s, const struct lc_entry *r);
/* "tgid@start" (start: start_ns, the fork time, or "-") into buf */
const char *lt_key(const struct lifetimes *s, int i, char *buf, size_t len);

/*
 * The processes in tree order: each after its creator, siblings by
 * creation.  order[] gets n indices, depth[] each one's depth (from 0).
 * Returns 0, or -1 when out of memory.
 */
int lt_order(const struct lifetimes *s, int *order, int *depth);

/*
 * Read the log (o->input, live or a recording, a --rotate directory too)
 * into s, with o's -p filter.  Returns 0, 1 when damaged spots were
 * skipped, or -1 after an error message.
 */
struct opts;
int lt_read(struct lifetimes *s, struct opts *o);

/* chart.c, perfetto.c: the story on stdout; 0, or -1 after a message */
int chart_write(const struct lifetimes *s);
int perfetto_write(const struct lifetimes *s);

#endif /* LC_LIFETIMES_H */
