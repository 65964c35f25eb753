/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - lifecycle's own trace events, for perf, trace-cmd and
 * bpftrace while the module is loaded: lifecycle:reparent and so on.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM lifecycle

#if !defined(_LC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LC_TRACE_H

#include <linux/tracepoint.h>
#include "lc.h"

DECLARE_EVENT_CLASS(lc_event,
	TP_PROTO(const struct lc_record *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(pid_t, pid)
		__field(pid_t, tgid)
		__field(pid_t, ppid)
		__array(char, comm, LC_COMM_LEN)
	),
	TP_fast_assign(
		__entry->seq = r->seq;
		__entry->pid = r->pid;
		__entry->tgid = r->tgid;
		__entry->ppid = r->ppid;
		memcpy(__entry->comm, r->comm, LC_COMM_LEN);
	),
	TP_printk("seq=%llu pid=%d tgid=%d ppid=%d comm=%s", __entry->seq,
		  __entry->pid, __entry->tgid, __entry->ppid, __entry->comm)
);

#define LC_EVENT(name) \
	DEFINE_EVENT(lc_event, name, \
		     TP_PROTO(const struct lc_record *r), TP_ARGS(r))

LC_EVENT(fork);
LC_EVENT(exec);
LC_EVENT(stop);
LC_EVENT(cont);
LC_EVENT(setsid);
LC_EVENT(setpgid);
LC_EVENT(state);

TRACE_EVENT(exit,
	TP_PROTO(const struct lc_record *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(pid_t, pid)
		__field(pid_t, tgid)
		__field(int, status)
		__field(bool, group_dead)
	),
	TP_fast_assign(
		__entry->seq = r->seq;
		__entry->pid = r->pid;
		__entry->tgid = r->tgid;
		__entry->status = r->exit.status;
		__entry->group_dead = r->exit.group_dead;
	),
	TP_printk("seq=%llu pid=%d tgid=%d status=%d group_dead=%d",
		  __entry->seq, __entry->pid, __entry->tgid, __entry->status,
		  __entry->group_dead)
);

TRACE_EVENT(reap,
	TP_PROTO(const struct lc_record *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(pid_t, tgid)
		__field(pid_t, reaper_tgid)
		__field(u8, how)
		__field(u64, zombie_ns)
	),
	TP_fast_assign(
		__entry->seq = r->seq;
		__entry->tgid = r->tgid;
		__entry->reaper_tgid = r->reap.reaper_tgid;
		__entry->how = r->reap.how;
		__entry->zombie_ns = r->reap.zombie_ns;
	),
	TP_printk("seq=%llu tgid=%d reaper_tgid=%d how=%u zombie_ns=%llu",
		  __entry->seq, __entry->tgid, __entry->reaper_tgid,
		  __entry->how, __entry->zombie_ns)
);

TRACE_EVENT(reparent,
	TP_PROTO(const struct lc_record *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(pid_t, tgid)
		__field(pid_t, old_ppid)
		__field(pid_t, new_ppid)
		__field(u8, reason)
		__field(bool, zombie)
	),
	TP_fast_assign(
		__entry->seq = r->seq;
		__entry->tgid = r->tgid;
		__entry->old_ppid = r->reparent.old_ppid;
		__entry->new_ppid = r->reparent.new_ppid;
		__entry->reason = r->reparent.reason;
		__entry->zombie = r->reparent.zombie;
	),
	TP_printk("seq=%llu tgid=%d old_ppid=%d new_ppid=%d reason=%s zombie=%d",
		  __entry->seq, __entry->tgid, __entry->old_ppid,
		  __entry->new_ppid,
		  __entry->reason == LC_REPARENT_INIT ? "init" : "subreaper",
		  __entry->zombie)
);

TRACE_EVENT(signal,
	TP_PROTO(const struct lc_record *r),
	TP_ARGS(r),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(pid_t, pid)
		__field(int, sig)
		__field(pid_t, sender_pid)
		__field(u8, result)
	),
	TP_fast_assign(
		__entry->seq = r->seq;
		__entry->pid = r->pid;
		__entry->sig = r->signal.signal;
		__entry->sender_pid = r->signal.sender_pid;
		__entry->result = r->signal.result;
	),
	TP_printk("seq=%llu pid=%d sig=%d sender_pid=%d result=%u",
		  __entry->seq, __entry->pid, __entry->sig,
		  __entry->sender_pid, __entry->result)
);

#endif /* _LC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
