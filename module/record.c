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

#define LC_PAYLOAD(ev, member) \
	[ev] = sizeof_field(struct lc_record, member)

/* Bytes of the union each event uses: only those are cleared and copied. */
static const u16 lc_payload[LC_EV_COUNT] = {
	LC_PAYLOAD(LC_EV_FORK, fork),
	LC_PAYLOAD(LC_EV_EXEC, exec),
	LC_PAYLOAD(LC_EV_EXIT, exit),
	LC_PAYLOAD(LC_EV_REAP, reap),
	LC_PAYLOAD(LC_EV_REPARENT, reparent),
	LC_PAYLOAD(LC_EV_STOP, stop),
	LC_PAYLOAD(LC_EV_CONT, stop),
	LC_PAYLOAD(LC_EV_SIGNAL, signal),
	LC_PAYLOAD(LC_EV_SETSID, setsid),
	LC_PAYLOAD(LC_EV_SETPGID, setpgid),
	LC_PAYLOAD(LC_EV_STATE, state),
	LC_PAYLOAD(LC_EV_LOST, lost),
};

/**
 * lc_record_size() - the bytes of @r that mean something
 * @r: a record with its type set
 *
 * Return: the header plus the event's part of the union.
 */
size_t lc_record_size(const struct lc_record *r)
{
	if (r->nslevels)
		return sizeof(*r);
	return offsetof(struct lc_record, fork) + lc_payload[r->type];
}

/**
 * lc_record_init() - start a record about task @t
 * @r: the record, zeroed here
 * @type: the event
 * @t: the task the event is about (its thread id, process id, real
 *     parent's process id, comm and uid at this moment)
 *
 * Call with the task pinned (a probe argument or current).  Only the
 * event's own fields are cleared; exec's strings are bounded by their
 * terminator and argv_len instead.
 */
void lc_record_init(struct lc_record *r, enum lc_event_type type,
		    struct task_struct *t)
{
	memset(&r->fork, 0, type == LC_EV_EXEC ?
	       offsetof(struct lc_record, exec.filename) -
	       offsetof(struct lc_record, exec) : lc_payload[type]);
	r->seq = 0;
	r->ts = 0;
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
	lc_pidns_init_record(r, t);
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
	if (r->nslevels)
		lc_pidns_translate(r);
	lc_log_commit(r);
	lc_trace_record(r);
}
