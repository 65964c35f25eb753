/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lc.h - lifecycle.ko's internal interfaces, one section per file.
 */
#ifndef _LC_H
#define _LC_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/irq_work.h>
#include <lifecycle.h>

struct seq_file;
struct pid_namespace;

/* Pid namespace levels below the initial one that records translate. */
#define LC_NS_EXTRA	3
/* The most pid-valued fields one record has (pid, tgid, ppid + details). */
#define LC_PID_FIELDS	5

/*
 * struct lc_nsview - the record's pids as seen from the subject's own pid
 * namespaces, levels 1..LC_NS_EXTRA, taken when the event happened: the
 * processes may be gone when somebody reads.  The namespace pointers are
 * only compared with a reader's, never dereferenced.
 */
struct lc_nsview {
	const void *ns[LC_NS_EXTRA];
	pid_t nr[LC_NS_EXTRA][LC_PID_FIELDS];
};

/*
 * struct lc_record - one event as kept in the log; text is made on read.
 * Its union is the binary stream's (LC_EVENT_PAYLOADS in lifecycle.h), so
 * lc_encode() copies a payload in one piece.
 */
struct lc_record {
	u64 seq;
	u64 ts;
	u8 type;
	u8 nslevels;		/* valid levels in nsview; 0 for the init ns */
	u16 cpu;
	pid_t pid;
	pid_t tgid;
	pid_t ppid;
	u32 uid;
	char comm[LC_COMM_LEN];
	struct lc_event_ids ids;	/* start times, as the stream's */

	LC_EVENT_PAYLOADS;	/* fork, exec, ...: by type */
	struct lc_nsview nsview;	/* copied only when nslevels > 0 */
};

/*
 * Bytes a record other than exec uses: the header and the largest of the
 * small union members (what lc_record_init() clears).  In the log every
 * record is its struct lc_event (log.c).
 */
#define LC_SMALL_PAYLOAD	LC_EVENT_PAYLOAD_SIZE
#define LC_SMALL_RECORD		(offsetof(struct lc_record, fork) + \
				 LC_SMALL_PAYLOAD)

/*
 * Every probe disables preemption itself (lc_probe_enter()), which is an
 * RCU read-side critical section (the RCU flavours are one since 5.0):
 * probes then read RCU-protected task fields without rcu_read_lock().
 * Nothing relies on how the kernel calls the probe: from 7.0 tracepoint
 * probes run under SRCU and may be preempted.
 */
#define lc_rcu(p)	rcu_dereference_check(p, rcu_read_lock_any_held())

/**
 * lc_start_of() - the start of @t's process: its leader's start_boottime
 * @t: a task, pinned or read under RCU (a probe's context)
 *
 * The lineage table's key with the tgid.  de_thread() gives an exec'ing
 * thread its leader's start, so the value survives exec from a thread.
 *
 * Return: ns since boot.
 */
static inline u64 lc_start_of(struct task_struct *t)
{
	return READ_ONCE(t->group_leader)->start_boottime;
}

/**
 * lc_probe_enter() - start a probe body: preemption off, count the hook
 * @fired: the hook's per-CPU fire counter
 *
 * The _notrace variants, as probes run inside the scheduler and tracer.
 * Pair with lc_probe_exit().
 */
static __always_inline void lc_probe_enter(unsigned long __percpu *fired)
{
	preempt_disable_notrace();
	__this_cpu_inc(*fired);
}

/**
 * lc_probe_exit() - end a probe body started with lc_probe_enter()
 */
static __always_inline void lc_probe_exit(void)
{
	preempt_enable_notrace();
}

/**
 * lc_fired_sum() - a hook's fire counter summed over every CPU
 * @fired: the counter lc_probe_enter() increments
 *
 * Return: the sum; racy against probes, as statistics are.
 */
static inline unsigned long lc_fired_sum(unsigned long __percpu *fired)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(fired, cpu);
	return sum;
}

/* params.c */
extern unsigned int lc_log_size;
extern unsigned int lc_lineage_size;
extern unsigned int lc_track_size;
extern unsigned int lc_argv_max;
extern unsigned int lc_fallback_mask;
extern unsigned int lc_all_gid;
#define LC_NO_GID	0xffffffffU
extern unsigned int lc_event_mask;

/* log.c: the bounded, seq-numbered event log */
int lc_log_init(void);
void lc_log_exit(void);
void lc_log_commit(struct lc_record *r);
int lc_log_read(u64 *seq, struct lc_record *out, u64 *lost);
/* lc_log_encode(): records looked at per hold of the log lock */
#define LC_LOG_BATCH	16
#define LC_ALL_UIDS	0xffffffffU	/* (u32)-1, no uid of a record */
#define LC_EVENT_MAX	(sizeof(struct lc_event) + sizeof(struct lc_event_ids))
ssize_t lc_log_encode(u64 *seq, void *buf, size_t room, u32 uid, u64 *lost);
u64 lc_log_head(void);
u64 lc_log_first(void);
void lc_log_clear(void);
void lc_log_shutdown(void);
bool lc_log_dying(void);
size_t lc_log_memory(void);
int lc_log_mmap(struct vm_area_struct *vma);
extern wait_queue_head_t lc_log_wq;
/* batched readers (LC_IOC_WAKEUP): a queue, a watermark and a timer */
extern wait_queue_head_t lc_batch_wq;
void lc_log_batch_set(unsigned int files, unsigned int ms);
bool lc_log_batch_ready(u64 seq, u32 records);

/* record.c: building records from tasks */
void lc_record_init(struct lc_record *r, enum lc_event_type type,
		    struct task_struct *t);
void lc_emit(struct lc_record *r);
bool lc_event_enabled(enum lc_event_type type);

/* lineage.c: the table of live and recently exited processes */
int lc_lineage_init(void);
void lc_lineage_exit(void);
void lc_lineage_seed(void);
void lc_lineage_fork(struct task_struct *child, struct task_struct *creator);
void lc_lineage_exec(struct task_struct *t, u64 ts);
bool lc_lineage_exit_group(struct task_struct *t, int status, u64 ts);
u64 lc_lineage_reap(struct task_struct *t, u64 ts);
void lc_lineage_zombie(struct task_struct *t, u64 ts);
void lc_lineage_reparent(struct task_struct *t, struct task_struct *np,
			 u8 reason, u64 ts);
struct lc_changes {
	pid_t old_parent, parent;
	u64 old_parent_start;
	pid_t old_sid, sid;
	pid_t old_pgid, pgid;
};

bool lc_lineage_changes(struct task_struct *t, struct lc_changes *c);
bool lc_lineage_tracked(struct task_struct *t);
/*
 * A process's job-control bits, as the log has told it: kprobes.c decides,
 * the lineage table stores.  Neither STOPPED nor CONTINUED is running.
 */
/* a stop logged, its continue not yet */
#define LC_JC_STOPPED	BIT(0)
/* a continue logged from SIGCONT; the kernel has not yet told the parent */
#define LC_JC_CONTINUED	BIT(1)
/* a stop logged from SIGCONT; the stopping thread's own notification is due */
#define LC_JC_UNTOLD	BIT(2)
/* (returned) not in the lineage table */
#define LC_JC_UNKNOWN	BIT(3)
#define LC_JC_STATE	(LC_JC_STOPPED | LC_JC_CONTINUED)

unsigned int lc_lineage_jobctl(struct task_struct *t, unsigned int clear,
			       unsigned int set);
int lc_lineage_track_pid(pid_t tgid);
void lc_lineage_untrack_all(void);
void lc_lineage_clear(void);
size_t lc_lineage_memory(void);
unsigned int lc_lineage_entries(void);
int lc_lineage_show(struct seq_file *m);

/* tracepoints.c: fork, exec, exit, signal and the optional sched hooks */
int lc_tracepoints_init(void);
void lc_tracepoints_exit(void);
int lc_tracepoints_sched(bool on);
bool lc_tracepoint_live(const char *name);
const char *lc_tracepoint_name(unsigned int i);
unsigned long lc_tracepoint_fired(unsigned int i);

/* kprobes.c: reparent, reap, stop/cont, setsid, setpgid */
enum lc_hook {
	LC_HOOK_REPARENT,
	LC_HOOK_REAP,
	LC_HOOK_CLDSTOP,
	LC_HOOK_SETSID,
	LC_HOOK_SETPGID,
	LC_HOOK_COUNT,
};

int lc_kprobes_init(void);
void lc_kprobes_exit(void);
bool lc_kprobe_live(int hook);
const char *lc_kprobe_name(int hook);
unsigned long lc_kprobe_nmissed(int hook);
unsigned long lc_kprobe_fired(int hook);
void lc_stop_fallback(struct task_struct *t, int sig, int result);
void lc_kprobes_reconcile(struct task_struct *t);
void lc_signal_cont(struct lc_record *sig, struct task_struct *t);
void lc_signal_stop(struct task_struct *t);

/* state.c: opt-in R/S/D/T/t/Z tracking */
int lc_state_init(void);
void lc_state_exit(void);
void lc_state_switch(struct task_struct *prev, unsigned int prev_state,
		     struct task_struct *next);
void lc_state_wakeup(struct task_struct *p);
void lc_state_fork(struct task_struct *child, struct task_struct *parent);
int lc_state_select_pid(pid_t pid);
int lc_state_select_comm(const char *comm);
void lc_state_off(void);
void lc_state_exec(struct task_struct *t);
bool lc_state_selecting(void);
size_t lc_state_memory(void);
int lc_state_show(struct seq_file *m);

/* pidns.c: pids as a pid namespace sees them */
void lc_pidns_init_record(struct lc_record *r, struct pid *pid);
void lc_pidns_translate(struct lc_record *r);
bool lc_pidns_view(struct lc_record *r, struct pid_namespace *ns);

/* format.c: one record as one line of text, or as one binary event */
bool lc_view(struct lc_record *r, struct pid_namespace *ns);
int lc_format(const struct lc_record *r, char *buf, size_t size);
size_t lc_encode(const struct lc_record *r, struct lc_event *ev);
void lc_decode(const struct lc_event *ev, struct lc_record *r);
size_t lc_escape(char *dst, size_t size, const char *src, size_t len,
		 bool argv);

/* procfs.c: /proc/lifecycle */
int lc_procfs_init(void);
void lc_procfs_exit(void);
int lc_procfs_readers(void);
u64 lc_procfs_lost(void);
void lc_procfs_show_readers(struct seq_file *m);
size_t lc_procfs_memory(void);

/* debugfs.c: stats, lineage, state and control */
int lc_debugfs_init(void);
void lc_debugfs_exit(void);

/* trace.c: lifecycle's own trace events */
void lc_trace_record(const struct lc_record *r);

#endif /* _LC_H */
