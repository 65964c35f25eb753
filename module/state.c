// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - opt-in tracking of R/S/D/T/t/Z for selected processes.
 *
 * Off by default: sched_switch and the wakeup tracepoints are registered
 * only while something is selected.  A selection is a process and its
 * descendants, or a comm.  Selected threads (at most track_size) get a
 * slot in an open-addressed table of twice that many slots, rounded up to
 * a power of two and allocated at load.  A pid lives within LC_PROBES
 * slots of its hash, so a lookup reads at most LC_PROBES pids: the
 * scheduler probes look a task up without a lock and take the raw lock,
 * lc_track_lock, only on a match, and no section under it grows with the
 * table.  A lookup reads the whole window (a freed slot is just pid 0,
 * no tombstone), so removal never hides another pid.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "lc.h"
#include "stats.h"

struct lc_slot {
	pid_t pid;		/* 0: free */
	char letter;
	u64 since;
};

/* Slots a pid may occupy, from its hash on: the most a lookup reads. */
#define LC_PROBES	8U

static struct lc_slot *lc_slots;
static unsigned int lc_slot_bits;
static unsigned int lc_slots_used;	/* under lc_track_lock */
static DEFINE_RAW_SPINLOCK(lc_track_lock);
static DEFINE_MUTEX(lc_select_lock);	/* control path */
static char lc_sel_comm[LC_COMM_LEN];	/* under lc_track_lock */
static bool lc_on;

static unsigned int lc_nslots(void)
{
	return 1U << lc_slot_bits;
}

/*
 * lc_slot_find() - the slot holding @pid in its window; with @pid 0 (never
 * tracked: the idle tasks), the first free slot in @key's window.
 * Context: any; LC_PROBES reads.  Stable only under lc_track_lock.
 */
static struct lc_slot *lc_slot_find(pid_t key, pid_t pid)
{
	unsigned int h = hash_32(key, lc_slot_bits), i;
	unsigned int mask = lc_nslots() - 1;

	for (i = 0; i < min(LC_PROBES, lc_nslots()); i++) {
		struct lc_slot *s = &lc_slots[(h + i) & mask];

		if (READ_ONCE(s->pid) == pid)
			return s;
	}
	return NULL;
}

static struct lc_slot *lc_slot_of(struct task_struct *t)
{
	return t->pid ? lc_slot_find(t->pid, t->pid) : NULL;
}

static void lc_slot_add(struct task_struct *t)
{
	struct lc_slot *s = NULL;
	unsigned long flags;

	if (!t->pid)
		return;
	raw_spin_lock_irqsave(&lc_track_lock, flags);
	if (!lc_slot_find(t->pid, t->pid)) {
		if (lc_slots_used < lc_track_size)
			s = lc_slot_find(t->pid, 0);
		if (s) {
			s->letter = task_state_to_char(t);
			s->since = ktime_get_boot_fast_ns();
			WRITE_ONCE(s->pid, t->pid);
			lc_slots_used++;
		} else {
			lc_count(LC_CNT_TRACK_FULL);
		}
	}
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
}

/* Move @t's slot to @to and record the transition; @gone frees it. */
static void lc_transition(struct task_struct *t, char to, bool gone)
{
	struct lc_record r __uninitialized;
	struct lc_slot *s;
	unsigned long flags;
	bool emit = false;
	u64 now;

	raw_spin_lock_irqsave(&lc_track_lock, flags);
	s = lc_slot_of(t);
	if (s && (s->letter != to || gone)) {
		now = ktime_get_boot_fast_ns();
		lc_record_init(&r, LC_EV_STATE, t);
		r.state.from = s->letter;
		r.state.to = to;
		r.state.prev_ns = now - s->since;
		emit = r.state.from != to;
		s->letter = to;
		s->since = now;
		if (gone) {
			WRITE_ONCE(s->pid, 0);
			lc_slots_used--;
		}
	}
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	if (emit)
		lc_emit(&r);
}

/**
 * lc_state_switch() - sched_switch: @prev leaves the CPU in @prev_state
 * @prev: the task going off the CPU
 * @prev_state: its state, as sched_switch reports it
 * @next: the task coming on
 */
void lc_state_switch(struct task_struct *prev, unsigned int prev_state,
		     struct task_struct *next)
{
	unsigned int idx;

	if (lc_slot_of(prev)) {
		idx = __task_state_index(prev_state, prev->exit_state);
		lc_transition(prev, task_index_to_char(idx),
			      prev->exit_state != 0);
	}
	if (lc_slot_of(next))
		lc_transition(next, 'R', false);
}

/**
 * lc_state_wakeup() - sched_wakeup(_new): @p becomes runnable
 * @p: the task
 */
void lc_state_wakeup(struct task_struct *p)
{
	if (lc_slot_of(p))
		lc_transition(p, 'R', false);
}

/**
 * lc_state_selecting() - whether any state tracking selection is active
 *
 * Return: true while the scheduler hooks are on.
 */
bool lc_state_selecting(void)
{
	return READ_ONCE(lc_on);
}

/**
 * lc_state_fork() - a new task inherits its creator's selection
 * @child: the new task
 * @parent: the creating thread
 */
void lc_state_fork(struct task_struct *child, struct task_struct *parent)
{
	if (READ_ONCE(lc_on) && lc_slot_of(parent))
		lc_slot_add(child);
}

/**
 * lc_state_exec() - select @t when its new comm matches the selection
 * @t: the task that exec'd
 */
void lc_state_exec(struct task_struct *t)
{
	unsigned long flags;
	bool match;

	if (!READ_ONCE(lc_on))
		return;
	raw_spin_lock_irqsave(&lc_track_lock, flags);
	match = lc_sel_comm[0] && !strncmp(lc_sel_comm, t->comm, LC_COMM_LEN);
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	if (match)
		lc_slot_add(t);
}

static int lc_state_on(void)
{
	int ret = 0;

	lockdep_assert_held(&lc_select_lock);
	if (!lc_on) {
		ret = lc_tracepoints_sched(true);
		WRITE_ONCE(lc_on, !ret);
	}
	return ret;
}

/* Give every thread of every selected process a slot; lock per thread. */
static void lc_slots_fill(const char *comm)
{
	struct task_struct *p, *t;

	lockdep_assert_held(&lc_select_lock);
	rcu_read_lock();
	for_each_process(p) {
		if (comm ? strncmp(p->comm, comm, LC_COMM_LEN) :
			   !lc_lineage_tracked(p))
			continue;
		for_each_thread(p, t)
			lc_slot_add(t);
	}
	rcu_read_unlock();
}

/**
 * lc_state_select_pid() - track a process (global pid) and its descendants
 * @pid: the process
 *
 * Return: 0, -ESRCH for an unknown process, or a registration error.
 */
int lc_state_select_pid(pid_t pid)
{
	int ret;

	mutex_lock(&lc_select_lock);
	ret = lc_lineage_track_pid(pid);
	if (!ret)
		ret = lc_state_on();
	if (!ret)
		lc_slots_fill(NULL);
	mutex_unlock(&lc_select_lock);
	return ret;
}

/**
 * lc_state_select_comm() - track processes by comm, now and after exec
 * @comm: the name, at most 15 bytes
 *
 * Return: 0 or a registration error.
 */
int lc_state_select_comm(const char *comm)
{
	unsigned long flags;
	int ret;

	mutex_lock(&lc_select_lock);
	raw_spin_lock_irqsave(&lc_track_lock, flags);
	strscpy(lc_sel_comm, comm, sizeof(lc_sel_comm));
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	ret = lc_state_on();
	if (!ret)
		lc_slots_fill(comm);
	mutex_unlock(&lc_select_lock);
	return ret;
}

/**
 * lc_state_off() - drop the selection and unhook the scheduler
 */
void lc_state_off(void)
{
	unsigned long flags;
	unsigned int i;

	mutex_lock(&lc_select_lock);
	if (lc_on) {
		WRITE_ONCE(lc_on, false);
		lc_tracepoints_sched(false);
	}
	lc_lineage_untrack_all();
	raw_spin_lock_irqsave(&lc_track_lock, flags);
	memset(lc_sel_comm, 0, sizeof(lc_sel_comm));
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	/* A fork or exec probe may still add a slot: one lock per slot. */
	for (i = 0; i < lc_nslots(); i++) {
		raw_spin_lock_irqsave(&lc_track_lock, flags);
		if (lc_slots[i].pid) {
			WRITE_ONCE(lc_slots[i].pid, 0);
			lc_slots_used--;
		}
		raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	}
	mutex_unlock(&lc_select_lock);
}

/**
 * lc_state_show() - the selection and each tracked thread, for debugfs
 * @m: the seq_file
 *
 * Return: 0.
 */
int lc_state_show(struct seq_file *m)
{
	char comm[LC_COMM_LEN];
	struct lc_slot s;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&lc_track_lock, flags);
	memcpy(comm, lc_sel_comm, sizeof(comm));
	raw_spin_unlock_irqrestore(&lc_track_lock, flags);
	seq_printf(m, "tracking %s comm=%s\n", READ_ONCE(lc_on) ? "on" : "off",
		   comm[0] ? comm : "-");
	for (i = 0; i < lc_nslots(); i++) {
		raw_spin_lock_irqsave(&lc_track_lock, flags);
		s = lc_slots[i];
		raw_spin_unlock_irqrestore(&lc_track_lock, flags);
		if (s.pid)
			seq_printf(m, "%d %c %llu\n", s.pid, s.letter, s.since);
	}
	return 0;
}

/**
 * lc_state_init() - allocate the slots
 *
 * Return: 0 or -ENOMEM.
 */
int lc_state_init(void)
{
	lc_slot_bits = ilog2(roundup_pow_of_two(lc_track_size)) + 1;
	lc_slots_used = 0;
	lc_slots = vzalloc(array_size(lc_nslots(), sizeof(*lc_slots)));
	return lc_slots ? 0 : -ENOMEM;
}

/**
 * lc_state_exit() - unhook and free
 */
void lc_state_exit(void)
{
	lc_state_off();
	vfree(lc_slots);
	lc_slots = NULL;
}

/**
 * lc_state_memory() - bytes the slots take
 *
 * Return: the size.
 */
size_t lc_state_memory(void)
{
	return array_size(lc_nslots(), sizeof(struct lc_slot));
}
