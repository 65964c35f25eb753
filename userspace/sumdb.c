// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's state: the records, one at a time, into counts, a table
 * of the processes alive in the log and bounded lists (summary.h).
 *
 * Every record is read to follow the processes; the filter says which
 * records are counted and which the lists are made of: a zombie is listed
 * when its reap record is selected, an adoption when its reparent record
 * is, a signal death, a lifetime and a zombie left unreaped when its exit
 * record is.
 *
 * A process is its tgid and start_ns; in recordings without start_ns, its
 * tgid from its fork record on.  A fork of a tgid still in the table, or a
 * record with a later start_ns, ends the old incarnation (the pid was
 * reused, so it was reaped); a record with an earlier start_ns is about
 * an incarnation already gone and changes nothing but the counts and, for
 * a reap, the zombie list.
 */
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "summary.h"

int sum_init(struct summary *s, struct filter *f)
{
	memset(s, 0, sizeof(*s));
	s->filter = f;
	s->first_ts = s->last_ts = LC_NONE;
	s->first_seq = s->last_seq = LC_NONE;
	s->shortest.smallest = true;
	s->procs_cap = 1024;
	s->procs = calloc(s->procs_cap, sizeof(*s->procs));
	s->comms_cap = 256;
	s->comms = calloc(s->comms_cap, sizeof(*s->comms));
	if (!s->procs || !s->comms) {
		sum_free(s);
		return -1;
	}
	return 0;
}

void sum_free(struct summary *s)
{
	free(s->procs);
	free(s->comms);
	free(s->order);
	free(s->orphans.v);
	free(s->deaths.v);
	free(s->unreaped.v);
	s->procs = NULL;
	s->comms = NULL;
	s->order = NULL;
	s->orphans.v = s->deaths.v = s->unreaped.v = NULL;
}

/* ---- the process table: linear probing, backward-shift deletion ---- */

static size_t pslot(long long tgid, size_t cap)
{
	return (unsigned long long)tgid * 0x9e3779b97f4a7c15ULL >>
	       (64 - __builtin_ctzll(cap));
}

/* the slot of tgid, or the free slot where it would go */
static struct sum_proc *pfind(const struct summary *s, long long tgid)
{
	size_t i = pslot(tgid, s->procs_cap);

	while (s->procs[i].tgid && s->procs[i].tgid != tgid)
		i = (i + 1) & (s->procs_cap - 1);
	return &s->procs[i];
}

static struct sum_proc *pget(const struct summary *s, long long tgid)
{
	struct sum_proc *e = pfind(s, tgid);

	return e->tgid ? e : NULL;
}

static int pgrow(struct summary *s)
{
	struct summary n = { .procs_cap = s->procs_cap * 2 };
	size_t i;

	n.procs = calloc(n.procs_cap, sizeof(*n.procs));
	if (!n.procs)
		return -1;
	for (i = 0; i < s->procs_cap; i++)
		if (s->procs[i].tgid)
			*pfind(&n, s->procs[i].tgid) = s->procs[i];
	free(s->procs);
	s->procs = n.procs;
	s->procs_cap = n.procs_cap;
	return 0;
}

static void pdel(struct summary *s, struct sum_proc *e)
{
	size_t mask = s->procs_cap - 1, i = e - s->procs, j = i, home;

	for (;;) {
		j = (j + 1) & mask;
		if (!s->procs[j].tgid)
			break;
		home = pslot(s->procs[j].tgid, s->procs_cap);
		/* move j back to i unless its home lies in (i, j] */
		if (i < j ? home <= i || home > j : home <= i && home > j) {
			s->procs[i] = s->procs[j];
			i = j;
		}
	}
	memset(&s->procs[i], 0, sizeof(s->procs[i]));
	s->nprocs--;
}

/* a new process in the table; NULL when it is full (or out of memory) */
static struct sum_proc *padd(struct summary *s, const struct lc_entry *r)
{
	struct sum_proc *e;

	if (s->nprocs >= SUM_PROCS_MAX)
		return NULL;
	if (2 * (s->nprocs + 1) > s->procs_cap && pgrow(s)) {
		s->oom = true;
		return NULL;
	}
	e = pfind(s, r->tgid);
	memset(e, 0, sizeof(*e));
	e->tgid = r->tgid;
	e->start = r->start_ns;
	e->fork_ts = e->exit_ts = LC_NONE;
	e->killer_start = LC_NONE;
	s->nprocs++;
	return e;
}

/* the comm of tgid when the table holds it (as start, when known) */
static const char *pcomm(const struct summary *s, long long tgid,
			 long long start)
{
	const struct sum_proc *e;

	if (tgid <= 0 || tgid > LC_PID_MAX)
		return "";
	e = pget(s, tgid);
	if (!e || (start != LC_NONE && e->start != LC_NONE &&
		   e->start != start))
		return "";
	return e->comm;
}

static void copy_comm(char *dst, const char *src)
{
	size_t n = strnlen(src, LC_COMM_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The process r is about, made when new.  NULL for a record about an
 * incarnation already gone, or when the table has no room.
 */
static struct sum_proc *proc_of(struct summary *s, const struct lc_entry *r)
{
	struct sum_proc *e = pget(s, r->tgid);
	bool birth = r->type == LC_EV_FORK && r->fork.thread != 1;
	bool known = e && e->start != LC_NONE && r->start_ns != LC_NONE;

	if (known && r->start_ns < e->start)
		return NULL;
	if (e && (birth || (known && r->start_ns > e->start))) {
		pdel(s, e);
		e = NULL;
	}
	if (!e) {
		e = padd(s, r);
		if (!e) {
			s->untracked++;
			return NULL;
		}
		copy_comm(e->comm, r->comm);
		e->born = birth || (r->start_ns != LC_NONE &&
				    r->start_ns >= s->first_ts);
		if (birth)
			e->fork_ts = r->ts_ns;
	}
	if (e->start == LC_NONE)
		e->start = r->start_ns;
	if (r->pid == r->tgid && r->type != LC_EV_FORK)
		copy_comm(e->comm, r->comm);
	e->parent = r->ppid;
	e->parent_start = r->parent_start_ns;
	return e;
}

/* ---- the lists ---- */

static bool better(const struct sum_top *t, const struct sum_row *a,
		   const struct sum_row *b)
{
	if (a->value != b->value)
		return t->smallest ? a->value < b->value : a->value > b->value;
	return a->seq < b->seq;
}

static void top_add(struct sum_top *t, const struct sum_row *row)
{
	int i;

	if (t->n == SUM_TOP && !better(t, row, &t->v[SUM_TOP - 1]))
		return;
	i = t->n < SUM_TOP ? t->n++ : SUM_TOP - 1;
	for (; i > 0 && better(t, row, &t->v[i - 1]); i--)
		t->v[i] = t->v[i - 1];
	t->v[i] = *row;
}

static void list_add(struct summary *s, struct sum_list *l,
		     const struct sum_row *row)
{
	struct sum_row *v;

	l->total++;
	if (l->n >= SUM_LIST_MAX)
		return;
	v = lc_grow(l->v, &l->cap, l->n, sizeof(*v), 16);
	if (!v) {
		s->oom = true;
		return;
	}
	l->v = v;
	l->v[l->n++] = *row;
}

static void row_init(struct sum_row *row, const struct lc_entry *r,
		     const struct sum_proc *e)
{
	memset(row, 0, sizeof(*row));
	row->seq = r->seq;
	row->ts = r->ts_ns;
	row->pid = r->tgid;
	row->start = r->start_ns != LC_NONE ? r->start_ns :
		     e ? e->start : LC_NONE;
	row->value = row->peer = row->peer_tgid = row->peer_start = LC_NONE;
	row->old = row->old_start = LC_NONE;
	row->sig = row->core = row->zombie = LC_NONE;
	copy_comm(row->comm, r->comm);
}

/* ---- the events ---- */

/* what kills a process that does not handle it */
static bool fatal_signal(long long sig)
{
	switch (sig) {
	case 17: case 18: case 19: case 20:	/* CHLD CONT STOP TSTP */
	case 21: case 22: case 23: case 28:	/* TTIN TTOU URG WINCH */
		return false;
	default:
		return sig > 0 && sig <= LC_SIG_MAX;
	}
}

static void on_signal(struct summary *s, const struct lc_entry *r,
		      struct sum_proc *e)
{
	if (!e || !fatal_signal(r->sig.signal) ||
	    (r->sig.result && !strcmp(r->sig.result, "ignored")))
		return;
	e->kill_sig = r->sig.signal;
	e->killer_pid = r->sig.sender_pid == LC_NONE ? -1 : r->sig.sender_pid;
	e->killer_tgid = r->sig.sender_tgid == LC_NONE ? -1 :
			 r->sig.sender_tgid;
	e->killer_start = r->sig.sender_start_ns;
	copy_comm(e->killer_comm, pcomm(s, r->sig.sender_tgid,
					r->sig.sender_start_ns));
}

/* the process's life: exit - start_ns, age_ns, or exit - its fork */
static long long lifetime(const struct lc_entry *r, const struct sum_proc *e)
{
	if (e->start != LC_NONE)
		return r->ts_ns - e->start;
	if (r->pid == r->tgid && r->exit.age_ns != LC_NONE)
		return r->exit.age_ns;
	if (e->fork_ts != LC_NONE)
		return r->ts_ns - e->fork_ts;
	return LC_NONE;
}

static void exit_signal(const struct lc_entry *r, long long *sig)
{
	*sig = r->exit.signal;
	if (*sig == LC_NONE && r->exit.status != LC_NONE)
		*sig = r->exit.status & 0x7f;
	if (*sig == LC_NONE || *sig == 0x7f)
		*sig = 0;
}

static void on_exit_rec(struct summary *s, const struct lc_entry *r,
		    struct sum_proc *e, bool shown)
{
	struct sum_row row;
	long long sig, life = LC_NONE;

	if (r->exit.group_dead != 1)
		return;
	if (e) {
		e->exit_ts = r->ts_ns;
		e->exit_shown = shown;
		if (e->born)
			life = lifetime(r, e);
	}
	if (!shown)
		return;
	row_init(&row, r, e);
	exit_signal(r, &sig);
	if (sig) {
		row.sig = sig;
		row.core = r->exit.core == 1;
		if (e && e->kill_sig == sig) {
			row.peer = e->killer_pid;
			row.peer_tgid = e->killer_tgid;
			row.peer_start = e->killer_start;
			copy_comm(row.peer_comm, e->killer_comm);
		}
		list_add(s, &s->deaths, &row);
		row.peer = row.peer_tgid = row.peer_start = LC_NONE;
		row.peer_comm[0] = '\0';
	}
	if (life == LC_NONE) {
		s->unborn++;
		return;
	}
	row.value = life;
	s->lives++;
	top_add(&s->shortest, &row);
	top_add(&s->longest, &row);
}

static void on_reap(struct summary *s, const struct lc_entry *r,
		    struct sum_proc *e, bool shown)
{
	struct sum_row row;

	if (shown && r->reap.zombie_ns != LC_NONE) {
		row_init(&row, r, e);
		row.value = r->reap.zombie_ns;
		row.peer = row.peer_tgid = r->reap.reaper_tgid;
		row.peer_start = r->reap.reaper_start_ns;
		copy_comm(row.peer_comm, pcomm(s, r->reap.reaper_tgid,
					       r->reap.reaper_start_ns));
		row.word = r->reap.how;
		top_add(&s->zombies, &row);
	}
	if (e)
		pdel(s, e);
}

static void on_reparent(struct summary *s, const struct lc_entry *r,
			struct sum_proc *e, bool shown)
{
	struct sum_row row;

	if (!shown)
		return;
	row_init(&row, r, e);
	row.peer = row.peer_tgid = r->reparent.new_ppid;
	row.peer_start = r->parent_start_ns;
	copy_comm(row.peer_comm, pcomm(s, r->reparent.new_ppid,
				       r->parent_start_ns));
	row.old = r->reparent.old_ppid;
	row.old_start = r->reparent.old_parent_start_ns;
	copy_comm(row.old_comm, pcomm(s, r->reparent.old_ppid,
				      r->reparent.old_parent_start_ns));
	row.word = r->reparent.reason;
	row.zombie = r->reparent.zombie;
	list_add(s, &s->orphans, &row);
}

/* ---- the comms ---- */

static size_t cslot(const char *c, size_t cap)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	return h & (cap - 1);
}

static struct sum_comm *cfind(struct sum_comm *v, size_t cap, const char *c)
{
	size_t i = cslot(c, cap);

	while (v[i].comm[0] && strcmp(v[i].comm, c))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static int cgrow(struct summary *s)
{
	size_t cap = s->comms_cap * 2, i;
	struct sum_comm *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < s->comms_cap; i++)
		if (s->comms[i].comm[0])
			*cfind(v, cap, s->comms[i].comm) = s->comms[i];
	free(s->comms);
	s->comms = v;
	s->comms_cap = cap;
	return 0;
}

static void count_comm(struct summary *s, const struct lc_entry *r)
{
	const char *c = r->comm[0] ? r->comm : "-";
	struct sum_comm *e = cfind(s->comms, s->comms_cap, c);

	if (!e->comm[0] && s->ncomms >= SUM_COMMS_MAX) {
		e = &s->comm_other;
	} else if (!e->comm[0]) {
		if (2 * (s->ncomms + 1) > s->comms_cap) {
			if (cgrow(s)) {
				s->oom = true;
				return;
			}
			e = cfind(s->comms, s->comms_cap, c);
		}
		copy_comm(e->comm, c);
		s->ncomms++;
	}
	e->total++;
	e->ev[r->type]++;
}

/**
 * sum_add() - one record into the summary
 * @s: the summary
 * @r: the record; every record of the log, in order
 *
 * Return: 0, or -1 when out of memory.
 */
int sum_add(struct summary *s, const struct lc_entry *r)
{
	bool shown = s->filter ? filter_match(s->filter, r) : true;
	struct sum_proc *e;

	if (s->first_ts == LC_NONE) {
		s->first_ts = r->ts_ns;
		s->first_seq = r->seq;
	}
	s->last_ts = r->ts_ns;
	s->last_seq = r->seq;
	s->records++;
	if (shown) {
		s->shown++;
		s->ev[r->type]++;
		if (r->type != LC_EV_LOST)
			count_comm(s, r);
	}
	if (r->type == LC_EV_LOST) {
		s->lost += r->lost.count;
		return s->oom ? -1 : 0;
	}
	e = proc_of(s, r);
	switch (r->type) {
	case LC_EV_EXIT:
		on_exit_rec(s, r, e, shown);
		break;
	case LC_EV_REAP:
		if (r->pid == r->tgid)
			on_reap(s, r, e, shown);
		break;
	case LC_EV_REPARENT:
		on_reparent(s, r, e, shown);
		break;
	case LC_EV_SIGNAL:
		on_signal(s, r, e);
		break;
	default:
		break;
	}
	return s->oom ? -1 : 0;
}

/* ---- the end ---- */

static int row_cmp(const void *a, const void *b)
{
	const struct sum_row *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void unreaped(struct summary *s)
{
	struct sum_row *v, row;
	struct sum_proc *e;
	size_t i;

	for (i = 0; i < s->procs_cap; i++) {
		e = &s->procs[i];
		if (!e->tgid || e->exit_ts == LC_NONE || !e->exit_shown)
			continue;
		memset(&row, 0, sizeof(row));
		row.ts = e->exit_ts;
		row.pid = e->tgid;
		row.start = e->start;
		row.value = s->last_ts - e->exit_ts;
		row.peer = row.peer_tgid = e->parent;
		row.peer_start = e->parent_start;
		copy_comm(row.peer_comm, pcomm(s, e->parent, e->parent_start));
		row.old = row.old_start = LC_NONE;
		row.sig = row.core = row.zombie = LC_NONE;
		copy_comm(row.comm, e->comm);
		v = lc_grow(s->unreaped.v, &s->unreaped.cap, s->unreaped.n,
			    sizeof(*v), 16);
		if (!v) {
			s->oom = true;
			return;
		}
		s->unreaped.v = v;
		v[s->unreaped.n++] = row;
	}
	s->unreaped.total = s->unreaped.n;
	qsort(s->unreaped.v, s->unreaped.n, sizeof(row), row_cmp);
	if (s->unreaped.n > SUM_LIST_MAX)
		s->unreaped.n = SUM_LIST_MAX;
}

/* the lineage table, by tgid then birth, for the names the log lacks */
struct lin_index {
	const struct lineage *l;
	unsigned int *v;
};

static const struct lineage *sort_lin;

static int lin_cmp(const void *a, const void *b)
{
	const struct lin_node *x = &sort_lin->v[*(const unsigned int *)a];
	const struct lin_node *y = &sort_lin->v[*(const unsigned int *)b];

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->birth < y->birth ? -1 : x->birth > y->birth;
}

/* the newest entry of tgid (born at start, when known), or NULL */
static const struct lin_node *lin_find(const struct lin_index *ix,
				       long long tgid, long long start)
{
	size_t lo = 0, hi = ix->l->n, mid;
	const struct lin_node *e, *best = NULL;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->l->v[ix->v[mid]].tgid < tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->l->n; lo++) {
		e = &ix->l->v[ix->v[lo]];
		if (e->tgid != tgid)
			break;
		if (start == LC_NONE || e->birth == start)
			best = e;
	}
	return best;
}

static void name_from(const struct lin_index *ix, long long tgid,
		      long long start, char *comm)
{
	const struct lin_node *e;

	if (comm[0] || tgid == LC_NONE || tgid <= 0)
		return;
	e = lin_find(ix, tgid, start);
	if (e)
		copy_comm(comm, e->comm);
}

static void name_rows(const struct lin_index *ix, struct sum_row *v,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		name_from(ix, v[i].peer_tgid, v[i].peer_start, v[i].peer_comm);
		name_from(ix, v[i].old, v[i].old_start, v[i].old_comm);
	}
}

static int name_all(struct summary *s, const struct lineage *l)
{
	struct lin_index ix = { .l = l };
	size_t i;

	if (!l || !l->n)
		return 0;
	ix.v = malloc(l->n * sizeof(*ix.v));
	if (!ix.v)
		return -1;
	for (i = 0; i < l->n; i++)
		ix.v[i] = i;
	sort_lin = l;
	qsort(ix.v, l->n, sizeof(*ix.v), lin_cmp);
	name_rows(&ix, s->zombies.v, s->zombies.n);
	name_rows(&ix, s->orphans.v, s->orphans.n);
	name_rows(&ix, s->deaths.v, s->deaths.n);
	name_rows(&ix, s->unreaped.v, s->unreaped.n);
	free(ix.v);
	return 0;
}

static int comm_cmp(const void *a, const void *b)
{
	const struct sum_comm *x = *(struct sum_comm * const *)a;
	const struct sum_comm *y = *(struct sum_comm * const *)b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

/**
 * sum_end() - finish the summary at the end of the log
 * @s: the summary
 * @l: the lineage table (a live summary), to name processes the log does
 *     not; or NULL
 *
 * Return: 0, or -1 when out of memory.
 */
int sum_end(struct summary *s, const struct lineage *l)
{
	size_t i, n = 0;

	unreaped(s);
	s->order = malloc((s->ncomms + 1) * sizeof(*s->order));
	if (!s->order || s->oom || name_all(s, l))
		return -1;
	for (i = 0; i < s->comms_cap; i++)
		if (s->comms[i].comm[0])
			s->order[n++] = &s->comms[i];
	qsort(s->order, n, sizeof(*s->order), comm_cmp);
	return 0;
}

const struct sum_comm *sum_comm_at(const struct summary *s, size_t i)
{
	return s->order && i < s->ncomms ? s->order[i] : NULL;
}
