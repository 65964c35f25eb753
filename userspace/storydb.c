// SPDX-License-Identifier: GPL-2.0
/*
 * What the log (and, live, the lineage table) says about every process,
 * for "lifecycle story": one struct sproc per incarnation of a pid, with
 * the links to its creator, real parent, adopter and reaper; and the
 * records about the pid the story is of, kept whole.
 *
 * A record belongs to the newest process of its tgid, unless its start_ns
 * says it is another one, or that one was reaped before the record: then
 * the pid was reused and the record starts a new process (whose fork
 * record the log does not hold).
 */
#include <stdlib.h>
#include <string.h>
#include "story.h"

#define FORK_SLACK_NS	1000000000LL	/* birth_ns to its fork record */

void sdb_init(struct story_db *db, long long target)
{
	memset(db, 0, sizeof(*db));
	db->target = target;
}

void sdb_free(struct story_db *db)
{
	free(db->v);
	free(db->kept);
	pidmap_free(&db->cur);
	log_free(&db->recs);
	memset(db, 0, sizeof(*db));
}

long long sp_birth(const struct sproc *p)
{
	if (p->start != LC_NONE)
		return p->start;
	return p->fork_ts != LC_NONE ? p->fork_ts : LLONG_MIN;
}

long long sp_key_start(const struct sproc *p)
{
	return p->start != LC_NONE ? p->start : p->fork_ts;
}

const char *sp_key(const struct sproc *p, char *buf, size_t len)
{
	long long s = sp_key_start(p);

	if (s == LC_NONE)
		snprintf(buf, len, "%d@-", p->tgid);
	else
		snprintf(buf, len, "%d@%lld", p->tgid, s);
	return buf;
}

long long sp_lifetime(const struct sproc *p)
{
	if (!p->exited || p->exit_ts == LC_NONE)
		return LC_NONE;
	if (p->age_ns != LC_NONE)
		return p->age_ns;
	if (sp_key_start(p) == LC_NONE)
		return LC_NONE;
	return p->exit_ts - sp_key_start(p);
}

void sp_status(const struct sproc *p, long long *code, long long *sig,
	       bool *core)
{
	long long st = p->status;

	*code = p->code;
	*sig = p->signal;
	if ((*code == LC_NONE || *sig == LC_NONE) && st != LC_NONE) {
		*code = (st & 0x7f) ? LC_NONE : (st >> 8) & 0xff;
		*sig = (st & 0x7f) ? st & 0x7f : LC_NONE;
	}
	if (*sig == 0)
		*sig = LC_NONE;
	*core = p->core == 1 ||
		(p->core == LC_NONE && st != LC_NONE && (st & 0x80));
}

/*
 * A new process of tgid: the newest of its pid when the log tells of it
 * (in order), or when the lineage table's is born after that one.
 */
static int sp_new(struct story_db *db, long long tgid, long long start,
		  bool from_log)
{
	struct sproc *v = lc_grow(db->v, &db->cap, db->n, sizeof(*v), 256);
	struct pid_info *e = pidmap_add(&db->cur, tgid);
	struct sproc *p;

	if (!v || !e) {
		db->oom = true;
		return -1;
	}
	db->v = v;
	p = &v[db->n];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->creator_pid = p->creator_tgid = p->parent = -1;
	p->creator = p->parent_sp = p->reaper = p->adopter = SP_NONE;
	p->reaper_tgid = -1;
	p->start = start;
	p->fork_ts = p->first_ts = p->clone_flags = LC_NONE;
	p->exit_ts = p->status = p->code = p->signal = LC_NONE;
	p->core = p->age_ns = p->reap_ts = p->zombie_ns = LC_NONE;
	if (from_log || e->idx < 0 || sp_birth(&v[e->idx]) <= sp_birth(p))
		e->idx = db->n;
	return db->n++;
}

/* the process tgid is at ts (start, when known, tells it) */
static int sp_of(struct story_db *db, long long tgid, long long start,
		 long long ts)
{
	const struct pid_info *e = pidmap_get(&db->cur, tgid);
	struct sproc *p = e && e->idx >= 0 ? &db->v[e->idx] : NULL;
	int i;

	if (p && start != LC_NONE && p->start != LC_NONE && p->start != start)
		p = NULL;
	if (p && p->reaped && p->reap_ts != LC_NONE && ts > p->reap_ts)
		p = NULL;
	if (p) {
		if (p->start == LC_NONE)
			p->start = start;
		return p - db->v;
	}
	i = sp_new(db, tgid, start, true);
	if (i >= 0)
		db->v[i].first_ts = ts;
	return i;
}

static void set_comm(struct sproc *p, const char *comm)
{
	if (!p->comm[0])
		memcpy(p->comm, comm, LC_COMM_LEN);
}

/* a fork record: a new process, and who made it */
static int sp_born(struct story_db *db, const struct lc_entry *r)
{
	long long ct = r->fork.creator_tgid;
	int c = SP_NONE, par, me;
	struct sproc *p;

	if (ct != LC_NONE && ct > 0) {
		c = sp_of(db, ct, r->fork.creator_start_ns, r->ts_ns);
		if (c < 0)
			return -1;
		set_comm(&db->v[c], r->comm);
	}
	par = c;
	if (r->ppid > 0 && r->ppid != ct) {
		par = sp_of(db, r->ppid, r->parent_start_ns, r->ts_ns);
		if (par < 0)
			return -1;
	}
	me = sp_new(db, r->tgid, r->start_ns, true);
	if (me < 0)
		return -1;
	p = &db->v[me];
	p->first_ts = p->fork_ts = r->ts_ns;
	p->clone_flags = r->fork.clone_flags;
	p->vfork = r->fork.vfork == 1;
	p->creator_pid = r->fork.creator_pid == LC_NONE ? -1 :
			 r->fork.creator_pid;
	p->creator_tgid = ct == LC_NONE ? -1 : ct;
	p->parent = r->ppid;
	p->creator = c;
	p->parent_sp = par;
	if (c != SP_NONE && db->v[c].desc)
		p->desc = true;
	return me;
}

static void note_exit(struct sproc *p, const struct lc_entry *r)
{
	if (r->exit.group_dead != 1)
		return;
	p->exited = true;
	p->exit_ts = r->ts_ns;
	p->status = r->exit.status;
	p->code = r->exit.code;
	p->signal = r->exit.signal;
	p->core = r->exit.core;
	if (r->pid == r->tgid)
		p->age_ns = r->exit.age_ns;
}

static int keep(struct story_db *db, const struct lc_entry *r, int sp,
		int other, bool sent)
{
	struct skept *k = lc_grow(db->kept, &db->kept_cap, db->recs.n,
				  sizeof(*k), 256);

	if (!k) {
		db->oom = true;
		return -1;
	}
	db->kept = k;
	k[db->recs.n].sp = sp;
	k[db->recs.n].other = other;
	k[db->recs.n].sent = sent;
	if (log_append(&db->recs, r, true)) {
		db->oom = true;
		return -1;
	}
	return 0;
}

/* the other process an event names: adopter, reaper or sender */
static int other_of(struct story_db *db, const struct lc_entry *r)
{
	long long ts = r->ts_ns;

	switch (r->type) {
	case LC_EV_REAP:
		if (r->pid != r->tgid || r->reap.reaper_tgid == LC_NONE ||
		    r->reap.reaper_tgid <= 0)
			return SP_NONE;
		return sp_of(db, r->reap.reaper_tgid, r->reap.reaper_start_ns,
			     ts);
	case LC_EV_REPARENT:
		if (r->reparent.new_ppid == LC_NONE)
			return SP_NONE;
		return sp_of(db, r->reparent.new_ppid,
			     r->ppid == r->reparent.new_ppid ?
			     r->parent_start_ns : LC_NONE, ts);
	case LC_EV_SIGNAL:
		if (r->sig.sender_pid == LC_NONE || r->sig.sender_pid <= 0 ||
		    r->sig.sender_tgid == LC_NONE)
			return SP_NONE;
		return sp_of(db, r->sig.sender_tgid, r->sig.sender_start_ns,
			     ts);
	default:
		return SP_NONE;
	}
}

/* what the record tells of its process, and of the other one */
static void learn(struct story_db *db, int me, int other,
		  const struct lc_entry *r)
{
	struct sproc *p = &db->v[me];

	p->in_log = true;
	if (r->pid == r->tgid || r->type == LC_EV_EXEC)
		memcpy(p->comm, r->comm, LC_COMM_LEN);
	set_comm(p, r->comm);
	switch (r->type) {
	case LC_EV_EXIT:
		note_exit(p, r);
		break;
	case LC_EV_REAP:
		if (r->pid != r->tgid)
			break;
		p->reaped = true;
		p->reap_ts = r->ts_ns;
		p->zombie_ns = r->reap.zombie_ns;
		p->how = r->reap.how;
		p->reaper = other;
		p->reaper_tgid = r->reap.reaper_tgid == LC_NONE ? -1 :
				 r->reap.reaper_tgid;
		break;
	case LC_EV_REPARENT:
		p->nadopt++;
		p->adopter = other;
		break;
	default:
		break;
	}
}

/**
 * sdb_add() - take one record in, in log order
 * @db: the table
 * @r: the record
 *
 * Return: the process the record is about (SP_NONE for a lost record),
 * or -2 when out of memory.
 */
int sdb_add(struct story_db *db, const struct lc_entry *r)
{
	int me, other;

	if (r->type == LC_EV_LOST)
		return keep(db, r, SP_NONE, SP_NONE, false) ? -2 : SP_NONE;
	if (r->type == LC_EV_FORK && r->fork.thread != 1)
		me = sp_born(db, r);
	else
		me = sp_of(db, r->tgid, r->start_ns, r->ts_ns);
	if (me < 0)
		return -2;
	other = other_of(db, r);
	if (other == -1 && db->oom)
		return -2;
	learn(db, me, other, r);
	if (r->tgid == db->target && keep(db, r, me, other, false))
		return -2;
	if (r->type == LC_EV_SIGNAL && other >= 0 &&
	    r->sig.sender_tgid == db->target && r->tgid != db->target &&
	    keep(db, r, other, me, true))
		return -2;
	return me;
}

/* processes sorted by tgid, then birth: to find who a pid was, when */
struct by_pid {
	const struct story_db *db;
	int *v;
	size_t n;
};

static int cmp_pid_birth(const void *a, const void *b, void *arg)
{
	const struct story_db *db = arg;
	const struct sproc *x = &db->v[*(const int *)a];
	const struct sproc *y = &db->v[*(const int *)b];

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (sp_birth(x) != sp_birth(y))
		return sp_birth(x) < sp_birth(y) ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

static int by_pid_build(struct by_pid *b, const struct story_db *db)
{
	size_t i;

	b->db = db;
	b->n = db->n;
	b->v = malloc((db->n + 1) * sizeof(*b->v));
	if (!b->v)
		return -1;
	for (i = 0; i < db->n; i++)
		b->v[i] = i;
	qsort_r(b->v, b->n, sizeof(*b->v), cmp_pid_birth, (void *)db);
	return 0;
}

/* the process tgid was at when: the newest born by then, or SP_NONE */
static int by_pid_at(const struct by_pid *b, long long tgid, long long when)
{
	size_t lo = 0, hi = b->n, mid;
	const struct sproc *p;

	while (lo < hi) {	/* the first entry past (tgid, when) */
		mid = lo + (hi - lo) / 2;
		p = &b->db->v[b->v[mid]];
		if (p->tgid < tgid || (p->tgid == tgid && sp_birth(p) <= when))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || b->db->v[b->v[lo - 1]].tgid != tgid)
		return SP_NONE;
	return b->v[lo - 1];
}

/* whether lineage entry e is the process p of the log */
static bool same_process(const struct sproc *p, const struct lin_node *e)
{
	if (p->tgid != e->tgid || p->in_lineage)
		return false;
	if (p->start != LC_NONE)
		return p->start == e->birth;
	if (p->fork_ts != LC_NONE)
		return e->birth <= p->fork_ts &&
		       p->fork_ts - e->birth < FORK_SLACK_NS;
	return e->birth <= p->first_ts &&
	       (e->reap == LC_NONE || e->reap >= p->first_ts);
}

static int find_match(const struct story_db *db, const struct by_pid *b,
		      const struct lin_node *e)
{
	size_t lo = 0, hi = b->n, mid;
	int i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (db->v[b->v[mid]].tgid < e->tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->n && db->v[b->v[lo]].tgid == e->tgid; lo++) {
		i = b->v[lo];
		if (same_process(&db->v[i], e))
			return i;
	}
	return SP_NONE;
}

/* what the table knows that the log did not say */
static void fill(struct sproc *p, const struct lin_node *e)
{
	p->in_lineage = true;
	p->state = e->state;
	if (p->start == LC_NONE)
		p->start = e->birth;
	if (p->creator_tgid < 0) {
		p->creator_pid = e->creator_pid;
		p->creator_tgid = e->creator_tgid;
	}
	if (p->parent < 0 && p->fork_ts == LC_NONE)
		p->parent = e->parent;
	set_comm(p, e->comm);
	if (!p->exited && e->exit != LC_NONE) {
		p->exited = true;
		p->exit_ts = e->exit;
		p->status = e->status < 0 ? LC_NONE : e->status;
	}
	if (!p->reaped && e->reap != LC_NONE) {
		p->reaped = true;
		p->reap_ts = e->reap;
	}
}

/* creators and adopters the table names, now that every process is in */
static void link_lineage(struct story_db *db, const struct by_pid *b,
			 const struct lineage *l, const int *match)
{
	const struct lin_adopt *a;
	struct sproc *p;
	size_t i;

	for (i = 0; i < l->n; i++) {
		p = &db->v[match[i]];
		if (p->creator == SP_NONE && p->creator_tgid > 0 &&
		    p->creator_tgid != p->tgid)
			p->creator = by_pid_at(b, p->creator_tgid,
					       sp_birth(p));
		if (p->nadopt || !l->v[i].nadopt)
			continue;
		a = &l->adopt[l->v[i].adopt + l->v[i].nadopt - 1];
		p->nadopt = l->v[i].nadopt;
		p->adopter = by_pid_at(b, a->ppid, a->ts);
	}
}

/**
 * sdb_merge_lineage() - add what the lineage table knows
 * @db: the table, the log read in
 * @l: the lineage table
 *
 * Each entry is matched to the log's process (by start_ns, or else by
 * its fork record's time) and fills what the log did not say; the others
 * are added.  Then creators and adopters are linked.
 *
 * Return: 0, or -1 when out of memory.
 */
int sdb_merge_lineage(struct story_db *db, const struct lineage *l)
{
	int *match = malloc((l->n + 1) * sizeof(*match));
	struct by_pid b = { 0 };
	size_t i;
	int ret = -1;

	if (!match || by_pid_build(&b, db))
		goto out;
	for (i = 0; i < l->n; i++) {
		match[i] = find_match(db, &b, &l->v[i]);
		if (match[i] == SP_NONE)
			match[i] = sp_new(db, l->v[i].tgid, l->v[i].birth,
					  false);
		if (match[i] < 0)
			goto out;
		fill(&db->v[match[i]], &l->v[i]);
	}
	free(b.v);
	if (by_pid_build(&b, db))
		goto out;
	link_lineage(db, &b, l, match);
	ret = 0;
out:
	free(b.v);
	free(match);
	return ret;
}

static int cmp_birth(const void *a, const void *b, void *arg)
{
	const struct story_db *db = arg;
	long long x = sp_birth(&db->v[*(const int *)a]);
	long long y = sp_birth(&db->v[*(const int *)b]);

	if (x != y)
		return x < y ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

int *sdb_incarnations(const struct story_db *db, long long tgid, size_t *n)
{
	int *v = malloc((db->n + 1) * sizeof(*v));
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < db->n; i++)
		if (db->v[i].tgid == tgid)
			v[(*n)++] = i;
	qsort_r(v, *n, sizeof(*v), cmp_birth, (void *)db);
	return v;
}

/* children lists by creation: first[i] and next[i], in birth order */
static int children(const struct story_db *db, int *first, int *next)
{
	int *order = malloc((db->n + 1) * sizeof(*order));
	size_t i;
	int c;

	if (!order)
		return -1;
	for (i = 0; i < db->n; i++) {
		order[i] = i;
		first[i] = next[i] = SP_NONE;
	}
	qsort_r(order, db->n, sizeof(*order), cmp_birth, (void *)db);
	for (i = db->n; i-- > 0;) {
		c = db->v[order[i]].creator;
		if (c == SP_NONE || c == order[i])
			continue;
		next[order[i]] = first[c];
		first[c] = order[i];
	}
	free(order);
	return 0;
}

/**
 * sdb_descendants() - every process root created, and they created
 * @db: the table
 * @root: the process
 * @n: set to how many
 *
 * Depth first, each process's children in birth order.
 *
 * Return: the list (malloc'ed), or NULL with *n 0 when there are none or
 * memory ran out (then db->oom is set).
 */
struct sdesc *sdb_descendants(struct story_db *db, int root, size_t *n)
{
	int *first = malloc((db->n + 1) * sizeof(int));
	int *next = malloc((db->n + 1) * sizeof(int));
	struct sdesc *out = NULL, *stack = NULL, *grown, cur;
	size_t cap = 0, scap = 0, sn = 0;

	*n = 0;
	if (!first || !next || children(db, first, next))
		goto oom;
	if (first[root] == SP_NONE)
		goto done;
	stack = malloc(sizeof(*stack));
	if (!stack)
		goto oom;
	scap = 1;
	stack[sn++] = (struct sdesc){ first[root], 1 };
	while (sn) {
		cur = stack[--sn];
		if (*n >= db->n)	/* a cycle: never more than all */
			break;
		grown = lc_grow(out, &cap, *n, sizeof(*out), 64);
		if (!grown)
			goto oom;
		out = grown;
		out[(*n)++] = cur;
		if (sn + 2 > scap) {
			grown = realloc(stack, 2 * (sn + 2) * sizeof(*grown));
			if (!grown)
				goto oom;
			stack = grown;
			scap = 2 * (sn + 2);
		}
		if (next[cur.sp] != SP_NONE)
			stack[sn++] = (struct sdesc){ next[cur.sp], cur.depth };
		if (first[cur.sp] != SP_NONE)
			stack[sn++] = (struct sdesc){ first[cur.sp],
						      cur.depth + 1 };
	}
	goto done;
oom:
	db->oom = true;
	free(out);
	out = NULL;
	*n = 0;
done:
	free(stack);
	free(first);
	free(next);
	return out;
}
