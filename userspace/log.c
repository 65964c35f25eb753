// SPDX-License-Identifier: GPL-2.0
/*
 * Read a whole recorded (or current) log into memory: text lines, or the
 * binary stream "lifecycle --raw" records.
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
	struct lc_record *v;
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

int log_append(struct lc_log *log, const struct lc_record *r, bool show)
{
	if (log->n == log->cap && log_grow(log)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	log->v[log->n] = *r;
	log->show[log->n++] = show;
	return 0;
}

static int bin_fail(struct lc_parser *p, const char *why)
{
	snprintf(p->err, sizeof(p->err), "%s", why);
	log_perror(p);
	return -1;
}

/* a binary stream (LC_IOC_BINARY): the magic, then struct lc_event each */
static int log_read_binary(FILE *f, struct lc_parser *p, struct lc_log *log)
{
	union {
		struct lc_event ev;
		char raw[LC_LINE_MAX];
	} u;
	struct lc_record r;
	size_t size;

	if (fread(u.raw, 1, LC_BIN_MAGIC_LEN, f) != LC_BIN_MAGIC_LEN)
		return bin_fail(p, "not a lifecycle binary stream (bad magic)");
	if (lc_check_magic(p, u.raw)) {
		log_perror(p);
		return -1;
	}
	for (;;) {
		size = fread(u.raw, 1, 8, f);
		if (!size && !ferror(f))
			return 0;
		p->lineno++;
		if (size != 8)
			return bin_fail(p, "truncated event");
		size = u.ev.size;
		if (lc_check_event_size(p, size)) {
			log_perror(p);
			return -1;
		}
		if (fread(u.raw + 8, 1, size - 8, f) != size - 8)
			return bin_fail(p, "truncated event");
		p->lineno--;	/* lc_parse_event() counts it */
		if (lc_parse_event(p, &u.ev, size, &r) < 0) {
			log_perror(p);
			return -1;
		}
		if (log_append(log, &r, true))
			return -1;
	}
}

int log_read(FILE *f, struct lc_parser *p, struct lc_log *log)
{
	struct lc_record r;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0, c;

	c = getc(f);
	if (c != EOF)
		ungetc(c, f);
	if (c == LC_BIN_MAGIC[0]) {
		ret = log_read_binary(f, p, log);
		if (!ret && ferror(f)) {
			fprintf(stderr, "lifecycle: %s: read error\n", p->src);
			return -1;
		}
		return ret;
	}

	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		ret = lc_parse_line(p, line, len, &r);
		if (ret == 1)
			ret = log_append(log, &r, true);
		else if (ret < 0)
			log_perror(p);
	}
	free(line);
	if (!ret && ferror(f)) {
		fprintf(stderr, "lifecycle: %s: read error\n", p->src);
		return -1;
	}
	if (!ret && lc_parse_end(p)) {
		log_perror(p);
		return -1;
	}
	return ret < 0 ? -1 : 0;
}

void log_free(struct lc_log *log)
{
	free(log->v);
	free(log->show);
	memset(log, 0, sizeof(*log));
}
