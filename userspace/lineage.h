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

/*
 * One process as the tree keeps it: 80 bytes, adoptions apart (most
 * processes have none), so a million processes fit in 80 MB.
 */
struct lin_node {
	int tgid, creator_pid, creator_tgid, parent;
	long long birth, exec, exit, reap;	/* LC_NONE for "-" */
	int status;		/* -1 for "-" */
	unsigned int adopt;	/* first of nadopt in lineage.adopt */
	unsigned char nadopt;
	char state;
	char comm[LC_COMM_LEN];
};

struct lineage {
	struct lin_node *v;
	size_t n, cap;
	struct lin_adopt *adopt;
	size_t nadopt, adopt_cap;
};

/*
 * 0, or -1 after printing "lifecycle: SRC:LINE: what" (and what the file
 * is, when it is not a lineage table)
 */
int lineage_read(FILE *f, const char *src, struct lineage *l);
/* one line into *e: 0, or -1 with p->err set */
int lineage_parse_line(struct lc_parser *p, char *line, struct lin_entry *e);
void lineage_free(struct lineage *l);

#endif /* LC_LINEAGE_H */
