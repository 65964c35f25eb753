// SPDX-License-Identifier: GPL-2.0
/*
 * pidns.c - pids as the reader's pid namespace sees them.
 *
 * Records hold global pids.  A record about a task inside pid namespaces
 * also holds, for each of its namespaces (up to LC_NS_EXTRA levels deep),
 * every pid of the record as that namespace numbers it, translated when
 * the event happens, since the processes may be gone by the time somebody
 * reads.  A reader in namespace N sees a record only if the record's task
 * lives in N or below, with N's numbers; a pid N cannot see reads 0, as
 * in /proc.  Records about tasks of the initial namespace cost nothing
 * extra: their nsview is neither filled nor copied.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "lc.h"

#define LC_F(member)	offsetof(struct lc_record, member)

/* Offsets of each event's pid fields, beyond pid, tgid and ppid. */
static const u16 lc_pid_fields[LC_EV_COUNT][LC_PID_FIELDS - 3] = {
	[LC_EV_FORK] = { LC_F(fork.creator_pid), LC_F(fork.creator_tgid) },
	[LC_EV_EXEC] = { LC_F(exec.old_pid) },
	[LC_EV_REAP] = { LC_F(reap.reaper_pid), LC_F(reap.reaper_tgid) },
	[LC_EV_REPARENT] = { LC_F(reparent.old_ppid),
			     LC_F(reparent.new_ppid) },
	[LC_EV_SIGNAL] = { LC_F(signal.sender_pid),
			   LC_F(signal.sender_tgid) },
	[LC_EV_SETSID] = { LC_F(setsid.sid) },
	[LC_EV_SETPGID] = { LC_F(setpgid.pgid), LC_F(setpgid.old_pgid) },
};

/* The i-th pid field of @r; NULL past the event's last one. */
static pid_t *lc_pid_field(struct lc_record *r, unsigned int i)
{
	static const u16 common[] = { LC_F(pid), LC_F(tgid), LC_F(ppid) };
	u16 off;

	if (i < ARRAY_SIZE(common))
		off = common[i];
	else
		off = lc_pid_fields[r->type][i - ARRAY_SIZE(common)];
	return off ? (pid_t *)((char *)r + off) : NULL;
}

/**
 * lc_pidns_init_record() - note the pid namespaces of a record's task
 * @r: the record being started
 * @pid: the task's struct pid, below the initial namespace (level > 0)
 */
void lc_pidns_init_record(struct lc_record *r, struct pid *pid)
{
	unsigned int l;

	r->nslevels = min_t(unsigned int, pid->level, LC_NS_EXTRA);
	for (l = 0; l < r->nslevels; l++)
		r->nsview.ns[l] = pid->numbers[l + 1].ns;
}

/**
 * lc_pidns_translate() - fill the record's pids as its namespaces see them
 * @r: a finished record of a task below the initial namespace
 */
void lc_pidns_translate(struct lc_record *r)
{
	struct pid_namespace *ns;
	struct pid *pid;
	unsigned int i, l;
	pid_t *f;

	rcu_read_lock();
	for (i = 0; i < LC_PID_FIELDS && (f = lc_pid_field(r, i)); i++) {
		pid = *f > 0 ? find_pid_ns(*f, &init_pid_ns) : NULL;
		for (l = 0; l < r->nslevels; l++) {
			ns = (struct pid_namespace *)r->nsview.ns[l];
			r->nsview.nr[l][i] = pid ? pid_nr_ns(pid, ns) : 0;
		}
	}
	rcu_read_unlock();
}

/**
 * lc_pidns_view() - rewrite a reader's copy of a record into @ns's pids
 * @r: the reader's copy
 * @ns: the reader's pid namespace, not the initial one
 *
 * Return: false when the record's task is not visible in @ns.
 */
bool lc_pidns_view(struct lc_record *r, struct pid_namespace *ns)
{
	unsigned int l = ns->level - 1, i;
	pid_t *f;

	if (ns->level > r->nslevels || r->nsview.ns[l] != ns)
		return false;
	for (i = 0; i < LC_PID_FIELDS && (f = lc_pid_field(r, i)); i++)
		*f = r->nsview.nr[l][i];
	return true;
}
