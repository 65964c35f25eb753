// SPDX-License-Identifier: GPL-2.0
/*
 * The log as processes with lifetimes (see lifetimes.h): the model behind
 * "lifecycle chart" and "--perfetto".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "input.h"
#include "log.h"
#include "lifetimes.h"
#include "stream.h"

void lt_init(struct lifetimes *s)
{
	memset(s, 0, sizeof(*s));
	s->t0 = LC_NONE;
	s->t1 = LC_NONE;
	s->seq0 = LC_NONE;
	s->seq1 = LC_NONE;
}

void lt_free(struct lifetimes *s)
{
	size_t i;

	for (i = 0; i < s->nm; i++)
		free(s->m[i].file);
	free(s->p);
	free(s->m);
	pidmap_free(&s->cur);
}

static int new_proc(struct lifetimes *s, long long tgid, long long start,
		    long long ts)
{
	struct lt_proc *p = lc_grow(s->p, &s->cap, s->n, sizeof(*p), 256);
	struct pid_info *e;

	if (!p)
		return -1;
	s->p = p;
	e = pidmap_add(&s->cur, tgid);
	if (!e)
		return -1;
	p = &s->p[s->n];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->start = start;
	p->first_ts = ts;
	p->fork_ts = p->fork_seq = LC_NONE;
	p->exit_ts = p->exit_seq = p->status = LC_NONE;
	p->reap_ts = p->reap_seq = p->zombie_ns = LC_NONE;
	p->creator = p->reaper = p->parent = -1;
	p->open_stop = -1;
	snprintf(p->comm, sizeof(p->comm), "?");
	snprintf(p->last_comm, sizeof(p->last_comm), "?");
	e->idx = (long)s->n;
	return (int)s->n++;
}

/*
 * The process tgid with start (LC_NONE: unknown) as of time ts: the newest
 * one of that tgid unless the starts differ.  -1 for no process (tgid 0 or
 * unknown), -2 when out of memory.
 */
static int lookup(struct lifetimes *s, long long tgid, long long start,
		  long long ts)
{
	struct pid_info *e;
	struct lt_proc *p;
	int i;

	if (tgid <= 0 || tgid == LC_NONE)
		return -1;
	e = pidmap_get(&s->cur, tgid);
	if (e && e->idx >= 0) {
		p = &s->p[e->idx];
		if (start == LC_NONE || p->start == LC_NONE ||
		    p->start == start) {
			if (p->start == LC_NONE)
				p->start = start;
			return (int)e->idx;
		}
	}
	i = new_proc(s, tgid, start, ts);
	return i < 0 ? -2 : i;
}

static void set_comm(struct lt_proc *p, const char *comm)
{
	if (!p->comm_known) {
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
		p->comm_known = true;
	}
	snprintf(p->last_comm, sizeof(p->last_comm), "%s", comm);
}

static struct lt_mark *new_mark(struct lifetimes *s, int proc,
				const struct lc_entry *r)
{
	struct lt_mark *m = lc_grow(s->m, &s->mcap, s->nm, sizeof(*m), 256);

	if (!m)
		return NULL;
	s->m = m;
	m = &s->m[s->nm++];
	memset(m, 0, sizeof(*m));
	m->proc = proc;
	m->peer = m->peer2 = -1;
	m->type = r->type;
	m->seq = r->seq;
	m->ts = r->ts_ns;
	m->end = m->end_seq = LC_NONE;
	return m;
}

/* a fork of a new process: its own row, even when the tgid is reused */
static int add_fork(struct lifetimes *s, const struct lc_entry *r)
{
	struct pid_info *e = pidmap_get(&s->cur, r->tgid);
	struct lt_proc *p;
	int creator, i = -1;

	creator = lookup(s, r->fork.creator_tgid, r->fork.creator_start_ns,
			 r->ts_ns);
	if (creator == -2)
		return -1;
	if (creator >= 0 && !s->p[creator].comm_known)
		set_comm(&s->p[creator], r->comm);
	if (e && e->idx >= 0) {
		p = &s->p[e->idx];
		if (p->fork_ts == LC_NONE && p->exit_ts == LC_NONE &&
		    r->start_ns != LC_NONE && p->start == r->start_ns)
			i = (int)e->idx;
	}
	if (i < 0)
		i = new_proc(s, r->tgid, r->start_ns, r->ts_ns);
	if (i < 0)
		return -1;
	p = &s->p[i];
	p->fork_ts = r->ts_ns;
	p->fork_seq = r->seq;
	p->creator = creator;
	p->parent = lookup(s, r->ppid, r->parent_start_ns, r->ts_ns);
	if (p->parent == -2)
		return -1;
	set_comm(p, r->comm);
	return 0;
}

static int add_exit_reap(struct lifetimes *s, const struct lc_entry *r, int i)
{
	struct lt_proc *p = &s->p[i];

	if (r->type == LC_EV_EXIT) {
		if (r->exit.group_dead == 0)
			return 0;	/* a thread; the process lives on */
		p->exit_ts = r->ts_ns;
		p->exit_seq = r->seq;
		p->status = r->exit.status;
		return 0;
	}
	if (r->pid != r->tgid)
		return 0;
	p->reap_ts = r->ts_ns;
	p->reap_seq = r->seq;
	p->zombie_ns = r->reap.zombie_ns;
	p->how = r->reap.how;
	p->reaper = lookup(s, r->reap.reaper_tgid, r->reap.reaper_start_ns,
			   r->ts_ns);
	return p->reaper == -2 ? -1 : 0;
}

static int add_mark(struct lifetimes *s, const struct lc_entry *r, int i)
{
	struct lt_mark *m, *stop;

	if (r->type == LC_EV_CONT) {
		if (s->p[i].open_stop >= 0) {
			stop = &s->m[s->p[i].open_stop];
			stop->end = r->ts_ns;
			stop->end_seq = r->seq;
			s->p[i].open_stop = -1;
		}
		return 0;
	}
	m = new_mark(s, i, r);
	if (!m)
		return -1;
	if (r->type == LC_EV_STOP && s->p[i].open_stop < 0)
		s->p[i].open_stop = (long)(m - s->m);
	switch (r->type) {
	case LC_EV_EXEC:
		snprintf(m->name, sizeof(m->name), "%s", r->comm);
		m->file = strdup(r->exec.filename.null ? "" :
				 r->exec.filename.s);
		return m->file ? 0 : -1;
	case LC_EV_STOP:
		m->a = r->stop.signal;
		m->b = r->stop.ptrace;
		return 0;
	case LC_EV_SIGNAL:
		m->a = r->sig.signal;
		m->b = r->sig.group;
		m->s = r->sig.result;
		m->peer = lookup(s, r->sig.sender_tgid, r->sig.sender_start_ns,
				 r->ts_ns);
		return m->peer == -2 ? -1 : 0;
	case LC_EV_SETSID:
		m->a = r->setsid.sid;
		return 0;
	case LC_EV_SETPGID:
		m->a = r->setpgid.pgid;
		m->b = r->setpgid.old_pgid;
		return 0;
	case LC_EV_REPARENT:
		m->a = r->reparent.zombie;
		m->s = r->reparent.reason;
		m->peer = lookup(s, r->reparent.old_ppid,
				 r->reparent.old_parent_start_ns, r->ts_ns);
		if (m->peer == -2)
			return -1;
		m->peer2 = lookup(s, r->reparent.new_ppid, r->parent_start_ns,
				  r->ts_ns);
		return m->peer2 == -2 ? -1 : 0;
	default:
		s->nm--;
		return 0;
	}
}

/**
 * lt_add() - take one record in
 * @s: the lifetimes
 * @r: the record; records come in log order
 *
 * Return: 0, or -1 when out of memory.
 */
int lt_add(struct lifetimes *s, const struct lc_entry *r)
{
	int i;

	s->records++;
	if (s->t0 == LC_NONE)
		s->t0 = r->ts_ns;
	if (s->seq0 == LC_NONE)
		s->seq0 = r->seq;
	s->seq1 = r->seq;
	if (s->t1 == LC_NONE || r->ts_ns > s->t1)
		s->t1 = r->ts_ns;
	if (r->type == LC_EV_LOST || r->type == LC_EV_STATE)
		return 0;
	if (r->type == LC_EV_FORK)
		return r->fork.thread == 1 ? 0 : add_fork(s, r);
	i = lookup(s, r->tgid, r->start_ns, r->ts_ns);
	if (i == -2)
		return -1;
	if (i < 0)
		return 0;
	if (r->type == LC_EV_EXEC || !s->p[i].comm_known)
		set_comm(&s->p[i], r->comm);
	if (r->type == LC_EV_EXIT || r->type == LC_EV_REAP)
		return add_exit_reap(s, r, i);
	return add_mark(s, r, i);
}

/**
 * lt_key() - the name of a process: "tgid@start"
 * @s: the lifetimes
 * @i: process index
 * @buf: where to write it
 * @len: its size
 *
 * start is start_ns, else the fork record's time, else "-".
 *
 * Return: buf.
 */
const char *lt_key(const struct lifetimes *s, int i, char *buf, size_t len)
{
	const struct lt_proc *p = &s->p[i];
	long long start = p->start != LC_NONE ? p->start : p->fork_ts;

	if (start == LC_NONE)
		snprintf(buf, len, "%lld@-", p->tgid);
	else
		snprintf(buf, len, "%lld@%lld", p->tgid, start);
	return buf;
}

/**
 * lt_order() - the processes as a tree by creator
 * @s: the lifetimes
 * @order: n process indices, written
 * @depth: n depths, written (by position in order)
 *
 * A process comes right after its creator's earlier children and their
 * subtrees; processes without a known creator are roots, in order of
 * appearance.  The walk keeps its own stack: any depth is fine.
 *
 * Return: 0, or -1 when out of memory.
 */
int lt_order(const struct lifetimes *s, int *order, int *depth)
{
	int *head = malloc((s->n + 1) * sizeof(int));
	int *next = malloc((s->n + 1) * sizeof(int));
	int *stack = malloc((s->n + 1) * sizeof(int));
	int *dep = malloc((s->n + 1) * sizeof(int));
	size_t k = 0, sp = 0, i, lo, hi;
	int c, cr;

	if (!head || !next || !stack || !dep) {
		free(head);
		free(next);
		free(stack);
		free(dep);
		return -1;
	}
	for (i = 0; i < s->n; i++)
		head[i] = next[i] = -1;
	/* creators come before what they create: link in reverse order */
	for (i = s->n; i--; ) {
		cr = s->p[i].creator;
		if (cr >= 0 && cr != (int)i) {
			next[i] = head[cr];
			head[cr] = (int)i;
		}
	}
	for (i = s->n; i--; ) {
		cr = s->p[i].creator;
		if (cr < 0 || cr == (int)i) {
			stack[sp] = (int)i;
			dep[sp++] = 0;
		}
	}
	while (sp) {
		sp--;
		c = stack[sp];
		order[k] = c;
		depth[k++] = dep[sp];
		cr = dep[sp] + 1;
		/* push the children, then reverse them: the first pops first */
		for (i = sp, c = head[c]; c >= 0; c = next[c], sp++) {
			stack[sp] = c;
			dep[sp] = cr;
		}
		for (lo = i, hi = sp; lo + 1 < hi; lo++, hi--) {
			c = stack[lo];
			stack[lo] = stack[hi - 1];
			stack[hi - 1] = c;
		}
	}
	free(head);
	free(next);
	free(stack);
	free(dep);
	return k == s->n ? 0 : -1;
}

struct read_ctx {
	struct lifetimes *s;
	struct filter *f;
};

static int read_one(void *ctx, const struct lc_entry *r)
{
	struct read_ctx *c = ctx;

	if (!filter_match(c->f, r))
		return 0;
	if (lt_add(c->s, r)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	return 0;
}

/**
 * lt_read() - the whole log, live or recorded, into lifetimes
 * @s: the lifetimes, initialised
 * @o: the options: -i, --strict, -p
 *
 * Return: 0; 1 when damaged spots were skipped; -1 after a message.
 */
int lt_read(struct lifetimes *s, struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct stream *st = malloc(sizeof(*st));
	struct read_ctx c = { s, &o->filter };
	int ret;

	if (!st) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	if (rotate_is_dir(src)) {
		ret = rotate_read_dir(st, src, o->strict, read_one, &c);
	} else {
		if (stream_open(st, src, false)) {
			free(st);
			return -1;
		}
		st->strict = o->strict;
		ret = stream_read_all(st, read_one, &c);
		if (!ret)
			ret = stream_finish(st, read_one, &c);
	}
	if (!ret && st->damaged)
		ret = 1;
	stream_close(st);
	free(st);
	return ret;
}
