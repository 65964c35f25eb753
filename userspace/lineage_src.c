// SPDX-License-Identifier: GPL-2.0
/*
 * Where "tree" finds its lineage: the module's table (debugfs), a saved
 * copy of it, or a log (a file, stdin or a --rotate directory) whose
 * records rebuild it.  Live, -a and -g add to the table what the log
 * retained (each process's last argv, its session and group) and, for
 * the living, what /proc/PID/stat says of their groups now.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "filter.h"
#include "input.h"
#include "lineage.h"
#include "log.h"

#define PEEK	(sizeof(LIN_HEADER) - 1)
#define SNIFF	16

/* a log, text or binary, by its first bytes (else read as a table) */
static bool is_log(const char *buf, size_t len)
{
	const char *what = lc_sniff(buf, len);

	return what && (!strncmp(what, "a binary", 8) ||
			!strncmp(what, "a lifecycle log", 15));
}

/* all of stdin: a buffer to free, or NULL after a message */
static char *slurp_stdin(size_t *len)
{
	size_t cap = 0;
	char *buf = NULL, *p;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			p = lc_grow(buf, &cap, *len, 1, 65536);
			if (!p) {
				fprintf(stderr, "lifecycle: out of memory\n");
				free(buf);
				return NULL;
			}
			buf = p;
		}
		n = read(STDIN_FILENO, buf + *len, cap - *len);
		if (n == 0)
			return buf;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "lifecycle: <stdin>: read: %m\n");
			free(buf);
			return NULL;
		}
		*len += n;
	}
}

static int from_table(FILE *f, const char *name, struct lineage *l)
{
	int ret;

	if (!f)
		return -1;	/* said by lc_fopen_input() */
	ret = lineage_read(f, name, l);
	fclose(f);
	return ret;
}

static int from_stdin(bool strict, struct lineage *l)
{
	size_t len;
	char *buf = slurp_stdin(&len);
	FILE *f;
	int ret;

	if (!buf)
		return -1;
	if (!is_log(buf, len)) {
		f = fmemopen(buf, len, "r");
		if (!f)
			fprintf(stderr, "lifecycle: <stdin>: %m\n");
		ret = from_table(f, "<stdin>", l);
	} else {
		ret = lineage_from_bytes(buf, len, "<stdin>", strict, l);
	}
	free(buf);
	return ret;
}

/* a file: a log when it starts as one, else a lineage table */
static int from_file(const char *src, bool strict, struct lineage *l)
{
	char head[SNIFF];
	ssize_t n;
	int fd;

	if (rotate_is_dir(src))
		return lineage_from_log(src, strict, l);
	fd = lc_open_input(src, LC_KIND_LINEAGE, 0);
	if (fd < 0)
		return -1;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0 || !is_log(head, n))
		return from_table(lc_fopen_input(src, LC_KIND_LINEAGE), src, l);
	return lineage_from_log(src, strict, l);
}

static int cmp_tgid(const void *a, const void *b, void *arg)
{
	const struct lineage *g = arg;
	const struct lin_node *x = &g->v[*(const size_t *)a];
	const struct lin_node *y = &g->v[*(const size_t *)b];

	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

/*
 * A log's node for a table's node: the same tgid and start, or without
 * start times in the records the first fork at or after its birth (the
 * fork's record comes just after the start), or one alive before the
 * recording.  by_tgid: g's node indices sorted by tgid.
 */
static const struct lin_node *match(const struct lineage *g,
				    const size_t *by_tgid,
				    const struct lin_node *e)
{
	const struct lin_node *best = NULL, *c;
	size_t lo = 0, hi = g->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->v[by_tgid[mid]].tgid < e->tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < g->n && g->v[by_tgid[lo]].tgid == e->tgid; lo++) {
		c = &g->v[by_tgid[lo]];
		if (c->birth == e->birth)
			return c;
		if (c->birth != LC_NONE && e->birth != LC_NONE &&
		    c->birth >= e->birth &&
		    (!best || best->birth == LC_NONE || c->birth < best->birth))
			best = c;
		else if (c->birth == LC_NONE && !best && c->state != 'X' &&
			 e->state != 'X')
			best = c;
	}
	return best;
}

/*
 * /proc/PID/stat's session and group of e, when PID is still e (its
 * starttime, in clock ticks, is e's birth): 0, or -1
 */
static int proc_groups(const struct lin_node *e, int *sid, int *pgid)
{
	long long start, tick = 1000000000LL / sysconf(_SC_CLK_TCK);
	char path[64], buf[1024], *p, *save = NULL;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", e->tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* after the comm: state ppid pgrp session ... starttime (22nd) */
	p = strtok_r(p + 1, " ", &save);
	for (i = 3; p && i < 22; i++) {
		if (i == 5)
			*pgid = atoi(p);
		else if (i == 6)
			*sid = atoi(p);
		p = strtok_r(NULL, " ", &save);
	}
	if (!p)
		return -1;
	start = atoll(p);
	if (e->birth != LC_NONE && tick > 0 && e->birth / tick != start)
		return -1;	/* the pid is another process's now */
	return 0;
}

/* -a, -g live: the retained log's argv and groups, /proc's groups */
static int enrich(struct lineage *l, bool groups)
{
	struct lineage g = { 0 };
	const struct lin_node *m;
	size_t i, len, *by_tgid;
	struct lin_node *e;
	const char *argv;
	int ret, argc, sid, pgid;

	/* without the log (said why), the tree is drawn, the status 1 */
	ret = lineage_from_log(lc_default_path(LC_KIND_LOG), false, &g) ? 1 : 0;
	by_tgid = malloc((g.n + 1) * sizeof(*by_tgid));
	if (!by_tgid) {
		fprintf(stderr, "lifecycle: out of memory\n");
		ret = -1;
	}
	for (i = 0; ret >= 0 && i < g.n; i++)
		by_tgid[i] = i;
	if (ret >= 0)
		qsort_r(by_tgid, g.n, sizeof(*by_tgid), cmp_tgid, &g);
	for (i = 0; ret >= 0 && i < l->n; i++) {
		e = &l->v[i];
		m = match(&g, by_tgid, e);
		if (!m)
			continue;
		argv = lineage_argv(&g, m, &argc, &len);
		if (m->argv && lineage_set_argv(l, e, argc, argv, len)) {
			fprintf(stderr, "lifecycle: out of memory\n");
			ret = -1;
		}
		e->sid = m->sid;
		e->pgid = m->pgid;
	}
	for (i = 0; groups && i < l->n; i++) {
		e = &l->v[i];
		if (e->state != 'Z' && e->state != 'X' &&
		    !proc_groups(e, &sid, &pgid)) {
			e->sid = sid;
			e->pgid = pgid;
		}
	}
	free(by_tgid);
	lineage_free(&g);
	return ret;
}

/**
 * lineage_load() - the lineage for "tree"
 * @input: -i (a lineage table, a log, "-" or a --rotate directory), or
 *	NULL for the module's table
 * @strict: stop a log at its first damaged spot
 * @live_log: without -i, add the retained log's argv and groups
 * @live_groups: without -i, and the living's groups from /proc
 * @l: filled
 *
 * Return: 0, 1 when a log had damaged spots (skipped), or -1 after a
 * message.
 */
int lineage_load(const char *input, bool strict, bool live_log,
		 bool live_groups, struct lineage *l)
{
	const char *src = lc_default_path(LC_KIND_LINEAGE);
	int ret;

	if (input && !strcmp(input, "-"))
		return from_stdin(strict, l);
	if (input)
		return from_file(input, strict, l);
	ret = from_table(lc_fopen_input(src, LC_KIND_LINEAGE), src, l);
	if (!ret && live_log)
		ret = enrich(l, live_groups);
	return ret;
}

/**
 * lineage_seed_follow() - -f --new -p: the descendants alive now
 * @f: the filter whose -p roots are followed
 * @since_ns: when following began (CLOCK_BOOTTIME): a process reaped
 *	since then is still to be shown
 *
 * The module's lineage table names the processes the roots created,
 * and theirs, also those adopted away since: they are tracked as if their
 * forks had been read.  Without the table (no debugfs, not root) a note
 * says that only the descendants forked from now on are followed.
 */
void lineage_seed_follow(struct filter *f, long long since_ns)
{
	const char *src = lc_default_path(LC_KIND_LINEAGE);
	struct lineage l = { 0 };
	FILE *t = lc_fopen_input(src, LC_KIND_LINEAGE);

	if (!t || from_table(t, src, &l) || filter_seed(f, &l, since_ns))
		fprintf(stderr, "lifecycle: -p: without the lineage table, only the descendants forked from now on are followed\n");
	lineage_free(&l);
}
