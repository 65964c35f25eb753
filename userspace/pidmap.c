// SPDX-License-Identifier: GPL-2.0
/*
 * Pid hash with linear probing, grown at half load.
 */
#include <stdlib.h>
#include <string.h>
#include "pidmap.h"

static size_t slot(long long pid, size_t cap)
{
	return ((unsigned long long)pid * 0x9e3779b97f4a7c15ULL >> 20) &
	       (cap - 1);
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
	struct pid_info *e = find(m, pid);

	return e && e->used ? e : NULL;
}

static int grow(struct pidmap *m)
{
	struct pidmap n = { .cap = m->cap ? m->cap * 2 : 64 };
	size_t i;

	n.v = calloc(n.cap, sizeof(*n.v));
	if (!n.v)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (m->v[i].used)
			*find(&n, m->v[i].pid) = m->v[i];
	n.n = m->n;
	free(m->v);
	*m = n;
	return 0;
}

struct pid_info *pidmap_add(struct pidmap *m, long long pid)
{
	struct pid_info *e;

	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	e = find(m, pid);
	if (e->used)
		return e;
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->pid = pid;
	e->parent = -1;
	e->idx = -1;
	m->n++;
	return e;
}

void pidmap_free(struct pidmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
