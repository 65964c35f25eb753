// SPDX-License-Identifier: GPL-2.0
/*
 * Records kept in memory (the story "lifecycle run" tells at the end).
 */
#include <stdlib.h>
#include <string.h>
#include "log.h"

void log_perror(const struct lc_parser *p)
{
	fprintf(stderr, "lifecycle: %s:%lu: %s\n", p->src, p->lineno, p->err);
}

/**
 * lc_grow() - make room for one more element in a doubling array
 * @v: the array (may be NULL)
 * @cap: its capacity, updated on success
 * @n: elements in use
 * @size: size of one element
 * @first: capacity of the first allocation
 *
 * Return: the array, moved if it grew, or NULL when out of memory (then
 * @v and @cap are unchanged).
 */
void *lc_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : first;
	v = realloc(v, ncap * size);
	if (v)
		*cap = ncap;
	return v;
}

static int log_grow(struct lc_log *log)
{
	size_t cap = log->cap ? log->cap * 2 : 256;
	struct lc_entry *v;
	bool *show;

	v = realloc(log->v, cap * sizeof(*v));
	if (!v)
		return -1;
	log->v = v;
	show = realloc(log->show, cap * sizeof(*show));
	if (!show)
		return -1;
	log->show = show;
	log->cap = cap;
	return 0;
}

int log_append(struct lc_log *log, const struct lc_entry *r, bool show)
{
	if (log->n == log->cap && log_grow(log)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	log->v[log->n] = *r;
	log->show[log->n++] = show;
	return 0;
}

void log_free(struct lc_log *log)
{
	free(log->v);
	free(log->show);
	memset(log, 0, sizeof(*log));
}
