// SPDX-License-Identifier: GPL-2.0
/*
 * "--perfetto": the story in the Trace Event Format (JSON), for
 * ui.perfetto.dev and chrome://tracing.
 *
 * A track per process, named "comm (pid)", sorted in tree order, with its
 * parent and creator in process_labels.  On it, slices that nest: "alive"
 * from fork (or the log's start) to exit, inside it one slice per exec'd
 * image, inside those the stopped spans (cut at image boundaries); after
 * it "exiting" up to the zombie's start and "zombie" up to the reap.
 * Instants for signals, setsid, setpgid and reaps; flows (ph s/f) from
 * creator to child at fork and from dead parent to adopter at reparent.
 *
 * A reused pid gets its own track: the second process with a tgid is
 * traced as pid tgid + LC_PID_MAX, the third + 2 * LC_PID_MAX, and so on
 * (its name keeps the real pid).  Times are µs with ns digits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "jsonw.h"
#include "pidmap.h"
#include "signames.h"
#include "lifetimes.h"

struct pf {
	const struct lifetimes *s;
	long long *tid;		/* process index -> trace pid */
	long long t0, t1;
	unsigned long events;
	long long flow_id;
	struct jw w;
};

static void ts_field(struct jw *w, const char *name, long long ns)
{
	jw_name(w, name);
	jw_milli(w, ns);
}

static void begin(struct pf *f, const char *ph, int proc, const char *name,
		  const char *cat, long long ts)
{
	if (f->events++)
		putchar(',');
	jw_init(&f->w, stdout);
	jw_start_object(&f->w);
	jw_string_field(&f->w, "ph", ph);
	jw_int_field(&f->w, "pid", f->tid[proc]);
	jw_int_field(&f->w, "tid", f->tid[proc]);
	jw_string_field(&f->w, "name", name);
	if (cat)
		jw_string_field(&f->w, "cat", cat);
	if (ts != LC_NONE)
		ts_field(&f->w, "ts", ts);
}

static void end(struct pf *f)
{
	jw_end_object(&f->w);
}

static void proc_name(const struct pf *f, int i, char *buf, size_t len)
{
	const struct lt_proc *p = &f->s->p[i];

	snprintf(buf, len, "%s (%lld)", p->comm, p->tgid);
}

static void arg_proc(struct pf *f, const char *name, int i)
{
	char buf[LC_COMM_LEN + 32];

	if (i < 0) {
		jw_null_field(&f->w, name);
		return;
	}
	proc_name(f, i, buf, sizeof(buf));
	jw_string_field(&f->w, name, buf);
}

static void arg_num(struct pf *f, const char *name, long long v)
{
	if (v == LC_NONE)
		jw_null_field(&f->w, name);
	else
		jw_int_field(&f->w, name, v);
}

static void slice(struct pf *f, int i, const char *name, const char *cat,
		  long long a, long long b)
{
	begin(f, "X", i, name, cat, a);
	ts_field(&f->w, "dur", b > a ? b - a : 0);
}

static void metadata(struct pf *f, int i, int sort)
{
	const struct lt_proc *p = &f->s->p[i];
	char name[LC_COMM_LEN + 32], labels[160], par[LC_COMM_LEN + 32];
	char cre[LC_COMM_LEN + 32];

	proc_name(f, i, name, sizeof(name));
	begin(f, "M", i, "process_name", NULL, LC_NONE);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_string_field(&f->w, "name", name);
	jw_end_object(&f->w);
	end(f);
	begin(f, "M", i, "thread_name", NULL, LC_NONE);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_string_field(&f->w, "name", name);
	jw_end_object(&f->w);
	end(f);
	begin(f, "M", i, "process_sort_index", NULL, LC_NONE);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_int_field(&f->w, "sort_index", sort);
	jw_end_object(&f->w);
	end(f);
	if (p->parent < 0 && p->creator < 0)
		return;
	snprintf(par, sizeof(par), "?");
	snprintf(cre, sizeof(cre), "?");
	if (p->parent >= 0)
		proc_name(f, p->parent, par, sizeof(par));
	if (p->creator >= 0)
		proc_name(f, p->creator, cre, sizeof(cre));
	snprintf(labels, sizeof(labels), "parent %s, created by %s", par, cre);
	begin(f, "M", i, "process_labels", NULL, LC_NONE);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_string_field(&f->w, "labels", labels);
	jw_end_object(&f->w);
	end(f);
}

/* the stopped spans of process i within [a, b), as slices */
static void stops(struct pf *f, int i, const int *marks, int nm,
		  long long a, long long b, long long dead)
{
	const struct lt_mark *m;
	long long x, y;
	char sig[32];
	int k;

	for (k = 0; k < nm; k++) {
		m = &f->s->m[marks[k]];
		if (m->type != LC_EV_STOP)
			continue;
		x = m->ts > a ? m->ts : a;
		y = m->end != LC_NONE ? m->end : dead;
		if (y > b)
			y = b;
		if (x >= y && !(x == y && m->ts >= a && m->ts < b))
			continue;
		slice(f, i, "stopped", "stop", x, y);
		jw_name(&f->w, "args");
		jw_start_object(&f->w);
		jw_int_field(&f->w, "seq", m->seq);
		jw_string_field(&f->w, "signal", sig_format(sig, sizeof(sig),
							    m->a));
		arg_num(f, "ptrace", m->b);
		arg_num(f, "cont_seq", m->end_seq);
		jw_end_object(&f->w);
		end(f);
	}
}

static void lifetime(struct pf *f, int i, const int *marks, int nm)
{
	const struct lt_proc *p = &f->s->p[i];
	long long a = p->fork_ts != LC_NONE ? p->fork_ts : f->t0;
	long long dead = p->exit_ts != LC_NONE ? p->exit_ts : f->t1;
	long long zs, seg_a = a, seq = p->fork_seq;
	const char *name = p->comm, *file = NULL;
	const struct lt_mark *m;
	int k;

	slice(f, i, "alive", "process", a, dead);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_int_field(&f->w, "tgid", p->tgid);
	arg_num(f, "start_ns", p->start);
	arg_num(f, "fork_seq", p->fork_seq);
	arg_proc(f, "creator", p->creator);
	arg_proc(f, "parent", p->parent);
	arg_num(f, "exit_seq", p->exit_seq);
	arg_num(f, "status", p->status);
	jw_end_object(&f->w);
	end(f);
	for (k = 0; k <= nm; k++) {
		m = k < nm ? &f->s->m[marks[k]] : NULL;
		if (m && m->type != LC_EV_EXEC)
			continue;
		if (!m || m->ts > seg_a || file) {
			slice(f, i, name, "image", seg_a, m ? m->ts : dead);
			jw_name(&f->w, "args");
			jw_start_object(&f->w);
			arg_num(f, "seq", seq);
			jw_string_field(&f->w, "event", file ? "exec" : "fork");
			if (file)
				jw_string_field(&f->w, "filename", file);
			jw_end_object(&f->w);
			end(f);
			stops(f, i, marks, nm, seg_a, m ? m->ts : dead, dead);
		}
		if (!m)
			break;
		seg_a = m->ts;
		name = m->name;
		file = m->file;
		seq = m->seq;
	}
	if (p->exit_ts == LC_NONE)
		return;
	if (p->reap_ts == LC_NONE) {
		slice(f, i, "zombie", "zombie", p->exit_ts, f->t1);
		jw_name(&f->w, "args");
		jw_start_object(&f->w);
		jw_string_field(&f->w, "note", "not reaped in the log");
		jw_end_object(&f->w);
		end(f);
		return;
	}
	zs = p->zombie_ns != LC_NONE ? p->reap_ts - p->zombie_ns : p->exit_ts;
	if (zs < p->exit_ts)
		zs = p->exit_ts;
	if (zs > p->exit_ts)
		slice(f, i, "exiting", "process", p->exit_ts, zs), end(f);
	slice(f, i, "zombie", "zombie", zs, p->reap_ts);
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	arg_num(f, "zombie_ns", p->zombie_ns);
	arg_num(f, "reap_seq", p->reap_seq);
	arg_proc(f, "reaper", p->reaper);
	jw_string_field(&f->w, "how", p->how ? p->how : "?");
	jw_end_object(&f->w);
	end(f);
}

static void instant(struct pf *f, const struct lt_mark *m)
{
	char sig[32];

	if (m->type == LC_EV_SIGNAL) {
		begin(f, "i", m->proc, sig_format(sig, sizeof(sig), m->a),
		      "signal", m->ts);
	} else if (m->type == LC_EV_SETSID) {
		begin(f, "i", m->proc, "setsid", "session", m->ts);
	} else if (m->type == LC_EV_SETPGID) {
		begin(f, "i", m->proc, "setpgid", "session", m->ts);
	} else {
		return;
	}
	jw_string_field(&f->w, "s", "t");
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_int_field(&f->w, "seq", m->seq);
	if (m->type == LC_EV_SIGNAL) {
		arg_proc(f, "sender", m->peer);
		jw_string_field(&f->w, "result", m->s ? m->s : "?");
		arg_num(f, "group", m->b);
	} else if (m->type == LC_EV_SETSID) {
		jw_int_field(&f->w, "sid", m->a);
	} else {
		jw_int_field(&f->w, "pgid", m->a);
		jw_int_field(&f->w, "old_pgid", m->b);
	}
	jw_end_object(&f->w);
	end(f);
}

/* a flow arrow from process a to process b at ts */
static void flow(struct pf *f, int a, int b, const char *name,
		 long long ts, int child, long long seq)
{
	f->flow_id++;
	begin(f, "s", a, name, "flow", ts);
	jw_int_field(&f->w, "id", f->flow_id);
	end(f);
	begin(f, "f", b, name, "flow", ts);
	jw_int_field(&f->w, "id", f->flow_id);
	jw_string_field(&f->w, "bp", "e");
	jw_name(&f->w, "args");
	jw_start_object(&f->w);
	jw_int_field(&f->w, "seq", seq);
	arg_proc(f, "child", child);
	jw_end_object(&f->w);
	end(f);
}

static void events(struct pf *f, const int *order)
{
	const struct lifetimes *s = f->s;
	const struct lt_proc *p;
	const struct lt_mark *m;
	int *start = calloc(s->n + 1, sizeof(int));
	int *idx = malloc((s->nm + 1) * sizeof(int));
	size_t i;
	char name[LC_COMM_LEN + 40];

	if (!start || !idx) {
		free(start);
		free(idx);
		return;
	}
	for (i = 0; i < s->nm; i++)
		start[s->m[i].proc + 1]++;
	for (i = 0; i < s->n; i++)
		start[i + 1] += start[i];
	for (i = 0; i < s->nm; i++)
		idx[start[s->m[i].proc]++] = (int)i;
	for (i = s->n; i > 0; i--)
		start[i] = start[i - 1];
	start[0] = 0;
	for (i = 0; i < s->n && !out_error(); i++)
		metadata(f, order[i], (int)i);
	for (i = 0; i < s->n && !out_error(); i++)
		lifetime(f, (int)i, idx + start[i], start[i + 1] - start[i]);
	for (i = 0; i < s->nm && !out_error(); i++)
		instant(f, &s->m[i]);
	for (i = 0; i < s->n && !out_error(); i++) {
		p = &s->p[i];
		if (p->creator >= 0 && p->creator != (int)i &&
		    p->fork_ts != LC_NONE)
			flow(f, p->creator, (int)i, "fork", p->fork_ts, (int)i,
			     p->fork_seq);
		if (p->reaper < 0 || p->reap_ts == LC_NONE)
			continue;
		snprintf(name, sizeof(name), "reap %s (%lld)", p->comm,
			 p->tgid);
		begin(f, "i", p->reaper, name, "reap", p->reap_ts);
		jw_string_field(&f->w, "s", "t");
		jw_name(&f->w, "args");
		jw_start_object(&f->w);
		jw_int_field(&f->w, "seq", p->reap_seq);
		arg_num(f, "zombie_ns", p->zombie_ns);
		jw_end_object(&f->w);
		end(f);
	}
	for (i = 0; i < s->nm && !out_error(); i++) {
		m = &s->m[i];
		if (m->type != LC_EV_REPARENT || m->peer < 0 || m->peer2 < 0)
			continue;
		snprintf(name, sizeof(name), "adopted (%s)",
			 m->s ? m->s : "?");
		flow(f, m->peer, m->peer2, name, m->ts, m->proc, m->seq);
	}
	free(start);
	free(idx);
}

/**
 * perfetto_write() - the story as a Trace Event Format JSON, on stdout
 * @s: the lifetimes
 *
 * Return: 0, or -1 after a message (out of memory).
 */
int perfetto_write(const struct lifetimes *s)
{
	struct pf f = { .s = s };
	struct pidmap seen = { 0 };
	struct pid_info *e;
	int *order = malloc((s->n + 1) * sizeof(int));
	int *depth = malloc((s->n + 1) * sizeof(int));
	int ret = -1;
	size_t i;

	f.tid = malloc((s->n + 1) * sizeof(*f.tid));
	if (!order || !depth || !f.tid || lt_order(s, order, depth))
		goto oom;
	for (i = 0; i < s->n; i++) {
		e = pidmap_add(&seen, s->p[i].tgid);
		if (!e)
			goto oom;
		f.tid[i] = s->p[i].tgid + (long long)e->flags * LC_PID_MAX;
		e->flags++;
	}
	f.t0 = s->t0 == LC_NONE ? 0 : s->t0;
	f.t1 = s->t1 == LC_NONE ? 0 : s->t1;
	printf("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"lifecycle\",\"processes\":%zu,\"records\":%lu},\"traceEvents\":[\n",
	       s->n, s->records);
	events(&f, order);
	printf("]}\n");
	ret = 0;
	goto out;
oom:
	fprintf(stderr, "lifecycle: out of memory\n");
out:
	pidmap_free(&seen);
	free(order);
	free(depth);
	free(f.tid);
	return ret;
}
