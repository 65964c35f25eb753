// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoints.c - fork, exec, exit and signal from the kernel's own
 * tracepoints, found by name because none of them is exported.
 *
 * sched_switch, sched_wakeup and sched_wakeup_new are registered only
 * while state tracking has a selection, so they cost nothing otherwise.
 * sched_process_free stands in for the reap kprobe when that is missing.
 *
 * Context: each probe disables preemption itself for its body (the
 * _notrace variants, as probes may run inside the scheduler): up to 6.x
 * the tracepoint already runs them so, but from 7.0 probes run under
 * SRCU and can be preempted.  Preemption off is an RCU read-side section,
 * which lc_rcu() checks, and it keeps the per-CPU hand-off of clone flags
 * on one CPU.  Each probe's prototype is checked at compile time against
 * the kernel's own (check_trace_callback_type_*() from the event headers),
 * so a backported prototype change fails the build.
 */
#include <linux/binfmts.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <trace/events/sched.h>
#include <trace/events/signal.h>
#include <trace/events/task.h>
#include "compat.h"
#include "lc.h"
#include "stats.h"

enum lc_tp_id {
	LC_TP_NEWTASK,
	LC_TP_FORK,
	LC_TP_EXEC,
	LC_TP_EXIT,
	LC_TP_SIGNAL,
	LC_TP_FREE,
	LC_TP_SWITCH,
	LC_TP_WAKEUP,
	LC_TP_WAKEUP_NEW,
	LC_TP_COUNT,
};

/* How often each probe ran, for debugfs stats and the hooks selftest. */
static DEFINE_PER_CPU(unsigned long, lc_tp_fired[LC_TP_COUNT]);

/*
 * clone_flags are seen only in task_newtask: hand them to the fork probe,
 * through a small per-CPU ring, so that another fork on the same CPU
 * between the two (copy_process() may sleep after task_newtask) does not
 * take the slot.  A ring entry is written and read with preemption off.
 */
#define LC_NEWTASK_RING	4

struct lc_newtask {
	struct task_struct *task[LC_NEWTASK_RING];
	u64 flags[LC_NEWTASK_RING];
	unsigned int next;
};

static DEFINE_PER_CPU(struct lc_newtask, lc_newtask);

static void lc_tp_newtask(LC_TP_NEWTASK_ARGS)
{
	struct lc_newtask *n;
	unsigned int i;

	lc_probe_enter(&lc_tp_fired[LC_TP_NEWTASK]);
	n = this_cpu_ptr(&lc_newtask);
	i = n->next++ % LC_NEWTASK_RING;
	WRITE_ONCE(n->flags[i], clone_flags);
	/* Publish flags before task; pairs with lc_newtask_find()'s acquire. */
	smp_store_release(&n->task[i], p);
	lc_probe_exit();
}

/*
 * Newest first, and an entry found is cleared: a task_struct is soon
 * freed and allocated again at the same address, and an older entry for
 * that address must never be taken for the new task's.
 */
static bool lc_newtask_find(struct lc_newtask *n, struct task_struct *child,
			    u64 *flags)
{
	unsigned int last = READ_ONCE(n->next), i, j;

	for (i = 1; i <= LC_NEWTASK_RING; i++) {
		j = (last - i) % LC_NEWTASK_RING;
		/* Acquire pairs with lc_tp_newtask()'s release. */
		if (smp_load_acquire(&n->task[j]) == child) {
			*flags = READ_ONCE(n->flags[j]);
			cmpxchg(&n->task[j], child, NULL);
			return true;
		}
	}
	return false;
}

static u64 lc_clone_flags(struct task_struct *child)
{
	u64 flags = 0;
	int cpu;

	if (lc_newtask_find(this_cpu_ptr(&lc_newtask), child, &flags))
		return flags;
	/* The parent migrated between copy_process() and here. */
	for_each_possible_cpu(cpu)
		if (lc_newtask_find(per_cpu_ptr(&lc_newtask, cpu), child,
				    &flags))
			break;
	return flags;
}

static void lc_fork(struct task_struct *parent, struct task_struct *child)
{
	struct lc_record r __uninitialized;

	lc_lineage_fork(child, parent);
	lc_state_fork(child, parent);
	lc_record_init(&r, LC_EV_FORK, child);
	r.fork.creator_pid = parent->pid;
	r.fork.creator_tgid = parent->tgid;
	r.ids.peer_start_ns = lc_start_of(parent);
	/* As clone(2) takes them: the exit signal in the low byte. */
	r.fork.clone_flags = lc_clone_flags(child) |
			     (child->exit_signal > 0 ? child->exit_signal : 0);
	r.fork.thread = child->pid != child->tgid;
	r.fork.vfork = !!(r.fork.clone_flags & CLONE_VFORK);
	lc_emit(&r);
}

static void lc_tp_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_FORK]);
	lc_fork(parent, child);
	lc_probe_exit();
}

/* argv goes right after the filename, exec.filename_len bytes in. */
static void lc_copy_argv(struct lc_record *r)
{
	struct mm_struct *mm = current->mm;
	unsigned long len;

	if (!mm || !lc_argv_max)
		return;
	len = mm->arg_end - mm->arg_start;
	if (len > lc_argv_max) {
		len = lc_argv_max;
		r->exec.argv_trunc = true;
	}
	if (copy_from_user_nofault(r->exec.str + r->exec.filename_len,
				   (const void __user *)mm->arg_start, len)) {
		lc_count(LC_CNT_ARGV_FAULTS);
		r->exec.argv_trunc = true;
		len = 0;
	}
	r->exec.argv_len = len;
}

static void lc_exec(struct task_struct *p, pid_t old_pid,
		    struct linux_binprm *bprm)
{
	struct lc_record r __uninitialized;
	ssize_t len;

	lc_kprobes_reconcile(p);
	lc_record_init(&r, LC_EV_EXEC, p);
	r.ts = ktime_get_boot_fast_ns();
	lc_lineage_exec(p, r.ts);
	lc_state_exec(p);
	r.exec.old_pid = old_pid;
	len = strscpy(r.exec.str, bprm->filename, LC_FILENAME_LEN);
	r.exec.filename_trunc = len < 0;
	r.exec.filename_len = len < 0 ? LC_FILENAME_LEN - 1 : len;
	lc_copy_argv(&r);
	lc_emit(&r);
}

static void lc_tp_exec(void *data, struct task_struct *p, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_EXEC]);
	lc_exec(p, old_pid, bprm);
	lc_probe_exit();
}

/* The status wait() will report: wait_task_zombie()'s formula. */
static int lc_wait_status(struct task_struct *p, bool group_dead)
{
	struct signal_struct *sig = p->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT)
		return sig->group_exit_code;
	return group_dead ? p->group_leader->exit_code : p->exit_code;
}

static void lc_exit(struct task_struct *p, bool dead)
{
	struct lc_record r __uninitialized;

	if (dead)
		lc_kprobes_reconcile(p);
	lc_record_init(&r, LC_EV_EXIT, p);
	r.exit.status = lc_wait_status(p, dead);
	r.ts = ktime_get_boot_fast_ns();
	r.exit.age_ns = r.ts - p->start_boottime;
	if (dead)
		dead = lc_lineage_exit_group(p, r.exit.status, r.ts);
	r.exit.group_dead = dead;
	lc_emit(&r);
}

static void lc_tp_exit(LC_TP_EXIT_ARGS)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_EXIT]);
	lc_exit(p, LC_EXIT_GROUP_DEAD(p));
	lc_probe_exit();
}

/* An exiting process telling its parent it died: it is a zombie now. */
static bool lc_death_notice(struct task_struct *parent)
{
	return (current->flags & PF_EXITING) &&
	       !atomic_read(&current->signal->live) &&
	       parent == rcu_access_pointer(current->real_parent);
}

static void lc_signal(int sig, struct task_struct *task, int group,
		      int result)
{
	struct lc_record r __uninitialized;

	lc_record_init(&r, LC_EV_SIGNAL, task);
	if (unlikely(lc_death_notice(task))) {
		r.ts = ktime_get_boot_fast_ns();
		lc_lineage_zombie(current, r.ts);
	}
	r.signal.signal = sig;
	r.signal.sender_pid = current->pid;
	r.signal.sender_tgid = current->tgid;
	r.ids.peer_start_ns = lc_start_of(current);
	r.signal.result = result;
	r.signal.group = !!group;
	if (!lc_kprobe_live(LC_HOOK_CLDSTOP)) {
		lc_emit(&r);
		lc_stop_fallback(task, sig, result);
		return;
	}
	if (sig == SIGCONT) {
		lc_signal_cont(&r, task);	/* emits r among its records */
		return;
	}
	lc_emit(&r);
	if (unlikely(sig_kernel_stop(sig)))
		lc_signal_stop(task);
}

static void lc_tp_signal(void *data, int sig, struct kernel_siginfo *info,
			 struct task_struct *task, int group, int result)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_SIGNAL]);
	lc_signal(sig, task, group, result);
	lc_probe_exit();
}

/*
 * Fallback for the reap kprobe: the reaper is unknown.  This runs from an
 * RCU callback after the last reference: pid links and real_parent may be
 * gone, so only the task's own fields are read.
 */
static void lc_free(struct task_struct *p)
{
	struct lc_record r;

	if (!thread_group_leader(p))
		return;
	memset(&r, 0, sizeof(r));
	r.type = LC_EV_REAP;
	r.cpu = raw_smp_processor_id();
	r.pid = p->pid;
	r.tgid = p->tgid;
	r.ids.start_ns = p->start_boottime;
	memcpy(r.comm, p->comm, sizeof(r.comm));
	r.comm[LC_COMM_LEN - 1] = '\0';
	r.reap.how = LC_REAP_UNKNOWN;
	r.ts = ktime_get_boot_fast_ns();
	r.reap.zombie_ns = lc_lineage_reap(p, r.ts);
	lc_emit(&r);
}

static void lc_tp_free(void *data, struct task_struct *p)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_FREE]);
	lc_free(p);
	lc_probe_exit();
}

static void lc_tp_switch(LC_TP_SWITCH_ARGS)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_SWITCH]);
	lc_state_switch(prev, prev_state, next);
	lc_probe_exit();
}

static void lc_tp_wakeup(void *data, struct task_struct *p)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_WAKEUP]);
	lc_state_wakeup(p);
	lc_probe_exit();
}

static void lc_tp_wakeup_new(void *data, struct task_struct *p)
{
	lc_probe_enter(&lc_tp_fired[LC_TP_WAKEUP_NEW]);
	lc_state_wakeup(p);
	lc_probe_exit();
}

/*
 * Never called: each probe against the kernel's TP_PROTO, as an error,
 * since a mismatch would corrupt arguments, not trap (no kCFI on Debian).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wincompatible-pointer-types"
static void __maybe_unused lc_tp_check_prototypes(void)
{
	check_trace_callback_type_task_newtask(lc_tp_newtask);
	check_trace_callback_type_sched_process_fork(lc_tp_fork);
	check_trace_callback_type_sched_process_exec(lc_tp_exec);
	check_trace_callback_type_sched_process_exit(lc_tp_exit);
	check_trace_callback_type_signal_generate(lc_tp_signal);
	check_trace_callback_type_sched_process_free(lc_tp_free);
	check_trace_callback_type_sched_switch(lc_tp_switch);
	check_trace_callback_type_sched_wakeup(lc_tp_wakeup);
	check_trace_callback_type_sched_wakeup_new(lc_tp_wakeup_new);
}
#pragma GCC diagnostic pop

enum lc_tp_when {
	LC_TP_ALWAYS,
	LC_TP_STATE,		/* while state tracking has a selection */
	LC_TP_NO_REAP_KPROBE,	/* the reap kprobe's fallback */
};

struct lc_tp {
	const char *name;
	void *probe;
	enum lc_tp_when when;
	struct tracepoint *tp;
	bool live;
};

static struct lc_tp lc_tps[] = {
	[LC_TP_NEWTASK] = { "task_newtask", lc_tp_newtask },
	[LC_TP_FORK] = { "sched_process_fork", lc_tp_fork },
	[LC_TP_EXEC] = { "sched_process_exec", lc_tp_exec },
	[LC_TP_EXIT] = { "sched_process_exit", lc_tp_exit },
	[LC_TP_SIGNAL] = { "signal_generate", lc_tp_signal },
	[LC_TP_FREE] = { "sched_process_free", lc_tp_free,
			 LC_TP_NO_REAP_KPROBE },
	[LC_TP_SWITCH] = { "sched_switch", lc_tp_switch, LC_TP_STATE },
	[LC_TP_WAKEUP] = { "sched_wakeup", lc_tp_wakeup, LC_TP_STATE },
	[LC_TP_WAKEUP_NEW] = { "sched_wakeup_new", lc_tp_wakeup_new,
			       LC_TP_STATE },
};

static_assert(ARRAY_SIZE(lc_tps) == LC_TP_COUNT);

static void lc_tp_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lc_tps); i++)
		if (!strcmp(tp->name, lc_tps[i].name))
			lc_tps[i].tp = tp;
}

static void lc_tp_unregister(struct lc_tp *t)
{
	if (!t->live)
		return;
	tracepoint_probe_unregister(t->tp, t->probe, NULL);
	t->live = false;
}

static int lc_tp_register(struct lc_tp *t)
{
	int ret;

	if (!t->tp) {
		pr_err("tracepoint %s not found\n", t->name);
		return -ENOENT;
	}
	ret = tracepoint_probe_register(t->tp, t->probe, NULL);
	if (ret)
		pr_err("tracepoint %s: register failed: %d\n", t->name, ret);
	t->live = !ret;
	return ret;
}

/**
 * lc_tracepoints_init() - find every tracepoint and register those needed
 *
 * Call after lc_kprobes_init(): sched_process_free is registered only
 * when the reap kprobe is not live.
 *
 * Return: 0, or the error of the first tracepoint that failed.
 */
int lc_tracepoints_init(void)
{
	bool reap = lc_kprobe_live(LC_HOOK_REAP);
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(lc_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(lc_tps); i++) {
		if (lc_tps[i].when == LC_TP_STATE ||
		    (lc_tps[i].when == LC_TP_NO_REAP_KPROBE && reap))
			continue;
		ret = lc_tp_register(&lc_tps[i]);
		if (ret) {
			lc_tracepoints_exit();
			return ret;
		}
	}
	return 0;
}

/**
 * lc_tracepoints_exit() - unregister every probe and wait for them
 *
 * After this no probe of ours runs anywhere.
 */
void lc_tracepoints_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lc_tps); i++)
		lc_tp_unregister(&lc_tps[i]);
	tracepoint_synchronize_unregister();
}

/**
 * lc_tracepoints_sched() - turn the state-tracking tracepoints on or off
 * @on: whether to register them
 *
 * Control path only: may sleep.
 *
 * Return: 0 or a registration error (then all of them are off).
 */
int lc_tracepoints_sched(bool on)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(lc_tps); i++) {
		struct lc_tp *t = &lc_tps[i];

		if (t->when != LC_TP_STATE || t->live == on)
			continue;
		if (on)
			ret = lc_tp_register(t);
		else
			lc_tp_unregister(t);
		if (ret) {
			lc_tracepoints_sched(false);
			return ret;
		}
	}
	if (!on)
		tracepoint_synchronize_unregister();
	return 0;
}

/**
 * lc_tracepoint_live() - whether the tracepoint @name is registered
 * @name: the tracepoint
 *
 * Return: true when our probe is on it.
 */
bool lc_tracepoint_live(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lc_tps); i++)
		if (!strcmp(lc_tps[i].name, name))
			return lc_tps[i].live;
	return false;
}

/**
 * lc_tracepoint_fired() - how often the i-th tracepoint's probe ran
 * @i: index, as for lc_tracepoint_name()
 *
 * Return: the sum over all CPUs (racy against probes, as statistics are).
 */
unsigned long lc_tracepoint_fired(unsigned int i)
{
	return lc_fired_sum(&lc_tp_fired[i]);
}

/**
 * lc_tracepoint_name() - the name of the i-th tracepoint we use
 * @i: index
 *
 * Return: the name, or NULL past the end.
 */
const char *lc_tracepoint_name(unsigned int i)
{
	return i < ARRAY_SIZE(lc_tps) ? lc_tps[i].name : NULL;
}
