// SPDX-License-Identifier: GPL-2.0
/*
 * lineage.c - every live process and the most recently reaped ones.
 *
 * A module can walk neither tasklist_lock nor ->children, so lifecycle
 * keeps its own table, keyed on (tgid, start_boottime) so that a reused
 * pid never aliases an older process.  Entries come from a pool sized by
 * lineage_size and allocated at load; when the pool is empty the oldest
 * reaped entry is evicted.
 *
 * Locking: one raw spinlock, lc_lin_lock, covers the hash, the pool, the
 * free list and the reaped FIFO.  It is raw because probes take it with
 * preemption off (and the scheduler's locks held), also on PREEMPT_RT, so
 * every section under it does a bounded amount of work: a hash lookup or
 * an allocation (eviction pops one entry), or, on the control path, one
 * chunk of at most LC_LIN_CHUNK entries.  Walks over the whole pool
 * (track pid, untrack, clear, the debugfs dump) drop the lock between
 * chunks.  Each entry keeps its parent's (tgid, start), so that a
 * descendant is found through the hash, not by a scan.
 */
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "lc.h"
#include "stats.h"

#define LC_ADOPT_MAX	4
/* Entries one lock acquisition may visit on the control path. */
#define LC_LIN_CHUNK	64

enum {
	LIN_USED	= BIT(0),
	LIN_EXITED	= BIT(1),
	LIN_REAPED	= BIT(2),
	LIN_SEEDED	= BIT(3),	/* existed at load: creator unknown */
	LIN_TRACKED	= BIT(4),	/* selected for state tracking */
	/* BIT(5) to BIT(7): LC_JC_STOPPED, _CONTINUED, _UNTOLD */
};

#define LIN_JC_SHIFT	5
#define LIN_JC(bits)	((bits) << LIN_JC_SHIFT)
#define LIN_JC_MASK	LIN_JC(LC_JC_STATE | LC_JC_UNTOLD)
static_assert(!(LIN_JC_MASK & ~U8_MAX) && !(LIN_JC_MASK & (LIN_TRACKED * 2 - 1)));

struct lc_adopt {
	u64 ts;
	pid_t ppid;
	u8 reason;
};

struct lc_lin {
	struct hlist_node node;
	struct list_head dead;		/* on lc_reaped once reaped */
	u64 start;
	u64 parent_start;	/* the parent's key with parent_tgid */
	u64 birth;
	u64 exec;
	u64 exit;
	u64 zombie;		/* when its parent was told: 0 until then */
	u64 reap;
	pid_t tgid;
	pid_t creator_pid;
	pid_t creator_tgid;
	pid_t parent_tgid;
	pid_t sid;
	pid_t pgid;
	int status;
	u8 flags;
	u8 nadopt;
	char comm[LC_COMM_LEN];
	struct lc_adopt adopt[LC_ADOPT_MAX];
};

static struct lc_lin *lc_pool;
static struct hlist_head *lc_buckets;
static unsigned int lc_hash_bits;
static HLIST_HEAD(lc_free);
static LIST_HEAD(lc_reaped);
static unsigned int lc_used;
static DEFINE_RAW_SPINLOCK(lc_lin_lock);

static struct hlist_head *lc_bucket(pid_t tgid, u64 start)
{
	return &lc_buckets[hash_64((u64)tgid ^ (start << 16), lc_hash_bits)];
}

/*
 * lc_find() - the entry of process (@tgid, @start), or NULL
 *
 * Context: lc_lin_lock held.
 */
static struct lc_lin *lc_find(pid_t tgid, u64 start)
{
	struct lc_lin *e;

	lockdep_assert_held(&lc_lin_lock);
	hlist_for_each_entry(e, lc_bucket(tgid, start), node)
		if (e->tgid == tgid && e->start == start)
			return e;
	return NULL;
}

/* Context: lc_lin_lock held. */
static struct lc_lin *lc_find_task(struct task_struct *t)
{
	struct lc_lin *e = lc_find(t->tgid, t->group_leader->start_boottime);

	if (!e)
		lc_count(LC_CNT_LINEAGE_MISSING);
	return e;
}

/*
 * lc_alloc() - a new entry for (@tgid, @start), hashed; NULL when full
 *
 * Evicts the oldest reaped entry when no entry is free: O(1).
 * Context: lc_lin_lock held.
 */
static struct lc_lin *lc_alloc(pid_t tgid, u64 start)
{
	struct lc_lin *e;

	lockdep_assert_held(&lc_lin_lock);
	if (hlist_empty(&lc_free)) {
		e = list_first_entry_or_null(&lc_reaped, struct lc_lin, dead);
		if (!e) {
			lc_count(LC_CNT_LINEAGE_FULL);
			return NULL;
		}
		list_del(&e->dead);
		hlist_del(&e->node);
		lc_count(LC_CNT_LINEAGE_EVICTED);
	} else {
		e = hlist_entry(lc_free.first, struct lc_lin, node);
		hlist_del(&e->node);
		lc_used++;
	}
	/* Field by field: every one the table reads, nothing more. */
	INIT_LIST_HEAD(&e->dead);
	e->tgid = tgid;
	e->start = start;
	e->birth = 0;
	e->exec = 0;
	e->exit = 0;
	e->zombie = 0;
	e->reap = 0;
	e->creator_pid = 0;
	e->creator_tgid = 0;
	e->parent_tgid = 0;
	e->parent_start = 0;
	e->sid = 0;
	e->pgid = 0;
	e->status = 0;
	e->flags = LIN_USED;
	e->nadopt = 0;
	e->comm[0] = '\0';
	hlist_add_head(&e->node, lc_bucket(tgid, start));
	lc_count(LC_CNT_LINEAGE_ADDED);
	return e;
}

/**
 * lc_lineage_init() - allocate the pool and the hash buckets
 *
 * Return: 0 or -ENOMEM.
 */
int lc_lineage_init(void)
{
	unsigned int i;

	lc_hash_bits = ilog2(roundup_pow_of_two(lc_lineage_size));
	lc_pool = vzalloc(array_size(lc_lineage_size, sizeof(*lc_pool)));
	lc_buckets = vzalloc(array_size(1U << lc_hash_bits,
					sizeof(*lc_buckets)));
	if (!lc_pool || !lc_buckets) {
		lc_lineage_exit();
		return -ENOMEM;
	}
	for (i = 0; i < lc_lineage_size; i++)
		hlist_add_head(&lc_pool[i].node, &lc_free);
	lc_used = 0;
	return 0;
}

/**
 * lc_lineage_exit() - free the table; no probe may be running
 */
void lc_lineage_exit(void)
{
	vfree(lc_pool);
	vfree(lc_buckets);
	lc_pool = NULL;
	lc_buckets = NULL;
	INIT_HLIST_HEAD(&lc_free);
	INIT_LIST_HEAD(&lc_reaped);
}

static void lc_fill(struct lc_lin *e, struct task_struct *t)
{
	struct task_struct *parent = lc_rcu(t->real_parent);

	e->parent_tgid = parent->tgid;
	e->parent_start = parent->group_leader->start_boottime;
	e->sid = pid_nr(task_session(t));
	e->pgid = pid_nr(task_pgrp(t));
	e->birth = t->start_boottime;
	memcpy(e->comm, t->comm, LC_COMM_LEN);
	e->comm[LC_COMM_LEN - 1] = '\0';
}

/* A process stopped, or continued and not yet told, at load (kprobes.c). */
static unsigned int lc_seed_jobctl(struct task_struct *p)
{
	unsigned int sflags = READ_ONCE(p->signal->flags);

	if (sflags & SIGNAL_STOP_STOPPED)
		return LC_JC_STOPPED;
	return sflags & SIGNAL_CLD_MASK ? LC_JC_CONTINUED : 0;
}

/**
 * lc_lineage_seed() - enter every process that exists at load time
 *
 * Their creator is unknown; the parent they have now stands in for it.
 * The lock is taken once per process, for one lookup and one allocation.
 *
 * Context: process context, may sleep.
 */
void lc_lineage_seed(void)
{
	struct task_struct *p;
	struct lc_lin *e;
	unsigned long flags;

	rcu_read_lock();
	for_each_process(p) {
		raw_spin_lock_irqsave(&lc_lin_lock, flags);
		/* One forked since the probes went live is known better. */
		e = lc_find(p->tgid, p->start_boottime) ? NULL :
		    lc_alloc(p->tgid, p->start_boottime);
		if (e) {
			lc_fill(e, p);
			e->creator_tgid = e->parent_tgid;
			e->creator_pid = e->parent_tgid;
			e->flags |= LIN_SEEDED | LIN_JC(lc_seed_jobctl(p));
		}
		raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	}
	rcu_read_unlock();
}

/**
 * lc_lineage_fork() - enter a new process
 * @child: the new task; threads are ignored
 * @creator: the thread that created it (current)
 */
void lc_lineage_fork(struct task_struct *child, struct task_struct *creator)
{
	struct task_struct *parent;
	struct lc_lin *e, *pe;
	unsigned long flags;

	if (child->pid != child->tgid)
		return;
	parent = lc_rcu(child->real_parent);
	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_alloc(child->tgid, child->start_boottime);
	if (e) {
		lc_fill(e, child);
		e->creator_pid = creator->pid;
		e->creator_tgid = creator->tgid;
		pe = lc_state_selecting() ?
		     lc_find(parent->tgid, parent->group_leader->start_boottime) :
		     NULL;
		if (pe && (pe->flags & LIN_TRACKED))
			e->flags |= LIN_TRACKED;
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
}

/**
 * lc_lineage_exec() - note an exec and the new comm
 * @t: the task that exec'd (now the leader)
 * @ts: when
 */
void lc_lineage_exec(struct task_struct *t, u64 ts)
{
	struct lc_lin *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find_task(t);
	if (e) {
		e->exec = ts;
		memcpy(e->comm, t->comm, LC_COMM_LEN);
		e->comm[LC_COMM_LEN - 1] = '\0';
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
}

/**
 * lc_lineage_exit_group() - the process's last thread exits
 * @t: the exiting thread
 * @status: the wait status its parent will see
 * @ts: when
 *
 * Before 6.16 two threads exiting together can both believe they are the
 * last; only the first is told so.
 *
 * Return: true for the first caller per process (or when untracked).
 */
bool lc_lineage_exit_group(struct task_struct *t, int status, u64 ts)
{
	struct lc_lin *e;
	unsigned long flags;
	bool first = true;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find_task(t);
	if (e) {
		first = !(e->flags & LIN_EXITED);
		if (first) {
			e->flags |= LIN_EXITED;
			e->status = status;
			e->exit = ts;
			/* prctl(PR_SET_NAME) since exec is seen here */
			memcpy(e->comm, t->group_leader->comm, LC_COMM_LEN);
			e->comm[LC_COMM_LEN - 1] = '\0';
		}
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	return first;
}

/**
 * lc_lineage_reap() - the process's zombie was released
 * @t: its leader
 * @ts: when
 *
 * Return: how long it was a zombie, in ns (0 when its exit was not seen).
 */
u64 lc_lineage_reap(struct task_struct *t, u64 ts)
{
	struct lc_lin *e;
	unsigned long flags;
	u64 zombie = 0;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find(t->tgid, t->start_boottime);
	if (e && !(e->flags & LIN_REAPED)) {
		u64 since = e->zombie ?: e->exit;

		if ((e->flags & LIN_EXITED) && ts > since)
			zombie = ts - since;
		e->flags |= LIN_REAPED;
		e->reap = ts;
		list_add_tail(&e->dead, &lc_reaped);
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	return zombie;
}

/**
 * lc_lineage_zombie() - the exiting process's parent is being told
 * @t: the thread notifying (the last one, or its leader)
 * @ts: when
 *
 * do_notify_parent() runs once the process is a zombie, so this, not the
 * exit tracepoint that fires before the teardown, is where its zombie
 * time starts.  A later call (an exiting parent that notifies its own
 * parent after adopting children away) moves it later, to the truth.
 */
void lc_lineage_zombie(struct task_struct *t, u64 ts)
{
	struct lc_lin *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find_task(t);
	if (e && (e->flags & (LIN_EXITED | LIN_REAPED)) == LIN_EXITED)
		e->zombie = ts;
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
}

/**
 * lc_lineage_reparent() - the kernel gave an orphan a new parent
 * @t: the orphan's leader
 * @np: its new real_parent (a thread of the adopter)
 * @reason: enum lc_reparent_reason
 * @ts: when
 *
 * The history keeps the first LC_ADOPT_MAX - 1 adoptions and the latest.
 *
 * Context: any, with @t and @np pinned (RCU or the caller's locks).
 */
void lc_lineage_reparent(struct task_struct *t, struct task_struct *np,
			 u8 reason, u64 ts)
{
	struct lc_adopt *a;
	struct lc_lin *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find(t->tgid, t->group_leader->start_boottime);
	if (e) {
		e->parent_tgid = np->tgid;
		e->parent_start = np->group_leader->start_boottime;
		a = &e->adopt[min_t(u8, e->nadopt, LC_ADOPT_MAX - 1)];
		a->ppid = np->tgid;
		a->reason = reason;
		a->ts = ts;
		if (e->nadopt < LC_ADOPT_MAX)
			e->nadopt++;
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
}

/**
 * lc_lineage_changes() - what changed since the table last saw @t
 * @t: a process's thread, under rcu_read_lock()
 * @c: filled with the previous and current parent, sid and pgid
 *
 * For the fallbacks of the reparent, setsid and setpgid hooks: the table
 * is updated to the current values.
 *
 * Return: true when the process is in the table.
 */
bool lc_lineage_changes(struct task_struct *t, struct lc_changes *c)
{
	struct lc_lin *e;
	unsigned long flags;

	c->parent = rcu_dereference(t->real_parent)->tgid;
	c->sid = pid_nr(task_session(t));
	c->pgid = pid_nr(task_pgrp(t));
	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find_task(t);
	if (e) {
		c->old_parent = e->parent_tgid;
		c->old_parent_start = e->parent_start;
		c->old_sid = e->sid;
		c->old_pgid = e->pgid;
		e->sid = c->sid;
		e->pgid = c->pgid;
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	return e;
}

/**
 * lc_lineage_jobctl() - change a process's job-control bits
 * @t: a thread of the process
 * @clear: LC_JC_* bits to clear
 * @set: LC_JC_* bits to set then
 *
 * Return: the bits before, or LC_JC_UNKNOWN for a process not in the table.
 */
unsigned int lc_lineage_jobctl(struct task_struct *t, unsigned int clear,
			       unsigned int set)
{
	unsigned int was = LC_JC_UNKNOWN;
	struct lc_lin *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find_task(t);
	if (e) {
		was = (e->flags & LIN_JC_MASK) >> LIN_JC_SHIFT;
		e->flags = (e->flags & ~LIN_JC_MASK) |
			   LIN_JC((was & ~clear) | set);
	}
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	return was;
}

/**
 * lc_lineage_tracked() - whether @t's process is selected for state tracking
 * @t: any thread
 *
 * Return: true when selected.
 */
bool lc_lineage_tracked(struct task_struct *t)
{
	struct lc_lin *e;
	unsigned long flags;
	bool tracked;

	raw_spin_lock_irqsave(&lc_lin_lock, flags);
	e = lc_find(t->tgid, t->group_leader->start_boottime);
	tracked = e && (e->flags & LIN_TRACKED);
	raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
	return tracked;
}

static bool lc_live(const struct lc_lin *e)
{
	return (e->flags & (LIN_USED | LIN_REAPED)) == LIN_USED;
}

/*
 * One chunk of a track pass: entries [@from, @from + LC_LIN_CHUNK) of
 * the pool, in the pass's direction, each marked when its parent is.
 * Context: lc_lin_lock held; a bounded number of hash lookups.
 */
static bool lc_track_chunk(unsigned int from, bool down)
{
	unsigned int i, n = min(LC_LIN_CHUNK, lc_lineage_size - from);
	bool changed = false;

	lockdep_assert_held(&lc_lin_lock);
	for (i = 0; i < n; i++) {
		struct lc_lin *e, *p;

		e = &lc_pool[down ? lc_lineage_size - 1 - from - i : from + i];
		if (!lc_live(e) || (e->flags & LIN_TRACKED))
			continue;
		p = lc_find(e->parent_tgid, e->parent_start);
		if (p && lc_live(p) && (p->flags & LIN_TRACKED)) {
			e->flags |= LIN_TRACKED;
			changed = true;
		}
	}
	return changed;
}

/**
 * lc_lineage_track_pid() - select a live process and its descendants
 * @tgid: the process, as a global pid
 *
 * Descendants that already exist are found through their parents' keys:
 * each pass marks every live entry whose parent is marked, and passes
 * alternate in direction until one marks nothing, so a chain of any depth
 * is found in a few passes when entries were allocated in creation order,
 * and in at most depth + 1 in any case.  New processes inherit the mark
 * at fork.  The lock is dropped after every LC_LIN_CHUNK entries.
 *
 * Context: process context (control path), may sleep.
 * Return: 0, or -ESRCH when no live process @tgid is known.
 */
int lc_lineage_track_pid(pid_t tgid)
{
	unsigned int from;
	unsigned long flags;
	bool found = false, changed = true, down = false;

	for (from = 0; from < lc_lineage_size; from += LC_LIN_CHUNK) {
		unsigned int i, n = min(LC_LIN_CHUNK, lc_lineage_size - from);

		raw_spin_lock_irqsave(&lc_lin_lock, flags);
		for (i = from; i < from + n; i++) {
			struct lc_lin *e = &lc_pool[i];

			if (lc_live(e) && e->tgid == tgid) {
				e->flags |= LIN_TRACKED;
				found = true;
			}
		}
		raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
		cond_resched();
	}
	while (found && changed) {
		changed = false;
		down = !down;
		for (from = 0; from < lc_lineage_size; from += LC_LIN_CHUNK) {
			raw_spin_lock_irqsave(&lc_lin_lock, flags);
			changed |= lc_track_chunk(from, down);
			raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
			cond_resched();
		}
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return found ? 0 : -ESRCH;
}

/**
 * lc_lineage_untrack_all() - drop every state-tracking mark
 *
 * Context: process context, may sleep; the lock is held per chunk.
 */
void lc_lineage_untrack_all(void)
{
	unsigned long flags;
	unsigned int from, i;

	for (from = 0; from < lc_lineage_size; from += LC_LIN_CHUNK) {
		raw_spin_lock_irqsave(&lc_lin_lock, flags);
		for (i = from; i < min(from + LC_LIN_CHUNK, lc_lineage_size); i++)
			lc_pool[i].flags &= ~LIN_TRACKED;
		raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
		cond_resched();
	}
}

/**
 * lc_lineage_clear() - forget every reaped process
 *
 * Those reaped meanwhile may stay; at most LC_LIN_CHUNK entries are freed
 * per acquisition of the lock, so the walk is bounded by the pool size.
 *
 * Context: process context, may sleep.
 */
void lc_lineage_clear(void)
{
	unsigned int left = lc_lineage_size, i;
	unsigned long flags;
	bool more = true;

	while (more && left) {
		raw_spin_lock_irqsave(&lc_lin_lock, flags);
		for (i = 0; i < LC_LIN_CHUNK && left; i++, left--) {
			struct lc_lin *e;

			e = list_first_entry_or_null(&lc_reaped, struct lc_lin,
						     dead);
			if (!e)
				break;
			list_del(&e->dead);
			hlist_del(&e->node);
			e->flags = 0;
			hlist_add_head(&e->node, &lc_free);
			lc_used--;
		}
		more = !list_empty(&lc_reaped);
		raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
		cond_resched();
	}
}

/**
 * lc_lineage_memory() - bytes the table holds
 *
 * Return: pool plus buckets.
 */
size_t lc_lineage_memory(void)
{
	return (size_t)lc_lineage_size * sizeof(struct lc_lin) +
	       ((size_t)1 << lc_hash_bits) * sizeof(struct hlist_head);
}

/**
 * lc_lineage_entries() - entries in use
 *
 * Return: the count.
 */
unsigned int lc_lineage_entries(void)
{
	return READ_ONCE(lc_used);
}

static char lc_state_of(const struct lc_lin *e)
{
	struct task_struct *t;
	char c = 'X';

	if (e->flags & LIN_REAPED)
		return 'X';
	if (e->flags & LIN_EXITED)
		return 'Z';
	rcu_read_lock();
	t = pid_task(find_pid_ns(e->tgid, &init_pid_ns), PIDTYPE_PID);
	if (t && t->start_boottime == e->start)
		c = task_state_to_char(t);
	rcu_read_unlock();
	return c;
}

static void lc_show_time(struct seq_file *m, u64 ns)
{
	if (ns)
		seq_printf(m, " %llu", ns);
	else
		seq_puts(m, " -");
}

static void lc_show_one(struct seq_file *m, const struct lc_lin *e,
			struct pid_namespace *ns)
{
	static const char *const reasons[] = LC_REPARENT_NAMES;
	char comm[LC_COMM_LEN * 4 + 1];
	unsigned int i;

	seq_printf(m, "%d %d %d %d %c", e->tgid, e->creator_pid,
		   e->creator_tgid, e->parent_tgid, lc_state_of(e));
	lc_show_time(m, e->birth);
	lc_show_time(m, e->exec);
	lc_show_time(m, e->exit);
	lc_show_time(m, e->reap);
	if (e->flags & LIN_EXITED)
		seq_printf(m, " %d", e->status);
	else
		seq_puts(m, " -");
	lc_escape(comm, sizeof(comm), e->comm, strnlen(e->comm, LC_COMM_LEN),
		  false);
	seq_printf(m, " %s adopt=", comm);
	for (i = 0; i < e->nadopt; i++)
		seq_printf(m, "%s%d@%llu:%s", i ? "," : "", e->adopt[i].ppid,
			   e->adopt[i].ts, reasons[e->adopt[i].reason]);
	seq_putc(m, '\n');
}

/**
 * lc_lineage_show() - print the table for debugfs
 * @m: the seq_file
 *
 * Each entry is copied out under the lock, then printed without it.
 *
 * Context: process context, may sleep.
 * Return: 0.
 */
int lc_lineage_show(struct seq_file *m)
{
	struct lc_lin copy;
	unsigned long flags;
	unsigned int i;

	seq_puts(m, "lineage 1\n");
	for (i = 0; i < lc_lineage_size; i++) {
		raw_spin_lock_irqsave(&lc_lin_lock, flags);
		copy = lc_pool[i];
		raw_spin_unlock_irqrestore(&lc_lin_lock, flags);
		if (copy.flags & LIN_USED)
			lc_show_one(m, &copy, &init_pid_ns);
		cond_resched();
	}
	return 0;
}
