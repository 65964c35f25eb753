// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle -f --journal": every record to the systemd journal, as
 * structured fields, over journald's native protocol (one datagram of
 * KEY=value lines a record to /run/systemd/journal/socket; no libsystemd).
 *
 * Each entry has MESSAGE= (the timeline line, without its time column:
 * the journal has the time), PRIORITY=6, SYSLOG_IDENTIFIER=lifecycle, and
 * LIFECYCLE_EVENT, _SEQ, _TS_NS, _CPU, _PID, _TGID, _PPID, _UID, _COMM,
 * _START_NS, _PARENT_START_NS, _BOOT_ID, then the event's details as
 * LIFECYCLE_<KEY> with the key and the value
 * exactly as the text line of /proc/lifecycle has them (strings \xHH
 * escaped, clone_flags in hex; a "-" value is left out).  So
 * "journalctl LIFECYCLE_EVENT=reparent LIFECYCLE_NEW_PPID=1" works.
 *
 * LIFECYCLE_JOURNAL_SOCKET names another socket (for tests).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"
#include "stream.h"
#include "timeline.h"

#define JOURNAL_SOCKET	"/run/systemd/journal/socket"
/* an exec's argv escaped is at most 4 x 160 bytes; the rest is small */
#define JBUF_LEN	8192

static atomic_int got_signal;

struct journal {
	int fd;
	struct sockaddr_un addr;
	socklen_t addr_len;
	struct opts *o;
	struct tl t;		/* for MESSAGE */
	char *line;		/* the timeline line (open_memstream) */
	size_t line_len;
	FILE *line_f;
	char buf[JBUF_LEN];
	size_t len;
	bool full;		/* the entry did not fit: cut short */
	unsigned long long sent, failed;
};

static void on_signal(int sig)
{
	got_signal = sig;
}

static void jraw(struct journal *j, const char *s, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		j->full = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static __printf(2, 3) void jprintf(struct journal *j, const char *fmt, ...)
{
	size_t room = sizeof(j->buf) - j->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		j->full = true;
		return;
	}
	j->len += n;
}

/* LIFECYCLE_<key>=<number>, left out for a "-" value */
static void jnum(struct journal *j, const char *key, long long v)
{
	if (v != LC_NONE)
		jprintf(j, "LIFECYCLE_%s=%lld\n", key, v);
}

/* bytes as the text writes strings: outside 0x21..0x7e, '\', ',' as \xHH */
static void jesc(struct journal *j, const char *s, size_t n)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c < 0x21 || c > 0x7e || c == '\\' || c == ',')
			jprintf(j, "\\x%02x", c);
		else
			jraw(j, (const char *)&c, 1);
	}
}

static void jstr(struct journal *j, const char *key, const char *s)
{
	jprintf(j, "LIFECYCLE_%s=", key);
	if (*s)
		jesc(j, s, strlen(s));
	else
		jraw(j, "-", 1);
	jraw(j, "\n", 1);
}

/* argv as the text has it: escaped elements joined by ',' */
static void jargv(struct journal *j, const struct lc_argv *a)
{
	const char *s = a->buf;
	int i;

	if (a->null)
		return;
	jraw(j, "LIFECYCLE_ARGV=", 15);
	for (i = 0; i < a->argc; s += strlen(s) + 1, i++) {
		if (i)
			jraw(j, ",", 1);
		jesc(j, s, strlen(s));
	}
	jraw(j, "\n", 1);
}

/* On the enum, without default: an event left out fails to compile. */
static void jdetails(struct journal *j, const struct lc_entry *r)
{
	switch ((enum lc_event_type)r->type) {
	case LC_EV_FORK:
		jnum(j, "CREATOR_PID", r->fork.creator_pid);
		jnum(j, "CREATOR_TGID", r->fork.creator_tgid);
		jprintf(j, "LIFECYCLE_CLONE_FLAGS=0x%llx\n",
			(unsigned long long)r->fork.clone_flags);
		jnum(j, "THREAD", r->fork.thread);
		jnum(j, "VFORK", r->fork.vfork);
		jnum(j, "CREATOR_START_NS", r->fork.creator_start_ns);
		break;
	case LC_EV_EXEC:
		jnum(j, "OLD_PID", r->exec.old_pid);
		if (!r->exec.filename.null)
			jstr(j, "FILENAME", r->exec.filename.s);
		jnum(j, "FILENAME_TRUNC", r->exec.filename_trunc);
		jargv(j, &r->exec.argv);
		jnum(j, "ARGV_TRUNC", r->exec.argv_trunc);
		break;
	case LC_EV_EXIT:
		jnum(j, "STATUS", r->exit.status);
		jnum(j, "CODE", r->exit.code);
		jnum(j, "SIGNAL", r->exit.signal);
		jnum(j, "CORE", r->exit.core);
		jnum(j, "GROUP_DEAD", r->exit.group_dead);
		jnum(j, "AGE_NS", r->exit.age_ns);
		break;
	case LC_EV_REAP:
		jnum(j, "REAPER_PID", r->reap.reaper_pid);
		jnum(j, "REAPER_TGID", r->reap.reaper_tgid);
		jstr(j, "HOW", r->reap.how);
		jnum(j, "ZOMBIE_NS", r->reap.zombie_ns);
		jnum(j, "REAPER_START_NS", r->reap.reaper_start_ns);
		break;
	case LC_EV_REPARENT:
		jnum(j, "OLD_PPID", r->reparent.old_ppid);
		jnum(j, "NEW_PPID", r->reparent.new_ppid);
		jstr(j, "REASON", r->reparent.reason);
		jnum(j, "ZOMBIE", r->reparent.zombie);
		jnum(j, "OLD_PARENT_START_NS", r->reparent.old_parent_start_ns);
		break;
	case LC_EV_STOP:
	case LC_EV_CONT:
		jnum(j, "SIGNAL", r->stop.signal);
		jnum(j, "PTRACE", r->stop.ptrace);
		break;
	case LC_EV_SIGNAL:
		jnum(j, "SIGNAL", r->sig.signal);
		jnum(j, "SENDER_PID", r->sig.sender_pid);
		jnum(j, "SENDER_TGID", r->sig.sender_tgid);
		jstr(j, "RESULT", r->sig.result);
		jnum(j, "GROUP", r->sig.group);
		jnum(j, "SENDER_START_NS", r->sig.sender_start_ns);
		break;
	case LC_EV_SETSID:
		jnum(j, "SID", r->setsid.sid);
		break;
	case LC_EV_SETPGID:
		jnum(j, "PGID", r->setpgid.pgid);
		jnum(j, "OLD_PGID", r->setpgid.old_pgid);
		break;
	case LC_EV_STATE:
		jprintf(j, "LIFECYCLE_FROM=%c\nLIFECYCLE_TO=%c\n",
			(char)r->state.from, (char)r->state.to);
		jnum(j, "PREV_NS", r->state.prev_ns);
		break;
	case LC_EV_LOST:
		jnum(j, "COUNT", r->lost.count);
		break;
	case LC_EV_COUNT:	/* not an event: parse refuses it */
		break;
	}
}

/* MESSAGE=: the timeline line, without the time and the padding */
static void jmessage(struct journal *j, const struct lc_entry *r)
{
	const char *p;
	bool space = false;

	rewind(j->line_f);
	tl_print(&j->t, r, NULL);
	fflush(j->line_f);
	p = j->line;
	p += strspn(p, " ");
	p += strcspn(p, " ");		/* the time */
	p += strspn(p, " ");
	jraw(j, "MESSAGE=", 8);
	for (; *p && (size_t)(p - j->line) < j->line_len; p++) {
		if (*p == ' ' || *p == '\n') {
			space = true;
			continue;
		}
		if (space)
			jraw(j, " ", 1);
		space = false;
		jraw(j, p, 1);
	}
	jraw(j, "\n", 1);
}

/**
 * journal_entry() - one record as a native-protocol journal entry
 * @j: the journal writer, whose buf receives the entry
 * @r: the record
 *
 * The entry is cut short (and j->full set) only if it exceeds JBUF_LEN,
 * which no record the module writes does.
 */
static void journal_entry(struct journal *j, const struct lc_entry *r)
{
	j->len = 0;
	j->full = false;
	jmessage(j, r);
	jprintf(j, "PRIORITY=6\nSYSLOG_IDENTIFIER=lifecycle\n");
	jprintf(j, "LIFECYCLE_EVENT=%s\n", lc_event_name(r->type));
	jnum(j, "SEQ", r->seq);
	jnum(j, "TS_NS", r->ts_ns);
	jnum(j, "CPU", r->cpu);
	jnum(j, "PID", r->pid);
	jnum(j, "TGID", r->tgid);
	jnum(j, "PPID", r->ppid);
	jnum(j, "UID", r->uid);
	jstr(j, "COMM", r->comm);
	jnum(j, "START_NS", r->start_ns);
	jnum(j, "PARENT_START_NS", r->parent_start_ns);
	if (r->boot_id)
		jstr(j, "BOOT_ID", r->boot_id);
	jdetails(j, r);
}

static int journal_send(struct journal *j)
{
	ssize_t n;

	do {
		n = sendto(j->fd, j->buf, j->len, MSG_NOSIGNAL,
			   (struct sockaddr *)&j->addr, j->addr_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* journald restarting: tell once, count, go on */
		if (!j->failed++)
			fprintf(stderr, "lifecycle: %s: %m (records are dropped while it lasts)\n",
				j->addr.sun_path);
		return errno == ENOENT || errno == ECONNREFUSED ||
		       errno == EAGAIN || errno == ENOBUFS ? 0 : -1;
	}
	j->sent++;
	return 0;
}

static int journal_one(void *ctx, const struct lc_entry *r)
{
	struct journal *j = ctx;
	bool show = filter_match(&j->o->filter, r);

	tl_origin(&j->t, r);
	if (show) {
		journal_entry(j, r);
		if (journal_send(j))
			return -1;
	}
	tl_note(&j->t, r);
	tl_prune(&j->t);
	return 0;
}

/**
 * journal_open() - the datagram socket to journald
 * @j: the writer
 *
 * Return: 0, or -1 after a message.
 */
static int journal_open(struct journal *j)
{
	const char *path = getenv("LIFECYCLE_JOURNAL_SOCKET") ?: JOURNAL_SOCKET;
	size_t len = strlen(path);
	int sz = 8 * 1024 * 1024;

	if (len >= sizeof(j->addr.sun_path)) {
		fprintf(stderr, "lifecycle: %s: socket path too long\n", path);
		return -1;
	}
	j->addr.sun_family = AF_UNIX;
	memcpy(j->addr.sun_path, path, len + 1);
	j->addr_len = sizeof(j->addr);
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (j->fd < 0) {
		fprintf(stderr, "lifecycle: socket: %m\n");
		return -1;
	}
	/* as sd_journal_send(): a large buffer rides out bursts */
	setsockopt(j->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return 0;
}

static void journal_signals(sigset_t *wait_mask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	lc_catch(sigs, ARRAY_SIZE(sigs), on_signal, NULL, wait_mask);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * cmd_journal() - "lifecycle -f --journal": follow, writing to the journal
 * @o: the options: follow, tail, timeout_ms, input, the filters
 *
 * Runs until SIGINT, SIGTERM or SIGHUP, -t, or the end of the input (at
 * once without -f).  After a signal, what the log already holds is still
 * sent.
 *
 * Return: the exit status.
 */
int cmd_journal(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct journal *j = calloc(1, sizeof(*j));
	struct stream *s = malloc(sizeof(*s));
	long long end = -1, left = -1;
	sigset_t wait_mask;
	int ret = 1;

	if (!j || !s) {
		fprintf(stderr, "lifecycle: out of memory\n");
		goto out_free;
	}
	j->o = o;
	j->fd = -1;
	j->line_f = open_memstream(&j->line, &j->line_len);
	if (!j->line_f || journal_open(j))
		goto out_free;
	tl_init(&j->t, j->line_f, false, false);
	j->t.header_done = true;
	if (stream_open(s, src, o->tail))
		goto out_tl;
	s->strict = o->strict;
	if (o->follow)
		journal_signals(&wait_mask);
	if (o->timeout_ms >= 0)
		end = now_ms() + o->timeout_ms;
	ret = 0;
	while (o->follow && !got_signal && !s->hup && !ret) {
		if (end >= 0) {
			left = end - now_ms();
			if (left <= 0)
				break;
		}
		ret = stream_pump(s, left > INT_MAX ? INT_MAX : (int)left,
				  &wait_mask, journal_one, j);
	}
	/* without -f: all there is; after -f: what is there already */
	if (!ret && !o->follow)
		ret = stream_read_all(s, journal_one, j);
	else if (!ret)
		ret = stream_catch_up(s, journal_one, j);
	if (!ret && (s->hup || !o->follow))
		ret = stream_finish(s, journal_one, j);
	if (!ret && (s->damaged || j->failed))
		ret = 1;
	if (j->failed)
		fprintf(stderr, "lifecycle: %llu records sent to the journal, %llu dropped\n",
			j->sent, j->failed);
	stream_close(s);
out_tl:
	tl_free(&j->t);
out_free:
	if (j && j->line_f)
		fclose(j->line_f);
	if (j) {
		free(j->line);
		if (j->fd >= 0)
			close(j->fd);
	}
	free(j);
	free(s);
	return ret ? 1 : 0;
}
