// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle tree --dot": the lineage table as a Graphviz graph.
 *
 * A node per process: pid, comm, state and exit status.  Solid edges go
 * from creator to child; dashed edges from each adopter to the process it
 * adopted, labelled with the reason (init, subreaper).
 * Dead processes are grey, zombies red.  With a root pid, only what
 * descends from it (by creator or by parent) is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "dot.h"
#include "pidmap.h"

/* s inside a double-quoted dot string: printable ASCII, the rest \\xHH */
static void put_esc(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\\\x%02x", c);
	}
}

/*
 * the node of tgid for a process born at birth: of the entries of that
 * tgid (pids are reused), the last born no later, else the last born;
 * -1 when there is none
 */
static long node_of(const struct lineage *l, const struct pidmap *m,
		    const long *prev, long long tgid, long long birth)
{
	struct pid_info *e = pidmap_get(m, tgid);
	long i, best = -1, last = -1;
	long long bi;

	if (!e)
		return -1;
	for (i = e->idx; i >= 0; i = prev[i]) {
		bi = l->v[i].birth;
		if (last < 0 || bi > l->v[last].birth)
			last = i;
		if ((birth == LC_NONE || bi == LC_NONE || bi <= birth) &&
		    (best < 0 || bi > l->v[best].birth))
			best = i;
	}
	return best >= 0 ? best : last;
}

static void node(const struct lin_node *e, long i)
{
	int st = e->status;

	printf("  n%ld [label=\"%d ", i, e->tgid);
	put_esc(e->comm);
	printf("\\n");
	if (e->state == 'Z')
		printf("zombie");
	else if (e->state == 'X')
		printf("dead");
	else
		printf("state %c", e->state);
	if (st >= 0 && (st & 0x7f))
		printf(", signal %d", st & 0x7f);
	else if (st >= 0)
		printf(", exit %d", (st >> 8) & 0xff);
	printf("\"%s];\n", e->state == 'Z' ? ", color=red, fontcolor=red" :
	       e->state == 'X' ? ", color=gray50, fontcolor=gray40" : "");
}

/* whether node i descends from root (by parent or creator); memoised */
static bool under(const struct lineage *l, const struct pidmap *m,
		  const long *prev, signed char *memo, long i, long long root)
{
	long j = i, k;
	size_t steps = 0;
	bool yes = false;

	/* walk up the parents until an answer or a loop (steps > n) */
	while (j >= 0 && memo[j] < 0 && steps++ <= l->n) {
		if (l->v[j].tgid == root) {
			yes = true;
			break;
		}
		k = node_of(l, m, prev, l->v[j].parent, l->v[j].birth);
		if (k < 0 || k == j)
			k = node_of(l, m, prev, l->v[j].creator_tgid, l->v[j].birth);
		j = k == j ? -1 : k;
	}
	if (j >= 0 && memo[j] >= 0)
		yes = memo[j];
	for (k = i, steps = 0; k >= 0 && memo[k] < 0 && steps++ <= l->n; ) {
		memo[k] = yes;
		j = node_of(l, m, prev, l->v[k].parent, l->v[k].birth);
		if (j < 0 || j == k)
			j = node_of(l, m, prev, l->v[k].creator_tgid, l->v[k].birth);
		k = j == k ? -1 : j;
	}
	return memo[i] > 0;
}

/**
 * dot_write() - the lineage table as a Graphviz digraph, on stdout
 * @l: the table
 * @root: draw only what descends from this tgid; -1 for everything
 *
 * Return: 0, 1 when root is not in the table, or -1 when out of memory
 * (after a message).
 */
int dot_write(const struct lineage *l, long long root)
{
	signed char *memo = malloc(l->n + 1);
	long *prev = malloc((l->n + 1) * sizeof(long));
	struct pidmap m = { 0 };
	const struct lin_node *e;
	const struct lin_adopt *a;
	struct pid_info *p;
	long i, c;
	int k, ret = -1;

	if (!memo || !prev)
		goto oom;
	for (i = 0; i < (long)l->n; i++) {
		p = pidmap_add(&m, l->v[i].tgid);
		if (!p)
			goto oom;
		prev[i] = p->idx;	/* -1 for a new entry */
		p->idx = i;
		memo[i] = -1;
	}
	if (root >= 0 && !pidmap_get(&m, root)) {
		fprintf(stderr, "lifecycle: pid %lld is not in the lineage table\n",
			root);
		ret = 1;
		goto out;
	}
	printf("digraph lifecycle {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n  edge [fontsize=9];\n");
	for (i = 0; i < (long)l->n && !out_error(); i++)
		if (root < 0 || under(l, &m, prev, memo, i, root))
			node(&l->v[i], i);
	for (i = 0; i < (long)l->n && !out_error(); i++) {
		e = &l->v[i];
		if (root >= 0 && !memo[i])
			continue;
		c = node_of(l, &m, prev, e->creator_tgid, e->birth);
		if (c >= 0 && c != i && (root < 0 || memo[c] > 0))
			printf("  n%ld -> n%ld;\n", c, i);
		a = l->adopt + e->adopt;
		for (k = 0; k < e->nadopt; k++) {
			c = node_of(l, &m, prev, a[k].ppid, e->birth);
			if (c < 0 || c == i || (root >= 0 && memo[c] <= 0))
				continue;
			printf("  n%ld -> n%ld [style=dashed, color=\"#dd4400\", label=\"",
			       c, i);
			put_esc(a[k].reason ? a[k].reason : "?");
			printf("\"];\n");
		}
	}
	printf("}\n");
	ret = 0;
	goto out;
oom:
	fprintf(stderr, "lifecycle: out of memory\n");
out:
	pidmap_free(&m);
	free(memo);
	free(prev);
	return ret;
}
