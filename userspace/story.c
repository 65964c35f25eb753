// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle story PID" (or PID@START): one process's whole life, from
 * the log (/proc/lifecycle, or a recording with -i) and, live, the
 * debugfs lineage table, which knows the processes born before the log
 * begins.  With -f the story goes on: each new record about the process,
 * the signals it sends and its descendants' records, until it is reaped,
 * Ctrl-C, or -t.
 *
 * A pid used by several processes (the log and table hold each) tells the
 * newest one's story and lists the others' keys; PID@START picks one.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "cli.h"
#include "input.h"
#include "json.h"
#include "stream.h"
#include "story.h"
#include "timeline.h"

static atomic_int got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

struct story_ctx {
	struct opts *o;
	struct story_db db;
	int sp;			/* the chosen process, once chosen */
	struct tl t;		/* -f: the new records as timeline lines */
	unsigned long long nrecs;	/* read so far */
	sigset_t wait_mask;	/* -f: the mask to wait with */
};

#define SETTLE_MS	100	/* -f: the log is read when this brings none */

static int add_one(void *ctx, const struct lc_entry *r)
{
	struct story_ctx *c = ctx;

	c->nrecs++;
	return sdb_add(&c->db, r) == -2 ? -1 : 0;
}

/* -f: what the log holds now; a pipe's writer need not have ended */
static int read_now(struct story_ctx *c, struct stream *s)
{
	unsigned long long before;
	int ret;

	do {
		before = c->nrecs;
		ret = stream_pump(s, SETTLE_MS, &c->wait_mask, add_one, c);
	} while (!ret && !got_signal && !s->hup && c->nrecs != before);
	return ret;
}

/* the log, to its end; 0, or -1 after a message */
static int read_log(struct story_ctx *c, struct stream *s, const char *src,
		    bool *damaged)
{
	int ret;

	if (rotate_is_dir(src)) {
		ret = rotate_read_dir(s, src, c->o->strict, add_one, c);
	} else {
		if (stream_open(s, src, false))
			return -1;
		s->strict = c->o->strict;
		if (c->o->follow)
			return read_now(c, s);
		ret = stream_read_all(s, add_one, c);
		if (!ret)
			ret = stream_finish(s, add_one, c);
	}
	*damaged = s->damaged;
	if (c->db.oom)
		fprintf(stderr, "lifecycle: out of memory\n");
	return ret;
}

/* live: what the lineage table adds; a table not there is only a note */
static int read_lineage(struct story_ctx *c, bool *damaged)
{
	const char *src = lc_default_path(LC_KIND_LINEAGE);
	FILE *f = lc_fopen_input(src, LC_KIND_LINEAGE);
	struct lineage l = { 0 };
	int ret = 0;

	if (!f) {
		fprintf(stderr, "lifecycle: story: told from %s alone\n",
			lc_default_path(LC_KIND_LOG));
		return 0;
	}
	if (lineage_read(f, src, &l))
		*damaged = true;
	else if (sdb_merge_lineage(&c->db, &l))
		ret = -1;
	fclose(f);
	lineage_free(&l);
	if (ret)
		fprintf(stderr, "lifecycle: out of memory\n");
	return ret;
}

static void list_keys(const struct story_db *db, const int *inc, size_t n)
{
	char key[64];
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "  %s %s\n", sp_key(&db->v[inc[i]], key,
						      sizeof(key)),
			db->v[inc[i]].comm);
}

/* the process the story is of: PID@START's, or the newest of PID */
static int choose(struct story_ctx *c, const int *inc, size_t n)
{
	struct opts *o = c->o;
	size_t i;

	if (!n) {
		fprintf(stderr, "lifecycle: story: pid %lld is not in %s%s\n",
			o->root, o->input ? o->input : "the log",
			o->input ? "" : " nor in the lineage table");
		return -1;
	}
	if (!o->has_key)
		return inc[n - 1];
	for (i = 0; i < n; i++)
		if (sp_key_start(&c->db.v[inc[i]]) == o->key_start)
			return inc[i];
	fprintf(stderr, "lifecycle: story: no process %lld@%lld; pid %lld was:\n",
		o->root, o->key_start, o->root);
	list_keys(&c->db, inc, n);
	return -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* -f: a new record; printed when it is about the story */
static int follow_one(void *ctx, const struct lc_entry *r)
{
	struct story_ctx *c = ctx;
	size_t kept = c->db.recs.n, i;
	bool show;
	int me;

	me = sdb_add(&c->db, r);
	if (me == -2)
		return -1;
	show = r->type == LC_EV_LOST || c->db.v[me].desc;
	for (i = kept; i < c->db.recs.n; i++)
		show = show || c->db.kept[i].sp == c->sp;
	if (show && c->o->json)
		json_record(stdout, r);
	else if (show)
		tl_print(&c->t, r, NULL);
	tl_note(&c->t, r);
	return out_error() ? -1 : 0;
}

/* -f: the story goes on until the process is reaped, a signal, or -t */
static int follow(struct story_ctx *c, struct stream *s)
{
	long long end = -1, left = -1;
	int ret = 0;

	tl_init(&c->t, stdout, c->o->color, c->o->utf8);
	c->t.t0 = 0;		/* seconds since boot, as the story's */
	c->t.header_done = true;
	if (c->o->timeout_ms >= 0)
		end = now_ms() + c->o->timeout_ms;
	while (!got_signal && !s->hup && !ret && !c->db.v[c->sp].reaped) {
		if (fflush(stdout) == EOF)
			break;
		if (end >= 0) {
			left = end - now_ms();
			if (left <= 0)
				break;
		}
		ret = stream_pump(s, left > INT_MAX ? INT_MAX : (int)left,
				  &c->wait_mask, follow_one, c);
	}
	/* stopped (a signal, -t): what the log holds already is still told */
	if (!ret && !c->db.v[c->sp].reaped)
		ret = stream_catch_up(s, follow_one, c);
	if (!ret && s->hup)
		ret = stream_finish(s, follow_one, c);
	tl_free(&c->t);
	return ret;
}

static int tell(struct story_ctx *c, bool live)
{
	struct story st = { .db = &c->db, .live = live, .utf8 = c->o->utf8 };
	int *inc = sdb_incarnations(&c->db, c->o->root, &st.ninc);
	size_t i;
	int ret = -1;

	if (!inc) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return -1;
	}
	st.inc = inc;
	c->sp = choose(c, inc, st.ninc);
	if (c->sp < 0)
		goto out;
	st.sp = c->sp;
	st.desc = sdb_descendants(&c->db, c->sp, &st.ndesc);
	if (c->db.oom) {
		fprintf(stderr, "lifecycle: out of memory\n");
		goto out;
	}
	if (c->o->json)
		story_json(&st);
	else
		story_text(&st);
	c->db.v[c->sp].desc = true;	/* -f follows them */
	for (i = 0; i < st.ndesc; i++)
		c->db.v[st.desc[i].sp].desc = true;
	ret = 0;
out:
	free(st.desc);
	free(inc);
	return ret;
}

/**
 * cmd_story() - "lifecycle story PID[@START]"
 * @o: the options; o->root is the pid, o->key_start the start when
 *     o->has_key
 *
 * Return: the exit status: 0, or 1 (a damaged spot skipped included).
 */
int cmd_story(struct opts *o)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct story_ctx c = { .o = o };
	struct stream *s = malloc(sizeof(*s));
	bool damaged = false, lin_damaged = false;
	int ret = -1;

	if (!s) {
		fprintf(stderr, "lifecycle: out of memory\n");
		return 1;
	}
	s->fd = -1;
	if (o->follow && rotate_is_dir(src)) {
		fprintf(stderr, "lifecycle: story -f follows a log, not the --rotate directory %s\n",
			src);
		free(s);
		return 2;
	}
	sdb_init(&c.db, o->root);
	if (o->follow)
		lc_catch(sigs, ARRAY_SIZE(sigs), on_signal, NULL, &c.wait_mask);
	if (read_log(&c, s, src, &damaged))
		goto out;
	if (!o->input && read_lineage(&c, &lin_damaged))
		goto out;
	ret = tell(&c, !o->input);
	if (!ret && o->follow && !got_signal)
		ret = follow(&c, s);
	if (s->damaged)
		damaged = true;
out:
	stream_close(s);
	free(s);
	sdb_free(&c.db);
	if (out_error())
		return out_failed();
	return ret || damaged || lin_damaged ? 1 : 0;
}
