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

static_assert(sizeof_field(struct lc_record, fork) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, exit) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, reap) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, reparent) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, stop) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, signal) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, setsid) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, setpgid) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, state) <= LC_SMALL_PAYLOAD);
static_assert(sizeof_field(struct lc_record, lost) <= LC_SMALL_PAYLOAD);

/**
 * lc_record_init() - start a record about task @t
 * @r: the record
 * @type: the event
 * @t: the task the event is about (its thread id, process id, real
 *     parent's process id, comm and uid at this moment, and the start
 *     times of its process and of its parent's)
 *
 * Call with the task pinned (a probe argument or current).  Probes declare
 * their record __uninitialized, so that CONFIG_INIT_STACK_ALL_ZERO does
 * not clear all of it on every event: this writes every byte the log
 * copies of a record without a pid-ns view (the header, padding
 * included, and the small payload or exec's fixed part; exec's strings
 * are bounded by their lengths).
 */
void lc_record_init(struct lc_record *r, enum lc_event_type type,
		    struct task_struct *t)
{
	char *end = (char *)r + offsetofend(struct lc_record, ids);
	struct task_struct *parent;
	struct pid *pid;

	/* Constant sizes: the compiler clears them with a few stores. */
	if (type == LC_EV_EXEC)
		memset(end, 0, offsetof(struct lc_record, exec.str) -
		       offsetofend(struct lc_record, ids));
	else
		memset(end, 0, LC_SMALL_RECORD -
		       offsetofend(struct lc_record, ids));
	r->seq = 0;
	r->ts = 0;
	r->type = type;
	r->cpu = raw_smp_processor_id();
	r->pid = t->pid;
	r->tgid = t->tgid;
	parent = lc_rcu(t->real_parent);
	r->ppid = parent->tgid;
	r->ids.start_ns = lc_start_of(t);
	r->ids.parent_start_ns = lc_start_of(parent);
	r->ids.peer_start_ns = 0;
	/* The initial user namespace maps every valid kuid to itself. */
	r->uid = __kuid_val(lc_rcu(t->real_cred)->uid);
	memcpy(r->comm, t->comm, sizeof(r->comm));
	r->comm[LC_COMM_LEN - 1] = '\0';
	pid = READ_ONCE(t->thread_pid);
	r->nslevels = 0;
	if (unlikely(pid && pid->level))
		lc_pidns_init_record(r, pid);
}

/**
 * lc_emit() - count, trace and log a finished record
 * @r: the record; a probe may have set its ts to the moment it also gave
 *     the lineage table, else the log stamps it
 */
void lc_emit(struct lc_record *r)
{
	if (!lc_event_enabled(r->type)) {
		lc_count(LC_CNT_FILTERED);
		return;
	}
	lc_count(LC_CNT_EVENTS_FIRST + r->type);
	if (r->nslevels)
		lc_pidns_translate(r);
	lc_log_commit(r);
	lc_trace_record(r);
}
