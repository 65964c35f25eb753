// SPDX-License-Identifier: GPL-2.0
/*
 * The lineage table rebuilt from a log's records, for "tree -i LOG".
 *
 * fork makes a process (its creator and its parent at fork, its session,
 * group and argv inherited from the creator), exec names it and keeps its
 * argv, exit makes it a zombie with its status, reap makes it dead,
 * reparent moves it to its new parent and notes the adoption, setsid and
 * setpgid change its groups, stop, cont and state records its state.
 * A process that was alive before the recording began is made when a
 * record first names it (as a subject, parent, creator or new parent):
 * LIN_EARLY, its birth and creator unknown.
 *
 * A process is one (tgid, start_ns) when the records carry start times,
 * and one tgid from its fork to its reap when they do not: a pid named
 * after its reap is a new process.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "lineage.h"
#include "log.h"
#include "pidmap.h"
#include "stream.h"

static const char *const reasons[] = LC_REPARENT_NAMES;

/* an adoption waiting for the end, when each node's are put together */
struct pending_adopt {
	unsigned int node;
	struct lin_adopt a;
};

struct builder {
	struct lineage *l;
	struct pidmap cur;	/* tgid -> idx: its newest node */
	struct pending_adopt *pa;
	size_t npa, pa_cap;
	bool nomem;
};

static struct lin_node *new_node(struct builder *b, long long tgid)
{
	struct lineage *l = b->l;
	struct lin_node *v = lc_grow(l->v, &l->cap, l->n, sizeof(*v), 256);
	struct pid_info *m = pidmap_add(&b->cur, tgid);
	struct lin_node *n;

	if (!v || !m) {
		b->nomem = true;
		return NULL;
	}
	l->v = v;
	m->idx = l->n;
	n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	n->tgid = tgid;
	n->creator_pid = -1;
	n->creator_tgid = -1;
	n->parent = -1;
	n->birth = LC_NONE;
	n->exec = LC_NONE;
	n->exit = LC_NONE;
	n->reap = LC_NONE;
	n->status = -1;
	n->state = LIN_STATE_UNKNOWN;
	n->sid = -1;
	n->pgid = -1;
	n->comm[0] = '?';
	return n;
}

/*
 * The node of process (tgid, start), made as one alive before the
 * recording when there is none.  A known start that differs from the
 * node's birth names another process (its fork was not recorded).
 */
static struct lin_node *node_of(struct builder *b, long long tgid,
				long long start)
{
	struct pid_info *m = pidmap_get(&b->cur, tgid);
	struct lin_node *n;

	if (tgid <= 0)
		return NULL;
	if (m && m->idx >= 0) {
		n = &b->l->v[m->idx];
		if (n->state != 'X' && (start == LC_NONE ||
					n->birth == LC_NONE ||
					n->birth == start)) {
			if (n->birth == LC_NONE && start != LC_NONE)
				n->birth = start;
			return n;
		}
	}
	n = new_node(b, tgid);
	if (n) {
		n->flags = LIN_EARLY;
		n->birth = start;
	}
	return n;
}

static void on_fork(struct builder *b, const struct lc_entry *r)
{
	const struct lin_node *c;
	struct lin_node *n;
	int sid = -1, pgid = -1;
	unsigned int argv = 0;

	c = node_of(b, r->fork.creator_tgid, r->fork.creator_start_ns);
	if (c) {
		sid = c->sid;
		pgid = c->pgid;
		argv = c->argv;
	}
	node_of(b, r->ppid, r->parent_start_ns);
	n = new_node(b, r->tgid);
	if (!n)
		return;
	n->creator_pid = r->fork.creator_pid;
	n->creator_tgid = r->fork.creator_tgid;
	n->parent = r->ppid;
	n->birth = r->start_ns != LC_NONE ? r->start_ns : r->ts_ns;
	n->sid = sid;
	n->pgid = pgid;
	n->argv = argv;		/* the creator's, until it execs */
	memcpy(n->comm, r->comm, sizeof(n->comm));
}

static void on_reparent(struct builder *b, struct lin_node *n,
			const struct lc_entry *r)
{
	size_t i, idx = n - b->l->v;
	struct pending_adopt *pa;

	node_of(b, r->reparent.new_ppid, LC_NONE);	/* may move b->l->v */
	n = &b->l->v[idx];
	n->parent = r->reparent.new_ppid;
	pa = lc_grow(b->pa, &b->pa_cap, b->npa, sizeof(*pa), 64);
	if (!pa) {
		b->nomem = true;
		return;
	}
	b->pa = pa;
	pa = &b->pa[b->npa++];
	pa->node = idx;
	pa->a.ppid = r->reparent.new_ppid;
	pa->a.ts = r->ts_ns;
	pa->a.reason = "?";
	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (r->reparent.reason && !strcmp(r->reparent.reason,
						  reasons[i]))
			pa->a.reason = reasons[i];
}

static void on_state(struct lin_node *n, char to)
{
	if (n->state == 'Z' || n->state == 'X' || to == 'Z' || to == 'X')
		return;
	n->state = to;
}

/* the process's own record: what it says about it */
static void on_record(struct builder *b, struct lin_node *n,
		      const struct lc_entry *r)
{
	bool leader = r->pid == r->tgid;

	if (leader && (n->flags & LIN_EARLY) && !strcmp(n->comm, "?"))
		memcpy(n->comm, r->comm, sizeof(n->comm));
	if (n->parent < 0)
		n->parent = r->ppid;
	switch (r->type) {
	case LC_EV_EXEC:
		n->exec = r->ts_ns;
		memcpy(n->comm, r->comm, sizeof(n->comm));
		if (!r->exec.argv.null &&
		    lineage_set_argv(b->l, n, r->exec.argv.argc,
				     r->exec.argv.buf, r->exec.argv.len))
			b->nomem = true;
		break;
	case LC_EV_EXIT:
		if (r->exit.group_dead != 1 || n->state == 'X')
			break;
		n->exit = r->ts_ns;
		n->status = r->exit.status == LC_NONE ? -1 :
			    (int)r->exit.status;
		n->state = 'Z';
		break;
	case LC_EV_REAP:
		if (!leader)
			break;
		n->reap = r->ts_ns;
		n->state = 'X';
		break;
	case LC_EV_REPARENT:
		if (leader)
			on_reparent(b, n, r);
		break;
	case LC_EV_SETSID:
		n->sid = r->setsid.sid;
		n->pgid = r->setsid.sid;
		break;
	case LC_EV_SETPGID:
		n->pgid = r->setpgid.pgid;
		break;
	case LC_EV_STOP:
		if (leader)
			on_state(n, 'T');
		break;
	case LC_EV_CONT:
		if (leader && n->state == 'T')
			n->state = LIN_STATE_UNKNOWN;
		break;
	case LC_EV_STATE:
		if (leader)
			on_state(n, (char)r->state.to);
		break;
	case LC_EV_FORK:	/* a thread's */
	case LC_EV_SIGNAL:
	case LC_EV_LOST:
	case LC_EV_COUNT:
		break;
	}
}

static int build_one(void *ctx, const struct lc_entry *r)
{
	struct builder *b = ctx;
	struct lin_node *n;

	if (r->type == LC_EV_LOST)
		return 0;
	if (r->type == LC_EV_FORK && r->fork.thread != 1 &&
	    r->pid == r->tgid) {
		on_fork(b, r);
		return b->nomem ? -1 : 0;
	}
	n = node_of(b, r->tgid, r->start_ns);
	if (n)
		on_record(b, n, r);
	return b->nomem ? -1 : 0;
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending_adopt *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->a.ts < y->a.ts ? -1 : x->a.ts > y->a.ts;
}

/* each node's adoptions side by side in l->adopt, oldest first */
static int gather_adoptions(struct builder *b)
{
	struct lineage *l = b->l;
	struct lin_node *n;
	size_t i;

	if (!b->npa)
		return 0;
	qsort(b->pa, b->npa, sizeof(*b->pa), cmp_pending);
	l->adopt = malloc(b->npa * sizeof(*l->adopt));
	if (!l->adopt)
		return -1;
	l->adopt_cap = b->npa;
	for (i = 0; i < b->npa; i++) {
		n = &l->v[b->pa[i].node];
		if (n->nadopt == 255)
			continue;	/* the counter's end: the oldest kept */
		if (!n->nadopt)
			n->adopt = l->nadopt;
		n->nadopt++;
		l->adopt[l->nadopt++] = b->pa[i].a;
	}
	return 0;
}

/* the end of the input: 0, 1 (damaged spots skipped) or -1 */
static int finish(struct builder *b, struct stream *s, int ret)
{
	if (!ret && gather_adoptions(b))
		b->nomem = true;
	if (b->nomem) {
		fprintf(stderr, "lifecycle: out of memory\n");
		ret = -1;
	}
	if (!ret && s->damaged)
		ret = 1;
	free(b->pa);
	pidmap_free(&b->cur);
	return ret;
}

int lineage_from_log(const char *src, bool strict, struct lineage *l)
{
	struct builder b = { .l = l };
	struct stream *s = malloc(sizeof(*s));
	int ret;

	if (!s) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	stream_init(s, src);
	if (rotate_is_dir(src)) {
		ret = rotate_read_dir(s, src, strict, build_one, &b);
	} else {
		ret = stream_open(s, src, false);
		s->strict = strict;
		if (!ret)
			ret = stream_read_all(s, build_one, &b) ?:
			      stream_finish(s, build_one, &b);
	}
	ret = finish(&b, s, ret);
	stream_close(s);
	free(s);
	return ret;
}

int lineage_from_bytes(const char *buf, size_t len, const char *name,
		       bool strict, struct lineage *l)
{
	struct builder b = { .l = l };
	struct stream *s = malloc(sizeof(*s));
	int ret;

	if (!s) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	stream_init(s, name);
	s->strict = strict;
	ret = stream_feed(s, buf, len, build_one, &b) ?:
	      stream_finish(s, build_one, &b);
	ret = finish(&b, s, ret);
	free(s);
	return ret;
}
