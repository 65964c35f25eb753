// SPDX-License-Identifier: GPL-2.0
/*
 * The details column of the timeline: each record in plain words, e.g.
 * "exit code 3; zombie 412 ms until reaped by 1234 (bash)".  Names and
 * arguments are printed safely: unprintable bytes as \xHH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "describe.h"
#include "jsonw.h"
#include "signames.h"

struct tl_line {
	const struct tl *t;
	const struct lc_entry *r;
	const struct lc_entry *reap;
	struct sb *d;
};

/* n bytes as they are, cut at the end of the buffer */
static void sb_put(struct sb *b, const char *s, size_t n)
{
	if (n > sizeof(b->buf) - 1 - b->len)
		n = sizeof(b->buf) - 1 - b->len;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len >= sizeof(b->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, sizeof(b->buf) - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += n;
	if (b->len > sizeof(b->buf) - 1)
		b->len = sizeof(b->buf) - 1;
}

/*
 * A printable character of more than one byte: no C1 control, no
 * bidirectional override or isolate (they would reorder the line).
 */
static int printable_utf8(const unsigned char *p)
{
	int n = lc_utf8_len(p);
	unsigned int cp = n ? lc_utf8_cp(p, n) : 0;

	if (!n || cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f)
		return 0;
	return n;
}

/*
 * Printable ASCII as is, valid UTF-8 as is when the terminal takes it,
 * the rest as \xHH: names never drive the terminal.
 */
void sb_safe(struct sb *b, const char *s, bool quote_spaces)
{
	const unsigned char *p = (const unsigned char *)s;
	bool q = quote_spaces && (!*s || strpbrk(s, " '\""));
	int n;

	static const char hex[] = "0123456789abcdef";
	const unsigned char *run;
	char x[4] = { '\\', 'x' };

	if (q)
		sb_put(b, "'", 1);
	while (*p) {
		for (run = p; *p >= 0x20 && *p <= 0x7e && *p != '\\' &&
			      !(q && *p == '\''); p++)
			;
		if (p > run)		/* a run of plain ASCII in one copy */
			sb_put(b, (const char *)run, p - run);
		if (!*p)
			break;
		n = b->utf8 && *p >= 0x80 ? printable_utf8(p) : 0;
		if (n) {
			sb_put(b, (const char *)p, n);
			p += n;
			continue;
		}
		x[2] = hex[*p >> 4];
		x[3] = hex[*p & 15];
		sb_put(b, x, 4);
		p++;
	}
	if (q)
		sb_put(b, "'", 1);
}

/* East Asian wide and fullwidth characters, and emoji: two columns */
static bool wide(unsigned int cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) ||
	       (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) ||
	       (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) ||
	       (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) ||
	       (cp >= 0x1f300 && cp <= 0x1f64f) ||
	       (cp >= 0x1f900 && cp <= 0x1f9ff) ||
	       (cp >= 0x20000 && cp <= 0x3fffd);
}

/* combining marks and zero-width characters take no column */
static bool zero_width(unsigned int cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff;
}

/**
 * sb_width() - the columns a buffer takes on a terminal
 * @b: the buffer (escapes are ASCII; UTF-8 is there only when b->utf8)
 *
 * Return: the width, wide characters counting two, combining marks none.
 */
size_t sb_width(const struct sb *b)
{
	const unsigned char *p = (const unsigned char *)b->buf;
	size_t w = 0;
	unsigned int cp;
	int n;

	while (*p) {
		n = *p >= 0x80 ? lc_utf8_len(p) : 1;
		if (!n)
			n = 1;
		cp = n > 1 ? lc_utf8_cp(p, n) : *p;
		w += wide(cp) ? 2 : zero_width(cp) ? 0 : 1;
		p += n;
	}
	return w;
}

void sb_dur(struct sb *b, long long ns)
{
	if (ns < 1000)
		sb_add(b, "%lld ns", ns);
	else if (ns < 1000000)
		sb_add(b, "%lld us", ns / 1000);
	else if (ns < 10000000000LL)
		sb_add(b, "%lld ms", ns / 1000000);
	else
		sb_add(b, "%lld.%03lld s", ns / 1000000000,
		       ns / 1000000 % 1000);
}

static void sb_sig(struct sb *b, long long sig)
{
	char name[32];

	sb_add(b, "%s", sig_format(name, sizeof(name), sig));
}

/* " (bash)" or " (bash, exited)" when the process is known */
static void sb_who(struct tl_line *l, long long tgid, bool say_exited)
{
	const struct pid_info *e = pidmap_get(&l->t->names, tgid);

	if (!e || !e->comm[0])
		return;
	sb_add(l->d, " (");
	sb_safe(l->d, e->comm, false);
	if (say_exited && (e->flags & SEEN_EXIT))
		sb_add(l->d, ", exited");
	sb_add(l->d, ")");
}

const char *tl_arrow(const struct tl *t)
{
	return t->utf8 ? "\xe2\x86\x92" : "->";
}

static void d_fork(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	bool thread = r->fork.thread == 1;

	sb_add(l->d, "child %lld%s of %lld", r->pid,
	       thread ? " (thread)" : r->fork.vfork == 1 ? " (vfork)" : "",
	       thread ? r->tgid : r->ppid);
	if (r->fork.creator_pid != r->fork.creator_tgid)
		sb_add(l->d, ", created by thread %lld", r->fork.creator_pid);
	else if (!thread && r->fork.creator_tgid != r->ppid)
		sb_add(l->d, ", created by %lld", r->fork.creator_tgid);
}

static void d_exec(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	const struct lc_argv *a = &r->exec.argv;
	const char *s = a->buf;
	int i;

	sb_add(l->d, "exec ");
	sb_safe(l->d, r->exec.filename.null ? "?" : r->exec.filename.s, 1);
	if (r->exec.filename_trunc == 1)
		sb_add(l->d, "...");
	if (!a->null) {
		sb_add(l->d, " [");
		for (i = 0; i < a->argc; i++, s += strlen(s) + 1) {
			sb_add(l->d, i ? " " : "");
			sb_safe(l->d, s, true);
		}
		sb_add(l->d, "%s]", r->exec.argv_trunc == 1 ? " ..." : "");
	}
	if (r->exec.old_pid != LC_NONE && r->exec.old_pid != r->pid)
		sb_add(l->d, " (from thread %lld)", r->exec.old_pid);
}

static void d_reaped(struct tl_line *l, const struct lc_entry *rp)
{
	const char *how = rp->reap.how ? rp->reap.how : "unknown";

	if (!strcmp(how, "autoreap")) {
		sb_add(l->d, "autoreaped");
		return;
	}
	sb_add(l->d, "zombie");
	if (rp->reap.zombie_ns != LC_NONE) {
		sb_add(l->d, " ");
		sb_dur(l->d, rp->reap.zombie_ns);
	}
	if (!strcmp(how, "unknown") || rp->reap.reaper_tgid == LC_NONE) {
		sb_add(l->d, " until reaped");
		return;
	}
	sb_add(l->d, " until reaped by %lld", rp->reap.reaper_tgid);
	sb_who(l, rp->reap.reaper_tgid, false);
	if (strcmp(how, "wait"))
		sb_add(l->d, " [%s]", how);
}

static void d_status(struct tl_line *l, long long code, long long sig,
		     long long status)
{
	if ((code == LC_NONE || sig == LC_NONE) && status != LC_NONE) {
		code = (status & 0x7f) ? LC_NONE : (status >> 8) & 0xff;
		sig = (status & 0x7f) ? status & 0x7f : LC_NONE;
	}
	if (sig != LC_NONE && sig) {
		sb_add(l->d, "killed by signal %lld (", sig);
		sb_sig(l->d, sig);
		sb_add(l->d, ")");
	} else if (code != LC_NONE) {
		sb_add(l->d, "exit code %lld", code);
	} else {
		sb_add(l->d, "exit status unknown");
	}
}

static void d_exit(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	if (r->exit.group_dead == 0)
		sb_add(l->d, "thread ");
	d_status(l, r->exit.code, r->exit.signal, r->exit.status);
	if (r->exit.core == 1)
		sb_add(l->d, ", core dumped");
	if (r->exit.age_ns != LC_NONE) {
		sb_add(l->d, " after ");
		sb_dur(l->d, r->exit.age_ns);
	}
	if (l->reap) {
		sb_add(l->d, "; ");
		d_reaped(l, l->reap);
	}
}

static void d_reparent(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	const struct pid_info *e = pidmap_get(&l->t->names, r->tgid);
	long long born = e && e->parent >= 0 ? e->parent : r->reparent.old_ppid;
	bool init = r->reparent.reason && !strcmp(r->reparent.reason, "init");

	sb_add(l->d, "adopted by %s%lld", init ? "init (" : "subreaper ",
	       r->reparent.new_ppid);
	if (init)
		sb_add(l->d, ")");
	else
		sb_who(l, r->reparent.new_ppid, false);
	sb_add(l->d, "; born of %lld", born);
	sb_who(l, born, true);
	if (born != r->reparent.old_ppid) {
		sb_add(l->d, ", left %lld", r->reparent.old_ppid);
		sb_who(l, r->reparent.old_ppid, true);
	}
	if (r->reparent.zombie == 1)
		sb_add(l->d, "; already a zombie");
}

static void d_signal(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	sb_add(l->d, "signal ");
	sb_sig(l->d, r->sig.signal);
	if (r->sig.sender_pid == 0 || r->sig.sender_pid == LC_NONE) {
		sb_add(l->d, " from the kernel");
	} else {
		sb_add(l->d, " from %lld", r->sig.sender_tgid);
		sb_who(l, r->sig.sender_tgid, false);
	}
	sb_add(l->d, "%s: %s", r->sig.group == 1 ? " to the group" : "",
	       r->sig.result ? r->sig.result : "?");
}

static void d_stop(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	if (r->type == LC_EV_CONT) {
		sb_add(l->d, "continued");
	} else {
		sb_add(l->d, "stopped");
		if (r->stop.signal != LC_NONE && r->stop.signal) {
			sb_add(l->d, " by ");
			sb_sig(l->d, r->stop.signal);
		}
	}
	if (r->stop.ptrace == 1)
		sb_add(l->d, " (ptrace)");
}

static char letter(long long c)
{
	return c == LC_NONE ? '?' : (char)c;
}

static void d_state(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	sb_add(l->d, "state %c %s %c", letter(r->state.from), tl_arrow(l->t),
	       letter(r->state.to));
	if (r->state.prev_ns != LC_NONE) {
		sb_add(l->d, " after ");
		sb_dur(l->d, r->state.prev_ns);
	}
}

static void d_other(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	switch (r->type) {
	case LC_EV_REAP:
		d_reaped(l, r);
		break;
	case LC_EV_SETSID:
		sb_add(l->d, "setsid: new session %lld", r->setsid.sid);
		break;
	case LC_EV_SETPGID:
		sb_add(l->d, "setpgid: %lld %s %lld", r->setpgid.old_pgid,
		       tl_arrow(l->t), r->setpgid.pgid);
		break;
	case LC_EV_LOST:
		sb_add(l->d, "lost %lld records", r->lost.count);
		break;
	default:
		break;
	}
}

static void details(struct tl_line *l)
{
	static void (*const fn[LC_EV_COUNT])(struct tl_line *) = {
		[LC_EV_FORK] = d_fork, [LC_EV_EXEC] = d_exec,
		[LC_EV_EXIT] = d_exit, [LC_EV_REPARENT] = d_reparent,
		[LC_EV_STOP] = d_stop, [LC_EV_CONT] = d_stop,
		[LC_EV_SIGNAL] = d_signal, [LC_EV_STATE] = d_state,
	};

	if (fn[l->r->type])
		fn[l->r->type](l);
	else
		d_other(l);
}

void describe(const struct tl *t, const struct lc_entry *r,
	      const struct lc_entry *reap, struct sb *out)
{
	struct tl_line l = { .t = t, .r = r, .reap = reap, .d = out };

	out->utf8 = t->utf8;
	details(&l);
}
