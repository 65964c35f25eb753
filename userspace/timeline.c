// SPDX-License-Identifier: GPL-2.0
/*
 * Records as aligned lines with their details in plain words:
 *
 *      TIME(s) EVENT    PID     PPID    COMM             DETAILS
 *        0.000 fork     4170    4169    bash             child 4170 of 4169
 *        0.004 exit     4170    4169    ls               exit code 3; ...
 *
 * Batch output is two-pass, so an exit line can tell how its zombie ended.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "describe.h"
#include "jsonw.h"
#include "timeline.h"

static const char *const ev_color[LC_EV_COUNT] = {
	[LC_EV_FORK] = "\033[32m", [LC_EV_EXEC] = "\033[36m",
	[LC_EV_EXIT] = "\033[31m", [LC_EV_REAP] = "\033[35m",
	[LC_EV_REPARENT] = "\033[33m", [LC_EV_STOP] = "\033[34m",
	[LC_EV_CONT] = "\033[34m", [LC_EV_SIGNAL] = "\033[33m",
	[LC_EV_LOST] = "\033[1;31m",
};

void tl_init(struct tl *t, FILE *out, bool color, bool utf8)
{
	const char *col;
	int type, n;

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->color = color;
	t->utf8 = utf8;
	t->t0 = LC_NONE;
	/* "%-8s " of the name, in its colour: one copy per line */
	for (type = 0; type < LC_EV_COUNT; type++) {
		col = color ? ev_color[type] : NULL;
		n = snprintf(t->ev_cols[type], TL_EV_COLS, "%s%-8s%s ",
			     col ? col : "", lc_event_name(type),
			     col ? "\033[0m" : "");
		t->ev_len[type] = n < TL_EV_COLS ? n : TL_EV_COLS - 1;
	}
}

void tl_free(struct tl *t)
{
	pidmap_free(&t->names);
}

/* first pass: learn a comm for every tgid, from the creator of a fork too */
static void tl_learn(struct tl *t, const struct lc_entry *r)
{
	struct pid_info *e;

	if (r->type == LC_EV_LOST)
		return;
	e = pidmap_add(&t->names, r->tgid);
	if (e && !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
	if (r->type != LC_EV_FORK || r->fork.creator_tgid == LC_NONE)
		return;
	e = pidmap_add(&t->names, r->fork.creator_tgid);
	if (e && !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
}

void tl_note(struct tl *t, const struct lc_entry *r)
{
	struct pid_info *e;

	if (r->type == LC_EV_LOST)
		return;
	e = pidmap_add(&t->names, r->tgid);
	if (!e)
		return;
	if (r->type == LC_EV_FORK && r->fork.thread != 1) {
		e->flags = 0;	/* a new process, perhaps on a reused pid */
		e->parent = r->ppid;
	}
	if (r->pid == r->tgid || !e->comm[0])
		memcpy(e->comm, r->comm, sizeof(e->comm));
	if (r->type == LC_EV_EXIT && r->exit.group_dead == 1)
		e->flags |= SEEN_EXIT;
	if (r->type == LC_EV_REAP && r->pid == r->tgid)
		e->flags |= SEEN_REAP;
}

/* names kept at least, whatever was reaped */
#define TL_NAMES_MIN	8192

static bool name_needed(const struct pid_info *e, const void *arg)
{
	(void)arg;
	return !(e->flags & SEEN_REAP);
}

/**
 * tl_prune() - forget the names of processes reaped long ago
 * @t: the timeline
 *
 * Without it the name table grows with every pid the input ever shows, up
 * to pid_max (4,194,304 where systemd raises it) in a follower left
 * running.  It is pruned once it holds more than TL_NAMES_MIN names and
 * twice what the last pruning kept, so the cost per record stays constant.
 */
void tl_prune(struct tl *t)
{
	if (t->names.n > TL_NAMES_MIN && t->names.n > 2 * t->names_kept) {
		pidmap_prune(&t->names, name_needed, NULL);
		t->names_kept = t->names.n;
	}
}

/**
 * tl_set_wall() - print TIME as the time of day
 * @t: the timeline
 *
 * Records carry ns since boot; boot time is now's CLOCK_REALTIME minus
 * CLOCK_BOOTTIME, or LIFECYCLE_BOOT_TIME (seconds since the epoch) for a
 * recording of an earlier boot.  Local time, as strace -tt.
 *
 * Return: 0, or -1 after a message.
 */
int tl_set_wall(struct tl *t)
{
	const char *env = getenv("LIFECYCLE_BOOT_TIME");
	struct timespec rt, bt;
	char *end;
	double v;

	t->wall = true;
	if (env) {
		v = strtod(env, &end);
		if (!*env || *end || !(v >= 0 && v < 1e11)) {
			fprintf(stderr, "lifecycle: LIFECYCLE_BOOT_TIME: bad value '%s'\n",
				env);
			return -1;
		}
		t->wall_off = (long long)(v * 1e9);
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	t->wall_off = (rt.tv_sec - bt.tv_sec) * 1000000000LL +
		      (rt.tv_nsec - bt.tv_nsec);
	return 0;
}

/**
 * tl_origin() - the time origin: the first record read, shown or not
 * @t: the timeline
 * @r: a record; only the first one counts
 */
void tl_origin(struct tl *t, const struct lc_entry *r)
{
	if (t->t0 == LC_NONE)
		t->t0 = r->ts_ns;
}

/* a line of the timeline, built where it is written */
struct line {
	char *buf;
	size_t len;
};

#define LINE_LEN	(DETAIL_LEN + 128)

static void put(struct line *l, const char *s, size_t n)
{
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* n spaces (at most 40: the widest gap is 33), in one copy */
static void pad(struct line *l, size_t n)
{
	static const char spaces[40] = "                                        ";

	memcpy(l->buf + l->len, spaces, sizeof(spaces));
	l->len += n;
}

/* s left-aligned in width columns (cols: the columns s takes) */
static void put_left(struct line *l, const char *s, size_t n, size_t cols,
		     size_t width)
{
	put(l, s, n);
	if (cols < width)
		pad(l, width - cols);
}

/* as "%-*lld ": digits written in place, then the padding */
static void put_num(struct line *l, long long v, size_t width)
{
	char *s = l->buf + l->len, *e = lc_put_sdec(s, v);

	l->len += e - s;
	if ((size_t)(e - s) < width)
		pad(l, width - (e - s));
	put(l, " ", 1);
}

static void print_wall(struct tl *t, struct line *l, long long ts)
{
	long long ns;
	time_t sec;
	struct tm tm;
	char buf[32];
	int n;

	/* a damaged ts_ns near LLONG_MAX: the latest time there is */
	if (__builtin_add_overflow(ts, t->wall_off, &ns))
		ns = ts < 0 ? LLONG_MIN : LLONG_MAX;
	sec = ns / 1000000000;
	localtime_r(&sec, &tm);
	n = snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%06lld ", tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ns / 1000 % 1000000);
	put(l, buf, n);
}

/* seconds.milliseconds since the first record, in 10 columns */
static void print_time(struct tl *t, struct line *l, long long ts)
{
	char tmp[32], *s = tmp + 1;
	unsigned long long a;
	long long d;
	size_t n;

	if (t->wall)
		return print_wall(t, l, ts);
	if (t->t0 == LC_NONE)
		t->t0 = ts;
	d = ts - t->t0;
	a = d < 0 ? -(unsigned long long)d : (unsigned long long)d;
	s = lc_put_dec(s, a / 1000000000);
	lc_put_dec(s, a / 1000000 % 1000 + 1000);	/* 1xyz: 3 digits */
	*s = '.';
	s += 4;
	tmp[0] = '-';
	n = s - tmp - (d >= 0);
	if (n < 10)
		pad(l, 10 - n);
	put(l, d < 0 ? tmp : tmp + 1, n);
	put(l, " ", 1);
}

/* the comm column: 16 columns, a name that needs no escape in one copy */
static void put_comm(struct tl *t, struct line *l, const char *comm)
{
	struct sb b;		/* 1 KiB: not cleared, only started */
	size_t n = sb_plain_len(comm);

	if (n < LC_COMM_LEN && !comm[n]) {	/* copy it all, pad after n */
		memcpy(l->buf + l->len, comm, LC_COMM_LEN);
		l->len += n;
		pad(l, 16 - n);
	} else {
		sb_start(&b, t->utf8);
		sb_safe(&b, comm, false);
		put_left(l, b.buf, b.len, sb_width(&b), 16);
	}
	put(l, " ", 1);
}

/*
 * The PID, PPID and COMM columns: copied as the process's last line had
 * them (the same pid, parent and comm bytes), else written and kept.
 */
static void put_ids(struct tl *t, struct line *l, const struct lc_entry *r)
{
	struct tl_ids *c = &t->ids[(unsigned long long)r->pid % TL_IDS];
	size_t start = l->len;

	if (c->len && c->pid == r->pid && c->ppid == r->ppid &&
	    !memcmp(c->comm, r->comm, LC_COMM_LEN)) {
		memcpy(l->buf + l->len, c->cols, sizeof(c->cols));
		l->len += c->len;
		return;
	}
	put_num(l, r->pid, 7);
	put_num(l, r->ppid, 7);
	put_comm(t, l, r->comm);
	c->len = 0;
	if (l->len - start > sizeof(c->cols))
		return;
	c->pid = r->pid;
	c->ppid = r->ppid;
	memcpy(c->comm, r->comm, LC_COMM_LEN);
	memcpy(c->cols, l->buf + start, l->len - start);
	c->len = l->len - start;
}

static void header(struct tl *t, struct line *l)
{
	int n = snprintf(l->buf, LINE_LEN, "%*s %-8s %-7s %-7s %-16s %s\n",
			 t->wall ? 15 : 10, t->wall ? "TIME" : "TIME(s)",
			 "EVENT", "PID", "PPID", "COMM", "DETAILS");

	l->len = n;
	t->header_done = true;
}

/**
 * tl_print() - one line of the timeline
 * @t: the timeline; with t->direct the line goes to lc_out, not t->out
 * @r: the record
 * @reap: the reap joined onto an exit line, or NULL
 */
void tl_print(struct tl *t, const struct lc_entry *r,
	      const struct lc_entry *reap)
{
	struct sb details;	/* 1 KiB: not cleared, only started */
	char local[2 * LINE_LEN];
	struct line l = { .buf = local };

	if (t->direct)
		l.buf = lc_out_room(2 * LINE_LEN);
	if (!t->header_done)
		header(t, &l);
	sb_start(&details, t->utf8);
	describe(t, r, reap, &details);
	print_time(t, &l, r->ts_ns);
	memcpy(l.buf + l.len, t->ev_cols[r->type], TL_EV_COLS);
	l.len += t->ev_len[r->type];
	if (r->type == LC_EV_LOST)	/* no process: no identity */
		put_left(&l, "", 0, 0, 7 + 1 + 7 + 1 + 16 + 1);
	else
		put_ids(t, &l, r);
	put(&l, details.buf, details.len);
	put(&l, "\n", 1);
	if (t->direct)
		lc_out_done(l.buf + l.len);
	else
		fwrite(l.buf, 1, l.len, t->out);
}

/* join[i]: index of the reap record that ends exit record i, or -1 */
static long *join_reaps(const struct lc_entry *recs, const bool *show,
			size_t n)
{
	struct pidmap open = { 0 };
	struct pid_info *e;
	long *join = malloc(n * sizeof(*join) + 1);
	size_t i;

	for (i = 0; join && i < n; i++) {
		join[i] = -1;
		if (recs[i].type == LC_EV_EXIT && show[i]) {
			e = pidmap_add(&open, recs[i].pid);
			if (e)
				e->idx = i;
		} else if (recs[i].type == LC_EV_REAP) {
			e = pidmap_get(&open, recs[i].pid);
			if (e && e->idx >= 0)
				join[e->idx] = i;
			if (e)
				e->idx = -1;
		}
	}
	pidmap_free(&open);
	return join;
}

void tl_print_all(struct tl *t, const struct lc_entry *recs,
		  const bool *show, size_t n)
{
	long *join = join_reaps(recs, show, n);
	bool *joined = calloc(n + 1, sizeof(*joined));
	size_t i;

	for (i = 0; join && joined && i < n; i++)
		if (join[i] >= 0)
			joined[join[i]] = true;
	for (i = 0; i < n; i++)
		tl_learn(t, &recs[i]);
	for (i = 0; i < n; i++) {
		tl_note(t, &recs[i]);
		if (!show[i] || (joined && joined[i]))
			continue;
		tl_print(t, &recs[i],
			 join && join[i] >= 0 ? &recs[join[i]] : NULL);
	}
	free(join);
	free(joined);
}

#define TLW_SHOW	1u
#define TLW_JOINED	2u
#define TLW_NONE	(~0ULL)

/**
 * tlw_init() - a window of records before the timeline
 * @w: the window
 * @t: the timeline the records go to
 * @cap: records it holds; an exit is joined with a reap within as many
 *
 * Return: 0, or -1 when out of memory.
 */
int tlw_init(struct tl_window *w, struct tl *t, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	w->cap = cap;
	w->v = malloc(cap * sizeof(*w->v));
	w->flags = calloc(cap, 1);
	w->join = malloc(cap * sizeof(*w->join));
	if (w->v && w->flags && w->join)
		return 0;
	tlw_free(w);
	return -1;
}

/**
 * tlw_free() - free a window (tlw_flush() it first)
 * @w: the window
 */
void tlw_free(struct tl_window *w)
{
	free(w->v);
	free(w->flags);
	free(w->join);
	pidmap_free(&w->open);
	w->v = NULL;
	w->flags = NULL;
	w->join = NULL;
}

static bool open_in_window(const struct pid_info *e, const void *arg)
{
	const struct tl_window *w = arg;

	return e->idx >= 0 && (unsigned long long)e->idx >= w->head;
}

/*
 * Tables that only grow would grow with the input: exits that left the
 * window, and the names of processes reaped long ago, are forgotten.
 */
static void tlw_prune(struct tl_window *w)
{
	if (w->open.n > 2 * w->cap + 1024)
		pidmap_prune(&w->open, open_in_window, w);
	tl_prune(w->t);
}

/* print (or not) the oldest record */
static void tlw_pop(struct tl_window *w)
{
	size_t i = w->head % w->cap;
	unsigned long long j = w->join[i];

	tl_note(w->t, &w->v[i]);
	if ((w->flags[i] & TLW_SHOW) && !(w->flags[i] & TLW_JOINED))
		tl_print(w->t, &w->v[i],
			 j != TLW_NONE ? &w->v[j % w->cap] : NULL);
	w->head++;
	w->n--;
	if (!(w->head % w->cap))
		tlw_prune(w);
}

/*
 * The bytes of a record that its type uses: all of an exec (its strings),
 * the common fields and the largest other detail for the rest.
 */
#define ENTRY_SMALL	(offsetof(struct lc_entry, fork) + \
			 sizeof(((struct lc_entry *)0)->fork))
#define SMALL_DETAIL(m)	_Static_assert(sizeof(((struct lc_entry *)0)->m) <= \
				       sizeof(((struct lc_entry *)0)->fork), #m)
SMALL_DETAIL(exit);
SMALL_DETAIL(reap);
SMALL_DETAIL(reparent);
SMALL_DETAIL(stop);
SMALL_DETAIL(sig);
SMALL_DETAIL(setsid);
SMALL_DETAIL(setpgid);
SMALL_DETAIL(state);
SMALL_DETAIL(lost);

static void entry_copy(struct lc_entry *dst, const struct lc_entry *src)
{
	if (src->type == LC_EV_EXEC)
		*dst = *src;
	else
		memcpy(dst, src, ENTRY_SMALL);
}

/**
 * tlw_push() - one more record, in the input's order
 * @w: the window
 * @r: the record
 * @show: whether it is printed (all records teach names and parents)
 *
 * The oldest record leaves the window when it is full, printed with the
 * reap that ended it when that came in time.
 */
void tlw_push(struct tl_window *w, const struct lc_entry *r, bool show)
{
	unsigned long long k = w->head + w->n;
	size_t i = k % w->cap;
	struct pid_info *e;

	if (w->n == w->cap)
		tlw_pop(w);
	tl_origin(w->t, r);
	tl_learn(w->t, r);
	entry_copy(&w->v[i], r);
	w->flags[i] = show ? TLW_SHOW : 0;
	w->join[i] = TLW_NONE;
	w->n++;
	if (r->type == LC_EV_EXIT && show) {
		e = pidmap_add(&w->open, r->pid);
		if (e)
			e->idx = (long)k;
	} else if (r->type == LC_EV_REAP) {
		e = pidmap_get(&w->open, r->pid);
		if (e && e->idx >= 0 && (unsigned long long)e->idx >= w->head) {
			w->join[e->idx % w->cap] = k;
			w->flags[i] |= TLW_JOINED;	/* shown on the exit line */
		}
		if (e)
			e->idx = -1;
	}
}

/**
 * tlw_flush() - print every record still in the window
 * @w: the window
 */
void tlw_flush(struct tl_window *w)
{
	while (w->n)
		tlw_pop(w);
}
