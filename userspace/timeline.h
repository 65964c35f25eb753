/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_TIMELINE_H
#define LC_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>
#include "parse.h"
#include "pidmap.h"

/* a process's PID, PPID and COMM columns, as its last line had them */
struct tl_ids {
	long long pid, ppid;
	char comm[LC_COMM_LEN];
	unsigned int len;		/* of cols; 0 when empty */
	char cols[128];
};

#define TL_IDS		64		/* struct tl_ids slots, by pid */
#define TL_EV_COLS	48		/* bytes for an EVENT column */

struct tl {
	FILE *out;
	bool color, utf8;
	bool header_done;
	bool direct;		/* lines to lc_out (cli.h), not through out */
	bool wall;		/* -T: time of day */
	long long wall_off;	/* ns from boot time to the epoch */
	long long t0;		/* ts of the first record */
	struct pidmap names;	/* tgid -> comm, parent, exited */
	size_t names_kept;	/* names left after the last pruning */
	/* EVENT columns by type (colour, name, padding), and their lengths */
	char ev_cols[LC_EV_COUNT][TL_EV_COLS];
	unsigned char ev_len[LC_EV_COUNT];
	struct tl_ids ids[TL_IDS];
};

void tl_init(struct tl *t, FILE *out, bool color, bool utf8);
void tl_free(struct tl *t);
/* -T: TIME of day; 0, or -1 after a message */
int tl_set_wall(struct tl *t);
/* the first record read: the time origin, whatever the filter shows */
void tl_origin(struct tl *t, const struct lc_entry *r);
/* remember comms and parents: call for every record, printed or not */
void tl_note(struct tl *t, const struct lc_entry *r);
/* forget long-reaped names, so that a long input keeps memory bounded */
void tl_prune(struct tl *t);
/* one line; reap, when given, is joined onto an exit line */
void tl_print(struct tl *t, const struct lc_entry *r,
	      const struct lc_entry *reap);
/*
 * The whole log, two passes: exits are joined with their later reap (whose
 * own line is then left out).  show[i] selects the records to print.
 */
void tl_print_all(struct tl *t, const struct lc_entry *recs,
		  const bool *show, size_t n);

/*
 * The same in constant memory: records wait in a window of cap records
 * before they are printed, so that an exit can be joined with a reap
 * that comes within the window, and names are learnt that far ahead.
 */
struct tl_window {
	struct tl *t;
	struct lc_entry *v;	/* ring of cap records */
	unsigned char *flags;	/* TLW_SHOW, TLW_JOINED */
	unsigned long long *join;	/* number of the joined reap, or ~0 */
	size_t cap;
	unsigned long long head, n;	/* oldest record's number, count */
	struct pidmap open;	/* pid -> number of its unjoined exit */
};

/* 0, or -1 when out of memory */
int tlw_init(struct tl_window *w, struct tl *t, size_t cap);
/* every record, in order; show says whether it is printed */
void tlw_push(struct tl_window *w, const struct lc_entry *r, bool show);
/* print what waits */
void tlw_flush(struct tl_window *w);
void tlw_free(struct tl_window *w);

#endif /* LC_TIMELINE_H */
