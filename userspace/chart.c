// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle chart": the story as one self-contained HTML file, an SVG of
 * process lifetimes with a little script (chart-head.html, chart-tail.html,
 * built into chart_html.inc) for zoom, pan and the fields on hover.
 *
 * One row per process, in tree order by creator.  Per row: a bar from
 * fork to exit, a segment per exec'd image (coloured by it), the zombie
 * span (hatched; exactly zombie_ns long, ending at the reap), stopped
 * spans, and marks for signals, setsid, setpgid and the reaps the process
 * made.  Arrows: creator to child at fork, and dead parent to adopter at
 * each reparent.  Times are ns from the first record, in data-a and
 * data-b; the script places them.  Every element that stands for a record
 * carries its fields as data-* attributes: the tests read them too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "signames.h"
#include "lifetimes.h"

#include "chart_html.inc"

#define ROW_H		14	/* px per process row */
#define TEXT_Y		10	/* segment labels; the bars' y and height: CSS */
#define KEY_LEN		48
#define NCOLORS		10
#define SEG_LABELS_MAX	2000	/* more processes: no text in segments */
#define CHUNK		500	/* rows laid out at a time (see put_chunks) */

struct chart {
	const struct lifetimes *s;
	int *order, *depth, *row;	/* row: process index -> row */
	long long t0, t1;
	bool seg_labels;
};

/* s for an HTML attribute or text: printable ASCII, the rest as \xHH */
static void put_esc(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '&')
			fputs("&amp;", stdout);
		else if (c == '<')
			fputs("&lt;", stdout);
		else if (c == '>')
			fputs("&gt;", stdout);
		else if (c == '"')
			fputs("&quot;", stdout);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static const char *key(const struct chart *c, int i, char *buf)
{
	return lt_key(c->s, i, buf, KEY_LEN);
}

static unsigned int color_of(const char *name)
{
	unsigned int h = 5381;

	for (; *name; name++)
		h = h * 33 + (unsigned char)*name;
	return h % NCOLORS;
}

static long long rel(const struct chart *c, long long ts)
{
	return ts - c->t0;
}

static int row_y(const struct chart *c, int proc)
{
	return c->row[proc] * ROW_H + ROW_H / 2;
}

static void attr_num(const char *name, long long v)
{
	if (v == LC_NONE)
		printf(" data-%s=\"-\"", name);
	else
		printf(" data-%s=\"%lld\"", name, v);
}

static void attr_str(const char *name, const char *v)
{
	printf(" data-%s=\"", name);
	put_esc(v ? v : "-");
	putchar('"');
}

/* another process: its row number (the script shows its pid and comm) */
static void attr_proc(const struct chart *c, const char *name, int i)
{
	if (i < 0)
		printf(" data-%s=\"-\"", name);
	else
		printf(" data-%s=\"%d\"", name, c->row[i]);
}

/* one image's stretch of the bar: [a, b), named name */
static void segment(const struct chart *c, const struct lt_proc *p,
		    long long a, long long b, const char *name,
		    const struct lt_mark *exec)
{
	printf("<rect class=\"seg c%u%s\" data-a=\"%lld\" data-b=\"%lld\"",
	       color_of(name), p->fork_ts == LC_NONE && !exec ? " nofork" : "",
	       rel(c, a), rel(c, b));
	if (exec) {
		printf(" data-seq=\"%lld\"", exec->seq);
		attr_str("comm", exec->name);
		attr_str("filename", exec->file);
	} else if (p->fork_ts != LC_NONE) {
		printf(" data-seq=\"%lld\"", p->fork_seq);
		attr_str("comm", name);
	} else {
		attr_str("comm", name);
		printf(" data-note=\"no fork record: alive before the log\"");
	}
	printf("/>");
	if (c->seg_labels) {
		printf("<text class=\"sl\" y=\"%d\" data-a=\"%lld\" data-b=\"%lld\">",
		       TEXT_Y, rel(c, a), rel(c, b));
		put_esc(name);
		printf("</text>");
	}
}

/* the bar, split at each exec; ends at the exit, or the log's end */
static void bar(const struct chart *c, int i, const int *marks, int nm)
{
	const struct lt_proc *p = &c->s->p[i];
	const struct lt_mark *exec = NULL, *m;
	long long a = p->fork_ts != LC_NONE ? p->fork_ts : c->t0;
	long long end = p->exit_ts != LC_NONE ? p->exit_ts : c->t1;
	const char *name = p->comm;
	int k;

	for (k = 0; k < nm; k++) {
		m = &c->s->m[marks[k]];
		if (m->type != LC_EV_EXEC)
			continue;
		if (m->ts > a || exec)
			segment(c, p, a, m->ts, name, exec);
		exec = m;
		a = m->ts;
		name = m->name;
	}
	segment(c, p, a, end > a ? end : a, name, exec);
}

static void zombie(const struct chart *c, int i)
{
	const struct lt_proc *p = &c->s->p[i];
	long long a;

	if (p->exit_ts == LC_NONE && p->reap_ts == LC_NONE)
		return;
	if (p->reap_ts == LC_NONE) {	/* a zombie still */
		printf("<rect class=\"z\" data-a=\"%lld\" data-b=\"%lld\" data-exit_seq=\"%lld\"",
		       rel(c, p->exit_ts), rel(c, c->t1), p->exit_seq);
		attr_num("status", p->status);
		printf(" data-note=\"not reaped in the log\"/>");
		return;
	}
	a = p->zombie_ns != LC_NONE ? p->reap_ts - p->zombie_ns :
	    p->exit_ts != LC_NONE ? p->exit_ts : p->reap_ts;
	printf("<rect class=\"z\" data-a=\"%lld\" data-b=\"%lld\" data-seq=\"%lld\"",
	       rel(c, a), rel(c, p->reap_ts), p->reap_seq);
	attr_num("zombie_ns", p->zombie_ns);
	attr_num("exit_seq", p->exit_seq);
	attr_num("status", p->status);
	attr_proc(c, "reaper", p->reaper);
	attr_str("how", p->how);
	printf("/>");
}

static void mark(const struct chart *c, const struct lt_mark *m)
{
	char buf[32];

	switch (m->type) {
	case LC_EV_STOP:
		printf("<rect class=\"st\" data-a=\"%lld\" data-b=\"%lld\" data-seq=\"%lld\"",
		       rel(c, m->ts),
		       rel(c, m->end != LC_NONE ? m->end :
			   c->s->p[m->proc].exit_ts != LC_NONE ?
			   c->s->p[m->proc].exit_ts : c->t1), m->seq);
		attr_str("signal", sig_format(buf, sizeof(buf), m->a));
		attr_num("ptrace", m->b);
		attr_num("cont_seq", m->end_seq);
		printf("/>");
		return;
	case LC_EV_SIGNAL:
		printf("<rect class=\"sg\" data-a=\"%lld\" data-seq=\"%lld\"",
		       rel(c, m->ts), m->seq);
		attr_str("signal", sig_format(buf, sizeof(buf), m->a));
		attr_proc(c, "sender", m->peer);
		attr_str("result", m->s);
		attr_num("group", m->b);
		printf("/>");
		return;
	case LC_EV_SETSID:
		printf("<rect class=\"ss\" data-a=\"%lld\" data-seq=\"%lld\"",
		       rel(c, m->ts), m->seq);
		attr_num("sid", m->a);
		printf("/>");
		return;
	case LC_EV_SETPGID:
		printf("<rect class=\"sp\" data-a=\"%lld\" data-seq=\"%lld\"",
		       rel(c, m->ts), m->seq);
		attr_num("pgid", m->a);
		attr_num("old_pgid", m->b);
		printf("/>");
		return;
	default:
		return;
	}
}

static void put_row(const struct chart *c, int r, const int *marks, int nm)
{
	int i = c->order[r], m;
	const struct lt_proc *p = &c->s->p[i];
	char k[KEY_LEN];

	printf("<g class=\"row\" transform=\"translate(0,%d)\"", r * ROW_H);
	attr_str("k", key(c, i, k));
	attr_str("comm", p->last_comm);
	printf(" data-depth=\"%d\"", c->depth[r]);
	attr_proc(c, "creator", p->creator);
	printf(">");
	bar(c, i, marks, nm);
	zombie(c, i);
	for (m = 0; m < nm; m++)
		mark(c, &c->s->m[marks[m]]);
	printf("</g>\n");
}

static void label(const struct chart *c, int r)
{
	int i = c->order[r], d = c->depth[r];
	const struct lt_proc *p = &c->s->p[i];

	printf("<text class=\"lbl%s\" x=\"%d\" y=\"%d\">%lld ",
	       p->exit_ts != LC_NONE ? " dead" : "", 4 + (d > 20 ? 20 : d) * 6,
	       r * ROW_H + ROW_H - 3, p->tgid);
	put_esc(p->last_comm);
	printf("</text>\n");
}

/* per process, its marks: midx[mstart[i] .. mstart[i + 1]) */
struct lists {
	int *mstart, *midx;
};

/* the chunk an arrow between two processes' rows goes with: the lower's */
static int chunk_of(const struct chart *c, int a, int b)
{
	int r = c->row[a] > c->row[b] ? c->row[a] : c->row[b];

	return r / CHUNK;
}

/* the arrows of chunk k (see CHUNK) */
static void put_arrows(const struct chart *c, int k)
{
	const struct lt_proc *p;
	const struct lt_mark *m;
	size_t i;

	for (i = 0; i < c->s->n; i++) {
		p = &c->s->p[i];
		if (p->creator >= 0 && p->fork_ts != LC_NONE &&
		    p->creator != (int)i && chunk_of(c, p->creator, i) == k) {
			/* its ends are the rows of creator and child */
			printf("<line class=\"fk\" y1=\"%d\" y2=\"%d\" data-a=\"%lld\" data-seq=\"%lld\"/>\n",
			       row_y(c, p->creator), row_y(c, (int)i),
			       rel(c, p->fork_ts), p->fork_seq);
		}
		if (p->reaper >= 0 && p->reaper != (int)i &&
		    p->reap_ts != LC_NONE && chunk_of(c, p->reaper, i) == k) {
			/* the zombie's fields tell the reap's */
			printf("<line class=\"rl\" y1=\"%d\" y2=\"%d\" data-a=\"%lld\"/>\n",
			       row_y(c, (int)i), row_y(c, p->reaper),
			       rel(c, p->reap_ts));
		}
	}
	for (i = 0; i < c->s->nm; i++) {
		m = &c->s->m[i];
		if (m->type != LC_EV_REPARENT || m->peer < 0 || m->peer2 < 0 ||
		    chunk_of(c, m->peer, m->peer2) != k)
			continue;
		printf("<line class=\"ad\" y1=\"%d\" y2=\"%d\" data-a=\"%lld\" data-seq=\"%lld\"",
		       row_y(c, m->peer), row_y(c, m->peer2), rel(c, m->ts),
		       m->seq);
		attr_proc(c, "from", m->peer);
		attr_proc(c, "to", m->peer2);
		attr_proc(c, "child", m->proc);
		attr_str("reason", m->s);
		attr_num("zombie", m->a);
		printf("/><text class=\"adl\" y=\"%d\" data-a=\"%lld\">",
		       (row_y(c, m->peer) + row_y(c, m->peer2)) / 2,
		       rel(c, m->ts));
		put_esc(m->s ? m->s : "?");
		printf(" (%lld)</text>\n", c->s->p[m->proc].tgid);
	}
}

static void put_rows(const struct chart *c, const struct lists *l, int k)
{
	int r, i;

	for (r = k * CHUNK; r < (int)c->s->n && r < (k + 1) * CHUNK; r++) {
		i = c->order[r];
		put_row(c, r, l->midx + l->mstart[i],
			l->mstart[i + 1] - l->mstart[i]);
	}
}

/*
 * Chunks after the first, in templates: parsed but not laid out until
 * the script moves them into the page, when they come into view.
 */
static void put_chunks(const struct chart *c, const struct lists *l)
{
	int k, r, n = ((int)c->s->n + CHUNK - 1) / CHUNK;

	for (k = 1; k < n && !out_error(); k++) {
		printf("<template class=\"chunk\" data-chunk=\"%d\"><svg xmlns=\"http://www.w3.org/2000/svg\"><g class=\"rows\">\n",
		       k);
		put_rows(c, l, k);
		printf("</g><g class=\"arrows\">\n");
		put_arrows(c, k);
		printf("</g><g class=\"labels\">\n");
		for (r = k * CHUNK; r < (int)c->s->n && r < (k + 1) * CHUNK; r++)
			label(c, r);
		printf("</g></svg></template>\n");
	}
}

static int group(const struct lifetimes *s, struct lists *l)
{
	size_t i;

	l->mstart = calloc(s->n + 1, sizeof(int));
	l->midx = malloc((s->nm + 1) * sizeof(int));
	if (!l->mstart || !l->midx)
		return -1;
	for (i = 0; i < s->nm; i++)
		l->mstart[s->m[i].proc + 1]++;
	for (i = 0; i < s->n; i++)
		l->mstart[i + 1] += l->mstart[i];
	/* fill in order; each start moves up to the next list's, then back */
	for (i = 0; i < s->nm; i++)
		l->midx[l->mstart[s->m[i].proc]++] = (int)i;
	for (i = s->n; i > 0; i--)
		l->mstart[i] = l->mstart[i - 1];
	l->mstart[0] = 0;
	return 0;
}

static void lists_free(struct lists *l)
{
	free(l->mstart);
	free(l->midx);
}

/* the images in the story and their colours, at most 12; the marks */
static void put_legend(const struct lifetimes *s)
{
	static const char *const marks[] = {
		"<span><i style=\"background:#fdd;border:1px solid #b00\"></i>zombie</span>",
		"<span><i style=\"background:#f0c000\"></i>stopped</span>",
		"<span><i style=\"background:#c00\"></i>signal</span>",
		"<span><i style=\"background:#06c\"></i>setsid</span>",
		"<span><i style=\"background:#0a8\"></i>setpgid</span>",
		"<span><i style=\"background:#000\"></i>reap</span>",
		"<span><i style=\"background:#d40\"></i>adoption</span>",
	};
	const char *seen[12];
	size_t i, n = 0, k;
	const char *name;

	printf("<div id=\"legend\">");
	for (i = 0; i < s->n + s->nm && n < ARRAY_SIZE(seen); i++) {
		if (i < s->n)
			name = s->p[i].comm;
		else if (s->m[i - s->n].type == LC_EV_EXEC)
			name = s->m[i - s->n].name;
		else
			continue;
		for (k = 0; k < n && strcmp(seen[k], name); k++)
			;
		if (k < n)
			continue;
		seen[n++] = name;
		printf("<span><i class=\"c%u\"></i>",
		       color_of(name));
		put_esc(name);
		printf("</span>");
	}
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		fputs(marks[i], stdout);
	fputs("</div>\n", stdout);
}

static void page(const struct chart *c, const struct lists *l)
{
	static const char *const help[] = {
		"Zoom: wheel on the axis, Ctrl+wheel, +/-; pan: drag, arrows; reset: double-click, 0; hover or click: fields.\n",
		"<button id=\"zin\">+</button><button id=\"zout\">&minus;</button><button id=\"zreset\">reset</button>\n",
	};
	static const char *const defs[] = {
		"<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">",
		"<rect width=\"4\" height=\"4\" fill=\"#fdd\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#b00\" stroke-width=\"1.5\"/></pattern>\n",
		"<marker id=\"ah\" viewBox=\"0 0 6 6\" refX=\"6\" refY=\"3\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0 0L6 3L0 6z\" fill=\"#777\"/></marker>\n",
		"<marker id=\"dot\" viewBox=\"0 0 6 6\" refX=\"3\" refY=\"3\" markerWidth=\"5\" markerHeight=\"5\"><circle cx=\"3\" cy=\"3\" r=\"3\" fill=\"#000\"/></marker>\n",
		"<marker id=\"ahad\" viewBox=\"0 0 6 6\" refX=\"6\" refY=\"3\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0 0L6 3L0 6z\" fill=\"#d40\"/></marker></defs>\n",
	};
	const struct lifetimes *s = c->s;
	int h = (int)s->n * ROW_H + ROW_H, r;
	size_t k;

	fputs(chart_head, stdout);
	printf("<div id=\"top\"><div id=\"head\"><b>lifecycle chart</b>: %zu processes, %lu records, %.6f s from ts_ns %lld.\n",
	       s->n, s->records, (c->t1 - c->t0) / 1e9, c->t0);
	for (k = 0; k < ARRAY_SIZE(help); k++)
		fputs(help[k], stdout);
	put_legend(s);
	printf("</div><div id=\"axisrow\"><div id=\"axisgap\"></div><svg id=\"axis\" height=\"24\" xmlns=\"http://www.w3.org/2000/svg\"></svg></div></div>\n");
	printf("<div id=\"main\"><svg id=\"labels\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
	       h);
	for (r = 0; r < (int)s->n && r < CHUNK; r++)
		label(c, r);
	printf("</svg>\n<svg id=\"chart\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\" data-t0=\"%lld\" data-span=\"%lld\" data-procs=\"%zu\" data-records=\"%lu\" data-first-seq=\"%lld\" data-last-seq=\"%lld\" data-chunk=\"%d\">\n",
	       h, c->t0, c->t1 - c->t0, s->n, s->records,
	       s->seq0 == LC_NONE ? 0 : s->seq0,
	       s->seq1 == LC_NONE ? 0 : s->seq1, CHUNK);
	for (k = 0; k < ARRAY_SIZE(defs); k++)
		fputs(defs[k], stdout);
	printf("<g id=\"rows\">\n");
	put_rows(c, l, 0);
	printf("</g>\n<g id=\"arrows\">\n");
	put_arrows(c, 0);
	printf("</g></svg></div>\n");
	put_chunks(c, l);
	fputs(chart_tail, stdout);
}

/**
 * chart_write() - the story as the HTML chart, on stdout
 * @s: the lifetimes
 *
 * Return: 0, or -1 after a message (out of memory).
 */
int chart_write(const struct lifetimes *s)
{
	struct chart c = { .s = s };
	struct lists l = { 0 };
	int ret = -1;
	size_t r;

	c.order = malloc((s->n + 1) * sizeof(int));
	c.depth = malloc((s->n + 1) * sizeof(int));
	c.row = malloc((s->n + 1) * sizeof(int));
	if (!c.order || !c.depth || !c.row || lt_order(s, c.order, c.depth) ||
	    group(s, &l)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		goto out;
	}
	for (r = 0; r < s->n; r++)
		c.row[c.order[r]] = (int)r;
	c.t0 = s->t0 == LC_NONE ? 0 : s->t0;
	c.t1 = s->t1 == LC_NONE ? 0 : s->t1;
	c.seg_labels = s->n <= SEG_LABELS_MAX;
	page(&c, &l);
	ret = 0;
out:
	lists_free(&l);
	free(c.order);
	free(c.depth);
	free(c.row);
	return ret;
}

/**
 * cmd_chart() - "lifecycle chart" and "--perfetto"
 * @o: the options: -i, -p, --strict, --perfetto (-o was opened as stdout)
 *
 * Return: the exit status: 1 when the input had damaged spots (the
 * picture is written all the same) or on an error.
 */
int cmd_chart(struct opts *o)
{
	struct lifetimes s;
	int ret;

	lt_init(&s);
	ret = lt_read(&s, o);
	if (ret >= 0 && (o->perfetto ? perfetto_write(&s) : chart_write(&s)))
		ret = -1;
	lt_free(&s);
	if (out_error())
		return out_failed();
	return ret ? 1 : 0;
}
