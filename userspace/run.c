// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle -f" and "lifecycle run -- CMD".
 *
 * run opens /proc/lifecycle and moves to its end before forking, so no
 * record of CMD can be missed; it makes itself a child subreaper so that
 * daemons escaping CMD are adopted (and reaped) by it, then follows the
 * stream until CMD and every descendant seen in a fork record has been
 * reaped, and tells their story.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"
#include "json.h"
#include "lineage.h"
#include "log.h"
#include "stream.h"
#include "timeline.h"

#define RUN_ALIVE	1u
#define RUN_TICK_MS	250
#define RUN_GRACE_MS	2000	/* wait for records after the last child */
#define RUN_DRAIN_MS	300	/* after Ctrl-C, for the last records */

/* lock-free atomics are async-signal-safe (C11 7.14.1.1) */
static atomic_int got_signal;

static void on_signal(int sig)
{
	if (sig != SIGCHLD)
		got_signal = sig;
}

/*
 * Block the signals we handle; *wait_mask is the mask to wait with: every
 * wait (ppoll) lets them through, and only waits do.
 */
static void setup_signals(sigset_t *old, sigset_t *wait_mask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };

	lc_catch(sigs, ARRAY_SIZE(sigs), on_signal, old, wait_mask);
}

static const char *source(const struct opts *o)
{
	return o->input ? o->input : lc_default_path(LC_KIND_LOG);
}

struct follow_ctx {
	struct opts *o;
	struct tl t;
};

static int follow_one(void *ctx, const struct lc_entry *r)
{
	struct follow_ctx *c = ctx;

	if (c->o->json) {	/* the timeline's time origin and names: unused */
		if (filter_match(&c->o->filter, r))
			json_emit(r);	/* no stdio: flushed with it */
		return out_error() ? -1 : 0;
	}
	tl_origin(&c->t, r);
	if (filter_match(&c->o->filter, r))
		tl_print(&c->t, r, NULL);
	tl_note(&c->t, r);
	tl_prune(&c->t);
	return out_error() ? -1 : 0;
}

static long long now_ms(void);

static long long boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* until Ctrl-C, SIGTERM, SIGHUP, -t, or the end of a pipe or module */
int cmd_follow(struct opts *o)
{
	struct follow_ctx c = { .o = o };
	long long end = -1, left = -1;
	sigset_t old, wait_mask;
	struct stream *s = malloc(sizeof(*s));
	long long since = boottime_ns();
	int ret = 0;

	if (!s || stream_open(s, source(o), o->tail)) {
		free(s);
		return 1;
	}
	/* --new -p: the descendants forked before now, from the lineage */
	if (o->tail && o->filter.npids && !o->input)
		lineage_seed_follow(&o->filter, since);
	s->strict = o->strict;
	setup_signals(&old, &wait_mask);
	tl_init(&c.t, stdout, o->color, o->utf8);
	c.t.direct = true;	/* nothing else goes to stdout */
	if (o->wall && tl_set_wall(&c.t))
		ret = -1;
	if (o->timeout_ms >= 0)
		end = now_ms() + o->timeout_ms;
	while (!got_signal && !s->hup && !ret) {
		if (end >= 0) {
			left = end - now_ms();
			if (left <= 0)
				break;
		}
		ret = stream_pump(s, left > INT_MAX ? INT_MAX : (int)left,
				  &wait_mask, follow_one, &c);
		if (lc_out_flush() && !ret)
			ret = -1;
	}
	/* stopped: what the log holds already is shown (not after a hup) */
	if (!ret)
		ret = stream_catch_up(s, follow_one, &c);
	/* a pipe that ended in the middle of a record: say so */
	if (!ret && s->hup)
		ret = stream_finish(s, follow_one, &c);
	lc_out_flush();
	tl_free(&c.t);
	if (!ret && s->damaged)
		ret = 1;
	stream_close(s);
	free(s);
	if (out_error())
		return out_failed();
	return ret ? 1 : 0;
}

struct run_ctx {
	struct opts *o;
	struct filter track;	/* CMD and its descendants */
	struct pidmap alive;	/* tgids not yet reaped */
	size_t nalive;
	struct lc_log log;	/* the story (show[]) and our own records */
	pid_t child, self;
	int status;
	bool child_done, no_children;
};

static void set_alive(struct run_ctx *c, long long tgid, bool alive)
{
	struct pid_info *e = pidmap_add(&c->alive, tgid);

	if (!e || !!(e->flags & RUN_ALIVE) == alive)
		return;
	e->flags ^= RUN_ALIVE;
	if (alive)
		c->nalive++;
	else
		c->nalive--;
}

static int run_one(void *ctx, const struct lc_entry *r)
{
	struct run_ctx *c = ctx;
	bool user = filter_match(&c->o->filter, r);
	bool mine = filter_match(&c->track, r);

	if (mine && r->type == LC_EV_FORK && r->fork.thread != 1)
		set_alive(c, r->tgid, true);
	if (mine && r->type == LC_EV_REAP && r->pid == r->tgid)
		set_alive(c, r->tgid, false);
	/* keep the story, and our own records for our name */
	if (!mine && r->tgid != c->self)
		return 0;
	return log_append(&c->log, r, mine && user);
}

/* collect our children: CMD, and the orphans we adopted as subreaper */
static void reap_children(struct run_ctx *c)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == c->child) {
			c->status = st;
			c->child_done = true;
		}
	}
	c->no_children = pid < 0 && errno == ECHILD;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static pid_t spawn(char **cmd, const sigset_t *old)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "lifecycle: fork: %m\n");
		return -1;
	}
	if (pid)
		return pid;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, old, NULL);
	execvp(cmd[0], cmd);
	fprintf(stderr, "lifecycle: %s: %m\n", cmd[0]);
	_exit(127);
}

/* follow until everything is reaped, Ctrl-C, or the timeout */
static int run_loop(struct run_ctx *c, struct stream *s,
		    const sigset_t *wait_mask)
{
	long long end = c->o->timeout_ms >= 0 ? now_ms() + c->o->timeout_ms : -1;
	struct timespec tick = { .tv_nsec = RUN_TICK_MS * 1000000L };
	long long grace = -1;

	for (;;) {
		reap_children(c);
		if (c->child_done && !c->nalive)
			return 0;
		if (c->child_done && c->no_children && grace < 0)
			grace = now_ms() + RUN_GRACE_MS;
		if ((grace >= 0 && now_ms() > grace) || (s->hup && c->child_done))
			return 0;
		/* -t: what the log holds already is still told */
		if (end >= 0 && now_ms() > end)
			return stream_catch_up(s, run_one, c) ? 1 : 124;
		/*
		 * The last records may come (CMD dying of the same Ctrl-C),
		 * and a SIGCHLD may cut that wait short: then what the log
		 * holds is read without waiting.
		 */
		if (got_signal)
			return stream_pump(s, RUN_DRAIN_MS, wait_mask, run_one,
					   c) ||
			       stream_catch_up(s, run_one, c) ?
			       1 : 128 + got_signal;
		if (s->hup)	/* no more records: just wait for CMD */
			ppoll(NULL, 0, &tick, wait_mask);
		else if (stream_pump(s, RUN_TICK_MS, wait_mask, run_one, c))
			return 1;
	}
}

static void tell_story(struct run_ctx *c)
{
	struct tl t;
	size_t i;

	for (i = 0; c->o->json && i < c->log.n; i++)
		if (c->log.show[i])
			json_record(stdout, &c->log.v[i]);
	if (c->o->json)
		return;
	tl_init(&t, stdout, c->o->color, c->o->utf8);
	tl_print_all(&t, c->log.v, c->log.show, c->log.n);
	tl_free(&t);
	fflush(stdout);		/* the note after the story it is about */
	if (c->nalive)
		fprintf(stderr, "lifecycle: %zu process(es) not seen reaped\n",
			c->nalive);
}

static int exit_code(const struct run_ctx *c, int ret)
{
	if (!c->child_done)
		return ret ? ret : 1;
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	return 128 + WTERMSIG(c->status);
}

int cmd_run(struct opts *o)
{
	struct run_ctx c = { .o = o, .self = getpid() };
	struct stream *s = malloc(sizeof(*s));
	sigset_t old, wait_mask;
	int ret = 1;

	if (!s || stream_open(s, source(o), true))
		goto out;
	if (s->regular) {
		fprintf(stderr, "lifecycle: run: %s is a plain file; run follows %s (or a FIFO playing it) while CMD runs\n",
			source(o), LC_PROC_PATH);
		stream_close(s);
		goto out;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		fprintf(stderr, "lifecycle: PR_SET_CHILD_SUBREAPER: %m\n");
	setup_signals(&old, &wait_mask);
	filter_init(&c.track);
	c.child = spawn(o->cmd, &old);
	if (c.child > 0) {
		filter_set_pid(&c.track, c.child);
		set_alive(&c, c.child, true);
		ret = run_loop(&c, s, &wait_mask);
		tell_story(&c);
		ret = exit_code(&c, ret);
	}
	stream_close(s);
	filter_free(&c.track);
	pidmap_free(&c.alive);
	log_free(&c.log);
out:
	free(s);
	return ret;
}
