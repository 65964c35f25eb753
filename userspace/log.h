/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_LOG_H
#define LC_LOG_H

#include <stdbool.h>
#include <stdio.h>
#include "parse.h"

/* records held for two-pass output, and which of them to show */
struct lc_log {
	struct lc_entry *v;
	bool *show;
	size_t n, cap;
};

void *lc_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);
int log_append(struct lc_log *log, const struct lc_entry *r, bool show);
void log_free(struct lc_log *log);
void log_perror(const struct lc_parser *p);

#endif /* LC_LOG_H */
