// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - the fields every record carries, and the one way to emit it.
 */
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include "lc.h"
#include "stats.h"

/**
 * lc_event_enabled() - whether the runtime event mask lets @type through
 * @type: the event
 *
 * Return: true when the event is recorded.
 */
bool lc_event_enabled(enum lc_event_type type)
{
	return READ_ONCE(lc_event_mask) & (1U << type);
}

/**
 * lc_record_init() - start a record about task @t
 * @r: the record, zeroed here
 * @type: the event
 * @t: the task the event is about (its thread id, process id, real
 *     parent's process id, comm and uid at this moment)
 *
 * Call with the task pinned (a probe argument or current).
 */
void lc_record_init(struct lc_record *r, enum lc_event_type type,
		    struct task_struct *t)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->cpu = raw_smp_processor_id();
	r->pid = t->pid;
	r->tgid = t->tgid;
	rcu_read_lock();
	r->ppid = rcu_dereference(t->real_parent)->tgid;
	r->uid = from_kuid_munged(&init_user_ns, task_uid(t));
	rcu_read_unlock();
	memcpy(r->comm, t->comm, sizeof(r->comm));
	r->comm[LC_COMM_LEN - 1] = '\0';
}

/**
 * lc_emit() - count, trace and log a finished record
 * @r: the record
 */
void lc_emit(struct lc_record *r)
{
	if (!lc_event_enabled(r->type)) {
		lc_count(LC_CNT_FILTERED);
		return;
	}
	lc_count(LC_CNT_EVENTS_FIRST + r->type);
	lc_log_commit(r);
	lc_trace_record(r);
}
