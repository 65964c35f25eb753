// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes.c - the decisions the kernel makes without a tracepoint.
 *
 *   reparent  kprobe kill_orphaned_pgrp(child, father): called by
 *             reparent_leader() for each orphan handed to another
 *             process, after real_parent was set, under tasklist_lock.
 *   reap      kprobe posix_cpu_timers_exit_group(p): release_task() ->
 *             __exit_signal() calls it once for each group leader it
 *             frees (threads do not reach it, so they cost nothing),
 *             including a zombie leader freed by its "goto repeat"
 *             (zap_leader), which a release_task kprobe would miss.
 *             Under tasklist_lock and siglock, after ptrace_release_task()
 *             (as in every release, the tracer link is already gone).
 *   stop/cont kprobe do_notify_parent_cldstop(tsk, for_ptracer, why).
 *   setsid    kretprobe ksys_setsid: a positive return is the new sid.
 *   setpgid   kretprobe __do_sys_setpgid: target and old pgid saved at
 *             entry, the event emitted when it returns 0.
 *
 * One table, lc_hooks[], holds each hook's kind, symbol, handlers, live
 * flag and fire counter; register, unregister and stats are one loop each.
 * Each hook has a fallback when it cannot be used: lockdown, a kernel
 * without the symbol, or one where the compiler made a clone (.isra,
 * .part, .constprop) that callers may call instead, so that a probe on
 * the plain symbol would register and never fire.  debugfs stats says
 * which hooks are live and how often each fired.
 *
 * Context: kprobe handlers run with preemption off (int3 or ftrace);
 * each states it again with lc_probe_enter(), as tracepoint probes do.
 */
#include <linux/kprobes.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include "lc.h"

/* How often each hook's handler ran (kretprobes: the return handler). */
static DEFINE_PER_CPU(unsigned long, lc_hook_fired[LC_HOOK_COUNT]);

static struct task_struct *lc_arg_task(struct pt_regs *regs, unsigned int n)
{
	return (struct task_struct *)regs_get_kernel_argument(regs, n);
}

/* @t's leader has a new real_parent; it lost @old_ppid, started @old_start */
static void lc_emit_reparent(struct task_struct *t, pid_t old_ppid,
			     u64 old_start)
{
	struct task_struct *np;
	struct lc_record r __uninitialized;

	lc_record_init(&r, LC_EV_REPARENT, t);
	np = lc_rcu(t->real_parent);
	r.reparent.new_ppid = np->tgid;
	r.reparent.reason = np == task_active_pid_ns(t)->child_reaper ?
			    LC_REPARENT_INIT : LC_REPARENT_SUBREAPER;
	r.reparent.old_ppid = old_ppid;
	r.ids.peer_start_ns = old_start;
	r.reparent.zombie = t->exit_state != 0;
	lc_emit(&r);
	lc_lineage_reparent(t, np, r.reparent.reason, r.ts);
}

static int lc_kp_reparent(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *father = lc_arg_task(regs, 1);

	lc_probe_enter(&lc_hook_fired[LC_HOOK_REPARENT]);
	/* father is NULL in the group-dead call from exit_notify(). */
	if (father)
		lc_emit_reparent(lc_arg_task(regs, 0), father->tgid,
				 lc_start_of(father));
	lc_probe_exit();
	return 0;
}

static u8 lc_reap_how(struct task_struct *p)
{
	struct task_struct *parent = lc_rcu(p->real_parent);

	if (current->tgid == p->tgid)
		return LC_REAP_AUTOREAP;
	if (current->tgid == parent->tgid)
		return LC_REAP_WAIT;
	if (p->ptrace && current->tgid == lc_rcu(p->parent)->tgid)
		return LC_REAP_PTRACE;
	/* An exiting old parent releasing a zombie its adopter ignores. */
	if (current->flags & PF_EXITING)
		return LC_REAP_AUTOREAP;
	return LC_REAP_OTHER;
}

static void lc_reap(struct task_struct *p)
{
	struct lc_record r __uninitialized;

	/* Only leaders get here (see above); a guard all the same. */
	if (!thread_group_leader(p))
		return;
	lc_record_init(&r, LC_EV_REAP, p);
	r.reap.how = lc_reap_how(p);
	if (r.reap.how == LC_REAP_AUTOREAP) {
		r.reap.reaper_pid = p->pid;
		r.reap.reaper_tgid = p->tgid;
		r.ids.peer_start_ns = p->start_boottime;
	} else {
		r.reap.reaper_pid = current->pid;
		r.reap.reaper_tgid = current->tgid;
		r.ids.peer_start_ns = lc_start_of(current);
	}
	r.ts = ktime_get_boot_fast_ns();
	r.reap.zombie_ns = lc_lineage_reap(p, r.ts);
	lc_emit(&r);
}

static int lc_kp_reap(struct kprobe *kp, struct pt_regs *regs)
{
	lc_probe_enter(&lc_hook_fired[LC_HOOK_REAP]);
	lc_reap(lc_arg_task(regs, 0));
	lc_probe_exit();
	return 0;
}

/*
 * Job-control stops and continues (not those told to a tracer) are
 * decided here and in lc_signal_cont(), each under lc_jobctl_lock from
 * reading the state to logging the records, so that the log's order is
 * the order of the decisions.  The state is a process's LC_JC_* bits.
 *
 * A group stop is visible to waitpid() once the last thread to stop
 * leaves its siglock, and only then does it call
 * do_notify_parent_cldstop().  A parent may see the stop in that window
 * and send SIGCONT, whose signal_generate comes first.  So a SIGCONT that
 * continues a stop not yet logged logs it, before its own signal record,
 * and marks it UNTOLD: the late notification then logs nothing.
 *
 * A SIGCONT that continues a stop logs the continue, and the process is
 * CONTINUED until the kernel tells the parent (SIGNAL_CLD_MASK, cleared
 * by get_signal()): a second SIGCONT before that finds the same kernel
 * flag and must log nothing.
 */
static DEFINE_RAW_SPINLOCK(lc_jobctl_lock);

static void lc_emit_stop(struct task_struct *t, bool cont, bool ptrace,
			 int sig)
{
	struct lc_record r __uninitialized;

	lc_record_init(&r, cont ? LC_EV_CONT : LC_EV_STOP, t);
	r.stop.ptrace = ptrace;
	r.stop.signal = sig;
	lc_emit(&r);
}

/* The stop signal of @t's group stop; a racing SIGCONT zeroes the code. */
static int lc_stop_signal(struct task_struct *t)
{
	return (t->jobctl & JOBCTL_STOP_SIGMASK) ?:
	       t->signal->group_exit_code & 0x7f;
}

/* A notification of a job-control stop, or of its continue (get_signal()) */
static void lc_cldstop_parent(struct task_struct *t, int why)
{
	unsigned int sflags = READ_ONCE(t->signal->flags), was;

	if (why == CLD_CONTINUED) {
		/* SIGCONT logged it; STOPPED only if it went unseen. */
		if (lc_lineage_jobctl(t, LC_JC_STATE, 0) & LC_JC_STOPPED)
			lc_emit_stop(t, true, false, SIGCONT);
	} else if (sflags & (SIGNAL_STOP_STOPPED | SIGNAL_GROUP_EXIT)) {
		/*
		 * Stopped now: already logged only when a thread that
		 * completed an earlier stop while exiting is this late.
		 * Killed since: logged, unless a SIGCONT came first.
		 */
		was = lc_lineage_jobctl(t, LC_JC_STATE | LC_JC_UNTOLD,
					LC_JC_STOPPED);
		if (!(was & (sflags & SIGNAL_STOP_STOPPED ? LC_JC_STOPPED :
			     LC_JC_STOPPED | LC_JC_UNTOLD)))
			lc_emit_stop(t, false, false, lc_stop_signal(t));
	} else {
		/*
		 * Continued since, or a stop SIGCONT cut short: SIGCONT
		 * logged it.  Running once the parent has been told all.
		 */
		was = lc_lineage_jobctl(t, LC_JC_UNTOLD |
					(sflags & SIGNAL_CLD_MASK ? 0 : LC_JC_STATE),
					0);
		/*
		 * Unless that SIGCONT is still on its way to lc_signal_cont()
		 * (it waits for the lock): log the stop first, and that
		 * SIGCONT logs its continue.
		 */
		if ((sflags & SIGNAL_CLD_MASK) &&
		    !(was & (LC_JC_STATE | LC_JC_UNTOLD))) {
			lc_lineage_jobctl(t, 0, LC_JC_STOPPED);
			lc_emit_stop(t, false, false, lc_stop_signal(t));
		}
	}
}

static void lc_cldstop(struct task_struct *t, bool for_ptracer, int why)
{
	unsigned long flags;

	if (for_ptracer) {
		lc_emit_stop(t, why == CLD_CONTINUED, true,
			     why == CLD_CONTINUED ? SIGCONT :
			     t->exit_code & 0x7f);
		return;
	}
	raw_spin_lock_irqsave(&lc_jobctl_lock, flags);
	lc_cldstop_parent(t, why);
	raw_spin_unlock_irqrestore(&lc_jobctl_lock, flags);
}

/* A SIGCONT continued @t's group: CONTINUED now; the bits before. */
static unsigned int lc_jc_continue(struct task_struct *t)
{
	return lc_lineage_jobctl(t, LC_JC_STATE, LC_JC_CONTINUED);
}

static int lc_kp_cldstop(struct kprobe *kp, struct pt_regs *regs)
{
	lc_probe_enter(&lc_hook_fired[LC_HOOK_CLDSTOP]);
	lc_cldstop(lc_arg_task(regs, 0), regs_get_kernel_argument(regs, 1),
		   regs_get_kernel_argument(regs, 2));
	lc_probe_exit();
	return 0;
}

static int lc_krp_setsid(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	int ret = regs_return_value(regs);	/* ksys_setsid() returns int */
	struct lc_record r __uninitialized;

	lc_probe_enter(&lc_hook_fired[LC_HOOK_SETSID]);
	if (ret > 0) {
		lc_record_init(&r, LC_EV_SETSID, current);
		r.setsid.sid = ret;
		lc_emit(&r);
	}
	lc_probe_exit();
	return 0;
}

struct lc_setpgid {
	pid_t target;		/* global pid of the task setpgid() moves */
	pid_t old_pgid;
};

static int lc_krp_setpgid_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct lc_setpgid *s = (struct lc_setpgid *)ri->data;
	pid_t pid = regs_get_kernel_argument(regs, 0);
	struct task_struct *t = current;

	/* Preemption is off here (kretprobe entry); RCU says what it reads. */
	rcu_read_lock();
	if (pid)
		t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t) {
		s->target = t->pid;
		s->old_pgid = pid_nr(task_pgrp(t));
	}
	rcu_read_unlock();
	return t ? 0 : 1;	/* no target: the call fails with -ESRCH */
}

static void lc_setpgid(struct lc_setpgid *s)
{
	struct task_struct *t;
	struct lc_record r __uninitialized;

	rcu_read_lock();
	t = pid_task(find_pid_ns(s->target, &init_pid_ns), PIDTYPE_PID);
	if (t) {
		lc_record_init(&r, LC_EV_SETPGID, t);
		r.setpgid.pgid = pid_nr(task_pgrp(t));
		r.setpgid.old_pgid = s->old_pgid;
	}
	rcu_read_unlock();
	if (t)
		lc_emit(&r);
}

static int lc_krp_setpgid(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	lc_probe_enter(&lc_hook_fired[LC_HOOK_SETPGID]);
	if (regs_return_value(regs) == 0)
		lc_setpgid((struct lc_setpgid *)ri->data);
	lc_probe_exit();
	return 0;
}

static void lc_emit_ids(struct task_struct *t, const struct lc_changes *c)
{
	struct lc_record r __uninitialized;

	if (!lc_kprobe_live(LC_HOOK_SETSID) && c->sid != c->old_sid &&
	    c->sid == t->tgid) {
		lc_record_init(&r, LC_EV_SETSID, t);
		r.setsid.sid = c->sid;
		lc_emit(&r);
	}
	if (!lc_kprobe_live(LC_HOOK_SETPGID) && c->pgid != c->old_pgid &&
	    c->sid == c->old_sid) {
		lc_record_init(&r, LC_EV_SETPGID, t);
		r.setpgid.pgid = c->pgid;
		r.setpgid.old_pgid = c->old_pgid;
		lc_emit(&r);
	}
}

/**
 * lc_kprobes_reconcile() - the fallbacks for reparent, setsid, setpgid
 * @t: a process's thread, seen at one of its own events
 *
 * When a kprobe is missing, changes are found late, by comparing the
 * lineage table with the task at the process's next exec, exit or reap.
 * The reparent is then still the kernel's decision (real_parent), only
 * seen later; a setpgid that a setsid hid is not reported.
 */
void lc_kprobes_reconcile(struct task_struct *t)
{
	struct lc_changes c;
	bool known;

	if (lc_kprobe_live(LC_HOOK_REPARENT) &&
	    lc_kprobe_live(LC_HOOK_SETSID) && lc_kprobe_live(LC_HOOK_SETPGID))
		return;
	rcu_read_lock();
	known = lc_lineage_changes(t, &c);
	rcu_read_unlock();
	if (!known)
		return;
	if (!lc_kprobe_live(LC_HOOK_REPARENT) && c.parent != c.old_parent)
		lc_emit_reparent(t->group_leader, c.old_parent,
				 c.old_parent_start);
	lc_emit_ids(t, &c);
}

/**
 * lc_signal_cont() - log a SIGCONT's signal record, and what it continued
 * @sig: the signal record, ready to emit
 * @t: its target; the caller has checked that the cldstop kprobe is live
 *     (without it, lc_stop_fallback() logs stops and continues)
 *
 * The parent's notification waits until the group runs again, and a
 * SIGKILL before that cancels it, although waitpid(WCONTINUED) has
 * already reported the continue.  So the continue is taken here, from
 * prepare_signal()'s decision: SIGNAL_CLD_CONTINUED when it continued a
 * finished group stop, SIGNAL_CLD_STOPPED when it cut one short, which
 * the parent is told as a stop (and waitpid() reports as continued).
 * See lc_jobctl_lock for the stop that may not be logged yet.
 *
 * Context: signal_generate, under @t's siglock: its signal->flags hold.
 */
void lc_signal_cont(struct lc_record *sig, struct task_struct *t)
{
	unsigned int cld = READ_ONCE(t->signal->flags) & SIGNAL_CLD_MASK, was;
	unsigned long flags;

	if (!cld) {
		lc_emit(sig);
		return;
	}
	raw_spin_lock_irqsave(&lc_jobctl_lock, flags);
	was = lc_jc_continue(t);
	/*
	 * A stop not logged yet, if the real parent is told of it: a
	 * finished one unless it is the tracer (ptrace_stop()), one cut
	 * short always (get_signal()).
	 */
	if (!(was & (LC_JC_STATE | LC_JC_UNKNOWN)) &&
	    ((cld & SIGNAL_CLD_STOPPED) || !READ_ONCE(t->ptrace) ||
	     ptrace_reparented(t))) {
		lc_lineage_jobctl(t, 0, LC_JC_UNTOLD);
		lc_emit_stop(t, false, false, t->jobctl & JOBCTL_STOP_SIGMASK);
		was |= LC_JC_STOPPED;
	}
	lc_emit(sig);
	if (was & (LC_JC_STOPPED | LC_JC_UNKNOWN))
		lc_emit_stop(t, true, false, SIGCONT);
	raw_spin_unlock_irqrestore(&lc_jobctl_lock, flags);
}

/**
 * lc_signal_stop() - a stop signal was generated
 * @t: its target; the caller has checked that the cldstop kprobe is live
 *
 * Once the kernel has told the parent of a continue (SIGNAL_CLD_MASK
 * clear), the process is no longer CONTINUED, even if the thread that
 * told it has not reached lc_cldstop() yet: a SIGCONT that cuts the new
 * stop short must find it running.
 *
 * Context: signal_generate, under @t's siglock: its signal->flags hold.
 */
void lc_signal_stop(struct task_struct *t)
{
	unsigned long flags;

	if (READ_ONCE(t->signal->flags) & SIGNAL_CLD_MASK)
		return;
	raw_spin_lock_irqsave(&lc_jobctl_lock, flags);
	lc_lineage_jobctl(t, LC_JC_CONTINUED, 0);
	raw_spin_unlock_irqrestore(&lc_jobctl_lock, flags);
}

/**
 * lc_stop_fallback() - stop and continue without the cldstop kprobe
 * @t: the signal's target
 * @sig: the signal
 * @result: signal_generate's result; 0 is TRACE_SIGNAL_DELIVERED
 *
 * An approximation for stops: a delivered stop signal is taken as a stop,
 * although stops of an orphaned process group are in fact discarded.  A
 * continue is a SIGCONT that continued a stop (its result is "ignored"
 * without a handler), as in lc_signal_cont().  Used only when
 * do_notify_parent_cldstop cannot be probed.
 */
void lc_stop_fallback(struct task_struct *t, int sig, int result)
{
	if (sig == SIGCONT) {
		if ((READ_ONCE(t->signal->flags) & SIGNAL_CLD_MASK) &&
		    !(lc_jc_continue(t) & LC_JC_CONTINUED))
			lc_emit_stop(t, true, false, SIGCONT);
	} else if (result == 0 && sig_kernel_stop(sig)) {
		lc_lineage_jobctl(t, LC_JC_STATE, LC_JC_STOPPED);
		lc_emit_stop(t, false, false, sig);
	}
}

/*
 * struct lc_hookdef - one hook: a kprobe, or a kretprobe when @ret
 * @symbol: the kernel function
 * @ret: whether it is a kretprobe
 * @kp: the kprobe (handlers set below)
 * @krp: the kretprobe
 * @live: registered; false means its fallback is in use
 */
struct lc_hookdef {
	const char *symbol;
	bool ret;
	union {
		struct kprobe kp;
		struct kretprobe krp;
	};
	bool live;
};

static struct lc_hookdef lc_hooks[] = {
	[LC_HOOK_REPARENT] = {
		.symbol = "kill_orphaned_pgrp",
		.kp.pre_handler = lc_kp_reparent,
	},
	[LC_HOOK_REAP] = {
		.symbol = "posix_cpu_timers_exit_group",
		.kp.pre_handler = lc_kp_reap,
	},
	[LC_HOOK_CLDSTOP] = {
		.symbol = "do_notify_parent_cldstop",
		.kp.pre_handler = lc_kp_cldstop,
	},
	[LC_HOOK_SETSID] = {
		.symbol = "ksys_setsid", .ret = true,
		.krp.handler = lc_krp_setsid, .krp.maxactive = 64,
	},
	[LC_HOOK_SETPGID] = {
		.symbol = "__do_sys_setpgid", .ret = true,
		.krp.handler = lc_krp_setpgid,
		.krp.entry_handler = lc_krp_setpgid_entry,
		.krp.data_size = sizeof(struct lc_setpgid),
		.krp.maxactive = 64,
	},
};

static_assert(ARRAY_SIZE(lc_hooks) == LC_HOOK_COUNT);

/* The kprobe inside either kind. */
static struct kprobe *lc_hook_kp(struct lc_hookdef *h)
{
	return h->ret ? &h->krp.kp : &h->kp;
}

/*
 * Whether kallsyms has a compiler clone of @sym: gcc's usual first clone
 * names.  A probe on the plain symbol would then miss the calls that go
 * to the clone.  Looked up through the kprobe API, the only lookup a
 * module has (kallsyms_lookup_name() is not exported); nothing is armed
 * unless the clone exists, and then only for a moment.
 */
static const char *lc_hook_clone(const char *sym, char *buf, size_t size)
{
	static const char *const suffixes[] = {
		".isra.0", ".part.0", ".constprop.0",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		struct kprobe probe = { .symbol_name = buf };

		snprintf(buf, size, "%s%s", sym, suffixes[i]);
		if (!register_kprobe(&probe)) {
			unregister_kprobe(&probe);
			return buf;
		}
	}
	return NULL;
}

static int lc_hook_register(struct lc_hookdef *h)
{
	char clone[KSYM_NAME_LEN];
	int ret;

	if (lc_hook_clone(h->symbol, clone, sizeof(clone))) {
		pr_warn("%s %s: the kernel also has %s, which callers may use; using its fallback\n",
			h->ret ? "kretprobe" : "kprobe", h->symbol, clone);
		return -EADDRNOTAVAIL;
	}
	lc_hook_kp(h)->symbol_name = h->symbol;
	ret = h->ret ? register_kretprobe(&h->krp) : register_kprobe(&h->kp);
	if (ret)
		pr_warn("%s %s: %s (%d); using its fallback\n",
			h->ret ? "kretprobe" : "kprobe", h->symbol,
			ret == -ENOENT ? "no such symbol" : "cannot register",
			ret);
	return ret;
}

/**
 * lc_kprobes_init() - register every hook; a failure means its fallback
 *
 * Context: process context (module init), may sleep.
 * Return: 0.  A hook that cannot be registered is logged, once, and left
 * to its fallback; the module still loads.
 */
int lc_kprobes_init(void)
{
	unsigned int i;

	for (i = 0; i < LC_HOOK_COUNT; i++) {
		struct lc_hookdef *h = &lc_hooks[i];

		if (lc_fallback_mask & BIT(i))
			continue;
		WRITE_ONCE(h->live, !lc_hook_register(h));
	}
	return 0;
}

/**
 * lc_kprobes_exit() - unregister whatever was registered
 *
 * unregister_kprobe() waits for running handlers to finish.
 *
 * Context: process context, may sleep.
 */
void lc_kprobes_exit(void)
{
	unsigned int i;

	for (i = 0; i < LC_HOOK_COUNT; i++) {
		struct lc_hookdef *h = &lc_hooks[i];

		if (!h->live)
			continue;
		if (h->ret)
			unregister_kretprobe(&h->krp);
		else
			unregister_kprobe(&h->kp);
		WRITE_ONCE(h->live, false);
	}
}

/**
 * lc_kprobe_live() - whether a hook is registered
 * @hook: enum lc_hook
 *
 * Return: true when live, false when its fallback is in use.
 */
bool lc_kprobe_live(int hook)
{
	return READ_ONCE(lc_hooks[hook].live);
}

/**
 * lc_kprobe_name() - the kernel function behind a hook
 * @hook: enum lc_hook
 *
 * Return: the symbol name.
 */
const char *lc_kprobe_name(int hook)
{
	return lc_hooks[hook].symbol;
}

/**
 * lc_kprobe_nmissed() - how often a hook's handler was skipped
 * @hook: enum lc_hook
 *
 * Return: the kprobe's nmissed count (and the kretprobe's own, for those).
 */
unsigned long lc_kprobe_nmissed(int hook)
{
	struct lc_hookdef *h = &lc_hooks[hook];

	return lc_hook_kp(h)->nmissed + (h->ret ? h->krp.nmissed : 0);
}

/**
 * lc_kprobe_fired() - how often a hook's handler ran
 * @hook: enum lc_hook
 *
 * Return: the sum over all CPUs.
 */
unsigned long lc_kprobe_fired(int hook)
{
	return lc_fired_sum(&lc_hook_fired[hook]);
}
