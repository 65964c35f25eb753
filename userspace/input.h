/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening the inputs, with a hint when that fails or when a file is not
 * what the command reads (a timeline where a lineage table should be).
 */
#ifndef LC_INPUT_H
#define LC_INPUT_H

#include <stdio.h>

enum lc_kind {
	LC_KIND_LOG,		/* /proc/lifecycle, text or binary */
	LC_KIND_LINEAGE,	/* debugfs lineage */
	LC_KIND_STATS,		/* debugfs stats */
};

/* the default sources; LIFECYCLE_PROC and LIFECYCLE_DEBUGFS override */
const char *lc_default_path(enum lc_kind kind);
/* open for reading ("-" is stdin): an fd, or -1 after a message */
int lc_open_input(const char *path, enum lc_kind kind, int flags);
/* the same as a FILE */
FILE *lc_fopen_input(const char *path, enum lc_kind kind);
/* what the first bytes of a file look like, or NULL */
const char *lc_sniff(const char *buf, size_t len);
/* "lifecycle: SRC: this is X; CMD reads Y" when buf is known */
void lc_wrong_kind(const char *src, const char *buf, size_t len,
		   enum lc_kind want);

#endif /* LC_INPUT_H */
