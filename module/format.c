// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - one record as one line of /proc/lifecycle (see lifecycle.h).
 */
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include "lc.h"

static const char *const lc_event_names[] = LC_EVENT_NAMES;
static const char *const lc_reap_names[] = LC_REAP_NAMES;
static const char *const lc_reason_names[] = LC_REPARENT_NAMES;
static const char *const lc_sigresult_names[] = LC_SIGRESULT_NAMES;

static_assert(ARRAY_SIZE(lc_event_names) == LC_EV_COUNT);

/**
 * lc_escape() - copy bytes, escaping all but 0x21..0x7e and '\' ','
 * @dst: output, always NUL-terminated
 * @size: its size; 4 bytes per input byte plus one is always enough
 * @src: input
 * @len: input length
 * @argv: turn NUL separators into ',' (the last NUL is dropped)
 *
 * Return: the output length.
 */
size_t lc_escape(char *dst, size_t size, const char *src, size_t len,
		 bool argv)
{
	size_t i, o = 0;

	if (argv && len && !src[len - 1])
		len--;
	for (i = 0; i < len && o + 5 <= size; i++) {
		unsigned char c = src[i];

		if (argv && !c)
			dst[o++] = ',';
		else if (c > 0x20 && c < 0x7f && c != '\\' && c != ',')
			dst[o++] = c;
		else
			o += scnprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = '\0';
	return o;
}

static const char *lc_bool(bool b)
{
	return b ? "1" : "0";
}

static int lc_fmt_exit(const struct lc_record *r, char *buf, size_t size)
{
	int st = r->exit.status;
	int sig = st & 0x7f;

	if (sig)
		return scnprintf(buf, size,
				 " status=%d code=- signal=%d core=%s group_dead=%s",
				 st, sig, lc_bool(st & 0x80),
				 lc_bool(r->exit.group_dead));
	return scnprintf(buf, size,
			 " status=%d code=%d signal=- core=0 group_dead=%s",
			 st, (st >> 8) & 0xff, lc_bool(r->exit.group_dead));
}

static int lc_fmt_exec(const struct lc_record *r, char *buf, size_t size)
{
	char esc[LC_FILENAME_LEN * 4 + 1];
	int n;

	lc_escape(esc, sizeof(esc), r->exec.filename,
		  strnlen(r->exec.filename, LC_FILENAME_LEN), false);
	n = scnprintf(buf, size, " old_pid=%d filename=%s filename_trunc=%s argv=",
		      r->exec.old_pid, esc,
		      lc_bool(r->exec.filename_trunc));
	n += lc_escape(buf + n, size - n, r->exec.argv, r->exec.argv_len, true);
	n += scnprintf(buf + n, size - n, " argv_trunc=%s",
		       lc_bool(r->exec.argv_trunc));
	return n;
}

static int lc_fmt_details(const struct lc_record *r, char *buf, size_t size)
{
	switch (r->type) {
	case LC_EV_FORK:
		return scnprintf(buf, size,
				 " creator_pid=%d creator_tgid=%d clone_flags=0x%llx thread=%s vfork=%s",
				 r->fork.creator_pid,
				 r->fork.creator_tgid,
				 r->fork.clone_flags, lc_bool(r->fork.thread),
				 lc_bool(r->fork.vfork));
	case LC_EV_EXEC:
		return lc_fmt_exec(r, buf, size);
	case LC_EV_EXIT:
		return lc_fmt_exit(r, buf, size);
	case LC_EV_REAP:
		return scnprintf(buf, size,
				 " reaper_pid=%d reaper_tgid=%d how=%s zombie_ns=%llu",
				 r->reap.reaper_pid,
				 r->reap.reaper_tgid,
				 lc_reap_names[r->reap.how], r->reap.zombie_ns);
	case LC_EV_REPARENT:
		return scnprintf(buf, size,
				 " old_ppid=%d new_ppid=%d reason=%s zombie=%s",
				 r->reparent.old_ppid,
				 r->reparent.new_ppid,
				 lc_reason_names[r->reparent.reason],
				 lc_bool(r->reparent.zombie));
	case LC_EV_STOP:
	case LC_EV_CONT:
		return scnprintf(buf, size, " signal=%d ptrace=%s",
				 r->stop.sig, lc_bool(r->stop.ptrace));
	case LC_EV_SIGNAL:
		return scnprintf(buf, size,
				 " signal=%d sender_pid=%d sender_tgid=%d result=%s group=%s",
				 r->signal.sig, r->signal.sender_pid,
				 r->signal.sender_tgid,
				 r->signal.result < ARRAY_SIZE(lc_sigresult_names) ?
				 lc_sigresult_names[r->signal.result] : "unknown",
				 lc_bool(r->signal.group));
	case LC_EV_SETSID:
		return scnprintf(buf, size, " sid=%d", r->setsid.sid);
	case LC_EV_SETPGID:
		return scnprintf(buf, size, " pgid=%d old_pgid=%d",
				 r->setpgid.pgid,
				 r->setpgid.old_pgid);
	case LC_EV_STATE:
		return scnprintf(buf, size, " from=%c to=%c prev_ns=%llu",
				 r->state.from, r->state.to, r->state.prev_ns);
	case LC_EV_LOST:
		return scnprintf(buf, size, " count=%llu", r->lost.count);
	}
	return 0;
}

/**
 * lc_format() - render a record as one text line, newline included
 * @r: the reader's copy of the record; its pids are rewritten for @ns
 * @ns: the reader's pid namespace: pids are translated into it
 * @buf: output
 * @size: its size, at least LC_LINE_MAX
 *
 * Return: the line's length, or 0 when the record's process is not
 * visible in @ns (the reader skips it).
 */
int lc_format(struct lc_record *r, struct pid_namespace *ns,
	      char *buf, size_t size)
{
	char comm[LC_COMM_LEN * 4 + 1];
	int n;

	if (ns != &init_pid_ns && r->type != LC_EV_LOST &&
	    !lc_pidns_view(r, ns))
		return 0;
	if (r->type == LC_EV_LOST)
		strscpy(comm, "-", sizeof(comm));
	else
		lc_escape(comm, sizeof(comm), r->comm,
			  strnlen(r->comm, LC_COMM_LEN), false);
	n = scnprintf(buf, size, "%llu %llu %u %s %d %d %d %u %s", r->seq,
		      r->ts, r->cpu, lc_event_names[r->type], r->pid, r->tgid,
		      r->ppid, r->uid, comm);
	n += lc_fmt_details(r, buf + n, size - n);
	n += scnprintf(buf + n, size - n, "\n");
	return n;
}
