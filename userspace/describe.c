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

/* sb_num() near the end of the buffer: the digits that fit */
void sb_num_slow(struct sb *b, long long v)
{
	char tmp[24], *end = tmp + sizeof(tmp), *t = lc_sdec(end, v);

	sb_put(b, t, end - t);
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

/* the bytes copied as they are: printable ASCII but \ (and ') */
static const unsigned char plain[2][256] = {
	{ [0x20 ... 0x5b] = 1, [0x5d ... 0x7e] = 1 },
	{ [0x20 ... 0x26] = 1, [0x28 ... 0x5b] = 1, [0x5d ... 0x7e] = 1 },
};

/**
 * sb_plain_len() - how many bytes of a string sb_safe() copies as they are
 * @s: the string
 *
 * Return: the length of the run of plain ASCII at @s (all of it when
 * s[return] is the NUL: then sb_safe(b, s, false) writes @s unchanged, one
 * column a byte).
 */
size_t sb_plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (plain[0][*p])
		p++;
	return p - (const unsigned char *)s;
}

/*
 * Printable ASCII as is, valid UTF-8 as is when the terminal takes it,
 * the rest as \xHH: names never drive the terminal.
 */
void sb_safe(struct sb *b, const char *s, bool quote_spaces)
{
	const unsigned char *p = (const unsigned char *)s;
	bool q = quote_spaces && (!*s || strpbrk(s, " '\""));
	const unsigned char *tab = plain[q];
	int n;

	static const char hex[] = "0123456789abcdef";
	const unsigned char *run;
	char x[4] = { '\\', 'x' };

	if (q)
		sb_put(b, "'", 1);
	while (*p) {
		for (run = p; tab[*p]; p++)
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
		if (*p < 0x80) {	/* escapes and plain ASCII: one each */
			w++;
			p++;
			continue;
		}
		n = lc_utf8_len(p);
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
	char tmp[8], *t;

	if (ns < 1000) {
		sb_num(b, ns);
		sb_str(b, " ns");
	} else if (ns < 1000000) {
		sb_num(b, ns / 1000);
		sb_str(b, " us");
	} else if (ns < 10000000000LL) {
		sb_num(b, ns / 1000000);
		sb_str(b, " ms");
	} else {
		sb_num(b, ns / 1000000000);
		t = lc_dec(tmp + sizeof(tmp), ns / 1000000 % 1000 + 1000);
		*t = '.';		/* over the 1 of 1xyz */
		sb_put(b, t, 4);
		sb_str(b, " s");
	}
}

/* as sig_format(), without printf */
static void sb_sig(struct sb *b, long long sig)
{
	const char *n = sig_name(sig);

	if (n) {
		sb_str(b, n);
		return;
	}
	sb_str(b, "signal ");
	sb_num(b, sig);
}

/* " (bash)" or " (bash, exited)" when the process is known */
static void sb_who(struct tl_line *l, long long tgid, bool say_exited)
{
	const struct pid_info *e = pidmap_get(&l->t->names, tgid);

	if (!e || !e->comm[0])
		return;
	sb_str(l->d, " (");
	sb_comm(l->d, e->comm);
	if (say_exited && (e->flags & SEEN_EXIT))
		sb_str(l->d, ", exited");
	sb_str(l->d, ")");
}

const char *tl_arrow(const struct tl *t)
{
	return t->utf8 ? "\xe2\x86\x92" : "->";
}

static void d_fork(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	bool thread = r->fork.thread == 1;

	sb_str(l->d, "child ");
	sb_num(l->d, r->pid);
	sb_str(l->d, thread ? " (thread) of " :
		     r->fork.vfork == 1 ? " (vfork) of " : " of ");
	sb_num(l->d, thread ? r->tgid : r->ppid);
	if (r->fork.creator_pid != r->fork.creator_tgid) {
		sb_str(l->d, ", created by thread ");
		sb_num(l->d, r->fork.creator_pid);
	} else if (!thread && r->fork.creator_tgid != r->ppid) {
		sb_str(l->d, ", created by ");
		sb_num(l->d, r->fork.creator_tgid);
	}
}

static void d_exec(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	const struct lc_argv *a = &r->exec.argv;
	const char *s = a->buf;
	int i;

	sb_str(l->d, "exec ");
	sb_safe(l->d, r->exec.filename.null ? "?" : r->exec.filename.s, 1);
	if (r->exec.filename_trunc == 1)
		sb_str(l->d, "...");
	if (!a->null) {
		sb_str(l->d, " [");
		for (i = 0; i < a->argc; i++, s += strlen(s) + 1) {
			if (i)
				sb_str(l->d, " ");
			sb_safe(l->d, s, true);
		}
		sb_str(l->d, r->exec.argv_trunc == 1 ? " ...]" : "]");
	}
	if (r->exec.old_pid != LC_NONE && r->exec.old_pid != r->pid) {
		sb_str(l->d, " (from thread ");
		sb_num(l->d, r->exec.old_pid);
		sb_str(l->d, ")");
	}
}

static void d_reaped(struct tl_line *l, const struct lc_entry *rp)
{
	const char *how = rp->reap.how ? rp->reap.how : "unknown";

	if (!strcmp(how, "autoreap")) {
		sb_str(l->d, "autoreaped");
		return;
	}
	sb_str(l->d, "zombie");
	if (rp->reap.zombie_ns != LC_NONE) {
		sb_str(l->d, " ");
		sb_dur(l->d, rp->reap.zombie_ns);
	}
	if (!strcmp(how, "unknown") || rp->reap.reaper_tgid == LC_NONE) {
		sb_str(l->d, " until reaped");
		return;
	}
	sb_str(l->d, " until reaped by ");
	sb_num(l->d, rp->reap.reaper_tgid);
	sb_who(l, rp->reap.reaper_tgid, false);
	if (strcmp(how, "wait")) {
		sb_str(l->d, " [");
		sb_str(l->d, how);
		sb_str(l->d, "]");
	}
}

static void d_status(struct tl_line *l, long long code, long long sig,
		     long long status)
{
	if ((code == LC_NONE || sig == LC_NONE) && status != LC_NONE) {
		code = (status & 0x7f) ? LC_NONE : (status >> 8) & 0xff;
		sig = (status & 0x7f) ? status & 0x7f : LC_NONE;
	}
	if (sig != LC_NONE && sig) {
		sb_str(l->d, "killed by signal ");
		sb_num(l->d, sig);
		sb_str(l->d, " (");
		sb_sig(l->d, sig);
		sb_str(l->d, ")");
	} else if (code != LC_NONE) {
		sb_str(l->d, "exit code ");
		sb_num(l->d, code);
	} else {
		sb_str(l->d, "exit status unknown");
	}
}

static void d_exit(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	if (r->exit.group_dead == 0)
		sb_str(l->d, "thread ");
	d_status(l, r->exit.code, r->exit.signal, r->exit.status);
	if (r->exit.core == 1)
		sb_str(l->d, ", core dumped");
	if (r->exit.age_ns != LC_NONE) {
		sb_str(l->d, " after ");
		sb_dur(l->d, r->exit.age_ns);
	}
	if (l->reap) {
		sb_str(l->d, "; ");
		d_reaped(l, l->reap);
	}
}

static void d_reparent(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	const struct pid_info *e = pidmap_get(&l->t->names, r->tgid);
	long long born = e && e->parent >= 0 ? e->parent : r->reparent.old_ppid;
	bool init = r->reparent.reason && !strcmp(r->reparent.reason, "init");

	sb_str(l->d, init ? "adopted by init (" : "adopted by subreaper ");
	sb_num(l->d, r->reparent.new_ppid);
	if (init)
		sb_str(l->d, ")");
	else
		sb_who(l, r->reparent.new_ppid, false);
	sb_str(l->d, "; born of ");
	sb_num(l->d, born);
	sb_who(l, born, true);
	if (born != r->reparent.old_ppid) {
		sb_str(l->d, ", left ");
		sb_num(l->d, r->reparent.old_ppid);
		sb_who(l, r->reparent.old_ppid, true);
	}
	if (r->reparent.zombie == 1)
		sb_str(l->d, "; already a zombie");
}

static void d_signal(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	sb_str(l->d, "signal ");
	sb_sig(l->d, r->sig.signal);
	if (r->sig.sender_pid == 0 || r->sig.sender_pid == LC_NONE) {
		sb_str(l->d, " from the kernel");
	} else {
		sb_str(l->d, " from ");
		sb_num(l->d, r->sig.sender_tgid);
		sb_who(l, r->sig.sender_tgid, false);
	}
	sb_str(l->d, r->sig.group == 1 ? " to the group: " : ": ");
	sb_str(l->d, r->sig.result ? r->sig.result : "?");
}

static void d_stop(struct tl_line *l)
{
	const struct lc_entry *r = l->r;

	if (r->type == LC_EV_CONT) {
		sb_str(l->d, "continued");
	} else {
		sb_str(l->d, "stopped");
		if (r->stop.signal != LC_NONE && r->stop.signal) {
			sb_str(l->d, " by ");
			sb_sig(l->d, r->stop.signal);
		}
	}
	if (r->stop.ptrace == 1)
		sb_str(l->d, " (ptrace)");
}

static char letter(long long c)
{
	return c == LC_NONE ? '?' : (char)c;
}

static void d_state(struct tl_line *l)
{
	const struct lc_entry *r = l->r;
	char from = letter(r->state.from), to = letter(r->state.to);

	sb_str(l->d, "state ");
	sb_put(l->d, &from, 1);
	sb_str(l->d, " ");
	sb_str(l->d, tl_arrow(l->t));
	sb_str(l->d, " ");
	sb_put(l->d, &to, 1);
	if (r->state.prev_ns != LC_NONE) {
		sb_str(l->d, " after ");
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
		sb_str(l->d, "setsid: new session ");
		sb_num(l->d, r->setsid.sid);
		break;
	case LC_EV_SETPGID:
		sb_str(l->d, "setpgid: ");
		sb_num(l->d, r->setpgid.old_pgid);
		sb_str(l->d, " ");
		sb_str(l->d, tl_arrow(l->t));
		sb_str(l->d, " ");
		sb_num(l->d, r->setpgid.pgid);
		break;
	case LC_EV_LOST:
		sb_str(l->d, "lost ");
		sb_num(l->d, r->lost.count);
		sb_str(l->d, " records");
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
