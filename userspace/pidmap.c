// SPDX-License-Identifier: GPL-2.0
/*
 * Pid hash with linear probing, grown at half load.
 */
#include <stdlib.h>
#include <string.h>
#include "pidmap.h"

/* Fibonacci hashing: the top bits of the product (cap is 2^k, k >= 6) */
static size_t slot(long long pid, size_t cap)
{
	return (unsigned long long)pid * 0x9e3779b97f4a7c15ULL >>
	       (64 - __builtin_ctzll(cap));
}

static struct pid_info *find(const struct pidmap *m, long long pid)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot(pid, m->cap); m->v[i].used; i = (i + 1) & (m->cap - 1))
		if (m->v[i].pid == pid)
			return &m->v[i];
	return &m->v[i];
}

struct pid_info *pidmap_get(const struct pidmap *m, long long pid)
{
	struct pid_info *e;

	if (m->last && m->last->pid == pid)	/* the same process again */
		return m->last;
	e = find(m, pid);

	return e && e->used ? e : NULL;
}

/* move the entries keep() wants into a table of cap slots */
static int rehash(struct pidmap *m, size_t cap,
		  bool (*keep)(const struct pid_info *e, const void *arg),
		  const void *arg)
{
	struct pidmap n = { .cap = cap };
	size_t i;

	n.v = calloc(n.cap, sizeof(*n.v));
	if (!n.v)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (!m->v[i].used || (keep && !keep(&m->v[i], arg)))
			continue;
		*find(&n, m->v[i].pid) = m->v[i];
		n.n++;
	}
	free(m->v);
	*m = n;
	return 0;
}

static int grow(struct pidmap *m)
{
	return rehash(m, m->cap ? m->cap * 2 : 64, NULL, NULL);
}

/**
 * pidmap_prune() - forget the entries that are no longer needed
 * @m: the map
 * @keep: true for an entry to keep
 * @arg: passed to @keep
 *
 * The table keeps its size (it would only grow back), so a long input
 * does not grow it for ever.
 *
 * Return: 0, or -1 when out of memory (then @m is unchanged).
 */
int pidmap_prune(struct pidmap *m,
		 bool (*keep)(const struct pid_info *e, const void *arg),
		 const void *arg)
{
	return rehash(m, m->cap ? m->cap : 64, keep, arg);
}

struct pid_info *pidmap_add(struct pidmap *m, long long pid)
{
	struct pid_info *e = m->last;

	if (e && e->pid == pid)		/* the same process again */
		return e;
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	e = find(m, pid);
	m->last = e;
	if (e->used)
		return e;
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->pid = pid;
	e->parent = -1;
	e->idx = -1;
	e->start = -1;
	m->n++;
	return e;
}

void pidmap_free(struct pidmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
