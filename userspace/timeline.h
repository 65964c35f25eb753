/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_TIMELINE_H
#define LC_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>
#include "parse.h"
#include "pidmap.h"

struct tl {
	FILE *out;
	bool color, utf8;
	bool header_done;
	long long t0;		/* ts of the first printed record */
	struct pidmap names;	/* tgid -> comm, parent, exited */
};

void tl_init(struct tl *t, FILE *out, bool color, bool utf8);
void tl_free(struct tl *t);
/* remember comms and parents: call for every record, printed or not */
void tl_note(struct tl *t, const struct lc_record *r);
/* one line; reap, when given, is joined onto an exit line */
void tl_print(struct tl *t, const struct lc_record *r,
	      const struct lc_record *reap);
/*
 * The whole log, two passes: exits are joined with their later reap (whose
 * own line is then left out).  show[i] selects the records to print.
 */
void tl_print_all(struct tl *t, const struct lc_record *recs,
		  const bool *show, size_t n);

#endif /* LC_TIMELINE_H */
