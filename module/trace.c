// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - instantiate lifecycle's trace events and fire them.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

/**
 * lc_trace_record() - fire the trace event matching a committed record
 * @r: the record, seq already assigned
 *
 * The switch is on the enum, without default: an event left out fails to
 * compile.
 */
void lc_trace_record(const struct lc_record *r)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		trace_fork(r);
		break;
	case LC_EV_EXEC:
		trace_exec(r);
		break;
	case LC_EV_EXIT:
		trace_exit(r);
		break;
	case LC_EV_REAP:
		trace_reap(r);
		break;
	case LC_EV_REPARENT:
		trace_reparent(r);
		break;
	case LC_EV_STOP:
		trace_stop(r);
		break;
	case LC_EV_CONT:
		trace_cont(r);
		break;
	case LC_EV_SIGNAL:
		trace_signal(r);
		break;
	case LC_EV_SETSID:
		trace_setsid(r);
		break;
	case LC_EV_SETPGID:
		trace_setpgid(r);
		break;
	case LC_EV_STATE:
		trace_state(r);
		break;
	case LC_EV_LOST:	/* made for one reader, never committed */
	case LC_EV_COUNT:	/* not an event */
		break;
	}
}
