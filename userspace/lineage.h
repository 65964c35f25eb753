/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debugfs lineage table, one struct per process:
 *
 *   lineage 1
 *   tgid creator_pid creator_tgid parent_tgid state birth_ns exec_ns
 *        exit_ns reap_ns status comm adopt=PPID@TS:REASON,...
 */
#ifndef LC_LINEAGE_H
#define LC_LINEAGE_H

#include <stdio.h>
#include "parse.h"

#define LIN_ADOPT_MAX	16

struct lin_adopt {
	long long ppid, ts;
	const char *reason;
};

struct lin_entry {
	long long tgid, creator_pid, creator_tgid, parent;
	char state;
	long long birth, exec, exit, reap, status;	/* LC_NONE for "-" */
	char comm[LC_COMM_LEN];
	int nadopt;
	struct lin_adopt adopt[LIN_ADOPT_MAX];
};

#define LIN_EARLY	1u	/* alive before the recording: seen in records */
#define LIN_STATE_UNKNOWN '?'	/* alive, in a state no record told */

/*
 * One process as the tree keeps it: 88 bytes, adoptions and argv apart
 * (most processes have no adoption), so a million processes fit in 88 MB.
 * creator_pid, creator_tgid, parent, sid and pgid are -1 when unknown
 * (a tree built from a recording).
 */
struct lin_node {
	int tgid, creator_pid, creator_tgid, parent;
	long long birth, exec, exit, reap;	/* LC_NONE for "-" */
	int status;		/* -1 for "-" */
	unsigned int adopt;	/* first of nadopt in lineage.adopt */
	unsigned char nadopt;
	char state;
	unsigned char flags;	/* LIN_EARLY */
	char comm[LC_COMM_LEN];
	int sid, pgid;		/* -1 unknown */
	unsigned int argv;	/* the last exec's argv: 1 + offset in strs */
};

struct lineage {
	struct lin_node *v;
	size_t n, cap;
	struct lin_adopt *adopt;
	size_t nadopt, adopt_cap;
	char *strs;		/* argv: int argc, size_t len, the bytes */
	size_t nstrs, strs_cap;
};

/*
 * 0, or -1 after printing "lifecycle: SRC:LINE: what" (and what the file
 * is, when it is not a lineage table)
 */
int lineage_read(FILE *f, const char *src, struct lineage *l);
/*
 * lineage_from_log() - the lineage rebuilt from a log's records
 * (lineage_log.c): src is a file, "-" or a --rotate directory; 0, or 1
 * when damaged spots were skipped, or -1 after a message
 */
int lineage_from_log(const char *src, bool strict, struct lineage *l);
/* the same from the bytes of a whole log, named name in messages */
int lineage_from_bytes(const char *buf, size_t len, const char *name,
		       bool strict, struct lineage *l);
/* lineage_src.c: the table, a log, stdin, or live (see there) */
int lineage_load(const char *input, bool strict, bool live_log,
		 bool live_groups, struct lineage *l);
struct filter;
/* -f --new -p: track the roots' descendants alive now (lineage_src.c) */
void lineage_seed_follow(struct filter *f, long long since_ns);
/* the argv of node e (argc 0 when none), its elements back to back */
const char *lineage_argv(const struct lineage *l, const struct lin_node *e,
			 int *argc, size_t *len);
/* store argc elements of len bytes as e's argv: 0, or -1 (no memory) */
int lineage_set_argv(struct lineage *l, struct lin_node *e, int argc,
		     const char *buf, size_t len);
/* the first line of a lineage table, as it starts a file */
#define LIN_HEADER	"lineage "
/* one line into *e: 0, or -1 with p->err set */
int lineage_parse_line(struct lc_parser *p, char *line, struct lin_entry *e);
void lineage_free(struct lineage *l);

#endif /* LC_LINEAGE_H */
