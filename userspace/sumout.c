// SPDX-License-Identifier: GPL-2.0
/*
 * The summary in words: a heading line, then one aligned table a section
 * (events, comms, longest zombies, zombies never reaped, orphans, deaths
 * by signal, shortest and longest lives).  Times are seconds since boot,
 * durations as the timeline writes them; names are printed safely.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "describe.h"
#include "log.h"
#include "signames.h"
#include "summary.h"

#define TAB_COLS	12
#define COMMS_SHOWN	20	/* the text's comm table; --json has all */

/* an aligned table: cells kept until every width is known */
struct tab {
	int ncol;
	size_t n, cap;		/* cells */
	char **cell;
	size_t width[TAB_COLS];
	bool right[TAB_COLS];
	bool utf8, oom;
};

static void tab_init(struct tab *t, bool utf8, const char *const *head,
		     const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->utf8 = utf8;
	while (head[t->ncol]) {
		t->right[t->ncol] = right && right[t->ncol];
		t->ncol++;
	}
}

static void tab_put(struct tab *t, const struct sb *b)
{
	size_t col = t->n % t->ncol, w = sb_width(b);
	char **v = lc_grow(t->cell, &t->cap, t->n, sizeof(*v), 64);

	if (!v) {
		t->oom = true;
		return;
	}
	t->cell = v;
	t->cell[t->n] = strdup(b->buf);
	if (!t->cell[t->n]) {
		t->oom = true;
		return;
	}
	t->n++;
	if (w > t->width[col])
		t->width[col] = w;
}

__printf(2, 3) static void cell(struct tab *t, const char *fmt, ...)
{
	struct sb b = { .utf8 = t->utf8 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b.buf, sizeof(b.buf), fmt, ap);
	va_end(ap);
	b.len = n < 0 ? 0 : (size_t)n;
	tab_put(t, &b);
}

static void cell_comm(struct tab *t, const char *comm)
{
	struct sb b = { .utf8 = t->utf8 };

	sb_safe(&b, comm[0] ? comm : "?", false);
	tab_put(t, &b);
}

static void cell_dur(struct tab *t, long long ns)
{
	struct sb b = { .utf8 = t->utf8 };

	if (ns == LC_NONE)
		sb_add(&b, "?");
	else
		sb_dur(&b, ns);
	tab_put(t, &b);
}

static void cell_ts(struct tab *t, long long ts)
{
	if (ts == LC_NONE)
		cell(t, "?");
	else
		cell(t, "%lld.%06lld", ts / 1000000000, ts / 1000 % 1000000);
}

/* "1 (vm-init)", "1", or none */
static void cell_who(struct tab *t, long long pid, const char *comm,
		     const char *none)
{
	struct sb b = { .utf8 = t->utf8 };

	if (pid == LC_NONE || pid < 0) {
		sb_add(&b, "%s", none);
	} else {
		sb_add(&b, "%lld", pid);
		if (comm[0]) {
			sb_add(&b, " (");
			sb_safe(&b, comm, false);
			sb_add(&b, ")");
		}
	}
	tab_put(t, &b);
}

static void tab_print(struct tab *t, const char *const *head)
{
	size_t i, col, pad, w;
	struct sb b;

	if (t->oom) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return;
	}
	for (col = 0; col < (size_t)t->ncol; col++)
		if (strlen(head[col]) > t->width[col])
			t->width[col] = strlen(head[col]);
	for (i = 0; i < t->n + t->ncol; i++) {
		col = i % t->ncol;
		snprintf(b.buf, sizeof(b.buf), "%s",
			 i < (size_t)t->ncol ? head[col] : t->cell[i - t->ncol]);
		b.utf8 = t->utf8;
		w = sb_width(&b);
		pad = t->width[col] - w;
		if (col == (size_t)t->ncol - 1 && !t->right[col])
			pad = 0;
		printf("%s%*s%s%*s", col ? "  " : "  ",
		       t->right[col] ? (int)pad : 0, "", b.buf,
		       t->right[col] ? 0 : (int)pad, "");
		if (col == (size_t)t->ncol - 1)
			printf("\n");
	}
}

static void tab_free(struct tab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
}

static void section(const char *title, bool empty, const char *none)
{
	printf("\n%s\n", title);
	if (empty)
		printf("  %s\n", none);
}

static void head(const struct summary *s)
{
	const struct filter *f = s->filter;

	printf("lifecycle summary: %llu records", s->records);
	if (s->records)
		printf(", seq %lld to %lld, %lld.%06lld to %lld.%06lld s since boot",
		       s->first_seq, s->last_seq, s->first_ts / 1000000000,
		       s->first_ts / 1000 % 1000000, s->last_ts / 1000000000,
		       s->last_ts / 1000 % 1000000);
	printf("\n");
	if (s->boot_id[0])
		printf("boot id %s\n", s->boot_id);
	if (f && (f->npids || f->ncomms || f->events))
		printf("selected by -p/-c/-e: %llu records\n", s->shown);
	if (s->lost)
		printf("lost: %llu records (the lists may miss what they told)\n",
		       s->lost);
	if (s->untracked)
		printf("untracked: %llu records about processes beyond the table's %d\n",
		       s->untracked, SUM_PROCS_MAX);
}

static void events(const struct summary *s, bool utf8)
{
	static const char *const h[] = { "EVENT", "RECORDS", NULL };
	static const bool right[] = { false, true };
	struct tab t;
	int ev;

	section("Events", !s->shown, "none");
	if (!s->shown)
		return;
	tab_init(&t, utf8, h, right);
	for (ev = 0; ev < LC_EV_COUNT; ev++) {
		if (!s->ev[ev])
			continue;
		cell(&t, "%s", lc_event_name(ev));
		cell(&t, "%llu", s->ev[ev]);
	}
	cell(&t, "total");
	cell(&t, "%llu", s->shown);
	tab_print(&t, h);
	tab_free(&t);
}

static void comm_row(struct tab *t, const struct sum_comm *c, const int *evs,
		     int nev)
{
	int i;

	cell(t, "%llu", c->total);
	for (i = 0; i < nev; i++)
		cell(t, "%llu", c->ev[evs[i]]);
}

static void comm_section(const struct summary *s, bool utf8)
{
	const char *h[TAB_COLS + 1] = { "COMM", "RECORDS" };
	bool right[TAB_COLS] = { false, true };
	int evs[LC_EV_COUNT], nev = 0, ev, i;
	const struct sum_comm *c;
	size_t n;
	struct tab t;

	section("Commands (records by comm)", !s->ncomms, "none");
	if (!s->ncomms)
		return;
	for (ev = 0; ev < LC_EV_COUNT && nev < TAB_COLS - 2; ev++) {
		if (!s->ev[ev] || ev == LC_EV_LOST)
			continue;
		evs[nev] = ev;
		h[2 + nev] = lc_event_name(ev);
		right[2 + nev] = true;
		nev++;
	}
	h[2 + nev] = NULL;
	tab_init(&t, utf8, h, right);
	for (n = 0; n < COMMS_SHOWN && (c = sum_comm_at(s, n)); n++) {
		cell_comm(&t, c->comm);
		comm_row(&t, c, evs, nev);
	}
	if (s->comm_other.total) {
		cell(&t, "(beyond %d)", SUM_COMMS_MAX);
		comm_row(&t, &s->comm_other, evs, nev);
	}
	cell(&t, "total");
	cell(&t, "%llu", s->shown - s->ev[LC_EV_LOST]);
	for (i = 0; i < nev; i++)
		cell(&t, "%llu", s->ev[evs[i]]);
	tab_print(&t, h);
	tab_free(&t);
	if (s->ncomms > COMMS_SHOWN)
		printf("  (the %d with the most records of %zu comms; --json lists all)\n",
		       COMMS_SHOWN, s->ncomms);
}

static void zombie_section(const struct summary *s, bool utf8)
{
	static const char *const h[] = {
		"PID", "COMM", "ZOMBIE", "REAPED AT", "REAPER", "HOW", NULL
	};
	static const bool right[] = { true, false, true, true };
	struct tab t;
	int i;

	section("Longest zombies (exit to reap)", !s->zombies.n, "none");
	if (!s->zombies.n)
		return;
	tab_init(&t, utf8, h, right);
	for (i = 0; i < s->zombies.n; i++) {
		const struct sum_row *r = &s->zombies.v[i];

		cell(&t, "%lld", r->pid);
		cell_comm(&t, r->comm);
		cell_dur(&t, r->value);
		cell_ts(&t, r->ts);
		cell_who(&t, r->peer, r->peer_comm, "?");
		cell(&t, "%s", r->word ? r->word : "?");
	}
	tab_print(&t, h);
	tab_free(&t);
}

static void more(const struct sum_list *l)
{
	if (l->total > l->n)
		printf("  (the first %zu of %llu)\n", l->n, l->total);
}

static void unreaped(const struct summary *s, bool utf8)
{
	static const char *const h[] = {
		"PID", "COMM", "EXITED AT", "ZOMBIE FOR", "PARENT", NULL
	};
	static const bool right[] = { true, false, true, true };
	struct tab t;
	size_t i;

	section("Zombies never reaped (exited, no reap by the end of the log)",
		!s->unreaped.n, "none");
	if (!s->unreaped.n)
		return;
	tab_init(&t, utf8, h, right);
	for (i = 0; i < s->unreaped.n; i++) {
		const struct sum_row *r = &s->unreaped.v[i];

		cell(&t, "%lld", r->pid);
		cell_comm(&t, r->comm);
		cell_ts(&t, r->ts);
		cell_dur(&t, r->value);
		cell_who(&t, r->peer, r->peer_comm, "?");
	}
	tab_print(&t, h);
	tab_free(&t);
	more(&s->unreaped);
}

static void orphans(const struct summary *s, bool utf8)
{
	static const char *const h[] = {
		"PID", "COMM", "AT", "OLD PARENT", "NEW PARENT", "REASON",
		"ZOMBIE", NULL
	};
	static const bool right[] = { true, false, true };
	struct tab t;
	size_t i;

	section("Orphans adopted", !s->orphans.n, "none");
	if (!s->orphans.n)
		return;
	tab_init(&t, utf8, h, right);
	for (i = 0; i < s->orphans.n; i++) {
		const struct sum_row *r = &s->orphans.v[i];

		cell(&t, "%lld", r->pid);
		cell_comm(&t, r->comm);
		cell_ts(&t, r->ts);
		cell_who(&t, r->old, r->old_comm, "?");
		cell_who(&t, r->peer, r->peer_comm, "?");
		cell(&t, "%s", r->word ? r->word : "?");
		cell(&t, "%s", r->zombie == 1 ? "yes" : r->zombie == 0 ?
		     "no" : "?");
	}
	tab_print(&t, h);
	tab_free(&t);
	more(&s->orphans);
}

static void deaths(const struct summary *s, bool utf8)
{
	static const char *const h[] = {
		"PID", "COMM", "AT", "SIGNAL", "CORE", "SENT BY", NULL
	};
	static const bool right[] = { true, false, true };
	char name[32];
	struct tab t;
	size_t i;

	section("Deaths by signal", !s->deaths.n, "none");
	if (!s->deaths.n)
		return;
	tab_init(&t, utf8, h, right);
	for (i = 0; i < s->deaths.n; i++) {
		const struct sum_row *r = &s->deaths.v[i];

		cell(&t, "%lld", r->pid);
		cell_comm(&t, r->comm);
		cell_ts(&t, r->ts);
		cell(&t, "%s", sig_format(name, sizeof(name), r->sig));
		cell(&t, "%s", r->core == 1 ? "yes" : "no");
		if (r->peer == 0)
			cell(&t, "the kernel");
		else
			cell_who(&t, r->peer_tgid, r->peer_comm,
				 "(no signal record)");
	}
	tab_print(&t, h);
	tab_free(&t);
	more(&s->deaths);
}

static void lives(const struct sum_top *top, const char *title, bool utf8)
{
	static const char *const h[] = {
		"PID", "COMM", "LIFETIME", "EXITED AT", NULL
	};
	static const bool right[] = { true, false, true, true };
	struct tab t;
	int i;

	section(title, !top->n, "none");
	if (!top->n)
		return;
	tab_init(&t, utf8, h, right);
	for (i = 0; i < top->n; i++) {
		cell(&t, "%lld", top->v[i].pid);
		cell_comm(&t, top->v[i].comm);
		cell_dur(&t, top->v[i].value);
		cell_ts(&t, top->v[i].ts);
	}
	tab_print(&t, h);
	tab_free(&t);
}

/**
 * summary_text() - the summary in words on stdout
 * @s: the finished summary (sum_end())
 * @utf8: names may keep their valid UTF-8
 */
void summary_text(const struct summary *s, bool utf8)
{
	head(s);
	events(s, utf8);
	comm_section(s, utf8);
	zombie_section(s, utf8);
	unreaped(s, utf8);
	orphans(s, utf8);
	deaths(s, utf8);
	lives(&s->shortest, "Shortest lives", utf8);
	lives(&s->longest, "Longest lives", utf8);
	printf("\nlifetimes: %llu measured, %llu left out (birth not in the log)\n",
	       s->lives, s->unborn);
}
