// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - opt-in tracking of R/S/D/T/t/Z for selected processes.
 *
 * Off by default: sched_switch and the wakeup tracepoints are registered
 * only while something is selected.  A selection is a process and its
 * descendants, or a comm.  Selected threads get a slot in a table of
 * track_size entries, allocated at load; the scheduler probes scan the
 * slots' pids without a lock and take the raw lock only on a match.
 */
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

static struct lc_slot *lc_slots;
static DEFINE_RAW_SPINLOCK(lc_track_lock);
static DEFINE_MUTEX(lc_select_lock);	/* control path */
static char lc_sel_comm[LC_COMM_LEN];	/* under lc_track_lock */
static bool lc_on;

/* Find @pid's slot; pid 0 (never tracked: the idle tasks) finds a free one. */
static struct lc_slot *lc_slot_find(pid_t pid)
{
	unsigned int i;

	for (i = 0; i < lc_track_size; i++)
		if (READ_ONCE(lc_slots[i].pid) == pid)
			return &lc_slots[i];
	return NULL;
}

static struct lc_slot *lc_slot_of(struct task_struct *t)
{
	return t->pid ? lc_slot_find(t->pid) : NULL;
}

static void lc_slot_add(struct task_struct *t)
{
	struct lc_slot *s;
	unsigned long flags;

	if (!t->pid)
		return;
	raw_spin_lock_irqsave(&lc_track_lock, flags);
	if (!lc_slot_find(t->pid)) {
		s = lc_slot_find(0);
		if (s) {
			s->letter = task_state_to_char(t);
			s->since = ktime_get_boot_fast_ns();
			WRITE_ONCE(s->pid, t->pid);
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
		if (gone)
			WRITE_ONCE(s->pid, 0);
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

	if (!lc_on) {
		ret = lc_tracepoints_sched(true);
		WRITE_ONCE(lc_on, !ret);
	}
	return ret;
}

/* Give every thread of every selected process a slot. */
static void lc_slots_fill(const char *comm)
{
	struct task_struct *p, *t;

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
	mutex_lock(&lc_select_lock);
	if (lc_on) {
		WRITE_ONCE(lc_on, false);
		lc_tracepoints_sched(false);
	}
	lc_lineage_untrack_all();
	memset(lc_sel_comm, 0, sizeof(lc_sel_comm));
	memset(lc_slots, 0, array_size(lc_track_size, sizeof(*lc_slots)));
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
	struct lc_slot s;
	unsigned long flags;
	unsigned int i;

	seq_printf(m, "tracking %s comm=%s\n", lc_on ? "on" : "off",
		   lc_sel_comm[0] ? lc_sel_comm : "-");
	for (i = 0; i < lc_track_size; i++) {
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
	lc_slots = vzalloc(array_size(lc_track_size, sizeof(*lc_slots)));
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
	return array_size(lc_track_size, sizeof(struct lc_slot));
}
